/* Contactverzoeken with a service norm (/kanalen/api/v1/contactverzoeken): a request to
 * contact a resident, kept in the register as a klantcontact plus an interne taak assigned to
 * an actor (medewerker, afdeling or groep), and in our own table for what the standard lacks:
 * the deadline from the service norm per kanaal and product in Dutch working days, the
 * assignment, status, handling, and escalation when overdue. Service norms are a declared
 * resource (/servicenormen). Handlers run on worker threads; the escalation also on the
 * channels' background thread. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "omk/buf.h"
#include "omk/calendar.h"
#include "omk/http_client.h"
#include "omk/log.h"
#include "omk/util.h"

#define DEFAULT_WERKDAGEN 3
#define DEFAULT_HANDELING "Contact opnemen met de klant"
#define MAX_PAGE 500

static const char *const SOORT_TOEWIJZING[] = {"medewerker", "afdeling", "groep", NULL};
static const char *const KV_STATUS[] = {"open", "afgehandeld", NULL};
/* The register's kanaal names an attempt may be made through. */
static const char *const POGING_KANALEN[] = {"telefoon", "e-mail", "balie", "website", "chat",
                                             "whatsapp", "social media", "post", NULL};

static const char *check_phone(const char *v, const char **code)
{
    *code = "invalid";
    return omk__phone_valid(v) ? NULL : "Het opgegeven telefoonnummer is ongeldig.";
}

static const char *check_email(const char *v, const char **code)
{
    *code = "invalid";
    return omk__email_valid(v) ? NULL : "Voer een geldig e-mailadres in.";
}

/* ---- service norms ---- */

static const omk_field NORM_FIELDS[] = {
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING, .max_len = 50},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .max_len = 200},
    {.json = "werkdagen", .column = "werkdagen", .type = OMK_F_INT, .flags = OMK_REQ, .min = 0,
     .max = 60},
    {.json = "omschrijving", .column = "omschrijving", .type = OMK_F_STRING, .max_len = 200},
};

static const omk_filter NORM_FILTERS[] = {
    {"kanaal", "kanaal", OMK_OP_EQ},
    {"product", "product", OMK_OP_EQ},
};

const omk_resource omk__kv_servicenorm = {
    .name = "servicenormen", .model = "Servicenorm", .table = "kanalen_servicenormen",
    .fields = NORM_FIELDS, .nfields = OMK_COUNT(NORM_FIELDS), .filters = NORM_FILTERS,
    .nfilters = OMK_COUNT(NORM_FILTERS), .api_base = KAN_BASE, .order_ascending = true,
};

/* ---- contact attempts: one row per attempt that did not reach the resident ---- */

static const omk_field POGING_FIELDS[] = {
    {.json = "contactverzoek", .column = "contactverzoek", .type = OMK_F_REF, .flags = OMK_HIDDEN,
     .target = &omk__kv_contactverzoek},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING},
    {.json = "toelichting", .column = "toelichting", .type = OMK_F_STRING},
    {.json = "door", .column = "door", .type = OMK_F_STRING},
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_klantcontact},
};
enum { P_VERZOEK, P_TIJDSTIP, P_KANAAL, P_TOELICHTING, P_DOOR, P_KC };

static const omk_resource POGING = {
    .name = "pogingen", .model = "Contactpoging", .table = "kanalen_contactpogingen",
    .fields = POGING_FIELDS, .nfields = OMK_COUNT(POGING_FIELDS), .api_base = KAN_BASE,
    .order_ascending = true,
};

/* ---- contactverzoeken ---- */

static const omk_hooks kv_hooks;

static const omk_field KV_FIELDS[] = {
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_klantcontact},
    {.json = "internetaak", .column = "internetaak", .type = OMK_F_REF,
     .flags = OMK_RO | OMK_NULLABLE, .target = &omk__ki_interne_taak},
    {.json = "partij", .column = "partij", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_partij},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 50},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .max_len = 200},
    {.json = "onderwerp", .column = "onderwerp", .type = OMK_F_STRING, .flags = OMK_REQ,
     .max_len = 200},
    {.json = "toelichting", .column = "toelichting", .type = OMK_F_STRING, .max_len = 1000},
    {.json = "gevraagdeHandeling", .column = "gevraagde_handeling", .type = OMK_F_STRING,
     .max_len = 200},
    {.json = "contactgegevens.naam", .column = "cg_naam", .type = OMK_F_STRING, .max_len = 200},
    {.json = "contactgegevens.telefoonnummer", .column = "cg_telefoonnummer",
     .type = OMK_F_STRING, .max_len = 20, .check = check_phone},
    {.json = "contactgegevens.email", .column = "cg_email", .type = OMK_F_STRING,
     .max_len = 254, .check = check_email},
    {.json = "contactgegevens.bereikbaarheid", .column = "cg_bereikbaarheid",
     .type = OMK_F_STRING, .max_len = 200},
    {.json = "ontvangenOp", .column = "ontvangen_op", .type = OMK_F_DATETIME, .def = "now"},
    {.json = "servicenorm.werkdagen", .column = "werkdagen", .type = OMK_F_INT, .flags = OMK_RO},
    {.json = "servicenorm.bron", .column = "norm_bron", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "deadline", .column = "deadline", .type = OMK_F_DATE, .flags = OMK_RO},
    {.json = "toegewezenAan.soort", .column = "ta_soort", .type = OMK_F_ENUM, .flags = OMK_REQ,
     .choices = SOORT_TOEWIJZING},
    {.json = "toegewezenAan.naam", .column = "ta_naam", .type = OMK_F_STRING, .flags = OMK_REQ,
     .max_len = 200},
    {.json = "toegewezenAan.email", .column = "ta_email", .type = OMK_F_STRING, .max_len = 254,
     .check = check_email},
    {.json = "toegewezenAan.actor", .column = "ta_actor", .type = OMK_F_REF,
     .flags = OMK_RO | OMK_NULLABLE, .target = &omk__ki_actor},
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .flags = OMK_RO,
     .choices = KV_STATUS},
    {.json = "inBehandeling.door", .column = "in_behandeling_door", .type = OMK_F_STRING,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "inBehandeling.sinds", .column = "in_behandeling_sinds", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "laatstePogingOp", .column = "laatste_poging_op", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "pogingen", .type = OMK_F_REVERSE, .flags = OMK_RO | OMK_EMBED,
     .target = &POGING, .via = "contactverzoek"},
    {.json = "afgehandeldOp", .column = "afgehandeld_op", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "afhandeling.resultaat", .column = "afh_resultaat", .type = OMK_F_STRING,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "afhandeling.contactGelukt", .column = "afh_contact_gelukt", .type = OMK_F_BOOL,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "afhandeling.door", .column = "afh_door", .type = OMK_F_STRING,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "afhandeling.klantcontact", .column = "afh_klantcontact", .type = OMK_F_REF,
     .flags = OMK_RO | OMK_NULLABLE, .target = &omk__ki_klantcontact},
    {.json = "geescaleerdOp", .column = "geescaleerd_op", .type = OMK_F_DATETIME,
     .flags = OMK_RO | OMK_NULLABLE},
    {.json = "escalatieMail", .column = "escalatie_mail", .type = OMK_F_STRING, .flags = OMK_RO},
    {.json = "basisUrl", .column = "basis_url", .type = OMK_F_STRING, .flags = OMK_HIDDEN},
};

static const omk_group KV_GROUPS[] = {
    {"contactgegevens", false, NULL, false},
    {"servicenorm", false, NULL, false},
    {"toegewezenAan", false, NULL, false},
    {"inBehandeling", true, NULL, false},
    {"afhandeling", true, NULL, false},
};

/* Used by the list handler only (its parameters combine them). */
static const omk_filter KV_FILTERS[] = {
    {"status", "status", OMK_OP_EQ},
    {"kanaal", "kanaal", OMK_OP_EQ},
    {"product", "product", OMK_OP_EQ},
    {"soort", "toegewezenAan.soort", OMK_OP_EQ},
    {"naam", "toegewezenAan.naam", OMK_OP_EQ},
    {"partij", "partij/uuid", OMK_OP_EQ},
    {"deadline__lt", "deadline", OMK_OP_LT},
    {"deadline__gte", "deadline", OMK_OP_GTE},
    {"geescaleerd", "geescaleerdOp", OMK_OP_NOTNULL},
    {"inBehandeling", "inBehandeling.door", OMK_OP_NOTNULL},
    {"gepoogd", "laatstePogingOp", OMK_OP_NOTNULL},
};
enum { KF_STATUS, KF_KANAAL, KF_PRODUCT, KF_SOORT, KF_NAAM, KF_PARTIJ, KF_LT, KF_GTE, KF_ESC,
       KF_BEHANDELING, KF_GEPOOGD };

/* Whose data (the Logboek): the partij named, and those of the klantcontact's betrokkenen. */
static const omk_subjects KV_SUBJECTS = {
    "contactverzoeken", "contactverzoek",
    {{.column = "partij"}, {.column = "klantcontact", .via_table = "betrokkenen",
                            .via_match = "had_klantcontact", .via_partij = "was_partij"}}};

#define KV_RESOURCE(order, ascending)                                                          \
    {.name = "contactverzoeken", .model = "Contactverzoek",                                    \
     .table = "kanalen_contactverzoeken", .fields = KV_FIELDS, .nfields = OMK_COUNT(KV_FIELDS), \
     .groups = KV_GROUPS, .ngroups = OMK_COUNT(KV_GROUPS), .filters = KV_FILTERS,               \
     .nfilters = OMK_COUNT(KV_FILTERS), .order_column = (order),                               \
     .order_ascending = (ascending), .hooks = &kv_hooks, .api_base = KAN_BASE,                  \
     .subjects = &KV_SUBJECTS}

const omk_resource omk__kv_contactverzoek = KV_RESOURCE("deadline", true);

/* The same rows, most recently closed first: the history of closed requests
 * (status=afgehandeld). */
static const omk_resource KV_GESLOTEN = KV_RESOURCE("afgehandeld_op", false);

static const omk_resource *const R = &omk__kv_contactverzoek;


static void today(char out[11])
{
    omk_cal_format(omk_cal_local_day(omk_now_ms() * 1000), out);
}

/* The norm for kanaal and product: the most specific of (kanaal, product), (kanaal, any),
 * (any, product), (any, any); DEFAULT_WERKDAGEN when no norm applies. */
omk_rc omk__kan_norm(omk_db *db, omk_api_ctx *ctx, const char *kanaal, const char *product,
                     int *werkdagen, const char **bron)
{
    omk_query q = {.limit = 1000};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kv_servicenorm, &q, ctx->a, &rows, NULL);
    int best = -1;
    *werkdagen = DEFAULT_WERKDAGEN;
    *bron = "standaard";
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *n = &rows.rows[i];
        const char *k = n->v[0].s ? n->v[0].s : "", *p = n->v[1].s ? n->v[1].s : "";
        bool km = strcmp(k, kanaal) == 0, pm = *product && strcmp(p, product) == 0;
        int score = km && pm ? 3 : km && !*p ? 2 : !*k && pm ? 1 : !*k && !*p ? 0 : -1;
        if (score > best) {
            best = score;
            *werkdagen = (int)n->v[2].i;
            static const char *const BRON[] = {"algemeen", "product", "kanaal", "kanaal en product"};
            *bron = BRON[score];
        }
    }
    return rc;
}

/* The actor for an assignment: found by name and kind, created when new. */
omk_rc omk__kan_actor(omk_db *db, omk_api_ctx *ctx, const char *soort, const char *naam,
                      const char **actor)
{
    static const omk_filter BY_NAAM = {"_n", "naam", OMK_OP_EQ};
    static const omk_filter BY_SOORT = {"_s", "soortActor", OMK_OP_EQ};
    const char *type = strcmp(soort, "medewerker") == 0 ? "mdw"
                       : strcmp(soort, "afdeling") == 0 ? "afd" : "grp";
    const char *soort_actor =
        strcmp(soort, "medewerker") == 0 ? "medewerker" : "organisatorische_eenheid";
    omk_filter_arg f[] = {{&BY_NAAM, naam}, {&BY_SOORT, soort_actor}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = 20};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_actor, &q, ctx->a, &rows, NULL);
    /* An existing actor of that name and kind (one registered by hand too); for an
     * organisational unit the one marked afdeling or groep as asked, else any. */
    *actor = NULL;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *t = omk_row_text(&omk__ki_actor, &rows.rows[i], "actoridentificator.codeObjecttype");
        if (!*actor || (t && strcmp(t, type) == 0))
            *actor = rows.rows[i].uuid;
    }
    if (rc || *actor)
        return rc;
    json_t *body = json_pack(
        "{s:s, s:s, s:b, s:{s:s, s:s, s:s, s:s}}", "naam", naam, "soortActor", soort_actor,
        "indicatieActief", 1, "actoridentificator", "objectId", naam, "codeObjecttype", type,
        "codeRegister", "omnikanaal", "codeSoortObjectId", "naam");
    return omk__kan_create(db, ctx, &omk__ki_actor, body, "toegewezenAan", actor);
}

static json_t *ref(const char *uuid)
{
    return json_pack("{s:s}", "uuid", uuid);
}

/* Creation: the register's klantcontact (unless an existing one is named), the actor and the
 * interne taak, the deadline from the service norm. */
static omk_rc kv_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                       const omk_row *old, json_t *body)
{
    (void)r;
    (void)body;
    if (old)
        return OMK_OK;
    if (!*omk_row_text0(R, row, "gevraagdeHandeling"))
        omk_row_set_text(ctx, R, row, "gevraagdeHandeling", DEFAULT_HANDELING);
    int werkdagen = 0;
    const char *bron = NULL;
    omk_rc rc = omk__kan_norm(db, ctx, omk_row_text0(R, row, "kanaal"), omk_row_text0(R, row, "product"), &werkdagen, &bron);
    if (rc)
        return rc;
    int64_t received = row->v[omk_model_field_index(R, "ontvangenOp")].i;
    char deadline[11];
    omk_cal_format(omk_cal_add_workdays(omk_cal_local_day(received), werkdagen), deadline);
    omk_row_set_int(R, row, "servicenorm.werkdagen", werkdagen);
    omk_row_set_text(ctx, R, row, "servicenorm.bron", bron);
    omk_row_set_text(ctx, R, row, "deadline", deadline);
    omk_row_set_text(ctx, R, row, "status", "open");
    omk_row_set_text(ctx, R, row, "escalatieMail", "");
    omk_row_set_text(ctx, R, row, "basisUrl", ctx->base_url);
    const char *kc = omk_row_text(R, row, "klantcontact");
    if (!kc) {
        char at[32];
        omk_time_format(received, at);
        const char *tel = omk_row_text0(R, row, "contactgegevens.telefoonnummer");
        omk_kan_contact c = {
            .kanaal = omk_row_text0(R, row, "kanaal"), .onderwerp = omk_row_text0(R, row, "onderwerp"),
            .inhoud = omk_row_text0(R, row, "toelichting"), .plaatsgevonden_op = at,
            .partij = omk_row_text(R, row, "partij"), .naam = omk_row_text0(R, row, "contactgegevens.naam"),
            .adres_soort = *tel ? "telefoonnummer" : "email",
            .adres = *tel ? tel : omk_row_text0(R, row, "contactgegevens.email"), .gelukt = true};
        if ((rc = omk__kan_register(db, ctx, &c, &kc)))
            return rc;
        omk_row_set_text(ctx, R, row, "klantcontact", kc);
    }
    const char *actor = NULL;
    if ((rc = omk__kan_actor(db, ctx, omk_row_text0(R, row, "toegewezenAan.soort"),
                             omk_row_text0(R, row, "toegewezenAan.naam"), &actor)))
        return rc;
    omk_row_set_text(ctx, R, row, "toegewezenAan.actor", actor);
    json_t *taak = json_pack("{s:s, s:o, s:[o], s:s, s:s}", "gevraagdeHandeling",
                             omk_row_text0(R, row, "gevraagdeHandeling"), "aanleidinggevendKlantcontact",
                             ref(kc), "toegewezenAanActoren", ref(actor), "toelichting",
                             omk_row_text0(R, row, "toelichting"), "status", "te_verwerken");
    const char *taak_uuid = NULL;
    if ((rc = omk__kan_create(db, ctx, &omk__ki_interne_taak, taak, "internetaak", &taak_uuid)))
        return rc;
    omk_row_set_text(ctx, R, row, "internetaak", taak_uuid);
    return omk__wv_contactverzoek(db, ctx, row);
}

static bool overdue(const omk_row *row)
{
    char d[11];
    today(d);
    return strcmp(omk_row_text0(R, row, "status"), "open") == 0 && strcmp(omk_row_text0(R, row, "deadline"), d) < 0;
}

static omk_rc kv_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, json_t *obj)
{
    (void)db;
    (void)ctx;
    (void)r;
    json_object_set_new(obj, "teLaat", json_boolean(overdue(row)));
    return OMK_OK;
}

/* Availability says when to call or write: without a telephone number or e-mail address
 * there is nothing to reach the resident at. */
static void kv_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                     json_t *body)
{
    (void)r;
    (void)old;
    (void)body;
    if (*omk_row_text0(R, row, "contactgegevens.bereikbaarheid") &&
        !*omk_row_text0(R, row, "contactgegevens.telefoonnummer") &&
        !*omk_row_text0(R, row, "contactgegevens.email"))
        omk_api_err_add(ctx, "contactgegevens.bereikbaarheid", "geen-contactgegevens",
                        "Geef ook een telefoonnummer of e-mailadres op waarop de inwoner dan "
                        "bereikbaar is.");
}

static const omk_hooks kv_hooks = {.check = kv_check, .apply = kv_apply,
                                   .decorate = kv_decorate};

static bool str_in(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return true;
    return false;
}

/* ---- handlers ---- */

typedef struct kv_job {
    omk_api_ctx *ctx;
    const char *uuid;
    json_t *body;
    omk_row *row;
    json_t *out;
    omk_query q;
    const omk_resource *order; /* the list's order (NULL: earliest deadline first) */
    long long count;
    bool conflict;
    omk_ldv *ldv;         /* the Logboek of the request */
    omk_ldv_actie *actie; /* its action; NULL once a change logged it (the answer's read) */
} kv_job;

static omk_rc read_one(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, j->ctx->a, &row);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, R, row, 1);
    return rc ? rc : omk_res_to_json(db, j->ctx, R, row, &j->out);
}

/* Inside a change: the persons of the contactverzoek as it is now, written with the change. */
static omk_rc log_change(omk_db *db, kv_job *j, const char *uuid)
{
    omk_rc rc = omk__ldv_row_uuid(db, j->actie, R, uuid, j->ctx->a);
    if (!rc)
        rc = omk__ldv_write(db, j->ldv);
    j->actie = NULL;
    return rc;
}

static omk_rc create_write(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_rc rc = omk_res_write(db, j->ctx, R, j->row, NULL, j->body, OMK_CREATE, NULL);
    return rc ? rc : log_change(db, j, j->row->uuid);
}

/* A contactverzoek for an existing klantcontact inside the caller's transaction (a chat that
 * ends in a hand-over); errors under "contactverzoek.". */
omk_rc omk__kv_create_in(omk_db *db, omk_api_ctx *ctx, json_t *body, const char *kc,
                         const char **uuid)
{
    omk_api_ctx sub = {.a = ctx->a, .base_url = ctx->base_url, .principal = ctx->principal};
    omk_row *row = NULL;
    omk_rc rc = omk_res_parse(&sub, R, body, OMK_CREATE, &row);
    if (!rc) {
        omk_row_set_text(&sub, R, row, "klantcontact", kc);
        rc = omk_res_write(db, &sub, R, row, NULL, body, OMK_CREATE, NULL);
    }
    if (rc == OMK_INVALID || (!rc && sub.nerrs)) {
        for (omk_api_err *e = sub.errs; e; e = e->next)
            omk_api_err_add(ctx, omk_arena_printf(ctx->a, "contactverzoek.%s", e->name), e->code,
                            e->reason);
        return OMK_INVALID;
    }
    if (!rc)
        *uuid = omk_arena_strdup(ctx->a, row->uuid);
    return rc;
}

omk_rc omk__kv_create(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx, .body = omk_req_json(req)};
    omk_rc rc = omk__werkplek_vereist(req);
    if (!rc)
        rc = omk__ldv_begin_res(req, R, false, "registreren", &j.ldv, &j.actie);
    if (!rc && omk_res_parse(&ctx, R, j.body, OMK_CREATE, &j.row) == OMK_OK)
        rc = omk_store_write(omk__store(req), create_write, &j);
    if (!rc && !ctx.nerrs) {
        j.uuid = j.row->uuid;
        rc = omk_store_read(omk__store(req), read_one, &j);
    }
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 201, j.out);
}

static omk_rc kv_read(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk__ldv_begin_res(req, R, false, "raadplegen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__ldv_reply_json(req, j.ldv, 200, j.out);
}

static omk_rc list_run(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, j->order ? j->order : R, &j->q, j->ctx->a, &rows, &j->count);
    if (!rc)
        rc = omk_res_prefetch(db, j->ctx, R, &rows);
    if (!rc)
        rc = omk__ldv_page(db, j->ctx, j->actie, R, rows.rows, rows.n);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *o = NULL;
        rc = omk_res_to_json(db, j->ctx, R, &rows.rows[i], &o);
        if (!rc)
            json_array_append_new(j->out, o);
    }
    return rc;
}

/* The list link to another page: the same query with page replaced. */
static bool parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0)
        *out = false;
    else
        return false;
    return true;
}

/* GET /contactverzoeken: medewerker | afdeling | groep (name of the assignee), status (open |
 * afgehandeld), teLaat, inBehandeling, gepoogd, kanaal, product, partij (uuid), page,
 * pageSize; earliest deadline first, or most recently closed first with status=afgehandeld. */
static omk_rc kv_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    omk_filter_arg *f = omk_arena_alloc(ctx.a, (nq + 4) * sizeof *f);
    char *d = omk_arena_alloc(ctx.a, 11);
    if (!f || !d)
        return OMK_NOMEM;
    today(d);
    size_t nf = 0;
    int64_t page = 1, size = 100;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *v = q[i].value;
        bool b = false;
        if (strcmp(k, "medewerker") == 0 || strcmp(k, "afdeling") == 0 || strcmp(k, "groep") == 0) {
            f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_SOORT], k};
            f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_NAAM], v};
        } else if (strcmp(k, "status") == 0) {
            if (strcmp(v, "open") && strcmp(v, "afgehandeld"))
                omk_api_err_add(&ctx, k, "invalid_choice",
                                omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.", v));
            f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_STATUS], v};
        } else if (strcmp(k, "inBehandeling") == 0 || strcmp(k, "gepoogd") == 0) {
            if (!parse_bool(v, &b)) {
                omk_api_err_add(&ctx, k, "invalid", "Moet een geldige boolean zijn.");
                continue;
            }
            f[nf++] = (omk_filter_arg){&KV_FILTERS[k[0] == 'i' ? KF_BEHANDELING : KF_GEPOOGD],
                                       b ? "true" : "false"};
        } else if (strcmp(k, "teLaat") == 0) {
            if (!parse_bool(v, &b)) {
                omk_api_err_add(&ctx, k, "invalid", "Moet een geldige boolean zijn.");
                continue;
            }
            if (b) {
                f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_STATUS], "open"};
                f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_LT], d};
            } else {
                f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_GTE], d};
            }
        } else if (strcmp(k, "kanaal") == 0 || strcmp(k, "product") == 0) {
            f[nf++] = (omk_filter_arg){&KV_FILTERS[k[0] == 'k' ? KF_KANAAL : KF_PRODUCT], v};
        } else if (strcmp(k, "partij") == 0) {
            if (!omk_uuid_valid(v, strlen(v)))
                omk_api_err_add(&ctx, k, "invalid", "Voer een geldige UUID in.");
            f[nf++] = (omk_filter_arg){&KV_FILTERS[KF_PARTIJ], v};
        } else if (strcmp(k, "page") == 0 || strcmp(k, "pageSize") == 0) {
            int64_t n = 0;
            if (!omk_parse_uint(v, strlen(v), &n) || n < 1 || (k[4] && n > MAX_PAGE))
                omk_api_err_add(&ctx, k, "invalid", "Een geldig getal is vereist.");
            else if (k[4])
                size = n;
            else
                page = n;
        } else {
            omk_api_err_add(&ctx, "nonFieldErrors", "unknown-parameters",
                            omk_arena_printf(ctx.a, "Onbekende query parameters: %s", k));
        }
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    kv_job j = {.ctx = &ctx, .out = json_array()};
    /* Closed requests are history: the most recently closed first. */
    for (size_t i = 0; i < nf; i++)
        if (f[i].f == &KV_FILTERS[KF_STATUS] && strcmp(f[i].value, "afgehandeld") == 0)
            j.order = &KV_GESLOTEN;
    j.q = (omk_query){.filters = f, .nfilters = nf, .limit = (int)size,
                      .offset = (page - 1) * size};
    omk_rc rc = omk__ldv_begin_res(req, R, true, NULL, &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_read(omk__store(req), list_run, &j);
    if (!rc && page > 1 && j.q.offset >= j.count) {
        ctx.fail_detail = "Ongeldige pagina.";
        rc = OMK_NOTFOUND;
    }
    if (rc) {
        json_decref(j.out);
        return omk__finish(req, &ctx, rc);
    }
    json_t *body = json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)j.count, "next",
                             j.q.offset + size < j.count ? json_string(omk__page_link(req, &ctx, page + 1))
                                                         : json_null(),
                             "previous", page > 1 ? json_string(omk__page_link(req, &ctx, page - 1)) : json_null(),
                             "results", j.out);
    return omk__ldv_reply_json(req, j.ldv, 200, body);
}

/* ---- afhandelen: records what was done and closes the interne taak ---- */

static omk_rc close_write(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, ctx->a, &row);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(R, row, "status"), "open") != 0) {
        j->conflict = true;
        return OMK_CONFLICT;
    }
    json_t *resultaat = json_object_get(j->body, "resultaat");
    json_t *gelukt = json_object_get(j->body, "contactGelukt");
    json_t *kanaal = json_object_get(j->body, "kanaal");
    bool ok = !gelukt || json_is_true(gelukt);
    if (json_is_string(kanaal) && json_string_length(kanaal)) {
        omk_kan_contact c = {
            .kanaal = json_string_value(kanaal),
            .onderwerp = omk_arena_printf(ctx->a, "Reactie op contactverzoek: %.150s",
                                          omk_row_text0(R, row, "onderwerp")),
            .inhoud = json_string_value(resultaat), .partij = omk_row_text(R, row, "partij"),
            .naam = omk_row_text0(R, row, "contactgegevens.naam"), .gelukt = ok};
        const char *kc = NULL;
        if ((rc = omk__kan_register(db, ctx, &c, &kc)))
            return rc;
        omk_row_set_text(ctx, R, row, "afhandeling.klantcontact", kc);
    }
    omk_row_set_text(ctx, R, row, "status", "afgehandeld");
    omk_row_set_text(ctx, R, row, "afhandeling.resultaat", json_string_value(resultaat));
    omk_row_set_text(ctx, R, row, "afhandeling.door", ctx->principal);
    omk_row_set_int(R, row, "afhandeling.contactGelukt", ok);
    omk_row_set_int(R, row, "afgehandeldOp", omk_now_ms() * 1000);
    const char *taak = omk_row_text(R, row, "internetaak");
    if (taak && (rc = omk__kan_patch(db, ctx, &omk__ki_interne_taak, taak,
                                     json_pack("{s:s}", "status", "verwerkt"), "internetaak")))
        return rc;
    rc = omk_db_update(db, R, row);
    if (!rc)
        rc = omk__wv_contactverzoek(db, ctx, row);
    return rc ? rc : log_change(db, j, j->uuid);
}

omk_rc omk__kv_close_in(omk_db *db, omk_api_ctx *ctx, const char *uuid, json_t *body)
{
    kv_job j = {.ctx = ctx, .uuid = uuid, .body = body};
    return close_write(db, &j);
}

static omk_rc check_text(omk_api_ctx *ctx, json_t *body, const char *key, bool required,
                         size_t max)
{
    json_t *v = json_object_get(body, key);
    if (!v && !required)
        return OMK_OK;
    if (!v)
        omk_api_err_add(ctx, key, "required", "Dit veld is vereist.");
    else if (!json_is_string(v) || !omk_utf8_valid(json_string_value(v), json_string_length(v)))
        omk_api_err_add(ctx, key, "invalid", "Geen geldige string.");
    else if (required && !json_string_length(v))
        omk_api_err_add(ctx, key, "blank", "Dit veld mag niet leeg zijn.");
    else if (omk_utf8_len(json_string_value(v), json_string_length(v)) > max)
        omk_api_err_add(ctx, key, "max_length",
                        omk_arena_printf(ctx->a,
                                         "Zorg ervoor dat dit veld niet meer dan %zu karakters "
                                         "bevat.", max));
    return OMK_OK;
}

static omk_rc kv_close(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx};
    j.body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    (void)check_text(&ctx, j.body, "resultaat", true, 1000);
    (void)check_text(&ctx, j.body, "kanaal", false, 50);
    json_t *g = json_object_get(j.body, "contactGelukt");
    if (g && !json_is_boolean(g))
        omk_api_err_add(&ctx, "contactGelukt", "invalid", "Moet een geldige boolean zijn.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    rc = omk__ldv_begin_res(req, R, false, "afhandelen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), close_write, &j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "afgehandeld", "Dit contactverzoek is al afgehandeld.");
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, j.out);
}

/* ---- pogingen: a contact attempt that did not reach the resident; the request stays open ---- */

static omk_rc attempt_write(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, ctx->a, &row);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(R, row, "status"), "open") != 0) {
        j->conflict = true;
        return OMK_CONFLICT;
    }
    json_t *k = json_object_get(j->body, "kanaal"), *t = json_object_get(j->body, "toelichting");
    const char *kanaal = json_is_string(k) && json_string_length(k) ? json_string_value(k)
                                                                     : "telefoon";
    const char *toelichting = json_is_string(t) ? json_string_value(t) : "";
    int64_t now = omk_now_ms() * 1000;
    omk_kan_contact c = {
        .kanaal = kanaal,
        .onderwerp = omk_arena_printf(ctx->a, "Contactpoging: %.150s",
                                      omk_row_text0(R, row, "onderwerp")),
        .inhoud = *toelichting ? toelichting : "Niet bereikt.",
        .partij = omk_row_text(R, row, "partij"),
        .naam = omk_row_text0(R, row, "contactgegevens.naam"), .gelukt = false};
    const char *kc = NULL;
    if ((rc = omk__kan_register(db, ctx, &c, &kc)))
        return rc;
    omk_row *p = omk_row_new(&POGING, ctx->a);
    if (!p)
        return OMK_NOMEM;
    omk_uuid4(p->uuid);
    p->v[P_VERZOEK] = omk_text0(row->uuid);
    p->v[P_TIJDSTIP] = omk_int(now);
    p->v[P_KANAAL] = omk_text0(kanaal);
    p->v[P_TOELICHTING] = omk_text0(toelichting);
    p->v[P_DOOR] = omk_text0(ctx->principal);
    p->v[P_KC] = omk_text0(kc);
    if ((rc = omk_db_insert(db, &POGING, p)))
        return rc;
    omk_row_set_int(R, row, "laatstePogingOp", now);
    if (!omk_row_text(R, row, "inBehandeling.door")) {
        omk_row_set_text(ctx, R, row, "inBehandeling.door", ctx->principal ? ctx->principal : "");
        omk_row_set_int(R, row, "inBehandeling.sinds", now);
    }
    return omk_db_update(db, R, row);
}

/* ---- oppakken: the employee takes the request in hand ("in behandeling") ---- */

static omk_rc take_write(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, ctx->a, &row);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(R, row, "status"), "open") != 0) {
        j->conflict = true;
        return OMK_CONFLICT;
    }
    omk_row_set_text(ctx, R, row, "inBehandeling.door", ctx->principal ? ctx->principal : "");
    omk_row_set_int(R, row, "inBehandeling.sinds", omk_now_ms() * 1000);
    rc = omk_db_update(db, R, row);
    return rc ? rc : omk__wv_contactverzoek(db, ctx, row);
}

/* Runs `write` on the contactverzoek in the path and answers it as it now is; 409 (`code`
 * `afgehandeld`) when it was already closed. */
static omk_rc kv_change(omk_req *req, kv_job *j, omk_store_fn write)
{
    omk_rc rc = omk_store_write(omk__store(req), write, j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "afgehandeld", "Dit contactverzoek is al afgehandeld.");
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, j);
    if (rc || j->ctx->nerrs)
        return omk__finish(req, j->ctx, rc);
    return omk_req_reply_json(req, 200, j->out);
}

static omk_rc kv_attempt(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx};
    j.body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    (void)check_text(&ctx, j.body, "kanaal", false, 50);
    (void)check_text(&ctx, j.body, "toelichting", false, 1000);
    json_t *k = json_object_get(j.body, "kanaal");
    if (!ctx.nerrs && json_is_string(k) && json_string_length(k) &&
        !str_in(json_string_value(k), POGING_KANALEN))
        omk_api_err_add(&ctx, "kanaal", "invalid_choice",
                        omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.",
                                         json_string_value(k)));
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    return kv_change(req, &j, attempt_write);
}

static omk_rc kv_take(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return kv_change(req, &j, take_write);
}

/* ---- toewijzen: another medewerker, afdeling or groep ---- */

static omk_rc assign_write(omk_db *db, void *arg)
{
    kv_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, ctx->a, &row);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(R, row, "status"), "open") != 0) {
        j->conflict = true;
        return OMK_CONFLICT;
    }
    const char *soort = omk_row_text0(R, j->row, "toegewezenAan.soort"), *naam = omk_row_text0(R, j->row, "toegewezenAan.naam");
    const char *email = omk_row_text(R, j->row, "toegewezenAan.email");
    const char *actor = NULL;
    if ((rc = omk__kan_actor(db, ctx, soort, naam, &actor)))
        return rc;
    omk_row_set_text(ctx, R, row, "toegewezenAan.soort", soort);
    omk_row_set_text(ctx, R, row, "toegewezenAan.naam", naam);
    omk_row_set_text(ctx, R, row, "toegewezenAan.email", email ? email : "");
    omk_row_set_text(ctx, R, row, "toegewezenAan.actor", actor);
    /* Forwarded: nobody at the new assignee has taken it in hand yet. */
    row->v[omk_model_field_index(R, "inBehandeling.door")] = (omk_value){.t = OMK_V_NULL};
    row->v[omk_model_field_index(R, "inBehandeling.sinds")] = (omk_value){.t = OMK_V_NULL};
    const char *taak = omk_row_text(R, row, "internetaak");
    if (taak && (rc = omk__kan_patch(db, ctx, &omk__ki_interne_taak, taak,
                                     json_pack("{s:[o]}", "toegewezenAanActoren", ref(actor)),
                                     "internetaak")))
        return rc;
    rc = omk_db_update(db, R, row);
    if (!rc)
        rc = omk__wv_contactverzoek(db, ctx, row);
    return rc ? rc : log_change(db, j, j->uuid);
}

static omk_rc kv_assign(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kv_job j = {.ctx = &ctx};
    j.body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    /* Only the toegewezenAan group is read from the body; parse checks it like on create. */
    json_t *only = json_pack("{s:O?}", "toegewezenAan", json_object_get(j.body, "toegewezenAan"));
    if (!only || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, only))
        return OMK_NOMEM;
    omk_api_ctx sub = {.a = ctx.a, .base_url = ctx.base_url};
    if (omk_res_parse(&sub, R, only, OMK_PATCH, &j.row) != OMK_OK || !json_object_get(only, "toegewezenAan") ||
        json_is_null(json_object_get(only, "toegewezenAan"))) {
        for (omk_api_err *e = sub.errs; e; e = e->next)
            if (strncmp(e->name, "toegewezenAan", 13) == 0)
                omk_api_err_add(&ctx, e->name, e->code, e->reason);
        if (!ctx.nerrs)
            omk_api_err_add(&ctx, "toegewezenAan", "required", "Dit veld is vereist.");
        return omk__finish(req, &ctx, OMK_INVALID);
    }
    rc = omk__ldv_begin_res(req, R, false, "toewijzen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), assign_write, &j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "afgehandeld", "Dit contactverzoek is al afgehandeld.");
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, j.out);
}

/* ---- escalation ---- */

typedef struct esc_job {
    omk_arena *a;
    omk_rowset due;
    char today[11];
    json_t *escalated;       /* uuids */
    const char **mail_uuids; /* escalated ones with an e-mail address to notify */
    size_t nmail;
} esc_job;

static omk_rc load_due(omk_db *db, void *arg)
{
    esc_job *j = arg;
    omk_filter_arg f[] = {{&KV_FILTERS[KF_STATUS], "open"}, {&KV_FILTERS[KF_LT], j->today},
                          {&KV_FILTERS[KF_ESC], "false"}};
    omk_query q = {.filters = f, .nfilters = 3, .limit = 500};
    return omk_db_list(db, R, &q, j->a, &j->due, NULL);
}

static omk_rc mark_escalated(omk_db *db, void *arg)
{
    esc_job *j = arg;
    j->mail_uuids = omk_arena_alloc(j->a, (j->due.n + 1) * sizeof *j->mail_uuids);
    if (!j->mail_uuids)
        return OMK_NOMEM;
    for (size_t i = 0; i < j->due.n; i++) {
        omk_row *row = NULL;
        omk_rc rc = omk_db_get(db, R, j->due.rows[i].uuid, j->a, &row);
        if (rc == OMK_NOTFOUND)
            continue;
        if (rc)
            return rc;
        int esc = omk_model_field_index(R, "geescaleerdOp");
        if (row->v[esc].t != OMK_V_NULL || strcmp(omk_row_text0(R, row, "status"), "open") != 0)
            continue;
        omk_api_ctx ctx = {.a = j->a, .base_url = omk_row_text0(R, row, "basisUrl"), .principal = ""};
        const char *email = omk_row_text0(R, row, "toegewezenAan.email");
        const char *cfg_smtp = omk__kan_config()->smtp.url;
        omk_row_set_int(R, row, "geescaleerdOp", omk_now_ms() * 1000);
        omk_row_set_text(&ctx, R, row, "escalatieMail",
                         !*email ? "geen-adres" : !cfg_smtp ? "niet-geconfigureerd" : "wordt-verzonden");
        if ((rc = omk_db_update(db, R, row)))
            return rc;
        json_t *kenmerken = json_pack("{s:s, s:s, s:s, s:s}", "deadline", omk_row_text0(R, row, "deadline"),
                                      "toegewezenAanSoort", omk_row_text0(R, row, "toegewezenAan.soort"),
                                      "toegewezenAanNaam", omk_row_text0(R, row, "toegewezenAan.naam"),
                                      "kanaal", omk_row_text0(R, row, "kanaal"));
        if ((rc = omk__notify_enqueue_msg(db, &ctx, "contactverzoeken", "contactverzoek",
                                          omk_res_url(&ctx, R, row->uuid), "escalatie",
                                          kenmerken)))
            return rc;
        json_array_append_new(j->escalated, json_string(row->uuid));
        if (*email && cfg_smtp)
            j->mail_uuids[j->nmail++] = omk_arena_strdup(j->a, row->uuid);
    }
    return OMK_OK;
}

/* Header text without CR/LF; non-ASCII as an RFC 2047 encoded word. */
static const char *header_text(omk_arena *a, const char *s)
{
    char *clean = omk_arena_strdup(a, s);
    bool ascii = true;
    for (char *p = clean; p && *p; p++) {
        if (*p == '\r' || *p == '\n')
            *p = ' ';
        ascii = ascii && (unsigned char)*p < 0x80;
    }
    if (!clean || ascii)
        return clean ? clean : "";
    size_t n = strlen(clean), m = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = omk_arena_alloc(a, m);
    if (!b64)
        return "";
    sodium_bin2base64(b64, m, (const unsigned char *)clean, n, sodium_base64_VARIANT_ORIGINAL);
    return omk_arena_printf(a, "=?UTF-8?B?%s?=", b64);
}

static omk_rc save_mail_outcome(omk_db *db, void *arg)
{
    omk_row *row = arg;
    return omk_db_update(db, R, row);
}

static omk_rc get_row(omk_db *db, void *arg)
{
    esc_job *j = arg;
    return omk_db_get(db, R, j->mail_uuids[0], j->a, &j->due.rows);
}

/* Mails the assignee of one escalated contactverzoek and records the outcome. */
static void mail_assignee(omk_store *s, esc_job *j, const char *uuid)
{
    const omk_kanalen_config *cfg = omk__kan_config();
    esc_job one = {.a = j->a, .mail_uuids = &uuid};
    if (omk_store_read(s, get_row, &one))
        return;
    omk_row *row = one.due.rows;
    omk_api_ctx ctx = {.a = j->a, .base_url = omk_row_text0(R, row, "basisUrl")};
    char date[32], id[37];
    omk_time_format(omk_now_ms() * 1000, date);
    omk_uuid4(id);
    const char *to = omk_row_text0(R, row, "toegewezenAan.email");
    const char *msg = omk_arena_printf(
        j->a,
        "From: Omnikanaal <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
        "Message-ID: <%s@omnikanaal>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Beste %s,\r\n\r\nHet contactverzoek \"%s\" (kanaal %s) had uiterlijk %s afgehandeld "
        "moeten zijn en staat nog open.\r\n\r\nBekijk het contactverzoek: %s\r\n",
        cfg->mail_from, header_text(j->a, to),
        header_text(j->a, omk_arena_printf(j->a, "Contactverzoek over de termijn: %s",
                                           omk_row_text0(R, row, "onderwerp"))),
        date, id, omk_row_text0(R, row, "toegewezenAan.naam"), omk_row_text0(R, row, "onderwerp"), omk_row_text0(R, row, "kanaal"),
        omk_row_text0(R, row, "deadline"), omk_res_url(&ctx, R, row->uuid));
    char err[256] = "";
    const char *rcpt[] = {to};
    omk_rc rc = msg ? omk_smtp_send(&cfg->smtp, cfg->mail_from, rcpt, 1, msg, strlen(msg), 10000,
                                    err, sizeof err)
                    : OMK_NOMEM;
    omk_row_set_text(&ctx, R, row, "escalatieMail",
                     rc ? omk_arena_printf(j->a, "mislukt: %s", err) : "verzonden");
    if (rc)
        omk_log_error("kanalen", "escalation mail for %s failed: %s", row->uuid, err);
    if (omk_store_write(s, save_mail_outcome, row))
        omk_log_error("kanalen", "could not record the escalation mail outcome");
}

omk_rc omk__kv_escalate(omk_store *s, omk_arena *a, json_t *escalated)
{
    esc_job j = {.a = a, .escalated = escalated};
    today(j.today);
    omk_rc rc = omk_store_read(s, load_due, &j);
    if (rc || j.due.n == 0)
        return rc;
    if ((rc = omk_store_write(s, mark_escalated, &j)))
        return rc;
    for (size_t i = 0; i < j.nmail; i++)
        mail_assignee(s, &j, j.mail_uuids[i]);
    return OMK_OK;
}

static omk_rc kv_escalate_now(omk_req *req)
{
    json_t *done = json_array();
    if (!done || omk_arena_defer(omk_req_arena(req), (omk_cleanup_fn)json_decref, done))
        return OMK_NOMEM;
    omk_rc rc = omk__kv_escalate(omk__store(req), omk_req_arena(req), done);
    if (rc)
        return rc;
    return omk_req_reply_json(req, 200, json_pack("{s:O}", "geescaleerd", done));
}

size_t omk__kv_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_resource *norm = &omk__kv_servicenorm;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/contactverzoeken", kv_list, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken", omk__kv_create, R, api, OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken/_escaleer", kv_escalate_now, R, api, 0, 0, NULL},
        {"GET", KAN_BASE "/contactverzoeken/{uuid}", kv_read, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken/{uuid}/afhandelen", kv_close, R, api,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken/{uuid}/toewijzen", kv_assign, R, api,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken/{uuid}/pogingen", kv_attempt, R, api,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/contactverzoeken/{uuid}/oppakken", kv_take, R, api, 0, 0, NULL},
        {"GET", KAN_BASE "/servicenormen", omk__res_list, norm, api, 0, 0, NULL},
        {"POST", KAN_BASE "/servicenormen", omk__res_create, norm, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/servicenormen/{uuid}", omk__res_read, norm, api, 0, 0, NULL},
        {"PUT", KAN_BASE "/servicenormen/{uuid}", omk__res_put, norm, api, OMK_ROUTE_BODY, 0, NULL},
        {"PATCH", KAN_BASE "/servicenormen/{uuid}", omk__res_patch, norm, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"DELETE", KAN_BASE "/servicenormen/{uuid}", omk__res_delete, norm, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
