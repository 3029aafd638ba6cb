/* Internal contract of the channels API (/kanalen/api/v1): the configuration set once before
 * serving, the helper that puts what a channel received into the one register, and each
 * channel's routes. Every channel lands as klantcontacten (with kanaal, a betrokkene linked to
 * the matched partij, bijlagen), so it counts like every other channel. */
#ifndef OMK_KANALEN_INT_H
#define OMK_KANALEN_INT_H

#include "api_int.h"

#define KAN_BASE "/kanalen/api/v1"

extern const omk_api_info omk__kan_api;

/* The configuration (omk_api_kanalen_start); read-only while serving. */
const omk_kanalen_config *omk__kan_config(void);

/* Creates an object of r from `body` (taken: released here) through the generic engine
 * inside the caller's write transaction. Field errors are copied into ctx under "prefix.".
 * *uuid (may be NULL) gets the new object's uuid in ctx's arena. */
OMK_MUST_CHECK omk_rc omk__kan_create(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                      json_t *body, const char *prefix, const char **uuid);

/* Updates fields of an existing object (PATCH semantics) through the engine; `body` taken. */
OMK_MUST_CHECK omk_rc omk__kan_patch(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                     const char *uuid, json_t *body, const char *prefix);

/* The partij that gave this digital address (an e-mail address, compared without case, or a
 * telephone number, compared in its Dutch national and international forms), or NULL. */
OMK_MUST_CHECK omk_rc omk__kan_match_partij(omk_db *db, omk_api_ctx *ctx, const char *soort,
                                            const char *adres, const char **partij);

/* What one inbound contact puts in the register. Strings may be NULL. */
typedef struct omk_kan_contact {
    const char *kanaal, *onderwerp, *inhoud;
    const char *plaatsgevonden_op; /* RFC 3339, NULL = now */
    const char *partij;            /* matched partij uuid, or NULL */
    const char *naam;              /* display name of the sender, for the betrokkene */
    const char *adres_soort, *adres; /* the digital address used ("email", "telefoonnummer") */
    bool gelukt;
    json_t *metadata;              /* klantcontact metadata (strings only), borrowed */
    const char *const *bijlagen;   /* bijlage objectIds (e.g. "mail/<uuid>/<name>") */
    size_t nbijlagen;
} omk_kan_contact;

/* Registers the contact: klantcontact, betrokkene (klant, initiator, linked to the partij
 * when there is one, with the address as a digitaal adres), bijlagen. Inside a write
 * transaction. *kc gets the klantcontact's uuid. */
OMK_MUST_CHECK omk_rc omk__kan_register(omk_db *db, omk_api_ctx *ctx, const omk_kan_contact *c,
                                        const char **kc);

/* Routes of each part; each writes up to cap entries and returns how many. */
size_t omk__kv_routes(omk_route *out, size_t cap);

/* The contactverzoeken escalation check: marks every open contactverzoek past its deadline
 * that was not escalated yet, notifies (outbox) and mails the assignee (SMTP when
 * configured). The uuids of the escalated ones are appended to `escalated`. Any thread. */
OMK_MUST_CHECK omk_rc omk__kv_escalate(omk_store *s, omk_arena *a, json_t *escalated);

#endif
