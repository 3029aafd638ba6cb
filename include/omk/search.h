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

/* Builds an FTS5 MATCH expression from user text: words are runs of letters and digits
 * (anything else, including FTS5 syntax such as quotes, *, NEAR, AND, parentheses, is a
 * separator), each word becomes a quoted term, and the last word also matches as a prefix
 * (search-as-you-type) when it has at least two characters. `any` joins terms with OR
 * instead of AND. *out is NULL when the text holds no word. Returns OMK_TOOBIG past
 * OMK_SEARCH_MAX_QUERY characters, OMK_NOMEM on allocation failure. */
OMK_MUST_CHECK omk_rc omk_search_match(omk_arena *a, const char *text, bool any, char **out);

/* Dutch readability (Flesch–Douma: 206.835 − 0.93 × words/sentence − 77 × syllables/word)
 * of plain or Markdown text, and the sentences longer than `long_words` words. */
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

#endif
