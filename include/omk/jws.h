/* Verifying a JSON Web Signature (RFC 7515, compact form) with a key from a JSON Web Key Set
 * (RFC 7517): what an OpenID Connect relying party needs for ID tokens. Only the asymmetric
 * algorithms OpenID NLGov allows a provider to sign with and that are common: RS256, PS256
 * (RSA keys of at least 2048 bits) and ES256 (P-256). "none" and HMAC are always refused.
 * Also the small helpers the login flows need: base64url, SHA-256 and TOTP (RFC 6238).
 * Pure functions; any thread. */
#ifndef OMK_JWS_H
#define OMK_JWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "omk/rc.h"

/* Verifies `jws` (header.payload.signature) against the keys in `jwks` ({"keys": [...]}).
 * The key is the one whose "kid" equals the header's; without a kid in the header, every key
 * of the algorithm's type is tried. On OMK_OK *payload gets the decoded claims (a new
 * reference, caller decrefs) and, when header is not NULL, *header the protected header.
 * Returns OMK_NOTFOUND when no key in the set fits the header (an unknown kid: the caller may
 * refetch the set once), OMK_INVALID when the token is malformed, uses another algorithm or
 * its signature does not verify; why (size n) gets one English line. */
OMK_MUST_CHECK omk_rc omk_jws_verify(const char *jws, const json_t *jwks, json_t **payload,
                                     json_t **header, char *why, size_t n);

/* base64url without padding of in[0..n) into out (size cap, NUL-terminated). Returns
 * OMK_TOOBIG when it does not fit. */
OMK_MUST_CHECK omk_rc omk_b64url_encode(const void *in, size_t n, char *out, size_t cap);

/* SHA-256 of in[0..n) as base64url: PKCE's S256 code challenge (RFC 7636) of a verifier. */
void omk_pkce_s256(const char *verifier, char out[44]);

/* RFC 6238 TOTP with HMAC-SHA1, 30-second steps and 6 digits (what authenticator apps use):
 * the code of time step `step` (unix time / 30) for key[0..n). */
uint32_t omk_totp_code(const unsigned char *key, size_t n, uint64_t step);

/* RFC 6238 with a chosen hash ("SHA1", "SHA256", "SHA512") and number of digits (6..8): for
 * the RFC's test vectors. Returns UINT32_MAX for an unknown hash. */
uint32_t omk_totp_code_with(const char *hash, unsigned digits, const unsigned char *key,
                            size_t n, uint64_t step);

/* RFC 4648 base32 (upper case, no padding) of in[0..n) into out (size cap, NUL-terminated);
 * OMK_TOOBIG when it does not fit. */
OMK_MUST_CHECK omk_rc omk_base32_encode(const unsigned char *in, size_t n, char *out,
                                        size_t cap);

/* Decodes RFC 4648 base32 (either case, padding and spaces ignored) into out (size cap);
 * *outn gets the length. OMK_INVALID on a character outside the alphabet, OMK_TOOBIG when it
 * does not fit. */
OMK_MUST_CHECK omk_rc omk_base32_decode(const char *in, unsigned char *out, size_t cap,
                                        size_t *outn);

#endif
