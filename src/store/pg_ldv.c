/* The Logboek Dataverwerkingen's storage in PostgreSQL (contract in omk/store.h, design in
 * docs/internals/logboek.md): the tables, the hash chain and the person index as sqlite_ldv.c
 * keeps them — the chain's hash and the verify digest are shared functions (store_int.h), the
 * varint format of the index is the same — on the connections pg.c lends. Ids are max + 1 on
 * the one writer, consecutive as verify requires (a row that rolls back frees its id).
 * Its statements run without a savepoint of their own: a failure fails the job or the flush,
 * whose savepoint the store rolls back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/buf.h"
#include "pg_int.h"
#include "store_int.h"

/* ---- writing ---- */

#define HASH 32
#define KEY 16

static const char LDV_INSERT[] =
    "INSERT INTO dataverwerkingen (id, trace_id, span_id, parent_span_id, naam, start_ms,"
    " eind_ms, status, verwerkingsactiviteit, rol, aanroeper, bron, aantal, betrokkenen, hash)"
    " VALUES (COALESCE(?::bigint, (SELECT COALESCE(max(id), 0) + 1 FROM dataverwerkingen)),"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, decode(?, 'hex'), decode(?, 'hex'))";

static char *hex(omk_arena *a, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = omk_arena_alloc(a, 2 * n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = 0;
    return s;
}

static bool unhex(const char *s, unsigned char *out, size_t n)
{
    /* bytea in PostgreSQL's hex output: "\x" then two digits per byte */
    if (strncmp(s, "\\x", 2) != 0 || strlen(s) != 2 + 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        if (sscanf(s + 2 + 2 * i, "%2x", &v) != 1)
            return false;
        out[i] = (unsigned char)v;
    }
    return true;
}

static omk_rc ldv_insert(void *c, const omk_ldv_row *r, const unsigned char *hash, omk_arena *a)
{
    omk__pg_binds b = {.n = 0};
    omk__pg_bind(&b, r->id ? omk__pg_int(r->id) : (omk_value){.t = OMK_V_NULL});
    const char *t1[] = {r->trace_id, r->span_id, r->parent_span_id, r->naam};
    for (int i = 0; i < 4; i++)
        omk__pg_bind(&b, omk__pg_text(t1[i]));
    omk__pg_bind(&b, omk__pg_int(r->start_ms));
    omk__pg_bind(&b, omk__pg_int(r->eind_ms));
    const char *t2[] = {r->status, r->activiteit, r->rol, r->aanroeper, r->bron};
    for (int i = 0; i < 5; i++)
        omk__pg_bind(&b, omk__pg_text(t2[i]));
    omk__pg_bind(&b, omk__pg_int((int64_t)r->n));
    char *personen = hex(a, r->personen, r->n * OMK_LDV_PERSOON);
    char *h = hash ? hex(a, hash, HASH) : NULL;
    if (!personen || (hash && !h))
        return OMK_NOMEM;
    omk__pg_bind(&b, omk__pg_text(personen));
    omk__pg_bind(&b, omk__pg_text(h));
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(c, LDV_INSERT, &b, &res);
    PQclear(res);
    return rc;
}

omk_rc omk__pg_ldv_add(void *cv, const omk_ldv_row *rows, size_t n)
{
    omk_arena *a = omk_arena_new(4096);
    if (!a)
        return OMK_NOMEM;
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        omk_ldv_row r = rows[i];
        r.id = 0; /* the next id; the seal gives it its place in the chain */
        rc = ldv_insert(cv, &r, NULL, a);
    }
    omk_arena_free(a);
    return rc;
}

/* One index row per person of the rows chained now: the first id, then the gaps (varints). */
typedef struct person {
    unsigned char key[KEY];
    int64_t *ids;
    size_t n, cap;
} person;

typedef struct persons {
    person *p;
    size_t n, cap;
} persons;

static omk_rc persons_add(persons *ps, const omk_ldv_row *r)
{
    for (size_t k = 0; k < r->n; k++) {
        const unsigned char *key = r->personen + k * OMK_LDV_PERSOON + 1;
        person *p = NULL;
        for (size_t i = 0; i < ps->n && !p; i++)
            if (memcmp(ps->p[i].key, key, KEY) == 0)
                p = &ps->p[i];
        if (!p) {
            if (ps->n == ps->cap) {
                size_t cap = ps->cap ? 2 * ps->cap : 16;
                person *bigger = realloc(ps->p, cap * sizeof *bigger);
                if (!bigger)
                    return OMK_NOMEM;
                ps->p = bigger;
                ps->cap = cap;
            }
            p = &ps->p[ps->n++];
            memset(p, 0, sizeof *p);
            memcpy(p->key, key, KEY);
        }
        if (p->n && p->ids[p->n - 1] == r->id)
            continue;
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 4;
            int64_t *bigger = realloc(p->ids, cap * sizeof *bigger);
            if (!bigger)
                return OMK_NOMEM;
            p->ids = bigger;
            p->cap = cap;
        }
        p->ids[p->n++] = r->id;
    }
    return OMK_OK;
}

static void persons_free(persons *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->p[i].ids);
    free(ps->p);
}

static omk_rc persons_write(void *c, const persons *ps, omk_arena *a)
{
    for (size_t i = 0; i < ps->n; i++) {
        const person *p = &ps->p[i];
        unsigned char *buf = omk_arena_alloc(a, p->n * 10 + 1);
        if (!buf)
            return OMK_NOMEM;
        size_t len = 0;
        for (size_t k = 1; k < p->n; k++) {
            uint64_t v = (uint64_t)(p->ids[k] - p->ids[k - 1]);
            while (v >= 0x80) {
                buf[len++] = (unsigned char)(v | 0x80);
                v >>= 7;
            }
            buf[len++] = (unsigned char)v;
        }
        omk__pg_binds b = {.n = 0};
        char *key = hex(a, p->key, KEY), *next = hex(a, buf, len);
        if (!key || !next)
            return OMK_NOMEM;
        omk__pg_bind(&b, omk__pg_text(key));
        omk__pg_bind(&b, omk__pg_int(p->ids[0]));
        omk__pg_bind(&b, omk__pg_text(next));
        PGresult *res = NULL;
        omk_rc rc = omk__pg_run(c,
                              "INSERT INTO dataverwerkingen_betrokkenen (sleutel, eerste, volgende)"
                              " VALUES (decode(?, 'hex'), ?, decode(?, 'hex'))",
                              &b, &res);
        PQclear(res);
        if (rc)
            return rc;
    }
    return OMK_OK;
}

typedef struct chain_head {
    int64_t last;
    unsigned char hash[HASH];
    long long rows, records;
} chain_head;

static omk_rc read_head(void *c, chain_head *h, bool *stored_head);

static const char *nullable(PGresult *res, int i, int col)
{
    return PQgetisnull(res, i, col) ? NULL : PQgetvalue(res, i, col);
}

/* Chains the rows the jobs added (id > the head's), in id order, into h and ps. */
static omk_rc chain_pending(void *c, chain_head *h, persons *ps, omk_arena *a)
{
    omk__pg_binds b = {.n = 0};
    omk__pg_bind(&b, omk__pg_int(h->last));
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(c,
                    "SELECT id, trace_id, span_id, parent_span_id, naam, start_ms, eind_ms,"
                    " status, verwerkingsactiviteit, rol, aanroeper, bron, aantal,"
                    " betrokkenen FROM dataverwerkingen WHERE id > ? ORDER BY id",
                    &b, &res);
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        omk_ldv_row r = {
            .id = strtoll(PQgetvalue(res, i, 0), NULL, 10),
            .trace_id = nullable(res, i, 1),
            .span_id = nullable(res, i, 2),
            .parent_span_id = nullable(res, i, 3),
            .naam = nullable(res, i, 4),
            .start_ms = strtoll(PQgetvalue(res, i, 5), NULL, 10),
            .eind_ms = strtoll(PQgetvalue(res, i, 6), NULL, 10),
            .status = nullable(res, i, 7),
            .activiteit = nullable(res, i, 8),
            .rol = nullable(res, i, 9),
            .aanroeper = nullable(res, i, 10),
            .bron = nullable(res, i, 11),
            .n = (size_t)strtoll(PQgetvalue(res, i, 12), NULL, 10),
        };
        size_t bytes = r.n * OMK_LDV_PERSOON;
        unsigned char *personen = omk_arena_alloc(a, bytes + 1);
        if (!personen || !unhex(PQgetvalue(res, i, 13), personen, bytes)) {
            rc = personen ? OMK_IO : OMK_NOMEM;
            break;
        }
        r.personen = personen;
        unsigned char hash[HASH];
        rc = omk__ldv_row_hash(h->hash, &r, hash);
        omk__pg_binds u = {.n = 0};
        char *hh = rc ? NULL : hex(a, hash, HASH);
        if (!rc && !hh)
            rc = OMK_NOMEM;
        if (rc)
            break;
        omk__pg_bind(&u, omk__pg_text(hh));
        omk__pg_bind(&u, omk__pg_int(r.id));
        PGresult *ur = NULL;
        rc = omk__pg_run(c, "UPDATE dataverwerkingen SET hash = decode(?, 'hex') WHERE id = ?", &u, &ur);
        PQclear(ur);
        if (!rc)
            rc = persons_add(ps, &r);
        memcpy(h->hash, hash, HASH);
        h->last = r.id;
        h->rows++;
        h->records += (long long)r.n;
    }
    PQclear(res);
    return rc;
}

omk_rc omk__pg_ldv_seal(void *cv, const omk_ldv_row *rows, size_t n)
{
    void *c = cv;
    chain_head h;
    bool stored_head;
    omk_rc rc = read_head(c, &h, &stored_head);
    PGresult *res = NULL;
    chain_head before = h;
    persons ps = {0};
    omk_arena *a = omk_arena_new(16384);
    if (!rc && !a)
        rc = OMK_NOMEM;
    if (!rc)
        rc = chain_pending(c, &h, &ps, a);
    for (size_t i = 0; !rc && i < n; i++) {
        omk_ldv_row r = rows[i];
        r.id = h.last + 1;
        unsigned char hash[HASH];
        rc = omk__ldv_row_hash(h.hash, &r, hash);
        if (!rc)
            rc = ldv_insert(c, &r, hash, a);
        if (!rc)
            rc = persons_add(&ps, &r);
        memcpy(h.hash, hash, HASH);
        h.last = r.id;
        h.rows++;
        h.records += (long long)r.n;
    }
    if (!rc)
        rc = persons_write(c, &ps, a);
    if (!rc && !(stored_head && h.rows == before.rows && h.last == before.last)) {
        omk__pg_binds b = {.n = 0};
        omk__pg_bind(&b, omk__pg_int(h.last));
        char *hh = hex(a, h.hash, HASH);
        omk__pg_bind(&b, omk__pg_text(hh));
        omk__pg_bind(&b, omk__pg_int(h.rows));
        omk__pg_bind(&b, omk__pg_int(h.records));
        rc = hh ? omk__pg_run(c,
                            "INSERT INTO dataverwerkingen_keten (id, laatste, hash, verwerkingen,"
                            " records) VALUES (1, ?, decode(?, 'hex'), ?, ?) ON CONFLICT (id) DO"
                            " UPDATE SET laatste = EXCLUDED.laatste, hash = EXCLUDED.hash,"
                            " verwerkingen = EXCLUDED.verwerkingen, records = EXCLUDED.records",
                            &b, &res)
                : OMK_NOMEM;
        PQclear(res);
    }
    persons_free(&ps);
    omk_arena_free(a);
    return rc;
}

/* ---- reading ---- */

#define LDV_COLUMNS                                                                            \
    "id, trace_id, span_id, parent_span_id, naam, start_ms, eind_ms, status,"                 \
    " verwerkingsactiviteit, rol, aanroeper, bron, aantal, betrokkenen, hash"
enum { L_ID, L_TRACE, L_SPAN, L_PARENT, L_NAAM, L_START, L_EIND, L_STATUS, L_ACT, L_ROL,
       L_AANROEPER, L_BRON, L_AANTAL, L_PERSONEN, L_HASH };

static const char *dup_col(PGresult *res, int i, int col, omk_arena *a)
{
    return PQgetisnull(res, i, col) ? NULL : omk_arena_strdup(a, PQgetvalue(res, i, col));
}

/* Row i of res (read with LDV_COLUMNS) as a Logboek row in a. OMK_IO when the persons do not
 * fit their count (a changed row: verify says so; readers get no row past its bytes). */
static omk_rc ldv_row_at(PGresult *res, int i, omk_arena *a, omk_ldv_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = strtoll(PQgetvalue(res, i, L_ID), NULL, 10);
    r->trace_id = dup_col(res, i, L_TRACE, a);
    r->span_id = dup_col(res, i, L_SPAN, a);
    r->parent_span_id = dup_col(res, i, L_PARENT, a);
    r->naam = dup_col(res, i, L_NAAM, a);
    r->start_ms = strtoll(PQgetvalue(res, i, L_START), NULL, 10);
    r->eind_ms = strtoll(PQgetvalue(res, i, L_EIND), NULL, 10);
    r->status = dup_col(res, i, L_STATUS, a);
    r->activiteit = dup_col(res, i, L_ACT, a);
    r->rol = dup_col(res, i, L_ROL, a);
    r->aanroeper = dup_col(res, i, L_AANROEPER, a);
    r->bron = dup_col(res, i, L_BRON, a);
    const char *hx = PQgetvalue(res, i, L_PERSONEN);
    size_t bytes = strlen(hx) >= 2 ? (strlen(hx) - 2) / 2 : 0;
    size_t n = (size_t)strtoll(PQgetvalue(res, i, L_AANTAL), NULL, 10);
    unsigned char *p = omk_arena_alloc(a, bytes + 1);
    if (!p || !r->trace_id || !r->span_id || !r->naam || !r->status || !r->activiteit || !r->rol)
        return OMK_NOMEM;
    if (!unhex(hx, p, bytes))
        return OMK_IO;
    r->personen = p;
    /* As in sqlite_ldv.c: a count that disagrees with the bytes never reads past them. */
    r->n = n * OMK_LDV_PERSOON <= bytes ? n : bytes / OMK_LDV_PERSOON;
    return OMK_OK;
}

static omk_rc ldv_collect(PGresult *res, omk_arena *a, omk_ldv_row **out, size_t *n)
{
    int rows = PQntuples(res);
    omk_ldv_row *list = omk_arena_alloc(a, (size_t)(rows ? rows : 1) * sizeof *list);
    *out = list;
    *n = 0;
    if (!list)
        return OMK_NOMEM;
    for (int i = 0; i < rows; i++) {
        omk_rc rc = ldv_row_at(res, i, a, &list[*n]);
        if (rc)
            return rc;
        (*n)++;
    }
    return OMK_OK;
}

static void ldv_filter_binds(omk__pg_binds *b, const omk_ldv_filter *f)
{
    omk__pg_bind(b, omk__pg_text(f->trace_id));
    omk__pg_bind(b, omk__pg_text(f->activiteit));
    omk__pg_bind(b, omk__pg_text(f->rol));
}

#define LDV_FILTER                                                                             \
    " WHERE ($1::text IS NULL OR trace_id = $1) AND ($2::text IS NULL OR"                     \
    " verwerkingsactiviteit = $2) AND ($3::text IS NULL OR rol = $3)"

omk_rc omk__pg_ldv_rows(void *cv, const omk_ldv_filter *f, omk_arena *a, omk_ldv_row **out,
                          size_t *n)
{
    omk__pg_binds b = {.n = 0};
    ldv_filter_binds(&b, f);
    omk__pg_bind(&b, omk__pg_int(f->before_id));
    omk__pg_bind(&b, omk__pg_int(f->limit > 0 ? f->limit : 100));
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(cv, "SELECT " LDV_COLUMNS " FROM dataverwerkingen" LDV_FILTER
                        " AND ($4::bigint = 0 OR id < $4) ORDER BY id DESC LIMIT $5", &b, &res);
    if (!rc)
        rc = ldv_collect(res, a, out, n);
    PQclear(res);
    return rc;
}

/* The head of the chain (genesis when there is none yet). */
static omk_rc read_head(void *c, chain_head *h, bool *stored_head)
{
    memset(h, 0, sizeof *h);
    omk__ldv_genesis(h->hash);
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(c, "SELECT laatste, hash, verwerkingen, records FROM dataverwerkingen_keten"
                       " WHERE id = 1", NULL, &res);
    *stored_head = !rc && PQntuples(res) == 1;
    if (*stored_head) {
        h->last = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        if (!unhex(PQgetvalue(res, 0, 1), h->hash, HASH))
            rc = OMK_IO;
        h->rows = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
        h->records = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    }
    PQclear(res);
    return rc;
}

omk_rc omk__pg_ldv_count(void *cv, const omk_ldv_filter *f, long long *out)
{
    *out = 0;
    omk__pg_binds b = {.n = 0};
    const char *sql;
    if (!f->trace_id && !f->activiteit && !f->rol) {
        /* Everything: the head knows, and only rows not chained yet are counted. */
        chain_head h;
        bool stored_head;
        omk_rc rc = read_head(cv, &h, &stored_head);
        if (rc)
            return rc;
        *out = h.records;
        omk__pg_bind(&b, omk__pg_int(h.last));
        sql = "SELECT coalesce(sum(aantal), 0) FROM dataverwerkingen WHERE id > ?";
    } else {
        ldv_filter_binds(&b, f);
        sql = "SELECT coalesce(sum(aantal), 0) FROM dataverwerkingen" LDV_FILTER;
    }
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(cv, sql, &b, &res);
    if (!rc && PQntuples(res) == 1)
        *out += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

omk_rc omk__pg_ldv_get(void *cv, const int64_t *ids, size_t n, omk_arena *a,
                         omk_ldv_row **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    omk_buf list;
    omk_buf_init(&list, 1 << 20);
    omk_buf_putc(&list, '{');
    for (size_t i = 0; i < n; i++)
        omk_buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
    omk_buf_putc(&list, '}');
    omk__pg_binds b = {.n = 0};
    omk__pg_bind(&b, omk__pg_text(list.p));
    PGresult *res = NULL;
    omk_rc rc = list.rc ? list.rc
                        : omk__pg_run(cv, "SELECT " LDV_COLUMNS " FROM dataverwerkingen WHERE id = ANY (?)",
                              &b, &res);
    if (!rc)
        rc = ldv_collect(res, a, out, nout);
    PQclear(res);
    omk_buf_release(&list);
    return rc;
}

/* Reads one varint from p[*at..n); false at the end or on a malformed one. */
static bool get_varint(const unsigned char *p, size_t n, size_t *at, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; *at < n && shift < 64; shift += 7) {
        unsigned char x = p[(*at)++];
        *v |= (uint64_t)(x & 0x7f) << shift;
        if (!(x & 0x80))
            return true;
    }
    return false;
}

/* The index row's ids (first, then the gaps in `volgende`) into a; their number in *n. */
static omk_rc index_ids(PGresult *res, int i, omk_arena *a, int64_t **ids, size_t *n)
{
    const char *hx = PQgetvalue(res, i, 1);
    size_t len = strlen(hx) >= 2 ? (strlen(hx) - 2) / 2 : 0, at = 0;
    unsigned char *p = omk_arena_alloc(a, len + 1);
    int64_t *group = omk_arena_alloc(a, (len + 1) * sizeof *group); /* ≥ 1 byte an id */
    if (!p || !group)
        return OMK_NOMEM;
    if (!unhex(hx, p, len))
        return OMK_IO;
    group[0] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    size_t k = 1;
    uint64_t gap;
    while (k <= len && get_varint(p, len, &at, &gap)) {
        group[k] = group[k - 1] + (int64_t)gap;
        k++;
    }
    *ids = group;
    *n = k;
    return OMK_OK;
}

omk_rc omk__pg_ldv_ids(void *cv, const unsigned char key[16], size_t max, omk_arena *a,
                         int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    omk__pg_binds b = {.n = 0};
    char *k = hex(a, key, KEY);
    if (!k)
        return OMK_NOMEM;
    omk__pg_bind(&b, omk__pg_text(k));
    PGresult *res = NULL;
    omk_rc rc = omk__pg_run(cv, "SELECT eerste, volgende FROM dataverwerkingen_betrokkenen"
                        " WHERE sleutel = decode(?, 'hex') ORDER BY eerste DESC", &b, &res);
    size_t cap = 64;
    int64_t *list = rc ? NULL : omk_arena_alloc(a, cap * sizeof *list);
    if (!rc && !list)
        rc = OMK_NOMEM;
    /* One group's ids ascend; groups follow one another: so each row's ids, newest first,
     * continue the list. */
    for (int i = 0; !rc && i < PQntuples(res) && *n < max; i++) {
        int64_t *group = NULL;
        size_t g = 0;
        rc = index_ids(res, i, a, &group, &g);
        while (!rc && g > 0 && *n < max) {
            if (*n == cap) {
                int64_t *bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
                if (!bigger) {
                    rc = OMK_NOMEM;
                    break;
                }
                memcpy(bigger, list, cap * sizeof *list);
                list = bigger;
                cap *= 2;
            }
            list[(*n)++] = group[--g];
        }
    }
    PQclear(res);
    *ids = list;
    return rc;
}

static void ldv_bad(omk_ldv_check *out, int64_t id, const char *detail)
{
    out->ok = false;
    out->bad_id = id;
    snprintf(out->reason, sizeof out->reason, "%s", detail);
}

/* The chain walked row by row (as sqlite_ldv.c's verify, with the same Dutch reasons), the
 * head compared, and the person index summed against the rows. */
omk_rc omk__pg_ldv_verify(void *cv, omk_ldv_check *out)
{
    void *c = cv;
    memset(out, 0, sizeof *out);
    out->ok = true;
    chain_head h;
    bool stored_head;
    omk_rc rc = read_head(c, &h, &stored_head);
    if (rc)
        return rc;
    unsigned char prev[HASH];
    omk__ldv_genesis(prev);
    int64_t last = 0;
    uint64_t digest = 0;
    /* In slices of 10,000 rows, so a long log is not one result in memory. */
    for (bool more = true; !rc && more && out->ok;) {
        omk__pg_binds b = {.n = 0};
        omk__pg_bind(&b, omk__pg_int(last));
        PGresult *res = NULL;
        rc = omk__pg_run(c, "SELECT " LDV_COLUMNS " FROM dataverwerkingen WHERE id > ? ORDER BY id"
                    " LIMIT 10000", &b, &res);
        int rows = rc ? 0 : PQntuples(res);
        more = rows == 10000;
        omk_arena *a = rc ? NULL : omk_arena_new((size_t)1 << 30);
        if (!rc && !a)
            rc = OMK_NOMEM;
        for (int i = 0; !rc && i < rows && out->ok; i++) {
            omk_ldv_row r;
            rc = ldv_row_at(res, i, a, &r);
            unsigned char want[HASH], stored[HASH];
            if (!rc)
                rc = omk__ldv_row_hash(prev, &r, want);
            if (rc)
                break;
            char detail[160];
            if (r.id != last + 1) {
                snprintf(detail, sizeof detail, "volgt niet op record %lld: de records daartussen"
                         " zijn verwijderd", (long long)last);
                ldv_bad(out, r.id, detail);
            } else if (PQgetisnull(res, i, L_HASH) ||
                       !unhex(PQgetvalue(res, i, L_HASH), stored, HASH)) {
                ldv_bad(out, r.id, "staat niet in de hashketen");
            } else if (memcmp(stored, want, HASH) != 0) {
                ldv_bad(out, r.id, "klopt niet met de hashketen: gewijzigd, ingevoegd, of een"
                                   " record ervoor is verwijderd");
            }
            if (!out->ok)
                break;
            out->rows++;
            out->records += (long long)r.n;
            memcpy(prev, want, HASH);
            last = r.id;
            for (size_t k = 0; k < r.n; k++)
                digest += omk__ldv_pair_digest(r.personen + k * OMK_LDV_PERSOON + 1, r.id);
        }
        omk_arena_free(a);
        PQclear(res);
    }
    if (!rc && out->ok &&
        (last != h.last || memcmp(prev, h.hash, HASH) != 0 || out->rows != h.rows ||
         out->records != h.records)) {
        char detail[160];
        if (last < h.last)
            snprintf(detail, sizeof detail, "ontbreekt: de laatste records (%lld tot en met"
                     " %lld) zijn verwijderd", (long long)last + 1, (long long)h.last);
        else
            snprintf(detail, sizeof detail, "past niet bij de kop van de keten (laatste record"
                     " %lld): de kop of de laatste records zijn gewijzigd", (long long)h.last);
        ldv_bad(out, last < h.last ? last + 1 : last, detail);
    }
    uint64_t index_digest = 0;
    PGresult *res = NULL;
    if (!rc && out->ok)
        rc = omk__pg_run(c, "SELECT eerste, volgende, sleutel FROM dataverwerkingen_betrokkenen", NULL,
                 &res);
    for (int i = 0; !rc && out->ok && i < PQntuples(res); i++) {
        unsigned char key[KEY];
        if (!unhex(PQgetvalue(res, i, 2), key, KEY))
            continue; /* counts as missing: the digests differ */
        int64_t *ids = NULL;
        size_t n = 0;
        omk_arena *a = omk_arena_new((size_t)1 << 30);
        rc = a ? index_ids(res, i, a, &ids, &n) : OMK_NOMEM;
        for (size_t k = 0; !rc && k < n; k++)
            index_digest += omk__ldv_pair_digest(key, ids[k]);
        omk_arena_free(a);
    }
    PQclear(res);
    if (!rc && out->ok && index_digest != digest)
        ldv_bad(out, 0, "de index van betrokkenen klopt niet met de records (gewijzigd of"
                        " verwijderd)");
    if (!rc && out->ok) {
        static const char digits[] = "0123456789abcdef";
        for (int i = 0; i < HASH; i++) {
            out->head[2 * i] = digits[prev[i] >> 4];
            out->head[2 * i + 1] = digits[prev[i] & 15];
        }
        out->head[2 * HASH] = 0;
    }
    return rc;
}
