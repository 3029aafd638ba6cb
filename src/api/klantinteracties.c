/* The Klantinteracties register, first part: partijen, partij-identificatoren,
 * digitaleadressen, klantcontacten and betrokkenen, declared as tables for the generic
 * engine, plus each resource's own rules (klantinteracties-behaviour.md §8). */
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "omk/util.h"

#define KI_BASE "/klantinteracties/api/v1"
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- enums ---- */
static const char *const SOORT_PARTIJ[] = {"persoon", "organisatie", "contactpersoon", NULL};
static const char *const SOORT_DA[] = {"email", "telefoonnummer", "overig", NULL};
static const char *const ROL[] = {"vertegenwoordiger", "klant", NULL};
static const char *const CODE_REGISTER[] = {"brp", "hr", NULL};
static const char *const CODE_OBJECTTYPE[] = {"natuurlijk_persoon", "niet_natuurlijk_persoon",
                                              "vestiging", NULL};
static const char *const CODE_SOORT_OBJECT_ID[] = {"bsn", "vestigingsnummer", "kvk_nummer",
                                                   "rsin", NULL};

/* ---- computed values ---- */

/* "voornaam voorvoegsel achternaam", empty parts skipped. */
static const char *volledige_naam(const omk_resource *r, const omk_row *row, void *arena,
                                  const char *prefix)
{
    static const char *const parts[] = {"voornaam", "voorvoegselAchternaam", "achternaam"};
    char out[512];
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < 3; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s%s", prefix, parts[i]);
        const char *v = omk_row_text(r, row, key);
        if (!v || !*v)
            continue;
        int w = snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", v);
        if (w > 0 && (size_t)w < sizeof out - n)
            n += (size_t)w;
    }
    return omk_arena_strdup(arena, out);
}

static const char *partij_naam(const omk_resource *r, const omk_row *row, void *arena)
{
    return volledige_naam(r, row, arena, "partijIdentificatie.contactnaam.");
}

static const char *betrokkene_naam(const omk_resource *r, const omk_row *row, void *arena)
{
    return volledige_naam(r, row, arena, "contactnaam.");
}

/* ---- declared fields ---- */

#define STR(j, col, len, fl) {.json = j, .column = col, .type = OMK_F_STRING, .flags = fl, .max_len = len}
#define STRC(j, col, len, fn) {.json = j, .column = col, .type = OMK_F_STRING, .max_len = len, .check = fn}
#define STRV(j, col, len, var) {.json = j, .column = col, .type = OMK_F_STRING, .max_len = len, .variant = var}
#define BOOL(j, col, fl, dflt) {.json = j, .column = col, .type = OMK_F_BOOL, .flags = fl, .def = dflt}
#define ENUM(j, col, ch, fl) {.json = j, .column = col, .type = OMK_F_ENUM, .flags = fl, .choices = ch}
#define REF(j, col, tgt, fl) {.json = j, .column = col, .type = OMK_F_REF, .flags = fl, .target = &tgt}
#define REFV(j, col, tgt, var) {.json = j, .column = col, .type = OMK_F_REF, .flags = OMK_NULLABLE, .target = &tgt, .variant = var}
#define REVERSE(j, tgt, back, fl) {.json = j, .type = OMK_F_REVERSE, .flags = OMK_RO | (fl), .target = &tgt, .via = back}
#define COMPUTED(j, fn, var) {.json = j, .type = OMK_F_COMPUTED, .flags = OMK_RO, .variant = var, .compute = fn}

/* Format rules of the Adres gegevensgroep. */
static const char *check_nummeraanduiding(const char *v, const char **code)
{
    *code = "invalid";
    if (strlen(v) != 16)
        return "Zorg ervoor dat dit veld 16 cijfers bevat.";
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9')
            return "Zorg ervoor dat dit veld 16 cijfers bevat.";
    return NULL;
}

static const char *check_postcode(const char *v, const char **code)
{
    *code = "invalid";
    bool ok = strlen(v) == 7 && v[0] >= '1' && v[0] <= '9' && v[4] == ' ';
    for (int i = 1; ok && i < 4; i++)
        ok = v[i] >= '0' && v[i] <= '9';
    ok = ok && v[5] >= 'A' && v[5] <= 'Z' && v[6] >= 'A' && v[6] <= 'Z';
    return ok ? NULL : "Ongeldige postcode, gebruik het formaat 1234 AB.";
}

static const char *check_land(const char *v, const char **code)
{
    *code = "invalid";
    bool ok = strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
    return ok ? NULL : "Ongeldige landcode, gebruik een ISO 3166-1 alpha-2 code in hoofdletters.";
}

/* The Adres gegevensgroep (bezoekadres, correspondentieadres) of partij and betrokkene. */
#define ADRES(g, p)                                                                            \
    STRC(g ".nummeraanduidingId", p "nummeraanduiding_id", 255, check_nummeraanduiding),       \
    STR(g ".straatnaam", p "straatnaam", 255, 0),                                               \
    {.json = g ".huisnummer", .column = p "huisnummer", .type = OMK_F_INT,                      \
     .flags = OMK_NULLABLE, .min = 1, .max = 99999},                                            \
    STR(g ".huisnummertoevoeging", p "huisnummertoevoeging", 20, 0),                            \
    STRC(g ".postcode", p "postcode", 20, check_postcode),                                      \
    STR(g ".stad", p "stad", 255, 0),                                                           \
    STR(g ".adresregel1", p "adresregel1", 80, 0),                                              \
    STR(g ".adresregel2", p "adresregel2", 80, 0),                                              \
    STR(g ".adresregel3", p "adresregel3", 80, 0),                                              \
    STRC(g ".land", p "land", 2, check_land)

#define CONTACTNAAM(g, variant)                                                                \
    STRV(g ".voorletters", "cn_voorletters", 10, variant),                                     \
    STRV(g ".voornaam", "cn_voornaam", 200, variant),                                          \
    STRV(g ".voorvoegselAchternaam", "cn_voorvoegsel_achternaam", 10, variant),                \
    STRV(g ".achternaam", "cn_achternaam", 200, variant)

static const char *const PARTIJ_EXPANDS[] = {"betrokkenen", "betrokkenen.hadKlantcontact",
                                              "digitaleAdressen", NULL};
static const char *const KC_EXPANDS[] = {"hadBetrokkenen", "hadBetrokkenen.digitaleAdressen",
                                         "hadBetrokkenen.wasPartij", NULL};
static const char *const BETR_EXPANDS[] = {"digitaleAdressen", NULL};
static const char *const DA_EXPANDS[] = {"verstrektDoorBetrokkene",
                                         "verstrektDoorBetrokkene.hadKlantcontact", NULL};

static const omk_field PARTIJ_FIELDS[] = {
    STR("nummer", "nummer", 10, OMK_NULLABLE),
    STR("interneNotitie", "interne_notitie", 1000, 0),
    REVERSE("betrokkenen", omk__ki_betrokkene, "was_partij", 0),
    REVERSE("digitaleAdressen", omk__ki_digitaal_adres, "verstrekt_door_partij", 0),
    REF("voorkeursDigitaalAdres", "voorkeurs_digitaal_adres", omk__ki_digitaal_adres, OMK_NULLABLE),
    REVERSE("partijIdentificatoren", omk__ki_partij_identificator, "identificeerde_partij", OMK_EMBED),
    ENUM("soortPartij", "soort_partij", SOORT_PARTIJ, OMK_REQ),
    BOOL("indicatieGeheimhouding", "indicatie_geheimhouding", OMK_NULLABLE, NULL),
    STR("voorkeurstaal", "voorkeurstaal", 3, 0),
    BOOL("indicatieActief", "indicatie_actief", OMK_REQ, NULL),
    ADRES("bezoekadres", "bezoek_"),
    ADRES("correspondentieadres", "corr_"),
    CONTACTNAAM("partijIdentificatie.contactnaam", "persoon|contactpersoon"),
    COMPUTED("partijIdentificatie.volledigeNaam", partij_naam, "persoon|contactpersoon"),
    STRV("partijIdentificatie.naam", "org_naam", 200, "organisatie"),
    REFV("partijIdentificatie.werkteVoorPartij", "werkte_voor_partij", omk__ki_partij, "contactpersoon"),
};

static const omk_group ADRES_GROUPS[] = {
    {"bezoekadres", true, NULL},
    {"correspondentieadres", true, NULL},
    {"contactnaam", true, NULL},
    {"partijIdentificatie.contactnaam", true, "persoon|contactpersoon"},
};

#define PI_FILTERS(prefix, path)                                                               \
    {prefix "__codeObjecttype", path "/partijIdentificator.codeObjecttype", OMK_OP_EQ},         \
    {prefix "__codeSoortObjectId", path "/partijIdentificator.codeSoortObjectId", OMK_OP_EQ},   \
    {prefix "__objectId", path "/partijIdentificator.objectId", OMK_OP_EQ},                     \
    {prefix "__codeRegister", path "/partijIdentificator.codeRegister", OMK_OP_EQ}

static const omk_filter PARTIJ_FILTERS[] = {
    {"nummer", "nummer", OMK_OP_EQ},
    {"soortPartij", "soortPartij", OMK_OP_EQ},
    {"indicatieActief", "indicatieActief", OMK_OP_EQ},
    {"indicatieGeheimhouding", "indicatieGeheimhouding", OMK_OP_EQ},
    PI_FILTERS("partijIdentificator", "partijIdentificatoren"),
    {"bezoekadresNummeraanduidingId", "bezoekadres.nummeraanduidingId", OMK_OP_EQ},
    {"bezoekadresAdresregel1", "bezoekadres.adresregel1", OMK_OP_ICONTAINS},
    {"bezoekadresAdresregel2", "bezoekadres.adresregel2", OMK_OP_ICONTAINS},
    {"bezoekadresAdresregel3", "bezoekadres.adresregel3", OMK_OP_ICONTAINS},
    {"bezoekadresLand", "bezoekadres.land", OMK_OP_EQ},
    {"correspondentieadresNummeraanduidingId", "correspondentieadres.nummeraanduidingId", OMK_OP_EQ},
    {"correspondentieadresAdresregel1", "correspondentieadres.adresregel1", OMK_OP_ICONTAINS},
    {"correspondentieadresAdresregel2", "correspondentieadres.adresregel2", OMK_OP_ICONTAINS},
    {"correspondentieadresAdresregel3", "correspondentieadres.adresregel3", OMK_OP_ICONTAINS},
    {"correspondentieadresLand", "correspondentieadres.land", OMK_OP_EQ},
};

const omk_resource omk__ki_partij = {
    "partijen", "Partij", "partijen", PARTIJ_FIELDS, N(PARTIJ_FIELDS), ADRES_GROUPS,
    N(ADRES_GROUPS), PARTIJ_FILTERS, N(PARTIJ_FILTERS), "soortPartij", NULL, &omk__ki_partij_hooks,
    KI_BASE, PARTIJ_EXPANDS,
};

static const omk_field PI_FIELDS[] = {
    REF("identificeerdePartij", "identificeerde_partij", omk__ki_partij, OMK_NULLABLE),
    STR("anderePartijIdentificator", "andere_partij_identificator", 200, 0),
    ENUM("partijIdentificator.codeObjecttype", "code_objecttype", CODE_OBJECTTYPE, OMK_REQ),
    ENUM("partijIdentificator.codeSoortObjectId", "code_soort_object_id", CODE_SOORT_OBJECT_ID, OMK_REQ),
    STR("partijIdentificator.objectId", "object_id", 200, OMK_REQ),
    ENUM("partijIdentificator.codeRegister", "code_register", CODE_REGISTER, OMK_REQ),
    REF("subIdentificatorVan", "sub_identificator_van", omk__ki_partij_identificator, OMK_NULLABLE),
};

static const omk_filter PI_FILTERS_LIST[] = {
    {"partijIdentificatorCodeObjecttype", "partijIdentificator.codeObjecttype", OMK_OP_EQ},
    {"partijIdentificatorCodeSoortObjectId", "partijIdentificator.codeSoortObjectId", OMK_OP_EQ},
    {"partijIdentificatorCodeRegister", "partijIdentificator.codeRegister", OMK_OP_EQ},
    {"partijIdentificatorObjectId", "partijIdentificator.objectId", OMK_OP_EQ},
    {"anderePartijIdentificator", "anderePartijIdentificator", OMK_OP_EQ},
};

const omk_resource omk__ki_partij_identificator = {
    "partij-identificatoren", "PartijIdentificator", "partij_identificatoren", PI_FIELDS,
    N(PI_FIELDS), NULL, 0, PI_FILTERS_LIST, N(PI_FILTERS_LIST), NULL, NULL, &omk__ki_pi_hooks, KI_BASE, NULL,
};

static const omk_field DA_FIELDS[] = {
    REF("verstrektDoorBetrokkene", "verstrekt_door_betrokkene", omk__ki_betrokkene, OMK_NULLABLE),
    REF("verstrektDoorPartij", "verstrekt_door_partij", omk__ki_partij, OMK_NULLABLE),
    STR("adres", "adres", 80, OMK_REQ),
    ENUM("soortDigitaalAdres", "soort_digitaal_adres", SOORT_DA, OMK_REQ),
    BOOL("isStandaardAdres", "is_standaard_adres", 0, "false"),
    STR("omschrijving", "omschrijving", 40, 0),
    STR("referentie", "referentie", 50, 0),
    {.json = "verificatieDatum", .column = "verificatie_datum", .type = OMK_F_DATE, .flags = OMK_NULLABLE},
};

static const omk_filter DA_FILTERS[] = {
    {"adres", "adres", OMK_OP_EQ},
    {"adres__icontains", "adres", OMK_OP_ICONTAINS},
    {"soortDigitaalAdres", "soortDigitaalAdres", OMK_OP_EQ},
    {"isStandaardAdres", "isStandaardAdres", OMK_OP_EQ},
    {"isGeverifieerd", "verificatieDatum", OMK_OP_NOTNULL},
    {"omschrijving", "omschrijving", OMK_OP_ICONTAINS},
    {"referentie", "referentie", OMK_OP_EQ},
    {"verificatieDatum", "verificatieDatum", OMK_OP_EQ},
    {"verificatieDatum__gt", "verificatieDatum", OMK_OP_GT},
    {"verificatieDatum__gte", "verificatieDatum", OMK_OP_GTE},
    {"verificatieDatum__lt", "verificatieDatum", OMK_OP_LT},
    {"verificatieDatum__lte", "verificatieDatum", OMK_OP_LTE},
    {"verstrektDoorBetrokkene__url", "verstrektDoorBetrokkene/uuid", OMK_OP_UUID_URL},
    {"verstrektDoorBetrokkene__uuid", "verstrektDoorBetrokkene/uuid", OMK_OP_EQ},
    {"verstrektDoorBetrokkene__rol", "verstrektDoorBetrokkene/rol", OMK_OP_EQ},
    {"verstrektDoorPartij__url", "verstrektDoorPartij/uuid", OMK_OP_UUID_URL},
    {"verstrektDoorPartij__uuid", "verstrektDoorPartij/uuid", OMK_OP_EQ},
    {"verstrektDoorPartij__soortPartij", "verstrektDoorPartij/soortPartij", OMK_OP_EQ},
    PI_FILTERS("verstrektDoorPartij__partijIdentificator", "verstrektDoorPartij/partijIdentificatoren"),
};

const omk_resource omk__ki_digitaal_adres = {
    "digitaleadressen", "DigitaalAdres", "digitale_adressen", DA_FIELDS, N(DA_FIELDS), NULL, 0,
    DA_FILTERS, N(DA_FILTERS), NULL, NULL, &omk__ki_da_hooks, KI_BASE, DA_EXPANDS,
};

static const omk_field KC_FIELDS[] = {
    REVERSE("hadBetrokkenen", omk__ki_betrokkene, "had_klantcontact", 0),
    STR("nummer", "nummer", 10, OMK_NULLABLE),
    STR("referentienummer", "referentienummer", 10, OMK_NULLABLE),
    STR("kanaal", "kanaal", 50, OMK_REQ),
    STR("onderwerp", "onderwerp", 200, OMK_REQ),
    STR("inhoud", "inhoud", 1000, 0),
    STR("reactie", "reactie", 4000, 0),
    BOOL("indicatieContactGelukt", "indicatie_contact_gelukt", OMK_NULLABLE, NULL),
    STR("hoofdOnderwerpType", "hoofd_onderwerp_type", 200, 0),
    BOOL("verdereActieOndernomen", "verdere_actie_ondernomen", 0, "false"),
    STR("taal", "taal", 3, OMK_REQ),
    BOOL("vertrouwelijk", "vertrouwelijk", OMK_REQ, NULL),
    {.json = "plaatsgevondenOp", .column = "plaatsgevonden_op", .type = OMK_F_DATETIME, .def = "now"},
    {.json = "metadata", .column = "metadata", .type = OMK_F_OBJECT, .def = "{}"},
};

static const omk_filter KC_FILTERS[] = {
    {"nummer", "nummer", OMK_OP_EQ},
    {"referentienummer", "referentienummer", OMK_OP_EQ},
    {"kanaal", "kanaal", OMK_OP_EQ},
    {"onderwerp", "onderwerp", OMK_OP_ICONTAINS},
    {"inhoud", "inhoud", OMK_OP_ICONTAINS},
    {"reactie", "reactie", OMK_OP_ICONTAINS},
    {"indicatieContactGelukt", "indicatieContactGelukt", OMK_OP_EQ},
    {"vertrouwelijk", "vertrouwelijk", OMK_OP_EQ},
    {"plaatsgevondenOp", "plaatsgevondenOp", OMK_OP_EQ},
    {"hadBetrokkene__url", "hadBetrokkenen/uuid", OMK_OP_UUID_URL},
    {"hadBetrokkene__uuid", "hadBetrokkenen/uuid", OMK_OP_EQ},
    {"hadBetrokkene__wasPartij", "hadBetrokkenen/wasPartij", OMK_OP_NOTNULL},
    {"hadBetrokkene__wasPartij__url", "hadBetrokkenen/wasPartij/uuid", OMK_OP_UUID_URL},
    {"hadBetrokkene__wasPartij__uuid", "hadBetrokkenen/wasPartij/uuid", OMK_OP_EQ},
    PI_FILTERS("hadBetrokkene__wasPartij__partijIdentificator",
               "hadBetrokkenen/wasPartij/partijIdentificatoren"),
    {"hadBetrokkene__digitaaladres__adres__icontains", "hadBetrokkenen/digitaleAdressen/adres",
     OMK_OP_ICONTAINS},
};

const omk_resource omk__ki_klantcontact = {
    "klantcontacten", "Klantcontact", "klantcontacten", KC_FIELDS, N(KC_FIELDS), NULL, 0,
    KC_FILTERS, N(KC_FILTERS), NULL, "plaatsgevonden_op", &omk__ki_kc_hooks, KI_BASE, KC_EXPANDS,
};

static const omk_field BETR_FIELDS[] = {
    REF("wasPartij", "was_partij", omk__ki_partij, OMK_NULLABLE),
    REF("hadKlantcontact", "had_klantcontact", omk__ki_klantcontact, OMK_REQ),
    REVERSE("digitaleAdressen", omk__ki_digitaal_adres, "verstrekt_door_betrokkene", 0),
    ADRES("bezoekadres", "bezoek_"),
    ADRES("correspondentieadres", "corr_"),
    CONTACTNAAM("contactnaam", NULL),
    COMPUTED("volledigeNaam", betrokkene_naam, NULL),
    ENUM("rol", "rol", ROL, OMK_REQ),
    STR("organisatienaam", "organisatienaam", 200, 0),
    BOOL("initiator", "initiator", OMK_REQ, NULL),
};

static const omk_filter BETR_FILTERS[] = {
    {"hadKlantcontact__url", "hadKlantcontact/uuid", OMK_OP_UUID_URL},
    {"hadKlantcontact__uuid", "hadKlantcontact/uuid", OMK_OP_EQ},
    {"hadKlantcontact__nummer", "hadKlantcontact/nummer", OMK_OP_EQ},
    {"hadKlantcontact__referentienummer", "hadKlantcontact/referentienummer", OMK_OP_EQ},
    {"wasPartij__url", "wasPartij/uuid", OMK_OP_UUID_URL},
    {"wasPartij__uuid", "wasPartij/uuid", OMK_OP_EQ},
    {"wasPartij__nummer", "wasPartij/nummer", OMK_OP_EQ},
    PI_FILTERS("wasPartij__partijIdentificator", "wasPartij/partijIdentificatoren"),
    {"verstrektedigitaalAdres__url", "digitaleAdressen/uuid", OMK_OP_UUID_URL},
    {"verstrektedigitaalAdres__uuid", "digitaleAdressen/uuid", OMK_OP_EQ},
    {"verstrektedigitaalAdres__adres", "digitaleAdressen/adres", OMK_OP_EQ},
    {"organisatienaam", "organisatienaam", OMK_OP_EQ},
    {"contactnaamVoorletters", "contactnaam.voorletters", OMK_OP_EQ},
    {"contactnaamVoornaam", "contactnaam.voornaam", OMK_OP_EQ},
    {"contactnaamVoorvoegselAchternaam", "contactnaam.voorvoegselAchternaam", OMK_OP_EQ},
    {"contactnaamAchternaam", "contactnaam.achternaam", OMK_OP_EQ},
};

const omk_resource omk__ki_betrokkene = {
    "betrokkenen", "Betrokkene", "betrokkenen", BETR_FIELDS, N(BETR_FIELDS), ADRES_GROUPS,
    N(ADRES_GROUPS), BETR_FILTERS, N(BETR_FILTERS), NULL, NULL, NULL, KI_BASE, BETR_EXPANDS,
};

const omk_resource *const omk__ki_resources[] = {
    &omk__ki_partij,        &omk__ki_partij_identificator, &omk__ki_digitaal_adres,
    &omk__ki_klantcontact,  &omk__ki_betrokkene,           NULL,
};

const omk_api_info omk__ki_api = {KI_BASE, "0.9.0", omk__openapi_klantinteracties, 0};
