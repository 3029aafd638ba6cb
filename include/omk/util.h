/* Small pure helpers: identifiers, time, text checks. Thread-safe; no global state except
 * libsodium's random source, initialised by omk_util_init. */
#ifndef OMK_UTIL_H
#define OMK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "omk/rc.h"

/* The number of elements of a declared array. */
#define OMK_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Initialises libsodium. Call once at start-up before any other function here. */
OMK_MUST_CHECK omk_rc omk_util_init(void);

/* Writes a random (version 4) UUID, lower-case with dashes, and a NUL into out[37]. */
void omk_uuid4(char out[37]);
/* True when s is a UUID in canonical 8-4-4-4-12 hex form (either case). */
bool omk_uuid_valid(const char *s, size_t n);

/* Writes `n` random bytes as 2n lower-case hex characters plus a NUL into out. */
void omk_random_hex(char *out, size_t n);

/* Writes the BLAKE2b-256 hash of s as 64 hex chars plus NUL into out[65]. */
void omk_hash_hex(const char *s, size_t n, char out[65]);

/* Writes HMAC-SHA256(key, data) as 64 lower-case hex chars plus NUL into out[65]. */
void omk_hmac_sha256_hex(const char *key, size_t keylen, const void *data, size_t n,
                         char out[65]);
/* Compares two strings of equal length in constant time (false when lengths differ). */
bool omk_secret_eq(const char *a, const char *b);

/* Milliseconds since the Unix epoch (wall clock) and a monotonic clock in nanoseconds. */
int64_t omk_now_ms(void);
int64_t omk_mono_ns(void);

/* Formats epoch microseconds as "YYYY-MM-DDThh:mm:ss[.ffffff]Z" (fraction only when non-zero)
 * into out[32]. */
void omk_time_format(int64_t us, char out[32]);

/* Parses an RFC 3339 / ISO 8601 date-time with an optional fraction and a Z or ±hh:mm
 * offset into epoch microseconds (UTC). Returns false on any syntax or range error. */
bool omk_time_parse(const char *s, size_t n, int64_t *us);

/* True when s is a valid calendar date "YYYY-MM-DD". */
bool omk_date_valid(const char *s, size_t n);

/* True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool omk_utf8_valid(const char *s, size_t n);

/* Number of Unicode code points in well-formed UTF-8. */
size_t omk_utf8_len(const char *s, size_t n);

/* Parses a non-negative decimal integer of at most 18 digits. Returns false otherwise. */
bool omk_parse_uint(const char *s, size_t n, int64_t *out);

#endif
