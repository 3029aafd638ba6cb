/* The Logboek Dataverwerkingen (Logius standard, spec/standards.md §2): one record per action
 * per data subject, with W3C trace and span ids, the processing activity, the role that acted,
 * and the subject pseudonymised by a keyed hash (the key is made at installation and never
 * leaves the database). Records are written in the same durable transaction that answers the
 * request, before any data is shown. A resident reads who viewed their data and why; the
 * privacy officer (beheerder) searches by BSN with a POST, so no BSN ends up in a URL. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "engine/logboek.h"
#include "engine/doelbinding.h"
#include "omk/util.h"


static const char *rol_omschrijving(const omk_resource *r, const omk_row *row, void *arena)
{
    (void)arena;
    return omk__rol_omschrijving(omk_row_text(r, row, "rol"));
}

static const char *activiteit_omschrijving(const omk_resource *r, const omk_row *row,
                                           void *arena)
{
    (void)arena;
    const omk_verwerkingsactiviteit *a =
        omk__activiteit(omk_row_text(r, row, "verwerkingsactiviteit"));
    return a ? a->omschrijving : "";
}

enum { F_TRACE, F_SPAN, F_PARENT, F_NAAM, F_START, F_EIND, F_STATUS, F_ACT, F_SUBJECT,
       F_SUBJECT_TYPE, F_ROL, F_AANROEPER, F_BRON };

static const omk_field LDV_FIELDS[] = {
    [F_TRACE] = {.json = "traceId", .column = "trace_id", .type = OMK_F_STRING},
    [F_SPAN] = {.json = "spanId", .column = "span_id", .type = OMK_F_STRING},
    [F_PARENT] = {.json = "parentSpanId", .column = "parent_span_id", .type = OMK_F_STRING,
                  .flags = OMK_NULLABLE},
    [F_NAAM] = {.json = "naam", .column = "naam", .type = OMK_F_STRING},
    [F_START] = {.json = "startTijd", .column = "start_ms", .type = OMK_F_INT},
    [F_EIND] = {.json = "eindTijd", .column = "eind_ms", .type = OMK_F_INT},
    [F_STATUS] = {.json = "status", .column = "status", .type = OMK_F_STRING},
    [F_ACT] = {.json = "verwerkingsactiviteit", .column = "verwerkingsactiviteit",
               .type = OMK_F_STRING},
    [F_SUBJECT] = {.json = "betrokkene", .column = "betrokkene", .type = OMK_F_STRING,
                   .flags = OMK_HIDDEN},
    [F_SUBJECT_TYPE] = {.json = "betrokkeneType", .column = "betrokkene_type",
                        .type = OMK_F_STRING},
    [F_ROL] = {.json = "rol", .column = "rol", .type = OMK_F_STRING},
    [F_AANROEPER] = {.json = "aanroeper", .column = "aanroeper", .type = OMK_F_STRING,
                     .flags = OMK_NULLABLE},
    [F_BRON] = {.json = "bron", .column = "bron", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "rolOmschrijving", .type = OMK_F_COMPUTED, .compute = rol_omschrijving},
    {.json = "verwerkingsactiviteitOmschrijving", .type = OMK_F_COMPUTED,
     .compute = activiteit_omschrijving},
};

static const omk_filter LDV_FILTERS[] = {
    {"traceId", "traceId", OMK_OP_EQ},
    {"verwerkingsactiviteit", "verwerkingsactiviteit", OMK_OP_EQ},
    {"rol", "rol", OMK_OP_EQ},
    {"_betrokkene", "betrokkene", OMK_OP_EQ}, /* internal: imposed, never from the query */
};

static const omk_resource VERWERKING = {
    .name = "verwerkingen", .model = "Verwerking", .table = "dataverwerkingen",
    .fields = LDV_FIELDS, .nfields = OMK_COUNT(LDV_FIELDS), .filters = LDV_FILTERS,
    .nfilters = OMK_COUNT(LDV_FILTERS) - 1, /* the query may not name _betrokkene */
    .api_base = "/klantbeeld/api/v1",
};

static const omk_field SETTING_FIELDS[] = {
    {.json = "waarde", .column = "waarde", .type = OMK_F_STRING},
};
static const omk_resource INSTELLING = {
    .name = "instellingen", .model = "Instelling", .table = "instellingen",
    .fields = SETTING_FIELDS, .nfields = 1, .api_base = "",
};

/* ---- pseudonyms ---- */

static pthread_mutex_t g_key_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char g_key[32];
static bool g_have_key;

static omk_rc load_key(omk_db *db, omk_arena *a)
{
    pthread_mutex_lock(&g_key_mu);
    bool have = g_have_key;
    pthread_mutex_unlock(&g_key_mu);
    if (have)
        return OMK_OK;
    omk_cond c = {"naam", {.t = OMK_V_TEXT, .s = "pseudoniemsleutel", .n = 17}};
    omk_query q = {.conds = &c, .nconds = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &INSTELLING, &q, a, &rows, NULL);
    if (rc)
        return rc;
    if (rows.n != 1 || !rows.rows[0].v[0].s ||
        sodium_hex2bin(g_key, sizeof g_key, rows.rows[0].v[0].s, rows.rows[0].v[0].n, NULL, NULL,
                       NULL) != 0)
        return OMK_INTERNAL;
    pthread_mutex_lock(&g_key_mu);
    g_have_key = true;
    pthread_mutex_unlock(&g_key_mu);
    return OMK_OK;
}

omk_rc omk__ldv_pseudonym(omk_db *db, omk_arena *a, const char *type, const char *subject,
                          const char **out)
{
    omk_rc rc = load_key(db, a);
    if (rc)
        return rc;
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, g_key, sizeof g_key, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)type, strlen(type) + 1);
    crypto_generichash_update(&st, (const unsigned char *)subject, strlen(subject));
    crypto_generichash_final(&st, h, sizeof h);
    char *hex = omk_arena_alloc(a, 65);
    if (!hex)
        return OMK_NOMEM;
    sodium_bin2hex(hex, 65, h, sizeof h);
    *out = hex;
    return OMK_OK;
}

/* ---- writing ---- */

omk_rc omk__ldv_write(omk_db *db, omk_arena *a, const omk_ldv_record *recs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const omk_ldv_record *r = &recs[i];
        const char *pseudo = NULL;
        omk_rc rc = omk__ldv_pseudonym(db, a, r->subject_type, r->subject, &pseudo);
        if (rc)
            return rc;
        omk_row *row = omk_row_new(&VERWERKING, a);
        if (!row)
            return OMK_NOMEM;
        omk_uuid4(row->uuid);
        row->v[F_TRACE] = omk_text(r->trace_id);
        row->v[F_SPAN] = omk_text(r->span_id);
        row->v[F_PARENT] = omk_text(r->parent_span_id);
        row->v[F_NAAM] = omk_text(r->naam);
        row->v[F_START] = (omk_value){.t = OMK_V_INT, .i = r->start_ms};
        row->v[F_EIND] = (omk_value){.t = OMK_V_INT, .i = r->eind_ms};
        row->v[F_STATUS] = omk_text(r->status);
        row->v[F_ACT] = omk_text(r->activiteit);
        row->v[F_SUBJECT] = omk_text(pseudo);
        row->v[F_SUBJECT_TYPE] = omk_text(r->subject_type);
        row->v[F_ROL] = omk_text(r->rol);
        row->v[F_AANROEPER] = omk_text(r->aanroeper);
        row->v[F_BRON] = omk_text(r->bron);
        for (size_t k = 0; k < VERWERKING.nfields; k++)
            row->set[k] = true;
        if ((rc = omk_db_insert(db, &VERWERKING, row)))
            return rc;
    }
    return OMK_OK;
}

/* ---- reading ---- */

typedef struct pseudo_job {
    omk_arena *a;
    const char *type, *subject, *out;
} pseudo_job;

static omk_rc pseudo_run(omk_db *db, void *arg)
{
    pseudo_job *j = arg;
    return omk__ldv_pseudonym(db, j->a, j->type, j->subject, &j->out);
}

static omk_rc list_for(omk_req *req, const char *bsn)
{
    pseudo_job j = {.a = omk_req_arena(req), .type = "BSN", .subject = bsn};
    omk_rc rc = omk_store_read(omk__store(req), pseudo_run, &j);
    if (rc)
        return rc;
    static const omk_filter *by_subject = &LDV_FILTERS[OMK_COUNT(LDV_FILTERS) - 1];
    omk_filter_arg f = {by_subject, j.out};
    return omk__res_list_with(req, &f, 1);
}

/* GET verwerkingen: a resident sees the records about themself; the beheerder sees all. */
static omk_rc verwerkingen(omk_req *req)
{
    const char *bsn = omk_req_subject(req);
    if (bsn)
        return list_for(req, bsn);
    if (!omk_req_has_scope(req, "beheerder")) {
        omk_req_fail(req, "permission_denied",
                     "Alleen functioneel beheer mag het logboek van alle betrokkenen inzien.");
        return OMK_FORBIDDEN;
    }
    return omk__res_list(req);
}

/* POST verwerkingen/_zoek {"bsn": "..."}: the beheerder's search for one person. */
static omk_rc verwerkingen_zoek(omk_req *req)
{
    json_t *body = omk_req_json(req);
    const char *code = NULL, *reason = NULL;
    const char *bsn = json_string_value(json_object_get(body, "bsn"));
    if (!bsn)
        reason = "Dit veld is vereist.", code = "required";
    else
        reason = omk__check_bsn(bsn, &code);
    if (!reason && json_object_size(body) != 1)
        reason = "Alleen bsn kan worden opgegeven.", code = "invalid";
    if (reason) {
        omk_req_invalid(req, "bsn", code, reason);
        return OMK_INVALID;
    }
    return list_for(req, bsn); /* the body lives as long as the request */
}

size_t omk__ldv_routes(omk_route *out, size_t cap, const omk_api_info *api)
{
    const omk_route routes[] = {
        {"GET", "/klantbeeld/api/v1/verwerkingen", verwerkingen, &VERWERKING, api,
         0, 0, NULL},
        {"POST", "/klantbeeld/api/v1/verwerkingen/_zoek", verwerkingen_zoek, &VERWERKING, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof routes[0]);
    return n;
}
