/* The generic resource engine of the API layer: JSON ⇄ row through the declared tables,
 * validation that collects every error, the create/update/delete life cycle inside a store
 * transaction, and list queries with filters and pagination. Resource files add only their
 * own rules through omk_hooks. Runs on any thread; state lives in the omk_api_ctx. */
#ifndef OMK_API_RESOURCE_H
#define OMK_API_RESOURCE_H

#include <stdint.h>
#include <jansson.h>

#include "omk/jtree.h"
#include "omk/model.h"
#include "omk/store.h"

/* One field error, as the 400 answer lists it. */
typedef struct omk_api_err {
    struct omk_api_err *next;
    const char *name, *code, *reason;
} omk_api_err;

/* Context of one API operation: memory, absolute URL base, collected errors. */
typedef struct omk_api_ctx {
    omk_arena *a;
    const char *base_url; /* "http://host:port" */
    omk_api_err *errs, *errs_tail;
    size_t nerrs;
    const char *fail_detail; /* detail for a non-field failure (e.g. 404) */
    struct omk_prefetch *prefetch; /* rows loaded for a whole page (a list), or NULL */
    const char *principal;         /* name of the credential making the change ("" if none) */
    /* A row this request has just created (resource fresh_r, uuid fresh_uuid): bit i of
     * fresh_empty set means its REVERSE field i can have no children (the write inserted no
     * rows of that field's target), so showing it needs no query. */
    const struct omk_resource *fresh_r;
    const char *fresh_uuid;
    uint64_t fresh_empty;
    /* Field rules of the request's purpose (doelbinding): the OMK_ZICHT_* field flags whose
     * values are not shown, and whether an address under geheimhouding is hidden as well.
     * 0/false (a zeroed context: internal work) shows everything. */
    unsigned verberg;
    bool verberg_geheim;
} omk_api_ctx;

/* Loads, with one query per REVERSE field, the children of every row in `rows`, so that
 * serialising the page reads them from memory. The result lives in ctx (its arena); objects
 * it does not hold are read from the database as before. */
OMK_MUST_CHECK omk_rc omk_res_prefetch(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                       const omk_rowset *rows);
struct omk_expand;
/* As omk_res_prefetch, plus what the expansions `ex` of those rows will show (the rows each
 * expanded relation leads to, their embedded children, and so on down the paths), with one
 * query per relation and level instead of several per object. */
OMK_MUST_CHECK omk_rc omk_res_prefetch_ex(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                          const omk_rowset *rows, const struct omk_expand *ex);

/* For the page rows[0..n) of r that omk_res_prefetch loaded: calls fn(arg, v) for the value v
 * of column `col` of every child of those rows through r's REVERSE relation to table `table`
 * by column `via` (e.g. the partijen of the betrokkenen of a page of klantcontacten), and
 * returns true with fn's first failure in *rc. False (fn not called) when no prefetch holds
 * those children with that column: a child's references carry only the columns its
 * omk_resource.subjects name. */
bool omk_res_prefetched_column(const omk_api_ctx *ctx, const omk_resource *r, const omk_row *rows,
                               size_t n, const char *table, const char *via, const char *col,
                               omk_rc (*fn)(void *arg, const char *v), void *arg, omk_rc *rc);

typedef enum omk_write_mode { OMK_CREATE, OMK_PUT, OMK_PATCH } omk_write_mode;

/* True when the request's purpose hides field f in some rows (an address, contents): a
 * filter on it would tell what the answer hides, so it is refused. */
bool omk_res_field_hidden(const omk_api_ctx *ctx, const omk_field *f);

/* Adds a field error; name/code/reason are copied into the arena. */
void omk_api_err_add(omk_api_ctx *ctx, const char *name, const char *code, const char *reason);

struct omk_hooks {
    /* Cross-field and format rules on the merged row, before the database rules. */
    void (*check)(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                  json_t *body);
    /* Rules needing the database (uniqueness, referenced kinds) and side effects before the
     * row is written. Runs inside the write transaction. */
    omk_rc (*apply)(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                    const omk_row *old, json_t *body);
    /* Writes that depend on the stored row (nested children). Inside the transaction. */
    omk_rc (*after)(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                    const omk_row *old, json_t *body, omk_write_mode mode);
    /* Adds resource-specific read-only output to a serialised object. */
    omk_rc (*decorate)(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const omk_row *row,
                       json_t *obj);
    /* The same on the arena tree the object is built as (cheaper: decorate makes the object
     * go through jansson and back). A resource sets one of the two. */
    omk_rc (*decorate_jv)(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, omk_jv *obj);
    /* Refuses or prepares a delete. Inside the transaction. */
    omk_rc (*before_delete)(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                            const omk_row *row);
};

/* Parses `body` into a new row for r, checking types, lengths, enums and formats without
 * the database. Fields absent from the body are left unset (row->set[i] false). Returns
 * OMK_INVALID with errors in ctx, or OMK_OK. */
OMK_MUST_CHECK omk_rc omk_res_parse(omk_api_ctx *ctx, const omk_resource *r, json_t *body,
                                    omk_write_mode mode, omk_row **out);

/* Creates (old_uuid NULL) or updates the row inside a write transaction: merges with the
 * stored row, applies defaults, runs the hooks, checks references, writes, then returns the
 * stored object as JSON in *out. OMK_INVALID leaves errors in ctx. */
OMK_MUST_CHECK omk_rc omk_res_write(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                    omk_row *row, const char *old_uuid, json_t *body,
                                    omk_write_mode mode, json_t **out);

/* Deletes the row (cascades as the schema declares). */
OMK_MUST_CHECK omk_rc omk_res_delete(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                     const char *uuid);

/* The object as the API shows it: stored fields, reverse relations, computed values. */
OMK_MUST_CHECK omk_rc omk_res_to_json(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                      const omk_row *row, json_t **out);

/* Requested expansions: dotted paths relative to the object being serialised. */
typedef struct omk_expand {
    const char **paths;
    size_t n;
} omk_expand;

/* As omk_res_to_json, plus an `_expand` object holding the related objects named by `ex`
 * (to-many as arrays, [] when empty; to-one as an object or null), nested as deep as the
 * paths go. ex may be NULL. */
OMK_MUST_CHECK omk_rc omk_res_to_json_ex(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                         const omk_row *row, const omk_expand *ex, json_t **out);

/* As omk_res_to_json_ex, built as an arena tree (omk/jtree.h) that lives as long as ctx->a:
 * the answer's body is written from it without building jansson values. */
/* Writes objects of r as text, for list pages: what a page's objects share (their keys and
 * URL prefix, escaped) prepared once, in ctx's arena. NULL when r's objects are not flat (it
 * has gegevensgroepen) or are edited after they are built (a decorate hook), or out of memory:
 * then build them with omk_res_to_jv. */
typedef struct omk_res_writer omk_res_writer;
omk_res_writer *omk_res_writer_new(omk_api_ctx *ctx, const omk_resource *r);

/* Appends to b the object omk_res_to_jv builds for row without expansions, the same bytes,
 * written as it goes instead of as a tree. */
OMK_MUST_CHECK omk_rc omk_res_write_json(omk_db *db, omk_api_ctx *ctx, const omk_res_writer *w,
                                         const omk_row *row, omk_buf *b);

OMK_MUST_CHECK omk_rc omk_res_to_jv(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                    const omk_row *row, const omk_expand *ex, omk_jv **out);

/* Absolute URL of an object. */
const char *omk_res_url(omk_api_ctx *ctx, const omk_resource *r, const char *uuid);

/* The value of field `json` in row, or NULL when it is NULL/absent/unknown. */
const char *omk_row_text(const omk_resource *r, const omk_row *row, const char *json);
/* Reads the object `uuid` of r that a request refers to in field `field`; when it does not
 * exist, adds the field error the reference gives ("<Model> object bestaat niet.", code
 * does_not_exist) and returns OMK_INVALID. *out (may be NULL) gets the row. */
OMK_MUST_CHECK omk_rc omk_res_must_exist(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                         const char *uuid, const char *field, omk_row **out);

/* As omk_row_text, "" instead of NULL. */
const char *omk_row_text0(const omk_resource *r, const omk_row *row, const char *json);
/* Sets integer field `json` of row (and marks it set, for a PATCH-style update). */
void omk_row_set_int(const omk_resource *r, omk_row *row, const char *json, int64_t v);
/* Sets a field to a text value (copied into the arena) and marks it set. */
void omk_row_set_text(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const char *json,
                      const char *value);

#endif
