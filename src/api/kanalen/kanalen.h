/* Internal contract of the channels API (/kanalen/api/v1): the configuration set once before
 * serving, the helper that puts what a channel received into the one register, and each
 * channel's routes. Every channel lands as klantcontacten (with kanaal, a betrokkene linked to
 * the matched partij, bijlagen), so it counts like every other channel. */
#ifndef OMK_API_KANALEN_H
#define OMK_API_KANALEN_H

#include "engine/logboek.h"
#include "klantinteracties/klantinteracties.h"

#define KAN_BASE "/kanalen/api/v1"

extern const omk_api_info omk__kan_api;

/* The channels' routes: writes up to cap entries, returns how many. */
size_t omk__kan_routes(omk_route *out, size_t cap);

/* ---- the residents' channel preferences (voorkeuren.c) ---- */

/* Table inwoner_voorkeuren: per BSN the preferred channel and two consents, set by the
 * resident in Mijn (mijn.c serves it), shown in the klantbeeld. Field indices below. */
extern const omk_resource omk__kan_voorkeuren;
enum { OMK_KAN_VK_BSN, OMK_KAN_VK_KANAAL, OMK_KAN_VK_DIGITAAL, OMK_KAN_VK_ONDERZOEK,
       OMK_KAN_VK_GEWIJZIGD };
/* The channel the resident with this BSN chose (voorkeurskanaal) and when: *kanaal NULL when
 * they chose none. Strings live in a. */
OMK_MUST_CHECK omk_rc omk__kan_voorkeurskanaal(omk_db *db, omk_arena *a, const char *bsn,
                                              const char **kanaal, int64_t *gewijzigd_us);
/* The demo municipality: stores `kanaal` as the preferred channel of the resident with this
 * BSN, as if they had chosen it in Mijn. On the writer's connection. */
OMK_MUST_CHECK omk_rc omk__kan_demo_voorkeur(omk_db *db, omk_arena *a, const char *bsn,
                                            const char *kanaal);
/* Loads the channels' demo data (demo.c); counts[0..3) get how many contactverzoeken,
 * conversations and balie check-ins. */
OMK_MUST_CHECK omk_rc omk__kan_demo_load(omk_store *s, unsigned seed, int *counts);

/* The configuration (omk_api_kanalen_start); read-only while serving. */
const omk_kanalen_config *omk__kan_config(void);

/* ---- public limits (limieten.c, docs/limieten.md) ---- */
OMK_MUST_CHECK omk_rc omk__kan_limits_start(const omk_kanalen_config *cfg);
void omk__kan_limits_stop(void);
/* One new chat, or one webhook call, of the request's client address: OMK_OK, or
 * OMK_RATE_LIMITED with a Dutch reason and Retry-After set. */
OMK_MUST_CHECK omk_rc omk__kan_limit_chat(omk_req *req);
/* One resident's chat message (30 an hour per chat the address may start). */
OMK_MUST_CHECK omk_rc omk__kan_limit_chat_message(omk_req *req);
OMK_MUST_CHECK omk_rc omk__kan_limit_webhook(omk_req *req);
/* The resident's chat routes from a browser: OMK_OK when the request has no Origin or the
 * server's own, or one of the configured chat origins (then the CORS headers are added);
 * else OMK_FORBIDDEN (code herkomst_niet_toegestaan). */
OMK_MUST_CHECK omk_rc omk__kan_chat_origin(omk_req *req);

/* Creates an object of r from `body` (taken: released here) through the generic engine
 * inside the caller's write transaction. Field errors are copied into ctx under "prefix.".
 * *uuid (may be NULL) gets the new object's uuid in ctx's arena. */
OMK_MUST_CHECK omk_rc omk__kan_create(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                      json_t *body, const char *prefix, const char **uuid);

/* Updates fields of an existing object (PATCH semantics) through the engine; `body` taken. */
OMK_MUST_CHECK omk_rc omk__kan_patch(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                     const char *uuid, json_t *body, const char *prefix);

/* The partij that gave this digital address (an e-mail address, compared without case, or a
 * telephone number, compared in its Dutch national and international forms), or NULL — also
 * when the address belongs to more than one partij (a shared family address): then an
 * employee chooses, the channel never guesses. */
OMK_MUST_CHECK omk_rc omk__kan_match_partij(omk_db *db, omk_api_ctx *ctx, const char *soort,
                                            const char *adres, const char **partij);

/* What one inbound contact puts in the register. Strings may be NULL. */
typedef struct omk_kan_contact {
    const char *kanaal, *onderwerp, *inhoud;
    const char *reactie;           /* the answer given, or NULL */
    const char *plaatsgevonden_op; /* RFC 3339, NULL = now */
    const char *partij;            /* matched partij uuid, or NULL */
    const char *naam;              /* display name of the sender, for the betrokkene */
    const char *adres_soort, *adres; /* the digital address used ("email", "telefoonnummer") */
    bool gelukt;
    json_t *metadata;              /* klantcontact metadata (strings only), borrowed */
    const char *const *bijlagen;   /* bijlage objectIds (e.g. "mail/<uuid>/<name>") */
    size_t nbijlagen;
} omk_kan_contact;

/* The string at obj[key] of a request body, NULL when it is absent, null or empty (an error
 * `required` when `required`). Errors are reported under `name` (the field's path, e.g.
 * "afzender.adres"): `invalid` when it is not a valid UTF-8 string, `max_length` past `max`
 * characters, with the reference implementation's wording. The one reader of free-text fields
 * of the channel APIs. */
const char *omk__kan_text(omk_api_ctx *ctx, json_t *obj, const char *key, const char *name,
                          size_t max, bool required);

/* Registers the contact: klantcontact, betrokkene (klant, initiator, linked to the partij
 * when there is one, with the address as a digitaal adres), bijlagen. Inside a write
 * transaction. *kc gets the klantcontact's uuid. */
OMK_MUST_CHECK omk_rc omk__kan_register(omk_db *db, omk_api_ctx *ctx, const omk_kan_contact *c,
                                        const char **kc);

/* ---- conversations (gesprekken.c) ---- */
extern const omk_resource omk__kan_gesprek, omk__kan_bericht, omk__kan_bestand;
/* omk__kan_gesprek as the resident reads it (Mijn): no medewerker, no afzender of the
 * messages — the employee's login name never reaches the resident. */
extern const omk_resource omk__kan_gesprek_inwoner;

/* A file received with a message (attachment, scanned letter). */
typedef struct omk_kan_bestand {
    const char *naam, *content_type;
    const unsigned char *data;
    size_t size;
} omk_kan_bestand;

/* Stores a file (base64 in the store); *uuid gets its id (for a bijlage's objectId). */
OMK_MUST_CHECK omk_rc omk__kan_file_put(omk_db *db, omk_api_ctx *ctx, const omk_kan_bestand *b,
                                        const char **uuid);

/* One inbound message of a conversation channel. Strings may be NULL. */
typedef struct omk_kan_inbound {
    const char *kanaal;
    const char *gesprek;         /* continue this conversation, or NULL for a new one */
    const char *sleutel;         /* conversation key to continue by (WhatsApp wa_id, chat
                                    session), or NULL */
    const char *adres_soort, *adres, *naam; /* the sender */
    const char *onderwerp, *tekst;
    const char *message_id, *extern_id;
    int64_t tijdstip_us;         /* 0 = now */
    const omk_kan_bestand *bestanden;
    size_t nbestanden;
    bool register_contact;       /* each message is a klantcontact (e-mail, WhatsApp); chat
                                    registers its transcript at the end instead */
    bool unverified;             /* the address is what an anonymous visitor typed (the
                                    public chat): never used to find a partij */
    omk_ldv_actie *logboek;      /* the Logboek action the stored message's partij is added
                                    to (not for a redelivery), or NULL */
} omk_kan_inbound;

typedef struct omk_kan_inbound_result {
    const char *gesprek, *bericht, *klantcontact, *partij;
    bool duplicate; /* a message with this message_id/extern_id was already stored */
} omk_kan_inbound_result;

/* Stores the message in its conversation (found by sleutel, or new) and, when asked, in the
 * register; names its partij (matched, or the conversation's) in in->logboek. Inside a write
 * transaction: the caller writes the log there (omk__ldv_write). */
OMK_MUST_CHECK omk_rc omk__kan_inbound(omk_db *db, omk_api_ctx *ctx, const omk_kan_inbound *in,
                                       omk_kan_inbound_result *out);

/* The conversation of the stored message whose message_id is `id`, or NULL. */
OMK_MUST_CHECK omk_rc omk__kan_gesprek_of_message(omk_db *db, omk_api_ctx *ctx, const char *id,
                                                  const char **gesprek);

/* A copy of s cut to at most max code points (for the register's length limits). */
const char *omk__kan_cut(omk_arena *a, const char *s, size_t max);

/* An outbound adapter: sends `tekst` to the conversation's resident. On failure returns
 * non-OK with a one-line reason in err. *message_id (may stay NULL) gets the id the message
 * got, for threading (e-mail). Runs on a worker thread, outside any transaction. */
typedef omk_rc (*omk_kan_send_fn)(omk_arena *a, const omk_row *gesprek, const char *tekst,
                                  const char **message_id, char *err, size_t errn);

size_t omk__gesprek_routes(omk_route *out, size_t cap);
/* Answers conversation `uuid` with the request's body ({tekst} or, in WhatsApp, {sjabloon:
 * {naam, parameters}}) as POST /gesprekken/{uuid}/berichten does: through the deliverer of its
 * kanaal, refusing free text outside WhatsApp's 24-hour window (409
 * whatsapp_venster_gesloten). `uuid` must stay valid for the request. */
omk_rc omk__gesprek_reply(omk_req *req, const char *uuid);
size_t omk__webhook_routes(omk_route *out, size_t cap);

/* ---- events to browsers (events.c) ---- */
/* Answers the request with an SSE stream subscribed to `topic`; the first event is
 * "verbonden" with `hello` (JSON text, may be NULL). When the request carries `Last-Event-ID`
 * (a browser's EventSource reconnecting), the retained events of the topic published after
 * that id follow, in order and before any live one, or "verouderd" when they cannot all be
 * given (see events.c). */
OMK_MUST_CHECK omk_rc omk__events_subscribe(omk_req *req, const char *topic, const char *hello);
/* Sends event (name, JSON text) to every stream of topic and keeps it for replay; returns how
 * many streams got it. */
size_t omk__events_publish(const char *topic, const char *event, const char *data);
/* As omk__events_publish, to every topic that starts with prefix ("medewerker:"). */
size_t omk__events_publish_prefix(const char *prefix, const char *event, const char *data);
/* Ends every stream of topic. */
void omk__events_end(const char *topic);
size_t omk__events_count(const char *topic);
size_t omk__events_routes(omk_route *out, size_t cap);

/* The actor for a medewerker, afdeling or groep by name: found, or created (contactverzoeken.c). */
OMK_MUST_CHECK omk_rc omk__kan_actor(omk_db *db, omk_api_ctx *ctx, const char *soort,
                                     const char *naam, const char **actor);

size_t omk__cti_routes(omk_route *out, size_t cap);
size_t omk__koppelcode_routes(omk_route *out, size_t cap);
size_t omk__chat_routes(omk_route *out, size_t cap);
size_t omk__balie_routes(omk_route *out, size_t cap);

/* Routes of each part; each writes up to cap entries and returns how many. */
size_t omk__kv_routes(omk_route *out, size_t cap);

/* The channel figures (statistieken.c): counts only, for the manager. */
size_t omk__stat_routes(omk_route *out, size_t cap);

/* Closes contactverzoek `uuid` inside the caller's write transaction as POST …/afhandelen
 * does with `body` ({resultaat, contactGelukt?, kanaal?}); OMK_CONFLICT when already closed. */
OMK_MUST_CHECK omk_rc omk__kv_close_in(omk_db *db, omk_api_ctx *ctx, const char *uuid,
                                       json_t *body);

/* The service norm for kanaal and product (contactverzoeken.c): working days and where it
 * came from ("kanaal en product" | "kanaal" | "product" | "algemeen" | "standaard"). */
OMK_MUST_CHECK omk_rc omk__kan_norm(omk_db *db, omk_api_ctx *ctx, const char *kanaal,
                                    const char *product, int *werkdagen, const char **bron);

/* The contactverzoeken escalation check: marks every open contactverzoek past its deadline
 * that was not escalated yet, notifies (outbox) and mails the assignee (SMTP when
 * configured). The uuids of the escalated ones are appended to `escalated`. Any thread. */
OMK_MUST_CHECK omk_rc omk__kv_escalate(omk_store *s, omk_arena *a, json_t *escalated);

/* ---- shared between the channel files ---- */

/* The declared resources other capabilities refer to (merges, the klantbeeld, the demo). */
extern const omk_resource omk__kv_contactverzoek, omk__kan_oproep, omk__kan_balie;

/* The call with this gespreksId (cti.c), or OMK_NOTFOUND. */
OMK_MUST_CHECK omk_rc omk__cti_find(omk_db *db, omk_api_ctx *ctx, const char *gespreks_id,
                                    omk_row **out);
/* Issues a koppelcode for conversation `gesprek` and answers the request (koppelcode.c). */
omk_rc omk__koppelcode_issue(omk_req *req, omk_api_ctx *ctx, const char *gesprek);
/* POST /contactverzoeken: the handler, also reached through a werkplek session
 * (/werkplek/api/v1/sessies/{uuid}/contactverzoeken) after the session's check of the partij
 * (contactverzoeken.c). */
omk_rc omk__kv_create(omk_req *req);
/* Closes chat `gesprek` for the agent (POST /chat/sessies/{uuid}/afsluiten; the body as
 * there: partij, onderwerp, inhoud, reactie, resultaat, contactverzoek), also reached through
 * a werkplek session whose chat it is (chat.c). With `na_inwoner`, a chat the resident ended
 * already gets the registration (and partij) on the klantcontact it left, once, instead of
 * 409. `gesprek` must stay valid for the request. */
omk_rc omk__chat_agent_close(omk_req *req, const char *gesprek, bool na_inwoner);
/* A contactverzoek for an existing klantcontact `kc` inside the caller's transaction (a chat
 * that ends in a hand-over); errors under "contactverzoek."; *uuid gets the new one's uuid
 * (contactverzoeken.c). */
OMK_MUST_CHECK omk_rc omk__kv_create_in(omk_db *db, omk_api_ctx *ctx, json_t *body,
                                        const char *kc, const char **uuid);
/* ---- delivering an employee's reply: one deliverer per channel ---- */

/* A reply on its way out, for a channel's deliverer. */
typedef struct omk_kan_uitgaand {
    omk_arena *a;
    const omk_row *gesprek;  /* an omk__kan_gesprek row */
    const char *tekst;
    const char *in_reply_to, *references; /* e-mail threading */
    const char *sjabloon, *sjabloon_taal; /* WhatsApp: an approved template to send instead of
                                             free text (tekst is then its filled-in text) */
    json_t *parameters;                   /* its parameters (array of strings), or NULL */
    const char *message_id;               /* out: the sent message's id, when it has one */
    char err[256];                        /* out: why sending failed (Dutch) */
} omk_kan_uitgaand;

/* How a channel delivers a reply. `verstuur` runs before the reply is stored (mail, WhatsApp,
 * the outbound webhook: its failure is recorded with the message and answered 503); NULL when
 * the channel needs nothing then. `na_commit` runs once the reply is stored, with the stored
 * message as JSON (chat: to the resident's open stream); NULL when not needed. */
typedef struct omk_kan_bezorger {
    const char *kanaal;
    omk_rc (*verstuur)(omk_kan_uitgaand *o);
    omk_rc (*na_commit)(omk_arena *a, const omk_row *gesprek, const char *bericht_json);
} omk_kan_bezorger;

/* Each channel's deliverer, defined in its own file (mail.c, chat.c, webhooks.c). */
extern const omk_kan_bezorger omk__bezorger_mail, omk__bezorger_chat, omk__bezorger_whatsapp,
    omk__bezorger_webhook;
/* The deliverer of `kanaal` from the channels' table (kanalen.c); the outbound webhook for a
 * kanaal without one of its own. Never NULL. */
const omk_kan_bezorger *omk__kan_bezorger(const char *kanaal);

/* ---- the werkvoorraad: every inbound item that needs an answer (werkvoorraad.c) ---- */

extern const omk_resource omk__wv_item;

/* What happened to a conversation, for its werkvoorraad item. */
typedef enum omk_wv_gebeurtenis {
    OMK_WV_IN,         /* a message of the resident (or a new chat): waits for an answer */
    OMK_WV_UIT,        /* the municipality answered */
    OMK_WV_TOEGEWEZEN, /* a chat was taken by an employee (gesprek's medewerker) */
    OMK_WV_GESLOTEN,   /* the conversation was closed */
} omk_wv_gebeurtenis;

/* Keeps the item of conversation `gesprek` (a kanalen_gesprekken row as it is now) up to date
 * inside the caller's write transaction: created (routed, with its deadline) on the first
 * inbound message, back to waiting on a later one, answered, claimed, closed. `tekst` (may be
 * NULL) is the message, `at` its time (0: now). The agents' streams get a `werkvoorraad`
 * event once the request is done. */
OMK_MUST_CHECK omk_rc omk__wv_gesprek(omk_db *db, omk_api_ctx *ctx, const omk_row *gesprek,
                                      omk_wv_gebeurtenis e, const char *tekst, int64_t at);
/* The same for a contactverzoek row (created, taken in hand, reassigned, closed). */
OMK_MUST_CHECK omk_rc omk__wv_contactverzoek(omk_db *db, omk_api_ctx *ctx, const omk_row *kv);
/* A letter registered through POST /post (its klantcontact kc) becomes an item. */
OMK_MUST_CHECK omk_rc omk__wv_post(omk_db *db, omk_api_ctx *ctx, const char *kc,
                                   const char *onderwerp, const char *inhoud, const char *partij,
                                   const char *naam, int64_t ontvangen_us);
/* Releases every claim idle for longer than the configured timeout; the released items'
 * uuids are appended to `vrij`. Any thread (the channels' ticker). */
OMK_MUST_CHECK omk_rc omk__wv_verlopen(omk_store *s, omk_arena *a, json_t *vrij);
/* Announces every item changed after *watermark (0: from now) — changes another process
 * made, e.g. `omnikanaal mail-ingest` — and advances *watermark. Any thread. */
OMK_MUST_CHECK omk_rc omk__wv_watch(omk_store *s, omk_arena *a, int64_t *watermark);
size_t omk__wv_routes(omk_route *out, size_t cap);

/* ---- routing rules and employees (routering.c) ---- */

extern const omk_resource omk__wv_regel, omk__wv_medewerker;

/* What a rule is matched against. Strings never NULL ("" = unknown). */
typedef struct omk_wv_vraag {
    const char *kanaal, *onderwerp, *product, *taal;
} omk_wv_vraag;

/* The outcome: the first rule (lowest volgorde) whose conditions all hold; team ""
 * (no rule) otherwise. `medewerker` is set when the rule assigns automatically and an
 * employee is available: the least busy (fewest open claimed items) of those available in
 * the team with the skill and the language, below their maximum; ties by name. */
typedef struct omk_wv_route {
    const char *regel, *regel_naam, *team, *vaardigheid, *medewerker;
    bool automatisch;
} omk_wv_route;

OMK_MUST_CHECK omk_rc omk__wv_route(omk_db *db, omk_arena *a, const omk_wv_vraag *v,
                                    omk_wv_route *out);
size_t omk__routering_routes(omk_route *out, size_t cap);

/* ---- WhatsApp templates and the 24-hour customer service window (sjablonen.c) ---- */

extern const omk_resource omk__wa_sjabloon;

#define OMK_WA_VENSTER_US (24LL * 3600 * 1000000)

/* The approved template `naam` with parameters (a JSON array of strings, may be NULL) filled
 * in: *tekst the text as the resident reads it, *taal its language code. OMK_INVALID with the
 * reason under "sjabloon.…" in ctx when it does not exist, is not approved or the parameters
 * do not fit. */
OMK_MUST_CHECK omk_rc omk__wa_sjabloon_vul(omk_db *db, omk_api_ctx *ctx, const char *naam,
                                           json_t *parameters, const char **tekst,
                                           const char **taal);
size_t omk__sjabloon_routes(omk_route *out, size_t cap);

/* Embedded in the binary at build time (cmake/embed.cmake). */
extern const char omk__openapi_kanalen[];
extern const size_t omk__openapi_kanalen_len;
extern const char omk__widget_js[];
extern const size_t omk__widget_js_len;

#endif
