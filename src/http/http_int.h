/* Internals of the HTTP layer shared by server.c, problem.c and query.c. */
#ifndef OMK_HTTP_INT_H
#define OMK_HTTP_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>

#include "omk/buf.h"
#include "omk/http.h"

#define OMK_MAX_PARAMS 4

typedef struct omk__invalid {
    struct omk__invalid *next;
    const char *name, *code, *reason;
} omk__invalid;

struct omk_req {
    omk_server *srv;
    struct MHD_Connection *conn;
    omk_arena *a;
    const char *method;
    char *path;      /* decoded path */
    char *raw_query; /* "" when none */
    omk_qparam *query;
    size_t nquery;
    const char *base_url;
    const omk_route *route;
    const omk_api_info *api; /* the API the path belongs to, even when no route matched */
    const char *params[OMK_MAX_PARAMS];
    int nparams;
    omk_buf body;
    bool has_body, body_too_big, started, replied;
    bool serve_static; /* no route matched: answered from the web directory (static.c) */
    omk_handler on_resume; /* set while suspended */
    bool parked;
    bool in_handler;     /* a worker is inside on_request for this request (under srv->mu) */
    bool resume_pending; /* resumed while in_handler: resume once the handler returned */
    const char *principal, *scopes;
    const char *subject; /* resident BSN for inwoner credentials, else NULL */
    void *app;             /* the API layer's per-request data (omk_req_set_app) */
    json_t *json;          /* the parsed body (omk_req_parse_json), owned via the arena */
    void *state;           /* counted in srv->suspended until its resumed handler ran */
    omk_rc early; /* an outcome decided before the handler (routing, auth, caps) */
    char allow[64];
    int retry_after; /* seconds for Retry-After on a 429/503 (0: the default) */
    omk__invalid *invalid, *invalid_tail;
    size_t ninvalid;
    const char *fail_code, *fail_detail;
    const char *extra_name[4], *extra_value[4];
    int nextra;
    int status;
    size_t bytes;
    int64_t start_ns;
    char trace_id[33], span_id[17];
};

/* Where clients reach the server (origin.c). */
#define OMK_MAX_PROXIES 32
typedef struct omk__proxy {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char addr[16];  /* network byte order */
    int bits;                /* prefix length */
} omk__proxy;

typedef struct omk__origin {
    char *public_url; /* normalised (no trailing '/'), owned; NULL when not configured */
    omk__proxy proxies[OMK_MAX_PROXIES];
    size_t nproxies;
} omk__origin;

/* Parses a comma-separated list of IP addresses or CIDR ranges (NULL: empty) into out[0..cap);
 * OMK_INVALID with a one-line reason naming `option` in why. */
OMK_MUST_CHECK omk_rc omk__addrs_parse(const char *list, omk__proxy *out, size_t cap,
                                       size_t *count, const char *option, char *why,
                                       size_t whyn);
/* The family (AF_INET, AF_INET6) and bytes of a socket address, an IPv4-mapped IPv6 address
 * as its IPv4 address; false for other families or NULL. */
struct sockaddr;
bool omk__addr_of(const struct sockaddr *sa, int *family, unsigned char addr[16]);
/* Whether the address lies in one of the list's ranges. */
bool omk__addrs_match(const omk__proxy *list, size_t n, int family, const unsigned char *addr);

/* Parses the public URL (may be NULL) and the comma-separated trusted proxies (IP addresses
 * or CIDR ranges; may be NULL). OMK_INVALID with a one-line reason in why when malformed;
 * release with omk__origin_release. */
OMK_MUST_CHECK omk_rc omk__origin_init(omk__origin *o, const char *public_url,
                                       const char *trusted_proxies, char *why, size_t whyn);
void omk__origin_release(omk__origin *o);
/* The base URL ("https://host[:port][/path]") of the request's absolute URLs: the public URL
 * when configured; else from the Host header, or from Forwarded / X-Forwarded-Host and
 * -Proto when the TCP peer is a trusted proxy; "http://localhost:<port>" when the host is
 * missing or malformed. In the request's arena (or the origin's, for the public URL). */
const char *omk__origin_base(const omk__origin *o, omk_req *req, int port);

/* The client's address as text (no port): the TCP peer's; when the peer is a trusted proxy,
 * the last address of Forwarded (for=) or else X-Forwarded-For that is not a trusted proxy
 * (the one the nearest trusted proxy saw). In the request's arena. */
const char *omk__origin_client(const omk__origin *o, omk_req *req);

/* The connection limits of a server (conns.c): a cap on all connections, one per client
 * address, a deadline for a request head, and headroom for health checks. MHD calls
 * omk__conns_accept before a connection is set up and omk__conns_notify when it starts and
 * closes; the server tells when a head is complete and when a request finished. */
typedef struct omk__conns omk__conns;
OMK_MUST_CHECK omk_rc omk__conns_new(const omk_server_config *cfg, omk__conns **out,
                                     char *why, size_t whyn);
/* Starts the thread that closes connections past their deadline. */
OMK_MUST_CHECK omk_rc omk__conns_start(omk__conns *c);
void omk__conns_free(omk__conns *c); /* after MHD_stop_daemon */
/* The limit to give MHD (MHD_OPTION_CONNECTION_LIMIT) and its idle timeout in seconds. */
unsigned omk__conns_mhd_limit(const omk__conns *c);
unsigned omk__conns_idle_timeout(const omk__conns *c);
enum MHD_Result omk__conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void omk__conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);
void omk__conns_head_done(omk__conns *c, struct MHD_Connection *conn);
void omk__conns_request_done(omk__conns *c, struct MHD_Connection *conn);

/* The open streams of a server (stream.c): for the keep-alive thread and for shutdown. */
typedef struct omk__streams {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    omk_stream *head;
    size_t count;
    bool stopping;
    struct omk_ticker *keepalive;
} omk__streams;

int omk__streams_init(omk__streams *l);
void omk__streams_stop(omk__streams *l);
void omk__streams_destroy(omk__streams *l);
omk__streams *omk__server_streams(omk_server *s);
void omk__add_common_headers(omk_req *req, struct MHD_Response *r, const char *ctype);

/* The headers every response carries (content type, API version, security headers, trace);
 * `csp` and `cache` are the Content-Security-Policy and Cache-Control values. */
void omk__http_common_headers(omk_req *req, struct MHD_Response *r, const char *ctype,
                              const char *csp, const char *cache);
/* Whether a request that matched no route is one for the web directory (GET/HEAD, not under
 * an API base, a web directory configured). */
bool omk__static_wants(const omk_req *req, const char *web_dir);
/* Answers the request from the web directory (200, 304 or OMK_NOTFOUND). */
omk_rc omk__static_serve(omk_req *req, const char *web_root);
/* The Content-Security-Policy of pages served from the web directory. */
extern const char omk__page_csp[];

/* Decodes a request path s[0..n) (percent escapes) into the arena; NULL for bad escapes, NUL
 * or invalid UTF-8 (query.c). */
char *omk__http_decode_path(omk_arena *a, const char *s, size_t n);

int omk__problem_status(omk_rc rc);
json_t *omk__problem_body(omk_req *req, omk_rc rc);

#endif
