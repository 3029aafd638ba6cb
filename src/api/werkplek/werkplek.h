/* The werkplek's own API (/werkplek/api/v1): contact sessions. Every contact an employee
 * handles at the KCC desk — a new contactmoment, a call offered by the telephone platform, an
 * accepted chat, a werkvoorraad item — is a session on the server with its own partijen (the
 * residents opened or chosen in it), the active one, the draft, and, at wrap-up, for whom it
 * was saved. The desk registers contacts only through its session, and the server refuses a
 * partij that was not opened in that session, so a stale page cannot write to the wrong
 * person. See docs/internals/werkplek.md. */
#ifndef OMK_API_WERKPLEK_H
#define OMK_API_WERKPLEK_H

#include "engine/engine.h"

#define WP_BASE "/werkplek/api/v1"

/* The werkplek's routes: writes up to cap entries, returns how many. */
size_t omk__werkplek_routes(omk_route *out, size_t cap);
/* The API's OpenAPI document (openapi.json in this folder, embedded at build time; served by the engine at
 * openapi.json and openapi.yaml). */
extern const char omk__openapi_werkplek[];
extern const size_t omk__openapi_werkplek_len;


#endif
