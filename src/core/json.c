/* Compact JSON writer for jansson values (see omk/json.h). Recursion depth is bounded by the
 * values the API builds (a few levels); input documents are never dumped with it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "omk/json.h"

/* Bytes that need an escape: control characters, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* True when one of the 8 bytes of w needs an escape: below 0x20, '"' or '\\'. Word-at-a-time
 * (the classic "has a byte less than n" and "has a zero byte" tests): response bodies are
 * mostly plain URLs and uuids, and the byte-by-byte scan was the largest single cost of
 * serialising a list page. */
static inline bool word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    uint64_t lt20 = (w - ones * 0x20) & ~w;
    uint64_t zq = (quote - ones) & ~quote, zs = (slash - ones) & ~slash;
    return ((lt20 | zq | zs) & highs) != 0;
}

/* True when no byte of s[0..n) needs an escape. */
static bool plain(const char *s, size_t n)
{
    size_t i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (word_needs_escape(w))
            return false;
    }
    for (; i < n; i++)
        if (needs_escape[(unsigned char)s[i]])
            return false;
    return true;
}

void omk_json_dump_string(omk_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* Most strings (keys, uuids, URLs, names) need no escape: one copy with the quotes. */
    if (b->rc == OMK_OK && b->p && b->n + n + 2 < b->cap && b->n + n + 2 <= b->max &&
        plain(s, n)) {
        char *d = b->p + b->n;
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        d[n + 2] = 0;
        b->n += n + 2;
        return;
    }
    omk_buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t w;
        while (i + 8 <= n && (memcpy(&w, s + i, 8), !word_needs_escape(w)))
            i += 8;
        if (i >= n)
            break;
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

void omk_json_dump_int(omk_buf *b, int64_t i)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0)
        tmp[sizeof tmp - 1 - n++] = '-';
    omk_buf_append(b, tmp + sizeof tmp - n, n);
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

/* ---- YAML ---- */

static bool yaml_container(const json_t *v)
{
    return (json_is_object(v) && json_object_size(v)) || (json_is_array(v) && json_array_size(v));
}

/* A value that fits on its line: a scalar, or an empty container. */
static void yaml_inline(omk_buf *b, const json_t *v)
{
    char num[40];
    switch (json_typeof(v)) {
    case JSON_OBJECT: omk_buf_puts(b, "{}"); break;
    case JSON_ARRAY: omk_buf_puts(b, "[]"); break;
    case JSON_STRING: omk_json_dump_string(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: omk_json_dump_int(b, (int64_t)json_integer_value(v)); break;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        omk_buf_puts(b, num);
        break;
    case JSON_TRUE: omk_buf_puts(b, "true"); break;
    case JSON_FALSE: omk_buf_puts(b, "false"); break;
    default: omk_buf_puts(b, "null"); break;
    }
}

static void yaml_indent(omk_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        omk_buf_putc(b, ' ');
}

static void yaml_block(omk_buf *b, const json_t *v, int indent);

/* What follows an entry's "key:" or "-": a container on the next lines, a value on this one. */
static void yaml_value(omk_buf *b, const json_t *v, int indent)
{
    if (yaml_container(v)) {
        omk_buf_putc(b, '\n');
        yaml_block(b, v, indent + 2);
    } else {
        omk_buf_putc(b, ' ');
        yaml_inline(b, v);
        omk_buf_putc(b, '\n');
    }
}

/* A non-empty container at indent, one line per entry. */
static void yaml_block(omk_buf *b, const json_t *v, int indent)
{
    const char *key;
    json_t *child;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, child) {
            yaml_indent(b, indent);
            omk_json_dump_string(b, key, strlen(key));
            omk_buf_putc(b, ':');
            yaml_value(b, child, indent);
        }
        return;
    }
    json_array_foreach(v, i, child) {
        yaml_indent(b, indent);
        omk_buf_putc(b, '-');
        yaml_value(b, child, indent);
    }
}

void omk_json_dump_yaml(omk_buf *b, const json_t *v)
{
    if (yaml_container(v)) {
        yaml_block(b, v, 0);
    } else {
        yaml_inline(b, v);
        omk_buf_putc(b, '\n');
    }
}
