/* The data subject's rights (AVG art. 15; ../shared/spec/standards-2.md §6): everything the
 * register and the channels hold about one person, as one export (/avg/api/v1). */
#ifndef OMK_API_AVG_H
#define OMK_API_AVG_H

#include "engine/engine.h"

/* The legal holds (bewaarplichten, bewaren.c): a resource whose subjects are a partij or a
 * zaak, by the row's kind. */
extern const omk_resource omk__avg_bewaarplicht;

/* The routes of /avg/api/v1: writes up to cap entries, returns how many. */
size_t omk__avg_routes(omk_route *out, size_t cap);

/* The API's OpenAPI document (openapi.json in this folder, embedded at build time; served by
 * the engine at openapi.json and openapi.yaml). */
extern const char omk__openapi_avg[];
extern const size_t omk__openapi_avg_len;

#endif
