/* The JSON body of a request: parsed once, by the server before the handler of a body route
 * (or on demand for a route that reads its body raw first), with the errors the reference
 * implementation gives — a parse error, a body that is not an object, and (unlike jansson's
 * default, which keeps the last) a key twice in one object, named by its path. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "omk/buf.h"

#define KEY_PATH_DEPTH 32

/* The decoded text of the JSON string token s[0..n) (quotes included), in the arena. */
static const char *token_text(omk_arena *a, const char *s, size_t n)
{
    json_t *v = json_loadb(s, n, JSON_DECODE_ANY, NULL);
    const char *out = json_is_string(v) ? omk_arena_strdup(a, json_string_value(v)) : NULL;
    json_decref(v);
    return out;
}

/* Where jansson found a duplicate key: the key whose string token ends at byte `end` of the
 * body. The body up to there is well-formed (jansson read it), so a plain scan that tracks
 * objects, arrays and each object's current key finds the path to it. *path gets the dotted
 * path the field errors use ("partijIdentificatie.contactnaam.voornaam", array elements by
 * index), *key the key itself; both NULL when the scan cannot tell (deeper than
 * KEY_PATH_DEPTH). */
static void duplicate_key_path(omk_arena *a, const char *s, size_t end, const char **path,
                               const char **key)
{
    struct {
        bool object, want_key;
        size_t index;
        const char *key; /* token of the current key (quotes included) */
        size_t key_n;
    } st[KEY_PATH_DEPTH];
    int depth = 0;
    *path = *key = NULL;
    for (size_t i = 0; i < end; i++) {
        char c = s[i];
        if (c == '{' || c == '[') {
            if (depth == KEY_PATH_DEPTH)
                return;
            st[depth].object = c == '{';
            st[depth].want_key = c == '{';
            st[depth].index = 0;
            st[depth].key = NULL;
            st[depth].key_n = 0;
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        } else if (c == ',' && depth > 0) {
            if (st[depth - 1].object)
                st[depth - 1].want_key = true;
            else
                st[depth - 1].index++;
        } else if (c == ':' && depth > 0) {
            st[depth - 1].want_key = false;
        } else if (c == '"') {
            size_t j = i + 1;
            while (j < end && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            if (depth > 0 && st[depth - 1].object && st[depth - 1].want_key) {
                st[depth - 1].key = s + i;
                st[depth - 1].key_n = j + 1 - i;
            }
            i = j;
        }
    }
    if (depth == 0 || !st[depth - 1].object || !st[depth - 1].key)
        return;
    omk_buf b;
    omk_buf_init(&b, 4096);
    for (int d = 0; d < depth; d++) {
        const char *k = st[d].object ? token_text(a, st[d].key, st[d].key_n) : NULL;
        if (st[d].object && !k) {
            omk_buf_release(&b);
            return;
        }
        if (d)
            omk_buf_putc(&b, '.');
        if (k)
            omk_buf_puts(&b, k);
        else
            omk_buf_printf(&b, "%zu", st[d].index);
        if (d == depth - 1)
            *key = k;
    }
    *path = b.rc ? NULL : omk_arena_strndup(a, b.p, b.n);
    if (!*path)
        *key = NULL;
    omk_buf_release(&b);
}

/* Refuses a body with a key twice in one object (RFC 8259 leaves the meaning open; jansson
 * would keep the last): a 400 parse error naming the key, so a client never has a value it
 * sent silently ignored. */
static omk_rc refuse_duplicate(omk_req *req, const char *body, size_t n, size_t end)
{
    omk_arena *a = omk_req_arena(req);
    const char *path = NULL, *key = NULL;
    duplicate_key_path(a, body, end < n ? end : n, &path, &key);
    const char *reason =
        key ? omk_arena_printf(a, "Dubbele sleutel \"%s\" in de JSON-body.", key)
            : "Een sleutel komt twee keer voor in hetzelfde object van de JSON-body.";
    omk_req_invalid(req, path ? path : "nonFieldErrors", "duplicate_key",
                    reason ? reason : "Dubbele sleutel in de JSON-body.");
    omk_req_fail(req, "parse_error",
                 omk_arena_printf(a, "JSON parse error - %s",
                                  reason ? reason : "dubbele sleutel"));
    return OMK_PARSE_ERROR;
}

omk_rc omk_req_parse_json(omk_req *req, json_t **out)
{
    if (req->json) {
        *out = req->json;
        return OMK_OK;
    }
    size_t n = 0;
    const char *body = omk_req_body(req, &n);
    json_error_t err;
    json_t *v = body ? json_loadb(body, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err)
                     : NULL;
    if (!v && body && json_error_code(&err) == json_error_duplicate_key && err.position >= 0)
        return refuse_duplicate(req, body, n, (size_t)err.position);
    if (!v) {
        char detail[256];
        snprintf(detail, sizeof detail, "JSON parse error - %s", body ? err.text : "lege body");
        omk_req_fail(req, "parse_error", detail);
        return OMK_PARSE_ERROR;
    }
    if (!json_is_object(v)) {
        const char *t = json_is_array(v) ? "list" : json_is_string(v) ? "str" : "waarde";
        char reason[128];
        snprintf(reason, sizeof reason, "Ongeldige data. Verwacht een dictionary, kreeg een %s.", t);
        json_decref(v);
        omk_req_invalid(req, "nonFieldErrors", "invalid", reason);
        return OMK_INVALID;
    }
    if (omk_arena_defer(omk_req_arena(req), (omk_cleanup_fn)json_decref, v))
        return OMK_NOMEM;
    req->json = v;
    *out = v;
    return OMK_OK;
}

json_t *omk_req_json(const omk_req *req)
{
    return req->json;
}

