/* Fictional source systems for the demo (`serve --demo-bronnen`): a second HTTP server on a
 * loopback port that answers as Haal Centraal BRP Personen, the ZGW Zaken API and KvK Zoeken
 * v2 would, in their official shapes (the shapes of tests/fixtures/brp and tests/fixtures/kvk,
 * checked against the official specs by tests/api/klantbeeld/demobronnen.test.mjs), so that
 * the klantbeeld of the demo municipality is complete. Every answer is made up: a person is
 * built from the demo partij with that BSN (name, address, geheimhouding) plus a birth date
 * and zaken derived from the BSN; a business from the demo organisation with that KvK number.
 * Only test numbers are answered (BSNs 9999xxxxx, as the demo draws them); anything else is
 * "not found", so a real register behind --demo-bronnen is never turned into a fake BRP.
 * The klantbeeld reaches these through its ordinary clients (libcurl, headers, JWT), so the
 * demo exercises the real path. Handlers run on the demo server's worker threads. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "klantbeeld/klantbeeld.h"
#include "klantinteracties/klantinteracties.h"
#include "omk/log.h"
#include "omk/util.h"

#define BRP_PAD "/haalcentraal/api/brp"
#define ZAKEN_PAD "/zaken/api/v1"
#define KVK_PAD "/api/v2"
#define MAX_PERSONEN 20

/* The fictional credentials the klantbeeld is configured with (loopback only; the data is
 * fictional: they only make the demo send what the real systems require). */
#define DEMO_BRP_KEY "fictief-brp"
#define DEMO_KVK_KEY "fictief-kvk"
#define DEMO_ZAKEN_CLIENT "omnikanaal-demo"
#define DEMO_ZAKEN_SECRET "fictief-zaken-geheim"
#define DEMO_RSIN "999990019" /* the fictional municipality's RSIN (elfproef) */

static const omk_api_info DEMO_API = {.base = "", .version = "fictief"};

/* ---- shared ---- */

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a: a stable spread, not a secret */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static omk_rc problem(omk_req *req, int status, const char *title)
{
    char type[64];
    snprintf(type, sizeof type, "https://example.invalid/fictief/%d", status);
    return omk_req_reply_json(req, status, json_pack("{s:s, s:s, s:i}", "type", type, "title",
                                                     title, "status", status));
}

static bool header_is(omk_req *req, const char *name, const char *want)
{
    const char *v = omk_req_header(req, name);
    return v && strcmp(v, want) == 0;
}

/* A demo partij by identificator (codeSoortObjectId, objectId) as the register shows it, or
 * NULL. New reference. */
typedef struct zoek_partij {
    const char *soort, *id;
    omk_arena *a;
    json_t *partij;
    const char *vestiging, *kvk; /* the organisation's vestigingsnummer and KvK number */
} zoek_partij;

static omk_rc lees_partij(omk_db *db, void *arg)
{
    zoek_partij *z = arg;
    omk_cond c[] = {{"code_soort_object_id", omk_text(z->soort)}, {"object_id", omk_text(z->id)}};
    omk_query q = {.conds = c, .nconds = 2, .limit = 1};
    omk_rowset rows = {0};
    const omk_resource *pi = &omk__ki_partij_identificator;
    omk_rc rc = omk_db_list(db, pi, &q, z->a, &rows, NULL);
    const char *uuid = !rc && rows.n ? omk_row_text(pi, &rows.rows[0], "identificeerdePartij")
                                     : NULL;
    if (rc || !uuid)
        return rc;
    omk_row *row = NULL;
    omk_api_ctx ctx = {.a = z->a, .base_url = ""};
    rc = omk_db_get(db, &omk__ki_partij, uuid, z->a, &row);
    if (!rc)
        rc = omk_res_to_json(db, &ctx, &omk__ki_partij, row, &z->partij);
    omk_rowset ids = {0};
    if (!rc)
        rc = omk_db_children(db, pi, "identificeerde_partij", uuid, z->a, &ids);
    for (size_t i = 0; !rc && i < ids.n; i++) {
        const char *soort =
            omk_row_text0(pi, &ids.rows[i], "partijIdentificator.codeSoortObjectId");
        const char *id = omk_row_text(pi, &ids.rows[i], "partijIdentificator.objectId");
        if (strcmp(soort, "vestigingsnummer") == 0)
            z->vestiging = id;
        else if (strcmp(soort, "kvk_nummer") == 0)
            z->kvk = id;
    }
    return rc == OMK_NOTFOUND ? OMK_OK : rc;
}

static json_t *find_partij(omk_req *req, const char *soort, const char *id,
                           const char **vestiging, const char **kvk)
{
    zoek_partij z = {.soort = soort, .id = id, .a = omk_req_arena(req)};
    if (omk_store_read(omk_req_server_app(req), lees_partij, &z)) {
        json_decref(z.partij);
        return NULL;
    }
    if (vestiging)
        *vestiging = z.vestiging;
    if (kvk)
        *kvk = z.kvk;
    return z.partij;
}

/* The demo person with this BSN (test range only), or NULL. New reference. */
static json_t *demo_persoon(omk_req *req, const char *bsn)
{
    if (strlen(bsn) != 9 || strncmp(bsn, "9999", 4) != 0)
        return NULL;
    return find_partij(req, "bsn", bsn, NULL, NULL);
}

typedef struct nummers {
    const char *uuid;
    omk_arena *a;
    const char *bsn, *vestiging;
} nummers;

static omk_rc lees_nummers(omk_db *db, void *arg)
{
    nummers *x = arg;
    const omk_resource *pi = &omk__ki_partij_identificator;
    omk_rowset ids = {0};
    omk_rc rc = omk_db_children(db, pi, "identificeerde_partij", x->uuid, x->a, &ids);
    for (size_t i = 0; !rc && i < ids.n; i++) {
        const char *soort =
            omk_row_text0(pi, &ids.rows[i], "partijIdentificator.codeSoortObjectId");
        const char *id = omk_row_text(pi, &ids.rows[i], "partijIdentificator.objectId");
        if (strcmp(soort, "bsn") == 0 && id && strncmp(id, "9999", 4) == 0)
            x->bsn = id;
        else if (strcmp(soort, "vestigingsnummer") == 0)
            x->vestiging = id;
    }
    return rc;
}

/* The test BSN or else the vestigingsnummer of the partij with this uuid; false when it has
 * neither. */
static bool partij_nummers(omk_req *req, const char *uuid, const char **bsn, const char **vest)
{
    nummers x = {.uuid = uuid, .a = omk_req_arena(req)};
    if (omk_store_read(omk_req_server_app(req), lees_nummers, &x))
        return false;
    *bsn = x.bsn;
    *vest = x.bsn ? NULL : x.vestiging;
    return x.bsn || x.vestiging;
}

static const char *str(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2)
        v = json_object_get(v, path2);
    return json_string_value(v) ?: "";
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* "3512 AB" → "3512AB" (the BRP's form). */
static void postcode_brp(const char *in, char out[8])
{
    size_t n = 0;
    for (; *in && n < 6; in++)
        if (*in != ' ')
            out[n++] = *in;
    out[n] = 0;
    upper(out);
}

static const char *const MAANDEN[] = {"januari", "februari", "maart",     "april",
                                      "mei",     "juni",     "juli",      "augustus",
                                      "september", "oktober", "november", "december"};

static json_t *datum(int y, int m, int d)
{
    char iso[16], lang[40];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    snprintf(lang, sizeof lang, "%d %s %d", d, MAANDEN[m - 1], y);
    return json_pack("{s:s, s:s, s:s}", "type", "Datum", "datum", iso, "langFormaat", lang);
}

static void vandaag(int *y, int *m, int *d)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
    *d = tm.tm_mday;
}

/* ---- BRP: POST /haalcentraal/api/brp/personen ---- */

/* First names the demo draws that are women's; the others are men's (demo.c's VOORNAMEN). */
static const char *const VROUWEN[] = {"Anna", "Emma", "Julia", "Sophie", "Tess", "Zoë", "Sara",
                                      "Fatima", "Noor", "Marieke", "Ingrid", "Annelies", "Wilma",
                                      "Elif", "Priya", "Lotte", "Fleur", "Iris", "Esther",
                                      "Hanneke"};

static bool is_vrouw(const char *voornaam)
{
    for (size_t i = 0; i < OMK_COUNT(VROUWEN); i++)
        if (strcmp(VROUWEN[i], voornaam) == 0)
            return true;
    return false;
}

static json_t *brp_naam(json_t *cn, char *aanhef_naam, size_t cap)
{
    const char *vn = str(cn, "voornaam", NULL), *vv = str(cn, "voorvoegselAchternaam", NULL),
               *an = str(cn, "achternaam", NULL);
    char voorletters[8], volledig[300];
    snprintf(voorletters, sizeof voorletters, "%c.", *vn ? *vn : 'X');
    snprintf(volledig, sizeof volledig, "%s %s%s%s", vn, vv, *vv ? " " : "", an);
    /* In an aanhef the voorvoegsel starts with a capital: "mevrouw Van der Berg". */
    snprintf(aanhef_naam, cap, "%s%s%s", vv, *vv ? " " : "", an);
    if (*vv && aanhef_naam[0] >= 'a' && aanhef_naam[0] <= 'z')
        aanhef_naam[0] = (char)(aanhef_naam[0] - 'a' + 'A');
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "voornamen", vn, "geslachtsnaam", an,
                          "voorletters", voorletters, "volledigeNaam", volledig);
    if (*vv)
        json_object_set_new(o, "voorvoegsel", json_string(vv));
    return o;
}

static json_t *brp_verblijf(json_t *adres, const char *aanhef, json_t **adressering)
{
    const char *straat = str(adres, "straatnaam", NULL), *stad = str(adres, "stad", NULL);
    json_int_t nr = json_integer_value(json_object_get(adres, "huisnummer"));
    char pc[8], regel1[200], regel2[200], plaats[100];
    postcode_brp(str(adres, "postcode", NULL), pc);
    snprintf(plaats, sizeof plaats, "%s", *stad ? stad : "Voorbeeldstad");
    snprintf(regel1, sizeof regel1, "%s %lld", straat, (long long)nr);
    char up[100];
    snprintf(up, sizeof up, "%s", plaats);
    upper(up);
    snprintf(regel2, sizeof regel2, "%.4s %.2s  %s", pc, pc + 4, up);
    *adressering = json_pack("{s:s, s:s, s:s}", "adresregel1", regel1, "adresregel2", regel2,
                             "aanhef", aanhef);
    return json_pack("{s:s, s:{s:s, s:s, s:I, s:s, s:s}, s:{s:s, s:s}}", "type", "Adres",
                     "verblijfadres", "officieleStraatnaam", straat, "korteStraatnaam", straat,
                     "huisnummer", nr, "postcode", pc, "woonplaats", plaats, "functieAdres",
                     "code", "W", "omschrijving", "woonadres");
}

/* The fictional person with this BSN, every field of the BRP's Persoon this demo knows;
 * NULL when the register has no demo person with it. */
static json_t *brp_persoon(omk_req *req, const char *bsn)
{
    json_t *p = demo_persoon(req, bsn);
    if (!p)
        return NULL;
    if (strcmp(str(p, "soortPartij", NULL), "persoon") != 0) {
        json_decref(p);
        return NULL;
    }
    json_t *cn = json_object_get(json_object_get(p, "partijIdentificatie"), "contactnaam");
    bool vrouw = is_vrouw(str(cn, "voornaam", NULL));
    char aanhef_naam[260], aanhef[300];
    json_t *naam = brp_naam(cn, aanhef_naam, sizeof aanhef_naam);
    snprintf(aanhef, sizeof aanhef, "Geachte %s %s", vrouw ? "mevrouw" : "heer", aanhef_naam);
    uint32_t h = hash(bsn);
    int y, m, d, gy = 1940 + (int)(h % 66), gm = 1 + (int)(h / 66 % 12),
                 gd = 1 + (int)(h / 792 % 28);
    vandaag(&y, &m, &d);
    int leeftijd = y - gy - (m < gm || (m == gm && d < gd));
    json_t *adressering = NULL;
    json_t *o = json_pack(
        "{s:s, s:b, s:{s:s, s:s}, s:i, s:o, s:{s:o, s:{s:s, s:s}}, s:o}", "burgerservicenummer",
        bsn, "geheimhoudingPersoonsgegevens",
        json_is_true(json_object_get(p, "indicatieGeheimhouding")), "geslacht", "code",
        vrouw ? "V" : "M", "omschrijving", vrouw ? "vrouw" : "man", "leeftijd", leeftijd,
        "naam", naam, "geboorte", "datum", datum(gy, gm, gd), "plaats", "code", "0599",
        "omschrijving", "Rotterdam", "verblijfplaats",
        brp_verblijf(json_object_get(p, "bezoekadres"), aanhef, &adressering));
    json_object_set_new(o, "adressering", adressering);
    json_decref(p);
    return o;
}

/* Keeps the fields the request asked for (top-level names); the BRP always delivers
 * geheimhoudingPersoonsgegevens when it is true. */
static void alleen_gevraagd(json_t *persoon, json_t *fields)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(persoon, tmp, key, v) {
        bool gevraagd = false;
        size_t i;
        json_t *f;
        json_array_foreach(fields, i, f) {
            const char *s = json_string_value(f);
            size_t n = strlen(key);
            if (s && strncmp(s, key, n) == 0 && (s[n] == 0 || s[n] == '.'))
                gevraagd = true;
        }
        if (!gevraagd && !(strcmp(key, "geheimhoudingPersoonsgegevens") == 0 && json_is_true(v)))
            json_object_del(persoon, key);
    }
}

static bool brp_vraag_geldig(json_t *q)
{
    json_t *bsns = json_object_get(q, "burgerservicenummer");
    json_t *fields = json_object_get(q, "fields");
    if (strcmp(str(q, "type", NULL), "RaadpleegMetBurgerservicenummer") != 0 ||
        !json_is_array(bsns) || !json_array_size(bsns) || json_array_size(bsns) > MAX_PERSONEN ||
        !json_is_array(fields) || !json_array_size(fields))
        return false;
    size_t i;
    json_t *b;
    json_array_foreach(bsns, i, b) {
        const char *s = json_string_value(b);
        if (!s || strlen(s) != 9 || strspn(s, "0123456789") != 9)
            return false;
    }
    return true;
}

static omk_rc brp_personen(omk_req *req)
{
    if (!header_is(req, "X-API-KEY", DEMO_BRP_KEY))
        return problem(req, 401, "Niet geauthenticeerd.");
    json_t *q = omk_req_json(req);
    if (!brp_vraag_geldig(q))
        return problem(req, 400, "Een of meerdere parameters zijn niet correct.");
    json_t *personen = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(q, "burgerservicenummer"), i, b) {
        json_t *p = brp_persoon(req, json_string_value(b));
        if (!p)
            continue;
        alleen_gevraagd(p, json_object_get(q, "fields"));
        json_array_append_new(personen, p);
    }
    return omk_req_reply_json(req, 200, json_pack("{s:s, s:o}", "type",
                                                  "RaadpleegMetBurgerservicenummer", "personen",
                                                  personen));
}

/* ---- Zaken: POST /zaken/api/v1/zaken/_zoek, GET /zaken/api/v1/zaken/{uuid} ---- */

/* Zaaktypen and their statustypen in order; the last one closes the zaak. The first
 * BEDRIJF_VANAF rows are a resident's, the rest a business's. */
static const struct {
    const char *zaaktype, *omschrijving;
    const char *statussen[3];
} ZAAKTYPEN[] = {
    {"Aanvraag paspoort", "Aanvraag paspoort",
     {"Aanvraag ontvangen", "In behandeling", "Gereed voor uitreiking"}},
    {"Melding openbare ruimte", "Straatverlichting doet het niet",
     {"Melding ontvangen", "Ingepland", "Opgelost"}},
    {"Aanvraag parkeervergunning", "Bewonersparkeervergunning binnenstad",
     {"Aanvraag ontvangen", "In behandeling", "Vergunning verleend"}},
    {"Omgevingsvergunning", "Dakkapel aan de achterzijde",
     {"Aanvraag ontvangen", "In behandeling", "Besluit genomen"}},
    {"Melding Wmo", "Hulp bij het huishouden", {"Melding ontvangen", "Gesprek gepland",
                                                "Maatwerkvoorziening toegekend"}},
    {"Kwijtschelding gemeentelijke belastingen", "Kwijtschelding aanslag 2026",
     {"Verzoek ontvangen", "In behandeling", "Besluit verzonden"}},
    {"Verhuizing binnen de gemeente", "Adreswijziging", {"Aangifte ontvangen",
                                                         "In onderzoek", "Verwerkt"}},
    {"Terrasvergunning", "Terras aan de voorzijde", {"Aanvraag ontvangen", "In behandeling",
                                                     "Vergunning verleend"}},
    {"Evenementenvergunning", "Braderie in de winkelstraat",
     {"Aanvraag ontvangen", "Advies gevraagd", "Besluit genomen"}},
    {"Melding openbare ruimte", "Losliggende tegels voor de zaak",
     {"Melding ontvangen", "Ingepland", "Opgelost"}},
};
#define BEDRIJF_VANAF 7 /* ZAAKTYPEN[7..] are a business's */

/* A zaak's uuid is its partij's with the version digit replaced by the zaak's number (a, b,
 * c), so GET /zaken/{uuid} finds it again without a BSN in any URL. */
static void zaak_uuid(const char *partij, int n, char out[37])
{
    snprintf(out, 37, "%s", partij);
    out[14] = (char)('a' + n);
}

static void iso_dagen_geleden(int dagen, char out[16])
{
    time_t t = time(NULL) - (time_t)dagen * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Zaak n of the subject, with status, statustype and zaaktype expanded as the Zaken API's
 * expand gives them. */
static json_t *zaak(const char *base, int kind, int n, const char *subject, const char *partij)
{
    uint32_t h = hash(subject) + (uint32_t)n * 2654435761u;
    size_t t = kind == 0 ? h % BEDRIJF_VANAF
                         : BEDRIJF_VANAF + h % (OMK_COUNT(ZAAKTYPEN) - BEDRIJF_VANAF);
    int leeftijd = (int)(h / 7 % 120) + n * 45; /* days since the start */
    /* The first zaak (under 120 days old) is still running, so every demo klantbeeld has one. */
    int stap = leeftijd > 120 ? 2 : leeftijd > 20 ? 1 : 0;
    char uuid[37], url[300], zt[300], st[300], stt[300], start[16], status_datum[16],
        gepland[16], ident[40];
    zaak_uuid(partij, n, uuid);
    snprintf(url, sizeof url, "%s" ZAKEN_PAD "/zaken/%s", base, uuid);
    snprintf(zt, sizeof zt, "%s/catalogi/api/v1/zaaktypen/0000da7a-0000-4000-8000-%012zu", base,
             t);
    snprintf(stt, sizeof stt, "%s/catalogi/api/v1/statustypen/0000da7a-0000-4000-8%03zu-%012d",
             base, t, stap);
    snprintf(st, sizeof st, "%s" ZAKEN_PAD "/statussen/%s", base, uuid);
    iso_dagen_geleden(leeftijd, start);
    iso_dagen_geleden(leeftijd > 3 ? leeftijd / 3 : 0, status_datum);
    char status_tijd[32];
    snprintf(status_tijd, sizeof status_tijd, "%sT09:30:00Z", status_datum);
    iso_dagen_geleden(leeftijd - 56, gepland);
    snprintf(ident, sizeof ident, "ZAAK-%.4s-%07u", start, h % 10000000u);
    json_t *status = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:s, s:i, s:b}}}", "url", st, "uuid", uuid,
        "zaak", url, "statustype", stt, "datumStatusGezet", status_tijd, "_expand",
        "statustype", "url", stt, "zaaktype", zt, "omschrijving", ZAAKTYPEN[t].statussen[stap],
        "volgnummer", stap + 1, "isEindstatus", stap == 2);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:[],"
        " s:[], s:n, s:s}",
        "url", url, "uuid", uuid, "identificatie", ident, "bronorganisatie", DEMO_RSIN,
        "omschrijving", ZAAKTYPEN[t].omschrijving, "zaaktype", zt, "registratiedatum", start,
        "verantwoordelijkeOrganisatie", DEMO_RSIN, "startdatum", start, "einddatumGepland",
        gepland, "vertrouwelijkheidaanduiding", "openbaar", "betalingsindicatieWeergave", "",
        "deelzaken", "eigenschappen", "rollen", "zaakinformatieobjecten", "zaakobjecten",
        "resultaat", "status", st);
    json_object_set_new(o, "einddatum", stap == 2 ? json_string(status_datum) : json_null());
    json_object_set_new(o, "_expand",
                        json_pack("{s:o, s:{s:s, s:s, s:s}}", "status", status, "zaaktype",
                                  "url", zt, "identificatie", ZAAKTYPEN[t].zaaktype,
                                  "omschrijving", ZAAKTYPEN[t].zaaktype));
    return o;
}

/* How many zaken a subject has: one to three, by its number. */
static int aantal_zaken(const char *subject)
{
    return 1 + (int)(hash(subject) / 13 % 3);
}

static bool jwt_geldig(omk_req *req)
{
    const char *auth = omk_req_header(req, "Authorization");
    if (!auth || strncmp(auth, "Bearer ", 7) != 0)
        return false;
    const char *jwt = auth + 7, *dot = strrchr(jwt, '.');
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    size_t n = 0;
    if (!dot || sodium_base642bin(mac, sizeof mac, dot + 1, strlen(dot + 1), NULL, &n, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        n != sizeof mac)
        return false;
    crypto_auth_hmacsha256_state st;
    unsigned char want[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)DEMO_ZAKEN_SECRET,
                                strlen(DEMO_ZAKEN_SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)jwt, (size_t)(dot - jwt));
    crypto_auth_hmacsha256_final(&st, want);
    return sodium_memcmp(mac, want, sizeof mac) == 0;
}

/* The zaken server's own address, for the url fields. */
static const char *zaken_base(omk_req *req)
{
    return omk_req_base_url(req);
}

static omk_rc zaken_zoek(omk_req *req)
{
    if (!jwt_geldig(req))
        return problem(req, 403, "Authenticatiegegevens zijn niet opgegeven of ongeldig.");
    if (!header_is(req, "Accept-Crs", "EPSG:4326") || !header_is(req, "Content-Crs", "EPSG:4326"))
        return problem(req, 412, "Accept-Crs en Content-Crs moeten EPSG:4326 zijn.");
    json_t *q = omk_req_json(req);
    const char *bsn = json_string_value(
        json_object_get(q, "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"));
    const char *vest = json_string_value(
        json_object_get(q, "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer"));
    json_t *results = json_array();
    const char *subject = bsn ? bsn : vest;
    json_t *p = bsn ? demo_persoon(req, bsn)
                : vest && strlen(vest) == 12
                    ? find_partij(req, "vestigingsnummer", vest, NULL, NULL)
                    : NULL;
    const char *partij = json_string_value(json_object_get(p, "uuid"));
    for (int n = 0; partij && n < aantal_zaken(subject); n++)
        json_array_append_new(results, zaak(zaken_base(req), bsn ? 0 : 1, n, subject, partij));
    json_decref(p);
    omk_req_add_header(req, "Content-Crs", "EPSG:4326");
    return omk_req_reply_json(req, 200, json_pack("{s:I, s:n, s:n, s:o}", "count",
                                                  (json_int_t)json_array_size(results), "next",
                                                  "previous", "results", results));
}

/* GET one zaak (the klantbeeld's link): answered without a JWT, so the demo's browser can
 * open the fictional zaak; a real Zaken API asks for one. */
static omk_rc zaken_een(omk_req *req)
{
    const char *u = omk_req_param(req, 0);
    if (!u || strlen(u) != 36 || u[14] < 'a' || u[14] > 'c')
        return problem(req, 404, "Niet gevonden.");
    int n = u[14] - 'a';
    char partij[37];
    snprintf(partij, sizeof partij, "%s", u);
    partij[14] = '4';
    const char *bsn = NULL, *vest = NULL;
    if (!partij_nummers(req, partij, &bsn, &vest))
        return problem(req, 404, "Niet gevonden.");
    const char *s = bsn ? bsn : vest;
    if (n >= aantal_zaken(s))
        return problem(req, 404, "Niet gevonden.");
    json_t *z = zaak(zaken_base(req), bsn ? 0 : 1, n, s, partij);
    json_object_del(z, "_expand");
    omk_req_add_header(req, "Content-Crs", "EPSG:4326");
    return omk_req_reply_json(req, 200, z);
}

/* ---- KvK: GET /api/v2/zoeken?kvkNummer=… | vestigingsnummer=… ---- */

static omk_rc kvk_zoeken(omk_req *req)
{
    if (!header_is(req, "apikey", DEMO_KVK_KEY))
        return problem(req, 401, "Unauthorized");
    const omk_qparam *qp = NULL;
    size_t nq = omk_req_query(req, &qp);
    const char *kvk = NULL, *vest = NULL;
    for (size_t i = 0; i < nq; i++) {
        if (strcmp(qp[i].key, "kvkNummer") == 0)
            kvk = qp[i].value;
        else if (strcmp(qp[i].key, "vestigingsnummer") == 0)
            vest = qp[i].value;
    }
    const char *vestiging = NULL, *nummer = NULL;
    json_t *p = kvk && strlen(kvk) == 8 ? find_partij(req, "kvk_nummer", kvk, &vestiging, &nummer)
                : vest && strlen(vest) == 12
                    ? find_partij(req, "vestigingsnummer", vest, &vestiging, &nummer)
                    : NULL;
    if (p && (!nummer || strcmp(str(p, "soortPartij", NULL), "organisatie") != 0)) {
        json_decref(p);
        p = NULL;
    }
    if (!p)
        return problem(req, 404, "Geen resultaten");
    json_t *adres = json_object_get(p, "bezoekadres");
    char pc[8], profiel[200];
    postcode_brp(str(adres, "postcode", NULL), pc);
    snprintf(profiel, sizeof profiel, "%s" KVK_PAD "/basisprofielen/%s", omk_req_base_url(req),
             nummer ? nummer : "");
    json_t *r = json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:I, s:s, s:s}}, s:[{s:s, s:s}]}", "kvkNummer",
        nummer ? nummer : "", "naam", str(p, "partijIdentificatie", "naam"), "type",
        "hoofdvestiging",
        "actief", "Ja", "adres", "binnenlandsAdres", "type", "bezoekadres", "straatnaam",
        str(adres, "straatnaam", NULL), "huisnummer",
        json_integer_value(json_object_get(adres, "huisnummer")), "postcode", pc, "plaats",
        str(adres, "stad", NULL), "links", "rel", "basisprofiel", "href", profiel);
    if (vestiging)
        json_object_set_new(r, "vestigingsnummer", json_string(vestiging));
    json_decref(p);
    return omk_req_reply_json(req, 200, json_pack("{s:i, s:i, s:i, s:[o], s:[]}", "pagina", 1,
                                                  "resultatenPerPagina", 10, "totaal", 1,
                                                  "resultaten", r, "links"));
}

/* ---- the server ---- */

static const omk_route ROUTES[] = {
    {"POST", BRP_PAD "/personen", brp_personen, NULL, &DEMO_API,
     OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY, 0, NULL},
    {"POST", ZAKEN_PAD "/zaken/_zoek", zaken_zoek, NULL, &DEMO_API,
     OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY, 0, NULL},
    {"GET", ZAKEN_PAD "/zaken/{uuid}", zaken_een, NULL, &DEMO_API, OMK_ROUTE_PUBLIC, 0, NULL},
    {"GET", KVK_PAD "/zoeken", kvk_zoeken, NULL, &DEMO_API, OMK_ROUTE_PUBLIC, 0, NULL},
};

/* The URLs of the running demo sources (static: the klantbeeld's config points into them). */
static char g_url[OMK_BRON_COUNT][128];

omk_rc omk_api_demo_bronnen_start(omk_store *s, omk_server **out)
{
    omk_server_config cfg = {.listen = "127.0.0.1:0", .threads = 2, .app = s,
                             .routes = ROUTES, .nroutes = OMK_COUNT(ROUTES)};
    omk_rc rc = omk_server_start(&cfg, out);
    if (rc)
        return rc;
    int port = omk_server_port(*out);
    snprintf(g_url[OMK_BRON_BRP], sizeof g_url[0], "http://127.0.0.1:%d" BRP_PAD, port);
    snprintf(g_url[OMK_BRON_ZAKEN], sizeof g_url[0], "http://127.0.0.1:%d" ZAKEN_PAD, port);
    snprintf(g_url[OMK_BRON_KVK], sizeof g_url[0], "http://127.0.0.1:%d" KVK_PAD, port);
    omk_sources_config cfg_src;
    omk_sources_config_from_env(&cfg_src);
    bool fictief[OMK_BRON_COUNT] = {false};
    static const omk_bron_config DEMO[OMK_BRON_COUNT] = {
        [OMK_BRON_BRP] = {.api_key = DEMO_BRP_KEY},
        [OMK_BRON_ZAKEN] = {.client_id = DEMO_ZAKEN_CLIENT, .secret = DEMO_ZAKEN_SECRET},
        [OMK_BRON_KVK] = {.api_key = DEMO_KVK_KEY},
    };
    for (int b = 0; b < OMK_BRON_COUNT; b++) {
        if (cfg_src.bron[b].url)
            continue; /* configured in the environment: that one is asked */
        long timeout = cfg_src.bron[b].timeout_ms;
        cfg_src.bron[b] = DEMO[b];
        cfg_src.bron[b].url = g_url[b];
        cfg_src.bron[b].timeout_ms = timeout;
        fictief[b] = true;
    }
    omk__klantbeeld_set_sources(&cfg_src);
    omk__klantbeeld_set_fictief(fictief);
    omk_log_info("demo-bronnen",
                 "FICTIEVE bronnen voor de demo op http://127.0.0.1:%d (BRP %s, Zaken %s, KvK "
                 "%s): verzonnen personen, zaken en bedrijven, nooit echte gegevens",
                 port, fictief[OMK_BRON_BRP] ? "fictief" : "uit de omgeving",
                 fictief[OMK_BRON_ZAKEN] ? "fictief" : "uit de omgeving",
                 fictief[OMK_BRON_KVK] ? "fictief" : "uit de omgeving");
    return OMK_OK;
}

void omk_api_demo_bronnen_stop(omk_server *srv)
{
    omk_server_stop(srv);
}
