/* stderr logging; each line goes out in one fwrite so threads do not interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "omk/log.h"

static void vlog(const char *level, const char *module, const char *fmt, va_list ap)
{
    char line[2048];
    int n = snprintf(line, sizeof line, "omnikanaal: %s: %s: ", level, module);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
}

void omk_log_info(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("info", module, fmt, ap);
    va_end(ap);
}

void omk_log_error(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error", module, fmt, ap);
    va_end(ap);
}

void omk_log_line(const char *line)
{
    size_t n = strlen(line);
    char buf[4096];
    if (n + 1 <= sizeof buf) {
        memcpy(buf, line, n);
        buf[n] = '\n';
        fwrite(buf, 1, n + 1, stderr);
    } else {
        flockfile(stderr);
        fwrite(line, 1, n, stderr);
        fputc('\n', stderr);
        funlockfile(stderr);
    }
}
