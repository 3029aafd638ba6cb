/* JWS verification against a JWKS with OpenSSL (RSA and P-256 keys built from their JWK
 * parameters), base64url and base32, PKCE's S256 and RFC 6238 TOTP (see omk/jws.h).
 * No state; any thread. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/jws.h"

#define MAX_PART 16384 /* a decoded header, payload or signature larger than this is refused */

omk_rc omk_b64url_encode(const void *in, size_t n, char *out, size_t cap)
{
    if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > cap)
        return OMK_TOOBIG;
    sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return OMK_OK;
}

/* Decodes the base64url text p[0..n) into a new buffer (caller frees); NULL when malformed. */
static unsigned char *b64url_decode(const char *p, size_t n, size_t *outn)
{
    if (n > MAX_PART * 4 / 3 + 4)
        return NULL;
    unsigned char *out = malloc(n + 1);
    if (!out)
        return NULL;
    if (sodium_base642bin(out, n + 1, p, n, NULL, outn, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static json_t *b64url_json(const char *p, size_t n)
{
    size_t len = 0;
    unsigned char *raw = b64url_decode(p, n, &len);
    json_t *j = raw ? json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(raw);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* A JWK member (base64url big-endian integer) as a BIGNUM, or NULL. */
static BIGNUM *jwk_bn(const json_t *jwk, const char *name)
{
    const char *s = json_string_value(json_object_get(jwk, name));
    size_t len = 0;
    unsigned char *raw = s ? b64url_decode(s, strlen(s), &len) : NULL;
    BIGNUM *bn = raw && len ? BN_bin2bn(raw, (int)len, NULL) : NULL;
    free(raw);
    return bn;
}

static EVP_PKEY *rsa_key(const json_t *jwk)
{
    BIGNUM *n = jwk_bn(jwk, "n"), *e = jwk_bn(jwk, "e");
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;
    if (!n || !e || !bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
    if (key && EVP_PKEY_get_bits(key) < 2048) {
        EVP_PKEY_free(key);
        key = NULL;
    }
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return key;
}

static EVP_PKEY *ec_key(const json_t *jwk)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    const char *xs = json_string_value(json_object_get(jwk, "x"));
    const char *ys = json_string_value(json_object_get(jwk, "y"));
    if (!crv || strcmp(crv, "P-256") != 0 || !xs || !ys)
        return NULL;
    size_t xn = 0, yn = 0;
    unsigned char *x = b64url_decode(xs, strlen(xs), &xn), *y = b64url_decode(ys, strlen(ys), &yn);
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM params[3];
    unsigned char point[65];
    if (!x || !y || xn != 32 || yn != 32)
        goto out;
    point[0] = 0x04; /* uncompressed */
    memcpy(point + 1, x, 32);
    memcpy(point + 33, y, 32);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point);
    params[2] = OSSL_PARAM_construct_end();
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    free(x);
    free(y);
    return key;
}

/* ES256's signature is r||s (32 bytes each); OpenSSL verifies DER. Returns a new buffer. */
static unsigned char *es256_der(const unsigned char *sig, size_t n, size_t *dern)
{
    if (n != 64)
        return NULL;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
    unsigned char *der = NULL;
    if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return NULL;
    }
    int len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    if (len <= 0)
        return NULL;
    *dern = (size_t)len;
    return der;
}

typedef enum { ALG_RS256, ALG_PS256, ALG_ES256 } alg_id;

static bool verify_with(const json_t *jwk, alg_id alg, const char *data, size_t datan,
                        const unsigned char *sig, size_t sign)
{
    EVP_PKEY *key = alg == ALG_ES256 ? ec_key(jwk) : rsa_key(jwk);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *der = NULL;
    size_t dern = sign;
    bool ok = false;
    if (!key || !md || EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key) <= 0)
        goto out;
    if (alg == ALG_PS256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
                             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0))
        goto out;
    if (alg == ALG_ES256) {
        der = es256_der(sig, sign, &dern);
        if (!der)
            goto out;
        sig = der;
    }
    ok = EVP_DigestVerify(md, sig, dern, (const unsigned char *)data, datan) == 1;
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    return ok;
}

omk_rc omk_jws_verify(const char *jws, const json_t *jwks, json_t **payload, json_t **header,
                      char *why, size_t n)
{
    *payload = NULL;
    if (header)
        *header = NULL;
    const char *d1 = jws ? strchr(jws, '.') : NULL;
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d2 || strchr(d2 + 1, '.')) {
        snprintf(why, n, "not a compact JWS");
        return OMK_INVALID;
    }
    json_t *hdr = b64url_json(jws, (size_t)(d1 - jws));
    json_t *claims = b64url_json(d1 + 1, (size_t)(d2 - d1 - 1));
    size_t sign = 0;
    unsigned char *sig = b64url_decode(d2 + 1, strlen(d2 + 1), &sign);
    omk_rc rc = OMK_INVALID;
    if (!hdr || !claims || !sig) {
        snprintf(why, n, "the header, payload or signature does not decode");
        goto out;
    }
    const char *algname = json_string_value(json_object_get(hdr, "alg"));
    const char *kid = json_string_value(json_object_get(hdr, "kid"));
    alg_id alg;
    if (algname && strcmp(algname, "RS256") == 0)
        alg = ALG_RS256;
    else if (algname && strcmp(algname, "PS256") == 0)
        alg = ALG_PS256;
    else if (algname && strcmp(algname, "ES256") == 0)
        alg = ALG_ES256;
    else {
        snprintf(why, n, "algorithm %s is not accepted", algname ? algname : "(none)");
        goto out;
    }
    if (json_object_get(hdr, "crit")) {
        snprintf(why, n, "critical header parameters are not supported");
        goto out;
    }
    const char *kty_want = alg == ALG_ES256 ? "EC" : "RSA";
    bool tried = false, ok = false;
    size_t i;
    json_t *jwk;
    json_array_foreach(json_object_get(jwks, "keys"), i, jwk) {
        const char *kty = json_string_value(json_object_get(jwk, "kty"));
        const char *use = json_string_value(json_object_get(jwk, "use"));
        const char *k = json_string_value(json_object_get(jwk, "kid"));
        const char *kalg = json_string_value(json_object_get(jwk, "alg"));
        if (!kty || strcmp(kty, kty_want) != 0 || (use && strcmp(use, "sig") != 0) ||
            (kalg && strcmp(kalg, algname) != 0) || (kid && (!k || strcmp(k, kid) != 0)))
            continue;
        tried = true;
        ok = verify_with(jwk, alg, jws, (size_t)(d2 - jws), sig, sign);
        if (ok)
            break;
    }
    if (!tried) {
        snprintf(why, n, "no key in the provider's key set fits (kid %s)", kid ? kid : "-");
        rc = OMK_NOTFOUND;
        goto out;
    }
    if (!ok) {
        snprintf(why, n, "the signature does not verify");
        goto out;
    }
    rc = OMK_OK;
    *payload = claims;
    claims = NULL;
    if (header) {
        *header = hdr;
        hdr = NULL;
    }
out:
    json_decref(hdr);
    json_decref(claims);
    free(sig);
    return rc;
}

void omk_pkce_s256(const char *verifier, char out[44])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, 44, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

uint32_t omk_totp_code_with(const char *hash, unsigned digits, const unsigned char *key,
                            size_t n, uint64_t step)
{
    const EVP_MD *md = strcmp(hash, "SHA1") == 0     ? EVP_sha1()
                       : strcmp(hash, "SHA256") == 0 ? EVP_sha256()
                       : strcmp(hash, "SHA512") == 0 ? EVP_sha512()
                                                     : NULL;
    if (!md || digits < 6 || digits > 8)
        return UINT32_MAX;
    unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
    unsigned int macn = 0;
    for (int i = 7; i >= 0; i--, step >>= 8)
        msg[i] = (unsigned char)(step & 0xff);
    if (!HMAC(md, key, (int)n, msg, sizeof msg, mac, &macn))
        return UINT32_MAX;
    unsigned off = mac[macn - 1] & 0x0f; /* RFC 4226 §5.3 dynamic truncation */
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
    uint32_t mod = 1;
    for (unsigned i = 0; i < digits; i++)
        mod *= 10;
    return bin % mod;
}

uint32_t omk_totp_code(const unsigned char *key, size_t n, uint64_t step)
{
    return omk_totp_code_with("SHA1", 6, key, n, step);
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

omk_rc omk_base32_encode(const unsigned char *in, size_t n, char *out, size_t cap)
{
    if ((n * 8 + 4) / 5 + 1 > cap)
        return OMK_TOOBIG;
    size_t o = 0;
    unsigned buf = 0, bits = 0;
    for (size_t i = 0; i < n; i++) {
        buf = (buf << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = B32[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits)
        out[o++] = B32[(buf << (5 - bits)) & 31];
    out[o] = 0;
    return OMK_OK;
}

omk_rc omk_base32_decode(const char *in, unsigned char *out, size_t cap, size_t *outn)
{
    unsigned buf = 0, bits = 0;
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '=' || *p == ' ')
            continue;
        char c = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        const char *at = strchr(B32, c);
        if (!at || !c)
            return OMK_INVALID;
        buf = (buf << 5) | (unsigned)(at - B32);
        bits += 5;
        if (bits >= 8) {
            if (o >= cap)
                return OMK_TOOBIG;
            out[o++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    *outn = o;
    return OMK_OK;
}
