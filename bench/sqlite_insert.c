/* Raw SQLite insert peer for the durable-write benchmark: inserts klantcontact-like rows into a
 * table of its own, in WAL mode with synchronous=FULL (the durability the server promises), either
 * one transaction per row or N rows per transaction, and reports rows per second. It does not use
 * the server's schema or code, so it measures what SQLite alone can do on this disk.
 *
 * Single-threaded, one connection, prepared statements reused for every row. Each mode runs for a
 * fixed wall-clock time (or a row limit, whichever comes first) on a table that is preloaded with
 * the same number of rows the server holds at that point, so index depth is comparable.
 *
 * Output: one line per mode, "mode=<m> rows=<n> commits=<c> seconds=<s> rows_per_sec=<r>", then
 * nothing else on stdout; errors go to stderr with exit status 1, bad usage exits 2. */

#include <sqlite3.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The same rotation of row content the wrk POST script sends (bench/lua/post.lua). */
static const char *const KANALEN[] = {"telefoon", "email", "balie"};
static const char *const ONDERWERPEN[] = {
    "Verhuizing doorgeven", "Aanvraag paspoort", "Melding openbare ruimte",
    "Vraag over afvalinzameling", "Parkeervergunning aanvragen",
};
static const char INHOUD[] = "Inwoner belt over verhuizing";

#define N_KANALEN (sizeof KANALEN / sizeof KANALEN[0])
#define N_ONDERWERPEN (sizeof ONDERWERPEN / sizeof ONDERWERPEN[0])

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* xorshift64*: fast and good enough for random v4 uuids in a benchmark. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static void rng_seed(void)
{
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&rng_state, sizeof rng_state, 1, f) != 1) rng_state = 0;
        fclose(f);
    }
    if (rng_state == 0) rng_state = (uint64_t)time(NULL) | 1u;
}

/* Writes a random version-4 uuid (36 chars + NUL) into out. */
static void uuid4(char out[37])
{
    unsigned char b[16];
    uint64_t a = rng_next(), c = rng_next();
    memcpy(b, &a, 8);
    memcpy(b + 8, &c, 8);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite_insert: %s: %s\n", sql, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return 1;
    }
    return 0;
}

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS klantcontacten ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT NOT NULL UNIQUE,"
    " nummer TEXT,"
    " kanaal TEXT NOT NULL,"
    " onderwerp TEXT NOT NULL,"
    " inhoud TEXT NOT NULL,"
    " reactie TEXT NOT NULL DEFAULT '',"
    " indicatie_contact_gelukt INTEGER,"
    " taal TEXT NOT NULL,"
    " vertrouwelijk INTEGER NOT NULL,"
    " plaatsgevonden_op TEXT NOT NULL,"
    " aangemaakt_op TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS klantcontacten_plaatsgevonden_op"
    " ON klantcontacten(plaatsgevonden_op);";

static const char INSERT_SQL[] =
    "INSERT INTO klantcontacten (uuid, nummer, kanaal, onderwerp, inhoud, reactie,"
    " indicatie_contact_gelukt, taal, vertrouwelijk, plaatsgevonden_op, aangemaakt_op)"
    " VALUES (?1, ?2, ?3, ?4, ?5, '', 1, 'nld', 0, ?6, ?7)";

struct peer {
    sqlite3 *db;
    sqlite3_stmt *ins, *begin, *commit;
    uint64_t seq; /* rows inserted so far, drives the content rotation and nummer */
};

static int step_reset(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "sqlite_insert: step: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    return 0;
}

static int insert_row(struct peer *p)
{
    char uuid[37], nummer[24], when[32], created[32];
    uint64_t i = p->seq++;
    uuid4(uuid);
    snprintf(nummer, sizeof nummer, "%010llu", (unsigned long long)(i + 1));
    /* Spread plaatsgevonden_op over minutes, like real traffic; the index sees varied keys. */
    snprintf(when, sizeof when, "2026-03-%02uT%02u:%02u:00Z", (unsigned)(1 + (i / 1440) % 28),
             (unsigned)((i / 60) % 24), (unsigned)(i % 60));
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);

    sqlite3_stmt *st = p->ins;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, nummer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, KANALEN[i % N_KANALEN], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ONDERWERPEN[i % N_ONDERWERPEN], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, INHOUD, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, when, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, created, -1, SQLITE_TRANSIENT);
    return step_reset(p->db, st);
}

/* Inserts rows in transactions of `batch` rows until `seconds` pass or `max_rows` rows are in
 * (0 = no row limit) and prints the result line under `mode`. */
static int run_mode(struct peer *p, const char *mode, unsigned batch, double seconds,
                    unsigned long long max_rows)
{
    unsigned long long rows = 0, commits = 0;
    double t0 = now_sec(), t = t0;
    while (t - t0 < seconds && (max_rows == 0 || rows < max_rows)) {
        if (step_reset(p->db, p->begin)) return 1;
        for (unsigned j = 0; j < batch; j++) {
            if (insert_row(p)) return 1;
        }
        if (step_reset(p->db, p->commit)) return 1;
        rows += batch;
        commits++;
        t = now_sec();
    }
    double el = t - t0;
    printf("mode=%s rows=%llu commits=%llu seconds=%.3f rows_per_sec=%.1f\n", mode, rows, commits,
           el, el > 0 ? (double)rows / el : 0.0);
    fflush(stdout);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sqlite_insert --db FILE [--seconds S] [--batch N] [--preload ROWS]\n"
            "                     [--max-rows ROWS] [--modes perrow,batched]\n"
            "Creates its own klantcontacten table in FILE (WAL, synchronous=FULL), preloads ROWS\n"
            "rows in one transaction, then times one commit per row and N rows per commit.\n");
}

static int parse_ull(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end) return 1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *modes = "perrow,batched";
    double seconds = 10;
    unsigned long long batch = 100, preload = 0, max_rows = 0, secs = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (!v) bad = 1;
        else if (!strcmp(a, "--db")) path = v;
        else if (!strcmp(a, "--modes")) modes = v;
        else if (!strcmp(a, "--seconds")) bad = parse_ull(v, &secs) || secs == 0;
        else if (!strcmp(a, "--batch")) bad = parse_ull(v, &batch) || batch == 0 || batch > 1000000;
        else if (!strcmp(a, "--preload")) bad = parse_ull(v, &preload);
        else if (!strcmp(a, "--max-rows")) bad = parse_ull(v, &max_rows);
        else bad = 1;
        if (bad) {
            usage();
            return 2;
        }
        i++;
    }
    if (!path) {
        usage();
        return 2;
    }
    seconds = (double)secs;
    rng_seed();

    struct peer p = {0};
    int rc = 1;
    if (sqlite3_open(path, &p.db) != SQLITE_OK) {
        fprintf(stderr, "sqlite_insert: open %s: %s\n", path, sqlite3_errmsg(p.db));
        goto out;
    }
    sqlite3_busy_timeout(p.db, 5000);
    if (exec_sql(p.db, "PRAGMA journal_mode=WAL") || exec_sql(p.db, "PRAGMA synchronous=FULL") ||
        exec_sql(p.db, SCHEMA))
        goto out;
    if (sqlite3_prepare_v2(p.db, INSERT_SQL, -1, &p.ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p.db, "BEGIN", -1, &p.begin, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p.db, "COMMIT", -1, &p.commit, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite_insert: prepare: %s\n", sqlite3_errmsg(p.db));
        goto out;
    }
    if (preload) {
        if (step_reset(p.db, p.begin)) goto out;
        for (unsigned long long i = 0; i < preload; i++) {
            if (insert_row(&p)) goto out;
        }
        if (step_reset(p.db, p.commit)) goto out;
    }
    if (strstr(modes, "perrow") && run_mode(&p, "perrow", 1, seconds, max_rows)) goto out;
    if (strstr(modes, "batched") &&
        run_mode(&p, "batched", (unsigned)batch, seconds, max_rows))
        goto out;
    rc = 0;
out:
    sqlite3_finalize(p.ins);
    sqlite3_finalize(p.begin);
    sqlite3_finalize(p.commit);
    sqlite3_close(p.db);
    return rc;
}
