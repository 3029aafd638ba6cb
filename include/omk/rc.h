/* The one status enum used inside Omnikanaal. Every fallible function returns an omk_rc;
 * exactly one table (src/http/problem.c) maps it to an HTTP status and problem type. */
#ifndef OMK_RC_H
#define OMK_RC_H

#define OMK_MUST_CHECK __attribute__((warn_unused_result))

typedef enum omk_rc {
    OMK_OK = 0,
    OMK_INVALID,      /* bad input from outside; details are in the request's error list */
    OMK_NOTFOUND,     /* the named object does not exist */
    OMK_CONFLICT,     /* a uniqueness or state rule refused the change */
    OMK_TOOBIG,       /* an input or buffer passed its cap */
    OMK_UNAUTHORIZED, /* no or unknown credentials */
    OMK_FORBIDDEN,    /* credentials lack the scope */
    OMK_BUSY,         /* the store could not take the work now; retry later */
    OMK_IO,           /* disk or database failure */
    OMK_UNAVAILABLE,  /* shutting down, or a dependency is down */
    OMK_NOMEM,        /* an allocation failed */
    OMK_INTERNAL,     /* a bug; logged with detail, reported without */
    /* protocol-level outcomes of the HTTP layer */
    OMK_BAD_METHOD,      /* the path exists, the method does not (405 with Allow) */
    OMK_BAD_MEDIA_TYPE,  /* the body is not JSON (415) */
    OMK_NOT_ACCEPTABLE,  /* the Accept header excludes JSON (406) */
    OMK_PARSE_ERROR,     /* the body is not well-formed JSON (400 parse_error) */
    OMK_RATE_LIMITED,    /* too many attempts from this caller; retry later (429) */
    OMK_URI_TOO_LONG,    /* the request URI passed the server's cap (414) */
    OMK_HEADERS_TOO_LARGE, /* the request headers passed the server's caps (431) */
    OMK_AUTH_FAILED,      /* credentials were given and are wrong: an unknown token (401,
                             AuthenticationFailed; OMK_UNAUTHORIZED: none were given) */
    OMK_FULL,             /* the storage is full: nothing was written (507) */
    OMK_UNSUPPORTED       /* the store's backend does not have this function (yet): nothing
                             was read or written (501) */
} omk_rc;

/* Returns a static English name for logs ("OMK_NOTFOUND"). */
const char *omk_rc_name(omk_rc rc);

#endif
