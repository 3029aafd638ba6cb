/* The Mijn-omgeving's API (/mijn/api/v1): what a logged-in resident sees of their own data. */
#ifndef OMK_API_MIJN_H
#define OMK_API_MIJN_H

#include "engine/engine.h"

/* The residents' routes: writes up to cap entries, returns how many. */
size_t omk__mijn_routes(omk_route *out, size_t cap);
/* The API's OpenAPI document (openapi.json in this folder, embedded at build time; served by the engine at
 * openapi.json and openapi.yaml). */
extern const char omk__openapi_mijn[];
extern const size_t omk__openapi_mijn_len;



#endif
