/* Unit tests for src/http/query.c: the query-string parser that takes outside input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "omk/http.h"

static omk_rc parse(const char *raw, omk_qparam **out, size_t *n, omk_arena **a)
{
    *a = omk_arena_new(1 << 20);
    return omk_query_parse(*a, raw, strlen(raw), out, n);
}

static void query_decodes_escapes_and_plus(void **state)
{
    (void)state;
    omk_qparam *q = NULL;
    size_t n = 0;
    omk_arena *a = NULL;
    assert_int_equal(parse("onderwerp=paspoort+aanvragen&adres=a%40b.nl&leeg=&x", &q, &n, &a),
                     OMK_OK);
    assert_int_equal(n, 4);
    assert_string_equal(q[0].key, "onderwerp");
    assert_string_equal(q[0].value, "paspoort aanvragen");
    assert_string_equal(q[1].value, "a@b.nl");
    assert_string_equal(q[2].value, "");
    assert_string_equal(q[3].key, "x");
    assert_string_equal(q[3].value, "");
    omk_arena_free(a);
}

static void query_keeps_duplicates_in_order(void **state)
{
    (void)state;
    omk_qparam *q = NULL;
    size_t n = 0;
    omk_arena *a = NULL;
    assert_int_equal(parse("expand=a&expand=b&&", &q, &n, &a), OMK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(q[0].value, "a");
    assert_string_equal(q[1].value, "b");
    omk_arena_free(a);
}

static void query_rejects_bad_escapes_nul_and_bad_utf8(void **state)
{
    (void)state;
    omk_qparam *q = NULL;
    size_t n = 0;
    omk_arena *a = NULL;
    static const char *const bad[] = {"a=%", "a=%4", "a=%zz", "a=%00", "a=%C3", "%FF=1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], &q, &n, &a), OMK_INVALID);
        omk_arena_free(a);
    }
}

static void query_caps_parameter_count(void **state)
{
    (void)state;
    char raw[2048];
    size_t k = 0;
    for (int i = 0; i < 300; i++) {
        raw[k++] = 'a';
        raw[k++] = '&';
    }
    raw[k] = 0;
    omk_qparam *q = NULL;
    size_t n = 0;
    omk_arena *a = NULL;
    assert_int_equal(parse(raw, &q, &n, &a), OMK_TOOBIG);
    omk_arena_free(a);
}

/* --public-url and --trusted-proxy are checked before serving: what is accepted, and a reason
 * naming the option for what is not. */
static void origin_config_check(void **state)
{
    (void)state;
    char why[256];
    static const struct {
        const char *url, *proxies;
        bool ok;
    } cases[] = {
        {"https://klant.gemeente.nl", NULL, true},
        {"https://klant.gemeente.nl/", "", true},
        {"http://[::1]:8080/omnikanaal/", "127.0.0.1, 10.0.0.0/8,::1,fd00::/8", true},
        {NULL, "192.0.2.0/24", true},
        {"klant.gemeente.nl", NULL, false},
        {"ftp://klant.gemeente.nl", NULL, false},
        {"https://", NULL, false},
        {"https://evil example", NULL, false},
        {"https://klant.gemeente.nl/?x=1", NULL, false},
        {NULL, "10.0.0.0/33", false},
        {NULL, "proxy.gemeente.nl", false},
        {NULL, "10.0.0.1/", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        omk_server_config cfg = {.public_url = cases[i].url,
                                 .trusted_proxies = cases[i].proxies};
        why[0] = 0;
        omk_rc rc = omk_server_config_check(&cfg, why, sizeof why);
        assert_int_equal(rc, cases[i].ok ? OMK_OK : OMK_INVALID);
        if (!cases[i].ok)
            assert_true(strncmp(why, cases[i].url ? "--public-url" : "--trusted-proxy",
                                cases[i].url ? 12 : 15) == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_decodes_escapes_and_plus),
        cmocka_unit_test(query_keeps_duplicates_in_order),
        cmocka_unit_test(query_rejects_bad_escapes_nul_and_bad_utf8),
        cmocka_unit_test(query_caps_parameter_count),
        cmocka_unit_test(origin_config_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
