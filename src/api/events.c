/* Events to browsers over Server-Sent Events: a hub of topics ("medewerker:<naam>" for an
 * agent's werkplek — screen pops, chats —, "chat:<gesprek>" for a resident's chat window,
 * "wachtrij" for the chat queue), each with the open streams that subscribed. Publishing
 * writes the event to every stream of the topic. One mutex guards the hub; stream writes never
 * block (they queue), so holding it while publishing is cheap. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen_int.h"

typedef struct sub {
    char *topic;
    omk_stream *s;
} sub;

static struct {
    pthread_mutex_t mu;
    sub *subs;
    size_t n, cap;
    unsigned long long seq;
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

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
    /* The first bytes open the stream in the browser (EventSource fires "open"). */
    (void)omk_stream_event(s, "verbonden", NULL, hello ? hello : "{}");
    pthread_mutex_unlock(&g.mu);
    return OMK_OK;
}

size_t omk__events_publish(const char *topic, const char *event, const char *data)
{
    size_t sent = 0;
    pthread_mutex_lock(&g.mu);
    char id[24];
    snprintf(id, sizeof id, "%llu", ++g.seq);
    for (size_t i = 0; i < g.n; i++)
        if (strcmp(g.subs[i].topic, topic) == 0 &&
            omk_stream_event(g.subs[i].s, event, id, data) == OMK_OK)
            sent++;
    pthread_mutex_unlock(&g.mu);
    return sent;
}

size_t omk__events_publish_prefix(const char *prefix, const char *event, const char *data)
{
    size_t sent = 0, n = strlen(prefix);
    pthread_mutex_lock(&g.mu);
    char id[24];
    snprintf(id, sizeof id, "%llu", ++g.seq);
    for (size_t i = 0; i < g.n; i++)
        if (strncmp(g.subs[i].topic, prefix, n) == 0 &&
            omk_stream_event(g.subs[i].s, event, id, data) == OMK_OK)
            sent++;
    pthread_mutex_unlock(&g.mu);
    return sent;
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
