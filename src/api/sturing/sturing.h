/* Internal contract of steering on data (/sturing/api/v1, docs/internals/sturing.md): the KPIs
 * computed from the store's rollups (omk/store_sturing.h), SMART goals with their PDCA log and
 * the tariff table for the cost per contact. Aggregates only: no route here shows a person. */
#ifndef OMK_API_STURING_H
#define OMK_API_STURING_H

#include "engine/engine.h"
#include "omk/store_sturing.h"

#define ST_BASE "/sturing/api/v1"

extern const omk_api_info omk__st_api;
/* The OpenAPI document (src/api/sturing/openapi.json, embedded by the build). */
extern const char omk__openapi_sturing[];
extern const size_t omk__openapi_sturing_len;

/* Every route of the capability: writes up to cap entries, returns how many. */
size_t omk__sturing_routes(omk_route *out, size_t cap);
size_t omk__st_kpi_routes(omk_route *out, size_t cap);
size_t omk__st_doel_routes(omk_route *out, size_t cap);

/* The declared resources (doelen.c). */
extern const omk_resource omk__st_doel, omk__st_pdca, omk__st_tarief;
enum { ST_TARIEF_KANAAL, ST_TARIEF_BEDRAG, ST_TARIEF_BRON };

/* A tariff that is set: its kanaal and amount in cents. */
typedef struct st_tarief {
    const char *kanaal;
    int64_t cent;
} st_tarief;

/* The tariffs that are set (kanalen without an amount left out), in a's memory. */
OMK_MUST_CHECK omk_rc omk__st_tarieven(omk_db *db, omk_arena *a, st_tarief **out, size_t *n);

/* The tariff of kanaal among t[0..n), or NULL. */
const st_tarief *omk__st_tarief_van(const st_tarief *t, size_t n, const char *kanaal);

/* The channel mix, the channel-shift what-if and the web transactions (kanaalsturing.c). */
size_t omk__st_kanaal_routes(omk_route *out, size_t cap);
extern const omk_resource omk__st_webtransactie, omk__st_mixdoel;

/* The demo's tariffs, web transactions and goals (demo.c), in one write. */
OMK_MUST_CHECK omk_rc omk__st_demo_load(omk_store *s, unsigned seed);

/* The trend monitor (kpis.c): GET /trends. */
size_t omk__st_trend_routes(omk_route *out, size_t cap);

/* Checks van and tot of a request (the last 30 days when absent), errors into ctx. */
void omk__st_periode_check(omk_api_ctx *ctx, omk_sturing_filter *f);

/* Takes queued changes into the rollups (at most 3 write jobs of 2000 keys), so the figures
 * read next are exact for everything written before this call unless a burst of writes left
 * more: *achterstand (may be NULL) gets how many changes are still queued then (0: exact). */
OMK_MUST_CHECK omk_rc omk__st_bijwerken(omk_store *s, long long *achterstand);

/* One small write job (at most 500 keys), for the background catch-up. */
OMK_MUST_CHECK omk_rc omk__st_bijwerken_een(omk_store *s);

/* How many changes wait, and how many were ever queued (omk_db_sturing_wachtend). */
OMK_MUST_CHECK omk_rc omk__st_wachtend(omk_store *s, long long *wachtend, long long *ooit);

/* Whether `naam` is a KPI (kpis.c), and its unit ("aantal", "procent", "seconden",
 * "werkdagen", "euro"), or NULL when it is none. */
const char *omk__st_kpi_eenheid(const char *naam);

/* The value of KPI `naam` over dag van..tot (inclusive, YYYY-MM-DD) narrowed by the non-empty
 * dimensions of f; *heeft false when there is nothing to divide by (no contacts, calls, …).
 * Reads on the caller's connection (after omk__st_bijwerken). */
OMK_MUST_CHECK omk_rc omk__st_kpi_waarde(omk_db *db, omk_arena *a, const char *naam,
                                         const omk_sturing_filter *f, double *waarde,
                                         bool *heeft);

#endif
