/* The Logboek Dataverwerkingen (logboek.c): one record per action per data subject, written
 * inside a write transaction, and its API. */
#ifndef OMK_API_ENGINE_LOGBOEK_H
#define OMK_API_ENGINE_LOGBOEK_H

#include "engine/engine.h"

/* One action in a processing, about one data subject. */
typedef struct omk_ldv_record {
    const char *trace_id, *span_id, *parent_span_id; /* hex; parent may be NULL */
    const char *naam;
    long long start_ms, eind_ms;
    const char *status; /* "Unset", "Ok", "Error" */
    const char *activiteit;
    const char *subject, *subject_type; /* plain id (BSN, KvK number, partij uuid) and type */
    const char *rol;
    const char *aanroeper; /* dpl.core.foreign_operation.processor, or NULL */
    const char *bron;      /* source asked, or NULL */
} omk_ldv_record;

/* Writes the records (subjects pseudonymised) inside the caller's write transaction. */
OMK_MUST_CHECK omk_rc omk__ldv_write(omk_db *db, omk_arena *a, const omk_ldv_record *recs,
                                     size_t n);
/* The pseudonym of a subject id (64 hex chars); reads the installation key. */
OMK_MUST_CHECK omk_rc omk__ldv_pseudonym(omk_db *db, omk_arena *a, const char *type,
                                         const char *subject, const char **out);

/* Routes of the logboek API (GET verwerkingen for residents, POST verwerkingen/_zoek). */
size_t omk__ldv_routes(omk_route *out, size_t cap, const omk_api_info *api);

#endif
