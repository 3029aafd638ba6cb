/* The right of access (AVG art. 15): POST /avg/api/v1/inzage {bsn} gives the privacy officer
 * (beheerder) everything the register and the channels hold about the person with that BSN —
 * every row whose declared subjects (omk_resource.subjects, the same paths the Logboek uses to
 * name whose data a row is) lead to one of their partijen, their channel preferences and the
 * Logboek's records about them — with the information art. 15(1) requires beside the data
 * (purposes, categories, recipients, retention, rights, complaint, source). The BSN travels in
 * the body, never in a URL; the export is itself a processing, logged for the person.
 * Any worker thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avg/avg_int.h"
#include "engine/logboek.h"
#include "engine/doelbinding.h"
#include "kanalen/kanalen.h"
#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

#define AVG_BASE "/avg/api/v1"
#define MAX_PARTIJEN 64
#define MAX_KEYS 512 /* omk_db_children_in's limit per call */
#define MAX_RECORDS 500

/* Every resource that holds personal data, in the export's order: a section each, named as
 * its collection in the APIs. (A conversation's messages come embedded in it.) */
static const struct {
    const char *section;
    const omk_resource *r;
} EXPORT[] = {
    {"partijen", &omk__ki_partij},
    {"partij-identificatoren", &omk__ki_partij_identificator},
    {"digitaleadressen", &omk__ki_digitaal_adres},
    {"rekeningnummers", &omk__ki_rekeningnummer},
    {"vertegenwoordigingen", &omk__ki_vertegenwoordiging},
    {"categorie-relaties", &omk__ki_categorie_relatie},
    {"betrokkenen", &omk__ki_betrokkene},
    {"klantcontacten", &omk__ki_klantcontact},
    {"onderwerpobjecten", &omk__ki_onderwerpobject},
    {"bijlagen", &omk__ki_bijlage},
    {"actorklantcontacten", &omk__ki_actor_klantcontact},
    {"internetaken", &omk__ki_interne_taak},
    {"contactverzoeken", &omk__kv_contactverzoek},
    {"gesprekken", &omk__kan_gesprek},
    {"oproepen", &omk__kan_oproep},
    {"baliebezoeken", &omk__kan_balie},
    {"bewaarplichten", &omk__avg_bewaarplicht},
};

const omk_resource *omk__avg_resource_of(const char *url, const char **uuid)
{
    for (size_t i = 0; url && i < OMK_COUNT(EXPORT); i++) {
        const omk_resource *r = EXPORT[i].r;
        const char *at = r->api_base && *r->api_base ? strstr(url, r->api_base) : NULL;
        size_t nb = at ? strlen(r->api_base) : 0, nn = strlen(r->name);
        if (!at || at[nb] != '/' || strncmp(at + nb + 1, r->name, nn) != 0 ||
            at[nb + 1 + nn] != '/')
            continue;
        const char *id = at + nb + 1 + nn + 1;
        if (strlen(id) == 36 && omk_uuid_valid(id, 36)) {
            *uuid = id;
            return r;
        }
    }
    return NULL;
}

/* What art. 15(1) asks to be told beside the data (a–h), in Dutch, for the answer. */
static const struct {
    const char *key, *text;
} UITLEG[] = {
    {"categorieen", "Naam, geboortegegevens en adres uit de BRP (alleen ingezien, niet "
                    "opgeslagen), uw BSN, e-mailadressen en telefoonnummers, uw contacten met de "
                    "gemeente en wat daarin is besproken, uw verzoeken om contact, berichten en "
                    "gesprekken via e-mail, chat, WhatsApp en andere kanalen, uw "
                    "kanaalvoorkeur, en wie van de gemeente uw gegevens wanneer en waarom "
                    "bekeek."},
    {"ontvangers", "Medewerkers van de gemeente die uw vraag behandelen (klantcontactcentrum, "
                   "vakafdelingen), alleen met de gegevens die hun taak vraagt. De gemeente "
                   "geeft deze gegevens niet aan andere organisaties, tenzij een wet dat "
                   "voorschrijft."},
    {"bewaartermijn", "Volgens de Selectielijst gemeenten en intergemeentelijke organen 2020: "
                      "een vraag of informatieverzoek 1 jaar na afhandeling (6.1.3), een klacht "
                      "5 jaar (13.1; 10 jaar na de Nationale ombudsman, 13.1.2). Gegevens die bij "
                      "een zaak horen, volgen de bewaartermijn van die zaak."},
    {"rechten", "U mag uw gegevens laten verbeteren of aanvullen (art. 16), laten wissen als de "
                "wet dat toestaat (art. 17; niet zolang de gemeente ze voor een wettelijke taak "
                "of de Archiefwet moet bewaren), de verwerking laten beperken (art. 18) en "
                "bezwaar maken (art. 21)."},
    {"klacht", "U kunt een klacht indienen bij de Autoriteit Persoonsgegevens."},
    {"bron", "Uzelf (wat u ons vertelde of stuurde), medewerkers van de gemeente (wat zij "
             "vastlegden) en de Basisregistratie Personen."},
    {"geautomatiseerdeBesluitvorming", "Er worden geen besluiten over u genomen door alleen "
                                       "een computer; er is geen profilering."},
};

typedef struct export_job {
    omk_api_ctx ctx;
    const char *bsn;
    const char **partijen;
    size_t npartijen;
    json_t *out;
} export_job;


/* Appends the rows of `more` to `all`. */
static omk_rc append_rows(omk_arena *a, omk_rowset *all, const omk_rowset *more)
{
    if (!more->n)
        return OMK_OK;
    omk_row *rows = omk_arena_alloc(a, (all->n + more->n) * sizeof *rows);
    if (!rows)
        return OMK_NOMEM;
    if (all->n)
        memcpy(rows, all->rows, all->n * sizeof *rows);
    memcpy(rows + all->n, more->rows, more->n * sizeof *rows);
    all->rows = rows;
    all->n += more->n;
    return OMK_OK;
}

static int by_uuid(const void *x, const void *y)
{
    return strcmp(((const omk_row *)x)->uuid, ((const omk_row *)y)->uuid);
}

/* Sorts all by uuid and keeps each row once. */
static void sort_unique(omk_rowset *all)
{
    if (all->n < 2)
        return;
    qsort(all->rows, all->n, sizeof *all->rows, by_uuid);
    size_t n = 1;
    for (size_t i = 1; i < all->n; i++)
        if (strcmp(all->rows[i].uuid, all->rows[n - 1].uuid) != 0)
            all->rows[n++] = all->rows[i];
    all->n = n;
}

bool omk__avg_has(const omk_rowset *rows, const char *uuid)
{
    omk_row key;
    snprintf(key.uuid, sizeof key.uuid, "%s", uuid);
    return rows->n && bsearch(&key, rows->rows, rows->n, sizeof *rows->rows, by_uuid);
}

/* Appends the rows of r whose column is one of keys[0..n), in slices the store takes at once. */
static omk_rc append_where(omk_db *db, omk_arena *a, const omk_resource *r, const char *column,
                           const char *const *keys, size_t n, omk_rowset *all)
{
    for (size_t at = 0; at < n; at += MAX_KEYS) {
        omk_rowset part = {0};
        size_t k = n - at < MAX_KEYS ? n - at : MAX_KEYS;
        omk_rc rc = omk_db_children_in(db, r, column, keys + at, k, false, a, &part);
        if (!rc)
            rc = append_rows(a, all, &part);
        if (rc)
            return rc;
    }
    return OMK_OK;
}

omk_rc omk__avg_rows_where(omk_db *db, omk_arena *a, const omk_resource *r, const char *column,
                           const char *const *keys, size_t n, omk_rowset *all)
{
    omk_rc rc = append_where(db, a, r, column, keys, n, all);
    if (!rc)
        sort_unique(all);
    return rc;
}

/* An own column holding one of the partijen, or a column matching a row of another table
 * that does: each declared path to a partij, walked backwards. */
omk_rc omk__avg_rows_about(omk_db *db, omk_arena *a, const omk_resource *r,
                           const char *const *partijen, size_t n, omk_rowset *all)
{
    for (size_t p = 0; r->subjects && n && p < OMK_SUBJECT_PATHS; p++) {
        const omk_subject_path *path = &r->subjects->paths[p];
        if (!path->column || (path->soort && path->soort != OMK_LDV_T_PARTIJ))
            continue; /* an id of another kind (a zaak) is nobody's partij */
        const char *const *keys = partijen;
        size_t nkeys = n;
        if (path->via_table) {
            const char **m = NULL, **vals = NULL;
            omk_rc rc = omk_db_column_in(db, path->via_table, path->via_partij, path->via_match,
                                         partijen, n, a, &m, &vals, &nkeys);
            if (rc)
                return rc;
            keys = vals;
        }
        omk_rc rc = nkeys ? append_where(db, a, r, path->column, keys, nkeys, all) : OMK_OK;
        if (rc)
            return rc;
    }
    sort_unique(all);
    return OMK_OK;
}

static omk_rc section(omk_db *db, export_job *j, const char *name, const omk_resource *r,
                      json_t *gegevens)
{
    omk_rowset rows = {0};
    omk_rc rc = omk__avg_rows_about(db, j->ctx.a, r, j->partijen, j->npartijen, &rows);
    json_t *list = json_array();
    if (!list)
        return OMK_NOMEM;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *obj = NULL;
        rc = omk_res_to_json(db, &j->ctx, r, &rows.rows[i], &obj);
        if (!rc)
            json_array_append_new(list, obj);
    }
    json_object_set_new(gegevens, name, list);
    return rc;
}

static omk_rc voorkeuren(omk_db *db, export_job *j, json_t *gegevens)
{
    omk_cond c = {"bsn", omk_text(j->bsn)};
    omk_query q = {.conds = &c, .nconds = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_voorkeuren, &q, j->ctx.a, &rows, NULL);
    json_t *obj = NULL;
    if (!rc && rows.n)
        rc = omk_res_to_json(db, &j->ctx, &omk__kan_voorkeuren, &rows.rows[0], &obj);
    json_object_set_new(gegevens, "kanaalvoorkeuren", obj ? obj : json_null());
    return rc;
}

/* The purposes the Logboek's records name, each with its description (art. 15(1)(a)). */
static json_t *doelen_of(json_t *records)
{
    json_t *doelen = json_array(), *seen = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "verwerkingsactiviteit"));
        const omk_verwerkingsactiviteit *a = omk__activiteit(id);
        if (!a || json_object_get(seen, id))
            continue;
        json_object_set_new(seen, id, json_true());
        json_array_append_new(doelen, json_pack("{s:s, s:s}", "verwerkingsactiviteit", a->id,
                                                "omschrijving", a->omschrijving));
    }
    json_decref(seen);
    return doelen;
}

static omk_rc export_read(omk_db *db, void *arg)
{
    export_job *j = arg;
    omk_rc rc = omk__ki_partijen_met_bsn(db, j->ctx.a, j->bsn, MAX_PARTIJEN, &j->partijen,
                                         &j->npartijen);
    json_t *gegevens = json_object();
    if (!gegevens)
        return OMK_NOMEM;
    json_object_set_new(j->out, "gegevens", gegevens);
    for (size_t i = 0; !rc && i < OMK_COUNT(EXPORT); i++)
        rc = section(db, j, EXPORT[i].section, EXPORT[i].r, gegevens);
    if (!rc)
        rc = voorkeuren(db, j, gegevens);
    json_t *records = NULL;
    long long count = 0;
    if (!rc)
        rc = omk__ldv_records_of(db, j->ctx.a, j->bsn, MAX_RECORDS, &records, &count);
    if (rc)
        return rc;
    json_object_set_new(gegevens, "verwerkingen", records);
    json_object_set_new(j->out, "aantalVerwerkingen", json_integer(count));
    json_t *uitleg = json_pack("{s:o}", "doelen", doelen_of(records));
    for (size_t i = 0; uitleg && i < OMK_COUNT(UITLEG); i++)
        json_object_set_new(uitleg, UITLEG[i].key, json_string(UITLEG[i].text));
    json_object_set_new(j->out, "toelichting", uitleg);
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < j->npartijen; i++)
        json_array_append_new(ids, json_string(j->partijen[i]));
    json_object_set_new(j->out, "partijen", ids);
    return OMK_OK;
}

/* POST /inzage {bsn}: the export (AVG art. 15) for the privacy officer. */
static omk_rc inzage(omk_req *req)
{
    json_t *body = omk_req_json(req);
    const char *bsn = json_string_value(json_object_get(body, "bsn"));
    const char *code = NULL, *reason = bsn ? omk__check_bsn(bsn, &code) : "Dit veld is vereist.";
    if (!bsn)
        code = "required";
    if (!reason && json_object_size(body) != 1)
        reason = "Alleen bsn kan worden opgegeven.", code = "invalid";
    if (reason) {
        omk_req_invalid(req, "bsn", code, reason);
        return OMK_INVALID;
    }
    export_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    memset(j, 0, sizeof *j);
    omk__ctx_init(&j->ctx, req);
    j->ctx.verberg = 0; /* the officer decides what to withhold: the export shows it all */
    j->ctx.verberg_geheim = false;
    j->bsn = bsn;
    char when[32];
    omk_time_format(omk_now_ms() * 1000, when);
    j->out = json_pack("{s:s, s:s}", "bsn", bsn, "gemaaktOp", when);
    if (!j->out || omk_arena_defer(j->ctx.a, (omk_cleanup_fn)json_decref, j->out))
        return OMK_NOMEM;
    omk_rc rc = omk_store_read(omk__store(req), export_read, j);
    if (rc)
        return omk__finish(req, &j->ctx, rc);
    omk_ldv *l = NULL;
    omk_ldv_actie *x = NULL;
    rc = omk__ldv_begin(req, &l);
    if (!rc && l && !(x = omk__ldv_actie(l, "Inzageverzoek: gegevens verstrekken", NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk__ldv_persoon(x, OMK_LDV_BSN, bsn);
    for (size_t i = 0; !rc && i < j->npartijen; i++)
        rc = omk__ldv_persoon(x, OMK_LDV_PARTIJ, j->partijen[i]);
    if (rc)
        return rc;
    return omk__ldv_reply_json(req, l, 200, json_incref(j->out));
}

static const omk_api_info AVG_API = {AVG_BASE, "0.1.0", omk__openapi_avg, 0};

size_t omk__avg_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"POST", AVG_BASE "/inzage", inzage, NULL, &AVG_API, OMK_ROUTE_BODY | OMK_ROUTE_READ, 0,
         NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    n += omk__bewaren_routes(out + n, cap - n, &AVG_API);
    return n + omk__verzoeken_routes(out + n, cap - n, &AVG_API);
}
