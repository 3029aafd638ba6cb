/* Unit tests of the KPI rollups (src/store/sqlite_sturing.c, omk/store_sturing.h): source rows
 * written straight into the tables (as another process or a path outside the API would), the
 * queue filled by the schema's triggers, the catch-up and the recompute through the store's
 * interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omk/store.h"
#include "omk/store_sturing.h"
#include "omk/util.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/omk-test-sturing-%d.db", (int)getpid());
    unlink(path);
    omk_store *s = NULL;
    if (omk_store_open(path, NULL, &s) || omk_store_migrate(s, NULL, NULL))
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    omk_store_close(*state);
    char p[128];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static void exec_ok(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int e = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (e != SQLITE_OK)
        fail_msg("%s: %s", err ? err : "?", sql);
    sqlite3_free(err);
    sqlite3_close(db);
}

static omk_rc catch_up(omk_db *db, void *arg)
{
    (void)arg;
    return omk_db_sturing_bijwerken(db, (size_t)-1, NULL);
}

typedef struct som {
    const char *van, *tot;
    int64_t m[OMK_M_N];
    size_t rows;
    bool per_dag;
} som;

static omk_rc add_row(const omk_sturing_rij *r, void *arg)
{
    som *s = arg;
    s->rows++;
    for (int k = 0; k < OMK_M_N; k++)
        s->m[k] += r->m[k];
    return OMK_OK;
}

static omk_rc sum_rollup(omk_db *db, void *arg)
{
    som *s = arg;
    omk_sturing_filter f = {.van = s->van, .tot = s->tot, .per_dag = s->per_dag};
    return omk_db_sturing_rollup(db, &f, add_row, s);
}

static som read_sum(omk_store *st, const char *van, const char *tot, bool per_dag)
{
    som s = {.van = van, .tot = tot, .per_dag = per_dag};
    assert_int_equal(omk_store_read(st, sum_rollup, &s), OMK_OK);
    return s;
}

#define CV_INSERT(uuid, ontvangen, deadline, status, afgehandeld)                              \
    "INSERT INTO kanalen_contactverzoeken (uuid, kanaal, onderwerp, gevraagde_handeling,"      \
    " ontvangen_op, werkdagen, norm_bron, deadline, ta_soort, ta_naam, status, afgehandeld_op)" \
    " VALUES ('" uuid "', 'telefoon', 'Paspoort', 'Terugbellen', " ontvangen ", 1, 'kanaal',"   \
    " '" deadline "', 'afdeling', 'Burgerzaken', '" status "', " afgehandeld ");"

/* Received Wednesday 24 December 2025 09:00 (Amsterdam); one working day of norm: Christmas
 * (25, 26) and the weekend (27, 28) lie inside, so the deadline is Monday 29 December. Handled
 * on the 29th: on time, 1 working day; on the 30th: late, 2 working days; open: neither. */
static void sturing_sla_counts_working_days_around_a_holiday(void **state)
{
    omk_store *s = *state;
    exec_ok(CV_INSERT("cv-op-tijd", "1766563200000000", "2025-12-29", "afgehandeld",
                      "1767016800000000")
            CV_INSERT("cv-te-laat", "1766563200000000", "2025-12-29", "afgehandeld",
                      "1767085200000000")
            CV_INSERT("cv-open", "1766563200000000", "2025-12-29", "open", "NULL"));
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    som t = read_sum(s, "2025-12-24", "2025-12-24", true);
    assert_int_equal(t.rows, 1);
    assert_int_equal(t.m[OMK_M_CV], 3);
    assert_int_equal(t.m[OMK_M_CV_AFGEHANDELD], 2);
    assert_int_equal(t.m[OMK_M_CV_TIJDIG], 1);
    assert_int_equal(t.m[OMK_M_CV_WERKDAGEN], 1 + 2);
}

/* A random register written and changed in random order, taken in by the catch-up after
 * every few changes, equals a recompute from scratch. */
static void sturing_incremental_equals_recompute(void **state)
{
    omk_store *s = *state;
    srand(13);
    char sql[1024];
    for (int p = 0; p < 5; p++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO partijen (uuid, soort_partij, indicatie_actief) VALUES"
                 " ('p%d', 'persoon', 1);", p);
        exec_ok(sql);
    }
    static const char *const ONDERWERPEN[] = {"Verhuizing", "paspoort", "Afval"};
    static const char *const KANALEN[] = {"telefoon", "e-mail", "balie"};
    int64_t base = 1767225600000000LL; /* 2026-01-01 */
    for (int i = 0; i < 120; i++) {
        int64_t t = base + (int64_t)(rand() % (20 * 24)) * 3600000000LL;
        snprintf(sql, sizeof sql,
                 "INSERT INTO klantcontacten (uuid, kanaal, onderwerp, taal, vertrouwelijk,"
                 " plaatsgevonden_op, indicatie_contact_gelukt) VALUES ('k%d', '%s', '%s',"
                 " 'nld', 0, %lld, %d);",
                 i, KANALEN[rand() % 3], ONDERWERPEN[rand() % 3], (long long)t, rand() % 10 != 0);
        exec_ok(sql);
        if (rand() % 5) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO betrokkenen (uuid, had_klantcontact, was_partij, rol, initiator)"
                     " VALUES ('b%d', 'k%d', 'p%d', 'klant', 1);", i, i, rand() % 5);
            exec_ok(sql);
        }
        if (i > 10 && rand() % 4 == 0) { /* move an earlier contact in time */
            snprintf(sql, sizeof sql,
                     "UPDATE klantcontacten SET plaatsgevonden_op = plaatsgevonden_op + %lld"
                     " WHERE uuid = 'k%d';", (long long)(rand() % 200 - 100) * 3600000000LL,
                     rand() % i);
            exec_ok(sql);
        }
        if (i > 10 && rand() % 9 == 0) { /* and remove one */
            snprintf(sql, sizeof sql, "DELETE FROM klantcontacten WHERE uuid = 'k%d';", rand() % i);
            exec_ok(sql);
        }
        if (rand() % 7 == 0)
            assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    }
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    som before = read_sum(s, "2025-01-01", "2027-01-01", false);
    assert_int_equal(before.rows, 1);
    assert_true(before.m[OMK_M_CONTACTEN] > 90);
    assert_true(before.m[OMK_M_HERHAAL] > 0);
    long long changed = -1;
    assert_int_equal(omk_store_sturing_herbereken(s, NULL, &changed), OMK_OK);
    assert_int_equal(changed, 0);
    som after = read_sum(s, "2025-01-01", "2027-01-01", true);
    assert_true(after.rows > 10);
    assert_memory_equal(before.m, after.m, sizeof before.m);
}

/* The window is a parameter: two contacts of one partij on one onderwerp 10 days apart are no
 * repeat with the default 7 days, and one with 14 (set and recomputed in one write). */
static void sturing_window_is_configurable(void **state)
{
    omk_store *s = *state;
    exec_ok("INSERT INTO partijen (uuid, soort_partij, indicatie_actief) VALUES"
            " ('p', 'persoon', 1);"
            "INSERT INTO klantcontacten (uuid, kanaal, onderwerp, taal, vertrouwelijk,"
            " plaatsgevonden_op) VALUES ('a', 'telefoon', 'Afval', 'nld', 0, 1767261600000000),"
            " ('b', 'telefoon', 'Afval', 'nld', 0, 1768125600000000);"
            "INSERT INTO betrokkenen (uuid, had_klantcontact, was_partij, rol, initiator) VALUES"
            " ('ba', 'a', 'p', 'klant', 1), ('bb', 'b', 'p', 'klant', 1);");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    som t = read_sum(s, "2026-01-01", "2026-01-31", false);
    assert_int_equal(t.m[OMK_M_CONTACTEN], 2);
    assert_int_equal(t.m[OMK_M_HERHAAL], 0);
    assert_int_equal(t.m[OMK_M_OPGELOST], 2);
    omk_sturing_params p = {.venster_dagen = 14};
    long long changed = 0;
    assert_int_equal(omk_store_sturing_herbereken(s, &p, &changed), OMK_OK);
    assert_true(changed > 0);
    t = read_sum(s, "2026-01-01", "2026-01-31", false);
    assert_int_equal(t.m[OMK_M_HERHAAL], 1);
    assert_int_equal(t.m[OMK_M_OPGELOST], 1);
    omk_sturing_params bad = {.venster_dagen = 5000};
    assert_int_equal(omk_store_sturing_herbereken(s, &bad, &changed), OMK_INVALID);
}

/* A kanaalvoorkeur set later in Mijn-omgeving (by BSN) counts for the partij's contacts: the
 * trigger on inwoner_voorkeuren queues them; removing it takes the count back. */
static void sturing_kanaalvoorkeur_follows_mijn_omgeving(void **state)
{
    omk_store *s = *state;
    exec_ok("INSERT INTO partijen (uuid, soort_partij, indicatie_actief) VALUES"
            " ('p', 'persoon', 1);"
            "INSERT INTO partij_identificatoren (uuid, identificeerde_partij, code_soort_object_id,"
            " object_id) VALUES ('pi', 'p', 'bsn', '999990019');"
            "INSERT INTO klantcontacten (uuid, kanaal, onderwerp, taal, vertrouwelijk,"
            " plaatsgevonden_op) VALUES ('a', 'e-mail', 'Afval', 'nld', 0, 1767261600000000);"
            "INSERT INTO betrokkenen (uuid, had_klantcontact, was_partij, rol, initiator) VALUES"
            " ('ba', 'a', 'p', 'klant', 1);");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    assert_int_equal(read_sum(s, "2026-01-01", "2026-01-31", false).m[OMK_M_VOORKEUR], 0);
    exec_ok("INSERT INTO inwoner_voorkeuren (uuid, bsn, voorkeurskanaal, gewijzigd_op) VALUES"
            " ('v', '999990019', 'e-mail', 0);");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    assert_int_equal(read_sum(s, "2026-01-01", "2026-01-31", false).m[OMK_M_VOORKEUR], 1);
    exec_ok("DELETE FROM inwoner_voorkeuren WHERE uuid = 'v';");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    assert_int_equal(read_sum(s, "2026-01-01", "2026-01-31", false).m[OMK_M_VOORKEUR], 0);
}

/* The parameters have defaults and are stored; a zero is refused. */
static omk_rc set_params(omk_db *db, void *arg)
{
    return omk_db_sturing_params_set(db, arg);
}

static omk_rc get_params(omk_db *db, void *arg)
{
    return omk_db_sturing_params(db, arg);
}

static void sturing_params_default_and_stored(void **state)
{
    omk_store *s = *state;
    omk_sturing_params p = {0};
    assert_int_equal(omk_store_read(s, get_params, &p), OMK_OK);
    assert_int_equal(p.venster_dagen, 7);
    assert_int_equal(p.servicelevel_s, 30);
    assert_int_equal(p.kort_verlaten_s, 5);
    assert_int_equal(p.balie_norm_min, 15);
    omk_sturing_params q = {.venster_dagen = 14, .servicelevel_s = 20, .kort_verlaten_s = 6,
                            .balie_norm_min = 10};
    assert_int_equal(omk_store_write(s, set_params, &q), OMK_OK);
    assert_int_equal(omk_store_read(s, get_params, &p), OMK_OK);
    assert_int_equal(p.venster_dagen, 14);
    assert_int_equal(p.servicelevel_s, 20);
    assert_int_equal(p.balie_norm_min, 10);
    omk_sturing_params bad = {.venster_dagen = 0, .servicelevel_s = 20, .kort_verlaten_s = 6,
                              .balie_norm_min = 10};
    assert_int_equal(omk_store_write(s, set_params, &bad), OMK_INVALID);
}

typedef struct mix_som {
    const char *van, *tot;
    int64_t persoon, organisatie, onbekend;
} mix_som;

static omk_rc add_mix(const omk_sturing_mixrij *r, void *arg)
{
    mix_som *m = arg;
    if (strcmp(r->klantgroep, "persoon") == 0)
        m->persoon += r->contacten;
    else if (strcmp(r->klantgroep, "organisatie") == 0)
        m->organisatie += r->contacten;
    else if (strcmp(r->klantgroep, "onbekend") == 0)
        m->onbekend += r->contacten;
    return OMK_OK;
}

static omk_rc read_mix_job(omk_db *db, void *arg)
{
    mix_som *m = arg;
    omk_sturing_filter f = {.van = m->van, .tot = m->tot};
    return omk_db_sturing_mix(db, &f, true, add_mix, arg);
}

/* The mix of January 2026 read three ways — the whole month (month rollup), the one day (day
 * rollup), and a period with parts of three months (both) — which must agree. */
static mix_som read_mix(omk_store *s)
{
    static const char *const PERIODEN[][2] = {
        {"2026-01-01", "2026-01-31"}, {"2026-01-05", "2026-01-05"}, {"2025-12-15", "2026-02-10"}};
    mix_som eerste = {0};
    for (size_t i = 0; i < 3; i++) {
        mix_som m = {.van = PERIODEN[i][0], .tot = PERIODEN[i][1]};
        assert_int_equal(omk_store_read(s, read_mix_job, &m), OMK_OK);
        if (i == 0)
            eerste = m;
        assert_int_equal(m.persoon, eerste.persoon);
        assert_int_equal(m.organisatie, eerste.organisatie);
        assert_int_equal(m.onbekend, eerste.onbekend);
    }
    return eerste;
}

#define BALIE_INSERT(uuid, nr, opgeroepen)                                                     \
    "INSERT INTO kanalen_balie (uuid, reden, wachtrij, volgnummer, dag, status, aangemeld_op,"  \
    " opgeroepen_op) VALUES ('" uuid "', 'Paspoort', 'Burgerzaken', '" nr "', '2026-01-05',"    \
    " 'wachtend', 1767600000000000, " opgeroepen ");"

/* Balie waits (check-in 09:00 on 5 January 2026; called after 10 and 20 minutes, one not yet:
 * 1 of 2 within the 15-minute norm, 30 minutes in all), web transactions (a count of 0 adds
 * nothing) and the channel mix per klantgroep, which follows a partij's soort; then changed
 * and removed, and the incremental rollups equal a recompute. */
static void sturing_balie_web_and_mix(void **state)
{
    omk_store *s = *state;
    exec_ok(BALIE_INSERT("b1", "A001", "1767600600000000") BALIE_INSERT("b2", "A002",
                                                                         "1767601200000000")
            BALIE_INSERT("b3", "A003", "NULL")
            "INSERT INTO sturing_webtransacties (uuid, dag, product, aantal) VALUES"
            " ('w1', '2026-01-05', ' Verhuizing ', 7), ('w2', '2026-01-05', 'Paspoort', 0);"
            "INSERT INTO partijen (uuid, soort_partij, indicatie_actief) VALUES"
            " ('org', 'organisatie', 1);"
            "INSERT INTO klantcontacten (uuid, kanaal, onderwerp, taal, vertrouwelijk,"
            " plaatsgevonden_op) VALUES ('k1', 'telefoon', 'Verhuizing', 'nld', 0,"
            " 1767600000000000), ('k2', 'balie', 'Paspoort', 'nld', 0, 1767600000000000);"
            "INSERT INTO betrokkenen (uuid, had_klantcontact, was_partij, rol, initiator) VALUES"
            " ('bk1', 'k1', 'org', 'klant', 1);");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    som t = read_sum(s, "2026-01-05", "2026-01-05", false);
    assert_int_equal(t.m[OMK_M_BALIE], 2);
    assert_int_equal(t.m[OMK_M_BALIE_WACHT_MS], 30 * 60000);
    assert_int_equal(t.m[OMK_M_BALIE_NORM], 1);
    assert_int_equal(t.m[OMK_M_WEB], 7);
    assert_int_equal(t.m[OMK_M_CONTACTEN], 2);
    mix_som m = read_mix(s);
    assert_int_equal(m.organisatie, 1);
    assert_int_equal(m.onbekend, 1);
    assert_int_equal(m.persoon, 0);

    exec_ok("UPDATE partijen SET soort_partij = 'persoon' WHERE uuid = 'org';"
            "UPDATE kanalen_balie SET opgeroepen_op = 1767600360000000 WHERE uuid = 'b3';"
            "UPDATE sturing_webtransacties SET aantal = 3 WHERE uuid = 'w2';"
            "DELETE FROM sturing_webtransacties WHERE uuid = 'w1';");
    assert_int_equal(omk_store_write(s, catch_up, NULL), OMK_OK);
    t = read_sum(s, "2026-01-05", "2026-01-05", false);
    assert_int_equal(t.m[OMK_M_BALIE], 3);
    assert_int_equal(t.m[OMK_M_BALIE_NORM], 2);
    assert_int_equal(t.m[OMK_M_WEB], 3);
    m = read_mix(s);
    assert_int_equal(m.organisatie, 0);
    assert_int_equal(m.persoon, 1);
    long long changed = -1;
    assert_int_equal(omk_store_sturing_herbereken(s, NULL, &changed), OMK_OK);
    assert_int_equal(changed, 0);
}

int main(void)
{
    if (omk_util_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sturing_sla_counts_working_days_around_a_holiday, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sturing_incremental_equals_recompute, setup, teardown),
        cmocka_unit_test_setup_teardown(sturing_params_default_and_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(sturing_window_is_configurable, setup, teardown),
        cmocka_unit_test_setup_teardown(sturing_kanaalvoorkeur_follows_mijn_omgeving, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sturing_balie_web_and_mix, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
