/* Steering the channels (seed 5.1.3–5.1.4, docs/internals/sturing.md): the web transactions
 * the website's e-services report (the self-service share's numerator), the channel mix per
 * klantgroep and onderwerp, and the channel-shift what-if ("if X% of the telephone contacts
 * on onderwerp Y move to the website, cost changes by €Z"). Aggregates only; reads the
 * rollups and the tariff table. Any worker thread. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "omk/util.h"
#include "sturing/sturing.h"

/* ---- web transactions (declared resource) ---- */

static const omk_field WEB_FIELDS[] = {
    {.json = "dag", .column = "dag", .type = OMK_F_DATE, .flags = OMK_REQ},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .flags = OMK_REQ,
     .max_len = 200},
    {.json = "aantal", .column = "aantal", .type = OMK_F_INT, .flags = OMK_REQ, .min = 0,
     .max = 10000000},
    {.json = "bron", .column = "bron", .type = OMK_F_STRING, .max_len = 100},
};

static const omk_filter WEB_FILTERS[] = {
    {"dag", "dag", OMK_OP_EQ},
    {"product", "product", OMK_OP_EQ},
    {"bron", "bron", OMK_OP_EQ},
};

const omk_resource omk__st_webtransactie = {
    .name = "webtransacties", .model = "Webtransactie", .table = "sturing_webtransacties",
    .fields = WEB_FIELDS, .nfields = OMK_COUNT(WEB_FIELDS), .filters = WEB_FILTERS,
    .nfilters = OMK_COUNT(WEB_FILTERS), .api_base = ST_BASE, .order_ascending = true,
};

/* ---- the desired mix (seed 5.1.4): per klantgroep and kanaal a share and a course ---- */

static const char *const KLANTGROEPEN[] = {"persoon", "organisatie", "contactpersoon", "onbekend",
                                           NULL};
static const char *const KOERSEN[] = {"investeren", "ondersteunen", "reduceren", NULL};
enum { MD_KLANTGROEP, MD_KANAAL, MD_AANDEEL, MD_KOERS, MD_TOELICHTING };

static const omk_field MIXDOEL_FIELDS[] = {
    [MD_KLANTGROEP] = {.json = "klantgroep", .column = "klantgroep", .type = OMK_F_ENUM,
                       .flags = OMK_REQ, .choices = KLANTGROEPEN},
    [MD_KANAAL] = {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING, .flags = OMK_REQ,
                   .max_len = 50},
    [MD_AANDEEL] = {.json = "gewenstAandeel", .column = "gewenst_aandeel", .type = OMK_F_INT,
                    .flags = OMK_REQ, .min = 0, .max = 100},
    [MD_KOERS] = {.json = "koers", .column = "koers", .type = OMK_F_ENUM, .flags = OMK_REQ,
                  .choices = KOERSEN},
    [MD_TOELICHTING] = {.json = "toelichting", .column = "toelichting", .type = OMK_F_STRING,
                        .max_len = 2000},
};

static const omk_filter MIXDOEL_FILTERS[] = {{"klantgroep", "klantgroep", OMK_OP_EQ}};

const omk_resource omk__st_mixdoel = {
    .name = "kanaalmixdoelen", .model = "Kanaalmixdoel", .table = "sturing_mixdoelen",
    .fields = MIXDOEL_FIELDS, .nfields = OMK_COUNT(MIXDOEL_FIELDS), .filters = MIXDOEL_FILTERS,
    .nfilters = OMK_COUNT(MIXDOEL_FILTERS), .api_base = ST_BASE, .order_ascending = true,
};

/* ---- the channel mix ---- */

typedef struct mix_vraag {
    omk_sturing_filter f;
    bool per_klantgroep;
} mix_vraag;

typedef struct mix_job {
    const mix_vraag *v;
    omk_arena *a;
    json_t *rijen; /* [{kanaal, klantgroep, onderwerp, contacten}] as the store gives them */
    omk_rowset doelen; /* the desired mix */
} mix_job;

static omk_rc mix_rij(const omk_sturing_mixrij *r, void *arg)
{
    mix_job *j = arg;
    json_array_append_new(j->rijen, json_pack("{s:s, s:s, s:s, s:I}", "kanaal", r->kanaal,
                                              "klantgroep", r->klantgroep, "onderwerp",
                                              r->onderwerp, "contacten",
                                              (json_int_t)r->contacten));
    return OMK_OK;
}

static omk_rc mix_lees(omk_db *db, void *arg)
{
    mix_job *j = arg;
    omk_query q = {.limit = 1000};
    omk_rc rc = j->v->per_klantgroep
                    ? omk_db_list(db, &omk__st_mixdoel, &q, j->a, &j->doelen, NULL)
                    : OMK_OK;
    return rc ? rc : omk_db_sturing_mix(db, &j->v->f, j->v->per_klantgroep, mix_rij, j);
}

static json_t *mix_sleutel(const mix_vraag *v, json_t *rij)
{
    json_t *k = json_object();
    if (v->per_klantgroep)
        json_object_set(k, "klantgroep", json_object_get(rij, "klantgroep"));
    if (v->f.per_onderwerp)
        json_object_set(k, "onderwerp", json_object_get(rij, "onderwerp"));
    return k;
}

/* Gathers the store's rows into one group per key with its contacts per kanaal and each
 * kanaal's share of the group (percent, two decimals), groups and kanalen by name. */
static json_t *mix_groepen(const mix_vraag *v, json_t *rijen)
{
    json_t *groepen = json_array();
    size_t i;
    json_t *rij;
    json_array_foreach(rijen, i, rij) {
        /* The store orders by key: a row belongs to the last group or starts one. */
        json_t *k = mix_sleutel(v, rij);
        json_t *g = json_array_size(groepen) ? json_array_get(groepen, json_array_size(groepen) - 1)
                                             : NULL;
        if (g && !json_equal(json_object_get(g, "sleutel"), k))
            g = NULL;
        if (!g) {
            g = json_pack("{s:o, s:I, s:[]}", "sleutel", k, "contacten", (json_int_t)0,
                          "kanalen");
            json_array_append_new(groepen, g);
        } else
            json_decref(k);
        json_int_t n = json_integer_value(json_object_get(rij, "contacten"));
        json_object_set_new(g, "contacten",
                            json_integer(json_integer_value(json_object_get(g, "contacten")) + n));
        json_array_append_new(json_object_get(g, "kanalen"),
                              json_pack("{s:O, s:I}", "kanaal", json_object_get(rij, "kanaal"),
                                        "contacten", n));
    }
    json_t *g;
    json_array_foreach(groepen, i, g) {
        double totaal = (double)json_integer_value(json_object_get(g, "contacten"));
        size_t ki;
        json_t *kan;
        json_array_foreach(json_object_get(g, "kanalen"), ki, kan) {
            double n = (double)json_integer_value(json_object_get(kan, "contacten"));
            json_object_set_new(kan, "aandeel",
                                json_real(totaal > 0 ? round(n / totaal * 10000) / 100 : 0));
        }
    }
    return groepen;
}

/* Sets each kanaal's desired share and course of its klantgroep (null when none is set), and
 * adds the kanalen with a target but no contacts. */
static void mix_doelen(const mix_job *j, json_t *groepen)
{
    size_t i;
    json_t *g;
    json_array_foreach(groepen, i, g) {
        const char *kg = json_string_value(json_object_get(json_object_get(g, "sleutel"),
                                                           "klantgroep"));
        json_t *kanalen = json_object_get(g, "kanalen");
        for (size_t d = 0; kg && d < j->doelen.n; d++) {
            const omk_value *v = j->doelen.rows[d].v;
            if (strcmp(v[MD_KLANTGROEP].s, kg) != 0)
                continue;
            json_t *k = NULL;
            size_t ki;
            json_t *kand;
            json_array_foreach(kanalen, ki, kand) {
                if (strcmp(json_string_value(json_object_get(kand, "kanaal")),
                           v[MD_KANAAL].s) == 0)
                    k = kand;
            }
            if (!k) {
                k = json_pack("{s:s, s:i, s:f}", "kanaal", v[MD_KANAAL].s, "contacten", 0,
                              "aandeel", 0.0);
                json_array_append_new(kanalen, k);
            }
            json_object_set_new(k, "gewenstAandeel", json_integer(v[MD_AANDEEL].i));
            json_object_set_new(k, "koers", json_string(v[MD_KOERS].s));
        }
        size_t ki;
        json_t *k;
        json_array_foreach(kanalen, ki, k) {
            if (!json_object_get(k, "gewenstAandeel")) {
                json_object_set_new(k, "gewenstAandeel", json_null());
                json_object_set_new(k, "koers", json_null());
            }
        }
    }
}

/* GET /kanaalmix?van=…&tot=…&groepeerOp=klantgroep,onderwerp&kanaal=…&onderwerp=… */
static omk_rc kanaalmix(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    mix_vraag v = {0};
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    bool gegroepeerd = false;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *val = q[i].value;
        if (strcmp(k, "van") == 0)
            v.f.van = val;
        else if (strcmp(k, "tot") == 0)
            v.f.tot = val;
        else if (strcmp(k, "kanaal") == 0)
            v.f.kanaal = val;
        else if (strcmp(k, "onderwerp") == 0)
            v.f.onderwerp = val;
        else if (strcmp(k, "groepeerOp") == 0) {
            gegroepeerd = true;
            for (const char *p = val;;) {
                const char *e = strchr(p, ',');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                if (n == 10 && strncmp(p, "klantgroep", n) == 0)
                    v.per_klantgroep = true;
                else if (n == 9 && strncmp(p, "onderwerp", n) == 0)
                    v.f.per_onderwerp = true;
                else
                    omk_api_err_add(&ctx, "groepeerOp", "invalid_choice",
                                    "Kies klantgroep, onderwerp of beide.");
                if (!e)
                    break;
                p = e + 1;
            }
        } else
            omk_api_err_add(&ctx, k, "unknown", "Onbekende parameter.");
    }
    if (!gegroepeerd)
        v.per_klantgroep = true;
    omk__st_periode_check(&ctx, &v.f);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    long long achterstand = 0;
    mix_job j = {.v = &v, .a = ctx.a, .rijen = json_array()};
    omk_rc rc = omk__st_bijwerken(omk__store(req), &achterstand);
    if (!rc)
        rc = omk_store_read(omk__store(req), mix_lees, &j);
    if (rc) {
        json_decref(j.rijen);
        return omk__finish(req, &ctx, rc);
    }
    json_t *dims = json_array();
    if (v.per_klantgroep)
        json_array_append_new(dims, json_string("klantgroep"));
    if (v.f.per_onderwerp)
        json_array_append_new(dims, json_string("onderwerp"));
    json_t *groepen = mix_groepen(&v, j.rijen);
    json_decref(j.rijen);
    if (v.per_klantgroep)
        mix_doelen(&j, groepen);
    return omk_req_reply_json(
        req, 200,
        json_pack("{s:s, s:s, s:o, s:I, s:s, s:o}", "van", v.f.van, "tot", v.f.tot, "groepeerOp",
                  dims, "achterstand", (json_int_t)achterstand, "klantgroep",
                  "De soort van de partij van het contact: persoon, organisatie of "
                  "contactpersoon; onbekend als het contact aan geen partij is gekoppeld.",
                  "groepen", groepen));
}

/* ---- the channel-shift what-if ---- */

typedef struct wat_als {
    omk_sturing_filter f;
    const char *van_kanaal, *naar_kanaal;
    long long procent;
    /* answers */
    double contacten;
    bool heeft;
    const st_tarief *t_van, *t_naar;
    bool van_bekend, naar_bekend;
    st_tarief *tarieven;
    size_t ntarieven;
    omk_arena *a;
} wat_als;

static omk_rc wat_als_lees(omk_db *db, void *arg)
{
    wat_als *w = arg;
    omk_query q = {0};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__st_tarief, &q, w->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *k = rows.rows[i].v[ST_TARIEF_KANAAL].s;
        w->van_bekend |= strcmp(k, w->van_kanaal) == 0;
        w->naar_bekend |= strcmp(k, w->naar_kanaal) == 0;
    }
    if (rc || !w->van_bekend || !w->naar_bekend)
        return rc;
    rc = omk__st_tarieven(db, w->a, &w->tarieven, &w->ntarieven);
    if (rc)
        return rc;
    w->t_van = omk__st_tarief_van(w->tarieven, w->ntarieven, w->van_kanaal);
    w->t_naar = omk__st_tarief_van(w->tarieven, w->ntarieven, w->naar_kanaal);
    omk_sturing_filter f = w->f;
    f.kanaal = w->van_kanaal;
    return omk__st_kpi_waarde(db, w->a, "contacten", &f, &w->contacten, &w->heeft);
}

static json_t *euro(bool heeft, double cent)
{
    return heeft ? json_real(round(cent) / 100.0) : json_null();
}

/* GET /kanaalverschuiving?vanKanaal=telefoon&naarKanaal=website&percentage=20&onderwerp=…
 * &van=…&tot=…: the contacts on vanKanaal in the period (on the onderwerp), the share that
 * moves, and the cost before and after from the tariff table. */
static omk_rc kanaalverschuiving(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wat_als w = {.a = ctx.a, .procent = -1};
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *val = q[i].value;
        if (strcmp(k, "van") == 0)
            w.f.van = val;
        else if (strcmp(k, "tot") == 0)
            w.f.tot = val;
        else if (strcmp(k, "onderwerp") == 0)
            w.f.onderwerp = *val ? val : NULL;
        else if (strcmp(k, "afdeling") == 0)
            w.f.afdeling = *val ? val : NULL;
        else if (strcmp(k, "vanKanaal") == 0)
            w.van_kanaal = val;
        else if (strcmp(k, "naarKanaal") == 0)
            w.naar_kanaal = val;
        else if (strcmp(k, "percentage") == 0) {
            char *end = NULL;
            long long n = strtoll(val, &end, 10);
            w.procent = *val && !*end && n >= 1 && n <= 100 ? n : 0;
            if (!w.procent)
                omk_api_err_add(&ctx, "percentage", "invalid",
                                "Geef een geheel percentage van 1 tot en met 100.");
        } else
            omk_api_err_add(&ctx, k, "unknown", "Onbekende parameter.");
    }
    if (!w.van_kanaal || !*w.van_kanaal)
        omk_api_err_add(&ctx, "vanKanaal", "required", "Kies het kanaal waar contacten vandaan gaan.");
    if (!w.naar_kanaal || !*w.naar_kanaal)
        omk_api_err_add(&ctx, "naarKanaal", "required", "Kies het kanaal waar contacten heen gaan.");
    else if (w.van_kanaal && strcmp(w.van_kanaal, w.naar_kanaal) == 0)
        omk_api_err_add(&ctx, "naarKanaal", "invalid", "Kies een ander kanaal dan het kanaal waar "
                        "de contacten vandaan komen.");
    if (w.procent < 0)
        omk_api_err_add(&ctx, "percentage", "required", "Geef het percentage dat verschuift.");
    omk__st_periode_check(&ctx, &w.f);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_rc rc = omk__st_bijwerken(omk__store(req), NULL);
    if (!rc)
        rc = omk_store_read(omk__store(req), wat_als_lees, &w);
    if (!rc && !w.van_bekend)
        omk_api_err_add(&ctx, "vanKanaal", "invalid_choice",
                        "Geen kanaal uit de tarieventabel; zie /sturing/api/v1/tarieven.");
    if (!rc && !w.naar_bekend)
        omk_api_err_add(&ctx, "naarKanaal", "invalid_choice",
                        "Geen kanaal uit de tarieventabel; zie /sturing/api/v1/tarieven.");
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc ? rc : OMK_INVALID);
    long long n = w.heeft ? (long long)w.contacten : 0;
    long long verschoven = (n * w.procent + 50) / 100;
    bool kosten = w.t_van && w.t_naar;
    double voor = kosten ? (double)n * (double)w.t_van->cent : 0;
    double na = kosten ? (double)(n - verschoven) * (double)w.t_van->cent +
                             (double)verschoven * (double)w.t_naar->cent
                       : 0;
    json_t *ontbreekt = json_array();
    if (!w.t_van)
        json_array_append_new(ontbreekt, json_string(w.van_kanaal));
    if (!w.t_naar)
        json_array_append_new(ontbreekt, json_string(w.naar_kanaal));
    return omk_req_reply_json(
        req, 200,
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o,"
                  " s:s}",
                  "van", w.f.van, "tot", w.f.tot, "vanKanaal", w.van_kanaal, "naarKanaal",
                  w.naar_kanaal, "onderwerp",
                  w.f.onderwerp ? json_string(w.f.onderwerp) : json_null(), "percentage",
                  (json_int_t)w.procent, "contacten", (json_int_t)n, "verschoven",
                  (json_int_t)verschoven, "overblijvend", (json_int_t)(n - verschoven),
                  "tariefVan", euro(w.t_van != NULL, w.t_van ? (double)w.t_van->cent : 0),
                  "tariefNaar", euro(w.t_naar != NULL, w.t_naar ? (double)w.t_naar->cent : 0),
                  "kostenVoor", euro(kosten, voor), "kostenNa", euro(kosten, na), "verschil",
                  euro(kosten, na - voor), "ontbrekendeTarieven", ontbreekt, "uitleg",
                  "kosten = contacten × tarief van het kanaal; na de verschuiving blijven "
                  "(100 − percentage)% van de contacten op het eerste kanaal en gaan er "
                  "percentage% naar het tweede. Verschil < 0 is een besparing. De "
                  "capaciteit die vrijkomt is het aantal verschoven contacten op het eerste "
                  "kanaal in de periode."));
}

size_t omk__st_kanaal_routes(omk_route *out, size_t cap)
{
    const omk_resource *wt = &omk__st_webtransactie, *md = &omk__st_mixdoel;
    const omk_api_info *api = &omk__st_api;
    const omk_route routes[] = {
        {"GET", ST_BASE "/webtransacties", omk__res_list, wt, api, 0, 0, NULL},
        {"POST", ST_BASE "/webtransacties", omk__res_create, wt, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", ST_BASE "/webtransacties/{uuid}", omk__res_read, wt, api, 0, 0, NULL},
        {"PATCH", ST_BASE "/webtransacties/{uuid}", omk__res_patch, wt, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"DELETE", ST_BASE "/webtransacties/{uuid}", omk__res_delete, wt, api, 0, 0, NULL},
        {"GET", ST_BASE "/kanaalmix", kanaalmix, NULL, api, 0, 0, NULL},
        {"GET", ST_BASE "/kanaalmixdoelen", omk__res_list, md, api, 0, 0, NULL},
        {"POST", ST_BASE "/kanaalmixdoelen", omk__res_create, md, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", ST_BASE "/kanaalmixdoelen/{uuid}", omk__res_read, md, api, 0, 0, NULL},
        {"PATCH", ST_BASE "/kanaalmixdoelen/{uuid}", omk__res_patch, md, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"DELETE", ST_BASE "/kanaalmixdoelen/{uuid}", omk__res_delete, md, api, 0, 0, NULL},
        {"GET", ST_BASE "/kanaalverschuiving", kanaalverschuiving, NULL, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
