/* Unit tests for src/search: the Dutch tokenizer inside a real FTS5 table, the query builder
 * (every output must be valid FTS5, whatever the input), and the readability score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "omk/search.h"

static sqlite3 *open_index(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(titel, tekst, tokenize='omk_dutch');"
                                  "INSERT INTO t VALUES ('Verhuizen binnen de gemeente', 'Geef uw nieuwe adres door.');"
                                  "INSERT INTO t VALUES ('Paspoort aanvragen', 'Een paspoort is 10 jaar geldig.');"
                                  "INSERT INTO t VALUES ('Grofvuil', 'Wij halen uw grofvuil op afspraak op.');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    return db;
}

/* Number of rows matching what a user typed, through the query builder. */
static int hits(sqlite3 *db, const char *typed, bool any)
{
    omk_arena *a = omk_arena_new(1 << 20);
    char *match = NULL;
    omk_rc rc = omk_search_match(a, typed, any, &match);
    int n = -1;
    if (rc == OMK_OK && match) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        int e = sqlite3_step(st);
        if (e != SQLITE_ROW)
            fail_msg("FTS5 rejected '%s' built from '%s': %s", match, typed, sqlite3_errmsg(db));
        n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    } else if (rc == OMK_OK) {
        n = 0;
    }
    omk_arena_free(a);
    return n;
}

static void search_stemming_finds_inflections(void **state)
{
    (void)state;
    sqlite3 *db = open_index();
    assert_int_equal(hits(db, "verhuizing", false), 1);
    assert_int_equal(hits(db, "verhuizen ", false), 1);
    assert_int_equal(hits(db, "VERHUIZINGEN", false), 1);
    assert_int_equal(hits(db, "paspoorten", false), 1);
    assert_int_equal(hits(db, "geldige paspoort", false), 1);
    assert_int_equal(hits(db, "hondenbelasting", false), 0);
    sqlite3_close(db);
}

static void search_prefix_matches_while_typing(void **state)
{
    (void)state;
    sqlite3 *db = open_index();
    assert_int_equal(hits(db, "pasp", false), 1);
    assert_int_equal(hits(db, "grofv", false), 1);
    assert_int_equal(hits(db, "pasp ", false), 0); /* a finished word is not a prefix */
    sqlite3_close(db);
}

static void search_any_mode_joins_with_or(void **state)
{
    (void)state;
    sqlite3 *db = open_index();
    assert_int_equal(hits(db, "paspoort grofvuil", false), 0);
    assert_int_equal(hits(db, "paspoort grofvuil", true), 2);
    sqlite3_close(db);
}

static void search_syntax_characters_are_harmless(void **state)
{
    (void)state;
    sqlite3 *db = open_index();
    static const char *const nasty[] = {
        "\"", "\"\"\"", "paspoort\"", "*", "pas*port", "NEAR(paspoort grofvuil)", "AND", "OR OR",
        "NOT paspoort", "(", ")", "paspoort)", "^pas", "col:paspoort", "titel:grofvuil",
        "-paspoort", "+paspoort", "'; DROP TABLE t; --", "\xc3\xa9\xc3\xa9n", "a", "a b c d e f g",
    };
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++)
        assert_true(hits(db, nasty[i], false) >= 0);
    /* Random bytes never produce an invalid expression either. */
    srand(7);
    for (int k = 0; k < 2000; k++) {
        char buf[40];
        size_t len = (size_t)(rand() % 39);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)(1 + rand() % 255);
        buf[len] = 0;
        hits(db, buf, k % 2);
    }
    sqlite3_close(db);
}

static void search_refuses_oversized_and_empty(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    char big[OMK_SEARCH_MAX_QUERY + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    char *match = (char *)"x";
    assert_int_equal(omk_search_match(a, big, false, &match), OMK_TOOBIG);
    assert_int_equal(omk_search_match(a, "  \"*() ", false, &match), OMK_OK);
    assert_null(match);
    omk_arena_free(a);
}

static void readability_scores_simple_text_higher(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    omk_readability easy, hard;
    omk_search_readability(a, "U gaat verhuizen. Geef uw adres door. Dat kan online.", 20, &easy);
    omk_search_readability(a,
                           "Indien de belanghebbende voornemens is zijn woonadres te wijzigen, dient "
                           "hij of zij dit overeenkomstig de toepasselijke gemeentelijke verordening "
                           "tijdig en volledig aan het college van burgemeester en wethouders kenbaar "
                           "te maken, waarbij eventuele administratieve consequenties voor rekening "
                           "van de betrokkene komen.",
                           20, &hard);
    assert_int_equal(easy.sentences, 3);
    assert_int_equal(easy.long_sentences, 0);
    assert_int_equal(hard.sentences, 1);
    assert_int_equal(hard.long_sentences, 1);
    assert_true(easy.score > 60);
    assert_true(hard.score < easy.score - 40);
    omk_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_stemming_finds_inflections),
        cmocka_unit_test(search_prefix_matches_while_typing),
        cmocka_unit_test(search_any_mode_joins_with_or),
        cmocka_unit_test(search_syntax_characters_are_harmless),
        cmocka_unit_test(search_refuses_oversized_and_empty),
        cmocka_unit_test(readability_scores_simple_text_higher),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
