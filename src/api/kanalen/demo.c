/* Demo data for the channels (part of `omnikanaal demo`): contactverzoeken over the last two
 * weeks (some overdue, some handled) assigned to the demo municipality's afdelingen and
 * medewerkers, e-mail and WhatsApp conversations of demo residents, chats waiting in the queue
 * and today's balie check-ins — created through the same code paths as the API, so the
 * werkplek has something real to show. Deterministic for a seed. */
#include <stdio.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/util.h"



static const char *const AFDELINGEN[] = {"Burgerzaken", "Belastingen", "Sociaal Domein",
                                         "Openbare Ruimte", "Vergunningen"};
static const char *const MEDEWERKERS[] = {"Sanne de Boer", "Mehmet Kaya", "Linda Bakker",
                                          "Rob Verhoeven"};
static const struct {
    const char *kanaal, *onderwerp, *toelichting, *product;
} VRAGEN[] = {
    {"telefoon", "Terugbelverzoek over paspoort", "Wil weten of de pas al klaar is.", "paspoort"},
    {"e-mail", "Vraag over aanslag gemeentelijke belastingen", "Bedrag lijkt te hoog, wil uitleg.", "belastingen"},
    {"telefoon", "Melding stoeptegel los", "Gevaarlijke situatie voor de school.", "openbare ruimte"},
    {"chat", "Hulp bij aanvraag bijstand", "Weet niet welke bewijsstukken nodig zijn.", "bijstand"},
    {"balie", "Uittreksel BRP niet ontvangen", "Aangevraagd aan de balie, nog niet binnen.", "uittreksel"},
    {"whatsapp", "Grofvuil niet opgehaald", "Afspraak was dinsdag, staat er nog.", "afval"},
    {"post", "Bezwaar tegen parkeerboete", "Brief met foto's van de situatie.", "parkeren"},
    {"telefoon", "Vraag over kapvergunning", "Boom in de achtertuin, is vergunning nodig?", "kapvergunning"},
};

typedef struct demo_job {
    unsigned long long r;
    omk_api_ctx *ctx;
    const char *partijen[40];
    const char *emails[40];
    size_t np;
    int nkv, ngesprek, nbalie;
} demo_job;

static unsigned pick(demo_job *j, unsigned n)
{
    j->r = j->r * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((j->r >> 33) % n);
}

/* Demo partijen that have an e-mail address, to address and match. */
static omk_rc load_partijen(omk_db *db, void *arg)
{
    demo_job *j = arg;
    static const omk_filter SOORT = {"_s", "soortDigitaalAdres", OMK_OP_EQ};
    static const omk_filter HAS = {"_p", "verstrektDoorPartij", OMK_OP_NOTNULL};
    omk_filter_arg f[] = {{&SOORT, "email"}, {&HAS, "true"}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = 40};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_digitaal_adres, &q, j->ctx->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        j->partijen[j->np] = omk_row_text(&omk__ki_digitaal_adres, &rows.rows[i], "verstrektDoorPartij");
        j->emails[j->np++] = omk_row_text(&omk__ki_digitaal_adres, &rows.rows[i], "adres");
    }
    return rc;
}

static omk_rc create(omk_db *db, demo_job *j, const omk_resource *r, json_t *body,
                     const char **uuid)
{
    omk_api_ctx sub = {.a = j->ctx->a, .base_url = "", .principal = "demo"};
    omk_row *row = NULL;
    omk_rc rc = omk_res_parse(&sub, r, body, OMK_CREATE, &row);
    if (!rc)
        rc = omk_res_write(db, &sub, r, row, NULL, body, OMK_CREATE, NULL);
    json_decref(body);
    if (!rc && uuid)
        *uuid = omk_arena_strdup(j->ctx->a, row->uuid);
    return rc == OMK_INVALID ? OMK_INTERNAL : rc;
}

static omk_rc load(omk_db *db, void *arg)
{
    demo_job *j = arg;
    int64_t now = omk_now_ms() * 1000;
    omk_rc rc = OMK_OK;
    for (int i = 0; i < 40 && !rc; i++, j->nkv++) {
        unsigned v = pick(j, OMK_COUNT(VRAGEN));
        bool mdw = pick(j, 3) == 0;
        char at[32];
        omk_time_format(now - (int64_t)pick(j, 14 * 24) * 3600 * 1000000, at);
        size_t p = j->np ? pick(j, (unsigned)j->np) : 0;
        json_t *body = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "kanaal", VRAGEN[v].kanaal, "onderwerp",
            VRAGEN[v].onderwerp, "toelichting", VRAGEN[v].toelichting, "product",
            VRAGEN[v].product, "ontvangenOp", at, "toegewezenAan", "soort",
            mdw ? "medewerker" : "afdeling", "naam",
            mdw ? MEDEWERKERS[pick(j, OMK_COUNT(MEDEWERKERS))] : AFDELINGEN[pick(j, OMK_COUNT(AFDELINGEN))]);
        if (body && j->np) {
            json_object_set_new(body, "partij", json_pack("{s:s}", "uuid", j->partijen[p]));
            json_object_set_new(body, "contactgegevens", json_pack("{s:s}", "email", j->emails[p]));
        }
        const char *kv = NULL;
        if ((rc = create(db, j, &omk__kv_contactverzoek, body, &kv)) || pick(j, 3))
            continue;
        /* A third is handled already. */
        omk_row *row = NULL;
        if ((rc = omk_db_get(db, &omk__kv_contactverzoek, kv, j->ctx->a, &row)))
            break;
        omk_row_set_text(j->ctx, &omk__kv_contactverzoek, row, "status", "afgehandeld");
        omk_row_set_text(j->ctx, &omk__kv_contactverzoek, row, "afhandeling.resultaat",
                         "Inwoner teruggebeld en geholpen.");
        omk_row_set_text(j->ctx, &omk__kv_contactverzoek, row, "afhandeling.door", "demo");
        int f = omk_model_field_index(&omk__kv_contactverzoek, "afgehandeldOp");
        row->v[f] = (omk_value){.t = OMK_V_INT, .i = now};
        f = omk_model_field_index(&omk__kv_contactverzoek, "afhandeling.contactGelukt");
        row->v[f] = (omk_value){.t = OMK_V_INT, .i = 1};
        rc = omk_db_update(db, &omk__kv_contactverzoek, row);
        const char *taak = omk_row_text(&omk__kv_contactverzoek, row, "internetaak");
        if (!rc && taak)
            rc = omk__kan_patch(db, j->ctx, &omk__ki_interne_taak, taak,
                                json_pack("{s:s}", "status", "verwerkt"), "internetaak");
    }
    /* The werkvoorraad's routing (written channels to their teams) and an approved WhatsApp
     * template, before the conversations so those are routed. */
    static const char *const REGELS[][3] = {{"WhatsApp naar Webcare", "whatsapp", "Webcare"},
                                            {"E-mail naar het KCC", "e-mail", "KCC"},
                                            {"Chat naar het KCC", "chat", "KCC"}};
    for (size_t i = 0; i < OMK_COUNT(REGELS) && !rc; i++)
        rc = create(db, j, &omk__wv_regel,
                    json_pack("{s:s, s:s, s:s, s:i}", "naam", REGELS[i][0], "kanaal",
                              REGELS[i][1], "team", REGELS[i][2], "volgorde", 50), NULL);
    if (!rc)
        rc = create(db, j, &omk__wa_sjabloon,
                    json_pack("{s:s, s:s, s:b}", "naam", "antwoord_klaar", "tekst",
                              "Beste {{1}}, er is een antwoord op uw vraag aan de gemeente. "
                              "Reageer op dit bericht om het te lezen.", "goedgekeurd", 1),
                    NULL);
    /* Conversations: e-mails and WhatsApp messages of residents, chats in the queue. */
    static const char *const TEKST[] = {
        "Goedemiddag, ik heb mijn afvalpas verloren. Hoe kom ik aan een nieuwe?",
        "Wanneer wordt het grofvuil in mijn straat opgehaald?",
        "Ik wil graag een afspraak maken voor een nieuw paspoort.",
        "Mijn buren maken 's nachts veel lawaai, wat kan ik doen?"};
    for (int i = 0; i < 12 && !rc; i++, j->ngesprek++) {
        size_t p = j->np ? pick(j, (unsigned)j->np) : 0;
        const char *kanaal = i < 5 ? "e-mail" : i < 9 ? "whatsapp" : "chat";
        char num[24];
        snprintf(num, sizeof num, "+316%08u", pick(j, 100000000));
        bool mail = strcmp(kanaal, "whatsapp") != 0;
        omk_kan_inbound in = {
            .kanaal = kanaal, .sleutel = mail ? NULL : num,
            .adres_soort = mail ? "email" : "telefoonnummer",
            .adres = mail ? (j->np ? j->emails[p] : "inwoner@example.org") : num,
            .naam = "Demo-inwoner", .onderwerp = "Vraag van een inwoner",
            .tekst = TEKST[pick(j, OMK_COUNT(TEKST))],
            .tijdstip_us = now - (int64_t)pick(j, 48) * 3600 * 1000000,
            .register_contact = strcmp(kanaal, "chat") != 0};
        omk_kan_inbound_result res;
        rc = omk__kan_inbound(db, j->ctx, &in, &res);
    }
    static const char *const REDENEN[] = {"Paspoort ophalen", "Rijbewijs aanvragen",
                                          "Verhuizing doorgeven", "Uittreksel BRP"};
    for (int i = 0; i < 6 && !rc; i++, j->nbalie++)
        rc = create(db, j, &omk__kan_balie,
                    json_pack("{s:s, s:s}", "reden", REDENEN[pick(j, OMK_COUNT(REDENEN))], "wachtrij",
                              i % 2 ? "Burgerzaken" : "Algemeen"),
                    NULL);
    return rc;
}

omk_rc omk__kan_demo_load(omk_store *s, unsigned seed, int *counts)
{
    omk_arena *a = omk_arena_new(64u << 20);
    if (!a)
        return OMK_NOMEM;
    omk_api_ctx ctx = {.a = a, .base_url = "", .principal = "demo"};
    demo_job j = {.r = 0x2545f4914f6cdd1dULL ^ seed, .ctx = &ctx};
    omk_rc rc = omk_store_read(s, load_partijen, &j);
    if (!rc)
        rc = omk_store_write(s, load, &j);
    counts[0] = j.nkv;
    counts[1] = j.ngesprek;
    counts[2] = j.nbalie;
    omk_arena_free(a);
    return rc;
}
