/* The kennisbank (/kennisbank/api/v1): articles rendered per channel, Dutch full-text search,
 * usage and gaps (kennisbank.c), the demo articles (demo.c) and import/export (io.c). */
#ifndef OMK_API_KENNISBANK_H
#define OMK_API_KENNISBANK_H

#include "klantinteracties/klantinteracties.h"
#include "omk/search.h"

/* The declared resources: articles, their versions, and which article answered a contact. */
extern const omk_resource omk__kb_artikel, omk__kb_versie, omk__kb_gebruik;
/* The search log (every search, with how many results; retention in avg/bewaren.c). */
extern const omk_resource omk__kb_zoekvraag;

/* The kennisbank's routes: writes up to cap entries, returns how many. */
size_t omk__kb_routes(omk_route *out, size_t cap);
/* The municipality-wide synonym list (synoniemen.c): its routes under the kennisbank's API
 * `api` (writes up to cap entries, returns how many), and the groups holding a word of the
 * query q as the search's synonym list (omk_search_match_ex), read in db's snapshot; *out
 * and what it points to live in a. */
size_t omk__kb_synoniemen_routes(const omk_api_info *api, omk_route *out, size_t cap);
OMK_MUST_CHECK omk_rc omk__kb_synoniemen_voor(omk_db *db, omk_arena *a, const char *q,
                                              omk_search_synonyms *out);
/* The API's OpenAPI document (openapi.json in this folder, embedded at build time; served by the engine at
 * openapi.json and openapi.yaml). */
extern const char omk__openapi_kennisbank[];
extern const size_t omk__openapi_kennisbank_len;

/* The demo articles in the import format (demo.json), embedded at build time. */
extern const char omk__kb_demo_json[];
extern const size_t omk__kb_demo_json_len;

/* Loads the demo articles inside a write transaction (demo.c). */
OMK_MUST_CHECK omk_rc omk__kb_demo_load(omk_db *db, unsigned seed);

#endif
