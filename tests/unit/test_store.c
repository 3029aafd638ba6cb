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
#include "store/pg_int.h"
#include "store/store_int.h"
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


/* ---- the Logboek's storage ---- */

extern const omk_resource omk__kv_contactverzoek, omk__kan_gesprek, omk__kan_oproep,
    omk__kan_balie, omk__kan_bericht, omk__avg_bewaarplicht;

/* Every path of every declared subject starts at a column of its resource and, through
 * another table, names columns that exist there (a typo would make a read fail, or log
 * nobody). */
static void store_subject_paths_exist(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const omk_resource *extra[] = {&omk__kv_contactverzoek, &omk__kan_gesprek, &omk__kan_oproep,
                                   &omk__kan_balie, &omk__kan_bericht,
                                   &omk__avg_bewaarplicht};
    const omk_resource *all[40];
    size_t n = 0, checked = 0;
    for (size_t i = 0; omk__ki_resources[i] && n < 30; i++)
        all[n++] = omk__ki_resources[i];
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        all[n++] = extra[i];
    for (size_t i = 0; i < n; i++) {
        const omk_resource *r = all[i];
        if (!r->subjects)
            continue;
        for (size_t p = 0; p < OMK_SUBJECT_PATHS && r->subjects->paths[p].column; p++) {
            const omk_subject_path *sp = &r->subjects->paths[p];
            bool own = strcmp(sp->column, "uuid") == 0;
            for (size_t k = 0; !own && k < r->nfields; k++)
                own = r->fields[k].column && strcmp(r->fields[k].column, sp->column) == 0;
            if (!own)
                fail_msg("%s: subject column %s is not a field", r->name, sp->column);
            bool when = !sp->when_column;
            for (size_t k = 0; !when && k < r->nfields; k++)
                when = r->fields[k].column && strcmp(r->fields[k].column, sp->when_column) == 0;
            if (!when || (sp->when_column && !sp->when_value) || (sp->soort && sp->via_table))
                fail_msg("%s: subject condition %s is not a field", r->name, sp->when_column);
            if (sp->via_table) {
                char sql[256];
                snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s LIMIT 0", sp->via_match,
                         sp->via_partij, sp->via_table);
                sqlite3_stmt *st = NULL;
                if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
                    fail_msg("%s: %s", r->name, sql);
                sqlite3_finalize(st);
            }
            checked++;
        }
    }
    assert_true(checked >= 18);
    sqlite3_close(db);
}

/* One Logboek row: a fixed action about persons whose pseudonyms are 16 bytes of `tag`. */
typedef struct ldv_arg {
    int n;
    unsigned char tag;
    bool fail_after;
    const char *naam;
    unsigned char mark; /* when set, the first byte of every pseudonym (apart from the rest) */
    int64_t eind_ms;    /* when it ended (0: 2, long ago) */
} ldv_arg;

static omk_rc add_ldv(omk_db *db, void *p)
{
    ldv_arg *a = p;
    static unsigned char personen[400 * OMK_LDV_PERSOON];
    for (int k = 0; k < a->n; k++) {
        personen[k * OMK_LDV_PERSOON] = OMK_LDV_T_PARTIJ;
        memset(personen + k * OMK_LDV_PERSOON + 1, (unsigned char)(a->tag + k), 16);
        if (k >= 256) /* distinct past 256 */
            personen[k * OMK_LDV_PERSOON + 16] ^= (unsigned char)(k >> 8);
        if (a->mark)
            personen[k * OMK_LDV_PERSOON + 1] = a->mark;
    }
    omk_ldv_row r = {.trace_id = "0af7651916cd43dd8448eb211c80319c", .span_id = "b7ad6b7169203331",
                     .naam = a->naam ? a->naam : "Klantcontacten opvragen", .status = "Ok",
                     .activiteit = "klantvraag-beantwoorden", .rol = "kcm", .start_ms = 1,
                     .eind_ms = a->eind_ms ? a->eind_ms : 2, .personen = personen,
                     .n = (size_t)a->n};
    omk_rc rc = omk_db_ldv_add(db, &r, 1);
    return rc ? rc : a->fail_after ? OMK_INVALID : OMK_OK;
}

static omk_rc verify_job(omk_db *db, void *p)
{
    return omk_db_ldv_verify(db, p);
}

static omk_ldv_check verify_now(omk_store *s)
{
    omk_ldv_check c;
    assert_int_equal(omk_store_read(s, verify_job, &c), OMK_OK);
    return c;
}

/* Rows added by jobs are chained at the end of their group; a job that fails takes its rows
 * with it and the chain never holds them. */
static void store_ldv_chain_skips_rolled_back_rows(void **state)
{
    omk_store *s = *state;
    omk_ldv_check before = verify_now(s);
    assert_true(before.ok);
    ldv_arg ok = {.n = 3, .tag = 0x10}, bad = {.n = 2, .tag = 0x40, .fail_after = true};
    ldv_arg big = {.n = 300, .tag = 0x50, .mark = 0xee}; /* longer than the hash's buffer */
    assert_int_equal(omk_store_write(s, add_ldv, &ok), OMK_OK);
    assert_int_equal(omk_store_write(s, add_ldv, &bad), OMK_INVALID);
    assert_int_equal(omk_store_write(s, add_ldv, &ok), OMK_OK);
    assert_int_equal(omk_store_write(s, add_ldv, &big), OMK_OK);
    omk_ldv_check c = verify_now(s);
    assert_true(c.ok);
    assert_int_equal(c.rows, before.rows + 3);
    assert_int_equal(c.records, before.records + 306);
    assert_int_equal(strlen(c.head), 64);
}

/* The flusher: its rows are chained in the same group; when it fails, the jobs still commit
 * and done hears of the failure (the caller keeps its rows for the next group). */
typedef struct flush_state {
    int calls, done_ok, done_failed;
    bool fail;
    ldv_arg rows;
} flush_state;

static omk_rc test_flush(omk_db *db, void *arg)
{
    flush_state *f = arg;
    f->calls++;
    if (f->fail)
        return OMK_IO;
    return f->rows.n ? add_ldv(db, &f->rows) : OMK_OK;
}

static void test_flushed(void *arg, omk_rc rc)
{
    flush_state *f = arg;
    if (rc)
        f->done_failed++;
    else
        f->done_ok++;
}

static void store_ldv_flusher_runs_in_the_group(void **state)
{
    omk_store *s = *state;
    omk_ldv_check before = verify_now(s);
    flush_state f = {.fail = true};
    omk_store_flusher fl = {.flush = test_flush, .done = test_flushed, .arg = &f};
    omk_store_set_flusher(s, &fl);
    insert_arg arg = {.kanaal = "flusher", .when = 1};
    assert_int_equal(omk_store_write(s, insert_contact, &arg), OMK_OK);
    assert_int_equal(f.done_failed, 1);
    count_arg c = {.kanaal = "flusher"};
    assert_int_equal(omk_store_read(s, count_contacts, &c), OMK_OK);
    assert_int_equal(c.count, 1); /* the job committed although the flush failed */
    f.fail = false;
    f.rows = (ldv_arg){.n = 4, .tag = 0x70};
    omk_store_kick(s);
    for (int i = 0; i < 300 && f.done_ok == 0; i++)
        usleep(10000); /* the writer pauses 100 ms after a failure */
    assert_int_equal(f.done_ok, 1);
    omk_store_set_flusher(s, NULL);
    omk_ldv_check after = verify_now(s);
    assert_true(after.ok);
    assert_int_equal(after.records, before.records + 4);
}

typedef struct ids_arg {
    unsigned char key[16];
    size_t n;
    int64_t ids[16];
} ids_arg;

static omk_rc ids_job(omk_db *db, void *p)
{
    ids_arg *a = p;
    omk_arena *ar = omk_arena_new(1 << 20);
    int64_t *ids = NULL;
    omk_rc rc = omk_db_ldv_ids(db, a->key, 16, ar, &ids, &a->n);
    for (size_t i = 0; !rc && i < a->n && i < 16; i++)
        a->ids[i] = ids[i];
    omk_arena_free(ar);
    return rc;
}

/* The index finds every row that names a person, newest first, across groups. */
static void store_ldv_index_finds_a_person(void **state)
{
    omk_store *s = *state;
    ldv_arg a = {.n = 2, .tag = 0xa0}, other = {.n = 1, .tag = 0xb0};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(omk_store_write(s, add_ldv, &a), OMK_OK);
        assert_int_equal(omk_store_write(s, add_ldv, &other), OMK_OK);
    }
    ids_arg q = {.n = 0};
    memset(q.key, 0xa1, 16); /* the second person of a */
    assert_int_equal(omk_store_read(s, ids_job, &q), OMK_OK);
    assert_int_equal(q.n, 3);
    assert_true(q.ids[0] > q.ids[1] && q.ids[1] > q.ids[2]);
    memset(q.key, 0xdd, 16);
    assert_int_equal(omk_store_read(s, ids_job, &q), OMK_OK);
    assert_int_equal(q.n, 0);
}

/* A changed, removed (in the middle or at the end) or inserted row, or a changed index, is
 * found by verify, which names the first row that does not fit. */
static void store_ldv_verify_finds_tampering(void **state)
{
    omk_store *s = *state;
    for (int i = 0; i < 4; i++) {
        ldv_arg a = {.n = 1 + i, .tag = (unsigned char)(0x20 + i)};
        assert_int_equal(omk_store_write(s, add_ldv, &a), OMK_OK);
    }
    omk_ldv_check c = verify_now(s);
    assert_true(c.ok);
    long long last = c.rows;
    const char *tampers[] = {
        "UPDATE dataverwerkingen SET rol = 'beheerder' WHERE id = %lld",
        "DELETE FROM dataverwerkingen WHERE id = %lld",
        "DELETE FROM dataverwerkingen WHERE id = %lld",
        "INSERT INTO dataverwerkingen SELECT %lld + 1000, trace_id, span_id, parent_span_id,"
        " naam, start_ms, eind_ms, status, verwerkingsactiviteit, rol, aanroeper, bron,"
        " aantal, betrokkenen, hash FROM dataverwerkingen WHERE id = 1",
        "DELETE FROM dataverwerkingen_betrokkenen WHERE eerste = %lld",
        "UPDATE dataverwerkingen_keten SET laatste = %lld - 1",
    };
    const long long target[] = {last - 2, last - 1, last, last, last, last};
    const long long want_bad[] = {last - 2, last, last, last + 1000, 0, last};
    for (size_t t = 0; t < sizeof tampers / sizeof tampers[0]; t++) {
        char copy[96], sql[512];
        snprintf(copy, sizeof copy, "%s.copy", path);
        remove_db(copy);
        /* A consistent copy of the file: VACUUM INTO through the store's own connection. */
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        snprintf(sql, sizeof sql, "VACUUM INTO '%s'", copy);
        exec_ok(db, sql);
        sqlite3_close(db);
        assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
        snprintf(sql, sizeof sql, tampers[t], target[t]);
        exec_ok(db, sql);
        sqlite3_close(db);
        omk_store *cs = NULL;
        omk_store_opts ro = {.readers = 1, .read_only = true};
        assert_int_equal(omk_store_open(copy, &ro, &cs), OMK_OK);
        omk_ldv_check bad = verify_now(cs);
        omk_store_close(cs);
        if (bad.ok)
            fail_msg("tamper %zu (%s) not found", t, sql);
        assert_int_equal(bad.bad_id, want_bad[t]);
        assert_true(strlen(bad.reason) > 10);
        remove_db(copy);
    }
}

typedef struct prune_arg {
    int64_t before_ms;
    omk_ldv_snoei found, done;
} prune_arg;

static omk_rc prune_job(omk_db *db, void *p)
{
    prune_arg *a = p;
    omk_rc rc = omk_db_ldv_prunable(db, a->before_ms, &a->found);
    return rc ? rc : omk_db_ldv_prune(db, a->found.tot, &a->done);
}

/* verify on a copy of the database changed by sql (several statements). */
static omk_ldv_check verify_tampered(const char *sql)
{
    char copy[96], vac[160];
    snprintf(copy, sizeof copy, "%s.copy", path);
    remove_db(copy);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    snprintf(vac, sizeof vac, "VACUUM INTO '%s'", copy);
    exec_ok(db, vac);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
    exec_ok(db, sql);
    sqlite3_close(db);
    omk_store *cs = NULL;
    omk_store_opts ro = {.readers = 1, .read_only = true};
    assert_int_equal(omk_store_open(copy, &ro, &cs), OMK_OK);
    omk_ldv_check c = verify_now(cs);
    omk_store_close(cs);
    remove_db(copy);
    return c;
}

/* The Logboek's retention: the rows that ended before the term go up to a pruning point and
 * their index entries with them; the chain verifies from the point; the pruning is a record
 * of the chain; a change after it, a row removed behind it, or a point moved on still shows.
 * Runs after the other tests of the chain (it removes their rows). */
static void store_ldv_prunes_to_a_point(void **state)
{
    omk_store *s = *state;
    int64_t now = omk_now_ms();
    ldv_arg old = {.n = 2, .tag = 0xc0}, recent = {.n = 1, .tag = 0xd0, .eind_ms = now};
    assert_int_equal(omk_store_write(s, add_ldv, &old), OMK_OK);
    assert_int_equal(omk_store_write(s, add_ldv, &old), OMK_OK);
    assert_int_equal(omk_store_write(s, add_ldv, &recent), OMK_OK);
    omk_ldv_check before = verify_now(s);
    assert_true(before.ok);
    assert_int_equal(before.pruned_to, 0);
    prune_arg p = {.before_ms = now - 1000};
    assert_int_equal(omk_store_write(s, prune_job, &p), OMK_OK);
    assert_int_equal(p.found.tot, before.rows - 1); /* every row but the recent one */
    assert_int_equal(p.done.tot, p.found.tot);
    assert_int_equal(p.done.rows, before.rows - 1);
    assert_int_equal(p.done.records, before.records - 1);
    omk_ldv_check after = verify_now(s);
    if (!after.ok)
        fail_msg("after pruning: %lld %s", (long long)after.bad_id, after.reason);
    assert_int_equal(after.pruned_to, p.done.tot);
    assert_int_equal(after.rows, 2); /* the recent row and the pruning's record */
    assert_int_equal(after.records, 1);
    /* The index forgot the removed rows and kept the others. */
    ids_arg q = {.n = 0};
    memset(q.key, 0xc1, 16);
    assert_int_equal(omk_store_read(s, ids_job, &q), OMK_OK);
    assert_int_equal(q.n, 0);
    memset(q.key, 0xd0, 16);
    assert_int_equal(omk_store_read(s, ids_job, &q), OMK_OK);
    assert_int_equal(q.n, 1);
    /* Nothing more to prune; a second pruning changes nothing. */
    prune_arg again = {.before_ms = now - 1000};
    assert_int_equal(omk_store_write(s, prune_job, &again), OMK_OK);
    assert_int_equal(again.found.tot, 0);
    /* Rows added afterwards chain on. */
    assert_int_equal(omk_store_write(s, add_ldv, &recent), OMK_OK);
    assert_true(verify_now(s).ok);
    char sql[1024];
    long long kept = (long long)p.done.tot + 1;
    snprintf(sql, sizeof sql, "UPDATE dataverwerkingen SET rol = 'beheerder' WHERE id = %lld",
             kept);
    omk_ldv_check c = verify_tampered(sql);
    assert_false(c.ok);
    assert_int_equal(c.bad_id, kept);
    snprintf(sql, sizeof sql, "DELETE FROM dataverwerkingen WHERE id = %lld", kept);
    c = verify_tampered(sql);
    assert_false(c.ok);
    assert_int_equal(c.bad_id, kept + 1);
    /* The point moved on past the recent row, with everything that would have to match. */
    snprintf(sql, sizeof sql,
             "UPDATE dataverwerkingen_snoeipunt SET tot = %lld, hash = (SELECT hash FROM"
             " dataverwerkingen WHERE id = %lld), verwerkingen = verwerkingen + 1, records ="
             " records + 1; DELETE FROM dataverwerkingen WHERE id = %lld;"
             " DELETE FROM dataverwerkingen_betrokkenen WHERE eerste = %lld",
             kept, kept, kept, kept);
    c = verify_tampered(sql);
    assert_false(c.ok);
    if (!strstr(c.reason, "snoeipunt"))
        fail_msg("moved point: %s", c.reason);
}

/* Records of schema 10–14 (one person each, the pseudonym in hex) move to the new table at
 * migration 15, chained, their index built, the first half of the pseudonym kept. */
static void store_ldv_migrates_old_records(void **state)
{
    (void)state;
    char p14[80];
    snprintf(p14, sizeof p14, "/tmp/omk-test-store14-%d.db", (int)getpid());
    remove_db(p14);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p14, &db), SQLITE_OK);
    assert_int_equal(omk_search_register_sqlite(db), OMK_OK);
    for (int v = 1; v <= 14; v++) {
        omk_buf sql;
        omk_buf_init(&sql, 1 << 20);
        assert_int_equal(omk__sqlite_migration(v, &sql), OMK_OK);
        exec_ok(db, sql.p);
        omk_buf_release(&sql);
    }
    exec_ok(db, "PRAGMA user_version = 14;"
                "INSERT INTO dataverwerkingen (uuid, trace_id, span_id, naam, start_ms, eind_ms,"
                " status, verwerkingsactiviteit, betrokkene, betrokkene_type, rol, bron) VALUES"
                " ('u1', 't1', 's1', 'Klantbeeld raadplegen', 1, 2, 'Ok', 'a', '"
                "0102030405060708090a0b0c0d0e0f10aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'BSN', 'kcm',"
                " 'register'), ('u2', 't1', 's2', 'Zaken zoeken', 1, 2, 'Ok', 'a', '"
                "0102030405060708090a0b0c0d0e0f10aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'BSN', 'kcm',"
                " 'zaken');");
    sqlite3_close(db);
    omk_store *s = NULL;
    assert_int_equal(omk_store_open(p14, NULL, &s), OMK_OK);
    assert_int_equal(omk_store_migrate(s, NULL, NULL), OMK_OK);
    omk_ldv_check c = verify_now(s);
    assert_true(c.ok);
    assert_int_equal(c.rows, 2);
    assert_int_equal(c.records, 2);
    ids_arg q = {.key = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
    assert_int_equal(omk_store_read(s, ids_job, &q), OMK_OK);
    assert_int_equal(q.n, 2);
    omk_store_close(s);
    assert_int_equal(sqlite3_open(p14, &db), SQLITE_OK);
    assert_int_equal(count_of(db, "SELECT count(*) FROM sqlite_master WHERE name ="
                                  " 'dataverwerkingen_14'"), 0);
    assert_int_equal(count_of(db, "SELECT count(*) FROM dataverwerkingen WHERE bron = 'zaken'"
                                  " AND hex(betrokkenen) = '01' || '0102030405060708090A0B0C0D0E0F10'"),
                     1);
    sqlite3_close(db);
    remove_db(p14);
}

/* The kennisbank's synonym list: groups keyed by uuid, a term in one group at most. */
typedef struct syn_arg {
    omk_synonym_group g;
    const char *const *find;
    size_t nfind;
    omk_arena *a;
    omk_synonym_group *out;
    size_t n;
    int op; /* 0 put, 1 find, 2 delete, 3 get into out[0] */
} syn_arg;

static omk_rc syn_job(omk_db *db, void *p)
{
    syn_arg *s = p;
    static omk_synonym_group one;
    switch (s->op) {
    case 0:
        return omk_db_synonyms_put(db, &s->g);
    case 1:
        return s->find ? omk_db_synonyms_find(db, s->find, s->nfind, s->a, &s->out, &s->n)
                       : omk_db_synonyms_list(db, s->a, &s->out, &s->n);
    case 2:
        return omk_db_synonyms_delete(db, s->g.uuid);
    default:
        s->out = &one;
        s->n = 1;
        return omk_db_synonyms_get(db, s->g.uuid, s->a, &one);
    }
}

/* Every backend fills every operation of the store's contract: one it does not do yet answers
 * OMK_UNSUPPORTED. Only the entries store.c checks for NULL may be left out. (An operation
 * added for SQLite alone once left PostgreSQL's entry NULL, and the writer crashed calling it.)
 * Every member after `name` is a function pointer. */
static void store_backends_fill_every_entry(void **state)
{
    (void)state;
    static const size_t optional[] = {
        offsetof(omk__store_backend, storage), offsetof(omk__store_backend, was_full),
        offsetof(omk__store_backend, backup), offsetof(omk__store_backend, restore)};
    const omk__store_backend *all[] = {&omk__store_sqlite, &omk__store_pg};
    typedef void (*any_fn)(void);
    for (size_t b = 0; b < OMK_COUNT(all); b++)
        for (size_t off = offsetof(omk__store_backend, connect); off < sizeof(omk__store_backend);
             off += sizeof(any_fn)) {
            bool opt = false;
            for (size_t i = 0; i < OMK_COUNT(optional); i++)
                opt = opt || optional[i] == off;
            any_fn fn = NULL;
            memcpy(&fn, (const char *)all[b] + off, sizeof fn);
            if (!opt && !fn)
                fail_msg("%s: the entry at offset %zu of omk__store_backend is NULL", all[b]->name,
                         off);
        }
}

/* One schema history for both backends: PostgreSQL's dialect ends at the same version as the
 * SQLite migrations (a migration appended to one list only fails here, before any database
 * does), and its baseline carries every relation mark's trigger. */
static void store_pg_schema_history_matches(void **state)
{
    (void)state;
    assert_int_equal(omk__pg_schema_latest(), omk__sqlite_schema_latest());
    assert_true(omk__pg_schema_baseline() <= omk__pg_schema_latest());
    for (int v = omk__pg_schema_baseline(); v <= omk__pg_schema_latest(); v++) {
        omk_buf b;
        omk_buf_init(&b, 1 << 20);
        assert_int_equal(omk__pg_migration(v, &b), OMK_OK);
        assert_true(b.n > 0);
        if (v == omk__pg_schema_baseline()) {
            const char *parent, *child, *column;
            int bit;
            for (size_t i = 0; omk__sqlite_child_relation(i, &parent, &child, &column, &bit); i++) {
                char name[160];
                snprintf(name, sizeof name, "CREATE TRIGGER %s_%s_mask ", child, column);
                assert_non_null(strstr(b.p, name));
            }
        }
        omk_buf_release(&b);
    }
    omk_buf b;
    omk_buf_init(&b, 1024);
    assert_int_equal(omk__pg_migration(omk__pg_schema_baseline() - 1, &b), OMK_INVALID);
    omk_buf_release(&b);
}

static void store_synonyms_keep_each_term_in_one_group(void **state)
{
    omk_store *s = *state;
    omk_arena *a = omk_arena_new(1 << 20);
    const char *ta[] = {"kliko", "minicontainer"}, *tb[] = {"afvalbak", "kliko"};
    const char *ta2[] = {"kliko", "rolcontainer", "minicontainer"};
    syn_arg put_a = {.g = {"00000000-0000-4000-8000-00000000000a", ta, 2, 7, "redactie"}};
    syn_arg put_b = {.g = {"00000000-0000-4000-8000-00000000000b", tb, 2, 8, "redactie"}};
    assert_int_equal(omk_store_write(s, syn_job, &put_a), OMK_OK);
    /* "kliko" is A's: B is refused and nothing of it stays */
    assert_int_equal(omk_store_write(s, syn_job, &put_b), OMK_CONFLICT);
    syn_arg all = {.a = a, .op = 1};
    assert_int_equal(omk_store_read(s, syn_job, &all), OMK_OK);
    assert_int_equal(all.n, 1);
    assert_string_equal(all.out[0].uuid, put_a.g.uuid);
    assert_int_equal(all.out[0].n, 2);
    assert_int_equal(all.out[0].gewijzigd_op, 7);
    assert_string_equal(all.out[0].gewijzigd_door, "redactie");
    /* a put on a reader connection is refused */
    assert_int_equal(omk_store_read(s, syn_job, &put_a), OMK_INTERNAL);
    /* replacing A's terms keeps their order; find sees the group of any of its terms */
    put_a.g.terms = ta2;
    put_a.g.n = 3;
    assert_int_equal(omk_store_write(s, syn_job, &put_a), OMK_OK);
    const char *words[] = {"paspoort", "rolcontainer"};
    syn_arg find = {.a = a, .op = 1, .find = words, .nfind = 2};
    assert_int_equal(omk_store_read(s, syn_job, &find), OMK_OK);
    assert_int_equal(find.n, 1);
    assert_int_equal(find.out[0].n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(find.out[0].terms[i], ta2[i]);
    /* B without "kliko" fits */
    put_b.g.terms = tb;
    put_b.g.n = 1;
    assert_int_equal(omk_store_write(s, syn_job, &put_b), OMK_OK);
    syn_arg get = {.a = a, .op = 3, .g.uuid = put_b.g.uuid};
    assert_int_equal(omk_store_read(s, syn_job, &get), OMK_OK);
    assert_int_equal(get.out[0].n, 1);
    assert_string_equal(get.out[0].terms[0], "afvalbak");
    /* delete: the group and its terms go; twice is not found */
    syn_arg del = {.op = 2, .g.uuid = put_a.g.uuid};
    assert_int_equal(omk_store_write(s, syn_job, &del), OMK_OK);
    assert_int_equal(omk_store_write(s, syn_job, &del), OMK_NOTFOUND);
    find.n = 99;
    assert_int_equal(omk_store_read(s, syn_job, &find), OMK_OK);
    assert_int_equal(find.n, 0);
    get.g.uuid = put_a.g.uuid;
    assert_int_equal(omk_store_read(s, syn_job, &get), OMK_NOTFOUND);
    /* "kliko" is free again */
    const char *tc[] = {"kliko", "vuilnisbak"};
    syn_arg put_c = {.g = {"00000000-0000-4000-8000-00000000000c", tc, 2, 9, ""}};
    assert_int_equal(omk_store_write(s, syn_job, &put_c), OMK_OK);
    omk_arena_free(a);
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
        cmocka_unit_test(store_subject_paths_exist),
        cmocka_unit_test(store_ldv_chain_skips_rolled_back_rows),
        cmocka_unit_test(store_ldv_flusher_runs_in_the_group),
        cmocka_unit_test(store_ldv_index_finds_a_person),
        cmocka_unit_test(store_ldv_verify_finds_tampering),
        cmocka_unit_test(store_ldv_prunes_to_a_point),
        cmocka_unit_test(store_ldv_migrates_old_records),
        cmocka_unit_test(store_synonyms_keep_each_term_in_one_group),
        cmocka_unit_test(store_pg_schema_history_matches),
        cmocka_unit_test(store_backends_fill_every_entry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
