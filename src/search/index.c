/* The SQLite full-text index (see omk/search.h): entries keyed by the owner row's id, ranked
 * by weighted bm25, filtered on owner columns, highlighted only for the rows shown. Runs on
 * a connection lent by the store for the duration of one store callback; statements are
 * prepared and finalised within each call, so nothing outlives that callback. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/search.h"

#define SQL_CAP 4096

/* Table and column names are pasted into SQL: accept only plain identifiers. */
static bool ident(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* The weights list may hold only digits, dots, commas and spaces. */
static bool weights_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789., ", *s))
            return false;
    return true;
}

static bool index_ok(const omk_search_index *ix)
{
    return ix && ident(ix->fts) && ident(ix->owner) && ix->ncolumns >= 1 && ix->ncolumns <= 8 &&
           weights_ok(ix->weights) && ix->title_col >= 0 && ix->title_col < ix->ncolumns &&
           ix->snippet_col >= 0 && ix->snippet_col < ix->ncolumns;
}

static omk_rc map(int e)
{
    switch (e & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return OMK_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return OMK_BUSY;
    case SQLITE_NOMEM: return OMK_NOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN: return OMK_IO;
    default: return OMK_INTERNAL;
    }
}

static omk_rc prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    *st = NULL;
    return map(sqlite3_prepare_v2(db, sql, -1, st, NULL));
}

omk_rc omk_search_sqlite_remove(void *dbv, const omk_search_index *ix, const char *uuid)
{
    sqlite3 *db = dbv;
    sqlite3_stmt *st = NULL;
    char sql[SQL_CAP];
    omk_rc rc = OMK_INTERNAL;
    if (!db || !index_ok(ix))
        goto out;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE rowid = (SELECT id FROM %s WHERE uuid = ?)",
             ix->fts, ix->owner);
    if ((rc = prepare(db, sql, &st)))
        goto out;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    rc = map(sqlite3_step(st));
out:
    sqlite3_finalize(st);
    return rc;
}

omk_rc omk_search_sqlite_put(void *dbv, const omk_search_index *ix, const char *uuid,
                             const char *const *values)
{
    sqlite3 *db = dbv;
    sqlite3_stmt *st = NULL;
    omk_buf b;
    omk_buf_init(&b, SQL_CAP);
    omk_rc rc = omk_search_sqlite_remove(dbv, ix, uuid);
    if (rc)
        goto out;
    omk_buf_printf(&b, "INSERT INTO %s(rowid", ix->fts);
    for (int i = 0; i < ix->ncolumns; i++) {
        rc = ident(ix->columns[i]) ? OMK_OK : OMK_INTERNAL;
        if (rc)
            goto out;
        omk_buf_printf(&b, ", %s", ix->columns[i]);
    }
    omk_buf_puts(&b, ") SELECT id");
    for (int i = 0; i < ix->ncolumns; i++)
        omk_buf_printf(&b, ", ?%d", i + 2);
    omk_buf_printf(&b, " FROM %s WHERE uuid = ?1", ix->owner);
    if ((rc = b.rc) || (rc = prepare(db, b.p, &st)))
        goto out;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    for (int i = 0; i < ix->ncolumns; i++)
        sqlite3_bind_text(st, i + 2, values && values[i] ? values[i] : "", -1, SQLITE_STATIC);
    rc = map(sqlite3_step(st));
    if (!rc && sqlite3_changes(db) == 0)
        rc = OMK_NOTFOUND;
out:
    sqlite3_finalize(st);
    omk_buf_release(&b);
    return rc;
}

static const char *dup_text(omk_arena *a, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    const char *s = omk_arena_strdup(a, t ? (const char *)t : "");
    return s;
}

omk_rc omk_search_sqlite_query(void *dbv, const omk_search_index *ix, const char *match,
                               const omk_search_cond *conds, size_t nconds,
                               const char *const *cols, size_t ncols, size_t limit,
                               omk_arena *a, omk_search_result **out, size_t *n)
{
    sqlite3 *db = dbv;
    sqlite3_stmt *st = NULL;
    omk_buf b;
    omk_buf_init(&b, SQL_CAP);
    omk_rc rc = OMK_INTERNAL;
    *out = NULL;
    *n = 0;
    if (!db || !index_ok(ix) || !match || ncols > 16)
        goto out;
    omk_buf_printf(&b, "SELECT o.id, o.uuid, bm25(%s, %s) AS r", ix->fts, ix->weights);
    for (size_t i = 0; i < ncols; i++) {
        if (!ident(cols[i]))
            goto out;
        omk_buf_printf(&b, ", o.%s", cols[i]);
    }
    omk_buf_printf(&b, " FROM %s JOIN %s o ON o.id = %s.rowid WHERE %s MATCH ?1", ix->fts,
                   ix->owner, ix->fts, ix->fts);
    for (size_t i = 0; i < nconds; i++) {
        const char *c = conds[i].column;
        int p = (int)i + 3;
        if (!ident(c))
            goto out;
        switch (conds[i].op) {
        case OMK_SEARCH_EQ: omk_buf_printf(&b, " AND o.%s = ?%d", c, p); break;
        case OMK_SEARCH_LTE_OR_NULL:
            omk_buf_printf(&b, " AND (o.%s IS NULL OR o.%s <= ?%d)", c, c, p);
            break;
        case OMK_SEARCH_GTE_OR_NULL:
            omk_buf_printf(&b, " AND (o.%s IS NULL OR o.%s >= ?%d)", c, c, p);
            break;
        case OMK_SEARCH_IN_LIST:
            omk_buf_printf(&b, " AND EXISTS (SELECT 1 FROM json_each(o.%s) WHERE value = ?%d)", c,
                           p);
            break;
        default: goto out;
        }
    }
    omk_buf_puts(&b, " ORDER BY r LIMIT ?2");
    if ((rc = b.rc) || (rc = prepare(db, b.p, &st)))
        goto out;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)(limit ? limit : 1000));
    for (size_t i = 0; i < nconds; i++)
        sqlite3_bind_text(st, (int)i + 3, conds[i].value ? conds[i].value : "", -1,
                          SQLITE_STATIC);
    size_t cap = 32;
    omk_search_result *res = omk_arena_alloc(a, cap * sizeof *res);
    int e = SQLITE_ROW;
    while (res && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            omk_search_result *bigger = omk_arena_alloc(a, 2 * cap * sizeof *bigger);
            if (bigger)
                memcpy(bigger, res, cap * sizeof *res);
            res = bigger;
            cap *= 2;
            if (!res)
                break;
        }
        omk_search_result *r = &res[*n];
        *r = (omk_search_result){.id = sqlite3_column_int64(st, 0), .uuid = dup_text(a, st, 1),
                                 .score = -sqlite3_column_double(st, 2)};
        r->cols = omk_arena_alloc(a, (ncols + 1) * sizeof *r->cols);
        if (!r->uuid || !r->cols) {
            res = NULL;
            break;
        }
        for (size_t i = 0; i < ncols; i++)
            if (!(r->cols[i] = dup_text(a, st, (int)i + 3)))
                res = NULL;
        if (res)
            (*n)++;
    }
    if (!res)
        rc = OMK_NOMEM;
    else if (e != SQLITE_DONE)
        rc = map(e) ? map(e) : OMK_INTERNAL;
    *out = res;
out:
    sqlite3_finalize(st);
    omk_buf_release(&b);
    return rc;
}

omk_rc omk_search_sqlite_mark(void *dbv, const omk_search_index *ix, const char *match,
                              omk_search_result *r, omk_arena *a)
{
    sqlite3 *db = dbv;
    sqlite3_stmt *st = NULL;
    char sql[SQL_CAP];
    omk_rc rc = OMK_INTERNAL;
    if (!db || !index_ok(ix) || !match)
        goto out;
    snprintf(sql, sizeof sql,
             "SELECT highlight(%s, %d, char(2), char(3)),"
             " snippet(%s, %d, char(2), char(3), '…', 24)"
             " FROM %s WHERE %s MATCH ?1 AND rowid = ?2",
             ix->fts, ix->title_col, ix->fts, ix->snippet_col, ix->fts, ix->fts);
    if ((rc = prepare(db, sql, &st)))
        goto out;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->id);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        r->highlight = dup_text(a, st, 0);
        r->snippet = dup_text(a, st, 1);
        rc = r->highlight && r->snippet ? OMK_OK : OMK_NOMEM;
    } else {
        /* The row no longer matches (changed since the query): nothing to mark. */
        r->highlight = "";
        r->snippet = "";
        rc = map(e);
    }
out:
    sqlite3_finalize(st);
    return rc;
}
