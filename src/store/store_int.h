/* Internal contract between the generic store (store.c: writer thread, reader pool,
 * dispatch) and its backends (sqlite.c, pg.c). A backend implements one vtable. */
#ifndef OMK_STORE_INT_H
#define OMK_STORE_INT_H

#include "omk/store.h"
#include "omk/store_sturing.h"

typedef struct omk__store_backend {
    const char *name;
    /* Opens a connection to `path`; `writer` connections get the durable write settings. */
    omk_rc (*connect)(const char *path, bool writer, void **conn);
    void (*disconnect)(void *conn);
    /* Runs a statement without results (BEGIN, COMMIT, SAVEPOINT …). On the writer,
     * "BEGIN IMMEDIATE" and "COMMIT"/"ROLLBACK" also mark a write in progress for the
     * backend's caches of counts; a group that changes nothing but the Logboek uses
     * "BEGIN IMMEDIATE TRANSACTION" and "COMMIT TRANSACTION"/"ROLLBACK TRANSACTION", which
     * leave them valid (the Logboek's own reads use no cached counts). */
    omk_rc (*exec)(void *conn, const char *sql);
    omk_rc (*migrate)(void *conn, int *from, int *to);
    omk_rc (*schema_version)(void *conn, int *out);
    int (*schema_latest)(void);
    omk_rc (*get)(void *conn, const omk_resource *r, const char *uuid, omk_arena *a,
                  omk_row **out);
    omk_rc (*list)(void *conn, const omk_resource *r, const omk_query *q, omk_arena *a,
                   omk_rowset *out, long long *count);
    omk_rc (*children)(void *conn, const omk_resource *child, const char *via, const char *uuid,
                       omk_arena *a, omk_rowset *out);
    omk_rc (*child_uuids)(void *conn, const omk_resource *child, const char *via,
                          const char *uuid, omk_arena *a, const char ***out, size_t *n);
    omk_rc (*children_in)(void *conn, const omk_resource *child, const char *via,
                          const char *const *uuids, size_t n, bool refs_only, omk_arena *a,
                          omk_rowset *out);
    omk_rc (*partij_namen)(void *conn, const char *text, int limit, omk_arena *a,
                           const char ***uuids, size_t *n);
    omk_rc (*linked)(void *conn, const omk_field *f, const char *uuid, omk_arena *a,
                     omk_rowset *out);
    omk_rc (*linked_in)(void *conn, const omk_field *f, const char *const *uuids, size_t n,
                        omk_arena *a, omk_rowset *out, const char ***owners,
                        int64_t **link_ids);
    /* The bit of omk_row.childless for r's REVERSE/REFLIST field f, or -1. */
    int (*relation_bit)(const omk_resource *r, const omk_field *f);
    omk_rc (*link_set)(void *conn, const omk_field *f, const char *uuid,
                       const char *const *uuids, size_t n);
    omk_rc (*exists)(void *conn, const omk_resource *r, const omk_cond *c, size_t n,
                     const char *except_uuid, bool *found);
    omk_rc (*insert)(void *conn, const omk_resource *r, omk_row *row);
    omk_rc (*update)(void *conn, const omk_resource *r, const omk_row *row);
    omk_rc (*del)(void *conn, const omk_resource *r, const char *uuid);
    omk_rc (*set_where)(void *conn, const omk_resource *r, const char *column, omk_value v,
                        const omk_cond *c, size_t n, const char *except_uuid);
    const char *(*errmsg)(void *conn);
    /* On the writer connection (any thread: it reads only what connect recorded): whether
     * the storage can take a commit — OMK_UNAVAILABLE (the file removed, replaced or
     * read-only) or OMK_FULL (less than min_free bytes free), with a Dutch reason in why.
     * NULL: nothing to check. */
    omk_rc (*storage)(void *conn, uint64_t min_free, char *why, size_t cap);
    /* Right after a failure on the writer connection: whether it was for want of room (no
     * space, or past a file-size limit), which some paths report as a mere I/O error. */
    bool (*was_full)(void *conn);
    /* A consistent copy of the database behind conn (a reader: its snapshot) in the new file
     * `to`, durable before it returns; why gets a Dutch reason on failure. */
    omk_rc (*backup)(void *conn, const char *to, char *why, size_t cap);
    /* Replaces the database at `path` (no process may use it) by the copy at `from`, after
     * checking that `from` is an intact database of this product at a schema this build
     * knows; the old file's -wal and -shm go with it. */
    omk_rc (*restore)(const char *from, const char *path, bool force, char *why, size_t cap);
    omk_rc (*column_in)(void *conn, const char *table, const char *match, const char *col,
                        const char *const *vals, size_t n, omk_arena *a, const char ***matches,
                        const char ***values, size_t *count);
    /* The Logboek (omk_db_ldv_*). */
    omk_rc (*ldv_add)(void *conn, const omk_ldv_row *rows, size_t n);
    omk_rc (*ldv_seal)(void *conn, const omk_ldv_row *rows, size_t n);
    omk_rc (*ldv_rows)(void *conn, const omk_ldv_filter *f, omk_arena *a, omk_ldv_row **out,
                       size_t *n);
    omk_rc (*ldv_count)(void *conn, const omk_ldv_filter *f, long long *out);
    omk_rc (*ldv_get)(void *conn, const int64_t *ids, size_t n, omk_arena *a,
                      omk_ldv_row **out, size_t *nout);
    omk_rc (*ldv_ids)(void *conn, const unsigned char key[16], size_t max, omk_arena *a,
                      int64_t **ids, size_t *n);
    omk_rc (*ldv_verify)(void *conn, omk_ldv_check *out);
    omk_rc (*ldv_prunable)(void *conn, int64_t before_ms, omk_ldv_snoei *out);
    omk_rc (*ldv_prune)(void *conn, int64_t tot, int64_t now_ms, omk_ldv_snoei *out);
    /* Called on the writer connection before each group of writes and, while no writes come,
     * about once a second: lets the backend notice commits by other processes (`omnikanaal
     * mail-ingest`, `kennisbank import`) and drop what it cached from before them. */
    void (*notice_others)(void *conn);
    /* The kennisbank's synonym list (omk_db_synonyms_*). */
    omk_rc (*synonyms_list)(void *conn, omk_arena *a, omk_synonym_group **out, size_t *n);
    omk_rc (*synonyms_get)(void *conn, const char *uuid, omk_arena *a, omk_synonym_group *out);
    omk_rc (*synonyms_find)(void *conn, const char *const *terms, size_t nterms, omk_arena *a,
                            omk_synonym_group **out, size_t *n);
    omk_rc (*synonyms_put)(void *conn, const omk_synonym_group *g);
    omk_rc (*synonyms_delete)(void *conn, const char *uuid);
    /* Full-text indexes (omk_db_index_*). */
    omk_rc (*index_put)(void *conn, const omk_search_index *ix, const char *uuid,
                        const char *const *values);
    omk_rc (*index_remove)(void *conn, const omk_search_index *ix, const char *uuid);
    omk_rc (*index_scan)(void *conn, const omk_search_index *ix, const char *match,
                         const omk_search_cond *conds, size_t nconds, const char *const *cols,
                         size_t ncols, size_t limit, omk_arena *a, omk_search_result **out,
                         size_t *n);
    omk_rc (*index_query)(void *conn, const omk_search_index *ix, const char *match,
                          const omk_search_cond *conds, size_t nconds, const char *const *cols,
                          size_t ncols, int cutoff, size_t limit, omk_arena *a,
                          omk_search_result **out, size_t *n);
    omk_rc (*index_mark)(void *conn, const omk_search_index *ix, const char *match,
                         omk_search_result *r, size_t n, omk_arena *a);
    omk_rc (*index_suggest)(void *conn, const omk_search_index *ix, const char *text,
                            omk_arena *a, char **out);
    /* Steering's KPI rollups (omk/store_sturing.h, omk_db_sturing_*). */
    omk_rc (*sturing_params)(void *conn, omk_sturing_params *out);
    omk_rc (*sturing_params_set)(void *conn, const omk_sturing_params *p);
    omk_rc (*sturing_rollup)(void *conn, const omk_sturing_filter *f, omk_sturing_fn fn,
                             void *arg);
    omk_rc (*sturing_contacten)(void *conn, const omk_sturing_filter *f, int maat,
                                int64_t waarde, long long offset, int limit, omk_arena *a,
                                omk_sturing_contact **out, size_t *n, long long *count);
    omk_rc (*sturing_wachtend)(void *conn, long long *out, long long *ooit);
    omk_rc (*sturing_bijwerken)(void *conn, size_t max, size_t *done);
    omk_rc (*sturing_herbereken)(void *conn, long long *gewijzigd);
    omk_rc (*sturing_mix)(void *conn, const omk_sturing_filter *f, bool per_klantgroep,
                          omk_sturing_mix_fn fn, void *arg);
} omk__store_backend;

#define OMK__INSERTED_MAX 8

struct omk_db {
    const omk__store_backend *be;
    void *conn;
    bool writer;
    /* The resources the current write job inserted rows of (see omk_db_inserted). */
    const omk_resource *inserted[OMK__INSERTED_MAX];
    int ninserted;
    bool inserted_overflow;
    bool ldv_pending; /* the group added Logboek rows that still need chaining */
};

extern const omk__store_backend omk__store_sqlite;
extern const omk__store_backend omk__store_pg;

/* The Logboek's hash chain, one definition for every backend (sqlite_ldv.c): the hash before
 * the first row, and a row's hash after its predecessor's (BLAKE2b-256, 32 bytes). */
void omk__ldv_genesis(unsigned char out[32]);
omk_rc omk__ldv_row_hash(const unsigned char prev[32], const omk_ldv_row *r,
                         unsigned char out[32]);
/* What verify sums per (pseudonym, row id) pair, over the rows and over the person index alike:
 * the sums agree exactly when both name the same pairs (with overwhelming probability). */
uint64_t omk__ldv_pair_digest(const unsigned char key[16], int64_t id);

#endif
