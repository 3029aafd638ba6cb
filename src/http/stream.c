/* Streaming responses (see omk/http.h): a queue per stream filled by any thread and drained by
 * MHD's content reader; when the queue is empty the reader suspends the connection (allowed
 * from a content reader callback) and the next write resumes it, so an idle stream holds no
 * thread. A per-server list lets the keep-alive thread and shutdown reach every stream.
 * Locks: list->mu before s->mu, never the other way. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"
#include "omk/log.h"
#include "omk/ticker.h"

#define KEEPALIVE_S 15

struct omk_stream {
    omk__streams *list;
    struct MHD_Connection *conn;
    omk_req *req;           /* for the access log's byte count; valid while MHD reads */
    pthread_mutex_t mu;
    omk_buf q;
    size_t off;             /* bytes of q already handed to MHD */
    bool suspended, closed; /* closed: no more writes; the reader ends after the queue */
    omk_stream_close_fn on_close;
    void *ctx;
    omk_stream *prev, *next;
};

static void resume_locked(omk_stream *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    omk_stream *s = cls;
    pthread_mutex_lock(&s->mu);
    ssize_t out = 0;
    if (s->q.n > s->off) {
        size_t k = s->q.n - s->off < max ? s->q.n - s->off : max;
        memcpy(buf, s->q.p + s->off, k);
        s->off += k;
        if (s->off == s->q.n)
            s->off = s->q.n = 0;
        s->req->bytes += k;
        out = (ssize_t)k;
    } else if (s->closed) {
        out = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        s->suspended = true;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&s->mu);
    return out;
}

/* The response is done with (client gone or stream ended): unlink, tell the owner, free. */
static void release(void *cls)
{
    omk_stream *s = cls;
    omk__streams *l = s->list;
    pthread_mutex_lock(&l->mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    l->count--;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_mutex_lock(&s->mu);
    s->closed = true;
    pthread_mutex_unlock(&s->mu);
    if (s->on_close)
        s->on_close(s->ctx, s);
    omk_buf_release(&s->q);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

omk_stream *omk_req_stream(omk_req *req, const char *content_type, omk_stream_close_fn on_close,
                           void *ctx)
{
    if (req->replied)
        return NULL;
    omk_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->list = omk__server_streams(req->srv);
    s->conn = req->conn;
    s->req = req;
    s->on_close = on_close;
    s->ctx = ctx;
    pthread_mutex_init(&s->mu, NULL);
    omk_buf_init(&s->q, OMK_STREAM_QUEUE_CAP);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, reader,
                                                               s, release);
    if (!r) {
        omk_buf_release(&s->q);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    omk__add_common_headers(req, r, content_type);
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    for (int i = 0; i < req->nextra; i++)
        MHD_add_response_header(r, req->extra_name[i], req->extra_value[i]);
    omk__streams *l = s->list;
    pthread_mutex_lock(&l->mu);
    s->next = l->head;
    if (l->head)
        l->head->prev = s;
    l->head = s;
    l->count++;
    bool stopping = l->stopping;
    pthread_mutex_unlock(&l->mu);
    if (stopping)
        s->closed = true; /* answers, and ends at once */
    MHD_queue_response(req->conn, 200, r);
    MHD_destroy_response(r);
    req->replied = true;
    req->status = 200;
    return s;
}

omk_rc omk_stream_write(omk_stream *s, const char *data, size_t n)
{
    pthread_mutex_lock(&s->mu);
    omk_rc rc = OMK_OK;
    if (s->closed) {
        rc = OMK_UNAVAILABLE;
    } else {
        omk_buf_append(&s->q, data, n);
        if (s->q.rc) {
            /* Too far behind: end it rather than grow without bound. */
            rc = OMK_TOOBIG;
            s->closed = true;
            s->q.rc = OMK_OK;
            s->q.n = s->off;
        }
        resume_locked(s);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

omk_rc omk_stream_event(omk_stream *s, const char *event, const char *id, const char *data)
{
    omk_buf b;
    omk_buf_init(&b, OMK_STREAM_QUEUE_CAP);
    if (event)
        omk_buf_printf(&b, "event: %s\n", event);
    if (id)
        omk_buf_printf(&b, "id: %s\n", id);
    const char *p = data ? data : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        omk_buf_puts(&b, "data: ");
        omk_buf_append(&b, p, len);
        omk_buf_putc(&b, '\n');
        p = nl ? nl + 1 : NULL;
    } while (p);
    omk_buf_putc(&b, '\n');
    omk_rc rc = b.rc ? b.rc : omk_stream_write(s, b.p, b.n);
    omk_buf_release(&b);
    return rc;
}

void omk_stream_close(omk_stream *s)
{
    pthread_mutex_lock(&s->mu);
    s->closed = true;
    resume_locked(s);
    pthread_mutex_unlock(&s->mu);
}

/* Every KEEPALIVE_S: a comment line to every open stream, so proxies keep them open. */
static bool keepalive(void *arg)
{
    omk__streams *l = arg;
    pthread_mutex_lock(&l->mu);
    for (omk_stream *s = l->head; s && !l->stopping; s = s->next)
        (void)omk_stream_write(s, ":\n\n", 3);
    pthread_mutex_unlock(&l->mu);
    return false;
}

int omk__streams_init(omk__streams *l)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    return omk_ticker_start(KEEPALIVE_S * 1000, false, keepalive, l, &l->keepalive) ? -1 : 0;
}

/* Ends every stream (each finishes sending its queue) and stops the keep-alive thread; no
 * stream is suspended afterwards, as MHD_stop_daemon requires. */
void omk__streams_stop(omk__streams *l)
{
    pthread_mutex_lock(&l->mu);
    l->stopping = true;
    for (omk_stream *s = l->head; s; s = s->next)
        omk_stream_close(s);
    pthread_mutex_unlock(&l->mu);
    omk_ticker_stop(l->keepalive);
    l->keepalive = NULL;
}

void omk__streams_destroy(omk__streams *l)
{
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
}
