/* Internals shared by the SQLite backend's files. */
#ifndef OMK_SQLITE_INT_H
#define OMK_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "omk/arena.h"
#include "omk/buf.h"
#include "omk/rc.h"
#include "omk/store.h"
#include "omk/store_sturing.h"

int omk__sqlite_schema_latest(void);

/* Appends the SQL that migrates to `to_version` to out: the migration's own statements and
 * what the declared tables add in that version (the child_mask triggers). OMK_INVALID when
 * out of range; out->rc when the buffer failed. */
omk_rc omk__sqlite_migration(int to_version, omk_buf *out);

/* Some tables keep, per row, a bit per relation that tells whether the relation has rows at
 * all (column child_mask). The bit of the relation "rows of child_table whose `column` holds
 * the parent's uuid" of parent_table, or -1 when not tracked. */
int omk__sqlite_child_bit(const char *parent_table, const char *child_table, const char *column);

/* True when rows of `table` keep a child_mask. */
bool omk__sqlite_has_child_mask(const char *table);

/* The i-th tracked relation (parent table, child table, child column, bit), for the other
 * backend's schema (pg_schema.c): the relations are declared once, in sqlite_schema.c. False
 * past the last. */
bool omk__sqlite_child_relation(size_t i, const char **parent, const char **child,
                                const char **column, int *bit);

/* ---- between sqlite.c and sqlite_ldv.c (the Logboek's storage) ---- */

/* The connection's SQLite handle. */
sqlite3 *omk__sqlite_handle(void *conn);
/* A reset statement for sql from the connection's cache, prepared on first use. */
omk_rc omk__sqlite_prepare(void *conn, const char *sql, sqlite3_stmt **out);
/* SQLite result code → omk_rc. */
omk_rc omk__sqlite_rc(int e);
/* The Logboek's working memory of a (writer) connection, kept between groups: made on first
 * use (NULL when out of memory), freed with the connection. */
typedef struct omk__ldv_scratch omk__ldv_scratch;
omk__ldv_scratch *omk__sqlite_ldv_scratch(void *conn);
omk__ldv_scratch *omk__sqlite_ldv_scratch_new(void);
void omk__sqlite_ldv_scratch_free(omk__ldv_scratch *s);

/* The backend's Logboek and page operations (store_int.h). */
omk_rc omk__sqlite_column_in(void *conn, const char *table, const char *match, const char *col,
                             const char *const *vals, size_t n, omk_arena *a,
                             const char ***matches, const char ***values, size_t *count);
omk_rc omk__sqlite_ldv_add(void *conn, const omk_ldv_row *rows, size_t n);
omk_rc omk__sqlite_ldv_seal(void *conn, const omk_ldv_row *rows, size_t n);
omk_rc omk__sqlite_ldv_rows(void *conn, const omk_ldv_filter *f, omk_arena *a,
                            omk_ldv_row **out, size_t *n);
omk_rc omk__sqlite_ldv_count(void *conn, const omk_ldv_filter *f, long long *out);
omk_rc omk__sqlite_ldv_get(void *conn, const int64_t *ids, size_t n, omk_arena *a,
                           omk_ldv_row **out, size_t *nout);
omk_rc omk__sqlite_ldv_ids(void *conn, const unsigned char key[16], size_t max, omk_arena *a,
                           int64_t **ids, size_t *n);
omk_rc omk__sqlite_ldv_verify(void *conn, omk_ldv_check *out);
omk_rc omk__sqlite_ldv_prunable(void *conn, int64_t before_ms, omk_ldv_snoei *out);
omk_rc omk__sqlite_ldv_prune(void *conn, int64_t tot, int64_t now_ms, omk_ldv_snoei *out);
/* The kennisbank's synonym list (sqlite_synonyms.c; meanings as in omk/store.h). */
omk_rc omk__sqlite_synonyms_list(void *conn, omk_arena *a, omk_synonym_group **out, size_t *n);
omk_rc omk__sqlite_synonyms_get(void *conn, const char *uuid, omk_arena *a,
                                omk_synonym_group *out);
omk_rc omk__sqlite_synonyms_find(void *conn, const char *const *terms, size_t nterms,
                                 omk_arena *a, omk_synonym_group **out, size_t *n);
omk_rc omk__sqlite_synonyms_put(void *conn, const omk_synonym_group *g);
omk_rc omk__sqlite_synonyms_delete(void *conn, const char *uuid);
/* Migration 15's data step: the records of schema 10–14 (table dataverwerkingen_14, one
 * person each, the pseudonym as 64 hex characters) as rows of the new table, chained, and the
 * old table dropped. Inside the migration's transaction. */
omk_rc omk__sqlite_ldv_migrate(void *conn);

/* Steering's KPI rollups (sqlite_sturing.c; meanings in omk/store_sturing.h). */
omk_rc omk__sqlite_sturing_params(void *conn, omk_sturing_params *out);
omk_rc omk__sqlite_sturing_params_set(void *conn, const omk_sturing_params *p);
omk_rc omk__sqlite_sturing_rollup(void *conn, const omk_sturing_filter *f, omk_sturing_fn fn,
                                  void *arg);
omk_rc omk__sqlite_sturing_contacten(void *conn, const omk_sturing_filter *f, int maat,
                                    int64_t waarde, long long offset, int limit, omk_arena *a,
                                    omk_sturing_contact **out, size_t *n, long long *count);
omk_rc omk__sqlite_sturing_wachtend(void *conn, long long *out, long long *ooit);
omk_rc omk__sqlite_sturing_bijwerken(void *conn, size_t max, size_t *done);
omk_rc omk__sqlite_sturing_herbereken(void *conn, long long *gewijzigd);
omk_rc omk__sqlite_sturing_mix(void *conn, const omk_sturing_filter *f, bool per_klantgroep,
                               omk_sturing_mix_fn fn, void *arg);

#endif
