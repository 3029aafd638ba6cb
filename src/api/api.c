/* The API layer's table of contents: gathers every capability's routes into one table (the
 * platform's own, the register, the kennisbank, the klantbeeld, the channels, sessions and the
 * residents' API), binds each to its rule of the access matrix, and refuses to serve when a
 * route has no rule or the table is full. Built once; the table is read-only afterwards. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/logboek.h"
#include "engine/openapi.h"
#include "engine/toegang.h"
#include "avg/avg.h"
#include "kanalen/kanalen.h"
#include "kennisbank/kennisbank.h"
#include "klantbeeld/klantbeeld.h"
#include "klantinteracties/klantinteracties.h"
#include "mijn/mijn.h"
#include "sturing/sturing.h"
#include "werkplek/werkplek.h"

#define MAX_ROUTES 400

static omk_route g_routes[MAX_ROUTES];
static size_t g_nroutes;
static bool g_full;  /* a capability had more routes than the table holds */
static bool g_bound; /* every route bound to its access rule */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* GET /healthz (liveness: restart the process when it fails): the process answers and reads
 * its database. The body says whether the storage can keep writes (see /readyz). */
static omk_rc healthz(omk_req *req)
{
    int v = 0;
    omk_rc rc = omk_store_schema_version(omk__store(req), &v);
    if (rc)
        return rc;
    char why[256];
    omk_rc st = omk_store_storage(omk__store(req), why, sizeof why);
    json_t *body = json_pack("{s:s, s:i, s:s}", "status", "ok", "schema", v, "opslag",
                             st ? why : "ok");
    return omk_req_reply_json(req, 200, body);
}

/* GET /readyz (readiness: send no traffic while it fails): the database can keep a write —
 * its file is there (not removed or replaced), writable, with the reserve free, and the last
 * commit did not fail. 503 with the reason otherwise; writes are refused meanwhile. */
static omk_rc readyz(omk_req *req)
{
    char why[256];
    omk_rc rc = omk_store_storage(omk__store(req), why, sizeof why);
    if (rc) {
        omk_req_fail(req, rc == OMK_FULL ? "opslag_vol" : "opslag_niet_beschikbaar", why);
        return OMK_UNAVAILABLE;
    }
    int v = 0;
    if ((rc = omk_store_schema_version(omk__store(req), &v)))
        return rc;
    return omk_req_reply_json(req, 200, json_pack("{s:s, s:i}", "status", "gereed", "schema", v));
}

static size_t platform_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", "/healthz", healthz, NULL, NULL, OMK_ROUTE_PUBLIC, 0, NULL},
        {"GET", "/readyz", readyz, NULL, NULL, OMK_ROUTE_PUBLIC, 0, NULL},
    };
    size_t n = sizeof routes / sizeof routes[0] < cap ? sizeof routes / sizeof routes[0] : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}

/* Every capability's routes, in matching order (a capability's own order is kept). */
static size_t (*const CAPABILITIES[])(omk_route *out, size_t cap) = {
    platform_routes, omk__ki_routes,   omk__kb_routes,   omk__klantbeeld_routes,
    omk__kan_routes, omk__auth_routes, omk__oidc_routes, omk__mijn_routes, omk__werkplek_routes,
    omk__avg_routes,
    omk__sturing_routes,
};

static void build_routes(void)
{
    for (size_t i = 0; i < sizeof CAPABILITIES / sizeof CAPABILITIES[0]; i++) {
        size_t cap = MAX_ROUTES - g_nroutes;
        size_t n = CAPABILITIES[i](g_routes + g_nroutes, cap);
        if (n == cap)
            g_full = true; /* it may have had more: refuse rather than drop silently */
        g_nroutes += n;
    }
    omk_rc docs = g_full ? OMK_OK : omk__openapi_routes(g_routes, &g_nroutes, MAX_ROUTES);
    if (docs == OMK_TOOBIG)
        g_full = true;
    if (g_full)
        fprintf(stderr, "omnikanaal: de routetabel is vol (%d routes); verhoog MAX_ROUTES\n",
                MAX_ROUTES);
    g_bound = !g_full && docs == OMK_OK && omk__toegang_bind(g_routes, g_nroutes) == OMK_OK;
    omk__ldv_configure(&omk__ki_partij_identificator);
}

const omk_route *omk_api_routes(size_t *n)
{
    pthread_once(&g_once, build_routes);
    *n = g_bound ? g_nroutes : 0;
    return g_bound ? g_routes : NULL;
}

omk_rc omk_api_authorize(void *ctx, omk_req *req)
{
    return omk__toegang_authorize(ctx, req);
}

char *omk_api_access_matrix(bool markdown)
{
    if (markdown)
        return omk__toegang_markdown();
    size_t n = 0;
    const omk_route *routes = omk_api_routes(&n);
    if (!routes)
        return NULL;
    json_t *m = omk__toegang_json(routes, n);
    char *text = m ? json_dumps(m, JSON_INDENT(2)) : NULL;
    json_decref(m);
    return text;
}
