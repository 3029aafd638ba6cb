/* The PostgreSQL backend (libpq): the same SQL-from-declarations as the SQLite backend, in
 * PostgreSQL's dialect, on connections from the generic store's pool and its one writer.
 *
 * - Transactions: a read is one REPEATABLE READ, READ ONLY transaction (a snapshot, like a WAL
 *   read in SQLite); the writer's group is one READ COMMITTED transaction with a savepoint per
 *   job, and COMMIT returns only once PostgreSQL has made it durable (synchronous_commit is
 *   set to on for the writer's session): an acknowledged write is committed.
 * - Statements are prepared once per connection (PQprepare, named by a counter, keyed by the
 *   SQL text) and run with text parameters whose types the server infers.
 * - A failed statement aborts a PostgreSQL transaction, where SQLite goes on: every write
 *   statement on the writer runs in a savepoint of its own, so a job that handles a conflict
 *   (OMK_CONFLICT) and carries on behaves as on SQLite.
 * - SQLite's NULL ordering is kept (NULLS FIRST ascending, NULLS LAST descending) and text
 *   columns compare by byte (COLLATE "C" in the schema), so lists come in the same order.
 * The Logboek's storage is in pg_ldv.c. What is not here yet answers OMK_UNSUPPORTED with a log line that names it (see
 * docs/internals/store.md, "PostgreSQL"). */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/log.h"
#include "omk/util.h"
#include "pg_int.h"
#include "sqlite_int.h"
#include "store_int.h"

#define SQL_MAX (64 * 1024)
#define MAX_BINDS OMK__PG_MAX_BINDS
#define PREP_SLOTS 1024 /* prepared statements per connection; beyond, statements run unnamed */
#define SCHEMA_LOCK 0x6f6d6b73 /* advisory lock key while migrating ("omks") */

/* Type OIDs (pg_type.h is a server header): the integer types; everything else is text. */
enum { INT8_OID = 20, INT2_OID = 21, INT4_OID = 23 };

typedef struct prep {
    char *sql; /* NULL: free slot */
    int id;    /* named "omk<id>" on the server */
} prep;

typedef struct conn {
    PGconn *pg;
    bool writer;
    bool in_tx; /* inside BEGIN … COMMIT/ROLLBACK (the writer's savepoints need one) */
    /* The connection was found broken (set by its own thread; read by any: the storage check
     * of /readyz must not touch a connection another thread uses). */
    _Atomic bool lost;
    int next_id;
    int nprep;
    prep preps[PREP_SLOTS];
    char err[512]; /* the last error, for logs */
} conn;

typedef omk__pg_binds binds;

void omk__pg_bind(omk__pg_binds *b, omk_value v)
{
    if (b->n >= MAX_BINDS) {
        b->overflow = true;
        return;
    }
    b->v[b->n++] = v;
}

static void bind_push(binds *b, omk_value v)
{
    omk__pg_bind(b, v);
}

static omk_value text_value(const char *s)
{
    return omk__pg_text(s);
}

static omk_value int_value(int64_t i)
{
    return omk__pg_int(i);
}

/* ---- errors ---- */

/* SQLSTATE → omk_rc: the classes SQLite's codes map from in sqlite.c. */
static omk_rc map_state(const char *st)
{
    if (!st || strlen(st) != 5)
        return OMK_IO;
    if (strncmp(st, "23", 2) == 0) /* integrity constraint violation */
        return OMK_CONFLICT;
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0 ||
        strcmp(st, "53300") == 0)
        return OMK_BUSY;
    if (strcmp(st, "53100") == 0) /* disk full */
        return OMK_FULL;
    if (strcmp(st, "53200") == 0)
        return OMK_NOMEM;
    if (strcmp(st, "54000") == 0 || strcmp(st, "54001") == 0)
        return OMK_TOOBIG;
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) == 0 || strcmp(st, "25006") == 0)
        return OMK_UNAVAILABLE;
    return OMK_IO;
}

/* Checks res (NULL: no answer at all); on failure records and maps the error and clears res. */
static omk_rc check(conn *c, PGresult **res, const char *sql)
{
    ExecStatusType s = *res ? PQresultStatus(*res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return OMK_OK;
    const char *state = *res ? PQresultErrorField(*res, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(c->pg) != CONNECTION_OK)
        c->lost = true;
    omk_rc rc = c->lost ? OMK_UNAVAILABLE : map_state(state);
    snprintf(c->err, sizeof c->err, "%s%s%s", state ? state : "", state ? ": " : "",
             *res ? PQresultErrorMessage(*res) : PQerrorMessage(c->pg));
    size_t n = strlen(c->err);
    while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
        c->err[--n] = 0;
    if (rc != OMK_CONFLICT)
        omk_log_error("postgresql", "%s: %.300s", c->err, sql);
    PQclear(*res);
    *res = NULL;
    return rc;
}

/* An operation this backend does not have yet: loud in the log, OMK_UNSUPPORTED (501) to the
 * client, never a silent empty answer. */
static omk_rc unsupported(const char *what)
{
    omk_log_error("postgresql", "%s is not supported on PostgreSQL yet (issue 20); use SQLite "
                                "for this function", what);
    return OMK_UNSUPPORTED;
}

/* ---- connections ---- */

static void forget_statements(conn *c)
{
    for (int i = 0; i < PREP_SLOTS; i++) {
        free(c->preps[i].sql);
        c->preps[i].sql = NULL;
    }
    c->nprep = 0;
}

/* Runs a statement without parameters and results (simple protocol). */
static omk_rc simple(conn *c, const char *sql)
{
    PGresult *res = PQexec(c->pg, sql);
    omk_rc rc = check(c, &res, sql);
    PQclear(res);
    return rc;
}

static omk_rc session_setup(conn *c)
{
    if (PQsetClientEncoding(c->pg, "UTF8") != 0)
        return OMK_IO;
    /* The writer's COMMIT must wait for the WAL flush whatever the database's default is: an
     * acknowledged write is committed. Readers need no durability. */
    return simple(c, c->writer ? "SET synchronous_commit = on; SET application_name = "
                                 "'omnikanaal-schrijver'"
                               : "SET application_name = 'omnikanaal-lezer'");
}

static omk_rc be_connect(const char *url, bool writer, void **out)
{
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return OMK_NOMEM;
    c->writer = writer;
    c->pg = PQconnectdb(url);
    omk_rc rc = OMK_OK;
    if (!c->pg) {
        rc = OMK_NOMEM;
    } else if (PQstatus(c->pg) != CONNECTION_OK) {
        /* libpq's message names host and database, never the password. */
        omk_log_error("postgresql", "cannot connect: %s", PQerrorMessage(c->pg));
        rc = OMK_UNAVAILABLE;
    } else {
        rc = session_setup(c);
    }
    if (rc) {
        PQfinish(c->pg);
        free(c);
        return rc;
    }
    *out = c;
    return OMK_OK;
}

static void be_disconnect(void *cv)
{
    conn *c = cv;
    forget_statements(c);
    PQfinish(c->pg);
    free(c);
}

/* A lost connection is opened again before the next transaction (a restarted or failed-over
 * server); its prepared statements went with it. */
static omk_rc reconnect_if_lost(conn *c)
{
    if (PQstatus(c->pg) == CONNECTION_OK && !c->lost)
        return OMK_OK;
    c->lost = true;
    forget_statements(c);
    c->in_tx = false;
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        snprintf(c->err, sizeof c->err, "%s", PQerrorMessage(c->pg));
        return OMK_UNAVAILABLE;
    }
    omk_rc rc = session_setup(c);
    if (!rc) {
        c->lost = false;
        omk_log_info("postgresql", "connection restored");
    }
    return rc;
}

static const char *be_errmsg(void *cv)
{
    return ((conn *)cv)->err;
}

/* The store's transaction words (store_int.h) in PostgreSQL's terms. */
static omk_rc be_exec(void *cv, const char *sql)
{
    conn *c = cv;
    const char *pg = sql;
    bool begin = strncmp(sql, "BEGIN", 5) == 0;
    if (begin) {
        omk_rc rc = reconnect_if_lost(c);
        if (rc)
            return rc;
        pg = c->writer ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    } else if (strcmp(sql, "COMMIT TRANSACTION") == 0) {
        pg = "COMMIT";
    } else if (strcmp(sql, "ROLLBACK TRANSACTION") == 0) {
        pg = "ROLLBACK";
    }
    PGresult *res = PQexec(c->pg, pg);
    omk_rc rc = check(c, &res, pg);
    /* A connection cut while idle (the server restarted) shows only when used: BEGIN has done
     * nothing yet, so it is tried once more on a new connection. */
    if (begin && rc && c->lost && reconnect_if_lost(c) == OMK_OK) {
        res = PQexec(c->pg, pg);
        rc = check(c, &res, pg);
    }
    /* COMMIT of a transaction that failed earlier is a rollback without an error. */
    if (!rc && strcmp(pg, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        snprintf(c->err, sizeof c->err, "the transaction had failed and was rolled back");
        rc = OMK_IO;
    }
    PQclear(res);
    if (begin && !rc)
        c->in_tx = true;
    else if (strcmp(pg, "COMMIT") == 0 || strcmp(pg, "ROLLBACK") == 0)
        c->in_tx = false;
    return rc;
}

/* Nothing on disk to watch here: the server is the storage. While the writer's connection is
 * lost the group is refused before it starts (503); any thread (it reads one flag). */
static omk_rc be_storage(void *cv, uint64_t min_free, char *why, size_t cap)
{
    (void)min_free;
    conn *c = cv;
    if (!c->lost)
        return OMK_OK;
    snprintf(why, cap, "De database is niet bereikbaar.");
    return OMK_UNAVAILABLE;
}

/* On the writer thread before each group and once a second while idle (store.c): a lost
 * connection is opened again here, so writes resume when the server is back. Put
 * connect_timeout in the URL where the server may be unreachable (this holds the queue). */
static void be_notice_others(void *cv)
{
    conn *c = cv;
    if (c->lost || PQstatus(c->pg) != CONNECTION_OK)
        (void)reconnect_if_lost(c);
}

/* ---- statements ---- */

static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The statement text with SQLite's '?' placeholders numbered $1, $2 … (outside literals). */
static omk_rc number_params(const char *in, omk_buf *out)
{
    int k = 0;
    bool quoted = false;
    for (const char *p = in; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (*p == '?' && !quoted)
            omk_buf_printf(out, "$%d", ++k);
        else
            omk_buf_putc(out, *p);
    }
    return out->rc;
}

/* The name of sql's prepared statement on this connection, preparing it on first use; ""
 * when the cache is full (the caller runs it unnamed). */
static omk_rc prepared(conn *c, const char *sql, char name[16])
{
    unsigned h = hash_sql(sql);
    prep *slot = NULL;
    for (unsigned k = 0; k < 16; k++) {
        prep *e = &c->preps[(h + k) % PREP_SLOTS];
        if (e->sql && strcmp(e->sql, sql) == 0) {
            snprintf(name, 16, "omk%d", e->id);
            return OMK_OK;
        }
        if (!e->sql) {
            slot = e;
            break;
        }
    }
    omk_buf pg;
    omk_buf_init(&pg, SQL_MAX);
    omk_rc rc = number_params(sql, &pg);
    if (rc) {
        omk_buf_release(&pg);
        return rc;
    }
    if (!slot) {
        name[0] = 0;
        PGresult *res = PQprepare(c->pg, "", pg.p, 0, NULL);
        rc = check(c, &res, pg.p);
        PQclear(res);
        omk_buf_release(&pg);
        return rc;
    }
    int id = ++c->next_id;
    snprintf(name, 16, "omk%d", id);
    PGresult *res = PQprepare(c->pg, name, pg.p, 0, NULL);
    rc = check(c, &res, pg.p);
    PQclear(res);
    omk_buf_release(&pg);
    if (rc)
        return rc;
    slot->sql = strdup(sql);
    if (!slot->sql)
        return OMK_NOMEM;
    slot->id = id;
    c->nprep++;
    return OMK_OK;
}

/* Runs sql ('?' placeholders) with the parameters b; *out gets the result (caller PQclears). */
static omk_rc run(conn *c, const char *sql, const binds *b, PGresult **out)
{
    *out = NULL;
    if (b && b->overflow)
        return OMK_TOOBIG;
    char name[16];
    omk_rc rc = prepared(c, sql, name);
    if (rc)
        return rc;
    int n = b ? b->n : 0;
    const char *vals[MAX_BINDS];
    /* Text parameters must be NUL-terminated: copied into one buffer. */
    omk_buf tmp;
    omk_buf_init(&tmp, 1u << 30);
    size_t at[MAX_BINDS];
    for (int i = 0; i < n; i++) {
        const omk_value *v = &b->v[i];
        at[i] = tmp.n;
        if (v->t == OMK_V_INT)
            omk_buf_printf(&tmp, "%lld", (long long)v->i);
        else if (v->t == OMK_V_TEXT)
            omk_buf_append(&tmp, v->s ? v->s : "", v->s ? v->n : 0);
        omk_buf_putc(&tmp, 0);
    }
    if (tmp.rc) {
        omk_buf_release(&tmp);
        return tmp.rc;
    }
    for (int i = 0; i < n; i++)
        vals[i] = b->v[i].t == OMK_V_NULL ? NULL : tmp.p + at[i];
    PGresult *res = PQexecPrepared(c->pg, name, n, vals, NULL, NULL, 0);
    omk_buf_release(&tmp);
    rc = check(c, &res, sql);
    *out = res;
    return rc;
}

omk_rc omk__pg_run(void *c, const char *sql, const omk__pg_binds *b, PGresult **out)
{
    return run(c, sql, b, out);
}

/* Like run, for a change on the writer: in a savepoint of its own, so a failure (a conflict
 * the caller handles) does not abort the group's transaction as PostgreSQL would. */
static omk_rc run_write(conn *c, const char *sql, const binds *b, PGresult **out)
{
    if (!c->writer || !c->in_tx)
        return run(c, sql, b, out);
    omk_rc rc = simple(c, "SAVEPOINT omk_stmt");
    if (rc)
        return rc;
    rc = run(c, sql, b, out);
    if (rc && simple(c, "ROLLBACK TO SAVEPOINT omk_stmt"))
        return OMK_IO;
    omk_rc rel = simple(c, "RELEASE SAVEPOINT omk_stmt");
    return rc ? rc : rel;
}

/* Rows changed by a write. */
static long long changes(PGresult *res)
{
    const char *t = res ? PQcmdTuples(res) : "";
    return *t ? strtoll(t, NULL, 10) : 0;
}

/* ---- rows ---- */

static bool stored(const omk_field *f)
{
    return f->column && f->type != OMK_F_REVERSE && f->type != OMK_F_COMPUTED;
}

/* Every row query selects id, uuid, the child mask, then the stored fields from FIELD_COL.
 * The mask only on read connections, whose transaction is a snapshot in which it agrees with
 * the child tables (as in sqlite.c). */
enum { MASK_COL = 2, FIELD_COL = 3 };

static void select_columns(const conn *c, omk_buf *sql, const omk_resource *r)
{
    omk_buf_puts(sql, "SELECT t0.id, t0.uuid, ");
    bool mask = !c->writer && omk__sqlite_has_child_mask(r->table);
    omk_buf_puts(sql, mask ? "t0.child_mask" : "NULL");
    for (size_t i = 0; i < r->nfields; i++) {
        if (stored(&r->fields[i])) {
            omk_buf_puts(sql, ", t0.");
            omk_buf_puts(sql, r->fields[i].column);
        }
    }
    omk_buf_puts(sql, " FROM ");
    omk_buf_puts(sql, r->table);
    omk_buf_puts(sql, " t0");
}

static bool int_type(Oid t)
{
    return t == INT8_OID || t == INT4_OID || t == INT2_OID;
}

static omk_rc read_row(PGresult *res, int i, const omk_resource *r, omk_arena *a, omk_row *row)
{
    row->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    const char *u = PQgetvalue(res, i, 1);
    size_t un = (size_t)PQgetlength(res, i, 1);
    if (un >= sizeof row->uuid)
        un = sizeof row->uuid - 1;
    memcpy(row->uuid, u, un);
    row->uuid[un] = 0;
    if (!PQgetisnull(res, i, MASK_COL))
        row->childless = ~(uint64_t)strtoll(PQgetvalue(res, i, MASK_COL), NULL, 10);
    int col = FIELD_COL;
    for (size_t f = 0; f < r->nfields; f++) {
        if (!stored(&r->fields[f]))
            continue;
        omk_value *v = &row->v[f];
        if (PQgetisnull(res, i, col)) {
            v->t = OMK_V_NULL;
        } else if (int_type(PQftype(res, col))) {
            v->t = OMK_V_INT;
            v->i = strtoll(PQgetvalue(res, i, col), NULL, 10);
        } else {
            v->n = (size_t)PQgetlength(res, i, col);
            v->s = omk_arena_strndup(a, PQgetvalue(res, i, col), v->n);
            if (!v->s)
                return OMK_NOMEM;
            v->t = OMK_V_TEXT;
        }
        col++;
    }
    return OMK_OK;
}

static omk_rc read_rows(PGresult *res, const omk_resource *r, omk_arena *a, omk_rowset *out)
{
    int n = PQntuples(res);
    out->n = 0;
    out->rows = omk_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out->rows);
    if (!out->rows)
        return OMK_NOMEM;
    for (int i = 0; i < n; i++) {
        omk_row *row = omk_row_new(r, a);
        if (!row)
            return OMK_NOMEM;
        omk_rc rc = read_row(res, i, r, a, row);
        if (rc)
            return rc;
        out->rows[out->n++] = *row;
    }
    return OMK_OK;
}

/* Runs a row query and reads every row. */
static omk_rc query_rows(conn *c, const omk_buf *sql, const binds *b, const omk_resource *r,
                         omk_arena *a, omk_rowset *out)
{
    out->n = 0;
    out->rows = NULL;
    if (sql->rc)
        return sql->rc;
    PGresult *res = NULL;
    omk_rc rc = run(c, sql->p, b, &res);
    if (!rc)
        rc = read_rows(res, r, a, out);
    PQclear(res);
    return rc;
}

static omk_rc be_get(void *cv, const omk_resource *r, const char *uuid, omk_arena *a,
                     omk_row **out)
{
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    select_columns(cv, &sql, r);
    omk_buf_puts(&sql, " WHERE t0.uuid = ?");
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    omk_rowset set;
    omk_rc rc = query_rows(cv, &sql, &b, r, a, &set);
    omk_buf_release(&sql);
    if (!rc && set.n == 0)
        rc = OMK_NOTFOUND;
    if (!rc)
        *out = &set.rows[0];
    return rc;
}

/* ---- list filters (as sqlite.c renders them, in PostgreSQL's words) ---- */

static const omk_field *find_field(const omk_resource *r, const char *name, size_t n)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strlen(r->fields[i].json) == n && memcmp(r->fields[i].json, name, n) == 0)
            return &r->fields[i];
    return NULL;
}

/* A filter value in the final field's stored type (as sqlite.c's typed). */
static omk_value typed(const omk_field *f, const char *value)
{
    omk_value v = text_value(value);
    if (!f)
        return v;
    if (f->type == OMK_F_BOOL) {
        v = int_value(strcmp(value, "true") == 0 || strcmp(value, "True") == 0 ||
                      strcmp(value, "1") == 0);
    } else if (f->type == OMK_F_INT) {
        int64_t i = 0;
        if (omk_parse_uint(value, v.n, &i))
            v = int_value(i);
    } else if (f->type == OMK_F_DATETIME) {
        int64_t us = 0;
        if (omk_time_parse(value, v.n, &us))
            v = int_value(us);
    }
    return v;
}

/* Compares column `col` of alias t<depth> with value v: "= ?" binds it, so a text that is no
 * number cannot reach an integer column (SQLite compares it as unequal; PostgreSQL would
 * refuse the statement): such a comparison is rendered false. */
static void render_cmp(omk_buf *sql, binds *b, const omk_field *f, int depth, const char *col,
                       const char *op, omk_value v)
{
    bool int_col = f && (f->type == OMK_F_BOOL || f->type == OMK_F_INT ||
                         f->type == OMK_F_DATETIME);
    if (int_col && v.t != OMK_V_INT) {
        omk_buf_puts(sql, "false");
        return;
    }
    omk_buf_printf(sql, "t%d.%s %s ?", depth, col, op);
    bind_push(b, v);
}

static const char *last_segment(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && url[s - 1] != '/')
        s--;
    return url + s;
}

static omk_rc render_final(omk_buf *sql, binds *b, const omk_resource *r, int depth,
                           const char *name, size_t n, omk_fop op, const char *value,
                           omk_arena *a)
{
    const omk_field *f = NULL;
    const char *col = "uuid";
    if (op == OMK_OP_EXISTS) {
        omk_buf_puts(sql, "true");
        return OMK_OK;
    }
    if (!(n == 4 && memcmp(name, "uuid", 4) == 0)) {
        f = find_field(r, name, n);
        if (!f || !stored(f))
            return OMK_INTERNAL;
        col = f->column;
    }
    switch (op) {
    case OMK_OP_EQ:
        render_cmp(sql, b, f, depth, col, "=", typed(f, value));
        break;
    case OMK_OP_UUID_URL:
        omk_buf_printf(sql, "t%d.%s = ?", depth, col);
        bind_push(b, text_value(last_segment(value)));
        break;
    case OMK_OP_ICONTAINS: {
        size_t vn = strlen(value);
        char *pat = omk_arena_alloc(a, 2 * vn + 3);
        if (!pat)
            return OMK_NOMEM;
        size_t k = 0;
        pat[k++] = '%';
        for (size_t i = 0; i < vn; i++) {
            if (value[i] == '%' || value[i] == '_' || value[i] == '\\')
                pat[k++] = '\\';
            pat[k++] = value[i];
        }
        pat[k++] = '%';
        pat[k] = 0;
        /* SQLite's LIKE folds ASCII letters only; ILIKE folds all (documented difference). */
        omk_buf_printf(sql, "t%d.%s ILIKE ? ESCAPE '\\'", depth, col);
        bind_push(b, text_value(pat));
        break;
    }
    case OMK_OP_NOTNULL:
        omk_buf_printf(sql, "t%d.%s IS %s", depth, col,
                       strcmp(value, "true") == 0 ? "NOT NULL" : "NULL");
        break;
    case OMK_OP_GT:
    case OMK_OP_GTE:
    case OMK_OP_LT:
    case OMK_OP_LTE: {
        static const char *const ops[] = {">", ">=", "<", "<="};
        render_cmp(sql, b, f, depth, col, ops[op - OMK_OP_GT], typed(f, value));
        break;
    }
    case OMK_OP_EXISTS:
        omk_buf_puts(sql, "true");
        break;
    case OMK_OP_GTE_OR_NULL:
    case OMK_OP_LTE_OR_NULL:
        omk_buf_printf(sql, "(t%d.%s IS NULL OR ", depth, col);
        render_cmp(sql, b, f, depth, col, op == OMK_OP_GTE_OR_NULL ? ">=" : "<=",
                   typed(f, value));
        omk_buf_putc(sql, ')');
        break;
    case OMK_OP_NONE:
        return OMK_INTERNAL;
    case OMK_OP_IN: {
        omk_buf_puts(sql, "(false");
        const char *v = value;
        for (int k = 0; k < 32; k++) {
            const char *comma = strchr(v, ',');
            size_t len = comma ? (size_t)(comma - v) : strlen(v);
            char *item = omk_arena_strndup(a, v, len);
            if (!item)
                return OMK_NOMEM;
            omk_buf_puts(sql, " OR ");
            render_cmp(sql, b, f, depth, col, "=", typed(f, item));
            if (!comma)
                break;
            v = comma + 1;
        }
        omk_buf_putc(sql, ')');
        break;
    }
    }
    return OMK_OK;
}

static omk_rc render_path(omk_buf *sql, binds *b, const omk_resource *r, int depth,
                          const char *path, omk_fop op, const char *value, omk_arena *a)
{
    const char *slash = strchr(path, '/');
    if (!slash && op != OMK_OP_EXISTS)
        return render_final(sql, b, r, depth, path, strlen(path), op, value, a);
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    const omk_field *f = find_field(r, path, n);
    if (!f || !f->target ||
        (f->type != OMK_F_REF && f->type != OMK_F_REVERSE && f->type != OMK_F_REFLIST) ||
        depth > 6)
        return OMK_INTERNAL;
    int d = depth + 1;
    if (f->type == OMK_F_REFLIST)
        omk_buf_printf(sql,
                       "t%d.uuid IN (SELECT l%d.%s FROM %s l%d JOIN %s t%d ON t%d.uuid = l%d.%s "
                       "WHERE true",
                       depth, d, f->link_own, f->link_table, d, f->target->table, d, d, d,
                       f->link_other);
    else if (f->type == OMK_F_REF)
        omk_buf_printf(sql, "t%d.%s IN (SELECT t%d.uuid FROM %s t%d WHERE true", depth,
                       f->column, d, f->target->table, d);
    else
        omk_buf_printf(sql, "t%d.uuid IN (SELECT t%d.%s FROM %s t%d WHERE true", depth, d,
                       f->via, f->target->table, d);
    omk_buf_puts(sql, " AND ");
    omk_rc rc = slash ? render_path(sql, b, f->target, d, slash + 1, op, value, a)
                      : render_final(sql, b, f->target, d, "", 0, OMK_OP_EXISTS, value, a);
    omk_buf_putc(sql, ')');
    return rc;
}

/* "col = ?", or "col IS NULL" for a NULL value (SQLite's "IS ?" does both; PostgreSQL's
 * IS NOT DISTINCT FROM would not use an index). */
static void render_is(omk_buf *sql, binds *b, const char *prefix, const char *col, omk_value v)
{
    if (v.t == OMK_V_NULL) {
        omk_buf_printf(sql, "%s%s IS NULL", prefix, col);
        return;
    }
    omk_buf_printf(sql, "%s%s = ?", prefix, col);
    bind_push(b, v);
}

static omk_rc render_where(omk_buf *sql, binds *b, const omk_resource *r, const omk_query *q,
                           omk_arena *a)
{
    bool first = true;
    for (size_t i = 0; q && i < q->nconds; i++) {
        omk_buf_puts(sql, first ? " WHERE " : " AND ");
        first = false;
        render_is(sql, b, "t0.", q->conds[i].column, q->conds[i].v);
    }
    for (size_t i = 0; q && i < q->nfilters; i++) {
        const omk_filter *f = q->filters[i].f;
        const char *value = q->filters[i].value;
        omk_buf_puts(sql, first ? " WHERE " : " AND ");
        first = false;
        bool negate = f->op == OMK_OP_EXISTS && strcmp(value, "true") != 0;
        if (negate)
            omk_buf_puts(sql, "NOT ");
        omk_buf_puts(sql, f->op == OMK_OP_NONE ? "NOT COALESCE((" : "(");
        omk_rc rc = render_path(sql, b, r, 0, f->path,
                                f->op == OMK_OP_NONE ? OMK_OP_EQ : f->op, value, a);
        if (rc)
            return rc;
        omk_buf_puts(sql, f->op == OMK_OP_NONE ? "), false)" : ")");
    }
    return b->overflow ? OMK_TOOBIG : OMK_OK;
}

static omk_rc be_list(void *cv, const omk_resource *r, const omk_query *q, omk_arena *a,
                      omk_rowset *out, long long *count)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf where, sql;
    omk_buf_init(&where, SQL_MAX);
    omk_buf_init(&sql, SQL_MAX);
    out->n = 0;
    out->rows = NULL;
    omk_rc rc = render_where(&where, &b, r, q, a);
    omk_buf_puts(&where, "");
    if (!rc)
        rc = where.rc;
    if (!rc && count) {
        /* No count cache yet: every list counts in its own snapshot. */
        omk_buf_printf(&sql, "SELECT count(*) FROM %s t0%s", r->table, where.p);
        PGresult *res = NULL;
        rc = sql.rc ? sql.rc : run(c, sql.p, &b, &res);
        if (!rc)
            *count = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
        PQclear(res);
        sql.n = 0;
        if (sql.p)
            sql.p[0] = 0;
    }
    if (rc)
        goto out;
    select_columns(cv, &sql, r);
    omk_buf_puts(&sql, where.p);
    /* SQLite puts NULLs first in ascending order and last in descending; PostgreSQL the
     * other way round unless told. */
    const char *dir = r->order_ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST";
    if (r->order_column)
        omk_buf_printf(&sql, " ORDER BY t0.%s %s, t0.id %s", r->order_column, dir, dir);
    else
        omk_buf_printf(&sql, " ORDER BY t0.id %s", dir);
    omk_buf_puts(&sql, " LIMIT ? OFFSET ?");
    bind_push(&b, q && q->limit > 0 ? int_value(q->limit) : (omk_value){.t = OMK_V_NULL});
    bind_push(&b, int_value(q ? q->offset : 0));
    rc = query_rows(c, &sql, &b, r, a, out);
out:
    omk_buf_release(&where);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_children(void *cv, const omk_resource *child, const char *via,
                          const char *uuid, omk_arena *a, omk_rowset *out)
{
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    select_columns(cv, &sql, child);
    omk_buf_printf(&sql, " WHERE t0.%s = ? ORDER BY t0.id", via);
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    omk_rc rc = query_rows(cv, &sql, &b, child, a, out);
    omk_buf_release(&sql);
    return rc;
}

/* Column 0 of every row of res as strings in a. */
static omk_rc strings_of(PGresult *res, int col, omk_arena *a, const char ***out, size_t *n)
{
    int rows = PQntuples(res);
    const char **list = omk_arena_alloc(a, (size_t)(rows ? rows : 1) * sizeof *list);
    if (!list)
        return OMK_NOMEM;
    for (int i = 0; i < rows; i++) {
        list[i] = omk_arena_strdup(a, PQgetvalue(res, i, col));
        if (!list[i])
            return OMK_NOMEM;
    }
    *out = list;
    *n = (size_t)rows;
    return OMK_OK;
}

static omk_rc be_child_uuids(void *cv, const omk_resource *child, const char *via,
                             const char *uuid, omk_arena *a, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT uuid FROM %s WHERE %s = ? ORDER BY id", child->table, via);
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    PGresult *res = NULL;
    omk_rc rc = run(cv, sql, &b, &res);
    if (!rc)
        rc = strings_of(res, 0, a, out, n);
    PQclear(res);
    return rc;
}

/* A text[] literal of vals[0..n): every element quoted, '"' and '\' escaped. One parameter
 * for a whole page, where SQLite takes one parameter per row. */
static omk_value array_literal(const char *const *vals, size_t n, omk_arena *a)
{
    size_t len = 3;
    for (size_t i = 0; i < n; i++)
        len += 2 * strlen(vals[i]) + 3;
    char *s = omk_arena_alloc(a, len);
    if (!s)
        return (omk_value){.t = OMK_V_NULL};
    size_t k = 0;
    s[k++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (i)
            s[k++] = ',';
        s[k++] = '"';
        for (const char *p = vals[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                s[k++] = '\\';
            s[k++] = *p;
        }
        s[k++] = '"';
    }
    s[k++] = '}';
    s[k] = 0;
    return (omk_value){.t = OMK_V_TEXT, .s = s, .n = k};
}

/* True when column names a partij the rows of r are about (as in sqlite.c). */
static bool subject_column(const omk_resource *r, const char *column)
{
    for (size_t p = 0; r->subjects && p < OMK_SUBJECT_PATHS; p++) {
        const omk_subject_path *sp = &r->subjects->paths[p];
        if (sp->column && !sp->via_table && strcmp(sp->column, column) == 0)
            return true;
    }
    return false;
}

static void select_refs(omk_buf *sql, const omk_resource *r, const char *via)
{
    omk_buf_puts(sql, "SELECT t0.id, t0.uuid, NULL");
    for (size_t i = 0; i < r->nfields; i++) {
        if (!stored(&r->fields[i]))
            continue;
        const char *col = r->fields[i].column;
        if (strcmp(col, via) == 0 || subject_column(r, col))
            omk_buf_printf(sql, ", t0.%s", col);
        else
            omk_buf_puts(sql, ", NULL");
    }
    omk_buf_printf(sql, " FROM %s t0", r->table);
}

static omk_rc be_children_in(void *cv, const omk_resource *child, const char *via,
                             const char *const *uuids, size_t n, bool refs_only, omk_arena *a,
                             omk_rowset *out)
{
    out->n = 0;
    out->rows = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    if (refs_only)
        select_refs(&sql, child, via);
    else
        select_columns(cv, &sql, child);
    omk_buf_printf(&sql, " WHERE t0.%s = ANY (?)", via);
    binds b = {.n = 0};
    bind_push(&b, array_literal(uuids, n, a));
    omk_rc rc = b.v[0].t == OMK_V_NULL ? OMK_NOMEM : query_rows(cv, &sql, &b, child, a, out);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_linked(void *cv, const omk_field *f, const char *uuid, omk_arena *a,
                        omk_rowset *out)
{
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    select_columns(cv, &sql, f->target);
    omk_buf_printf(&sql, " JOIN %s l ON l.%s = t0.uuid WHERE l.%s = ? ORDER BY l.id",
                   f->link_table, f->link_other, f->link_own);
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    omk_rc rc = query_rows(cv, &sql, &b, f->target, a, out);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_linked_in(void *cv, const omk_field *f, const char *const *uuids, size_t n,
                           omk_arena *a, omk_rowset *out, const char ***owners,
                           int64_t **link_ids)
{
    out->n = 0;
    out->rows = NULL;
    *owners = NULL;
    *link_ids = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    int ncols = FIELD_COL;
    for (size_t i = 0; i < f->target->nfields; i++)
        ncols += stored(&f->target->fields[i]);
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    select_columns(cv, &sql, f->target);
    char *from = strstr(sql.p ? sql.p : "", " FROM ");
    omk_rc rc = from ? OMK_OK : OMK_INTERNAL;
    if (!rc) {
        *from = 0;
        sql.n = (size_t)(from - sql.p);
        omk_buf_printf(&sql, ", l.%s, l.id FROM %s t0 JOIN %s l ON l.%s = t0.uuid"
                             " WHERE l.%s = ANY (?)",
                       f->link_own, f->target->table, f->link_table, f->link_other, f->link_own);
    }
    binds b = {.n = 0};
    bind_push(&b, array_literal(uuids, n, a));
    PGresult *res = NULL;
    if (!rc)
        rc = b.v[0].t == OMK_V_NULL ? OMK_NOMEM : sql.rc ? sql.rc : run(cv, sql.p, &b, &res);
    if (!rc)
        rc = read_rows(res, f->target, a, out);
    size_t rows = out->n;
    if (!rc) {
        *owners = omk_arena_alloc(a, (rows + 1) * sizeof **owners);
        *link_ids = omk_arena_alloc(a, (rows + 1) * sizeof **link_ids);
        if (!*owners || !*link_ids)
            rc = OMK_NOMEM;
    }
    for (size_t i = 0; !rc && i < rows; i++) {
        (*owners)[i] = omk_arena_strdup(a, PQgetvalue(res, (int)i, ncols));
        (*link_ids)[i] = strtoll(PQgetvalue(res, (int)i, ncols + 1), NULL, 10);
        if (!(*owners)[i])
            rc = OMK_NOMEM;
    }
    PQclear(res);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_link_set(void *cv, const omk_field *f, const char *uuid,
                          const char *const *uuids, size_t n)
{
    conn *c = cv;
    char sql[256];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", f->link_table, f->link_own);
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    PGresult *res = NULL;
    omk_rc rc = run_write(c, sql, &b, &res);
    PQclear(res);
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s, %s) VALUES (?, ?)", f->link_table,
             f->link_own, f->link_other);
    for (size_t i = 0; i < n && !rc; i++) {
        b.n = 1;
        bind_push(&b, text_value(uuids[i]));
        rc = run_write(c, sql, &b, &res);
        PQclear(res);
    }
    return rc;
}

static void render_conds(omk_buf *sql, binds *b, const omk_cond *cs, size_t n,
                         const char *except_uuid)
{
    omk_buf_puts(sql, " WHERE true");
    for (size_t i = 0; i < n; i++)
        render_is(sql, b, " AND ", cs[i].column, cs[i].v);
    if (except_uuid) {
        omk_buf_puts(sql, " AND uuid <> ?");
        bind_push(b, text_value(except_uuid));
    }
}

static omk_rc be_exists(void *cv, const omk_resource *r, const omk_cond *cs, size_t n,
                        const char *except_uuid, bool *found)
{
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "SELECT 1 FROM %s", r->table);
    render_conds(&sql, &b, cs, n, except_uuid);
    omk_buf_puts(&sql, " LIMIT 1");
    PGresult *res = NULL;
    omk_rc rc = sql.rc ? sql.rc : run(cv, sql.p, &b, &res);
    if (!rc)
        *found = PQntuples(res) > 0;
    PQclear(res);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_insert(void *cv, const omk_resource *r, omk_row *row)
{
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    bind_push(&b, text_value(row->uuid));
    omk_buf_printf(&sql, "INSERT INTO %s (uuid", r->table);
    for (size_t i = 0; i < r->nfields; i++)
        if (stored(&r->fields[i])) {
            bind_push(&b, row->v[i]);
            omk_buf_printf(&sql, ", %s", r->fields[i].column);
        }
    omk_buf_puts(&sql, ") VALUES (?");
    for (int i = 1; i < b.n; i++)
        omk_buf_puts(&sql, ", ?");
    omk_buf_puts(&sql, ") RETURNING id");
    PGresult *res = NULL;
    omk_rc rc = sql.rc ? sql.rc : run_write(cv, sql.p, &b, &res);
    if (!rc && PQntuples(res) == 1)
        row->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_update(void *cv, const omk_resource *r, const omk_row *row)
{
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "UPDATE %s SET ", r->table);
    bool first = true;
    for (size_t i = 0; i < r->nfields; i++)
        if (stored(&r->fields[i])) {
            omk_buf_printf(&sql, "%s%s = ?", first ? "" : ", ", r->fields[i].column);
            bind_push(&b, row->v[i]);
            first = false;
        }
    omk_buf_puts(&sql, " WHERE uuid = ?");
    bind_push(&b, text_value(row->uuid));
    PGresult *res = NULL;
    omk_rc rc = sql.rc ? sql.rc : run_write(cv, sql.p, &b, &res);
    if (!rc && changes(res) == 0)
        rc = OMK_NOTFOUND;
    PQclear(res);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_del(void *cv, const omk_resource *r, const char *uuid)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE uuid = ?", r->table);
    binds b = {.n = 0};
    bind_push(&b, text_value(uuid));
    PGresult *res = NULL;
    omk_rc rc = run_write(cv, sql, &b, &res);
    if (!rc && changes(res) == 0)
        rc = OMK_NOTFOUND;
    PQclear(res);
    return rc;
}

static omk_rc be_set_where(void *cv, const omk_resource *r, const char *column, omk_value v,
                           const omk_cond *cs, size_t n, const char *except_uuid)
{
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "UPDATE %s SET %s = ?", r->table, column);
    bind_push(&b, v);
    render_conds(&sql, &b, cs, n, except_uuid);
    PGresult *res = NULL;
    omk_rc rc = sql.rc ? sql.rc : run_write(cv, sql.p, &b, &res);
    PQclear(res);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_column_in(void *cv, const char *table, const char *match, const char *col,
                           const char *const *vals, size_t n, omk_arena *a,
                           const char ***matches, const char ***values, size_t *count)
{
    *count = 0;
    *matches = *values = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s WHERE %s = ANY (?) AND %s IS NOT NULL",
             match, col, table, match, col);
    binds b = {.n = 0};
    bind_push(&b, array_literal(vals, n, a));
    if (b.v[0].t == OMK_V_NULL)
        return OMK_NOMEM;
    PGresult *res = NULL;
    omk_rc rc = run(cv, sql, &b, &res);
    size_t k = 0;
    if (!rc)
        rc = strings_of(res, 0, a, matches, count);
    if (!rc)
        rc = strings_of(res, 1, a, values, &k);
    PQclear(res);
    return rc;
}

/* The relation marks are declared once (sqlite_schema.c's CHILD_RELATIONS); pg_schema.c
 * makes the same columns and triggers. */
static int be_relation_bit(const omk_resource *r, const omk_field *f)
{
    if (f->type == OMK_F_REFLIST)
        return omk__sqlite_child_bit(r->table, f->link_table, f->link_own);
    if (f->type == OMK_F_REVERSE && f->target && f->via)
        return omk__sqlite_child_bit(r->table, f->target->table, f->via);
    return -1;
}

/* ---- schema ---- */

static omk_rc be_schema_version(void *cv, int *out)
{
    conn *c = cv;
    *out = 0;
    PGresult *res = NULL;
    omk_rc rc = run(c, "SELECT to_regclass('omk_schema') IS NOT NULL", NULL, &res);
    bool exists = !rc && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (rc || !exists)
        return rc; /* a database without our schema: version 0 */
    rc = run(c, "SELECT versie FROM omk_schema", NULL, &res);
    if (!rc && PQntuples(res) > 0)
        *out = (int)strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

/* Brings the schema from version v to `next` in one transaction. */
static omk_rc migrate_to(conn *c, int next)
{
    omk_buf buf;
    omk_buf_init(&buf, 1 << 20);
    omk_rc rc = omk__pg_migration(next, &buf);
    if (rc) {
        omk_buf_release(&buf);
        return rc;
    }
    const char *sql = buf.p;
    char mark[128];
    snprintf(mark, sizeof mark, "UPDATE omk_schema SET versie = %d", next);
    rc = simple(c, "BEGIN");
    if (!rc && next == omk__pg_schema_baseline())
        rc = simple(c, "CREATE TABLE omk_schema (id integer PRIMARY KEY CHECK (id = 1),"
                       " versie integer NOT NULL); INSERT INTO omk_schema VALUES (1, 0)");
    if (!rc)
        rc = simple(c, sql);
    if (!rc)
        rc = simple(c, mark);
    omk_buf_release(&buf);
    if (rc) {
        (void)simple(c, "ROLLBACK");
        return rc;
    }
    return simple(c, "COMMIT");
}

static omk_rc be_migrate(void *cv, int *from, int *to)
{
    conn *c = cv;
    int latest = omk__pg_schema_latest();
    if (latest != omk__store_sqlite.schema_latest()) {
        omk_log_error("postgresql", "the PostgreSQL dialect of migrations %d..%d is missing "
                                    "(src/store/pg_schema.c): one schema history for both backends",
                      latest + 1, omk__store_sqlite.schema_latest());
        return OMK_INTERNAL;
    }
    /* Two instances starting at once: one migrates, the other waits and finds it done. */
    char lock[96];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%d)", SCHEMA_LOCK);
    omk_rc rc = simple(c, lock);
    if (rc)
        return rc;
    int v = 0;
    rc = be_schema_version(c, &v);
    if (!rc && from)
        *from = v;
    if (!rc && v > latest) {
        omk_log_error("postgresql", "database schema %d is newer than this build (%d)", v, latest);
        rc = OMK_CONFLICT;
    }
    if (!rc && v > 0 && v < omk__pg_schema_baseline()) {
        omk_log_error("postgresql", "database schema %d is older than PostgreSQL's baseline %d",
                      v, omk__pg_schema_baseline());
        rc = OMK_CONFLICT;
    }
    for (int next = v ? v + 1 : omk__pg_schema_baseline(); !rc && next <= latest; next++) {
        rc = migrate_to(c, next);
        if (!rc)
            omk_log_info("store", "migrated schema to version %d", next);
    }
    snprintf(lock, sizeof lock, "SELECT pg_advisory_unlock(%d)", SCHEMA_LOCK);
    (void)simple(c, lock);
    if (!rc && to)
        *to = latest;
    return rc;
}

/* ---- not yet on PostgreSQL: loud, never silent ---- */

static omk_rc be_partij_namen(void *cv, const char *text, int limit, omk_arena *a,
                              const char ***uuids, size_t *n)
{
    (void)cv, (void)text, (void)limit, (void)a;
    *uuids = NULL;
    *n = 0;
    return unsupported("the search of partijen by name (tsvector)");
}

static omk_rc be_synonyms_list(void *cv, omk_arena *a, omk_synonym_group **out, size_t *n)
{
    (void)cv, (void)a;
    *out = NULL;
    *n = 0;
    return unsupported("the kennisbank's synonym list");
}

static omk_rc be_synonyms_get(void *cv, const char *uuid, omk_arena *a, omk_synonym_group *out)
{
    (void)cv, (void)uuid, (void)a, (void)out;
    return unsupported("the kennisbank's synonym list");
}

static omk_rc be_synonyms_find(void *cv, const char *const *terms, size_t nterms, omk_arena *a,
                               omk_synonym_group **out, size_t *n)
{
    (void)cv, (void)terms, (void)nterms, (void)a;
    *out = NULL;
    *n = 0;
    return unsupported("the kennisbank's synonym list");
}

static omk_rc be_synonyms_put(void *cv, const omk_synonym_group *g)
{
    (void)cv, (void)g;
    return unsupported("the kennisbank's synonym list");
}

static omk_rc be_synonyms_delete(void *cv, const char *uuid)
{
    (void)cv, (void)uuid;
    return unsupported("the kennisbank's synonym list");
}

static omk_rc be_index_put(void *cv, const omk_search_index *ix, const char *uuid,
                           const char *const *values)
{
    (void)cv, (void)ix, (void)uuid, (void)values;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_index_remove(void *cv, const omk_search_index *ix, const char *uuid)
{
    (void)cv, (void)ix, (void)uuid;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_index_scan(void *cv, const omk_search_index *ix, const char *match,
                            const omk_search_cond *conds, size_t nconds, const char *const *cols,
                            size_t ncols, size_t limit, omk_arena *a, omk_search_result **out,
                            size_t *n)
{
    (void)cv, (void)ix, (void)match, (void)conds, (void)nconds, (void)cols, (void)ncols;
    (void)limit, (void)a, (void)out, (void)n;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_index_query(void *cv, const omk_search_index *ix, const char *match,
                             const omk_search_cond *conds, size_t nconds,
                             const char *const *cols, size_t ncols, int cutoff, size_t limit,
                             omk_arena *a, omk_search_result **out, size_t *n)
{
    (void)cv, (void)ix, (void)match, (void)conds, (void)nconds, (void)cols, (void)ncols;
    (void)cutoff, (void)limit, (void)a, (void)out, (void)n;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_index_mark(void *cv, const omk_search_index *ix, const char *match,
                            omk_search_result *r, size_t n, omk_arena *a)
{
    (void)cv, (void)ix, (void)match, (void)r, (void)n, (void)a;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_index_suggest(void *cv, const omk_search_index *ix, const char *text,
                               omk_arena *a, char **out)
{
    (void)cv, (void)ix, (void)text, (void)a;
    *out = NULL;
    return unsupported("full-text search (tsvector 'dutch')");
}

static omk_rc be_sturing_params(void *cv, omk_sturing_params *out)
{
    (void)cv, (void)out;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_params_set(void *cv, const omk_sturing_params *p)
{
    (void)cv, (void)p;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_rollup(void *cv, const omk_sturing_filter *f, omk_sturing_fn fn,
                                void *arg)
{
    (void)cv, (void)f, (void)fn, (void)arg;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_mix(void *cv, const omk_sturing_filter *f, bool per_klantgroep,
                             omk_sturing_mix_fn fn, void *arg)
{
    (void)cv, (void)f, (void)per_klantgroep, (void)fn, (void)arg;
    return unsupported("steering's channel mix");
}

/* Pruning the Logboek after its term (sqlite_ldv.c): not on PostgreSQL yet. */
static omk_rc be_ldv_prunable(void *cv, int64_t before_ms, omk_ldv_snoei *out)
{
    (void)cv, (void)before_ms, (void)out;
    return unsupported("pruning the Logboek");
}

static omk_rc be_ldv_prune(void *cv, int64_t tot, int64_t now_ms, omk_ldv_snoei *out)
{
    (void)cv, (void)tot, (void)now_ms, (void)out;
    return unsupported("pruning the Logboek");
}

static omk_rc be_sturing_contacten(void *cv, const omk_sturing_filter *f, int maat,
                                   int64_t waarde, long long offset, int limit, omk_arena *a,
                                   omk_sturing_contact **out, size_t *n, long long *count)
{
    (void)cv, (void)f, (void)maat, (void)waarde, (void)offset, (void)limit, (void)a;
    (void)out, (void)n, (void)count;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_wachtend(void *cv, long long *out, long long *ooit)
{
    (void)cv, (void)out, (void)ooit;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_bijwerken(void *cv, size_t max, size_t *done)
{
    (void)cv, (void)max, (void)done;
    return unsupported("steering's KPI rollups");
}

static omk_rc be_sturing_herbereken(void *cv, long long *gewijzigd)
{
    (void)cv, (void)gewijzigd;
    return unsupported("steering's KPI rollups");
}

const omk__store_backend omk__store_pg = {
    .name = "postgresql",
    .connect = be_connect,
    .disconnect = be_disconnect,
    .exec = be_exec,
    .migrate = be_migrate,
    .schema_version = be_schema_version,
    .schema_latest = omk__pg_schema_latest,
    .get = be_get,
    .list = be_list,
    .children = be_children,
    .children_in = be_children_in,
    .child_uuids = be_child_uuids,
    .partij_namen = be_partij_namen,
    .linked = be_linked,
    .linked_in = be_linked_in,
    .relation_bit = be_relation_bit,
    .link_set = be_link_set,
    .exists = be_exists,
    .insert = be_insert,
    .update = be_update,
    .del = be_del,
    .set_where = be_set_where,
    .errmsg = be_errmsg,
    .storage = be_storage,
    .notice_others = be_notice_others,
    .column_in = be_column_in,
    .ldv_add = omk__pg_ldv_add,
    .ldv_seal = omk__pg_ldv_seal,
    .ldv_rows = omk__pg_ldv_rows,
    .ldv_count = omk__pg_ldv_count,
    .ldv_get = omk__pg_ldv_get,
    .ldv_ids = omk__pg_ldv_ids,
    .ldv_verify = omk__pg_ldv_verify,
    .ldv_prunable = be_ldv_prunable,
    .ldv_prune = be_ldv_prune,
    .synonyms_list = be_synonyms_list,
    .synonyms_get = be_synonyms_get,
    .synonyms_find = be_synonyms_find,
    .synonyms_put = be_synonyms_put,
    .synonyms_delete = be_synonyms_delete,
    .index_put = be_index_put,
    .index_remove = be_index_remove,
    .index_scan = be_index_scan,
    .index_query = be_index_query,
    .index_mark = be_index_mark,
    .index_suggest = be_index_suggest,
    .sturing_params = be_sturing_params,
    .sturing_params_set = be_sturing_params_set,
    .sturing_rollup = be_sturing_rollup,
    .sturing_mix = be_sturing_mix,
    .sturing_contacten = be_sturing_contacten,
    .sturing_wachtend = be_sturing_wachtend,
    .sturing_bijwerken = be_sturing_bijwerken,
    .sturing_herbereken = be_sturing_herbereken,
};
