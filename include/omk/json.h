/* Compact JSON output for jansson values, written straight into a capped omk_buf. Faster than
 * json_dumps for the API's large list bodies (no per-character callbacks). Output equals
 * json_dumps(v, JSON_COMPACT): UTF-8 kept as is, object keys in insertion order. */
#ifndef OMK_JSON_H
#define OMK_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "omk/buf.h"

/* Appends v to b. Failures (cap, memory) are left in b->rc. */
void omk_json_dump(omk_buf *b, const json_t *v);

/* Appends the n bytes at s as a JSON string literal (quotes and escapes as json_dumps). */
void omk_json_dump_string(omk_buf *b, const char *s, size_t n);
/* Appends i in decimal. */
void omk_json_dump_int(omk_buf *b, int64_t i);

/* Appends v as YAML 1.2 in block style, the same data (an OpenAPI document served as
 * openapi.yaml): two spaces of indentation, every key and string a double-quoted scalar with
 * JSON's escapes (valid YAML), empty containers as {} and []. Recursion follows v's depth:
 * for documents we wrote, not for untrusted input. */
void omk_json_dump_yaml(omk_buf *b, const json_t *v);

#endif
