/* Internal contract of the avg capability: the export (avg.c) and retention (bewaren.c) share
 * the backwards walk from a person's partijen to the rows about them. */
#ifndef OMK_API_AVG_INT_H
#define OMK_API_AVG_INT_H

#include "avg/avg.h"
#include "engine/logboek.h"

/* Adds to *all every row of r about one of partijen[0..n): along each of r's declared subject
 * paths (omk_resource.subjects), backwards. In db's transaction. *all comes out sorted by
 * uuid, each row once (omk__avg_has looks one up). */
OMK_MUST_CHECK omk_rc omk__avg_rows_about(omk_db *db, omk_arena *a, const omk_resource *r,
                                          const char *const *partijen, size_t n,
                                          omk_rowset *all);

/* Adds to *all the rows of r whose `column` is one of keys[0..n) (any number: queried in
 * slices the store takes); sorted by uuid, each once, as above. */
OMK_MUST_CHECK omk_rc omk__avg_rows_where(omk_db *db, omk_arena *a, const omk_resource *r,
                                          const char *column, const char *const *keys,
                                          size_t n, omk_rowset *all);

/* Whether rows (sorted by uuid, as the two above leave them) holds uuid. */
bool omk__avg_has(const omk_rowset *rows, const char *uuid);

/* The routes of retention and destruction (bewaren.c): writes up to cap, returns how many. */
size_t omk__bewaren_routes(omk_route *out, size_t cap, const omk_api_info *api);

/* Erasure on request (AVG art. 17, bewaren.c): appends to items, for every record about
 * partijen[0..n) (the kinds with a retention term, then the partijen themselves),
 * {soort, uuid, datum, wissen, reden}: whether it may go now and why (not) — a legal hold, a
 * zaak it belongs to, its retention term running; a partij when nothing about it stays. In
 * db's transaction. */
OMK_MUST_CHECK omk_rc omk__bewaren_beoordeel(omk_db *db, omk_arena *a,
                                             const char *const *partijen, size_t n,
                                             json_t *items);

/* Erases one record (soort as omk__bewaren_beoordeel names it) with what belongs to it (the
 * schema's cascades, the channels' files), its persons added to x first. In a write job. */
OMK_MUST_CHECK omk_rc omk__bewaren_wis(omk_db *db, omk_api_ctx *ctx, const char *soort,
                                       const char *uuid, omk_ldv_actie *x);

/* The resource of the register or the channels (of those the export shows) whose object has
 * this URL (…/<api>/<name>/<uuid>), and *uuid pointing into url; NULL when none. */
const omk_resource *omk__avg_resource_of(const char *url, const char **uuid);

/* The routes of the AVG requests as tasks (verzoeken.c). */
size_t omk__verzoeken_routes(omk_route *out, size_t cap, const omk_api_info *api);

#endif
