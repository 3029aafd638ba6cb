/* Internal to the search module: the ranking function shared by the tokenizer registration
 * (fts_dutch.c) and the index queries (index.c). */
#ifndef OMK_SEARCH_INT_H
#define OMK_SEARCH_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "omk/search.h"

/* The first byte of a compound part's index form ("#vergunning", for "parkeervergunning"),
 * and of a query string that asks for part forms. unicode61 never makes it part of a token, so
 * neither a document's text nor what a person types can produce it. */
#define OMK__SEARCH_PART_MARK '#'

/* The first byte of a query string whose match counts as weakly as a part form (the parts of
 * a typed compound, each a word of its own). The tokenizer drops it like any mark. A prefix
 * string ("kwijt"*, the word being typed) counts as weakly too: "kwijtschelding" is a weaker
 * match for "kwijt" than the word itself. */
#define OMK__SEARCH_WEAK_MARK '='

/* How much a match of a part form counts in omk_rank against a match of the whole word. */
#define OMK__RANK_PART_WEIGHT 0.5

/* One ranking tier spans this much of omk_rank's value; a BM25 score stays far below it. */
#define OMK__RANK_TIER 1e6

/* What omk_rank reports back to its caller for one statement (see rank.c): the rows it saw,
 * the index's row count, and whether the scores still lack the (single) phrase's IDF. Reset
 * before each run of the statement. */
typedef struct omk__rank_feedback {
    long long rows, total;
    bool deferred;
} omk__rank_feedback;

/* The factor the scores of a run must be multiplied by: the IDF when it was deferred, else 1.
 * Valid once the statement has seen every row (an ORDER BY has, by its first result). */
double omk__rank_idf(const omk__rank_feedback *f);

/* Whether w[0..n) (any case) is one of the query builder's Dutch stopwords. */
bool omk__search_stopword(const char *w, size_t n);

struct sb_stemmer;

/* The index form of one folded token t[0..n) (from unicode61): the infinitive when the word
 * is an inflected verb form the lexicon knows (omk_lexicon_lemma), then Snowball Dutch; words
 * of up to 2 or over 64 bytes unchanged. Written to out (cap bytes, at least 72); returns its
 * length. The tokenizer and the highlighter both use it, so they agree. */
int omk__search_norm(struct sb_stemmer *stemmer, const char *t, int n, char *out, int cap);

/* Registers omk_rank (see rank.c) with FTS5. Returns an SQLite result code. */
int omk__search_register_rank(fts5_api *api);

/* Splits an omk_rank value of an index with `ntiers` tiers into the row's tier (ntiers: outside
 * every tier) and its BM25 score (0: not scored, its tier was after the cutoff). */
void omk__rank_decode(double value, int ntiers, int *tier, double *score);

#endif
