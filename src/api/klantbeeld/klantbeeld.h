/* Internal contract of the klantbeeld capability: the integral view (klantbeeld.c) over the
 * register and the source systems, and identity — duplicates and merges (identiteit.c). */
#ifndef OMK_API_KLANTBEELD_H
#define OMK_API_KLANTBEELD_H

#include <stdbool.h>

#include "engine/doelbinding.h"
#include "engine/logboek.h"
#include "kanalen/kanalen.h"
#include "omk/sources.h"

/* ---- identity: duplicates and merges (identiteit.c) ---- */
size_t omk__identiteit_routes(omk_route *out, size_t cap, const omk_api_info *api);

/* ---- klantbeeld ---- */

/* The source settings the klantbeeld uses (set once before serving). */
void omk__klantbeeld_set_sources(const omk_sources_config *cfg);
/* Which sources are the demo's fictional ones (demobronnen.c): the klantbeeld names them in
 * its answer (fictieveBronnen), so no screen passes them off as real. */
void omk__klantbeeld_set_fictief(const bool fictief[OMK_BRON_COUNT]);
/* What the klantbeeld makes of one source's answer (BRP → persoon, Zaken → zaken, KvK →
 * bedrijf) under the views `zie`; any JSON is accepted. New reference; exposed for the fuzz
 * target. */
json_t *omk__klantbeeld_map(omk_bron bron, json_t *answer, unsigned zie);

/* Routes of /klantbeeld/api/v1 (including the logboek's). */
size_t omk__klantbeeld_routes(omk_route *out, size_t cap);

/* The klantbeeld's OpenAPI document, embedded at build time. */
extern const char omk__openapi_klantbeeld[];
extern const size_t omk__openapi_klantbeeld_len;

#endif
