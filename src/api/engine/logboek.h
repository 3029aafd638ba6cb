/* Internal contract of the Logboek Dataverwerkingen (logboek.c; docs/internals/logboek.md):
 * every request that reads or changes personal data logs one record per action per person.
 * A handler begins the request's log, adds the persons of what it reads (the declared
 * subjects of a resource, omk_resource.subjects, or one by one), and answers through
 * omk__ldv_reply_*: the records are queued to the store's writer and, depending on the
 * serve option --logboek, the answer goes out at once (volgen) or after the records'
 * group commit (wachten). A change logs inside its own write transaction (omk__ldv_write), so
 * change and record commit together. Any worker thread; the queue is drained by the writer. */
#ifndef OMK_API_ENGINE_LOGBOEK_H
#define OMK_API_ENGINE_LOGBOEK_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

/* What one request logs: its actions, each with its persons. Request arena; one thread. */
typedef struct omk_ldv omk_ldv;

/* One action (a span): what was done, to whom. The fields may be set by the caller before
 * the answer (defaults: start = the request's start, eind = when logged, status "Ok"). */
typedef struct omk_ldv_actie {
    const char *naam, *span_id, *parent_span_id, *status, *bron;
    int64_t start_ms, eind_ms;
    unsigned char *personen; /* n × OMK_LDV_PERSOON bytes (type + pseudonym), arena */
    size_t n, cap;
    omk_arena *a; /* where personen grows */
} omk_ldv_actie;

/* The persons' kinds of id (the pseudonym is over kind and id). */
typedef enum omk_ldv_soort {
    OMK_LDV_BSN = OMK_LDV_T_BSN,
    OMK_LDV_KVK = OMK_LDV_T_KVK,
    OMK_LDV_VESTIGING = OMK_LDV_T_VESTIGING,
    OMK_LDV_PARTIJ = OMK_LDV_T_PARTIJ,
    OMK_LDV_ZAAK = OMK_LDV_T_ZAAK, /* a zaak's id: a legal hold on it names the zaak */
} omk_ldv_soort;

/* The log of an authorised request, in its arena: *out NULL when nothing is logged (a public
 * route, or --logboek uit). OMK_NOMEM when out of memory. */
OMK_MUST_CHECK omk_rc omk__ldv_begin(omk_req *req, omk_ldv **out);

/* The log of work no credential asked for, so no purpose came with it: a public route (a
 * signed webhook, the resident's chat held by its secret; req given: the request's trace and
 * span ids) or a command-line tool (req NULL: new random ids). activiteit and rol (copied)
 * name why and as whom ("systeem", "chatbezoeker"). Lives in a. *out NULL under
 * --logboek uit, and in a process that did not start the Logboek (a tool that changes
 * personal data calls omk_api_logboek_start first, as mail-ingest does). */
OMK_MUST_CHECK omk_rc omk__ldv_begin_als(omk_req *req, omk_arena *a, const char *activiteit,
                                         const char *rol, omk_ldv **out);

/* The activity and role l's records name, when the request names its own purpose (the
 * klantbeeld's verwerkingsactiviteit) instead of acting under its credential's. Copied. */
void omk__ldv_doel(omk_ldv *l, const char *activiteit, const char *rol);

/* A new action of l named `naam` (copied). span_id NULL: the request's own span for the first
 * action, a new one for the next; parent_span_id NULL: the caller's span from an incoming
 * traceparent. NULL when l is NULL or out of memory (check l first). */
omk_ldv_actie *omk__ldv_actie(omk_ldv *l, const char *naam, const char *span_id,
                              const char *parent_span_id);

/* The action for what a generic handler does with resource r: "Klantcontacten opvragen"
 * (list), "Klantcontact raadplegen", "… registreren", "… wijzigen", "… verwijderen" (verb
 * given), from r->subjects' names. NULL when l is NULL, r has no subjects, or out of memory. */
omk_ldv_actie *omk__ldv_actie_res(omk_ldv *l, const omk_resource *r, bool lijst,
                                  const char *werkwoord);

/* omk__ldv_begin, then omk__ldv_actie_res: *x NULL when nothing is logged for r (no log, or
 * r is nobody's personal data). OMK_NOMEM when out of memory. */
OMK_MUST_CHECK omk_rc omk__ldv_begin_res(omk_req *req, const omk_resource *r, bool lijst,
                                         const char *werkwoord, omk_ldv **l,
                                         omk_ldv_actie **x);

/* Adds a person (kind and plain id, e.g. a partij uuid or a BSN): its pseudonym, once. */
OMK_MUST_CHECK omk_rc omk__ldv_persoon(omk_ldv_actie *x, omk_ldv_soort soort, const char *id);

/* Adds the persons of rows[0..n) of r along r->subjects' paths: from the rows' own columns,
 * plus one query per page for each path through another table. In the caller's transaction.
 * A no-op when x is NULL. */
OMK_MUST_CHECK omk_rc omk__ldv_rows(omk_db *db, omk_ldv_actie *x, const omk_resource *r,
                                    const omk_row *rows, size_t n);

/* As omk__ldv_rows for a page that omk_res_prefetch loaded in ctx: a path through another
 * table reads the page's prefetched references instead of querying again (the betrokkenen of
 * a page of klantcontacten are loaded for the answer anyway). */
OMK_MUST_CHECK omk_rc omk__ldv_page(omk_db *db, const omk_api_ctx *ctx, omk_ldv_actie *x,
                                    const omk_resource *r, const omk_row *rows, size_t n);

/* The persons of the stored row uuid of r (for a change: before and after it). */
OMK_MUST_CHECK omk_rc omk__ldv_row_uuid(omk_db *db, omk_ldv_actie *x, const omk_resource *r,
                                        const char *uuid, omk_arena *a);

/* Inside a write job: writes l's records in the job's transaction (they commit or roll back
 * with the change). A no-op for NULL or an l without persons; the actions are marked
 * written, so a reply through omk__ldv_reply_* does not log them again. */
OMK_MUST_CHECK omk_rc omk__ldv_write(omk_db *db, omk_ldv *l);

/* Logs l (see the top of this file), then answers like omk_req_reply_jv / _json / omk_req_reply.
 * Returns the handler's result: an error (nothing was sent) when the records cannot be queued
 * (the queue stayed full for 10 s, or the server is stopping). Takes `body` (json) in every
 * case. */
omk_rc omk__ldv_reply_jv(omk_req *req, omk_ldv *l, int status, const omk_jv *body);
omk_rc omk__ldv_reply_json(omk_req *req, omk_ldv *l, int status, json_t *body);
/* As omk_req_reply with a raw body (a file); content_type and data must live until the answer
 * is sent (the request's arena). */
omk_rc omk__ldv_reply(omk_req *req, omk_ldv *l, int status, const char *content_type,
                      const char *data, size_t len);

/* The 16-byte pseudonym of a person: BLAKE2b keyed with the installation's key over kind and
 * id (the first half of the pseudonym schema 10 stored as hex). OMK_UNAVAILABLE before
 * omk_api_logboek_start loaded the key. */
OMK_MUST_CHECK omk_rc omk__ldv_sleutel(omk_ldv_soort soort, const char *id,
                                       unsigned char out[16]);

/* The newest max (≤ 500) records about the person with this BSN (their BSN and each of their
 * partijen) as the API shows them, in db's read transaction; *count = all there are. For the
 * export of everything about a person (AVG art. 15). *out is the caller's. */
OMK_MUST_CHECK omk_rc omk__ldv_records_of(omk_db *db, omk_arena *a, const char *bsn, int max,
                                          json_t **out, long long *count);

/* The kind's name in records ("BSN", "KVK", "vestigingsnummer", "partij", "zaak"). */
const char *omk__ldv_soort_naam(int soort);

/* Routes of the logboek API (GET verwerkingen for residents and the beheerder, POST
 * verwerkingen/_zoek). */
size_t omk__ldv_routes(omk_route *out, size_t cap, const omk_api_info *api);

/* Tells the Logboek which declared resource holds the partijen's identificatoren, to find the
 * partijen of a resident's BSN (api.c, once, before serving). */
void omk__ldv_configure(const omk_resource *partij_identificatoren);

#endif
