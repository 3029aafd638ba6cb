/* Requests under the AVG (art. 15–21) as tasks with their statutory term (art. 12(3)): an
 * answer within one month of receipt, extendable once by two months when the data subject is
 * told so within that first month. The privacy officer registers each request, sees the open
 * ones by deadline (how many days are left, which are late), extends one in time, and records
 * the decision. Every step reads or changes personal data (the requester's BSN): each is in the
 * Logboek for that person. Any worker thread. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "avg/avg_int.h"
#include "engine/logboek.h"
#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

#define MAX_LIST 500
#define MAX_PARTIJEN 100

static const char *const SOORTEN[] = {"inzage", "rectificatie", "wissen", "beperking",
                                      "bezwaar", "overdracht", NULL};
static const char *const BESLUITEN[] = {"toegewezen", "deels_toegewezen", "afgewezen", NULL};

static const omk_field FIELDS[] = {
    {.json = "soort", .column = "soort", .type = OMK_F_STRING},
    {.json = "bsn", .column = "bsn", .type = OMK_F_STRING},
    {.json = "ontvangenOp", .column = "ontvangen_op", .type = OMK_F_DATETIME},
    {.json = "termijn", .column = "termijn", .type = OMK_F_DATETIME},
    {.json = "verlengd", .column = "verlengd", .type = OMK_F_BOOL},
    {.json = "verlengingReden", .column = "verlenging_reden", .type = OMK_F_STRING},
    {.json = "status", .column = "status", .type = OMK_F_STRING},
    {.json = "besluit", .column = "besluit", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "toelichting", .column = "toelichting", .type = OMK_F_STRING},
    {.json = "afgehandeldOp", .column = "afgehandeld_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "uitvoering", .column = "uitvoering", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
};
enum { V_SOORT, V_BSN, V_ONTVANGEN, V_TERMIJN, V_VERLENGD, V_REDEN, V_STATUS, V_BESLUIT,
       V_TOELICHTING, V_AFGEHANDELD, V_UITVOERING };
static const omk_resource VERZOEK = {
    .name = "verzoeken", .model = "Verzoek", .table = "avg_verzoeken", .fields = FIELDS,
    .nfields = OMK_COUNT(FIELDS), .api_base = "/avg/api/v1",
};

static bool one_of(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* us plus `maanden` calendar months (31 januari + 1 maand = 3 maart, as mktime normalises;
 * art. 12(3) counts in months). */
static int64_t plus_months(int64_t us, int maanden)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_mon += maanden;
    return (int64_t)timegm(&tm) * 1000000 + us % 1000000;
}

/* The request as the API shows it, with the days left to its term (negative: late). */
static json_t *verzoek_json(omk_api_ctx *ctx, const omk_row *row)
{
    char ontvangen[32], termijn[32], af[32] = "";
    omk_time_format(row->v[V_ONTVANGEN].i, ontvangen);
    omk_time_format(row->v[V_TERMIJN].i, termijn);
    if (row->v[V_AFGEHANDELD].t == OMK_V_INT)
        omk_time_format(row->v[V_AFGEHANDELD].i, af);
    int64_t left_us = row->v[V_TERMIJN].i - omk_now_ms() * 1000;
    json_int_t dagen = (json_int_t)(left_us / 86400000000LL) - (left_us < 0 ? 1 : 0);
    bool open = strcmp(row->v[V_STATUS].s, "open") == 0;
    json_t *uitvoering = row->v[V_UITVOERING].t == OMK_V_TEXT
                             ? json_loads(row->v[V_UITVOERING].s, 0, NULL)
                             : NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:s, s:s?, s:o, s:b,"
                     " s:o}",
                     "uuid", row->uuid, "url",
                     omk_arena_printf(ctx->a, "%s/avg/api/v1/verzoeken/%s", ctx->base_url,
                                      row->uuid),
                     "soort", row->v[V_SOORT].s, "bsn", row->v[V_BSN].s, "ontvangenOp",
                     ontvangen, "termijn", termijn, "verlengd", row->v[V_VERLENGD].i != 0,
                     "verlengingReden", row->v[V_REDEN].s ? row->v[V_REDEN].s : "", "status",
                     row->v[V_STATUS].s, "besluit",
                     row->v[V_BESLUIT].t == OMK_V_TEXT ? row->v[V_BESLUIT].s : NULL,
                     "toelichting", row->v[V_TOELICHTING].s ? row->v[V_TOELICHTING].s : "",
                     "afgehandeldOp", *af ? af : NULL, "dagenOver",
                     open ? json_integer(dagen) : json_null(), "teLaat", open && left_us < 0,
                     "uitvoering", uitvoering ? uitvoering : json_null());
}

typedef struct verzoek_job {
    omk_api_ctx *ctx;
    const char *uuid, *reden, *besluit, *toelichting;
    const char *status; /* list: the status asked for */
    bool verlengen;
    omk_row *row;
    omk_rowset rows;
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} verzoek_job;

/* The Logboek action of this request, for the requester's BSN (added later). */
static omk_rc begin_log(omk_req *req, verzoek_job *j, const char *naam)
{
    omk_rc rc = omk__ldv_begin(req, &j->ldv);
    if (!rc && j->ldv && !(j->actie = omk__ldv_actie(j->ldv, naam, NULL, NULL)))
        rc = OMK_NOMEM;
    return rc;
}

static omk_rc create_write(omk_db *db, void *arg)
{
    verzoek_job *j = arg;
    omk_rc rc = omk_db_insert(db, &VERZOEK, j->row);
    if (!rc)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_BSN, j->row->v[V_BSN].s);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* POST /verzoeken {soort, bsn, ontvangenOp?, toelichting?} */
static omk_rc verzoek_create(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    const char *soort = json_string_value(json_object_get(body, "soort"));
    const char *bsn = json_string_value(json_object_get(body, "bsn"));
    const char *ontvangen = json_string_value(json_object_get(body, "ontvangenOp"));
    const char *toelichting = json_string_value(json_object_get(body, "toelichting"));
    if (!one_of(SOORTEN, soort))
        omk_api_err_add(&ctx, "soort", soort ? "invalid_choice" : "required",
                        soort ? omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.", soort)
                              : "Dit veld is vereist.");
    const char *code = "required", *why = bsn ? omk__check_bsn(bsn, &code) : "Dit veld is vereist.";
    if (why)
        omk_api_err_add(&ctx, "bsn", code, why);
    int64_t at = omk_now_ms() * 1000;
    if (json_object_get(body, "ontvangenOp") &&
        (!ontvangen || !omk_time_parse(ontvangen, strlen(ontvangen), &at)))
        omk_api_err_add(&ctx, "ontvangenOp", "invalid", "Datetime heeft een ongeldig formaat.");
    if (toelichting && strlen(toelichting) > 4000)
        omk_api_err_add(&ctx, "toelichting", "max_length",
                        "Zorg ervoor dat dit veld niet meer dan 4000 karakters bevat.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    verzoek_job j = {.ctx = &ctx, .row = omk_row_new(&VERZOEK, ctx.a)};
    if (!j.row)
        return OMK_NOMEM;
    omk_uuid4(j.row->uuid);
    j.row->v[V_SOORT] = omk_text(soort);
    j.row->v[V_BSN] = omk_text(bsn);
    j.row->v[V_ONTVANGEN] = omk_int(at);
    j.row->v[V_TERMIJN] = omk_int(plus_months(at, 1));
    j.row->v[V_VERLENGD] = omk_int(0);
    j.row->v[V_REDEN] = omk_text("");
    j.row->v[V_STATUS] = omk_text("open");
    j.row->v[V_BESLUIT] = (omk_value){.t = OMK_V_NULL};
    j.row->v[V_TOELICHTING] = omk_text(toelichting ? toelichting : "");
    j.row->v[V_AFGEHANDELD] = (omk_value){.t = OMK_V_NULL};
    j.row->v[V_UITVOERING] = (omk_value){.t = OMK_V_NULL};
    omk_rc rc = begin_log(req, &j, "AVG-verzoek registreren");
    if (!rc)
        rc = omk_store_write(omk__store(req), create_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = verzoek_json(&ctx, j.row);
    return out ? omk_req_reply_json(req, 201, out) : OMK_NOMEM;
}

static omk_rc list_read(omk_db *db, void *arg)
{
    verzoek_job *j = arg;
    omk_cond c = {"status", omk_text(j->status ? j->status : "open")};
    omk_query query = {.conds = &c, .nconds = 1, .limit = MAX_LIST};
    return omk_db_list(db, &VERZOEK, &query, j->ctx->a, &j->rows, NULL);
}

static int by_termijn(const void *a, const void *b)
{
    int64_t x = ((const omk_row *)a)->v[V_TERMIJN].i, y = ((const omk_row *)b)->v[V_TERMIJN].i;
    return x < y ? -1 : x > y;
}

/* GET /verzoeken?status=open|afgehandeld: by deadline, the most urgent first. */
static omk_rc verzoek_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    verzoek_job j = {.ctx = &ctx};
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].key, "status") == 0 && (strcmp(q[i].value, "open") == 0 ||
                                                strcmp(q[i].value, "afgehandeld") == 0))
            j.status = q[i].value;
        else
            omk_api_err_add(&ctx, strcmp(q[i].key, "status") ? "nonFieldErrors" : "status",
                            strcmp(q[i].key, "status") ? "unknown-parameters" : "invalid_choice",
                            strcmp(q[i].key, "status")
                                ? omk_arena_printf(ctx.a, "Onbekende query parameters: %s", q[i].key)
                                : "Kies open of afgehandeld.");
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_rc rc = begin_log(req, &j, "AVG-verzoeken opvragen");
    if (!rc)
        rc = omk_store_read(omk__store(req), list_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    if (j.rows.n)
        qsort(j.rows.rows, j.rows.n, sizeof *j.rows.rows, by_termijn);
    json_t *results = json_array();
    for (size_t i = 0; results && i < j.rows.n; i++) {
        json_array_append_new(results, verzoek_json(&ctx, &j.rows.rows[i]));
        rc = omk__ldv_persoon(j.actie, OMK_LDV_BSN, j.rows.rows[i].v[V_BSN].s);
        if (rc) {
            json_decref(results);
            return rc;
        }
    }
    json_t *out = results ? json_pack("{s:I, s:o}", "count", (json_int_t)j.rows.n, "results",
                                      results)
                          : NULL;
    return out ? omk__ldv_reply_json(req, j.ldv, 200, out) : OMK_NOMEM;
}

static omk_rc one_read(omk_db *db, void *arg)
{
    verzoek_job *j = arg;
    return omk_db_get(db, &VERZOEK, j->uuid, j->ctx->a, &j->row);
}

/* GET /verzoeken/{uuid} */
static omk_rc verzoek_read(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    verzoek_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = begin_log(req, &j, "AVG-verzoek raadplegen");
    if (!rc)
        rc = omk_store_read(omk__store(req), one_read, &j);
    if (!rc)
        rc = omk__ldv_persoon(j.actie, OMK_LDV_BSN, j.row->v[V_BSN].s);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = verzoek_json(&ctx, j.row);
    return out ? omk__ldv_reply_json(req, j.ldv, 200, out) : OMK_NOMEM;
}

static omk_rc change_write(omk_db *db, void *arg)
{
    verzoek_job *j = arg;
    omk_rc rc = omk_db_get(db, &VERZOEK, j->uuid, j->ctx->a, &j->row);
    if (rc)
        return rc;
    omk_row *r = j->row;
    if (strcmp(r->v[V_STATUS].s, "open") != 0) {
        j->ctx->fail_detail = "Dit verzoek is al afgehandeld.";
        return OMK_CONFLICT;
    }
    int64_t now = omk_now_ms() * 1000;
    if (j->verlengen) {
        if (r->v[V_VERLENGD].i) {
            j->ctx->fail_detail = "Dit verzoek is al verlengd; dat kan één keer (AVG art. 12 lid 3).";
            return OMK_CONFLICT;
        }
        if (now > r->v[V_TERMIJN].i) {
            j->ctx->fail_detail = "De termijn is verstreken: verlengen moest binnen de eerste "
                                  "maand, met bericht aan de betrokkene (AVG art. 12 lid 3).";
            return OMK_CONFLICT;
        }
        r->v[V_VERLENGD] = omk_int(1);
        r->v[V_REDEN] = omk_text(j->reden);
        r->v[V_TERMIJN] = omk_int(plus_months(r->v[V_TERMIJN].i, 2));
    } else {
        r->v[V_STATUS] = omk_text("afgehandeld");
        r->v[V_BESLUIT] = omk_text(j->besluit);
        r->v[V_TOELICHTING] = omk_text(j->toelichting ? j->toelichting : "");
        r->v[V_AFGEHANDELD] = omk_int(now);
    }
    rc = omk_db_update(db, &VERZOEK, r);
    if (!rc)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_BSN, r->v[V_BSN].s);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* POST /verzoeken/{uuid}/_verlengen {reden} and /_afhandelen {besluit, toelichting?} */
static omk_rc verzoek_change(omk_req *req, bool verlengen)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    verzoek_job j = {.ctx = &ctx, .verlengen = verlengen};
    json_t *body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return rc;
    if (verlengen) {
        j.reden = json_string_value(json_object_get(body, "reden"));
        if (!j.reden || !*j.reden || strlen(j.reden) > 4000)
            omk_api_err_add(&ctx, "reden", j.reden && *j.reden ? "max_length" : "required",
                            j.reden && *j.reden ? "Hoogstens 4000 tekens."
                                                : "Zeg waarom het langer duurt: de betrokkene "
                                                  "krijgt de reden te horen.");
    } else {
        j.besluit = json_string_value(json_object_get(body, "besluit"));
        j.toelichting = json_string_value(json_object_get(body, "toelichting"));
        if (!one_of(BESLUITEN, j.besluit))
            omk_api_err_add(&ctx, "besluit", j.besluit ? "invalid_choice" : "required",
                            j.besluit ? "Kies toegewezen, deels_toegewezen of afgewezen."
                                      : "Dit veld is vereist.");
        if (j.besluit && strcmp(j.besluit, "toegewezen") != 0 &&
            (!j.toelichting || !*j.toelichting))
            omk_api_err_add(&ctx, "toelichting", "required",
                            "Een (deels) afgewezen verzoek krijgt zijn redenen mee, met de "
                            "mogelijkheid van bezwaar (UAVG art. 34).");
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    rc = begin_log(req, &j, verlengen ? "AVG-verzoek verlengen" : "AVG-verzoek afhandelen");
    if (!rc)
        rc = omk_store_write(omk__store(req), change_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = verzoek_json(&ctx, j.row);
    return out ? omk_req_reply_json(req, 200, out) : OMK_NOMEM;
}

static omk_rc verzoek_extend(omk_req *req)
{
    return verzoek_change(req, true);
}

static omk_rc verzoek_close(omk_req *req)
{
    return verzoek_change(req, false);
}

/* ---- carrying out an erasure (art. 17) ---- */


typedef struct wis_job {
    omk_api_ctx *ctx;
    const char *uuid, *door;
    bool bevestigen;
    omk_row *row;
    json_t *items;      /* what there is, and whether it may go */
    json_t *uitvoering; /* bevestigen: what was done */
    size_t te_wissen, behouden;
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} wis_job;

/* The request (open, soort wissen, not carried out yet) and its person's records judged. */
static omk_rc wis_beoordeel(omk_db *db, wis_job *j)
{
    omk_rc rc = omk_db_get(db, &VERZOEK, j->uuid, j->ctx->a, &j->row);
    if (rc)
        return rc;
    omk_row *r = j->row;
    if (strcmp(r->v[V_SOORT].s, "wissen") != 0) {
        j->ctx->fail_detail = "Alleen een verzoek om te wissen (AVG art. 17) wist gegevens.";
        return OMK_CONFLICT;
    }
    if (strcmp(r->v[V_STATUS].s, "open") != 0) {
        j->ctx->fail_detail = "Dit verzoek is al afgehandeld.";
        return OMK_CONFLICT;
    }
    if (r->v[V_UITVOERING].t == OMK_V_TEXT) {
        j->ctx->fail_detail = "Het wissen is voor dit verzoek al uitgevoerd (zie uitvoering); "
                              "handel het verzoek nu af.";
        return OMK_CONFLICT;
    }
    const char **partijen = NULL;
    size_t n = 0;
    rc = omk__ki_partijen_met_bsn(db, j->ctx->a, r->v[V_BSN].s, MAX_PARTIJEN, &partijen, &n);
    if (!rc)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_BSN, r->v[V_BSN].s);
    for (size_t i = 0; !rc && i < n; i++)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_PARTIJ, partijen[i]);
    if (!rc)
        rc = omk__bewaren_beoordeel(db, j->ctx->a, partijen, n, j->items);
    size_t i;
    json_t *item;
    json_array_foreach(j->items, i, item)
    {
        if (json_is_true(json_object_get(item, "wissen")))
            j->te_wissen++;
        else
            j->behouden++;
    }
    return rc;
}

static omk_rc wis_preview(omk_db *db, void *arg)
{
    return wis_beoordeel(db, arg);
}

/* Erases what may go (judged again in this transaction: a hold that came since the preview
 * keeps its records) and records in the request what was done: per kind how many, and what
 * stays and why. */
static omk_rc wis_write(omk_db *db, void *arg)
{
    wis_job *j = arg;
    omk_rc rc = wis_beoordeel(db, j);
    if (rc)
        return rc;
    json_t *gewist = json_object(), *behouden = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(j->items, i, item)
    {
        const char *soort = json_string_value(json_object_get(item, "soort"));
        if (!rc && json_is_true(json_object_get(item, "wissen"))) {
            rc = omk__bewaren_wis(db, j->ctx, soort,
                                  json_string_value(json_object_get(item, "uuid")), j->actie);
            if (rc == OMK_CONFLICT) { /* still referred to: it stays, and says so */
                rc = OMK_OK;
                json_object_set_new(item, "wissen", json_false());
                json_object_set_new(item, "reden", json_string("Kon niet worden gewist: er "
                                                               "verwijzen nog gegevens naar."));
                j->te_wissen--;
                j->behouden++;
            } else if (!rc) {
                json_object_set_new(gewist, soort,
                                    json_integer(json_integer_value(json_object_get(gewist,
                                                                                    soort)) +
                                                 1));
                continue;
            }
        }
        json_array_append(behouden, item);
    }
    char when[32];
    int64_t now = omk_now_ms() * 1000;
    omk_time_format(now, when);
    json_t *per = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(gewist, k, v)
        json_array_append_new(per, json_pack("{s:s, s:O}", "soort", k, "aantal", v));
    json_decref(gewist);
    j->uitvoering = json_pack("{s:s, s:s, s:s, s:o, s:o}", "handeling", "wissen", "op", when,
                              "door", j->door, "gewist", per, "behouden", behouden);
    char *text = j->uitvoering ? json_dumps(j->uitvoering, JSON_COMPACT) : NULL;
    if (!rc && !text)
        rc = OMK_NOMEM;
    if (!rc) {
        j->row->v[V_UITVOERING] = omk_text(omk_arena_strdup(j->ctx->a, text));
        rc = omk_db_update(db, &VERZOEK, j->row);
    }
    free(text);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* POST /verzoeken/{uuid}/_wissen {bevestigen?}: without bevestigen (or false) what there is
 * about the requester and whether each may be erased, with its reason (a preview, nothing
 * changes); with bevestigen true it is erased and the request records it. */
static omk_rc verzoek_wissen(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    json_t *b = json_object_get(body, "bevestigen");
    if (b && !json_is_boolean(b))
        omk_api_err_add(&ctx, "bevestigen", "invalid", "Moet true of false zijn.");
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        (void)val;
        if (strcmp(key, "bevestigen") != 0)
            omk_api_err_add(&ctx, key, "unknown", "Onbekend veld.");
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    wis_job j = {.ctx = &ctx, .bevestigen = json_is_true(b), .items = json_array()};
    j.door = ctx.principal && *ctx.principal ? ctx.principal : "onbekend";
    if (!j.items || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.items))
        return OMK_NOMEM;
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk__ldv_begin(req, &j.ldv);
    if (!rc && j.ldv &&
        !(j.actie = omk__ldv_actie(j.ldv, j.bevestigen ? "Gegevens wissen op verzoek"
                                                       : "Wissen op verzoek voorbereiden",
                                   NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = j.bevestigen ? omk_store_write(omk__store(req), wis_write, &j)
                          : omk_store_read(omk__store(req), wis_preview, &j);
    if (rc) {
        json_decref(j.uitvoering);
        return omk__finish(req, &ctx, rc);
    }
    json_t *out = json_pack("{s:o, s:b, s:I, s:I, s:O}", "verzoek", verzoek_json(&ctx, j.row),
                            "bevestigd", j.bevestigen, "teWissen", (json_int_t)j.te_wissen,
                            "behouden", (json_int_t)j.behouden, "items", j.items);
    json_decref(j.uitvoering);
    if (!out)
        return OMK_NOMEM;
    return j.bevestigen ? omk_req_reply_json(req, 200, out)
                        : omk__ldv_reply_json(req, j.ldv, 200, out);
}

/* ---- carrying out a rectification (art. 16) ---- */

typedef struct rect_job {
    omk_api_ctx *ctx;
    const char *uuid, *door, *object_url, *object_uuid;
    const omk_resource *r;
    omk_row *patch;
    json_t *wijzigingen;
    bool bevestigen;
    omk_row *row;
    json_t *voor, *na;
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} rect_job;

/* The request (open, soort rectificatie) and the object, which must be about the requester. */
static omk_rc rect_check(omk_db *db, rect_job *j)
{
    omk_rc rc = omk_db_get(db, &VERZOEK, j->uuid, j->ctx->a, &j->row);
    if (rc)
        return rc;
    omk_row *r = j->row;
    if (strcmp(r->v[V_SOORT].s, "rectificatie") != 0) {
        j->ctx->fail_detail = "Alleen een verzoek om rectificatie (AVG art. 16) wijzigt gegevens.";
        return OMK_CONFLICT;
    }
    if (strcmp(r->v[V_STATUS].s, "open") != 0) {
        j->ctx->fail_detail = "Dit verzoek is al afgehandeld.";
        return OMK_CONFLICT;
    }
    const char **partijen = NULL;
    size_t n = 0;
    omk_rowset about = {0};
    rc = omk__ki_partijen_met_bsn(db, j->ctx->a, r->v[V_BSN].s, MAX_PARTIJEN, &partijen, &n);
    if (!rc)
        rc = omk__avg_rows_about(db, j->ctx->a, j->r, partijen, n, &about);
    if (!rc && !omk__avg_has(&about, j->object_uuid)) {
        omk_api_err_add(j->ctx, "object", "invalid",
                        "Dit object gaat niet over de verzoeker (of bestaat niet): alleen "
                        "gegevens over de betrokkene zelf worden op dit verzoek gewijzigd.");
        return OMK_INVALID;
    }
    if (!rc)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_BSN, r->v[V_BSN].s);
    omk_row *obj = NULL;
    if (!rc)
        rc = omk_db_get(db, j->r, j->object_uuid, j->ctx->a, &obj);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, j->r, obj, 1);
    return rc ? rc : omk_res_to_json(db, j->ctx, j->r, obj, &j->voor);
}

static omk_rc rect_preview(omk_db *db, void *arg)
{
    return rect_check(db, arg);
}

/* Applies the change through the register's own rules (a PATCH) and appends it to what the
 * request records. */
static omk_rc rect_write(omk_db *db, void *arg)
{
    rect_job *j = arg;
    omk_rc rc = rect_check(db, j);
    if (!rc)
        rc = omk_res_write(db, j->ctx, j->r, j->patch, j->object_uuid, j->wijzigingen, OMK_PATCH,
                           NULL);
    if (!rc)
        rc = omk__ldv_row_uuid(db, j->actie, j->r, j->object_uuid, j->ctx->a);
    omk_row *obj = NULL;
    if (!rc)
        rc = omk_db_get(db, j->r, j->object_uuid, j->ctx->a, &obj);
    if (!rc)
        rc = omk_res_to_json(db, j->ctx, j->r, obj, &j->na);
    if (rc)
        return rc;
    json_t *u = j->row->v[V_UITVOERING].t == OMK_V_TEXT
                    ? json_loads(j->row->v[V_UITVOERING].s, 0, NULL)
                    : json_pack("{s:s, s:[]}", "handeling", "rectificeren", "rectificaties");
    json_t *velden = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(j->wijzigingen, k, v)
        json_array_append_new(velden, json_string(k));
    char when[32];
    omk_time_format(omk_now_ms() * 1000, when);
    json_array_append_new(json_object_get(u, "rectificaties"),
                          json_pack("{s:s, s:o, s:s, s:s}", "object", j->object_url, "velden",
                                    velden, "op", when, "door", j->door));
    char *text = u ? json_dumps(u, JSON_COMPACT) : NULL;
    json_decref(u);
    if (!text)
        return OMK_NOMEM;
    j->row->v[V_UITVOERING] = omk_text(omk_arena_strdup(j->ctx->a, text));
    free(text);
    rc = omk_db_update(db, &VERZOEK, j->row);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* POST /verzoeken/{uuid}/_rectificeren {object, wijzigingen, bevestigen?}: the object as it is
 * (a preview), or — with bevestigen — changed as a PATCH of its own API would, recorded in the
 * request. */
static omk_rc verzoek_rectificeren(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    rect_job j = {.ctx = &ctx};
    j.door = ctx.principal && *ctx.principal ? ctx.principal : "onbekend";
    json_t *b = json_object_get(body, "bevestigen");
    j.object_url = json_string_value(json_object_get(body, "object"));
    j.wijzigingen = json_object_get(body, "wijzigingen");
    j.bevestigen = json_is_true(b);
    if (b && !json_is_boolean(b))
        omk_api_err_add(&ctx, "bevestigen", "invalid", "Moet true of false zijn.");
    if (!j.object_url)
        omk_api_err_add(&ctx, "object", "required", "Dit veld is vereist: de URL van het "
                                                    "gegeven dat wordt verbeterd.");
    else if (!(j.r = omk__avg_resource_of(j.object_url, &j.object_uuid)))
        omk_api_err_add(&ctx, "object", "invalid", "Geen object van het klantregister of de "
                                                   "kanalen.");
    if (!json_is_object(j.wijzigingen) || !json_object_size(j.wijzigingen))
        omk_api_err_add(&ctx, "wijzigingen", "required",
                        "Welke velden krijgen welke waarde (zoals bij een PATCH).");
    else if (j.r && omk_res_parse(&ctx, j.r, j.wijzigingen, OMK_PATCH, &j.patch))
        for (omk_api_err *e = ctx.errs; e; e = e->next) /* name them inside wijzigingen */
            if (strcmp(e->name, "nonFieldErrors") != 0)
                e->name = omk_arena_printf(ctx.a, "wijzigingen.%s", e->name);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk__ldv_begin(req, &j.ldv);
    if (!rc && j.ldv &&
        !(j.actie = omk__ldv_actie(j.ldv, j.bevestigen ? "Gegevens rectificeren op verzoek"
                                                       : "Rectificatie op verzoek voorbereiden",
                                   NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = j.bevestigen ? omk_store_write(omk__store(req), rect_write, &j)
                          : omk_store_read(omk__store(req), rect_preview, &j);
    if (rc) {
        json_decref(j.voor);
        json_decref(j.na);
        if (rc == OMK_INVALID)
            for (omk_api_err *e = ctx.errs; e; e = e->next)
                if (strcmp(e->name, "object") != 0 && strncmp(e->name, "wijzigingen.", 12) != 0)
                    e->name = omk_arena_printf(ctx.a, "wijzigingen.%s", e->name);
        return omk__finish(req, &ctx, rc);
    }
    json_t *out = json_pack("{s:o, s:b, s:s, s:o, s:O, s:o}", "verzoek", verzoek_json(&ctx, j.row),
                            "bevestigd", j.bevestigen, "object", j.object_url, "voor", j.voor,
                            "wijzigingen", j.wijzigingen, "na", j.na ? j.na : json_null());
    if (!out)
        return OMK_NOMEM;
    return j.bevestigen ? omk_req_reply_json(req, 200, out)
                        : omk__ldv_reply_json(req, j.ldv, 200, out);
}

size_t omk__verzoeken_routes(omk_route *out, size_t cap, const omk_api_info *api)
{
#define B "/avg/api/v1"
    const omk_route routes[] = {
        {"GET", B "/verzoeken", verzoek_list, NULL, api, 0, 0, NULL},
        {"POST", B "/verzoeken", verzoek_create, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", B "/verzoeken/{uuid}", verzoek_read, NULL, api, 0, 0, NULL},
        {"POST", B "/verzoeken/{uuid}/_verlengen", verzoek_extend, NULL, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"POST", B "/verzoeken/{uuid}/_afhandelen", verzoek_close, NULL, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"POST", B "/verzoeken/{uuid}/_wissen", verzoek_wissen, NULL, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"POST", B "/verzoeken/{uuid}/_rectificeren", verzoek_rectificeren, NULL, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
#undef B
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
