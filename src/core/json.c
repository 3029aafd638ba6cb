/* Compact JSON writer for jansson values (see omk/json.h). Recursion depth is bounded by the
 * values the API builds (a few levels); input documents are never dumped with it. */
#include <stdio.h>
#include <string.h>

#include "omk/json.h"

/* Bytes that need an escape: control characters, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

void omk_json_dump_string(omk_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    omk_buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape[c])
            continue;
        omk_buf_append(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': omk_buf_append(b, "\\\"", 2); break;
        case '\\': omk_buf_append(b, "\\\\", 2); break;
        case '\n': omk_buf_append(b, "\\n", 2); break;
        case '\r': omk_buf_append(b, "\\r", 2); break;
        case '\t': omk_buf_append(b, "\\t", 2); break;
        case '\b': omk_buf_append(b, "\\b", 2); break;
        case '\f': omk_buf_append(b, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            omk_buf_append(b, u, 6);
        }
        }
    }
    omk_buf_append(b, s + start, n - start);
    omk_buf_putc(b, '"');
}

void omk_json_dump(omk_buf *b, const json_t *v)
{
    char num[40];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *item;
        bool first = true;
        omk_buf_putc(b, '{');
        json_object_foreach((json_t *)v, key, item)
        {
            if (!first)
                omk_buf_putc(b, ',');
            first = false;
            omk_json_dump_string(b, key, strlen(key));
            omk_buf_putc(b, ':');
            omk_json_dump(b, item);
        }
        omk_buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY:
        omk_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                omk_buf_putc(b, ',');
            omk_json_dump(b, json_array_get(v, i));
        }
        omk_buf_putc(b, ']');
        break;
    case JSON_STRING:
        omk_json_dump_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        omk_buf_puts(b, num);
        break;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        omk_buf_puts(b, num);
        break;
    case JSON_TRUE:
        omk_buf_append(b, "true", 4);
        break;
    case JSON_FALSE:
        omk_buf_append(b, "false", 5);
        break;
    case JSON_NULL:
        omk_buf_append(b, "null", 4);
        break;
    }
}
