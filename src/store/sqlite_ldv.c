/* The Logboek Dataverwerkingen's storage in SQLite (schema 18; contract in omk/store.h, design
 * in docs/internals/logboek.md): rows of actions with their persons packed in one column, a
 * hash chain over the rows in id order with its head in a row of its own, and an index of
 * persons written once per person per group commit. Chaining (ldv_seal) runs only on the
 * writer connection inside the group's transaction; the readers run on pooled read
 * connections. Also the page query the Logboek's subjects need (column_in). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/log.h"
#include "sqlite_int.h"
#include "store_int.h"

#define KEY 16
#define HASH 32

/* The columns every row query reads, in this order (C_* below). */
#define ROW_COLUMNS                                                                            \
    "id, trace_id, span_id, parent_span_id, naam, start_ms, eind_ms, status,"                 \
    " verwerkingsactiviteit, rol, aanroeper, bron, aantal, betrokkenen, hash"
enum { C_ID, C_TRACE, C_SPAN, C_PARENT, C_NAAM, C_START, C_EIND, C_STATUS, C_ACT, C_ROL,
       C_AANROEPER, C_BRON, C_AANTAL, C_PERSONEN, C_HASH };

/* ---- the chain ---- */

/* The hash before the first row: BLAKE2b-256 of a fixed text. */
static void genesis(unsigned char out[HASH])
{
    static const char TEXT[] = "omnikanaal logboek dataverwerkingen";
    crypto_generichash(out, HASH, (const unsigned char *)TEXT, sizeof TEXT - 1, NULL, 0);
}

/* The row's content as hashed: the id and every field in a fixed order. Appends to
 * b[*n..cap) and returns false when it does not fit. */
static bool put_bytes(unsigned char *b, size_t cap, size_t *n, const void *p, size_t len)
{
    if (*n + len > cap)
        return false;
    memcpy(b + *n, p, len);
    *n += len;
    return true;
}

static bool ser_u64(unsigned char *b, size_t cap, size_t *n, uint64_t v)
{
    unsigned char x[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        x[i] = (unsigned char)v;
    return put_bytes(b, cap, n, x, sizeof x);
}

/* A text field: its length (4 bytes, big-endian) and bytes, or 0xFFFFFFFF for NULL, so no
 * two different rows serialise alike. */
static bool ser_text(unsigned char *b, size_t cap, size_t *n, const char *s)
{
    unsigned char x[4] = {0xff, 0xff, 0xff, 0xff};
    size_t len = s ? strlen(s) : 0;
    if (s)
        for (int i = 3, k = 0; i >= 0; i--, k += 8)
            x[i] = (unsigned char)((uint64_t)len >> k);
    return put_bytes(b, cap, n, x, sizeof x) && (!len || put_bytes(b, cap, n, s, len));
}

/* Serialises the row's content (after prev) into b[0..cap): the id and every field in a
 * fixed order. The length written, or 0 when it does not fit. */
static size_t serialise(const unsigned char prev[HASH], const omk_ldv_row *r, unsigned char *b,
                        size_t cap)
{
    size_t n = 0;
    const char *t1[] = {r->trace_id, r->span_id, r->parent_span_id, r->naam};
    const char *t2[] = {r->status, r->activiteit, r->rol, r->aanroeper, r->bron};
    bool ok = put_bytes(b, cap, &n, prev, HASH) && ser_u64(b, cap, &n, (uint64_t)r->id);
    for (size_t i = 0; ok && i < 4; i++)
        ok = ser_text(b, cap, &n, t1[i]);
    ok = ok && ser_u64(b, cap, &n, (uint64_t)r->start_ms) &&
         ser_u64(b, cap, &n, (uint64_t)r->eind_ms);
    for (size_t i = 0; ok && i < 5; i++)
        ok = ser_text(b, cap, &n, t2[i]);
    ok = ok && ser_u64(b, cap, &n, (uint64_t)r->n) &&
         (!r->n || put_bytes(b, cap, &n, r->personen, r->n * OMK_LDV_PERSOON));
    return ok ? n : 0;
}

/* A row's hash: BLAKE2b-256 over the predecessor's hash and the row's content (serialise).
 * The one definition of the chain, for the writer and for verify alike. Serialised first and
 * hashed in one call: hashing field by field cost the writer a tenth of its time. */
static omk_rc row_hash(const unsigned char prev[HASH], const omk_ldv_row *r,
                       unsigned char out[HASH])
{
    unsigned char small[2048];
    size_t n = serialise(prev, r, small, sizeof small);
    if (n) {
        crypto_generichash(out, HASH, small, n, NULL, 0);
        return OMK_OK;
    }
    size_t cap = 4096 + r->n * OMK_LDV_PERSOON;
    for (size_t i = 0; i < 9; i++) {
        const char *t = i == 0 ? r->trace_id : i == 1 ? r->span_id : i == 2 ? r->parent_span_id
                        : i == 3 ? r->naam : i == 4 ? r->status : i == 5 ? r->activiteit
                        : i == 6 ? r->rol : i == 7 ? r->aanroeper : r->bron;
        cap += t ? strlen(t) : 0;
    }
    unsigned char *big = malloc(cap);
    n = big ? serialise(prev, r, big, cap) : 0;
    if (n)
        crypto_generichash(out, HASH, big, n, NULL, 0);
    free(big);
    return n ? OMK_OK : OMK_NOMEM;
}

void omk__ldv_genesis(unsigned char out[HASH])
{
    genesis(out);
}

omk_rc omk__ldv_row_hash(const unsigned char prev[HASH], const omk_ldv_row *r,
                         unsigned char out[HASH])
{
    return row_hash(prev, r, out);
}

/* ---- statements ---- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Binds a row's fields to an INSERT whose parameters are (id, content…, hash). */
static void bind_row(sqlite3_stmt *st, const omk_ldv_row *r, const unsigned char *hash)
{
    if (r->id)
        sqlite3_bind_int64(st, 1, r->id);
    else
        sqlite3_bind_null(st, 1);
    bind_text(st, 2, r->trace_id);
    bind_text(st, 3, r->span_id);
    bind_text(st, 4, r->parent_span_id);
    bind_text(st, 5, r->naam);
    sqlite3_bind_int64(st, 6, r->start_ms);
    sqlite3_bind_int64(st, 7, r->eind_ms);
    bind_text(st, 8, r->status);
    bind_text(st, 9, r->activiteit);
    bind_text(st, 10, r->rol);
    bind_text(st, 11, r->aanroeper);
    bind_text(st, 12, r->bron);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)r->n);
    sqlite3_bind_blob(st, 14, r->n ? (const void *)r->personen : "", (int)(r->n * OMK_LDV_PERSOON),
                      SQLITE_STATIC);
    if (hash)
        sqlite3_bind_blob(st, 15, hash, HASH, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 15);
}

static omk_rc step_done(sqlite3 *db, sqlite3_stmt *st)
{
    int e = sqlite3_step(st);
    omk_rc rc = e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
    if (rc)
        omk_log_error("sqlite", "logboek: %s", sqlite3_errmsg(db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static const char INSERT_SQL[] =
    "INSERT INTO dataverwerkingen (" ROW_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?)";

/* The fields of the current result row of st (read with ROW_COLUMNS) as a view: the strings
 * point into st and are valid until it steps again. */
static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void view_row(sqlite3_stmt *st, omk_ldv_row *r)
{
    r->id = sqlite3_column_int64(st, C_ID);
    r->trace_id = col_text(st, C_TRACE);
    r->span_id = col_text(st, C_SPAN);
    r->parent_span_id = col_text(st, C_PARENT);
    r->naam = col_text(st, C_NAAM);
    r->start_ms = sqlite3_column_int64(st, C_START);
    r->eind_ms = sqlite3_column_int64(st, C_EIND);
    r->status = col_text(st, C_STATUS);
    r->activiteit = col_text(st, C_ACT);
    r->rol = col_text(st, C_ROL);
    r->aanroeper = col_text(st, C_AANROEPER);
    r->bron = col_text(st, C_BRON);
    r->personen = sqlite3_column_blob(st, C_PERSONEN);
    size_t bytes = (size_t)sqlite3_column_bytes(st, C_PERSONEN);
    size_t n = (size_t)sqlite3_column_int64(st, C_AANTAL);
    /* A count that disagrees with the bytes is hashed as stored (verify then fails), but
     * never read past the blob. */
    r->n = n * OMK_LDV_PERSOON <= bytes ? n : bytes / OMK_LDV_PERSOON;
}

static const char *dup(omk_arena *a, const char *s)
{
    return s ? omk_arena_strdup(a, s) : NULL;
}

/* A copy of the current result row in a. */
static omk_rc copy_row(sqlite3_stmt *st, omk_arena *a, omk_ldv_row *out)
{
    omk_ldv_row v;
    view_row(st, &v);
    *out = v;
    out->trace_id = dup(a, v.trace_id);
    out->span_id = dup(a, v.span_id);
    out->parent_span_id = dup(a, v.parent_span_id);
    out->naam = dup(a, v.naam);
    out->status = dup(a, v.status);
    out->activiteit = dup(a, v.activiteit);
    out->rol = dup(a, v.rol);
    out->aanroeper = dup(a, v.aanroeper);
    out->bron = dup(a, v.bron);
    unsigned char *p = omk_arena_alloc(a, v.n * OMK_LDV_PERSOON + 1);
    if (!p || !out->trace_id || !out->span_id || !out->naam || !out->status ||
        !out->activiteit || !out->rol)
        return OMK_NOMEM;
    if (v.n)
        memcpy(p, v.personen, v.n * OMK_LDV_PERSOON);
    out->personen = p;
    return OMK_OK;
}

/* ---- writing ---- */

omk_rc omk__sqlite_ldv_add(void *conn, const omk_ldv_row *rows, size_t n)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, INSERT_SQL, &st);
    for (size_t i = 0; !rc && i < n; i++) {
        omk_ldv_row r = rows[i];
        r.id = 0; /* the next rowid; the seal gives it its place in the chain */
        bind_row(st, &r, NULL);
        rc = step_done(omk__sqlite_handle(conn), st);
    }
    return rc;
}

/* The persons of one group: (pseudonym, row id) pairs in id order, grouped by pseudonym when
 * the index is written. The buffers belong to the writer connection and are kept from group
 * to group (omk__sqlite_ldv_scratch_free frees them): a writer seals many groups a second,
 * and allocating and freeing them each time had the allocator trim and regrow its heap
 * (sysmalloc was a fifth of the writer's time). */
typedef struct pair {
    unsigned char key[KEY];
    int64_t id;
    uint32_t slot;
} pair;

typedef struct slot {
    unsigned char key[KEY];
    bool used;
    size_t n, at, fill;
} slot;

struct omk__ldv_scratch {
    pair *pairs;
    size_t npairs, cap_pairs;
    slot *slots;
    size_t cap_slots, used;
    int64_t *flat;
    size_t cap_flat;
    unsigned char *buf;
    size_t cap_buf;
};
typedef omk__ldv_scratch person_map;

omk__ldv_scratch *omk__sqlite_ldv_scratch_new(void)
{
    return calloc(1, sizeof(omk__ldv_scratch));
}

void omk__sqlite_ldv_scratch_free(omk__ldv_scratch *m)
{
    if (!m)
        return;
    free(m->pairs);
    free(m->slots);
    free(m->flat);
    free(m->buf);
    free(m);
}

/* Makes *p hold at least n items of size sz (contents kept). */
static bool reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static omk_rc map_add(person_map *m, const unsigned char *key, int64_t id)
{
    if (!reserve((void **)&m->pairs, &m->cap_pairs, m->npairs + 1, sizeof *m->pairs))
        return OMK_NOMEM;
    pair *p = &m->pairs[m->npairs++];
    memcpy(p->key, key, KEY);
    p->id = id;
    return OMK_OK;
}

static omk_rc map_row(person_map *m, const omk_ldv_row *r)
{
    omk_rc rc = OMK_OK;
    for (size_t k = 0; !rc && k < r->n; k++)
        rc = map_add(m, r->personen + k * OMK_LDV_PERSOON + 1, r->id);
    return rc;
}

/* Groups the pairs by pseudonym: slots (open addressing; a pseudonym is a hash already, so
 * its first bytes place it) with each one's ids, ascending, in flat[at .. at + n). */
static omk_rc map_group(person_map *m)
{
    size_t want = 64;
    while (want < 2 * m->npairs)
        want *= 2;
    if (!reserve((void **)&m->slots, &m->cap_slots, want, sizeof *m->slots) ||
        !reserve((void **)&m->flat, &m->cap_flat, m->npairs, sizeof *m->flat))
        return OMK_NOMEM;
    size_t cap = want;
    memset(m->slots, 0, cap * sizeof *m->slots);
    m->used = 0;
    for (size_t i = 0; i < m->npairs; i++) {
        pair *p = &m->pairs[i];
        uint64_t h;
        memcpy(&h, p->key, sizeof h);
        size_t k = (size_t)h & (cap - 1);
        while (m->slots[k].used && memcmp(m->slots[k].key, p->key, KEY) != 0)
            k = (k + 1) & (cap - 1);
        if (!m->slots[k].used) {
            m->slots[k].used = true;
            memcpy(m->slots[k].key, p->key, KEY);
            m->used++;
        }
        m->slots[k].n++;
        p->slot = (uint32_t)k;
    }
    size_t at = 0;
    for (size_t k = 0; k < cap; k++)
        if (m->slots[k].used) {
            m->slots[k].at = at;
            at += m->slots[k].n;
        }
    for (size_t i = 0; i < m->npairs; i++) {
        slot *sl = &m->slots[m->pairs[i].slot];
        m->flat[sl->at + sl->fill++] = m->pairs[i].id;
    }
    m->cap_slots = cap > m->cap_slots ? cap : m->cap_slots;
    return OMK_OK;
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads one varint from p[*at..n); false at the end or on a malformed one. */
static bool get_varint(const unsigned char *p, size_t n, size_t *at, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; *at < n && shift < 64; shift += 7) {
        unsigned char b = p[(*at)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/* One index row per person of the group: the first id, then the gaps to the next ones. */
static omk_rc write_index(void *conn, person_map *m)
{
    if (!m->npairs)
        return OMK_OK;
    omk_rc rc = map_group(m);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = omk__sqlite_prepare(conn,
                                 "INSERT INTO dataverwerkingen_betrokkenen (sleutel, eerste,"
                                 " volgende) VALUES (?, ?, ?)", &st);
    for (size_t i = 0; !rc && i < m->npairs; i++) {
        slot *sl = &m->slots[m->pairs[i].slot];
        if (sl->fill == 0)
            continue; /* written already */
        const int64_t *ids = m->flat + sl->at;
        if (!reserve((void **)&m->buf, &m->cap_buf, sl->n * 10 + 1, 1))
            return OMK_NOMEM;
        size_t len = 0;
        for (size_t k = 1; k < sl->n; k++)
            len += put_varint(m->buf + len, (uint64_t)(ids[k] - ids[k - 1]));
        sqlite3_bind_blob(st, 1, sl->key, KEY, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, ids[0]);
        sqlite3_bind_blob(st, 3, len ? (const void *)m->buf : "", (int)len, SQLITE_STATIC);
        rc = step_done(omk__sqlite_handle(conn), st);
        sl->fill = 0;
    }
    return rc;
}

/* The chain's head: the last chained row, its hash, and how many rows and records. */
typedef struct head {
    int64_t last;
    unsigned char hash[HASH];
    long long rows, records;
    bool stored;
} head;

static omk_rc read_head(void *conn, head *h)
{
    memset(h, 0, sizeof *h);
    genesis(h->hash);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT laatste, hash, verwerkingen, records FROM"
                                    " dataverwerkingen_keten WHERE id = 1", &st);
    if (rc)
        return rc;
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        h->stored = true;
        h->last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == HASH)
            memcpy(h->hash, sqlite3_column_blob(st, 1), HASH);
        h->rows = sqlite3_column_int64(st, 2);
        h->records = sqlite3_column_int64(st, 3);
        e = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

/* A row added by a job and not chained yet: its id and the hash it gets. */
typedef struct pending {
    int64_t id;
    unsigned char hash[HASH];
} pending;

/* Chains the rows after the head (added by jobs, or by the migration), in id order. */
static omk_rc chain_pending(void *conn, head *h, person_map *m)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT " ROW_COLUMNS " FROM dataverwerkingen WHERE id > ?"
                                    " ORDER BY id", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, h->last);
    pending *list = NULL;
    size_t n = 0, cap = 0;
    int e;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            pending *bigger = realloc(list, cap * sizeof *bigger);
            if (!bigger) {
                rc = OMK_NOMEM;
                break;
            }
            list = bigger;
        }
        omk_ldv_row r;
        view_row(st, &r);
        list[n].id = r.id;
        rc = row_hash(h->hash, &r, list[n].hash);
        if (rc)
            break;
        memcpy(h->hash, list[n].hash, HASH);
        h->last = r.id;
        h->rows++;
        h->records += (long long)r.n;
        rc = map_row(m, &r);
        n++;
    }
    if (!rc && e != SQLITE_DONE)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    /* Written after the scan: the cursor is not moved under itself. */
    sqlite3_stmt *up = NULL;
    if (!rc && n)
        rc = omk__sqlite_prepare(conn, "UPDATE dataverwerkingen SET hash = ? WHERE id = ?", &up);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_bind_blob(up, 1, list[i].hash, HASH, SQLITE_STATIC);
        sqlite3_bind_int64(up, 2, list[i].id);
        rc = step_done(omk__sqlite_handle(conn), up);
    }
    free(list);
    return rc;
}

omk_rc omk__sqlite_ldv_seal(void *conn, const omk_ldv_row *rows, size_t n)
{
    head h;
    person_map *mp = omk__sqlite_ldv_scratch(conn);
    if (!mp)
        return OMK_NOMEM;
    person_map m = *mp;
    m.npairs = 0;
    omk_rc rc = read_head(conn, &h);
    int64_t before = h.last;
    long long rows_before = h.rows;
    if (!rc)
        rc = chain_pending(conn, &h, &m);
    sqlite3_stmt *st = NULL;
    if (!rc && n)
        rc = omk__sqlite_prepare(conn, INSERT_SQL, &st);
    for (size_t i = 0; !rc && i < n; i++) {
        omk_ldv_row r = rows[i];
        r.id = h.last + 1;
        unsigned char hash[HASH];
        rc = row_hash(h.hash, &r, hash);
        if (rc)
            break;
        bind_row(st, &r, hash);
        rc = step_done(omk__sqlite_handle(conn), st);
        if (!rc)
            rc = map_row(&m, &r);
        memcpy(h.hash, hash, HASH);
        h.last = r.id;
        h.rows++;
        h.records += (long long)r.n;
    }
    if (!rc)
        rc = write_index(conn, &m);
    *mp = m; /* the buffers, grown or not, stay with the connection */
    if (rc || (h.rows == rows_before && h.last == before && h.stored))
        return rc;
    sqlite3_stmt *hs = NULL;
    rc = omk__sqlite_prepare(conn,
                             "INSERT OR REPLACE INTO dataverwerkingen_keten (id, laatste, hash,"
                             " verwerkingen, records) VALUES (1, ?, ?, ?, ?)", &hs);
    if (rc)
        return rc;
    sqlite3_bind_int64(hs, 1, h.last);
    sqlite3_bind_blob(hs, 2, h.hash, HASH, SQLITE_STATIC);
    sqlite3_bind_int64(hs, 3, h.rows);
    sqlite3_bind_int64(hs, 4, h.records);
    return step_done(omk__sqlite_handle(conn), hs);
}

/* ---- pruning (the Logboek's own retention) ---- */

/* The pruning point: the last removed row, its hash (the predecessor of the first row kept),
 * and how many rows and records were removed in all. */
typedef struct snoeipunt {
    int64_t tot;
    unsigned char hash[HASH];
    long long rows, records;
    bool stored;
} snoeipunt;

static omk_rc read_snoeipunt(void *conn, snoeipunt *sp)
{
    memset(sp, 0, sizeof *sp);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT tot, hash, verwerkingen, records FROM"
                                    " dataverwerkingen_snoeipunt WHERE id = 1", &st);
    if (rc)
        return rc;
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        sp->stored = true;
        sp->tot = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == HASH)
            memcpy(sp->hash, sqlite3_column_blob(st, 1), HASH);
        sp->rows = sqlite3_column_int64(st, 2);
        sp->records = sqlite3_column_int64(st, 3);
        e = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

/* The text the chained record of a pruning carries in `bron`: verify compares it with the
 * pruning point, so moving the point (removing more) breaks the chain or shows. */
static void snoei_bron(const snoeipunt *sp, char out[160])
{
    char hex[2 * HASH + 1];
    sodium_bin2hex(hex, sizeof hex, sp->hash, HASH);
    snprintf(out, 160, "tot en met record %lld; hash %s", (long long)sp->tot, hex);
}

static omk_rc one_int(void *conn, const char *sql, int64_t arg, int64_t *out, bool *found)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, arg);
    int e = sqlite3_step(st);
    *found = e == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    *out = *found ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_ROW || e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

omk_rc omk__sqlite_ldv_prunable(void *conn, int64_t before_ms, omk_ldv_snoei *out)
{
    memset(out, 0, sizeof *out);
    head h;
    snoeipunt sp;
    omk_rc rc = read_head(conn, &h);
    if (!rc)
        rc = read_snoeipunt(conn, &sp);
    if (rc)
        return rc;
    /* Rows are in commit order and end at most a commit's delay before it: a binary search
     * over the ids for the last chained row that ended before the term (a few rows of ms
     * either side of it may go a little early or late; the term is months). */
    int64_t lo = sp.tot, hi = h.last; /* invariant: lo ended before (or is the point) */
    bool found = false;
    while (!rc && lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2, id = 0, eind = 0;
        rc = one_int(conn, "SELECT id FROM dataverwerkingen WHERE id >= ? ORDER BY id LIMIT 1",
                     mid, &id, &found);
        if (!rc && found && id <= hi)
            rc = one_int(conn, "SELECT eind_ms FROM dataverwerkingen WHERE id = ?", id, &eind,
                         &found);
        if (rc)
            break;
        if (found && id <= hi && eind < before_ms)
            lo = id;
        else
            hi = mid - 1;
    }
    if (rc || lo <= sp.tot)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = omk__sqlite_prepare(conn, "SELECT count(*), coalesce(sum(aantal), 0) FROM"
                                   " dataverwerkingen WHERE id > ? AND id <= ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, sp.tot);
    sqlite3_bind_int64(st, 2, lo);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        out->tot = lo;
        out->rows = sqlite3_column_int64(st, 0);
        out->records = sqlite3_column_int64(st, 1);
        e = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

/* Removes the index's ids up to tot: a row wholly before it goes, a row across it keeps its
 * later ids (its first id becomes the first kept). */
static omk_rc prune_index(void *conn, int64_t tot)
{
    sqlite3_stmt *st = NULL, *del = NULL, *ins = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, "SELECT sleutel, eerste, volgende FROM"
                                          " dataverwerkingen_betrokkenen WHERE eerste <= ?",
                                    &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, tot);
    typedef struct kept {
        unsigned char key[KEY];
        int64_t eerste;
        unsigned char *rest;
        size_t len;
    } kept;
    kept *list = NULL;
    size_t n = 0, cap = 0;
    int e;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            kept *bigger = realloc(list, cap * sizeof *bigger);
            if (!bigger) {
                rc = OMK_NOMEM;
                break;
            }
            list = bigger;
        }
        kept *k = &list[n++];
        memset(k, 0, sizeof *k);
        if (sqlite3_column_bytes(st, 0) == KEY)
            memcpy(k->key, sqlite3_column_blob(st, 0), KEY);
        k->eerste = sqlite3_column_int64(st, 1);
        const unsigned char *p = sqlite3_column_blob(st, 2);
        size_t len = (size_t)sqlite3_column_bytes(st, 2), at = 0;
        int64_t id = k->eerste, first = 0;
        uint64_t gap;
        k->rest = malloc(len + 10);
        if (!k->rest) {
            rc = OMK_NOMEM;
            break;
        }
        int64_t prev = 0;
        while (get_varint(p, len, &at, &gap)) {
            id += (int64_t)gap;
            if (id <= tot)
                continue;
            if (!first)
                first = id;
            else
                k->len += put_varint(k->rest + k->len, (uint64_t)(id - prev));
            prev = id;
        }
        k->eerste = first; /* 0: nothing kept */
    }
    if (!rc && e != SQLITE_DONE)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!rc)
        rc = omk__sqlite_prepare(conn, "DELETE FROM dataverwerkingen_betrokkenen WHERE"
                                       " eerste <= ?", &del);
    if (!rc) {
        sqlite3_bind_int64(del, 1, tot);
        rc = step_done(omk__sqlite_handle(conn), del);
    }
    if (!rc)
        rc = omk__sqlite_prepare(conn, "INSERT INTO dataverwerkingen_betrokkenen (sleutel,"
                                       " eerste, volgende) VALUES (?, ?, ?)", &ins);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!list[i].eerste)
            continue;
        sqlite3_bind_blob(ins, 1, list[i].key, KEY, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, list[i].eerste);
        sqlite3_bind_blob(ins, 3, list[i].len ? (const void *)list[i].rest : "",
                          (int)list[i].len, SQLITE_STATIC);
        rc = step_done(omk__sqlite_handle(conn), ins);
    }
    for (size_t i = 0; i < n; i++)
        free(list[i].rest);
    free(list);
    return rc;
}

omk_rc omk__sqlite_ldv_prune(void *conn, int64_t tot, int64_t now_ms, omk_ldv_snoei *out)
{
    memset(out, 0, sizeof *out);
    head h;
    snoeipunt sp;
    omk_rc rc = read_head(conn, &h);
    if (!rc)
        rc = read_snoeipunt(conn, &sp);
    if (rc)
        return rc;
    if (tot > h.last)
        tot = h.last; /* only what is chained */
    int64_t last = 0;
    bool found = false;
    if (tot > sp.tot)
        rc = one_int(conn, "SELECT max(id) FROM dataverwerkingen WHERE id <= ?", tot, &last,
                     &found);
    if (rc || !found || last <= sp.tot)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = omk__sqlite_prepare(conn, "SELECT hash, (SELECT count(*) FROM dataverwerkingen WHERE"
                                   " id > ?1 AND id <= ?2), (SELECT coalesce(sum(aantal), 0)"
                                   " FROM dataverwerkingen WHERE id > ?1 AND id <= ?2) FROM"
                                   " dataverwerkingen WHERE id = ?2", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, sp.tot);
    sqlite3_bind_int64(st, 2, last);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW && sqlite3_column_bytes(st, 0) == HASH) {
        memcpy(sp.hash, sqlite3_column_blob(st, 0), HASH);
        out->rows = sqlite3_column_int64(st, 1);
        out->records = sqlite3_column_int64(st, 2);
        e = SQLITE_DONE;
    } else if (e == SQLITE_ROW) {
        e = SQLITE_CORRUPT; /* a chained row without its hash */
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (e != SQLITE_DONE)
        return omk__sqlite_rc(e);
    sp.tot = out->tot = last;
    sp.rows += out->rows;
    sp.records += out->records;
    sqlite3_stmt *del = NULL, *put = NULL;
    rc = omk__sqlite_prepare(conn, "DELETE FROM dataverwerkingen WHERE id <= ?", &del);
    if (!rc) {
        sqlite3_bind_int64(del, 1, last);
        rc = step_done(omk__sqlite_handle(conn), del);
    }
    if (!rc)
        rc = prune_index(conn, last);
    if (!rc)
        rc = omk__sqlite_prepare(conn, "INSERT OR REPLACE INTO dataverwerkingen_snoeipunt (id,"
                                       " tot, hash, verwerkingen, records, op) VALUES (1, ?, ?,"
                                       " ?, ?, ?)", &put);
    if (rc)
        return rc;
    sqlite3_bind_int64(put, 1, sp.tot);
    sqlite3_bind_blob(put, 2, sp.hash, HASH, SQLITE_STATIC);
    sqlite3_bind_int64(put, 3, sp.rows);
    sqlite3_bind_int64(put, 4, sp.records);
    sqlite3_bind_int64(put, 5, now_ms);
    rc = step_done(omk__sqlite_handle(conn), put);
    /* The pruning itself enters the chain: a record naming the point (no persons). */
    unsigned char rnd[24];
    char trace[33], span[17], bron[160];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(trace, sizeof trace, rnd, 16);
    sodium_bin2hex(span, sizeof span, rnd + 16, 8);
    snoei_bron(&sp, bron);
    omk_ldv_row r = {.trace_id = trace, .span_id = span, .naam = OMK_LDV_SNOEI_NAAM,
                     .status = "Ok", .activiteit = "klantgegevens-beheren", .rol = "systeem",
                     .bron = bron, .start_ms = now_ms, .eind_ms = now_ms};
    return rc ? rc : omk__sqlite_ldv_add(conn, &r, 1);
}

/* ---- reading ---- */

static const char FILTER_SQL[] =
    " WHERE (?1 IS NULL OR trace_id = ?1) AND (?2 IS NULL OR verwerkingsactiviteit = ?2)"
    " AND (?3 IS NULL OR rol = ?3)";

static void bind_filter(sqlite3_stmt *st, const omk_ldv_filter *f)
{
    bind_text(st, 1, f->trace_id);
    bind_text(st, 2, f->activiteit);
    bind_text(st, 3, f->rol);
}

/* Steps st to the end, copying each row into a growing array in a. */
static omk_rc collect(sqlite3_stmt *st, omk_arena *a, size_t hint, omk_ldv_row **out, size_t *n)
{
    size_t cap = hint ? hint : 16;
    omk_ldv_row *list = omk_arena_alloc(a, cap * sizeof *list);
    omk_rc rc = list ? OMK_OK : OMK_NOMEM;
    int e = SQLITE_DONE;
    *n = 0;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            omk_ldv_row *bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
            if (!bigger) {
                rc = OMK_NOMEM;
                break;
            }
            memcpy(bigger, list, cap * sizeof *list);
            list = bigger;
            cap *= 2;
        }
        rc = copy_row(st, a, &list[(*n)++]);
    }
    if (!rc && e != SQLITE_DONE && e != SQLITE_ROW)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = list;
    return rc;
}

omk_rc omk__sqlite_ldv_rows(void *conn, const omk_ldv_filter *f, omk_arena *a,
                            omk_ldv_row **out, size_t *n)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT " ROW_COLUMNS " FROM dataverwerkingen%s"
                              " AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5", FILTER_SQL);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 4, f->before_id);
    sqlite3_bind_int(st, 5, f->limit > 0 ? f->limit : 100);
    return collect(st, a, f->limit > 0 ? (size_t)f->limit : 100, out, n);
}

omk_rc omk__sqlite_ldv_count(void *conn, const omk_ldv_filter *f, long long *out)
{
    *out = 0;
    sqlite3_stmt *st = NULL;
    omk_rc rc;
    if (!f->trace_id && !f->activiteit && !f->rol) {
        /* Everything: the head knows, and only rows not chained yet are counted. */
        head h;
        rc = read_head(conn, &h);
        if (rc)
            return rc;
        *out = h.records;
        rc = omk__sqlite_prepare(conn, "SELECT coalesce(sum(aantal), 0) FROM dataverwerkingen"
                                       " WHERE id > ?", &st);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, h.last);
    } else {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT coalesce(sum(aantal), 0) FROM dataverwerkingen%s",
                 FILTER_SQL);
        rc = omk__sqlite_prepare(conn, sql, &st);
        if (rc)
            return rc;
        bind_filter(st, f);
    }
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        *out += sqlite3_column_int64(st, 0);
        e = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

omk_rc omk__sqlite_ldv_get(void *conn, const int64_t *ids, size_t n, omk_arena *a,
                           omk_ldv_row **out, size_t *nout)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, "SELECT " ROW_COLUMNS " FROM dataverwerkingen"
                                          " WHERE id = ?", &st);
    omk_ldv_row *list = omk_arena_alloc(a, (n ? n : 1) * sizeof *list);
    *nout = 0;
    *out = list;
    if (!rc && !list)
        rc = OMK_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        int e = sqlite3_step(st);
        if (e == SQLITE_ROW)
            rc = copy_row(st, a, &list[(*nout)++]);
        else if (e != SQLITE_DONE)
            rc = omk__sqlite_rc(e);
        sqlite3_reset(st);
    }
    return rc;
}

omk_rc omk__sqlite_ldv_ids(void *conn, const unsigned char key[16], size_t max, omk_arena *a,
                           int64_t **ids, size_t *n)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT eerste, volgende FROM dataverwerkingen_betrokkenen"
                                    " WHERE sleutel = ? ORDER BY eerste DESC", &st);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, key, KEY, SQLITE_STATIC);
    size_t cap = 64;
    int64_t *list = omk_arena_alloc(a, cap * sizeof *list);
    *n = 0;
    int e = SQLITE_DONE;
    while (list && *n < max && (e = sqlite3_step(st)) == SQLITE_ROW) {
        /* One group's ids ascend; groups follow one another: so each row's ids, newest first,
         * continue the list. */
        const unsigned char *p = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1), at = 0, k = 1;
        int64_t *group = omk_arena_alloc(a, (len + 1) * sizeof *group); /* ≥ 1 byte an id */
        if (!group) {
            list = NULL;
            break;
        }
        group[0] = sqlite3_column_int64(st, 0);
        uint64_t gap;
        while (k <= len && get_varint(p, len, &at, &gap)) {
            group[k] = group[k - 1] + (int64_t)gap;
            k++;
        }
        while (k > 0 && *n < max) {
            if (*n == cap) {
                int64_t *bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
                if (!bigger) {
                    list = NULL;
                    break;
                }
                memcpy(bigger, list, cap * sizeof *list);
                list = bigger;
                cap *= 2;
            }
            list[(*n)++] = group[--k];
        }
    }
    if (!list)
        rc = OMK_NOMEM;
    else if (e != SQLITE_DONE && e != SQLITE_ROW)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *ids = list;
    return rc;
}

/* ---- verification ---- */

/* A sum over (pseudonym, id) pairs of their SipHash: equal for the rows and for the index
 * exactly when both hold the same pairs (with overwhelming probability). */
static uint64_t pair_digest(const unsigned char *key, int64_t id)
{
    static const unsigned char K[crypto_shorthash_KEYBYTES] = {0};
    unsigned char in[KEY + 8], out[crypto_shorthash_BYTES];
    memcpy(in, key, KEY);
    for (int i = 0; i < 8; i++)
        in[KEY + i] = (unsigned char)((uint64_t)id >> (8 * i));
    crypto_shorthash(out, in, sizeof in, K);
    uint64_t v;
    memcpy(&v, out, sizeof v);
    return v;
}

uint64_t omk__ldv_pair_digest(const unsigned char key[16], int64_t id)
{
    return pair_digest(key, id);
}

static void bad(omk_ldv_check *out, int64_t id, const char *detail)
{
    out->ok = false;
    out->bad_id = id;
    snprintf(out->reason, sizeof out->reason, "%s", detail);
}

omk_rc omk__sqlite_ldv_verify(void *conn, omk_ldv_check *out)
{
    memset(out, 0, sizeof *out);
    out->ok = true;
    head h;
    omk_rc rc = read_head(conn, &h);
    if (rc)
        return rc;
    snoeipunt sp;
    rc = read_snoeipunt(conn, &sp);
    if (rc)
        return rc;
    /* After a pruning the chain starts at its point: the last removed row's hash. */
    unsigned char prev[HASH];
    genesis(prev);
    if (sp.stored)
        memcpy(prev, sp.hash, HASH);
    out->pruned_to = sp.tot;
    char snoei_laatst[160] = "";
    sqlite3_stmt *st = NULL;
    rc = omk__sqlite_prepare(conn, "SELECT " ROW_COLUMNS " FROM dataverwerkingen ORDER BY id",
                             &st);
    if (rc)
        return rc;
    int64_t last = sp.tot;
    uint64_t digest = 0;
    int e;
    while ((e = sqlite3_step(st)) == SQLITE_ROW) {
        omk_ldv_row r;
        view_row(st, &r);
        unsigned char want[HASH];
        if (row_hash(prev, &r, want)) {
            sqlite3_reset(st);
            return OMK_NOMEM;
        }
        const void *stored = sqlite3_column_blob(st, C_HASH);
        char detail[160];
        if (r.id != last + 1) {
            snprintf(detail, sizeof detail, "volgt niet op record %lld: de records daartussen"
                     " zijn verwijderd", (long long)last);
            bad(out, r.id, detail);
        } else if (!stored || sqlite3_column_bytes(st, C_HASH) != HASH) {
            bad(out, r.id, "staat niet in de hashketen");
        } else if (sodium_memcmp(stored, want, HASH) != 0) {
            bad(out, r.id, "klopt niet met de hashketen: gewijzigd, ingevoegd, of een record"
                           " ervoor is verwijderd");
        }
        if (!out->ok)
            break;
        {
            out->rows++;
            out->records += (long long)r.n;
            memcpy(prev, want, HASH);
            last = r.id;
            if (r.naam && strcmp(r.naam, OMK_LDV_SNOEI_NAAM) == 0)
                snprintf(snoei_laatst, sizeof snoei_laatst, "%s", r.bron ? r.bron : "");
            for (size_t k = 0; k < r.n; k++)
                digest += pair_digest(r.personen + k * OMK_LDV_PERSOON + 1, r.id);
        }
    }
    sqlite3_reset(st);
    if (e != SQLITE_DONE)
        return omk__sqlite_rc(e);
    if (out->ok && (last != h.last || sodium_memcmp(prev, h.hash, HASH) != 0 ||
                    out->rows + sp.rows != h.rows || out->records + sp.records != h.records)) {
        char detail[160];
        if (last < h.last)
            snprintf(detail, sizeof detail, "ontbreekt: de laatste records (%lld tot en met"
                     " %lld) zijn verwijderd", (long long)last + 1, (long long)h.last);
        else
            snprintf(detail, sizeof detail, "past niet bij de kop van de keten (laatste record"
                     " %lld): de kop of de laatste records zijn gewijzigd", (long long)h.last);
        bad(out, last < h.last ? last + 1 : last, detail);
    }
    /* The newest pruning record names the point: a point moved on (rows removed beyond
     * what was pruned) no longer matches it. */
    char want_bron[160];
    if (sp.stored)
        snoei_bron(&sp, want_bron);
    if (out->ok && sp.stored && strcmp(snoei_laatst, want_bron) != 0)
        bad(out, 0, "het snoeipunt (tot en met record ...) klopt niet met het laatste record"
                    " 'Logboek ingekort': records zijn buiten de bewaartermijn om verwijderd");
    if (!out->ok)
        return OMK_OK;
    /* The index must name exactly the persons of the rows. */
    sqlite3_stmt *ix = NULL;
    rc = omk__sqlite_prepare(conn, "SELECT sleutel, eerste, volgende FROM"
                                   " dataverwerkingen_betrokkenen", &ix);
    if (rc)
        return rc;
    uint64_t index_digest = 0;
    while ((e = sqlite3_step(ix)) == SQLITE_ROW) {
        const unsigned char *key = sqlite3_column_blob(ix, 0);
        if (sqlite3_column_bytes(ix, 0) != KEY)
            continue; /* counts as missing: the digests differ */
        int64_t id = sqlite3_column_int64(ix, 1);
        index_digest += pair_digest(key, id);
        const unsigned char *p = sqlite3_column_blob(ix, 2);
        size_t len = (size_t)sqlite3_column_bytes(ix, 2), at = 0;
        uint64_t gap;
        while (get_varint(p, len, &at, &gap)) {
            id += (int64_t)gap;
            index_digest += pair_digest(key, id);
        }
    }
    sqlite3_reset(ix);
    if (e != SQLITE_DONE)
        return omk__sqlite_rc(e);
    if (index_digest != digest)
        bad(out, 0, "de index van betrokkenen klopt niet met de records (gewijzigd of"
                    " verwijderd)");
    if (out->ok)
        sodium_bin2hex(out->head, sizeof out->head, prev, HASH);
    return OMK_OK;
}

/* ---- migration 18 ---- */

static int type_code(const char *t)
{
    static const char *const NAMES[] = {NULL, "BSN", "KVK", "vestigingsnummer", "partij"};
    for (int i = 1; i < 5; i++)
        if (t && strcmp(t, NAMES[i]) == 0)
            return i;
    return 0;
}

omk_rc omk__sqlite_ldv_migrate(void *conn)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT trace_id, span_id, parent_span_id, naam, start_ms,"
                                    " eind_ms, status, verwerkingsactiviteit, rol, aanroeper,"
                                    " bron, betrokkene, betrokkene_type FROM dataverwerkingen_14"
                                    " ORDER BY id", &st);
    sqlite3_stmt *ins = NULL;
    if (!rc)
        rc = omk__sqlite_prepare(conn, INSERT_SQL, &ins);
    int e = SQLITE_DONE;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        unsigned char person[OMK_LDV_PERSOON] = {0};
        person[0] = (unsigned char)type_code(col_text(st, 12));
        const char *hex = col_text(st, 11);
        if (!hex || sodium_hex2bin(person + 1, KEY, hex, strlen(hex) < 2 * KEY ? strlen(hex)
                                                                                : 2 * KEY,
                                   NULL, NULL, NULL) != 0) {
            omk_log_error("store", "logboek: a record of schema 10 has no valid pseudonym");
            rc = OMK_INVALID;
            break;
        }
        omk_ldv_row r = {
            .trace_id = col_text(st, 0), .span_id = col_text(st, 1),
            .parent_span_id = col_text(st, 2), .naam = col_text(st, 3),
            .start_ms = sqlite3_column_int64(st, 4), .eind_ms = sqlite3_column_int64(st, 5),
            .status = col_text(st, 6), .activiteit = col_text(st, 7), .rol = col_text(st, 8),
            .aanroeper = col_text(st, 9), .bron = col_text(st, 10), .personen = person, .n = 1};
        bind_row(ins, &r, NULL);
        rc = step_done(omk__sqlite_handle(conn), ins);
    }
    if (!rc && e != SQLITE_DONE)
        rc = omk__sqlite_rc(e);
    if (st)
        sqlite3_reset(st);
    /* The statements on the old table go before it does. */
    sqlite3_stmt *drop = NULL;
    if (!rc)
        rc = sqlite3_prepare_v2(omk__sqlite_handle(conn), "DROP TABLE dataverwerkingen_14", -1,
                                &drop, NULL) == SQLITE_OK ? OMK_OK : OMK_IO;
    if (!rc) {
        e = sqlite3_step(drop);
        rc = e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
    }
    sqlite3_finalize(drop);
    return rc ? rc : omk__sqlite_ldv_seal(conn, NULL, 0);
}

/* ---- a page's related values ---- */

omk_rc omk__sqlite_column_in(void *conn, const char *table, const char *match, const char *col,
                             const char *const *vals, size_t n, omk_arena *a,
                             const char ***matches, const char ***values, size_t *count)
{
    *count = 0;
    *matches = *values = NULL;
    if (n == 0)
        return OMK_OK;
    if (n > 512)
        return OMK_TOOBIG;
    /* As in omk_db_children_in: exactly n parameters up to 100, then multiples of 100. */
    size_t slots = n <= 100 ? n : (n + 99) / 100 * 100;
    omk_buf sql;
    omk_buf_init(&sql, 8192);
    omk_buf_printf(&sql, "SELECT %s, %s FROM %s WHERE %s IN (?", match, col, table, match);
    for (size_t i = 1; i < slots; i++)
        omk_buf_puts(&sql, ",?");
    omk_buf_printf(&sql, ") AND %s IS NOT NULL", col);
    sqlite3_stmt *st = NULL;
    omk_rc rc = sql.rc ? sql.rc : omk__sqlite_prepare(conn, sql.p, &st);
    omk_buf_release(&sql);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_text(st, (int)i + 1, vals[i], -1, SQLITE_STATIC);
    size_t cap = n + 8;
    const char **m = omk_arena_alloc(a, cap * sizeof *m), **v = omk_arena_alloc(a, cap * sizeof *v);
    int e = SQLITE_DONE;
    while (m && v && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            const char **m2 = omk_arena_alloc(a, 2 * cap * sizeof *m2);
            const char **v2 = omk_arena_alloc(a, 2 * cap * sizeof *v2);
            if (m2 && v2) {
                memcpy(m2, m, cap * sizeof *m);
                memcpy(v2, v, cap * sizeof *v);
            }
            m = m2;
            v = v2;
            cap *= 2;
            if (!m || !v)
                break;
        }
        m[*count] = omk_arena_strdup(a, col_text(st, 0));
        v[*count] = omk_arena_strdup(a, col_text(st, 1));
        if (!m[*count] || !v[*count]) {
            m = NULL;
            break;
        }
        (*count)++;
    }
    if (!m || !v)
        rc = OMK_NOMEM;
    else if (e != SQLITE_DONE && e != SQLITE_ROW)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *matches = m;
    *values = v;
    return rc;
}
