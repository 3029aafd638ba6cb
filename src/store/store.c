/* The generic store: picks a backend by URL, lends pooled read connections, and runs all
 * writes on one writer thread with group commit (many callers, one transaction, one fsync).
 * Invariant: a caller of omk_store_write is woken only after its transaction committed or
 * was rolled back; a failed commit fails every job in the group. At the end of every group
 * the flusher (the Logboek's queued records) runs in the same transaction, and Logboek rows
 * the jobs added are chained there, so the chain never holds a row that rolled back. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omk/log.h"
#include "omk/util.h"
#include "store_int.h"

#define DEFAULT_READERS 16
#define MAX_GROUP 512
#define RETRY_PAUSE_NS (100 * 1000000LL) /* after a failed flush or commit */

typedef struct job {
    omk_store_fn fn;
    void *arg;
    omk_rc rc;
    bool finished;
    pthread_cond_t cv; /* its own, so finishing a group wakes only its callers */
    omk_store_done_fn done; /* async job: called instead of waking, then the job is freed */
    struct job *next;
} job;

struct omk_store {
    const omk__store_backend *be;
    char *path;
    omk_db writer;
    bool has_writer;
    pthread_t thread;
    pthread_mutex_t mu;   /* the write queue */
    pthread_cond_t work;  /* writer waits for jobs */
    job *head, *tail;
    bool stopping;
    omk_store_flusher flusher; /* flush NULL: none */
    bool kicked;               /* the flusher has work: run a group even without jobs */
    int64_t retry_at;          /* monotonic ns before which a flusher-only group waits */
    int64_t last_end;          /* monotonic ns when the last group ended */
    bool stop_flushed;         /* the last flush while stopping was tried */
    uint64_t min_free;         /* bytes the disk must keep free for a group to start */
    omk_rc storage_rc;         /* the last failed commit's outcome until one succeeds (mu) */
    bool storage_refused;      /* the last group was refused by the storage check (mu) */
    char storage_why[256];
    /* reader pool, under its own lock so reads never contend with the write queue */
    pthread_mutex_t rmu;
    omk_db *readers;
    int nreaders, nfree;
    int *free_idx;
    pthread_cond_t reader_free;
};

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The end of a group, inside its transaction: the flusher's work — in a savepoint of its own
 * when the group has jobs, which must not fail with it — then the chaining of Logboek rows the
 * jobs added (which the group cannot commit without). Returns what must fail the group. */
static omk_rc run_flush(omk_store *s, const omk_store_flusher *f, bool alone, omk_rc *flush_rc)
{
    omk_db *db = &s->writer;
    *flush_rc = OMK_OK;
    if (f->flush && alone) {
        *flush_rc = f->flush(db, f->arg);
        if (*flush_rc)
            return *flush_rc; /* nothing else in the group: roll it all back */
    } else if (f->flush) {
        if (s->be->exec(db->conn, "SAVEPOINT flush")) {
            *flush_rc = OMK_IO;
        } else {
            *flush_rc = f->flush(db, f->arg);
            if (*flush_rc && s->be->exec(db->conn, "ROLLBACK TO flush"))
                omk_log_error("store", "rollback of the flush failed: %s",
                              s->be->errmsg(db->conn));
            if (s->be->exec(db->conn, "RELEASE flush"))
                omk_log_error("store", "release of the flush failed: %s",
                              s->be->errmsg(db->conn));
        }
    }
    omk_rc rc = OMK_OK;
    if (db->ldv_pending)
        rc = s->be->ldv_seal(db->conn, NULL, 0);
    db->ldv_pending = false;
    return rc;
}

/* Runs the jobs of list (may be empty: only the flusher) as one transaction. */
static void run_group(omk_store *s, job *list, const omk_store_flusher *f)
{
    omk_db *db = &s->writer;
    /* A group of the flusher alone changes only the Logboek: its transaction leaves the
     * backend's count caches valid (see store_int.h). */
    bool quiet = !list;
    db->ldv_pending = false;
    /* Storage that cannot keep a commit refuses the group before it starts: nothing is
     * acknowledged that a removed file or a full disk would lose. */
    char why[256] = "";
    omk_rc rc = s->be->storage ? s->be->storage(db->conn, s->min_free, why, sizeof why) : OMK_OK;
    bool refused = rc != OMK_OK; /* by the check, not by a failed commit */
    if (!rc)
        rc = s->be->exec(db->conn, quiet ? "BEGIN IMMEDIATE TRANSACTION" : "BEGIN IMMEDIATE");
    omk_rc flush_rc = rc;
    if (rc) {
        for (job *j = list; j; j = j->next)
            j->rc = rc;
        goto out;
    }
    for (job *j = list; j; j = j->next) {
        if (s->be->exec(db->conn, "SAVEPOINT job")) {
            j->rc = OMK_IO;
            continue;
        }
        db->ninserted = 0;
        db->inserted_overflow = false;
        bool pending = db->ldv_pending;
        j->rc = j->fn(db, j->arg);
        if (j->rc && s->be->exec(db->conn, "ROLLBACK TO job"))
            omk_log_error("store", "rollback to savepoint failed: %s", s->be->errmsg(db->conn));
        if (j->rc)
            db->ldv_pending = pending; /* its rows are gone */
        if (s->be->exec(db->conn, "RELEASE job"))
            omk_log_error("store", "release savepoint failed: %s", s->be->errmsg(db->conn));
    }
    rc = run_flush(s, f, quiet, &flush_rc);
    if (!rc)
        rc = s->be->exec(db->conn, quiet ? "COMMIT TRANSACTION" : "COMMIT");
    /* A failure for want of room is a full disk (507), whatever code the path gave it. */
    bool full = (rc == OMK_IO || rc == OMK_FULL) && s->be->was_full && s->be->was_full(db->conn);
    if (full)
        rc = OMK_FULL;
    for (job *j = list; full && j; j = j->next)
        if (j->rc == OMK_IO)
            j->rc = OMK_FULL;
    if (rc) {
        omk_log_error("store", "group rolled back: %s", s->be->errmsg(db->conn));
        (void)s->be->exec(db->conn, quiet ? "ROLLBACK TRANSACTION" : "ROLLBACK");
        for (job *j = list; j; j = j->next)
            if (!j->rc)
                j->rc = rc == OMK_FULL || rc == OMK_UNAVAILABLE ? rc : OMK_IO;
        flush_rc = rc;
    }
out:
    if (flush_rc)
        s->retry_at = mono_ns() + RETRY_PAUSE_NS;
    omk_rc state = rc == OMK_FULL || rc == OMK_UNAVAILABLE || rc == OMK_IO ? rc : OMK_OK;
    if (state && !*why)
        snprintf(why, sizeof why, "%s",
                 state == OMK_FULL ? "De schijf van de database is vol."
                                   : "De laatste schrijfactie naar de database mislukte.");
    pthread_mutex_lock(&s->mu);
    bool changed = state != s->storage_rc || refused != s->storage_refused;
    /* A failed commit is remembered until one succeeds; a refusal by the check is not: the
     * check itself says when the storage is back. */
    s->storage_rc = refused ? OMK_OK : state;
    s->storage_refused = refused;
    snprintf(s->storage_why, sizeof s->storage_why, "%s", state ? why : "");
    pthread_mutex_unlock(&s->mu);
    if (changed && state) /* once per change, not once per refused group */
        omk_log_error("store", "writes refused (%s): %s %s", s->path, why,
                      rc == OMK_IO ? s->be->errmsg(db->conn) : "");
    else if (changed)
        omk_log_error("store", "writes accepted again: the storage recovered");
    if (f->done)
        f->done(f->arg, flush_rc);
}

/* Lets the backend notice other processes' commits (see store_int.h). Called with s->mu
 * held: the call is short and only the writer thread uses its connection. */
static void notice_others(omk_store *s)
{
    if (s->writer.be->notice_others)
        s->writer.be->notice_others(s->writer.conn);
}

/* When a group of the flusher alone may start (monotonic ns; called with s->mu held). */
static int64_t flush_at(const omk_store *s)
{
    int64_t at = s->last_end + (int64_t)s->flusher.interval_ms * 1000000LL;
    return at > s->retry_at ? at : s->retry_at;
}

static void *writer_main(void *arg)
{
    omk_store *s = arg;
    pthread_setname_np(pthread_self(), "omk-writer");
    pthread_mutex_lock(&s->mu);
    notice_others(s); /* the baseline, before any read can cache */
    for (;;) {
        for (;;) {
            int64_t now = mono_ns();
            if (s->head || s->stopping || (s->kicked && now >= flush_at(s)))
                break;
            int64_t wait_ns = 1000000000LL;
            if (s->kicked && flush_at(s) - now < wait_ns)
                wait_ns = flush_at(s) - now;
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += (time_t)(wait_ns / 1000000000LL);
            until.tv_nsec += (long)(wait_ns % 1000000000LL);
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            if (pthread_cond_timedwait(&s->work, &s->mu, &until) == ETIMEDOUT && !s->head &&
                !s->kicked)
                notice_others(s);
        }
        /* Stopping: the queued jobs, then one last flush (no retries: the flusher's owner
         * drained its records before and reports what could not be written). */
        if (!s->head && s->stopping && (!s->kicked || s->stop_flushed))
            break;
        if (!s->head && s->stopping)
            s->stop_flushed = true;
        notice_others(s);
        /* Take up to MAX_GROUP queued jobs as one group. */
        job *list = s->head, *last = s->head;
        int n = list ? 1 : 0;
        while (last && last->next && n < MAX_GROUP) {
            last = last->next;
            n++;
        }
        if (last) {
            s->head = last->next;
            if (!s->head)
                s->tail = NULL;
            last->next = NULL;
        }
        s->kicked = false;
        omk_store_flusher f = s->flusher;
        pthread_mutex_unlock(&s->mu);

        run_group(s, list, &f);

        pthread_mutex_lock(&s->mu);
        s->last_end = mono_ns();
        job *async = NULL;
        for (job *j = list; j;) {
            job *next = j->next; /* j lives on its caller's stack: read next first */
            if (j->done) {
                j->next = async;
                async = j;
            } else {
                j->finished = true;
                pthread_cond_signal(&j->cv);
            }
            j = next;
        }
        if (async) {
            /* Callbacks run without the lock: they may resume requests that write again. */
            pthread_mutex_unlock(&s->mu);
            while (async) {
                job *next = async->next;
                async->done(async->arg, async->rc);
                free(async);
                async = next;
            }
            pthread_mutex_lock(&s->mu);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

void omk_store_set_flusher(omk_store *s, const omk_store_flusher *f)
{
    pthread_mutex_lock(&s->mu);
    if (f)
        s->flusher = *f;
    else
        memset(&s->flusher, 0, sizeof s->flusher);
    pthread_mutex_unlock(&s->mu);
}

void omk_store_kick(omk_store *s)
{
    if (!s->has_writer)
        return;
    pthread_mutex_lock(&s->mu);
    if (!s->kicked) {
        s->kicked = true;
        pthread_cond_signal(&s->work);
    }
    pthread_mutex_unlock(&s->mu);
}

static const omk__store_backend *pick_backend(const char *url, const char **path)
{
    if (strncmp(url, "sqlite://", 9) == 0) {
        *path = url + 9;
        return &omk__store_sqlite;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        *path = url; /* libpq takes the whole URI */
        return &omk__store_pg;
    }
    *path = url;
    return &omk__store_sqlite;
}

omk_rc omk_store_open(const char *url, const omk_store_opts *opts, omk_store **out)
{
    omk_rc rc = OMK_OK;
    const char *path = NULL;
    const omk__store_backend *be = pick_backend(url, &path);
    *out = NULL;
    if (!be) {
        omk_log_error("store", "no backend for '%s' in this build", url);
        return OMK_UNAVAILABLE;
    }
    omk_store *s = calloc(1, sizeof *s);
    if (!s)
        return OMK_NOMEM;
    s->be = be;
    s->path = strdup(path);
    int mb = opts && opts->min_free_mb ? opts->min_free_mb : OMK_STORE_MIN_FREE_MB;
    s->min_free = mb > 0 ? (uint64_t)mb << 20 : 0;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->rmu, NULL);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&s->work, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pthread_cond_init(&s->reader_free, NULL);
    if (!s->path) {
        rc = OMK_NOMEM;
        goto out;
    }
    bool read_only = opts && opts->read_only;
    if (!read_only) {
        s->writer.be = be;
        s->writer.writer = true;
        rc = be->connect(s->path, true, &s->writer.conn);
        if (rc)
            goto out;
        s->has_writer = true;
    }
    s->nreaders = opts && opts->readers > 0 ? opts->readers : DEFAULT_READERS;
    s->readers = calloc((size_t)s->nreaders, sizeof *s->readers);
    s->free_idx = calloc((size_t)s->nreaders, sizeof *s->free_idx);
    if (!s->readers || !s->free_idx) {
        rc = OMK_NOMEM;
        goto out;
    }
    /* Read connections open lazily (after migration has created the file's schema). */
    for (int i = 0; i < s->nreaders; i++) {
        s->readers[i].be = be;
        s->free_idx[s->nfree++] = i;
    }
    if (!read_only && pthread_create(&s->thread, NULL, writer_main, s) != 0) {
        rc = OMK_INTERNAL;
        goto out;
    }
    *out = s;
out:
    if (rc) {
        if (s->has_writer)
            be->disconnect(s->writer.conn);
        s->has_writer = false;
        free(s->readers);
        free(s->free_idx);
        free(s->path);
        free(s);
    }
    return rc;
}

omk_rc omk_store_restore(const char *from, const char *url, bool force, char *why, size_t cap)
{
    const char *path = NULL;
    const omk__store_backend *be = pick_backend(url, &path);
    if (cap)
        *why = 0;
    if (!be || !be->restore) {
        snprintf(why, cap, "herstellen kan niet voor %s", url);
        return OMK_INVALID;
    }
    return be->restore(from, path, force, why, cap);
}

omk_rc omk_store_storage(omk_store *s, char *why, size_t cap)
{
    if (cap)
        *why = 0;
    if (!s->has_writer || !s->be->storage)
        return OMK_OK;
    omk_rc rc = s->be->storage(s->writer.conn, s->min_free, why, cap);
    if (rc)
        return rc;
    pthread_mutex_lock(&s->mu);
    rc = s->storage_rc;
    if (rc && cap)
        snprintf(why, cap, "%s", s->storage_why);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void omk_store_close(omk_store *s)
{
    if (!s)
        return;
    if (s->has_writer) {
        pthread_mutex_lock(&s->mu);
        s->stopping = true;
        pthread_cond_signal(&s->work);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
        s->be->disconnect(s->writer.conn);
    }
    for (int i = 0; i < s->nreaders; i++)
        if (s->readers[i].conn)
            s->be->disconnect(s->readers[i].conn);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->rmu);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->reader_free);
    free(s->readers);
    free(s->free_idx);
    free(s->path);
    free(s);
}

int omk_store_schema_latest(void)
{
    return omk__store_sqlite.schema_latest();
}

omk_rc omk_store_migrate(omk_store *s, int *from, int *to)
{
    if (!s->has_writer)
        return OMK_INVALID;
    /* Migrations run on the writer connection, before any write job exists. */
    pthread_mutex_lock(&s->mu);
    omk_rc rc = s->be->migrate(s->writer.conn, from, to);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static omk_rc borrow(omk_store *s, omk_db **out)
{
    pthread_mutex_lock(&s->rmu);
    while (s->nfree == 0)
        pthread_cond_wait(&s->reader_free, &s->rmu);
    omk_db *db = &s->readers[s->free_idx[--s->nfree]];
    pthread_mutex_unlock(&s->rmu);
    if (!db->conn) {
        omk_rc rc = s->be->connect(s->path, false, &db->conn);
        if (rc) {
            pthread_mutex_lock(&s->rmu);
            s->free_idx[s->nfree++] = (int)(db - s->readers);
            pthread_cond_signal(&s->reader_free);
            pthread_mutex_unlock(&s->rmu);
            return rc;
        }
    }
    *out = db;
    return OMK_OK;
}

static void give_back(omk_store *s, omk_db *db)
{
    pthread_mutex_lock(&s->rmu);
    s->free_idx[s->nfree++] = (int)(db - s->readers);
    pthread_cond_signal(&s->reader_free);
    pthread_mutex_unlock(&s->rmu);
}

omk_rc omk_store_schema_version(omk_store *s, int *out)
{
    omk_db *db = NULL;
    omk_rc rc = borrow(s, &db);
    if (rc)
        return rc;
    rc = s->be->schema_version(db->conn, out);
    give_back(s, db);
    return rc;
}

omk_rc omk_store_read(omk_store *s, omk_store_fn fn, void *arg)
{
    omk_db *db = NULL;
    omk_rc rc = borrow(s, &db);
    if (rc)
        return rc;
    rc = s->be->exec(db->conn, "BEGIN");
    if (!rc) {
        rc = fn(db, arg);
        if (s->be->exec(db->conn, "COMMIT"))
            (void)s->be->exec(db->conn, "ROLLBACK");
    }
    give_back(s, db);
    return rc;
}

omk_rc omk_store_write(omk_store *s, omk_store_fn fn, void *arg)
{
    if (!s->has_writer)
        return OMK_UNAVAILABLE;
    job j = {.fn = fn, .arg = arg};
    pthread_cond_init(&j.cv, NULL);
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        pthread_cond_destroy(&j.cv);
        return OMK_UNAVAILABLE;
    }
    if (s->tail)
        s->tail->next = &j;
    else
        s->head = &j;
    s->tail = &j;
    pthread_cond_signal(&s->work);
    while (!j.finished)
        pthread_cond_wait(&j.cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    pthread_cond_destroy(&j.cv);
    return j.rc;
}

omk_rc omk_store_write_async(omk_store *s, omk_store_fn fn, void *arg, omk_store_done_fn done)
{
    if (!s->has_writer)
        return OMK_UNAVAILABLE;
    job *j = calloc(1, sizeof *j);
    if (!j)
        return OMK_NOMEM;
    j->fn = fn;
    j->arg = arg;
    j->done = done;
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        free(j);
        return OMK_UNAVAILABLE;
    }
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->mu);
    return OMK_OK;
}

/* ---- dispatch ---- */

omk_rc omk_db_get(omk_db *db, const omk_resource *r, const char *uuid, omk_arena *a,
                  omk_row **out)
{
    return db->be->get(db->conn, r, uuid, a, out);
}

omk_rc omk_db_list(omk_db *db, const omk_resource *r, const omk_query *q, omk_arena *a,
                   omk_rowset *out, long long *count)
{
    return db->be->list(db->conn, r, q, a, out, count);
}

omk_rc omk_db_children(omk_db *db, const omk_resource *child, const char *via, const char *uuid,
                       omk_arena *a, omk_rowset *out)
{
    return db->be->children(db->conn, child, via, uuid, a, out);
}

omk_rc omk_db_child_uuids(omk_db *db, const omk_resource *child, const char *via,
                          const char *uuid, omk_arena *a, const char ***out, size_t *n)
{
    return db->be->child_uuids(db->conn, child, via, uuid, a, out, n);
}

omk_rc omk_db_children_in(omk_db *db, const omk_resource *child, const char *via,
                         const char *const *uuids, size_t n, bool refs_only, omk_arena *a,
                         omk_rowset *out)
{
    return db->be->children_in(db->conn, child, via, uuids, n, refs_only, a, out);
}

int omk_db_relation_bit(omk_db *db, const omk_resource *r, const omk_field *f)
{
    return db->be->relation_bit(r, f);
}

omk_rc omk_db_partij_namen(omk_db *db, const char *text, int limit, omk_arena *a,
                           const char ***uuids, size_t *n)
{
    return db->be->partij_namen(db->conn, text, limit, a, uuids, n);
}

omk_rc omk_db_index_put(omk_db *db, const omk_search_index *ix, const char *uuid,
                        const char *const *values)
{
    return db->writer ? db->be->index_put(db->conn, ix, uuid, values) : OMK_INTERNAL;
}

omk_rc omk_db_index_remove(omk_db *db, const omk_search_index *ix, const char *uuid)
{
    return db->writer ? db->be->index_remove(db->conn, ix, uuid) : OMK_INTERNAL;
}

omk_rc omk_db_index_scan(omk_db *db, const omk_search_index *ix, const char *match,
                         const omk_search_cond *conds, size_t nconds, const char *const *cols,
                         size_t ncols, size_t limit, omk_arena *a, omk_search_result **out,
                         size_t *n)
{
    return db->be->index_scan(db->conn, ix, match, conds, nconds, cols, ncols, limit, a, out, n);
}

omk_rc omk_db_index_query(omk_db *db, const omk_search_index *ix, const char *match,
                          const omk_search_cond *conds, size_t nconds, const char *const *cols,
                          size_t ncols, int cutoff, size_t limit, omk_arena *a,
                          omk_search_result **out, size_t *n)
{
    return db->be->index_query(db->conn, ix, match, conds, nconds, cols, ncols, cutoff, limit, a,
                               out, n);
}

omk_rc omk_db_index_mark(omk_db *db, const omk_search_index *ix, const char *match,
                         omk_search_result *r, size_t n, omk_arena *a)
{
    return db->be->index_mark(db->conn, ix, match, r, n, a);
}

omk_rc omk_db_index_suggest(omk_db *db, const omk_search_index *ix, const char *text,
                            omk_arena *a, char **out)
{
    return db->be->index_suggest(db->conn, ix, text, a, out);
}


omk_rc omk_db_synonyms_list(omk_db *db, omk_arena *a, omk_synonym_group **out, size_t *n)
{
    return db->be->synonyms_list(db->conn, a, out, n);
}

omk_rc omk_db_synonyms_get(omk_db *db, const char *uuid, omk_arena *a, omk_synonym_group *out)
{
    return db->be->synonyms_get(db->conn, uuid, a, out);
}

omk_rc omk_db_synonyms_find(omk_db *db, const char *const *terms, size_t nterms, omk_arena *a,
                            omk_synonym_group **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (nterms > 64)
        return OMK_INVALID;
    return nterms ? db->be->synonyms_find(db->conn, terms, nterms, a, out, n) : OMK_OK;
}

omk_rc omk_db_synonyms_put(omk_db *db, const omk_synonym_group *g)
{
    if (!db->writer)
        return OMK_INTERNAL;
    return g->n ? db->be->synonyms_put(db->conn, g) : OMK_INVALID;
}

omk_rc omk_db_synonyms_delete(omk_db *db, const char *uuid)
{
    if (!db->writer)
        return OMK_INTERNAL;
    return db->be->synonyms_delete(db->conn, uuid);
}

omk_rc omk_db_linked(omk_db *db, const omk_field *f, const char *uuid, omk_arena *a,
                     omk_rowset *out)
{
    return db->be->linked(db->conn, f, uuid, a, out);
}

omk_rc omk_db_linked_in(omk_db *db, const omk_field *f, const char *const *uuids, size_t n,
                        omk_arena *a, omk_rowset *out, const char ***owners, int64_t **link_ids)
{
    return db->be->linked_in(db->conn, f, uuids, n, a, out, owners, link_ids);
}

static void note_inserted(omk_db *db, const omk_resource *r);

omk_rc omk_db_link_set(omk_db *db, const omk_field *f, const char *uuid,
                       const char *const *uuids, size_t n)
{
    if (!db->writer)
        return OMK_INTERNAL;
    note_inserted(db, f->target); /* links to rows of the target changed */
    return db->be->link_set(db->conn, f, uuid, uuids, n);
}

omk_rc omk_db_exists(omk_db *db, const omk_resource *r, const omk_cond *c, size_t n,
                     const char *except_uuid, bool *found)
{
    return db->be->exists(db->conn, r, c, n, except_uuid, found);
}

/* Remembers that the current write job inserted or changed rows of r. */
static void note_inserted(omk_db *db, const omk_resource *r)
{
    for (int i = 0; i < db->ninserted; i++)
        if (db->inserted[i] == r)
            return;
    if (db->ninserted < OMK__INSERTED_MAX)
        db->inserted[db->ninserted++] = r;
    else
        db->inserted_overflow = true;
}

omk_rc omk_db_insert(omk_db *db, const omk_resource *r, omk_row *row)
{
    if (!db->writer)
        return OMK_INTERNAL;
    note_inserted(db, r);
    return db->be->insert(db->conn, r, row);
}

bool omk_db_inserted(const omk_db *db, const omk_resource *r)
{
    if (!db->writer || db->inserted_overflow)
        return true;
    for (int i = 0; i < db->ninserted; i++)
        if (db->inserted[i] == r)
            return true;
    return false;
}

omk_rc omk_db_update(omk_db *db, const omk_resource *r, const omk_row *row)
{
    if (!db->writer)
        return OMK_INTERNAL;
    note_inserted(db, r); /* an update may point a row at a new parent */
    return db->be->update(db->conn, r, row);
}

omk_rc omk_db_delete(omk_db *db, const omk_resource *r, const char *uuid)
{
    return db->writer ? db->be->del(db->conn, r, uuid) : OMK_INTERNAL;
}

omk_rc omk_db_set_where(omk_db *db, const omk_resource *r, const char *column, omk_value v,
                        const omk_cond *c, size_t n, const char *except_uuid)
{
    if (!db->writer)
        return OMK_INTERNAL;
    note_inserted(db, r);
    return db->be->set_where(db->conn, r, column, v, c, n, except_uuid);
}

omk_rc omk_db_column_in(omk_db *db, const char *table, const char *match, const char *col,
                        const char *const *vals, size_t n, omk_arena *a, const char ***matches,
                        const char ***values, size_t *count)
{
    return db->be->column_in(db->conn, table, match, col, vals, n, a, matches, values, count);
}

omk_rc omk_db_ldv_add(omk_db *db, const omk_ldv_row *rows, size_t n)
{
    if (!db->writer)
        return OMK_INTERNAL;
    omk_rc rc = n ? db->be->ldv_add(db->conn, rows, n) : OMK_OK;
    if (!rc && n)
        db->ldv_pending = true;
    return rc;
}

omk_rc omk_db_ldv_seal(omk_db *db, const omk_ldv_row *rows, size_t n)
{
    if (!db->writer)
        return OMK_INTERNAL;
    omk_rc rc = db->be->ldv_seal(db->conn, rows, n);
    if (!rc)
        db->ldv_pending = false;
    return rc;
}

omk_rc omk_db_ldv_rows(omk_db *db, const omk_ldv_filter *f, omk_arena *a, omk_ldv_row **out,
                       size_t *n)
{
    return db->be->ldv_rows(db->conn, f, a, out, n);
}

omk_rc omk_db_ldv_count(omk_db *db, const omk_ldv_filter *f, long long *out)
{
    return db->be->ldv_count(db->conn, f, out);
}

omk_rc omk_db_ldv_get(omk_db *db, const int64_t *ids, size_t n, omk_arena *a,
                      omk_ldv_row **out, size_t *nout)
{
    return db->be->ldv_get(db->conn, ids, n, a, out, nout);
}

omk_rc omk_db_ldv_ids(omk_db *db, const unsigned char key[16], size_t max, omk_arena *a,
                      int64_t **ids, size_t *n)
{
    return db->be->ldv_ids(db->conn, key, max, a, ids, n);
}

omk_rc omk_db_ldv_verify(omk_db *db, omk_ldv_check *out)
{
    return db->be->ldv_verify(db->conn, out);
}

omk_rc omk_db_ldv_prunable(omk_db *db, int64_t before_ms, omk_ldv_snoei *out)
{
    return db->be->ldv_prunable(db->conn, before_ms, out);
}

omk_rc omk_db_ldv_prune(omk_db *db, int64_t tot, omk_ldv_snoei *out)
{
    if (!db->writer)
        return OMK_INTERNAL;
    omk_rc rc = db->be->ldv_prune(db->conn, tot, omk_now_ms(), out);
    if (!rc && out->tot)
        db->ldv_pending = true; /* its record, chained at the end of the group */
    return rc;
}

const char *omk_db_errmsg(omk_db *db)
{
    return db->be->errmsg(db->conn);
}

omk_row *omk_row_new(const omk_resource *r, omk_arena *a)
{
    omk_row *row = omk_arena_alloc(a, sizeof *row);
    if (!row)
        return NULL;
    row->v = omk_arena_alloc(a, sizeof *row->v * (r->nfields ? r->nfields : 1));
    row->set = omk_arena_alloc(a, sizeof *row->set * (r->nfields ? r->nfields : 1));
    return row->v && row->set ? row : NULL;
}

omk_rc omk_store_backup(omk_store *s, const char *to, char *why, size_t cap)
{
    if (cap)
        *why = 0;
    if (!s->be->backup)
        return OMK_INVALID;
    omk_db *db = NULL;
    omk_rc rc = borrow(s, &db);
    if (rc)
        return rc;
    rc = s->be->backup(db->conn, to, why, cap);
    give_back(s, db);
    return rc;
}
