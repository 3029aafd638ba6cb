/* Heldere doelen (seed 5.5): SMART goals with owner, KPI, baseline, target, deadline and level
 * (strategisch → tactisch → operationeel, each under a goal of the level above), their
 * progress computed from the KPIs, and the PDCA log per goal; and the tariff table the cost
 * per contact is computed with. Declared resources on the generic engine; only the rules and
 * the progress are written here. Any worker thread. */
#include <math.h>
#include <string.h>

#include "omk/calendar.h"
#include "omk/util.h"
#include "sturing/sturing.h"

/* ---- tariffs ---- */

static const omk_field TARIEF_FIELDS[] = {
    [ST_TARIEF_KANAAL] = {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING,
                          .flags = OMK_RO},
    [ST_TARIEF_BEDRAG] = {.json = "bedragInCenten", .column = "bedrag_cent", .type = OMK_F_INT,
                          .flags = OMK_NULLABLE, .min = 0, .max = 1000000},
    [ST_TARIEF_BRON] = {.json = "bron", .column = "bron", .type = OMK_F_STRING, .max_len = 500},
};

const omk_resource omk__st_tarief = {
    .name = "tarieven", .model = "Tarief", .table = "sturing_tarieven",
    .fields = TARIEF_FIELDS, .nfields = OMK_COUNT(TARIEF_FIELDS), .api_base = ST_BASE,
    .order_ascending = true,
};

omk_rc omk__st_tarieven(omk_db *db, omk_arena *a, st_tarief **out, size_t *n)
{
    omk_query q = {0};
    omk_rowset rows = {0};
    *n = 0;
    omk_rc rc = omk_db_list(db, &omk__st_tarief, &q, a, &rows, NULL);
    if (rc)
        return rc;
    *out = omk_arena_alloc(a, (rows.n + 1) * sizeof **out);
    if (!*out)
        return OMK_NOMEM;
    for (size_t i = 0; i < rows.n; i++) {
        const omk_value *v = rows.rows[i].v;
        if (v[ST_TARIEF_BEDRAG].t == OMK_V_INT)
            (*out)[(*n)++] = (st_tarief){v[ST_TARIEF_KANAAL].s, v[ST_TARIEF_BEDRAG].i};
    }
    return OMK_OK;
}

const st_tarief *omk__st_tarief_van(const st_tarief *t, size_t n, const char *kanaal)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].kanaal, kanaal) == 0)
            return &t[i];
    return NULL;
}

/* ---- goals ---- */

static const char *const NIVEAUS[] = {"strategisch", "tactisch", "operationeel", NULL};
static const char *const FASEN[] = {"plan", "do", "check", "act", NULL};

enum {
    D_TITEL, D_EIGENAAR, D_KPI, D_KANAAL, D_AFDELING, D_ONDERWERP, D_NIVEAU, D_HOOFDDOEL,
    D_NULMETING, D_STREEF, D_START, D_DEADLINE, D_TOELICHTING, D_PDCA
};

static const char *check_kpi(const char *v, const char **code)
{
    *code = "invalid_choice";
    return omk__st_kpi_eenheid(v) ? NULL
                                  : "Geen bekende KPI; zie /sturing/api/v1/kpis/_definities.";
}

static const omk_field PDCA_FIELDS[] = {
    {.json = "doel", .column = "doel", .type = OMK_F_REF, .flags = OMK_REQ,
     .target = &omk__st_doel},
    {.json = "fase", .column = "fase", .type = OMK_F_ENUM, .flags = OMK_REQ, .choices = FASEN},
    {.json = "tekst", .column = "tekst", .type = OMK_F_STRING, .flags = OMK_REQ,
     .max_len = 4000},
    {.json = "door", .column = "door", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
};

static const omk_filter PDCA_FILTERS[] = {{"doel", "doel", OMK_OP_EQ}};

/* The author of a PDCA entry is whoever writes it, never what the body says. */
static omk_rc pdca_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                         const omk_row *old, json_t *body)
{
    (void)db, (void)old, (void)body;
    omk_row_set_text(ctx, r, row, "door", ctx->principal ? ctx->principal : "");
    return OMK_OK;
}

static const omk_hooks PDCA_HOOKS = {.apply = pdca_apply};

const omk_resource omk__st_pdca = {
    .name = "pdca", .model = "PDCA-stap", .table = "sturing_pdca", .fields = PDCA_FIELDS,
    .nfields = OMK_COUNT(PDCA_FIELDS), .filters = PDCA_FILTERS,
    .nfilters = OMK_COUNT(PDCA_FILTERS), .hooks = &PDCA_HOOKS, .api_base = ST_BASE,
    .order_ascending = true,
};

static const omk_field DOEL_FIELDS[] = {
    [D_TITEL] = {.json = "titel", .column = "titel", .type = OMK_F_STRING, .flags = OMK_REQ,
                 .max_len = 200},
    [D_EIGENAAR] = {.json = "eigenaar", .column = "eigenaar", .type = OMK_F_STRING,
                    .flags = OMK_REQ, .max_len = 200},
    [D_KPI] = {.json = "kpi", .column = "kpi", .type = OMK_F_STRING, .flags = OMK_REQ,
               .max_len = 50, .check = check_kpi},
    [D_KANAAL] = {.json = "filter.kanaal", .column = "kanaal", .type = OMK_F_STRING,
                  .max_len = 200},
    [D_AFDELING] = {.json = "filter.afdeling", .column = "afdeling", .type = OMK_F_STRING,
                    .max_len = 200},
    [D_ONDERWERP] = {.json = "filter.onderwerp", .column = "onderwerp", .type = OMK_F_STRING,
                     .max_len = 200},
    [D_NIVEAU] = {.json = "niveau", .column = "niveau", .type = OMK_F_ENUM, .flags = OMK_REQ,
                  .choices = NIVEAUS},
    [D_HOOFDDOEL] = {.json = "hoofddoel", .column = "hoofddoel", .type = OMK_F_REF,
                     .flags = OMK_NULLABLE, .target = &omk__st_doel},
    [D_NULMETING] = {.json = "nulmeting", .column = "nulmeting", .type = OMK_F_INT,
                     .flags = OMK_REQ, .min = -1000000000, .max = 1000000000},
    [D_STREEF] = {.json = "streefwaarde", .column = "streefwaarde", .type = OMK_F_INT,
                  .flags = OMK_REQ, .min = -1000000000, .max = 1000000000},
    [D_START] = {.json = "startdatum", .column = "startdatum", .type = OMK_F_DATE,
                 .flags = OMK_REQ},
    [D_DEADLINE] = {.json = "deadline", .column = "deadline", .type = OMK_F_DATE,
                    .flags = OMK_REQ},
    [D_TOELICHTING] = {.json = "toelichting", .column = "toelichting", .type = OMK_F_STRING,
                       .max_len = 2000},
    [D_PDCA] = {.json = "pdca", .type = OMK_F_REVERSE, .flags = OMK_RO | OMK_EMBED,
                .target = &omk__st_pdca, .via = "doel"},
};

/* The KPI's narrowing: "" = all. */
static const omk_group DOEL_GROUPS[] = {{.prefix = "filter"}};

static const omk_filter DOEL_FILTERS[] = {
    {"niveau", "niveau", OMK_OP_EQ},
    {"kpi", "kpi", OMK_OP_EQ},
    {"eigenaar", "eigenaar", OMK_OP_EQ},
    {"hoofddoel", "hoofddoel", OMK_OP_EQ},
};

static int niveau_rang(const char *n)
{
    for (int i = 0; NIVEAUS[i]; i++)
        if (strcmp(NIVEAUS[i], n) == 0)
            return i;
    return -1;
}

/* SMART: the target differs from the baseline and the deadline follows the start. */
static void doel_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                       json_t *body)
{
    (void)old, (void)body;
    const omk_value *v = row->v;
    if (v[D_NULMETING].t == OMK_V_INT && v[D_STREEF].t == OMK_V_INT &&
        v[D_NULMETING].i == v[D_STREEF].i)
        omk_api_err_add(ctx, "streefwaarde", "invalid",
                        "De streefwaarde moet verschillen van de nulmeting (meetbaar doel).");
    const char *start = omk_row_text0(r, row, "startdatum");
    const char *eind = omk_row_text0(r, row, "deadline");
    if (*start && *eind && strcmp(eind, start) <= 0)
        omk_api_err_add(ctx, "deadline", "invalid",
                        "De deadline moet na de startdatum liggen (tijdgebonden doel).");
}

/* Cascading: a strategic goal has no hoofddoel; a tactical or operational one hangs under a
 * goal exactly one level up. */
static omk_rc doel_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                         const omk_row *old, json_t *body)
{
    (void)old, (void)body;
    int rang = niveau_rang(omk_row_text0(r, row, "niveau"));
    const char *ouder = omk_row_text(r, row, "hoofddoel");
    if (!ouder) {
        if (rang > 0)
            omk_api_err_add(ctx, "hoofddoel", "required",
                            "Een tactisch of operationeel doel hoort bij een hoofddoel één "
                            "niveau hoger.");
        return ctx->nerrs ? OMK_INVALID : OMK_OK;
    }
    if (strcmp(ouder, row->uuid) == 0) {
        omk_api_err_add(ctx, "hoofddoel", "invalid",
                        "Een doel kan niet zijn eigen hoofddoel zijn.");
        return OMK_INVALID;
    }
    omk_row *p = NULL;
    omk_rc rc = omk_db_get(db, r, ouder, ctx->a, &p);
    if (rc == OMK_NOTFOUND) {
        omk_api_err_add(ctx, "hoofddoel", "does_not_exist", "Doel object bestaat niet.");
        return OMK_INVALID;
    }
    if (rc)
        return rc;
    if (niveau_rang(omk_row_text0(r, p, "niveau")) != rang - 1) {
        omk_api_err_add(ctx, "hoofddoel", "invalid",
                        rang == 0 ? "Een strategisch doel heeft geen hoofddoel."
                                  : "Het hoofddoel moet precies één niveau hoger liggen "
                                    "(strategisch → tactisch → operationeel).");
        return OMK_INVALID;
    }
    return OMK_OK;
}

/* A goal's narrowing of its KPI: "" means every value (NULL for the filter). */
static const char *leeg_is_alle(const omk_resource *r, const omk_row *row, const char *json)
{
    const char *v = omk_row_text0(r, row, json);
    return *v ? v : NULL;
}

/* The progress: the KPI now (from the start date to today, or to the deadline once past it),
 * how far it has come from the baseline to the target, and whether it is reached. */
static omk_rc doel_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                            const omk_row *row, json_t *obj)
{
    char vandaag[11];
    omk_cal_format(omk_cal_local_day(omk_now_ms() * 1000), vandaag);
    const char *deadline = omk_row_text0(r, row, "deadline");
    const char *tot = strcmp(vandaag, deadline) < 0 ? vandaag : deadline;
    omk_sturing_filter f = {.van = omk_row_text0(r, row, "startdatum"), .tot = tot,
                            .kanaal = leeg_is_alle(r, row, "filter.kanaal"),
                            .afdeling = leeg_is_alle(r, row, "filter.afdeling"),
                            .onderwerp = leeg_is_alle(r, row, "filter.onderwerp")};
    double w = 0;
    bool heeft = false;
    omk_rc rc = strcmp(f.van, f.tot) <= 0
                    ? omk__st_kpi_waarde(db, ctx->a, omk_row_text0(r, row, "kpi"), &f, &w, &heeft)
                    : OMK_OK;
    if (rc)
        return rc;
    double nul = (double)row->v[D_NULMETING].i, streef = (double)row->v[D_STREEF].i;
    double deel = heeft ? (w - nul) / (streef - nul) * 100.0 : 0;
    bool behaald = heeft && (streef > nul ? w >= streef : w <= streef);
    const char *status = !heeft ? "geen-meting" : behaald ? "behaald"
                         : strcmp(vandaag, deadline) > 0 ? "niet-behaald" : "loopt";
    json_object_set_new(obj, "voortgang",
                        json_pack("{s:o, s:s, s:s, s:o, s:s}", "huidigeWaarde",
                                  heeft ? json_real(round(w * 100) / 100) : json_null(), "van",
                                  f.van, "tot", f.tot, "procentVanDoel",
                                  heeft ? json_real(round(deel * 10) / 10) : json_null(),
                                  "status", status));
    return OMK_OK;
}

static const omk_hooks DOEL_HOOKS = {
    .check = doel_check, .apply = doel_apply, .decorate = doel_decorate};

const omk_resource omk__st_doel = {
    .name = "doelen", .model = "Doel", .table = "sturing_doelen", .fields = DOEL_FIELDS,
    .nfields = OMK_COUNT(DOEL_FIELDS), .groups = DOEL_GROUPS,
    .ngroups = OMK_COUNT(DOEL_GROUPS), .filters = DOEL_FILTERS,
    .nfilters = OMK_COUNT(DOEL_FILTERS), .hooks = &DOEL_HOOKS, .api_base = ST_BASE,
    .order_ascending = true,
};

/* Reading goals shows their progress: the rollups are brought up to date first. */
static omk_rc doelen_lijst(omk_req *req)
{
    omk_rc rc = omk__st_bijwerken(omk__store(req), NULL);
    return rc ? rc : omk__res_list(req);
}

static omk_rc doel_lezen(omk_req *req)
{
    omk_rc rc = omk__st_bijwerken(omk__store(req), NULL);
    return rc ? rc : omk__res_read(req);
}

size_t omk__st_doel_routes(omk_route *out, size_t cap)
{
    const omk_resource *d = &omk__st_doel, *p = &omk__st_pdca, *t = &omk__st_tarief;
    const omk_api_info *api = &omk__st_api;
    const omk_route routes[] = {
        {"GET", ST_BASE "/doelen", doelen_lijst, d, api, 0, 0, NULL},
        {"POST", ST_BASE "/doelen", omk__res_create, d, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", ST_BASE "/doelen/{uuid}", doel_lezen, d, api, 0, 0, NULL},
        {"PUT", ST_BASE "/doelen/{uuid}", omk__res_put, d, api, OMK_ROUTE_BODY, 0, NULL},
        {"PATCH", ST_BASE "/doelen/{uuid}", omk__res_patch, d, api, OMK_ROUTE_BODY, 0, NULL},
        {"DELETE", ST_BASE "/doelen/{uuid}", omk__res_delete, d, api, 0, 0, NULL},
        {"GET", ST_BASE "/pdca", omk__res_list, p, api, 0, 0, NULL},
        {"POST", ST_BASE "/pdca", omk__res_create, p, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", ST_BASE "/pdca/{uuid}", omk__res_read, p, api, 0, 0, NULL},
        {"GET", ST_BASE "/tarieven", omk__res_list, t, api, 0, 0, NULL},
        {"GET", ST_BASE "/tarieven/{uuid}", omk__res_read, t, api, 0, 0, NULL},
        {"PATCH", ST_BASE "/tarieven/{uuid}", omk__res_patch, t, api, OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
