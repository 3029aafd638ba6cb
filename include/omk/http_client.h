/* Outbound HTTP (libcurl): a blocking JSON POST with a timeout, for notifications and
 * webhooks, and SMTP for outbound mail. Thread-safe after omk_http_client_init; each call uses its own easy handle. */
#ifndef OMK_HTTP_CLIENT_H
#define OMK_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "omk/rc.h"

/* Initialises libcurl once per process (call before starting threads). */
OMK_MUST_CHECK omk_rc omk_http_client_init(void);
void omk_http_client_cleanup(void);

/* POSTs `body` (JSON, n bytes) to `url` with optional `authorization` header value and a
 * traceparent. *status gets the HTTP status (0 when none arrived). Returns OMK_OK when a
 * response arrived (any status), OMK_UNAVAILABLE on connect/timeout errors; `err` (may be
 * NULL, size errn) gets a one-line reason. */
OMK_MUST_CHECK omk_rc omk_http_post_json(const char *url, const char *authorization,
                                         const char *body, size_t n, long timeout_ms,
                                         int *status, char *err, size_t errn);

/* An outbound mail server: `url` "smtp://host:port" (STARTTLS when `starttls`) or
 * "smtps://host:port" (TLS from the start); user and password for SMTP AUTH, or NULL. */
typedef struct omk_smtp {
    const char *url, *user, *password;
    bool starttls;
} omk_smtp;

/* Whether the settings are safe to use: a password only over TLS (smtps://, or STARTTLS
 * required), except to a mail server on this machine (127.0.0.0/8, ::1, localhost). Returns
 * OMK_OK, or OMK_INVALID with a one-line reason in why. */
OMK_MUST_CHECK omk_rc omk_smtp_check(const omk_smtp *server, char *why, size_t n);

/* Sends one e-mail over SMTP: `from` the envelope sender, to[0..nto) the envelope recipients,
 * `message` the complete RFC 5322 message (CRLF line ends). Blocking, with a timeout. Returns
 * OMK_OK when the server accepted the message, OMK_UNAVAILABLE otherwise, with a one-line
 * reason in err (may be NULL). */
OMK_MUST_CHECK omk_rc omk_smtp_send(const omk_smtp *server, const char *from,
                                    const char *const *to, size_t nto, const char *message,
                                    size_t n, long timeout_ms, char *err, size_t errn);

/* One outbound request whose answer is read: a GET, or a POST of the form `form`
 * (application/x-www-form-urlencoded, already encoded) when it is not NULL; with HTTP Basic
 * authentication when `user` is not NULL (user and password sent URL-encoded as RFC 6749 §2.3.1
 * asks). Only http and https, no redirects followed. *status gets the HTTP status, *body (caller
 * frees) at most `max` bytes of the answer, NUL-terminated. Returns OMK_OK when an answer
 * arrived, OMK_TOOBIG when it was longer than max, OMK_UNAVAILABLE on connect/timeout errors
 * with a one-line reason in err (may be NULL). */
OMK_MUST_CHECK omk_rc omk_http_fetch(const char *url, const char *form, const char *user,
                                     const char *password, long timeout_ms, size_t max,
                                     int *status, char **body, char *err, size_t errn);

#endif
