/* Demo content for the kennisbank: municipal articles written for this project, in B1 Dutch,
 * loaded through the same validation as the API (see omk_api_demo_load). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kennisbank/kennisbank.h"
#include "omk/log.h"
#include "omk/util.h"


typedef struct demo_article {
    const char *titel, *product, *laag, *doelgroep, *afdeling;
    const char *vragen[3];
    const char *synoniemen[3];
    const char *kort, *antwoord;
} demo_article;

static const demo_article ARTICLES[] = {
    {"Verhuizing doorgeven", "Verhuizing", "gemeentelijk", "inwoner", "Burgerzaken",
     {"Hoe geef ik mijn verhuizing door?", "Wanneer moet ik mijn verhuizing doorgeven?"},
     {"adreswijziging", "nieuw adres", "inschrijven"},
     "U geeft uw verhuizing online door met DigiD. Dat kan vanaf 4 weken voor tot 5 dagen na de verhuizing.",
     "## Verhuizing doorgeven\n\nGaat u verhuizen? Geef uw nieuwe adres door aan de gemeente. "
     "Dat kan vanaf 4 weken voor de verhuisdatum. Doe het uiterlijk 5 dagen erna.\n\n"
     "- Log in met DigiD.\n- Vul uw nieuwe adres en de datum in.\n- U krijgt binnen 5 werkdagen bericht.\n\n"
     "Verhuist u naar het buitenland? Kom dan langs aan de balie."},
    {"Paspoort aanvragen", "Paspoort", "generiek", "inwoner", "Burgerzaken",
     {"Hoe vraag ik een paspoort aan?", "Hoe lang duurt het voor mijn paspoort klaar is?"},
     {"reisdocument", "pas"},
     "U vraagt een paspoort aan op het gemeentehuis. Maak eerst een afspraak. Het paspoort is na 5 werkdagen klaar.",
     "## Paspoort aanvragen\n\nU vraagt een paspoort aan bij de balie van het gemeentehuis. "
     "Maak eerst een afspraak.\n\nNeem mee:\n\n- een goedgekeurde pasfoto;\n- uw oude paspoort of ID-kaart.\n\n"
     "Het paspoort is na 5 werkdagen klaar. Een paspoort voor volwassenen is 10 jaar geldig."},
    {"Rijbewijs verlengen", "Rijbewijs", "generiek", "inwoner", "Burgerzaken",
     {"Mijn rijbewijs verloopt, wat moet ik doen?"}, {"rijbewijs vernieuwen"},
     "U verlengt uw rijbewijs online met DigiD. Daarna haalt u het op aan de balie.",
     "## Rijbewijs verlengen\n\nVerloopt uw rijbewijs? Vraag online een nieuw rijbewijs aan met DigiD. "
     "U heeft een goedgekeurde pasfoto nodig. Na 5 werkdagen haalt u het rijbewijs op."},
    {"Grofvuil laten ophalen", "Afval", "gemeentelijk", "inwoner", "Openbare Ruimte",
     {"Hoe laat ik grofvuil ophalen?", "Wat kost het ophalen van grofvuil?"}, {"grof huisvuil", "bank weggooien"},
     "Maak online een afspraak. Wij halen 2 keer per jaar gratis grofvuil op.",
     "## Grofvuil laten ophalen\n\nU kunt grofvuil laten ophalen. Maak online een afspraak. "
     "Zet het grofvuil de avond ervoor aan de straat. Twee keer per jaar is het gratis."},
    {"Kapotte afvalcontainer", "Afval", "gemeentelijk", "inwoner", "Openbare Ruimte",
     {"Mijn container is kapot, wat nu?"}, {"kliko", "minicontainer"},
     "Meld een kapotte container online. U krijgt binnen 10 werkdagen een nieuwe.",
     "## Kapotte afvalcontainer\n\nIs uw container kapot of gestolen? Meld het online. "
     "Wij brengen binnen 10 werkdagen een nieuwe container."},
    {"Parkeervergunning voor bewoners", "Parkeervergunning", "gemeentelijk", "inwoner", "Vergunningen",
     {"Hoe krijg ik een parkeervergunning?"}, {"bewonersvergunning", "parkeren"},
     "Woont u in een betaald-parkeergebied? Vraag online een bewonersvergunning aan.",
     "## Parkeervergunning voor bewoners\n\nWoont u in een gebied waar u betaalt voor parkeren? "
     "Dan kunt u een parkeervergunning aanvragen. U heeft het kenteken van uw auto nodig."},
    {"Bijstandsuitkering aanvragen", "Bijstand", "generiek", "inwoner", "Sociaal Domein",
     {"Ik heb geen inkomen, kan ik bijstand krijgen?"}, {"uitkering", "geen inkomen"},
     "Heeft u te weinig geld om van te leven? Vraag dan bijstand aan. Meld u eerst bij het UWV.",
     "## Bijstand aanvragen\n\nHeeft u geen of te weinig inkomen? Misschien krijgt u bijstand. "
     "Meld u eerst bij het UWV. Daarna vraagt u bijstand aan bij de gemeente. "
     "Een consulent belt u binnen 1 week."},
    {"Hulp bij het huishouden (Wmo)", "Wmo", "gemeentelijk", "inwoner", "Sociaal Domein",
     {"Hoe krijg ik hulp in het huishouden?"}, {"huishoudelijke hulp", "wmo", "thuishulp"},
     "Lukt het huishouden niet meer? Meld het bij het Wmo-loket. Wij bespreken samen wat u nodig heeft.",
     "## Hulp bij het huishouden\n\nLukt het huishouden niet meer door ziekte of ouderdom? "
     "Meld het bij het Wmo-loket. Een consulent komt bij u thuis voor een gesprek."},
    {"Gehandicaptenparkeerkaart", "Gehandicaptenparkeerkaart", "generiek", "inwoner", "Sociaal Domein",
     {"Hoe vraag ik een gehandicaptenparkeerkaart aan?"}, {"GPK", "invalidenparkeerkaart"},
     "Kunt u niet ver lopen? Vraag een gehandicaptenparkeerkaart aan. Een arts beoordeelt uw aanvraag.",
     "## Gehandicaptenparkeerkaart\n\nKunt u door een handicap niet ver lopen? Dan kunt u een "
     "parkeerkaart aanvragen. Een onafhankelijke arts beoordeelt uw aanvraag."},
    {"Kwijtschelding gemeentelijke belastingen", "Belastingen", "gemeentelijk", "inwoner", "Belastingen",
     {"Ik kan mijn belasting niet betalen", "Kan ik kwijtschelding krijgen?"}, {"aanslag", "OZB"},
     "Heeft u een laag inkomen? Vraag kwijtschelding aan binnen 3 maanden na de aanslag.",
     "## Kwijtschelding\n\nHeeft u een laag inkomen en weinig spaargeld? Dan hoeft u de "
     "gemeentelijke belastingen misschien niet te betalen. Vraag kwijtschelding aan binnen 3 maanden."},
    {"Evenementenvergunning", "Evenementenvergunning", "gemeentelijk", "ondernemer", "Vergunningen",
     {"Heb ik een vergunning nodig voor een buurtfeest?"}, {"feest", "evenement"},
     "Organiseert u een evenement? Vraag 8 weken van tevoren een vergunning aan.",
     "## Evenementenvergunning\n\nOrganiseert u een feest of markt op straat? Vraag minstens 8 weken "
     "van tevoren een vergunning aan. Voor een klein buurtfeest is een melding vaak genoeg."},
    {"Status van uw aanvraag", "Klantcontact", "persoonlijk", "inwoner", "Klantcontactcentrum",
     {"Hoe staat het met mijn aanvraag?"}, {"aanvraag volgen"},
     "Wij zoeken de status van uw aanvraag voor u op.",
     "## Status van uw aanvraag\n\nUw aanvraag {{zaak.omschrijving}} heeft nu de status "
     "{{zaak.status}}. U hoort uiterlijk {{zaak.einddatum}} van ons."},
};

static json_t *strings(const char *const *list, size_t max)
{
    json_t *a = json_array();
    for (size_t i = 0; i < max && list[i]; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

omk_rc omk__kb_demo_load(omk_db *db, unsigned seed)
{
    omk_rc rc = OMK_OK;
    char review[11];
    char ts[32];
    omk_time_format((omk_now_ms() - 86400000LL * 30) * 1000, ts);
    memcpy(review, ts, 10);
    review[10] = 0;
    for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0] && !rc; i++) {
        const demo_article *d = &ARTICLES[i];
        json_t *body = json_pack(
            "{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "titel", d->titel,
            "vragen", strings(d->vragen, 3), "kortAntwoord", d->kort, "antwoord", d->antwoord,
            "laag", d->laag, "status", "gepubliceerd", "doelgroep", d->doelgroep, "product",
            d->product, "synoniemen", strings(d->synoniemen, 3), "afdeling", d->afdeling,
            "geldigVan", "2026-01-01");
        /* Some articles are due for review, so the review queue has work. */
        if ((i + seed) % 4 == 0)
            json_object_set_new(body, "reviewdatum", json_string(review));
        omk_arena *a = omk_arena_new(16 << 20);
        omk_api_ctx ctx = {.a = a, .base_url = "http://localhost:8080", .principal = "demo"};
        omk_row *row = NULL;
        rc = omk_res_parse(&ctx, &omk__kb_artikel, body, OMK_CREATE, &row);
        if (!rc)
            rc = omk_res_write(db, &ctx, &omk__kb_artikel, row, NULL, body, OMK_CREATE, NULL);
        if (rc == OMK_INVALID && ctx.errs)
            omk_log_error("demo", "article '%s' rejected: %s %s", d->titel, ctx.errs->name,
                          ctx.errs->reason);
        json_decref(body);
        omk_arena_free(a);
    }
    return rc;
}
