/* Unit tests for src/api: identifier and address validation, and the generic parser's
 * error collection over the declared resources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "klantinteracties/klantinteracties.h"
#include "engine/toegang.h"
#include "omk/util.h"

static void validate_bsn_elfproef(void **state)
{
    (void)state;
    const char *code = NULL;
    assert_null(omk__check_bsn("999993653", &code));
    assert_null(omk__check_bsn("296648875", &code));
    assert_string_equal(omk__check_bsn("123456789", &code), "Onjuist BSN nummer");
    assert_string_equal(code, "invalid");
    assert_string_equal(omk__check_bsn("12345678", &code), "Waarde moet 9 tekens lang zijn");
    assert_string_equal(code, "invalid-length");
    assert_string_equal(omk__check_bsn("12345678a", &code), "Voer een numerieke waarde in");
    assert_string_equal(code, "only-digits");
    assert_string_equal(omk__check_rsin("123456789", &code), "Onjuist RSIN nummer");
}

static void validate_kvk_and_vestiging_lengths(void **state)
{
    (void)state;
    const char *code = NULL;
    assert_null(omk__check_digits("12345678", 8, &code));
    assert_string_equal(omk__check_digits("1234567", 8, &code), "Waarde moet 8 tekens lang zijn");
    assert_null(omk__check_digits("000012345678", 12, &code));
    assert_string_equal(omk__check_digits("1234", 12, &code), "Waarde moet 12 tekens lang zijn");
}

static void validate_email(void **state)
{
    (void)state;
    assert_true(omk__email_valid("inwoner@voorbeeldstad.nl"));
    assert_true(omk__email_valid("j.de.vries+kcc@sub.gemeente.nl"));
    assert_false(omk__email_valid("invalid"));
    assert_false(omk__email_valid("a@b"));
    assert_false(omk__email_valid("a..b@example.nl"));
    assert_false(omk__email_valid("@example.nl"));
    assert_false(omk__email_valid("a@-example.nl"));
}

static void validate_phone(void **state)
{
    (void)state;
    assert_true(omk__phone_valid("0612345678"));
    assert_true(omk__phone_valid("0201234567"));
    assert_true(omk__phone_valid("+31612345678"));
    assert_true(omk__phone_valid("0031612345678"));
    assert_false(omk__phone_valid("0800123456"));
    assert_false(omk__phone_valid("0900123456"));
    assert_false(omk__phone_valid("14020"));
    assert_false(omk__phone_valid("06 1234 5678"));
    assert_false(omk__phone_valid("+311234"));
}

static void parse_collects_every_required_error(void **state)
{
    (void)state;
    omk_api_ctx ctx = {.a = omk_arena_new(1 << 20), .base_url = "http://x"};
    json_t *body = json_object();
    omk_row *row = NULL;
    assert_int_equal(omk_res_parse(&ctx, &omk__ki_klantcontact, body, OMK_CREATE, &row), OMK_INVALID);
    const char *want[] = {"kanaal", "onderwerp", "taal", "vertrouwelijk"};
    size_t k = 0;
    for (omk_api_err *e = ctx.errs; e; e = e->next, k++) {
        assert_true(k < 4);
        assert_string_equal(e->name, want[k]);
        assert_string_equal(e->code, "required");
        assert_string_equal(e->reason, "Dit veld is vereist.");
    }
    assert_int_equal(k, 4);
    json_decref(body);
    omk_arena_free(ctx.a);
}

static void parse_reports_types_lengths_and_choices(void **state)
{
    (void)state;
    omk_api_ctx ctx = {.a = omk_arena_new(1 << 20), .base_url = "http://x"};
    char long_kanaal[60];
    memset(long_kanaal, 'k', 51);
    long_kanaal[51] = 0;
    json_t *body = json_pack("{s:s, s:i, s:s, s:s, s:s}", "kanaal", long_kanaal, "onderwerp", 5,
                             "taal", "nld", "vertrouwelijk", "ja", "plaatsgevondenOp", "gisteren");
    omk_row *row = NULL;
    assert_int_equal(omk_res_parse(&ctx, &omk__ki_klantcontact, body, OMK_CREATE, &row), OMK_INVALID);
    assert_int_equal(ctx.nerrs, 4);
    assert_string_equal(ctx.errs->name, "kanaal");
    assert_string_equal(ctx.errs->code, "max_length");
    assert_string_equal(ctx.errs->reason,
                        "Zorg ervoor dat dit veld niet meer dan 50 karakters bevat.");
    assert_string_equal(ctx.errs->next->name, "onderwerp");
    assert_string_equal(ctx.errs->next->code, "invalid");
    assert_string_equal(ctx.errs->next->next->name, "vertrouwelijk");
    assert_string_equal(ctx.errs->next->next->next->name, "plaatsgevondenOp");
    json_decref(body);
    omk_arena_free(ctx.a);

    ctx = (omk_api_ctx){.a = omk_arena_new(1 << 20), .base_url = "http://x"};
    body = json_pack("{s:s, s:s}", "adres", "x", "soortDigitaalAdres", "fax");
    assert_int_equal(omk_res_parse(&ctx, &omk__ki_digitaal_adres, body, OMK_CREATE, &row), OMK_INVALID);
    assert_string_equal(ctx.errs->name, "soortDigitaalAdres");
    assert_string_equal(ctx.errs->code, "invalid_choice");
    assert_string_equal(ctx.errs->reason, "\"fax\" is een ongeldige keuze.");
    json_decref(body);
    omk_arena_free(ctx.a);
}

static void parse_patch_needs_no_required_fields(void **state)
{
    (void)state;
    omk_api_ctx ctx = {.a = omk_arena_new(1 << 20), .base_url = "http://x"};
    json_t *body = json_pack("{s:s}", "inhoud", "aanvulling");
    omk_row *row = NULL;
    assert_int_equal(omk_res_parse(&ctx, &omk__ki_klantcontact, body, OMK_PATCH, &row), OMK_OK);
    assert_true(row->set[omk_model_field_index(&omk__ki_klantcontact, "inhoud")]);
    assert_false(row->set[omk_model_field_index(&omk__ki_klantcontact, "kanaal")]);
    json_decref(body);
    omk_arena_free(ctx.a);
}

/* Every common notation of one number gives one key; other countries keep their prefix. */
static void contact_key_normalises_phone_and_email(void **state)
{
    (void)state;
    static const char *const same[] = {"0612345678", "06 1234 5678", "06-12345678",
                                       "+31612345678", "+31 6 12345678", "+31 (0)6-1234 5678",
                                       "0031612345678", "(06) 12 34 56 78", "06.12.34.56.78"};
    char key[64];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_true(omk__contact_key("telefoonnummer", same[i], key, sizeof key));
        assert_string_equal(key, "0612345678");
    }
    assert_true(omk__contact_key("telefoonnummer", "+32 470 12 34 56", key, sizeof key));
    assert_string_equal(key, "0032470123456");
    assert_true(omk__contact_key("telefoonnummer", "0032470123456", key, sizeof key));
    assert_string_equal(key, "0032470123456");
    assert_false(omk__contact_key("telefoonnummer", "06-abc", key, sizeof key));
    assert_false(omk__contact_key("telefoonnummer", "12345", key, sizeof key));
    assert_false(omk__contact_key("telefoonnummer", "06+12345678", key, sizeof key));
    assert_true(omk__contact_key("email", "  Jan.de.Vries@Example.NL ", key, sizeof key));
    assert_string_equal(key, "jan.de.vries@example.nl");
    assert_false(omk__contact_key("email", "   ", key, sizeof key));
    assert_false(omk__contact_key(NULL, "x", key, sizeof key));
}

/* What a search box receives may hold a BSN, an e-mail address or a phone number: they are
 * replaced by markers before the query is kept; a query of nothing else is not kept. */
static void scrub_personal_replaces_bsn_email_and_phone(void **state)
{
    (void)state;
    omk_arena *a = omk_arena_new(1 << 20);
    static const char *const cases[][2] = {
        {"paspoort 123456782 verlengen", "paspoort [bsn] verlengen"},
        {"bsn:111222333, j.de.vries+kcc@Example.NL.", "bsn:[bsn], [e-mail]."},
        {"bel 06-12345678 of +31 (0)20 123 4567", "bel [telefoonnummer] of [telefoonnummer]"},
        {"0031612345678 en 06 1234 5678 en 06.12.34.56.78", "[telefoonnummer] en [telefoonnummer] en [telefoonnummer]"},
        {"123.456.782 en 123 456 782", "[bsn] en [bsn]"},
        {"123456782 2 kinderen", "[bsn] 2 kinderen"},
        /* Numbers that are neither stay: 9 digits failing the elfproef, dates, years, amounts. */
        {"123456789 kwijt", "123456789 kwijt"},
        {"afspraak 2024-01-15 om 12.30, 1234 AB", "afspraak 2024-01-15 om 12.30, 1234 AB"},
        {"a@b zonder punt", "a@b zonder punt"},
        {"hondenbelasting", "hondenbelasting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out = NULL;
        assert_int_equal(omk__scrub_personal(a, cases[i][0], &out), OMK_OK);
        assert_non_null(out);
        assert_string_equal(out, cases[i][1]);
    }
    static const char *const only[] = {"123456782", " jan@example.nl ", "+31612345678; 123456782",
                                       "", "(06) 12 34 56 78"};
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++) {
        const char *out = "x";
        assert_int_equal(omk__scrub_personal(a, only[i], &out), OMK_OK);
        assert_null(out);
    }
    omk_arena_free(a);
}

static omk_rc no_handler(omk_req *req)
{
    (void)req;
    return OMK_OK;
}

static void toegang_route_without_rule_is_refused(void **state)
{
    (void)state;
    static const omk_api_info ki = {"/klantinteracties/api/v1", "0.9.0", NULL, 0};
    static const omk_api_info nieuw = {"/nieuw/api/v1", "0.1.0", NULL, 0};
    omk_route ok[] = {{"GET", "/klantinteracties/api/v1/partijen/{uuid}", no_handler, NULL, &ki,
                       0, 0, NULL}};
    assert_int_equal(omk__toegang_bind(ok, 1), OMK_OK);
    assert_non_null(ok[0].access);
    /* An API the matrix does not know: no rule, so the server must not start. */
    omk_route missing[] = {{"GET", "/nieuw/api/v1/dingen", no_handler, NULL, &nieuw, 0, 0, NULL}};
    assert_int_equal(omk__toegang_bind(missing, 1), OMK_INVALID);
    /* A route marked public whose rule is not public (and the other way round). */
    omk_route open[] = {{"GET", "/klantinteracties/api/v1/partijen", no_handler, NULL, &ki,
                         OMK_ROUTE_PUBLIC, 0, NULL}};
    assert_int_equal(omk__toegang_bind(open, 1), OMK_INVALID);
}

static void toegang_scopes_parse_to_roles(void **state)
{
    (void)state;
    const char *bad = NULL;
    size_t n = 0;
    assert_int_equal(omk__rollen_van("kcm,cti", &bad, &n), OMK_ROL_KCM | OMK_ROL_CTI);
    assert_null(bad);
    unsigned all = omk__rollen_van("*", &bad, &n);
    assert_true(all & OMK_ROL_KI_SCHRIJVEN);
    assert_false(all & OMK_ROL_INWONER);
    omk__rollen_van("kcm,ctix", &bad, &n);
    assert_non_null(bad);
    assert_int_equal(n, 4);
    assert_memory_equal(bad, "ctix", 4);
}

int main(void)
{
    if (omk_util_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validate_bsn_elfproef),
        cmocka_unit_test(validate_kvk_and_vestiging_lengths),
        cmocka_unit_test(validate_email),
        cmocka_unit_test(validate_phone),
        cmocka_unit_test(contact_key_normalises_phone_and_email),
        cmocka_unit_test(parse_collects_every_required_error),
        cmocka_unit_test(parse_reports_types_lengths_and_choices),
        cmocka_unit_test(parse_patch_needs_no_required_fields),
        cmocka_unit_test(scrub_personal_replaces_bsn_email_and_phone),
        cmocka_unit_test(toegang_route_without_rule_is_refused),
        cmocka_unit_test(toegang_scopes_parse_to_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
