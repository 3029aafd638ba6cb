/* Generic HTTP handlers for declared resources: list, create, read, replace, update, delete.
 * Each handler parses on the request thread and runs database work through the store: reads
 * on a pooled connection, writes on the writer thread (group commit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/logboek.h"
#include "engine/engine.h"
#include "engine/doelbinding.h"
#include "engine/toegang.h"
#include "omk/buf.h"
#include "omk/util.h"

#define DEFAULT_PAGE_SIZE 100
#define MAX_PAGE_SIZE 500

void omk__ctx_init(omk_api_ctx *ctx, omk_req *req)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->a = omk_req_arena(req);
    ctx->base_url = omk_req_base_url(req);
    ctx->principal = omk_req_principal(req);
    const omk_doel *d = omk__req_doel(req);
    if (d)
        omk__ctx_zicht(ctx, d->zie);
}

void omk__ctx_zicht(omk_api_ctx *ctx, unsigned zie)
{
    ctx->verberg = ((zie & OMK_ZIE_ADRES) ? 0 : OMK_ZICHT_ADRES) |
                   ((zie & OMK_ZIE_INHOUD) ? 0 : OMK_ZICHT_INHOUD);
    ctx->verberg_geheim = !(zie & OMK_ZIE_GEHEIM_ADRES);
}

/* Moves the context's field errors into the request's 400 answer. */
omk_rc omk__finish(omk_req *req, omk_api_ctx *ctx, omk_rc rc)
{
    for (omk_api_err *e = ctx->errs; e; e = e->next)
        omk_req_invalid(req, e->name, e->code, e->reason);
    if (rc == OMK_OK && ctx->nerrs)
        rc = OMK_INVALID;
    if (ctx->fail_detail)
        omk_req_fail(req, NULL, ctx->fail_detail);
    /* A write the storage refused: say why (the file gone or read-only, the disk full). */
    char why[256];
    if ((rc == OMK_FULL || rc == OMK_UNAVAILABLE) && !ctx->fail_detail &&
        omk_store_storage(omk__store(req), why, sizeof why) != OMK_OK)
        omk_req_fail(req, rc == OMK_FULL ? "opslag_vol" : "opslag_niet_beschikbaar", why);
    return rc;
}

/* Validates that the uuid path parameter is a uuid; otherwise the object cannot exist. */
omk_rc omk__path_uuid(omk_req *req, const char **out)
{
    const char *u = omk_req_param(req, 0);
    if (!u || !omk_uuid_valid(u, strlen(u)))
        return OMK_NOTFOUND;
    char *lower = omk_arena_strdup(omk_req_arena(req), u);
    if (!lower)
        return OMK_NOMEM;
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    *out = lower;
    return OMK_OK;
}

/* ---- query parameters ---- */

typedef struct list_params {
    long long page;
    int page_size;
    omk_filter_arg *filters;
    size_t nfilters;
    omk_expand expand;
} list_params;

static bool expand_allowed(const omk_resource *r, const char *v, size_t n)
{
    for (const char *const *e = r->expands; e && *e; e++)
        if (strlen(*e) == n && memcmp(*e, v, n) == 0)
            return true;
    return false;
}

/* Adds the comma-separated values of one expand parameter; empty values are ignored, as
 * KISS sends "expand=" and the reference accepts it. */
static void add_expand(omk_api_ctx *ctx, const omk_resource *r, const char *v, list_params *lp,
                       size_t cap)
{
    while (*v) {
        const char *comma = strchr(v, ',');
        size_t n = comma ? (size_t)(comma - v) : strlen(v);
        if (n && !expand_allowed(r, v, n)) {
            char *msg = omk_arena_printf(ctx->a, "Ongeldige expand waarde: %.*s.", (int)(n > 100 ? 100 : n), v);
            omk_api_err_add(ctx, "expand", "invalid", msg ? msg : "");
        } else if (n && lp->expand.n < cap) {
            lp->expand.paths[lp->expand.n++] = omk_arena_strndup(ctx->a, v, n);
        }
        if (!comma)
            break;
        v = comma + 1;
    }
}

static const omk_field *final_field(const omk_resource *r, const char *path)
{
    const char *slash;
    while ((slash = strchr(path, '/'))) {
        char seg[128];
        size_t n = (size_t)(slash - path);
        if (n >= sizeof seg)
            return NULL;
        memcpy(seg, path, n);
        seg[n] = 0;
        int i = omk_model_field_index(r, seg);
        if (i < 0 || !r->fields[i].target)
            return NULL;
        r = r->fields[i].target;
        path = slash + 1;
    }
    int i = omk_model_field_index(r, path);
    return i >= 0 ? &r->fields[i] : NULL;
}

/* Checks a filter value against the type of what it compares. */
static void check_filter_value(omk_api_ctx *ctx, const omk_resource *r, const omk_filter *f,
                               const char *v)
{
    char msg[200];
    if (f->op == OMK_OP_NOTNULL || f->op == OMK_OP_EXISTS) {
        if (strcmp(v, "true") && strcmp(v, "false")) {
            snprintf(msg, sizeof msg, "Voer een geldige waarde in (true of false).");
            omk_api_err_add(ctx, f->name, "invalid", msg);
        }
        return;
    }
    if (f->op == OMK_OP_UUID_URL)
        return;
    const char *last = strrchr(f->path, '/');
    last = last ? last + 1 : f->path;
    if (strcmp(last, "uuid") == 0) {
        if (!omk_uuid_valid(v, strlen(v)))
            omk_api_err_add(ctx, f->name, "invalid", "Voer een geldige UUID in.");
        return;
    }
    const omk_field *ff = final_field(r, f->path);
    if (!ff)
        return;

    int64_t tmp;
    if (ff->type == OMK_F_BOOL && strcmp(v, "true") && strcmp(v, "false"))
        omk_api_err_add(ctx, f->name, "invalid", "Voer een geldige waarde in (true of false).");
    else if (ff->type == OMK_F_DATETIME && !omk_time_parse(v, strlen(v), &tmp))
        omk_api_err_add(ctx, f->name, "invalid", "Voer een geldige datum/tijd in.");
    else if (ff->type == OMK_F_DATE && !omk_date_valid(v, strlen(v)))
        omk_api_err_add(ctx, f->name, "invalid", "Voer een geldige datum in.");
    /* Choices are checked on the resource's own fields only; through a relation the
     * reference treats the value as free text (no match, not an error). */
    else if (ff->type == OMK_F_ENUM && !strchr(f->path, '/') && !omk_model_choice_valid(ff, v)) {
        snprintf(msg, sizeof msg, "Selecteer een geldige keuze. %.80s is geen beschikbare keuze.", v);
        omk_api_err_add(ctx, f->name, "invalid_choice", msg);
    }
}

/* Whether filter f compares a field the request's purpose hides (omk_res_field_hidden). */
static bool filter_hidden(const omk_api_ctx *ctx, const omk_resource *r, const omk_filter *f)
{
    if (f->op == OMK_OP_UUID_URL || f->op == OMK_OP_EXISTS)
        return false;
    const omk_field *ff = final_field(r, f->path);
    return ff && omk_res_field_hidden(ctx, ff);
}

static const omk_filter *find_filter(const omk_resource *r, const char *name)
{
    for (size_t i = 0; i < r->nfilters; i++)
        if (strcmp(r->filters[i].name, name) == 0)
            return &r->filters[i];
    return NULL;
}

/* Parses list or detail query parameters. Unknown names → one 400 listing them all. */
static omk_rc parse_params(omk_req *req, omk_api_ctx *ctx, const omk_resource *r, bool list,
                           list_params *lp)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    omk_buf unknown;
    omk_buf_init(&unknown, 4096);
    memset(lp, 0, sizeof *lp);
    lp->page = 1;
    lp->page_size = DEFAULT_PAGE_SIZE;
    lp->filters = omk_arena_alloc(ctx->a, (n ? n : 1) * sizeof *lp->filters);
    lp->expand.paths = omk_arena_alloc(ctx->a, 64 * sizeof *lp->expand.paths);
    if (!lp->filters || !lp->expand.paths)
        return OMK_NOMEM;
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < n; i++) {
        const char *k = q[i].key, *v = q[i].value;
        const omk_filter *f = list ? find_filter(r, k) : NULL;
        if (strcmp(k, "expand") == 0 && (list || strcmp(omk_req_method(req), "GET") == 0 ||
                                         strcmp(omk_req_method(req), "HEAD") == 0)) {
            add_expand(ctx, r, v, lp, 64);
        } else if (list && strcmp(k, "page") == 0) {
            int64_t p = 0;
            if (!omk_parse_uint(v, strlen(v), &p) || p < 1) {
                ctx->fail_detail = "Ongeldige pagina.";
                rc = OMK_NOTFOUND;
            } else {
                lp->page = p;
            }
        } else if (list && strcmp(k, "pageSize") == 0) {
            int64_t s = 0;
            if (omk_parse_uint(v, strlen(v), &s) && s > 0)
                lp->page_size = s > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : (int)s;
        } else if (f && filter_hidden(ctx, r, f)) {
            ctx->fail_detail = omk_arena_printf(
                ctx->a, "Uw verwerkingsactiviteit geeft geen inzage in het veld van filter %s; "
                        "er kan niet op worden gefilterd.", k);
            rc = OMK_FORBIDDEN;
        } else if (f) {
            check_filter_value(ctx, r, f, v);
            lp->filters[lp->nfilters++] = (omk_filter_arg){f, v};
        } else {
            omk_buf_printf(&unknown, "%s%s", unknown.n ? ", " : "", k);
        }
    }
    if (unknown.n) {
        char *msg = omk_arena_printf(ctx->a, "Onbekende query parameters: %s", unknown.p);
        ctx->errs = NULL;
        ctx->errs_tail = NULL;
        ctx->nerrs = 0;
        omk_api_err_add(ctx, "nonFieldErrors", "unknown-parameters", msg ? msg : "");
    }
    omk_buf_release(&unknown);
    if (ctx->nerrs)
        return OMK_INVALID;
    return rc;
}

/* ---- list ---- */

typedef struct list_job {
    omk_api_ctx *ctx;
    const omk_resource *r;
    omk_query q;
    long long count;
    omk_jv *results;
    const omk_expand *expand;
    omk_ldv_actie *ldv; /* the Logboek's action: the page's persons are added to it */
} list_job;

/* The page's objects written straight into one JSON array (omk_res_write_json), for flat
 * resources without expansions: the same bytes as the tree, without building it. */
static omk_rc write_results(omk_db *db, list_job *j, const omk_res_writer *w,
                            const omk_rowset *rows)
{
    omk_buf b;
    omk_buf_init(&b, 256 * 1024 * 1024);
    (void)omk_buf_reserve(&b, 1024 + rows->n * 1024);
    omk_buf_putc(&b, '[');
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < rows->n; i++) {
        if (i)
            omk_buf_putc(&b, ',');
        rc = omk_res_write_json(db, j->ctx, w, &rows->rows[i], &b);
    }
    omk_buf_putc(&b, ']');
    size_t n = b.n;
    char *text = rc ? NULL : omk_buf_take(&b);
    omk_buf_release(&b);
    if (rc)
        return rc;
    if (!text || omk_arena_defer(j->ctx->a, free, text)) {
        free(text);
        return OMK_NOMEM;
    }
    j->results = omk_jv_raw(j->ctx->a, text, n);
    return j->results ? OMK_OK : OMK_NOMEM;
}

static omk_rc run_list(omk_db *db, void *arg)
{
    list_job *j = arg;
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, j->r, &j->q, j->ctx->a, &rows, &j->count);
    if (!rc && rows.n > 1)
        rc = omk_res_prefetch_ex(db, j->ctx, j->r, &rows, j->expand);
    if (!rc)
        rc = omk__ldv_page(db, j->ctx, j->ldv, j->r, rows.rows, rows.n);
    omk_res_writer *w = NULL;
    if (!rc && (!j->expand || !j->expand->n) && (w = omk_res_writer_new(j->ctx, j->r)))
        return write_results(db, j, w, &rows);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        omk_jv *o = NULL;
        rc = omk_res_to_jv(db, j->ctx, j->r, &rows.rows[i], j->expand, &o);
        if (!rc)
            omk_jv_append(j->results, o);
    }
    return rc;
}

static int cmp_params(const void *a, const void *b)
{
    return strcmp(((const omk_qparam *)a)->key, ((const omk_qparam *)b)->key);
}

static void url_encode(omk_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-_.~", c))
            omk_buf_putc(b, (char)c);
        else
            omk_buf_printf(b, "%%%02X", c);
    }
}

const char *omk__page_link(omk_req *req, omk_api_ctx *ctx, long long page)
{
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    omk_qparam *sorted = omk_arena_alloc(ctx->a, (n + 1) * sizeof *sorted);
    if (!sorted)
        return NULL;
    size_t k = 0;
    char *pg = omk_arena_printf(ctx->a, "%lld", page);
    if (page > 1)
        sorted[k++] = (omk_qparam){"page", pg};
    for (size_t i = 0; i < n; i++)
        if (strcmp(q[i].key, "page") != 0)
            sorted[k++] = q[i];
    qsort(sorted, k, sizeof *sorted, cmp_params);
    omk_buf b;
    omk_buf_init(&b, 16384);
    omk_buf_printf(&b, "%s%s", ctx->base_url, omk_req_path(req));
    for (size_t i = 0; i < k; i++) {
        omk_buf_putc(&b, i ? '&' : '?');
        url_encode(&b, sorted[i].key);
        omk_buf_putc(&b, '=');
        url_encode(&b, sorted[i].value);
    }
    const char *s = b.rc ? NULL : omk_arena_strndup(ctx->a, b.p, b.n);
    omk_buf_release(&b);
    return s;
}

/* A page link as a tree value (null when it could not be built). */
static omk_jv *page_link(omk_req *req, omk_api_ctx *ctx, long long page)
{
    const char *s = omk__page_link(req, ctx, page);
    return s ? omk_jv_str(ctx->a, s) : omk_jv_null(ctx->a);
}

omk_rc omk__res_list_with(omk_req *req, const omk_filter_arg *extra, size_t nextra)
{
    const omk_resource *r = omk_req_data(req);
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    list_params lp;
    omk_rc rc = parse_params(req, &ctx, r, true, &lp);
    if (rc)
        return omk__finish(req, &ctx, rc);
    list_job j = {.ctx = &ctx, .r = r, .results = omk_jv_array(ctx.a), .expand = &lp.expand};
    omk_ldv *l = NULL;
    rc = omk__ldv_begin_res(req, r, true, NULL, &l, &j.ldv);
    if (rc)
        return rc;
    omk_filter_arg *all = omk_arena_alloc(ctx.a, (lp.nfilters + nextra + 1) * sizeof *all);
    if (!all)
        return OMK_NOMEM;
    memcpy(all, lp.filters, lp.nfilters * sizeof *all);
    if (nextra)
        memcpy(all + lp.nfilters, extra, nextra * sizeof *all);
    j.q.filters = all;
    j.q.nfilters = lp.nfilters + nextra;
    j.q.limit = lp.page_size;
    j.q.offset = (lp.page - 1) * lp.page_size;
    rc = omk_store_read(omk__store(req), run_list, &j);
    if (!rc && lp.page > 1 && j.q.offset >= j.count) {
        ctx.fail_detail = "Ongeldige pagina.";
        rc = OMK_NOTFOUND;
    }
    if (rc)
        return omk__finish(req, &ctx, rc);
    omk_jv *body = omk_jv_object(ctx.a);
    omk_jv_set(body, "count", omk_jv_int(ctx.a, j.count));
    omk_jv_set(body, "next", j.q.offset + lp.page_size < j.count
                                 ? page_link(req, &ctx, lp.page + 1)
                                 : omk_jv_null(ctx.a));
    omk_jv_set(body, "previous",
               lp.page > 1 ? page_link(req, &ctx, lp.page - 1) : omk_jv_null(ctx.a));
    omk_jv_set(body, "results", j.results);
    if (!omk_jv_ok(body))
        return OMK_NOMEM;
    return omk__ldv_reply_jv(req, l, 200, body);
}

omk_rc omk__res_list(omk_req *req)
{
    return omk__res_list_with(req, NULL, 0);
}

/* ---- read ---- */

typedef struct read_job {
    omk_api_ctx *ctx;
    const omk_resource *r;
    const char *uuid;
    omk_jv *out;
    const omk_expand *expand;
    omk_ldv_actie *ldv; /* NULL: not logged (the answer of a change, logged by the change) */
} read_job;

static omk_rc run_read(omk_db *db, void *arg)
{
    read_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, j->r, j->uuid, j->ctx->a, &row);
    if (!rc)
        rc = omk__ldv_rows(db, j->ldv, j->r, row, 1);
    return rc ? rc : omk_res_to_jv(db, j->ctx, j->r, row, j->expand, &j->out);
}

omk_rc omk__res_read(omk_req *req)
{
    const omk_resource *r = omk_req_data(req);
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    read_job j = {.ctx = &ctx, .r = r};
    list_params lp;
    j.expand = &lp.expand;
    omk_ldv *l = NULL;
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = parse_params(req, &ctx, r, false, &lp);
    if (!rc)
        rc = omk__ldv_begin_res(req, r, false, "raadplegen", &l, &j.ldv);
    if (!rc)
        rc = omk_store_read(omk__store(req), run_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__ldv_reply_jv(req, l, 200, j.out);
}

/* ---- writes ---- */

/* A write in flight. It lives in the request arena: the request is parked (no thread waits)
 * while the writer thread commits it together with others, then resumes to answer. */
typedef struct write_job {
    omk_req *req;
    omk_api_ctx ctx;
    const omk_resource *r;
    omk_row *row;
    const char *uuid;
    json_t *body;
    omk_write_mode mode;
    omk_rc rc;
    omk_jv *answer; /* a create's answer, built by the writer (see run_write) */
    omk_ldv *ldv;   /* the Logboek: written in the same transaction as the change */
    omk_ldv_actie *actie;
} write_job;

/* After creating a row: which of its REVERSE and REFLIST relations the answer need not read,
 * because this job wrote no rows of (or links to) their targets (nobody else knows the new
 * uuid yet). */
static void note_fresh(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const char *uuid)
{
    ctx->fresh_r = r;
    ctx->fresh_uuid = uuid;
    ctx->fresh_empty = 0;
    for (size_t i = 0; i < r->nfields && i < 64; i++) {
        const omk_field *f = &r->fields[i];
        if ((f->type == OMK_F_REVERSE || f->type == OMK_F_REFLIST) &&
            !omk_db_inserted(db, f->target))
            ctx->fresh_empty |= UINT64_C(1) << i;
    }
}

/* The writer thread validates and writes. A create's answer is built here too, from the row
 * just written (in the writer's warm cache, its relations mostly known to be empty): on a
 * read connection it took a read transaction whose page cache every commit had emptied. Other
 * answers are built afterwards on a read connection (the commit is visible to it). */
static omk_rc run_write(omk_db *db, void *arg)
{
    write_job *j = arg;
    omk_rc rc = OMK_OK;
    /* A change concerns the persons of the row before it (a betrokkene moved to another
     * partij concerns both) and after. */
    if (j->mode != OMK_CREATE)
        rc = omk__ldv_row_uuid(db, j->actie, j->r, j->uuid, j->ctx.a);
    if (!rc)
        rc = omk_res_write(db, &j->ctx, j->r, j->row, j->uuid, j->body, j->mode, NULL);
    if (!rc && j->mode != OMK_CREATE) {
        rc = omk__ldv_row_uuid(db, j->actie, j->r, j->uuid, j->ctx.a);
        return rc ? rc : omk__ldv_write(db, j->ldv);
    }
    if (rc)
        return rc;
    note_fresh(db, &j->ctx, j->r, j->row->uuid);
    omk_row *row = NULL;
    rc = omk_db_get(db, j->r, j->row->uuid, j->ctx.a, &row);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, j->r, row, 1);
    if (!rc)
        rc = omk__ldv_write(db, j->ldv);
    return rc ? rc : omk_res_to_jv(db, &j->ctx, j->r, row, NULL, &j->answer);
}

/* On the writer thread, after the commit: record the outcome and wake the request. */
static void write_done(void *arg, omk_rc rc)
{
    write_job *j = arg;
    j->rc = rc;
    omk_req_resume(j->req);
}

/* On a worker thread again: answer with the stored object. */
static omk_rc write_answer(omk_req *req)
{
    write_job *j = omk_req_state(req);
    omk_rc rc = j->rc;
    read_job rj = {.ctx = &j->ctx, .r = j->r, .uuid = j->row->uuid, .out = j->answer};
    if (!rc && !rj.out)
        rc = omk_store_read(omk__store(req), run_read, &rj);
    if (rc)
        return omk__finish(req, &j->ctx, rc);
    if (j->mode == OMK_CREATE)
        omk_req_add_header(req, "Location", omk_res_url(&j->ctx, j->r, j->row->uuid));
    return omk_req_reply_jv(req, j->mode == OMK_CREATE ? 201 : 200, rj.out);
}

static omk_rc do_write(omk_req *req, omk_write_mode mode)
{
    write_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    omk__ctx_init(&j->ctx, req);
    j->req = req;
    j->r = omk_req_data(req);
    j->mode = mode;
    list_params lp;
    omk_rc rc = mode == OMK_CREATE ? OMK_OK : omk__path_uuid(req, &j->uuid);
    if (!rc)
        rc = parse_params(req, &j->ctx, j->r, false, &lp);
    j->body = omk_req_json(req);
    if (!rc)
        rc = omk_res_parse(&j->ctx, j->r, j->body, mode, &j->row);
    if (!rc)
        rc = omk__ldv_begin_res(req, j->r, false, mode == OMK_CREATE ? "registreren" : "wijzigen",
                                &j->ldv, &j->actie);
    if (rc)
        return omk__finish(req, &j->ctx, rc);
    omk_req_set_state(req, j);
    if (!omk_req_suspend(req, write_answer)) {
        /* Shutting down: no parking; write and answer on this thread. */
        j->rc = omk_store_write(omk__store(req), run_write, j);
        return write_answer(req);
    }
    rc = omk_store_write_async(omk__store(req), run_write, j, write_done);
    if (rc) {
        /* Not queued (shutting down): answer now instead of waiting for a wake-up. */
        j->rc = rc;
        omk_req_resume(req);
    }
    return OMK_OK;
}

omk_rc omk__res_create(omk_req *req)
{
    /* What ties a contact to a partij is the werkplek session's to check (engine.h). */
    const omk_resource *r = omk_req_data(req);
    if (r && (!strcmp(r->name, "klantcontacten") || !strcmp(r->name, "betrokkenen"))) {
        omk_rc rc = omk__werkplek_vereist(req);
        if (rc)
            return rc;
    }
    return do_write(req, OMK_CREATE);
}
omk_rc omk__res_put(omk_req *req) { return do_write(req, OMK_PUT); }
omk_rc omk__res_patch(omk_req *req) { return do_write(req, OMK_PATCH); }

typedef struct delete_job {
    omk_api_ctx *ctx;
    const omk_resource *r;
    const char *uuid;
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} delete_job;

static omk_rc run_delete(omk_db *db, void *arg)
{
    delete_job *j = arg;
    omk_rc rc = omk__ldv_row_uuid(db, j->actie, j->r, j->uuid, j->ctx->a);
    if (!rc)
        rc = omk_res_delete(db, j->ctx, j->r, j->uuid);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

omk_rc omk__res_delete(omk_req *req)
{
    const omk_resource *r = omk_req_data(req);
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    delete_job j = {.ctx = &ctx, .r = r};
    list_params lp;
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = parse_params(req, &ctx, r, false, &lp);
    if (!rc)
        rc = omk__ldv_begin_res(req, r, false, "verwijderen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), run_delete, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply(req, 204, "application/json", "", 0);
}
