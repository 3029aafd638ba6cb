/* Events to browsers over Server-Sent Events: a hub of topics ("medewerker:<naam>" for an
 * agent's werkplek — screen pops, chats —, "chat:<gesprek>" for a resident's chat window,
 * "wachtrij" for the chat queue), each with the open streams that subscribed. Publishing
 * writes the event to every stream of the topic. One mutex guards the hub; stream writes never
 * block (they queue), so holding it while publishing is cheap.
 *
 * Replay: every published event is also kept in a bounded ring (see the bounds below). A
 * browser's EventSource that lost its connection reconnects by itself with `Last-Event-ID`;
 * the stream then first gets every retained event of its topic with a larger id, in order,
 * and only then live ones. Replay and registration happen under the hub's lock that
 * publishing holds too, so nothing falls between them and nothing comes twice. When the ring
 * no longer reaches back to that id (or the id is not one of this process's), the stream gets
 * `verouderd` instead, so the page reloads its state rather than silently miss events. A first
 * connection's `verbonden` carries the newest id, so a browser always has an id to come back
 * with, even when the connection broke before any other event.
 *
 * Ids: one sequence for all topics, starting at the time (in microseconds) the hub is first
 * used, so an id handed out before a restart is always below the first id after it and reads
 * as too old (the events of the restart gap are gone), never as an id of this process. That
 * holds while the old process published fewer than a million events per second it ran. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kanalen/kanalen.h"


/* The ring's bounds. A browser reconnects within seconds of a Wi-Fi blip (EventSource retries
 * after about 3 s); ten minutes also covers a VPN or network switch and a short laptop lid
 * close, and after longer the werkplek is better off reloading anyway. A thousand events is
 * minutes of a busy contact centre (every agent's chats, queue changes and screen pops share
 * the ring). The byte bound keeps memory small whatever the events carry: chat messages and
 * screen pops are at most a few KiB, so 4 MiB rarely binds before the count does. */
#define RING_MAX_EVENTS 1000
#define RING_MAX_AGE_S 600
#define RING_MAX_BYTES (4u << 20)
/* A replay larger than this is refused with `verouderd`: queued at once it would push the
 * stream over its queue cap, end it, and the browser would reconnect with the same id again. */
#define REPLAY_MAX_BYTES (OMK_STREAM_QUEUE_CAP / 2)

typedef struct sub {
    char *topic;
    omk_stream *s;
} sub;

/* A retained event. `topic`, `event` and `data` point into the same allocation as the entry.
 * prefix: published with omk__events_publish_prefix, so it belongs to every topic that starts
 * with `topic`. */
typedef struct kept {
    unsigned long long id;
    time_t at; /* CLOCK_MONOTONIC seconds */
    bool prefix;
    size_t bytes;
    const char *topic, *event, *data;
} kept;

static struct {
    pthread_mutex_t mu;
    sub *subs;
    size_t n, cap;
    unsigned long long seq;
    /* Ring: ring[(head + i) % RING_MAX_EVENTS] for i < nkept, oldest first. floor: every id
     * above it that was handed out is still in the ring. */
    kept *ring[RING_MAX_EVENTS];
    size_t head, nkept, bytes;
    unsigned long long floor;
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

static time_t now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Starts the sequence on first use (see the file comment): nothing at or below the start was
 * handed out by this process, so the floor starts there too. Call with g.mu held. */
static void seq_start_locked(void)
{
    if (!g.seq) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        g.seq = g.floor = (unsigned long long)ts.tv_sec * 1000000ull +
                          (unsigned long long)ts.tv_nsec / 1000ull;
    }
}

/* The next id. Call with g.mu held. */
static unsigned long long next_id_locked(void)
{
    seq_start_locked();
    return ++g.seq;
}

static void drop_oldest_locked(void)
{
    kept *k = g.ring[g.head];
    g.ring[g.head] = NULL;
    g.head = (g.head + 1) % RING_MAX_EVENTS;
    g.nkept--;
    g.bytes -= k->bytes;
    g.floor = k->id;
    free(k);
}

/* Drops what is past the age bound and, when `incoming` (the bytes of an event about to be
 * kept) is not 0, makes room for that event. Call with g.mu held. */
static void prune_locked(size_t incoming)
{
    time_t oldest = now_s() - RING_MAX_AGE_S;
    size_t slots = incoming ? RING_MAX_EVENTS - 1 : RING_MAX_EVENTS;
    while (g.nkept && (g.nkept > slots || g.bytes + incoming > RING_MAX_BYTES ||
                       g.ring[g.head]->at < oldest))
        drop_oldest_locked();
}

/* Keeps the event just published with `id`. When it cannot be kept (larger than the ring, or
 * out of memory) the ring forgets everything up to it, so a reconnect across it is told
 * `verouderd` rather than replayed without it. Call with g.mu held. */
static void keep_locked(unsigned long long id, bool prefix, const char *topic, const char *event,
                        const char *data)
{
    size_t nt = strlen(topic) + 1, ne = strlen(event) + 1, nd = strlen(data) + 1;
    size_t bytes = sizeof(kept) + nt + ne + nd;
    kept *k = NULL;
    if (bytes <= RING_MAX_BYTES) {
        prune_locked(bytes);
        k = malloc(bytes);
    }
    if (!k) {
        while (g.nkept)
            drop_oldest_locked();
        g.floor = id;
        return;
    }
    char *p = (char *)(k + 1);
    *k = (kept){.id = id, .at = now_s(), .prefix = prefix, .bytes = bytes, .topic = p,
                .event = p + nt, .data = p + nt + ne};
    memcpy(p, topic, nt);
    memcpy(p + nt, event, ne);
    memcpy(p + nt + ne, data, nd);
    g.ring[(g.head + g.nkept) % RING_MAX_EVENTS] = k;
    g.nkept++;
    g.bytes += bytes;
}

static bool kept_for(const kept *k, const char *topic)
{
    return k->prefix ? strncmp(topic, k->topic, strlen(k->topic)) == 0
                     : strcmp(topic, k->topic) == 0;
}

/* Parses a Last-Event-ID value: true with *id for a decimal number, else false. */
static bool parse_id(const char *v, unsigned long long *id)
{
    if (!v || *v < '0' || *v > '9' || strlen(v) > 19)
        return false;
    char *end = NULL;
    *id = strtoull(v, &end, 10);
    return *end == '\0';
}

/* Sends stream `s` of `topic` what it missed after the id in `last` (a Last-Event-ID value):
 * the retained events of the topic with larger ids, oldest first; or `verouderd` when they
 * cannot all be given (id unknown, older than the ring reaches, or too much to queue at once).
 * `verouderd` carries the newest id so a later reconnect resumes from here. Call with g.mu
 * held. */
static void replay_locked(omk_stream *s, const char *topic, const char *last)
{
    unsigned long long from = 0;
    seq_start_locked();
    prune_locked(0);
    bool ok = parse_id(last, &from) && from >= g.floor && from <= g.seq;
    char id[24];
    size_t bytes = 0, first = g.nkept;
    for (size_t i = g.nkept; ok && i-- > 0;) {
        const kept *k = g.ring[(g.head + i) % RING_MAX_EVENTS];
        if (k->id <= from)
            break;
        first = i;
        if (kept_for(k, topic))
            bytes += k->bytes;
    }
    if (!ok || bytes > REPLAY_MAX_BYTES) {
        snprintf(id, sizeof id, "%llu", g.seq);
        (void)omk_stream_event(s, "verouderd", id, "{}");
        return;
    }
    for (size_t i = first; i < g.nkept; i++) {
        const kept *k = g.ring[(g.head + i) % RING_MAX_EVENTS];
        snprintf(id, sizeof id, "%llu", k->id);
        if (kept_for(k, topic) && omk_stream_event(s, k->event, id, k->data) != OMK_OK)
            return;
    }
}

static void on_close(void *ctx, omk_stream *s)
{
    (void)ctx;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < g.n; i++)
        if (g.subs[i].s == s) {
            free(g.subs[i].topic);
            g.subs[i] = g.subs[--g.n];
            break;
        }
    pthread_mutex_unlock(&g.mu);
}

omk_rc omk__events_subscribe(omk_req *req, const char *topic, const char *hello)
{
    const char *last = omk_req_header(req, "Last-Event-ID");
    char *t = strdup(topic);
    if (!t)
        return OMK_NOMEM;
    pthread_mutex_lock(&g.mu);
    if (g.n == g.cap) {
        size_t cap = g.cap ? g.cap * 2 : 64;
        sub *grown = realloc(g.subs, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&g.mu);
            free(t);
            return OMK_NOMEM;
        }
        g.subs = grown;
        g.cap = cap;
    }
    /* Registered before the stream exists so no event published meanwhile is missed; the
     * stream pointer is filled in below under the same lock. */
    omk_stream *s = omk_req_stream(req, "text/event-stream; charset=utf-8", on_close, NULL);
    if (!s) {
        pthread_mutex_unlock(&g.mu);
        free(t);
        return OMK_NOMEM;
    }
    g.subs[g.n++] = (sub){t, s};
    /* The first bytes open the stream in the browser (EventSource fires "open"). On a first
     * connection `verbonden` carries the newest id: every later event reaches this stream, so
     * that is where a reconnect must resume, even when no other event came before the
     * connection broke (without an id the browser would reconnect without Last-Event-ID and
     * silently miss what happened meanwhile). On a reconnect it carries none: the replay (or
     * `verouderd`) after it brings the browser's last id up to date, event by event. */
    char id[24];
    bool first = !(last && *last);
    if (first) {
        seq_start_locked();
        snprintf(id, sizeof id, "%llu", g.seq);
    }
    (void)omk_stream_event(s, "verbonden", first ? id : NULL, hello ? hello : "{}");
    if (!first)
        replay_locked(s, topic, last);
    pthread_mutex_unlock(&g.mu);
    return OMK_OK;
}

/* Publishes to the topics `topic` names: itself, or with prefix every topic starting with it. */
static size_t publish(const char *topic, bool prefix, const char *event, const char *data)
{
    size_t sent = 0, n = strlen(topic);
    pthread_mutex_lock(&g.mu);
    unsigned long long seq = next_id_locked();
    char id[24];
    snprintf(id, sizeof id, "%llu", seq);
    for (size_t i = 0; i < g.n; i++)
        if ((prefix ? strncmp(g.subs[i].topic, topic, n) : strcmp(g.subs[i].topic, topic)) == 0 &&
            omk_stream_event(g.subs[i].s, event, id, data) == OMK_OK)
            sent++;
    keep_locked(seq, prefix, topic, event, data);
    pthread_mutex_unlock(&g.mu);
    return sent;
}

size_t omk__events_publish(const char *topic, const char *event, const char *data)
{
    return publish(topic, false, event, data);
}

size_t omk__events_publish_prefix(const char *prefix, const char *event, const char *data)
{
    return publish(prefix, true, event, data);
}

void omk__events_end(const char *topic)
{
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < g.n; i++)
        if (strcmp(g.subs[i].topic, topic) == 0)
            omk_stream_close(g.subs[i].s);
    pthread_mutex_unlock(&g.mu);
}

size_t omk__events_count(const char *topic)
{
    size_t n = 0;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < g.n; i++)
        n += strcmp(g.subs[i].topic, topic) == 0;
    pthread_mutex_unlock(&g.mu);
    return n;
}

/* Whose stream the caller may open. A web session: only its own user's (`asked` may be NULL
 * or must name that user), since the stream carries that agent's screen pops and chats. An
 * API token: only with scope "*" (a service integration, acting for any medewerker), and it
 * must name the medewerker. Sets *out (borrowed from the request) or returns the refusal. */
static omk_rc stream_owner(omk_req *req, const char *asked, const char **out)
{
    if (omk__auth_by_session(req)) {
        const char *me = omk_req_principal(req);
        if (asked && strcmp(asked, me) != 0) {
            omk_req_fail(req, NULL, "Je kunt alleen je eigen gebeurtenissen volgen.");
            return OMK_FORBIDDEN;
        }
        *out = me;
        return OMK_OK;
    }
    if (!omk_req_has_scope(req, "*")) {
        omk_req_fail(req, NULL,
                     "Alleen een API-token met scope * mag de gebeurtenissen van een "
                     "medewerker volgen.");
        return OMK_FORBIDDEN;
    }
    if (!asked) {
        omk_req_invalid(req, "medewerker", "required", "Dit veld is vereist.");
        return OMK_INVALID;
    }
    *out = asked;
    return OMK_OK;
}

/* GET /gebeurtenissen[?medewerker=NAAM]: the agent's event stream (see stream_owner). */
static omk_rc agent_events(omk_req *req)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    const char *asked = NULL, *naam = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].key, "medewerker") == 0 && *q[i].value && strlen(q[i].value) <= 200)
            asked = q[i].value;
        else {
            omk_req_invalid(req, q[i].key, "invalid", "Onbekende of ongeldige parameter.");
            return OMK_INVALID;
        }
    }
    omk_rc rc = stream_owner(req, asked, &naam);
    if (rc)
        return rc;
    const char *topic = omk_arena_printf(omk_req_arena(req), "medewerker:%s", naam);
    json_t *hello = json_pack("{s:s}", "medewerker", naam);
    char *h = hello ? json_dumps(hello, JSON_COMPACT) : NULL;
    json_decref(hello);
    rc = topic && h ? omk__events_subscribe(req, topic, h) : OMK_NOMEM;
    free(h);
    return rc;
}

size_t omk__events_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", KAN_BASE "/gebeurtenissen", agent_events, NULL, &omk__kan_api, OMK_ROUTE_STREAM, 0,
         NULL},
    };
    size_t n = sizeof routes / sizeof routes[0] < cap ? sizeof routes / sizeof routes[0] : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
