/* The Logboek Dataverwerkingen (Logius standard, spec/standards.md §2; design and the crash
 * trade-off in docs/internals/logboek.md): one record per action per person for every read
 * and change of personal data, with W3C trace and span ids, the processing activity, the
 * role that acted, and the person pseudonymised by a keyed hash (the key is made at
 * installation and never leaves the database). Reads queue their records here; the store's
 * writer drains the queue at the end of every group commit (the flusher), chains and indexes
 * them; an answer goes out at once (--logboek volgen) or after that commit (wachten). Changes
 * write theirs in their own transaction. A resident reads who processed their data and why;
 * the privacy officer (beheerder) reads all, or searches by BSN with a POST, so no BSN ends up
 * in a URL. Worker threads call the request side; the flusher runs on the writer thread. */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/logboek.h"
#include "engine/doelbinding.h"
#include "omk/log.h"
#include "omk/util.h"
#include "engine/toegang.h"

#define KEY 16
#define QUEUE_CAP (1u << 20) /* persons waiting for the writer */
#define QUEUE_WAIT_S 10      /* how long a request waits for room before it fails */
#define MAX_ACTIES 8         /* actions of one request (the klantbeeld: 1 + its sources) */
#define MAX_PER_PERSOON 10000 /* records of one person considered for a page */
#define MAX_PARTIJEN 64      /* partijen of one BSN */
#define VOLGEN_MS 10 /* volgen: records of reads commit at most this long after the last group */
#define DEFAULT_PAGE 100
#define MAX_PAGE 500

/* ---- settings ---- */

typedef enum modus { VOLGEN, WACHTEN, UIT } modus;
static modus g_modus = VOLGEN;

/* ---- pseudonyms ---- */

static unsigned char g_key[32];
static atomic_bool g_have_key;

static const char *const SOORT_NAAM[] = {"onbekend", "BSN", "KVK", "vestigingsnummer", "partij",
                                           "zaak"};

const char *omk__ldv_soort_naam(int soort)
{
    return soort > 0 && soort < (int)OMK_COUNT(SOORT_NAAM) ? SOORT_NAAM[soort] : SOORT_NAAM[0];
}

static const omk_field SETTING_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING},
    {.json = "waarde", .column = "waarde", .type = OMK_F_STRING},
};
static const omk_resource INSTELLING = {
    .name = "instellingen", .model = "Instelling", .table = "instellingen",
    .fields = SETTING_FIELDS, .nfields = 2, .api_base = "",
};

typedef struct key_job {
    omk_arena *a;
    unsigned char key[32];
} key_job;

static omk_rc read_key(omk_db *db, void *arg)
{
    key_job *j = arg;
    omk_cond c = {"naam", omk_text("pseudoniemsleutel")};
    omk_query q = {.conds = &c, .nconds = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &INSTELLING, &q, j->a, &rows, NULL);
    if (rc)
        return rc;
    const omk_value *v = rows.n == 1 ? &rows.rows[0].v[1] : NULL;
    if (!v || !v->s ||
        sodium_hex2bin(j->key, sizeof j->key, v->s, v->n, NULL, NULL, NULL) != 0)
        return OMK_INTERNAL;
    return OMK_OK;
}

/* A small cache per worker thread: the same persons are read again and again (a desk
 * working on one resident, a list read page after page), and a keyed hash per person per
 * request was a visible part of a list's cost. */
typedef struct pseudo_cache {
    unsigned char soort, key[KEY];
    char id[40];
} pseudo_cache;
static __thread pseudo_cache t_cache[256];

omk_rc omk__ldv_sleutel(omk_ldv_soort soort, const char *id, unsigned char out[16])
{
    if (!atomic_load(&g_have_key))
        return OMK_UNAVAILABLE;
    size_t n = strlen(id);
    uint32_t h = 2166136261u ^ (uint32_t)soort;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)id[i]) * 16777619u;
    pseudo_cache *c = &t_cache[h % OMK_COUNT(t_cache)];
    if (c->soort == soort && n < sizeof c->id && strcmp(c->id, id) == 0) {
        memcpy(out, c->key, KEY);
        return OMK_OK;
    }
    const char *naam = omk__ldv_soort_naam((int)soort);
    unsigned char full[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, g_key, sizeof g_key, sizeof full);
    crypto_generichash_update(&st, (const unsigned char *)naam, strlen(naam) + 1);
    crypto_generichash_update(&st, (const unsigned char *)id, n);
    crypto_generichash_final(&st, full, sizeof full);
    memcpy(out, full, KEY);
    if (n < sizeof c->id) {
        c->soort = (unsigned char)soort;
        memcpy(c->id, id, n + 1);
        memcpy(c->key, full, KEY);
    }
    return OMK_OK;
}

/* ---- one request's log ---- */

struct omk_ldv {
    omk_req *req;
    omk_arena *a;
    const char *trace_id, *span_id, *parent_span, *activiteit, *rol;
    int64_t start_ms;
    omk_ldv_actie *acties[MAX_ACTIES];
    size_t n;
    bool written;
};

omk_rc omk__ldv_begin(omk_req *req, omk_ldv **out)
{
    *out = NULL;
    const omk_doel *d = omk__req_doel(req);
    if (g_modus == UIT || !d)
        return OMK_OK;
    omk_arena *a = omk_req_arena(req);
    omk_ldv *l = omk_arena_alloc(a, sizeof *l);
    if (!l)
        return OMK_NOMEM;
    memset(l, 0, sizeof *l);
    l->req = req;
    l->a = a;
    l->trace_id = omk_req_trace_id(req);
    l->span_id = omk_req_span_id(req);
    l->activiteit = d->activiteit;
    l->rol = d->rol;
    l->start_ms = omk_now_ms();
    const char *tp = omk_req_header(req, "traceparent");
    if (tp && strlen(tp) == 55)
        l->parent_span = omk_arena_strndup(a, tp + 36, 16);
    *out = l;
    return OMK_OK;
}

omk_rc omk__ldv_begin_als(omk_req *req, omk_arena *a, const char *activiteit, const char *rol,
                          omk_ldv **out)
{
    *out = NULL;
    if (g_modus == UIT || !atomic_load(&g_have_key))
        return OMK_OK;
    omk_ldv *l = omk_arena_alloc(a, sizeof *l);
    char *trace = omk_arena_alloc(a, 33), *span = omk_arena_alloc(a, 17);
    if (!l || !trace || !span)
        return OMK_NOMEM;
    memset(l, 0, sizeof *l);
    l->req = req;
    l->a = a;
    if (req) {
        l->trace_id = omk_req_trace_id(req);
        l->span_id = omk_req_span_id(req);
        const char *tp = omk_req_header(req, "traceparent");
        if (tp && strlen(tp) == 55)
            l->parent_span = omk_arena_strndup(a, tp + 36, 16);
    } else {
        omk_random_hex(trace, 16);
        omk_random_hex(span, 8);
        l->trace_id = trace;
        l->span_id = span;
    }
    l->activiteit = omk_arena_strdup(a, activiteit);
    l->rol = omk_arena_strdup(a, rol);
    l->start_ms = omk_now_ms();
    *out = l;
    return l->activiteit && l->rol ? OMK_OK : OMK_NOMEM;
}

void omk__ldv_doel(omk_ldv *l, const char *activiteit, const char *rol)
{
    if (!l)
        return;
    if (activiteit)
        l->activiteit = omk_arena_strdup(l->a, activiteit);
    if (rol)
        l->rol = omk_arena_strdup(l->a, rol);
}

omk_ldv_actie *omk__ldv_actie(omk_ldv *l, const char *naam, const char *span_id,
                              const char *parent_span_id)
{
    if (!l || l->n == MAX_ACTIES)
        return NULL;
    omk_ldv_actie *x = omk_arena_alloc(l->a, sizeof *x);
    if (!x)
        return NULL;
    memset(x, 0, sizeof *x);
    x->naam = omk_arena_strdup(l->a, naam);
    if (span_id) {
        x->span_id = omk_arena_strdup(l->a, span_id);
    } else if (l->n == 0) {
        x->span_id = l->span_id;
    } else {
        char *s = omk_arena_alloc(l->a, 17);
        if (s)
            omk_random_hex(s, 8);
        x->span_id = s;
    }
    x->parent_span_id = parent_span_id ? omk_arena_strdup(l->a, parent_span_id) : l->parent_span;
    x->status = "Ok";
    x->start_ms = l->start_ms;
    x->a = l->a;
    if (!x->naam || !x->span_id)
        return NULL;
    l->acties[l->n++] = x;
    return x;
}

omk_ldv_actie *omk__ldv_actie_res(omk_ldv *l, const omk_resource *r, bool lijst,
                                  const char *werkwoord)
{
    if (!l || !r->subjects)
        return NULL;
    char *naam = omk_arena_printf(l->a, "%s %s",
                                  lijst ? r->subjects->meervoud : r->subjects->enkelvoud,
                                  lijst ? "opvragen" : werkwoord);
    if (!naam)
        return NULL;
    if (naam[0] >= 'a' && naam[0] <= 'z')
        naam[0] = (char)(naam[0] - 'a' + 'A');
    return omk__ldv_actie(l, naam, NULL, NULL);
}

omk_rc omk__ldv_begin_res(omk_req *req, const omk_resource *r, bool lijst,
                          const char *werkwoord, omk_ldv **l, omk_ldv_actie **x)
{
    *x = NULL;
    omk_rc rc = omk__ldv_begin(req, l);
    if (rc || !*l || !r->subjects)
        return rc;
    *x = omk__ldv_actie_res(*l, r, lijst, werkwoord);
    return *x ? OMK_OK : OMK_NOMEM;
}

omk_rc omk__ldv_persoon(omk_ldv_actie *x, omk_ldv_soort soort, const char *id)
{
    if (!x || !id || !*id)
        return OMK_OK;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 8;
        unsigned char *p = omk_arena_alloc(x->a, cap * OMK_LDV_PERSOON);
        if (!p)
            return OMK_NOMEM;
        if (x->n)
            memcpy(p, x->personen, x->n * OMK_LDV_PERSOON);
        x->personen = p;
        x->cap = cap;
    }
    unsigned char *e = x->personen + x->n * OMK_LDV_PERSOON;
    e[0] = (unsigned char)soort;
    omk_rc rc = omk__ldv_sleutel(soort, id, e + 1);
    if (!rc)
        x->n++;
    return rc;
}

/* The column index of r's stored field with this column, -1 for "uuid" (the row's own), -2
 * when there is none (a declaration error: the unit tests check every path). */
static int column_of(const omk_resource *r, const char *column)
{
    if (strcmp(column, "uuid") == 0)
        return -1;
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].column && strcmp(r->fields[i].column, column) == 0)
            return (int)i;
    return -2;
}

static const char *value_of(const omk_row *row, int col)
{
    if (col == -1)
        return row->uuid;
    const omk_value *v = &row->v[col];
    return v->t == OMK_V_TEXT ? v->s : NULL;
}

static omk_rc add_partij(void *arg, const char *uuid)
{
    return omk__ldv_persoon(arg, OMK_LDV_PARTIJ, uuid);
}

omk_rc omk__ldv_page(omk_db *db, const omk_api_ctx *ctx, omk_ldv_actie *x,
                     const omk_resource *r, const omk_row *rows, size_t n)
{
    if (!x || !r->subjects || !n)
        return OMK_OK;
    omk_rc rc = OMK_OK;
    for (size_t p = 0; !rc && p < OMK_SUBJECT_PATHS; p++) {
        const omk_subject_path *path = &r->subjects->paths[p];
        if (!path->column)
            break;
        int col = column_of(r, path->column);
        if (col == -2) {
            omk_log_error("logboek", "%s: no column %s for its subjects", r->name, path->column);
            return OMK_INTERNAL;
        }
        if (!path->via_table) {
            int when = path->when_column ? column_of(r, path->when_column) : -1;
            if (when == -2) {
                omk_log_error("logboek", "%s: no column %s for its subjects", r->name,
                              path->when_column);
                return OMK_INTERNAL;
            }
            omk_ldv_soort soort = path->soort ? (omk_ldv_soort)path->soort : OMK_LDV_PARTIJ;
            for (size_t i = 0; !rc && i < n; i++) {
                const char *w = when >= 0 ? value_of(&rows[i], when) : NULL;
                if (when < 0 || (w && strcmp(w, path->when_value) == 0))
                    rc = omk__ldv_persoon(x, soort, value_of(&rows[i], col));
            }
            continue;
        }
        /* The page's references to the rows of via_table, when they were loaded anyway. */
        if (ctx && col == -1 &&
            omk_res_prefetched_column(ctx, r, rows, n, path->via_table, path->via_match,
                                      path->via_partij, add_partij, x, &rc))
            continue;
        /* Else one query for the page, in slices of at most 512 values. */
        const char **vals = omk_arena_alloc(x->a, n * sizeof *vals);
        if (!vals)
            return OMK_NOMEM;
        size_t nv = 0;
        for (size_t i = 0; i < n; i++)
            if (value_of(&rows[i], col))
                vals[nv++] = value_of(&rows[i], col);
        for (size_t from = 0; !rc && from < nv; from += 512) {
            const char **m = NULL, **v = NULL;
            size_t count = 0, take = nv - from < 512 ? nv - from : 512;
            rc = omk_db_column_in(db, path->via_table, path->via_match, path->via_partij,
                                  vals + from, take, x->a, &m, &v, &count);
            for (size_t i = 0; !rc && i < count; i++)
                rc = omk__ldv_persoon(x, OMK_LDV_PARTIJ, v[i]);
        }
    }
    return rc;
}

omk_rc omk__ldv_rows(omk_db *db, omk_ldv_actie *x, const omk_resource *r, const omk_row *rows,
                     size_t n)
{
    return omk__ldv_page(db, NULL, x, r, rows, n);
}

omk_rc omk__ldv_row_uuid(omk_db *db, omk_ldv_actie *x, const omk_resource *r, const char *uuid,
                         omk_arena *a)
{
    if (!x || !r->subjects || !uuid)
        return OMK_OK;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, r, uuid, a, &row);
    if (rc == OMK_NOTFOUND)
        return OMK_OK;
    return rc ? rc : omk__ldv_rows(db, x, r, row, 1);
}

/* Each person once per action (in the order first seen: a set of the pseudonyms, open
 * addressing on their first bytes, which are a hash already; sorting them cost a list request
 * more than finding its persons), the end time set. */
static void finish_acties(omk_ldv *l)
{
    int64_t now = omk_now_ms();
    for (size_t i = 0; i < l->n; i++) {
        omk_ldv_actie *x = l->acties[i];
        if (!x->eind_ms)
            x->eind_ms = now;
        if (x->eind_ms < x->start_ms)
            x->eind_ms = x->start_ms;
        if (x->n < 2)
            continue;
        size_t cap = 64;
        while (cap < 2 * x->n)
            cap *= 2;
        uint32_t small[64], *set = cap == 64 ? small : omk_arena_alloc(l->a, cap * sizeof *set);
        if (!set)
            continue; /* out of memory: duplicates stay, each its own record */
        memset(set, 0xff, cap * sizeof *set);
        size_t k = 0;
        for (size_t j = 0; j < x->n; j++) {
            const unsigned char *p = x->personen + j * OMK_LDV_PERSOON;
            uint64_t h;
            memcpy(&h, p + 1, sizeof h);
            size_t at = (size_t)(h ^ p[0]) & (cap - 1);
            bool seen = false;
            while (set[at] != UINT32_MAX && !seen) {
                seen = memcmp(x->personen + set[at] * OMK_LDV_PERSOON, p, OMK_LDV_PERSOON) == 0;
                at = (at + 1) & (cap - 1);
            }
            if (seen)
                continue;
            if (k != j)
                memmove(x->personen + k * OMK_LDV_PERSOON, p, OMK_LDV_PERSOON);
            set[at] = (uint32_t)k++;
        }
        x->n = k;
    }
}

static size_t persons_of(const omk_ldv *l)
{
    size_t n = 0;
    for (size_t i = 0; l && i < l->n; i++)
        n += l->acties[i]->n;
    return n;
}

static omk_ldv_row row_of(const omk_ldv *l, const omk_ldv_actie *x)
{
    return (omk_ldv_row){
        .trace_id = l->trace_id, .span_id = x->span_id, .parent_span_id = x->parent_span_id,
        .naam = x->naam, .status = x->status, .activiteit = l->activiteit, .rol = l->rol,
        .bron = x->bron, .start_ms = x->start_ms, .eind_ms = x->eind_ms,
        .personen = x->personen, .n = x->n};
}

omk_rc omk__ldv_write(omk_db *db, omk_ldv *l)
{
    if (!l || l->written || !persons_of(l))
        return OMK_OK;
    finish_acties(l);
    omk_ldv_row rows[MAX_ACTIES];
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->acties[i]->n)
            rows[n++] = row_of(l, l->acties[i]);
    omk_rc rc = omk_db_ldv_add(db, rows, n);
    if (!rc)
        l->written = true;
    return rc;
}

/* ---- the queue to the writer ---- */

/* One request's records, copied out of its arena (an answer that does not wait for them
 * frees the arena long before the writer comes by). Waiters are told after the commit. */
typedef struct block {
    struct block *next;
    omk_req *waiter; /* wachten: resumed after the commit */
    bool *committed; /* set after the commit (under the queue lock), for a waiting thread */
    uint64_t seq;    /* order of queueing */
    size_t nrows, persons;
    omk_ldv_row rows[]; /* then the strings and persons they point to */
} block;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t room;      /* blocks were committed: there is room again */
    pthread_cond_t committed; /* a group with blocks committed */
    block *head, *tail;       /* waiting for the writer, oldest first */
    block *inflight;          /* taken by the flush now running */
    size_t persons;           /* in both lists */
    uint64_t queued, written; /* the last block's seq queued, and committed */
    omk_ldv_row *rows;        /* the flush's list of rows, kept between groups (writer) */
    size_t cap_rows;
    omk_store *store;
    bool started, stopping, failing;
} g_q = {.mu = PTHREAD_MUTEX_INITIALIZER, .room = PTHREAD_COND_INITIALIZER,
         .committed = PTHREAD_COND_INITIALIZER};

static size_t text_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *copy_text(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *out = *at;
    *at += n;
    return out;
}

static block *block_new(omk_ldv *l)
{
    finish_acties(l);
    size_t nrows = 0, bytes = 0;
    bytes += text_size(l->trace_id) + text_size(l->activiteit) + text_size(l->rol);
    for (size_t i = 0; i < l->n; i++) {
        const omk_ldv_actie *x = l->acties[i];
        if (!x->n)
            continue;
        nrows++;
        bytes += text_size(x->naam) + text_size(x->span_id) + text_size(x->parent_span_id) +
                 text_size(x->status) + text_size(x->bron) + x->n * OMK_LDV_PERSOON;
    }
    block *b = malloc(sizeof *b + nrows * sizeof b->rows[0] + bytes);
    if (!b)
        return NULL;
    memset(b, 0, sizeof *b);
    char *at = (char *)(b->rows + nrows);
    const char *trace = copy_text(&at, l->trace_id);
    const char *act = copy_text(&at, l->activiteit);
    const char *rol = copy_text(&at, l->rol);
    for (size_t i = 0; i < l->n; i++) {
        const omk_ldv_actie *x = l->acties[i];
        if (!x->n)
            continue;
        omk_ldv_row *r = &b->rows[b->nrows++];
        *r = row_of(l, x);
        r->trace_id = trace;
        r->activiteit = act;
        r->rol = rol;
        r->naam = copy_text(&at, x->naam);
        r->span_id = copy_text(&at, x->span_id);
        r->parent_span_id = copy_text(&at, x->parent_span_id);
        r->status = copy_text(&at, x->status);
        r->bron = copy_text(&at, x->bron);
        memcpy(at, x->personen, x->n * OMK_LDV_PERSOON);
        r->personen = (const unsigned char *)at;
        at += x->n * OMK_LDV_PERSOON;
        b->persons += x->n;
    }
    return b;
}

/* Appends b (taken) to the queue and wakes the writer. Waits up to QUEUE_WAIT_S for room:
 * a full queue slows requests down, it never drops records. */
static omk_rc enqueue(block *b)
{
    pthread_mutex_lock(&g_q.mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += QUEUE_WAIT_S;
    while (g_q.started && !g_q.stopping && g_q.persons && g_q.persons + b->persons > QUEUE_CAP)
        if (pthread_cond_timedwait(&g_q.room, &g_q.mu, &until) != 0)
            break;
    omk_rc rc = OMK_OK;
    if (!g_q.started || g_q.stopping)
        rc = OMK_UNAVAILABLE;
    else if (g_q.persons && g_q.persons + b->persons > QUEUE_CAP)
        rc = OMK_BUSY;
    if (!rc) {
        b->seq = ++g_q.queued;
        if (g_q.tail)
            g_q.tail->next = b;
        else
            g_q.head = b;
        g_q.tail = b;
        g_q.persons += b->persons;
    }
    omk_store *s = g_q.store;
    pthread_mutex_unlock(&g_q.mu);
    if (rc) {
        omk_log_error("logboek", "records of a request could not be queued (%s): the request "
                      "fails", rc == OMK_BUSY ? "the queue stayed full" : "stopping");
        free(b);
        return rc;
    }
    omk_store_kick(s);
    return OMK_OK;
}

/* The flusher, on the writer thread inside the group's transaction: every queued block. */
static omk_rc flush(omk_db *db, void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_q.mu);
    block *list = g_q.head;
    g_q.head = g_q.tail = NULL;
    g_q.inflight = list;
    pthread_mutex_unlock(&g_q.mu);
    if (!list)
        return OMK_OK;
    size_t n = 0;
    for (block *b = list; b; b = b->next)
        n += b->nrows;
    if (n > g_q.cap_rows) { /* grown, never shrunk: the allocator need not trim and regrow */
        size_t cap = g_q.cap_rows ? g_q.cap_rows : 256;
        while (cap < n)
            cap *= 2;
        omk_ldv_row *bigger = realloc(g_q.rows, cap * sizeof *bigger);
        if (!bigger)
            return OMK_NOMEM;
        g_q.rows = bigger;
        g_q.cap_rows = cap;
    }
    n = 0;
    for (block *b = list; b; b = b->next)
        for (size_t i = 0; i < b->nrows; i++)
            g_q.rows[n++] = b->rows[i];
    return omk_db_ldv_seal(db, g_q.rows, n);
}

/* After the group: committed blocks are freed and their waiters woken; after a failure they
 * go back to the front of the queue and the writer tries again (after its pause). */
static void flushed(void *arg, omk_rc rc)
{
    (void)arg;
    pthread_mutex_lock(&g_q.mu);
    block *list = g_q.inflight;
    g_q.inflight = NULL;
    size_t persons = 0;
    for (block *b = list; b; b = b->next)
        persons += b->persons;
    if (rc && list) {
        block *last = list;
        while (last->next)
            last = last->next;
        last->next = g_q.head;
        g_q.head = list;
        if (!g_q.tail)
            g_q.tail = last;
        if (!g_q.failing)
            omk_log_error("logboek", "writing %zu records failed (%s); kept, and tried again",
                          persons, omk_rc_name(rc));
        g_q.failing = true;
        list = NULL;
    } else if (list) {
        if (g_q.failing)
            omk_log_info("logboek", "records are written again");
        g_q.failing = false;
        g_q.persons -= persons;
        for (block *b = list; b; b = b->next) {
            if (b->committed)
                *b->committed = true;
            g_q.written = b->seq; /* blocks commit in the order they were queued */
        }
        pthread_cond_broadcast(&g_q.room);
        pthread_cond_broadcast(&g_q.committed);
    }
    bool retry = g_q.head != NULL;
    omk_store *s = g_q.store;
    pthread_mutex_unlock(&g_q.mu);
    while (list) {
        block *next = list->next;
        if (list->waiter)
            omk_req_resume(list->waiter);
        free(list);
        list = next;
    }
    if (retry)
        omk_store_kick(s);
}

/* Waits until every record queued before now is committed (up to QUEUE_WAIT_S), so a read of
 * the log shows what answers sent before it did. */
static void barrier(void)
{
    pthread_mutex_lock(&g_q.mu);
    uint64_t target = g_q.queued;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += QUEUE_WAIT_S;
    while (g_q.started && !g_q.stopping && g_q.written < target) {
        omk_store *s = g_q.store;
        pthread_mutex_unlock(&g_q.mu);
        omk_store_kick(s);
        pthread_mutex_lock(&g_q.mu);
        if (g_q.written >= target ||
            pthread_cond_timedwait(&g_q.committed, &g_q.mu, &until) != 0)
            break;
    }
    pthread_mutex_unlock(&g_q.mu);
}

/* ---- answering after logging ---- */

typedef struct pending_reply {
    int status;
    const omk_jv *jv;
    json_t *json;
    const char *ctype, *data; /* a raw body (omk__ldv_reply) when ctype is set */
    size_t len;
    omk_rc rc;
} pending_reply;

static void drop_json(void *arg)
{
    pending_reply *p = arg;
    json_decref(p->json);
    p->json = NULL;
}

static omk_rc deliver(omk_req *req, pending_reply *p)
{
    if (p->json) {
        json_t *body = p->json;
        p->json = NULL;
        return omk_req_reply_json(req, p->status, body);
    }
    if (p->ctype)
        return omk_req_reply(req, p->status, p->ctype, p->data, p->len);
    return omk_req_reply_jv(req, p->status, p->jv);
}

static omk_rc resume_reply(omk_req *req)
{
    pending_reply *p = omk_req_state(req);
    return p->rc ? p->rc : deliver(req, p);
}

static omk_rc send(omk_req *req, omk_ldv *l, pending_reply *p)
{
    if (!l || l->written || !persons_of(l))
        return deliver(req, p);
    block *b = block_new(l);
    if (!b)
        return OMK_NOMEM;
    l->written = true;
    if (g_modus == VOLGEN) {
        omk_rc rc = enqueue(b);
        return rc ? rc : deliver(req, p);
    }
    /* wachten: parked until the group with these records committed. */
    omk_req_set_state(req, p);
    if (omk_req_suspend(req, resume_reply)) {
        b->waiter = req;
        omk_rc rc = enqueue(b); /* b may be committed and freed from here on */
        if (rc) {
            p->rc = rc;
            omk_req_resume(req);
        }
        return OMK_OK;
    }
    /* Shutting down: no parking; wait on this thread. */
    bool done = false;
    b->committed = &done;
    omk_rc rc = enqueue(b);
    if (rc)
        return rc;
    pthread_mutex_lock(&g_q.mu);
    while (!done && !g_q.stopping)
        pthread_cond_wait(&g_q.committed, &g_q.mu);
    pthread_mutex_unlock(&g_q.mu);
    return done ? deliver(req, p) : OMK_UNAVAILABLE;
}

omk_rc omk__ldv_reply_jv(omk_req *req, omk_ldv *l, int status, const omk_jv *body)
{
    pending_reply *p = omk_arena_alloc(omk_req_arena(req), sizeof *p);
    if (!p)
        return OMK_NOMEM;
    *p = (pending_reply){.status = status, .jv = body};
    return send(req, l, p);
}

omk_rc omk__ldv_reply(omk_req *req, omk_ldv *l, int status, const char *content_type,
                      const char *data, size_t len)
{
    pending_reply *p = omk_arena_alloc(omk_req_arena(req), sizeof *p);
    if (!p)
        return OMK_NOMEM;
    *p = (pending_reply){.status = status, .ctype = content_type, .data = data, .len = len};
    return send(req, l, p);
}

omk_rc omk__ldv_reply_json(omk_req *req, omk_ldv *l, int status, json_t *body)
{
    pending_reply *p = omk_arena_alloc(omk_req_arena(req), sizeof *p);
    if (!p || omk_arena_defer(omk_req_arena(req), drop_json, p)) {
        json_decref(body);
        return OMK_NOMEM;
    }
    *p = (pending_reply){.status = status, .json = body};
    return send(req, l, p);
}

/* ---- start and stop ---- */

omk_rc omk_api_logboek_start(omk_store *s, const char *modus_naam)
{
    modus m = VOLGEN;
    if (!modus_naam || strcmp(modus_naam, "volgen") == 0)
        m = VOLGEN;
    else if (strcmp(modus_naam, "wachten") == 0)
        m = WACHTEN;
    else if (strcmp(modus_naam, "uit") == 0)
        m = UIT;
    else
        return OMK_INVALID;
    omk_arena *a = omk_arena_new(1 << 16);
    if (!a)
        return OMK_NOMEM;
    key_job j = {.a = a};
    omk_rc rc = omk_store_read(s, read_key, &j);
    omk_arena_free(a);
    if (rc)
        return rc;
    memcpy(g_key, j.key, sizeof g_key);
    atomic_store(&g_have_key, true);
    g_modus = m;
    pthread_mutex_lock(&g_q.mu);
    g_q.store = s;
    g_q.started = true;
    g_q.stopping = false;
    pthread_mutex_unlock(&g_q.mu);
    omk_store_flusher f = {.flush = flush, .done = flushed,
                           .interval_ms = m == VOLGEN ? VOLGEN_MS : 0};
    omk_store_set_flusher(s, &f);
    if (m == UIT)
        omk_log_error("logboek", "the Logboek Dataverwerkingen is OFF (--logboek uit): reads and "
                      "changes of personal data are not logged; for measurements only");
    return OMK_OK;
}

void omk_api_logboek_stop(void)
{
    pthread_mutex_lock(&g_q.mu);
    if (!g_q.started) {
        pthread_mutex_unlock(&g_q.mu);
        return;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += QUEUE_WAIT_S;
    while (g_q.head || g_q.inflight) {
        omk_store *s = g_q.store;
        pthread_mutex_unlock(&g_q.mu);
        omk_store_kick(s);
        pthread_mutex_lock(&g_q.mu);
        if (pthread_cond_timedwait(&g_q.committed, &g_q.mu, &until) != 0)
            break;
    }
    g_q.stopping = true;
    pthread_cond_broadcast(&g_q.committed);
    size_t lost = g_q.persons;
    block *list = g_q.head;
    g_q.head = g_q.tail = NULL;
    g_q.persons = 0;
    g_q.started = false;
    omk_store *s = g_q.store;
    pthread_mutex_unlock(&g_q.mu);
    omk_store_set_flusher(s, NULL);
    free(g_q.rows);
    g_q.rows = NULL;
    g_q.cap_rows = 0;
    while (list) {
        block *next = list->next;
        free(list);
        list = next;
    }
    if (lost)
        omk_log_error("logboek", "%zu records of answered requests could not be written before "
                      "stopping: they are lost", lost);
}

/* ---- reading the log ---- */

/* One record (row r, its k-th person) as the API shows it. An action about one person is one
 * span; about several, each person's record is a child span of the action's, its id derived
 * from the action's span and the person (stable, unique within the trace). */
static json_t *record_json(const omk_ldv_row *r, size_t k)
{
    const unsigned char *p = r->personen + k * OMK_LDV_PERSOON;
    char span[17];
    const char *parent = r->parent_span_id;
    if (r->n == 1) {
        snprintf(span, sizeof span, "%s", r->span_id);
    } else {
        unsigned char in[64], out[8];
        size_t sn = strlen(r->span_id) < 32 ? strlen(r->span_id) : 32;
        memcpy(in, r->span_id, sn);
        memcpy(in + sn, p, OMK_LDV_PERSOON);
        crypto_generichash(out, sizeof out, in, sn + OMK_LDV_PERSOON, NULL, 0);
        sodium_bin2hex(span, sizeof span, out, sizeof out);
        parent = r->span_id;
    }
    const omk_verwerkingsactiviteit *a = omk__activiteit(r->activiteit);
    return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?,"
                     " s:s?}",
                     "volgnummer", (json_int_t)r->id, "traceId", r->trace_id, "spanId", span,
                     "parentSpanId", parent, "naam", r->naam, "startTijd",
                     (json_int_t)r->start_ms, "eindTijd", (json_int_t)r->eind_ms, "status",
                     r->status, "verwerkingsactiviteit", r->activiteit,
                     "verwerkingsactiviteitOmschrijving", a ? a->omschrijving : "",
                     "betrokkeneType", omk__ldv_soort_naam(p[0]), "rol", r->rol,
                     "rolOmschrijving", omk__rol_omschrijving(r->rol), "aanroeper",
                     r->aanroeper, "bron", r->bron);
}

/* The query of a list of records: filters and paging. Unknown names are refused (400), so
 * nothing can widen what the handler imposes. */
typedef struct ldv_params {
    omk_ldv_filter f;
    long long page;
    int size;
} ldv_params;

static omk_rc parse_params(omk_req *req, ldv_params *p)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    memset(p, 0, sizeof *p);
    p->page = 1;
    p->size = DEFAULT_PAGE;
    omk_buf unknown;
    omk_buf_init(&unknown, 4096);
    for (size_t i = 0; i < n; i++) {
        const char *k = q[i].key, *v = q[i].value;
        int64_t num = 0;
        if (strcmp(k, "traceId") == 0)
            p->f.trace_id = v;
        else if (strcmp(k, "verwerkingsactiviteit") == 0)
            p->f.activiteit = v;
        else if (strcmp(k, "rol") == 0)
            p->f.rol = v;
        else if (strcmp(k, "page") == 0 && omk_parse_uint(v, strlen(v), &num) && num >= 1)
            p->page = num;
        else if (strcmp(k, "pageSize") == 0 && omk_parse_uint(v, strlen(v), &num) && num >= 1)
            p->size = num > MAX_PAGE ? MAX_PAGE : (int)num;
        else if (strcmp(k, "page") == 0 || strcmp(k, "pageSize") == 0)
            omk_req_invalid(req, k, "invalid", "Een geldig getal is vereist.");
        else
            omk_buf_printf(&unknown, "%s%s", unknown.n ? ", " : "", k);
    }
    if (unknown.n) {
        char *msg = omk_arena_printf(omk_req_arena(req), "Onbekende query parameters: %s",
                                     unknown.p);
        omk_req_invalid(req, "nonFieldErrors", "unknown-parameters", msg ? msg : "");
    }
    omk_buf_release(&unknown);
    return omk_req_invalid_count(req) ? OMK_INVALID : OMK_OK;
}

static bool row_matches(const omk_ldv_row *r, const omk_ldv_filter *f)
{
    return (!f->trace_id || strcmp(r->trace_id, f->trace_id) == 0) &&
           (!f->activiteit || strcmp(r->activiteit, f->activiteit) == 0) &&
           (!f->rol || strcmp(r->rol, f->rol) == 0);
}

typedef struct list_job {
    omk_arena *a;
    ldv_params p;
    const char *bsn; /* NULL: every record */
    long long count;
    json_t *results;
} list_job;

/* Every record, newest first: rows read in slices from the newest, persons counted off. */
static omk_rc run_all(omk_db *db, void *arg)
{
    list_job *j = arg;
    omk_rc rc = omk_db_ldv_count(db, &j->p.f, &j->count);
    long long skip = (j->p.page - 1) * j->p.size, need = j->p.size;
    omk_ldv_filter f = j->p.f;
    f.limit = 200;
    while (!rc && need > 0) {
        omk_ldv_row *rows = NULL;
        size_t n = 0;
        rc = omk_db_ldv_rows(db, &f, j->a, &rows, &n);
        for (size_t i = 0; !rc && i < n && need > 0; i++) {
            for (size_t k = 0; k < rows[i].n && need > 0; k++) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                json_array_append_new(j->results, record_json(&rows[i], k));
                need--;
            }
            f.before_id = rows[i].id;
        }
        if (n < (size_t)f.limit)
            break;
    }
    return rc;
}

/* One record of the person with pseudonym number `key` (into the job's keys) in row `id`. */
typedef struct pair {
    int64_t id;
    int key;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->id != y->id)
        return x->id > y->id ? -1 : 1;
    return x->key - y->key;
}

static const omk_ldv_row *find_row(const omk_ldv_row *rows, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].id == id)
            return &rows[i];
    return NULL;
}

/* The uuids of the partijen whose BSN identificator is bsn. */
/* The register's partij-identificatoren (set by the table of contents, api.c: the engine does
 * not include the register). */
static const omk_resource *g_identificatoren;

void omk__ldv_configure(const omk_resource *partij_identificatoren)
{
    g_identificatoren = partij_identificatoren;
}

static omk_rc partijen_of(omk_db *db, omk_arena *a, const char *bsn, const char ***out,
                          size_t *n)
{
    if (!g_identificatoren)
        return OMK_INTERNAL;
    static const omk_filter by_id = {"id", "partijIdentificator.objectId", OMK_OP_EQ};
    static const omk_filter by_soort = {"soort", "partijIdentificator.codeSoortObjectId",
                                        OMK_OP_EQ};
    omk_filter_arg f[2] = {{&by_id, bsn}, {&by_soort, "bsn"}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = MAX_PARTIJEN};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, g_identificatoren, &q, a, &rows, NULL);
    int col = omk_model_field_index(g_identificatoren, "identificeerdePartij");
    *n = 0;
    *out = omk_arena_alloc(a, (rows.n + 1) * sizeof **out);
    if (!rc && !*out)
        rc = OMK_NOMEM;
    for (size_t i = 0; !rc && col >= 0 && i < rows.n; i++)
        if (rows.rows[i].v[col].t == OMK_V_TEXT)
            (*out)[(*n)++] = rows.rows[i].v[col].s;
    return rc;
}

/* The records of one person: every id they have (their BSN and each of their partijen),
 * through the index; one read transaction. */
static omk_rc run_for(omk_db *db, void *arg)
{
    list_job *j = arg;
    const char **partijen = NULL;
    size_t np = 0;
    omk_rc rc = partijen_of(db, j->a, j->bsn, &partijen, &np);
    if (rc)
        return rc;
    size_t nkeys = np + 1;
    unsigned char(*keys)[KEY] = omk_arena_alloc(j->a, nkeys * KEY);
    if (!keys)
        return OMK_NOMEM;
    rc = omk__ldv_sleutel(OMK_LDV_BSN, j->bsn, keys[0]);
    for (size_t i = 0; !rc && i < np; i++)
        rc = omk__ldv_sleutel(OMK_LDV_PARTIJ, partijen[i], keys[i + 1]);
    size_t npairs = 0, cap = 0;
    pair *pairs = NULL;
    for (size_t k = 0; !rc && k < nkeys; k++) {
        int64_t *ids = NULL;
        size_t n = 0;
        rc = omk_db_ldv_ids(db, keys[k], MAX_PER_PERSOON, j->a, &ids, &n);
        if (!rc && npairs + n > cap) {
            size_t ncap = (npairs + n) * 2 + 16;
            pair *bigger = omk_arena_alloc(j->a, ncap * sizeof *bigger);
            if (!bigger)
                return OMK_NOMEM;
            if (npairs)
                memcpy(bigger, pairs, npairs * sizeof *pairs);
            pairs = bigger;
            cap = ncap;
        }
        for (size_t i = 0; !rc && i < n; i++)
            pairs[npairs++] = (pair){ids[i], (int)k};
    }
    if (rc || !npairs)
        return rc;
    qsort(pairs, npairs, sizeof *pairs, cmp_pair);
    bool filtered = j->p.f.trace_id || j->p.f.activiteit || j->p.f.rol;
    size_t from = (size_t)((j->p.page - 1) * j->p.size), to = from + (size_t)j->p.size;
    /* Without filters only the page's rows are read; with them, every row of the person. */
    size_t lo = filtered ? 0 : from < npairs ? from : npairs;
    size_t hi = filtered ? npairs : to < npairs ? to : npairs;
    int64_t *ids = omk_arena_alloc(j->a, (hi - lo + 1) * sizeof *ids);
    if (!ids)
        return OMK_NOMEM;
    size_t nids = 0;
    for (size_t i = lo; i < hi; i++)
        if (!nids || ids[nids - 1] != pairs[i].id)
            ids[nids++] = pairs[i].id;
    omk_ldv_row *rows = NULL;
    size_t nrows = 0;
    rc = omk_db_ldv_get(db, ids, nids, j->a, &rows, &nrows);
    long long seen = 0;
    for (size_t i = lo; !rc && i < hi; i++) {
        const omk_ldv_row *r = find_row(rows, nrows, pairs[i].id);
        if (!r || !row_matches(r, &j->p.f))
            continue;
        size_t at = filtered ? (size_t)seen : i;
        seen++;
        if (at < from || at >= to)
            continue;
        for (size_t k = 0; k < r->n; k++)
            if (memcmp(r->personen + k * OMK_LDV_PERSOON + 1, keys[pairs[i].key], KEY) == 0) {
                json_array_append_new(j->results, record_json(r, k));
                break;
            }
    }
    j->count = filtered ? seen : (long long)npairs;
    return rc;
}

/* The link to another page: the request's parameters with `page` replaced. */
static json_t *page_link(omk_req *req, long long page)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    omk_buf b;
    omk_buf_init(&b, 16384);
    omk_buf_printf(&b, "%s%s", omk_req_base_url(req), omk_req_path(req));
    bool first = true;
    if (page > 1) {
        omk_buf_printf(&b, "?page=%lld", page);
        first = false;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].key, "page") == 0)
            continue;
        omk_buf_putc(&b, first ? '?' : '&');
        first = false;
        for (int part = 0; part < 2; part++) {
            if (part)
                omk_buf_putc(&b, '=');
            for (const unsigned char *c = (const unsigned char *)(part ? q[i].value : q[i].key);
                 *c; c++)
                if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
                    (*c >= 'A' && *c <= 'Z') || strchr("-_.~", *c))
                    omk_buf_putc(&b, (char)*c);
                else
                    omk_buf_printf(&b, "%%%02X", *c);
        }
    }
    json_t *s = b.rc ? json_null() : json_string(b.p);
    omk_buf_release(&b);
    return s;
}

omk_rc omk__ldv_records_of(omk_db *db, omk_arena *a, const char *bsn, int max, json_t **out,
                          long long *count)
{
    list_job j = {.a = a, .bsn = bsn, .results = json_array()};
    j.p.page = 1;
    j.p.size = max;
    *out = NULL;
    if (!j.results)
        return OMK_NOMEM;
    omk_rc rc = run_for(db, &j);
    if (rc) {
        json_decref(j.results);
        return rc;
    }
    *out = j.results;
    *count = j.count;
    return OMK_OK;
}

static omk_rc list_records(omk_req *req, const char *bsn)
{
    list_job j = {.a = omk_req_arena(req), .bsn = bsn, .results = json_array()};
    omk_rc rc = parse_params(req, &j.p);
    if (!rc)
        barrier();
    if (!rc)
        rc = omk_store_read(omk__store(req), bsn ? run_for : run_all, &j);
    if (!rc && j.p.page > 1 && (j.p.page - 1) * j.p.size >= j.count) {
        omk_req_fail(req, "not_found", "Ongeldige pagina.");
        rc = OMK_NOTFOUND;
    }
    if (rc) {
        json_decref(j.results);
        return rc;
    }
    json_t *body = json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)j.count, "next",
                             j.p.page * j.p.size < j.count ? page_link(req, j.p.page + 1)
                                                           : json_null(),
                             "previous", j.p.page > 1 ? page_link(req, j.p.page - 1) : json_null(),
                             "results", j.results);
    /* Reading one person's records is a processing of that person too (the whole log, read
     * by the beheerder, names pseudonyms only and is not logged: every read would add to
     * what the next one shows). */
    omk_ldv *l = NULL;
    rc = bsn ? omk__ldv_begin(req, &l) : OMK_OK;
    omk_ldv_actie *x = l ? omk__ldv_actie(l, "Verwerkingen raadplegen", NULL, NULL) : NULL;
    if (!rc && l && !x)
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk__ldv_persoon(x, OMK_LDV_BSN, bsn);
    if (rc) {
        json_decref(body);
        return rc;
    }
    return omk__ldv_reply_json(req, l, 200, body);
}

/* GET verwerkingen: a resident sees the records about themself (every id of theirs: their
 * BSN and each partij with that BSN); the beheerder sees all. */
static omk_rc verwerkingen(omk_req *req)
{
    const char *bsn = omk_req_subject(req);
    if (bsn) {
        /* A resident's own overview is a part of Mijn with its own minimum level. */
        omk_rc rc = omk__niveau_vereist(req, "verwerkingen");
        return rc ? rc : list_records(req, bsn);
    }
    if (!omk_req_has_scope(req, "beheerder")) {
        omk_req_fail(req, "permission_denied",
                     "Alleen functioneel beheer mag het logboek van alle betrokkenen inzien.");
        return OMK_FORBIDDEN;
    }
    return list_records(req, NULL);
}

/* POST verwerkingen/_zoek {"bsn": "..."}: the beheerder's search for one person. */
static omk_rc verwerkingen_zoek(omk_req *req)
{
    json_t *body = omk_req_json(req);
    const char *code = NULL, *reason = NULL;
    const char *bsn = json_string_value(json_object_get(body, "bsn"));
    if (!bsn)
        reason = "Dit veld is vereist.", code = "required";
    else
        reason = omk__check_bsn(bsn, &code);
    if (!reason && json_object_size(body) != 1)
        reason = "Alleen bsn kan worden opgegeven.", code = "invalid";
    if (reason) {
        omk_req_invalid(req, "bsn", code, reason);
        return OMK_INVALID;
    }
    return list_records(req, bsn); /* the body lives as long as the request */
}

size_t omk__ldv_routes(omk_route *out, size_t cap, const omk_api_info *api)
{
    const omk_route routes[] = {
        {"GET", "/klantbeeld/api/v1/verwerkingen", verwerkingen, NULL, api, 0, 0, NULL},
        {"POST", "/klantbeeld/api/v1/verwerkingen/_zoek", verwerkingen_zoek, NULL, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof routes[0]);
    return n;
}

/* ---- verification ---- */

static omk_rc run_verify(omk_db *db, void *arg)
{
    return omk_db_ldv_verify(db, arg);
}

omk_rc omk_api_logboek_verify(omk_store *s, char *msg, size_t cap)
{
    omk_ldv_check c;
    omk_rc rc = omk_store_read(s, run_verify, &c);
    if (rc) {
        snprintf(msg, cap, "het logboek kon niet worden gelezen: %s", omk_rc_name(rc));
        return rc;
    }
    if (!c.ok) {
        if (c.bad_id)
            snprintf(msg, cap, "logboek: record %lld %s", (long long)c.bad_id, c.reason);
        else
            snprintf(msg, cap, "logboek: %s", c.reason);
        return OMK_INVALID;
    }
    if (c.pruned_to)
        snprintf(msg, cap, "logboek in orde: %lld records in %lld verwerkingen (ingekort tot en"
                 " met record %lld); laatste hash %s", c.records, c.rows,
                 (long long)c.pruned_to, c.head);
    else
        snprintf(msg, cap, "logboek in orde: %lld records in %lld verwerkingen; laatste hash %s",
                 c.records, c.rows, c.head);
    return OMK_OK;
}
