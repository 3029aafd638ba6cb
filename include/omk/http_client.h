/* Outbound HTTP (libcurl): a blocking JSON POST with a timeout, for notifications and
 * webhooks, and SMTP for outbound mail. Thread-safe after omk_http_client_init; each call uses its own easy handle. */
#ifndef OMK_HTTP_CLIENT_H
#define OMK_HTTP_CLIENT_H

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

/* Sends one e-mail over SMTP: `url` is "smtp://host:port" (or smtps://), `from` the envelope
 * sender, to[0..nto) the envelope recipients, `message` the complete RFC 5322 message (CRLF
 * line ends). Blocking, with a timeout. Returns OMK_OK when the server accepted the message,
 * OMK_UNAVAILABLE otherwise, with a one-line reason in err (may be NULL). */
OMK_MUST_CHECK omk_rc omk_smtp_send(const char *url, const char *from, const char *const *to,
                                    size_t nto, const char *message, size_t n, long timeout_ms,
                                    char *err, size_t errn);

#endif
