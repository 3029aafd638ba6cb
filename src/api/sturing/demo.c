/* Demo data for steering (part of `omnikanaal demo`, docs/internals/sturing.md): example
 * tariffs (fictional amounts, labelled as such), web transactions reported over the past year
 * for the products residents can arrange online, a cascade of SMART goals with a PDCA log
 * and a desired channel mix per klantgroep, so a newcomer's dashboard is not empty. Written through the API's own parse/validate
 * path. Deterministic for a seed. */
#include <stdio.h>
#include <string.h>

#include "omk/calendar.h"
#include "omk/log.h"
#include "omk/util.h"
#include "sturing/sturing.h"

/* Fictional example amounts in cents per contact, ordered from expensive to cheap as the
 * handreiking's chart of savings relative to the balie (5.1.3) orders the channels; NOT cost
 * prices: a municipality enters its own. */
static const struct {
    const char *kanaal;
    int cent;
} TARIEVEN[] = {
    {"balie", 1250}, {"post", 900},  {"telefoon", 600},     {"e-mail", 450},
    {"chat", 350},   {"whatsapp", 300}, {"social media", 300}, {"website", 40},
};
#define TARIEF_BRON "Voorbeeldbedrag voor de demo (fictief, geen kostprijs): vul de eigen kostprijs in."

/* Products residents can arrange online; names as the demo's onderwerpen, so the self-service
 * share per onderwerp matches them. Per product the mean transactions a working day. */
static const struct {
    const char *product;
    int per_dag;
} PRODUCTEN[] = {
    {"Verhuizing doorgeven", 3}, {"Grofvuil ophalen", 4},  {"Parkeervergunning", 1},
    {"Afvalpas kwijt", 1},       {"Rijbewijs verlengen", 2}, {"Gemeentelijke belastingen", 2},
};

typedef struct st_demo {
    unsigned long long r;
    omk_arena *a;
    int64_t vandaag; /* local day */
    int nweb, ndoelen;
} st_demo;

static unsigned pick(st_demo *d, unsigned n)
{
    d->r = d->r * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((d->r >> 33) % n);
}

static omk_rc schrijf(omk_db *db, st_demo *d, const omk_resource *r, json_t *body,
                      const char *oud, char *uuid_uit)
{
    omk_api_ctx ctx = {.a = d->a, .base_url = "http://localhost:8080",
                       .principal = "manager (demo)"};
    omk_write_mode mode = oud ? OMK_PATCH : OMK_CREATE;
    omk_row *row = NULL;
    omk_rc rc = omk_res_parse(&ctx, r, body, mode, &row);
    if (!rc)
        rc = omk_res_write(db, &ctx, r, row, oud, body, mode, NULL);
    if (rc == OMK_INVALID && ctx.errs)
        omk_log_error("demo", "%s rejected: %s %s", r->name, ctx.errs->name, ctx.errs->reason);
    if (!rc && uuid_uit)
        memcpy(uuid_uit, row->uuid, 37);
    json_decref(body);
    return rc;
}

static omk_rc tarieven(omk_db *db, st_demo *d)
{
    omk_query q = {0};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__st_tarief, &q, d->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++)
        for (size_t t = 0; t < OMK_COUNT(TARIEVEN); t++)
            if (strcmp(rows.rows[i].v[ST_TARIEF_KANAAL].s, TARIEVEN[t].kanaal) == 0 &&
                rows.rows[i].v[ST_TARIEF_BEDRAG].t != OMK_V_INT) /* never over a real one */
                rc = schrijf(db, d, &omk__st_tarief,
                             json_pack("{s:i, s:s}", "bedragInCenten", TARIEVEN[t].cent, "bron",
                                       TARIEF_BRON),
                             rows.rows[i].uuid, NULL);
    return rc;
}

/* A year of daily counts per product, growing towards today (the channel shift the goals
 * aim at), fewer at weekends. */
static omk_rc webtransacties(omk_db *db, st_demo *d)
{
    omk_rc rc = OMK_OK;
    for (int64_t dag = d->vandaag - 364; !rc && dag < d->vandaag; dag++) {
        char s[11];
        omk_cal_format(dag, s);
        bool weekend = !omk_cal_is_workday(dag);
        int groei = (int)(365 - (d->vandaag - dag)); /* 1 … 364 */
        for (size_t p = 0; !rc && p < OMK_COUNT(PRODUCTEN); p++) {
            int gem = PRODUCTEN[p].per_dag * (100 + groei / 4) / 100;
            int n = (int)pick(d, (unsigned)(2 * gem + 1)) / (weekend ? 2 : 1);
            if (!n)
                continue;
            rc = schrijf(db, d, &omk__st_webtransactie,
                         json_pack("{s:s, s:s, s:i, s:s}", "dag", s, "product",
                                   PRODUCTEN[p].product, "aantal", n, "bron", "e-loket (demo)"),
                         NULL, NULL);
            d->nweb++;
        }
    }
    return rc;
}

static omk_rc doel(omk_db *db, st_demo *d, const char *titel, const char *eigenaar,
                   const char *kpi, const char *kanaal, const char *onderwerp,
                   const char *niveau, const char *hoofddoel, int nul, int streef,
                   const char *toelichting, char uuid[37])
{
    char start[11], deadline[11];
    omk_cal_format(d->vandaag - 120, start);
    omk_cal_format(d->vandaag + 245, deadline);
    json_t *b = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:i, s:i, s:s, s:s, s:s}", "titel",
                          titel, "eigenaar", eigenaar, "kpi", kpi, "filter", "kanaal", kanaal,
                          "onderwerp", onderwerp, "niveau", niveau, "nulmeting", nul,
                          "streefwaarde", streef, "startdatum", start, "deadline", deadline,
                          "toelichting", toelichting);
    if (hoofddoel)
        json_object_set_new(b, "hoofddoel", json_pack("{s:s}", "uuid", hoofddoel));
    d->ndoelen++;
    return schrijf(db, d, &omk__st_doel, b, NULL, uuid);
}

static omk_rc pdca(omk_db *db, st_demo *d, const char *doel_uuid, const char *fase,
                   const char *tekst)
{
    return schrijf(db, d, &omk__st_pdca,
                   json_pack("{s:{s:s}, s:s, s:s}", "doel", "uuid", doel_uuid, "fase", fase,
                             "tekst", tekst),
                   NULL, NULL);
}

/* Two strategic goals from Tilburg's KPI set (seed 5.8), each cascading down. */
static omk_rc doelen(omk_db *db, st_demo *d)
{
    char s1[37], t1[37], o1[37], s2[37], t2[37];
    omk_rc rc = doel(db, d, "De inwoner wordt in één keer geholpen", "Directeur Publiekszaken",
                     "fcr", "", "", "strategisch", NULL, 70, 80,
                     "Uit de businesscase omnichannel: first contact resolution omhoog.", s1);
    if (!rc)
        rc = doel(db, d, "Minder herhaalcontact", "Teamleider KCC", "herhaalcontact", "", "",
                  "tactisch", s1, 3, 1,
                  "Inwoners bellen vaak terug over de status van hun vraag.", t1);
    if (!rc)
        rc = doel(db, d, "Terugbelverzoeken binnen de servicenorm", "Teamleider KCC",
                  "slaRealisatie", "", "", "operationeel", t1, 10, 80,
                  "Wie op tijd wordt teruggebeld, belt niet opnieuw.", o1);
    if (!rc)
        rc = doel(db, d, "Dienstverlening gemakkelijk af te nemen: 60% selfservice",
                  "Directeur Publiekszaken", "selfservice", "", "", "strategisch", NULL, 45, 60,
                  "Tilburg: stijging selfservice diensten, doel 60%.", s2);
    if (!rc)
        rc = doel(db, d, "Verhuizingen vaker online doorgegeven", "Productmanager Burgerzaken",
                  "selfservice", "", "verhuizing doorgeven", "tactisch", s2, 70, 95,
                  "De verhuismodule op de website is vernieuwd.", t2);
    if (!rc)
        rc = pdca(db, d, s1, "plan", "Nulmeting 70%. Oorzaken van herhaalcontact in kaart "
                  "brengen en per onderwerp een verbeteractie kiezen.");
    if (!rc)
        rc = pdca(db, d, s1, "do", "Kennisbankartikelen over verhuizen en paspoort herschreven; "
                  "KCC-medewerkers getraind op volledig antwoorden.");
    if (!rc)
        rc = pdca(db, d, s1, "check", "Na zes weken: FCR per onderwerp bekeken op het "
                  "dashboard; verhuizingen verbeteren, bijstand nog niet.");
    if (!rc)
        rc = pdca(db, d, s1, "act", "Terugbelverzoeken bijstand voortaan direct bij de "
                  "consulent; over vier weken opnieuw meten.");
    if (!rc)
        rc = pdca(db, d, s2, "plan", "Producten met de meeste telefoontjes die ook online kunnen "
                  "eerst: verhuizing, grofvuil, afvalpas.");
    return rc;
}

/* The desired mix per klantgroep (seed 5.1.4, UWV's example: self-service up, assisted down;
 * organisations keep their personal contact). */
static const struct {
    const char *klantgroep, *kanaal, *koers;
    int aandeel;
} MIXDOELEN[] = {
    {"persoon", "website", "investeren", 35},    {"persoon", "chat", "investeren", 10},
    {"persoon", "telefoon", "reduceren", 25},    {"persoon", "balie", "reduceren", 10},
    {"persoon", "e-mail", "ondersteunen", 10},   {"organisatie", "telefoon", "ondersteunen", 40},
    {"organisatie", "e-mail", "ondersteunen", 25}, {"organisatie", "website", "investeren", 15},
};

static omk_rc mixdoelen(omk_db *db, st_demo *d)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < OMK_COUNT(MIXDOELEN); i++)
        rc = schrijf(db, d, &omk__st_mixdoel,
                     json_pack("{s:s, s:s, s:i, s:s}", "klantgroep", MIXDOELEN[i].klantgroep,
                               "kanaal", MIXDOELEN[i].kanaal, "gewenstAandeel",
                               MIXDOELEN[i].aandeel, "koers", MIXDOELEN[i].koers),
                     NULL, NULL);
    return rc;
}

static omk_rc laad(omk_db *db, void *arg)
{
    st_demo *d = arg;
    omk_rc rc = tarieven(db, d);
    if (!rc)
        rc = webtransacties(db, d);
    if (!rc)
        rc = doelen(db, d);
    if (!rc)
        rc = mixdoelen(db, d);
    return rc;
}

omk_rc omk__st_demo_load(omk_store *s, unsigned seed)
{
    st_demo d = {.r = 0x5bd1e995ULL ^ seed, .vandaag = omk_cal_local_day(omk_now_ms() * 1000)};
    d.a = omk_arena_new(64 << 20);
    if (!d.a)
        return OMK_NOMEM;
    omk_rc rc = omk_store_write(s, laad, &d);
    omk_arena_free(d.a);
    if (!rc)
        omk_log_info("demo", "loaded example tariffs, %d days×products of web transactions, "
                     "%d goals", d.nweb, d.ndoelen);
    return rc;
}
