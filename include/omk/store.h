/* The storage interface. A store is opened from a URL-ish string ("file.db",
 * "sqlite://file.db"; "postgresql://…" is reserved for the PostgreSQL backend) and chosen at
 * open time through a vtable, like SQLite's VFS.
 *
 * Concurrency: reads borrow a connection from a pool (omk_store_read); writes are queued to
 * one writer thread that runs many callers' work in one transaction, each in its own
 * savepoint, and commits once (group commit). omk_store_write returns only after the commit
 * is durable, so an acknowledged write survives a crash. Any thread may call both. */
#ifndef OMK_STORE_H
#define OMK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "omk/arena.h"
#include "omk/model.h"
#include "omk/rc.h"
#include "omk/search.h"

typedef struct omk_store omk_store;
typedef struct omk_db omk_db; /* a connection lent to a callback; valid only inside it */

typedef struct omk_store_opts {
    int readers;      /* read connections in the pool; 0 = default (16) */
    bool read_only;   /* open without the writer (tools that only read) */
    int min_free_mb;  /* MiB the disk must keep free, else writes are refused with OMK_FULL;
                         0 = the default (OMK_STORE_MIN_FREE_MB), negative = no reserve
                         (SQLite's own "disk full" still refuses a write that does not fit) */
} omk_store_opts;

#define OMK_STORE_MIN_FREE_MB 64

/* Opens (creating if needed) the store at `url`. Does not migrate. On success *out is the
 * store; the caller closes it with omk_store_close. */
OMK_MUST_CHECK omk_rc omk_store_open(const char *url, const omk_store_opts *opts,
                                     omk_store **out);

/* Finishes queued writes, stops the writer, closes all connections. NULL is allowed. */
void omk_store_close(omk_store *s);

/* Brings the schema to the newest version. *from and *to (may be NULL) report the versions
 * before and after. Each migration runs in its own transaction. */
OMK_MUST_CHECK omk_rc omk_store_migrate(omk_store *s, int *from, int *to);

/* Whether the store can keep what it is asked to write: OMK_OK, or OMK_UNAVAILABLE (the
 * database file was removed, replaced or made read-only) or OMK_FULL (less than the reserve
 * free), or the error of the last commit that failed (until one succeeds), with a Dutch reason
 * in why. Writes are refused in those states (before their transaction starts), so nothing is
 * acknowledged that would be lost. Any thread; a few system calls. */
OMK_MUST_CHECK omk_rc omk_store_storage(omk_store *s, char *why, size_t cap);

/* Writes a consistent copy of the whole database (one read snapshot: writes go on meanwhile)
 * to the new file `to` (OMK_CONFLICT when it exists), on disk before it returns. why gets a
 * Dutch reason on failure. */
OMK_MUST_CHECK omk_rc omk_store_backup(omk_store *s, const char *to, char *why, size_t cap);

/* Replaces the database at `url` by the backup at `from`, which must be an intact database of
 * this product with a schema this build knows (a newer backup is refused; an older one is
 * migrated when the server starts). No process may use `url`: OMK_CONFLICT while its log
 * (-wal) exists, unless force. Not for a running store. */
OMK_MUST_CHECK omk_rc omk_store_restore(const char *from, const char *url, bool force, char *why,
                                        size_t cap);

/* The newest schema version this build knows, and the one the store is at. */
int omk_store_schema_latest(void);
OMK_MUST_CHECK omk_rc omk_store_schema_version(omk_store *s, int *out);

typedef omk_rc (*omk_store_fn)(omk_db *db, void *arg);

/* Runs fn(db, arg) on a pooled read connection inside one read transaction (a consistent
 * snapshot). Returns fn's result, or OMK_BUSY/OMK_IO from the store. */
OMK_MUST_CHECK omk_rc omk_store_read(omk_store *s, omk_store_fn fn, void *arg);

/* Runs fn(db, arg) on the writer thread inside a savepoint of the current group transaction
 * and waits for the commit. When fn fails, its savepoint is rolled back (nothing it did stays)
 * and its rc is returned. Returns OMK_OK only once the change is durable. The caller's `arg`
 * must stay valid until this returns; fn must not block on other store calls. */
OMK_MUST_CHECK omk_rc omk_store_write(omk_store *s, omk_store_fn fn, void *arg);

/* Like omk_store_write, but returns at once: done(arg, rc) is called on the writer thread
 * after the commit (or failure). done must be quick and must be the last use of arg by the
 * store; it typically wakes the waiting request. OMK_UNAVAILABLE when shutting down (done is
 * then not called). */
typedef void (*omk_store_done_fn)(void *arg, omk_rc rc);
OMK_MUST_CHECK omk_rc omk_store_write_async(omk_store *s, omk_store_fn fn, void *arg,
                                            omk_store_done_fn done);

/* Work the writer does at the end of every group besides the queued jobs: the Logboek's
 * records of reads, which answers do not wait for one by one (omk/store.h's ldv functions).
 * flush runs on the writer thread inside the group's transaction, after the jobs, in a
 * savepoint of its own (when it fails, only what it did rolls back and the jobs still
 * commit); done runs on the writer thread after the group: rc OMK_OK once the commit is
 * durable, else the flush's or the commit's failure (nothing flush wrote stayed). */
typedef struct omk_store_flusher {
    omk_rc (*flush)(omk_db *db, void *arg);
    void (*done)(void *arg, omk_rc rc);
    void *arg;
    /* A group the flusher alone asks for (omk_store_kick) starts at least this many
     * milliseconds after the previous group ended, so its work gathers into fewer commits:
     * every commit costs an fsync and empties the page cache of every read connection.
     * Queued jobs never wait for it. 0: at once. */
    int interval_ms;
} omk_store_flusher;

/* Sets (f copied) or removes (NULL) the flusher. Call while no write is in flight, e.g.
 * before serving and after the server stopped. */
void omk_store_set_flusher(omk_store *s, const omk_store_flusher *f);

/* Asks the writer for a group soon even when no job is queued, so the flusher runs: after the
 * flusher's interval, or after a pause of 100 ms when the previous flush or commit failed (a
 * full disk is not retried in a tight loop). Any thread; cheap when a group is already due. */
void omk_store_kick(omk_store *s);

/* ---- operations on a lent connection (db); rows and strings live in `a` ---- */

/* A condition on one column of the resource's own table: col = v (v NULL → IS NULL). */
typedef struct omk_cond {
    const char *column;
    omk_value v;
} omk_cond;

/* A parsed list filter: filter f with value `value` (already checked for type). */
typedef struct omk_filter_arg {
    const omk_filter *f;
    const char *value;
} omk_filter_arg;

typedef struct omk_query {
    const omk_filter_arg *filters;
    size_t nfilters;
    const omk_cond *conds; /* plain equality conditions on own columns */
    size_t nconds;
    long long offset;
    int limit; /* 0 = no limit */
} omk_query;

typedef struct omk_rowset {
    omk_row *rows;
    size_t n;
} omk_rowset;

/* Allocates an empty row (all NULL, none set) for r in a. NULL when out of memory. */
omk_row *omk_row_new(const omk_resource *r, omk_arena *a);

/* Reads the row with this uuid. OMK_NOTFOUND when there is none. */
OMK_MUST_CHECK omk_rc omk_db_get(omk_db *db, const omk_resource *r, const char *uuid,
                                 omk_arena *a, omk_row **out);

/* Lists rows matching q in the resource's default order; *count (may be NULL) gets the total
 * number of matches regardless of offset/limit. */
OMK_MUST_CHECK omk_rc omk_db_list(omk_db *db, const omk_resource *r, const omk_query *q,
                                  omk_arena *a, omk_rowset *out, long long *count);

/* The rows of `child` whose column `via` equals uuid, oldest first. */
OMK_MUST_CHECK omk_rc omk_db_children(omk_db *db, const omk_resource *child, const char *via,
                                      const char *uuid, omk_arena *a, omk_rowset *out);

/* Only the uuids of those children (cheaper when only references are shown). */
OMK_MUST_CHECK omk_rc omk_db_child_uuids(omk_db *db, const omk_resource *child, const char *via,
                                         const char *uuid, omk_arena *a, const char ***out,
                                         size_t *n);

/* The rows of `child` whose column `via` is one of uuids[0..n), in no particular order (the
 * caller sorts: an ORDER BY costs SQLite a sorter per query); for serialising a whole page
 * with one query per relation instead of one per row. With refs_only the rows hold only id,
 * uuid and `via` (every other field NULL): enough to show references, and read from the
 * (via, id, uuid) index alone where the schema has one. */
OMK_MUST_CHECK omk_rc omk_db_children_in(omk_db *db, const omk_resource *child, const char *via,
                                         const char *const *uuids, size_t n, bool refs_only,
                                         omk_arena *a, omk_rowset *out);

/* The store keeps, for some relations, whether a row has rows through them at all, and reads
 * it with the row (omk_row.childless). The bit of r's REVERSE or REFLIST field f there, or -1
 * when the store keeps none for it. */
int omk_db_relation_bit(omk_db *db, const omk_resource *r, const omk_field *f);

/* True when row is known to have no rows through the relation with this bit (see above). */
static inline bool omk_row_childless(const omk_row *row, int bit)
{
    return bit >= 0 && ((row->childless >> bit) & 1);
}

/* The target rows linked to `uuid` through REFLIST field f, in link order. */
OMK_MUST_CHECK omk_rc omk_db_linked(omk_db *db, const omk_field *f, const char *uuid,
                                    omk_arena *a, omk_rowset *out);

/* The target rows linked to any of uuids[0..n) through REFLIST field f, in no particular
 * order; owners[k] is the uuid row k is linked to and link_ids[k] the link's id (its order).
 * A row linked to several of them comes once per link. For serialising a page. */
OMK_MUST_CHECK omk_rc omk_db_linked_in(omk_db *db, const omk_field *f, const char *const *uuids,
                                       size_t n, omk_arena *a, omk_rowset *out,
                                       const char ***owners, int64_t **link_ids);

/* Replaces the links of `uuid` through REFLIST field f by uuids[0..n) (writer only). */
OMK_MUST_CHECK omk_rc omk_db_link_set(omk_db *db, const omk_field *f, const char *uuid,
                                      const char *const *uuids, size_t n);

/* The partijen whose name has a word starting with each word of `text` (a person's voornaam,
 * voorvoegsel and achternaam, an organisation's naam; without case or diacritics), best match
 * first: at most `limit` uuids in *uuids (arena), their number in *n. A text without words
 * gives none. */
OMK_MUST_CHECK omk_rc omk_db_partij_namen(omk_db *db, const char *text, int limit, omk_arena *a,
                                          const char ***uuids, size_t *n);

/* ---- full-text indexes ----
 * The store keeps the full-text indexes a capability declares (omk_search_index, e.g. the
 * kennisbank's); the SQLite backend serves them with the search module's FTS5 index
 * (src/search/), another backend with its own. Each call runs inside the caller's read
 * snapshot or write transaction (put and remove: writer only). Meanings as in omk/search.h. */

/* Replaces the entry of the owner row `uuid` by values[0..ix->ncolumns). */
OMK_MUST_CHECK omk_rc omk_db_index_put(omk_db *db, const omk_search_index *ix, const char *uuid,
                                       const char *const *values);
/* Removes the entry of the owner row `uuid` (before the owner row is deleted). */
OMK_MUST_CHECK omk_rc omk_db_index_remove(omk_db *db, const omk_search_index *ix,
                                          const char *uuid);
/* Every match of `match` (from omk_search_match) narrowed by conds, unranked, at most limit:
 * for counts and facets. */
OMK_MUST_CHECK omk_rc omk_db_index_scan(omk_db *db, const omk_search_index *ix,
                                        const char *match, const omk_search_cond *conds,
                                        size_t nconds, const char *const *cols, size_t ncols,
                                        size_t limit, omk_arena *a, omk_search_result **out,
                                        size_t *n);
/* The matches best first (tiers, then weighted BM25), at most limit, scoring tiers up to
 * cutoff first (omk_search_cutoff). */
OMK_MUST_CHECK omk_rc omk_db_index_query(omk_db *db, const omk_search_index *ix,
                                         const char *match, const omk_search_cond *conds,
                                         size_t nconds, const char *const *cols, size_t ncols,
                                         int cutoff, size_t limit, omk_arena *a,
                                         omk_search_result **out, size_t *n);
/* Fills the highlight and snippet of results r[0..n) of the same match. */
OMK_MUST_CHECK omk_rc omk_db_index_mark(omk_db *db, const omk_search_index *ix,
                                        const char *match, omk_search_result *r, size_t n,
                                        omk_arena *a);
/* A correction of `text` for "bedoelde u …" from the index's own vocabulary, or *out NULL. */
OMK_MUST_CHECK omk_rc omk_db_index_suggest(omk_db *db, const omk_search_index *ix,
                                           const char *text, omk_arena *a, char **out);

/* ---- the kennisbank's synonym list ----
 * Groups of equivalent search terms for the whole municipality, besides each article's own
 * synonyms: the search looks the query's words up at query time (nothing is reindexed).
 * Terms are stored as omk_search_synonym_term makes them; a term is in at most one group.
 * Reads run in the caller's snapshot; put and delete on the writer only (else
 * OMK_INTERNAL). Strings and arrays live in `a`. */
typedef struct omk_synonym_group {
    const char *uuid;
    const char **terms; /* in the order they were given */
    size_t n;
    int64_t gewijzigd_op; /* microseconds since the epoch */
    const char *gewijzigd_door;
} omk_synonym_group;

/* Every group, oldest first. */
OMK_MUST_CHECK omk_rc omk_db_synonyms_list(omk_db *db, omk_arena *a, omk_synonym_group **out,
                                           size_t *n);
/* The group `uuid`; OMK_NOTFOUND when there is none. */
OMK_MUST_CHECK omk_rc omk_db_synonyms_get(omk_db *db, const char *uuid, omk_arena *a,
                                          omk_synonym_group *out);
/* The groups holding one or more of terms[0..nterms) (at most 64 terms), oldest first. */
OMK_MUST_CHECK omk_rc omk_db_synonyms_find(omk_db *db, const char *const *terms, size_t nterms,
                                           omk_arena *a, omk_synonym_group **out, size_t *n);
/* Creates the group g->uuid, or replaces its terms (at least one) and change stamp when it
 * exists. OMK_CONFLICT when a term is in another group (nothing written). */
OMK_MUST_CHECK omk_rc omk_db_synonyms_put(omk_db *db, const omk_synonym_group *g);
/* Removes the group `uuid`; OMK_NOTFOUND when there is none. */
OMK_MUST_CHECK omk_rc omk_db_synonyms_delete(omk_db *db, const char *uuid);

/* Sets *found when a row matches all conds, ignoring the row `except_uuid` (may be NULL). */
OMK_MUST_CHECK omk_rc omk_db_exists(omk_db *db, const omk_resource *r, const omk_cond *conds,
                                    size_t n, const char *except_uuid, bool *found);

/* Writes (writer connection only). insert stores every non-derived field of row (row->uuid
 * must be set) and fills row->id; update stores the fields and keeps uuid; delete removes
 * the row and lets the schema's foreign keys cascade. OMK_CONFLICT on a unique violation. */
OMK_MUST_CHECK omk_rc omk_db_insert(omk_db *db, const omk_resource *r, omk_row *row);
OMK_MUST_CHECK omk_rc omk_db_update(omk_db *db, const omk_resource *r, const omk_row *row);
OMK_MUST_CHECK omk_rc omk_db_delete(omk_db *db, const omk_resource *r, const char *uuid);

/* Inside a write callback: whether this job has inserted or changed (update, set_where) rows
 * of r, or links to rows of r (link_set), so far. True when unknown (too many resources to track, or not the writer). A row the
 * job created can only have children of a resource the job wrote: its answer need not look
 * for the others. */
bool omk_db_inserted(const omk_db *db, const omk_resource *r);

/* UPDATE r SET column = v WHERE conds (and uuid <> except_uuid). For side effects such as
 * "only one default address". */
OMK_MUST_CHECK omk_rc omk_db_set_where(omk_db *db, const omk_resource *r, const char *column,
                                       omk_value v, const omk_cond *conds, size_t n,
                                       const char *except_uuid);

/* For each of vals[0..n) (at most 512), the values of column `col` of the rows of `table`
 * whose column `match` equals it: *matches[k] and *values[k] for k < *count, in no particular
 * order, NULL values left out. One query for a whole page (e.g. the partijen of the
 * betrokkenen of 20 klantcontacten). Strings live in a. */
OMK_MUST_CHECK omk_rc omk_db_column_in(omk_db *db, const char *table, const char *match,
                                       const char *col, const char *const *vals, size_t n,
                                       omk_arena *a, const char ***matches,
                                       const char ***values, size_t *count);

/* ---- the Logboek Dataverwerkingen's storage (docs/internals/logboek.md) ----
 * An append-only table of processing actions ("verwerkingen"), each naming the persons it
 * concerns by a pseudonym; every (action, person) pair is one Logboek record. The rows form a
 * hash chain: each row's hash is BLAKE2b-256 over its predecessor's hash and its own content,
 * and a separate head row holds the last id and hash, so a changed, inserted or removed row
 * (the last ones included) is detected by omk_db_ldv_verify. Chaining happens only on the
 * writer, at the end of a group inside its transaction, in id order: a row that rolls back
 * never enters the chain, and the head lives in the same transaction. An index maps each
 * pseudonym to the rows that name it (one index row per person per group). */

/* Bytes per person in omk_ldv_row.personen: a type (OMK_LDV_T_*) and a 16-byte pseudonym. */
#define OMK_LDV_PERSOON 17
enum { OMK_LDV_T_BSN = 1, OMK_LDV_T_KVK = 2, OMK_LDV_T_VESTIGING = 3, OMK_LDV_T_PARTIJ = 4,
       OMK_LDV_T_ZAAK = 5 };

/* One action and the persons it concerns. Strings are NUL-terminated (parent_span_id,
 * aanroeper and bron may be NULL); personen holds n entries of OMK_LDV_PERSOON bytes, each
 * person at most once. */
typedef struct omk_ldv_row {
    int64_t id; /* set by the store: commit order */
    const char *trace_id, *span_id, *parent_span_id;
    const char *naam, *status, *activiteit, *rol, *aanroeper, *bron;
    int64_t start_ms, eind_ms;
    const unsigned char *personen;
    size_t n;
} omk_ldv_row;

/* Inside a write job: adds rows that commit or roll back with the job's change; the writer
 * chains them at the end of the group. */
OMK_MUST_CHECK omk_rc omk_db_ldv_add(omk_db *db, const omk_ldv_row *rows, size_t n);

/* On the writer (a flusher): chains the rows added since the head, then appends rows[0..n)
 * chained, indexes both and moves the head. */
OMK_MUST_CHECK omk_rc omk_db_ldv_seal(omk_db *db, const omk_ldv_row *rows, size_t n);

/* Which rows to read: all when a field is NULL / 0. */
typedef struct omk_ldv_filter {
    const char *trace_id, *activiteit, *rol;
    int64_t before_id; /* only rows with a smaller id (0: no bound) */
    int limit;         /* at most this many rows (0: 100) */
} omk_ldv_filter;

/* Rows matching f, newest first; strings and personen live in a. */
OMK_MUST_CHECK omk_rc omk_db_ldv_rows(omk_db *db, const omk_ldv_filter *f, omk_arena *a,
                                      omk_ldv_row **out, size_t *n);

/* The number of records (persons summed over rows) matching f (before_id and limit unused). */
OMK_MUST_CHECK omk_rc omk_db_ldv_count(omk_db *db, const omk_ldv_filter *f, long long *out);

/* The rows with these ids (each once, in no particular order). */
OMK_MUST_CHECK omk_rc omk_db_ldv_get(omk_db *db, const int64_t *ids, size_t n, omk_arena *a,
                                     omk_ldv_row **out, size_t *nout);

/* The ids of the rows that name the person with 16-byte pseudonym `key`, newest first, at most
 * max of them. */
OMK_MUST_CHECK omk_rc omk_db_ldv_ids(omk_db *db, const unsigned char key[16], size_t max,
                                     omk_arena *a, int64_t **ids, size_t *n);

/* What omk_db_ldv_verify found. */
typedef struct omk_ldv_check {
    bool ok;
    long long rows, records;
    int64_t bad_id;     /* the first row that does not fit the chain (0: none, or the head) */
    char reason[200];   /* Dutch, one line, when !ok */
    char head[65];      /* the head's hash in hex, when ok: write it down to anchor the log */
    int64_t pruned_to;  /* the pruning point: rows up to it were removed by retention (0: none) */
} omk_ldv_check;

/* Walks the whole chain in one read transaction: recomputes each row's hash, compares the
 * head row and the index's record count. OMK_OK with *out filled (out->ok false when
 * something does not fit); other codes when the store could not be read. */
OMK_MUST_CHECK omk_rc omk_db_ldv_verify(omk_db *db, omk_ldv_check *out);

/* The Logboek's own retention. Rows up to a pruning point are removed; the point keeps the
 * hash of the last removed row (the predecessor of the first kept one), so the chain verifies
 * from there, and a chained record named OMK_LDV_SNOEI_NAAM (no persons) states the point,
 * so moving it later shows in verification. */
#define OMK_LDV_SNOEI_NAAM "Logboek ingekort na de bewaartermijn"
typedef struct omk_ldv_snoei {
    int64_t tot;           /* the last row removed (or to remove) */
    long long rows, records;
} omk_ldv_snoei;

/* What a pruning of the rows that ended before before_ms would remove (chained rows only,
 * after the current point): out->tot 0 when nothing. Read or write transaction. */
OMK_MUST_CHECK omk_rc omk_db_ldv_prunable(omk_db *db, int64_t before_ms, omk_ldv_snoei *out);

/* Inside a write job: removes the chained rows up to id tot and their index entries, moves
 * the pruning point there and adds the pruning's record (chained at the end of the group).
 * out: what was removed (out->tot 0: nothing, the point was there already). */
OMK_MUST_CHECK omk_rc omk_db_ldv_prune(omk_db *db, int64_t tot, omk_ldv_snoei *out);

/* The last error text of the backend, for logs only (never sent to clients). */
const char *omk_db_errmsg(omk_db *db);

#endif
