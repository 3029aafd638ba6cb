/* Typo suggestions ("bedoelde u …", see omk_search_sqlite_suggest in omk/search.h): the words
 * of a query that neither the index nor the lexicon holds, replaced by the nearest lexicon word that it holds
 * most often. Runs on a connection lent by the store for one callback, like index.c. */
#include <libstemmer.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/search.h"
#include "omk/search_lexicon.h"
#include "search_int.h"

#define MAX_CANDIDATES 400 /* lexicon words looked up in the index per typo */

typedef struct vocab {
    sqlite3_stmt *st;
    struct sb_stemmer *stemmer;
} vocab;

/* How many entries of the index hold the folded word w[0..n) (its index form), as a word or
 * as a part of a compound (its part form; an entry with both counts twice, which is good
 * enough to compare candidates). */
static long long docs(vocab *v, const char *w, size_t n)
{
    char form[73];
    form[0] = OMK__SEARCH_PART_MARK;
    int fn = omk__search_norm(v->stemmer, w, (int)n, form + 1, 72);
    long long d = 0;
    for (int part = 0; part < 2; part++) {
        sqlite3_bind_text(v->st, 1, form + !part, fn + part, SQLITE_STATIC);
        if (sqlite3_step(v->st) == SQLITE_ROW)
            d += sqlite3_column_int64(v->st, 0);
        sqlite3_reset(v->st);
    }
    return d;
}

/* Whether the index holds w, whole or as every part of a compound. */
static bool known(vocab *v, const char *w, size_t n)
{
    if (docs(v, w, n) > 0)
        return true;
    omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS];
    int np = omk_lexicon_split(w, n, parts);
    for (int i = 0; i < np; i++)
        if (docs(v, w + parts[i].start, parts[i].len) == 0)
            return false;
    return np > 0;
}

typedef struct best {
    vocab *v;
    char word[OMK_LEXICON_MAX_WORD];
    long long docs;
    int dist, looked;
} best;

static bool consider(void *ud, const char *w, size_t n, int dist)
{
    best *b = ud;
    if (b->docs > 0 && dist > b->dist)
        return false; /* a nearer word was found; words come nearest first */
    long long d = docs(b->v, w, n);
    if (d > b->docs || (d > 0 && dist < b->dist)) {
        memcpy(b->word, w, n);
        b->word[n] = 0;
        b->docs = d;
        b->dist = dist;
    }
    return ++b->looked < MAX_CANDIDATES;
}

static bool wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

omk_rc omk_search_sqlite_suggest(void *dbv, const omk_search_index *ix, const char *text,
                                 omk_arena *a, char **out)
{
    sqlite3 *db = dbv;
    vocab v = {0};
    char sql[512];
    omk_buf b;
    omk_buf_init(&b, 4 * OMK_SEARCH_MAX_QUERY + 64);
    omk_rc rc = OMK_INTERNAL;
    *out = NULL;
    if (!db || !ix || !ix->fts || strspn(ix->fts, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
                                      strlen(ix->fts))
        goto out;
    rc = OMK_OK;
    if (!omk_lexicon_size())
        goto out;
    /* The vocabulary of the index: one row per index term with the number of entries. */
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE IF NOT EXISTS temp.%s_woorden USING fts5vocab(main, %s, row)",
             ix->fts, ix->fts);
    rc = OMK_UNAVAILABLE;
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    snprintf(sql, sizeof sql, "SELECT doc FROM temp.%s_woorden WHERE term = ?", ix->fts);
    if (sqlite3_prepare_v2(db, sql, -1, &v.st, NULL) != SQLITE_OK ||
        !(v.stemmer = sb_stemmer_new("dutch", "UTF_8")))
        goto out;
    rc = OMK_OK;
    size_t n = strlen(text), pos = 0;
    bool changed = false, in_phrase = false;
    for (size_t i = 0; i < n;) {
        if (text[i] == '"')
            in_phrase = !in_phrase;
        if (!wordch((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && wordch((unsigned char)text[i]))
            i++;
        char f[OMK_LEXICON_MAX_WORD];
        size_t fn = i - start < sizeof f ? omk_lexicon_fold(text + start, i - start, f, sizeof f)
                                         : 0;
        /* A word of the lexicon is no typo, even when no entry holds it ("klagen" is not
         * corrected to "lagen"). */
        if (in_phrase || fn < 4 || omk__search_stopword(f, fn) || omk_lexicon_has(f, fn) ||
            known(&v, f, fn))
            continue;
        best bb = {.v = &v};
        omk_lexicon_near(f, fn, 1, consider, &bb);
        if (!bb.docs && fn >= 7) {
            bb.looked = 0;
            omk_lexicon_near(f, fn, 2, consider, &bb);
        }
        if (!bb.docs)
            continue;
        omk_buf_append(&b, text + pos, start - pos);
        omk_buf_puts(&b, bb.word);
        pos = i;
        changed = true;
    }
    omk_buf_append(&b, text + pos, n - pos);
    if (changed && !b.rc && !(*out = omk_arena_strndup(a, b.p, b.n)))
        rc = OMK_NOMEM;
out:
    sqlite3_finalize(v.st);
    if (v.stemmer)
        sb_stemmer_delete(v.stemmer);
    omk_buf_release(&b);
    return rc;
}
