/* Unit tests for src/core: arena, buf, util (uuid, time, UTF-8, numbers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <time.h>
#include <stdatomic.h>

#include "omk/arena.h"
#include "omk/buf.h"
#include "omk/json.h"
#include "omk/limiter.h"
#include "omk/ticker.h"
#include "omk/util.h"

static int cleanups;
static void count_cleanup(void *p) { (void)p; cleanups++; }

static void arena_refuses_past_cap(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1000);
    assert_non_null(omk_arena_alloc(a, 500));
    assert_null(omk_arena_alloc(a, 600));
    assert_non_null(omk_arena_alloc(a, 100));
    omk_arena_free(a);
}

static void arena_runs_cleanups_on_free(void **state)
{
    (void)state;
    cleanups = 0;
    omk_arena *a = omk_arena_new(1 << 20);
    assert_int_equal(omk_arena_defer(a, count_cleanup, NULL), OMK_OK);
    assert_int_equal(omk_arena_defer(a, count_cleanup, NULL), OMK_OK);
    char *s = omk_arena_printf(a, "%s-%d", "x", 42);
    assert_string_equal(s, "x-42");
    omk_arena_free(a);
    assert_int_equal(cleanups, 2);
}

static void buf_fixed_never_allocates(void **state)
{
    (void)state;
    char mem[8];
    memset(mem, 'x', sizeof mem);
    omk_buf b;
    omk_buf_init_fixed(&b, mem, 6);
    omk_buf_puts(&b, "abc");
    omk_buf_putc(&b, 'd');
    assert_int_equal(b.rc, OMK_OK);
    assert_string_equal(mem, "abcd");
    omk_buf_puts(&b, "ef"); /* 6 bytes with the NUL: one too many */
    assert_int_equal(b.rc, OMK_TOOBIG);
    assert_int_equal(mem[6], 'x');
    assert_int_equal(mem[7], 'x');
    assert_null(omk_buf_take(&b)); /* the memory is the caller's, not the builder's */
    omk_buf_init_fixed(&b, mem, 6);
    omk_buf_printf(&b, "%d", 12345);
    assert_string_equal(mem, "12345");
    omk_buf_release(&b); /* frees nothing */
}

static void buf_failure_is_sticky(void **state)
{
    (void)state;
    omk_buf b;
    omk_buf_init(&b, 8);
    omk_buf_puts(&b, "12345");
    assert_int_equal(b.rc, OMK_OK);
    omk_buf_puts(&b, "6789");
    assert_int_equal(b.rc, OMK_TOOBIG);
    omk_buf_puts(&b, "a");
    assert_int_equal(b.rc, OMK_TOOBIG);
    assert_null(omk_buf_take(&b));
    omk_buf_release(&b);
}

static void uuid4_is_valid_and_unique(void **state)
{
    (void)state;
    char a[37], b[37];
    omk_uuid4(a);
    omk_uuid4(b);
    assert_true(omk_uuid_valid(a, strlen(a)));
    assert_int_equal(a[14], '4');
    assert_string_not_equal(a, b);
    assert_false(omk_uuid_valid("not-a-uuid", 10));
    assert_false(omk_uuid_valid("123e4567-e89b-12d3-a456-42661417400g", 36));
}

static void time_parse_and_format_round_trip(void **state)
{
    (void)state;
    int64_t us = 0;
    char out[32];
    assert_true(omk_time_parse("2019-08-24T14:15:22Z", 20, &us));
    omk_time_format(us, out);
    assert_string_equal(out, "2019-08-24T14:15:22Z");
    assert_true(omk_time_parse("2019-08-24T16:15:22.5+02:00", 27, &us));
    omk_time_format(us, out);
    assert_string_equal(out, "2019-08-24T14:15:22.500000Z");
    assert_true(omk_time_parse("2024-02-29T00:00Z", 17, &us));
    assert_false(omk_time_parse("2023-02-29T00:00:00Z", 20, &us));
    assert_false(omk_time_parse("2019-08-24T14:15:22", 19, &us)); /* no zone */
    assert_false(omk_time_parse("2019-08-24T25:00:00Z", 20, &us));
    assert_false(omk_time_parse("gisteren", 8, &us));
}

static void date_valid_checks_calendar(void **state)
{
    (void)state;
    assert_true(omk_date_valid("2026-11-28", 10));
    assert_false(omk_date_valid("2026-13-01", 10));
    assert_false(omk_date_valid("2026-02-30", 10));
    assert_false(omk_date_valid("28-11-2026", 10));
}

static void utf8_rejects_malformed(void **state)
{
    (void)state;
    assert_true(omk_utf8_valid("Zoë", strlen("Zoë")));
    assert_false(omk_utf8_valid("\xc3", 1));        /* truncated */
    assert_false(omk_utf8_valid("\xc0\xaf", 2));    /* overlong */
    assert_false(omk_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(omk_utf8_valid("a\0b", 3));        /* NUL */
    assert_int_equal(omk_utf8_len("Zoë", strlen("Zoë")), 3);
}

static void parse_uint_refuses_junk(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(omk_parse_uint("500", 3, &v));
    assert_int_equal(v, 500);
    assert_false(omk_parse_uint("", 0, &v));
    assert_false(omk_parse_uint("-1", 2, &v));
    assert_false(omk_parse_uint("12a", 3, &v));
    assert_false(omk_parse_uint("9999999999999999999", 19, &v));
}

/* omk_json_dump writes exactly what json_dumps(JSON_COMPACT) writes. */
static void json_dump_matches_jansson(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s, s:i, s:b, s:n, s:f, s:[s, {s:s}, []], s:{}, s:s}", "naam",
                          "Zoë \"de\" Vries\\\n\t\x01/", "n", -42, "ok", 1, "leeg", "r", 1.5,
                          "lijst", "a", "b", "c", "obj", "tekst", "€ ✓");
    char *want = json_dumps(v, JSON_COMPACT);
    omk_buf b;
    omk_buf_init(&b, 4096);
    omk_json_dump(&b, v);
    assert_int_equal(b.rc, OMK_OK);
    assert_string_equal(b.p, want);
    free(want);
    omk_buf_release(&b);
    json_decref(v);
}

/* The word-at-a-time scan of omk_json_dump_string escapes exactly what jansson escapes: every
 * byte that needs it (controls, '"', '\\') at every offset within and across 8-byte words,
 * next to multi-byte UTF-8. */
static void json_dump_string_escapes_at_every_offset(void **state)
{
    (void)state;
    static const char specials[] = {'"', '\\', '\n', '\t', '\x01', '\x1f', ' ', '~', 0x7f};
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof specials; k++) {
                char text[64];
                for (size_t i = 0; i < len; i++)
                    text[i] = (char)('a' + i % 26);
                size_t e = at > 2 ? 0 : len - 2; /* an é (2 bytes) away from the special */
                if (len > 3 && (at < e || at > e + 1))
                    memcpy(text + e, "\xc3\xa9", 2);
                text[at] = specials[k];
                text[len] = 0;
                json_t *v = json_string(text);
                assert_non_null(v);
                char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                omk_buf b;
                omk_buf_init(&b, 1 << 12);
                omk_json_dump_string(&b, text, len);
                assert_int_equal(b.rc, OMK_OK);
                /* the same escapes (jansson writes \\u001F, we write \\u001f) */
                if (strcasecmp(b.p, want) != 0)
                    fail_msg("len %zu at %zu special %zu: %s, want %s", len, at, k, b.p, want);
                json_t *back = json_loads(b.p, JSON_DECODE_ANY, NULL);
                assert_non_null(back);
                assert_string_equal(json_string_value(back), text);
                json_decref(back);
                free(want);
                json_decref(v);
                omk_buf_release(&b);
            }
}

typedef struct ticks {
    atomic_int calls;
    int more; /* how many calls ask to run again at once */
} ticks;

static bool count_tick(void *arg)
{
    ticks *t = arg;
    int n = atomic_fetch_add(&t->calls, 1) + 1;
    return n <= t->more;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A ticker runs at once when asked, again at once while fn asks for it, and stops promptly
 * even with a long interval; nothing runs after the stop. */
static void ticker_runs_repeats_and_stops_promptly(void **state)
{
    (void)state;
    ticks t = {.more = 3};
    atomic_init(&t.calls, 0);
    omk_ticker *k = NULL;
    assert_int_equal(omk_ticker_start(60 * 1000, true, count_tick, &t, &k), OMK_OK);
    long long start = mono_ms();
    while (atomic_load(&t.calls) < 4 && mono_ms() - start < 5000)
        usleep(1000);
    assert_int_equal(atomic_load(&t.calls), 4); /* 1 + 3 at once, then a 60 s wait */
    long long before = mono_ms();
    omk_ticker_stop(k);
    assert_true(mono_ms() - before < 1000);
    assert_int_equal(atomic_load(&t.calls), 4);
    /* not at once: the first call comes after one interval */
    ticks u = {.more = 0};
    atomic_init(&u.calls, 0);
    assert_int_equal(omk_ticker_start(50, false, count_tick, &u, &k), OMK_OK);
    assert_int_equal(atomic_load(&u.calls), 0);
    start = mono_ms();
    while (atomic_load(&u.calls) < 3 && mono_ms() - start < 5000)
        usleep(1000);
    omk_ticker_stop(k);
    assert_true(atomic_load(&u.calls) >= 3);
    omk_ticker_stop(NULL);
}

/* A bucket of 3 regains 3 an hour (one per 1,200 s): 3 takes, then a wait that the clock
 * (given, not read) brings down; keys are apart; charge goes below zero; reset refills. */
static void limiter_buckets_refill_with_time(void **state)
{
    (void)state;
    omk_limiter *l = omk_limiter_new(64, 3, 3);
    assert_non_null(l);
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(omk_limiter_take(l, "a", t), 0);
    int wait = omk_limiter_take(l, "a", t);
    assert_true(wait >= 1199 && wait <= 1201);
    assert_int_equal(omk_limiter_take(l, "b", t), 0); /* another key: its own bucket */
    assert_int_equal(omk_limiter_wait(l, "a", t + 600 * 1000), 601);
    assert_int_equal(omk_limiter_take(l, "a", t + 1200 * 1000), 0); /* one regained */
    assert_true(omk_limiter_take(l, "a", t + 1200 * 1000) > 0);
    omk_limiter_charge(l, "b", t); /* b: 3 - 1 - 1 = 1 */
    omk_limiter_charge(l, "b", t);
    omk_limiter_charge(l, "b", t); /* -1: two tokens short */
    assert_int_equal(omk_limiter_wait(l, "b", t), 2401);
    omk_limiter_reset(l, "b");
    assert_int_equal(omk_limiter_wait(l, "b", t), 0);
    assert_int_equal(omk_limiter_take(NULL, "x", t), 0); /* no table: no limit */
    omk_limiter_free(l);
}

/* Far more keys than slots: memory stays bounded, every key still gets a bucket, and a key
 * that was pushed out starts again full (it is never refused by another key's count). */
static void limiter_table_is_bounded(void **state)
{
    (void)state;
    omk_limiter *l = omk_limiter_new(64, 1, 1);
    assert_non_null(l);
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(omk_limiter_take(l, key, 1000 + i), 0);
    }
    assert_int_equal(omk_limiter_take(l, "k0", 20000), 0); /* pushed out long ago: full again */
    assert_true(omk_limiter_take(l, "k0", 20000) > 0);
    omk_limiter_free(l);
}

int main(void)
{
    if (omk_util_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_refuses_past_cap),
        cmocka_unit_test(arena_runs_cleanups_on_free),
        cmocka_unit_test(buf_failure_is_sticky),
        cmocka_unit_test(buf_fixed_never_allocates),
        cmocka_unit_test(uuid4_is_valid_and_unique),
        cmocka_unit_test(time_parse_and_format_round_trip),
        cmocka_unit_test(date_valid_checks_calendar),
        cmocka_unit_test(utf8_rejects_malformed),
        cmocka_unit_test(parse_uint_refuses_junk),
        cmocka_unit_test(json_dump_matches_jansson),
        cmocka_unit_test(json_dump_string_escapes_at_every_offset),
        cmocka_unit_test(ticker_runs_repeats_and_stops_promptly),
        cmocka_unit_test(limiter_buckets_refill_with_time),
        cmocka_unit_test(limiter_table_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
