/* Routing of the werkvoorraad as data (/kanalen/api/v1/routeringsregels, /medewerkers): rules
 * that send an item to a team and a skill by kanaal, product, a word in the onderwerp and the
 * language, in the order of their `volgorde`; and the employees' teams, skills, languages,
 * availability and maximum of open items, for the optional automatic assignment (the least
 * busy available employee). Both are declared resources (beheer sets them); evaluation is
 * omk__wv_route, used when an item is created and by POST /routeringsregels/_evalueer. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kanalen/kanalen.h"
#include "omk/util.h"

static const omk_field REGEL_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "volgorde", .column = "volgorde", .type = OMK_F_INT, .min = 0, .max = 100000},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING, .max_len = 50},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .max_len = 200},
    {.json = "onderwerpBevat", .column = "onderwerp_bevat", .type = OMK_F_STRING,
     .max_len = 200},
    {.json = "taal", .column = "taal", .type = OMK_F_STRING, .max_len = 10},
    {.json = "team", .column = "team", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "vaardigheid", .column = "vaardigheid", .type = OMK_F_STRING, .max_len = 200},
    {.json = "automatisch", .column = "automatisch", .type = OMK_F_BOOL, .def = "false"},
};
enum { RG_NAAM, RG_VOLGORDE, RG_KANAAL, RG_PRODUCT, RG_ONDERWERP, RG_TAAL, RG_TEAM,
       RG_VAARDIGHEID, RG_AUTOMATISCH };

static const omk_filter REGEL_FILTERS[] = {
    {"team", "team", OMK_OP_EQ},
    {"kanaal", "kanaal", OMK_OP_EQ},
};

static const omk_hooks regel_hooks;

const omk_resource omk__wv_regel = {
    .name = "routeringsregels", .model = "Routeringsregel", .table = "kanalen_routeringsregels",
    .fields = REGEL_FIELDS, .nfields = OMK_COUNT(REGEL_FIELDS), .filters = REGEL_FILTERS,
    .nfilters = OMK_COUNT(REGEL_FILTERS), .order_column = "volgorde", .order_ascending = true,
    .hooks = &regel_hooks, .api_base = KAN_BASE,
};

/* An integer left out gets its default (the engine's defaults are for text and booleans). */
static void default_int(omk_row *row, int f, int64_t v)
{
    if (row->v[f].t != OMK_V_INT)
        row->v[f] = omk_int(v);
}

static omk_rc regel_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                          const omk_row *old, json_t *body)
{
    (void)db, (void)ctx, (void)r, (void)old, (void)body;
    default_int(row, 1, 100); /* volgorde */
    return OMK_OK;
}

static const omk_hooks regel_hooks = {.apply = regel_apply};

static const omk_field MW_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "teams", .column = "teams", .type = OMK_F_LIST, .max_len = 200},
    {.json = "vaardigheden", .column = "vaardigheden", .type = OMK_F_LIST, .max_len = 200},
    {.json = "talen", .column = "talen", .type = OMK_F_LIST, .max_len = 10},
    {.json = "beschikbaar", .column = "beschikbaar", .type = OMK_F_BOOL, .def = "true"},
    {.json = "maxItems", .column = "max_items", .type = OMK_F_INT, .min = 1, .max = 1000},
};
enum { MW_NAAM, MW_TEAMS, MW_VAARDIGHEDEN, MW_TALEN, MW_BESCHIKBAAR, MW_MAX };

static const omk_filter MW_FILTERS[] = {
    {"naam", "naam", OMK_OP_EQ},
    {"beschikbaar", "beschikbaar", OMK_OP_EQ},
};

static const omk_hooks mw_hooks;

const omk_resource omk__wv_medewerker = {
    .name = "medewerkers", .model = "Medewerker", .table = "kanalen_medewerkers",
    .fields = MW_FIELDS, .nfields = OMK_COUNT(MW_FIELDS), .filters = MW_FILTERS,
    .nfilters = OMK_COUNT(MW_FILTERS), .order_column = "naam", .order_ascending = true,
    .hooks = &mw_hooks, .api_base = KAN_BASE,
};

/* One name per employee: a second with the same name would make "mine" ambiguous. */
static omk_rc mw_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                        const omk_row *old, json_t *body)
{
    (void)body;
    default_int(row, MW_MAX, 10);
    const char *naam = omk_row_text0(r, row, "naam");
    omk_cond c = {"naam", omk_text0(naam)};
    bool exists = false;
    omk_rc rc = omk_db_exists(db, r, &c, 1, old ? old->uuid : NULL, &exists);
    if (!rc && exists) {
        omk_api_err_add(ctx, "naam", "unique", "Er is al een medewerker met deze naam.");
        return OMK_INVALID;
    }
    return rc;
}

static const omk_hooks mw_hooks = {.apply = mw_apply};

/* ---- evaluation ---- */

static bool empty_or_eq(const char *cond, const char *v)
{
    return !cond || !*cond || strcasecmp(cond, v) == 0;
}

/* Case-insensitive substring (ASCII case; enough for Dutch subjects' keywords). */
static bool contains(const char *hay, const char *needle)
{
    if (!needle || !*needle)
        return true;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool matches(const omk_row *r, const omk_wv_vraag *v)
{
    return empty_or_eq(r->v[RG_KANAAL].s, v->kanaal) &&
           empty_or_eq(r->v[RG_PRODUCT].s, v->product) && empty_or_eq(r->v[RG_TAAL].s, v->taal) &&
           contains(v->onderwerp, r->v[RG_ONDERWERP].s);
}

/* Whether the JSON list text `list` holds `v` (an empty v always fits; an empty list of
 * languages means any). */
static bool in_list(const char *list, const char *v, bool empty_is_any)
{
    json_t *a = list ? json_loads(list, 0, NULL) : NULL;
    bool found = empty_is_any && json_array_size(a) == 0;
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
        found = found || (json_is_string(x) && strcasecmp(json_string_value(x), v) == 0);
    json_decref(a);
    return !*v || found;
}

/* Open items each candidate holds (the busy count). */
static omk_rc busy(omk_db *db, omk_arena *a, const char *naam, long long *n)
{
    static const omk_filter F[] = {{"_d", "geclaimd.door", OMK_OP_EQ},
                                   {"_s", "status", OMK_OP_IN}};
    omk_filter_arg f[] = {{&F[0], naam}, {&F[1], "nieuw,in_behandeling,beantwoord"}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = 1};
    omk_rowset rows = {0};
    return omk_db_list(db, &omk__wv_item, &q, a, &rows, n);
}

/* The least busy available employee of `team` with the skill and language, below their
 * maximum; ties by name (the list is by name). NULL when nobody fits. */
static omk_rc least_busy(omk_db *db, omk_arena *a, const char *team, const char *vaardigheid,
                         const char *taal, const char **out)
{
    *out = NULL;
    omk_query q = {.limit = 1000};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__wv_medewerker, &q, a, &rows, NULL);
    long long best = 0;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *m = &rows.rows[i];
        if (!m->v[MW_BESCHIKBAAR].i || !in_list(m->v[MW_TEAMS].s, team, false) ||
            !in_list(m->v[MW_VAARDIGHEDEN].s, vaardigheid, false) ||
            !in_list(m->v[MW_TALEN].s, taal, true))
            continue;
        long long n = 0;
        if ((rc = busy(db, a, m->v[MW_NAAM].s, &n)))
            break;
        if (n >= m->v[MW_MAX].i || (*out && n >= best))
            continue;
        *out = m->v[MW_NAAM].s;
        best = n;
    }
    return rc;
}

omk_rc omk__wv_route(omk_db *db, omk_arena *a, const omk_wv_vraag *v, omk_wv_route *out)
{
    memset(out, 0, sizeof *out);
    out->team = "";
    out->vaardigheid = "";
    omk_query q = {.limit = 1000};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__wv_regel, &q, a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *r = &rows.rows[i];
        if (!matches(r, v))
            continue;
        out->regel = r->uuid;
        out->regel_naam = r->v[RG_NAAM].s;
        out->team = r->v[RG_TEAM].s;
        out->vaardigheid = r->v[RG_VAARDIGHEID].s ? r->v[RG_VAARDIGHEID].s : "";
        out->automatisch = r->v[RG_AUTOMATISCH].i != 0;
        if (out->automatisch)
            rc = least_busy(db, a, out->team, out->vaardigheid, v->taal, &out->medewerker);
        break;
    }
    return rc;
}

/* ---- POST /routeringsregels/_evalueer {kanaal, onderwerp?, product?, taal?} ---- */

typedef struct eval_job {
    omk_api_ctx *ctx;
    omk_wv_vraag v;
    omk_wv_route r;
} eval_job;

static omk_rc eval_read(omk_db *db, void *arg)
{
    eval_job *j = arg;
    return omk__wv_route(db, j->ctx->a, &j->v, &j->r);
}

static omk_rc evaluate(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    eval_job j = {.ctx = &ctx};
    const char *k = omk__kan_text(&ctx, body, "kanaal", "kanaal", 50, true);
    const char *o = omk__kan_text(&ctx, body, "onderwerp", "onderwerp", 200, false);
    const char *p = omk__kan_text(&ctx, body, "product", "product", 200, false);
    const char *t = omk__kan_text(&ctx, body, "taal", "taal", 10, false);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    j.v = (omk_wv_vraag){k ? k : "", o ? o : "", p ? p : "", t ? t : "nld"};
    omk_rc rc = omk_store_read(omk__store(req), eval_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *regel = j.r.regel ? json_pack("{s:s, s:s, s:s}", "uuid", j.r.regel, "url",
                                          omk_res_url(&ctx, &omk__wv_regel, j.r.regel), "naam",
                                          j.r.regel_naam ? j.r.regel_naam : "")
                              : json_null();
    return omk_req_reply_json(
        req, 200,
        json_pack("{s:o, s:s, s:s, s:b, s:s?}", "regel", regel, "team", j.r.team, "vaardigheid",
                  j.r.vaardigheid, "automatisch", j.r.automatisch, "medewerker",
                  j.r.medewerker));
}

size_t omk__routering_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_resource *rg = &omk__wv_regel, *mw = &omk__wv_medewerker;
    const omk_route routes[] = {
        {"POST", KAN_BASE "/routeringsregels/_evalueer", evaluate, rg, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"GET", KAN_BASE "/routeringsregels", omk__res_list, rg, api, 0, 0, NULL},
        {"POST", KAN_BASE "/routeringsregels", omk__res_create, rg, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/routeringsregels/{uuid}", omk__res_read, rg, api, 0, 0, NULL},
        {"PUT", KAN_BASE "/routeringsregels/{uuid}", omk__res_put, rg, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"PATCH", KAN_BASE "/routeringsregels/{uuid}", omk__res_patch, rg, api, OMK_ROUTE_BODY,
         0, NULL},
        {"DELETE", KAN_BASE "/routeringsregels/{uuid}", omk__res_delete, rg, api, 0, 0, NULL},
        {"GET", KAN_BASE "/medewerkers", omk__res_list, mw, api, 0, 0, NULL},
        {"POST", KAN_BASE "/medewerkers", omk__res_create, mw, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/medewerkers/{uuid}", omk__res_read, mw, api, 0, 0, NULL},
        {"PUT", KAN_BASE "/medewerkers/{uuid}", omk__res_put, mw, api, OMK_ROUTE_BODY, 0, NULL},
        {"PATCH", KAN_BASE "/medewerkers/{uuid}", omk__res_patch, mw, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"DELETE", KAN_BASE "/medewerkers/{uuid}", omk__res_delete, mw, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
