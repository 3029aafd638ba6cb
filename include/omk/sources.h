/* Clients for the source systems the klantbeeld reads at the source and never stores: Haal
 * Centraal BRP Personen (POST /personen, RaadpleegMetBurgerservicenummer), the ZGW Zaken API
 * (POST /zaken/_zoek with a HS256 JWT and Accept-Crs/Content-Crs) and KvK Zoeken (GET
 * /zoeken?kvkNummer=…). One call asks every wanted source at once (libcurl multi) and waits
 * at most for the slowest source's own timeout; a source that is slow, down or answers
 * nonsense only marks its own status. Thread-safe after omk_http_client_init. */
#ifndef OMK_SOURCES_H
#define OMK_SOURCES_H

#include <jansson.h>
#include <stdbool.h>

#include "omk/rc.h"

typedef enum omk_bron {
    OMK_BRON_BRP,
    OMK_BRON_ZAKEN,
    OMK_BRON_KVK,
    OMK_BRON_COUNT
} omk_bron;

/* Status per source, as the klantbeeld answer names them. */
typedef enum omk_bron_status {
    OMK_BRON_NIET_GECONFIGUREERD = 0, /* no URL configured (or not asked) */
    OMK_BRON_OK,
    OMK_BRON_TIMEOUT,
    OMK_BRON_ERROR
} omk_bron_status;

/* "ok", "timeout", "error", "niet-geconfigureerd". */
const char *omk_bron_status_name(omk_bron_status s);
/* "brp", "zaken", "kvk". */
const char *omk_bron_name(omk_bron b);

/* One source's connection settings; url NULL or "" means not configured. */
typedef struct omk_bron_config {
    const char *url;       /* base URL, e.g. http://brp.example/haalcentraal/api/brp */
    const char *api_key;   /* BRP: X-API-KEY header; KvK: apikey header */
    const char *client_id; /* Zaken: JWT iss/client_id */
    const char *secret;    /* Zaken: JWT HS256 shared secret */
    long timeout_ms;       /* whole request; 0 means 2000 */
} omk_bron_config;

typedef struct omk_sources_config {
    omk_bron_config bron[OMK_BRON_COUNT];
} omk_sources_config;

/* Reads OMNIKANAAL_BRP_URL, _BRP_API_KEY, _BRP_TIMEOUT_MS, OMNIKANAAL_ZAKEN_URL,
 * _ZAKEN_CLIENT_ID, _ZAKEN_SECRET, _ZAKEN_TIMEOUT_MS, OMNIKANAAL_KVK_URL, _KVK_API_KEY,
 * _KVK_TIMEOUT_MS from the environment (pointers into the environment). */
void omk_sources_config_from_env(omk_sources_config *cfg);

/* What one klantbeeld asks: at most one subject per kind. NULL fields are not asked. */
typedef struct omk_sources_query {
    const char *bsn;               /* BRP person, and zaken where the person is betrokkene */
    const char *kvk_nummer;        /* KvK; zaken by RSIN are not asked (KvK gives none) */
    const char *vestigingsnummer;  /* KvK vestiging; zaken of that vestiging */
    bool want[OMK_BRON_COUNT];     /* which sources the policy allows */
    const char *trace_id;          /* 32 hex chars: passed on as W3C traceparent */
    const char *user_id;           /* Zaken JWT claims user_id / user_representation */
    const char *user_representation;
    /* Candidates of a search (BRP only, instead of bsn): up to 20 BSNs asked in one request
     * for just what tells them apart (birth date, address lines). */
    const char *const *kandidaat_bsns;
    size_t nkandidaten;
} omk_sources_query;

typedef struct omk_source_answer {
    omk_bron_status status;
    int http_status;   /* 0 when no answer came */
    json_t *body;      /* the parsed JSON answer when status is ok (owned), else NULL */
    char span_id[17];  /* span id sent in the traceparent (16 hex chars) */
    char detail[160];  /* why, when not ok (for logs and the answer's detail) */
    long long start_ms, end_ms; /* epoch milliseconds */
    bool asked;        /* a request was sent */
} omk_source_answer;

typedef struct omk_sources_result {
    omk_source_answer a[OMK_BRON_COUNT];
} omk_sources_result;

/* Starts and stops the fetch thread: one libcurl multi handle that runs the transfers of every
 * klantbeeld in flight, so waiting for sources holds no HTTP worker thread. Stop waits for the
 * transfers in flight (each ends by its own timeout). */
OMK_MUST_CHECK omk_rc omk_sources_start(void);
void omk_sources_stop(void);

typedef void (*omk_sources_done_fn)(void *arg);

/* Asks every source that q wants, is configured and has a subject, in parallel; `done(arg)`
 * runs on the fetch thread once all answered or timed out (at once when none is asked), after
 * which `out` holds the answers. A source without a usable subject (e.g. BRP for a business)
 * is left niet-geconfigureerd. q and cfg are copied as needed; out must stay valid until done.
 * OMK_UNAVAILABLE when the fetch thread is not running (done is then not called). */
OMK_MUST_CHECK omk_rc omk_sources_fetch_async(const omk_sources_config *cfg,
                                              const omk_sources_query *q,
                                              omk_sources_result *out, omk_sources_done_fn done,
                                              void *arg);
/* The same, waiting on the calling thread. */
OMK_MUST_CHECK omk_rc omk_sources_fetch(const omk_sources_config *cfg,
                                        const omk_sources_query *q, omk_sources_result *out);
void omk_sources_result_free(omk_sources_result *r);

/* The compact JWT (HS256) the Zaken API expects, for client_id/secret; written to out (cap
 * bytes). Returns false when it does not fit. Exposed for tests. */
bool omk_sources_zgw_jwt(const char *client_id, const char *secret, const char *user_id,
                         const char *user_representation, long long iat, char *out, size_t cap);

#endif
