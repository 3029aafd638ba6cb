/* Telephony (/kanalen/api/v1/cti/events): the telephone platform reports each call's events
 * (aangeboden, aangenomen, beeindigd — or offered, answered, ended); the caller's number is
 * matched to a partij; the agent who gets the call receives a screen pop over their event
 * stream (the matched partij, the klantbeeld query, recent contacts); when it ends the call is
 * registered as a klantcontact with its duration, linked to the agent's actor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "omk/util.h"


static const char *const OPROEP_STATUS[] = {"aangeboden", "aangenomen", "beeindigd", NULL};

static const omk_field OPROEP_FIELDS[] = {
    {.json = "gespreksId", .column = "gespreks_id", .type = OMK_F_STRING},
    {.json = "telefoonnummer", .column = "telefoonnummer", .type = OMK_F_STRING},
    {.json = "partij", .column = "partij", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_partij},
    {.json = "medewerker", .column = "medewerker", .type = OMK_F_STRING},
    {.json = "wachtrij", .column = "wachtrij", .type = OMK_F_STRING},
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .choices = OPROEP_STATUS},
    {.json = "aangebodenOp", .column = "aangeboden_op", .type = OMK_F_DATETIME},
    {.json = "aangenomenOp", .column = "aangenomen_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "beeindigdOp", .column = "beeindigd_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "duurSeconden", .column = "duur", .type = OMK_F_INT, .flags = OMK_NULLABLE},
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_klantcontact},
    {.json = "gekoppeldGesprek", .column = "gekoppeld_gesprek", .type = OMK_F_REF,
     .flags = OMK_NULLABLE, .target = &omk__kan_gesprek},
};
enum { O_ID, O_NUMMER, O_PARTIJ, O_MEDEWERKER, O_WACHTRIJ, O_STATUS, O_AANGEBODEN, O_AANGENOMEN,
       O_BEEINDIGD, O_DUUR, O_KC, O_GEKOPPELD };

static const omk_filter OPROEP_FILTERS[] = {
    {"gespreksId", "gespreksId", OMK_OP_EQ},
    {"medewerker", "medewerker", OMK_OP_EQ},
    {"status", "status", OMK_OP_EQ},
};

static const omk_subjects OPROEP_SUBJECTS = {"telefoongesprekken", "telefoongesprek",
                                             {{.column = "partij"}}};
const omk_resource omk__kan_oproep = {
    .name = "oproepen", .model = "Oproep", .table = "kanalen_oproepen", .fields = OPROEP_FIELDS,
    .nfields = OMK_COUNT(OPROEP_FIELDS), .filters = OPROEP_FILTERS, .nfilters = OMK_COUNT(OPROEP_FILTERS),
    .api_base = KAN_BASE,
    .subjects = &OPROEP_SUBJECTS,
};

static const omk_value NUL = {.t = OMK_V_NULL};

typedef enum { AANGEBODEN, AANGENOMEN, BEEINDIGD } gebeurtenis;

typedef struct cti_job {
    omk_api_ctx *ctx;
    gebeurtenis g;
    const char *id, *nummer, *medewerker, *wachtrij;
    int64_t at;
    omk_row *row;
    json_t *out, *pop;
    bool created;
    omk_ldv *ldv; /* the Logboek: the call's partij, written with the change */
} cti_job;

omk_rc omk__cti_find(omk_db *db, omk_api_ctx *ctx, const char *gespreks_id, omk_row **out)
{
    *out = NULL;
    omk_filter_arg f = {&OPROEP_FILTERS[0], gespreks_id};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_oproep, &q, ctx->a, &rows, NULL);
    if (!rc && rows.n)
        *out = &rows.rows[0];
    return rc;
}

static omk_rc new_call(omk_db *db, cti_job *j)
{
    omk_row *o = omk_row_new(&omk__kan_oproep, j->ctx->a);
    if (!o)
        return OMK_NOMEM;
    const char *partij = NULL;
    omk_rc rc = omk__kan_match_partij(db, j->ctx, "telefoonnummer", j->nummer, &partij);
    if (rc)
        return rc;
    omk_uuid4(o->uuid);
    o->v[O_ID] = omk_text0(j->id);
    o->v[O_NUMMER] = omk_text0(j->nummer);
    o->v[O_PARTIJ] = partij ? omk_text0(partij) : NUL;
    o->v[O_MEDEWERKER] = omk_text0(j->medewerker);
    o->v[O_WACHTRIJ] = omk_text0(j->wachtrij);
    o->v[O_STATUS] = omk_text0("aangeboden");
    o->v[O_AANGEBODEN] = omk_int(j->at);
    o->v[O_AANGENOMEN] = o->v[O_BEEINDIGD] = o->v[O_DUUR] = o->v[O_KC] = o->v[O_GEKOPPELD] = NUL;
    j->created = true;
    j->row = o;
    return omk_db_insert(db, &omk__kan_oproep, o);
}

/* mm:ss text of a duration. */
static const char *duur_text(omk_arena *a, int64_t s)
{
    return omk_arena_printf(a, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

/* The call as a klantcontact (with the number as the betrokkene's address and the agent as
 * betrokken actor). */
static omk_rc register_call(omk_db *db, cti_job *j)
{
    omk_row *o = j->row;
    omk_api_ctx *ctx = j->ctx;
    bool answered = o->v[O_AANGENOMEN].t == OMK_V_INT;
    int64_t duur = o->v[O_DUUR].i,
            wacht = ((answered ? o->v[O_AANGENOMEN].i : o->v[O_BEEINDIGD].i) -
                     o->v[O_AANGEBODEN].i) / 1000000;
    const char *mw = o->v[O_MEDEWERKER].s;
    const char *onderwerp = "Telefoongesprek";
    const char *gekoppeld = o->v[O_GEKOPPELD].t == OMK_V_TEXT ? o->v[O_GEKOPPELD].s : NULL;
    omk_row *g = NULL;
    if (gekoppeld && omk_db_get(db, &omk__kan_gesprek, gekoppeld, ctx->a, &g) == OMK_OK &&
        *omk_row_text(&omk__kan_gesprek, g, "onderwerp"))
        onderwerp = omk_arena_printf(ctx->a, "Vervolg: %s", omk_row_text(&omk__kan_gesprek, g, "onderwerp"));
    const char *inhoud =
        answered ? omk_arena_printf(ctx->a, "Inkomend gesprek met %s, duur %s, aangenomen door %s.",
                                    o->v[O_NUMMER].s, duur_text(ctx->a, duur), mw)
                 : omk_arena_printf(ctx->a, "Gemist gesprek van %s (na %s wachten opgehangen).",
                                    o->v[O_NUMMER].s, duur_text(ctx->a, wacht < 0 ? 0 : wacht));
    char when[32];
    omk_time_format(answered ? o->v[O_AANGENOMEN].i : o->v[O_AANGEBODEN].i, when);
    json_t *meta = json_pack("{s:s, s:s, s:s}", "gespreksId", o->v[O_ID].s, "duurSeconden",
                             omk_arena_printf(ctx->a, "%lld", (long long)duur),
                             "wachttijdSeconden",
                             omk_arena_printf(ctx->a, "%lld", (long long)(wacht < 0 ? 0 : wacht)));
    if (meta && gekoppeld)
        json_object_set_new(meta, "gesprek", json_string(gekoppeld));
    omk_kan_contact c = {.kanaal = "telefoon", .onderwerp = onderwerp,
                         .inhoud = omk__kan_cut(ctx->a, inhoud, 1000), .plaatsgevonden_op = when,
                         .partij = o->v[O_PARTIJ].t == OMK_V_TEXT ? o->v[O_PARTIJ].s : NULL,
                         .adres_soort = "telefoonnummer", .adres = o->v[O_NUMMER].s,
                         .gelukt = answered, .metadata = meta};
    const char *kc = NULL;
    omk_rc rc = omk__kan_register(db, ctx, &c, &kc);
    json_decref(meta);
    if (rc)
        return rc;
    o->v[O_KC] = omk_text0(kc);
    if (!*mw)
        return OMK_OK;
    const char *actor = NULL;
    if ((rc = omk__kan_actor(db, ctx, "medewerker", mw, &actor)))
        return rc;
    json_t *akc = json_pack("{s:{s:s}, s:{s:s}}", "actor", "uuid", actor, "klantcontact", "uuid", kc);
    return omk__kan_create(db, ctx, &omk__ki_actor_klantcontact, akc, "actor", NULL);
}

static omk_rc cti_apply(omk_db *db, cti_job *j)
{
    omk_rc rc = omk__cti_find(db, j->ctx, j->id, &j->row);
    if (rc)
        return rc;
    if (!j->row && (rc = new_call(db, j)))
        return rc;
    omk_row *o = j->row;
    const char *status = o->v[O_STATUS].s;
    if (strcmp(status, "beeindigd") == 0) {
        if (j->g == BEEINDIGD)
            return OMK_OK; /* the platform repeated itself */
        omk_api_err_add(j->ctx, "gebeurtenis", "invalid", "Dit gesprek is al beëindigd.");
        return OMK_INVALID;
    }
    if (j->medewerker && *j->medewerker)
        o->v[O_MEDEWERKER] = omk_text0(j->medewerker);
    if (j->g == AANGENOMEN && o->v[O_AANGENOMEN].t == OMK_V_NULL) {
        o->v[O_AANGENOMEN] = omk_int(j->at);
        o->v[O_STATUS] = omk_text0("aangenomen");
    } else if (j->g == BEEINDIGD) {
        o->v[O_BEEINDIGD] = omk_int(j->at);
        o->v[O_STATUS] = omk_text0("beeindigd");
        int64_t from = o->v[O_AANGENOMEN].t == OMK_V_INT ? o->v[O_AANGENOMEN].i : j->at;
        o->v[O_DUUR] = omk_int(j->at > from ? (j->at - from) / 1000000 : 0);
        if ((rc = register_call(db, j)))
            return rc;
    }
    return j->created ? OMK_OK : omk_db_update(db, &omk__kan_oproep, o);
}

/* The event, and its record in the Logboek when the call names a partij (its screen pop
 * shows that partij's contacts to the agent). */
static omk_rc cti_write(omk_db *db, void *arg)
{
    cti_job *j = arg;
    omk_rc rc = cti_apply(db, j);
    if (rc || !j->ldv)
        return rc;
    omk_ldv_actie *x = omk__ldv_actie_res(j->ldv, &omk__kan_oproep, false,
                                          j->created ? "registreren" : "bijwerken");
    if (!x)
        return OMK_NOMEM;
    rc = omk__ldv_rows(db, x, &omk__kan_oproep, j->row, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* What the agent's werkplek shows at once: the call, the matched partij, how to query the
 * klantbeeld, the latest contacts and the open contactverzoeken. */
static omk_rc build_pop(omk_db *db, cti_job *j)
{
    omk_api_ctx *ctx = j->ctx;
    omk_row *o = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_oproep, j->row->uuid, ctx->a, &o);
    if (!rc)
        rc = omk_res_to_json(db, ctx, &omk__kan_oproep, o, &j->out);
    if (rc)
        return rc;
    if (j->g == BEEINDIGD || !*o->v[O_MEDEWERKER].s)
        return OMK_OK;
    json_t *recent = json_array();
    const char *partij = o->v[O_PARTIJ].t == OMK_V_TEXT ? o->v[O_PARTIJ].s : NULL;
    if (partij) {
        static const omk_filter BY_PARTIJ = {"_p", "hadBetrokkenen/wasPartij/uuid", OMK_OP_EQ};
        omk_filter_arg f = {&BY_PARTIJ, partij};
        omk_query q = {.filters = &f, .nfilters = 1, .limit = 5};
        omk_rowset rows = {0};
        rc = omk_db_list(db, &omk__ki_klantcontact, &q, ctx->a, &rows, NULL);
        for (size_t i = 0; !rc && i < rows.n; i++) {
            const omk_row *k = &rows.rows[i];
            const char *wanneer = NULL;
            json_t *kj = NULL;
            if ((rc = omk_res_to_json(db, ctx, &omk__ki_klantcontact, k, &kj)))
                break;
            wanneer = json_string_value(json_object_get(kj, "plaatsgevondenOp"));
            json_array_append_new(
                recent, json_pack("{s:s, s:O, s:O, s:O, s:s}", "uuid", k->uuid, "url",
                                  json_object_get(kj, "url"), "kanaal", json_object_get(kj, "kanaal"),
                                  "onderwerp", json_object_get(kj, "onderwerp"),
                                  "plaatsgevondenOp", wanneer ? wanneer : ""));
            json_decref(kj);
        }
    }
    j->pop = json_pack("{s:O, s:s, s:o, s:{s:s, s:{s:s}}, s:o}", "oproep", j->out,
                       "telefoonnummer", o->v[O_NUMMER].s, "partij",
                       partij ? json_pack("{s:s, s:s}", "uuid", partij, "url",
                                          omk_res_url(ctx, &omk__ki_partij, partij))
                              : json_null(),
                       "klantbeeld", "url",
                       omk_arena_printf(ctx->a, "%s/klantbeeld/api/v1/_zoek", ctx->base_url),
                       "zoek", "telefoonnummer", o->v[O_NUMMER].s, "recenteKlantcontacten",
                       recent);
    return rc;
}

static omk_rc cti_read(omk_db *db, void *arg)
{
    return build_pop(db, arg);
}

/* POST /cti/events {gebeurtenis, gespreksId, telefoonnummer, medewerker, wachtrij?,
 * tijdstip?} */
static omk_rc cti_event(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    cti_job j = {.ctx = &ctx, .at = omk_now_ms() * 1000};
    const char *g = omk__kan_text(&ctx, body, "gebeurtenis", "gebeurtenis", 20, true);
    static const struct {
        const char *name;
        gebeurtenis g;
    } NAMES[] = {{"aangeboden", AANGEBODEN}, {"offered", AANGEBODEN}, {"aangenomen", AANGENOMEN},
                 {"answered", AANGENOMEN},   {"beeindigd", BEEINDIGD},  {"ended", BEEINDIGD}};
    bool known = false;
    for (size_t i = 0; g && i < OMK_COUNT(NAMES); i++)
        if (strcmp(g, NAMES[i].name) == 0) {
            j.g = NAMES[i].g;
            known = true;
        }
    if (g && !known)
        omk_api_err_add(&ctx, "gebeurtenis", "invalid_choice",
                        omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.", g));
    j.id = omk__kan_text(&ctx, body, "gespreksId", "gespreksId", 200, true);
    j.nummer = omk__kan_text(&ctx, body, "telefoonnummer", "telefoonnummer", 30,
                             known && j.g == AANGEBODEN);
    j.medewerker = omk__kan_text(&ctx, body, "medewerker", "medewerker", 200,
                                 known && j.g == AANGENOMEN);
    j.wachtrij = omk__kan_text(&ctx, body, "wachtrij", "wachtrij", 200, false);
    const char *t = omk__kan_text(&ctx, body, "tijdstip", "tijdstip", 40, false);
    if (t && !omk_time_parse(t, strlen(t), &j.at))
        omk_api_err_add(&ctx, "tijdstip", "invalid", "Datetime heeft een ongeldig formaat.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_rc rc = omk__ldv_begin(req, &j.ldv);
    if (!rc)
        rc = omk_store_write(omk__store(req), cti_write, &j);
    if (!rc)
        rc = omk_store_read(omk__store(req), cti_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    size_t reached = 0;
    const char *mw = json_string_value(json_object_get(j.out, "medewerker"));
    if (j.pop && mw && *mw) {
        char *data = json_dumps(j.pop, JSON_COMPACT);
        if (data)
            reached = omk__events_publish(omk_arena_printf(ctx.a, "medewerker:%s", mw),
                                          "screenpop", data);
        free(data);
    } else if (j.g == BEEINDIGD && mw && *mw) {
        char *data = json_dumps(j.out, JSON_COMPACT);
        if (data)
            reached = omk__events_publish(omk_arena_printf(ctx.a, "medewerker:%s", mw),
                                          "oproep-beeindigd", data);
        free(data);
    }
    json_decref(j.pop);
    json_object_set_new(j.out, "schermpopBezorgd", json_integer((json_int_t)reached));
    return omk_req_reply_json(req, j.created ? 201 : 200, j.out);
}

static omk_rc oproep_list(omk_req *req)
{
    return omk__res_list(req);
}

size_t omk__cti_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_route routes[] = {
        {"POST", KAN_BASE "/cti/events", cti_event, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/oproepen", oproep_list, &omk__kan_oproep, api, 0, 0, NULL},
        {"GET", KAN_BASE "/oproepen/{uuid}", omk__res_read, &omk__kan_oproep, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
