/* Query-string parsing: "a=1&b=x%20y" into ordered key/value pairs. Outside input: every
 * escape is checked, the result must be UTF-8 without NUL, and the count is capped. */
#include <string.h>

#include "http_int.h"
#include "omk/util.h"

#define MAX_QPARAMS 256

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into a new arena string; NULL on a bad escape, NUL or invalid UTF-8. */
static char *decode(omk_arena *a, const char *s, size_t n, bool plus_is_space)
{
    char *out = omk_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return NULL;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        out[k++] = c;
    }
    out[k] = 0;
    return omk_utf8_valid(out, k) ? out : NULL;
}

char *omk__http_decode_path(omk_arena *a, const char *s, size_t n)
{
    return decode(a, s, n, false);
}

omk_rc omk_query_parse(omk_arena *a, const char *raw, size_t n, omk_qparam **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        if (raw[i] == '&')
            cap++;
    if (cap > MAX_QPARAMS)
        return OMK_TOOBIG;
    omk_qparam *params = omk_arena_alloc(a, cap * sizeof *params);
    if (!params)
        return OMK_NOMEM;
    size_t k = 0;
    size_t start = 0;
    while (start < n) {
        size_t end = start;
        while (end < n && raw[end] != '&')
            end++;
        if (end > start) {
            size_t eq = start;
            while (eq < end && raw[eq] != '=')
                eq++;
            char *key = decode(a, raw + start, eq - start, true);
            char *val = eq < end ? decode(a, raw + eq + 1, end - eq - 1, true)
                                 : omk_arena_strdup(a, "");
            if (!key || !val)
                return OMK_INVALID;
            params[k].key = key;
            params[k].value = val;
            k++;
        }
        start = end + 1;
    }
    *out = params;
    *count = k;
    return OMK_OK;
}
