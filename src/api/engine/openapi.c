/* The OpenAPI documents of our APIs, served at <base>/openapi.json and <base>/openapi.yaml
 * (NL API Design Rules /core/publish-openapi: public, JSON required, YAML optional). Each
 * capability declares its document in its omk_api_info (embedded at build time from its
 * folder's openapi.json, see CMakeLists.txt); the table of contents adds the two routes for
 * every API that has one and no routes of its own for it (the Klantinteracties API serves the
 * official file in both forms itself). The YAML is rendered from the JSON once, at start-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/openapi.h"
#include "omk/json.h"

#define MAX_DOCS 16
#define MAX_YAML (4u << 20)

typedef struct doc {
    const omk_api_info *api;
    char json_path[160], yaml_path[160];
    size_t json_len;
    char *yaml;
    size_t yaml_len;
} doc;

static doc g_docs[MAX_DOCS];
static size_t g_ndocs;

/* The reference refuses query parameters on its document; so do we, on every API. */
static omk_rc no_query(omk_req *req)
{
    const omk_qparam *q = NULL;
    if (!omk_req_query(req, &q))
        return OMK_OK;
    omk_req_invalid(req, "nonFieldErrors", "unknown-parameters", "Onbekende query parameters.");
    return OMK_INVALID;
}

static omk_rc serve_json(omk_req *req)
{
    const doc *d = omk_req_route(req)->data;
    omk_rc rc = no_query(req);
    return rc ? rc
              : omk_req_reply(req, 200, "application/json", d->api->openapi_json, d->json_len);
}

static omk_rc serve_yaml(omk_req *req)
{
    const doc *d = omk_req_route(req)->data;
    omk_rc rc = no_query(req);
    return rc ? rc : omk_req_reply(req, 200, "application/yaml", d->yaml, d->yaml_len);
}

/* Whether routes[0..n) already serve api's document. */
static bool served(const omk_route *routes, size_t n, const omk_api_info *api)
{
    char path[160];
    snprintf(path, sizeof path, "%s/openapi.json", api->base);
    for (size_t i = 0; i < n; i++)
        if (routes[i].api == api && strcmp(routes[i].pattern, path) == 0)
            return true;
    return false;
}

static bool known(const omk_api_info *api)
{
    for (size_t i = 0; i < g_ndocs; i++)
        if (g_docs[i].api == api)
            return true;
    return false;
}

/* Renders api's YAML into a new entry; OMK_INVALID when its JSON does not parse. */
static omk_rc add_doc(const omk_api_info *api, doc **out)
{
    json_error_t err;
    size_t json_len = api->openapi_len ? api->openapi_len : strlen(api->openapi_json);
    json_t *v = json_loadb(api->openapi_json, json_len, 0, &err);
    if (!v) {
        fprintf(stderr, "omnikanaal: het OpenAPI-document van %s is geen geldige JSON: %s (regel %d)\n",
                api->base, err.text, err.line);
        return OMK_INVALID;
    }
    omk_buf b;
    omk_buf_init(&b, MAX_YAML);
    omk_json_dump_yaml(&b, v);
    json_decref(v);
    size_t len = b.n;
    char *yaml = omk_buf_take(&b); /* kept for the life of the process */
    if (!yaml)
        return OMK_NOMEM;
    doc *d = &g_docs[g_ndocs++];
    d->api = api;
    d->json_len = json_len;
    snprintf(d->json_path, sizeof d->json_path, "%s/openapi.json", api->base);
    snprintf(d->yaml_path, sizeof d->yaml_path, "%s/openapi.yaml", api->base);
    d->yaml = yaml;
    d->yaml_len = len;
    *out = d;
    return OMK_OK;
}

omk_rc omk__openapi_routes(omk_route *routes, size_t *n, size_t cap)
{
    size_t had = *n;
    for (size_t i = 0; i < had; i++) {
        const omk_api_info *api = routes[i].api;
        if (!api || !api->openapi_json || known(api) || served(routes, had, api))
            continue;
        if (g_ndocs == MAX_DOCS || *n + 2 > cap)
            return OMK_TOOBIG;
        doc *d = NULL;
        omk_rc rc = add_doc(api, &d);
        if (rc)
            return rc;
        routes[(*n)++] = (omk_route){"GET", d->json_path, serve_json, d, api, OMK_ROUTE_PUBLIC, 0,
                                     NULL};
        routes[(*n)++] = (omk_route){"GET", d->yaml_path, serve_yaml, d, api, OMK_ROUTE_PUBLIC, 0,
                                     NULL};
    }
    return OMK_OK;
}
