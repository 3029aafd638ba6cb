/* Identity: probable duplicate partijen (two partijen sharing a phone number in any notation or
 * an e-mail address in any case) and merging two partijen. A merge moves everything that
 * hangs on the partij that goes (identificatoren, digital addresses, betrokkenen, bank
 * accounts, representations, categories, contactverzoeken, contact persons) to the partij
 * that stays, in one transaction; the partij that goes is kept, inactive, with a note, and the
 * merge record holds its former JSON and the uuids of everything moved, so a merge can be
 * traced and undone by hand. Both persons get a Logboek Dataverwerkingen record. Functioneel
 * beheer (scope `beheerder`) only. */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "klantbeeld/klantbeeld.h"
#include "omk/util.h"

#define ACTIVITEIT "klantgegevens-beheren"


/* ---- duplicates: a declared resource over the view partij_dubbelen ---- */

static const omk_field DUBBEL_FIELDS[] = {
    {.json = "partijA", .column = "partij_a", .type = OMK_F_REF, .target = &omk__ki_partij},
    {.json = "partijB", .column = "partij_b", .type = OMK_F_REF, .target = &omk__ki_partij},
    {.json = "soortDigitaalAdres", .column = "soort", .type = OMK_F_STRING},
    {.json = "adresA", .column = "adres_a", .type = OMK_F_STRING},
    {.json = "adresB", .column = "adres_b", .type = OMK_F_STRING},
};
static const omk_filter DUBBEL_FILTERS[] = {
    {"soortDigitaalAdres", "soortDigitaalAdres", OMK_OP_EQ},
};
static const omk_subjects DUBBEL_SUBJECTS = {
    "mogelijke dubbelen", "mogelijke dubbele", {{.column = "partij_a"}, {.column = "partij_b"}}};
static const omk_resource DUBBEL = {
    .name = "dubbelen", .model = "Dubbel", .table = "partij_dubbelen", .fields = DUBBEL_FIELDS,
    .nfields = OMK_COUNT(DUBBEL_FIELDS), .filters = DUBBEL_FILTERS,
    .nfilters = OMK_COUNT(DUBBEL_FILTERS), .api_base = "/klantbeeld/api/v1",
    .subjects = &DUBBEL_SUBJECTS,
};

/* ---- merges ---- */

enum { M_BEHOUDEN, M_OPGEHEVEN, M_GEGEVENS, M_VERPLAATST, M_REDEN, M_DOOR, M_TIJDSTIP };

static const omk_field MERGE_FIELDS[] = {
    [M_BEHOUDEN] = {.json = "behouden", .column = "behouden_partij", .type = OMK_F_REF,
                    .target = &omk__ki_partij},
    [M_OPGEHEVEN] = {.json = "opgeheven", .column = "opgeheven_partij", .type = OMK_F_REF,
                     .target = &omk__ki_partij},
    [M_GEGEVENS] = {.json = "opgehevenGegevens", .column = "opgeheven_gegevens",
                    .type = OMK_F_OBJECT},
    [M_VERPLAATST] = {.json = "verplaatst", .column = "verplaatst", .type = OMK_F_OBJECT},
    [M_REDEN] = {.json = "reden", .column = "reden", .type = OMK_F_STRING},
    [M_DOOR] = {.json = "uitgevoerdDoor", .column = "uitgevoerd_door", .type = OMK_F_STRING},
    [M_TIJDSTIP] = {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},
};
static const omk_subjects MERGE_SUBJECTS = {
    "samenvoegingen", "samenvoeging",
    {{.column = "behouden_partij"}, {.column = "opgeheven_partij"}}};
static const omk_resource SAMENVOEGING = {
    .name = "samenvoegingen", .model = "Samenvoeging", .table = "samenvoegingen",
    .fields = MERGE_FIELDS, .nfields = OMK_COUNT(MERGE_FIELDS), .api_base = "/klantbeeld/api/v1",
    .subjects = &MERGE_SUBJECTS,
};

/* What hangs on a partij: the child resource, its column pointing at the partij, and the
 * key under which the merge record lists the moved uuids. */
static const struct {
    const omk_resource *r;
    const char *column, *key;
} HANGS_ON[] = {
    {&omk__ki_partij_identificator, "identificeerde_partij", "partijIdentificatoren"},
    {&omk__ki_digitaal_adres, "verstrekt_door_partij", "digitaleAdressen"},
    {&omk__ki_betrokkene, "was_partij", "betrokkenen"},
    {&omk__ki_rekeningnummer, "partij", "rekeningnummers"},
    {&omk__ki_vertegenwoordiging, "vertegenwoordigende_partij", "vertegenwoordigden"},
    {&omk__ki_vertegenwoordiging, "vertegenwoordigde_partij", "vertegenwoordigdDoor"},
    {&omk__ki_categorie_relatie, "partij", "categorieRelaties"},
    {&omk__ki_partij, "werkte_voor_partij", "contactpersonen"},
    {&omk__kv_contactverzoek, "partij", "contactverzoeken"},
    {&omk__kan_gesprek, "partij", "gesprekken"},
    {&omk__kan_oproep, "partij", "oproepen"},
    {&omk__kan_balie, "partij", "balieAanmeldingen"},
};

typedef struct merge_job {
    omk_api_ctx ctx;
    omk_req *req;
    const char *behouden, *opgeheven, *reden;
    json_t *out;
    const char *conflict; /* Dutch reason for a 409 */
    omk_ldv *ldv;         /* the request's Logboek (NULL: not logged) */
} merge_job;

/* The identificator values of a partij, as "soort:objectId" strings. */
static omk_rc identificatoren(omk_db *db, merge_job *j, const char *partij, omk_rowset *rows)
{
    return omk_db_children(db, &omk__ki_partij_identificator, "identificeerde_partij", partij,
                           j->ctx.a, rows);
}

static const char *pi_value(const omk_row *row, const char *what)
{
    return omk_row_text(&omk__ki_partij_identificator, row, what);
}

/* Refuses two different BSNs or KvK numbers; drops identificatoren the kept partij already
 * has (same kind and value), so moving the rest cannot violate uniqueness. */
static omk_rc reconcile_identificatoren(omk_db *db, merge_job *j, json_t *dropped)
{
    omk_rowset keep = {0}, go = {0};
    omk_rc rc;
    if ((rc = identificatoren(db, j, j->behouden, &keep)) ||
        (rc = identificatoren(db, j, j->opgeheven, &go)))
        return rc;
    for (size_t i = 0; i < go.n; i++) {
        const char *soort = pi_value(&go.rows[i], "partijIdentificator.codeSoortObjectId");
        const char *id = pi_value(&go.rows[i], "partijIdentificator.objectId");
        bool same = false;
        for (size_t k = 0; k < keep.n; k++) {
            const char *ks = pi_value(&keep.rows[k], "partijIdentificator.codeSoortObjectId");
            const char *kid = pi_value(&keep.rows[k], "partijIdentificator.objectId");
            if (!soort || !ks || strcmp(soort, ks) != 0)
                continue;
            if (kid && id && strcmp(kid, id) == 0)
                same = true;
            else if (strcmp(soort, "bsn") == 0 || strcmp(soort, "kvk_nummer") == 0) {
                j->conflict = "De partijen hebben een verschillend BSN of KvK-nummer en zijn dus "
                              "niet dezelfde.";
                return OMK_CONFLICT;
            }
        }
        if (same) {
            if ((rc = omk_db_delete(db, &omk__ki_partij_identificator, go.rows[i].uuid)))
                return rc;
            json_array_append_new(dropped, json_string(go.rows[i].uuid));
        }
    }
    return OMK_OK;
}

static omk_rc move_children(omk_db *db, merge_job *j, json_t *moved)
{
    for (size_t i = 0; i < OMK_COUNT(HANGS_ON); i++) {
        const char **uuids = NULL;
        size_t n = 0;
        omk_rc rc = omk_db_child_uuids(db, HANGS_ON[i].r, HANGS_ON[i].column, j->opgeheven,
                                       j->ctx.a, &uuids, &n);
        if (rc)
            return rc;
        if (n == 0)
            continue;
        json_t *list = json_array();
        for (size_t k = 0; k < n; k++)
            json_array_append_new(list, json_string(uuids[k]));
        json_object_set_new(moved, HANGS_ON[i].key, list);
        if (HANGS_ON[i].r == &omk__ki_digitaal_adres) { /* the kept partij's defaults win */
            omk_cond c = {"verstrekt_door_partij", omk_text(j->opgeheven)};
            rc = omk_db_set_where(db, HANGS_ON[i].r, "is_standaard_adres",
                                  omk_int(0), &c, 1, NULL);
            if (rc)
                return rc;
        }
        omk_cond c = {HANGS_ON[i].column, omk_text(j->opgeheven)};
        if ((rc = omk_db_set_where(db, HANGS_ON[i].r, HANGS_ON[i].column, omk_text(j->behouden),
                                   &c, 1, NULL)))
            return rc;
    }
    return OMK_OK;
}

static void now_iso(char out[32])
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static omk_rc record_merge(omk_db *db, merge_job *j, json_t *snapshot, json_t *moved)
{
    omk_row *row = omk_row_new(&SAMENVOEGING, j->ctx.a);
    char *snap = json_dumps(snapshot, JSON_COMPACT), *mv = json_dumps(moved, JSON_COMPACT);
    char when[32];
    now_iso(when);
    omk_rc rc = row && snap && mv ? OMK_OK : OMK_NOMEM;
    if (!rc) {
        omk_uuid4(row->uuid);
        row->v[M_BEHOUDEN] = omk_text(j->behouden);
        row->v[M_OPGEHEVEN] = omk_text(j->opgeheven);
        row->v[M_GEGEVENS] = omk_text(snap);
        row->v[M_VERPLAATST] = omk_text(mv);
        row->v[M_REDEN] = omk_text(j->reden);
        row->v[M_DOOR] = omk_text(j->ctx.principal ? j->ctx.principal : "");
        row->v[M_TIJDSTIP] = omk_text(when);
        for (size_t i = 0; i < SAMENVOEGING.nfields; i++)
            row->set[i] = true;
        rc = omk_db_insert(db, &SAMENVOEGING, row);
    }
    if (!rc)
        rc = omk_res_to_json(db, &j->ctx, &SAMENVOEGING, row, &j->out);
    free(snap);
    free(mv);
    return rc;
}

/* A partij as a person of the log: by its BSN when it has one (the identificatoren of the
 * partij that goes move or go, so its uuid would no longer lead to that resident), else by
 * its uuid. */
static omk_rc log_partij(omk_db *db, merge_job *j, const char *partij, omk_ldv_actie *x)
{
    omk_rowset ids = {0};
    omk_rc rc = identificatoren(db, j, partij, &ids);
    for (size_t i = 0; !rc && i < ids.n; i++) {
        const char *soort = pi_value(&ids.rows[i], "partijIdentificator.codeSoortObjectId");
        if (soort && strcmp(soort, "bsn") == 0)
            return omk__ldv_persoon(x, OMK_LDV_BSN,
                                    pi_value(&ids.rows[i], "partijIdentificator.objectId"));
    }
    return rc ? rc : omk__ldv_persoon(x, OMK_LDV_PARTIJ, partij);
}

static omk_rc merge_run(omk_db *db, void *arg)
{
    merge_job *j = arg;
    omk_row *keep = NULL, *go = NULL;
    omk_rc rc = omk_db_get(db, &omk__ki_partij, j->behouden, j->ctx.a, &keep);
    if (!rc)
        rc = omk_db_get(db, &omk__ki_partij, j->opgeheven, j->ctx.a, &go);
    if (rc == OMK_NOTFOUND)
        j->ctx.fail_detail = "Partij niet gevonden.";
    if (rc)
        return rc;
    omk_ldv_actie *x = j->ldv ? omk__ldv_actie(j->ldv, "Partijen samenvoegen", NULL, NULL) : NULL;
    if (j->ldv && !x)
        return OMK_NOMEM;
    if (x) {
        x->bron = "register";
        rc = log_partij(db, j, j->behouden, x);
        if (!rc)
            rc = log_partij(db, j, j->opgeheven, x); /* before its identificatoren move */
        if (rc)
            return rc;
    }
    json_t *snapshot = NULL, *moved = json_object(), *dropped = json_array();
    rc = omk_res_to_json(db, &j->ctx, &omk__ki_partij, go, &snapshot);
    if (!rc)
        rc = reconcile_identificatoren(db, j, dropped);
    if (!rc)
        rc = move_children(db, j, moved);
    json_object_set_new(moved, "verwijderdeDubbeleIdentificatoren", dropped);
    if (!rc) {
        char *note = omk_arena_printf(j->ctx.a, "Samengevoegd met partij %s.", j->behouden);
        omk_cond c = {"uuid", omk_text(j->opgeheven)};
        rc = omk_db_set_where(db, &omk__ki_partij, "indicatie_actief",
                              omk_int(0), &c, 1, NULL);
        if (!rc)
            rc = omk_db_set_where(db, &omk__ki_partij, "interne_notitie", omk_text(note), &c, 1,
                                  NULL);
    }
    if (!rc)
        rc = record_merge(db, j, snapshot, moved);
    json_decref(snapshot);
    json_decref(moved);
    if (!rc)
        rc = omk__notify_enqueue(db, &j->ctx, &omk__ki_partij, j->behouden, "update");
    if (!rc)
        rc = omk__notify_enqueue(db, &j->ctx, &omk__ki_partij, j->opgeheven, "update");
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static const char *uuid_field(omk_req *req, json_t *body, const char *name)
{
    const char *v = json_string_value(json_object_get(body, name));
    if (!v)
        omk_req_invalid(req, name, "required", "Dit veld is vereist.");
    else if (!omk_uuid_valid(v, strlen(v)))
        omk_req_invalid(req, name, "invalid", "Voer een geldige UUID in.");
    return v;
}

/* POST samenvoegingen {"behouden": uuid, "opheffen": uuid, "reden": "..."} */
static omk_rc samenvoegen(omk_req *req)
{
    json_t *body = omk_req_json(req);
    merge_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    memset(j, 0, sizeof *j);
    omk__ctx_init(&j->ctx, req);
    j->req = req;
    j->behouden = uuid_field(req, body, "behouden");
    j->opgeheven = uuid_field(req, body, "opheffen");
    j->reden = json_string_value(json_object_get(body, "reden"));
    if (!j->reden || !*j->reden)
        omk_req_invalid(req, "reden", "required", "Geef de reden van het samenvoegen op.");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
        if (strcmp(key, "behouden") && strcmp(key, "opheffen") && strcmp(key, "reden"))
            omk_req_invalid(req, key, "unknown", "Onbekend veld.");
    if (!omk_req_invalid_count(req) && strcmp(j->behouden, j->opgeheven) == 0)
        omk_req_invalid(req, "opheffen", "invalid", "Een partij kan niet met zichzelf worden "
                                                    "samengevoegd.");
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    omk_rc rc = omk__ldv_begin(req, &j->ldv);
    if (rc)
        return rc;
    omk__ldv_doel(j->ldv, ACTIVITEIT, "beheerder");
    rc = omk_store_write(omk__store(req), merge_run, j);
    if (rc == OMK_CONFLICT) {
        json_decref(j->out);
        omk_req_fail(req, "conflict", j->conflict ? j->conflict : "Conflict.");
        return rc;
    }
    if (rc)
        return omk__finish(req, &j->ctx, rc);
    return omk_req_reply_json(req, 201, j->out);
}

size_t omk__identiteit_routes(omk_route *out, size_t cap, const omk_api_info *api)
{
    const omk_route routes[] = {
        {"GET", "/klantbeeld/api/v1/dubbelen", omk__res_list, &DUBBEL, api, 0, 0, NULL},
        {"GET", "/klantbeeld/api/v1/samenvoegingen", omk__res_list, &SAMENVOEGING, api, 0, 0,
         NULL},
        {"POST", "/klantbeeld/api/v1/samenvoegingen", samenvoegen, &SAMENVOEGING, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof routes[0]);
    return n;
}
