/* Kennisbank benchmark, our side, in process: the exact search path of POST /_zoek without
 * HTTP and JSON (query builder, weighted bm25 over the Dutch FTS5 index joined to the
 * article data with the visibility conditions of a non-editor: up to 1000 matches for count
 * and facets, the first 20 ranked (title/questions/keywords tier first), highlighted and
 * excerpted, OR fallback when AND finds nothing),
 * and, for reference, the bare FTS5 index build of the same corpus.
 *
 *   kb_fts build DB CORPUS        build only the full-text index (same table definition as
 *                                 schema 5) from corpus.json; prints "seconds N"
 *   kb_fts query DB QUERIES [REPS] run every query (once to warm up, then REPS times, default 1)
 *                                 against a database made by `omnikanaal kennisbank import`;
 *                                 prints latency percentiles in microseconds
 *   kb_fts profile DB QUERIES [TOP] the TOP (30) most expensive queries, CPU time per phase */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omk/search.h"

static const char *const COLS[] = {"titel", "vragen", "antwoord", "trefwoorden"};
static const char *const TIERS[] = {"{titel}", "{titel vragen trefwoorden}", NULL}; /* as the server */
static const omk_search_index IX = {.fts = "kb_zoekindex", .owner = "kb_artikelen",
                                    .columns = COLS, .ncolumns = 4,
                                    .weights = "10.0, 5.0, 1.0, 3.0", .title_col = 0,
                                    .snippet_col = 2, .meta = "kb_zoekmeta",
                                    .tiers = TIERS};
static const char *const RESULT_COLS[] = {"product", "laag", "doelgroep", "kanalen"};
#ifndef PART_FORMS_BELOW
#define PART_FORMS_BELOW 5 /* as the server's kennisbank (kennisbank.c) */
#endif
#define SPLIT_BELOW 1

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: what a query costs without the waits that other work on a shared
 * machine adds to the wall-clock time. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, sqlite3 *db)
{
    fprintf(stderr, "kb_fts: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static void list_join(json_t *arr, char *out, size_t cap)
{
    size_t n = 0, i;
    json_t *v;
    out[0] = 0;
    json_array_foreach(arr, i, v)
    {
        int w = snprintf(out + n, cap - n, "%s\n", json_string_value(v) ? json_string_value(v) : "");
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

/* The corpus has one article per line (a leading comma aside). */
static int build(const char *dbpath, const char *corpus)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(dbpath, &db) != SQLITE_OK || omk_search_register_sqlite(db))
        die("open", db);
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE VIRTUAL TABLE kb_zoekindex USING fts5(titel, vragen, antwoord,"
                     " trefwoorden, tokenize = 'omk_dutch', prefix = '2 3');",
                     NULL, NULL, NULL) != SQLITE_OK)
        die("schema", db);
    FILE *f = fopen(corpus, "r");
    if (!f)
        die(corpus, NULL);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO kb_zoekindex(rowid, titel, vragen, antwoord,"
                               " trefwoorden) VALUES (?, ?, ?, ?, ?)", -1, &st, NULL))
        die("prepare", db);
    static char line[1 << 20], vragen[65536], tref[65536], antwoord[1 << 20];
    double t0 = now_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    long n = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = line[0] == ',' ? line + 1 : line;
        if (*p != '{')
            continue;
        json_t *a = json_loads(p, 0, NULL);
        if (!a)
            die("bad corpus line", NULL);
        list_join(json_object_get(a, "vragen"), vragen, sizeof vragen);
        list_join(json_object_get(a, "trefwoorden"), tref, sizeof tref);
        size_t tl = strlen(tref);
        snprintf(tref + tl, sizeof tref - tl, "%s",
                 json_string_value(json_object_get(a, "product")));
        snprintf(antwoord, sizeof antwoord, "%s\n%s",
                 json_string_value(json_object_get(a, "kortAntwoord")),
                 json_string_value(json_object_get(a, "antwoord")));
        sqlite3_bind_int64(st, 1, ++n);
        sqlite3_bind_text(st, 2, json_string_value(json_object_get(a, "titel")), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, vragen, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, antwoord, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, tref, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("insert", db);
        sqlite3_reset(st);
        json_decref(a);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die("commit", db);
    double t1 = now_s();
    printf("articles %ld\nseconds %.3f\n", n, t1 - t0);
    sqlite3_finalize(st);
    fclose(f);
    sqlite3_close(db);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* CPU time per phase of the last search() (for `profile`): scan (count and facets), ranking
 * of the page, highlights and excerpts. */
static double phase_us[3];

/* The municipality's synonym groups holding a word of q, as the server reads them for every
 * search step (omk_db_synonyms_find: the same statement on kb_synoniem_termen, prepared once
 * per number of words as the server's statement cache keeps it). */
static void synonyms_of(sqlite3 *db, omk_arena *a, const char *q, omk_search_synonyms *out)
{
    static sqlite3_stmt *st[OMK_SEARCH_MAX_WORDS + 1];
    const char **w = NULL;
    size_t nw = 0;
    *out = (omk_search_synonyms){0};
    if (omk_search_words(a, q, &w, &nw) || !nw)
        return;
    if (!st[nw]) {
        char sql[1024];
        int k = snprintf(sql, sizeof sql, "SELECT g.uuid, t.term FROM kb_synoniemen g JOIN"
                         " kb_synoniem_termen t ON t.groep = g.id WHERE g.id IN (SELECT groep FROM"
                         " kb_synoniem_termen WHERE term IN (");
        for (size_t i = 0; i < nw; i++)
            k += snprintf(sql + k, sizeof sql - (size_t)k, i ? ", ?" : "?");
        snprintf(sql + k, sizeof sql - (size_t)k, ")) ORDER BY g.id, t.positie");
        if (sqlite3_prepare_v2(db, sql, -1, &st[nw], NULL) != SQLITE_OK)
            die("synonyms", db);
    }
    static omk_search_synonym_group groups[64];
    static const char *terms[64][20];
    size_t ng = 0;
    char last[40] = "";
    for (size_t i = 0; i < nw; i++)
        sqlite3_bind_text(st[nw], (int)i + 1, w[i], -1, SQLITE_STATIC);
    while (sqlite3_step(st[nw]) == SQLITE_ROW) {
        const char *uuid = (const char *)sqlite3_column_text(st[nw], 0);
        if (!ng || strcmp(last, uuid) != 0) {
            if (ng == 64)
                break;
            groups[ng] = (omk_search_synonym_group){terms[ng], 0};
            snprintf(last, sizeof last, "%s", uuid);
            ng++;
        }
        if (groups[ng - 1].n < 20)
            terms[ng - 1][groups[ng - 1].n++] =
                omk_arena_strdup(a, (const char *)sqlite3_column_text(st[nw], 1));
    }
    sqlite3_reset(st[nw]);
    *out = (omk_search_synonyms){groups, ng};
}

/* One search as the server runs it for a KCC employee; returns the number of hits. */
static size_t search(sqlite3 *db, const char *q)
{
    phase_us[0] = phase_us[1] = phase_us[2] = 0;
    omk_arena *a = omk_arena_new(8 << 20);
    static const omk_search_cond vis[] = {
        {"status", OMK_SEARCH_EQ, "gepubliceerd"},
        {"geldig_van", OMK_SEARCH_LTE_OR_NULL, "2026-11-28"},
        {"geldig_tot", OMK_SEARCH_GTE_OR_NULL, "2026-11-28"},
    };
    size_t n = 0;
    for (int any = 0; any < 2 && n == 0; any++) {
        char *match = NULL;
        omk_search_result *all = NULL, *r = NULL;
        size_t nr = 0;
        omk_search_synonyms syn;
        synonyms_of(db, a, q, &syn);
        if (omk_search_match_ex(a, q, any, &syn, OMK_SEARCH_WORDS, &match) || !match)
            break;
        double t0 = cpu_s();
        if (omk_search_sqlite_scan(db, &IX, match, vis, 3, RESULT_COLS, 4, 1000, a, &all, &n))
            die("scan", db);
        /* as the server: too few matches, again with compound parts */
        for (omk_search_parts parts = OMK_SEARCH_PART_FORMS; parts <= OMK_SEARCH_SPLIT; parts++) {
            char *wide = NULL;
            if (n >= (parts == OMK_SEARCH_SPLIT ? SPLIT_BELOW : PART_FORMS_BELOW))
                break;
            if (omk_search_match_ex(a, q, any, &syn, parts, &wide) == OMK_OK && wide &&
                strcmp(wide, match) != 0) {
                match = wide;
                if (omk_search_sqlite_scan(db, &IX, match, vis, 3, RESULT_COLS, 4, 1000, a, &all,
                                           &n))
                    die("scan", db);
            }
        }
        double t1 = cpu_s();
        if (n && omk_search_sqlite_query(db, &IX, match, vis, 3, RESULT_COLS, 4,
                                         omk_search_cutoff(&IX, all, n, n < 1000, 20), 20, a,
                                         &r, &nr))
            die("query", db);
        double t2 = cpu_s();
        if (nr && omk_search_sqlite_mark(db, &IX, match, r, nr, a))
            die("mark", db);
        phase_us[0] += (t1 - t0) * 1e6;
        phase_us[1] += (t2 - t1) * 1e6;
        phase_us[2] += (cpu_s() - t2) * 1e6;
    }
    omk_arena_free(a);
    return n;
}

static int query(const char *dbpath, const char *qfile, int reps)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        omk_search_register_sqlite(db))
        die("open", db);
    sqlite3_exec(db, "PRAGMA cache_size=-32000", NULL, NULL, NULL); /* as the server's readers */
    FILE *f = fopen(qfile, "r");
    if (!f)
        die(qfile, NULL);
    static char qs[4096][128];
    int nq = 0;
    while (nq < 4096 && fgets(qs[nq], sizeof qs[nq], f)) {
        qs[nq][strcspn(qs[nq], "\n")] = 0;
        /* a finished query (trailing space): whole words, no prefix */
        size_t l = strlen(qs[nq]);
        if (l + 1 < sizeof qs[nq])
            qs[nq][l] = ' ', qs[nq][l + 1] = 0;
        nq++;
    }
    fclose(f);
    for (int i = 0; i < nq; i++)
        search(db, qs[i]);
    double *lat = malloc(sizeof *lat * (size_t)nq * (size_t)reps);
    double *cpu = malloc(sizeof *cpu * (size_t)nq * (size_t)reps);
    if (!lat || !cpu)
        die("out of memory", NULL);
    double hits = 0;
    int m = 0;
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < nq; i++) {
            double t0 = now_s(), c0 = cpu_s();
            hits += (double)search(db, qs[i]);
            cpu[m] = (cpu_s() - c0) * 1e6;
            lat[m++] = (now_s() - t0) * 1e6;
        }
    qsort(lat, (size_t)m, sizeof *lat, cmp_double);
    qsort(cpu, (size_t)m, sizeof *cpu, cmp_double);
    double sum = 0;
    for (int i = 0; i < m; i++)
        sum += lat[i];
    printf("queries %d\np50_us %.0f\np90_us %.0f\np99_us %.0f\nmax_us %.0f\nmean_us %.0f\n"
           "mean_hits %.1f\n",
           m, lat[m / 2], lat[(int)(m * 0.90)], lat[(int)(m * 0.99)], lat[m - 1], sum / m,
           hits / m);
    printf("cpu_p50_us %.0f\ncpu_p99_us %.0f\n", cpu[m / 2], cpu[(int)(m * 0.99)]);
    free(cpu);
    free(lat);
    sqlite3_close(db);
    return 0;
}

typedef struct profiled {
    double total, phase[3];
    size_t hits;
    const char *q;
} profiled;

static int cmp_profiled(const void *a, const void *b)
{
    double x = ((const profiled *)a)->total, y = ((const profiled *)b)->total;
    return (x < y) - (x > y);
}

/* The `top` most expensive queries (thread CPU time, after a warm-up pass) with the time of
 * each phase: where a slow tail comes from. */
static int profile(const char *dbpath, const char *qfile, int top)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        omk_search_register_sqlite(db))
        die("open", db);
    sqlite3_exec(db, "PRAGMA cache_size=-32000", NULL, NULL, NULL);
    FILE *f = fopen(qfile, "r");
    if (!f)
        die(qfile, NULL);
    static char qs[4096][128];
    static profiled p[4096];
    int nq = 0;
    while (nq < 4096 && fgets(qs[nq], sizeof qs[nq] - 1, f)) {
        /* fgets left room for one more byte; the trailing space says the last word is complete
         * (not a prefix, see omk_search_match) */
        size_t len = strcspn(qs[nq], "\n");
        qs[nq][len] = ' ';
        qs[nq][len + 1] = 0;
        nq++;
    }
    fclose(f);
    for (int i = 0; i < nq; i++)
        search(db, qs[i]);
    for (int i = 0; i < nq; i++) {
        double c0 = cpu_s();
        p[i].hits = search(db, qs[i]);
        p[i].total = (cpu_s() - c0) * 1e6;
        memcpy(p[i].phase, phase_us, sizeof phase_us);
        p[i].q = qs[i];
    }
    qsort(p, (size_t)nq, sizeof *p, cmp_profiled);
    printf("%8s %8s %8s %8s %6s  query\n", "cpu_us", "scan", "rank", "mark", "hits");
    for (int i = 0; i < nq && i < top; i++)
        printf("%8.0f %8.0f %8.0f %8.0f %6zu  %s\n", p[i].total, p[i].phase[0], p[i].phase[1],
               p[i].phase[2], p[i].hits, p[i].q);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "profile") == 0)
        return profile(argv[2], argv[3], argc > 4 ? (int)strtol(argv[4], NULL, 10) : 30);
    if (argc >= 4 && strcmp(argv[1], "build") == 0)
        return build(argv[2], argv[3]);
    if (argc >= 4 && strcmp(argv[1], "query") == 0)
        return query(argv[2], argv[3], argc > 4 ? (int)strtol(argv[4], NULL, 10) : 1);
    fprintf(stderr, "usage: kb_fts build DB CORPUS | kb_fts query DB QUERIES [REPS] |"
                    " kb_fts profile DB QUERIES [TOP]\n");
    return 2;
}
