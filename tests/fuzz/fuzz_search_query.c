/* libFuzzer target: the kennisbank search-query builder. Whatever the input, the expression
 * it builds must be accepted by FTS5 (run against a small in-memory index), also with a
 * synonym list made from the input itself (its words, and the whole input as one term). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omk/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sqlite3 *db;
    if (!db) {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK || omk_search_register_sqlite(db) ||
            sqlite3_exec(db,
                         "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='omk_dutch');"
                         "INSERT INTO t VALUES ('verhuizen paspoort grofvuil');",
                         NULL, NULL, NULL) != SQLITE_OK)
            abort();
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    omk_arena *a = omk_arena_new(1 << 20);
    const char **words = NULL, *terms[OMK_SEARCH_MAX_TERMS + 1];
    size_t nw = 0, nt = 0;
    char *whole = NULL;
    if (omk_search_words(a, text, &words, &nw) == OMK_OK)
        for (; nt < nw; nt++)
            terms[nt] = words[nt];
    if (omk_search_synonym_term(a, text, &whole) == OMK_OK)
        terms[nt++] = whole;
    omk_search_synonym_group group = {terms, nt};
    omk_search_synonyms syn = {&group, 1};
    for (int round = 0; round < 4; round++) {
        char *match = NULL;
        if (omk_search_match_ex(a, text, round % 2, round < 2 ? NULL : &syn, (omk_search_parts)(round % 3), &match) != OMK_OK ||
            !match)
            continue;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &st, NULL))
            abort();
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            abort(); /* the builder produced an expression FTS5 rejects */
        sqlite3_finalize(st);
    }
    omk_arena_free(a);
    free(text);
    return 0;
}
