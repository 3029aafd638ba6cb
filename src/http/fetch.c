/* Outbound requests whose answer is read (omk_http_fetch, see omk/http_client.h): what an
 * OpenID Connect client needs for discovery, the key set and the token endpoint. Any thread
 * after omk_http_client_init; each call uses its own easy handle. */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/http_client.h"

typedef struct sink {
    char *p;
    size_t n, max;
    bool over;
} sink;

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    sink *s = ud;
    size_t k = size * n;
    if (s->n + k > s->max) {
        s->over = true;
        return 0;
    }
    char *q = realloc(s->p, s->n + k + 1);
    if (!q)
        return 0;
    memcpy(q + s->n, p, k);
    s->p = q;
    s->n += k;
    s->p[s->n] = 0;
    return k;
}

omk_rc omk_http_fetch(const char *url, const char *form, const char *user, const char *password,
                      long timeout_ms, size_t max, int *status, char **body, char *err,
                      size_t errn)
{
    *status = 0;
    *body = NULL;
    CURL *c = curl_easy_init();
    if (!c)
        return OMK_NOMEM;
    sink s = {.max = max};
    char *eu = NULL, *ep = NULL, *userpwd = NULL;
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    omk_rc rc = OMK_OK;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (form)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (user) {
        /* RFC 6749 §2.3.1: client id and secret are form-encoded before Basic. */
        eu = curl_easy_escape(c, user, 0);
        ep = curl_easy_escape(c, password ? password : "", 0);
        size_t n = (eu ? strlen(eu) : 0) + (ep ? strlen(ep) : 0) + 2;
        userpwd = malloc(n);
        if (!eu || !ep || !userpwd) {
            rc = OMK_NOMEM;
            goto out;
        }
        snprintf(userpwd, n, "%s:%s", eu, ep);
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
    }
    CURLcode e = curl_easy_perform(c);
    if (s.over) {
        rc = OMK_TOOBIG;
        if (err && errn)
            snprintf(err, errn, "the answer is longer than %zu bytes", max);
    } else if (e != CURLE_OK) {
        rc = OMK_UNAVAILABLE;
        if (err && errn)
            snprintf(err, errn, "%s", curl_easy_strerror(e));
    } else {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        *status = (int)code;
        *body = s.p ? s.p : calloc(1, 1);
        s.p = NULL;
        if (!*body)
            rc = OMK_NOMEM;
    }
out:
    free(s.p);
    free(userpwd);
    curl_free(eu);
    curl_free(ep);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc;
}
