/* The demo municipality "Gemeente Voorbeeldstad": fictional residents (valid test BSNs in
 * the 9999xxxxx range), businesses with KvK numbers, digital addresses and thousands of
 * klantcontacten over every channel in the last year. Everything goes through the same
 * parse/validate/write path as the API, so demo data obeys every rule. Deterministic for a
 * given seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantinteracties/klantinteracties.h"
#include "kennisbank/kennisbank.h"
#include "kanalen/kanalen.h"
#include "sturing/sturing.h"
#include "omk/log.h"
#include "omk/util.h"

#define PERSONEN 320
#define ORGANISATIES 60
#define KLANTCONTACTEN 4200
#define BATCH 250

static const char *const VOORNAMEN[] = {
    "Anna", "Daan", "Emma", "Sem", "Julia", "Lucas", "Sophie", "Finn", "Tess", "Milan",
    "Noah", "Zoë", "Levi", "Sara", "Mohammed", "Fatima", "Youssef", "Noor", "Jan", "Marieke",
    "Pieter", "Ingrid", "Kees", "Annelies", "Hendrik", "Wilma", "Ahmet", "Elif", "Priya",
    "Rajesh", "Bram", "Lotte", "Thijs", "Fleur", "Ruben", "Iris", "Joost", "Esther", "Gerrit",
    "Hanneke"};
static const char *const VOORVOEGSELS[] = {"", "", "", "", "van", "de", "van der", "van den",
                                           "ter", "el"};
static const char *const ACHTERNAMEN[] = {
    "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
    "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kok", "Yilmaz", "Amrani", "Vermeulen",
    "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers", "Veenstra", "Postma", "Willems",
    "Boer", "Berg", "Wit", "Groot", "Graaf"};
static const char *const STRATEN[] = {
    "Kerkstraat", "Molenweg", "Dorpsstraat", "Stationsplein", "Schoolstraat", "Beatrixlaan",
    "Julianastraat", "Lindelaan", "Havenkade", "Eikenlaan", "Marktplein", "Wilhelminapark",
    "Sluisweg", "Populierenstraat", "Nieuwe Gracht"};
static const char *const BEDRIJVEN[] = {
    "Bakkerij", "Installatiebedrijf", "Kapsalon", "Autogarage", "Bloemenhandel",
    "Schildersbedrijf", "Fietsenmaker", "Adviesbureau", "Hoveniersbedrijf", "Eetcafé",
    "Kinderopvang", "Drukkerij"};

/* Channel, weight in the mix (balie, phone and web dominate, as in the seed's figures). */
static const struct {
    const char *kanaal;
    int weight;
} KANALEN[] = {
    {"telefoon", 34}, {"e-mail", 14}, {"balie", 16}, {"website", 12}, {"chat", 9},
    {"whatsapp", 6},  {"social media", 4}, {"post", 5},
};

static const struct {
    const char *onderwerp, *vraag, *antwoord;
} ONDERWERPEN[] = {
    {"Verhuizing doorgeven", "Inwoner wil een verhuizing binnen de gemeente doorgeven.",
     "Uitgelegd dat de verhuizing online met DigiD kan worden doorgegeven, tot 4 weken vooraf."},
    {"Paspoort aanvragen", "Vraag over de levertijd en kosten van een nieuw paspoort.",
     "Afspraak gemaakt aan de balie; levertijd 5 werkdagen, pasfoto meenemen."},
    {"Rijbewijs verlengen", "Rijbewijs verloopt binnenkort, hoe verlengen?",
     "Verwezen naar online aanvraag met DigiD en een goedgekeurde pasfoto."},
    {"Grofvuil ophalen", "Inwoner wil een bank en kast laten ophalen.",
     "Ophaalafspraak ingepland; grofvuil de avond ervoor buiten zetten."},
    {"Kapotte container", "De groene container is gescheurd.",
     "Melding aangemaakt; vervanging binnen 10 werkdagen."},
    {"Parkeervergunning", "Aanvraag bewonersparkeervergunning voor de binnenstad.",
     "Voorwaarden uitgelegd en aanvraagformulier toegestuurd."},
    {"Bijstandsuitkering", "Inwoner heeft geen inkomen meer en vraagt naar bijstand.",
     "Uitgelegd hoe de aanvraag werkt; terugbelverzoek voor consulent aangemaakt."},
    {"WMO hulp bij het huishouden", "Mantelzorger vraagt ondersteuning voor moeder.",
     "Melding WMO aangenomen; keukentafelgesprek wordt ingepland."},
    {"Gehandicaptenparkeerkaart", "Vraag over een parkeerkaart vanwege beperkte mobiliteit.",
     "Aanvraagprocedure en medische keuring toegelicht."},
    {"Melding openbare ruimte", "Straatverlichting in de straat doet het niet.",
     "Melding geregistreerd en doorgezet naar beheer openbare ruimte."},
    {"Afvalpas kwijt", "Afvalpas voor de ondergrondse container verloren.",
     "Nieuwe pas aangevraagd; oude pas geblokkeerd."},
    {"Omgevingsvergunning dakkapel", "Is een vergunning nodig voor een dakkapel aan de achterkant?",
     "Vergunningcheck uitgelegd; vaak vergunningvrij aan de achterkant."},
    {"Gemeentelijke belastingen", "Vraag over de aanslag OZB en afvalstoffenheffing.",
     "Aanslag toegelicht en betalingsregeling besproken."},
    {"Kwijtschelding", "Inwoner kan de belastingaanslag niet betalen.",
     "Kwijtscheldingsformulier toegestuurd."},
    {"Geboorteaangifte", "Vader wil aangifte doen van de geboorte van zijn dochter.",
     "Afspraak voor aangifte binnen 3 dagen gemaakt."},
    {"Huwelijk of partnerschap", "Stel wil trouwen op het gemeentehuis.",
     "Mogelijkheden en kosten toegelicht; melding voorgenomen huwelijk uitgelegd."},
    {"Evenementenvergunning", "Ondernemer wil een buurtfeest organiseren.",
     "Evenementenvergunning en termijnen toegelicht."},
    {"Status aanvraag", "Inwoner vraagt naar de status van een eerdere aanvraag.",
     "Status opgezocht en doorgegeven; behandeling loopt nog."},
};

/* Back-office teams (organisatorische eenheden) and, per onderwerp above, the team a
 * contactverzoek goes to. */
static const char *const AFDELINGEN[] = {"Burgerzaken", "Belastingen", "Sociaal Domein",
                                         "Openbare Ruimte", "Vergunningen", "Klantcontactcentrum"};
static const int AFDELING_VAN[] = {0, 0, 0, 3, 3, 4, 2, 2, 2, 3, 3, 4, 1, 1, 0, 0, 4, 5};
_Static_assert(sizeof AFDELING_VAN / sizeof AFDELING_VAN[0] ==
                   sizeof ONDERWERPEN / sizeof ONDERWERPEN[0],
               "one afdeling per onderwerp");

/* KCC employees (medewerkers) who register the contacts. */
static const char *const MEDEWERKERS[] = {"Sanne de Boer", "Mehmet Kaya", "Linda Bakker",
                                          "Rob Verhoeven", "Yara el Idrissi", "Tom Jacobs",
                                          "Eva Smits", "Kevin Mulder"};

typedef struct rng {
    unsigned long long s;
} rng;

static unsigned next(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (unsigned)(r->s >> 11);
}

static unsigned pick(rng *r, unsigned n)
{
    return next(r) % n;
}

/* The next BSN in the test range 9999xxxxx after *counter that passes the elfproef;
 * sequential, so the demo never draws the same BSN twice. */
static void test_bsn(unsigned *counter, char out[10])
{
    do {
        snprintf(out, 10, "9999%05u", (*counter)++ % 100000);
    } while (!omk__elfproef(out));
}

typedef struct demo {
    rng r;
    omk_arena *a;
    omk_api_ctx ctx;
    char (*personen)[37];
    char (*organisaties)[37];
    int npersonen, norganisaties, nkc, ntaken, nzaken;
    char afdelingen[OMK_COUNT(AFDELINGEN)][37];
    char medewerkers[OMK_COUNT(MEDEWERKERS)][37];
    int64_t now_us;
    unsigned bsn_counter;
} demo;

/* Creates one object through the API's own path; returns its uuid in out (may be NULL). */
static omk_rc create(omk_db *db, demo *d, const omk_resource *r, json_t *body, char *out)
{
    omk_api_ctx ctx = {.a = d->a, .base_url = "http://localhost:8080"};
    omk_row *row = NULL;
    omk_rc rc = omk_res_parse(&ctx, r, body, OMK_CREATE, &row);
    if (!rc)
        rc = omk_res_write(db, &ctx, r, row, NULL, body, OMK_CREATE, NULL);
    if (rc == OMK_INVALID && ctx.errs) {
        char *s = json_dumps(body, JSON_COMPACT);
        omk_log_error("demo", "%s rejected: %s %s (%s)", r->name, ctx.errs->name,
                      ctx.errs->reason, s ? s : "");
        free(s);
    }
    if (!rc && out)
        memcpy(out, row->uuid, 37);
    json_decref(body);
    return rc;
}

static json_t *adres(demo *d)
{
    char straat[80];
    snprintf(straat, sizeof straat, "%s", STRATEN[pick(&d->r, OMK_COUNT(STRATEN))]);
    char postcode[8];
    snprintf(postcode, sizeof postcode, "%04u %c%c", 3500 + pick(&d->r, 400),
             'A' + pick(&d->r, 26), 'A' + pick(&d->r, 26));
    return json_pack("{s:s, s:i, s:s, s:s, s:s}", "straatnaam", straat, "huisnummer",
                     (int)(1 + pick(&d->r, 180)), "postcode", postcode, "stad", "Voorbeeldstad",
                     "land", "NL");
}

static omk_rc make_persoon(omk_db *db, demo *d)
{
    const char *vn = VOORNAMEN[pick(&d->r, OMK_COUNT(VOORNAMEN))];
    const char *vv = VOORVOEGSELS[pick(&d->r, OMK_COUNT(VOORVOEGSELS))];
    const char *an = ACHTERNAMEN[pick(&d->r, OMK_COUNT(ACHTERNAMEN))];
    char bsn[10], voorletter[4];
    test_bsn(&d->bsn_counter, bsn);
    snprintf(voorletter, sizeof voorletter, "%c.", vn[0]);
    json_t *body = json_pack(
        "{s:s, s:b, s:b, s:s, s:o, s:{s:{s:s, s:s, s:s, s:s}}, s:[{s:{s:s, s:s, s:s, s:s}}]}",
        "soortPartij", "persoon", "indicatieActief", 1, "indicatieGeheimhouding",
        pick(&d->r, 40) == 0, "voorkeurstaal", "nld", "bezoekadres", adres(d),
        "partijIdentificatie", "contactnaam", "voorletters", voorletter, "voornaam", vn,
        "voorvoegselAchternaam", vv, "achternaam", an, "partijIdentificatoren",
        "partijIdentificator", "codeObjecttype", "natuurlijk_persoon", "codeSoortObjectId",
        "bsn", "objectId", bsn, "codeRegister", "brp");
    char *uuid = d->personen[d->npersonen];
    omk_rc rc = create(db, d, &omk__ki_partij, body, uuid);
    if (rc)
        return rc;
    d->npersonen++;
    /* Digital addresses: most residents have a phone number, many an e-mail address. */
    char tel[16], mail[96];
    snprintf(tel, sizeof tel, "06%08u", pick(&d->r, 100000000));
    if (pick(&d->r, 10) < 8 &&
        (rc = create(db, d, &omk__ki_digitaal_adres,
                     json_pack("{s:{s:s}, s:s, s:s, s:b, s:s}", "verstrektDoorPartij", "uuid",
                               uuid, "adres", tel, "soortDigitaalAdres", "telefoonnummer",
                               "isStandaardAdres", 1, "omschrijving", "mobiel"),
                     NULL)))
        return rc;
    char lower[64];
    snprintf(lower, sizeof lower, "%s.%s", vn, an);
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
        else if ((unsigned char)*p >= 0x80 || *p == ' ')
            *p = 'e';
    snprintf(mail, sizeof mail, "%s%u@voorbeeldmail.nl", lower, pick(&d->r, 100));
    if (pick(&d->r, 10) < 6 &&
        (rc = create(db, d, &omk__ki_digitaal_adres,
                     json_pack("{s:{s:s}, s:s, s:s, s:b, s:s}", "verstrektDoorPartij", "uuid",
                               uuid, "adres", mail, "soortDigitaalAdres", "email",
                               "isStandaardAdres", 1, "omschrijving", "privé"),
                     NULL)))
        return rc;
    /* Two in three residents chose a preferred channel in Mijn Voorbeeldstad; taken from the
     * BSN rather than the generator, so the rest of the demo stays as it was. */
    static const char *const VOORKEUR[] = {"e-mail", "telefoon", "post", "whatsapp", "balie",
                                           "website"};
    unsigned last = (unsigned)(bsn[8] - '0') + 10u * (unsigned)(bsn[7] - '0');
    if (last % 3 != 0)
        return omk__kan_demo_voorkeur(db, d->a, bsn, VOORKEUR[last % OMK_COUNT(VOORKEUR)]);
    return OMK_OK;
}

static omk_rc make_organisatie(omk_db *db, demo *d, int i)
{
    char naam[120], kvk[16], vestiging[24];
    snprintf(naam, sizeof naam, "%s %s", BEDRIJVEN[pick(&d->r, OMK_COUNT(BEDRIJVEN))],
             ACHTERNAMEN[pick(&d->r, OMK_COUNT(ACHTERNAMEN))]);
    snprintf(kvk, sizeof kvk, "9%07d", 1000000 + i * 7919 % 8999999);
    snprintf(vestiging, sizeof vestiging, "0000%08d", 10000000 + i * 104729 % 89999999);
    char kvk_uuid[37], *uuid = d->organisaties[d->norganisaties];
    omk_rc rc = create(db, d, &omk__ki_partij,
                       json_pack("{s:s, s:b, s:b, s:s, s:o, s:{s:s}}", "soortPartij",
                                 "organisatie", "indicatieActief", 1, "indicatieGeheimhouding", 0,
                                 "voorkeurstaal", "nld", "bezoekadres", adres(d),
                                 "partijIdentificatie", "naam", naam),
                       uuid);
    if (rc)
        return rc;
    d->norganisaties++;
    rc = create(db, d, &omk__ki_partij_identificator,
                json_pack("{s:{s:s}, s:{s:s, s:s, s:s, s:s}}", "identificeerdePartij", "uuid",
                          uuid, "partijIdentificator", "codeObjecttype",
                          "niet_natuurlijk_persoon", "codeSoortObjectId", "kvk_nummer",
                          "objectId", kvk, "codeRegister", "hr"),
                kvk_uuid);
    if (!rc)
        rc = create(db, d, &omk__ki_partij_identificator,
                    json_pack("{s:{s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:s}}",
                              "identificeerdePartij", "uuid", uuid, "partijIdentificator",
                              "codeObjecttype", "vestiging", "codeSoortObjectId",
                              "vestigingsnummer", "objectId", vestiging, "codeRegister", "hr",
                              "subIdentificatorVan", "uuid", kvk_uuid),
                    NULL);
    char mail[96];
    snprintf(mail, sizeof mail, "info@bedrijf%d.voorbeeld.nl", i);
    if (!rc)
        rc = create(db, d, &omk__ki_digitaal_adres,
                    json_pack("{s:{s:s}, s:s, s:s, s:b, s:s}", "verstrektDoorPartij", "uuid",
                              uuid, "adres", mail, "soortDigitaalAdres", "email",
                              "isStandaardAdres", 1, "omschrijving", "algemeen"),
                    NULL);
    return rc;
}

static omk_rc make_actoren(omk_db *db, demo *d)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < OMK_COUNT(AFDELINGEN) && !rc; i++) {
        char mail[96];
        snprintf(mail, sizeof mail, "team%zu@voorbeeldstad.nl", i + 1);
        rc = create(db, d, &omk__ki_actor,
                    json_pack("{s:s, s:s, s:b, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}}", "naam",
                              AFDELINGEN[i], "soortActor", "organisatorische_eenheid",
                              "indicatieActief", 1, "actoridentificator", "objectId", AFDELINGEN[i],
                              "codeObjecttype", "afd", "codeRegister", "handmatig",
                              "codeSoortObjectId", "naam", "actorIdentificatie", "omschrijving",
                              AFDELINGEN[i], "emailadres", mail),
                    d->afdelingen[i]);
    }
    for (size_t i = 0; i < OMK_COUNT(MEDEWERKERS) && !rc; i++) {
        char mail[96];
        snprintf(mail, sizeof mail, "medewerker%zu@voorbeeldstad.nl", i + 1);
        rc = create(db, d, &omk__ki_actor,
                    json_pack("{s:s, s:s, s:b, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}}", "naam",
                              MEDEWERKERS[i], "soortActor", "medewerker", "indicatieActief", 1,
                              "actoridentificator", "objectId", mail, "codeObjecttype", "mdw",
                              "codeRegister", "msei", "codeSoortObjectId", "email",
                              "actorIdentificatie", "functie", "KCC-medewerker", "emailadres",
                              mail, "telefoonnummer", "0201234567"),
                    d->medewerkers[i]);
    }
    return rc;
}

/* Who handled the contact, the zaak it was about, and the contactverzoek it led to. */
static omk_rc follow_up(omk_db *db, demo *d, const char *kc, size_t onderwerp, bool gelukt,
                        int64_t when)
{
    omk_rc rc = create(db, d, &omk__ki_actor_klantcontact,
                       json_pack("{s:{s:s}, s:{s:s}}", "actor", "uuid",
                                 d->medewerkers[pick(&d->r, OMK_COUNT(MEDEWERKERS))], "klantcontact",
                                 "uuid", kc),
                       NULL);
    if (!rc && pick(&d->r, 5) == 0) {
        char zaak[37];
        omk_uuid4(zaak);
        rc = create(db, d, &omk__ki_onderwerpobject,
                    json_pack("{s:{s:s}, s:{s:s, s:s, s:s, s:s}}", "klantcontact", "uuid", kc,
                              "onderwerpobjectidentificator", "objectId", zaak, "codeObjecttype",
                              "zgw-Zaak", "codeRegister", "openzaak", "codeSoortObjectId", "uuid"),
                    NULL);
        d->nzaken++;
    }
    if (rc || gelukt)
        return rc;
    /* A contactverzoek: older ones are done, recent ones still open. */
    bool oud = d->now_us - when > 14LL * 86400 * 1000000;
    rc = create(db, d, &omk__ki_interne_taak,
                json_pack("{s:s, s:{s:s}, s:[{s:s}], s:s, s:s}", "gevraagdeHandeling",
                          "Contact opnemen met betrokkene", "aanleidinggevendKlantcontact", "uuid",
                          kc, "toegewezenAanActoren", "uuid",
                          d->afdelingen[AFDELING_VAN[onderwerp]], "toelichting",
                          "Inwoner wil graag teruggebeld worden.", "status",
                          oud ? "verwerkt" : "te_verwerken"),
                NULL);
    d->ntaken++;
    return rc;
}

static const char *pick_kanaal(demo *d)
{
    int total = 0;
    for (size_t i = 0; i < OMK_COUNT(KANALEN); i++)
        total += KANALEN[i].weight;
    int x = (int)pick(&d->r, (unsigned)total);
    for (size_t i = 0; i < OMK_COUNT(KANALEN); i++) {
        if (x < KANALEN[i].weight)
            return KANALEN[i].kanaal;
        x -= KANALEN[i].weight;
    }
    return "telefoon";
}

/* A moment in the last year, on a weekday during office hours (8:30–17:00) mostly. */
static int64_t contact_time(demo *d)
{
    int64_t day_us = 86400LL * 1000000;
    int64_t day0 = d->now_us / day_us - 1 - (int64_t)pick(&d->r, 365);
    int64_t weekday = (day0 + 3) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
    if (weekday >= 5 && pick(&d->r, 4) != 0)
        day0 -= weekday - 4;
    int64_t minute = 7 * 60 + 30 + pick(&d->r, 510); /* UTC; 8:30–17:00 local in winter */
    return day0 * day_us + minute * 60 * 1000000LL + (int64_t)pick(&d->r, 60) * 1000000;
}

static omk_rc make_klantcontact(omk_db *db, demo *d)
{
    size_t o = pick(&d->r, OMK_COUNT(ONDERWERPEN));
    const char *kanaal = pick_kanaal(d);
    char ts[32];
    int64_t when = contact_time(d);
    omk_time_format(when, ts);
    bool gelukt = pick(&d->r, 10) < 8;
    bool vertrouwelijk = pick(&d->r, 20) == 0;
    char kc[37];
    omk_rc rc = create(
        db, d, &omk__ki_klantcontact,
        json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:b, s:s}", "kanaal", kanaal, "onderwerp",
                  ONDERWERPEN[o].onderwerp, "inhoud", ONDERWERPEN[o].vraag, "reactie",
                  ONDERWERPEN[o].antwoord, "indicatieContactGelukt", gelukt,
                  "verdereActieOndernomen", !gelukt, "taal", "nld", "vertrouwelijk",
                  vertrouwelijk, "plaatsgevondenOp", ts),
        kc);
    if (rc)
        return rc;
    d->nkc++;
    if ((rc = follow_up(db, d, kc, o, gelukt, when)))
        return rc;
    /* One in twelve contacts stays anonymous (a question at the balie without identifying). */
    if (pick(&d->r, 12) == 0)
        return OMK_OK;
    bool org = d->norganisaties && pick(&d->r, 7) == 0;
    const char *partij = org ? d->organisaties[pick(&d->r, (unsigned)d->norganisaties)]
                             : d->personen[pick(&d->r, (unsigned)d->npersonen)];
    return create(db, d, &omk__ki_betrokkene,
                  json_pack("{s:{s:s}, s:{s:s}, s:s, s:b}", "wasPartij", "uuid", partij,
                            "hadKlantcontact", "uuid", kc, "rol", "klant", "initiator", 1),
                  NULL);
}

typedef struct batch {
    demo *d;
    int kind, from, to;
} batch;

static omk_rc run_batch(omk_db *db, void *arg)
{
    batch *b = arg;
    omk_rc rc = OMK_OK;
    for (int i = b->from; i < b->to && !rc; i++) {
        omk_arena *a = omk_arena_new(16 << 20);
        if (!a)
            return OMK_NOMEM;
        b->d->a = a;
        rc = b->kind == 0   ? make_actoren(db, b->d)
             : b->kind == 1 ? make_persoon(db, b->d)
             : b->kind == 2 ? make_organisatie(db, b->d, i)
                            : make_klantcontact(db, b->d);
        omk_arena_free(a);
        b->d->a = NULL;
    }
    return rc;
}

static omk_rc load_articles(omk_db *db, void *arg)
{
    return omk__kb_demo_load(db, *(unsigned *)arg);
}

static omk_rc any_contact(omk_db *db, void *arg)
{
    return omk_db_exists(db, &omk__ki_klantcontact, NULL, 0, NULL, arg);
}

omk_rc omk_api_demo_load(omk_store *s, unsigned seed, bool register_only)
{
    bool present = false;
    omk_rc rc = omk_store_read(s, any_contact, &present);
    if (rc)
        return rc;
    if (present) {
        omk_log_info("demo", "the register already holds klantcontacten; demo data not loaded again");
        return OMK_OK;
    }
    static char personen[PERSONEN][37], organisaties[ORGANISATIES][37];
    demo d = {.r = {.s = 0x9e3779b97f4a7c15ULL ^ seed}, .personen = personen,
              .organisaties = organisaties, .now_us = omk_now_ms() * 1000,
              .bsn_counter = 1000 + seed % 50000};
    static const int totals[] = {1, PERSONEN, ORGANISATIES, KLANTCONTACTEN};
    for (int kind = 0; kind < 4 && !rc; kind++)
        for (int from = 0; from < totals[kind] && !rc; from += BATCH) {
            batch b = {&d, kind, from, from + BATCH < totals[kind] ? from + BATCH : totals[kind]};
            rc = omk_store_write(s, run_batch, &b);
        }
    if (!rc && register_only) {
        omk_log_info("demo", "loaded the register only: %d personen, %d organisaties, %d klantcontacten",
                     d.npersonen, d.norganisaties, d.nkc);
        return OMK_OK;
    }
    if (!rc)
        rc = omk_store_write(s, load_articles, &seed);
    int kanalen[3] = {0};
    if (!rc)
        rc = omk__kan_demo_load(s, seed, kanalen);
    if (!rc)
        rc = omk__st_demo_load(s, seed);
    if (!rc)
        omk_log_info("demo", "loaded %d contactverzoeken, %d gesprekken, %d balie-aanmeldingen",
                     kanalen[0], kanalen[1], kanalen[2]);
    if (!rc)
        omk_log_info("demo",
                     "loaded kennisbank articles, %zu afdelingen, %zu medewerkers, %d personen, %d organisaties, "
                     "%d klantcontacten, %d over zaken, %d contactverzoeken",
                     OMK_COUNT(AFDELINGEN), OMK_COUNT(MEDEWERKERS), d.npersonen, d.norganisaties, d.nkc, d.nzaken,
                     d.ntaken);
    return rc;
}
