/* The SQLite backend: WAL, foreign keys, synchronous=FULL on the writer (an acknowledged
 * commit is on disk), SQL generated from the declared resource tables, prepared statements
 * cached per connection. A connection is used by one thread at a time (the pool and the
 * writer thread guarantee it), so connections are opened without SQLite's own mutex. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "omk/buf.h"
#include "omk/log.h"
#include "omk/search.h"
#include "omk/util.h"
#include "sqlite_int.h"
#include "store_int.h"

#define STMT_CACHE 256
#define SQL_MAX (64 * 1024)
#define MAX_BINDS 96

typedef struct cached {
    char *sql;
    sqlite3_stmt *st;
} cached;

/* Statements for the fixed shapes (get, children, insert, …) are found by pointer keys
 * (kind, resource, field), so the hot paths build no SQL text at all. */
enum { K_GET = 1, K_CHILDREN, K_LINKED, K_INSERT, K_UPDATE, K_DELETE, K_CHILDREN_IN, K_CHILD_UUIDS,
       K_LINKED_IN, K_CHILD_REFS_IN };
#define KEYED_CACHE 512

typedef struct keyed_stmt {
    int kind;
    const void *a, *b;
    sqlite3_stmt *st;
} keyed_stmt;

typedef struct conn {
    sqlite3 *db;
    bool writer;
    char *path;           /* writer: the database file, for the storage check */
    dev_t dev;            /* writer: the file opened (a file removed or replaced is another) */
    ino_t ino;
    long long data_version; /* writer: PRAGMA data_version last seen (-1: not yet) */
    cached cache[STMT_CACHE];
    keyed_stmt keyed[KEYED_CACHE];
    omk__ldv_scratch *ldv; /* the Logboek's working memory (writer) */
} conn;

/* Count cache. Counting a large filtered list dominates a list request, and counts change
 * only when something is written. The writer bumps g_gen before it begins a transaction (odd:
 * a write is in progress) and after it commits or rolls back (even). A count computed while
 * g_gen stayed at the same even value both before and after the read is the count at that
 * generation, and may be reused by a later read that sees the same even value before and
 * after its own page query (so its snapshot is that generation too). Commits by another
 * process move g_gen too, when the writer notices them (be_notice_others): within a second,
 * or before our own next write. */
#define COUNT_CACHE 64
static _Atomic unsigned long long g_gen;
static pthread_mutex_t g_count_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char *key;
    unsigned long long gen;
    long long count;
} g_counts[COUNT_CACHE];

static bool count_lookup(const char *key, unsigned long long gen, long long *out)
{
    bool hit = false;
    pthread_mutex_lock(&g_count_mu);
    unsigned h = 0;
    for (const char *p = key; *p; p++)
        h = h * 31u + (unsigned char)*p;
    int i = (int)(h % COUNT_CACHE);
    if (g_counts[i].key && g_counts[i].gen == gen && strcmp(g_counts[i].key, key) == 0) {
        *out = g_counts[i].count;
        hit = true;
    }
    pthread_mutex_unlock(&g_count_mu);
    return hit;
}

static void count_store(const char *key, unsigned long long gen, long long count)
{
    char *copy = strdup(key);
    if (!copy)
        return;
    pthread_mutex_lock(&g_count_mu);
    unsigned h = 0;
    for (const char *p = key; *p; p++)
        h = h * 31u + (unsigned char)*p;
    int i = (int)(h % COUNT_CACHE);
    free(g_counts[i].key);
    g_counts[i].key = copy;
    g_counts[i].gen = gen;
    g_counts[i].count = count;
    pthread_mutex_unlock(&g_count_mu);
}

typedef struct binds {
    omk_value v[MAX_BINDS];
    int n;
    bool overflow;
} binds;

static omk_rc map_err(int e)
{
    switch (e & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return OMK_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return OMK_BUSY;
    case SQLITE_CONSTRAINT:
        return OMK_CONFLICT;
    case SQLITE_NOMEM:
        return OMK_NOMEM;
    case SQLITE_TOOBIG:
        return OMK_TOOBIG;
    case SQLITE_FULL:
        return OMK_FULL;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
        return OMK_UNAVAILABLE;
    default:
        return OMK_IO;
    }
}

/* map_err, knowing the connection: a write that failed for want of room (no space, or past a
 * file-size limit: SQLite says I/O error for EFBIG) is a full disk, not a fault (507). */
static omk_rc map_err_on(conn *c, int e)
{
    int sys = sqlite3_system_errno(c->db);
    if ((e & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG))
        return OMK_FULL;
    return map_err(e);
}

/* Whether the last failure was for want of room: the system said so, or the file system (or
 * the process's file-size limit, RLIMIT_FSIZE) has no room left for the database or its log.
 * SQLite reports a short write past a file-size limit as a plain I/O error. */
static bool be_was_full(void *cv)
{
    conn *c = cv;
    int sys = sqlite3_system_errno(c->db);
    if (sys == ENOSPC || sys == EFBIG)
        return true;
    if (!c->path)
        return false;
    struct statvfs fs;
    if (statvfs(c->path, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < (1u << 20))
        return true;
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return false;
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", c->path);
    struct stat st;
    const char *files[] = {c->path, wal};
    for (size_t i = 0; i < 2; i++)
        if (stat(files[i], &st) == 0 && (uint64_t)st.st_size + (1u << 16) >= (uint64_t)rl.rlim_cur)
            return true;
    return false;
}

static omk_rc exec_sql(conn *c, const char *sql)
{
    char *err = NULL;
    int e = sqlite3_exec(c->db, sql, NULL, NULL, &err);
    if (e != SQLITE_OK) {
        omk_log_error("sqlite", "%s: %s", err ? err : sqlite3_errstr(e), sql);
        sqlite3_free(err);
    }
    return map_err_on(c, e);
}

/* Process-wide SQLite settings, before its first use. Memory statistics off: with them on,
 * every SQLite allocation on every thread takes one global mutex (seen as lock contention
 * between the readers in a profile of the list benchmark). */
static void configure_sqlite(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static omk_rc be_connect(const char *path, bool writer, void **out)
{
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, configure_sqlite);
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return OMK_NOMEM;
    c->data_version = -1;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    c->writer = writer;
    int e = sqlite3_open_v2(path, &c->db, flags, NULL);
    omk_rc rc = map_err(e);
    if (rc) {
        omk_log_error("sqlite", "cannot open %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "");
        goto out;
    }
    sqlite3_busy_timeout(c->db, 10000);
    /* Full-text tables use the Dutch tokenizer; it must exist on every connection. */
    if ((rc = omk_search_register_sqlite(c->db))) {
        omk_log_error("sqlite", "cannot register the Dutch full-text tokenizer");
        goto out;
    }
    sqlite3_extended_result_codes(c->db, 1);
    /* No mmap: a growing, written file would be remapped, and every unmap costs a TLB
     * shootdown across cores (measured: it dominated the write benchmark). A page cache of
     * up to 32 MB per connection (filled only as pages are read; the pool hands out the most
     * recently used reader first) keeps a search's lookups in memory: with 8 MB the
     * kennisbank's p99 at 100,000 articles was about 10% higher. */
    rc = exec_sql(c,
                  "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;");
    if (!rc && writer)
        rc = exec_sql(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                         "PRAGMA wal_autocheckpoint=4000;");
    struct stat st;
    if (!rc && writer && strcmp(path, ":memory:") != 0) {
        if (stat(path, &st) != 0 || !(c->path = strdup(path)))
            rc = OMK_IO;
        c->dev = st.st_dev;
        c->ino = st.st_ino;
    }
out:
    if (rc) {
        sqlite3_close(c->db);
        free(c);
        return rc;
    }
    *out = c;
    return OMK_OK;
}

static void be_disconnect(void *cv)
{
    conn *c = cv;
    omk__sqlite_ldv_scratch_free(c->ldv);
    for (int i = 0; i < KEYED_CACHE; i++)
        sqlite3_finalize(c->keyed[i].st);
    for (int i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

/* The database file as the writer opened it: still there (not removed, not replaced by
 * another file), writable, with room. The reason is shown to clients: no path in it. SQLite would go on writing to a removed file's inode —
 * every write answered 201 and gone at the next start — and reports a read-only or full
 * disk only when a commit fails. Three system calls, before every group. */
static omk_rc be_storage(void *cv, uint64_t min_free, char *why, size_t cap)
{
    conn *c = cv;
    if (!c->path)
        return OMK_OK;
    struct stat st;
    if (stat(c->path, &st) != 0 || st.st_dev != c->dev || st.st_ino != c->ino) {
        snprintf(why, cap, "Het databasebestand is verwijderd of vervangen.");
        return OMK_UNAVAILABLE;
    }
    struct statvfs fs;
    bool have_fs = statvfs(c->path, &fs) == 0;
    /* Read-only: no write permission for anyone (root's access() would say yes), none for
     * us, or a file system mounted (or, after errors, remounted) read-only. */
    if ((st.st_mode & 0222) == 0 || access(c->path, W_OK) != 0 ||
        (have_fs && (fs.f_flag & ST_RDONLY))) {
        snprintf(why, cap, "Het databasebestand is alleen-lezen.");
        return OMK_UNAVAILABLE;
    }
    if (have_fs && (uint64_t)fs.f_bavail * fs.f_frsize < min_free) {
        snprintf(why, cap, "De schijf van de database is vol (minder dan %llu MiB vrij).",
                 (unsigned long long)(min_free >> 20));
        return OMK_FULL;
    }
    return OMK_OK;
}

/* Writes all of f's data to disk (the file, then its directory for a rename). */
static bool sync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static bool sync_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = 0;
    else
        snprintf(dir, sizeof dir, ".");
    return sync_path(dir);
}

/* Copies every page of src (in its read snapshot) into a new database file at `to`. */
static omk_rc copy_db(sqlite3 *src, const char *to, char *why, size_t cap)
{
    sqlite3 *dst = NULL;
    int e = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (e == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        e = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
        if (b)
            sqlite3_backup_finish(b);
        if (e == SQLITE_DONE)
            e = SQLITE_OK;
    }
    if (e != SQLITE_OK)
        snprintf(why, cap, "kopiëren mislukt: %s", dst ? sqlite3_errmsg(dst) : sqlite3_errstr(e));
    if (e == SQLITE_OK && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        e = SQLITE_IOERR;
    sqlite3_close(dst);
    if (e == SQLITE_OK && !sync_path(to)) {
        snprintf(why, cap, "de kopie kon niet naar schijf worden geschreven");
        e = SQLITE_IOERR;
    }
    return map_err(e);
}

static omk_rc be_backup(void *cv, const char *to, char *why, size_t cap)
{
    conn *c = cv;
    char tmp[4096];
    if (access(to, F_OK) == 0) {
        snprintf(why, cap, "%s bestaat al; kies een nieuw bestand", to);
        return OMK_CONFLICT;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", to);
    unlink(tmp);
    omk_rc rc = copy_db(c->db, tmp, why, cap);
    if (!rc && (rename(tmp, to) != 0 || !sync_dir_of(to))) {
        snprintf(why, cap, "%s kon niet worden geschreven", to);
        rc = OMK_IO;
    }
    if (rc)
        unlink(tmp);
    return rc;
}

/* Whether `from` is an intact database of ours: it opens, its integrity check says ok, its
 * schema version is one this build knows. */
static omk_rc check_copy(sqlite3 *db, char *why, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 1 || version > omk__sqlite_schema_latest()) {
        snprintf(why, cap, "geen database van Omnikanaal met een bekend schema (versie %d)",
                 version);
        return OMK_INVALID;
    }
    const char *verdict = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        verdict = (const char *)sqlite3_column_text(st, 0);
    bool ok = verdict && strcmp(verdict, "ok") == 0;
    if (!ok)
        snprintf(why, cap, "de kopie is beschadigd: %s", verdict ? verdict : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok ? OMK_OK : OMK_INVALID;
}

static omk_rc be_restore(const char *from, const char *path, bool force, char *why, size_t cap)
{
    char wal[4096], shm[4096], tmp[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    snprintf(tmp, sizeof tmp, "%s.herstel", path);
    if (!force && access(wal, F_OK) == 0) {
        snprintf(why, cap, "%s is in gebruik (of een server stopte niet netjes): stop de server; "
                           "gebruik --force alleen als er zeker geen server meer draait", path);
        return OMK_CONFLICT;
    }
    sqlite3 *src = NULL;
    int e = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    omk_rc rc = e == SQLITE_OK ? check_copy(src, why, cap) : OMK_NOTFOUND;
    if (e != SQLITE_OK)
        snprintf(why, cap, "%s kan niet worden geopend", from);
    unlink(tmp);
    if (!rc)
        rc = copy_db(src, tmp, why, cap);
    sqlite3_close(src);
    if (!rc && (rename(tmp, path) != 0 || !sync_dir_of(path))) {
        snprintf(why, cap, "%s kon niet worden vervangen", path);
        rc = OMK_IO;
    }
    if (rc) {
        unlink(tmp);
        return rc;
    }
    unlink(wal); /* the old file's log: it belongs to the database just replaced */
    unlink(shm);
    return OMK_OK;
}

static const char *be_errmsg(void *cv)
{
    return sqlite3_errmsg(((conn *)cv)->db);
}

/* FNV-1a; the cache is open-addressed by the SQL text. */
static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Prepares sql into the empty cache slot e. */
static omk_rc fill_slot(conn *c, cached *e, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &e->st, NULL);
    if (rc != SQLITE_OK) {
        omk_log_error("sqlite", "prepare failed: %s: %s", sqlite3_errmsg(c->db), sql);
        e->st = NULL;
        return map_err(rc) ? map_err(rc) : OMK_INTERNAL;
    }
    e->sql = strdup(sql);
    if (!e->sql) {
        sqlite3_finalize(e->st);
        e->st = NULL;
        return OMK_NOMEM;
    }
    *out = e->st;
    return OMK_OK;
}

/* Returns a reset statement for sql from the cache, preparing it on first use. */
static omk_rc prepare(conn *c, const char *sql, sqlite3_stmt **out)
{
    unsigned h = hash_sql(sql);
    for (unsigned k = 0; k < 8; k++) {
        cached *e = &c->cache[(h + k) % STMT_CACHE];
        if (e->sql && strcmp(e->sql, sql) == 0) {
            *out = e->st;
            return OMK_OK;
        }
        if (!e->sql)
            return fill_slot(c, e, sql, out);
    }
    /* Cache neighbourhood full: evict the home slot. */
    cached *e = &c->cache[h % STMT_CACHE];
    sqlite3_finalize(e->st);
    free(e->sql);
    e->sql = NULL;
    e->st = NULL;
    return fill_slot(c, e, sql, out);
}

/* The writer's PRAGMA data_version changes only when another connection commits, and our
 * readers never do: so a change means another process wrote. It moves g_gen on by a whole
 * write (it stays even), so no count cached before that commit is used again. Runs on the
 * writer thread, the only one that moves g_gen. */
static void be_notice_others(void *cv)
{
    conn *c = cv;
    sqlite3_stmt *st = NULL;
    if (!c->writer || prepare(c, "PRAGMA data_version", &st) != OMK_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        long long v = sqlite3_column_int64(st, 0);
        if (c->data_version >= 0 && v != c->data_version && (g_gen & 1) == 0)
            g_gen += 2;
        c->data_version = v;
    }
    sqlite3_reset(st);
}

static omk_rc be_exec(void *cv, const char *sql)
{
    conn *c = cv;
    bool begin = c->writer && strcmp(sql, "BEGIN IMMEDIATE") == 0; /* see store_int.h */
    bool end = c->writer && (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0);
    if (begin && (g_gen & 1) == 0)
        g_gen++;
    /* BEGIN, SAVEPOINT, RELEASE, COMMIT run for every job: prepared once, then reused. */
    sqlite3_stmt *st = NULL;
    int e;
    if (prepare(c, sql, &st) == OMK_OK) {
        e = sqlite3_step(st);
        if (e == SQLITE_ROW || e == SQLITE_DONE)
            e = SQLITE_OK;
        sqlite3_reset(st);
    } else {
        e = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    }
    if (end && (g_gen & 1) == 1)
        g_gen++;
    return map_err_on(c, e);
}

/* Looks up the statement for (kind, a, b); on a miss, prepares `sql` (built by the caller
 * only then) and keeps it. *slot tells the caller where to store on a miss. */
static keyed_stmt *keyed_slot(conn *c, int kind, const void *a, const void *b)
{
    uintptr_t h = ((uintptr_t)a * 31u + (uintptr_t)b) * 17u + (uintptr_t)kind;
    h ^= h >> 13;
    for (unsigned k = 0; k < 16; k++) {
        keyed_stmt *e = &c->keyed[(h + k) % KEYED_CACHE];
        if (!e->st || (e->kind == kind && e->a == a && e->b == b))
            return e;
    }
    return NULL;
}

static omk_rc keyed_prepare(conn *c, keyed_stmt *slot, int kind, const void *a, const void *b,
                            const char *sql, sqlite3_stmt **out)
{
    if (!slot) /* neighbourhood full: fall back to the text-keyed cache */
        return prepare(c, sql, out);
    int e = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL);
    if (e != SQLITE_OK) {
        omk_log_error("sqlite", "prepare failed: %s: %s", sqlite3_errmsg(c->db), sql);
        slot->st = NULL;
        return map_err(e) ? map_err(e) : OMK_INTERNAL;
    }
    slot->kind = kind;
    slot->a = a;
    slot->b = b;
    *out = slot->st;
    return OMK_OK;
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_push(binds *b, omk_value v)
{
    if (b->n >= MAX_BINDS) {
        b->overflow = true;
        return;
    }
    b->v[b->n++] = v;
}

static omk_rc bind_all(sqlite3_stmt *st, const binds *b)
{
    for (int i = 0; i < b->n; i++) {
        const omk_value *v = &b->v[i];
        int e;
        if (v->t == OMK_V_INT)
            e = sqlite3_bind_int64(st, i + 1, v->i);
        else if (v->t == OMK_V_TEXT)
            e = sqlite3_bind_text(st, i + 1, v->s, (int)v->n, SQLITE_STATIC);
        else
            e = sqlite3_bind_null(st, i + 1);
        if (e != SQLITE_OK)
            return map_err(e);
    }
    return OMK_OK;
}

static bool stored(const omk_field *f)
{
    return f->column && f->type != OMK_F_REVERSE && f->type != OMK_F_COMPUTED;
}

/* Every row query selects id, uuid, the child mask, then the stored fields (from FIELD_COL).
 * The mask is read only on read connections, whose transaction is a snapshot in which it
 * agrees with the child tables; the writer may have added children since it read a row. */
enum { MASK_COL = 2, FIELD_COL = 3 };

static void select_columns(const conn *c, omk_buf *sql, const omk_resource *r)
{
    /* Built for every list request (the statement cache is keyed by the text): no printf. */
    omk_buf_puts(sql, "SELECT t0.id, t0.uuid, ");
    omk_buf_puts(sql, !c->writer && omk__sqlite_has_child_mask(r->table) ? "t0.child_mask" : "NULL");
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

static omk_rc read_row(sqlite3_stmt *st, const omk_resource *r, omk_arena *a, omk_row **out)
{
    omk_row *row = omk_row_new(r, a);
    if (!row)
        return OMK_NOMEM;
    row->id = sqlite3_column_int64(st, 0);
    const char *u = (const char *)sqlite3_column_text(st, 1);
    size_t un = u ? (size_t)sqlite3_column_bytes(st, 1) : 0;
    if (un >= sizeof row->uuid)
        un = sizeof row->uuid - 1;
    memcpy(row->uuid, u ? u : "", un); /* snprintf here was a tenth of reading a row */
    row->uuid[un] = 0;
    if (sqlite3_column_type(st, MASK_COL) == SQLITE_INTEGER)
        row->childless = ~(uint64_t)sqlite3_column_int64(st, MASK_COL);
    int col = FIELD_COL;
    for (size_t i = 0; i < r->nfields; i++) {
        if (!stored(&r->fields[i]))
            continue;
        omk_value *v = &row->v[i];
        switch (sqlite3_column_type(st, col)) {
        case SQLITE_NULL:
            v->t = OMK_V_NULL;
            break;
        case SQLITE_INTEGER:
            v->t = OMK_V_INT;
            v->i = sqlite3_column_int64(st, col);
            break;
        default: {
            const char *s = (const char *)sqlite3_column_text(st, col);
            v->n = (size_t)sqlite3_column_bytes(st, col);
            v->s = omk_arena_strndup(a, s ? s : "", v->n);
            if (!v->s)
                return OMK_NOMEM;
            v->t = OMK_V_TEXT;
        }
        }
        col++;
    }
    *out = row;
    return OMK_OK;
}

/* Steps st to the end, appending rows to out. */
static omk_rc read_rows(sqlite3_stmt *st, const omk_resource *r, omk_arena *a, omk_rowset *out,
                        size_t hint)
{
    size_t cap = hint ? hint : 8;
    out->n = 0;
    out->rows = omk_arena_alloc(a, cap * sizeof *out->rows);
    if (!out->rows)
        return OMK_NOMEM;
    int e;
    while ((e = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            omk_row *bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
            if (!bigger)
                return OMK_NOMEM;
            memcpy(bigger, out->rows, cap * sizeof *bigger);
            out->rows = bigger;
            cap *= 2;
        }
        omk_row *row = NULL;
        omk_rc rc = read_row(st, r, a, &row);
        if (rc)
            return rc;
        out->rows[out->n++] = *row;
    }
    return e == SQLITE_DONE ? OMK_OK : map_err(e);
}

static omk_rc be_get(void *cv, const omk_resource *r, const char *uuid, omk_arena *a,
                     omk_row **out)
{
    conn *c = cv;
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    keyed_stmt *slot = keyed_slot(c, K_GET, r, NULL);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        select_columns(c, &sql, r);
        omk_buf_puts(&sql, " WHERE t0.uuid = ?");
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, K_GET, r, NULL, sql.p, &st);
    }
    if (rc)
        goto out;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW)
        rc = read_row(st, r, a, out);
    else
        rc = e == SQLITE_DONE ? OMK_NOTFOUND : map_err(e);
    done(st);
out:
    omk_buf_release(&sql);
    return rc;
}

static const omk_field *find_field(const omk_resource *r, const char *name, size_t n)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strlen(r->fields[i].json) == n && memcmp(r->fields[i].json, name, n) == 0)
            return &r->fields[i];
    return NULL;
}

/* Converts a filter value to the final field's stored type. */
static omk_value typed(const omk_field *f, const char *value)
{
    omk_value v = {.t = OMK_V_TEXT, .s = value, .n = strlen(value)};
    if (!f)
        return v;
    if (f->type == OMK_F_BOOL) {
        v.t = OMK_V_INT;
        v.i = strcmp(value, "true") == 0 || strcmp(value, "True") == 0 || strcmp(value, "1") == 0;
    } else if (f->type == OMK_F_INT) {
        int64_t i = 0;
        if (omk_parse_uint(value, v.n, &i)) {
            v.t = OMK_V_INT;
            v.i = i;
        }
    } else if (f->type == OMK_F_DATETIME) {
        int64_t us = 0;
        if (omk_time_parse(value, v.n, &us)) {
            v.t = OMK_V_INT;
            v.i = us;
        }
    }
    return v;
}

static const char *last_segment(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && url[s - 1] != '/')
        s--;
    return url + s; /* may still have a trailing '/', compared exactly: mismatch → no rows */
}

static omk_rc render_final(omk_buf *sql, binds *b, const omk_resource *r, int depth,
                           const char *name, size_t n, omk_fop op, const char *value,
                           omk_arena *a)
{
    const omk_field *f = NULL;
    const char *col = "uuid";
    if (op == OMK_OP_EXISTS) {
        omk_buf_puts(sql, "1");
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
        omk_buf_printf(sql, "t%d.%s = ?", depth, col);
        bind_push(b, typed(f, value));
        break;
    case OMK_OP_UUID_URL: {
        const char *u = last_segment(value);
        omk_buf_printf(sql, "t%d.%s = ?", depth, col);
        bind_push(b, (omk_value){.t = OMK_V_TEXT, .s = u, .n = strlen(u)});
        break;
    }
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
        omk_buf_printf(sql, "t%d.%s LIKE ? ESCAPE '\\'", depth, col);
        bind_push(b, (omk_value){.t = OMK_V_TEXT, .s = pat, .n = k});
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
        omk_buf_printf(sql, "t%d.%s %s ?", depth, col, ops[op - OMK_OP_GT]);
        bind_push(b, typed(f, value));
        break;
    }
    case OMK_OP_EXISTS:
        omk_buf_puts(sql, "1");
        break;
    case OMK_OP_GTE_OR_NULL:
    case OMK_OP_LTE_OR_NULL:
        omk_buf_printf(sql, "(t%d.%s IS NULL OR t%d.%s %s ?)", depth, col, depth, col,
                       op == OMK_OP_GTE_OR_NULL ? ">=" : "<=");
        bind_push(b, typed(f, value));
        break;
    case OMK_OP_NONE: /* rendered as the negated EQ by render_where, never here */
        return OMK_INTERNAL;
    case OMK_OP_IN: {
        omk_buf_printf(sql, "t%d.%s IN (", depth, col);
        const char *v = value;
        for (int k = 0; k < 32; k++) {
            const char *comma = strchr(v, ',');
            size_t len = comma ? (size_t)(comma - v) : strlen(v);
            char *item = omk_arena_strndup(a, v, len);
            if (!item)
                return OMK_NOMEM;
            omk_buf_puts(sql, k ? ", ?" : "?");
            bind_push(b, typed(f, item));
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

/* Renders the condition for one filter path starting at resource r, table alias t<depth>.
 * Each relationship step becomes an EXISTS sub-select, so matches never duplicate rows. */
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
    /* "col IN (SELECT …)" rather than a correlated EXISTS: SQLite then searches the
     * sub-select by its index first and looks the outer rows up by key (measured: a full
     * scan of 1M betrokkenen became an index search). */
    if (f->type == OMK_F_REFLIST)
        omk_buf_printf(sql,
                       "t%d.uuid IN (SELECT l%d.%s FROM %s l%d JOIN %s t%d ON t%d.uuid = l%d.%s "
                       "WHERE 1",
                       depth, d, f->link_own, f->link_table, d, f->target->table, d, d, d,
                       f->link_other);
    else if (f->type == OMK_F_REF)
        omk_buf_printf(sql, "t%d.%s IN (SELECT t%d.uuid FROM %s t%d WHERE 1", depth, f->column,
                       d, f->target->table, d);
    else
        omk_buf_printf(sql, "t%d.uuid IN (SELECT t%d.%s FROM %s t%d WHERE 1", depth, d, f->via,
                       f->target->table, d);
    omk_buf_puts(sql, " AND ");
    omk_rc rc = slash ? render_path(sql, b, f->target, d, slash + 1, op, value, a)
                      : render_final(sql, b, f->target, d, "", 0, OMK_OP_EXISTS, value, a);
    omk_buf_putc(sql, ')');
    return rc;
}

static omk_rc render_where(omk_buf *sql, binds *b, const omk_resource *r, const omk_query *q,
                           omk_arena *a)
{
    bool first = true;
    for (size_t i = 0; q && i < q->nconds; i++) {
        omk_buf_puts(sql, first ? " WHERE " : " AND ");
        first = false;
        omk_buf_printf(sql, "t0.%s IS ?", q->conds[i].column);
        bind_push(b, q->conds[i].v);
    }
    for (size_t i = 0; q && i < q->nfilters; i++) {
        const omk_filter *f = q->filters[i].f;
        const char *value = q->filters[i].value;
        omk_buf_puts(sql, first ? " WHERE " : " AND ");
        first = false;
        bool negate = f->op == OMK_OP_EXISTS && strcmp(value, "true") != 0;
        if (negate)
            omk_buf_puts(sql, "NOT ");
        /* NONE is NOT of the EQ condition; COALESCE because "NULL IN (…)" is NULL, not false,
         * and NOT NULL would drop the rows whose reference is empty. */
        omk_buf_puts(sql, f->op == OMK_OP_NONE ? "NOT COALESCE((" : "(");
        omk_rc rc = render_path(sql, b, r, 0, f->path,
                                f->op == OMK_OP_NONE ? OMK_OP_EQ : f->op, value, a);
        if (rc)
            return rc;
        omk_buf_puts(sql, f->op == OMK_OP_NONE ? "), 0)" : ")");
    }
    return b->overflow ? OMK_TOOBIG : OMK_OK;
}

static omk_rc be_list(void *cv, const omk_resource *r, const omk_query *q, omk_arena *a,
                      omk_rowset *out, long long *count)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf where, sql, key;
    omk_buf_init(&key, SQL_MAX);
    omk_buf_init(&where, SQL_MAX);
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = render_where(&where, &b, r, q, a);
    if (rc)
        goto out;
    omk_buf_puts(&where, "");
    /* The count cache key: database, table, condition and bound values. */
    unsigned long long g1 = g_gen;
    long long cached_count = 0;
    bool have_cached = false;
    if (count) {
        omk_buf_puts(&key, sqlite3_db_filename(c->db, "main"));
        omk_buf_putc(&key, '\x1f');
        omk_buf_puts(&key, r->table);
        omk_buf_putc(&key, '\x1f');
        omk_buf_puts(&key, where.p);
        for (int i = 0; i < b.n; i++) {
            if (b.v[i].t == OMK_V_INT)
                omk_buf_printf(&key, "\x1fi%lld", (long long)b.v[i].i);
            else if (b.v[i].t == OMK_V_TEXT) {
                omk_buf_puts(&key, "\x1ft");
                omk_buf_append(&key, b.v[i].s, b.v[i].n);
            } else
                omk_buf_puts(&key, "\x1fn");
        }
        have_cached = !key.rc && (g1 & 1) == 0 && count_lookup(key.p, g1, &cached_count);
    }
    if (count && !have_cached) {
        omk_buf_printf(&sql, "SELECT count(*) FROM %s t0%s", r->table, where.p);
        if ((rc = sql.rc ? sql.rc : prepare(c, sql.p, &st)) || (rc = bind_all(st, &b)))
            goto out;
        int e = sqlite3_step(st);
        *count = e == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        rc = e == SQLITE_ROW ? OMK_OK : map_err(e);
        done(st);
        st = NULL;
        if (rc)
            goto out;
        sql.n = 0;
        sql.p[0] = 0;
    }
    select_columns(c, &sql, r);
    omk_buf_puts(&sql, where.p);
    const char *dir = r->order_ascending ? "ASC" : "DESC";
    if (r->order_column)
        omk_buf_printf(&sql, " ORDER BY t0.%s %s, t0.id %s", r->order_column, dir, dir);
    else
        omk_buf_printf(&sql, " ORDER BY t0.id %s", dir);
    omk_buf_puts(&sql, " LIMIT ? OFFSET ?");
    bind_push(&b, (omk_value){.t = OMK_V_INT, .i = q && q->limit > 0 ? q->limit : -1});
    bind_push(&b, (omk_value){.t = OMK_V_INT, .i = q ? q->offset : 0});
    if (b.overflow) {
        rc = OMK_TOOBIG;
        goto out;
    }
    if ((rc = sql.rc ? sql.rc : prepare(c, sql.p, &st)) || (rc = bind_all(st, &b)))
        goto out;
    rc = read_rows(st, r, a, out, q && q->limit > 0 && q->limit < 1000 ? (size_t)q->limit : 16);
    if (!rc && count) {
        bool stable = (g1 & 1) == 0 && g_gen == g1;
        if (have_cached && stable) {
            *count = cached_count;
        } else if (have_cached) {
            /* A write began since: count in this same snapshot instead. */
            done(st);
            st = NULL;
            omk_buf sql2;
            omk_buf_init(&sql2, SQL_MAX);
            omk_buf_printf(&sql2, "SELECT count(*) FROM %s t0%s", r->table, where.p);
            b.n -= 2;
            if (!(rc = sql2.rc ? sql2.rc : prepare(c, sql2.p, &st)) && !(rc = bind_all(st, &b))) {
                int e = sqlite3_step(st);
                *count = e == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
                rc = e == SQLITE_ROW ? OMK_OK : map_err(e);
            }
            omk_buf_release(&sql2);
        } else if (stable && !key.rc) {
            count_store(key.p, g1, *count);
        }
    }
out:
    if (st)
        done(st);
    omk_buf_release(&key);
    omk_buf_release(&where);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_children(void *cv, const omk_resource *child, const char *via,
                          const char *uuid, omk_arena *a, omk_rowset *out)
{
    conn *c = cv;
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    keyed_stmt *slot = keyed_slot(c, K_CHILDREN, child, via);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        select_columns(c, &sql, child);
        omk_buf_printf(&sql, " WHERE t0.%s = ? ORDER BY t0.id", via);
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, K_CHILDREN, child, via, sql.p, &st);
    }
    if (!rc) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        rc = read_rows(st, child, a, out, 4);
        done(st);
    }
    omk_buf_release(&sql);
    return rc;
}

static omk_rc step_write(conn *c, sqlite3_stmt *st)
{
    int e = sqlite3_step(st);
    omk_rc rc = e == SQLITE_DONE ? OMK_OK : map_err(e);
    if (rc && rc != OMK_CONFLICT)
        omk_log_error("sqlite", "write failed: %s", sqlite3_errmsg(c->db));
    done(st);
    return rc;
}

static omk_rc be_child_uuids(void *cv, const omk_resource *child, const char *via,
                             const char *uuid, omk_arena *a, const char ***out, size_t *n)
{
    conn *c = cv;
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    *out = NULL;
    *n = 0;
    keyed_stmt *slot = keyed_slot(c, K_CHILD_UUIDS, child, via);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT uuid FROM %s WHERE %s = ? ORDER BY id", child->table, via);
        rc = keyed_prepare(c, slot, K_CHILD_UUIDS, child, via, sql, &st);
    }
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    size_t cap = 8;
    const char **list = omk_arena_alloc(a, cap * sizeof *list);
    int e;
    while (list && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            const char **bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
            if (bigger)
                memcpy(bigger, list, cap * sizeof *list);
            list = bigger;
            cap *= 2;
            if (!list)
                break;
        }
        list[(*n)++] = omk_arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
    }
    if (!list)
        rc = OMK_NOMEM;
    else if (e != SQLITE_DONE && e != SQLITE_ROW)
        rc = map_err(e);
    done(st);
    *out = list;
    return rc;
}

/* Parameters of a page query: exactly n up to 100, else n rounded up to a multiple of 100
 * (the rest stay NULL and match nothing; each one costs SQLite an index seek). */
static size_t page_slots(size_t n)
{
    return n <= 100 ? n : (n + 99) / 100 * 100;
}

/* True when column names a partij the rows of r are about (an own column of r's subjects,
 * omk_resource.subjects): the Logboek reads it from a page's prefetched references. */
static bool subject_column(const omk_resource *r, const char *column)
{
    for (size_t p = 0; r->subjects && p < OMK_SUBJECT_PATHS; p++) {
        const omk_subject_path *sp = &r->subjects->paths[p];
        if (sp->column && !sp->via_table && strcmp(sp->column, column) == 0)
            return true;
    }
    return false;
}

/* SELECT id, uuid and, of the stored fields, only `via` and the columns naming the rows'
 * subjects (the others NULL, in their places, so read_row reads the result as a whole row): a
 * reference needs no more, the Logboek finds whose data the page shows in them, and the
 * covering (via, id, uuid[, subject]) indexes answer it without reading the table. */
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
    conn *c = cv;
    out->n = 0;
    out->rows = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    /* One statement per page size up to 100 (pages have a few usual sizes); above, sizes are
     * rounded up to a multiple of 100 and the unused parameters stay NULL, which matches
     * nothing. Every parameter costs SQLite an index seek, so NULL ones are not free. */
    size_t slots = page_slots(n);
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    int kind = (refs_only ? K_CHILD_REFS_IN : K_CHILDREN_IN) + (int)slots * 16;
    keyed_stmt *slot = keyed_slot(c, kind, child, via);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        if (refs_only)
            select_refs(&sql, child, via);
        else
            select_columns(c, &sql, child);
        omk_buf_printf(&sql, " WHERE t0.%s IN (?", via);
        for (size_t i = 1; i < slots; i++)
            omk_buf_puts(&sql, ",?");
        omk_buf_puts(&sql, ")");
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, kind, child, via, sql.p, &st);
    }
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            sqlite3_bind_text(st, (int)i + 1, uuids[i], -1, SQLITE_STATIC);
        rc = read_rows(st, child, a, out, n);
        done(st);
    }
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_linked(void *cv, const omk_field *f, const char *uuid, omk_arena *a,
                        omk_rowset *out)
{
    conn *c = cv;
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    keyed_stmt *slot = keyed_slot(c, K_LINKED, f, NULL);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        select_columns(c, &sql, f->target);
        omk_buf_printf(&sql, " JOIN %s l ON l.%s = t0.uuid WHERE l.%s = ? ORDER BY l.id",
                       f->link_table, f->link_other, f->link_own);
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, K_LINKED, f, NULL, sql.p, &st);
    }
    if (!rc) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        rc = read_rows(st, f->target, a, out, 4);
        done(st);
    }
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_linked_in(void *cv, const omk_field *f, const char *const *uuids, size_t n,
                           omk_arena *a, omk_rowset *out, const char ***owners,
                           int64_t **link_ids)
{
    conn *c = cv;
    out->n = 0;
    out->rows = NULL;
    *owners = NULL;
    *link_ids = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    size_t slots = page_slots(n);
    int ncols = FIELD_COL;
    for (size_t i = 0; i < f->target->nfields; i++)
        ncols += stored(&f->target->fields[i]);
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    int kind = K_LINKED_IN + (int)slots * 16;
    keyed_stmt *slot = keyed_slot(c, kind, f, NULL);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        select_columns(c, &sql, f->target);
        /* select_columns ends with " FROM <table> t0": put the link's columns before it. */
        char *from = strstr(sql.p ? sql.p : "", " FROM ");
        if (!from) {
            rc = OMK_INTERNAL;
            goto out;
        }
        *from = 0;
        sql.n = (size_t)(from - sql.p);
        omk_buf_printf(&sql, ", l.%s, l.id FROM %s t0 JOIN %s l ON l.%s = t0.uuid WHERE l.%s IN (?",
                       f->link_own, f->target->table, f->link_table, f->link_other, f->link_own);
        for (size_t i = 1; i < slots; i++)
            omk_buf_puts(&sql, ",?");
        omk_buf_putc(&sql, ')');
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, kind, f, NULL, sql.p, &st);
    }
    if (rc)
        goto out;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_text(st, (int)i + 1, uuids[i], -1, SQLITE_STATIC);
    size_t cap = n + 1;
    out->rows = omk_arena_alloc(a, cap * sizeof *out->rows);
    *owners = omk_arena_alloc(a, cap * sizeof **owners);
    *link_ids = omk_arena_alloc(a, cap * sizeof **link_ids);
    int e = SQLITE_DONE;
    while (out->rows && *owners && *link_ids && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            omk_row *rows = omk_arena_alloc(a, 2 * cap * sizeof *rows);
            const char **own = omk_arena_alloc(a, 2 * cap * sizeof *own);
            int64_t *ids = omk_arena_alloc(a, 2 * cap * sizeof *ids);
            if (!rows || !own || !ids) {
                rc = OMK_NOMEM;
                break;
            }
            memcpy(rows, out->rows, cap * sizeof *rows);
            memcpy(own, *owners, cap * sizeof *own);
            memcpy(ids, *link_ids, cap * sizeof *ids);
            out->rows = rows;
            *owners = own;
            *link_ids = ids;
            cap *= 2;
        }
        omk_row *row = NULL;
        if ((rc = read_row(st, f->target, a, &row)))
            break;
        const char *o = (const char *)sqlite3_column_text(st, ncols);
        (*owners)[out->n] = omk_arena_strdup(a, o ? o : "");
        (*link_ids)[out->n] = sqlite3_column_int64(st, ncols + 1);
        if (!(*owners)[out->n]) {
            rc = OMK_NOMEM;
            break;
        }
        out->rows[out->n++] = *row;
    }
    if (!rc && (!out->rows || !*owners || !*link_ids))
        rc = OMK_NOMEM;
    else if (!rc && e != SQLITE_DONE)
        rc = map_err(e);
    done(st);
out:
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_link_set(void *cv, const omk_field *f, const char *uuid,
                          const char *const *uuids, size_t n)
{
    conn *c = cv;
    char sql[256];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", f->link_table, f->link_own);
    omk_rc rc = prepare(c, sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    if ((rc = step_write(c, st)))
        return rc;
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s, %s) VALUES (?, ?)", f->link_table, f->link_own,
             f->link_other);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = prepare(c, sql, &st)))
            break;
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, uuids[i], -1, SQLITE_STATIC);
        rc = step_write(c, st);
    }
    return rc;
}

/* The FTS5 expression for a name query: every word (a run of letters and digits, at most 8
 * words of 64 bytes) as a prefix, all required: "jan berg" → "jan"* "berg"*. NULL when the
 * text holds no word. */
static const char *name_match(omk_arena *a, const char *q)
{
    omk_buf b;
    omk_buf_init(&b, 2048);
    int words = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p && words < 8;) {
        while (*p && !(isalnum(*p) || *p >= 0x80))
            p++;
        size_t n = 0;
        while (p[n] && (isalnum(p[n]) || p[n] >= 0x80))
            n++;
        if (n == 0)
            break;
        omk_buf_printf(&b, "%s\"%.*s\"*", words++ ? " " : "", (int)(n > 64 ? 64 : n), p);
        p += n;
    }
    const char *out = words && !b.rc ? omk_arena_strdup(a, b.p) : NULL;
    omk_buf_release(&b);
    return out;
}

static omk_rc be_partij_namen(void *cv, const char *text, int limit, omk_arena *a,
                              const char ***out, size_t *n)
{
    conn *c = cv;
    *out = NULL;
    *n = 0;
    const char *match = name_match(a, text);
    if (!match)
        return OMK_OK;
    const char **uuids = omk_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof *uuids);
    if (!uuids)
        return OMK_NOMEM;
    sqlite3_stmt *st = NULL;
    omk_rc rc = prepare(c,
                        "SELECT p.uuid FROM partij_namen JOIN partijen p ON p.id ="
                        " partij_namen.rowid WHERE partij_namen MATCH ?1 ORDER BY rank LIMIT ?2",
                        &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    int e;
    while ((e = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit) {
        const char *uuid = omk_arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
        if (!uuid) {
            done(st);
            return OMK_NOMEM;
        }
        uuids[(*n)++] = uuid;
    }
    done(st);
    *out = uuids;
    return e == SQLITE_DONE || e == SQLITE_ROW ? OMK_OK : OMK_INTERNAL;
}

static void render_conds(omk_buf *sql, binds *b, const omk_cond *cs, size_t n,
                         const char *except_uuid)
{
    omk_buf_puts(sql, " WHERE 1");
    for (size_t i = 0; i < n; i++) {
        omk_buf_printf(sql, " AND %s IS ?", cs[i].column);
        bind_push(b, cs[i].v);
    }
    if (except_uuid) {
        omk_buf_puts(sql, " AND uuid <> ?");
        bind_push(b, (omk_value){.t = OMK_V_TEXT, .s = except_uuid, .n = strlen(except_uuid)});
    }
}

static omk_rc be_exists(void *cv, const omk_resource *r, const omk_cond *cs, size_t n,
                        const char *except_uuid, bool *found)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "SELECT 1 FROM %s", r->table);
    render_conds(&sql, &b, cs, n, except_uuid);
    omk_buf_puts(&sql, " LIMIT 1");
    sqlite3_stmt *st = NULL;
    omk_rc rc = b.overflow ? OMK_TOOBIG : sql.rc ? sql.rc : prepare(c, sql.p, &st);
    if (!rc && !(rc = bind_all(st, &b))) {
        int e = sqlite3_step(st);
        *found = e == SQLITE_ROW;
        rc = e == SQLITE_ROW || e == SQLITE_DONE ? OMK_OK : map_err(e);
    }
    if (st)
        done(st);
    omk_buf_release(&sql);
    return rc;
}


static omk_rc be_insert(void *cv, const omk_resource *r, omk_row *row)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    bind_push(&b, (omk_value){.t = OMK_V_TEXT, .s = row->uuid, .n = strlen(row->uuid)});
    for (size_t i = 0; i < r->nfields; i++)
        if (stored(&r->fields[i]))
            bind_push(&b, row->v[i]);
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    keyed_stmt *slot = keyed_slot(c, K_INSERT, r, NULL);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        omk_buf_printf(&sql, "INSERT INTO %s (uuid", r->table);
        for (size_t i = 0; i < r->nfields; i++)
            if (stored(&r->fields[i]))
                omk_buf_printf(&sql, ", %s", r->fields[i].column);
        omk_buf_puts(&sql, ") VALUES (?");
        for (int i = 1; i < b.n; i++)
            omk_buf_puts(&sql, ", ?");
        omk_buf_putc(&sql, ')');
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, K_INSERT, r, NULL, sql.p, &st);
    }
    if (b.overflow)
        rc = OMK_TOOBIG;
    if (!rc && !(rc = bind_all(st, &b))) {
        rc = step_write(c, st);
        if (!rc)
            row->id = sqlite3_last_insert_rowid(c->db);
    } else if (st) {
        done(st);
    }
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_update(void *cv, const omk_resource *r, const omk_row *row)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    for (size_t i = 0; i < r->nfields; i++)
        if (stored(&r->fields[i]))
            bind_push(&b, row->v[i]);
    bind_push(&b, (omk_value){.t = OMK_V_TEXT, .s = row->uuid, .n = strlen(row->uuid)});
    sqlite3_stmt *st = NULL;
    omk_rc rc = OMK_OK;
    keyed_stmt *slot = keyed_slot(c, K_UPDATE, r, NULL);
    if (slot && slot->st) {
        st = slot->st;
    } else {
        omk_buf_printf(&sql, "UPDATE %s SET ", r->table);
        bool first = true;
        for (size_t i = 0; i < r->nfields; i++)
            if (stored(&r->fields[i])) {
                omk_buf_printf(&sql, "%s%s = ?", first ? "" : ", ", r->fields[i].column);
                first = false;
            }
        omk_buf_puts(&sql, " WHERE uuid = ?");
        rc = sql.rc ? sql.rc : keyed_prepare(c, slot, K_UPDATE, r, NULL, sql.p, &st);
    }
    if (b.overflow)
        rc = OMK_TOOBIG;
    if (!rc && !(rc = bind_all(st, &b)))
        rc = step_write(c, st);
    else if (st)
        done(st);
    if (!rc && sqlite3_changes(c->db) == 0)
        rc = OMK_NOTFOUND;
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_del(void *cv, const omk_resource *r, const char *uuid)
{
    conn *c = cv;
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "DELETE FROM %s WHERE uuid = ?", r->table);
    sqlite3_stmt *st = NULL;
    omk_rc rc = sql.rc ? sql.rc : prepare(c, sql.p, &st);
    if (!rc) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        rc = step_write(c, st);
        if (!rc && sqlite3_changes(c->db) == 0)
            rc = OMK_NOTFOUND;
    }
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_set_where(void *cv, const omk_resource *r, const char *column, omk_value v,
                           const omk_cond *cs, size_t n, const char *except_uuid)
{
    conn *c = cv;
    binds b = {.n = 0};
    omk_buf sql;
    omk_buf_init(&sql, SQL_MAX);
    omk_buf_printf(&sql, "UPDATE %s SET %s = ?", r->table, column);
    bind_push(&b, v);
    render_conds(&sql, &b, cs, n, except_uuid);
    sqlite3_stmt *st = NULL;
    omk_rc rc = b.overflow ? OMK_TOOBIG : sql.rc ? sql.rc : prepare(c, sql.p, &st);
    if (!rc && !(rc = bind_all(st, &b)))
        rc = step_write(c, st);
    else if (st)
        done(st);
    omk_buf_release(&sql);
    return rc;
}

static omk_rc be_schema_version(void *cv, int *out)
{
    conn *c = cv;
    sqlite3_stmt *st = NULL;
    int e = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL);
    if (e != SQLITE_OK)
        return map_err(e);
    e = sqlite3_step(st);
    *out = e == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return e == SQLITE_ROW ? OMK_OK : map_err(e);
}

static omk_rc be_migrate(void *cv, int *from, int *to)
{
    conn *c = cv;
    int v = 0;
    omk_rc rc = be_schema_version(c, &v);
    if (rc)
        return rc;
    if (from)
        *from = v;
    if (v > omk__sqlite_schema_latest()) {
        omk_log_error("sqlite", "database schema %d is newer than this build (%d)", v,
                      omk__sqlite_schema_latest());
        return OMK_CONFLICT;
    }
    for (int next = v + 1; next <= omk__sqlite_schema_latest(); next++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", next);
        if ((rc = exec_sql(c, "BEGIN IMMEDIATE")))
            return rc;
        omk_buf sql;
        omk_buf_init(&sql, 1 << 20);
        rc = omk__sqlite_migration(next, &sql);
        if (!rc)
            rc = exec_sql(c, sql.p);
        omk_buf_release(&sql);
        if (!rc && next == 18)
            rc = omk__sqlite_ldv_migrate(c);
        if (!rc)
            rc = exec_sql(c, pragma);
        if (rc) {
            (void)exec_sql(c, "ROLLBACK");
            return rc;
        }
        if ((rc = exec_sql(c, "COMMIT")))
            return rc;
        omk_log_info("store", "migrated schema to version %d", next);
    }
    if (to)
        *to = omk__sqlite_schema_latest();
    return OMK_OK;
}

static int be_relation_bit(const omk_resource *r, const omk_field *f)
{
    if (f->type == OMK_F_REFLIST)
        return omk__sqlite_child_bit(r->table, f->link_table, f->link_own);
    if (f->type == OMK_F_REVERSE && f->target && f->via)
        return omk__sqlite_child_bit(r->table, f->target->table, f->via);
    return -1;
}

/* ---- full-text indexes: the search module's FTS5 index on this connection ---- */

static omk_rc be_index_put(void *cv, const omk_search_index *ix, const char *uuid,
                           const char *const *values)
{
    return omk_search_sqlite_put(((conn *)cv)->db, ix, uuid, values);
}

static omk_rc be_index_remove(void *cv, const omk_search_index *ix, const char *uuid)
{
    return omk_search_sqlite_remove(((conn *)cv)->db, ix, uuid);
}

static omk_rc be_index_scan(void *cv, const omk_search_index *ix, const char *match,
                            const omk_search_cond *conds, size_t nconds, const char *const *cols,
                            size_t ncols, size_t limit, omk_arena *a, omk_search_result **out,
                            size_t *n)
{
    return omk_search_sqlite_scan(((conn *)cv)->db, ix, match, conds, nconds, cols, ncols, limit,
                                  a, out, n);
}

static omk_rc be_index_query(void *cv, const omk_search_index *ix, const char *match,
                             const omk_search_cond *conds, size_t nconds,
                             const char *const *cols, size_t ncols, int cutoff, size_t limit,
                             omk_arena *a, omk_search_result **out, size_t *n)
{
    return omk_search_sqlite_query(((conn *)cv)->db, ix, match, conds, nconds, cols, ncols,
                                   cutoff, limit, a, out, n);
}

static omk_rc be_index_mark(void *cv, const omk_search_index *ix, const char *match,
                            omk_search_result *r, size_t n, omk_arena *a)
{
    return omk_search_sqlite_mark(((conn *)cv)->db, ix, match, r, n, a);
}

static omk_rc be_index_suggest(void *cv, const omk_search_index *ix, const char *text,
                               omk_arena *a, char **out)
{
    return omk_search_sqlite_suggest(((conn *)cv)->db, ix, text, a, out);
}

const omk__store_backend omk__store_sqlite = {
    .name = "sqlite",
    .connect = be_connect,
    .disconnect = be_disconnect,
    .exec = be_exec,
    .migrate = be_migrate,
    .schema_version = be_schema_version,
    .schema_latest = omk__sqlite_schema_latest,
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
    .was_full = be_was_full,
    .backup = be_backup,
    .restore = be_restore,
    .index_put = be_index_put,
    .index_remove = be_index_remove,
    .index_scan = be_index_scan,
    .index_query = be_index_query,
    .index_mark = be_index_mark,
    .index_suggest = be_index_suggest,
    .notice_others = be_notice_others,
    .column_in = omk__sqlite_column_in,
    .synonyms_list = omk__sqlite_synonyms_list,
    .synonyms_get = omk__sqlite_synonyms_get,
    .synonyms_find = omk__sqlite_synonyms_find,
    .synonyms_put = omk__sqlite_synonyms_put,
    .synonyms_delete = omk__sqlite_synonyms_delete,
    .ldv_add = omk__sqlite_ldv_add,
    .ldv_seal = omk__sqlite_ldv_seal,
    .ldv_rows = omk__sqlite_ldv_rows,
    .ldv_count = omk__sqlite_ldv_count,
    .ldv_get = omk__sqlite_ldv_get,
    .ldv_ids = omk__sqlite_ldv_ids,
    .ldv_verify = omk__sqlite_ldv_verify,
    .ldv_prunable = omk__sqlite_ldv_prunable,
    .ldv_prune = omk__sqlite_ldv_prune,
    .sturing_params = omk__sqlite_sturing_params,
    .sturing_params_set = omk__sqlite_sturing_params_set,
    .sturing_rollup = omk__sqlite_sturing_rollup,
    .sturing_contacten = omk__sqlite_sturing_contacten,
    .sturing_wachtend = omk__sqlite_sturing_wachtend,
    .sturing_bijwerken = omk__sqlite_sturing_bijwerken,
    .sturing_herbereken = omk__sqlite_sturing_herbereken,
    .sturing_mix = omk__sqlite_sturing_mix,
};

sqlite3 *omk__sqlite_handle(void *cv)
{
    return ((conn *)cv)->db;
}

omk_rc omk__sqlite_prepare(void *cv, const char *sql, sqlite3_stmt **out)
{
    return prepare(cv, sql, out);
}

omk_rc omk__sqlite_rc(int e)
{
    return map_err(e);
}

omk__ldv_scratch *omk__sqlite_ldv_scratch(void *cv)
{
    conn *c = cv;
    if (!c->ldv)
        c->ldv = omk__sqlite_ldv_scratch_new();
    return c->ldv;
}
