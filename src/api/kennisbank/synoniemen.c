/* The kennisbank's municipality-wide synonym list (/kennisbank/api/v1/synoniemen): groups of
 * terms that mean the same to the people who search ("kliko", "minicontainer", "afvalbak"),
 * kept by the redactie besides each article's own synonyms. The search reads the groups of a
 * query's words in its own read snapshot (omk__kb_synoniemen_voor), so a change counts from
 * the next search on and nothing is reindexed. Handlers run on the server's worker threads;
 * the writes run as jobs on the store's writer. */
#include <stdio.h>
#include <string.h>

#include "kennisbank/kennisbank.h"
#include "omk/search.h"
#include "omk/util.h"

#define KB_BASE "/kennisbank/api/v1"
#define MIN_TERMEN 2
#define MAX_TERMEN 20
/* Fields of a group a client may send back unchanged (from a GET); ignored on a write. */
static const char *const ALLEEN_LEZEN[] = {"uuid", "url", "gewijzigdOp", "gewijzigdDoor"};

omk_rc omk__kb_synoniemen_voor(omk_db *db, omk_arena *a, const char *q, omk_search_synonyms *out)
{
    *out = (omk_search_synonyms){0};
    const char **words = NULL;
    size_t nw = 0, ng = 0;
    omk_synonym_group *groups = NULL;
    omk_rc rc = omk_search_words(a, q, &words, &nw);
    if (!rc)
        rc = omk_db_synonyms_find(db, words, nw, a, &groups, &ng);
    if (rc || !ng)
        return rc;
    omk_search_synonym_group *sg = omk_arena_alloc(a, ng * sizeof *sg);
    if (!sg)
        return OMK_NOMEM;
    for (size_t i = 0; i < ng; i++)
        sg[i] = (omk_search_synonym_group){.terms = groups[i].terms, .n = groups[i].n};
    *out = (omk_search_synonyms){.groups = sg, .ngroups = ng};
    return OMK_OK;
}

/* ---- JSON ---- */

static json_t *group_json(omk_api_ctx *ctx, const omk_synonym_group *g)
{
    json_t *termen = json_array();
    for (size_t i = 0; i < g->n; i++)
        json_array_append_new(termen, json_string(g->terms[i]));
    char op[32];
    omk_time_format(g->gewijzigd_op, op);
    return json_pack("{s:s, s:s, s:o, s:s, s:s}", "uuid", g->uuid, "url",
                     omk_arena_printf(ctx->a, "%s" KB_BASE "/synoniemen/%s", ctx->base_url,
                                      g->uuid),
                     "termen", termen, "gewijzigdOp", op, "gewijzigdDoor", g->gewijzigd_door);
}

/* The group in the body {"termen": [...]}: every term normalised (omk_search_synonym_term),
 * each once. Every problem is collected in ctx, named by its field ("termen", "termen.2"). */
static void group_of(omk_api_ctx *ctx, json_t *body, omk_synonym_group *g)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = strcmp(key, "termen") == 0;
        for (size_t i = 0; i < OMK_COUNT(ALLEEN_LEZEN); i++)
            known = known || strcmp(key, ALLEEN_LEZEN[i]) == 0;
        if (!known)
            omk_api_err_add(ctx, key, "unknown", "Onbekend veld.");
    }
    json_t *termen = json_object_get(body, "termen");
    if (!termen) {
        omk_api_err_add(ctx, "termen", "required", "Dit veld is vereist.");
        return;
    }
    if (!json_is_array(termen)) {
        omk_api_err_add(ctx, "termen", "invalid", "Geef een lijst van termen.");
        return;
    }
    size_t n = json_array_size(termen);
    if (n > MAX_TERMEN) {
        omk_api_err_add(ctx, "termen", "max_length", "Een groep heeft hoogstens 20 termen.");
        return;
    }
    g->terms = omk_arena_alloc(ctx->a, (n ? n : 1) * sizeof *g->terms);
    if (!g->terms)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(termen, i);
        const char *name = omk_arena_printf(ctx->a, "termen.%zu", i);
        char *term = NULL;
        if (!json_is_string(t)) {
            omk_api_err_add(ctx, name, "invalid", "Geen geldige string.");
            continue;
        }
        if (omk_search_synonym_term(ctx->a, json_string_value(t), &term) != OMK_OK || !term) {
            omk_api_err_add(ctx, name, "invalid",
                            "Een term bestaat uit een of meer woorden van letters en cijfers, "
                            "samen hoogstens 100 tekens.");
            continue;
        }
        bool twice = false;
        for (size_t k = 0; k < g->n; k++)
            twice = twice || strcmp(g->terms[k], term) == 0;
        if (twice)
            omk_api_err_add(ctx, name, "unique", "Deze term staat al eerder in de groep.");
        else
            g->terms[g->n++] = term;
    }
    if (!ctx->nerrs && g->n < MIN_TERMEN)
        omk_api_err_add(ctx, "termen", "min_length",
                        "Een groep heeft minstens 2 verschillende termen.");
}

/* ---- handlers ---- */

typedef struct syn_job {
    omk_api_ctx *ctx;
    omk_synonym_group g;
    omk_synonym_group *all;
    size_t n;
    bool create;
} syn_job;

static omk_rc run_list(omk_db *db, void *arg)
{
    syn_job *j = arg;
    return omk_db_synonyms_list(db, j->ctx->a, &j->all, &j->n);
}

static omk_rc run_get(omk_db *db, void *arg)
{
    syn_job *j = arg;
    return omk_db_synonyms_get(db, j->g.uuid, j->ctx->a, &j->g);
}

/* Writes the group, after checking that no term is in another group (each such term named);
 * then reads it back as stored. */
static omk_rc run_put(omk_db *db, void *arg)
{
    syn_job *j = arg;
    omk_synonym_group *other = NULL, old;
    size_t n = 0;
    omk_rc rc = j->create ? OMK_OK : omk_db_synonyms_get(db, j->g.uuid, j->ctx->a, &old);
    if (!rc)
        rc = omk_db_synonyms_find(db, j->g.terms, j->g.n, j->ctx->a, &other, &n);
    for (size_t i = 0; !rc && i < j->g.n; i++)
        for (size_t k = 0; k < n; k++) {
            if (strcmp(other[k].uuid, j->g.uuid) == 0)
                continue;
            for (size_t t = 0; t < other[k].n; t++)
                if (strcmp(other[k].terms[t], j->g.terms[i]) == 0)
                    omk_api_err_add(j->ctx, omk_arena_printf(j->ctx->a, "termen.%zu", i),
                                    "unique",
                                    omk_arena_printf(j->ctx->a,
                                                     "De term \"%s\" staat al in een andere "
                                                     "groep synoniemen.",
                                                     j->g.terms[i]));
        }
    if (!rc && j->ctx->nerrs)
        rc = OMK_INVALID;
    if (!rc)
        rc = omk_db_synonyms_put(db, &j->g);
    if (!rc)
        rc = omk_db_synonyms_get(db, j->g.uuid, j->ctx->a, &j->g);
    return rc;
}

static omk_rc run_delete(omk_db *db, void *arg)
{
    syn_job *j = arg;
    return omk_db_synonyms_delete(db, j->g.uuid);
}

/* GET /synoniemen: every group, oldest first (one page: the list is short). */
static omk_rc synoniemen_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    syn_job j = {.ctx = &ctx};
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    for (size_t i = 0; i < nq; i++)
        omk_api_err_add(&ctx, q[i].key, "unknown", "Onbekende query parameter.");
    omk_rc rc = ctx.nerrs ? OMK_INVALID : omk_store_read(omk__store(req), run_list, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *results = json_array();
    for (size_t i = 0; i < j.n; i++)
        json_array_append_new(results, group_json(&ctx, &j.all[i]));
    return omk_req_reply_json(req, 200,
                              json_pack("{s:I, s:n, s:n, s:o}", "count", (json_int_t)j.n, "next",
                                        "previous", "results", results));
}

/* GET /synoniemen/{uuid} */
static omk_rc synoniemen_read(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    syn_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.g.uuid);
    if (!rc)
        rc = omk_store_read(omk__store(req), run_get, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, group_json(&ctx, &j.g));
}

/* POST /synoniemen and PUT /synoniemen/{uuid} {"termen": [...]}: 201 or 200 with the group. */
static omk_rc synoniemen_write(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    bool create = strcmp(omk_req_method(req), "POST") == 0;
    syn_job j = {.ctx = &ctx, .create = create};
    char uuid[37];
    omk_rc rc = OMK_OK;
    if (create) {
        omk_uuid4(uuid);
        j.g.uuid = uuid;
    } else {
        rc = omk__path_uuid(req, &j.g.uuid);
    }
    if (!rc)
        group_of(&ctx, omk_req_json(req), &j.g);
    if (!rc && ctx.nerrs)
        rc = OMK_INVALID;
    if (!rc && !j.g.terms)
        rc = OMK_NOMEM;
    j.g.gewijzigd_op = omk_now_ms() * 1000;
    j.g.gewijzigd_door = ctx.principal ? ctx.principal : "";
    if (!rc)
        rc = omk_store_write(omk__store(req), run_put, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, create ? 201 : 200, group_json(&ctx, &j.g));
}

/* DELETE /synoniemen/{uuid}: 204. */
static omk_rc synoniemen_delete(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    syn_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.g.uuid);
    if (!rc)
        rc = omk_store_write(omk__store(req), run_delete, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply(req, 204, "application/json", "", 0);
}

size_t omk__kb_synoniemen_routes(const omk_api_info *api, omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", KB_BASE "/synoniemen", synoniemen_list, NULL, api, 0, 0, NULL},
        {"POST", KB_BASE "/synoniemen", synoniemen_write, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KB_BASE "/synoniemen/{uuid}", synoniemen_read, NULL, api, 0, 0, NULL},
        {"PUT", KB_BASE "/synoniemen/{uuid}", synoniemen_write, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"DELETE", KB_BASE "/synoniemen/{uuid}", synoniemen_delete, NULL, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
