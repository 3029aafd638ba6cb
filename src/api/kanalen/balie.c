/* The channels staff register by hand, so they count like all others: balie (counter)
 * check-in with a queue number, called by a medewerker at a desk and finished with what was
 * done (/kanalen/api/v1/balie/aanmeldingen), and incoming post with the scanned letter as a
 * bijlage (/kanalen/api/v1/post). Both are klantcontacten in the register. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "omk/calendar.h"
#include "omk/util.h"

#define MAX_SCAN (20u << 20)

static const char *const BALIE_STATUS[] = {"wachtend", "in_behandeling", "afgerond", NULL};

static const omk_field BALIE_FIELDS[] = {
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_klantcontact},
    {.json = "partij", .column = "partij", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_partij},
    {.json = "naam", .column = "naam", .type = OMK_F_STRING, .max_len = 200},
    {.json = "reden", .column = "reden", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .max_len = 200},
    {.json = "wachtrij", .column = "wachtrij", .type = OMK_F_STRING, .max_len = 100},
    {.json = "volgnummer", .column = "volgnummer", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "dag", .column = "dag", .type = OMK_F_DATE, .flags = OMK_RO},
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .flags = OMK_RO,
     .choices = BALIE_STATUS},
    {.json = "aangemeldOp", .column = "aangemeld_op", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
    {.json = "opgeroepenOp", .column = "opgeroepen_op", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "balie", .column = "balie", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "geholpenDoor", .column = "geholpen_door", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "afgerondOp", .column = "afgerond_op", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "resultaat", .column = "resultaat", .type = OMK_F_STRING, .flags = OMK_RO},
};

static const omk_filter BALIE_FILTERS[] = {
    {"status", "status", OMK_OP_EQ},
    {"wachtrij", "wachtrij", OMK_OP_EQ},
    {"dag", "dag", OMK_OP_EQ},
};

static const omk_hooks balie_hooks;

static const omk_subjects BALIE_SUBJECTS = {"baliebezoeken", "baliebezoek", {{.column = "partij"}}};
const omk_resource omk__kan_balie = {
    .name = "aanmeldingen", .model = "Aanmelding", .table = "kanalen_balie",
    .fields = BALIE_FIELDS, .nfields = OMK_COUNT(BALIE_FIELDS), .filters = BALIE_FILTERS,
    .nfilters = OMK_COUNT(BALIE_FILTERS), .order_ascending = true, .hooks = &balie_hooks,
    .api_base = KAN_BASE "/balie",
    .subjects = &BALIE_SUBJECTS,
};

static const omk_resource *const B = &omk__kan_balie;


/* Check-in: the day's next number of the queue (its first letter, A by default), and the
 * klantcontact in the register. */
static omk_rc balie_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                          const omk_row *old, json_t *body)
{
    (void)r;
    (void)body;
    if (old)
        return OMK_OK;
    int64_t now = omk_now_ms() * 1000;
    char dag[11];
    omk_cal_format(omk_cal_local_day(now), dag);
    const char *rij = omk_row_text0(B, row, "wachtrij");
    char letter = isalpha((unsigned char)rij[0]) ? (char)toupper((unsigned char)rij[0]) : 'A';
    omk_filter_arg f[] = {{&BALIE_FILTERS[2], dag}};
    omk_query q = {.filters = f, .nfilters = 1, .limit = 10000};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, B, &q, ctx->a, &rows, NULL);
    if (rc)
        return rc;
    int next = 1;
    for (size_t i = 0; i < rows.n; i++)
        next += omk_row_text0(B, &rows.rows[i], "volgnummer")[0] == letter;
    omk_row_set_text(ctx, B, row, "volgnummer", omk_arena_printf(ctx->a, "%c%03d", letter, next));
    omk_row_set_text(ctx, B, row, "dag", dag);
    omk_row_set_text(ctx, B, row, "status", "wachtend");
    omk_row_set_text(ctx, B, row, "balie", "");
    omk_row_set_text(ctx, B, row, "geholpenDoor", "");
    omk_row_set_text(ctx, B, row, "resultaat", "");
    omk_row_set_int(B, row, "aangemeldOp", now);
    char at[32];
    omk_time_format(now, at);
    omk_kan_contact c = {
        .kanaal = "balie", .onderwerp = omk_row_text0(B, row, "reden"),
        .inhoud = omk_arena_printf(ctx->a, "Aangemeld aan de balie%s%s, volgnummer %s.",
                                   *rij ? " voor " : "", rij, omk_row_text0(B, row, "volgnummer")),
        .plaatsgevonden_op = at, .partij = omk_row_text(B, row, "partij"),
        .naam = omk_row_text0(B, row, "naam"), .gelukt = true};
    const char *kc = NULL;
    if ((rc = omk__kan_register(db, ctx, &c, &kc)))
        return rc;
    omk_row_set_text(ctx, B, row, "klantcontact", kc);
    return OMK_OK;
}

static const omk_hooks balie_hooks = {.apply = balie_apply};

typedef struct balie_job {
    omk_api_ctx *ctx;
    const char *uuid, *medewerker, *balie, *resultaat;
    bool finish, conflict;
    json_t *out;
    omk_ldv *ldv; /* the Logboek: the visitor's partij, written with the step */
    omk_ldv_actie *actie;
} balie_job;

static omk_rc step_write(omk_db *db, void *arg)
{
    balie_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, B, j->uuid, ctx->a, &row);
    if (rc)
        return rc;
    const char *st = omk_row_text0(B, row, "status");
    if (strcmp(st, "afgerond") == 0 || (!j->finish && strcmp(st, "wachtend") != 0)) {
        j->conflict = true;
        return OMK_CONFLICT;
    }
    const char *kc = omk_row_text(B, row, "klantcontact");
    if (!j->finish) {
        omk_row_set_text(ctx, B, row, "status", "in_behandeling");
        omk_row_set_text(ctx, B, row, "geholpenDoor", j->medewerker);
        omk_row_set_text(ctx, B, row, "balie", j->balie ? j->balie : "");
        omk_row_set_int(B, row, "opgeroepenOp", omk_now_ms() * 1000);
        const char *actor = NULL;
        if (kc && !(rc = omk__kan_actor(db, ctx, "medewerker", j->medewerker, &actor)))
            rc = omk__kan_create(db, ctx, &omk__ki_actor_klantcontact,
                                 json_pack("{s:{s:s}, s:{s:s}}", "actor", "uuid", actor,
                                           "klantcontact", "uuid", kc),
                                 "medewerker", NULL);
    } else {
        omk_row_set_text(ctx, B, row, "status", "afgerond");
        omk_row_set_text(ctx, B, row, "resultaat", j->resultaat);
        omk_row_set_int(B, row, "afgerondOp", omk_now_ms() * 1000);
        if (kc)
            rc = omk__kan_patch(db, ctx, &omk__ki_klantcontact, kc,
                                json_pack("{s:s}", "reactie", omk__kan_cut(ctx->a, j->resultaat, 4000)),
                                "klantcontact");
    }
    if (!rc)
        rc = omk_db_update(db, B, row);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, B, row, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc step_read(omk_db *db, void *arg)
{
    balie_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, B, j->uuid, j->ctx->a, &row);
    return rc ? rc : omk_res_to_json(db, j->ctx, B, row, &j->out);
}

static omk_rc step(omk_req *req, bool finish)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    balie_job j = {.ctx = &ctx, .finish = finish};
    json_t *body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    if (finish) {
        j.resultaat = omk__kan_text(&ctx, body, "resultaat", "resultaat", 1000, true);
    } else {
        j.medewerker = omk__kan_text(&ctx, body, "medewerker", "medewerker", 200, true);
        j.balie = omk__kan_text(&ctx, body, "balie", "balie", 50, false);
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    rc = omk__ldv_begin_res(req, B, false, finish ? "afronden" : "oproepen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), step_write, &j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "status", finish ? "Deze aanmelding is al afgerond."
                                           : "Deze aanmelding is al opgeroepen of afgerond.");
    if (!rc)
        rc = omk_store_read(omk__store(req), step_read, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, j.out);
}

static omk_rc call_in(omk_req *req)
{
    return step(req, false);
}

static omk_rc finish(omk_req *req)
{
    return step(req, true);
}

/* The queue of today unless another dag is asked for. */
static omk_rc balie_list(omk_req *req)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    for (size_t i = 0; i < n; i++)
        if (strcmp(q[i].key, "dag") == 0)
            return omk__res_list(req);
    char *dag = omk_arena_alloc(omk_req_arena(req), 11);
    if (!dag)
        return OMK_NOMEM;
    omk_cal_format(omk_cal_local_day(omk_now_ms() * 1000), dag);
    omk_filter_arg f = {&BALIE_FILTERS[2], dag};
    return omk__res_list_with(req, &f, 1);
}

/* ---- post ---- */

typedef struct post_job {
    omk_api_ctx *ctx;
    omk_kan_contact c;
    omk_kan_bestand scan;
    bool has_scan;
    const char *kc, *bestand;
} post_job;

static omk_rc post_write(omk_db *db, void *arg)
{
    post_job *j = arg;
    omk_rc rc = j->c.partij ? omk_res_must_exist(db, j->ctx, &omk__ki_partij, j->c.partij,
                                                 "partij.uuid", NULL)
                            : OMK_OK;
    if (rc)
        return rc;
    if (j->has_scan) {
        rc = omk__kan_file_put(db, j->ctx, &j->scan, &j->bestand);
        if (rc)
            return rc;
        j->c.bijlagen = &j->bestand;
        j->c.nbijlagen = 1;
    }
    rc = omk__kan_register(db, j->ctx, &j->c, &j->kc);
    int64_t at = 0;
    if (!rc && j->c.plaatsgevonden_op)
        (void)omk_time_parse(j->c.plaatsgevonden_op, strlen(j->c.plaatsgevonden_op), &at);
    return rc ? rc : omk__wv_post(db, j->ctx, j->kc, j->c.onderwerp, j->c.inhoud, j->c.partij,
                                  j->c.naam, at);
}

/* POST /post {onderwerp, inhoud?, afzender?: {naam, adres?}, partij?: {uuid}, ontvangenOp?,
 * kenmerk?, scan?: {naam, contentType, inhoud (base64)}} */
static omk_rc post_register(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    post_job j = {.ctx = &ctx};
    j.c.kanaal = "post";
    j.c.gelukt = true;
    j.c.onderwerp = omk__kan_text(&ctx, body, "onderwerp", "onderwerp", 200, true);
    j.c.inhoud = omk__kan_text(&ctx, body, "inhoud", "inhoud", 1000, false);
    json_t *af = json_object_get(body, "afzender");
    j.c.naam = omk__kan_text(&ctx, af, "naam", "afzender.naam", 200, false);
    const char *adres = omk__kan_text(&ctx, af, "adres", "afzender.adres", 254, false);
    const char *kenmerk = omk__kan_text(&ctx, body, "kenmerk", "kenmerk", 100, false);
    json_t *p = json_object_get(json_object_get(body, "partij"), "uuid");
    if (p && (!json_is_string(p) || !omk_uuid_valid(json_string_value(p), json_string_length(p))))
        omk_api_err_add(&ctx, "partij.uuid", "invalid", "Voer een geldige UUID in.");
    else if (p)
        j.c.partij = json_string_value(p);
    const char *t = omk__kan_text(&ctx, body, "ontvangenOp", "ontvangenOp", 40, false);
    int64_t us = 0;
    if (t && !omk_time_parse(t, strlen(t), &us))
        omk_api_err_add(&ctx, "ontvangenOp", "invalid", "Datetime heeft een ongeldig formaat.");
    json_t *scan = json_object_get(body, "scan");
    if (scan && !json_is_null(scan)) {
        const char *b64 = omk__kan_text(&ctx, scan, "inhoud", "scan.inhoud",
                                        (size_t)MAX_SCAN * 4 / 3 + 4, true);
        j.scan.naam = omk__kan_text(&ctx, scan, "naam", "scan.naam", 200, false);
        j.scan.content_type =
            omk__kan_text(&ctx, scan, "contentType", "scan.contentType", 100, false);
        unsigned char *bin = b64 ? omk_arena_alloc(ctx.a, strlen(b64)) : NULL;
        size_t len = 0;
        if (b64 && (!bin || sodium_base642bin(bin, strlen(b64), b64, strlen(b64), "\r\n ", &len,
                                              NULL, sodium_base64_VARIANT_ORIGINAL)))
            omk_api_err_add(&ctx, "scan.inhoud", "invalid", "Geen geldige base64.");
        j.scan.data = bin;
        j.scan.size = len;
        j.has_scan = b64 != NULL;
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    char at[32];
    omk_time_format(us ? us : omk_now_ms() * 1000, at);
    j.c.plaatsgevonden_op = at;
    if (adres) {
        j.c.adres = adres;
        j.c.adres_soort = omk__email_valid(adres) ? "email" : "overig";
    }
    json_t *meta = kenmerk ? json_pack("{s:s}", "kenmerk", kenmerk) : NULL;
    if (meta && omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, meta))
        return OMK_NOMEM;
    j.c.metadata = meta;
    omk_rc rc = omk_store_write(omk__store(req), post_write, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    json_t *out = json_pack("{s:{s:s, s:s}, s:o}", "klantcontact", "uuid", j.kc, "url",
                            omk_res_url(&ctx, &omk__ki_klantcontact, j.kc), "scan", json_null());
    if (j.bestand)
        json_object_set_new(out, "scan",
                            json_pack("{s:s, s:s}", "uuid", j.bestand, "url",
                                      omk_res_url(&ctx, &omk__kan_bestand, j.bestand)));
    return omk_req_reply_json(req, 201, out);
}

size_t omk__balie_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/balie/aanmeldingen", balie_list, B, api, 0, 0, NULL},
        {"POST", KAN_BASE "/balie/aanmeldingen", omk__res_create, B, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/balie/aanmeldingen/{uuid}", omk__res_read, B, api, 0, 0, NULL},
        {"POST", KAN_BASE "/balie/aanmeldingen/{uuid}/oproepen", call_in, B, api,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/balie/aanmeldingen/{uuid}/afronden", finish, B, api, OMK_ROUTE_BODY,
         0, NULL},
        {"POST", KAN_BASE "/post", post_register, NULL, api, OMK_ROUTE_BODY, 30u << 20, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
