/* Internal contract of access and purpose (toegang.c): the roles, the access matrix every
 * route is bound to at start-up, and the purpose (doelbinding) each authorised request acts
 * under. The matrix is one declared table; a route without a rule stops the server from
 * starting. */
#ifndef OMK_API_TOEGANG_INT_H
#define OMK_API_TOEGANG_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "omk/http.h"

/* The roles and integration scopes, one bit each. A credential holds a set of them: a web
 * session its user's role, an API token its scopes ("*" = every staff role and integration
 * scope, never inwoner), a resident's session only OMK_ROL_INWONER. */
enum {
    OMK_ROL_PUBLIEK = 1u << 0, /* no credential at all (public routes only) */
    OMK_ROL_KCM = 1u << 1,
    OMK_ROL_BACKOFFICE = 1u << 2,
    OMK_ROL_REDACTEUR = 1u << 3,
    OMK_ROL_MANAGER = 1u << 4,
    OMK_ROL_BEHEERDER = 1u << 5,
    OMK_ROL_INWONER = 1u << 6,
    OMK_ROL_CTI = 1u << 7,             /* the telephony integration */
    OMK_ROL_KANALEN = 1u << 8,         /* inbound channel integrations (website forms, post) */
    OMK_ROL_KI_LEZEN = 1u << 9,        /* klantinteracties-lezen: a client reading the register */
    OMK_ROL_KI_SCHRIJVEN = 1u << 10,   /* klantinteracties-schrijven: reading and writing it */
    OMK_ROL_ONDERNEMER = 1u << 11,     /* a business logged in with eHerkenning: its own Mijn */
};

/* What a route does with its resource. */
typedef enum omk_actie {
    OMK_ACTIE_LEZEN = 1u << 0,
    OMK_ACTIE_AANMAKEN = 1u << 1,
    OMK_ACTIE_WIJZIGEN = 1u << 2,
    OMK_ACTIE_VERWIJDEREN = 1u << 3,
} omk_actie;

/* One rule of the matrix: on API `api` (its base path; "" for routes outside every API, NULL
 * for any API), resource `resource` ("*" for any), the actions in `acties` are open to the
 * roles in `rollen`. */
typedef struct omk_toegang_regel {
    const char *api;
    const char *resource;
    unsigned acties;
    unsigned rollen;
    const char *waarom; /* one line for docs/toegang.md: why these roles */
} omk_toegang_regel;

/* The purpose an authorised request acts under: set before the handler runs. */
typedef struct omk_doel {
    const char *activiteit; /* a verwerkingsactiviteit id (doelbinding.c) */
    const char *rol;        /* the role it acts as, for the Logboek ("kcm", "inwoner", "systeem") */
    unsigned zie;           /* OMK_ZIE_* views the field rules allow (klantbeeld_int.h) */
    unsigned rollen;        /* the credential's OMK_ROL_* set */
} omk_doel;

/* Binds every route of routes[0..n) to its rule (route->access). Returns OMK_INVALID, with one
 * line per offending route on stderr, when a route has no rule or its OMK_ROUTE_PUBLIC flag
 * disagrees with its rule. Call once, before serving. */
OMK_MUST_CHECK omk_rc omk__toegang_bind(omk_route *routes, size_t n);

/* The server's authorisation callback (omk_authz_fn): checks the route's rule against the
 * credential and sets the request's purpose. */
omk_rc omk__toegang_authorize(void *ctx, omk_req *req);

/* The credential's roles, parsed from a comma-separated scope list ("*" = all but inwoner).
 * Sets *unknown to the first unknown name (borrowed from `scopes`, not terminated; its length
 * in *unknown_len) or NULL. */
unsigned omk__rollen_van(const char *scopes, const char **unknown, size_t *unknown_len);

/* The purpose of an authorised request, or NULL on a public route. Borrowed from the request. */
const omk_doel *omk__req_doel(const omk_req *req);

/* Called by authentication (api.c, auth.c) with the verwerkingsactiviteit bound to the token
 * or chosen in the session ("" or NULL: the role's default). Copied into the request arena. */
void omk__req_set_activiteit(omk_req *req, const char *activiteit);

/* How a web session was started, carried from authentication to the handler (auth.c sets it
 * for every session; NULL for API tokens). Strings live in the request arena. */
typedef struct omk_inlog {
    const char *bron;       /* lokaal, oidc, digid, eherkenning, ontwikkel */
    const char *niveau;     /* the level of assurance as the provider sent it (acr), or "" */
    const char *kvk;        /* a business's KvK-nummer (eHerkenning), or "" */
    const char *vestiging;  /* its vestigingsnummer, when the login was for one, or "" */
    const char *machtiging; /* JSON object when acting on behalf of someone, or "" */
} omk_inlog;

/* Sets (copies into the request's purpose) and reads how the session was started. */
void omk__req_set_inlog(omk_req *req, const omk_inlog *inlog);
const omk_inlog *omk__req_inlog(const omk_req *req);

/* The default verwerkingsactiviteit of a set of roles (the first role's). */
const char *omk__activiteit_standaard(unsigned rollen);

/* The matrix as JSON: {rollen: [...], regels: [...], routes: [{method, pattern, api, resource,
 * actie, rollen: [...]}]} for `omnikanaal toegang` and the route × role test. New reference. */
json_t *omk__toegang_json(const omk_route *routes, size_t n);
/* The rules as a Markdown table (docs/toegang.md), caller frees; NULL when out of memory. */
char *omk__toegang_markdown(void);

#endif
