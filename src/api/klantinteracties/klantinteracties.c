/* The Klantinteracties register, first part: partijen, partij-identificatoren,
 * digitaleadressen, klantcontacten and betrokkenen, declared as tables for the generic
 * engine, plus each resource's own rules (klantinteracties-behaviour.md §8). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

#define KI_BASE "/klantinteracties/api/v1"

/* ---- enums ---- */
static const char *const SOORT_PARTIJ[] = {"persoon", "organisatie", "contactpersoon", NULL};
static const char *const SOORT_DA[] = {"email", "telefoonnummer", "overig", NULL};
static const char *const ROL[] = {"vertegenwoordiger", "klant", NULL};
static const char *const CODE_REGISTER[] = {"brp", "hr", NULL};
static const char *const CODE_OBJECTTYPE[] = {"natuurlijk_persoon", "niet_natuurlijk_persoon",
                                              "vestiging", NULL};
static const char *const CODE_SOORT_OBJECT_ID[] = {"bsn", "vestigingsnummer", "kvk_nummer",
                                                   "rsin", NULL};
static const char *const SOORT_ACTOR[] = {"medewerker", "geautomatiseerde_actor",
                                          "organisatorische_eenheid", NULL};
static const char *const TAAK_STATUS[] = {"te_verwerken", "verwerkt", NULL};

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
#define REFLIST(j, tgt, tbl, own, other, fl) {.json = j, .type = OMK_F_REFLIST, .flags = fl, .target = &tgt, .link_table = tbl, .link_own = own, .link_other = other}
#define DATE(j, col) {.json = j, .column = col, .type = OMK_F_DATE, .flags = OMK_NULLABLE}
#define COMPUTED(j, fn, var) {.json = j, .type = OMK_F_COMPUTED, .flags = OMK_RO, .variant = var, .compute = fn}

/* An absolute URI (scheme ":" …), as format uri requires. */
static const char *check_uri(const char *v, const char **code)
{
    *code = "invalid";
    const char *colon = strchr(v, ':');
    bool ok = colon && colon > v && isalpha((unsigned char)v[0]) && !strchr(v, ' ');
    for (const char *p = v; ok && p < colon; p++)
        ok = isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.';
    return ok ? NULL : "Voer een geldige URL in.";
}

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
    {.json = g ".nummeraanduidingId", .column = p "nummeraanduiding_id", .type = OMK_F_STRING,  \
     .flags = OMK_ZICHT_ADRES, .max_len = 255, .check = check_nummeraanduiding},                \
    STR(g ".straatnaam", p "straatnaam", 255, OMK_ZICHT_ADRES),                                 \
    {.json = g ".huisnummer", .column = p "huisnummer", .type = OMK_F_INT,                      \
     .flags = OMK_NULLABLE | OMK_ZICHT_ADRES, .min = 1, .max = 99999},                          \
    STR(g ".huisnummertoevoeging", p "huisnummertoevoeging", 20, OMK_ZICHT_ADRES),              \
    {.json = g ".postcode", .column = p "postcode", .type = OMK_F_STRING,                       \
     .flags = OMK_ZICHT_ADRES, .max_len = 20, .check = check_postcode},                         \
    STR(g ".stad", p "stad", 255, OMK_ZICHT_ADRES),                                             \
    STR(g ".adresregel1", p "adresregel1", 80, OMK_ZICHT_ADRES),                                \
    STR(g ".adresregel2", p "adresregel2", 80, OMK_ZICHT_ADRES),                                \
    STR(g ".adresregel3", p "adresregel3", 80, OMK_ZICHT_ADRES),                                \
    {.json = g ".land", .column = p "land", .type = OMK_F_STRING, .flags = OMK_ZICHT_ADRES,      \
     .max_len = 2, .check = check_land}

#define CONTACTNAAM(g, variant)                                                                \
    STRV(g ".voorletters", "cn_voorletters", 10, variant),                                     \
    STRV(g ".voornaam", "cn_voornaam", 200, variant),                                          \
    STRV(g ".voorvoegselAchternaam", "cn_voorvoegsel_achternaam", 10, variant),                \
    STRV(g ".achternaam", "cn_achternaam", 200, variant)

static const char *const PARTIJ_EXPANDS[] = {"betrokkenen", "betrokkenen.hadKlantcontact",
                                              "categorieRelaties", "digitaleAdressen", NULL};
static const char *const KC_EXPANDS[] = {"hadBetrokkenen", "hadBetrokkenen.digitaleAdressen",
                                         "hadBetrokkenen.wasPartij", "leiddeTotInterneTaken",
                                         "gingOverOnderwerpobjecten", "omvatteBijlagen", NULL};
static const char *const BETR_EXPANDS[] = {"digitaleAdressen", NULL};
static const char *const DA_EXPANDS[] = {
    "verstrektDoorBetrokkene", "verstrektDoorBetrokkene.hadKlantcontact",
    "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken", NULL};

static const omk_field PARTIJ_FIELDS[] = {
    STR("nummer", "nummer", 10, OMK_NULLABLE),
    STR("interneNotitie", "interne_notitie", 1000, 0),
    REVERSE("betrokkenen", omk__ki_betrokkene, "was_partij", 0),
    REVERSE("digitaleAdressen", omk__ki_digitaal_adres, "verstrekt_door_partij", 0),
    REF("voorkeursDigitaalAdres", "voorkeurs_digitaal_adres", omk__ki_digitaal_adres, OMK_NULLABLE),
    REVERSE("vertegenwoordigden", omk__ki_vertegenwoordiging, "vertegenwoordigende_partij", 0),
    REVERSE("rekeningnummers", omk__ki_rekeningnummer, "partij", 0),
    REF("voorkeursRekeningnummer", "voorkeurs_rekeningnummer", omk__ki_rekeningnummer, OMK_NULLABLE),
    REVERSE("categorieRelaties", omk__ki_categorie_relatie, "partij", OMK_HIDDEN),
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
    {"bezoekadres", true, NULL, false},
    {"correspondentieadres", true, NULL, false},
    {"contactnaam", true, NULL, false},
    {"partijIdentificatie.contactnaam", true, "persoon|contactpersoon", false},
    {"actoridentificator", true, NULL, false},
    {"actorIdentificatie", true, NULL, true},
    {"onderwerpobjectidentificator", true, NULL, false},
    {"bijlageidentificator", true, NULL, false},
};

#define PI_FILTERS(prefix, path)                                                               \
    {prefix "__codeObjecttype", path "/partijIdentificator.codeObjecttype", OMK_OP_EQ},         \
    {prefix "__codeSoortObjectId", path "/partijIdentificator.codeSoortObjectId", OMK_OP_EQ},   \
    {prefix "__objectId", path "/partijIdentificator.objectId", OMK_OP_EQ},                     \
    {prefix "__codeRegister", path "/partijIdentificator.codeRegister", OMK_OP_EQ}

/* The four parts of a free object identificator (onderwerpobject, bijlage, actor). */
#define OBJECT_ID_FIELDS(g, p)                                                                 \
    STR(g ".objectId", p "object_id", 200, 0), STR(g ".codeObjecttype", p "code_objecttype", 200, 0), \
    STR(g ".codeRegister", p "code_register", 200, 0),                                          \
    STR(g ".codeSoortObjectId", p "code_soort_object_id", 200, 0)
#define OBJECT_ID_FILTERS(prefix, path, g)                                                     \
    {prefix "ObjectId", path "/" g ".objectId", OMK_OP_EQ},                                     \
    {prefix "CodeObjecttype", path "/" g ".codeObjecttype", OMK_OP_EQ},                         \
    {prefix "CodeRegister", path "/" g ".codeRegister", OMK_OP_EQ},                             \
    {prefix "CodeSoortObjectId", path "/" g ".codeSoortObjectId", OMK_OP_EQ}
/* The same filters on the resource's own identificator group (no relation step). */
#define OWN_OBJECT_ID_FILTERS(prefix, g)                                                       \
    {prefix "ObjectId", g ".objectId", OMK_OP_EQ},                                              \
    {prefix "CodeObjecttype", g ".codeObjecttype", OMK_OP_EQ},                                  \
    {prefix "CodeRegister", g ".codeRegister", OMK_OP_EQ},                                      \
    {prefix "CodeSoortObjectId", g ".codeSoortObjectId", OMK_OP_EQ}

static const omk_filter PARTIJ_FILTERS[] = {
    {"nummer", "nummer", OMK_OP_EQ},
    {"soortPartij", "soortPartij", OMK_OP_EQ},
    {"vertegenwoordigdePartij__url", "vertegenwoordigden/vertegenwoordigdePartij/uuid", OMK_OP_UUID_URL},
    {"vertegenwoordigdePartij__uuid", "vertegenwoordigden/vertegenwoordigdePartij/uuid", OMK_OP_EQ},
    {"categorierelatie__categorie__naam", "categorieRelaties/categorie/naam", OMK_OP_IN},
    PI_FILTERS("subIdentificatorVan", "partijIdentificatoren/subIdentificatorVan"),
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

/* ---- whose data each row is (the Logboek Dataverwerkingen, docs/internals/logboek.md) ---- */

/* The partijen of a klantcontact: those of its betrokkenen. */
#define VIA_KLANTCONTACT(col)                                                                  \
    {.column = (col), .via_table = "betrokkenen", .via_match = "had_klantcontact",             \
     .via_partij = "was_partij"}

static const omk_subjects SUBJ_PARTIJ = {"partijen", "partij", {{.column = "uuid"}}};
static const omk_subjects SUBJ_PI = {"partij-identificatoren", "partij-identificator",
                                     {{.column = "identificeerde_partij"}}};
static const omk_subjects SUBJ_DA = {
    "digitale adressen", "digitaal adres",
    {{.column = "verstrekt_door_partij"},
     {.column = "verstrekt_door_betrokkene", .via_table = "betrokkenen", .via_match = "uuid",
      .via_partij = "was_partij"}}};
static const omk_subjects SUBJ_KC = {"klantcontacten", "klantcontact",
                                     {VIA_KLANTCONTACT("uuid")}};
static const omk_subjects SUBJ_BETR = {"betrokkenen", "betrokkene", {{.column = "was_partij"}}};
static const omk_subjects SUBJ_AKC = {"actorklantcontacten", "actorklantcontact",
                                      {VIA_KLANTCONTACT("klantcontact")}};
static const omk_subjects SUBJ_OW = {"onderwerpobjecten", "onderwerpobject",
                                     {VIA_KLANTCONTACT("klantcontact"),
                                      VIA_KLANTCONTACT("was_klantcontact")}};
static const omk_subjects SUBJ_BIJLAGE = {"bijlagen", "bijlage",
                                          {VIA_KLANTCONTACT("was_bijlage_van_klantcontact")}};
static const omk_subjects SUBJ_TAAK = {"interne taken", "interne taak",
                                       {VIA_KLANTCONTACT("aanleidinggevend_klantcontact")}};
static const omk_subjects SUBJ_REK = {"rekeningnummers", "rekeningnummer", {{.column = "partij"}}};
static const omk_subjects SUBJ_VTW = {"vertegenwoordigingen", "vertegenwoordiging",
                                      {{.column = "vertegenwoordigende_partij"},
                                       {.column = "vertegenwoordigde_partij"}}};
static const omk_subjects SUBJ_CATREL = {"categorie-relaties", "categorie-relatie",
                                         {{.column = "partij"}}};

const omk_resource omk__ki_partij = {
    .name = "partijen", .model = "Partij", .table = "partijen", .fields = PARTIJ_FIELDS,
    .nfields = OMK_COUNT(PARTIJ_FIELDS), .groups = ADRES_GROUPS, .ngroups = OMK_COUNT(ADRES_GROUPS),
    .filters = PARTIJ_FILTERS, .nfilters = OMK_COUNT(PARTIJ_FILTERS), .discriminator = "soortPartij",
    .hooks = &omk__ki_partij_hooks, .api_base = KI_BASE, .expands = PARTIJ_EXPANDS,
    .notify_kanaal = "partijen", .notify_resource = "partij",
    .geheim = "indicatieGeheimhouding",
    .subjects = &SUBJ_PARTIJ,
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
    .name = "partij-identificatoren", .model = "PartijIdentificator",
    .table = "partij_identificatoren", .fields = PI_FIELDS, .nfields = OMK_COUNT(PI_FIELDS),
    .filters = PI_FILTERS_LIST, .nfilters = OMK_COUNT(PI_FILTERS_LIST), .hooks = &omk__ki_pi_hooks,
    .api_base = KI_BASE,
    .subjects = &SUBJ_PI,
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
    .name = "digitaleadressen", .model = "DigitaalAdres", .table = "digitale_adressen",
    .fields = DA_FIELDS, .nfields = OMK_COUNT(DA_FIELDS), .filters = DA_FILTERS,
    .nfilters = OMK_COUNT(DA_FILTERS), .hooks = &omk__ki_da_hooks, .api_base = KI_BASE,
    .expands = DA_EXPANDS,
    .subjects = &SUBJ_DA,
};

static const omk_field KC_FIELDS[] = {
    REVERSE("gingOverOnderwerpobjecten", omk__ki_onderwerpobject, "klantcontact", 0),
    REFLIST("hadBetrokkenActoren", omk__ki_actor, "actorklantcontacten", "klantcontact", "actor",
            OMK_RO | OMK_EMBED),
    REVERSE("omvatteBijlagen", omk__ki_bijlage, "was_bijlage_van_klantcontact", 0),
    REVERSE("hadBetrokkenen", omk__ki_betrokkene, "had_klantcontact", 0),
    REVERSE("leiddeTotInterneTaken", omk__ki_interne_taak, "aanleidinggevend_klantcontact", 0),
    REVERSE("_wasOnderwerpobjecten", omk__ki_onderwerpobject, "was_klantcontact", OMK_HIDDEN),
    STR("nummer", "nummer", 10, OMK_NULLABLE),
    STR("referentienummer", "referentienummer", 10, OMK_NULLABLE),
    STR("kanaal", "kanaal", 50, OMK_REQ),
    STR("onderwerp", "onderwerp", 200, OMK_REQ),
    STR("inhoud", "inhoud", 1000, OMK_ZICHT_INHOUD),
    STR("reactie", "reactie", 4000, 0),
    BOOL("indicatieContactGelukt", "indicatie_contact_gelukt", OMK_NULLABLE, NULL),
    /* "" while unset, as the reference answers (the spec's format uri does not allow it; the
     * conformance check accepts "" for such optional fields, see spec-validator.mjs). */
    {.json = "hoofdOnderwerpType", .column = "hoofd_onderwerp_type", .type = OMK_F_STRING,
     .max_len = 200, .check = check_uri},
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
    {"leiddeTotInterneTaken", "leiddeTotInterneTaken", OMK_OP_EXISTS},
    {"onderwerpobject__url", "gingOverOnderwerpobjecten/uuid", OMK_OP_UUID_URL},
    {"onderwerpobject__uuid", "gingOverOnderwerpobjecten/uuid", OMK_OP_EQ},
    OBJECT_ID_FILTERS("onderwerpobject__onderwerpobjectidentificator", "gingOverOnderwerpobjecten",
                      "onderwerpobjectidentificator"),
    {"wasOnderwerpobject__url", "_wasOnderwerpobjecten/uuid", OMK_OP_UUID_URL},
    {"wasOnderwerpobject__uuid", "_wasOnderwerpobjecten/uuid", OMK_OP_EQ},
    OBJECT_ID_FILTERS("wasOnderwerpobject__onderwerpobjectidentificator", "_wasOnderwerpobjecten",
                      "onderwerpobjectidentificator"),
};

const omk_resource omk__ki_klantcontact = {
    .name = "klantcontacten", .model = "Klantcontact", .table = "klantcontacten",
    .fields = KC_FIELDS, .nfields = OMK_COUNT(KC_FIELDS), .filters = KC_FILTERS,
    .nfilters = OMK_COUNT(KC_FILTERS), .order_column = "plaatsgevonden_op", .hooks = &omk__ki_kc_hooks,
    .api_base = KI_BASE, .expands = KC_EXPANDS, .notify_kanaal = "klantcontacten",
    .notify_resource = "klantcontact",
    .subjects = &SUBJ_KC,
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
    .name = "betrokkenen", .model = "Betrokkene", .table = "betrokkenen", .fields = BETR_FIELDS,
    .nfields = OMK_COUNT(BETR_FIELDS), .groups = ADRES_GROUPS, .ngroups = OMK_COUNT(ADRES_GROUPS),
    .filters = BETR_FILTERS, .nfilters = OMK_COUNT(BETR_FILTERS), .api_base = KI_BASE,
    .expands = BETR_EXPANDS,
    .subjects = &SUBJ_BETR,
};

/* ---- actoren ---- */

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

static const omk_field ACTOR_FIELDS[] = {
    STR("naam", "naam", 200, OMK_REQ),
    ENUM("soortActor", "soort_actor", SOORT_ACTOR, OMK_REQ),
    BOOL("indicatieActief", "indicatie_actief", 0, "true"),
    OBJECT_ID_FIELDS("actoridentificator", "ai_"),
    {.json = "actorIdentificatie.functie", .column = "id_functie", .type = OMK_F_STRING,
     .flags = OMK_OMIT_EMPTY, .max_len = 40, .variant = "medewerker|geautomatiseerde_actor"},
    {.json = "actorIdentificatie.emailadres", .column = "id_emailadres", .type = OMK_F_STRING,
     .flags = OMK_OMIT_EMPTY, .max_len = 254, .variant = "medewerker|organisatorische_eenheid",
     .check = check_email},
    {.json = "actorIdentificatie.telefoonnummer", .column = "id_telefoonnummer",
     .type = OMK_F_STRING, .flags = OMK_OMIT_EMPTY, .max_len = 20,
     .variant = "medewerker|organisatorische_eenheid", .check = check_phone},
    {.json = "actorIdentificatie.omschrijving", .column = "id_omschrijving", .type = OMK_F_STRING,
     .flags = OMK_OMIT_EMPTY, .max_len = 200,
     .variant = "geautomatiseerde_actor|organisatorische_eenheid"},
    {.json = "actorIdentificatie.faxnummer", .column = "id_faxnummer", .type = OMK_F_STRING,
     .flags = OMK_OMIT_EMPTY, .max_len = 20, .variant = "organisatorische_eenheid"},
};

static const omk_filter ACTOR_FILTERS[] = {
    {"naam", "naam", OMK_OP_ICONTAINS},
    {"soortActor", "soortActor", OMK_OP_EQ},
    {"indicatieActief", "indicatieActief", OMK_OP_EQ},
    OWN_OBJECT_ID_FILTERS("actoridentificator", "actoridentificator"),
};

const omk_resource omk__ki_actor = {
    .name = "actoren", .model = "Actor", .table = "actoren", .fields = ACTOR_FIELDS,
    .nfields = OMK_COUNT(ACTOR_FIELDS), .groups = ADRES_GROUPS, .ngroups = OMK_COUNT(ADRES_GROUPS),
    .filters = ACTOR_FILTERS, .nfilters = OMK_COUNT(ACTOR_FILTERS), .discriminator = "soortActor",
    .hooks = &omk__ki_actor_hooks, .api_base = KI_BASE,
};

static const omk_field AKC_FIELDS[] = {
    REF("actor", "actor", omk__ki_actor, OMK_REQ),
    REF("klantcontact", "klantcontact", omk__ki_klantcontact, OMK_REQ),
};

static const omk_filter AKC_FILTERS[] = {
    {"actor__url", "actor/uuid", OMK_OP_UUID_URL},
    {"actor__uuid", "actor/uuid", OMK_OP_EQ},
    {"klantcontact__url", "klantcontact/uuid", OMK_OP_UUID_URL},
    {"klantcontact__uuid", "klantcontact/uuid", OMK_OP_EQ},
};

const omk_resource omk__ki_actor_klantcontact = {
    .name = "actorklantcontacten", .model = "ActorKlantcontact", .table = "actorklantcontacten",
    .fields = AKC_FIELDS, .nfields = OMK_COUNT(AKC_FIELDS), .filters = AKC_FILTERS,
    .nfilters = OMK_COUNT(AKC_FILTERS), .hooks = &omk__ki_akc_hooks, .api_base = KI_BASE,
    .subjects = &SUBJ_AKC,
};

/* ---- onderwerpobjecten, bijlagen ---- */

static const omk_field OW_FIELDS[] = {
    REF("klantcontact", "klantcontact", omk__ki_klantcontact, OMK_NULLABLE),
    REF("wasKlantcontact", "was_klantcontact", omk__ki_klantcontact, OMK_NULLABLE),
    OBJECT_ID_FIELDS("onderwerpobjectidentificator", "oi_"),
};

static const omk_filter OW_FILTERS[] = {
    {"klantcontact__url", "klantcontact/uuid", OMK_OP_UUID_URL},
    {"klantcontact__uuid", "klantcontact/uuid", OMK_OP_EQ},
    {"wasKlantcontact__url", "wasKlantcontact/uuid", OMK_OP_UUID_URL},
    {"wasKlantcontact__uuid", "wasKlantcontact/uuid", OMK_OP_EQ},
    OWN_OBJECT_ID_FILTERS("onderwerpobjectidentificator", "onderwerpobjectidentificator"),
};

const omk_resource omk__ki_onderwerpobject = {
    .name = "onderwerpobjecten", .model = "Onderwerpobject", .table = "onderwerpobjecten",
    .fields = OW_FIELDS, .nfields = OMK_COUNT(OW_FIELDS), .groups = ADRES_GROUPS,
    .ngroups = OMK_COUNT(ADRES_GROUPS), .filters = OW_FILTERS, .nfilters = OMK_COUNT(OW_FILTERS),
    .api_base = KI_BASE,
    .subjects = &SUBJ_OW,
};

static const omk_field BIJLAGE_FIELDS[] = {
    REF("wasBijlageVanKlantcontact", "was_bijlage_van_klantcontact", omk__ki_klantcontact,
        OMK_NULLABLE),
    OBJECT_ID_FIELDS("bijlageidentificator", "bi_"),
};

static const omk_filter BIJLAGE_FILTERS[] = {
    {"klantcontact__uuid", "wasBijlageVanKlantcontact/uuid", OMK_OP_EQ},
    OWN_OBJECT_ID_FILTERS("bijlageidentificator", "bijlageidentificator"),
};

const omk_resource omk__ki_bijlage = {
    .name = "bijlagen", .model = "Bijlage", .table = "bijlagen", .fields = BIJLAGE_FIELDS,
    .nfields = OMK_COUNT(BIJLAGE_FIELDS), .groups = ADRES_GROUPS, .ngroups = OMK_COUNT(ADRES_GROUPS),
    .filters = BIJLAGE_FILTERS, .nfilters = OMK_COUNT(BIJLAGE_FILTERS), .api_base = KI_BASE,
    .subjects = &SUBJ_BIJLAGE,
};

/* ---- interne taken ---- */

static const omk_field TAAK_FIELDS[] = {
    STR("nummer", "nummer", 10, OMK_NULLABLE),
    STR("referentienummer", "referentienummer", 10, OMK_NULLABLE),
    STR("gevraagdeHandeling", "gevraagde_handeling", 200, OMK_REQ),
    REF("aanleidinggevendKlantcontact", "aanleidinggevend_klantcontact", omk__ki_klantcontact,
        OMK_REQ),
    REFLIST("toegewezenAanActoren", omk__ki_actor, "internetaak_actoren", "internetaak", "actor", 0),
    STR("toelichting", "toelichting", 1000, 0),
    ENUM("status", "status", TAAK_STATUS, OMK_REQ),
    {.json = "toegewezenOp", .column = "toegewezen_op", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
    {.json = "afgehandeldOp", .column = "afgehandeld_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
};

static const omk_filter TAAK_FILTERS[] = {
    {"nummer", "nummer", OMK_OP_EQ},
    {"referentienummer", "referentienummer", OMK_OP_EQ},
    {"status", "status", OMK_OP_EQ},
    {"toegewezenOp", "toegewezenOp", OMK_OP_EQ},
    {"actoren__naam", "toegewezenAanActoren/naam", OMK_OP_EQ},
    {"klantcontact__uuid", "aanleidinggevendKlantcontact/uuid", OMK_OP_EQ},
    {"klantcontact__nummer", "aanleidinggevendKlantcontact/nummer", OMK_OP_EQ},
    {"klantcontact__referentienummer", "aanleidinggevendKlantcontact/referentienummer", OMK_OP_EQ},
    {"toegewezenAanActor__url", "toegewezenAanActoren/uuid", OMK_OP_UUID_URL},
    {"toegewezenAanActor__uuid", "toegewezenAanActoren/uuid", OMK_OP_EQ},
    {"aanleidinggevendKlantcontact__url", "aanleidinggevendKlantcontact/uuid", OMK_OP_UUID_URL},
    {"aanleidinggevendKlantcontact__uuid", "aanleidinggevendKlantcontact/uuid", OMK_OP_EQ},
};

const omk_resource omk__ki_interne_taak = {
    .name = "internetaken", .model = "InterneTaak", .table = "internetaken",
    .fields = TAAK_FIELDS, .nfields = OMK_COUNT(TAAK_FIELDS), .filters = TAAK_FILTERS,
    .nfilters = OMK_COUNT(TAAK_FILTERS), .hooks = &omk__ki_taak_hooks, .api_base = KI_BASE,
    .notify_kanaal = "internetaken", .notify_resource = "internetaak",
    .subjects = &SUBJ_TAAK,
};

/* ---- rekeningnummers, vertegenwoordigingen, categorieën ---- */

static const char *check_iban(const char *v, const char **code)
{
    *code = "invalid";
    size_t n = strlen(v);
    bool ok = n >= 5 && isalpha((unsigned char)v[0]) && isalpha((unsigned char)v[1]) &&
              isdigit((unsigned char)v[2]) && isdigit((unsigned char)v[3]);
    for (size_t i = 4; ok && i < n; i++)
        ok = isalnum((unsigned char)v[i]);
    return ok ? NULL : "Deze waarde voldoet niet aan het benodigde formaat.";
}

static const char *check_bic(const char *v, const char **code)
{
    *code = "invalid";
    size_t n = strlen(v);
    bool ok = n >= 8 && n <= 11 && !strchr(v, ' ');
    return ok ? NULL : "Een BIC bestaat uit 8 tot 11 tekens zonder spaties.";
}

static const omk_field REK_FIELDS[] = {
    REF("partij", "partij", omk__ki_partij, OMK_NULLABLE),
    {.json = "iban", .column = "iban", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 34,
     .check = check_iban},
    STRC("bic", "bic", 11, check_bic),
};

static const omk_filter REK_FILTERS[] = {
    {"uuid", "uuid", OMK_OP_EQ},
    {"iban", "iban", OMK_OP_EQ},
    {"bic", "bic", OMK_OP_EQ},
};

const omk_resource omk__ki_rekeningnummer = {
    .name = "rekeningnummers", .model = "Rekeningnummer", .table = "rekeningnummers",
    .fields = REK_FIELDS, .nfields = OMK_COUNT(REK_FIELDS), .filters = REK_FILTERS,
    .nfilters = OMK_COUNT(REK_FILTERS), .api_base = KI_BASE,
    .subjects = &SUBJ_REK,
};

static const omk_field VTW_FIELDS[] = {
    REF("vertegenwoordigendePartij", "vertegenwoordigende_partij", omk__ki_partij, OMK_REQ),
    REF("vertegenwoordigdePartij", "vertegenwoordigde_partij", omk__ki_partij, OMK_REQ),
};

static const omk_filter VTW_FILTERS[] = {
    {"vertegenwoordigendePartij__url", "vertegenwoordigendePartij/uuid", OMK_OP_UUID_URL},
    {"vertegenwoordigendePartij__uuid", "vertegenwoordigendePartij/uuid", OMK_OP_EQ},
    {"vertegenwoordigdePartij__url", "vertegenwoordigdePartij/uuid", OMK_OP_UUID_URL},
    {"vertegenwoordigdePartij__uuid", "vertegenwoordigdePartij/uuid", OMK_OP_EQ},
};

const omk_resource omk__ki_vertegenwoordiging = {
    .name = "vertegenwoordigingen", .model = "Vertegenwoordigden",
    .table = "vertegenwoordigingen", .fields = VTW_FIELDS, .nfields = OMK_COUNT(VTW_FIELDS),
    .filters = VTW_FILTERS, .nfilters = OMK_COUNT(VTW_FILTERS), .hooks = &omk__ki_vtw_hooks,
    .api_base = KI_BASE,
    .subjects = &SUBJ_VTW,
};

static const omk_field CAT_FIELDS[] = {
    STR("naam", "naam", 80, 0),
};

const omk_resource omk__ki_categorie = {
    .name = "categorieen", .model = "Categorie", .table = "categorieen", .fields = CAT_FIELDS,
    .nfields = OMK_COUNT(CAT_FIELDS), .api_base = KI_BASE,
};

static const omk_field CATREL_FIELDS[] = {
    REF("partij", "partij", omk__ki_partij, OMK_NULLABLE),
    REF("categorie", "categorie", omk__ki_categorie, OMK_NULLABLE),
    DATE("beginDatum", "begin_datum"),
    DATE("eindDatum", "eind_datum"),
};

static const omk_filter CATREL_FILTERS[] = {
    {"partij__url", "partij/uuid", OMK_OP_UUID_URL},
    {"partij__uuid", "partij/uuid", OMK_OP_EQ},
    {"partij__nummer", "partij/nummer", OMK_OP_EQ},
    {"categorie__url", "categorie/uuid", OMK_OP_UUID_URL},
    {"categorie__uuid", "categorie/uuid", OMK_OP_EQ},
    {"categorie__naam", "categorie/naam", OMK_OP_EQ},
    {"beginDatum", "beginDatum", OMK_OP_EQ},
    {"eindDatum", "eindDatum", OMK_OP_EQ},
};

const omk_resource omk__ki_categorie_relatie = {
    .name = "categorie-relaties", .model = "CategorieRelatie", .table = "categorie_relaties",
    .fields = CATREL_FIELDS, .nfields = OMK_COUNT(CATREL_FIELDS), .filters = CATREL_FILTERS,
    .nfilters = OMK_COUNT(CATREL_FILTERS), .hooks = &omk__ki_catrel_hooks, .api_base = KI_BASE,
    .subjects = &SUBJ_CATREL,
};

const omk_resource *const omk__ki_resources[] = {
    &omk__ki_partij,          &omk__ki_partij_identificator, &omk__ki_digitaal_adres,
    &omk__ki_klantcontact,    &omk__ki_betrokkene,           &omk__ki_actor,
    &omk__ki_actor_klantcontact, &omk__ki_onderwerpobject,   &omk__ki_bijlage,
    &omk__ki_interne_taak,    &omk__ki_rekeningnummer,       &omk__ki_vertegenwoordiging,
    &omk__ki_categorie,       &omk__ki_categorie_relatie,    NULL,
};

const omk_api_info omk__ki_api = {KI_BASE, "0.9.0", omk__openapi_klantinteracties, 0};

/* ---- routes ---- */

/* GET openapi.json and openapi.yaml: the official document; the reference refuses query
 * parameters here. */
static omk_rc openapi_as(omk_req *req, bool yaml)
{
    const omk_qparam *q = NULL;
    if (omk_req_query(req, &q)) {
        omk_req_invalid(req, "nonFieldErrors", "unknown-parameters",
                        "Onbekende query parameters.");
        return OMK_INVALID;
    }
    if (yaml)
        return omk_req_reply(req, 200, "application/yaml", omk__openapi_klantinteracties_yaml,
                             omk__openapi_klantinteracties_yaml_len);
    return omk_req_reply(req, 200, "application/json", omk__openapi_klantinteracties,
                         omk__openapi_klantinteracties_len);
}

static omk_rc openapi(omk_req *req)
{
    return openapi_as(req, false);
}

static omk_rc openapi_yaml(omk_req *req)
{
    return openapi_as(req, true);
}

#define MAX_KI_RESOURCES 16
static char g_patterns[2][MAX_KI_RESOURCES][160];

size_t omk__ki_routes(omk_route *out, size_t cap)
{
    size_t n = 0;
#define ADD(m, p, fn, data, flags)                                                             \
    do {                                                                                       \
        if (n < cap)                                                                           \
            out[n] = (omk_route){m, p, fn, data, &omk__ki_api, flags, 0, NULL};                \
        n++;                                                                                   \
    } while (0)
    ADD("GET", KI_BASE "/openapi.json", openapi, NULL, OMK_ROUTE_PUBLIC);
    ADD("GET", KI_BASE "/openapi.yaml", openapi_yaml, NULL, OMK_ROUTE_PUBLIC);
    /* Operations beyond CRUD; listed before the generic routes so they match first. */
    ADD("POST", KI_BASE "/maak-klantcontact", omk__ki_maak_klantcontact, NULL, OMK_ROUTE_BODY);
    ADD("DELETE", KI_BASE "/onderwerpobjecten/{uuid}", omk__ki_onderwerpobject_delete, NULL, 0);
    size_t nres = 0;
    while (omk__ki_resources[nres])
        nres++;
    if (nres > MAX_KI_RESOURCES)
        return cap; /* more resources than patterns: report a full table, drop nothing quietly */
    for (size_t i = 0; i < nres; i++) {
        const omk_resource *r = omk__ki_resources[i];
        snprintf(g_patterns[0][i], sizeof g_patterns[0][i], "%s/%s", r->api_base, r->name);
        snprintf(g_patterns[1][i], sizeof g_patterns[1][i], "%s/%s/{uuid}", r->api_base, r->name);
        ADD("GET", g_patterns[0][i], omk__res_list, r, 0);
        ADD("POST", g_patterns[0][i], omk__res_create, r, OMK_ROUTE_BODY);
        ADD("GET", g_patterns[1][i], omk__res_read, r, 0);
        ADD("PUT", g_patterns[1][i], omk__res_put, r, OMK_ROUTE_BODY);
        ADD("PATCH", g_patterns[1][i], omk__res_patch, r, OMK_ROUTE_BODY);
        ADD("DELETE", g_patterns[1][i], omk__res_delete, r, 0);
    }
#undef ADD
    return n < cap ? n : cap;
}

omk_rc omk__ki_partijen_met_bsn(omk_db *db, omk_arena *a, const char *bsn, int max,
                                const char ***out, size_t *n)
{
    return omk__ki_partijen_met_id(db, a, "bsn", bsn, max, out, n);
}

omk_rc omk__ki_partijen_met_id(omk_db *db, omk_arena *a, const char *soort, const char *id,
                               int max, const char ***out, size_t *n)
{
    static const omk_filter by_id = {"id", "partijIdentificator.objectId", OMK_OP_EQ};
    static const omk_filter by_soort = {"soort", "partijIdentificator.codeSoortObjectId",
                                        OMK_OP_EQ};
    omk_filter_arg f[2] = {{&by_id, id}, {&by_soort, soort}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = max};
    omk_rowset rows = {0};
    *n = 0;
    omk_rc rc = omk_db_list(db, &omk__ki_partij_identificator, &q, a, &rows, NULL);
    *out = rc ? NULL : omk_arena_alloc(a, (rows.n + 1) * sizeof **out);
    if (!rc && !*out)
        rc = OMK_NOMEM;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *p = omk_row_text(&omk__ki_partij_identificator, &rows.rows[i],
                                     "identificeerdePartij");
        if (p)
            (*out)[(*n)++] = p;
    }
    return rc;
}
