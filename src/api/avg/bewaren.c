/* Retention and destruction (Archiefwet 1995 art. 3, Archiefbesluit art. 8; Selectielijst
 * gemeenten en intergemeentelijke organen 2020; ../shared/spec/standards-2.md §5). Each kind
 * of record has a retention term (configurable, defaults from the selectielijst); a
 * destruction list proposes what has passed it, leaving out what a legal hold (bewaarplicht)
 * on a partij or a zaak keeps and every contact that belongs to a zaak (it follows the zaak's
 * own term, kept by the zaaksysteem); a second privacy officer approves it (four eyes), and
 * then everything belonging to the records goes in one transaction — the rows, what the
 * schema cascades, the files they carried — and a verklaring van vernietiging without personal
 * data stays: per kind how many, on what ground, when, by whom. Any worker thread. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "avg/avg_int.h"
#include "engine/logboek.h"
#include "kanalen/kanalen.h"
#include "kennisbank/kennisbank.h"
#include "klantinteracties/klantinteracties.h"
#include "omk/api.h"
#include "omk/log.h"
#include "omk/ticker.h"
#include "omk/util.h"

#define MAX_PER_SOORT 10000 /* records of one kind on one list; a next list takes the rest */
#define MAX_HOLDS 1000

/* The kinds of record with a retention term: the date it runs from, the default and its
 * ground. A klantcontact fits "informatieverzoek ingewilligd" (6.1.3, 1 year) unless it
 * belongs to a zaak; a complaint (13.1, 5 years) will get its own kind with klachten. */
typedef struct bewaar_soort {
    const char *soort;
    const omk_resource *r;
    const char *datum; /* the field the term runs from */
    int maanden;       /* default term */
    const char *grond;
} bewaar_soort;

static const bewaar_soort SOORTEN[] = {
    {"klantcontact", &omk__ki_klantcontact, "plaatsgevondenOp", 12,
     "Selectielijst gemeenten 2020, 6.1.3 (informatieverzoek ingewilligd): 1 jaar"},
    {"gesprek", &omk__kan_gesprek, "laatsteBerichtOp", 12,
     "Selectielijst gemeenten 2020, 6.1.3 (informatieverzoek ingewilligd): 1 jaar na het laatste bericht"},
    {"contactverzoek", &omk__kv_contactverzoek, "afgehandeldOp", 12,
     "Selectielijst gemeenten 2020, 6.1.3 (informatieverzoek ingewilligd): 1 jaar na afhandeling"},
    {"baliebezoek", &omk__kan_balie, "aangemeldOp", 12,
     "Selectielijst gemeenten 2020, 6.1.3 (informatieverzoek ingewilligd): 1 jaar"},
    {"oproep", &omk__kan_oproep, "aangebodenOp", 12,
     "Selectielijst gemeenten 2020, 6.1.3 (informatieverzoek ingewilligd): 1 jaar"},
    {"zoekvraag", &omk__kb_zoekvraag, "tijdstip", 6,
     "Geen selectielijstklasse: gebruiksgegevens van de kennisbank (ook zoekvragen zonder "
     "resultaat, die namen kunnen bevatten), naar 19.1.24 (login-gegevens): 6 maanden; "
     "AVG art. 5(1)(e)"},
    /* The Logboek itself: no resource, its rows go up to a pruning point (omk_db_ldv_prune). */
    {"logboek", NULL, NULL, 24,
     "Geen selectielijstklasse: verantwoording van verwerkingen (AVG art. 5(2)), langer dan de "
     "contacten waarover het gaat (1 jaar): 2 jaar; stem af met de archivaris"},
};

static const bewaar_soort *soort_of(const char *naam)
{
    for (size_t i = 0; naam && i < OMK_COUNT(SOORTEN); i++)
        if (strcmp(SOORTEN[i].soort, naam) == 0)
            return &SOORTEN[i];
    return NULL;
}

/* ---- declared resources: settings, legal holds, destruction lists ---- */

static const omk_field SETTING_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING},
    {.json = "waarde", .column = "waarde", .type = OMK_F_STRING},
};
static const omk_resource INSTELLING = {
    .name = "instellingen", .model = "Instelling", .table = "instellingen",
    .fields = SETTING_FIELDS, .nfields = OMK_COUNT(SETTING_FIELDS), .api_base = "",
};

static const char *const HOLD_SOORTEN[] = {"partij", "zaak", NULL};
static const omk_field HOLD_FIELDS[] = {
    {.json = "soort", .column = "soort", .type = OMK_F_ENUM, .choices = HOLD_SOORTEN},
    {.json = "objectId", .column = "object_id", .type = OMK_F_STRING, .max_len = 200},
    {.json = "reden", .column = "reden", .type = OMK_F_STRING, .max_len = 1000},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
};
static const omk_filter HOLD_FILTERS[] = {
    {"soort", "soort", OMK_OP_EQ},
    {"objectId", "objectId", OMK_OP_EQ},
};
/* A hold on a partij is personal data (that someone's records are kept for a lawsuit); a hold
 * on a zaak names the zaak. The Logboek logs each under its own kind of id. */
static const omk_subjects HOLD_SUBJECTS = {
    "bewaarplichten", "bewaarplicht",
    {{.column = "object_id", .when_column = "soort", .when_value = "partij"},
     {.column = "object_id", .when_column = "soort", .when_value = "zaak",
      .soort = OMK_LDV_T_ZAAK}}};

/* A hold on a partij names one that exists: a typo would keep nothing, silently. */
static omk_rc hold_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                         const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    const char *soort = omk_row_text(r, row, "soort");
    const char *id = omk_row_text(r, row, "objectId");
    if (!soort || !id || strcmp(soort, "partij") != 0)
        return OMK_OK;
    omk_row *partij = NULL;
    omk_rc rc = omk_uuid_valid(id, strlen(id)) ? omk_db_get(db, &omk__ki_partij, id, ctx->a, &partij)
                                   : OMK_NOTFOUND;
    if (rc == OMK_NOTFOUND) {
        omk_api_err_add(ctx, "objectId", "does_not_exist",
                        "Er is geen partij met deze uuid: een bewaarplicht op een partij "
                        "noemt een bestaande partij.");
        return OMK_INVALID;
    }
    return rc;
}

static const omk_hooks HOLD_HOOKS = {.apply = hold_apply};

const omk_resource omk__avg_bewaarplicht = {
    .name = "bewaarplichten", .model = "Bewaarplicht", .table = "bewaarplichten",
    .fields = HOLD_FIELDS, .nfields = OMK_COUNT(HOLD_FIELDS), .filters = HOLD_FILTERS,
    .nfilters = OMK_COUNT(HOLD_FILTERS), .api_base = "/avg/api/v1", .hooks = &HOLD_HOOKS,
    .subjects = &HOLD_SUBJECTS,
};

static const omk_field LIJST_FIELDS[] = {
    {.json = "status", .column = "status", .type = OMK_F_STRING},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
    {.json = "opgesteldDoor", .column = "opgesteld_door", .type = OMK_F_STRING},
    {.json = "beoordeeldDoor", .column = "beoordeeld_door", .type = OMK_F_STRING,
     .flags = OMK_NULLABLE},
    {.json = "uitgevoerdOp", .column = "uitgevoerd_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "items", .column = "items", .type = OMK_F_STRING},
    {.json = "verklaring", .column = "verklaring", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "voorbeoordeeldDoor", .column = "voorbeoordeeld_door", .type = OMK_F_STRING,
     .flags = OMK_NULLABLE},
};
enum { L_STATUS, L_AANGEMAAKT, L_DOOR, L_BEOORDEELD, L_UITGEVOERD, L_ITEMS, L_VERKLARING,
       L_VOOR };

/* Who proposes the lists the schedule makes: two officers then judge it (four eyes). */
#define PLANNING "planning"
static const omk_resource LIJST = {
    .name = "vernietigingslijsten", .model = "Vernietigingslijst",
    .table = "vernietigingslijsten", .fields = LIJST_FIELDS, .nfields = OMK_COUNT(LIJST_FIELDS),
    .api_base = "/avg/api/v1",
};

/* ---- terms ---- */

static omk_rc term_of(omk_db *db, omk_arena *a, const bewaar_soort *s, int *maanden)
{
    char naam[64];
    snprintf(naam, sizeof naam, "bewaartermijn.%s", s->soort);
    omk_cond c = {"naam", omk_text(naam)};
    omk_query q = {.conds = &c, .nconds = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &INSTELLING, &q, a, &rows, NULL);
    int64_t v = 0;
    *maanden = s->maanden;
    if (!rc && rows.n && rows.rows[0].v[1].s &&
        omk_parse_uint(rows.rows[0].v[1].s, rows.rows[0].v[1].n, &v) && v > 0)
        *maanden = (int)v;
    return rc;
}

/* now minus `maanden` calendar months, as the API writes a time ("…Z"); returns it in ms. */
static int64_t cutoff(int maanden, char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_mon -= maanden;
    t = timegm(&tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    return (int64_t)t * 1000;
}

typedef struct term_job {
    omk_api_ctx *ctx;
    const char *soort;
    int64_t maanden;
    json_t *out;
} term_job;

static omk_rc terms_read(omk_db *db, void *arg)
{
    term_job *j = arg;
    for (size_t i = 0; i < OMK_COUNT(SOORTEN); i++) {
        int m = 0;
        omk_rc rc = term_of(db, j->ctx->a, &SOORTEN[i], &m);
        if (rc)
            return rc;
        json_array_append_new(j->out, json_pack("{s:s, s:i, s:i, s:s}", "soort",
                                                SOORTEN[i].soort, "termijnMaanden", m,
                                                "standaardMaanden", SOORTEN[i].maanden, "grond",
                                                SOORTEN[i].grond));
    }
    return OMK_OK;
}

/* GET /bewaartermijnen */
static omk_rc terms_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    term_job j = {.ctx = &ctx, .out = json_array()};
    omk_rc rc = j.out ? omk_store_read(omk__store(req), terms_read, &j) : OMK_NOMEM;
    if (rc) {
        json_decref(j.out);
        return omk__finish(req, &ctx, rc);
    }
    return omk_req_reply_json(req, 200, json_pack("{s:o}", "results", j.out));
}

static omk_rc term_write(omk_db *db, void *arg)
{
    term_job *j = arg;
    char naam[64], waarde[24];
    snprintf(naam, sizeof naam, "bewaartermijn.%s", j->soort);
    snprintf(waarde, sizeof waarde, "%lld", (long long)j->maanden);
    omk_cond c = {"naam", omk_text(naam)};
    bool found = false;
    omk_rc rc = omk_db_exists(db, &INSTELLING, &c, 1, NULL, &found);
    if (!rc && found)
        return omk_db_set_where(db, &INSTELLING, "waarde", omk_text(waarde), &c, 1, NULL);
    omk_row *row = rc ? NULL : omk_row_new(&INSTELLING, j->ctx->a);
    if (!rc && !row)
        return OMK_NOMEM;
    if (rc)
        return rc;
    omk_uuid4(row->uuid);
    row->v[0] = omk_text(omk_arena_strdup(j->ctx->a, naam));
    row->v[1] = omk_text(omk_arena_strdup(j->ctx->a, waarde));
    return omk_db_insert(db, &INSTELLING, row);
}

/* PUT /bewaartermijnen/{soort} {termijnMaanden}: the municipality's own term for a kind. */
static omk_rc term_put(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const bewaar_soort *s = soort_of(omk_req_param(req, 0));
    if (!s)
        return OMK_NOTFOUND;
    json_t *body = omk_req_json(req);
    json_t *m = json_object_get(body, "termijnMaanden");
    if (!json_is_integer(m) || json_integer_value(m) < 1 || json_integer_value(m) > 1200)
        omk_api_err_add(&ctx, "termijnMaanden", m ? "invalid" : "required",
                        m ? "Een geheel aantal maanden van 1 tot en met 1200."
                          : "Dit veld is vereist.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    term_job j = {.ctx = &ctx, .soort = s->soort, .maanden = json_integer_value(m)};
    omk_rc rc = omk_store_write(omk__store(req), term_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, json_pack("{s:s, s:I, s:i, s:s}", "soort", s->soort,
                                                  "termijnMaanden", (json_int_t)j.maanden,
                                                  "standaardMaanden", s->maanden, "grond",
                                                  s->grond));
}

/* ---- what may go ---- */

typedef struct holds {
    const char **partijen, **zaken;
    size_t np, nz;
} holds;

static omk_rc holds_read(omk_db *db, omk_arena *a, holds *h)
{
    omk_query q = {.limit = MAX_HOLDS};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__avg_bewaarplicht, &q, a, &rows, NULL);
    h->partijen = omk_arena_alloc(a, (rows.n + 1) * sizeof *h->partijen);
    h->zaken = omk_arena_alloc(a, (rows.n + 1) * sizeof *h->zaken);
    if (!rc && (!h->partijen || !h->zaken))
        rc = OMK_NOMEM;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *soort = omk_row_text(&omk__avg_bewaarplicht, &rows.rows[i], "soort");
        const char *id = omk_row_text(&omk__avg_bewaarplicht, &rows.rows[i], "objectId");
        if (soort && id && strcmp(soort, "partij") == 0)
            h->partijen[h->np++] = id;
        else if (soort && id)
            h->zaken[h->nz++] = id;
    }
    return rc;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcasecmp(list[i], s) == 0)
            return true;
    return false;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The klantcontacten among objecten's that belong to a zaak (an onderwerpobject of a zaak type,
 * or one a legal hold names): they follow the zaak's term, not ours. Sorted, for bsearch. */
static omk_rc bij_zaak(omk_arena *a, const omk_rowset *objecten, const holds *h,
                       const char ***out, size_t *n)
{
    const omk_resource *o = &omk__ki_onderwerpobject;
    *n = 0;
    *out = omk_arena_alloc(a, (objecten->n + 1) * sizeof **out);
    if (!*out)
        return OMK_NOMEM;
    for (size_t i = 0; i < objecten->n; i++) {
        const omk_row *row = &objecten->rows[i];
        const char *kc = omk_row_text(o, row, "klantcontact");
        const char *type = omk_row_text(o, row, "onderwerpobjectidentificator.codeObjecttype");
        const char *id = omk_row_text(o, row, "onderwerpobjectidentificator.objectId");
        if (kc && ((type && strcasestr(type, "zaak")) || in_list(h->zaken, h->nz, id)))
            (*out)[(*n)++] = kc;
    }
    qsort(*out, *n, sizeof **out, cmp_str);
    return OMK_OK;
}

/* The Logboek's rows past its term, as one item {soort, tot, aantal, verwerkingen}: they go
 * up to a pruning point, not one by one. */
static omk_rc logboek_candidate(omk_db *db, omk_arena *a, const bewaar_soort *s, json_t *list)
{
    int maanden = 0;
    omk_rc rc = term_of(db, a, s, &maanden);
    char voor[32];
    int64_t ms = cutoff(maanden, voor);
    omk_ldv_snoei sn = {0};
    if (!rc)
        rc = omk_db_ldv_prunable(db, ms, &sn);
    if (!rc && sn.tot)
        json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:I, s:s}", "soort", s->soort,
                                              "tot", (json_int_t)sn.tot, "aantal",
                                              (json_int_t)sn.records, "verwerkingen",
                                              (json_int_t)sn.rows, "datum", voor));
    return rc;
}

/* The records of kind s past their term and not kept, as {soort, uuid, datum} in list; their
 * persons added to x (proposing a list reads the register). */
static omk_rc candidates(omk_db *db, omk_arena *a, const bewaar_soort *s, const holds *h,
                         omk_ldv_actie *x, json_t *list)
{
    if (!s->r)
        return logboek_candidate(db, a, s, list);
    int maanden = 0;
    omk_rc rc = term_of(db, a, s, &maanden);
    char voor[32];
    cutoff(maanden, voor);
    omk_filter f = {"_voor", s->datum, OMK_OP_LT};
    omk_filter_arg fa = {&f, voor};
    omk_query q = {.filters = &fa, .nfilters = 1, .limit = MAX_PER_SOORT};
    omk_rowset rows = {0}, held = {0}, objecten = {0};
    if (!rc)
        rc = omk_db_list(db, s->r, &q, a, &rows, NULL);
    if (!rc)
        rc = omk__avg_rows_about(db, a, s->r, h->partijen, h->np, &held);
    const char **uuids = rows.n ? omk_arena_alloc(a, rows.n * sizeof *uuids) : NULL;
    if (!rc && rows.n && !uuids)
        return OMK_NOMEM;
    for (size_t i = 0; i < rows.n; i++)
        uuids[i] = rows.rows[i].uuid;
    if (!rc && s->r == &omk__ki_klantcontact && rows.n)
        rc = omk__avg_rows_where(db, a, &omk__ki_onderwerpobject, "klantcontact", uuids, rows.n,
                                 &objecten);
    const char **zaak = NULL;
    size_t nzaak = 0;
    if (!rc)
        rc = bij_zaak(a, &objecten, h, &zaak, &nzaak);
    int di = omk_model_field_index(s->r, s->datum);
    omk_row *kept = rows.n ? omk_arena_alloc(a, rows.n * sizeof *kept) : NULL;
    size_t nkept = 0;
    if (!rc && rows.n && !kept)
        return OMK_NOMEM;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *row = &rows.rows[i];
        const char *key = row->uuid;
        if (omk__avg_has(&held, row->uuid) ||
            (nzaak && bsearch(&key, zaak, nzaak, sizeof *zaak, cmp_str)))
            continue;
        kept[nkept++] = *row;
        char datum[32] = "";
        if (di >= 0 && row->v[di].t == OMK_V_INT)
            omk_time_format(row->v[di].i, datum);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "soort", s->soort, "uuid",
                                              row->uuid, "datum", datum));
    }
    return rc ? rc : omk__ldv_rows(db, x, s->r, kept, nkept);
}

/* ---- destruction lists ---- */

typedef struct lijst_job {
    omk_api_ctx *ctx;
    const char *uuid, *door, *reden;
    omk_row *row;
    json_t *items;       /* propose: the items */
    json_t *verklaring;  /* approve: the verklaring van vernietiging */
    size_t behouden;     /* approve: items kept after all (a hold added meanwhile) */
    bool gepland;        /* propose: by the schedule (only when due and none is open) */
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} lijst_job;

static json_t *lijst_json(omk_api_ctx *ctx, const omk_row *row)
{
    json_t *items = json_loads(row->v[L_ITEMS].s ? row->v[L_ITEMS].s : "[]", 0, NULL);
    json_t *verklaring = row->v[L_VERKLARING].t == OMK_V_TEXT
                             ? json_loads(row->v[L_VERKLARING].s, 0, NULL)
                             : NULL;
    char aangemaakt[32] = "", uitgevoerd[32] = "";
    omk_time_format(row->v[L_AANGEMAAKT].i, aangemaakt);
    if (row->v[L_UITGEVOERD].t == OMK_V_INT)
        omk_time_format(row->v[L_UITGEVOERD].i, uitgevoerd);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o}", "uuid", row->uuid,
                     "url",
                     omk_arena_printf(ctx->a, "%s/avg/api/v1/vernietigingslijsten/%s",
                                      ctx->base_url, row->uuid),
                     "status", row->v[L_STATUS].s, "aangemaaktOp", aangemaakt, "opgesteldDoor",
                     row->v[L_DOOR].s, "beoordeeldDoor",
                     row->v[L_BEOORDEELD].t == OMK_V_TEXT ? row->v[L_BEOORDEELD].s : NULL,
                     "voorbeoordeeldDoor",
                     row->v[L_VOOR].t == OMK_V_TEXT ? row->v[L_VOOR].s : NULL,
                     "uitgevoerdOp", *uitgevoerd ? uitgevoerd : NULL, "items",
                     items ? items : json_array(), "verklaring",
                     verklaring ? verklaring : json_null());
}

/* Proposes a list (in db's write transaction) of everything past its term and not kept, by
 * j->door, its persons logged in j->actie. With j->gepland (the schedule) nothing is proposed
 * (j->row stays NULL) while a list awaits its judgement or when nothing passed its term. */
static omk_rc propose_write(omk_db *db, void *arg)
{
    lijst_job *j = arg;
    omk_rc rc = OMK_OK;
    if (j->gepland) {
        omk_cond c = {"status", omk_text("voorgesteld")};
        bool open = false;
        rc = omk_db_exists(db, &LIJST, &c, 1, NULL, &open);
        if (rc || open)
            return rc;
    }
    holds h = {0};
    rc = holds_read(db, j->ctx->a, &h);
    for (size_t i = 0; !rc && i < OMK_COUNT(SOORTEN); i++)
        rc = candidates(db, j->ctx->a, &SOORTEN[i], &h, j->actie, j->items);
    if (rc || (j->gepland && json_array_size(j->items) == 0))
        return rc;
    char *text = json_dumps(j->items, JSON_COMPACT);
    if (!text)
        return OMK_NOMEM;
    omk_row *row = omk_row_new(&LIJST, j->ctx->a);
    if (!row) {
        free(text);
        return OMK_NOMEM;
    }
    omk_uuid4(row->uuid);
    row->v[L_STATUS] = omk_text("voorgesteld");
    row->v[L_AANGEMAAKT] = omk_int(omk_now_ms() * 1000);
    row->v[L_DOOR] = omk_text(j->door);
    row->v[L_ITEMS] = omk_text(omk_arena_strdup(j->ctx->a, text));
    free(text);
    j->row = row;
    rc = omk_db_insert(db, &LIJST, row);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

#define LOG_OPSTELLEN "Vernietigingslijst opstellen"

/* The principal acting: a token's or an account's name. */
static const char *door_of(omk_api_ctx *ctx)
{
    return ctx->principal && *ctx->principal ? ctx->principal : "onbekend";
}

/* POST /vernietigingslijsten: proposes what has passed its term. */
static omk_rc lijst_create(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    lijst_job j = {.ctx = &ctx, .items = json_array()};
    j.door = door_of(&ctx);
    if (!j.items || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.items))
        return OMK_NOMEM;
    omk_rc rc = omk__ldv_begin(req, &j.ldv);
    if (!rc && j.ldv && !(j.actie = omk__ldv_actie(j.ldv, LOG_OPSTELLEN, NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_write(omk__store(req), propose_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = lijst_json(&ctx, j.row);
    return out ? omk_req_reply_json(req, 201, out) : OMK_NOMEM;
}

static omk_rc lijst_load(omk_db *db, lijst_job *j)
{
    return omk_db_get(db, &LIJST, j->uuid, j->ctx->a, &j->row);
}

static omk_rc lijst_read_job(omk_db *db, void *arg)
{
    return lijst_load(db, arg);
}

static omk_rc lijsten_read(omk_db *db, void *arg)
{
    lijst_job *j = arg;
    omk_query q = {.limit = 50};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &LIJST, &q, j->ctx->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *one = lijst_json(j->ctx, &rows.rows[i]);
        if (!one)
            return OMK_NOMEM;
        json_array_append_new(j->items, one);
    }
    return rc;
}

/* GET /vernietigingslijsten: the newest 50, newest first. */
static omk_rc lijsten_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    lijst_job j = {.ctx = &ctx, .items = json_array()};
    omk_rc rc = j.items ? omk_store_read(omk__store(req), lijsten_read, &j) : OMK_NOMEM;
    if (rc) {
        json_decref(j.items);
        return omk__finish(req, &ctx, rc);
    }
    return omk_req_reply_json(req, 200, json_pack("{s:I, s:o}", "count",
                                                  (json_int_t)json_array_size(j.items),
                                                  "results", j.items));
}

/* GET /vernietigingslijsten/{uuid} */
static omk_rc lijst_read(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    lijst_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk_store_read(omk__store(req), lijst_read_job, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = lijst_json(&ctx, j.row);
    return out ? omk_req_reply_json(req, 200, out) : OMK_NOMEM;
}

/* Removes the files of the channels that klantcontact or gesprek `uuid` carried: a contact's
 * bijlagen of our own register, a conversation's messages' attachments. */
static omk_rc drop_files(omk_db *db, omk_arena *a, const bewaar_soort *s, const char *uuid)
{
    const char *ids[] = {uuid};
    omk_rowset rows = {0};
    omk_rc rc = OMK_OK;
    if (s->r == &omk__ki_klantcontact) {
        rc = omk_db_children_in(db, &omk__ki_bijlage, "was_bijlage_van_klantcontact", ids, 1,
                                false, a, &rows);
        for (size_t i = 0; !rc && i < rows.n; i++) {
            const char *reg = omk_row_text(&omk__ki_bijlage, &rows.rows[i],
                                           "bijlageidentificator.codeRegister");
            const char *id = omk_row_text(&omk__ki_bijlage, &rows.rows[i],
                                          "bijlageidentificator.objectId");
            if (reg && id && strcmp(reg, "omnikanaal") == 0) {
                rc = omk_db_delete(db, &omk__kan_bestand, id);
                if (rc == OMK_NOTFOUND)
                    rc = OMK_OK;
            }
        }
    } else if (s->r == &omk__kan_gesprek) {
        rc = omk_db_children_in(db, &omk__kan_bericht, "gesprek", ids, 1, false, a, &rows);
        for (size_t i = 0; !rc && i < rows.n; i++) {
            json_t *list = json_loads(omk_row_text0(&omk__kan_bericht, &rows.rows[i], "bijlagen"),
                                      0, NULL);
            size_t k;
            json_t *b;
            json_array_foreach(list, k, b)
            {
                const char *id = json_string_value(json_object_get(b, "uuid"));
                omk_rc drc = id ? omk_db_delete(db, &omk__kan_bestand, id) : OMK_OK;
                if (drc && drc != OMK_NOTFOUND)
                    rc = drc;
            }
            json_decref(list);
        }
    }
    return rc;
}

/* One item, if it may still go — not held (held[k]: the rows of SOORTEN[k] a legal hold
 * keeps, read once per list; a hold may have come since the list was proposed) and still
 * there: its persons logged, its files and then the row removed. */
static omk_rc destroy_item(omk_db *db, lijst_job *j, const omk_rowset *held, json_t *item,
                           json_t *counts)
{
    const bewaar_soort *s = soort_of(json_string_value(json_object_get(item, "soort")));
    const char *uuid = json_string_value(json_object_get(item, "uuid"));
    if (s && !s->r) { /* the Logboek: up to its pruning point */
        omk_ldv_snoei sn = {0};
        omk_rc rc = omk_db_ldv_prune(db, json_integer_value(json_object_get(item, "tot")), &sn);
        if (!rc && sn.tot)
            json_object_set_new(counts, s->soort, json_integer((json_int_t)sn.records));
        return rc;
    }
    if (!s || !uuid)
        return OMK_OK;
    if (omk__avg_has(&held[s - SOORTEN], uuid)) {
        j->behouden++;
        return OMK_OK;
    }
    omk_rc rc = omk__ldv_row_uuid(db, j->actie, s->r, uuid, j->ctx->a);
    if (!rc)
        rc = drop_files(db, j->ctx->a, s, uuid);
    if (!rc)
        rc = omk_res_delete(db, j->ctx, s->r, uuid);
    if (rc == OMK_NOTFOUND)
        return OMK_OK;
    if (!rc)
        json_object_set_new(counts, s->soort,
                            json_integer(json_integer_value(json_object_get(counts, s->soort)) + 1));
    return rc;
}

static json_t *verklaring_of(lijst_job *j, json_t *counts, int64_t now)
{
    char when[32];
    omk_time_format(now, when);
    json_t *per = json_array();
    for (size_t i = 0; per && i < OMK_COUNT(SOORTEN); i++) {
        json_t *n = json_object_get(counts, SOORTEN[i].soort);
        if (n)
            json_array_append_new(per, json_pack("{s:s, s:O, s:s}", "soort", SOORTEN[i].soort,
                                                 "aantal", n, "grond", SOORTEN[i].grond));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:s}", "lijst", j->row->uuid,
                     "opgesteldDoor", j->row->v[L_DOOR].s, "goedgekeurdDoor", j->door,
                     "vernietigdOp", when, "perSoort", per, "behouden", (json_int_t)j->behouden,
                     "wijze",
                     "Verwijderd uit de database, met wat erbij hoort: betrokkenen, "
                     "onderwerpobjecten, bijlagen, interne taken, berichten en bestanden; van "
                     "het logboek de records tot een snoeipunt dat de hashketen bewaart. "
                     "Archiefbesluit 1995, art. 8.");
}

static omk_rc approve_write(omk_db *db, void *arg)
{
    lijst_job *j = arg;
    omk_rc rc = lijst_load(db, j);
    if (rc)
        return rc;
    if (strcmp(j->row->v[L_STATUS].s, "voorgesteld") != 0) {
        j->ctx->fail_detail = "Deze lijst is al beoordeeld.";
        return OMK_CONFLICT;
    }
    const char *voor = j->row->v[L_VOOR].t == OMK_V_TEXT ? j->row->v[L_VOOR].s : NULL;
    if (strcmp(j->row->v[L_DOOR].s, j->door) == 0 || (voor && strcmp(voor, j->door) == 0)) {
        j->ctx->fail_detail = "Een tweede functioneel beheerder keurt de lijst goed, niet wie "
                              "hem opstelde of al goedkeurde (vier ogen).";
        return OMK_FORBIDDEN;
    }
    if (strcmp(j->row->v[L_DOOR].s, PLANNING) == 0 && !voor) {
        /* The schedule proposed it: this is the first pair of eyes, a second one destroys. */
        j->row->v[L_VOOR] = omk_text(j->door);
        return omk_db_update(db, &LIJST, j->row);
    }
    holds h = {0};
    json_t *items = json_loads(j->row->v[L_ITEMS].s, 0, NULL), *counts = json_object();
    if (!items || !counts) {
        json_decref(items);
        json_decref(counts);
        return OMK_NOMEM;
    }
    rc = holds_read(db, j->ctx->a, &h);
    omk_rowset held[OMK_COUNT(SOORTEN)] = {{0}};
    for (size_t k = 0; !rc && k < OMK_COUNT(SOORTEN); k++)
        if (SOORTEN[k].r)
            rc = omk__avg_rows_about(db, j->ctx->a, SOORTEN[k].r, h.partijen, h.np, &held[k]);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (!rc)
            rc = destroy_item(db, j, held, item, counts);
    }
    json_decref(items);
    int64_t now = omk_now_ms() * 1000;
    j->verklaring = rc ? NULL : verklaring_of(j, counts, now);
    json_decref(counts);
    char *text = j->verklaring ? json_dumps(j->verklaring, JSON_COMPACT) : NULL;
    json_decref(j->verklaring); /* kept as text in the row */
    j->verklaring = NULL;
    if (!rc && !text)
        rc = OMK_NOMEM;
    if (!rc) {
        /* What stays has no personal data: the counts, not which records. */
        j->row->v[L_STATUS] = omk_text("vernietigd");
        j->row->v[L_BEOORDEELD] = omk_text(j->door);
        j->row->v[L_UITGEVOERD] = omk_int(now);
        j->row->v[L_ITEMS] = omk_text("[]");
        j->row->v[L_VERKLARING] = omk_text(omk_arena_strdup(j->ctx->a, text));
        rc = omk_db_update(db, &LIJST, j->row);
    }
    free(text);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc reject_write(omk_db *db, void *arg)
{
    lijst_job *j = arg;
    omk_rc rc = lijst_load(db, j);
    if (rc)
        return rc;
    if (strcmp(j->row->v[L_STATUS].s, "voorgesteld") != 0) {
        j->ctx->fail_detail = "Deze lijst is al beoordeeld.";
        return OMK_CONFLICT;
    }
    j->row->v[L_STATUS] = omk_text("afgewezen");
    j->row->v[L_BEOORDEELD] = omk_text(j->door);
    j->row->v[L_ITEMS] = omk_text("[]");
    return omk_db_update(db, &LIJST, j->row);
}

/* POST /vernietigingslijsten/{uuid}/_goedkeuren and /_afwijzen */
static omk_rc lijst_decide(omk_req *req, bool goedkeuren)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    lijst_job j = {.ctx = &ctx};
    j.door = door_of(&ctx);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc && goedkeuren) {
        rc = omk__ldv_begin(req, &j.ldv);
        if (!rc && j.ldv &&
            !(j.actie = omk__ldv_actie(j.ldv, "Vernietigen na de bewaartermijn", NULL, NULL)))
            rc = OMK_NOMEM;
    }
    if (!rc)
        rc = omk_store_write(omk__store(req), goedkeuren ? approve_write : reject_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *out = lijst_json(&ctx, j.row);
    return out ? omk_req_reply_json(req, 200, out) : OMK_NOMEM;
}

static omk_rc lijst_approve(omk_req *req)
{
    return lijst_decide(req, true);
}

static omk_rc lijst_reject(omk_req *req)
{
    return lijst_decide(req, false);
}

/* ---- erasure on request (AVG art. 17; verzoeken.c) ---- */

/* us plus `maanden` calendar months. */
static int64_t plus_months(int64_t us, int maanden)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_mon += maanden;
    return (int64_t)timegm(&tm) * 1000000;
}

/* The records of kind s about partijen[0..n), each with whether it may be erased now. */
static omk_rc beoordeel_soort(omk_db *db, omk_arena *a, const bewaar_soort *s, const holds *h,
                              const char *const *partijen, size_t n, json_t *items,
                              size_t *behouden)
{
    int maanden = 0;
    omk_rc rc = term_of(db, a, s, &maanden);
    omk_rowset rows = {0}, held = {0}, objecten = {0};
    if (!rc)
        rc = omk__avg_rows_about(db, a, s->r, partijen, n, &rows);
    if (!rc && rows.n)
        rc = omk__avg_rows_about(db, a, s->r, h->partijen, h->np, &held);
    const char **uuids = rows.n ? omk_arena_alloc(a, rows.n * sizeof *uuids) : NULL;
    if (!rc && rows.n && !uuids)
        return OMK_NOMEM;
    for (size_t i = 0; i < rows.n; i++)
        uuids[i] = rows.rows[i].uuid;
    if (!rc && s->r == &omk__ki_klantcontact && rows.n)
        rc = omk__avg_rows_where(db, a, &omk__ki_onderwerpobject, "klantcontact", uuids, rows.n,
                                 &objecten);
    const char **zaak = NULL;
    size_t nzaak = 0;
    if (!rc)
        rc = bij_zaak(a, &objecten, h, &zaak, &nzaak);
    int di = omk_model_field_index(s->r, s->datum);
    int64_t now = omk_now_ms() * 1000;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *row = &rows.rows[i];
        const char *key = row->uuid;
        bool dated = di >= 0 && row->v[di].t == OMK_V_INT;
        char datum[32] = "", tot[32] = "";
        if (dated) {
            omk_time_format(row->v[di].i, datum);
            omk_time_format(plus_months(row->v[di].i, maanden), tot);
        }
        const char *reden;
        bool wissen = false;
        if (omk__avg_has(&held, row->uuid))
            reden = "Er rust een bewaarplicht op (AVG art. 17 lid 3 onder e: nodig voor een "
                    "rechtsvordering).";
        else if (nzaak && bsearch(&key, zaak, nzaak, sizeof *zaak, cmp_str))
            reden = "Hoort bij een zaak en wordt met die zaak bewaard (AVG art. 17 lid 3 onder "
                    "b en d; Archiefwet).";
        else if (!dated)
            reden = omk_arena_printf(a, "Nog niet afgerond: de bewaartermijn (%s) is nog niet "
                                        "begonnen (AVG art. 17 lid 3 onder b).", s->grond);
        else if (plus_months(row->v[di].i, maanden) > now)
            reden = omk_arena_printf(a, "Binnen de bewaartermijn tot %.10s (%s; AVG art. 17 lid "
                                        "3 onder b en d).", tot, s->grond);
        else {
            reden = "De bewaartermijn is voorbij en niets houdt het vast: wordt gewist.";
            wissen = true;
        }
        if (!reden)
            return OMK_NOMEM;
        if (!wissen)
            (*behouden)++;
        json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:b, s:s}", "soort", s->soort,
                                               "uuid", row->uuid, "datum",
                                               *datum ? datum : NULL, "wissen", wissen, "reden",
                                               reden));
    }
    return rc;
}

omk_rc omk__bewaren_beoordeel(omk_db *db, omk_arena *a, const char *const *partijen, size_t n,
                              json_t *items)
{
    holds h = {0};
    size_t behouden = 0;
    omk_rc rc = holds_read(db, a, &h);
    for (size_t i = 0; !rc && i < OMK_COUNT(SOORTEN); i++)
        if (SOORTEN[i].r && SOORTEN[i].r->subjects)
            rc = beoordeel_soort(db, a, &SOORTEN[i], &h, partijen, n, items, &behouden);
    /* The partij itself: no term of its own; it goes when nothing about it has to stay. */
    for (size_t i = 0; !rc && i < n; i++) {
        bool hold = in_list(h.partijen, h.np, partijen[i]);
        const char *reden =
            hold ? "Er rust een bewaarplicht op deze partij (AVG art. 17 lid 3 onder e)."
            : behouden
                ? "Blijft zolang er gegevens over u bewaard moeten worden (zie hierboven); "
                  "daarna wordt ook de partij gewist."
                : "Er hoeft niets meer over u bewaard te worden: de partij met haar "
                  "identificatoren en adressen wordt gewist.";
        json_array_append_new(items, json_pack("{s:s, s:s, s:n, s:b, s:s}", "soort", "partij",
                                               "uuid", partijen[i], "datum", "wissen",
                                               !hold && !behouden, "reden", reden));
    }
    return rc;
}

omk_rc omk__bewaren_wis(omk_db *db, omk_api_ctx *ctx, const char *soort, const char *uuid,
                        omk_ldv_actie *x)
{
    const bewaar_soort *s = soort_of(soort);
    const omk_resource *r = s ? s->r : strcmp(soort, "partij") == 0 ? &omk__ki_partij : NULL;
    if (!r)
        return OMK_INVALID;
    omk_rc rc = omk__ldv_row_uuid(db, x, r, uuid, ctx->a);
    if (!rc && s)
        rc = drop_files(db, ctx->a, s, uuid);
    if (!rc)
        rc = omk_res_delete(db, ctx, r, uuid);
    return rc == OMK_NOTFOUND ? OMK_OK : rc;
}

/* ---- the schedule ---- */

static struct {
    omk_store *store;
    omk_ticker *ticker;
} g;

static bool plan_tik(void *unused)
{
    (void)unused;
    omk_arena *a = omk_arena_new(64 << 20);
    omk_api_ctx ctx = {.a = a, .base_url = ""};
    lijst_job j = {.ctx = &ctx, .items = json_array(), .door = PLANNING, .gepland = true};
    omk_rc rc = a && j.items ? OMK_OK : OMK_NOMEM;
    if (!rc)
        rc = omk__ldv_begin_als(NULL, a, "klantgegevens-beheren", "systeem", &j.ldv);
    if (!rc && j.ldv && !(j.actie = omk__ldv_actie(j.ldv, LOG_OPSTELLEN, NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_write(g.store, propose_write, &j);
    if (rc)
        omk_log_error("avg", "proposing a destruction list failed: %s", omk_rc_name(rc));
    else if (j.row)
        omk_log_info("avg", "destruction list %s proposed: %zu item(s) past their term",
                     j.row->uuid, json_array_size(j.items));
    json_decref(j.items);
    omk_arena_free(a);
    return false;
}

omk_rc omk_api_avg_start(omk_store *s, int interval_s)
{
    g.store = s;
    if (interval_s <= 0)
        return OMK_OK;
    return omk_ticker_start(interval_s * 1000, true, plan_tik, NULL, &g.ticker);
}

void omk_api_avg_stop(void)
{
    omk_ticker_stop(g.ticker);
    g.ticker = NULL;
}

size_t omk__bewaren_routes(omk_route *out, size_t cap, const omk_api_info *api)
{
#define B "/avg/api/v1"
    const omk_resource *H = &omk__avg_bewaarplicht;
    const omk_route routes[] = {
        {"GET", B "/bewaartermijnen", terms_list, NULL, api, 0, 0, NULL},
        {"PUT", B "/bewaartermijnen/{soort}", term_put, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", B "/bewaarplichten", omk__res_list, H, api, 0, 0, NULL},
        {"POST", B "/bewaarplichten", omk__res_create, H, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", B "/bewaarplichten/{uuid}", omk__res_read, H, api, 0, 0, NULL},
        {"DELETE", B "/bewaarplichten/{uuid}", omk__res_delete, H, api, 0, 0, NULL},
        {"GET", B "/vernietigingslijsten", lijsten_list, NULL, api, 0, 0, NULL},
        {"POST", B "/vernietigingslijsten", lijst_create, NULL, api, 0, 0, NULL},
        {"GET", B "/vernietigingslijsten/{uuid}", lijst_read, NULL, api, 0, 0, NULL},
        {"POST", B "/vernietigingslijsten/{uuid}/_goedkeuren", lijst_approve, NULL, api, 0, 0,
         NULL},
        {"POST", B "/vernietigingslijsten/{uuid}/_afwijzen", lijst_reject, NULL, api, 0, 0, NULL},
    };
#undef B
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
