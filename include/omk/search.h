/* Dutch full-text search: the query builder that turns what a resident or employee types into
 * a safe SQLite FTS5 expression, the readability score for B1 writing, and (for the SQLite
 * backend) the "omk_dutch" FTS5 tokenizer: unicode61 folding plus Snowball Dutch stemming, so
 * "verhuizing" finds "verhuizen". Pure functions except the registration; thread-safe. */
#ifndef OMK_SEARCH_H
#define OMK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "omk/arena.h"
#include "omk/rc.h"

#define OMK_SEARCH_MAX_QUERY 500 /* characters of user input */
#define OMK_SEARCH_MAX_TERMS 16
#define OMK_SEARCH_MAX_TIERS 4 /* ranking tiers of an index */

/* Builds an FTS5 MATCH expression from user text. Words are runs of letters and digits;
 * anything else, including FTS5 syntax such as *, NEAR, AND, column filters and parentheses,
 * separates words and is never passed on. Text between a pair of double quotes is a phrase
 * (an odd last quote is ignored). Each word or phrase becomes one quoted FTS5 string. Dutch
 * stopwords ("hoe", "een", "ik", …) are left out unless the text has nothing else. The last
 * word, when the text does not end after it (the user is still typing) and it has at least
 * two characters, also matches as a prefix. `any` joins with OR instead of AND. At most
 * OMK_SEARCH_MAX_TERMS words or phrases are used. *out (in the arena) is NULL when the text
 * holds no word. Returns OMK_TOOBIG past OMK_SEARCH_MAX_QUERY characters, OMK_NOMEM on
 * allocation failure. */
OMK_MUST_CHECK omk_rc omk_search_match(omk_arena *a, const char *text, bool any, char **out);

/* A list of synonym groups: a word of the query that is (folded: lowercase, no diacritics)
 * one of a group's terms also matches every other term of the group; a term of several words
 * matches as a phrase. Typed words that together make a term of several words (up to 4,
 * not in a phrase) match as all of those words or any other term of the group. Terms are stored folded. Borrowed for the duration of the call. */
typedef struct omk_search_synonym_group {
    const char *const *terms;
    size_t n;
} omk_search_synonym_group;

typedef struct omk_search_synonyms {
    const omk_search_synonym_group *groups;
    size_t ngroups;
} omk_search_synonyms;

/* How far omk_search_match_ex looks inside compounds. */
typedef enum omk_search_parts {
    OMK_SEARCH_WORDS,      /* each word as itself */
    OMK_SEARCH_PART_FORMS, /* also as a part of a compound in an entry: "#vergunning" */
    OMK_SEARCH_SPLIT,      /* also a typed compound as all of its parts */
} omk_search_parts;

/* omk_search_match with a synonym list (NULL: none): ("afvalpas" OR "milieupas"). From
 * OMK_SEARCH_PART_FORMS on, a word also matches as a part of a compound in an entry (the
 * index keeps the parts of every compound as part forms: "#vergunning" for
 * "parkeervergunning"); with OMK_SEARCH_SPLIT, a word that is a compound in the Dutch lexicon
 * also as all of its parts, each a word of its own or a part form:
 * ("parkeervergunning" OR "#parkeervergunning" OR (("=parkeer" OR "#parkeer" OR "=parkeren"
 * OR "#parkeren") AND ("=vergunning" OR "#vergunning"))). Parts cost time (a common part is in
 * many entries) and match more loosely, so a caller asks for them only when the words alone
 * find little (see the kennisbank). */
OMK_MUST_CHECK omk_rc omk_search_match_ex(omk_arena *a, const char *text, bool any,
                                          const omk_search_synonyms *syn,
                                          omk_search_parts parts, char **out);

/* The words of text that omk_search_match_ex compares with a synonym list, folded as the
 * list stores its terms: each run of letters and digits (inside a phrase too), then each
 * sequence of 2 to 4 of them joined by one space ("grijze container"), which may be a term
 * of several words; from the first OMK_SEARCH_MAX_TERMS words, each once, at most
 * OMK_SEARCH_MAX_WORDS in all, in the arena (*out NULL, *n 0 when there are none).
 * A caller with a long list looks up only the groups holding one of these. Words that do
 * not fold (a character outside Latin-1, longer than OMK_LEXICON_MAX_WORD) are left
 * out: they can match no term. Returns OMK_NOMEM on allocation failure. */
#define OMK_SEARCH_MAX_WORDS (4 * OMK_SEARCH_MAX_TERMS)
OMK_MUST_CHECK omk_rc omk_search_words(omk_arena *a, const char *text, const char ***out,
                                       size_t *n);

#define OMK_SEARCH_MAX_SYNONYM 100 /* bytes of a synonym term, as stored */

/* A synonym term as a synonym list stores it: its words (runs of letters and digits; spaces,
 * hyphens and other marks separate them) folded (lowercase, diacritics removed) and joined
 * by single spaces: " E-waste " → "e waste" (which then matches as a phrase). *out in the
 * arena. Returns OMK_INVALID when the text holds no word, a word that does not fold (a
 * letter outside Latin-1, or longer than OMK_LEXICON_MAX_WORD) or the result is longer than
 * OMK_SEARCH_MAX_SYNONYM bytes; OMK_NOMEM on allocation failure. */
OMK_MUST_CHECK omk_rc omk_search_synonym_term(omk_arena *a, const char *text, char **out);

/* Dutch readability (Flesch–Douma: 206.835 − 0.93 × words/sentence − 77 × syllables/word)
 * of plain or Markdown text, and the sentences longer than `long_words` words. Only prose
 * counts: Markdown headings are no sentences, and a list item counts only when it is a
 * sentence itself (ends in . ! or ?) — fragments such as "- paspoort" would otherwise make
 * the text look easier than it reads. Out of memory leaves *out zeroed. */
typedef struct omk_readability {
    double score;       /* higher is easier; ≥ 60 roughly matches B1 */
    int words, sentences, syllables;
    int long_sentences; /* sentences over the limit */
    const char **long_sentence_text; /* the first 10 of them, in the arena */
} omk_readability;

void omk_search_readability(omk_arena *a, const char *text, int long_words, omk_readability *out);

/* Registers the "omk_dutch" tokenizer on an open SQLite connection (sqlite3 *). Returns
 * OMK_OK, or OMK_UNAVAILABLE when FTS5 or the stemmer is missing. */
OMK_MUST_CHECK omk_rc omk_search_register_sqlite(void *sqlite_db);

/* ---- The SQLite full-text index ----
 * An index is an FTS5 table (tokenizer omk_dutch) whose rowid is the id of a row in an
 * "owner" table (INTEGER PRIMARY KEY id, TEXT uuid UNIQUE); keying by rowid makes replacing
 * one entry a seek instead of a scan. The functions below take the SQLite connection (sqlite3 *)
 * of the store (omk_db_native), so they run inside the caller's read snapshot or write
 * transaction; they must be called from the thread that runs that store callback. Table and
 * column names come from the program, never from users (they are checked to be identifiers). */
typedef struct omk_search_index {
    const char *fts;     /* FTS5 table */
    const char *owner;   /* owner table */
    const char *const *columns; /* the FTS columns, in table order */
    int ncolumns;               /* how many, 1..8 */
    const char *weights; /* bm25 weights, one per column: "10.0, 5.0, 1.0, 3.0" */
    int title_col;       /* column that comes back highlighted */
    int snippet_col;     /* column the excerpt comes from */
    /* The table conditions and result columns are read from: id = the owner's id, plus uuid
     * (NULL: the owner itself). A narrow copy is much cheaper when many rows match. */
    const char *meta;
    /* Ranking tiers: FTS5 column sets, usually each holding the one before it, e.g.
     * {"{titel}", "{titel vragen}", NULL}. Rows with every matched term within a tier's
     * columns rank before the rows of the next one and before rows matching only outside
     * every tier (each group by weighted bm25). NULL (or empty) for one bm25 order. At most
     * OMK_SEARCH_MAX_TIERS. */
    const char *const *tiers;
} omk_search_index;

typedef enum omk_search_op {
    OMK_SEARCH_EQ,          /* owner.column = value */
    OMK_SEARCH_LTE_OR_NULL, /* owner.column IS NULL OR owner.column <= value */
    OMK_SEARCH_GTE_OR_NULL, /* owner.column IS NULL OR owner.column >= value */
    OMK_SEARCH_IN_LIST,     /* value is an item of the JSON array in owner.column */
} omk_search_op;

typedef struct omk_search_cond {
    const char *column;
    omk_search_op op;
    const char *value;
} omk_search_cond;

/* One match. cols[i] is the text of the i-th requested owner column ("" for NULL).
 * highlight and snippet are NULL until omk_search_sqlite_mark fills them. */
typedef struct omk_search_result {
    long long id;
    const char *uuid;
    double score; /* BM25: higher is better */
    int tier;     /* ranking tier (scan only; see omk_search_index.tiers) */
    const char **cols;
    const char *highlight, *snippet;
} omk_search_result;

/* Replaces the entry of the owner row `uuid` by values[0..ix->ncolumns) (NULL counts as "").
 * OMK_NOTFOUND when the owner row does not exist; OMK_IO/OMK_BUSY from SQLite. */
OMK_MUST_CHECK omk_rc omk_search_sqlite_put(void *db, const omk_search_index *ix,
                                            const char *uuid, const char *const *values);

/* Removes the entry of the owner row `uuid` (call before the owner row is deleted). */
OMK_MUST_CHECK omk_rc omk_search_sqlite_remove(void *db, const omk_search_index *ix,
                                               const char *uuid);

/* Runs `match` (from omk_search_match) narrowed by conds[0..nconds) on columns of the meta
 * table, best first, at most `limit` results: in tier order (a row belongs to the first tier
 * whose columns hold every query term the row matches; rows outside every tier last), by
 * weighted BM25 (as FTS5's bm25()) within a tier. Only rows of tiers up to `cutoff` (from
 * omk_search_cutoff; negative: all) are scored at first; when they do not fill the page the
 * ranking starts over scoring the next tier too. So a common word scores the few hundred rows
 * that have it in a title rather than every row. score is the BM25 score (> 0).
 * cols[0..ncols) are meta columns to return. The results and their texts live in the arena.
 * Snippets are not computed here: call omk_search_sqlite_mark for the rows you show. */
OMK_MUST_CHECK omk_rc omk_search_sqlite_query(void *db, const omk_search_index *ix,
                                              const char *match, const omk_search_cond *conds,
                                              size_t nconds, const char *const *cols,
                                              size_t ncols, int cutoff, size_t limit,
                                              omk_arena *a, omk_search_result **out,
                                              size_t *n);

/* The cutoff for omk_search_sqlite_query when a page needs `need` rows, from the tiers of the
 * matches omk_search_sqlite_scan returned (`all`: the scan saw every match, it did not stop at
 * its limit). Few matches (up to 999, all seen): all tiers, one pass. Otherwise the first tier
 * that, with the ones before it, can fill the page. */
int omk_search_cutoff(const omk_search_index *ix, const omk_search_result *scanned, size_t n,
                      bool all, size_t need);

/* The same matches unranked (index order), at most `limit`: for counts and facets, which
 * need every match but no order. score is 0; tier is the row's ranking tier (0 without
 * tiers). */
OMK_MUST_CHECK omk_rc omk_search_sqlite_scan(void *db, const omk_search_index *ix,
                                             const char *match, const omk_search_cond *conds,
                                             size_t nconds, const char *const *cols,
                                             size_t ncols, size_t limit, omk_arena *a,
                                             omk_search_result **out, size_t *n);

/* Fills r[0..n)->highlight (the title column, whole, with each word that matches a query term
 * between \x02 and \x03) and ->snippet (about 24 words of the snippet column around the most
 * matches, same markers, "…" where cut) for results of the same match. Words match by the
 * index's own normalisation (folded, stemmed; prefix terms by their start). Texts live in the
 * arena. OMK_UNAVAILABLE when FTS5 or the stemmer is missing. */
OMK_MUST_CHECK omk_rc omk_search_sqlite_mark(void *db, const omk_search_index *ix,
                                             const char *match, omk_search_result *r, size_t n,
                                             omk_arena *a);

/* A correction of what a person typed, for "bedoelde u …": every word (not in a phrase, not a
 * stopword, at least 4 letters, not a word of the Dutch lexicon) that no entry of the index
 * holds, neither whole nor as all the parts of a compound, is replaced by the word of the Dutch lexicon closest to it (one edit;
 * two for words of 7 letters or more) that the most entries hold. The rest of the text is
 * kept as typed. *out (in the arena) is NULL when no word needed or found a correction.
 * Reads the index's vocabulary through an fts5vocab table in the connection's temp schema;
 * costs nothing unless called, so call it only when a search found nothing. */
OMK_MUST_CHECK omk_rc omk_search_sqlite_suggest(void *db, const omk_search_index *ix,
                                                const char *text, omk_arena *a, char **out);

#endif
