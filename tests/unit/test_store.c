/* Unit tests for src/store: migrations, the declared schema, savepoint rollback, group
 * commit under concurrent writers, and list queries. Uses a temporary SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klantinteracties/klantinteracties.h"
#include "omk/buf.h"
#include "omk/search.h"
#include "omk/store.h"
#include "store/sqlite_int.h"
#include "omk/util.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/omk-test-store-%d.db", (int)getpid());
    unlink(path);
    omk_store *s = NULL;
    if (omk_store_open(path, NULL, &s) || omk_store_migrate(s, NULL, NULL))
        return -1;
    *state = s;
    return 0;
}

/* Removes a database file with its WAL and shared-memory files. */
static void remove_db(const char *db)
{
    char p[128];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

static int teardown(void **state)
{
    omk_store_close(*state);
    remove_db(path);
    return 0;
}

static void store_migrates_to_latest_once(void **state)
{
    omk_store *s = *state;
    int from = -1, to = -1, v = 0;
    assert_int_equal(omk_store_migrate(s, &from, &to), OMK_OK);
    assert_int_equal(from, omk_store_schema_latest());
    assert_int_equal(to, omk_store_schema_latest());
    assert_int_equal(omk_store_schema_version(s, &v), OMK_OK);
    assert_int_equal(v, omk_store_schema_latest());
}

/* Every column a declared resource names exists in the migrated schema (no drift). */
static void store_declared_columns_exist(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (size_t i = 0; omk__ki_resources[i]; i++) {
        const omk_resource *r = omk__ki_resources[i];
        for (size_t k = 0; k < r->nfields; k++) {
            const omk_field *f = &r->fields[k];
            if (!f->column)
                continue;
            char sql[256];
            snprintf(sql, sizeof sql, "SELECT %s FROM %s LIMIT 0", f->column, r->table);
            sqlite3_stmt *st = NULL;
            int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
            if (rc != SQLITE_OK)
                fail_msg("%s.%s (%s) is not in the schema", r->table, f->column, f->json);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
}

typedef struct insert_arg {
    const char *kanaal;
    int64_t when;
    bool fail_after;
    char uuid[37];
} insert_arg;

static omk_rc insert_contact(omk_db *db, void *p)
{
    insert_arg *arg = p;
    omk_arena *a = omk_arena_new(1 << 20);
    const omk_resource *r = &omk__ki_klantcontact;
    omk_row *row = omk_row_new(r, a);
    omk_uuid4(row->uuid);
    memcpy(arg->uuid, row->uuid, 37);
    for (size_t i = 0; i < r->nfields; i++) {
        const omk_field *f = &r->fields[i];
        if (!f->column || f->type == OMK_F_REVERSE)
            continue;
        if (f->type == OMK_F_STRING)
            row->v[i] = (omk_value){.t = OMK_V_TEXT, .s = "", .n = 0};
        else if (f->type == OMK_F_BOOL)
            row->v[i] = (omk_value){.t = OMK_V_INT, .i = 0};
    }
    row->v[omk_model_field_index(r, "nummer")] = (omk_value){.t = OMK_V_NULL};
    row->v[omk_model_field_index(r, "referentienummer")] = (omk_value){.t = OMK_V_NULL};
    row->v[omk_model_field_index(r, "kanaal")] =
        (omk_value){.t = OMK_V_TEXT, .s = arg->kanaal, .n = strlen(arg->kanaal)};
    row->v[omk_model_field_index(r, "plaatsgevondenOp")] = (omk_value){.t = OMK_V_INT, .i = arg->when};
    omk_rc rc = omk_db_insert(db, r, row);
    omk_arena_free(a);
    return rc ? rc : arg->fail_after ? OMK_INVALID : OMK_OK;
}

typedef struct count_arg {
    const char *kanaal;
    long long count;
    char first[37];
} count_arg;

static omk_rc count_contacts(omk_db *db, void *p)
{
    count_arg *c = p;
    omk_arena *a = omk_arena_new(16 << 20);
    static const omk_filter by_kanaal = {"kanaal", "kanaal", OMK_OP_EQ};
    omk_filter_arg fa = {&by_kanaal, c->kanaal};
    omk_query q = {.filters = c->kanaal ? &fa : NULL, .nfilters = c->kanaal ? 1 : 0, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_klantcontact, &q, a, &rows, &c->count);
    if (!rc && rows.n)
        memcpy(c->first, rows.rows[0].uuid, 37);
    omk_arena_free(a);
    return rc;
}

static void store_failed_job_leaves_nothing(void **state)
{
    omk_store *s = *state;
    insert_arg arg = {.kanaal = "rollback", .when = 1, .fail_after = true};
    assert_int_equal(omk_store_write(s, insert_contact, &arg), OMK_INVALID);
    count_arg c = {.kanaal = "rollback"};
    assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
    assert_int_equal(c.count, 0);
}

static void *writer_thread(void *p)
{
    omk_store *s = p;
    for (int i = 0; i < 50; i++) {
        insert_arg arg = {.kanaal = "concurrent", .when = i};
        if (omk_store_write(s, insert_contact, &arg))
            return (void *)1;
    }
    return NULL;
}

static void store_group_commit_keeps_every_write(void **state)
{
    omk_store *s = *state;
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, writer_thread, s);
    for (int i = 0; i < 8; i++) {
        void *ret = NULL;
        pthread_join(t[i], &ret);
        assert_null(ret);
    }
    count_arg c = {.kanaal = "concurrent"};
    assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
    assert_int_equal(c.count, 400);
}

static void store_list_orders_newest_first(void **state)
{
    omk_store *s = *state;
    insert_arg old = {.kanaal = "volgorde", .when = 1000}, young = {.kanaal = "volgorde", .when = 5000},
               mid = {.kanaal = "volgorde", .when = 3000};
    assert_int_equal(omk_store_write(s, insert_contact, &old), OMK_OK);
    assert_int_equal(omk_store_write(s, insert_contact, &young), OMK_OK);
    assert_int_equal(omk_store_write(s, insert_contact, &mid), OMK_OK);
    count_arg c = {.kanaal = "volgorde"};
    assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.first, young.uuid);
}

/* The same count query before and after a write sees the write (the count cache must not
 * answer from an older generation). */
static void store_count_follows_writes(void **state)
{
    omk_store *s = *state;
    count_arg c = {.kanaal = "cache"};
    for (int i = 1; i <= 3; i++) {
        insert_arg arg = {.kanaal = "cache", .when = i};
        assert_int_equal(omk_store_write(s, insert_contact, &arg), OMK_OK);
        assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
        assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
        assert_int_equal(c.count, i);
    }
}

typedef struct filter_arg {
    const omk_resource *r;
    const omk_filter *f;
    const char *value;
} filter_arg;

static omk_rc run_filter(omk_db *db, void *p)
{
    filter_arg *fa = p;
    omk_arena *a = omk_arena_new(16 << 20);
    omk_filter_arg arg = {fa->f, fa->value};
    omk_query q = {.filters = &arg, .nfilters = 1, .limit = 5};
    omk_rowset rows = {0};
    long long count = -1;
    omk_rc rc = omk_db_list(db, fa->r, &q, a, &rows, &count);
    omk_arena_free(a);
    return rc;
}

/* Every declared filter of every resource renders to valid SQL and runs. */
static void store_every_declared_filter_runs(void **state)
{
    omk_store *s = *state;
    for (size_t i = 0; omk__ki_resources[i]; i++) {
        const omk_resource *r = omk__ki_resources[i];
        for (size_t k = 0; k < r->nfilters; k++) {
            const omk_filter *f = &r->filters[k];
            const char *v = "x";
            if (f->op == OMK_OP_EXISTS || f->op == OMK_OP_NOTNULL)
                v = "true";
            else if (f->op == OMK_OP_UUID_URL)
                v = "http://h/x/00000000-0000-4000-8000-000000000000";
            filter_arg fa = {r, f, v};
            omk_rc rc = omk_store_read(s, run_filter, &fa);
            if (rc)
                fail_msg("filter %s on %s failed: %s", f->name, r->name, omk_rc_name(rc));
        }
    }
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int e = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (e != SQLITE_OK)
        fail_msg("%s: %s", err ? err : "?", sql);
    sqlite3_free(err);
}

static long long count_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Schema 13 adds child_mask with triggers; a database that already has rows (at 12) gets the
 * marks filled in by the migration: here built at 12 by hand, filled, then migrated. */
static void store_relation_marks_backfilled(void **state)
{
    (void)state;
    char p12[80];
    snprintf(p12, sizeof p12, "/tmp/omk-test-store12-%d.db", (int)getpid());
    unlink(p12);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p12, &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK); /* the kennisbank's tokenizer */
    for (int v = 1; v <= 12; v++) {
        omk_buf sql;
        omk_buf_init(&sql, 1 << 20);
        assert_int_equal(omk__sqlite_migration(v, &sql), OMK_OK);
        exec_ok(db, sql.p);
        omk_buf_release(&sql);
    }
    exec_ok(db, "PRAGMA user_version = 12;"
                "INSERT INTO partijen(uuid, soort_partij, indicatie_actief) VALUES ('p1', 'persoon', 1);"
                "INSERT INTO klantcontacten(uuid, kanaal, onderwerp, taal, vertrouwelijk, plaatsgevonden_op)"
                " VALUES ('k1', 'balie', 'a', 'nld', 0, 1), ('k2', 'balie', 'b', 'nld', 0, 2),"
                " ('k3', 'balie', 'c', 'nld', 0, 3);"
                "INSERT INTO betrokkenen(uuid, had_klantcontact, was_partij, rol, initiator)"
                " VALUES ('b1', 'k1', 'p1', 'klant', 1), ('b2', 'k2', NULL, 'klant', 1);");
    sqlite3_close(db);

    omk_store *s = NULL;
    int from = 0, to = 0;
    assert_int_equal(omk_store_open(p12, NULL, &s), OMK_OK);
    assert_int_equal(omk_store_migrate(s, &from, &to), OMK_OK);
    assert_int_equal(from, 12);
    omk_store_close(s);

    assert_int_equal(sqlite3_open(p12, &db), SQLITE_OK);
    /* betrokkenen of a klantcontact: bit 3; of a partij: bit 0. */
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k1'"), 8);
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k2'"), 8);
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k3'"), 0);
    assert_int_equal(count_of(db, "SELECT child_mask FROM partijen WHERE uuid = 'p1'"), 1);
    /* The triggers work from then on: the last betrokkene of k1 leaves, k3 gets one. */
    exec_ok(db, "PRAGMA foreign_keys = ON; DELETE FROM betrokkenen WHERE uuid = 'b1';"
                "UPDATE betrokkenen SET had_klantcontact = 'k3' WHERE uuid = 'b2';");
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k1'"), 0);
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k2'"), 0);
    assert_int_equal(count_of(db, "SELECT child_mask FROM klantcontacten WHERE uuid = 'k3'"), 8);
    assert_int_equal(count_of(db, "SELECT child_mask FROM partijen WHERE uuid = 'p1'"), 0);
    sqlite3_close(db);
    remove_db(p12);
}

int main(void)
{
    if (omk_util_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_migrates_to_latest_once),
        cmocka_unit_test(store_declared_columns_exist),
        cmocka_unit_test(store_failed_job_leaves_nothing),
        cmocka_unit_test(store_group_commit_keeps_every_write),
        cmocka_unit_test(store_list_orders_newest_first),
        cmocka_unit_test(store_every_declared_filter_runs),
        cmocka_unit_test(store_count_follows_writes),
        cmocka_unit_test(store_relation_marks_backfilled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
