/* Unit tests for src/core/jws.c: RFC 6238 TOTP test vectors, base32, PKCE S256 (RFC 7636),
 * and what a JWS must never pass (alg none, HMAC, malformed, no key). Signatures that verify
 * are covered end to end against a real provider (tests/api/engine/inloggen-oidc.test.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "omk/jws.h"

static void totp_matches_rfc6238_vectors(void **state)
{
    (void)state;
    const unsigned char *k1 = (const unsigned char *)"12345678901234567890";
    const unsigned char *k256 = (const unsigned char *)"12345678901234567890123456789012";
    const unsigned char *k512 = (const unsigned char *)"1234567890123456789012345678901234567890"
                                                       "123456789012345678901234";
    assert_int_equal(omk_totp_code_with("SHA1", 8, k1, 20, 59 / 30), 94287082);
    assert_int_equal(omk_totp_code_with("SHA1", 8, k1, 20, 1111111109 / 30), 7081804);
    assert_int_equal(omk_totp_code_with("SHA1", 8, k1, 20, 20000000000ULL / 30), 65353130);
    assert_int_equal(omk_totp_code_with("SHA256", 8, k256, 32, 59 / 30), 46119246);
    assert_int_equal(omk_totp_code_with("SHA256", 8, k256, 32, 1111111109 / 30), 68084774);
    assert_int_equal(omk_totp_code_with("SHA512", 8, k512, 64, 59 / 30), 90693936);
    /* Six digits (what apps show) are the last six of the same value. */
    assert_int_equal(omk_totp_code(k1, 20, 59 / 30), 287082);
    assert_int_equal(omk_totp_code_with("MD5", 6, k1, 20, 1), UINT32_MAX);
}

static void base32_round_trips(void **state)
{
    (void)state;
    char out[64];
    unsigned char back[64];
    size_t n = 0;
    assert_int_equal(omk_base32_encode((const unsigned char *)"foobar", 6, out, sizeof out),
                     OMK_OK);
    assert_string_equal(out, "MZXW6YTBOI"); /* RFC 4648 §10 without padding */
    assert_int_equal(omk_base32_decode("mzxw6ytboi======", back, sizeof back, &n), OMK_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(back, "foobar", 6);
    assert_int_equal(omk_base32_decode("MZXW1", back, sizeof back, &n), OMK_INVALID);
    assert_int_equal(omk_base32_encode((const unsigned char *)"foobar", 6, out, 10), OMK_TOOBIG);
}

static void pkce_s256_matches_rfc7636(void **state)
{
    (void)state;
    char ch[44];
    omk_pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", ch);
    assert_string_equal(ch, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void jws_refuses_what_it_must(void **state)
{
    (void)state;
    json_t *keys = json_pack("{s:[{s:s, s:s, s:s, s:s}]}", "keys", "kty", "RSA", "kid", "k1",
                             "n", "sXch", "e", "AQAB");
    json_t *claims = NULL;
    char why[200];
    /* {"alg":"none"}.{"sub":"x"}. */
    assert_int_equal(omk_jws_verify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", keys, &claims, NULL,
                                    why, sizeof why),
                     OMK_INVALID);
    assert_null(claims);
    /* {"alg":"HS256","kid":"k1"}: a shared secret is never accepted. */
    assert_int_equal(omk_jws_verify("eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.AAAA",
                                    keys, &claims, NULL, why, sizeof why),
                     OMK_INVALID);
    /* {"alg":"ES256","kid":"k1"}: no EC key of that kid: unknown key. */
    assert_int_equal(omk_jws_verify("eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.AAAA",
                                    keys, &claims, NULL, why, sizeof why),
                     OMK_NOTFOUND);
    /* {"alg":"RS256","kid":"k1"} with a key too small to be built: does not verify. */
    assert_int_equal(omk_jws_verify("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.AAAA",
                                    keys, &claims, NULL, why, sizeof why),
                     OMK_INVALID);
    assert_int_equal(omk_jws_verify("not-a-jws", keys, &claims, NULL, why, sizeof why),
                     OMK_INVALID);
    assert_int_equal(omk_jws_verify("a.b.c.d", keys, &claims, NULL, why, sizeof why),
                     OMK_INVALID);
    json_decref(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(totp_matches_rfc6238_vectors),
        cmocka_unit_test(base32_round_trips),
        cmocka_unit_test(pkce_s256_matches_rfc7636),
        cmocka_unit_test(jws_refuses_what_it_must),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
