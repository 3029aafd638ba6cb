/* The KPIs (GET /sturing/api/v1/kpis, …/kpis/_definities): one declared table of KPIs, each a
 * ratio of two rollup measures (or a count, or the cost from the tariff table), summed over the
 * buckets of the asked period and grouped by the asked dimensions. Reads only the rollups
 * (omk/store_sturing.h), after taking queued changes in. Answers JSON or CSV. Any worker
 * thread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/calendar.h"
#include "omk/util.h"
#include "engine/doelbinding.h"
#include "engine/logboek.h"
#include "engine/toegang.h"
#include "sturing/sturing.h"

/* A KPI: waarde = teller / (noemer − aftrek [+ web transactions]) × schaal; noemer < 0:
 * waarde = teller × schaal (a count). kosten: the cost per contact from the tariff table;
 * plus_web: the web transactions are added to the denominator (self-service share). */
typedef struct st_kpi {
    const char *naam, *titel, *eenheid, *definitie, *formule;
    int teller, noemer, aftrek;
    double schaal;
    bool kosten, plus_web;
} st_kpi;

#define GEEN (-1)

static const st_kpi KPIS[] = {
    {"contacten", "Klantcontacten", "aantal",
     "Het aantal klantcontacten in het register, via alle kanalen, naar de dag (Nederlandse "
     "tijd) waarop het contact plaatsvond.",
     "aantal klantcontacten", OMK_M_CONTACTEN, GEEN, GEEN, 1, false, false},
    {"fcr", "First contact resolution", "procent",
     "Het deel van de klantcontacten dat in één keer is afgehandeld: het contact is gelukt, er "
     "is geen contactverzoek of interne taak uit voortgekomen, en dezelfde partij nam binnen "
     "het venster (standaard 7 dagen) niet opnieuw contact op over hetzelfde onderwerp. Bij een "
     "onbekende partij telt alleen het contactverzoek.",
     "opgelost / klantcontacten × 100", OMK_M_OPGELOST, OMK_M_CONTACTEN, GEEN, 100, false, false},
    {"herhaalcontact", "Herhaalcontact", "procent",
     "Het deel van de klantcontacten waarbij dezelfde partij binnen het venster (standaard 7 "
     "dagen) ervoor al contact had over hetzelfde onderwerp. Contacten zonder bekende partij "
     "tellen nooit als herhaling.",
     "herhaalcontacten / klantcontacten × 100", OMK_M_HERHAAL, OMK_M_CONTACTEN, GEEN, 100,
     false, false},
    {"doorverwijzing", "Doorverwijzingen", "procent",
     "Het deel van de klantcontacten dat is doorgezet naar een andere afdeling of groep: een "
     "contactverzoek of interne taak toegewezen aan een organisatieonderdeel dat niet het "
     "eigen onderdeel van het contact is. Terugbelverzoeken aan een medewerker tellen niet.",
     "doorverwezen / klantcontacten × 100", OMK_M_DOORVERWEZEN, OMK_M_CONTACTEN, GEEN, 100,
     false, false},
    {"bereikbaarheid", "Bereikbaarheid telefoon en chat", "procent",
     "Het deel van de aangeboden telefoongesprekken en chats dat is aangenomen. Een gesprek "
     "telt zodra het is aangenomen of beëindigd; een gesprek dat nog in de wachtrij staat nog "
     "niet.",
     "beantwoord / aangeboden × 100", OMK_M_BEANTWOORD, OMK_M_AANGEBODEN, GEEN, 100, false, false},
    {"verlaten", "Verlaten gesprekken", "procent",
     "Het deel van de aangeboden telefoongesprekken en chats dat de inwoner beëindigde voordat "
     "iemand opnam.",
     "verlaten / aangeboden × 100", OMK_M_VERLATEN, OMK_M_AANGEBODEN, GEEN, 100, false, false},
    {"wachttijd", "Gemiddelde wachttijd", "seconden",
     "De gemiddelde tijd tussen aanbieden en aannemen van de beantwoorde telefoongesprekken en "
     "chats (bij chat: het eerste antwoord van de medewerker).",
     "som wachttijd / beantwoord", OMK_M_WACHTTIJD_MS, OMK_M_BEANTWOORD, GEEN, 0.001, false, false},
    {"servicelevel", "Servicelevel", "procent",
     "Het deel van de aangeboden telefoongesprekken en chats dat binnen de norm (standaard 30 "
     "seconden) is aangenomen. Wie binnen 5 seconden ophangt telt niet mee.",
     "binnen norm / (aangeboden − kort verlaten) × 100", OMK_M_BINNEN_NORM, OMK_M_AANGEBODEN,
     OMK_M_KORT_VERLATEN, 100, false, false},
    {"baliewachttijd", "Gemiddelde wachttijd balie", "minuten",
     "De gemiddelde tijd tussen aanmelden aan de balie en opgeroepen worden naar een balie, "
     "over de bezoekers die zijn opgeroepen, naar de dag van aanmelden. Wie wegging zonder "
     "opgeroepen te worden telt niet mee.",
     "som wachttijd / opgeroepen", OMK_M_BALIE_WACHT_MS, OMK_M_BALIE, GEEN, 1.0 / 60000, false, false},
    {"balieBinnenNorm", "Balie binnen de wachttijdnorm", "procent",
     "Het deel van de opgeroepen baliebezoekers dat binnen de norm (standaard 15 minuten, de "
     "VNG-minimumbranchenorm) werd opgeroepen.",
     "opgeroepen binnen norm / opgeroepen × 100", OMK_M_BALIE_NORM, OMK_M_BALIE, GEEN, 100,
     false, false},
    {"contactverzoeken", "Contactverzoeken", "aantal",
     "Het aantal ontvangen contactverzoeken, naar de dag van ontvangst.",
     "aantal contactverzoeken", OMK_M_CV, GEEN, GEEN, 1, false, false},
    {"slaRealisatie", "Realisatie servicenorm", "procent",
     "Het deel van de afgehandelde contactverzoeken dat op of vóór de deadline is afgehandeld. "
     "De deadline volgt uit de servicenorm in werkdagen; weekenden en feestdagen tellen niet "
     "mee.",
     "op tijd afgehandeld / afgehandeld × 100", OMK_M_CV_TIJDIG, OMK_M_CV_AFGEHANDELD, GEEN, 100,
     false, false},
    {"doorlooptijd", "Gemiddelde doorlooptijd", "werkdagen",
     "Het gemiddelde aantal werkdagen van ontvangst tot afhandeling van de afgehandelde "
     "contactverzoeken (afgehandeld op de dag van ontvangst: 0). Weekenden en feestdagen tellen "
     "niet mee.",
     "som werkdagen / afgehandeld", OMK_M_CV_WERKDAGEN, OMK_M_CV_AFGEHANDELD, GEEN, 1, false, false},
    {"kanaalvoorkeurBekend", "Kanaalvoorkeur bekend", "procent",
     "Het deel van de klantcontacten waarvan de partij een kanaalvoorkeur heeft vastgelegd: "
     "een voorkeursadres in het register of een voorkeurskanaal in Mijn-omgeving.",
     "met kanaalvoorkeur / klantcontacten × 100", OMK_M_VOORKEUR, OMK_M_CONTACTEN, GEEN, 100,
     false, false},
    {"partijBekend", "Partij bekend", "procent",
     "Het deel van de klantcontacten dat aan een bekende partij (inwoner of organisatie) is "
     "gekoppeld.",
     "met partij / klantcontacten × 100", OMK_M_PARTIJ, OMK_M_CONTACTEN, GEEN, 100, false, false},
    {"webtransacties", "Webtransacties", "aantal",
     "Het aantal transacties dat inwoners en ondernemers zelf op de website afrondden (e-diensten), "
     "zoals de website ze per dag en product aan Omnikanaal meldt.",
     "aantal gemelde webtransacties", OMK_M_WEB, GEEN, GEEN, 1, false, false},
    {"selfservice", "Aandeel selfservice", "procent",
     "Het deel van alle afhandelingen dat de inwoner zelf online deed: webtransacties gedeeld "
     "door webtransacties plus klantcontacten (geholpen contact via alle kanalen). Per product: "
     "de webtransacties van een product tellen bij het onderwerp met dezelfde naam.",
     "webtransacties / (webtransacties + klantcontacten) × 100", OMK_M_WEB, OMK_M_CONTACTEN,
     GEEN, 100, false, true},
    {"kostenPerContact", "Kosten per contact", "euro",
     "De kosten van de klantcontacten volgens de tarieventabel per kanaal, gedeeld door het "
     "aantal contacten op kanalen met een tarief. Kanalen zonder tarief tellen niet mee.",
     "Σ (contacten per kanaal × tarief) / contacten met tarief", OMK_M_CONTACTEN,
     OMK_M_CONTACTEN, GEEN, 1, true, false},
};
#define NKPIS (sizeof KPIS / sizeof KPIS[0])

static const st_kpi *kpi_find(const char *naam, size_t n)
{
    for (size_t i = 0; i < NKPIS; i++)
        if (strlen(KPIS[i].naam) == n && strncmp(KPIS[i].naam, naam, n) == 0)
            return &KPIS[i];
    return NULL;
}

const char *omk__st_kpi_eenheid(const char *naam)
{
    const st_kpi *k = kpi_find(naam, strlen(naam));
    return k ? k->eenheid : NULL;
}

/* ---- dimensions ---- */

typedef enum { D_KANAAL, D_AFDELING, D_ONDERWERP, D_DAG, D_WEEK, D_MAAND, D_N } dim;
static const char *const DIMS[D_N] = {"kanaal", "afdeling", "onderwerp", "dag", "week", "maand"};
#define MAX_DIMS 3

/* The ISO week ("2026-W49") of a YYYY-MM-DD day, into out[12]. */
static void iso_week(const char *dag, char out[12])
{
    int64_t d = 0;
    if (!omk_cal_parse(dag, &d)) {
        snprintf(out, 12, "?");
        return;
    }
    int64_t wd = ((d + 3) % 7 + 7) % 7; /* Monday 0: 1970-01-01 was a Thursday */
    int64_t thursday = d - wd + 3;
    int y, m, dd;
    omk_cal_civil(thursday, &y, &m, &dd);
    int week = (int)((thursday - omk_cal_days(y, 1, 1)) / 7 + 1);
    snprintf(out, 12, "%04d-W%02d", y % 10000, week % 100);
}

/* The value of dimension k of bucket r (in buf when computed). */
static const char *dim_value(const omk_sturing_rij *r, dim k, char buf[12])
{
    switch (k) {
    case D_KANAAL:
        return r->kanaal;
    case D_AFDELING:
        return r->afdeling;
    case D_ONDERWERP:
        return r->onderwerp;
    case D_DAG:
        return r->dag;
    case D_WEEK:
        iso_week(r->dag, buf);
        return buf;
    default:
        snprintf(buf, 12, "%.7s", r->dag);
        return buf;
    }
}

/* ---- groups ---- */

typedef struct groep {
    const char *sleutel[MAX_DIMS];
    int64_t m[OMK_M_N];
    int64_t kosten_cent, contacten_met_tarief;
} groep;

typedef struct groepen {
    omk_arena *a;
    groep *g;
    size_t n, cap;
    size_t *hash; /* index + 1 into g; 0 = empty */
    size_t hcap;
} groepen;

static uint64_t fnv(const char *const *k, size_t nk)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < nk; i++) {
        for (const char *p = k[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return h;
}

static bool same_key(const groep *g, const char *const *k, size_t nk)
{
    for (size_t i = 0; i < nk; i++)
        if (strcmp(g->sleutel[i], k[i]) != 0)
            return false;
    return true;
}

static omk_rc groepen_grow(groepen *gs)
{
    size_t ncap = gs->cap ? gs->cap * 2 : 64, nh = ncap * 2;
    groep *g = omk_arena_alloc(gs->a, ncap * sizeof *g);
    size_t *h = omk_arena_alloc(gs->a, nh * sizeof *h);
    if (!g || !h)
        return OMK_NOMEM;
    if (gs->n)
        memcpy(g, gs->g, gs->n * sizeof *g);
    memset(h, 0, nh * sizeof *h);
    gs->g = g;
    gs->cap = ncap;
    gs->hash = h;
    gs->hcap = nh;
    return OMK_OK;
}

/* The group with key k[0..nk) (found, or made with copies of the key's strings). */
static omk_rc groep_van(groepen *gs, const char *const *k, size_t nk, size_t nk_all, groep **out)
{
    if (gs->n == gs->cap) {
        omk_rc rc = groepen_grow(gs);
        if (rc)
            return rc;
        for (size_t i = 0; i < gs->n; i++) {
            size_t s = fnv(gs->g[i].sleutel, nk_all) & (gs->hcap - 1);
            while (gs->hash[s])
                s = (s + 1) & (gs->hcap - 1);
            gs->hash[s] = i + 1;
        }
    }
    size_t s = fnv(k, nk) & (gs->hcap - 1);
    for (; gs->hash[s]; s = (s + 1) & (gs->hcap - 1))
        if (same_key(&gs->g[gs->hash[s] - 1], k, nk)) {
            *out = &gs->g[gs->hash[s] - 1];
            return OMK_OK;
        }
    groep *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    for (size_t i = nk; i < MAX_DIMS; i++)
        g->sleutel[i] = "";
    for (size_t i = 0; i < nk; i++) {
        g->sleutel[i] = omk_arena_strdup(gs->a, k[i]);
        if (!g->sleutel[i])
            return OMK_NOMEM;
    }
    gs->hash[s] = ++gs->n;
    *out = g;
    return OMK_OK;
}

/* ---- the request ---- */

typedef struct kpi_vraag {
    omk_sturing_filter f;
    const st_kpi *kpis[NKPIS];
    size_t nkpis;
    dim dims[MAX_DIMS];
    size_t ndims;
    int kpi_params; /* how often `kpi` was given: once with one name → the one-KPI shape */
    bool csv;
} kpi_vraag;

typedef struct kpi_job {
    omk_arena *a;
    const kpi_vraag *v;
    groepen gs;
    st_tarief *tarieven;
    size_t ntarieven;
} kpi_job;

/* Adds one summed row of the rollup to its group. */
static omk_rc tel(const omk_sturing_rij *r, void *arg)
{
    kpi_job *j = arg;
    char buf[MAX_DIMS][12];
    const char *k[MAX_DIMS];
    for (size_t d = 0; d < j->v->ndims; d++)
        k[d] = dim_value(r, j->v->dims[d], buf[d]);
    groep *g = NULL;
    omk_rc rc = groep_van(&j->gs, k, j->v->ndims, j->v->ndims, &g);
    if (rc)
        return rc;
    for (int m = 0; m < OMK_M_N; m++)
        g->m[m] += r->m[m];
    const st_tarief *t = omk__st_tarief_van(j->tarieven, j->ntarieven, r->kanaal);
    if (t) {
        g->kosten_cent += t->cent * r->m[OMK_M_CONTACTEN];
        g->contacten_met_tarief += r->m[OMK_M_CONTACTEN];
    }
    return OMK_OK;
}

/* Reads the tariffs and the rollup, summed in the store by what the groups need: the asked
 * dimensions (a period needs the day), and the kanaal when a cost is asked (tariffs are per
 * kanaal). */
static omk_rc verzamel(omk_db *db, void *arg)
{
    kpi_job *j = arg;
    omk_sturing_filter f = j->v->f;
    for (size_t d = 0; d < j->v->ndims; d++) {
        dim k = j->v->dims[d];
        f.per_kanaal |= k == D_KANAAL;
        f.per_afdeling |= k == D_AFDELING;
        f.per_onderwerp |= k == D_ONDERWERP;
        f.per_dag |= k == D_DAG || k == D_WEEK;
        f.per_maand |= k == D_MAAND;
    }
    for (size_t i = 0; i < j->v->nkpis; i++)
        f.per_kanaal |= j->v->kpis[i]->kosten;
    omk_rc rc = omk__st_tarieven(db, j->a, &j->tarieven, &j->ntarieven);
    j->gs.a = j->a;
    if (!rc && !j->gs.cap)
        rc = groepen_grow(&j->gs);
    if (!rc)
        rc = omk_db_sturing_rollup(db, &f, tel, j);
    return rc;
}

/* teller, noemer and waarde of KPI k over group g; *heeft false when noemer is 0. teller
 * and noemer of a count: the count and -1 (none). */
static void bereken(const st_kpi *k, const groep *g, double *teller, int64_t *noemer,
                    double *waarde, bool *heeft)
{
    if (k->kosten) {
        *teller = (double)g->kosten_cent / 100.0;
        *noemer = g->contacten_met_tarief;
    } else {
        *teller = (double)g->m[k->teller];
        int64_t aftrek = k->aftrek == GEEN ? 0 : g->m[k->aftrek];
        *noemer = k->noemer == GEEN ? -1
                  : g->m[k->noemer] - aftrek + (k->plus_web ? g->m[OMK_M_WEB] : 0);
    }
    *heeft = *noemer != 0;
    double w = *noemer < 0 ? *teller * k->schaal
               : *heeft    ? *teller / (double)*noemer * k->schaal
                           : 0;
    if (k->kosten && *heeft)
        w = *teller / (double)*noemer;
    *waarde = round(w * 100.0) / 100.0;
}

omk_rc omk__st_kpi_waarde(omk_db *db, omk_arena *a, const char *naam,
                          const omk_sturing_filter *f, double *waarde, bool *heeft)
{
    const st_kpi *k = kpi_find(naam, strlen(naam));
    *heeft = false;
    *waarde = 0;
    if (!k)
        return OMK_INVALID;
    kpi_vraag v = {.f = *f, .nkpis = 1};
    v.kpis[0] = k;
    kpi_job j = {.a = a, .v = &v};
    omk_rc rc = verzamel(db, &j);
    if (rc || !j.gs.n)
        return rc;
    double teller;
    int64_t noemer;
    bereken(k, &j.gs.g[0], &teller, &noemer, waarde, heeft);
    return OMK_OK;
}

/* ---- catching up ---- */

typedef struct bij_job {
    long long wachtend, ooit;
    size_t gedaan;
} bij_job;

static omk_rc tel_wachtend(omk_db *db, void *arg)
{
    bij_job *j = arg;
    return omk_db_sturing_wachtend(db, &j->wachtend, &j->ooit);
}

static omk_rc bijwerk_job(omk_db *db, void *arg)
{
    return omk_db_sturing_bijwerken(db, 2000, &((bij_job *)arg)->gedaan);
}

static omk_rc bijwerk_klein_job(omk_db *db, void *arg)
{
    return omk_db_sturing_bijwerken(db, 500, &((bij_job *)arg)->gedaan);
}

omk_rc omk__st_wachtend(omk_store *s, long long *wachtend, long long *ooit)
{
    bij_job j = {0};
    omk_rc rc = omk_store_read(s, tel_wachtend, &j);
    *wachtend = j.wachtend;
    *ooit = j.ooit;
    return rc;
}

omk_rc omk__st_bijwerken_een(omk_store *s)
{
    bij_job j = {0};
    return omk_store_write(s, bijwerk_klein_job, &j);
}

omk_rc omk__st_bijwerken(omk_store *s, long long *achterstand)
{
    bij_job j = {0};
    omk_rc rc = omk_store_read(s, tel_wachtend, &j);
    /* Jobs of at most 2000 keys, so other writers wait little; at most 3 of them (about half
     * a second), so a reader after a burst of writes is not held up for long: the rest is
     * the background catch-up's, and the answer says how many changes it still lacks. */
    for (int i = 0; !rc && j.wachtend > 0 && i < 3; i++) {
        rc = omk_store_write(s, bijwerk_job, &j);
        if (!rc)
            j.wachtend = j.gedaan < 2000 ? 0 : j.wachtend - (long long)j.gedaan;
    }
    if (!rc && j.wachtend > 0)
        rc = omk_store_read(s, tel_wachtend, &j);
    if (achterstand)
        *achterstand = rc ? 0 : j.wachtend;
    return rc;
}

/* ---- parameters ---- */

static bool is_day(const char *s)
{
    int64_t d;
    return strlen(s) == 10 && omk_cal_parse(s, &d);
}

/* Splits a comma-separated value and calls take(vraag, item, len) for each item. */
static void per_item(omk_api_ctx *ctx, kpi_vraag *v, const char *val,
                     void (*take)(omk_api_ctx *, kpi_vraag *, const char *, size_t))
{
    for (const char *p = val;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        take(ctx, v, p, n);
        if (!e)
            break;
        p = e + 1;
    }
}

static void take_kpi(omk_api_ctx *ctx, kpi_vraag *v, const char *p, size_t n)
{
    const st_kpi *k = kpi_find(p, n);
    if (!k) {
        omk_api_err_add(ctx, "kpi", "invalid_choice",
                        omk_arena_printf(ctx->a, "\"%.*s\" is geen KPI; zie _definities.",
                                         (int)(n > 60 ? 60 : n), p));
        return;
    }
    for (size_t i = 0; i < v->nkpis; i++)
        if (v->kpis[i] == k)
            return;
    v->kpis[v->nkpis++] = k;
}

static void take_dim(omk_api_ctx *ctx, kpi_vraag *v, const char *p, size_t n)
{
    for (int d = 0; d < D_N; d++)
        if (strlen(DIMS[d]) == n && strncmp(DIMS[d], p, n) == 0) {
            bool periode = d >= D_DAG;
            for (size_t i = 0; i < v->ndims; i++)
                if (v->dims[i] == (dim)d || (periode && v->dims[i] >= D_DAG)) {
                    omk_api_err_add(ctx, "groepeerOp", "invalid",
                                    "Groepeer op elke dimensie hooguit één keer, en op één "
                                    "periode (dag, week of maand).");
                    return;
                }
            if (v->ndims == MAX_DIMS) {
                omk_api_err_add(ctx, "groepeerOp", "invalid",
                                "Groepeer op hooguit drie dimensies tegelijk.");
                return;
            }
            v->dims[v->ndims++] = (dim)d;
            return;
        }
    omk_api_err_add(ctx, "groepeerOp", "invalid_choice",
                    omk_arena_printf(ctx->a,
                                     "\"%.*s\" is geen keuze: kanaal, afdeling, onderwerp, dag, "
                                     "week of maand.", (int)(n > 60 ? 60 : n), p));
}

/* Fills in the default period (the last 30 days) and checks van and tot. */
void omk__st_periode_check(omk_api_ctx *ctx, omk_sturing_filter *f)
{
    char vandaag[11], begin[11];
    int64_t nu = omk_cal_local_day(omk_now_ms() * 1000);
    omk_cal_format(nu, vandaag);
    omk_cal_format(nu - 29, begin);
    if (!f->tot)
        f->tot = omk_arena_strdup(ctx->a, vandaag);
    if (!f->van)
        f->van = omk_arena_strdup(ctx->a, begin);
    int64_t van = 0, tot = 0;
    if (!is_day(f->van))
        omk_api_err_add(ctx, "van", "invalid", "Geen geldige datum; gebruik JJJJ-MM-DD.");
    if (!is_day(f->tot))
        omk_api_err_add(ctx, "tot", "invalid", "Geen geldige datum; gebruik JJJJ-MM-DD.");
    if (is_day(f->van) && is_day(f->tot) && omk_cal_parse(f->van, &van) &&
        omk_cal_parse(f->tot, &tot) && tot < van)
        omk_api_err_add(ctx, "tot", "invalid", "De einddatum ligt vóór de begindatum.");
    else if (tot - van > 3660)
        omk_api_err_add(ctx, "tot", "invalid", "Vraag hooguit tien jaar tegelijk op.");
}

/* Reads and checks the query; every error is collected in ctx. */
static void lees_vraag(omk_req *req, omk_api_ctx *ctx, kpi_vraag *v)
{
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    const char *periode = NULL;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *val = q[i].value;
        if (strcmp(k, "kpi") == 0) {
            per_item(ctx, v, val, take_kpi);
            v->kpi_params++;
        } else if (strcmp(k, "groepeerOp") == 0)
            per_item(ctx, v, val, take_dim);
        else if (strcmp(k, "van") == 0)
            v->f.van = val;
        else if (strcmp(k, "tot") == 0)
            v->f.tot = val;
        else if (strcmp(k, "kanaal") == 0)
            v->f.kanaal = val;
        else if (strcmp(k, "afdeling") == 0)
            v->f.afdeling = val;
        else if (strcmp(k, "onderwerp") == 0)
            v->f.onderwerp = val;
        else if (strcmp(k, "periode") == 0)
            periode = val;
        else if (strcmp(k, "formaat") == 0 && strcmp(val, "csv") == 0)
            v->csv = true;
        else if (strcmp(k, "formaat") == 0 && strcmp(val, "json") != 0)
            omk_api_err_add(ctx, "formaat", "invalid_choice",
                            "Kies \"json\" of \"csv\".");
        else if (strcmp(k, "formaat") != 0)
            omk_api_err_add(ctx, k, "unknown", "Onbekende parameter.");
    }
    if (periode)
        per_item(ctx, v, periode, take_dim);
    if (!v->nkpis)
        for (size_t i = 0; i < NKPIS; i++)
            v->kpis[v->nkpis++] = &KPIS[i];
    omk__st_periode_check(ctx, &v->f);
    const char *accept = omk_req_header(req, "Accept");
    if (accept && strstr(accept, "text/csv"))
        v->csv = true;
}

/* ---- answers ---- */

static json_t *getal(double w)
{
    return w == floor(w) && fabs(w) < 1e15 ? json_integer((json_int_t)w) : json_real(w);
}

/* A group shows a KPI when the KPI has data in it (a bucket of calls has no contacts); the
 * total, asked without dimensions, always shows. */
static bool zichtbaar(const kpi_vraag *v, double teller, int64_t noemer)
{
    return !v->ndims || teller != 0 || noemer > 0;
}

static json_t *kpi_json(const kpi_vraag *v, const st_kpi *k, const groepen *gs)
{
    json_t *lijst = json_array();
    for (size_t i = 0; i < gs->n || (i == 0 && !v->ndims); i++) {
        static const groep leeg = {.sleutel = {"", "", ""}};
        const groep *g = i < gs->n ? &gs->g[i] : &leeg;
        double teller, waarde;
        int64_t noemer;
        bool heeft;
        bereken(k, g, &teller, &noemer, &waarde, &heeft);
        if (!zichtbaar(v, teller, noemer))
            continue;
        json_t *sleutel = json_object();
        for (size_t d = 0; d < v->ndims; d++)
            json_object_set_new(sleutel, DIMS[v->dims[d]], json_string(g->sleutel[d]));
        json_array_append_new(
            lijst, json_pack("{s:o, s:o, s:o, s:o}", "sleutel", sleutel, "waarde",
                               heeft ? getal(waarde) : json_null(), "teller", getal(teller),
                               "noemer", noemer < 0 ? json_null() : json_integer(noemer)));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "kpi", k->naam, "naam", k->titel,
                     "eenheid", k->eenheid, "definitie", k->definitie, "formule", k->formule,
                     "van", v->f.van, "tot", v->f.tot, "groepen", lijst);
}

/* Keys beyond the asked dimensions are "" in every group, so all MAX_DIMS compare. */
static int cmp_groep(const void *a, const void *b)
{
    const groep *x = a, *y = b;
    for (int d = 0; d < MAX_DIMS; d++) {
        int c = strcmp(x->sleutel[d], y->sleutel[d]);
        if (c)
            return c;
    }
    return 0;
}

/* Orders the groups by their key (periods sort as text: dates, ISO weeks and months do). */
static void sorteer(groepen *gs)
{
    if (gs->n > 1) /* an unread set has no array at all */
        qsort(gs->g, gs->n, sizeof *gs->g, cmp_groep);
}

/* One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
static void csv_veld(omk_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        omk_buf_puts(b, s);
        return;
    }
    omk_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            omk_buf_putc(b, '"');
        omk_buf_putc(b, *p);
    }
    omk_buf_putc(b, '"');
}

static void csv_getal(omk_buf *b, double w)
{
    omk_buf_printf(b, "%.10g", w);
}

static omk_rc antwoord_csv(omk_req *req, const kpi_vraag *v, const groepen *gs)
{
    omk_buf b;
    omk_buf_init(&b, 64u << 20);
    omk_buf_puts(&b, "kpi");
    for (size_t d = 0; d < v->ndims; d++)
        omk_buf_printf(&b, ",%s", DIMS[v->dims[d]]);
    omk_buf_puts(&b, ",waarde,teller,noemer,eenheid,van,tot\r\n");
    for (size_t k = 0; k < v->nkpis; k++)
        for (size_t i = 0; i < gs->n; i++) {
            const groep *g = &gs->g[i];
            double teller, waarde;
            int64_t noemer;
            bool heeft;
            bereken(v->kpis[k], g, &teller, &noemer, &waarde, &heeft);
            if (!zichtbaar(v, teller, noemer))
                continue;
            omk_buf_puts(&b, v->kpis[k]->naam);
            for (size_t d = 0; d < v->ndims; d++) {
                omk_buf_putc(&b, ',');
                csv_veld(&b, g->sleutel[d]);
            }
            omk_buf_putc(&b, ',');
            if (heeft)
                csv_getal(&b, waarde);
            omk_buf_putc(&b, ',');
            csv_getal(&b, teller);
            omk_buf_putc(&b, ',');
            if (noemer >= 0)
                omk_buf_printf(&b, "%lld", (long long)noemer);
            omk_buf_printf(&b, ",%s,%s,%s\r\n", v->kpis[k]->eenheid, v->f.van, v->f.tot);
        }
    omk_rc rc = b.rc;
    size_t n = b.n;
    char *body = rc ? NULL : omk_arena_strndup(omk_req_arena(req), b.p, b.n);
    omk_buf_release(&b);
    if (!rc && !body)
        rc = OMK_NOMEM;
    if (rc)
        return rc;
    omk_req_add_header(req, "Content-Disposition", "attachment; filename=\"kpis.csv\"");
    return omk_req_reply(req, 200, "text/csv; charset=utf-8", body, n);
}

/* GET /kpis?kpi=…&van=…&tot=…&groepeerOp=…&kanaal=…&afdeling=…&onderwerp=…
 * &formaat=csv (or Accept: text/csv). */
static omk_rc kpis(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    kpi_vraag v = {0};
    lees_vraag(req, &ctx, &v);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    long long achterstand = 0;
    omk_rc rc = omk__st_bijwerken(omk__store(req), &achterstand);
    kpi_job j = {.a = ctx.a, .v = &v};
    if (!rc)
        rc = omk_store_read(omk__store(req), verzamel, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    sorteer(&j.gs);
    if (v.csv)
        return antwoord_csv(req, &v, &j.gs);
    if (v.kpi_params == 1 && v.nkpis == 1) {
        json_t *een = kpi_json(&v, v.kpis[0], &j.gs);
        json_object_set_new(een, "achterstand", json_integer(achterstand));
        return omk_req_reply_json(req, 200, een);
    }
    json_t *lijst = json_array();
    for (size_t k = 0; k < v.nkpis; k++)
        json_array_append_new(lijst, kpi_json(&v, v.kpis[k], &j.gs));
    json_t *dims = json_array();
    for (size_t d = 0; d < v.ndims; d++)
        json_array_append_new(dims, json_string(DIMS[v.dims[d]]));
    return omk_req_reply_json(req, 200,
                              json_pack("{s:s, s:s, s:o, s:I, s:o}", "van", v.f.van, "tot",
                                        v.f.tot, "groepeerOp", dims, "achterstand",
                                        (json_int_t)achterstand, "resultaten", lijst));
}

/* GET /kpis/_definities: every KPI with its definition, formula and unit. */
static omk_rc definities(omk_req *req)
{
    json_t *lijst = json_array();
    for (size_t i = 0; i < NKPIS; i++)
        json_array_append_new(lijst, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kpi", KPIS[i].naam,
                                               "naam", KPIS[i].titel, "eenheid", KPIS[i].eenheid,
                                               "definitie", KPIS[i].definitie, "formule",
                                               KPIS[i].formule));
    json_t *dims = json_array();
    for (int d = 0; d < D_N; d++)
        json_array_append_new(dims, json_string(DIMS[d]));
    return omk_req_reply_json(req, 200, json_pack("{s:o, s:o}", "kpis", lijst, "groepeerOp", dims));
}

/* ---- drill-down: the contacts behind a figure ---- */

/* The KPIs about klantcontacten, and the measure that splits their contacts ("ja": counted in
 * the numerator, "nee": not). */
static const struct {
    const char *kpi;
    int maat;
} DOORKLIK[] = {
    {"contacten", -1},
    {"fcr", OMK_M_OPGELOST},
    {"herhaalcontact", OMK_M_HERHAAL},
    {"doorverwijzing", OMK_M_DOORVERWEZEN},
    {"kanaalvoorkeurBekend", OMK_M_VOORKEUR},
    {"partijBekend", OMK_M_PARTIJ},
};

typedef struct doorklik_vraag {
    omk_sturing_filter f;
    int maat;
    int64_t waarde;
    long long page;
    int size;
} doorklik_vraag;

typedef struct doorklik_job {
    omk_arena *a;
    const doorklik_vraag *v;
    omk_sturing_contact *rows;
    size_t n;
    long long count;
} doorklik_job;

static omk_rc doorklik_lees(omk_db *db, void *arg)
{
    doorklik_job *j = arg;
    const doorklik_vraag *v = j->v;
    return omk_db_sturing_contacten(db, &v->f, v->maat, v->waarde, (v->page - 1) * v->size,
                                    v->size, j->a, &j->rows, &j->n, &j->count);
}

static long long getal_param(omk_api_ctx *ctx, const char *naam, const char *val, long long max)
{
    long long n = 0;
    for (const char *p = val; *p; p++) {
        if (*p < '0' || *p > '9' || n > max) {
            n = 0;
            break;
        }
        n = n * 10 + (*p - '0');
    }
    if (n < 1 || n > max)
        omk_api_err_add(ctx, naam, "invalid",
                        omk_arena_printf(ctx->a, "Geef een geheel getal van 1 tot en met %lld.",
                                         max));
    return n;
}

static void lees_doorklik(omk_req *req, omk_api_ctx *ctx, doorklik_vraag *v)
{
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    const char *kpi = "contacten", *uitkomst = NULL;
    v->maat = -1;
    v->page = 1;
    v->size = 20;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *val = q[i].value;
        if (strcmp(k, "kpi") == 0)
            kpi = val;
        else if (strcmp(k, "uitkomst") == 0)
            uitkomst = val;
        else if (strcmp(k, "page") == 0)
            v->page = getal_param(ctx, "page", val, 1000000);
        else if (strcmp(k, "pageSize") == 0)
            v->size = (int)getal_param(ctx, "pageSize", val, 100);
        else if (strcmp(k, "van") == 0)
            v->f.van = val;
        else if (strcmp(k, "tot") == 0)
            v->f.tot = val;
        else if (strcmp(k, "kanaal") == 0)
            v->f.kanaal = val;
        else if (strcmp(k, "afdeling") == 0)
            v->f.afdeling = val;
        else if (strcmp(k, "onderwerp") == 0)
            v->f.onderwerp = val;
        else
            omk_api_err_add(ctx, k, "unknown", "Onbekende parameter.");
    }
    size_t d = 0;
    while (d < OMK_COUNT(DOORKLIK) && strcmp(DOORKLIK[d].kpi, kpi) != 0)
        d++;
    if (d == OMK_COUNT(DOORKLIK))
        omk_api_err_add(ctx, "kpi", "invalid_choice",
                        "Alleen de kengetallen over klantcontacten hebben contacten om te tonen: "
                        "contacten, fcr, herhaalcontact, doorverwijzing, kanaalvoorkeurBekend, "
                        "partijBekend.");
    else if (uitkomst && DOORKLIK[d].maat < 0)
        omk_api_err_add(ctx, "uitkomst", "invalid", "Bij contacten hoort geen uitkomst.");
    else if (uitkomst && strcmp(uitkomst, "ja") != 0 && strcmp(uitkomst, "nee") != 0)
        omk_api_err_add(ctx, "uitkomst", "invalid_choice", "Kies \"ja\" of \"nee\".");
    else if (uitkomst) {
        v->maat = DOORKLIK[d].maat;
        v->waarde = strcmp(uitkomst, "ja") == 0;
    }
    omk__st_periode_check(ctx, &v->f);
}

/* GET /kpis/_contacten?kpi=fcr&uitkomst=nee&van=…&tot=…&kanaal=…: the klantcontacten behind a
 * figure, as references into the register (no content, no names), newest first. Only for a
 * purpose whose doelbinding shows contacts; every partij behind the page is logged. */
static omk_rc doorklik(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const omk_doel *doel = omk__req_doel(req);
    if (!doel || !(doel->zie & OMK_ZIE_CONTACTEN)) {
        omk_req_fail(req, "doelbinding",
                     "Uw verwerkingsactiviteit staat het inzien van klantcontacten niet toe; "
                     "u ziet alleen de cijfers.");
        return OMK_FORBIDDEN;
    }
    doorklik_vraag v = {0};
    lees_doorklik(req, &ctx, &v);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_ldv *l = NULL;
    omk_rc rc = omk__st_bijwerken(omk__store(req), NULL);
    if (!rc)
        rc = omk__ldv_begin(req, &l);
    doorklik_job j = {.a = ctx.a, .v = &v};
    if (!rc)
        rc = omk_store_read(omk__store(req), doorklik_lees, &j);
    omk_ldv_actie *x =
        l ? omk__ldv_actie(l, "Klantcontacten achter een kengetal opvragen", NULL, NULL) : NULL;
    if (!rc && l && !x)
        rc = OMK_NOMEM;
    json_t *lijst = json_array();
    for (size_t i = 0; !rc && i < j.n; i++) {
        const omk_sturing_contact *c = &j.rows[i];
        if (x && c->partij)
            rc = omk__ldv_persoon(x, OMK_LDV_PARTIJ, c->partij);
        json_array_append_new(
            lijst,
            json_pack("{s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "klantcontact",
                      "uuid", c->klantcontact, "url",
                      omk_arena_printf(ctx.a, "%s/klantinteracties/api/v1/klantcontacten/%s",
                                       ctx.base_url, c->klantcontact),
                      "dag", c->dag, "kanaal", c->kanaal, "afdeling", c->afdeling, "onderwerp",
                      c->onderwerp, "opgelost", (int)c->m[OMK_M_OPGELOST], "herhaal",
                      (int)c->m[OMK_M_HERHAAL], "doorverwezen", (int)c->m[OMK_M_DOORVERWEZEN],
                      "kanaalvoorkeurBekend", (int)c->m[OMK_M_VOORKEUR], "partijBekend",
                      (int)c->m[OMK_M_PARTIJ]));
    }
    if (!rc && v.page > 1 && (v.page - 1) * v.size >= j.count) {
        ctx.fail_detail = "Ongeldige pagina.";
        rc = OMK_NOTFOUND;
    }
    if (rc) {
        json_decref(lijst);
        return omk__finish(req, &ctx, rc);
    }
    json_t *body = json_pack(
        "{s:I, s:o, s:o, s:o}", "count", (json_int_t)j.count, "next",
        v.page * v.size < j.count ? json_string(omk__page_link(req, &ctx, v.page + 1))
                                  : json_null(),
        "previous", v.page > 1 ? json_string(omk__page_link(req, &ctx, v.page - 1)) : json_null(),
        "results", lijst);
    return omk__ldv_reply_json(req, l, 200, body);
}

size_t omk__st_kpi_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", ST_BASE "/kpis", kpis, NULL, &omk__st_api, OMK_ROUTE_CSV, 0, NULL},
        {"GET", ST_BASE "/kpis/_definities", definities, NULL, &omk__st_api, 0, 0, NULL},
        {"GET", ST_BASE "/kpis/_contacten", doorklik, NULL, &omk__st_api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}

/* ---- the trend monitor ---- */

/* The rule (docs/internals/sturing.md, "Trendmonitor"): the last period is compared with the
 * mean of the (up to) four periods before it that have a value; at least three are needed.
 * A signal when it differs from that mean by more than twice their standard deviation and
 * by more than a tenth of the mean. Simple enough to explain next to the figure. */
#define TREND_BASIS 4
#define TREND_MIN 3
#define TREND_RELATIEF 0.10
#define TREND_SD 2.0
/* A rising onderwerp needs at least this many contacts in its last period. */
#define TREND_MIN_CONTACTEN 5
#define TREND_REGEL                                                                            \
    "Signaal als de laatste periode meer dan twee standaardafwijkingen én meer dan 10% "       \
    "afwijkt van het gemiddelde van de vier perioden ervoor (minstens drie met een waarde). "  \
    "Een onderwerp of zoekvraag stijgt bij een signaal omhoog met minstens 5 contacten of "     \
    "zoekopdrachten in de laatste periode."

typedef struct trend {
    double gemiddelde, afwijking; /* of the base periods; afwijking = last − gemiddelde */
    const char *signaal;          /* "stijging", "daling", "geen", "onvoldoende-gegevens" */
} trend;

static trend trend_van(const double *w, const bool *heeft, size_t n)
{
    trend t = {0, 0, "onvoldoende-gegevens"};
    if (!n || !heeft[n - 1])
        return t;
    double som = 0, kw = 0;
    int k = 0;
    for (size_t i = n - 1; i-- > 0 && k < TREND_BASIS;)
        if (heeft[i]) {
            som += w[i];
            kw += w[i] * w[i];
            k++;
        }
    if (k < TREND_MIN)
        return t;
    t.gemiddelde = som / k;
    double var = kw / k - t.gemiddelde * t.gemiddelde;
    double sd = var > 0 ? sqrt(var) : 0;
    t.afwijking = w[n - 1] - t.gemiddelde;
    bool signaal = fabs(t.afwijking) > TREND_SD * sd &&
                   fabs(t.afwijking) > TREND_RELATIEF * fabs(t.gemiddelde);
    t.signaal = !signaal ? "geen" : t.afwijking > 0 ? "stijging" : "daling";
    return t;
}

typedef struct trend_vraag {
    kpi_vraag kv;     /* the KPIs, filters and the period dimension */
    dim periode;      /* D_DAG, D_WEEK or D_MAAND */
    int perioden;     /* how many */
    int64_t eerste;   /* first day of the first period */
    int64_t laatste;  /* the asked (or default) last day */
    bool onderwerpen; /* also the rising onderwerpen and searches (default) */
} trend_vraag;

/* The first day of the period holding day d. */
static int64_t periode_begin(dim p, int64_t d)
{
    if (p == D_DAG)
        return d;
    if (p == D_WEEK)
        return d - ((d + 3) % 7 + 7) % 7;
    int y, m, dd;
    omk_cal_civil(d, &y, &m, &dd);
    return omk_cal_days(y, m, 1);
}

/* The first day of the period i periods after the one starting at b. */
static int64_t periode_na(dim p, int64_t b, int i)
{
    if (p == D_DAG)
        return b + i;
    if (p == D_WEEK)
        return b + 7 * i;
    int y, m, dd;
    omk_cal_civil(b, &y, &m, &dd);
    int mm = (m - 1) + i;
    return omk_cal_days(y + mm / 12, mm % 12 + 1, 1);
}

static void periode_sleutel(dim p, int64_t b, char out[12])
{
    char dag[11];
    omk_cal_format(b, dag);
    omk_sturing_rij r = {.dag = dag};
    char buf[12];
    snprintf(out, 12, "%s", dim_value(&r, p, buf));
}

static void lees_trend(omk_req *req, omk_api_ctx *ctx, trend_vraag *t)
{
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    const char *periode = "week", *tot = NULL;
    t->perioden = 8;
    t->onderwerpen = true;
    kpi_vraag *v = &t->kv;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *val = q[i].value;
        if (strcmp(k, "kpi") == 0)
            per_item(ctx, v, val, take_kpi);
        else if (strcmp(k, "periode") == 0)
            periode = val;
        else if (strcmp(k, "perioden") == 0)
            t->perioden = (int)getal_param(ctx, "perioden", val, 52);
        else if (strcmp(k, "tot") == 0)
            tot = val;
        else if (strcmp(k, "kanaal") == 0)
            v->f.kanaal = val;
        else if (strcmp(k, "afdeling") == 0)
            v->f.afdeling = val;
        else if (strcmp(k, "onderwerp") == 0)
            v->f.onderwerp = val;
        else if (strcmp(k, "onderwerpen") == 0 && (strcmp(val, "ja") == 0 || strcmp(val, "nee") == 0))
            t->onderwerpen = strcmp(val, "ja") == 0;
        else if (strcmp(k, "onderwerpen") == 0)
            omk_api_err_add(ctx, k, "invalid_choice", "Kies \"ja\" of \"nee\".");
        else
            omk_api_err_add(ctx, k, "unknown", "Onbekende parameter.");
    }
    if (strcmp(periode, "dag") == 0)
        t->periode = D_DAG;
    else if (strcmp(periode, "week") == 0)
        t->periode = D_WEEK;
    else if (strcmp(periode, "maand") == 0)
        t->periode = D_MAAND;
    else
        omk_api_err_add(ctx, "periode", "invalid_choice", "Kies dag, week of maand.");
    if (t->perioden && t->perioden < TREND_MIN + 1)
        omk_api_err_add(ctx, "perioden", "invalid",
                        "Vraag minstens vier perioden op: drie om mee te vergelijken en de laatste.");
    if (tot && !is_day(tot))
        omk_api_err_add(ctx, "tot", "invalid", "Geen geldige datum; gebruik JJJJ-MM-DD.");
    if (ctx->nerrs)
        return;
    if (!v->nkpis)
        for (size_t i = 0; i < NKPIS; i++)
            v->kpis[v->nkpis++] = &KPIS[i];
    /* By default the last complete period: the one before today's. */
    int64_t vandaag = omk_cal_local_day(omk_now_ms() * 1000);
    if (tot)
        omk_cal_parse(tot, &t->laatste);
    else
        t->laatste = periode_begin(t->periode, vandaag) - 1;
    int64_t laatste_begin = periode_begin(t->periode, t->laatste);
    t->eerste = periode_begin(t->periode, laatste_begin - 1);
    for (int i = 1; i < t->perioden - 1; i++)
        t->eerste = periode_begin(t->periode, t->eerste - 1);
    if (t->perioden == 1)
        t->eerste = laatste_begin;
    char *van = omk_arena_alloc(ctx->a, 11), *tot2 = omk_arena_alloc(ctx->a, 11);
    if (!van || !tot2)
        return;
    omk_cal_format(t->eerste, van);
    omk_cal_format(t->laatste, tot2);
    v->f.van = van;
    v->f.tot = tot2;
}

/* The series of KPI k over the periods (groups sorted; key [0] the period, or [0] onderwerp
 * and [1] the period), as JSON, with its trend. onderwerp NULL: no onderwerp dimension. */
static json_t *trend_reeks(const trend_vraag *t, const st_kpi *k, const groepen *gs,
                           const char *onderwerp, trend *uit)
{
    double w[52];
    bool heeft[52];
    json_t *reeks = json_array();
    for (int i = 0; i < t->perioden; i++) {
        char sleutel[12];
        periode_sleutel(t->periode, periode_na(t->periode, t->eerste, i), sleutel);
        groep zoek = {.sleutel = {onderwerp ? onderwerp : sleutel, onderwerp ? sleutel : "", ""}};
        const groep *g = gs->n ? bsearch(&zoek, gs->g, gs->n, sizeof *gs->g, cmp_groep) : NULL;
        static const groep leeg = {.sleutel = {"", "", ""}};
        double teller;
        int64_t noemer;
        bereken(k, g ? g : &leeg, &teller, &noemer, &w[i], &heeft[i]);
        if (noemer < 0)
            heeft[i] = true; /* a count: 0 when nothing happened */
        json_array_append_new(reeks, json_pack("{s:s, s:o}", "periode", sleutel, "waarde",
                                               heeft[i] ? getal(w[i]) : json_null()));
    }
    *uit = trend_van(w, heeft, (size_t)t->perioden);
    return reeks;
}

static json_t *trend_json(const trend *tr)
{
    bool heeft = strcmp(tr->signaal, "onvoldoende-gegevens") != 0;
    return json_pack("{s:o, s:o, s:s}", "gemiddelde",
                     heeft ? json_real(round(tr->gemiddelde * 100) / 100) : json_null(),
                     "afwijking", heeft ? json_real(round(tr->afwijking * 100) / 100) : json_null(),
                     "signaal", tr->signaal);
}

/* Rising onderwerpen: contacts per onderwerp per period, those with a rising signal and at
 * least TREND_MIN_CONTACTEN in the last period, most risen first, at most 10. */
static json_t *stijgende_onderwerpen(const trend_vraag *t, groepen *gs)
{
    const st_kpi *k = kpi_find("contacten", 9);
    json_t *lijst = json_array();
    for (size_t i = 0; i < gs->n; i++) {
        if (i && strcmp(gs->g[i].sleutel[0], gs->g[i - 1].sleutel[0]) == 0)
            continue; /* one onderwerp once */
        if (!*gs->g[i].sleutel[0])
            continue;
        trend tr;
        json_t *reeks = trend_reeks(t, k, gs, gs->g[i].sleutel[0], &tr);
        json_int_t laatste =
            json_integer_value(json_object_get(json_array_get(reeks, json_array_size(reeks) - 1),
                                               "waarde"));
        if (strcmp(tr.signaal, "stijging") != 0 || laatste < TREND_MIN_CONTACTEN) {
            json_decref(reeks);
            continue;
        }
        json_t *o = json_pack("{s:s, s:I, s:o, s:o}", "onderwerp", gs->g[i].sleutel[0],
                              "laatste", laatste, "reeks", reeks, "trend", trend_json(&tr));
        /* Insert by afwijking, largest first. */
        size_t pos = 0;
        while (pos < json_array_size(lijst) &&
               json_real_value(json_object_get(
                   json_object_get(json_array_get(lijst, pos), "trend"), "afwijking")) >=
                   round(tr.afwijking * 100) / 100)
            pos++;
        json_array_insert_new(lijst, pos, o);
    }
    while (json_array_size(lijst) > 10)
        json_array_remove(lijst, json_array_size(lijst) - 1);
    return lijst;
}

/* ---- rising kennisbank searches ---- */

/* The kennisbank's searches (kb_zoekvragen), read here by time only: a bounded range through
 * its index on tijdstip, never the whole log. */
static const omk_field ZV_FIELDS[] = {
    {.json = "vraag", .column = "vraag", .type = OMK_F_STRING},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},
};
static const omk_filter ZV_FILTERS[] = {{"_sinds", "tijdstip", OMK_OP_GTE}};
static const omk_resource ZOEKVRAAG = {
    .name = "zoekvragen", .model = "Zoekvraag", .table = "kb_zoekvragen", .fields = ZV_FIELDS,
    .nfields = OMK_COUNT(ZV_FIELDS), .filters = ZV_FILTERS, .nfilters = 1,
    .api_base = "/kennisbank/api/v1", .order_ascending = true,
};
#define ZV_MAX 50000

typedef struct zv_rij {
    char *vraag; /* lower case, trimmed */
    int periode;
} zv_rij;

typedef struct zv_job {
    const struct trend_vraag *t;
    omk_arena *a;
    zv_rij *rijen;
    size_t n;
} zv_job;

static int cmp_zv(const void *a, const void *b)
{
    const zv_rij *x = a, *y = b;
    int c = strcmp(x->vraag, y->vraag);
    return c ? c : x->periode - y->periode;
}

static char *normaal(omk_arena *a, const char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    char *o = omk_arena_strndup(a, s, n);
    for (char *p = o; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return o;
}

/* The index of the period holding local day d, or -1 outside them. */
static int periode_index(const struct trend_vraag *t, int64_t d)
{
    int64_t b = periode_begin(t->periode, d);
    for (int i = 0; i < t->perioden; i++)
        if (periode_na(t->periode, t->eerste, i) == b)
            return d <= t->laatste ? i : -1;
    return -1;
}

static omk_rc zv_lees(omk_db *db, void *arg)
{
    zv_job *j = arg;
    char sinds[32];
    omk_time_format((j->t->eerste - 1) * 86400000000LL, sinds); /* a day early: local time */
    omk_filter_arg f[] = {{&ZV_FILTERS[0], sinds}};
    omk_query q = {.filters = f, .nfilters = 1, .limit = ZV_MAX};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &ZOEKVRAAG, &q, j->a, &rows, NULL);
    if (rc)
        return rc;
    j->rijen = omk_arena_alloc(j->a, (rows.n + 1) * sizeof *j->rijen);
    if (!j->rijen)
        return OMK_NOMEM;
    for (size_t i = 0; i < rows.n; i++) {
        const omk_value *v = rows.rows[i].v;
        if (v[0].t != OMK_V_TEXT || v[1].t != OMK_V_INT)
            continue;
        int p = periode_index(j->t, omk_cal_local_day(v[1].i));
        char *vraag = p < 0 ? NULL : normaal(j->a, v[0].s);
        if (vraag && *vraag)
            j->rijen[j->n++] = (zv_rij){vraag, p};
    }
    return OMK_OK;
}

/* Searches (across all channels' kennisbank use) under the same rule as the onderwerpen:
 * rising, with at least TREND_MIN_CONTACTEN in the last period, most risen first, at most 10. */
static json_t *stijgende_zoekvragen(const zv_job *j)
{
    json_t *lijst = json_array();
    if (!j->n)
        return lijst;
    qsort(j->rijen, j->n, sizeof *j->rijen, cmp_zv);
    for (size_t i = 0; i < j->n;) {
        double w[52] = {0};
        bool heeft[52];
        for (int k = 0; k < 52; k++)
            heeft[k] = true;
        size_t e = i;
        while (e < j->n && strcmp(j->rijen[e].vraag, j->rijen[i].vraag) == 0)
            w[j->rijen[e++].periode] += 1;
        int n = j->t->perioden;
        trend tr = trend_van(w, heeft, (size_t)n);
        if (strcmp(tr.signaal, "stijging") == 0 && w[n - 1] >= TREND_MIN_CONTACTEN) {
            json_t *o = json_pack("{s:s, s:i, s:o}", "zoekvraag", j->rijen[i].vraag, "laatste",
                                  (int)w[n - 1], "trend", trend_json(&tr));
            size_t pos = 0;
            while (pos < json_array_size(lijst) &&
                   json_real_value(json_object_get(
                       json_object_get(json_array_get(lijst, pos), "trend"), "afwijking")) >=
                       round(tr.afwijking * 100) / 100)
                pos++;
            json_array_insert_new(lijst, pos, o);
        }
        i = e;
    }
    while (json_array_size(lijst) > 10)
        json_array_remove(lijst, json_array_size(lijst) - 1);
    return lijst;
}

/* GET /trends?kpi=…&periode=week&perioden=8&tot=…&kanaal=…&afdeling=…&onderwerp=… */
static omk_rc trends(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    trend_vraag t = {0};
    lees_trend(req, &ctx, &t);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    if (!t.kv.f.van)
        return omk__finish(req, &ctx, OMK_NOMEM);
    long long achterstand = 0;
    omk_rc rc = omk__st_bijwerken(omk__store(req), &achterstand);
    /* The KPIs per period, and the contacts per onderwerp and period. */
    t.kv.dims[0] = t.periode;
    t.kv.ndims = 1;
    kpi_job j = {.a = ctx.a, .v = &t.kv};
    if (!rc)
        rc = omk_store_read(omk__store(req), verzamel, &j);
    kpi_vraag ov = t.kv;
    ov.kpis[0] = kpi_find("contacten", 9);
    ov.nkpis = 1;
    ov.dims[0] = D_ONDERWERP;
    ov.dims[1] = t.periode;
    ov.ndims = 2;
    kpi_job oj = {.a = ctx.a, .v = &ov};
    bool onderwerpen = t.onderwerpen && !t.kv.f.onderwerp;
    if (!rc && onderwerpen)
        rc = omk_store_read(omk__store(req), verzamel, &oj);
    zv_job zj = {.t = &t, .a = ctx.a};
    if (!rc && onderwerpen && !t.kv.f.kanaal && !t.kv.f.afdeling)
        rc = omk_store_read(omk__store(req), zv_lees, &zj);
    if (rc)
        return omk__finish(req, &ctx, rc);
    sorteer(&j.gs);
    sorteer(&oj.gs);
    json_t *lijst = json_array();
    for (size_t i = 0; i < t.kv.nkpis; i++) {
        const st_kpi *k = t.kv.kpis[i];
        trend tr;
        json_t *reeks = trend_reeks(&t, k, &j.gs, NULL, &tr);
        json_array_append_new(lijst, json_pack("{s:s, s:s, s:s, s:o, s:o}", "kpi", k->naam,
                                               "naam", k->titel, "eenheid", k->eenheid, "reeks",
                                               reeks, "trend", trend_json(&tr)));
    }
    return omk_req_reply_json(
        req, 200,
        json_pack("{s:s, s:s, s:s, s:i, s:I, s:s, s:o, s:o, s:o}", "van", t.kv.f.van, "tot",
                  t.kv.f.tot, "periode", DIMS[t.periode], "perioden", t.perioden,
                  "achterstand", (json_int_t)achterstand, "regel", TREND_REGEL, "resultaten",
                  lijst, "stijgendeOnderwerpen",
                  onderwerpen ? stijgende_onderwerpen(&t, &oj.gs) : json_array(),
                  "stijgendeZoekvragen", stijgende_zoekvragen(&zj)));
}

size_t omk__st_trend_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", ST_BASE "/trends", trends, NULL, &omk__st_api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
