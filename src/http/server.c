/* The libmicrohttpd server: request life cycle, routing, generic checks, responses and the
 * access log. MHD calls us on its pool threads; each request is touched by one thread. */
#include <arpa/inet.h>
#include <pthread.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http_int.h"
#include "omk/json.h"
#include "omk/log.h"
#include "omk/util.h"

#define DEFAULT_BODY_CAP (1024 * 1024)
#define DEFAULT_ARENA_CAP (64 * 1024 * 1024)
/* Caps on the request head, answered by us with problem+json: a URI longer than MAX_URI → 414;
 * one header field (name + value) over MAX_FIELD, all fields together over MAX_HEAD, or more
 * than MAX_FIELDS fields → 431. They are the common web-server limits (Apache's 8190-byte
 * request line and field, 100 fields). CONN_MEMORY is libmicrohttpd's per-connection pool, in
 * which the whole head must fit before we see it; it is set at twice our head cap so that
 * MHD's own HTML 414/431 answers only come for heads far over them, and no higher, because
 * MHD zero-fills the whole pool after every request (at 128 KiB that memset was the largest
 * single user-space cost of a GET by uuid, 4.5% of the server's CPU) and an idle keep-alive
 * connection keeps all of it resident (measurements in docs/internals/http.md). */
#define MAX_URI (8 * 1024)
#define MAX_FIELD (8 * 1024)
#define MAX_HEAD (32 * 1024)
#define MAX_FIELDS 100
#define CONN_MEMORY (64 * 1024)
#define PLATFORM_VERSION "0.1.0"

struct omk_server {
    struct MHD_Daemon *d;
    pthread_mutex_t mu;
    pthread_cond_t idle;
    int suspended; /* requests parked with omk_req_suspend */
    bool stopping; /* no new parking once shutdown waits for the parked ones */
    omk_server_config cfg;
    omk_route *routes;
    /* Per route: the length of its pattern's literal start (up to the first '{'), compared
     * before matching segment by segment (most routes fail right there), and of its API's
     * base path (0 when it has none). */
    size_t *literal, *api_len;
    int port;
    char *web_root; /* realpath of cfg.web_dir, or NULL */
    omk__streams streams;
    bool access_batched; /* this server holds a start of the batched access log */
    omk__origin origin;  /* public URL and trusted proxies */
    omk__conns *conns;   /* connection limits */
};

static void free_routes(omk_server *s)
{
    free(s->routes);
    free(s->literal);
    free(s->api_len);
}

omk__streams *omk__server_streams(omk_server *s)
{
    return &s->streams;
}

/* ---- accessors ---- */
omk_arena *omk_req_arena(omk_req *req) { return req->a; }
const char *omk_req_method(const omk_req *req) { return req->method; }
const char *omk_req_path(const omk_req *req) { return req->path; }
const void *omk_req_data(const omk_req *req) { return req->route ? req->route->data : NULL; }
const char *omk_req_base_url(const omk_req *req) { return req->base_url; }
const char *omk_req_trace_id(const omk_req *req) { return req->trace_id; }
const char *omk_req_span_id(const omk_req *req) { return req->span_id; }
const char *omk_req_raw_query(const omk_req *req) { return req->raw_query; }
const char *omk_req_client(omk_req *req) { return omk__origin_client(&req->srv->origin, req); }

void omk_req_retry_after(omk_req *req, int seconds)
{
    req->retry_after = seconds > 0 ? seconds : 1;
}

const char *omk_req_param(const omk_req *req, int i)
{
    return i >= 0 && i < req->nparams ? req->params[i] : NULL;
}

const char *omk_req_header(omk_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *omk_req_body(const omk_req *req, size_t *n)
{
    if (n)
        *n = req->body.n;
    return req->has_body ? req->body.p : NULL;
}

size_t omk_req_query(const omk_req *req, const omk_qparam **out)
{
    *out = req->query;
    return req->nquery;
}

void omk_req_invalid(omk_req *req, const char *name, const char *code, const char *reason)
{
    omk__invalid *e = omk_arena_alloc(req->a, sizeof *e);
    if (!e)
        return;
    e->name = omk_arena_strdup(req->a, name);
    e->code = omk_arena_strdup(req->a, code);
    e->reason = omk_arena_strdup(req->a, reason);
    if (!e->name || !e->code || !e->reason)
        return;
    if (req->invalid_tail)
        req->invalid_tail->next = e;
    else
        req->invalid = e;
    req->invalid_tail = e;
    req->ninvalid++;
}

size_t omk_req_invalid_count(const omk_req *req)
{
    return req->ninvalid;
}

bool omk_req_suspend(omk_req *req, omk_handler on_resume)
{
    pthread_mutex_lock(&req->srv->mu);
    if (req->srv->stopping) {
        pthread_mutex_unlock(&req->srv->mu);
        return false;
    }
    req->srv->suspended++;
    pthread_mutex_unlock(&req->srv->mu);
    req->parked = true;
    req->on_resume = on_resume;
    MHD_suspend_connection(req->conn);
    return true;
}

void omk_req_set_principal(omk_req *req, const char *name, const char *scopes)
{
    req->principal = omk_arena_strdup(req->a, name ? name : "");
    req->scopes = omk_arena_strdup(req->a, scopes ? scopes : "");
}

void omk_req_set_subject(omk_req *req, const char *bsn)
{
    req->subject = bsn ? omk_arena_strdup(req->a, bsn) : NULL;
}

const char *omk_req_subject(const omk_req *req)
{
    return req->subject;
}

const char *omk_req_principal(const omk_req *req)
{
    return req->principal ? req->principal : "";
}

bool omk_req_has_scope(const omk_req *req, const char *scope)
{
    size_t n = strlen(scope);
    for (const char *p = req->scopes; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if ((len == 1 && *p == '*') || (len == n && memcmp(p, scope, n) == 0))
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

void omk_req_set_app(omk_req *req, void *app) { req->app = app; }
void *omk_req_server_app(const omk_req *req) { return req->srv->cfg.app; }
void *omk_req_app(const omk_req *req) { return req->app; }
const omk_route *omk_req_route(const omk_req *req) { return req->route; }

void omk_req_set_state(omk_req *req, void *state) { req->state = state; }
void *omk_req_state(const omk_req *req) { return req->state; }

/* MHD applies a suspension only after the access handler returns; a resume that arrives
 * earlier would be lost and the request would hang. So a resume during the handler is
 * remembered and performed when the handler returns (see on_request). */
void omk_req_resume(omk_req *req)
{
    pthread_mutex_lock(&req->srv->mu);
    bool now = !req->in_handler;
    if (!now)
        req->resume_pending = true;
    pthread_mutex_unlock(&req->srv->mu);
    if (now)
        MHD_resume_connection(req->conn);
}

/* The parked request has answered (or gone): shutdown may proceed once none are left. */
static void unpark(omk_req *req)
{
    if (!req->parked)
        return;
    req->parked = false;
    pthread_mutex_lock(&req->srv->mu);
    if (--req->srv->suspended == 0)
        pthread_cond_broadcast(&req->srv->idle);
    pthread_mutex_unlock(&req->srv->mu);
}

void omk_req_add_header(omk_req *req, const char *name, const char *value)
{
    if (req->nextra >= 4)
        return;
    req->extra_name[req->nextra] = omk_arena_strdup(req->a, name);
    req->extra_value[req->nextra] = omk_arena_strdup(req->a, value);
    if (req->extra_name[req->nextra] && req->extra_value[req->nextra])
        req->nextra++;
}

void omk_req_fail(omk_req *req, const char *code, const char *detail)
{
    req->fail_code = code ? omk_arena_strdup(req->a, code) : NULL;
    req->fail_detail = detail ? omk_arena_strdup(req->a, detail) : NULL;
}

/* ---- responses ---- */

void omk__http_common_headers(omk_req *req, struct MHD_Response *r, const char *ctype,
                              const char *csp, const char *cache)
{
    MHD_add_response_header(r, "Content-Type", ctype);
    MHD_add_response_header(r, "API-version", req->api ? req->api->version : PLATFORM_VERSION);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", cache);
    char tp[64];
    snprintf(tp, sizeof tp, "00-%s-%s-01", req->trace_id, req->span_id);
    MHD_add_response_header(r, "traceparent", tp);
}

void omk__add_common_headers(omk_req *req, struct MHD_Response *r, const char *ctype)
{
    omk__http_common_headers(req, r, ctype, "default-src 'none'; frame-ancestors 'none'",
                             "no-store");
}

omk_rc omk_req_reply(omk_req *req, int status, const char *ctype, const char *body, size_t n)
{
    if (req->replied)
        return OMK_INTERNAL;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return OMK_NOMEM;
    omk__http_common_headers(req, r, ctype, "default-src 'none'; frame-ancestors 'none'",
                             "no-store");
    for (int i = 0; i < req->nextra; i++)
        if (status < 400 || strncasecmp(req->extra_name[i], "Access-Control-", 15) == 0 ||
            strcasecmp(req->extra_name[i], "Vary") == 0)
            MHD_add_response_header(r, req->extra_name[i], req->extra_value[i]);
    if (status == 401)
        MHD_add_response_header(r, "WWW-Authenticate", "Token");
    if (status == 405 && req->allow[0])
        MHD_add_response_header(r, "Allow", req->allow);
    if (status == 503 || status == 429) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", req->retry_after ? req->retry_after
                                      : status == 429 ? 60 : 1);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    if (req->api && strstr(req->path, "/openapi.json"))
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)status, r);
    MHD_destroy_response(r);
    req->replied = true;
    req->status = status;
    req->bytes = n;
    return ok == MHD_YES ? OMK_OK : OMK_IO;
}

static void free_str(void *p) { free(p); }

#define MAX_RESPONSE (256 * 1024 * 1024)

static omk_rc reply_json_ctype(omk_req *req, int status, json_t *body, const char *ctype)
{
    omk_buf b;
    omk_buf_init(&b, MAX_RESPONSE);
    omk_json_dump(&b, body);
    json_decref(body);
    size_t n = b.n;
    char *s = omk_buf_take(&b);
    if (!s || omk_arena_defer(req->a, free_str, s))
        return OMK_NOMEM;
    return omk_req_reply(req, status, ctype, s, n);
}

omk_rc omk_req_reply_json(omk_req *req, int status, json_t *body)
{
    return reply_json_ctype(req, status, body, "application/json");
}

omk_rc omk_req_reply_jv(omk_req *req, int status, const omk_jv *body)
{
    omk_buf b;
    omk_buf_init(&b, MAX_RESPONSE);
    (void)omk_buf_reserve(&b, 4096);
    omk_jv_dump(&b, body);
    size_t n = b.n;
    char *s = omk_buf_take(&b);
    if (!s || omk_arena_defer(req->a, free_str, s))
        return OMK_NOMEM;
    return omk_req_reply(req, status, "application/json", s, n);
}

static void reply_problem(omk_req *req, omk_rc rc)
{
    if (rc == OMK_INTERNAL || rc == OMK_IO || rc == OMK_NOMEM)
        omk_log_error("http", "%s %s failed: %s (trace %s)", req->method, req->path,
                      omk_rc_name(rc), req->trace_id);
    json_t *body = omk__problem_body(req, rc);
    if (reply_json_ctype(req, omk__problem_status(rc), body, "application/problem+json")) {
        static const char fallback[] = "{\"status\":500,\"title\":\"Er is een server fout opgetreden.\"}";
        if (!req->replied)
            (void)omk_req_reply(req, 500, "application/problem+json", fallback,
                                sizeof fallback - 1);
    }
}

/* ---- routing ---- */

/* Matches path against pattern; captures "{…}" segments. */
static bool match(omk_req *req, const char *pattern, const char *path)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pn = pe ? (size_t)(pe - p) : strlen(p), sn = se ? (size_t)(se - s) : strlen(s);
        if (pn > 1 && p[0] == '{') {
            if (sn == 0 || np >= OMK_MAX_PARAMS)
                return false;
            req->params[np++] = omk_arena_strndup(req->a, s, sn);
        } else if (pn != sn || memcmp(p, s, pn) != 0) {
            return false;
        }
        p += pn;
        s += sn;
    }
    if (*p || *s)
        return false;
    req->nparams = np;
    return true;
}

/* The API whose base path prefixes the request path, for the version header. */
static const omk_api_info *api_of(const omk_server *srv, const char *path)
{
    for (size_t i = 0; i < srv->cfg.nroutes; i++) {
        const omk_api_info *api = srv->routes[i].api;
        size_t n = srv->api_len[i];
        if (api && strncmp(path, api->base, n) == 0 && (path[n] == '/' || path[n] == 0))
            return api;
    }
    return NULL;
}

/* match, after the cheap test of the pattern's literal start. */
static bool route_matches(omk_req *req, size_t i)
{
    const omk_server *srv = req->srv;
    return strncmp(srv->routes[i].pattern, req->path, srv->literal[i]) == 0 &&
           match(req, srv->routes[i].pattern, req->path);
}

/* Whether route rt answers HEAD as its GET (RFC 9110 §9.3.2: the same headers, no body; the
 * server leaves the body out). An event stream does not: it would hold a subscription open. */
static bool head_of(const omk_route *rt)
{
    return strcmp(rt->method, "GET") == 0 && !(rt->flags & OMK_ROUTE_STREAM);
}

/* Appends method m to req->allow (at *an) unless it is there. */
static void allow_add(omk_req *req, size_t *an, const char *m)
{
    size_t n = strlen(m);
    for (const char *p = req->allow; (p = strstr(p, m)); p += n)
        if ((p == req->allow || p[-1] == ' ') && (p[n] == ',' || p[n] == 0))
            return;
    int w = snprintf(req->allow + *an, sizeof req->allow - *an, "%s%s", *an ? ", " : "", m);
    if (w > 0 && (size_t)w < sizeof req->allow - *an)
        *an += (size_t)w;
}

static void route(omk_req *req)
{
    omk_server *srv = req->srv;
    req->api = api_of(srv, req->path);
    bool path_known = false, head = strcmp(req->method, "HEAD") == 0;
    const omk_route *as_head = NULL;
    size_t an = 0;
    req->allow[0] = 0;
    for (size_t i = 0; i < srv->cfg.nroutes; i++) {
        const omk_route *rt = &srv->routes[i];
        if (!route_matches(req, i))
            continue;
        if (strcmp(rt->method, req->method) == 0) {
            req->route = rt;
            return;
        }
        if (head && !as_head && head_of(rt))
            as_head = rt;
        path_known = true;
        allow_add(req, &an, rt->method);
        if (head_of(rt))
            allow_add(req, &an, "HEAD");
    }
    if (as_head) {
        req->route = as_head;
        return;
    }
    if (path_known) {
        /* Remember which API the path belongs to for the version header. */
        for (size_t i = 0; i < srv->cfg.nroutes; i++)
            if (route_matches(req, i)) {
                req->route = &srv->routes[i];
                break;
            }
        req->early = OMK_BAD_METHOD;
        req->fail_detail = omk_arena_printf(req->a, "Methode \"%s\" niet toegestaan.",
                                            req->method);
        return;
    }
    req->early = OMK_NOTFOUND;
}

static bool is_json_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; ");
    return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
           (n == 24 && strncasecmp(ct, "application/problem+json", 24) == 0) ||
           (n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0);
}

static bool accepts_json(const char *accept)
{
    if (!accept || !*accept)
        return true;
    return strstr(accept, "*/*") || strstr(accept, "application/*") ||
           strstr(accept, "application/json") || strstr(accept, "application/problem+json") ||
           strstr(accept, "+json");
}

static void parse_traceparent(omk_req *req)
{
    const char *tp = omk_req_header(req, "traceparent");
    bool ok = tp && strlen(tp) == 55 && tp[2] == '-' && tp[35] == '-' && tp[52] == '-';
    for (int i = 3; ok && i < 35; i++)
        ok = isxdigit((unsigned char)tp[i]) && !isupper((unsigned char)tp[i]);
    if (ok && strncmp(tp + 3, "00000000000000000000000000000000", 32) != 0) {
        memcpy(req->trace_id, tp + 3, 32);
        req->trace_id[32] = 0;
    } else {
        omk_random_hex(req->trace_id, 16);
    }
    omk_random_hex(req->span_id, 8);
}

typedef struct head_size {
    size_t fields, bytes;
    size_t biggest;      /* bytes of the largest field */
    const char *biggest_name;
} head_size;

static enum MHD_Result count_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    head_size *h = cls;
    size_t n = strlen(key) + 2 + (value ? strlen(value) : 0); /* "name: value" */
    h->fields++;
    h->bytes += n + 2; /* CRLF */
    if (n > h->biggest) {
        h->biggest = n;
        h->biggest_name = key;
    }
    return MHD_YES;
}

/* The header name for a message, or NULL when it is not a plain token (it is echoed). */
static const char *printable_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return NULL;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return NULL;
    return name;
}

/* Refuses a request head over our caps (431), naming the cause in the detail. */
static void check_head(omk_req *req)
{
    head_size h = {0};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_field, &h);
    if (h.fields <= MAX_FIELDS && h.biggest <= MAX_FIELD && h.bytes <= MAX_HEAD)
        return;
    req->early = OMK_HEADERS_TOO_LARGE;
    if (h.fields > MAX_FIELDS) {
        req->fail_detail = omk_arena_printf(
            req->a, "Het verzoek heeft %zu headers; het maximum is %d.", h.fields, MAX_FIELDS);
    } else if (h.biggest > MAX_FIELD) {
        const char *name = printable_name(h.biggest_name);
        req->fail_detail = omk_arena_printf(
            req->a, "De header %s%s%sis %zu bytes; het maximum is %d bytes per header.",
            name ? "\"" : "", name ? name : "", name ? "\" " : "", h.biggest, MAX_FIELD);
    } else {
        req->fail_detail = omk_arena_printf(
            req->a, "De headers zijn samen %zu bytes; het maximum is %d bytes.", h.bytes,
            MAX_HEAD);
    }
}

/* Decides everything that can be decided from the request head. */
static void on_head(omk_req *req)
{
    req->base_url = omk__origin_base(&req->srv->origin, req, req->srv->port);
    parse_traceparent(req);
    req->api = api_of(req->srv, req->path); /* also for requests refused before routing */
    if (req->early != OMK_URI_TOO_LONG)
        check_head(req); /* the head's size outranks what the URI parse found */
    if (req->early)
        return;
    route(req);
    if (req->early == OMK_NOTFOUND && omk__static_wants(req, req->srv->web_root)) {
        req->early = OMK_OK;
        req->serve_static = true;
        return;
    }
    if (req->early)
        return;
    const omk_route *rt = req->route;
    if (!(rt->flags & OMK_ROUTE_PUBLIC)) {
        omk_rc rc = req->srv->cfg.auth(req->srv->cfg.auth_ctx, req,
                                       omk_req_header(req, "Authorization"));
        if (rc) {
            req->early = rc;
            return;
        }
        rc = req->srv->cfg.authorize ? req->srv->cfg.authorize(req->srv->cfg.authz_ctx, req)
                                     : OMK_FORBIDDEN;
        if (rc) {
            req->early = rc;
            return;
        }
    }
    const char *accept = omk_req_header(req, "Accept");
    if (!(rt->flags & (OMK_ROUTE_STREAM | OMK_ROUTE_PAGE)) && !accepts_json(accept) &&
        !((rt->flags & OMK_ROUTE_CSV) && strstr(accept, "text/csv"))) {
        req->early = OMK_NOT_ACCEPTABLE;
        return;
    }
    if (rt->flags & OMK_ROUTE_BODY) {
        const char *ct = omk_req_header(req, "Content-Type");
        if (!is_json_type(ct)) {
            req->early = OMK_BAD_MEDIA_TYPE;
            req->fail_detail = omk_arena_printf(req->a, "Ongeldig media type \"%s\" in aanvraag.",
                                                ct ? ct : "");
            return;
        }
        size_t cap = rt->body_cap ? rt->body_cap : req->srv->cfg.body_cap;
        const char *cl = omk_req_header(req, "Content-Length");
        int64_t len = 0;
        if (cl && omk_parse_uint(cl, strlen(cl), &len) && (uint64_t)len > cap)
            req->early = OMK_TOOBIG;
        omk_buf_init(&req->body, cap);
    }
}

/* ---- MHD callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    omk_server *srv = cls;
    omk_req *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->srv = srv;
    req->conn = conn;
    req->start_ns = omk_mono_ns();
    req->a = omk_arena_new(srv->cfg.arena_cap);
    if (!req->a) {
        free(req);
        return NULL;
    }
    const char *q = strchr(uri, '?');
    size_t pn = q ? (size_t)(q - uri) : strlen(uri);
    req->path = omk__http_decode_path(req->a, uri, pn);
    req->raw_query = omk_arena_strdup(req->a, q ? q + 1 : "");
    size_t un = strlen(uri);
    if (un > MAX_URI) {
        if (!req->path)
            req->path = omk_arena_strndup(req->a, uri, pn);
        req->early = OMK_URI_TOO_LONG; /* the query is not parsed */
        req->fail_detail = omk_arena_printf(req->a,
                                            "De URI is %zu tekens lang; het maximum is %d.",
                                            un, MAX_URI);
    } else if (!req->path) {
        req->path = omk_arena_strndup(req->a, uri, pn);
        req->early = OMK_NOTFOUND; /* bad escapes, NUL or invalid UTF-8 in the path */
    } else if (q) {
        omk_rc rc = omk_query_parse(req->a, q + 1, strlen(q + 1), &req->query, &req->nquery);
        if (rc == OMK_INVALID) {
            req->early = OMK_INVALID;
            omk_req_invalid(req, "nonFieldErrors", "invalid",
                            "De query string bevat ongeldige tekens of escapes.");
        } else if (rc) {
            req->early = rc;
        }
    }
    return req;
}

/* Copies s into out[0..n) as the inside of a JSON string (truncated if long). */
static void json_escape(char *out, size_t n, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (; s && *s && k + 7 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c < 0x20) {
            memcpy(out + k, "\\u00", 4);
            out[k + 4] = hex[c >> 4];
            out[k + 5] = hex[c & 15];
            k += 6;
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = 0;
}

/* One JSON line per request; the query string is left out (it may hold personal data). */
static void access_log(omk_req *req)
{
    char ts[32], method[32], path[1024], line[1400];
    omk_time_format(omk_now_ms() * 1000, ts);
    json_escape(method, sizeof method, req->method);
    json_escape(path, sizeof path, req->path);
    /* Put together piece by piece: snprintf (with a %f) cost more than the rest of a GET. */
    uint64_t us = (omk_mono_ns() - req->start_ns) / 1000;
    char dur[32];
    int dn = 0;
    dur[dn++] = '.';
    for (int d = 100; d; d /= 10)
        dur[dn++] = (char)('0' + (us / (uint64_t)d) % 10);
    dur[dn] = 0;
    omk_buf b;
    omk_buf_init_fixed(&b, line, sizeof line);
    const char *const parts[] = {"{\"time\":\"", ts, "\",\"method\":\"", method,
                                 "\",\"path\":\"", path, "\",\"status\":"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        omk_buf_puts(&b, parts[i]);
    omk_json_dump_int(&b, req->status);
    omk_buf_puts(&b, ",\"bytes\":");
    omk_json_dump_int(&b, (int64_t)req->bytes);
    omk_buf_puts(&b, ",\"duration_ms\":");
    omk_json_dump_int(&b, (int64_t)(us / 1000));
    const char *const tail[] = {dur, ",\"trace_id\":\"", req->trace_id, "\",\"span_id\":\"",
                                req->span_id, "\"}"};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
        omk_buf_puts(&b, tail[i]);
    if (b.rc == OMK_OK)
        omk_log_access(line);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    omk_req *req = *con_cls;
    if (!req)
        return;
    if (!req->replied)
        req->status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? 0 : 499;
    unpark(req);
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        omk__conns_request_done(req->srv->conns, conn);
    if (req->started || req->replied)
        access_log(req);
    omk_buf_release(&req->body);
    omk_arena_free(req->a);
    free(req);
    *con_cls = NULL;
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    omk_req *req = *con_cls;
    if (!req)
        return MHD_NO;
    if (!req->started) {
        req->started = true;
        req->conn = conn;
        omk__conns_head_done(req->srv->conns, conn);
        req->method = omk_arena_strdup(req->a, method);
        on_head(req);
        return MHD_YES;
    }
    if (*upload_size) {
        req->has_body = true;
        if (!req->early && req->route && (req->route->flags & OMK_ROUTE_BODY)) {
            omk_buf_append(&req->body, upload, *upload_size);
            if (req->body.rc)
                req->early = req->body.rc == OMK_TOOBIG ? OMK_TOOBIG : OMK_NOMEM;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (req->replied)
        return MHD_YES;
    if (req->on_resume) {
        omk_handler fn = req->on_resume;
        req->on_resume = NULL;
        unpark(req); /* MHD_stop_daemon waits for this thread, so the answer still goes out */
        omk_rc rrc = fn(req);
        if (rrc || (!req->replied && !req->on_resume))
            reply_problem(req, rrc ? rrc : OMK_INTERNAL);
        return MHD_YES;
    }
    omk_rc rc = req->early;
    if (!rc && req->serve_static) {
        rc = omk__static_serve(req, req->srv->web_root);
        if (rc)
            reply_problem(req, rc);
        return MHD_YES;
    }
    if (!rc && req->route->flags & OMK_ROUTE_BODY && !req->body.p) {
        omk_buf_puts(&req->body, "");
        req->has_body = req->has_body || false;
    }
    if (!rc && (req->route->flags & (OMK_ROUTE_BODY | OMK_ROUTE_RAW)) == OMK_ROUTE_BODY) {
        json_t *ignored = NULL;
        rc = omk_req_parse_json(req, &ignored);
    }
    if (!rc)
        rc = req->route->fn(req);
    if (rc || (!req->replied && !req->on_resume))
        reply_problem(req, rc ? rc : OMK_INTERNAL);
    return MHD_YES;
}

/* Runs the request logic, then performs a resume that arrived while it ran. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    omk_req *req = *con_cls;
    if (!req)
        return MHD_NO;
    omk_server *srv = req->srv;
    pthread_mutex_lock(&srv->mu);
    req->in_handler = true;
    pthread_mutex_unlock(&srv->mu);
    enum MHD_Result r = handle_request(cls, conn, url, method, version, upload, upload_size,
                                       con_cls);
    pthread_mutex_lock(&srv->mu);
    req->in_handler = false;
    bool resume = req->resume_pending;
    req->resume_pending = false;
    pthread_mutex_unlock(&srv->mu);
    if (resume)
        MHD_resume_connection(conn);
    return r;
}

static omk_rc parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                           bool *v6)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return OMK_INVALID;
    size_t hn = (size_t)(colon - listen);
    memcpy(host, listen, hn);
    host[hn] = 0;
    int64_t port = 0;
    if (!omk_parse_uint(colon + 1, strlen(colon + 1), &port) || port > 65535)
        return OMK_INVALID;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && hn > 2 && host[hn - 1] == ']') {
        host[hn - 1] = 0;
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return OMK_INVALID;
        *len = sizeof *a6;
        *v6 = true;
        return OMK_OK;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return OMK_INVALID;
    *len = sizeof *a4;
    *v6 = false;
    return OMK_OK;
}

omk_rc omk_server_start(const omk_server_config *cfg, omk_server **out)
{
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    bool v6 = false;
    *out = NULL;
    if (parse_listen(cfg->listen, &ss, &sl, &v6))
        return OMK_INVALID;
    omk_server *s = calloc(1, sizeof *s);
    if (!s)
        return OMK_NOMEM;
    char why[200];
    if (omk__origin_init(&s->origin, cfg->public_url, cfg->trusted_proxies, why, sizeof why)) {
        free(s);
        return OMK_INVALID;
    }
    s->cfg = *cfg;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
    if (!s->cfg.body_cap)
        s->cfg.body_cap = DEFAULT_BODY_CAP;
    if (!s->cfg.arena_cap)
        s->cfg.arena_cap = DEFAULT_ARENA_CAP;
    if (s->cfg.threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.threads = cores > 0 ? (int)cores * 4 : 8;
    }
    if (omk__conns_new(&s->cfg, &s->conns, why, sizeof why)) {
        omk__origin_release(&s->origin);
        free(s);
        return OMK_INVALID;
    }
    s->routes = calloc(cfg->nroutes ? cfg->nroutes : 1, sizeof *s->routes);
    if (!s->routes) {
        omk__origin_release(&s->origin);
        omk__conns_free(s->conns);
        free(s);
        return OMK_NOMEM;
    }
    memcpy(s->routes, cfg->routes, cfg->nroutes * sizeof *s->routes);
    s->cfg.routes = s->routes;
    s->literal = calloc(cfg->nroutes ? cfg->nroutes : 1, sizeof *s->literal);
    s->api_len = calloc(cfg->nroutes ? cfg->nroutes : 1, sizeof *s->api_len);
    if (!s->literal || !s->api_len) {
        free_routes(s);
        omk__origin_release(&s->origin);
        omk__conns_free(s->conns);
        free(s);
        return OMK_NOMEM;
    }
    for (size_t i = 0; i < cfg->nroutes; i++) {
        s->literal[i] = strcspn(s->routes[i].pattern, "{");
        s->api_len[i] = s->routes[i].api ? strlen(s->routes[i].api->base) : 0;
    }
    if (cfg->web_dir && !(s->web_root = realpath(cfg->web_dir, NULL))) {
        free_routes(s);
        omk__origin_release(&s->origin);
        omk__conns_free(s->conns);
        free(s);
        return OMK_NOTFOUND;
    }
    if (omk__streams_init(&s->streams)) {
        free_routes(s);
        omk__origin_release(&s->origin);
        omk__conns_free(s->conns);
        free(s);
        return OMK_NOMEM;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, omk__conns_accept, s->conns, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                            MHD_OPTION_CONNECTION_LIMIT, omk__conns_mhd_limit(s->conns),
                            MHD_OPTION_CONNECTION_TIMEOUT, omk__conns_idle_timeout(s->conns),
                            MHD_OPTION_NOTIFY_CONNECTION, omk__conns_notify, s->conns,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->d || omk__conns_start(s->conns)) {
        if (s->d)
            MHD_stop_daemon(s->d);
        free(s->web_root);
        omk__streams_stop(&s->streams);
        omk__streams_destroy(&s->streams);
        free_routes(s);
        omk__origin_release(&s->origin);
        omk__conns_free(s->conns);
        free(s);
        return OMK_IO;
    }
    /* Access lines are batched from here on; if the writer thread cannot start they are
     * written one by one, as before. */
    s->access_batched = omk_log_access_start() == 0;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return OMK_OK;
}

omk_rc omk_server_config_check(const omk_server_config *cfg, char *why, size_t whyn)
{
    omk__origin o;
    omk_rc rc = omk__origin_init(&o, cfg->public_url, cfg->trusted_proxies, why, whyn);
    if (rc)
        return rc;
    omk__origin_release(&o);
    omk__conns *c = NULL;
    rc = omk__conns_new(cfg, &c, why, whyn);
    omk__conns_free(c);
    return rc;
}

int omk_server_port(const omk_server *s)
{
    return s->port;
}

void omk_server_stop(omk_server *s)
{
    if (!s)
        return;
    /* Stop accepting first, then let MHD finish the requests its threads are serving. */
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    /* Parked requests are waiting for the store; let them come back and answer (MHD must not
     * be stopped with suspended connections). */
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    while (s->suspended > 0)
        pthread_cond_wait(&s->idle, &s->mu);
    pthread_mutex_unlock(&s->mu);
    /* Open streams end (their connections are resumed, none stays suspended). */
    omk__streams_stop(&s->streams);
    MHD_stop_daemon(s->d);
    if (s->access_batched)
        omk_log_access_stop(); /* after the last request: writes every waiting line */
    omk__streams_destroy(&s->streams);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->idle);
    free(s->web_root);
    free_routes(s);
    omk__origin_release(&s->origin);
    omk__conns_free(s->conns);
    free(s);
}
