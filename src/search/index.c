/* The SQLite full-text index (see omk/search.h): entries keyed by the owner row's id, ranked
 * by weighted bm25, filtered on owner columns, highlighted only for the rows shown. Runs on
 * a connection lent by the store for the duration of one store callback; statements are
 * prepared and finalised within each call, so nothing outlives that callback. */
#include <libstemmer.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/search.h"
#include "search_int.h"

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

/* A column set "{a b c}" of identifiers. */
static bool colset_ok(const char *s)
{
    if (!s)
        return true;
    size_t n = strlen(s);
    if (n < 3 || s[0] != '{' || s[n - 1] != '}')
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == ' '))
            return false;
    return true;
}

/* Up to this many matches, scoring all of them is cheap (a row's score costs about half a
 * microsecond, mostly its length, and a second pass costs more than that); above it, only the
 * tiers that will fill the page are scored to begin with. */
#define SMALL_SET 999

/* Appends the conditions on the meta table (alias m) to b; parameters from ?3. */
static bool render_conds(omk_buf *b, const omk_search_cond *conds, size_t nconds)
{
    for (size_t i = 0; i < nconds; i++) {
        const char *c = conds[i].column;
        int p = (int)i + 3;
        if (!ident(c))
            return false;
        switch (conds[i].op) {
        case OMK_SEARCH_EQ: omk_buf_printf(b, " AND m.%s = ?%d", c, p); break;
        case OMK_SEARCH_LTE_OR_NULL:
            omk_buf_printf(b, " AND (m.%s IS NULL OR m.%s <= ?%d)", c, c, p);
            break;
        case OMK_SEARCH_GTE_OR_NULL:
            omk_buf_printf(b, " AND (m.%s IS NULL OR m.%s >= ?%d)", c, c, p);
            break;
        case OMK_SEARCH_IN_LIST:
            omk_buf_printf(b, " AND EXISTS (SELECT 1 FROM json_each(m.%s) WHERE value = ?%d)", c,
                           p);
            break;
        default: return false;
        }
    }
    return true;
}

static void bind_conds(sqlite3_stmt *st, const omk_search_cond *conds, size_t nconds)
{
    for (size_t i = 0; i < nconds; i++)
        sqlite3_bind_text(st, (int)i + 3, conds[i].value ? conds[i].value : "", -1,
                          SQLITE_STATIC);
}

/* Appends one result (id, score, then uuid and cols from st starting at column `from`). */
static omk_rc add_result(sqlite3_stmt *st, int from, long long id, double score, size_t ncols,
                         omk_arena *a, omk_search_result **res, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t bigger_cap = *cap ? 2 * *cap : 32;
        omk_search_result *bigger = omk_arena_alloc(a, bigger_cap * sizeof *bigger);
        if (!bigger)
            return OMK_NOMEM;
        if (*n)
            memcpy(bigger, *res, *n * sizeof *bigger);
        *res = bigger;
        *cap = bigger_cap;
    }
    omk_search_result *r = &(*res)[*n];
    *r = (omk_search_result){.id = id, .uuid = dup_text(a, st, from), .score = score};
    r->cols = omk_arena_alloc(a, (ncols + 1) * sizeof *r->cols);
    if (!r->uuid || !r->cols)
        return OMK_NOMEM;
    for (size_t i = 0; i < ncols; i++)
        if (!(r->cols[i] = dup_text(a, st, from + 1 + (int)i)))
            return OMK_NOMEM;
    (*n)++;
    return OMK_OK;
}

/* The column bit set of each ranking tier ("{titel vragen}" → the bits of those columns).
 * Returns the number of tiers, or -1 when one is not a column set of the index's columns. */
static int tier_masks(const omk_search_index *ix, long long masks[OMK_SEARCH_MAX_TIERS])
{
    int k = 0;
    for (; ix->tiers && ix->tiers[k]; k++) {
        const char *set = ix->tiers[k];
        if (k == OMK_SEARCH_MAX_TIERS || !colset_ok(set))
            return -1;
        masks[k] = 0;
        for (const char *p = set + 1; *p != '}';) {
            size_t len = strcspn(p, " }");
            int c = 0;
            while (c < ix->ncolumns &&
                   !(strlen(ix->columns[c]) == len && strncmp(ix->columns[c], p, len) == 0))
                c++;
            if (len && c == ix->ncolumns)
                return -1;
            if (len)
                masks[k] |= 1LL << c;
            p += len + (p[len] == ' ');
        }
    }
    return k;
}

/* What omk_rank needs to know of the phrases of `match` (numbered in order, as FTS5 numbers
 * them: one per quoted string, the query builder's only kind): which count weakly (part forms,
 * a typed compound's parts, prefixes; a bit set) and which query item each belongs to (the
 * item's alternatives: a quoted string or a parenthesised group at the top level), one
 * letter per phrase ('A' the first item) in items[0..64]. */
static long long phrase_info(const char *match, char items[65])
{
    long long weak = 0;
    int phrase = 0, depth = 0, item = -1;
    for (const char *p = match; *p; p++) {
        if (*p == '(' && depth++ == 0)
            item++;
        if (*p == ')')
            depth--;
        if (*p != '"')
            continue;
        if (depth == 0)
            item++;
        bool w = p[1] == OMK__SEARCH_PART_MARK || p[1] == OMK__SEARCH_WEAK_MARK;
        p++;
        while (*p && !(*p == '"' && p[1] != '"'))
            p += *p == '"' ? 2 : 1;
        if (*p && p[1] == '*')
            w = true;
        if (phrase < 64) {
            weak |= w ? 1LL << phrase : 0;
            items[phrase] = (char)('A' + (item < 0 ? 0 : item > 57 ? 57 : item));
        }
        phrase++;
        if (!*p)
            break;
    }
    items[phrase < 64 ? phrase : 64] = 0;
    return weak;
}

/* The matches of `match` joined to the meta table, narrowed by conds, at most `limit` rows,
 * unranked (index order), appended to *res (capacity *cap). */
static omk_rc run_scan(sqlite3 *db, const omk_search_index *ix, const char *match,
                       const omk_search_cond *conds, size_t nconds, const char *const *cols,
                       size_t ncols, size_t limit, omk_arena *a, omk_search_result **res,
                       size_t *n, size_t *cap)
{
    sqlite3_stmt *st = NULL;
    omk_buf b;
    omk_buf_init(&b, SQL_CAP);
    omk_rc rc = OMK_INTERNAL;
    const char *meta = ix->meta ? ix->meta : ix->owner;
    if (!ident(meta))
        goto out;
    omk_buf_puts(&b, "SELECT m.id, m.uuid");
    for (size_t i = 0; i < ncols; i++) {
        if (!ident(cols[i]))
            goto out;
        omk_buf_printf(&b, ", m.%s", cols[i]);
    }
    /* With tiers, each match's tier too (omk_rank unscored: cheap), for omk_search_cutoff. */
    long long masks[OMK_SEARCH_MAX_TIERS];
    int ntiers = tier_masks(ix, masks);
    if (ntiers < 0)
        goto out;
    if (ntiers > 0) {
        char items[65];
        phrase_info(match, items);
        omk_buf_printf(&b, ", omk_rank(%s, NULL, -1, %d, 0, '%s'", ix->fts, ntiers, items);
        for (int k = 0; k < ntiers; k++)
            omk_buf_printf(&b, ", %lld", masks[k]);
        omk_buf_putc(&b, ')');
    }
    omk_buf_printf(&b, " FROM %s JOIN %s m ON m.id = %s.rowid WHERE %s MATCH ?1", ix->fts, meta,
                   ix->fts, ix->fts);
    if (!render_conds(&b, conds, nconds))
        goto out;
    omk_buf_puts(&b, " LIMIT ?2");
    if ((rc = b.rc) || (rc = prepare(db, b.p, &st)))
        goto out;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    bind_conds(st, conds, nconds);
    int e;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        rc = add_result(st, 1, sqlite3_column_int64(st, 0), -0.0, ncols, a, res, n, cap);
        if (!rc && ntiers > 0) {
            double score;
            omk__rank_decode(sqlite3_column_double(st, 2 + (int)ncols), ntiers,
                             &(*res)[*n - 1].tier, &score);
        }
    }
    if (!rc)
        rc = e == SQLITE_DONE ? OMK_OK : map(e) ? map(e) : OMK_INTERNAL;
out:
    sqlite3_finalize(st);
    omk_buf_release(&b);
    return rc;
}

/* The best `limit` matches of `match` among those whose meta row meets conds, in tier order
 * and by weighted bm25 within a tier (omk_rank, rank.c), appended to *res (capacity *cap).
 * The index ranks its matches alone (joined to the meta table, every match cost a row
 * lookup: 10 ms for a word in 4,000 articles at 100,000); then the meta rows are read in rank
 * order until `limit` of them meet the conditions. Rows in tiers after `cutoff` are not
 * scored; reaching one before the page is full starts over with that tier as the cutoff. */
static omk_rc run_ranked(sqlite3 *db, const omk_search_index *ix, const char *match,
                         const omk_search_cond *conds, size_t nconds, const char *const *cols,
                         size_t ncols, int cutoff, size_t limit, omk_arena *a,
                         omk_search_result **res, size_t *n, size_t *cap)
{
    sqlite3_stmt *rank = NULL, *row = NULL;
    omk_buf b, r;
    omk_buf_init(&b, SQL_CAP);
    omk_buf_init(&r, SQL_CAP);
    omk_rc rc = OMK_INTERNAL;
    const char *meta = ix->meta ? ix->meta : ix->owner;
    long long masks[OMK_SEARCH_MAX_TIERS];
    int ntiers = tier_masks(ix, masks);
    if (!ident(meta) || ntiers < 0)
        goto out;
    char items[65];
    long long weak = phrase_info(match, items);
    omk_buf_printf(&r, "SELECT rowid, omk_rank(%s, ?4, ?2, %d, %lld, '%s'", ix->fts, ntiers,
                   weak, items);
    for (int k = 0; k < ntiers; k++)
        omk_buf_printf(&r, ", %lld", masks[k]);
    omk_buf_printf(&r, ", %s) AS r FROM %s WHERE %s MATCH ?1 ORDER BY r LIMIT ?3", ix->weights,
                   ix->fts, ix->fts);
    omk_buf_puts(&b, "SELECT m.uuid");
    for (size_t i = 0; i < ncols; i++) {
        if (!ident(cols[i]))
            goto out;
        omk_buf_printf(&b, ", m.%s", cols[i]);
    }
    /* ?2 is the row id (in the scan it is the limit): the conditions keep their numbers. */
    omk_buf_printf(&b, " FROM %s m WHERE m.id = ?2", meta);
    if (!render_conds(&b, conds, nconds))
        goto out;
    if ((rc = b.rc) || (rc = r.rc) || (rc = prepare(db, r.p, &rank)) ||
        (rc = prepare(db, b.p, &row)))
        goto out;
    sqlite3_bind_text(rank, 1, match, -1, SQLITE_STATIC);
    bind_conds(row, conds, nconds);
    /* A bounded sort (the best `window` rows) costs far less than sorting every match; the
     * window grows when rows failing the conditions leave the page short. */
    size_t first = *n, until = *n + limit, window = 4 * limit + 32;
    for (;;) {
        int e = SQLITE_ROW, unscored = -1;
        size_t seen = 0;
        omk__rank_feedback feedback = {0};
        sqlite3_bind_int(rank, 2, cutoff);
        sqlite3_bind_int64(rank, 3, (sqlite3_int64)window);
        sqlite3_bind_pointer(rank, 4, &feedback, "omk_rank_feedback", NULL);
        while (!rc && *n < until && (e = sqlite3_step(rank)) == SQLITE_ROW) {
            seen++;
            long long id = sqlite3_column_int64(rank, 0);
            int tier;
            double score;
            omk__rank_decode(sqlite3_column_double(rank, 1), ntiers, &tier, &score);
            if (score == 0) {
                unscored = tier;
                break;
            }
            sqlite3_bind_int64(row, 2, id);
            int f = sqlite3_step(row);
            if (f == SQLITE_ROW)
                rc = add_result(row, 0, id, score, ncols, a, res, n, cap);
            else if (f != SQLITE_DONE)
                rc = map(f) ? map(f) : OMK_INTERNAL;
            sqlite3_reset(row);
        }
        if (!rc && e != SQLITE_ROW && e != SQLITE_DONE)
            rc = map(e) ? map(e) : OMK_INTERNAL;
        double idf = omk__rank_idf(&feedback);
        for (size_t i = first; i < *n; i++)
            (*res)[i].score *= idf;
        if (rc || *n == until || (unscored < 0 && seen < window))
            break;
        /* The page is short: score the next tier too, or look further; from the start. */
        sqlite3_reset(rank);
        *n = first;
        if (unscored >= 0)
            cutoff = unscored;
        else
            window *= 4;
    }
out:
    sqlite3_finalize(rank);
    sqlite3_finalize(row);
    omk_buf_release(&b);
    omk_buf_release(&r);
    return rc;
}

omk_rc omk_search_sqlite_query(void *dbv, const omk_search_index *ix, const char *match,
                               const omk_search_cond *conds, size_t nconds,
                               const char *const *cols, size_t ncols, int cutoff, size_t limit,
                               omk_arena *a, omk_search_result **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!dbv || !index_ok(ix) || !match || ncols > 16)
        return OMK_INTERNAL;
    return run_ranked(dbv, ix, match, conds, nconds, cols, ncols,
                      cutoff < 0 ? OMK_SEARCH_MAX_TIERS : cutoff, limit, a, out, n, &cap);
}

int omk_search_cutoff(const omk_search_index *ix, const omk_search_result *scanned, size_t n,
                      bool all, size_t need)
{
    long long masks[OMK_SEARCH_MAX_TIERS];
    int ntiers = tier_masks(ix, masks);
    if (ntiers <= 0 || (all && n <= SMALL_SET))
        return OMK_SEARCH_MAX_TIERS;
    /* Scanned rows per tier. A partial scan sees a part of each tier: a tier counts as full
     * enough when it holds a quarter of what the page needs (the ranking starts over with the
     * next tier when that guess falls short). */
    size_t per[OMK_SEARCH_MAX_TIERS + 1] = {0}, have = 0;
    for (size_t i = 0; i < n; i++)
        per[scanned[i].tier >= 0 && scanned[i].tier <= ntiers ? scanned[i].tier : ntiers]++;
    size_t enough = all ? need : (need + 3) / 4;
    for (int k = 0; k < ntiers; k++)
        if ((have += per[k]) >= enough)
            return k;
    return OMK_SEARCH_MAX_TIERS;
}

omk_rc omk_search_sqlite_scan(void *dbv, const omk_search_index *ix, const char *match,
                              const omk_search_cond *conds, size_t nconds,
                              const char *const *cols, size_t ncols, size_t limit,
                              omk_arena *a, omk_search_result **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!dbv || !index_ok(ix) || !match || ncols > 16)
        return OMK_INTERNAL;
    long long masks[OMK_SEARCH_MAX_TIERS];
    if (tier_masks(ix, masks) < 0)
        return OMK_INTERNAL;
    return run_scan(dbv, ix, match, conds, nconds, cols, ncols, limit, a, out, n, &cap);
}

/* ---- highlights and excerpts ----
 * FTS5's highlight() and snippet() re-run the index query and tokenise the text several
 * times per row (measured: about 0.4 ms per 1 KB article, 8 ms for a page of 20). Here the
 * text is tokenised once, with the same normalisation as the index (unicode61 without
 * diacritics, then Snowball Dutch for words of 3..64 bytes), and only tokens whose first two
 * bytes could match a query term are stemmed. */

#define MAX_QTERMS 64
#define EXCERPT_TOKENS 24

typedef struct qterm {
    char s[72];
    size_t n;
    bool prefix;
} qterm;

typedef struct marker {
    fts5_tokenizer tok;
    Fts5Tokenizer *inst;
    struct sb_stemmer *stemmer;
    qterm terms[MAX_QTERMS];
    int nterms;
    char form[72];
} marker;

typedef struct tokspan {
    int start, end;
    bool hit;
} tokspan;

typedef struct tokens {
    marker *m;
    omk_arena *a;
    tokspan *v;
    size_t n, cap;
    bool query, prefix; /* collecting query terms (of a prefix term) rather than text */
    bool nomem;
} tokens;

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

/* The index form of a folded token, as omk_dutch makes it (into m->form). */
static const char *stem(marker *m, const char *t, int n, int *out_n)
{
    *out_n = omk__search_norm(m->stemmer, t, n, m->form, (int)sizeof m->form);
    return m->form;
}

static int on_token(void *ctx, int tflags, const char *t, int n, int start, int end)
{
    (void)tflags;
    tokens *k = ctx;
    marker *m = k->m;
    if (k->query) {
        if (m->nterms < MAX_QTERMS) {
            int sn = n;
            const char *s = k->prefix ? t : stem(m, t, n, &sn);
            qterm *q = &m->terms[m->nterms];
            if ((size_t)sn < sizeof q->s) {
                memcpy(q->s, s, (size_t)sn);
                q->n = (size_t)sn;
                q->prefix = k->prefix;
                m->nterms++;
            }
        }
        return SQLITE_OK;
    }
    bool hit = false;
    int sn = -1;
    const char *s = NULL;
    for (int i = 0; i < m->nterms && !hit; i++) {
        qterm *q = &m->terms[i];
        size_t two = q->n < 2 ? q->n : 2;
        if ((size_t)n < two || memcmp(t, q->s, two) != 0)
            continue;
        if (q->prefix) {
            hit = (size_t)n >= q->n && memcmp(t, q->s, q->n) == 0;
            continue;
        }
        if (sn < 0)
            s = stem(m, t, n, &sn);
        hit = (size_t)sn == q->n && memcmp(s, q->s, q->n) == 0;
    }
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        tokspan *v = cap <= 1 << 20 ? omk_arena_alloc(k->a, cap * sizeof *v) : NULL;
        if (!v) {
            k->nomem = true;
            return SQLITE_NOMEM;
        }
        if (k->n)
            memcpy(v, k->v, k->n * sizeof *v);
        k->v = v;
        k->cap = cap;
    }
    k->v[k->n++] = (tokspan){start, end, hit};
    return SQLITE_OK;
}

/* Takes the query terms from a MATCH expression made by omk_search_match: the insides of its
 * double-quoted strings, a string followed by '*' being a prefix. */
static void query_terms(marker *m, const char *match, omk_arena *a)
{
    tokens k = {.m = m, .a = a, .query = true};
    const char *p = match;
    while ((p = strchr(p, '"'))) {
        const char *close = strchr(p + 1, '"');
        if (!close)
            break;
        k.prefix = close[1] == '*';
        m->tok.xTokenize(m->inst, &k, k.prefix ? FTS5_TOKENIZE_PREFIX : FTS5_TOKENIZE_QUERY,
                         p + 1, (int)(close - p - 1), on_token);
        p = close + 1;
    }
}

/* text with \x02 … \x03 around the hits of tokens[from, to), from the start of token `from`
 * (or of the text) to the end of token to-1 (or of the text), "…" where it was cut. */
static const char *marked(omk_arena *a, const char *text, const tokens *k, size_t from,
                          size_t to, bool whole)
{
    omk_buf b;
    omk_buf_init(&b, 1 << 22);
    size_t len = strlen(text);
    size_t pos = whole || from == 0 || k->n == 0 ? 0 : (size_t)k->v[from].start;
    size_t stop = whole || to >= k->n ? len : (size_t)k->v[to - 1].end;
    if (pos > 0)
        omk_buf_puts(&b, "…");
    for (size_t i = from; i < to && i < k->n; i++) {
        if (!k->v[i].hit)
            continue;
        omk_buf_append(&b, text + pos, (size_t)k->v[i].start - pos);
        omk_buf_putc(&b, '\x02');
        omk_buf_append(&b, text + k->v[i].start, (size_t)(k->v[i].end - k->v[i].start));
        omk_buf_putc(&b, '\x03');
        pos = (size_t)k->v[i].end;
    }
    if (stop > pos)
        omk_buf_append(&b, text + pos, stop - pos);
    if (stop < len)
        omk_buf_puts(&b, "…");
    omk_buf_puts(&b, "");
    const char *out = b.rc ? NULL : omk_arena_strdup(a, b.p);
    omk_buf_release(&b);
    return out;
}

static omk_rc mark_one(marker *m, omk_arena *a, const char *title, const char *body,
                       omk_search_result *r)
{
    tokens t = {.m = m, .a = a}, x = {.m = m, .a = a};
    m->tok.xTokenize(m->inst, &t, FTS5_TOKENIZE_DOCUMENT, title, (int)strlen(title), on_token);
    m->tok.xTokenize(m->inst, &x, FTS5_TOKENIZE_DOCUMENT, body, (int)strlen(body), on_token);
    if (t.nomem || x.nomem)
        return OMK_NOMEM;
    /* The excerpt: the window of EXCERPT_TOKENS tokens with the most hits, the first of them. */
    size_t best = 0, best_hits = 0, hits = 0;
    for (size_t i = 0; i < x.n; i++) {
        hits += x.v[i].hit;
        if (i >= EXCERPT_TOKENS)
            hits -= x.v[i - EXCERPT_TOKENS].hit;
        if (hits > best_hits) {
            best_hits = hits;
            best = i + 1 > EXCERPT_TOKENS ? i + 1 - EXCERPT_TOKENS : 0;
        }
    }
    /* Show some words before the window's first hit, so the hit is read in context. */
    if (best_hits) {
        size_t first = best;
        while (first < x.n && !x.v[first].hit)
            first++;
        best = first > 6 ? first - 6 : 0;
    }
    r->highlight = marked(a, title, &t, 0, t.n, true);
    r->snippet = marked(a, body, &x, best, best + EXCERPT_TOKENS, false);
    return r->highlight && r->snippet ? OMK_OK : OMK_NOMEM;
}

omk_rc omk_search_sqlite_mark(void *dbv, const omk_search_index *ix, const char *match,
                              omk_search_result *r, size_t n, omk_arena *a)
{
    sqlite3 *db = dbv;
    sqlite3_stmt *st = NULL;
    char sql[SQL_CAP];
    marker m = {0};
    void *ud = NULL;
    static const char *args[] = {"remove_diacritics", "2"};
    omk_rc rc = OMK_INTERNAL;
    fts5_api *api = db ? fts5_api_of(db) : NULL;
    if (!api || !index_ok(ix) || !match || !ident(ix->columns[ix->title_col]) ||
        !ident(ix->columns[ix->snippet_col]))
        goto out;
    rc = OMK_UNAVAILABLE;
    if (api->xFindTokenizer(api, "unicode61", &ud, &m.tok) != SQLITE_OK ||
        m.tok.xCreate(ud, args, 2, &m.inst) != SQLITE_OK ||
        !(m.stemmer = sb_stemmer_new("dutch", "UTF_8")))
        goto out;
    query_terms(&m, match, a);
    snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s WHERE rowid = ?", ix->columns[ix->title_col],
             ix->columns[ix->snippet_col], ix->fts);
    if ((rc = prepare(db, sql, &st)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, r[i].id);
        int e = sqlite3_step(st);
        if (e == SQLITE_ROW) {
            const char *title = (const char *)sqlite3_column_text(st, 0);
            const char *body = (const char *)sqlite3_column_text(st, 1);
            rc = mark_one(&m, a, title ? title : "", body ? body : "", &r[i]);
        } else {
            /* Gone since the query ran: nothing to mark. */
            r[i].highlight = "";
            r[i].snippet = "";
            rc = map(e);
        }
        sqlite3_reset(st);
    }
out:
    sqlite3_finalize(st);
    if (m.inst)
        m.tok.xDelete(m.inst);
    if (m.stemmer)
        sb_stemmer_delete(m.stemmer);
    return rc;
}
