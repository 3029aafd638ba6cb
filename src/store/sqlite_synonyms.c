/* The SQLite storage of the kennisbank's synonym list (omk/store.h, omk_db_synonyms_*):
 * kb_synoniemen holds one row per group, kb_synoniem_termen one row per term, keyed by the
 * term (so a term is in one group at most) with its group's id and its position. Called on
 * the connection's own thread, inside the caller's read snapshot or write transaction. */
#include <sqlite3.h>
#include <string.h>

#include "omk/buf.h"
#include "sqlite_int.h"

#define GROUP_SELECT                                                                           \
    "SELECT g.uuid, g.gewijzigd_op, g.gewijzigd_door, t.term FROM kb_synoniemen g"             \
    " JOIN kb_synoniem_termen t ON t.groep = g.id"
#define GROUP_ORDER " ORDER BY g.id, t.positie"

/* Makes room for one more element of `size` bytes in the arena array *p of *cap elements
 * holding n: a full array is copied into one twice its size. False when out of memory. */
static bool room(omk_arena *a, void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 8;
    void *q = omk_arena_alloc(a, nc * size);
    if (!q)
        return false;
    if (n)
        memcpy(q, *p, n * size);
    *p = q;
    *cap = nc;
    return true;
}

static const char *text_col(sqlite3_stmt *st, int i, omk_arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return omk_arena_strndup(a, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(st, i));
}

/* Steps st (bound; rows as GROUP_SELECT, ordered by group, then position) into groups, and
 * resets it. */
static omk_rc collect(sqlite3_stmt *st, omk_arena *a, omk_synonym_group **out, size_t *n)
{
    omk_synonym_group *groups = NULL;
    size_t ng = 0, cap = 0, tcap = 0;
    omk_rc rc = OMK_OK;
    int e;
    while ((e = sqlite3_step(st)) == SQLITE_ROW) {
        const char *uuid = (const char *)sqlite3_column_text(st, 0);
        if (!ng || strcmp(groups[ng - 1].uuid, uuid ? uuid : "") != 0) {
            if (!room(a, (void **)&groups, &cap, ng, sizeof *groups)) {
                rc = OMK_NOMEM;
                break;
            }
            omk_synonym_group *g = &groups[ng++];
            *g = (omk_synonym_group){.uuid = text_col(st, 0, a),
                                     .gewijzigd_op = sqlite3_column_int64(st, 1),
                                     .gewijzigd_door = text_col(st, 2, a)};
            tcap = 0;
        }
        omk_synonym_group *g = &groups[ng - 1];
        const char *term = text_col(st, 3, a);
        if (!g->uuid || !g->gewijzigd_door || !term ||
            !room(a, (void **)&g->terms, &tcap, g->n, sizeof *g->terms)) {
            rc = OMK_NOMEM;
            break;
        }
        g->terms[g->n++] = term;
    }
    if (!rc && e != SQLITE_DONE)
        rc = omk__sqlite_rc(e);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = rc ? NULL : groups;
    *n = rc ? 0 : ng;
    return rc;
}

omk_rc omk__sqlite_synonyms_list(void *conn, omk_arena *a, omk_synonym_group **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, GROUP_SELECT GROUP_ORDER, &st);
    return rc ? rc : collect(st, a, out, n);
}

omk_rc omk__sqlite_synonyms_get(void *conn, const char *uuid, omk_arena *a,
                                omk_synonym_group *out)
{
    sqlite3_stmt *st = NULL;
    omk_synonym_group *g = NULL;
    size_t n = 0;
    omk_rc rc = omk__sqlite_prepare(conn, GROUP_SELECT " WHERE g.uuid = ?" GROUP_ORDER, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    rc = collect(st, a, &g, &n);
    if (!rc && !n)
        rc = OMK_NOTFOUND;
    if (!rc)
        *out = g[0];
    return rc;
}

omk_rc omk__sqlite_synonyms_find(void *conn, const char *const *terms, size_t nterms,
                                 omk_arena *a, omk_synonym_group **out, size_t *n)
{
    char sql[1024];
    omk_buf b;
    omk_buf_init_fixed(&b, sql, sizeof sql);
    omk_buf_puts(&b, GROUP_SELECT " WHERE g.id IN (SELECT groep FROM kb_synoniem_termen"
                                  " WHERE term IN (");
    for (size_t i = 0; i < nterms; i++)
        omk_buf_puts(&b, i ? ", ?" : "?");
    omk_buf_puts(&b, "))" GROUP_ORDER);
    if (b.rc)
        return b.rc;
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    for (size_t i = 0; i < nterms; i++)
        sqlite3_bind_text(st, (int)i + 1, terms[i], -1, SQLITE_STATIC);
    return collect(st, a, out, n);
}

/* Runs a prepared statement without rows (bound by the caller) and resets it. */
static omk_rc run(sqlite3_stmt *st)
{
    int e = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

/* The id of group `uuid` in *id, or 0 when there is none. */
static omk_rc group_id(void *conn, const char *uuid, sqlite3_int64 *id)
{
    sqlite3_stmt *st = NULL;
    *id = 0;
    omk_rc rc = omk__sqlite_prepare(conn, "SELECT id FROM kb_synoniemen WHERE uuid = ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_ROW || e == SQLITE_DONE ? OMK_OK : omk__sqlite_rc(e);
}

/* The group's row (inserted or its stamp updated) without terms; its id in *id. */
static omk_rc put_group(void *conn, const omk_synonym_group *g, sqlite3_int64 *id)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = group_id(conn, g->uuid, id);
    if (!rc && *id)
        rc = omk__sqlite_prepare(conn, "UPDATE kb_synoniemen SET gewijzigd_op = ?,"
                                       " gewijzigd_door = ? WHERE id = ?", &st);
    else if (!rc)
        rc = omk__sqlite_prepare(conn, "INSERT INTO kb_synoniemen (gewijzigd_op, gewijzigd_door,"
                                       " uuid) VALUES (?, ?, ?)", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, g->gewijzigd_op);
    sqlite3_bind_text(st, 2, g->gewijzigd_door ? g->gewijzigd_door : "", -1, SQLITE_STATIC);
    if (*id)
        sqlite3_bind_int64(st, 3, *id);
    else
        sqlite3_bind_text(st, 3, g->uuid, -1, SQLITE_STATIC);
    rc = run(st);
    if (!rc && !*id)
        *id = sqlite3_last_insert_rowid(omk__sqlite_handle(conn));
    if (!rc)
        rc = omk__sqlite_prepare(conn, "DELETE FROM kb_synoniem_termen WHERE groep = ?", &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, *id);
        rc = run(st);
    }
    return rc;
}

static omk_rc put_terms(void *conn, const omk_synonym_group *g, sqlite3_int64 id)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, "INSERT INTO kb_synoniem_termen (term, groep, positie)"
                                          " VALUES (?, ?, ?)", &st);
    for (size_t i = 0; !rc && i < g->n; i++) {
        sqlite3_bind_text(st, 1, g->terms[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        rc = run(st);
    }
    return rc;
}

omk_rc omk__sqlite_synonyms_put(void *conn, const omk_synonym_group *g)
{
    sqlite3 *db = omk__sqlite_handle(conn);
    omk_rc rc = omk__sqlite_rc(sqlite3_exec(db, "SAVEPOINT synoniemen", NULL, NULL, NULL));
    if (rc)
        return rc;
    sqlite3_int64 id = 0;
    rc = put_group(conn, g, &id);
    if (!rc)
        rc = put_terms(conn, g, id);
    /* A term of another group (the key) fails the insert: the group stays as it was. */
    if (rc)
        sqlite3_exec(db, "ROLLBACK TO synoniemen", NULL, NULL, NULL);
    omk_rc rel = omk__sqlite_rc(sqlite3_exec(db, "RELEASE synoniemen", NULL, NULL, NULL));
    return rc ? rc : rel;
}

omk_rc omk__sqlite_synonyms_delete(void *conn, const char *uuid)
{
    sqlite3_int64 id = 0;
    sqlite3_stmt *st = NULL;
    omk_rc rc = group_id(conn, uuid, &id);
    if (!rc && !id)
        rc = OMK_NOTFOUND;
    if (!rc)
        rc = omk__sqlite_prepare(conn, "DELETE FROM kb_synoniem_termen WHERE groep = ?", &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(st);
    }
    if (!rc)
        rc = omk__sqlite_prepare(conn, "DELETE FROM kb_synoniemen WHERE id = ?", &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(st);
    }
    return rc;
}
