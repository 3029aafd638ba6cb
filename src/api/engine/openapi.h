/* Internal contract of the OpenAPI documents' routes (openapi.c): every API whose omk_api_info
 * carries a document gets GET <base>/openapi.json and <base>/openapi.yaml (public). */
#ifndef OMK_API_ENGINE_OPENAPI_H
#define OMK_API_ENGINE_OPENAPI_H

#include <stddef.h>

#include "omk/http.h"

/* Appends to routes[0..*n) (room for cap) the two document routes of each API named by a route
 * there that has a document and does not serve it already; renders each YAML once. Call once,
 * before serving. OMK_TOOBIG when the table is full, OMK_INVALID (with a line on stderr) when a
 * document is not valid JSON. */
OMK_MUST_CHECK omk_rc omk__openapi_routes(omk_route *routes, size_t *n, size_t cap);

#endif
