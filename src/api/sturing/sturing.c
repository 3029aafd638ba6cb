/* Steering on data (/sturing/api/v1): the capability's API description and its table of
 * routes, gathered from its parts (kpis.c, doelen.c), read-only after start-up; and the
 * background catch-up of the KPI rollups (one ticker thread). */
#include <string.h>

#include "omk/log.h"
#include "omk/ticker.h"
#include "omk/util.h"
#include "sturing/sturing.h"

/* The document's routes (openapi.json, openapi.yaml) are the engine's: engine/openapi.c. */
const omk_api_info omk__st_api = {ST_BASE, "0.1.0", omk__openapi_sturing, 0};

size_t omk__sturing_routes(omk_route *out, size_t cap)
{
    size_t n = omk__st_kpi_routes(out, cap);
    n += omk__st_doel_routes(out + n, cap - n);
    n += omk__st_kanaal_routes(out + n, cap - n);
    n += omk__st_trend_routes(out + n, cap - n);
    return n;
}

/* ---- background catch-up ---- */

static struct {
    omk_store *store;
    omk_ticker *ticker;
    long long ooit;  /* keys ever queued at the previous tick */
    int overgeslagen; /* ticks skipped in a row */
    bool ontbreekt;   /* the store has no rollups (OMK_UNSUPPORTED, said once): no more ticks */
} g;

/* One job of at most 500 keys a second — far more than a municipality writes — except while a
 * burst of writes goes on (more than 200 changes arrived since the previous tick): then the
 * catch-up, which costs a few queries a key, would take the writes' share of the machine, so
 * it waits, at most 30 ticks. A reader of the figures takes some in first and says how many
 * changes its answer still lacks. */
static bool bijwerken_tik(void *arg)
{
    (void)arg;
    if (g.ontbreekt)
        return false;
    long long wachtend = 0, ooit = 0;
    omk_rc rc = omk__st_wachtend(g.store, &wachtend, &ooit);
    long long nieuw = ooit >= g.ooit ? ooit - g.ooit : ooit; /* ids restart on an empty queue */
    g.ooit = ooit;
    if (!rc && wachtend > 0 && (nieuw <= 200 || ++g.overgeslagen >= 30)) {
        g.overgeslagen = 0;
        rc = omk__st_bijwerken_een(g.store);
    }
    if (rc == OMK_UNSUPPORTED) {
        g.ontbreekt = true;
        omk_log_error("sturing", "this database has no KPI rollups: the catch-up stops");
    } else if (rc) {
        omk_log_error("sturing", "catching up the KPI rollups failed: %s", omk_rc_name(rc));
    }
    return false;
}

omk_rc omk_api_sturing_start(omk_store *s)
{
    g.store = s;
    g.ooit = 0;
    g.overgeslagen = 0;
    g.ontbreekt = false;
    return omk_ticker_start(1000, true, bijwerken_tik, NULL, &g.ticker);
}

void omk_api_sturing_stop(void)
{
    omk_ticker_stop(g.ticker);
    g.ticker = NULL;
}
