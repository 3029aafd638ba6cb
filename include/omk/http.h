/* The HTTP layer: a libmicrohttpd server with a thread pool, one route table checked
 * generically (method, path, auth, body cap, media type) before a handler runs, a
 * per-request arena, problem+json errors from one table, security and API-version headers,
 * and one JSON access-log line per request with its W3C trace id.
 * Handlers run on the server's worker threads; one request is handled by one thread. */
#ifndef OMK_HTTP_H
#define OMK_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "omk/arena.h"
#include "omk/jtree.h"
#include "omk/rc.h"

typedef struct omk_req omk_req;
typedef struct omk_server omk_server;

/* One API: the prefix of its routes, its version for the API-version header, and its
 * OpenAPI document (served unauthenticated at <base>/openapi.json). */
typedef struct omk_api_info {
    const char *base;
    const char *version;
    const char *openapi_json; /* its OpenAPI document, or NULL */
    size_t openapi_len;       /* 0: openapi_json is NUL-terminated */
} omk_api_info;

typedef omk_rc (*omk_handler)(omk_req *req);

enum {
    OMK_ROUTE_PUBLIC = 1u << 0, /* no authentication needed */
    OMK_ROUTE_BODY = 1u << 1,    /* takes a JSON body (POST/PUT/PATCH) */
    OMK_ROUTE_READ = 1u << 2,     /* a POST that only reads (a search, a preview): the access
                                     matrix counts it as reading, not creating */
    OMK_ROUTE_STREAM = 1u << 3,   /* answers with a stream (text/event-stream): the Accept
                                     header is not held to JSON */
    OMK_ROUTE_PAGE = 1u << 4,     /* answers a browser navigation (HTML or a redirect): the Accept
                                    header is not checked */
    OMK_ROUTE_RAW = 1u << 5,      /* with OMK_ROUTE_BODY: the server does not parse the body
                                     before the handler (it checks a signature over the raw bytes
                                     first, then calls omk_req_parse_json) */
    OMK_ROUTE_CSV = 1u << 6       /* may answer text/csv as well (an export): an Accept of
                                     text/csv is let through to the handler */
};

/* A route. `pattern` segments are literal or "{uuid}" (a captured segment, passed through
 * unchecked to the handler). Strings and `data` must outlive the server. */
typedef struct omk_route {
    const char *method;
    const char *pattern;
    omk_handler fn;
    const void *data;
    const omk_api_info *api;
    unsigned flags;
    size_t body_cap;   /* bytes; 0 means the server default */
    const void *access; /* the access rule the API layer bound to this route (opaque here;
                           filled at start-up, NULL in declarations) */
} omk_route;

/* Authenticates a request from its Authorization header value (NULL when absent). Returns
 * OMK_OK, or OMK_UNAUTHORIZED with omk_req_fail's detail set. Called on a worker thread. */
typedef omk_rc (*omk_auth_fn)(void *ctx, omk_req *req, const char *authorization);

/* Decides whether the authenticated request may use its route (omk_req_route). Returns OMK_OK,
 * or OMK_FORBIDDEN with omk_req_fail's detail set. Called on a worker thread after a
 * successful omk_auth_fn, for every route that is not OMK_ROUTE_PUBLIC. */
typedef omk_rc (*omk_authz_fn)(void *ctx, omk_req *req);

typedef struct omk_server_config {
    const char *listen;     /* "127.0.0.1:8080" or "[::1]:8080" */
    int threads;            /* worker threads; 0 = 2 × cores, at least 4 */
    size_t body_cap;        /* default request body cap (1 MiB) */
    size_t arena_cap;       /* per-request memory cap (64 MiB) */
    omk_auth_fn auth;
    void *auth_ctx;
    omk_authz_fn authorize; /* required when any route is not public */
    void *authz_ctx;
    void *app; /* what the handlers share (the API layer's store), omk_req_server_app */
    const omk_route *routes; /* the route table; copied */
    size_t nroutes;
    /* Directory of the web UI's static files, or NULL. A GET or HEAD whose path matches no
     * route and lies outside every API is answered from it: "/a/b.css" is DIR/a/b.css, a
     * last segment without a dot is DIR/segment.html ("/werkplek" → werkplek.html). Paths
     * with "..", hidden segments or unusual characters, and files outside DIR after
     * resolving symlinks, are 404. Pages get a CSP that allows only this origin. */
    const char *web_dir;
    /* The base of every absolute URL the server writes (links, `url` fields, Location,
     * notifications), e.g. "https://klant.gemeente.nl", whatever a request's Host or forwarded
     * headers say; NULL: from the request (see trusted_proxies). */
    const char *public_url;
    /* Comma-separated IP addresses or CIDR ranges of reverse proxies whose Forwarded and
     * X-Forwarded-Host/-Proto headers are believed (when public_url is NULL); from any other
     * peer those headers are ignored and the Host header counts. NULL: none. */
    const char *trusted_proxies;
    /* Connection limits (docs/limieten.md); 0 or NULL: the default. A connection refused by
     * them is closed at once, before anything is read. */
    int max_connections;  /* all clients together; default: what the open-files limit
                             (RLIMIT_NOFILE) leaves after a reserve for the server's own files */
    int max_per_address;  /* per client address (default 64); the health addresses and trusted
                             proxies are exempt */
    int head_timeout_s;   /* a new connection must deliver its request head within this, however
                             it trickles (default 10) */
    int idle_timeout_s;   /* a connection idle this long, or a kept-alive one whose next head
                             takes this long, is closed (default 60) */
    const char *health_from; /* comma-separated addresses or CIDR ranges that may use the
                                headroom above max_connections (default "127.0.0.1,::1") */
    int health_reserve;   /* connections kept for them above max_connections (default 16) */
} omk_server_config;

/* Checks public_url, trusted_proxies and the connection limits of cfg as omk_server_start
 * would (a max_connections the open-files limit cannot hold is refused): OMK_OK, or
 * OMK_INVALID with a one-line reason in why (for the command line's error message). */
OMK_MUST_CHECK omk_rc omk_server_config_check(const omk_server_config *cfg, char *why,
                                              size_t whyn);

/* Starts listening. *out is the server; stop it with omk_server_stop. Returns OMK_IO when the
 * address cannot be bound, OMK_INVALID for a malformed listen address. */
OMK_MUST_CHECK omk_rc omk_server_start(const omk_server_config *cfg, omk_server **out);

/* The port actually bound (useful with port 0). */
int omk_server_port(const omk_server *s);

/* Stops accepting, lets in-flight requests finish, frees the server. NULL is allowed. */
void omk_server_stop(omk_server *s);

/* ---- request accessors: valid during the handler; strings live in the request arena ---- */
omk_arena *omk_req_arena(omk_req *req);
const char *omk_req_method(const omk_req *req);
const char *omk_req_path(const omk_req *req);
const void *omk_req_data(const omk_req *req);
/* The server configuration's `app` pointer: what every handler of this server shares. */
void *omk_req_server_app(const omk_req *req);
/* The route the request matched (NULL before routing or when none matched). */
const omk_route *omk_req_route(const omk_req *req);
/* The i-th captured "{…}" segment, or NULL. */
const char *omk_req_param(const omk_req *req, int i);
/* The value of a request header (case-insensitive name), or NULL. */
const char *omk_req_header(omk_req *req, const char *name);
/* The JSON object body of an OMK_ROUTE_BODY route, parsed before the handler ran (a body that
 * is not a JSON object, or holds a key twice in one object, was answered 400 without calling
 * the handler). Borrowed: lives as long as the request. NULL for other routes. */
json_t *omk_req_json(const omk_req *req);
/* Parses the body as a JSON object now (for OMK_ROUTE_RAW routes; the same result as
 * omk_req_json once parsed). On failure sets the 400 answer's details and returns
 * OMK_PARSE_ERROR or OMK_INVALID. */
OMK_MUST_CHECK omk_rc omk_req_parse_json(omk_req *req, json_t **out);
/* The request body (NUL-terminated) and its length; NULL when there is none. */
const char *omk_req_body(const omk_req *req, size_t *n);
/* "http://host[:port]" as the client addressed us, for absolute URLs. */
const char *omk_req_base_url(const omk_req *req);
/* The trace id (32 hex chars) of this request. */
const char *omk_req_trace_id(const omk_req *req);
/* This request's own span id (16 hex chars), as sent back in the traceparent header. */
const char *omk_req_span_id(const omk_req *req);

/* Query parameters in order of appearance (duplicates kept). */
typedef struct omk_qparam {
    const char *key;
    const char *value;
} omk_qparam;
size_t omk_req_query(const omk_req *req, const omk_qparam **out);
/* The raw query string without '?', or "". */
const char *omk_req_raw_query(const omk_req *req);

/* Parses a raw query string ("a=1&b=x%20y") into params allocated in `a`. Percent escapes and
 * '+' are decoded; a key or value that decodes to invalid UTF-8 or contains NUL makes the
 * whole parse fail with OMK_INVALID. At most 256 params (OMK_TOOBIG beyond). */
OMK_MUST_CHECK omk_rc omk_query_parse(omk_arena *a, const char *raw, size_t n,
                                      omk_qparam **out, size_t *count);

/* ---- who is asking ---- */
/* Set by the authentication callback: the credential's name and its comma-separated scopes
 * ("*" = all). Copied into the request arena. */
void omk_req_set_principal(omk_req *req, const char *name, const char *scopes);
/* The credential's name, or "" for public routes. */
const char *omk_req_principal(const omk_req *req);
/* True when the credential has `scope` (or "*"). */
bool omk_req_has_scope(const omk_req *req, const char *scope);
/* The data subject a credential acts for: set for a resident's session (role `inwoner`) to
 * their BSN, so APIs can restrict answers to that resident's own data. Copied. */
void omk_req_set_subject(omk_req *req, const char *bsn);
/* The subject's BSN, or NULL when the credential is staff or a system. */
const char *omk_req_subject(const omk_req *req);
/* A pointer the API layer keeps with the request from authentication on (who acts, for which
 * purpose); arena memory or static. NULL until set. */
void omk_req_set_app(omk_req *req, void *app);
void *omk_req_app(const omk_req *req);

/* ---- waiting without a thread ---- */
/* Parks the request so the worker thread can serve others: the handler returns OMK_OK
 * without replying, and once some thread calls omk_req_resume, `on_resume` runs on a worker
 * thread and must reply (or return an error). Call from the handler only. Returns false
 * (and parks nothing) while the server is shutting down: then do the work in place. */
bool omk_req_suspend(omk_req *req, omk_handler on_resume);
/* A pointer the handler keeps with the request across a suspension (arena memory). */
void omk_req_set_state(omk_req *req, void *state);
void *omk_req_state(const omk_req *req);
/* Wakes a suspended request. Any thread; exactly once per suspend. */
void omk_req_resume(omk_req *req);

/* ---- responses ---- */
/* Sends a JSON body with this status; takes ownership of `body`. */
omk_rc omk_req_reply_json(omk_req *req, int status, json_t *body);
/* Sends an arena JSON tree (omk/jtree.h) as application/json with this status. */
omk_rc omk_req_reply_jv(omk_req *req, int status, const omk_jv *body);
/* Sends bytes (kept alive by the caller for the request's lifetime, e.g. arena or static). */
omk_rc omk_req_reply(omk_req *req, int status, const char *content_type, const char *body,
                     size_t n);

/* ---- streaming responses (Server-Sent Events) ---- */
/* A response that stays open and carries what other threads write to it, e.g. events to an
 * agent's browser. Writes are queued (copied) and sent as the client reads; a client that
 * falls more than OMK_STREAM_QUEUE_CAP bytes behind is disconnected. While the stream has
 * nothing to send its connection is suspended, so it holds no worker thread. The server sends
 * an SSE comment line every 15 s so dead clients are noticed. */
typedef struct omk_stream omk_stream;
#define OMK_STREAM_QUEUE_CAP (1u << 20)

/* Called once when the stream ends (client gone, omk_stream_close, or server stopping), on a
 * server thread. After it returns nobody may use `s` again: the owner removes it from its
 * lists under the same lock its writers hold. */
typedef void (*omk_stream_close_fn)(void *ctx, omk_stream *s);

/* Answers the request with status 200 and `content_type` as an open stream (no
 * Content-Length). The handler then returns OMK_OK. Returns NULL when out of memory (then
 * nothing was sent and on_close is never called). */
omk_stream *omk_req_stream(omk_req *req, const char *content_type, omk_stream_close_fn on_close,
                           void *ctx);
/* Queues data[0..n) for the client. Any thread. OMK_UNAVAILABLE once the stream ended;
 * OMK_TOOBIG when the client is too far behind (the stream is then ended). */
omk_rc omk_stream_write(omk_stream *s, const char *data, size_t n);
/* Queues one Server-Sent Event: `event` (may be NULL), `id` (may be NULL) and `data`, whose
 * lines each become a "data:" line. */
omk_rc omk_stream_event(omk_stream *s, const char *event, const char *id, const char *data);
/* Ends the stream after what is queued has been sent. Any thread. */
void omk_stream_close(omk_stream *s);

/* Adds a response header to the reply that follows (name and value are copied). Added to
 * successful answers only, except Access-Control-* and Vary (CORS), which error answers carry
 * too, so that a page on another origin can read why it was refused. */
void omk_req_add_header(omk_req *req, const char *name, const char *value);
/* The Retry-After (seconds, at least 1) of the 429 or 503 the handler is about to return
 * (default: 60 for 429, 1 for 503). */
void omk_req_retry_after(omk_req *req, int seconds);
/* The client's address as the key of the per-address limits: "192.0.2.7", or for IPv6 its /64
 * ("2001:db8:1:2::/64": one subscriber's network); the TCP peer's, or, when the peer is a
 * trusted proxy (--trusted-proxy), the last address the forwarding headers name that is not a
 * trusted proxy. */
const char *omk_req_client(omk_req *req);

/* Records a field error for the 400 answer (every error is returned at once). name, code and
 * reason are copied. */
void omk_req_invalid(omk_req *req, const char *name, const char *code, const char *reason);
size_t omk_req_invalid_count(const omk_req *req);
/* Sets the problem code and detail for the error the handler is about to return. */
void omk_req_fail(omk_req *req, const char *code, const char *detail);

#endif
