/* The Mijn-omgeving API (/mijn/api/v1): what a logged-in resident may see of the register,
 * always narrowed to the partijen whose BSN identificator equals the session's subject —
 * their klantcontacten, their contactverzoeken (interne taken raised from their contacts),
 * their digitale adressen and their conversations (e-mail, chat, WhatsApp: the messages both
 * ways) — plus their own channel preference and consent. The access matrix (toegang.c)
 * opens these routes to residents only; a staff credential (no subject) is refused with 403,
 * so these routes never answer for "whoever asks". Any worker thread. */
#include <stdio.h>
#include <string.h>

#include "mijn/mijn.h"
#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "engine/toegang.h"
#include "omk/buf.h"
#include "omk/util.h"

#define MIJN_BASE "/mijn/api/v1"
#define MAX_PARTIJEN 16

/* The uuids of the resident's partijen, comma-separated (a uuid nobody has when none); or
 * those of a business's, by its KvK-nummer (soort "kvk_nummer"). */
typedef struct partij_job {
    omk_arena *a;
    const char *soort;
    const char *bsn; /* the BSN or the KvK-nummer */
    char list[MAX_PARTIJEN * 37 + 1];
    const char *first;
} partij_job;

static omk_rc find_partijen(omk_db *db, void *arg)
{
    partij_job *j = arg;
    const char **partijen = NULL;
    size_t np = 0, n = 0;
    omk_rc rc = omk__ki_partijen_met_id(db, j->a, j->soort ? j->soort : "bsn", j->bsn,
                                        MAX_PARTIJEN, &partijen, &np);
    j->list[0] = 0;
    for (size_t i = 0; !rc && i < np; i++) {
        if (strlen(partijen[i]) != 36)
            continue;
        if (!j->first)
            j->first = partijen[i];
        n += (size_t)snprintf(j->list + n, sizeof j->list - n, "%s%s", n ? "," : "", partijen[i]);
    }
    if (!n)
        snprintf(j->list, sizeof j->list, "00000000-0000-0000-0000-000000000000");
    return rc;
}

/* The minimum level of assurance of the route's part of Mijn (its first path segment). */
static omk_rc niveau(omk_req *req)
{
    const omk_route *rt = omk_req_route(req);
    const char *p = rt ? rt->pattern + strlen(MIJN_BASE "/") : "";
    char deel[32];
    snprintf(deel, sizeof deel, "%.*s", (int)strcspn(p, "/"), p);
    return omk__niveau_vereist(req, deel);
}

static bool business_route(omk_req *req)
{
    const omk_route *rt = omk_req_route(req);
    return rt && strncmp(rt->pattern, MIJN_BASE "/bedrijf", strlen(MIJN_BASE "/bedrijf")) == 0;
}

/* A business's partijen: those with its KvK-nummer as identificator. */
static omk_rc business_partijen(omk_req *req, partij_job *j)
{
    const omk_inlog *in = omk__req_inlog(req);
    if (!in || !*in->kvk) {
        omk_req_fail(req, "permission_denied",
                     "Alleen een bedrijf dat met eHerkenning is ingelogd ziet hier gegevens, en "
                     "alleen die van zichzelf.");
        return OMK_FORBIDDEN;
    }
    j->a = omk_req_arena(req);
    j->soort = "kvk_nummer";
    j->bsn = in->kvk;
    return omk_store_read(omk__store(req), find_partijen, j);
}

static omk_rc resident_partijen(omk_req *req, partij_job *j)
{
    omk_rc rc = niveau(req);
    if (rc)
        return rc;
    if (business_route(req))
        return business_partijen(req, j);
    const char *bsn = omk_req_subject(req);
    if (!bsn) {
        omk_req_fail(req, "permission_denied",
                     "Alleen een inwoner ziet hier gegevens, en alleen die van zichzelf.");
        return OMK_FORBIDDEN;
    }
    j->a = omk_req_arena(req);
    j->bsn = bsn;
    return omk_store_read(omk__store(req), find_partijen, j);
}

/* Only paging is open to residents: no filters or expansions that could reach further. */
static omk_rc only_paging(omk_req *req)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    for (size_t i = 0; i < n; i++)
        if (strcmp(q[i].key, "page") && strcmp(q[i].key, "pageSize"))
            omk_req_invalid(req, q[i].key, "unknown", "Onbekende query parameter.");
    return omk_req_invalid_count(req) ? OMK_INVALID : OMK_OK;
}

/* What a resident never sees: klantcontacten marked vertrouwelijk (the municipality decided
 * their contents stay internal, e.g. because someone else may read along in the resident's
 * Mijn-omgeving), nor what shows or repeats such a contact — the contactverzoek raised from it,
 * the conversation whose message it registered. Each is a filter of the route's list. */
static const omk_filter NOT_VERTROUWELIJK = {"_vertrouwelijk", "vertrouwelijk", OMK_OP_EQ};
static const omk_filter AANLEIDING_NOT_VERTROUWELIJK = {
    "_vertrouwelijk", "aanleidinggevendKlantcontact/vertrouwelijk", OMK_OP_EQ};
static const omk_filter GESPREK_NONE_VERTROUWELIJK = {"_vertrouwelijk",
                                                      "klantcontact/vertrouwelijk", OMK_OP_NONE};
static const omk_filter BERICHT_NONE_VERTROUWELIJK = {
    "_vertrouwelijk", "berichten/klantcontact/vertrouwelijk", OMK_OP_NONE};

/* Lists the route's resource narrowed by "<path> IN (the resident's partijen)" and the
 * filters `hide` (value in hide_values), up to 2. */
static omk_rc list_mine(omk_req *req, const char *path, const omk_filter *const *hide,
                        const char *const *hide_values, size_t nhide)
{
    omk_rc rc = only_paging(req);
    partij_job j = {0};
    if (!rc)
        rc = resident_partijen(req, &j);
    if (rc)
        return rc;
    omk_filter *f = omk_arena_alloc(omk_req_arena(req), sizeof *f);
    if (!f)
        return OMK_NOMEM;
    *f = (omk_filter){"partij", path, OMK_OP_IN};
    omk_filter_arg args[3] = {{f, omk_arena_strdup(omk_req_arena(req), j.list)}};
    for (size_t i = 0; i < nhide && i < 2; i++)
        args[i + 1] = (omk_filter_arg){hide[i], hide_values[i]};
    return omk__res_list_with(req, args, 1 + (nhide < 2 ? nhide : 2));
}

static omk_rc mijn_klantcontacten(omk_req *req)
{
    const omk_filter *hide[] = {&NOT_VERTROUWELIJK};
    const char *const values[] = {"false"};
    return list_mine(req, "hadBetrokkenen/wasPartij/uuid", hide, values, 1);
}

static omk_rc mijn_contactverzoeken(omk_req *req)
{
    const omk_filter *hide[] = {&AANLEIDING_NOT_VERTROUWELIJK};
    const char *const values[] = {"false"};
    return list_mine(req, "aanleidinggevendKlantcontact/hadBetrokkenen/wasPartij/uuid", hide,
                     values, 1);
}

static omk_rc mijn_digitaleadressen(omk_req *req)
{
    return list_mine(req, "verstrektDoorPartij/uuid", NULL, NULL, 0);
}

static omk_rc mijn_gesprekken(omk_req *req)
{
    const omk_filter *hide[] = {&GESPREK_NONE_VERTROUWELIJK, &BERICHT_NONE_VERTROUWELIJK};
    const char *const values[] = {"true", "true"};
    return list_mine(req, "partij/uuid", hide, values, 2);
}

/* ---- verzoeken: the resident's contactverzoeken as the back office works them ---- */

#define MAX_VERZOEKEN 100

typedef struct verzoek_job {
    omk_api_ctx *ctx;
    const char *partijen;
    int64_t page, size;
    long long count;
    json_t *out;
} verzoek_job;

/* What the resident reads of one contactverzoek: no assignee, employee or internal notes; the
 * state in their words. A failed contact attempt is "niet-bereikt", never "afgehandeld". */
static json_t *verzoek_voor_inwoner(json_t *kv)
{
    json_t *pogingen = json_object_get(kv, "pogingen"), *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(pogingen, i, p)
        json_array_append_new(out, json_pack("{s:O, s:O}", "tijdstip",
                                             json_object_get(p, "tijdstip"), "kanaal",
                                             json_object_get(p, "kanaal")));
    const char *status = json_string_value(json_object_get(kv, "status"));
    bool closed = status && strcmp(status, "afgehandeld") == 0;
    const char *stand = closed                          ? "afgehandeld"
                        : json_array_size(out)          ? "niet-bereikt"
                        : json_is_object(json_object_get(kv, "inBehandeling")) ? "in-behandeling"
                                                        : "ontvangen";
    json_t *afh = json_object_get(kv, "afhandeling");
    json_t *taak = json_object_get(kv, "internetaak");
    return json_pack("{s:O, s:O?, s:O, s:O, s:O, s:O, s:s, s:o, s:O, s:O?}", "onderwerp",
                     json_object_get(kv, "onderwerp"), "internetaak",
                     json_object_get(taak, "uuid"), "gevraagdeHandeling",
                     json_object_get(kv, "gevraagdeHandeling"), "kanaal",
                     json_object_get(kv, "kanaal"), "ontvangenOp",
                     json_object_get(kv, "ontvangenOp"), "uiterlijk",
                     json_object_get(kv, "deadline"), "stand", stand, "pogingen", out,
                     "afgehandeldOp", json_object_get(kv, "afgehandeldOp"), "contactGelukt",
                     json_is_object(afh) ? json_object_get(afh, "contactGelukt") : NULL);
}

static omk_rc list_verzoeken(omk_db *db, void *arg)
{
    verzoek_job *j = arg;
    static const omk_filter mine = {"_partij", "partij/uuid", OMK_OP_IN};
    static const omk_filter hidden = {"_vertrouwelijk", "klantcontact/vertrouwelijk", OMK_OP_NONE};
    omk_filter_arg f[] = {{&mine, j->partijen}, {&hidden, "true"}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = (int)j->size,
                   .offset = (j->page - 1) * j->size};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kv_contactverzoek, &q, j->ctx->a, &rows, &j->count);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *o = NULL;
        rc = omk_res_to_json(db, j->ctx, &omk__kv_contactverzoek, &rows.rows[i], &o);
        if (!rc) {
            json_array_append_new(j->out, verzoek_voor_inwoner(o));
            json_decref(o);
        }
    }
    return rc;
}

/* GET /verzoeken?page&pageSize: {count, results} — earliest deadline first. */
static omk_rc mijn_verzoeken(omk_req *req)
{
    omk_rc rc = only_paging(req);
    partij_job pj = {0};
    if (!rc)
        rc = resident_partijen(req, &pj);
    if (rc)
        return rc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    verzoek_job j = {.ctx = &ctx, .partijen = omk_arena_strdup(ctx.a, pj.list), .page = 1,
                     .size = 50, .out = json_array()};
    if (!j.out || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.out))
        return OMK_NOMEM;
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    for (size_t i = 0; i < n; i++) {
        int64_t v = 0;
        bool size = strcmp(q[i].key, "pageSize") == 0;
        if (!omk_parse_uint(q[i].value, strlen(q[i].value), &v) || v < 1 ||
            (size && v > MAX_VERZOEKEN))
            omk_req_invalid(req, q[i].key, "invalid", "Een geldig getal is vereist.");
        else if (size)
            j.size = v;
        else
            j.page = v;
    }
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    rc = omk_store_read(omk__store(req), list_verzoeken, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, json_pack("{s:I, s:O}", "count", (json_int_t)j.count,
                                                  "results", j.out));
}

/* ---- profiel: the name the register knows the resident by, for the page header ---- */

typedef struct profiel_job {
    omk_api_ctx *ctx;
    const char *partij;
    json_t *partij_json;
} profiel_job;

static omk_rc read_partij(omk_db *db, void *arg)
{
    profiel_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, &omk__ki_partij, j->partij, j->ctx->a, &row);
    return rc ? rc : omk_res_to_json(db, j->ctx, &omk__ki_partij, row, &j->partij_json);
}

/* GET /profiel: {"naam": "Jan de Vries" | null}: voornaam, voorvoegsel and achternaam of the
 * resident's partij (the first found by their BSN); null when the register has none. */
static omk_rc mijn_profiel(omk_req *req)
{
    partij_job pj = {0};
    omk_rc rc = resident_partijen(req, &pj);
    if (rc)
        return rc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    profiel_job j = {.ctx = &ctx, .partij = pj.first};
    const char *naam = NULL;
    if (j.partij) {
        rc = omk_store_read(omk__store(req), read_partij, &j);
        if (rc && rc != OMK_NOTFOUND)
            return omk__finish(req, &ctx, rc);
        json_t *c = json_object_get(json_object_get(j.partij_json, "partijIdentificatie"),
                                    "contactnaam");
        omk_buf b;
        omk_buf_init(&b, 1024);
        const char *parts[] = {"voornaam", "voorvoegselAchternaam", "achternaam"};
        for (size_t i = 0; i < 3; i++) {
            const char *v = json_string_value(json_object_get(c, parts[i]));
            if (v && *v)
                omk_buf_printf(&b, "%s%s", b.n ? " " : "", v);
        }
        if (!b.rc && b.n)
            naam = omk_arena_strdup(ctx.a, b.p);
        omk_buf_release(&b);
        json_decref(j.partij_json);
    }
    return omk_req_reply_json(req, 200, json_pack("{s:s?}", "naam", naam));
}

/* ---- voorkeuren ---- */

/* The table of the residents' channel preferences is the channels' (kanalen/voorkeuren.c):
 * the klantbeeld shows the chosen channel too. */
#define PREFS omk__kan_voorkeuren
#define PREF_FIELDS (omk__kan_voorkeuren.fields)
enum { P_BSN = OMK_KAN_VK_BSN, P_KANAAL = OMK_KAN_VK_KANAAL, P_DIGITAAL = OMK_KAN_VK_DIGITAAL,
       P_ONDERZOEK = OMK_KAN_VK_ONDERZOEK, P_GEWIJZIGD = OMK_KAN_VK_GEWIJZIGD };

typedef struct pref_job {
    omk_arena *a;
    const char *bsn;
    omk_row *row;   /* stored preferences, or NULL */
    omk_row *input; /* for writing */
    omk_ldv *ldv;   /* the request's Logboek records (NULL: none) */
} pref_job;

static omk_rc find_prefs(omk_db *db, void *arg)
{
    pref_job *j = arg;
    static const omk_filter by_bsn = {"bsn", "bsn", OMK_OP_EQ};
    omk_filter_arg f = {&by_bsn, j->bsn};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &PREFS, &q, j->a, &rows, NULL);
    j->row = !rc && rows.n == 1 ? &rows.rows[0] : NULL;
    return rc;
}

static omk_rc store_prefs(omk_db *db, void *arg)
{
    pref_job *j = arg;
    omk_rc rc = find_prefs(db, j);
    if (rc)
        return rc;
    if (j->row) {
        memcpy(j->input->uuid, j->row->uuid, sizeof j->input->uuid);
        rc = omk_db_update(db, &PREFS, j->input);
    } else {
        omk_uuid4(j->input->uuid);
        rc = omk_db_insert(db, &PREFS, j->input);
    }
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static json_t *prefs_json(const omk_row *row)
{
    json_t *o = json_object();
    json_object_set_new(o, "voorkeurskanaal", json_string(row ? row->v[P_KANAAL].s : ""));
    json_object_set_new(o, "toestemmingDigitaal",
                        json_boolean(row && row->v[P_DIGITAAL].i));
    json_object_set_new(o, "toestemmingOnderzoek",
                        json_boolean(row && row->v[P_ONDERZOEK].i));
    if (row) {
        char t[32];
        omk_time_format(row->v[P_GEWIJZIGD].i, t);
        json_object_set_new(o, "gewijzigdOp", json_string(t));
    } else {
        json_object_set_new(o, "gewijzigdOp", json_null());
    }
    json_object_set_new(o, "kanalen", json_pack("[s,s,s,s,s,s]", "e-mail", "telefoon", "post",
                                                "balie", "whatsapp", "website"));
    return o;
}

/* The Logboek record of the resident's own preferences: action `naam`, the person by BSN. */
static omk_rc prefs_log(omk_req *req, const char *naam, const char *bsn, omk_ldv **out)
{
    omk_rc rc = omk__ldv_begin(req, out);
    if (rc || !*out)
        return rc;
    omk_ldv_actie *x = omk__ldv_actie(*out, naam, NULL, NULL);
    return x ? omk__ldv_persoon(x, OMK_LDV_BSN, bsn) : OMK_NOMEM;
}

static omk_rc mijn_voorkeuren(omk_req *req)
{
    omk_rc nrc = niveau(req);
    if (nrc)
        return nrc;
    const char *bsn = omk_req_subject(req);
    if (!bsn)
        return OMK_FORBIDDEN;
    pref_job j = {.a = omk_req_arena(req), .bsn = bsn};
    omk_rc rc = prefs_log(req, "Kanaalvoorkeuren raadplegen", bsn, &j.ldv);
    if (!rc)
        rc = omk_store_read(omk__store(req), find_prefs, &j);
    return rc ? rc : omk__ldv_reply_json(req, j.ldv, 200, prefs_json(j.row));
}

static bool take_bool(omk_req *req, json_t *body, const char *key, int64_t *out)
{
    json_t *v = json_object_get(body, key);
    if (!json_is_boolean(v)) {
        omk_req_invalid(req, key, v ? "invalid" : "required",
                        v ? "Moet waar of onwaar zijn." : "Dit veld is vereist.");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

static omk_rc mijn_voorkeuren_put(omk_req *req)
{
    omk_rc nrc = niveau(req);
    if (nrc)
        return nrc;
    const char *bsn = omk_req_subject(req);
    if (!bsn)
        return OMK_FORBIDDEN;
    json_t *body = omk_req_json(req);
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val) {
        if (strcmp(key, "voorkeurskanaal") && strcmp(key, "toestemmingDigitaal") &&
            strcmp(key, "toestemmingOnderzoek"))
            omk_req_invalid(req, key, "unknown", "Onbekend veld.");
    }
    const char *kanaal = json_string_value(json_object_get(body, "voorkeurskanaal"));
    if (!kanaal || !omk_model_choice_valid(&PREF_FIELDS[P_KANAAL], kanaal))
        omk_req_invalid(req, "voorkeurskanaal", kanaal ? "invalid_choice" : "required",
                        kanaal ? "Kies een van de kanalen uit de lijst." : "Dit veld is vereist.");
    int64_t digitaal = 0, onderzoek = 0;
    take_bool(req, body, "toestemmingDigitaal", &digitaal);
    take_bool(req, body, "toestemmingOnderzoek", &onderzoek);
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    pref_job j = {.a = omk_req_arena(req), .bsn = bsn};
    omk_rc rc = prefs_log(req, "Kanaalvoorkeuren wijzigen", bsn, &j.ldv);
    if (rc)
        return rc;
    j.input = omk_row_new(&PREFS, j.a);
    if (!j.input)
        return OMK_NOMEM;
    j.input->v[P_BSN] = (omk_value){.t = OMK_V_TEXT, .s = bsn, .n = strlen(bsn)};
    j.input->v[P_KANAAL] = (omk_value){.t = OMK_V_TEXT, .s = kanaal, .n = strlen(kanaal)};
    j.input->v[P_DIGITAAL] = (omk_value){.t = OMK_V_INT, .i = digitaal};
    j.input->v[P_ONDERZOEK] = (omk_value){.t = OMK_V_INT, .i = onderzoek};
    j.input->v[P_GEWIJZIGD] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    for (size_t i = 0; i < PREFS.nfields; i++)
        j.input->set[i] = true;
    rc = omk_store_write(omk__store(req), store_prefs, &j);
    if (rc)
        return rc;
    return omk__ldv_reply_json(req, j.ldv, 200, prefs_json(j.input));
}

/* GET /bedrijf: the business the session is for, as its eHerkenning login said. */
static omk_rc mijn_bedrijf(omk_req *req)
{
    omk_rc rc = niveau(req);
    const omk_inlog *in = omk__req_inlog(req);
    if (rc)
        return rc;
    if (!in || !*in->kvk) {
        omk_req_fail(req, "permission_denied",
                     "Alleen een bedrijf dat met eHerkenning is ingelogd ziet hier gegevens.");
        return OMK_FORBIDDEN;
    }
    json_t *o = json_pack("{s:s}", "kvkNummer", in->kvk);
    if (*in->vestiging)
        json_object_set_new(o, "vestigingsnummer", json_string(in->vestiging));
    omk__oidc_session_json(o, in);
    json_object_del(o, "kvkNummer");
    json_object_set_new(o, "kvkNummer", json_string(in->kvk));
    json_object_set_new(o, "ingelogdAls", json_string(omk_req_principal(req)));
    return omk_req_reply_json(req, 200, o);
}

/* ---- gegevens: everything Mijn shows, in one download (AVG art. 15 and 20) ---- */

#define MAX_EXPORT 5000 /* per section; the count says when there is more */

typedef struct export_job {
    omk_api_ctx *ctx;
    const char *bsn, *partijen;
    json_t *out;
    omk_ldv_actie *actie;
} export_job;

/* One section: the rows of r that the route of the same name lists (path IN the partijen,
 * the same filters hiding what is vertrouwelijk), as the API shows them to the resident. */
static omk_rc export_section(omk_db *db, export_job *j, const char *naam, const omk_resource *r,
                             const char *path, const omk_filter *hide, const char *hide_value,
                             const omk_filter *hide2)
{
    omk_filter mine = {"_partij", path, OMK_OP_IN};
    omk_filter_arg f[] = {{&mine, j->partijen}, {hide, hide_value}, {hide2, hide_value}};
    omk_query q = {.filters = f, .nfilters = hide2 ? 3 : hide ? 2 : 1, .limit = MAX_EXPORT};
    omk_rowset rows = {0};
    long long count = 0;
    omk_rc rc = omk_db_list(db, r, &q, j->ctx->a, &rows, &count);
    json_t *list = json_array();
    if (!list)
        return OMK_NOMEM;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *o = NULL;
        rc = omk_res_to_json(db, j->ctx, r, &rows.rows[i], &o);
        if (!rc)
            json_array_append_new(list, r == &omk__kv_contactverzoek ? verzoek_voor_inwoner(o)
                                                                     : json_incref(o));
        json_decref(o);
    }
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, r, rows.rows, rows.n);
    json_object_set_new(json_object_get(j->out, "gegevens"), naam,
                        json_pack("{s:I, s:o}", "aantal", (json_int_t)count, "items", list));
    return rc;
}

static omk_rc export_read(omk_db *db, void *arg)
{
    export_job *j = arg;
    /* The same filters as the lists of the same name (above). */
    omk_rc rc = export_section(db, j, "klantcontacten", &omk__ki_klantcontact,
                               "hadBetrokkenen/wasPartij/uuid", &NOT_VERTROUWELIJK, "false",
                               NULL);
    if (!rc)
        rc = export_section(db, j, "verzoeken", &omk__kv_contactverzoek, "partij/uuid",
                            &GESPREK_NONE_VERTROUWELIJK, "true", NULL);
    if (!rc)
        rc = export_section(db, j, "contactverzoeken", &omk__ki_interne_taak,
                            "aanleidinggevendKlantcontact/hadBetrokkenen/wasPartij/uuid",
                            &AANLEIDING_NOT_VERTROUWELIJK, "false", NULL);
    if (!rc)
        rc = export_section(db, j, "digitaleadressen", &omk__ki_digitaal_adres,
                            "verstrektDoorPartij/uuid", NULL, NULL, NULL);
    if (!rc)
        rc = export_section(db, j, "gesprekken", &omk__kan_gesprek, "partij/uuid",
                            &GESPREK_NONE_VERTROUWELIJK, "true", &BERICHT_NONE_VERTROUWELIJK);
    pref_job p = {.a = j->ctx->a, .bsn = j->bsn};
    if (!rc)
        rc = find_prefs(db, &p);
    if (!rc)
        json_object_set_new(json_object_get(j->out, "gegevens"), "voorkeuren",
                            prefs_json(p.row));
    json_t *records = NULL;
    long long n = 0;
    if (!rc)
        rc = omk__ldv_records_of(db, j->ctx->a, j->bsn, 500, &records, &n);
    if (!rc)
        json_object_set_new(json_object_get(j->out, "gegevens"), "verwerkingen",
                            json_pack("{s:I, s:o}", "aantal", (json_int_t)n, "items", records));
    return rc;
}

/* GET /gegevens: every record Mijn shows about the resident (what is vertrouwelijk left out,
 * as everywhere in Mijn), their preferences and who processed their data, with what the AVG
 * asks to be told; JSON, for a download. The resident's own read: in the Logboek. */
static omk_rc mijn_gegevens(omk_req *req)
{
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    for (size_t i = 0; i < nq; i++)
        omk_req_invalid(req, q[i].key, "unknown", "Onbekende query parameter.");
    if (nq)
        return OMK_INVALID;
    partij_job pj = {0};
    omk_rc rc = resident_partijen(req, &pj);
    if (rc)
        return rc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    char when[32];
    omk_time_format(omk_now_ms() * 1000, when);
    export_job j = {.ctx = &ctx, .bsn = pj.bsn, .partijen = omk_arena_strdup(ctx.a, pj.list)};
    j.out = json_pack(
        "{s:s, s:s, s:{}, s:{s:s, s:s, s:s, s:s}}", "opgesteldOp", when, "bsn", pj.bsn,
        "gegevens", "toelichting", "doelen",
        "De gemeente gebruikt deze gegevens om uw vragen te beantwoorden, uw verzoeken af te "
        "handelen en contact met u te houden (AVG art. 6 lid 1 onder e: een taak van algemeen "
        "belang).",
        "bewaartermijn",
        "Contacten, gesprekken en verzoeken bewaart de gemeente een jaar na afloop "
        "(Selectielijst gemeenten 2020, 6.1.3), wat bij een zaak hoort zo lang als die zaak.",
        "rechten",
        "U mag uw gegevens laten verbeteren (art. 16), laten wissen voor zover de wet dat "
        "toelaat (art. 17), de verwerking laten beperken (art. 18) en bezwaar maken (art. 21). "
        "Vraag het de gemeente; u krijgt binnen een maand antwoord. U kunt ook een klacht "
        "indienen bij de Autoriteit Persoonsgegevens.",
        "weggelaten",
        "Contacten die de gemeente als vertrouwelijk heeft gemarkeerd staan hier niet in, net "
        "als in Mijn Voorbeeldstad. Vraagt u om inzage bij de gemeente, dan beoordeelt de "
        "privacyfunctionaris wat u daarvan krijgt.");
    if (!j.out || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.out))
        return OMK_NOMEM;
    omk_ldv *l = NULL;
    rc = omk__ldv_begin(req, &l);
    if (!rc && l && !(j.actie = omk__ldv_actie(l, "Mijn gegevens downloaden", NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk__ldv_persoon(j.actie, OMK_LDV_BSN, pj.bsn);
    if (!rc)
        rc = omk_store_read(omk__store(req), export_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    omk_req_add_header(req, "Content-Disposition", "attachment; filename=\"mijn-gegevens.json\"");
    return omk__ldv_reply_json(req, l, 200, json_incref(j.out));
}

static const omk_api_info MIJN_API = {MIJN_BASE, "0.1.0", omk__openapi_mijn, 0};

size_t omk__mijn_routes(omk_route *out, size_t cap)
{
    const unsigned R = 0;
    const omk_route routes[] = {
        {"GET", MIJN_BASE "/klantcontacten", mijn_klantcontacten, &omk__ki_klantcontact,
         &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/contactverzoeken", mijn_contactverzoeken, &omk__ki_interne_taak,
         &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/verzoeken", mijn_verzoeken, &omk__kv_contactverzoek, &MIJN_API, R,
         0, NULL},
        {"GET", MIJN_BASE "/profiel", mijn_profiel, NULL, &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/digitaleadressen", mijn_digitaleadressen, &omk__ki_digitaal_adres,
         &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/gesprekken", mijn_gesprekken, &omk__kan_gesprek_inwoner, &MIJN_API, R, 0,
         NULL},
        {"GET", MIJN_BASE "/voorkeuren", mijn_voorkeuren, NULL, &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/gegevens", mijn_gegevens, NULL, &MIJN_API, R, 0, NULL},
        {"PUT", MIJN_BASE "/voorkeuren", mijn_voorkeuren_put, NULL, &MIJN_API,
         R | OMK_ROUTE_BODY, 4096, NULL},
        {"GET", MIJN_BASE "/bedrijf", mijn_bedrijf, NULL, &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/bedrijf/klantcontacten", mijn_klantcontacten, &omk__ki_klantcontact,
         &MIJN_API, R, 0, NULL},
        {"GET", MIJN_BASE "/bedrijf/contactverzoeken", mijn_contactverzoeken,
         &omk__ki_interne_taak, &MIJN_API, R, 0, NULL},
    };
    size_t n = sizeof routes / sizeof routes[0];
    if (n > cap)
        n = cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
