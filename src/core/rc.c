/* Names of the status codes, for logs. */
#include "omk/rc.h"

const char *omk_rc_name(omk_rc rc)
{
    static const char *const names[] = {
        "OMK_OK",        "OMK_INVALID", "OMK_NOTFOUND", "OMK_CONFLICT", "OMK_TOOBIG",
        "OMK_UNAUTHORIZED", "OMK_FORBIDDEN", "OMK_BUSY", "OMK_IO", "OMK_UNAVAILABLE",
        "OMK_NOMEM",     "OMK_INTERNAL", "OMK_BAD_METHOD", "OMK_BAD_MEDIA_TYPE",
        "OMK_NOT_ACCEPTABLE", "OMK_PARSE_ERROR", "OMK_RATE_LIMITED",
        "OMK_URI_TOO_LONG", "OMK_HEADERS_TOO_LARGE", "OMK_AUTH_FAILED", "OMK_FULL",
        "OMK_UNSUPPORTED",
    };
    if ((unsigned)rc < sizeof names / sizeof names[0])
        return names[rc];
    return "OMK_?";
}
