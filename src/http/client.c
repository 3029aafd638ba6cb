/* Outbound JSON POST and SMTP over libcurl (see omk/http_client.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "omk/http_client.h"

omk_rc omk_http_client_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? OMK_OK : OMK_INTERNAL;
}

void omk_http_client_cleanup(void)
{
    curl_global_cleanup();
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

omk_rc omk_http_post_json(const char *url, const char *authorization, const char *body, size_t n,
                          long timeout_ms, int *status, char *err, size_t errn)
{
    *status = 0;
    CURL *c = curl_easy_init();
    if (!c)
        return OMK_NOMEM;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    char auth[1024];
    if (authorization && *authorization) {
        snprintf(auth, sizeof auth, "Authorization: %s", authorization);
        h = curl_slist_append(h, auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)n);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode e = curl_easy_perform(c);
    omk_rc rc = OMK_OK;
    if (e == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        *status = (int)code;
    } else {
        rc = OMK_UNAVAILABLE;
        if (err && errn)
            snprintf(err, errn, "%s", curl_easy_strerror(e));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc;
}

typedef struct upload {
    const char *p;
    size_t left;
} upload;

static size_t read_upload(char *buf, size_t size, size_t n, void *ud)
{
    upload *u = ud;
    size_t k = size * n < u->left ? size * n : u->left;
    memcpy(buf, u->p, k);
    u->p += k;
    u->left -= k;
    return k;
}

/* True when url's host is this machine: 127.x.x.x, [::1] or localhost. */
static bool loopback_host(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *at = strchr(h, '@');
    if (at && at < h + strcspn(h, "/"))
        h = at + 1;
    return strncmp(h, "127.", 4) == 0 || strncmp(h, "[::1]", 5) == 0 ||
           (strncmp(h, "localhost", 9) == 0 && strchr(":/", h[9] ? h[9] : '/'));
}

omk_rc omk_smtp_check(const omk_smtp *server, char *why, size_t n)
{
    const char *url = server->url ? server->url : "";
    bool smtps = strncmp(url, "smtps://", 8) == 0;
    if (!smtps && strncmp(url, "smtp://", 7) != 0) {
        snprintf(why, n, "the mail server URL must start with smtp:// or smtps://");
        return OMK_INVALID;
    }
    if ((server->user != NULL) != (server->password != NULL)) {
        snprintf(why, n, "an SMTP user needs a password (OMNIKANAAL_SMTP_PASSWORD) and the other "
                         "way round");
        return OMK_INVALID;
    }
    if (server->password && !smtps && !server->starttls && !loopback_host(url)) {
        snprintf(why, n, "the SMTP password would cross the network unencrypted: use smtps:// "
                         "or --smtp-starttls");
        return OMK_INVALID;
    }
    return OMK_OK;
}

omk_rc omk_smtp_send(const omk_smtp *server, const char *from, const char *const *to,
                     size_t nto, const char *message, size_t n, long timeout_ms, char *err,
                     size_t errn)
{
    const char *url = server->url;
    CURL *c = curl_easy_init();
    if (!c)
        return OMK_NOMEM;
    struct curl_slist *rcpt = NULL;
    for (size_t i = 0; i < nto; i++)
        rcpt = curl_slist_append(rcpt, to[i]);
    upload u = {message, n};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (server->starttls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (server->user && server->password) {
        curl_easy_setopt(c, CURLOPT_USERNAME, server->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, server->password);
    }
    CURLcode e = curl_easy_perform(c);
    omk_rc rc = OMK_OK;
    if (e != CURLE_OK) {
        rc = OMK_UNAVAILABLE;
        if (err && errn)
            snprintf(err, errn, "%s", curl_easy_strerror(e));
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}
