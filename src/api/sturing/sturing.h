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
