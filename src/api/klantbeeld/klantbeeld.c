/* The integraal klantbeeld: POST /klantbeeld/api/v1/_zoek finds one partij by BSN, KvK
 * number, vestigingsnummer, partij uuid, phone number (any notation) or e-mail, and answers
 * one aggregate: the register's partij, digital addresses, contact timeline, open interne
 * taken and signals, plus the person from the BRP, the zaken from the Zaken API and the
 * business from the KvK, fetched at the source in parallel and never stored. What is returned
 * follows the doelbinding of the request's verwerkingsactiviteit and the caller's role; every
 * answer first writes its Logboek Dataverwerkingen records (one per action per subject). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "klantbeeld/klantbeeld.h"
#include "omk/util.h"

#define KB_BASE "/klantbeeld/api/v1"
#define MAX_CONTACTEN 50
#define MAX_KANDIDATEN 20
#define SIGNAAL_DAGEN 14

/* The channels' contactverzoeken (contactverzoeken.c): deadline and assignee per request. */

static omk_sources_config g_sources;
static bool g_fictief[OMK_BRON_COUNT]; /* answered by the demo's fictional sources */

void omk__klantbeeld_set_sources(const omk_sources_config *cfg)
{
    g_sources = *cfg;
}

void omk__klantbeeld_set_fictief(const bool fictief[OMK_BRON_COUNT])
{
    memcpy(g_fictief, fictief, sizeof g_fictief);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the request ---- */

/* The identifying keys, as a declared table: JSON name, kind of partij-identificator (NULL
 * when found otherwise) and the format check. */
typedef enum sleutel {
    S_BSN, S_KVK, S_VESTIGING, S_PARTIJ, S_TELEFOON, S_EMAIL, S_NAAM, S_COUNT
} sleutel;

static const char *check_kvk(const char *s, const char **code)
{
    return omk__check_digits(s, 8, code);
}
static const char *check_vestiging(const char *s, const char **code)
{
    return omk__check_digits(s, 12, code);
}
static const char *check_uuid(const char *s, const char **code)
{
    *code = "invalid";
    return omk_uuid_valid(s, strlen(s)) ? NULL : "Voer een geldige UUID in.";
}
static const char *check_phone(const char *s, const char **code)
{
    char key[64];
    *code = "invalid";
    return omk__contact_key("telefoonnummer", s, key, sizeof key)
               ? NULL
               : "Voer een geldig telefoonnummer in.";
}
static const char *check_email(const char *s, const char **code)
{
    *code = "invalid";
    return omk__email_valid(s) ? NULL : "Voer een geldig e-mailadres in.";
}

static const char *check_naam(const char *s, const char **code)
{
    size_t n = strlen(s);
    *code = "invalid";
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "Een naam bevat geen stuurtekens.";
    return n >= 2 && n <= 200 ? NULL : "Geef een naam van 2 tot 200 tekens op.";
}

static const struct {
    const char *json;
    const char *soort_object_id; /* partij-identificator kind, or NULL */
    const char *soort_adres;     /* digital address kind, or NULL */
    const char *(*check)(const char *s, const char **code);
} SLEUTELS[S_COUNT] = {
    [S_BSN] = {"bsn", "bsn", NULL, omk__check_bsn},
    [S_KVK] = {"kvkNummer", "kvk_nummer", NULL, check_kvk},
    [S_VESTIGING] = {"vestigingsnummer", "vestigingsnummer", NULL, check_vestiging},
    [S_PARTIJ] = {"partij", NULL, NULL, check_uuid},
    [S_TELEFOON] = {"telefoonnummer", NULL, "telefoonnummer", check_phone},
    [S_EMAIL] = {"email", NULL, "email", check_email},
    [S_NAAM] = {"naam", NULL, NULL, check_naam},
};

typedef struct zoekvraag {
    sleutel soort;
    const char *waarde;
    const char *activiteit;
    unsigned zie;
    const char *rol;
    bool maskeer_bsn; /* show the BSN as ******123 (the werkplek; "Toon BSN" asks for it) */
} zoekvraag;

static omk_rc parse_request(omk_req *req, json_t *body, zoekvraag *z)
{
    int found = 0;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        int s = 0;
        while (s < S_COUNT && strcmp(SLEUTELS[s].json, key) != 0)
            s++;
        if (strcmp(key, "maskeerBsn") == 0) {
            if (!json_is_boolean(v))
                omk_req_invalid(req, key, "invalid", "Geef true of false op.");
            z->maskeer_bsn = json_is_true(v);
            continue;
        }
        if (s == S_COUNT && strcmp(key, "verwerkingsactiviteit") != 0) {
            omk_req_invalid(req, key, "unknown", "Onbekend veld.");
            continue;
        }
        if (!json_is_string(v) || !*json_string_value(v)) {
            omk_req_invalid(req, key, "invalid", "Geef een niet-lege tekst op.");
            continue;
        }
        if (s == S_COUNT)
            continue;
        const char *code = NULL, *reason = SLEUTELS[s].check(json_string_value(v), &code);
        if (reason)
            omk_req_invalid(req, key, code, reason);
        z->soort = (sleutel)s;
        z->waarde = json_string_value(v);
        found++;
    }
    if (found != 1)
        omk_req_invalid(req, "nonFieldErrors", "invalid",
                        "Geef precies één van bsn, kvkNummer, vestigingsnummer, partij, "
                        "telefoonnummer, email of naam op.");
    z->activiteit = json_string_value(json_object_get(body, "verwerkingsactiviteit"));
    if (!json_object_get(body, "verwerkingsactiviteit"))
        omk_req_invalid(req, "verwerkingsactiviteit", "required", "Dit veld is vereist.");
    else if (z->activiteit && *z->activiteit && !omk__activiteit(z->activiteit))
        omk_req_invalid(req, "verwerkingsactiviteit", "invalid",
                        "Onbekende verwerkingsactiviteit.");
    return omk_req_invalid_count(req) ? OMK_INVALID : OMK_OK;
}

/* ---- the register ---- */

typedef struct beeld {
    omk_api_ctx ctx;
    const zoekvraag *z;
    const char *partij_uuids[MAX_KANDIDATEN + 1];
    size_t npartijen;
    json_t *partij, *kandidaten, *adressen, *contacten, *taken, *verzoeken;
    long long ncontacten;
    const char *bsn, *kvk, *vestiging; /* from the request or the partij's identificatoren */
    const char *kandidaat_bsn[MAX_KANDIDATEN]; /* the BSNs of the persons among kandidaten */
    size_t nkandidaat_bsn;
    const char *voorkeurskanaal;       /* chosen by the resident in Mijn, or NULL */
    int64_t voorkeurskanaal_us;
    bool inwoner; /* a resident looks at their own klantbeeld: nothing vertrouwelijk */
} beeld;

/* A resident never sees klantcontacten marked vertrouwelijk, nor the interne taken and
 * contactverzoeken raised from them (as in the Mijn API, mijn.c). */
static const omk_filter KC_NOT_VERTROUWELIJK = {"_vertrouwelijk", "vertrouwelijk", OMK_OP_EQ};
static const omk_filter TAAK_NOT_VERTROUWELIJK = {
    "_vertrouwelijk", "aanleidinggevendKlantcontact/vertrouwelijk", OMK_OP_EQ};
static const omk_filter KV_NONE_VERTROUWELIJK = {"_vertrouwelijk",
                                                 "klantcontact/vertrouwelijk", OMK_OP_NONE};

static const omk_filter *filter_named(const omk_resource *r, const char *name)
{
    for (size_t i = 0; i < r->nfilters; i++)
        if (strcmp(r->filters[i].name, name) == 0)
            return &r->filters[i];
    return NULL;
}

static void add_partij(beeld *b, const char *uuid)
{
    for (size_t i = 0; i < b->npartijen; i++)
        if (strcmp(b->partij_uuids[i], uuid) == 0)
            return;
    if (b->npartijen <= MAX_KANDIDATEN)
        b->partij_uuids[b->npartijen++] = uuid;
}

/* Persons and organisations whose name has a word starting with each word of the query, best
 * match first. */
static omk_rc find_by_name(omk_db *db, beeld *b)
{
    const char **uuids = NULL;
    size_t n = 0;
    omk_rc rc = omk_db_partij_namen(db, b->z->waarde, MAX_KANDIDATEN + 1, b->ctx.a, &uuids, &n);
    for (size_t i = 0; !rc && i < n; i++)
        add_partij(b, uuids[i]);
    return rc;
}

/* The partijen a key names: through identificatoren, digital addresses, the name or the
 * uuid. */
static omk_rc find_partijen(omk_db *db, beeld *b)
{
    const zoekvraag *z = b->z;
    omk_rowset rows = {0};
    omk_rc rc = OMK_OK;
    if (z->soort == S_PARTIJ) {
        omk_row *row = NULL;
        rc = omk_db_get(db, &omk__ki_partij, z->waarde, b->ctx.a, &row);
        if (!rc)
            add_partij(b, row->uuid);
        return rc == OMK_NOTFOUND ? OMK_OK : rc;
    }
    if (z->soort == S_NAAM)
        return find_by_name(db, b);
    const omk_resource *r;
    const char *via;
    if (SLEUTELS[z->soort].soort_object_id) {
        omk_cond c[] = {{"code_soort_object_id", omk_text(SLEUTELS[z->soort].soort_object_id)},
                        {"object_id", omk_text(z->waarde)}};
        omk_query q = {.conds = c, .nconds = 2, .limit = MAX_KANDIDATEN + 1};
        r = &omk__ki_partij_identificator;
        via = "identificeerdePartij";
        rc = omk_db_list(db, r, &q, b->ctx.a, &rows, NULL);
    } else {
        char key[128];
        if (!omk__contact_key(SLEUTELS[z->soort].soort_adres, z->waarde, key, sizeof key))
            return OMK_OK;
        omk_cond c[] = {{"zoeksleutel", omk_text(omk_arena_strdup(b->ctx.a, key))},
                        {"soort_digitaal_adres", omk_text(SLEUTELS[z->soort].soort_adres)}};
        omk_query q = {.conds = c, .nconds = 2, .limit = MAX_KANDIDATEN + 1};
        r = &omk__ki_digitaal_adres;
        via = "verstrektDoorPartij";
        rc = omk_db_list(db, r, &q, b->ctx.a, &rows, NULL);
    }
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *p = omk_row_text(r, &rows.rows[i], via);
        if (p)
            add_partij(b, p);
    }
    return rc;
}

/* BSN, KvK number and vestigingsnummer from the partij's identificatoren. */
static omk_rc read_identificatoren(omk_db *db, beeld *b, const char *partij)
{
    omk_rowset rows = {0};
    const omk_resource *r = &omk__ki_partij_identificator;
    omk_rc rc = omk_db_children(db, r, "identificeerde_partij", partij, b->ctx.a, &rows);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *soort = omk_row_text(r, &rows.rows[i], "partijIdentificator.codeSoortObjectId");
        const char *id = omk_row_text(r, &rows.rows[i], "partijIdentificator.objectId");
        if (!soort || !id)
            continue;
        if (strcmp(soort, "bsn") == 0 && !b->bsn)
            b->bsn = id;
        else if (strcmp(soort, "kvk_nummer") == 0 && !b->kvk)
            b->kvk = id;
        else if (strcmp(soort, "vestigingsnummer") == 0 && !b->vestiging)
            b->vestiging = id;
    }
    return rc;
}

static omk_rc rows_to_json(omk_db *db, beeld *b, const omk_resource *r, const omk_rowset *rows,
                           json_t **out)
{
    *out = json_array();
    for (size_t i = 0; i < rows->n; i++) {
        json_t *o = NULL;
        omk_rc rc = omk_res_to_json(db, &b->ctx, r, &rows->rows[i], &o);
        if (rc)
            return rc;
        json_array_append_new(*out, o);
    }
    return OMK_OK;
}

/* The contact timeline, newest first, with the fields a timeline shows. */
static omk_rc read_contacten(omk_db *db, beeld *b, const char *partij)
{
    omk_resource view = omk__ki_klantcontact;
    view.order_column = "plaatsgevonden_op";
    view.order_ascending = false;
    omk_filter_arg f[] = {{filter_named(&view, "hadBetrokkene__wasPartij__uuid"), partij},
                          {&KC_NOT_VERTROUWELIJK, "false"}};
    omk_query q = {.filters = f, .nfilters = b->inwoner ? 2 : 1, .limit = MAX_CONTACTEN};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &view, &q, b->ctx.a, &rows, &b->ncontacten);
    if (rc)
        return rc;
    return rows_to_json(db, b, &omk__ki_klantcontact, &rows, &b->contacten);
}

/* Open interne taken that arose from the partij's contacts. */
static omk_rc read_taken(omk_db *db, beeld *b, const char *partij)
{
    static const omk_filter via_partij = {
        "_partij", "aanleidinggevendKlantcontact/hadBetrokkenen/wasPartij/uuid", OMK_OP_EQ};
    omk_filter_arg f[] = {{&via_partij, partij}, {&TAAK_NOT_VERTROUWELIJK, "false"}};
    omk_cond open = {"status", omk_text("te_verwerken")};
    omk_query q = {.filters = f, .nfilters = b->inwoner ? 2 : 1, .conds = &open, .nconds = 1,
                   .limit = 100};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_interne_taak, &q, b->ctx.a, &rows, NULL);
    if (rc)
        return rc;
    return rows_to_json(db, b, &omk__ki_interne_taak, &rows, &b->taken);
}

/* Open contactverzoeken of the partij, earliest deadline first (their own order). */
static omk_rc read_verzoeken(omk_db *db, beeld *b, const char *partij)
{
    omk_cond c[] = {{"partij", omk_text(partij)}, {"status", omk_text("open")}};
    omk_filter_arg f = {&KV_NONE_VERTROUWELIJK, "true"};
    omk_query q = {.conds = c, .nconds = 2, .filters = &f, .nfilters = b->inwoner ? 1 : 0,
                   .limit = 100};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kv_contactverzoek, &q, b->ctx.a, &rows, NULL);
    if (rc)
        return rc;
    return rows_to_json(db, b, &omk__kv_contactverzoek, &rows, &b->verzoeken);
}

static const char *partij_naam(json_t *p)
{
    json_t *id = json_object_get(p, "partijIdentificatie");
    const char *org = json_string_value(json_object_get(id, "naam"));
    if (org)
        return org;
    json_t *cn = json_object_get(id, "contactnaam");
    static __thread char buf[300];
    snprintf(buf, sizeof buf, "%s %s%s%s",
             json_string_value(json_object_get(cn, "voornaam")) ?: "",
             json_string_value(json_object_get(cn, "voorvoegselAchternaam")) ?: "",
             *(json_string_value(json_object_get(cn, "voorvoegselAchternaam")) ?: "") ? " " : "",
             json_string_value(json_object_get(cn, "achternaam")) ?: "");
    return buf;
}

/* "Kerkstraat 12, 3512 AB Voorbeeldstad" from a register address, or NULL when it has no
 * street (or the doelbinding hid it). */
static json_t *adres_tekst(json_t *a)
{
    const char *straat = json_string_value(json_object_get(a, "straatnaam"));
    if (!straat || !*straat)
        return NULL;
    json_int_t nr = json_integer_value(json_object_get(a, "huisnummer"));
    const char *toev = json_string_value(json_object_get(a, "huisnummertoevoeging")) ?: "";
    const char *pc = json_string_value(json_object_get(a, "postcode")) ?: "";
    const char *stad = json_string_value(json_object_get(a, "stad")) ?: "";
    char buf[400];
    snprintf(buf, sizeof buf, "%s %lld%s%s, %s%s%s", straat, (long long)nr, *toev ? " " : "",
             toev, pc, *pc && *stad ? " " : "", stad);
    return json_string(buf);
}

/* One candidate of a search: who it is, and what tells it apart from the others (the address
 * the register has, the KvK number of an organisation); its BSN is kept for the BRP, never
 * shown. */
static omk_rc add_kandidaat(omk_db *db, beeld *b, const char *uuid)
{
    omk_row *row = NULL;
    json_t *p = NULL;
    omk_rc rc = omk_db_get(db, &omk__ki_partij, uuid, b->ctx.a, &row);
    if (!rc)
        rc = omk_res_to_json(db, &b->ctx, &omk__ki_partij, row, &p);
    beeld ids = {.ctx = b->ctx};
    if (!rc)
        rc = read_identificatoren(db, &ids, uuid);
    if (rc) {
        json_decref(p);
        return rc;
    }
    json_t *k = json_pack("{s:s, s:s, s:O, s:O, s:s}", "uuid", row->uuid, "url",
                          omk_res_url(&b->ctx, &omk__ki_partij, row->uuid), "nummer",
                          json_object_get(p, "nummer"), "soortPartij",
                          json_object_get(p, "soortPartij"), "naam", partij_naam(p));
    json_t *adres = adres_tekst(json_object_get(p, "bezoekadres"));
    if (adres)
        json_object_set_new(k, "adres", adres);
    const char *soort = json_string_value(json_object_get(p, "soortPartij"));
    bool persoon = soort && strcmp(soort, "persoon") == 0;
    if (!persoon && ids.kvk)
        json_object_set_new(k, "kvkNummer", json_string(ids.kvk));
    if (persoon && ids.bsn && b->nkandidaat_bsn < MAX_KANDIDATEN) {
        b->kandidaat_bsn[b->nkandidaat_bsn++] = ids.bsn;
        json_object_set_new(k, "_bsn", json_string(ids.bsn)); /* removed before answering */
    }
    json_array_append_new(b->kandidaten, k);
    json_decref(p);
    return OMK_OK;
}

static omk_rc read_register(omk_db *db, void *arg)
{
    beeld *b = arg;
    omk_rc rc = find_partijen(db, b);
    if (rc || b->npartijen == 0)
        return rc;
    if (b->npartijen > 1) { /* several partijen share the key: let the caller choose */
        b->kandidaten = json_array();
        for (size_t i = 0; !rc && i < b->npartijen && i < MAX_KANDIDATEN; i++)
            rc = add_kandidaat(db, b, b->partij_uuids[i]);
        return rc;
    }
    const char *uuid = b->partij_uuids[0];
    omk_row *row = NULL;
    omk_rowset adressen = {0};
    if ((rc = omk_db_get(db, &omk__ki_partij, uuid, b->ctx.a, &row)) ||
        (rc = omk_res_to_json(db, &b->ctx, &omk__ki_partij, row, &b->partij)) ||
        (rc = read_identificatoren(db, b, uuid)) ||
        (rc = omk_db_children(db, &omk__ki_digitaal_adres, "verstrekt_door_partij", uuid,
                              b->ctx.a, &adressen)) ||
        (rc = rows_to_json(db, b, &omk__ki_digitaal_adres, &adressen, &b->adressen)) ||
        (rc = read_contacten(db, b, uuid)) || (rc = read_taken(db, b, uuid)) ||
        (rc = read_verzoeken(db, b, uuid)))
        return rc;
    if (b->bsn)
        rc = omk__kan_voorkeurskanaal(db, b->ctx.a, b->bsn, &b->voorkeurskanaal,
                                       &b->voorkeurskanaal_us);
    return rc;
}

/* ---- the sources, mapped to the answer ---- */

static json_t *pick(json_t *from, const char *const *keys)
{
    json_t *o = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(from, *keys);
        if (v)
            json_object_set(o, *keys, v);
    }
    return o;
}

static json_t *map_persoon(json_t *brp, unsigned zie, bool *geheim, bool *overleden)
{
    json_t *p = json_array_get(json_object_get(brp, "personen"), 0);
    if (!p)
        return json_null();
    static const char *const basis[] = {"burgerservicenummer", "geheimhoudingPersoonsgegevens",
                                        "overlijden", NULL};
    static const char *const persoon[] = {"naam", "geboorte", "geslacht", "leeftijd", NULL};
    static const char *const adres[] = {"verblijfplaats", "adressering", NULL};
    json_t *o = pick(p, basis);
    *geheim = json_is_true(json_object_get(p, "geheimhoudingPersoonsgegevens"));
    *overleden = json_object_get(p, "overlijden") != NULL;
    if (zie & OMK_ZIE_PERSOON)
        json_object_update_new(o, pick(p, persoon));
    bool adres_mag = (zie & OMK_ZIE_ADRES) && (!*geheim || (zie & OMK_ZIE_GEHEIM_ADRES));
    if (adres_mag)
        json_object_update_new(o, pick(p, adres));
    json_object_set_new(o, "adresAfgeschermd", json_boolean(!adres_mag));
    return o;
}

static json_t *expanded(json_t *zaak, const char *name)
{
    return json_object_get(json_object_get(zaak, "_expand"), name);
}

static json_t *map_zaken(json_t *answer)
{
    json_t *out = json_array();
    static const char *const velden[] = {"url", "identificatie", "omschrijving", "startdatum",
                                         "einddatum", "einddatumGepland",
                                         "uiterlijkeEinddatumAfdoening", NULL};
    size_t i;
    json_t *z;
    json_array_foreach(json_object_get(answer, "results"), i, z) {
        if (i >= MAX_CONTACTEN || !json_is_object(z))
            break;
        json_t *o = pick(z, velden);
        json_t *zt = expanded(z, "zaaktype");
        json_object_set_new(o, "zaaktype",
                            json_string(json_string_value(json_object_get(zt, "omschrijving"))
                                            ?: json_string_value(json_object_get(z, "zaaktype"))
                                            ?: ""));
        json_t *st = expanded(z, "status");
        json_t *stt = st ? expanded(st, "statustype") : NULL;
        json_object_set_new(
            o, "status",
            json_pack("{s:s?, s:s?}", "omschrijving",
                      json_string_value(json_object_get(stt, "omschrijving")) ?: json_string_value(json_object_get(stt, "statustekst")),
                      "datumStatusGezet", json_string_value(json_object_get(st, "datumStatusGezet"))));
        json_object_set_new(o, "open", json_boolean(json_is_null(json_object_get(z, "einddatum")) ||
                                                    !json_object_get(z, "einddatum")));
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *map_bedrijf(json_t *kvk)
{
    json_t *r = json_array_get(json_object_get(kvk, "resultaten"), 0);
    static const char *const velden[] = {"kvkNummer", "vestigingsnummer", "naam", "type",
                                         "actief", "adres", NULL};
    return r ? pick(r, velden) : json_null();
}

/* The partij's preferred language and channel (its voorkeursDigitaalAdres), and the channel
 * the resident chose in Mijn (voorkeurskanaal, with when), or null. */
static json_t *voorkeuren(json_t *partij, json_t *adressen, const beeld *b)
{
    if (!partij)
        return json_null();
    char op[32] = "";
    if (b->voorkeurskanaal)
        omk_time_format(b->voorkeurskanaal_us, op);
    json_t *pref = json_object_get(json_object_get(partij, "voorkeursDigitaalAdres"), "uuid");
    json_t *kanaal = json_null(), *adres = json_null();
    size_t i;
    json_t *a;
    json_array_foreach(adressen, i, a) {
        if (pref && json_equal(json_object_get(a, "uuid"), pref)) {
            kanaal = json_incref(json_object_get(a, "soortDigitaalAdres"));
            adres = json_incref(json_object_get(a, "adres"));
        }
    }
    return json_pack("{s:O?, s:o, s:o, s:s?, s:s?}", "taal",
                     json_object_get(partij, "voorkeurstaal"), "kanaal",
                     kanaal ? kanaal : json_null(), "adres", adres ? adres : json_null(),
                     "voorkeurskanaal", b->voorkeurskanaal, "voorkeurskanaalGewijzigdOp",
                     b->voorkeurskanaal ? op : NULL);
}

json_t *omk__klantbeeld_map(omk_bron bron, json_t *answer, unsigned zie)
{
    bool geheim = false, overleden = false;
    switch (bron) {
    case OMK_BRON_BRP:
        return map_persoon(answer, zie, &geheim, &overleden);
    case OMK_BRON_ZAKEN:
        return map_zaken(answer);
    case OMK_BRON_KVK:
        return map_bedrijf(answer);
    default:
        return json_null();
    }
}

/* ---- signals ---- */

static void signaal(json_t *list, const char *soort, const char *omschrijving)
{
    json_array_append_new(list, json_pack("{s:s, s:s}", "soort", soort, "omschrijving",
                                          omschrijving));
}

static void iso_days_ago(int days, char out[32])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Several contacts on the same subject within SIGNAAL_DAGEN days; the last contact failed. */
static void contact_signalen(json_t *list, json_t *contacten)
{
    char since[32];
    iso_days_ago(SIGNAAL_DAGEN, since);
    json_t *per_onderwerp = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(contacten, i, c) {
        const char *op = json_string_value(json_object_get(c, "plaatsgevondenOp")) ?: "";
        const char *onderwerp = json_string_value(json_object_get(c, "onderwerp")) ?: "";
        if (strcmp(op, since) < 0 || !*onderwerp)
            continue;
        json_int_t n = json_integer_value(json_object_get(per_onderwerp, onderwerp));
        json_object_set_new(per_onderwerp, onderwerp, json_integer(n + 1));
    }
    const char *onderwerp;
    json_t *n;
    json_object_foreach(per_onderwerp, onderwerp, n) {
        if (json_integer_value(n) < 2)
            continue;
        char text[320];
        snprintf(text, sizeof text, "%lld contacten over \"%s\" in de laatste %d dagen",
                 (long long)json_integer_value(n), onderwerp, SIGNAAL_DAGEN);
        signaal(list, "herhaalcontact", text);
    }
    json_decref(per_onderwerp);
    json_t *last = json_array_get(contacten, 0);
    if (last && json_is_false(json_object_get(last, "indicatieContactGelukt")))
        signaal(list, "contact-niet-gelukt", "Het laatste contact is niet gelukt");
}

/* Open contactverzoeken past their deadline. */
static void verzoek_signalen(json_t *list, json_t *verzoeken)
{
    size_t i, late = 0;
    json_t *v;
    json_array_foreach(verzoeken, i, v)
        late += json_is_true(json_object_get(v, "teLaat"));
    if (late) {
        char text[96];
        snprintf(text, sizeof text, "%zu contactverzoe%s over de termijn", late,
                 late == 1 ? "k is" : "ken zijn");
        signaal(list, "te-laat", text);
    }
}

/* ---- the BSN, masked ---- */

/* "999990019" → "******019": enough to check with the caller, not enough to read it off a
 * screen; "Toon BSN" (POST /bsn/_toon) gives the whole number and logs that it was shown. */
static void maskeer_waarde(json_t *holder, const char *key)
{
    const char *v = json_string_value(json_object_get(holder, key));
    size_t n = v ? strlen(v) : 0;
    if (n < 4)
        return;
    char masked[32];
    snprintf(masked, sizeof masked, "******%s", v + n - 3);
    json_object_set_new(holder, key, json_string(masked));
}

static void maskeer_bsn(json_t *persoon, json_t *partij)
{
    if (json_is_object(persoon)) {
        maskeer_waarde(persoon, "burgerservicenummer");
        json_object_set_new(persoon, "bsnGemaskeerd", json_true());
    }
    size_t i;
    json_t *pi;
    json_array_foreach(json_object_get(partij, "partijIdentificatoren"), i, pi) {
        json_t *id = json_object_get(pi, "partijIdentificator");
        if (strcmp(json_string_value(json_object_get(id, "codeSoortObjectId")) ?: "", "bsn") == 0)
            maskeer_waarde(id, "objectId");
    }
}

/* ---- the log ---- */

/* The records of a klantbeeld: the view itself ("Klantbeeld raadplegen", from the register)
 * and each source asked, a child action, all about the same person, under the activity the
 * request named. Their answer waits for them or not as the Logboek is set (logboek_int.h). */
static omk_rc log_view(omk_req *req, const zoekvraag *z, const char *root_span,
                       long long start, omk_ldv_soort soort, const char *const *ids,
                       size_t nids, const omk_sources_result *src, omk_ldv **out)
{
    omk_rc rc = omk__ldv_begin(req, out);
    omk_ldv *l = *out;
    if (rc || !l)
        return rc;
    omk__ldv_doel(l, z->activiteit, z->rol);
    omk_ldv_actie *root = omk__ldv_actie(l, "Klantbeeld raadplegen", root_span, NULL);
    if (!root)
        return OMK_NOMEM;
    root->start_ms = start;
    root->bron = "register";
    for (size_t i = 0; !rc && i < nids; i++)
        rc = omk__ldv_persoon(root, soort, ids[i]);
    static const char *const NAMEN[OMK_BRON_COUNT] = {"Persoon raadplegen in de BRP",
                                                       "Zaken zoeken", "Bedrijf zoeken in de KvK"};
    for (int s = 0; !rc && src && nids && s < OMK_BRON_COUNT; s++) {
        const omk_source_answer *a = &src->a[s];
        if (!a->asked)
            continue;
        omk_ldv_actie *x = omk__ldv_actie(l, NAMEN[s], a->span_id, root_span);
        if (!x)
            return OMK_NOMEM;
        x->start_ms = a->start_ms;
        x->eind_ms = a->end_ms;
        x->status = a->status == OMK_BRON_OK ? "Ok" : "Error";
        x->bron = omk_bron_name((omk_bron)s);
        rc = omk__ldv_persoon(x, soort, ids[0]);
    }
    return rc;
}

/* ---- the handler ---- */

static json_t *bronnen_json(const omk_sources_result *src, json_t **meldingen)
{
    json_t *o = json_pack("{s:s}", "register", "ok");
    *meldingen = json_object();
    for (int s = 0; s < OMK_BRON_COUNT; s++) {
        json_object_set_new(o, omk_bron_name((omk_bron)s),
                            json_string(omk_bron_status_name(src->a[s].status)));
        if (src->a[s].asked && src->a[s].status != OMK_BRON_OK)
            json_object_set_new(*meldingen, omk_bron_name((omk_bron)s),
                                json_string(src->a[s].detail));
    }
    return o;
}

/* The BRP's birth date and address lines of each candidate person (what the doelbinding lets
 * this request see), in place of the register's address. */
static void kandidaten_uit_brp(json_t *kandidaten, json_t *brp, unsigned zie)
{
    size_t i, k;
    json_t *c, *p;
    json_array_foreach(kandidaten, i, c) {
        const char *bsn = json_string_value(json_object_get(c, "_bsn"));
        json_array_foreach(json_object_get(brp, "personen"), k, p) {
            if (!bsn || strcmp(json_string_value(json_object_get(p, "burgerservicenummer")) ?: "",
                               bsn) != 0)
                continue;
            json_t *d = json_object_get(json_object_get(p, "geboorte"), "datum");
            const char *iso = json_string_value(json_object_get(d, "datum"));
            const char *lang = json_string_value(json_object_get(d, "langFormaat"));
            json_object_set_new(c, "geboortedatum", iso ? json_string(iso) : json_null());
            if (lang)
                json_object_set_new(c, "geboorte", json_string(lang));
            bool geheim = json_is_true(json_object_get(p, "geheimhoudingPersoonsgegevens"));
            json_t *a = json_object_get(p, "adressering");
            const char *r1 = json_string_value(json_object_get(a, "adresregel1"));
            const char *r2 = json_string_value(json_object_get(a, "adresregel2"));
            if (!(zie & OMK_ZIE_ADRES) || (geheim && !(zie & OMK_ZIE_GEHEIM_ADRES))) {
                json_object_del(c, "adres");
            } else if (r1) {
                char buf[300];
                snprintf(buf, sizeof buf, "%s%s%s", r1, r2 ? ", " : "", r2 ? r2 : "");
                for (char *w = buf, *r = buf;; r++) /* the BRP's "1234 AB  PLAATS": one space */
                    if (!(r > buf && *r == ' ' && r[-1] == ' ') && !(*w++ = *r))
                        break;
                json_object_set_new(c, "adres", json_string(buf));
            }
        }
        json_object_del(c, "_bsn");
    }
}

static omk_rc reply_kandidaten(omk_req *req, beeld *b, const char *root_span, long long start,
                               const omk_sources_result *src)
{
    omk_ldv *l = NULL;
    size_t n = b->npartijen < MAX_KANDIDATEN ? b->npartijen : MAX_KANDIDATEN;
    omk_rc rc = log_view(req, b->z, root_span, start, OMK_LDV_PARTIJ, b->partij_uuids, n, NULL,
                         &l);
    const omk_source_answer *brp = src ? &src->a[OMK_BRON_BRP] : NULL;
    if (!rc && l && brp && brp->asked) { /* the BRP was asked about every candidate person */
        omk_ldv_actie *x = omk__ldv_actie(l, "Personen raadplegen in de BRP", brp->span_id,
                                          root_span);
        if (!x)
            rc = OMK_NOMEM;
        for (size_t i = 0; !rc && i < b->nkandidaat_bsn; i++) {
            x->start_ms = brp->start_ms;
            x->eind_ms = brp->end_ms;
            x->status = brp->status == OMK_BRON_OK ? "Ok" : "Error";
            x->bron = "brp";
            rc = omk__ldv_persoon(x, OMK_LDV_BSN, b->kandidaat_bsn[i]);
        }
    }
    if (rc) {
        json_decref(b->kandidaten);
        return rc;
    }
    kandidaten_uit_brp(b->kandidaten, brp ? brp->body : NULL, b->z->zie);
    json_t *body = json_pack("{s:n, s:o, s:b, s:s, s:s}", "partij", "kandidaten", b->kandidaten,
                             "meerKandidaten", b->npartijen > MAX_KANDIDATEN,
                             "verwerkingsactiviteit", b->z->activiteit, "traceId",
                             omk_req_trace_id(req));
    if (src) {
        json_t *meldingen = NULL;
        json_object_set_new(body, "bronnen", bronnen_json(src, &meldingen));
        json_object_set_new(body, "bronMeldingen", meldingen);
    }
    return omk__ldv_reply_json(req, l, 200, body);
}

static void free_beeld(beeld *b)
{
    json_decref(b->partij);
    json_decref(b->adressen);
    json_decref(b->contacten);
    json_decref(b->taken);
    json_decref(b->verzoeken);
}

static json_t *or_empty(json_t *v, bool allowed)
{
    if (!allowed) {
        json_decref(v);
        return json_array();
    }
    return v ? v : json_array();
}

/* One klantbeeld across its suspension: parsed request, register data, source answers. */
typedef struct zoek_job {
    omk_req *req;
    zoekvraag z;
    beeld b;
    omk_sources_result src;
    char root_span[17];
    long long start;
} zoek_job;

static void cleanup_job(void *arg)
{
    zoek_job *j = arg;
    free_beeld(&j->b);
    omk_sources_result_free(&j->src);
}

/* On the fetch thread, when every source answered or timed out. */
static void sources_done(void *arg)
{
    zoek_job *j = arg;
    omk_req_resume(j->req);
}

static omk_rc zoek_answer(omk_req *req);

/* Parks the request while the fetch thread asks the sources q names (no worker waits for
 * them), then `then` answers on a worker thread. */
static omk_rc ask_sources(omk_req *req, zoek_job *j, const omk_sources_query *q,
                          omk_handler then)
{
    omk_req_set_state(req, j);
    if (!omk_req_suspend(req, then)) { /* shutting down: wait here */
        if (omk_sources_fetch(&g_sources, q, &j->src))
            memset(&j->src, 0, sizeof j->src); /* answer without sources */
        return then(req);
    }
    if (omk_sources_fetch_async(&g_sources, q, &j->src, sources_done, j))
        omk_req_resume(req); /* fetch thread not running: answer without sources */
    return OMK_OK;
}

/* The candidates once the BRP answered about them. */
static omk_rc kandidaten_answer(omk_req *req)
{
    zoek_job *j = omk_req_state(req);
    return reply_kandidaten(req, &j->b, j->root_span, j->start, &j->src);
}

static omk_rc klantbeeld_zoek(omk_req *req)
{
    zoek_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    memset(j, 0, sizeof *j);
    j->req = req;
    j->start = now_ms();
    json_t *body = omk_req_json(req);
    zoekvraag *z = &j->z;
    omk_rc rc = parse_request(req, body, z);
    if (rc)
        return rc;
    const char *subject = omk_req_subject(req);
    if (subject && (z->soort != S_BSN || strcmp(z->waarde, subject) != 0)) {
        omk_req_fail(req, "permission_denied", "U kunt alleen uw eigen gegevens inzien.");
        return OMK_FORBIDDEN;
    }
    z->zie = omk__doelbinding(req, z->activiteit);
    z->rol = omk__doelbinding_rol(req, z->activiteit);
    if (!z->zie) {
        omk_req_fail(req, "permission_denied",
                     "Uw rol mag deze verwerkingsactiviteit niet uitvoeren.");
        return OMK_FORBIDDEN;
    }
    beeld *b = &j->b;
    b->z = z;
    b->inwoner = subject != NULL;
    omk__ctx_init(&b->ctx, req);
    omk__ctx_zicht(&b->ctx, z->zie); /* the register part follows the same field rules */
    if (omk_arena_defer(b->ctx.a, cleanup_job, j))
        return OMK_NOMEM;
    b->bsn = z->soort == S_BSN ? z->waarde : NULL;
    b->kvk = z->soort == S_KVK ? z->waarde : NULL;
    b->vestiging = z->soort == S_VESTIGING ? z->waarde : NULL;
    if ((rc = omk_store_read(omk__store(req), read_register, b)))
        return omk__finish(req, &b->ctx, rc);
    omk_random_hex(j->root_span, 8);
    if (b->kandidaten && (!(z->zie & OMK_ZIE_PERSOON) || !b->nkandidaat_bsn))
        return reply_kandidaten(req, b, j->root_span, j->start, NULL);
    if (b->kandidaten) {
        omk_sources_query kq = {
            .kandidaat_bsns = b->kandidaat_bsn, .nkandidaten = b->nkandidaat_bsn,
            .want = {[OMK_BRON_BRP] = true}, .trace_id = omk_req_trace_id(req),
            .user_id = omk_req_principal(req), .user_representation = omk_req_principal(req)};
        return ask_sources(req, j, &kq, kandidaten_answer);
    }

    omk_sources_query q = {
        .bsn = b->bsn, .kvk_nummer = b->kvk, .vestigingsnummer = b->vestiging,
        .want = {[OMK_BRON_BRP] = (z->zie & OMK_ZIE_PERSOON) != 0,
                 [OMK_BRON_ZAKEN] = (z->zie & OMK_ZIE_ZAKEN) != 0,
                 [OMK_BRON_KVK] = (z->zie & OMK_ZIE_BEDRIJF) != 0},
        .trace_id = omk_req_trace_id(req), .user_id = omk_req_principal(req),
        .user_representation = omk_req_principal(req),
    };
    return ask_sources(req, j, &q, zoek_answer);
}

/* On a worker thread again: filter, add signals, log, answer. */
static omk_rc zoek_answer(omk_req *req)
{
    zoek_job *j = omk_req_state(req);
    zoekvraag z = j->z;
    beeld *bp = &j->b;
    omk_sources_result *srcp = &j->src;
    omk_rc rc;
    bool geheim = false, overleden = false;
    json_t *out = json_object();
    json_object_set_new(out, "voorkeuren", voorkeuren(bp->partij, bp->adressen, bp));
    if (omk_req_subject(req) && bp->partij) /* the municipality's own notes stay internal */
        json_object_del(bp->partij, "interneNotitie");
    json_object_set_new(out, "partij", bp->partij ? bp->partij : json_null());
    bp->partij = NULL;
    json_object_set_new(out, "digitaleAdressen",
                        or_empty(bp->adressen, z.zie & OMK_ZIE_CONTACTGEGEVENS));
    bp->adressen = NULL;
    json_object_set_new(out, "persoon",
                        srcp->a[OMK_BRON_BRP].body
                            ? map_persoon(srcp->a[OMK_BRON_BRP].body, z.zie, &geheim, &overleden)
                            : json_null());
    json_object_set_new(out, "bedrijf",
                        srcp->a[OMK_BRON_KVK].body ? map_bedrijf(srcp->a[OMK_BRON_KVK].body)
                                                 : json_null());
    json_object_set_new(out, "zaken", srcp->a[OMK_BRON_ZAKEN].body
                                          ? map_zaken(srcp->a[OMK_BRON_ZAKEN].body)
                                          : json_array());
    json_t *contacten = or_empty(bp->contacten, z.zie & OMK_ZIE_CONTACTEN);
    bp->contacten = NULL;
    if (!(z.zie & OMK_ZIE_INHOUD)) {
        size_t i;
        json_t *c;
        json_array_foreach(contacten, i, c) {
            json_object_del(c, "inhoud");
            json_object_del(c, "reactie");
        }
    }
    json_t *taken = or_empty(bp->taken, z.zie & OMK_ZIE_TAKEN);
    bp->taken = NULL;
    json_t *verzoeken = or_empty(bp->verzoeken, z.zie & OMK_ZIE_TAKEN);
    bp->verzoeken = NULL;
    json_t *signalen = json_array();
    contact_signalen(signalen, contacten);
    verzoek_signalen(signalen, verzoeken);
    if (json_array_size(taken)) {
        char text[80];
        snprintf(text, sizeof text, "%zu openstaande interne ta%s", json_array_size(taken),
                 json_array_size(taken) == 1 ? "ak" : "ken");
        signaal(signalen, "open-taken", text);
    }
    if (geheim)
        signaal(signalen, "geheimhouding",
                "Geheimhouding persoonsgegevens: geef geen gegevens aan derden");
    if (overleden)
        signaal(signalen, "overleden", "Deze persoon is overleden");
    if (z.maskeer_bsn)
        maskeer_bsn(json_object_get(out, "persoon"), json_object_get(out, "partij"));
    json_t *fictief = json_array();
    for (int s = 0; s < OMK_BRON_COUNT; s++)
        if (g_fictief[s] && srcp->a[s].asked)
            json_array_append_new(fictief, json_string(omk_bron_name((omk_bron)s)));
    json_object_set_new(out, "fictieveBronnen", fictief);
    json_object_set_new(out, "contacten", contacten);
    json_object_set_new(out, "aantalContacten", json_integer(bp->ncontacten));
    json_object_set_new(out, "internetaken", taken);
    json_object_set_new(out, "contactverzoeken", verzoeken);
    json_object_set_new(out, "signalen", signalen);
    json_t *meldingen = NULL;
    json_object_set_new(out, "bronnen", bronnen_json(srcp, &meldingen));
    json_object_set_new(out, "bronMeldingen", meldingen);
    json_object_set_new(out, "verwerkingsactiviteit", json_string(z.activiteit));
    json_object_set_new(out, "traceId", json_string(omk_req_trace_id(req)));

    /* Logged before it is shown (and, with --logboek wachten, on disk before it is shown). */
    omk_ldv_soort soort = bp->bsn ? OMK_LDV_BSN : bp->kvk ? OMK_LDV_KVK
                          : bp->vestiging ? OMK_LDV_VESTIGING : OMK_LDV_PARTIJ;
    const char *id = bp->bsn         ? bp->bsn
                     : bp->kvk       ? bp->kvk
                     : bp->vestiging ? bp->vestiging
                     : bp->npartijen ? bp->partij_uuids[0]
                                     : NULL;
    omk_ldv *l = NULL;
    rc = log_view(req, &z, j->root_span, j->start, soort, &id, id ? 1 : 0, srcp, &l);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return omk__ldv_reply_json(req, l, 200, out);
}


/* ---- POST /bsn/_toon: "Toon BSN" ---- */

typedef struct toon_job {
    beeld b;
    const char *partij;
} toon_job;

static omk_rc read_bsn(omk_db *db, void *arg)
{
    toon_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, &omk__ki_partij, j->partij, j->b.ctx.a, &row);
    return rc ? rc : read_identificatoren(db, &j->b, j->partij);
}

/* The whole BSN of a partij for an employee who asked to see it, after the masked one the
 * klantbeeld showed: its own Logboek action ("BSN tonen") about that person under the named
 * verwerkingsactiviteit, which must allow seeing the person. */
static omk_rc bsn_toon(omk_req *req)
{
    json_t *body = omk_req_json(req);
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "partij") && strcmp(key, "verwerkingsactiviteit"))
            omk_req_invalid(req, key, "unknown", "Onbekend veld.");
    }
    const char *partij = json_string_value(json_object_get(body, "partij"));
    const char *act = json_string_value(json_object_get(body, "verwerkingsactiviteit"));
    const char *code = NULL;
    if (!partij || check_uuid(partij, &code))
        omk_req_invalid(req, "partij", partij ? "invalid" : "required",
                        partij ? "Voer een geldige UUID in." : "Dit veld is vereist.");
    if (!act || !omk__activiteit(act))
        omk_req_invalid(req, "verwerkingsactiviteit", act ? "invalid" : "required",
                        act ? "Onbekende verwerkingsactiviteit." : "Dit veld is vereist.");
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    if (!(omk__doelbinding(req, act) & OMK_ZIE_PERSOON)) {
        omk_req_fail(req, "permission_denied",
                     "Uw rol mag voor deze verwerkingsactiviteit geen persoonsgegevens zien.");
        return OMK_FORBIDDEN;
    }
    toon_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    memset(j, 0, sizeof *j);
    j->partij = partij;
    omk__ctx_init(&j->b.ctx, req);
    omk_rc rc = omk_store_read(omk__store(req), read_bsn, j);
    if (!rc && !j->b.bsn) {
        omk_req_fail(req, "not_found", "Deze klant heeft geen BSN in het klantregister.");
        rc = OMK_NOTFOUND;
    }
    if (rc)
        return omk__finish(req, &j->b.ctx, rc);
    omk_ldv *l = NULL;
    rc = omk__ldv_begin(req, &l);
    if (rc)
        return rc;
    if (l) {
        omk__ldv_doel(l, act, omk__doelbinding_rol(req, act));
        omk_ldv_actie *x = omk__ldv_actie(l, "BSN tonen", NULL, NULL);
        if (!x)
            return OMK_NOMEM;
        x->bron = "register";
        rc = omk__ldv_persoon(x, OMK_LDV_BSN, j->b.bsn);
        if (rc)
            return rc;
    }
    return omk__ldv_reply_json(req, l, 200,
                               json_pack("{s:s, s:s, s:s}", "partij", partij, "bsn", j->b.bsn,
                                         "verwerkingsactiviteit", act));
}

static const omk_api_info KLANTBEELD_API = {.base = KB_BASE, .version = "1.0.0",
                                             .openapi_json = omk__openapi_klantbeeld};

size_t omk__klantbeeld_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"POST", KB_BASE "/_zoek", klantbeeld_zoek, NULL, &KLANTBEELD_API,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KB_BASE "/bsn/_toon", bsn_toon, NULL, &KLANTBEELD_API,
         OMK_ROUTE_BODY | OMK_ROUTE_READ, 0, NULL},
    };
    size_t n = sizeof routes / sizeof routes[0];
    if (n > cap)
        n = cap;
    memcpy(out, routes, n * sizeof routes[0]);
    n += omk__ldv_routes(out + n, cap - n, &KLANTBEELD_API);
    return n + omk__identiteit_routes(out + n, cap - n, &KLANTBEELD_API);
}

/* ---- start-up ---- */

typedef struct keys_job {
    omk_arena *a;
    size_t done;
} keys_job;

/* One batch of digital addresses without a search key yet. */
static omk_rc fill_keys(omk_db *db, void *arg)
{
    keys_job *j = arg;
    const omk_resource *r = &omk__ki_digitaal_adres;
    omk_cond missing = {"zoeksleutel", {.t = OMK_V_NULL}};
    omk_query q = {.conds = &missing, .nconds = 1, .limit = 2000};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, r, &q, j->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++)
        rc = omk__da_set_key(db, r, rows.rows[i].uuid,
                             omk_row_text(r, &rows.rows[i], "soortDigitaalAdres"),
                             omk_row_text(r, &rows.rows[i], "adres"));
    j->done = rc ? 0 : rows.n;
    return rc;
}

omk_rc omk_api_klantbeeld_start(omk_store *s, const char *doelbinding_path)
{
    omk_sources_config cfg;
    omk_sources_config_from_env(&cfg);
    omk__klantbeeld_set_sources(&cfg);
    omk_rc rc = doelbinding_path ? omk__doelbinding_load(doelbinding_path) : OMK_OK;
    if (!rc)
        rc = omk_sources_start();
    for (size_t batch = 0; !rc; batch++) {
        omk_arena *a = omk_arena_new(64u << 20);
        if (!a)
            return OMK_NOMEM;
        keys_job j = {.a = a};
        rc = omk_store_write(s, fill_keys, &j);
        omk_arena_free(a);
        if (j.done == 0)
            break;
    }
    return rc;
}

void omk_api_klantbeeld_stop(void)
{
    omk_sources_stop();
}
