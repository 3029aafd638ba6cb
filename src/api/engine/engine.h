/* The engine of the API layer, the contract every capability (klantinteracties/, kanalen/,
 * kennisbank/, klantbeeld/, mijn/) builds on: the request context and its error hand-over, the
 * generic handlers of declared resources, web sessions, notifications and shared validation.
 * The access matrix (toegang.h), doelbinding (doelbinding.h) and the Logboek (logboek.h) have
 * headers of their own. */
#ifndef OMK_API_ENGINE_H
#define OMK_API_ENGINE_H

#include "omk/api.h"
#include "omk/http.h"
#include "engine/resource.h"

/* The store this request's handlers use: the one the server was started with (omk_api_serve
 * config's app), so no module reaches for a global. */
static inline omk_store *omk__store(const omk_req *req)
{
    return omk_req_server_app(req);
}

/* Shared by handlers: request context, error hand-over, JSON body, uuid path parameter. */
void omk__ctx_init(omk_api_ctx *ctx, omk_req *req);
/* Sets the context's field rules from doelbinding views (OMK_ZIE_*), e.g. the klantbeeld's,
 * whose purpose its request names. omk__ctx_init sets them from the request's purpose. */
void omk__ctx_zicht(omk_api_ctx *ctx, unsigned zie);
omk_rc omk__finish(omk_req *req, omk_api_ctx *ctx, omk_rc rc);
omk_rc omk__path_uuid(omk_req *req, const char **out);
/* The link to another page of a list: the request's own parameters sorted by key, with `page`
 * replaced (left out for page 1), as the reference implementation builds it; in the arena, or
 * NULL when out of memory. The one page-link builder of every paged API. */
const char *omk__page_link(omk_req *req, omk_api_ctx *ctx, long long page);

/* Web sessions (auth.c): the routes, and the cookie authentication the auth callback falls
 * back to when a request has no Authorization header (sets principal, role as scope, and the
 * BSN as subject for residents; refuses a state-changing request without the CSRF token). */
size_t omk__auth_routes(omk_route *out, size_t cap);
/* The API's OpenAPI document (src/api/engine/openapi-auth.json, embedded at build time; served by the engine at
 * openapi.json and openapi.yaml). */
extern const char omk__openapi_auth[];
extern const size_t omk__openapi_auth_len;

omk_rc omk__auth_session(omk_req *req);
struct omk_inlog; /* toegang.h */
/* Starts a web session (stored, cookie set on the reply that follows) for this account and
 * how it logged in (inlog, may be NULL: local); id_token (may be NULL) is kept for logging out
 * at the provider; csrf gets the session's CSRF token. Does not reply. */
OMK_MUST_CHECK omk_rc omk__auth_start(omk_req *req, const char *name, const char *role,
                                      const char *bsn, const struct omk_inlog *inlog,
                                      const char *id_token, char csrf[65]);
/* The page a role starts on after login ("/werkplek" for an unknown one). Static. */
const char *omk__auth_home_of(const char *role);

/* Log-in through OpenID Connect (oidc.c): its routes; what a session started there adds to
 * the session's JSON (o, may be given in NULL: nothing); the provider's logout URL for a
 * session of bron `bron` (NULL when it has none: a local session, or no end_session_endpoint);
 * and the minimum level of assurance of a part of Mijn: OMK_OK, or OMK_FORBIDDEN with a Dutch
 * reason set when the session's level is below the part's. */
size_t omk__oidc_routes(omk_route *out, size_t cap);
void omk__oidc_session_json(json_t *o, const struct omk_inlog *in);
/* Sets "medewerker", "digid" and "eherkenning" in o: which logins are configured. */
void omk__oidc_methoden(json_t *o);
const char *omk__oidc_logout_url(omk_req *req, const char *bron, const char *id_token);
OMK_MUST_CHECK omk_rc omk__niveau_vereist(omk_req *req, const char *deel);
/* Whether an authenticated request came in through a web session (then the principal is the
 * user's name and the scope their role) rather than an API token. Only meaningful once
 * authentication passed, i.e. in the handler of a route that is not OMK_ROUTE_PUBLIC. */
bool omk__auth_by_session(omk_req *req);
/* The desk's writes that link a contact to a partij (maak-klantcontact, klantcontacten,
 * betrokkenen, contactverzoeken, closing a chat) go through a werkplek contact session when a
 * KCC employee makes them with the web session: OMK_OK for a token, another role or a route
 * under /werkplek/, else OMK_FORBIDDEN (code werkplek_sessie_vereist) with the reason set. */
omk_rc omk__werkplek_vereist(omk_req *req);
/* The first name account `name` shows residents ("" when it has none or there is no such
 * account: never the login name), in db's transaction; the string lives in `a`. */
omk_rc omk__auth_voornaam(omk_db *db, omk_arena *a, const char *name, const char **voornaam);
omk_rc omk__res_list(omk_req *req);
/* The list handler with extra filters the caller imposes (e.g. what a role may see). */
omk_rc omk__res_list_with(omk_req *req, const omk_filter_arg *extra, size_t nextra);
omk_rc omk__res_create(omk_req *req);
omk_rc omk__res_read(omk_req *req);
omk_rc omk__res_put(omk_req *req);
omk_rc omk__res_patch(omk_req *req);
omk_rc omk__res_delete(omk_req *req);

/* Queues a notification of `actie` (create, update, partial_update, destroy) on the object
 * uuid of r, inside the caller's write transaction; a no-op without subscribers or when r
 * sends none (notify.c). */
OMK_MUST_CHECK omk_rc omk__notify_enqueue(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                          const char *uuid, const char *actie);
/* Queues a message of any kanaal (e.g. "contactverzoeken" escalations) about the object at
 * `url`; takes ownership of `kenmerken` (may be NULL). A no-op without subscribers. */
OMK_MUST_CHECK omk_rc omk__notify_enqueue_msg(omk_db *db, omk_api_ctx *ctx, const char *kanaal,
                                              const char *resource, const char *url,
                                              const char *actie, json_t *kenmerken);

/* Validation helpers shared by resource rules (validate.c). Each returns NULL when valid, or
 * the Dutch reason and sets *code. */
const char *omk__check_bsn(const char *s, const char **code);
const char *omk__check_rsin(const char *s, const char **code);
const char *omk__check_digits(const char *s, size_t len, const char **code);
bool omk__elfproef(const char *s);
bool omk__email_valid(const char *s);
bool omk__phone_valid(const char *s);
/* The search key of a digital address: phone numbers in any common notation ("06 1234 5678",
 * "+31 (0)6-12345678", "0031612345678") give one key, e-mail addresses compare without case
 * or surrounding spaces, others are trimmed. False when no key can be made. */
bool omk__contact_key(const char *soort, const char *adres, char *out, size_t cap);
/* `text` (a search query that is kept) with personal data replaced by a marker: e-mail
 * addresses by "[e-mail]", 9-digit numbers passing the elfproef (a BSN) by "[bsn]", phone
 * numbers (Dutch, or international with + or 00; separators allowed) by "[telefoonnummer]".
 * *out is the result in arena a, or NULL when nothing but markers, spaces and punctuation is
 * left (the text was only personal data: keep nothing). OMK_NOMEM when memory ran out. */
OMK_MUST_CHECK omk_rc omk__scrub_personal(omk_arena *a, const char *text, const char **out);
/* Stores the search key of digital address uuid (writer; r = omk__ki_digitaal_adres). */
OMK_MUST_CHECK omk_rc omk__da_set_key(omk_db *db, const omk_resource *r, const char *uuid,
                                      const char *soort, const char *adres);

#endif
