/* The API layer's entry points for main.c: the route table, token authentication, token
 * management and demo data. Everything here talks to storage only through omk/store.h. */
#ifndef OMK_API_H
#define OMK_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "omk/http_client.h"
#include "omk/http.h"
#include "omk/store.h"

/* Returns the full route table (static; valid for the program's life) and its length in *n,
 * every route bound to its rule of the access matrix. The handlers use the store given as the
 * server configuration's `app` (it must outlive the server). Returns NULL (and *n = 0), after a
 * message per problem on stderr, when a route has no access rule or the table is full: the
 * server must not start. */
const omk_route *omk_api_routes(size_t *n);

/* The authorisation callback for omk_server_config: the access matrix (docs/toegang.md), and
 * the purpose the request then acts under. */
omk_rc omk_api_authorize(void *ctx, omk_req *req);

/* The access matrix and every route's rule as indented JSON (caller frees), or NULL when the
 * routes cannot be bound; with `markdown`, the rules as a Markdown table. For
 * `omnikanaal toegang`. */
char *omk_api_access_matrix(bool markdown);

/* The authentication callback for omk_server_config (ctx = the store). Accepts
 * "Token <key>" whose hash is in the token table; without an Authorization header, the web
 * session cookie (see omk_api_auth_configure). */
omk_rc omk_api_authenticate(void *ctx, omk_req *req, const char *authorization);

/* Creates an API token named `name` with comma-separated `scopes` (NULL = "*") bound to the
 * verwerkingsactiviteit `activiteit` (NULL = the first scope's default); writes the plain token
 * (40 hex characters, shown only now) into out[41]. Only its hash is stored. OMK_INVALID, with
 * a message on stderr, for an unknown scope or activity. */
OMK_MUST_CHECK omk_rc omk_api_token_create(omk_store *s, const char *name, const char *scopes,
                                           const char *activiteit, char out[41]);

/* Web sessions: whether the development login for residents (a stand-in for DigiD) is on,
 * and after how many idle seconds a session ends (default 1800). Set before serving. */
typedef struct omk_auth_config {
    bool dev_login;
    int idle_seconds;
} omk_auth_config;
void omk_api_auth_configure(const omk_auth_config *cfg);

/* Limits on password log-ins (docs/limieten.md); 0: the default. */
typedef struct omk_login_limits {
    int parallel;     /* password checks at once (argon2id, 64 MiB each); default half the
                         cores, at least 2; a log-in past them is answered 503 at once */
    int per_address;  /* failed log-ins per client address and hour, any account (default 60) */
    int per_account;  /* failed log-ins per account and hour from addresses it never logged in
                         from (default 20); its own addresses keep their own limit only */
} omk_login_limits;
/* Sets the limits and starts the threads that check passwords (at a lower priority than the
 * request threads). Without it passwords are checked on the request's thread, under the same
 * bound. */
OMK_MUST_CHECK omk_rc omk_api_login_limits_start(const omk_login_limits *cfg);
void omk_api_login_limits_stop(void);

/* Log-in through OpenID Connect (docs/inloggen.md): the municipality's own provider for staff
 * and a broker for residents (DigiD) and businesses (eHerkenning). A provider whose issuer is
 * NULL is off. Strings are borrowed for the life of the process. */
typedef struct omk_oidc_provider {
    const char *issuer;        /* e.g. "https://login.voorbeeldstad.nl/realms/medewerkers" */
    const char *client_id, *client_secret; /* client_secret_basic at the token endpoint */
    const char *redirect_uri;  /* ".../auth/api/v1/oidc/terug", as registered at the provider */
    const char *scopes;        /* NULL: "openid" */
    const char *post_logout_uri; /* where the provider sends the browser after logout, or NULL */
} omk_oidc_provider;

typedef struct omk_oidc_config {
    omk_oidc_provider medewerker, broker;
    /* "name=path" pairs choosing the claim of each thing the server reads (claim names; "/"
     * walks into nested objects), overriding the defaults of docs/inloggen.md. */
    const char *const *claims;
    size_t nclaims;
    /* "claimvalue=role" pairs: a staff member gets the first role whose value is among their
     * roles claim's values. */
    const char *const *rollen;
    size_t nrollen;
    /* "part=level" pairs: the minimum level of assurance per part ("inloggen", or a part of
     * Mijn: "klantcontacten", "contactverzoeken", "verzoeken", "profiel", "digitaleadressen",
     * "gesprekken", "voorkeuren", "bedrijf", "verwerkingen", "gegevens"); levels
     * basis|midden|substantieel|hoog (DigiD) and eh2|eh2+|eh3|eh4 (eHerkenning). */
    const char *const *niveaus;
    size_t nniveaus;
    /* "name=value" added to the broker's authorization request to choose DigiD or eHerkenning
     * (e.g. "kc_idp_hint=digid"), or NULL. */
    const char *digid_param, *eherkenning_param;
} omk_oidc_config;

/* Checks and takes the configuration. OMK_INVALID with a one-line English reason in why when a
 * pair or a level is malformed, or a configured provider lacks its client id or redirect URI. */
OMK_MUST_CHECK omk_rc omk_api_oidc_configure(const omk_oidc_config *cfg, char *why, size_t n);

/* True for the roles of DESIGN.md §5: kcm, backoffice, redacteur, manager, beheerder, inwoner. */
bool omk_api_role_valid(const char *role);

/* Creates a local account for the web UI with an argon2id hash of `password`. `bsn` is the
 * resident's BSN for role inwoner (else NULL); `voornaam` the first name residents are shown
 * for an employee (a chat's "Sanne helpt u nu."; NULL or "": none, they see "Een
 * medewerker"). OMK_CONFLICT when the name is taken. */
OMK_MUST_CHECK omk_rc omk_api_user_create(omk_store *s, const char *name, const char *role,
                                          const char *bsn, const char *voornaam,
                                          const char *password);
/* Sets the first name of account `name` ("" removes it). OMK_NOTFOUND when there is none. */
OMK_MUST_CHECK omk_rc omk_api_user_set_voornaam(omk_store *s, const char *name,
                                                const char *voornaam);

/* Subscribers of the register's notifications (kanalen partijen, klantcontacten,
 * internetaken), as the reference sends them to the Notificaties API. */
typedef struct omk_notify_config {
    const char *const *urls; /* callback URLs; each gets every message */
    size_t n;
    const char *authorization; /* Authorization header value sent along, or NULL */
} omk_notify_config;

/* Configures subscribers and starts the delivery thread: messages are written to an outbox in
 * the same transaction as the change, then POSTed and retried with backoff until a subscriber
 * answers 2xx. Call before serving; with n == 0 nothing is queued. */
OMK_MUST_CHECK omk_rc omk_api_notify_start(omk_store *s, const omk_notify_config *cfg);
/* Stops the delivery thread (undelivered messages stay in the outbox for the next start). */
void omk_api_notify_stop(void);

/* Configuration of the channels (/kanalen/api/v1). Strings must outlive the server. */
typedef struct omk_kanalen_config {
    omk_smtp smtp;         /* outbound mail server; smtp.url NULL: no mail */
    const char *mail_from; /* sender address of outbound mail */
    int escalation_interval_s; /* how often overdue contactverzoeken are checked; 0 = 60 */
    const char *whatsapp_app_secret;   /* verifies X-Hub-Signature-256 of the webhook */
    const char *whatsapp_verify_token; /* answers the webhook's verify handshake */
    const char *whatsapp_api_url;      /* outbound: the Cloud API messages endpoint, or NULL */
    const char *whatsapp_token;        /* outbound: its bearer token */
    const char *outbound_webhook;      /* outbound for other channels: POST {gesprek, kanaal,
                                          naar, tekst} here, or NULL */
    int koppelcode_s;                  /* how long a koppelcode is valid; 0 = 600 s */
    const char *chat_origin;           /* the website origins the chat widget runs on (CORS;
                                          comma-separated), or NULL (same origin only); a
                                          browser on any other origin is refused (403) */
    int chat_per_address;              /* new chats per client address and hour (default 20) */
    int chat_queue_max;                /* chats waiting for an employee at most (default 100);
                                          a new one past it is refused (503) */
    int webhook_per_address;           /* webhook calls per client address and hour (default
                                          6000) */
    int claim_timeout_s;               /* a werkvoorraad claim idle this long is released;
                                          0 = 900 s */
} omk_kanalen_config;

/* Outcome of omk_api_mail_ingest. */
typedef struct omk_mail_ingest_result {
    char klantcontact[37], gesprek[37];
    bool duplicate;   /* the message was stored before (redelivery): nothing new */
    char reason[256]; /* why it failed, in Dutch */
} omk_mail_ingest_result;

/* Stores one RFC 5322 message (data[0..n)) as an e-mail klantcontact in its conversation:
 * the one a message of which it answers (In-Reply-To, References) when its sender is a party
 * of that conversation — the resident's address it runs with, another address of the same
 * partij, or an address at the domain of mail_from (the municipality's sender; may be NULL) —
 * else a new one. OMK_INVALID when it is not a message or has no sender, OMK_TOOBIG when too
 * big. */
OMK_MUST_CHECK omk_rc omk_api_mail_ingest(omk_store *s, const char *mail_from,
                                          const unsigned char *data, size_t n,
                                          omk_mail_ingest_result *out);

/* Sets the channels' configuration and starts their background work (the escalation check
 * of overdue contactverzoeken). Call after omk_api_routes and before serving. */
OMK_MUST_CHECK omk_rc omk_api_kanalen_start(omk_store *s, const omk_kanalen_config *cfg);
/* Stops the background work. */
void omk_api_kanalen_stop(void);

/* Starts the KPI rollups' catch-up in the background (docs/internals/sturing.md): once a
 * second it takes up to 500 queued changes into the rollups, so the figures stay current and
 * a dashboard request rarely pays for a backlog. Call before serving; stop after the server. */
OMK_MUST_CHECK omk_rc omk_api_sturing_start(omk_store *s);
void omk_api_sturing_stop(void);

/* Starts the retention schedule (docs/internals/avg.md): every interval_s seconds, when no
 * destruction list awaits judgement and records have passed their term, it proposes one
 * (proposer "planning"; two officers judge it, nothing is destroyed without them). 0: off.
 * Call before serving; stop after the server. */
OMK_MUST_CHECK omk_rc omk_api_avg_start(omk_store *s, int interval_s);
void omk_api_avg_stop(void);

/* Imports kennisbank articles from `path` (.csv: header row with the field names, lists
 * separated by '|'; otherwise a JSON array of articles) through the API's validation, in one
 * transaction. A bad row is reported on stderr as "regel N: veld: reden"; without skip_bad
 * nothing is imported then (OMK_INVALID). Shows a progress bar when stderr is a terminal. */
OMK_MUST_CHECK omk_rc omk_api_kb_import(omk_store *s, const char *path, bool skip_bad,
                                        size_t *imported, size_t *rejected);
/* Writes every article as a JSON array (csv = false) or CSV with the import's columns. */
OMK_MUST_CHECK omk_rc omk_api_kb_export(omk_store *s, bool csv, FILE *out);

/* Prepares the klantbeeld before serving: reads the source systems' settings from the
 * environment (OMNIKANAAL_BRP_URL, OMNIKANAAL_ZAKEN_URL, OMNIKANAAL_KVK_URL, … see --help),
 * loads the doelbinding rules from `doelbinding_path` when given (NULL: the defaults), and
 * computes the search keys of digital addresses stored before keys existed; starts the thread
 * that fetches from the sources. */
OMK_MUST_CHECK omk_rc omk_api_klantbeeld_start(omk_store *s, const char *doelbinding_path);
/* Stops the klantbeeld's source fetch thread (after the server stopped). */
void omk_api_klantbeeld_stop(void);

/* The demo's fictional source systems (serve --demo-bronnen): starts a second HTTP server on
 * a free loopback port that answers as Haal Centraal BRP Personen, the ZGW Zaken API and KvK
 * Zoeken in their official shapes, with made-up persons, zaken and businesses built from the
 * demo partijen in s (test BSNs only), and points every source the environment does not
 * configure at it. Call after omk_api_klantbeeld_start; *out is that server, stopped with
 * omk_api_demo_bronnen_stop after the main server stopped (its klantbeelden may still be
 * waiting on it). Logs its address and that the data is fictional. */
OMK_MUST_CHECK omk_rc omk_api_demo_bronnen_start(omk_store *s, omk_server **out);
void omk_api_demo_bronnen_stop(omk_server *srv);

/* Starts the Logboek Dataverwerkingen (docs/internals/logboek.md) on s: loads the
 * pseudonym key and lets the store's writer drain the records reads queue. `modus` (NULL:
 * "volgen") says when an answer goes out: "volgen" at once, its records in the next group
 * commit; "wachten" after that commit; "uit" logs nothing (measurements only, said loudly in
 * the log). OMK_INVALID for another modus. Call after migrating and before serving. */
OMK_MUST_CHECK omk_rc omk_api_logboek_start(omk_store *s, const char *modus);
/* Writes what is still queued (waiting up to 10 s) and detaches from the store; records that
 * could not be written are counted in an error in the log. Call after the server stopped and
 * before the store closes. */
void omk_api_logboek_stop(void);
/* Checks the Logboek's hash chain, its head and its index in one read transaction. OMK_OK
 * when whole, with a one-line summary (counts and the head's hash) in msg; OMK_INVALID when a
 * record does not fit, with a one-line Dutch message naming the first bad record; other codes
 * when the database could not be read (message in msg too). */
OMK_MUST_CHECK omk_rc omk_api_logboek_verify(omk_store *s, char *msg, size_t cap);

/* Loads the demo municipality (fictional residents, businesses, addresses and contacts
 * spread over the last year) through the same validation as the API. `seed` makes it
 * reproducible. With register_only only the Klantinteracties register (no kennisbank, no
 * channels): what a store without full-text search holds, for comparing backends. Prints a
 * one-line summary to stderr. */
OMK_MUST_CHECK omk_rc omk_api_demo_load(omk_store *s, unsigned seed, bool register_only);

#endif
