/* Channel figures for the manager (/kanalen/api/v1/statistieken): counts only — klantcontacten
 * per kanaal and contactverzoeken by state — so a role that may not read the register or the
 * requests (no personal data) still sees how the channels are used. Until the KPI dashboard
 * exists this is what the manager's start page shows. Any worker thread. */
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/calendar.h"
#include "omk/util.h"

/* The register's kanaal names, in the order the page shows them. */
static const char *const KANAALNAMEN[] = {"telefoon", "e-mail", "balie", "website", "chat",
                                          "whatsapp", "social media", "post"};
#define NKANALEN (sizeof KANAALNAMEN / sizeof KANAALNAMEN[0])

typedef struct stat_job {
    omk_arena *a;
    long long per_kanaal[NKANALEN], contacten, open, te_laat, afgehandeld;
} stat_job;

static omk_rc count(omk_db *db, omk_arena *a, const omk_resource *r, const omk_filter_arg *f,
                    size_t nf, long long *n)
{
    omk_query q = {.filters = f, .nfilters = nf, .limit = 1};
    omk_rowset rows = {0};
    return omk_db_list(db, r, &q, a, &rows, n);
}

static omk_rc gather(omk_db *db, void *arg)
{
    stat_job *j = arg;
    static const omk_filter BY_KANAAL = {"_kanaal", "kanaal", OMK_OP_EQ};
    static const omk_filter BY_STATUS = {"_status", "status", OMK_OP_EQ};
    static const omk_filter BEFORE = {"_voor", "deadline", OMK_OP_LT};
    omk_rc rc = count(db, j->a, &omk__ki_klantcontact, NULL, 0, &j->contacten);
    for (size_t i = 0; !rc && i < NKANALEN; i++) {
        omk_filter_arg f = {&BY_KANAAL, KANAALNAMEN[i]};
        rc = count(db, j->a, &omk__ki_klantcontact, &f, 1, &j->per_kanaal[i]);
    }
    omk_filter_arg open = {&BY_STATUS, "open"}, closed = {&BY_STATUS, "afgehandeld"};
    char today[11];
    omk_cal_format(omk_cal_local_day(omk_now_ms() * 1000), today);
    omk_filter_arg late[] = {{&BY_STATUS, "open"}, {&BEFORE, today}};
    if (!rc)
        rc = count(db, j->a, &omk__kv_contactverzoek, &open, 1, &j->open);
    if (!rc)
        rc = count(db, j->a, &omk__kv_contactverzoek, late, 2, &j->te_laat);
    if (!rc)
        rc = count(db, j->a, &omk__kv_contactverzoek, &closed, 1, &j->afgehandeld);
    return rc;
}

/* GET /statistieken: {"klantcontacten": {"totaal", "perKanaal": {kanaal: n}},
 * "contactverzoeken": {"open", "teLaat", "afgehandeld"}}. */
static omk_rc statistieken(omk_req *req)
{
    stat_job j = {.a = omk_req_arena(req)};
    omk_rc rc = omk_store_read(omk__store(req), gather, &j);
    if (rc)
        return rc;
    json_t *per = json_object();
    for (size_t i = 0; i < NKANALEN; i++)
        json_object_set_new(per, KANAALNAMEN[i], json_integer(j.per_kanaal[i]));
    return omk_req_reply_json(
        req, 200,
        json_pack("{s:{s:I, s:o}, s:{s:I, s:I, s:I}}", "klantcontacten", "totaal",
                  (json_int_t)j.contacten, "perKanaal", per, "contactverzoeken", "open",
                  (json_int_t)j.open, "teLaat", (json_int_t)j.te_laat, "afgehandeld",
                  (json_int_t)j.afgehandeld));
}

size_t omk__stat_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", KAN_BASE "/statistieken", statistieken, NULL, &omk__kan_api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
