/* Output-only JSON tree in an arena (see omk/jtree.h). */
#include <stdint.h>
#include <string.h>

#include "omk/json.h"
#include "omk/jtree.h"

enum { J_NULL, J_TRUE, J_FALSE, J_INT, J_STR, J_OBJ, J_ARR, J_JANSSON, J_RAW };

struct omk_jv {
    unsigned char kind;
    bool failed; /* a NULL value was added to this container */
    const char *key;
    size_t klen;
    omk_jv *next;
    union {
        int64_t i;
        struct {
            const char *p;
            size_t n;
        } s;
        struct {
            omk_jv *first, *last;
            uint64_t keys; /* objects: bit key_bit(k) set for every key k ever set */
        } kids;
        json_t *j;
    } u;
};

static omk_jv *node(omk_arena *a, int kind)
{
    omk_jv *v = omk_arena_alloc(a, sizeof *v);
    if (v)
        v->kind = (unsigned char)kind;
    return v;
}

omk_jv *omk_jv_object(omk_arena *a) { return node(a, J_OBJ); }
omk_jv *omk_jv_array(omk_arena *a) { return node(a, J_ARR); }
omk_jv *omk_jv_null(omk_arena *a) { return node(a, J_NULL); }
omk_jv *omk_jv_bool(omk_arena *a, bool v) { return node(a, v ? J_TRUE : J_FALSE); }

omk_jv *omk_jv_int(omk_arena *a, int64_t i)
{
    omk_jv *v = node(a, J_INT);
    if (v)
        v->u.i = i;
    return v;
}

/* A node holding n bytes of text at s (not copied); NULL when s is. */
static omk_jv *text_node(omk_arena *a, int kind, const char *s, size_t n)
{
    omk_jv *v = s ? node(a, kind) : NULL;
    if (v) {
        v->u.s.p = s;
        v->u.s.n = n;
    }
    return v;
}

omk_jv *omk_jv_strn(omk_arena *a, const char *s, size_t n) { return text_node(a, J_STR, s, n); }
omk_jv *omk_jv_raw(omk_arena *a, const char *s, size_t n) { return text_node(a, J_RAW, s, n); }

omk_jv *omk_jv_str(omk_arena *a, const char *s)
{
    return omk_jv_strn(a, s, s ? strlen(s) : 0);
}

omk_jv *omk_jv_jansson(omk_arena *a, json_t *j)
{
    if (!j)
        return NULL;
    if (omk_arena_defer(a, (omk_cleanup_fn)json_decref, j))
        return NULL;
    omk_jv *v = node(a, J_JANSSON);
    if (v)
        v->u.j = j;
    return v;
}

/* A one-bit summary of a key: objects are built key by key and a set must replace an existing
 * key, so a clear bit spares the scan of the keys (a list page sets ~30 keys per object). */
static inline uint64_t key_bit(const char *key, size_t klen)
{
    unsigned h = klen ? (unsigned)klen * 31u + (unsigned char)key[0] * 7u +
                            (unsigned char)key[klen - 1]
                      : 0;
    return (uint64_t)1 << (h & 63);
}

static void link_last(omk_jv *c, omk_jv *v)
{
    v->next = NULL;
    if (c->u.kids.last)
        c->u.kids.last->next = v;
    else
        c->u.kids.first = v;
    c->u.kids.last = v;
}

void omk_jv_append(omk_jv *arr, omk_jv *v)
{
    if (!arr)
        return;
    if (!v) {
        arr->failed = true;
        return;
    }
    link_last(arr, v);
}

omk_jv *omk_jv_get(const omk_jv *obj, const char *key, size_t klen)
{
    if (!obj || obj->kind != J_OBJ || !(obj->u.kids.keys & key_bit(key, klen)))
        return NULL;
    for (omk_jv *k = obj->u.kids.first; k; k = k->next)
        if (k->klen == klen && memcmp(k->key, key, klen) == 0)
            return k;
    return NULL;
}

void omk_jv_setn(omk_jv *obj, const char *key, size_t klen, omk_jv *v)
{
    if (!obj)
        return;
    if (!v) {
        obj->failed = true;
        return;
    }
    v->key = key;
    v->klen = klen;
    uint64_t bit = key_bit(key, klen);
    if (!(obj->u.kids.keys & bit)) {
        obj->u.kids.keys |= bit;
        link_last(obj, v);
        return;
    }
    omk_jv *prev = NULL;
    for (omk_jv *k = obj->u.kids.first; k; prev = k, k = k->next) {
        if (k->klen != klen || memcmp(k->key, key, klen) != 0)
            continue;
        /* Replace in place: v takes k's position. */
        v->next = k->next;
        if (prev)
            prev->next = v;
        else
            obj->u.kids.first = v;
        if (obj->u.kids.last == k)
            obj->u.kids.last = v;
        return;
    }
    link_last(obj, v);
}

void omk_jv_set(omk_jv *obj, const char *key, omk_jv *v)
{
    omk_jv_setn(obj, key, strlen(key), v);
}

void omk_jv_del(omk_jv *obj, const char *key)
{
    if (!obj || obj->kind != J_OBJ)
        return;
    size_t klen = strlen(key);
    omk_jv *prev = NULL;
    for (omk_jv *k = obj->u.kids.first; k; prev = k, k = k->next) {
        if (k->klen != klen || memcmp(k->key, key, klen) != 0)
            continue;
        if (prev)
            prev->next = k->next;
        else
            obj->u.kids.first = k->next;
        if (obj->u.kids.last == k)
            obj->u.kids.last = prev;
        return;
    }
}

bool omk_jv_is_object(const omk_jv *v) { return v && v->kind == J_OBJ; }

bool omk_jv_ok(const omk_jv *v)
{
    if (!v || v->failed)
        return false;
    if (v->kind == J_OBJ || v->kind == J_ARR)
        for (omk_jv *k = v->u.kids.first; k; k = k->next)
            if (!omk_jv_ok(k))
                return false;
    return true;
}

void omk_jv_dump(omk_buf *b, const omk_jv *v)
{
    if (v->failed && b->rc == OMK_OK)
        b->rc = OMK_NOMEM;
    switch (v->kind) {
    case J_NULL: omk_buf_append(b, "null", 4); break;
    case J_TRUE: omk_buf_append(b, "true", 4); break;
    case J_FALSE: omk_buf_append(b, "false", 5); break;
    case J_INT: omk_json_dump_int(b, v->u.i); break;
    case J_STR: omk_json_dump_string(b, v->u.s.p, v->u.s.n); break;
    case J_RAW: omk_buf_append(b, v->u.s.p, v->u.s.n); break;
    case J_JANSSON: omk_json_dump(b, v->u.j); break;
    case J_OBJ:
    case J_ARR: {
        bool obj = v->kind == J_OBJ;
        omk_buf_putc(b, obj ? '{' : '[');
        for (omk_jv *k = v->u.kids.first; k; k = k->next) {
            if (k != v->u.kids.first)
                omk_buf_putc(b, ',');
            if (obj) {
                omk_json_dump_string(b, k->key, k->klen);
                omk_buf_putc(b, ':');
            }
            omk_jv_dump(b, k);
        }
        omk_buf_putc(b, obj ? '}' : ']');
        break;
    }
    }
}

void omk_jv_dump_members(omk_buf *b, const omk_jv *obj, bool *first)
{
    if (obj->failed && b->rc == OMK_OK)
        b->rc = OMK_NOMEM;
    for (omk_jv *k = obj->u.kids.first; k; k = k->next) {
        if (!*first)
            omk_buf_putc(b, ',');
        *first = false;
        omk_json_dump_string(b, k->key, k->klen);
        omk_buf_putc(b, ':');
        omk_jv_dump(b, k);
    }
}

json_t *omk_jv_to_jansson(const omk_jv *v)
{
    if (!v || v->failed)
        return NULL;
    switch (v->kind) {
    case J_NULL: return json_null();
    case J_TRUE: return json_true();
    case J_FALSE: return json_false();
    case J_INT: return json_integer(v->u.i);
    case J_STR: return json_stringn(v->u.s.p, v->u.s.n);
    case J_RAW: return json_loadb(v->u.s.p, v->u.s.n, JSON_DECODE_ANY, NULL);
    case J_JANSSON: return json_deep_copy(v->u.j);
    case J_OBJ: {
        json_t *o = json_object();
        for (omk_jv *k = v->u.kids.first; o && k; k = k->next) {
            json_t *kv = omk_jv_to_jansson(k);
            if (!kv || json_object_setn_new(o, k->key, k->klen, kv)) {
                json_decref(o);
                return NULL;
            }
        }
        return o;
    }
    case J_ARR: {
        json_t *arr = json_array();
        for (omk_jv *k = v->u.kids.first; arr && k; k = k->next) {
            json_t *kv = omk_jv_to_jansson(k);
            if (!kv || json_array_append_new(arr, kv)) {
                json_decref(arr);
                return NULL;
            }
        }
        return arr;
    }
    }
    return NULL;
}
