/* Notifications of register changes: a transactional outbox plus one delivery thread.
 * omk__notify_enqueue runs inside the write transaction of the change (so a message exists
 * exactly when the change was committed); the thread POSTs due messages to their subscriber
 * and retries failures with exponential backoff (1 s doubling, capped at 1 hour).
 * The configuration is set once before serving and read-only afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "omk/http_client.h"
#include "omk/log.h"
#include "omk/ticker.h"
#include "omk/util.h"

#define BATCH 50
#define POLL_MS 200
#define MAX_BACKOFF_S 3600

static const omk_field OUTBOX_FIELDS[] = {
    {.json = "abonnee", .column = "abonnee", .type = OMK_F_STRING},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING},
    {.json = "bericht", .column = "bericht", .type = OMK_F_STRING},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
    {.json = "pogingen", .column = "pogingen", .type = OMK_F_INT},
    {.json = "volgendePoging", .column = "volgende_poging", .type = OMK_F_DATETIME},
    {.json = "afgeleverdOp", .column = "afgeleverd_op", .type = OMK_F_DATETIME, .flags = OMK_NULLABLE},
    {.json = "laatsteFout", .column = "laatste_fout", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
};
enum { F_ABONNEE, F_KANAAL, F_BERICHT, F_AANGEMAAKT, F_POGINGEN, F_VOLGENDE, F_AFGELEVERD, F_FOUT };

static const omk_filter OUTBOX_FILTERS[] = {
    {"open", "afgeleverdOp", OMK_OP_NOTNULL},
    {"due", "volgendePoging", OMK_OP_LTE},
};

static const omk_resource OUTBOX = {
    .name = "notificaties", .model = "Notificatie", .table = "notificaties",
    .fields = OUTBOX_FIELDS, .nfields = sizeof OUTBOX_FIELDS / sizeof OUTBOX_FIELDS[0],
    .filters = OUTBOX_FILTERS, .nfilters = 2, .order_ascending = true,
};

static struct {
    const char *const *urls;
    size_t n;
    const char *authorization;
    omk_store *store;
    omk_ticker *sender;
} g;

omk_rc omk__notify_enqueue(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                           const char *uuid, const char *actie)
{
    if (!r->notify_kanaal || g.n == 0)
        return OMK_OK;
    const char *url = omk_res_url(ctx, r, uuid);
    return omk__notify_enqueue_msg(db, ctx, r->notify_kanaal, r->notify_resource, url, actie,
                                   NULL);
}

omk_rc omk__notify_enqueue_msg(omk_db *db, omk_api_ctx *ctx, const char *kanaal,
                               const char *resource, const char *url, const char *actie,
                               json_t *kenmerken)
{
    if (g.n == 0) {
        json_decref(kenmerken);
        return OMK_OK;
    }
    char now[32];
    int64_t us = omk_now_ms() * 1000;
    omk_time_format(us, now);
    json_t *msg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "kanaal", kanaal,
                            "hoofdObject", url, "resource", resource, "resourceUrl", url,
                            "actie", actie, "aanmaakdatum", now, "kenmerken",
                            kenmerken ? kenmerken : json_object());
    char *body = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!body)
        return OMK_NOMEM;
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < g.n && !rc; i++) {
        omk_row *row = omk_row_new(&OUTBOX, ctx->a);
        if (!row) {
            rc = OMK_NOMEM;
            break;
        }
        omk_uuid4(row->uuid);
        row->v[F_ABONNEE] = omk_text(g.urls[i]);
        row->v[F_KANAAL] = omk_text(kanaal);
        row->v[F_BERICHT] = omk_text(body);
        row->v[F_AANGEMAAKT] = omk_int(us);
        row->v[F_POGINGEN] = omk_int(0);
        row->v[F_VOLGENDE] = omk_int(us);
        rc = omk_db_insert(db, &OUTBOX, row);
    }
    free(body);
    return rc;
}

typedef struct due_job {
    omk_arena *a;
    omk_rowset rows;
    char now[32];
} due_job;

static omk_rc load_due(omk_db *db, void *arg)
{
    due_job *j = arg;
    omk_filter_arg f[] = {{&OUTBOX_FILTERS[0], "false"}, {&OUTBOX_FILTERS[1], j->now}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = BATCH};
    return omk_db_list(db, &OUTBOX, &q, j->a, &j->rows, NULL);
}

static omk_rc save_row(omk_db *db, void *arg)
{
    return omk_db_update(db, &OUTBOX, arg);
}

/* Delivers one message and records the outcome. */
static void deliver(omk_row *row)
{
    int status = 0;
    char err[256] = "";
    omk_rc rc = omk_http_post_json(row->v[F_ABONNEE].s, g.authorization, row->v[F_BERICHT].s,
                                   row->v[F_BERICHT].n, 5000, &status, err, sizeof err);
    int64_t now = omk_now_ms() * 1000;
    int64_t attempts = row->v[F_POGINGEN].i + 1;
    row->v[F_POGINGEN] = omk_int(attempts);
    if (!rc && status >= 200 && status < 300) {
        row->v[F_AFGELEVERD] = omk_int(now);
        row->v[F_FOUT] = (omk_value){.t = OMK_V_NULL};
    } else {
        if (!rc)
            snprintf(err, sizeof err, "HTTP %d", status);
        int64_t backoff = attempts >= 12 ? MAX_BACKOFF_S : (int64_t)1 << (attempts - 1);
        if (backoff > MAX_BACKOFF_S)
            backoff = MAX_BACKOFF_S;
        row->v[F_VOLGENDE] = omk_int(now + backoff * 1000000);
        row->v[F_FOUT] = omk_text(err);
        omk_log_info("notify", "delivery to %s failed (%s), attempt %lld, next in %llds",
                     row->v[F_ABONNEE].s, err, (long long)attempts, (long long)backoff);
    }
    if (omk_store_write(g.store, save_row, row))
        omk_log_error("notify", "could not record the delivery outcome");
}

/* One round: deliver what is due, at most BATCH; true when a full batch suggests more. */
static bool send_due(void *unused)
{
    (void)unused;
    due_job j = {.a = omk_arena_new(64 << 20)};
    omk_time_format(omk_now_ms() * 1000, j.now);
    size_t n = 0;
    if (j.a && !omk_store_read(g.store, load_due, &j))
        for (size_t i = 0; i < j.rows.n && !omk_ticker_stopping(g.sender); i++, n++)
            deliver(&j.rows.rows[i]);
    omk_arena_free(j.a);
    return n == BATCH;
}

omk_rc omk_api_notify_start(omk_store *s, const omk_notify_config *cfg)
{
    g.urls = cfg ? cfg->urls : NULL;
    g.n = cfg ? cfg->n : 0;
    g.authorization = cfg ? cfg->authorization : NULL;
    g.store = s;
    if (g.n == 0)
        return OMK_OK;
    return omk_ticker_start(POLL_MS, true, send_due, NULL, &g.sender);
}

void omk_api_notify_stop(void)
{
    omk_ticker_stop(g.sender);
    g.sender = NULL;
}
