/* An output-only JSON tree in a per-request arena: objects keep their keys in insertion order,
 * setting an existing key replaces its value in place (as jansson does), strings are not
 * copied (they must live as long as the arena). Building it costs bump allocations only, and
 * omk_jv_dump writes it compactly into an omk_buf; the output equals json_dumps(JSON_COMPACT)
 * of the same jansson tree. API bodies are built with it instead of jansson (no malloc/free
 * per value, no hash table per object). */
#ifndef OMK_JTREE_H
#define OMK_JTREE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "omk/arena.h"
#include "omk/buf.h"

typedef struct omk_jv omk_jv;

/* Constructors return NULL when the arena is exhausted; adding NULL is a no-op that marks the
 * container as failed (omk_jv_ok reports it), so callers may build freely and check once. */
omk_jv *omk_jv_object(omk_arena *a);
omk_jv *omk_jv_array(omk_arena *a);
omk_jv *omk_jv_null(omk_arena *a);
omk_jv *omk_jv_bool(omk_arena *a, bool v);
omk_jv *omk_jv_int(omk_arena *a, int64_t v);
/* A string of n bytes at s (valid UTF-8; not copied). */
omk_jv *omk_jv_strn(omk_arena *a, const char *s, size_t n);
omk_jv *omk_jv_str(omk_arena *a, const char *s);
/* Serialised JSON (one complete, compact value; not copied), dumped verbatim. */
omk_jv *omk_jv_raw(omk_arena *a, const char *s, size_t n);
/* A jansson value, dumped as it is; the tree takes the reference (released with the arena). */
omk_jv *omk_jv_jansson(omk_arena *a, json_t *v);

/* Appends to an array. */
void omk_jv_append(omk_jv *arr, omk_jv *v);
/* Sets key (not copied) in an object: replaces the value of an existing key in place, or
 * appends the key. */
void omk_jv_set(omk_jv *obj, const char *key, omk_jv *v);
void omk_jv_setn(omk_jv *obj, const char *key, size_t klen, omk_jv *v);
/* The value of key, or NULL. */
omk_jv *omk_jv_get(const omk_jv *obj, const char *key, size_t klen);
/* Removes key when present. */
void omk_jv_del(omk_jv *obj, const char *key);
bool omk_jv_is_object(const omk_jv *v);
/* False when a NULL value was added anywhere in v (out of memory while building). */
bool omk_jv_ok(const omk_jv *v);

/* Appends v compactly to b. */
void omk_jv_dump(omk_buf *b, const omk_jv *v);
/* Appends the members of object obj as `"key":value` pairs, each after a ',' unless *first
 * (which is then cleared): for writing an object piecewise. */
void omk_jv_dump_members(omk_buf *b, const omk_jv *obj, bool *first);
/* The same value as a new jansson value (for code that edits JSON with jansson). */
json_t *omk_jv_to_jansson(const omk_jv *v);

#endif
