/* Unit tests for src/search: the Dutch tokenizer inside a real FTS5 table, the query builder
 * (every output must be valid FTS5, whatever the input), and the readability score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/search.h"
#include "omk/search_lexicon.h"

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
static int hits_ex(sqlite3 *db, const char *typed, bool any, omk_search_parts parts)
{
    omk_arena *a = omk_arena_new(1 << 20);
    char *match = NULL;
    omk_rc rc = omk_search_match_ex(a, typed, any, NULL, parts, &match);
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

static int hits(sqlite3 *db, const char *typed, bool any)
{
    return hits_ex(db, typed, any, OMK_SEARCH_WORDS);
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

static void readability_ignores_headings_and_list_fragments(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    omk_readability r;
    omk_search_readability(a,
                           "## Wat neemt u mee\n\nNeem deze spullen mee naar de balie.\n\n"
                           "- uw oude paspoort\n- een pasfoto\n* **geld**\n1. uw afspraakbevestiging\n\n"
                           "### Kosten\nEen paspoort kost geld.\n",
                           20, &r);
    /* Two sentences of prose; the heading and the four fragments are not sentences. */
    assert_int_equal(r.sentences, 2);
    assert_int_equal(r.words, 11);
    /* A list item that is a sentence counts as one, on its own (not run into the next). */
    omk_search_readability(a, "Wat u doet:\n- U vult het formulier in.\n- U betaalt online.\n", 20,
                           &r);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 11);
    /* A heading without a full stop does not lengthen the sentence under it. */
    omk_search_readability(a,
                           "# Een kop van precies zes woorden\nDit is een zin van negentien woorden "
                           "die net niet te lang is voor een lezer op taalniveau B1 vandaag.",
                           20, &r);
    assert_int_equal(r.sentences, 1);
    assert_int_equal(r.long_sentences, 0);
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

/* The exact expression for what a user typed. */
static void expect_match(const char *typed, bool any, const char *want)
{
    omk_arena *a = omk_arena_new(1 << 20);
    char *match = NULL;
    assert_int_equal(omk_search_match(a, typed, any, &match), OMK_OK);
    if (!want)
        assert_null(match);
    else
        assert_string_equal(match, want);
    omk_arena_free(a);
}

/* The same with compound parts (omk_search_match_ex, parts). */
static void expect_parts(const char *typed, bool any, const char *want)
{
    omk_arena *a = omk_arena_new(1 << 20);
    char *match = NULL;
    assert_int_equal(omk_search_match_ex(a, typed, any, NULL, OMK_SEARCH_SPLIT, &match), OMK_OK);
    assert_string_equal(match, want);
    omk_arena_free(a);
}

static void search_builder_output_is_exact(void **state)
{
    (void)state;
    expect_match("verhuizing", false, "(\"verhuizing\" OR \"verhuizing\"*)");
    expect_match("verhuizing ", false, "\"verhuizing\"");
    expect_match("paspoort huwelijk ", true, "\"paspoort\" OR \"huwelijk\"");
    /* without parts a word is only itself; with them it also matches as a part of a compound
     * (the part form "#…"), and a compound also as all its parts, each a word of its own; a
     * first part that is a verb stem also as the infinitive */
    expect_match("rijbewijs ", true, "\"rijbewijs\"");
    expect_parts("rijbewijs ", true,
                 "(\"rijbewijs\" OR \"#rijbewijs\" OR ((\"=rij\" OR \"#rij\") AND (\"=bewijs\" OR "
                 "\"#bewijs\")))");
    expect_parts("Parkeervergunning ", false,
                 "(\"Parkeervergunning\" OR \"#Parkeervergunning\" OR ((\"=parkeer\" OR \"#parkeer\" OR "
                 "\"=parkeren\" OR \"#parkeren\") AND (\"=vergunning\" OR \"#vergunning\")))");
    expect_match("afvalp", false, "(\"afvalp\" OR \"afvalp\"*)");
    expect_parts("afvalp", false, "(\"afvalp\" OR \"afvalp\"* OR \"#afvalp\")");
    expect_parts("afvalpas", false,
                 "(\"afvalpas\" OR \"afvalpas\"* OR \"#afvalpas\" OR ((\"=afval\" OR \"#afval\" OR "
                 "\"=afvallen\" OR \"#afvallen\") AND (\"=pas\" OR \"#pas\")))");
    expect_parts("paspoort kwijt ", false,
                 "(\"paspoort\" OR \"#paspoort\") AND (\"kwijt\" OR \"#kwijt\")");
    /* a phrase stays a phrase */
    expect_parts("\"nieuwe adres\" ", false, "\"nieuwe adres\"");
    /* stopwords go, unless nothing else is left */
    expect_match("Hoe vraag ik een paspoort aan?", false, "\"vraag\" AND \"paspoort\"");
    expect_match("hoe ", false, "\"hoe\"");
    /* a balanced pair of quotes makes a phrase; an odd quote is ignored */
    expect_match("\"nieuwe adres\" door", false,
                 "\"nieuwe adres\" AND (\"door\" OR \"door\"*)");
    expect_match("\"paspoort", false, "(\"paspoort\" OR \"paspoort\"*)");
    expect_match("\"\" \"*\" x", false, "\"x\"");
    /* FTS5 operators are plain words, syntax characters separate words */
    expect_match("NEAR(paspoort afval) ", false, "\"NEAR\" AND \"paspoort\" AND \"afval\"");
    expect_match("titel:pas*poort ", false, "\"titel\" AND \"pas\" AND \"poort\"");
    expect_match("*()\"", false, NULL);
}

static void search_phrases_keep_word_order(void **state)
{
    (void)state;
    sqlite3 *db = open_index();
    assert_int_equal(hits(db, "\"nieuwe adres\"", false), 1);
    assert_int_equal(hits(db, "\"adres nieuwe\"", false), 0);
    assert_int_equal(hits(db, "\"nieuw adres\" ", false), 1); /* stemmed inside a phrase too */
    assert_int_equal(hits(db, "hoe vraag ik een paspoort aan ", false), 0);
    assert_int_equal(hits(db, "hoe kan ik verhuizen ", false), 1); /* stopwords do not block */
    sqlite3_close(db);
}

/* The index keyed by owner id: put, replace, query with conditions, mark, remove. */
static sqlite3 *open_owner_index(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE art (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, status TEXT,"
                     " tot TEXT, kanalen TEXT);"
                     "CREATE VIRTUAL TABLE ix USING fts5(titel, tekst, tokenize='omk_dutch');"
                     "INSERT INTO art VALUES (1, 'a', 'gepubliceerd', NULL, '[\"web\",\"chat\"]');"
                     "INSERT INTO art VALUES (2, 'b', 'gepubliceerd', '2020-01-01', '[\"web\"]');"
                     "INSERT INTO art VALUES (3, 'c', 'concept', NULL, '[\"telefoon\"]');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    return db;
}

static const char *const IX_COLS[] = {"titel", "tekst"};
static const omk_search_index IX = {.fts = "ix", .owner = "art", .columns = IX_COLS,
                                    .ncolumns = 2, .weights = "10.0, 1.0", .title_col = 0,
                                    .snippet_col = 1};

static size_t query(sqlite3 *db, omk_arena *a, const char *typed, const omk_search_cond *c,
                    size_t nc, omk_search_result **res)
{
    char *match = NULL;
    size_t n = 0;
    static const char *const cols[] = {"status"};
    assert_int_equal(omk_search_match(a, typed, false, &match), OMK_OK);
    assert_int_equal(omk_search_sqlite_query(db, &IX, match, c, nc, cols, 1, -1, 100, a, res, &n),
                     OMK_OK);
    return n;
}

static void search_index_ranks_filters_and_marks(void **state)
{
    (void)state;
    sqlite3 *db = open_owner_index();
    omk_arena *a = omk_arena_new(1 << 20);
    const char *va[] = {"Afval scheiden", "Na een verhuizing krijgt u een nieuwe container."};
    const char *vb[] = {"Verhuizing doorgeven", "Geef uw nieuwe adres door."};
    const char *vc[] = {"Verhuizen naar het buitenland", "Meld u af."};
    assert_int_equal(omk_search_sqlite_put(db, &IX, "a", va), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &IX, "b", vb), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &IX, "c", vc), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &IX, "zz", va), OMK_NOTFOUND);
    /* replacing an entry leaves one entry */
    assert_int_equal(omk_search_sqlite_put(db, &IX, "b", vb), OMK_OK);
    omk_search_result *r = NULL;
    assert_int_equal(query(db, a, "verhuizing ", NULL, 0, &r), 3);
    /* title matches (b, c) rank above the body-only match (a) */
    assert_string_equal(r[2].uuid, "a");
    assert_true(r[0].score >= r[1].score && r[1].score > r[2].score);
    assert_string_equal(r[0].cols[0], r[0].uuid[0] == 'c' ? "concept" : "gepubliceerd");
    omk_search_cond pub[] = {{"status", OMK_SEARCH_EQ, "gepubliceerd"},
                             {"tot", OMK_SEARCH_GTE_OR_NULL, "2026-01-01"}};
    assert_int_equal(query(db, a, "verhuizing ", pub, 2, &r), 1);
    assert_string_equal(r[0].uuid, "a");
    omk_search_cond web[] = {{"kanalen", OMK_SEARCH_IN_LIST, "web"}};
    assert_int_equal(query(db, a, "verhuizing ", web, 1, &r), 2);
    omk_search_cond tel[] = {{"kanalen", OMK_SEARCH_IN_LIST, "telefoon"}};
    assert_int_equal(query(db, a, "verhuizing ", tel, 1, &r), 1);
    assert_string_equal(r[0].uuid, "c");
    /* marks: title highlighted, body excerpt, HTML left to the caller */
    assert_int_equal(query(db, a, "verhuizing ", pub, 2, &r), 1);
    assert_null(r[0].highlight);
    char *match = NULL;
    assert_int_equal(omk_search_match(a, "verhuizing ", false, &match), OMK_OK);
    assert_int_equal(omk_search_sqlite_mark(db, &IX, match, &r[0], 1, a), OMK_OK);
    assert_string_equal(r[0].highlight, "Afval scheiden");
    assert_string_equal(r[0].snippet, "Na een \x02verhuizing\x03 krijgt u een nieuwe container.");
    /* removed entries are gone */
    assert_int_equal(omk_search_sqlite_remove(db, &IX, "a"), OMK_OK);
    assert_int_equal(query(db, a, "verhuizing ", NULL, 0, &r), 2);
    /* names that are not identifiers are refused, not pasted into SQL */
    omk_search_cond bad[] = {{"status; DROP TABLE art", OMK_SEARCH_EQ, "x"}};
    size_t n = 0;
    static const char *const cols[] = {"status"};
    assert_int_equal(omk_search_sqlite_query(db, &IX, match, bad, 1, cols, 1, -1, 10, a, &r, &n),
                     OMK_INTERNAL);
    omk_search_index wrong = IX;
    wrong.weights = "1); DROP TABLE art; --";
    assert_int_equal(omk_search_sqlite_query(db, &wrong, match, NULL, 0, cols, 1, -1, 10, a, &r, &n),
                     OMK_INTERNAL);
    omk_arena_free(a);
    sqlite3_close(db);
}

static void search_marks_excerpt_and_prefix(void **state)
{
    (void)state;
    sqlite3 *db = open_owner_index();
    omk_arena *a = omk_arena_new(1 << 20);
    char body[2048];
    size_t len = 0;
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(body + len, sizeof body - len, "woord ");
    len += (size_t)snprintf(body + len, sizeof body - len, "Hier staat het paspoort. ");
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(body + len, sizeof body - len, "einde ");
    const char *v[] = {"Paspoort en ID-kaart", body};
    assert_int_equal(omk_search_sqlite_put(db, &IX, "a", v), OMK_OK);
    omk_search_result *r = NULL;
    char *match = NULL;
    assert_int_equal(query(db, a, "paspoorten ", NULL, 0, &r), 1);
    assert_int_equal(omk_search_match(a, "paspoorten ", false, &match), OMK_OK);
    assert_int_equal(omk_search_sqlite_mark(db, &IX, match, r, 1, a), OMK_OK);
    assert_string_equal(r[0].highlight, "\x02Paspoort\x03 en ID-kaart");
    assert_true(strncmp(r[0].snippet, "…", strlen("…")) == 0);
    if (!strstr(r[0].snippet, "het \x02paspoort\x03. einde"))
        fail_msg("snippet: %s", r[0].snippet);
    assert_true(strlen(r[0].snippet) < 200);
    assert_true(strcmp(r[0].snippet + strlen(r[0].snippet) - strlen("…"), "…") == 0);
    /* while typing: a prefix marks the words it starts */
    assert_int_equal(query(db, a, "id-ka", NULL, 0, &r), 1);
    assert_int_equal(omk_search_match(a, "id-ka", false, &match), OMK_OK);
    assert_int_equal(omk_search_sqlite_mark(db, &IX, match, r, 1, a), OMK_OK);
    assert_string_equal(r[0].highlight, "Paspoort en \x02ID\x03-\x02kaart\x03");
    omk_arena_free(a);
    sqlite3_close(db);
}

static void search_first_tier_ranks_first_and_scan_counts(void **state)
{
    (void)state;
    sqlite3 *db = open_owner_index();
    omk_arena *a = omk_arena_new(1 << 20);
    omk_search_index tiered = IX;
    static const char *const title_tier[] = {"{titel}", NULL};
    tiered.tiers = title_tier;
    /* a: the word many times in a short body only; b: once in a long title */
    const char *va[] = {"Container", "verhuizing verhuizing verhuizing verhuizing verhuizing"};
    const char *vb[] = {"Alles over de verhuizing van uw bedrijf en uw personeel",
                        "Lange tekst zonder het woord, met heel veel andere woorden erin."};
    assert_int_equal(omk_search_sqlite_put(db, &tiered, "a", va), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &tiered, "b", vb), OMK_OK);
    char *match = NULL;
    assert_int_equal(omk_search_match(a, "verhuizing ", false, &match), OMK_OK);
    static const char *const cols[] = {"status"};
    omk_search_result *r = NULL;
    size_t n = 0;
    assert_int_equal(omk_search_sqlite_query(db, &tiered, match, NULL, 0, cols, 1, 0, 10, a, &r, &n),
                     OMK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].uuid, "b");
    assert_string_equal(r[1].uuid, "a");
    /* a limit filled by the first tier does not rank the rest */
    assert_int_equal(omk_search_sqlite_query(db, &tiered, match, NULL, 0, cols, 1, 0, 1, a, &r, &n),
                     OMK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].uuid, "b");
    /* scan: every match, unranked, with conditions */
    assert_int_equal(omk_search_sqlite_scan(db, &tiered, match, NULL, 0, cols, 1, 10, a, &r, &n),
                     OMK_OK);
    assert_int_equal(n, 2);
    omk_search_cond pub[] = {{"status", OMK_SEARCH_EQ, "gepubliceerd"}, {"tot", OMK_SEARCH_GTE_OR_NULL, "2026-01-01"}};
    assert_int_equal(omk_search_sqlite_scan(db, &tiered, match, pub, 2, cols, 1, 10, a, &r, &n),
                     OMK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].uuid, "a");
    static const char *const bad_tier[] = {"{titel) OR x", NULL};
    tiered.tiers = bad_tier;
    assert_int_equal(omk_search_sqlite_query(db, &tiered, match, NULL, 0, cols, 1, 0, 10, a, &r, &n),
                     OMK_INTERNAL);
    omk_arena_free(a);
    sqlite3_close(db);
}

/* Three columns, two nested tiers: title, then title or question, then the rest. On plain
 * bm25 the row with the word repeated in a short text would win. */
static void search_tiers_rank_title_then_question_then_rest(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE art (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, status TEXT);"
                     "CREATE VIRTUAL TABLE ix3 USING fts5(titel, vragen, tekst,"
                     " tokenize='omk_dutch');"
                     "INSERT INTO art VALUES (1, 'tekst', 'gepubliceerd'), (2, 'vraag', 'concept'),"
                     " (3, 'titel', 'gepubliceerd');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    static const char *const cols3[] = {"titel", "vragen", "tekst"};
    static const char *const tiers[] = {"{titel}", "{titel vragen}", NULL};
    const omk_search_index ix = {.fts = "ix3", .owner = "art", .columns = cols3, .ncolumns = 3,
                                 .weights = "10.0, 5.0, 1.0", .title_col = 0, .snippet_col = 2,
                                 .tiers = tiers};
    const char *vt[] = {"Container", "", "paspoort paspoort paspoort paspoort"};
    const char *vv[] = {"Reisdocument", "Hoe vraag ik een paspoort aan voor mijn kind?", ""};
    const char *vti[] = {"Alles over uw nieuwe paspoort, de kosten, de foto en de afspraak", "",
                         "Een lange tekst zonder het woord, met veel andere woorden."};
    assert_int_equal(omk_search_sqlite_put(db, &ix, "tekst", vt), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &ix, "vraag", vv), OMK_OK);
    assert_int_equal(omk_search_sqlite_put(db, &ix, "titel", vti), OMK_OK);
    omk_arena *a = omk_arena_new(1 << 20);
    char *match = NULL;
    assert_int_equal(omk_search_match(a, "paspoorten ", false, &match), OMK_OK);
    static const char *const status[] = {"status"};
    omk_search_result *r = NULL;
    size_t n = 0;
    /* all scored in one pass (-1), or tier by tier from any cutoff: the same order */
    for (int cutoff = -1; cutoff <= 2; cutoff++) {
        assert_int_equal(omk_search_sqlite_query(db, &ix, match, NULL, 0, status, 1, cutoff, 10,
                                                 a, &r, &n),
                         OMK_OK);
        assert_int_equal(n, 3);
        assert_string_equal(r[0].uuid, "titel");
        assert_string_equal(r[1].uuid, "vraag");
        assert_string_equal(r[2].uuid, "tekst");
        assert_true(r[0].score > 0 && r[1].score > 0 && r[2].score > 0);
    }
    /* without tiers, plain weighted BM25: the word repeated in a short text wins, with the
     * score FTS5's own bm25() gives */
    omk_search_index flat = ix;
    flat.tiers = NULL;
    assert_int_equal(
        omk_search_sqlite_query(db, &flat, match, NULL, 0, status, 1, -1, 10, a, &r, &n), OMK_OK);
    assert_int_equal(n, 3);
    assert_string_equal(r[0].uuid, "tekst");
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT -bm25(ix3, 10.0, 5.0, 1.0) FROM ix3 WHERE ix3"
                                        " MATCH ?1 AND rowid = 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_float_equal(r[0].score, sqlite3_column_double(st, 0), 1e-9);
    sqlite3_finalize(st);
    /* a page of two stops after the second tier; conditions apply within every tier */
    assert_int_equal(
        omk_search_sqlite_query(db, &ix, match, NULL, 0, status, 1, 0, 2, a, &r, &n), OMK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(r[1].uuid, "vraag");
    omk_search_cond pub[] = {{"status", OMK_SEARCH_EQ, "gepubliceerd"}};
    assert_int_equal(
        omk_search_sqlite_query(db, &ix, match, pub, 1, status, 1, 0, 2, a, &r, &n), OMK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].uuid, "titel");
    assert_string_equal(r[1].uuid, "tekst");
    /* the scan tells each match's tier; the cutoff is the first tier that fills the page */
    omk_search_result *all = NULL;
    size_t nall = 0;
    assert_int_equal(
        omk_search_sqlite_scan(db, &ix, match, NULL, 0, status, 1, 10, a, &all, &nall), OMK_OK);
    assert_int_equal(nall, 3);
    for (size_t i = 0; i < nall; i++)
        assert_int_equal(all[i].tier, strcmp(all[i].uuid, "titel") == 0   ? 0
                                      : strcmp(all[i].uuid, "vraag") == 0 ? 1
                                                                          : 2);
    assert_int_equal(omk_search_cutoff(&ix, all, nall, true, 1), OMK_SEARCH_MAX_TIERS);
    assert_int_equal(omk_search_cutoff(&ix, all, nall, false, 1), 0);
    /* a partial scan saw part of each tier: a quarter of the page is enough */
    assert_int_equal(omk_search_cutoff(&ix, all, nall, false, 4), 0);
    assert_int_equal(omk_search_cutoff(&ix, all, nall, false, 5), 1);
    assert_int_equal(omk_search_cutoff(&ix, all, nall, false, 12), OMK_SEARCH_MAX_TIERS);
    assert_int_equal(omk_search_cutoff(&flat, all, nall, false, 1), OMK_SEARCH_MAX_TIERS);
    omk_arena_free(a);
    sqlite3_close(db);
}

static void readability_flesch_douma_exact(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    omk_readability r;
    /* 6 words, 1 sentence, 6 syllables: 206.835 - 0.93*6 - 77*1 */
    omk_search_readability(a, "De kat zit op de mat.", 20, &r);
    assert_int_equal(r.words, 6);
    assert_int_equal(r.syllables, 6);
    assert_true(r.score > 124.25 && r.score < 124.26);
    /* ge-meen-te ut-recht: 2 words, 5 syllables */
    omk_search_readability(a, "Gemeente Utrecht.", 20, &r);
    assert_int_equal(r.syllables, 5);
    assert_true(r.score > 12.47 && r.score < 12.48);
    /* the long sentence is reported, the short one is not */
    omk_search_readability(a,
                           "Kort. Dit is een zin met veel te veel woorden omdat de schrijver "
                           "niet wist wanneer hij moest stoppen met schrijven van deze zin.",
                           10, &r);
    assert_int_equal(r.sentences, 2);
    assert_int_equal(r.long_sentences, 1);
    assert_true(strncmp(r.long_sentence_text[0], "Dit is een zin", 14) == 0);
    omk_arena_free(a);
}


/* ---- the Dutch lexicon (wdutch's word list) ---- */

static void lexicon_needs_word_list(void)
{
    if (omk_lexicon_size() < 100000)
        fail_msg("the Dutch word list is missing: apt-get install wdutch (scripts/bootstrap)");
}

static void expect_lemma(const char *w, const char *want)
{
    char out[OMK_LEXICON_MAX_WORD];
    size_t n = omk_lexicon_lemma(w, strlen(w), out, sizeof out);
    if (!want) {
        if (n)
            fail_msg("%s: expected no infinitive, got %s", w, out);
        return;
    }
    if (!n)
        fail_msg("%s: expected %s, got nothing", w, want);
    assert_string_equal(out, want);
}

static void lexicon_maps_verb_forms_to_the_infinitive(void **state)
{
    (void)state;
    lexicon_needs_word_list();
    expect_lemma("verhuisd", "verhuizen");   /* participle without ge-, s → z */
    expect_lemma("verhuisde", "verhuizen");  /* past tense, 't kofschip: z takes -de */
    expect_lemma("verhuist", "verhuizen");   /* present */
    expect_lemma("aangevraagd", "aanvragen"); /* particle + ge-, vraag → vragen */
    expect_lemma("gehaald", "halen");
    expect_lemma("gewerkt", "werken");
    expect_lemma("gezet", "zetten"); /* short vowel: the consonant doubles */
    expect_lemma("gegeven", "geven"); /* a strong verb that keeps its vowel */
    expect_lemma("woonden", "wonen");
    expect_lemma("betaalde", "betalen");
    /* not verb forms, though they end like one: 't kofschip or the lexicon says no */
    expect_lemma("kosten", NULL);    /* kos-ten would need kozen → -den */
    expect_lemma("geboorte", NULL);  /* geboren → -de */
    expect_lemma("gemeente", NULL);
    expect_lemma("paspoort", NULL);
    expect_lemma("gebied", NULL);
    expect_lemma("verhuizing", NULL);
    char out[OMK_LEXICON_MAX_WORD];
    assert_int_equal(omk_lexicon_infinitive("parkeer", 7, out, sizeof out), 8);
    assert_string_equal(out, "parkeren");
}

static void expect_split(const char *w, const char *want)
{
    omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS];
    int np = omk_lexicon_split(w, strlen(w), parts);
    char got[128] = "";
    size_t o = 0;
    for (int i = 0; i < np; i++)
        o += (size_t)snprintf(got + o, sizeof got - o, "%s%.*s", i ? "|" : "",
                              (int)parts[i].len, w + parts[i].start);
    assert_string_equal(got, want ? want : "");
}

static void lexicon_splits_compounds(void **state)
{
    (void)state;
    lexicon_needs_word_list();
    expect_split("parkeervergunning", "parkeer|vergunning");
    expect_split("hondenbelasting", "honden|belasting");
    expect_split("bestemmingsplan", "bestemming|plan"); /* linking -s- */
    expect_split("kinderopvang", "kind|opvang");        /* linking -er- */
    expect_split("afvalpas", "afval|pas");
    expect_split("kapvergunning", "kap|vergunning");
    expect_split("gemeentehuis", "gemeente|huis"); /* not gemeen|tehuis */
    expect_split("gehandicaptenparkeerkaart", "gehandicapten|parkeerkaart");
    /* no false splits of ordinary words */
    expect_split("paspoort", NULL);
    expect_split("verhuizing", NULL);
    expect_split("verzekering", NULL);
    expect_split("parkeren", NULL);
    expect_split("woonden", NULL);
    expect_split("gezondheid", NULL);
    expect_split("vergunning", NULL);
}

typedef struct near_list {
    char words[64][OMK_LEXICON_MAX_WORD];
    int dist[64], n;
} near_list;

static bool collect_near(void *ud, const char *w, size_t n, int dist)
{
    near_list *l = ud;
    if (l->n < 64) {
        memcpy(l->words[l->n], w, n);
        l->words[l->n][n] = 0;
        l->dist[l->n++] = dist;
    }
    return true;
}

static int near_dist(const char *typo, int maxdist, const char *want)
{
    near_list l = {.n = 0};
    omk_lexicon_near(typo, strlen(typo), maxdist, collect_near, &l);
    for (int i = 0; i < l.n; i++)
        if (strcmp(l.words[i], want) == 0)
            return l.dist[i];
    return -1;
}

static void lexicon_near_words_of_typos(void **state)
{
    (void)state;
    lexicon_needs_word_list();
    assert_int_equal(near_dist("paspoord", 1, "paspoort"), 1);
    assert_int_equal(near_dist("rijbewys", 1, "rijbewijs"), 1);   /* y is ij */
    assert_int_equal(near_dist("verhiuzen", 1, "verhuizen"), 1);  /* swapped letters */
    assert_int_equal(near_dist("grofvul", 1, "grofvuil"), 1);     /* a letter missing */
    assert_int_equal(near_dist("kwijtscheling", 2, "kwijtschelding"), 1);
    assert_int_equal(near_dist("kwytscheling", 2, "kwijtschelding"), 2);
    assert_int_equal(near_dist("paspoord", 1, "paspoord"), -1); /* never the word itself */
    assert_int_equal(near_dist("kwytscheling", 1, "kwijtschelding"), -1);
}

/* The tokenizer: verb forms and compounds match through the index. */
static void search_index_matches_inflections_and_compounds(void **state)
{
    (void)state;
    lexicon_needs_word_list();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(titel, tekst, tokenize='omk_dutch');"
                     "INSERT INTO t VALUES ('Verhuizing doorgeven', 'Geef uw nieuwe adres door.');"
                     "INSERT INTO t VALUES ('Parkeervergunning voor bewoners', 'Voor uw auto.');"
                     "INSERT INTO t VALUES ('Hondenbelasting', 'Heeft u een hond?');"
                     "INSERT INTO t VALUES ('Vergunning', 'Een vergunning om te parkeren op straat.');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(hits(db, "verhuisd ", false), 1);
    assert_int_equal(hits(db, "ik ben verhuisd", false), 1);
    assert_int_equal(hits(db, "vergunningen ", false), 1); /* only the word itself */
    assert_int_equal(hits_ex(db, "vergunning parkeren ", false, OMK_SEARCH_SPLIT), 2);
    assert_int_equal(hits_ex(db, "parkeren vergunning ", false, OMK_SEARCH_SPLIT), 2);
    assert_int_equal(hits_ex(db, "vergunningen ", false, OMK_SEARCH_SPLIT), 2);
    assert_int_equal(hits_ex(db, "belasting hond ", false, OMK_SEARCH_SPLIT), 1);
    assert_int_equal(hits(db, "parkeervergunning ", false), 1);
    assert_int_equal(hits_ex(db, "parkeervergunning ", false, OMK_SEARCH_SPLIT), 2); /* or its parts */
    /* a part of a compound is no word of the text: "pas" is not in "afvalpas" unless parts
     * are asked for, and then it ranks below the word itself */
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO t VALUES ('Afvalpas', 'Met de afvalpas naar de milieustraat.');"
                     "INSERT INTO t VALUES ('Pas verlopen', 'Uw pas is verlopen.');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(hits(db, "pas ", false), 1);
    assert_int_equal(hits_ex(db, "pas ", false, OMK_SEARCH_SPLIT), 2);
    /* the article with the whole word ranks first: "parkeervergunning" scores its parts too
     * (weighted down as parts: phrases 1..7 here); "pas" in the title of "Afvalpas"
     * counts less than the word in "Pas verlopen" (phrase 1 is the part) */
    static const struct {
        const char *typed, *first;
        int parts;
    } RANKED[] = {{"parkeervergunning ", "Parkeervergunning voor bewoners", 0xfe},
                  {"pas ", "Pas verlopen", 1 << 1}};
    omk_arena *a = omk_arena_new(1 << 20);
    for (size_t i = 0; i < sizeof RANKED / sizeof RANKED[0]; i++) {
        char *match = NULL;
        assert_int_equal(omk_search_match_ex(a, RANKED[i].typed, false, NULL, OMK_SEARCH_SPLIT,
                                             &match),
                         OMK_OK);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT titel FROM t WHERE t MATCH ? ORDER BY"
                                            " omk_rank(t, NULL, 9, 0, ?, '', 10.0, 1.0)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, RANKED[i].parts);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), RANKED[i].first);
        sqlite3_finalize(st);
    }
    omk_arena_free(a);
    sqlite3_close(db);
}

/* The municipality's synonym list: a word of a group also matches every other term of it,
 * a term of several words as a phrase; the list's terms are stored folded. */
static const char *const AFVAL_TERMEN[] = {"kliko", "minicontainer", "grijze container"};
static const omk_search_synonym_group AFVAL_GROEP = {AFVAL_TERMEN, 3};
static const omk_search_synonyms AFVAL = {&AFVAL_GROEP, 1};

static char *match_ex(omk_arena *a, const char *typed, bool any)
{
    char *match = NULL;
    assert_int_equal(omk_search_match_ex(a, typed, any, &AFVAL, OMK_SEARCH_WORDS, &match), OMK_OK);
    return match;
}

static void search_synonyms_expand_a_word(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    assert_string_equal(match_ex(a, "Kliko ", false),
                        "(\"Kliko\" OR \"minicontainer\" OR \"grijze container\")");
    assert_string_equal(match_ex(a, "kapotte kliko ", false),
                        "\"kapotte\" AND (\"kliko\" OR \"minicontainer\" OR \"grijze container\")");
    /* a word inside a phrase, and a word of a multi-word term alone, are not expanded */
    assert_string_equal(match_ex(a, "\"kliko kapot\"", false), "\"kliko kapot\"");
    assert_string_equal(match_ex(a, "grijze ", false), "\"grijze\"");
    /* typed words that make a term of several words match as those words or another term */
    assert_string_equal(match_ex(a, "Grijze  container kapot", false),
                        "((\"Grijze\" AND \"container\") OR \"kliko\" OR \"minicontainer\") AND "
                        "(\"kapot\" OR \"kapot\"*)");
    assert_string_equal(match_ex(a, "grijze container", true),
                        "((\"grijze\" AND \"container\") OR \"kliko\" OR \"minicontainer\")");
    /* without a list: as omk_search_match */
    char *plain = NULL;
    assert_int_equal(omk_search_match_ex(a, "kliko ", false, NULL, OMK_SEARCH_WORDS, &plain), OMK_OK);
    assert_string_equal(plain, "\"kliko\"");

    /* run through FTS5: the synonym finds an article that only has the other term */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(titel, tekst, tokenize='omk_dutch');"
                                  "INSERT INTO t VALUES ('Afval', 'Zet de grijze container aan de straat.');"
                                  "INSERT INTO t VALUES ('Container', 'Een container die grijs is.');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT titel FROM t WHERE t MATCH ?", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, match_ex(a, "kliko ", false), -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "Afval");
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    omk_arena_free(a);
}

/* The words a synonym list is looked up for: folded, each once, at most 16. */
static void search_words_are_folded_once(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    const char **w = NULL;
    size_t n = 99;
    assert_int_equal(omk_search_words(a, "Hoe vraag ik een PÁSPOORT aan? paspoort \"nieuw-adres\"",
                                      &w, &n),
                     OMK_OK);
    static const char *const want[] = {"hoe", "vraag", "ik", "een", "paspoort", "aan", "nieuw", "adres",
                                       "hoe vraag", "vraag ik"};
    /* 8 words, then the sequences of 2, 3 and 4 words (a term of several words): 8 + 7 + 6 */
    assert_int_equal(n, 8 + 8 + 7 + 6);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(w[i], want[i]);
    assert_string_equal(w[15], "nieuw adres");
    assert_string_equal(w[n - 1], "aan paspoort nieuw adres");
    assert_int_equal(omk_search_words(a, " *() ", &w, &n), OMK_OK);
    assert_int_equal(n, 0);
    assert_null(w);
    /* a word that cannot be folded can match no stored term: left out */
    assert_int_equal(omk_search_words(a, "Ωmega kliko", &w, &n), OMK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "kliko");
    char many[400] = "";
    for (int i = 0; i < 20; i++) {
        char word[16];
        snprintf(word, sizeof word, "woord%d ", i);
        strncat(many, word, sizeof many - strlen(many) - 1);
    }
    assert_int_equal(omk_search_words(a, many, &w, &n), OMK_OK);
    assert_int_equal(n, 16 + 15 + 14 + 13); /* the first 16 words and their sequences */
    assert_true(n <= OMK_SEARCH_MAX_WORDS);
    omk_arena_free(a);
}

/* A synonym term as the list stores it, or refused. */
static void expect_term(const char *typed, const char *want)
{
    omk_arena *a = omk_arena_new(1 << 16);
    char *out = NULL;
    omk_rc rc = omk_search_synonym_term(a, typed, &out);
    if (want) {
        assert_int_equal(rc, OMK_OK);
        assert_string_equal(out, want);
    } else {
        assert_int_equal(rc, OMK_INVALID);
        assert_null(out);
    }
    omk_arena_free(a);
}

static void search_synonym_terms_are_normalised(void **state)
{
    (void)state;
    expect_term("Kliko", "kliko");
    expect_term("  Mini-Container  ", "mini container");
    expect_term("Brûgklas", "brugklas");
    expect_term("grijze   container!", "grijze container");
    expect_term("", NULL);
    expect_term(" -- ", NULL);
    expect_term("Ωmega", NULL);
    char longest[128];
    memset(longest, 'a', 100);
    longest[100] = 0;
    expect_term(longest, NULL); /* one word longer than the lexicon's longest */
    char words[128] = "";
    for (int i = 0; i < 10; i++)
        strncat(words, "abcdefghi ", sizeof words - strlen(words) - 1);
    words[99] = 0; /* ten words of 9 letters, joined: 99 bytes */
    expect_term(words, "abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi "
                       "abcdefghi abcdefghi abcdefghi");
    strncat(words, " ab", sizeof words - strlen(words) - 1); /* 102 bytes */
    expect_term(words, NULL);
}

/* "Bedoelde u": words the index lacks are replaced by the nearest word it holds. */
static void search_suggests_words_the_index_holds(void **state)
{
    (void)state;
    lexicon_needs_word_list();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE ix USING fts5(titel, tekst, tokenize='omk_dutch');"
                     "INSERT INTO ix VALUES ('Paspoort aanvragen', 'Een paspoort is 10 jaar geldig.');"
                     "INSERT INTO ix VALUES ('Rijbewijs verlengen', 'Verloopt uw rijbewijs?');"
                     "INSERT INTO ix VALUES ('Parkeervergunning', 'Voor bewoners.');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    static const char *const cols[] = {"titel", "tekst"};
    omk_search_index ix = {.fts = "ix", .owner = "ix", .columns = cols, .ncolumns = 2,
                           .weights = "1, 1"};
    omk_arena *a = omk_arena_new(1 << 20);
    char *out = NULL;
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "paspoord aanvragen", a, &out), OMK_OK);
    assert_non_null(out);
    assert_string_equal(out, "paspoort aanvragen");
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "Rijbewys verlengen?", a, &out), OMK_OK);
    assert_string_equal(out, "rijbewijs verlengen?");
    /* known words, compounds of known words, stopwords, phrases and short words stay */
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "hoe vraag ik een paspoort aan", a, &out),
                     OMK_OK);
    assert_null(out);
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "vergunning parkeren", a, &out), OMK_OK);
    assert_null(out);
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "\"paspoord\" pas", a, &out), OMK_OK);
    assert_null(out);
    /* nothing near enough: no suggestion */
    assert_int_equal(omk_search_sqlite_suggest(db, &ix, "xyzzyq", a, &out), OMK_OK);
    assert_null(out);
    omk_arena_free(a);
    sqlite3_close(db);
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
        cmocka_unit_test(readability_ignores_headings_and_list_fragments),
        cmocka_unit_test(search_builder_output_is_exact),
        cmocka_unit_test(search_phrases_keep_word_order),
        cmocka_unit_test(search_index_ranks_filters_and_marks),
        cmocka_unit_test(readability_flesch_douma_exact),
        cmocka_unit_test(search_marks_excerpt_and_prefix),
        cmocka_unit_test(search_first_tier_ranks_first_and_scan_counts),
        cmocka_unit_test(search_tiers_rank_title_then_question_then_rest),
        cmocka_unit_test(lexicon_maps_verb_forms_to_the_infinitive),
        cmocka_unit_test(lexicon_splits_compounds),
        cmocka_unit_test(lexicon_near_words_of_typos),
        cmocka_unit_test(search_index_matches_inflections_and_compounds),
        cmocka_unit_test(search_suggests_words_the_index_holds),
        cmocka_unit_test(search_synonyms_expand_a_word),
        cmocka_unit_test(search_words_are_folded_once),
        cmocka_unit_test(search_synonym_terms_are_normalised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
