/* Source-system clients over libcurl multi (see omk/sources.h). Each source is one declared
 * row: how to build its request from the query, and which subject it needs; the fetch loop is
 * the same for all. Bodies are capped; a non-2xx answer, a body that is not JSON or a
 * transport error marks the source `error`, a timeout `timeout`. */
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omk/buf.h"
#include "omk/sources.h"
#include "omk/util.h"

#define BODY_CAP (4u << 20) /* 4 MiB per source answer */
#define DEFAULT_TIMEOUT_MS 2000

const char *omk_bron_status_name(omk_bron_status s)
{
    static const char *const names[] = {"niet-geconfigureerd", "ok", "timeout", "error"};
    return (unsigned)s < 4 ? names[s] : "error";
}

const char *omk_bron_name(omk_bron b)
{
    static const char *const names[] = {"brp", "zaken", "kvk"};
    return (unsigned)b < OMK_BRON_COUNT ? names[b] : "?";
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static long env_ms(const char *name)
{
    const char *v = env_or_null(name);
    long ms = v ? strtol(v, NULL, 10) : 0;
    return ms > 0 && ms <= 60000 ? ms : 0;
}

void omk_sources_config_from_env(omk_sources_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->bron[OMK_BRON_BRP] = (omk_bron_config){
        .url = env_or_null("OMNIKANAAL_BRP_URL"),
        .api_key = env_or_null("OMNIKANAAL_BRP_API_KEY"),
        .timeout_ms = env_ms("OMNIKANAAL_BRP_TIMEOUT_MS"),
    };
    cfg->bron[OMK_BRON_ZAKEN] = (omk_bron_config){
        .url = env_or_null("OMNIKANAAL_ZAKEN_URL"),
        .client_id = env_or_null("OMNIKANAAL_ZAKEN_CLIENT_ID"),
        .secret = env_or_null("OMNIKANAAL_ZAKEN_SECRET"),
        .timeout_ms = env_ms("OMNIKANAAL_ZAKEN_TIMEOUT_MS"),
    };
    cfg->bron[OMK_BRON_KVK] = (omk_bron_config){
        .url = env_or_null("OMNIKANAAL_KVK_URL"),
        .api_key = env_or_null("OMNIKANAAL_KVK_API_KEY"),
        .timeout_ms = env_ms("OMNIKANAAL_KVK_TIMEOUT_MS"),
    };
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the Zaken API's JWT ---- */

static bool b64url(const unsigned char *bin, size_t n, char *out, size_t cap)
{
    if (sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > cap)
        return false;
    sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return true;
}

bool omk_sources_zgw_jwt(const char *client_id, const char *secret, const char *user_id,
                         const char *user_representation, long long iat, char *out, size_t cap)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    json_t *claims = json_pack("{s:s, s:I, s:s, s:s, s:s}", "iss", client_id ? client_id : "",
                               "iat", (json_int_t)iat, "client_id", client_id ? client_id : "",
                               "user_id", user_id ? user_id : "", "user_representation",
                               user_representation ? user_representation : "");
    char *payload = claims ? json_dumps(claims, JSON_COMPACT) : NULL;
    json_decref(claims);
    if (!payload)
        return false;
    char h64[64], p64[1024];
    bool ok = b64url((const unsigned char *)header, strlen(header), h64, sizeof h64) &&
              b64url((const unsigned char *)payload, strlen(payload), p64, sizeof p64);
    free(payload);
    if (!ok)
        return false;
    int len = snprintf(out, cap, "%s.%s", h64, p64);
    if (len < 0 || (size_t)len >= cap)
        return false;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    const char *key = secret ? secret : "";
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)out, (unsigned long long)len);
    crypto_auth_hmacsha256_final(&st, mac);
    char s64[64];
    if (!b64url(mac, sizeof mac, s64, sizeof s64) || (size_t)len + 1 + strlen(s64) + 1 > cap)
        return false;
    out[len] = '.';
    memcpy(out + len + 1, s64, strlen(s64) + 1);
    return true;
}

/* ---- one request per source ---- */

struct job;

typedef struct call {
    struct job *job;
    CURL *easy;
    struct curl_slist *headers;
    omk_buf body;    /* what we send */
    omk_buf answer;  /* what came back */
    char url[1024];
    omk_source_answer *out;
} call;

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    omk_buf *b = ud;
    omk_buf_append(b, p, size * n);
    return b->rc ? 0 : size * n; /* over the cap: abort the transfer */
}

static void add_header(call *c, const char *fmt, const char *value)
{
    char line[2200];
    snprintf(line, sizeof line, fmt, value);
    c->headers = curl_slist_append(c->headers, line);
}

/* Base URL without a trailing slash, then `path`. */
static void join_url(call *c, const char *base, const char *path)
{
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    snprintf(c->url, sizeof c->url, "%.*s%s", (int)n, base, path);
}

/* The candidates of a search: their BSNs (at most 20, the BRP's limit) and only the fields
 * that tell people of the same name apart. */
static json_t *brp_kandidaten(const omk_sources_query *q)
{
    json_t *bsns = json_array();
    for (size_t i = 0; i < q->nkandidaten && i < 20; i++)
        json_array_append_new(bsns, json_string(q->kandidaat_bsns[i]));
    return json_pack("{s:s, s:o, s:[s,s,s,s]}", "type", "RaadpleegMetBurgerservicenummer",
                     "burgerservicenummer", bsns, "fields", "burgerservicenummer",
                     "geboorte.datum", "adressering.adresregel1", "adressering.adresregel2");
}

static bool build_brp(call *c, const omk_bron_config *cfg, const omk_sources_query *q)
{
    if (!q->bsn && !q->nkandidaten)
        return false;
    join_url(c, cfg->url, "/personen");
    json_t *req = q->nkandidaten
                      ? brp_kandidaten(q)
                      : json_pack("{s:s, s:[s], s:[s,s,s,s,s,s,s,s]}", "type",
                                  "RaadpleegMetBurgerservicenummer", "burgerservicenummer",
                                  q->bsn, "fields", "burgerservicenummer", "naam", "geboorte",
                                  "geslacht", "leeftijd", "verblijfplaats", "adressering",
                                  "overlijden");
    char *s = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (s)
        omk_buf_puts(&c->body, s);
    free(s);
    if (cfg->api_key)
        add_header(c, "X-API-KEY: %s", cfg->api_key);
    return true;
}

static bool build_zaken(call *c, const omk_bron_config *cfg, const omk_sources_query *q)
{
    json_t *req;
    if (q->bsn)
        req = json_pack("{s:s}", "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn", q->bsn);
    else if (q->vestigingsnummer)
        req = json_pack("{s:s}", "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer",
                        q->vestigingsnummer);
    else
        return false;
    if (req) {
        json_object_set_new(req, "ordering", json_string("-startdatum"));
        json_object_set_new(req, "expand", json_string("status,status.statustype,zaaktype"));
    }
    join_url(c, cfg->url, "/zaken/_zoek");
    char *s = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (s)
        omk_buf_puts(&c->body, s);
    free(s);
    char jwt[2000];
    if (omk_sources_zgw_jwt(cfg->client_id, cfg->secret, q->user_id, q->user_representation,
                            now_ms() / 1000, jwt, sizeof jwt))
        add_header(c, "Authorization: Bearer %s", jwt);
    add_header(c, "Accept-Crs: %s", "EPSG:4326");
    add_header(c, "Content-Crs: %s", "EPSG:4326");
    return true;
}

static bool build_kvk(call *c, const omk_bron_config *cfg, const omk_sources_query *q)
{
    char path[96];
    if (q->vestigingsnummer)
        snprintf(path, sizeof path, "/zoeken?vestigingsnummer=%.12s", q->vestigingsnummer);
    else if (q->kvk_nummer)
        snprintf(path, sizeof path, "/zoeken?kvkNummer=%.8s", q->kvk_nummer);
    else
        return false;
    join_url(c, cfg->url, path);
    if (cfg->api_key)
        add_header(c, "apikey: %s", cfg->api_key);
    return true;
}

typedef bool (*build_fn)(call *c, const omk_bron_config *cfg, const omk_sources_query *q);
static const build_fn BUILDERS[OMK_BRON_COUNT] = {build_brp, build_zaken, build_kvk};

static void call_free(call *c)
{
    if (c->easy)
        curl_easy_cleanup(c->easy);
    curl_slist_free_all(c->headers);
    omk_buf_release(&c->body);
    omk_buf_release(&c->answer);
}

static bool call_prepare(call *c, omk_bron b, const omk_bron_config *cfg,
                         const omk_sources_query *q)
{
    omk_buf_init(&c->body, 64 * 1024);
    omk_buf_init(&c->answer, BODY_CAP);
    if (!BUILDERS[b](c, cfg, q) || c->body.rc)
        return false;
    c->easy = curl_easy_init();
    if (!c->easy)
        return false;
    omk_random_hex(c->out->span_id, 8);
    if (q->trace_id) {
        char tp[80];
        snprintf(tp, sizeof tp, "00-%.32s-%s-01", q->trace_id, c->out->span_id);
        add_header(c, "traceparent: %s", tp);
    }
    add_header(c, "Accept: %s", "application/json");
    if (c->body.n) {
        add_header(c, "Content-Type: %s", "application/json");
        curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body.p);
        curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)c->body.n);
    }
    curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS,
                     cfg->timeout_ms > 0 ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS);
    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, &c->answer);
    curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
    curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    return true;
}

/* Judges one finished transfer. */
static void call_finish(call *c, CURLcode res)
{
    omk_source_answer *o = c->out;
    o->end_ms = now_ms();
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    o->http_status = (int)status;
    if (res == CURLE_OPERATION_TIMEDOUT) {
        o->status = OMK_BRON_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "geen antwoord binnen de tijdslimiet");
        return;
    }
    if (res != CURLE_OK) {
        o->status = OMK_BRON_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", curl_easy_strerror(res));
        return;
    }
    if (status < 200 || status > 299) {
        o->status = OMK_BRON_ERROR;
        snprintf(o->detail, sizeof o->detail, "bron antwoordde met HTTP %ld", status);
        return;
    }
    json_error_t jerr;
    o->body = c->answer.n ? json_loadb(c->answer.p, c->answer.n, 0, &jerr) : NULL;
    if (!json_is_object(o->body)) {
        json_decref(o->body);
        o->body = NULL;
        o->status = OMK_BRON_ERROR;
        snprintf(o->detail, sizeof o->detail, "antwoord van de bron is geen JSON-object");
        return;
    }
    o->status = OMK_BRON_OK;
}

/* ---- the fetch thread: one curl multi handle for every klantbeeld in flight ---- */

typedef struct job {
    struct job *next;
    call calls[OMK_BRON_COUNT];
    int pending;
    omk_sources_done_fn done;
    void *arg;
} job;

static struct {
    pthread_mutex_t mu;
    pthread_t thread;
    CURLM *multi;
    job *incoming; /* queued by callers, taken by the thread */
    bool running, stopping;
} g_fetch = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void job_finish(job *j)
{
    for (int b = 0; b < OMK_BRON_COUNT; b++)
        call_free(&j->calls[b]);
    omk_sources_done_fn done = j->done;
    void *arg = j->arg;
    free(j);
    done(arg);
}

/* Adds the new jobs' transfers to the multi handle; a job without any finishes at once. */
static void take_incoming(int *running)
{
    pthread_mutex_lock(&g_fetch.mu);
    job *list = g_fetch.incoming;
    g_fetch.incoming = NULL;
    pthread_mutex_unlock(&g_fetch.mu);
    while (list) {
        job *j = list;
        list = j->next;
        for (int b = 0; b < OMK_BRON_COUNT; b++) {
            if (!j->calls[b].easy)
                continue;
            j->calls[b].out->start_ms = now_ms();
            curl_multi_add_handle(g_fetch.multi, j->calls[b].easy);
            (*running)++;
        }
        if (j->pending == 0)
            job_finish(j);
    }
}

static void *fetch_thread(void *unused)
{
    (void)unused;
    int running = 0;
    for (;;) {
        take_incoming(&running);
        pthread_mutex_lock(&g_fetch.mu);
        bool stop = g_fetch.stopping && !g_fetch.incoming && running == 0;
        pthread_mutex_unlock(&g_fetch.mu);
        if (stop)
            break;
        int still = 0;
        curl_multi_perform(g_fetch.multi, &still);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(g_fetch.multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            call *c = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
            call_finish(c, m->data.result);
            curl_multi_remove_handle(g_fetch.multi, m->easy_handle);
            running--;
            if (--c->job->pending == 0)
                job_finish(c->job);
        }
        curl_multi_poll(g_fetch.multi, NULL, 0, 1000, NULL);
    }
    return NULL;
}

omk_rc omk_sources_start(void)
{
    g_fetch.multi = curl_multi_init();
    if (!g_fetch.multi)
        return OMK_NOMEM;
    g_fetch.stopping = false;
    if (pthread_create(&g_fetch.thread, NULL, fetch_thread, NULL) != 0) {
        curl_multi_cleanup(g_fetch.multi);
        g_fetch.multi = NULL;
        return OMK_INTERNAL;
    }
    g_fetch.running = true;
    return OMK_OK;
}

void omk_sources_stop(void)
{
    if (!g_fetch.running)
        return;
    pthread_mutex_lock(&g_fetch.mu);
    g_fetch.stopping = true;
    pthread_mutex_unlock(&g_fetch.mu);
    curl_multi_wakeup(g_fetch.multi);
    pthread_join(g_fetch.thread, NULL); /* transfers in flight end by their own timeouts */
    curl_multi_cleanup(g_fetch.multi);
    g_fetch.multi = NULL;
    g_fetch.running = false;
}

omk_rc omk_sources_fetch_async(const omk_sources_config *cfg, const omk_sources_query *q,
                               omk_sources_result *out, omk_sources_done_fn done, void *arg)
{
    memset(out, 0, sizeof *out);
    job *j = calloc(1, sizeof *j);
    if (!j)
        return OMK_NOMEM;
    j->done = done;
    j->arg = arg;
    for (int b = 0; b < OMK_BRON_COUNT; b++) {
        const omk_bron_config *bc = &cfg->bron[b];
        if (!q->want[b] || !bc->url)
            continue;
        call *c = &j->calls[b];
        c->job = j;
        c->out = &out->a[b];
        if (!call_prepare(c, (omk_bron)b, bc, q)) {
            call_free(c);
            memset(c, 0, sizeof *c);
            continue; /* no subject for this source: not asked */
        }
        out->a[b].asked = true;
        j->pending++;
    }
    pthread_mutex_lock(&g_fetch.mu);
    bool ok = g_fetch.running && !g_fetch.stopping;
    if (ok) {
        j->next = g_fetch.incoming;
        g_fetch.incoming = j;
    }
    pthread_mutex_unlock(&g_fetch.mu);
    if (!ok) {
        for (int b = 0; b < OMK_BRON_COUNT; b++)
            call_free(&j->calls[b]);
        free(j);
        memset(out, 0, sizeof *out);
        return OMK_UNAVAILABLE;
    }
    curl_multi_wakeup(g_fetch.multi);
    return OMK_OK;
}

typedef struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
} waiter;

static void wake(void *arg)
{
    waiter *w = arg;
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

omk_rc omk_sources_fetch(const omk_sources_config *cfg, const omk_sources_query *q,
                         omk_sources_result *out)
{
    waiter w = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    omk_rc rc = omk_sources_fetch_async(cfg, q, out, wake, &w);
    if (rc)
        return rc;
    pthread_mutex_lock(&w.mu);
    while (!w.done)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    return OMK_OK;
}

void omk_sources_result_free(omk_sources_result *r)
{
    for (int b = 0; b < OMK_BRON_COUNT; b++) {
        json_decref(r->a[b].body);
        r->a[b].body = NULL;
    }
}
