/* The generic resource engine: one implementation of parse, validate, write, delete and
 * serialise for every declared resource (see resource.h for the contract). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine.h"
#include "omk/buf.h"
#include "omk/json.h"
#include "omk/util.h"

#define MSG_REQUIRED "Dit veld is vereist."
#define MSG_NULL "Dit veld mag niet leeg zijn."

void omk_api_err_add(omk_api_ctx *ctx, const char *name, const char *code, const char *reason)
{
    omk_api_err *e = omk_arena_alloc(ctx->a, sizeof *e);
    if (!e)
        return;
    e->name = omk_arena_strdup(ctx->a, name);
    e->code = omk_arena_strdup(ctx->a, code);
    e->reason = omk_arena_strdup(ctx->a, reason);
    if (ctx->errs_tail)
        ctx->errs_tail->next = e;
    else
        ctx->errs = e;
    ctx->errs_tail = e;
    ctx->nerrs++;
}

static bool stored(const omk_field *f)
{
    return f->column && f->type != OMK_F_REVERSE && f->type != OMK_F_COMPUTED;
}

static bool writable(const omk_field *f)
{
    return (stored(f) || f->type == OMK_F_REFLIST) && !(f->flags & (OMK_RO | OMK_HIDDEN));
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "dict";
    case JSON_ARRAY: return "list";
    case JSON_STRING: return "str";
    case JSON_INTEGER: return "int";
    case JSON_REAL: return "float";
    case JSON_TRUE:
    case JSON_FALSE: return "bool";
    default: return "NoneType";
    }
}

static const omk_group *group_of(const omk_resource *r, const char *prefix, size_t n)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (strlen(r->groups[i].prefix) == n && memcmp(r->groups[i].prefix, prefix, n) == 0)
            return &r->groups[i];
    return NULL;
}

/* Outcome of looking a dotted path up in the body. */
typedef enum { P_ABSENT, P_VALUE, P_GROUP_NULL, P_GROUP_BAD, P_GROUP_ABSENT } lookup_kind;

static lookup_kind lookup(const omk_resource *r, json_t *body, const char *path, json_t **out,
                          size_t *bad_prefix_len)
{
    json_t *cur = body;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        if (!dot) {
            *out = json_object_get(cur, p);
            return *out ? P_VALUE : P_ABSENT;
        }
        char seg[128];
        size_t n = (size_t)(dot - p);
        if (n >= sizeof seg)
            return P_ABSENT;
        memcpy(seg, p, n);
        seg[n] = 0;
        json_t *next = json_object_get(cur, seg);
        size_t plen = (size_t)(dot - path);
        if (!next)
            return cur == body ? P_GROUP_ABSENT : P_ABSENT;
        if (json_is_null(next)) {
            const omk_group *g = group_of(r, path, plen);
            *bad_prefix_len = plen;
            return g && g->nullable ? P_GROUP_NULL : P_GROUP_BAD;
        }
        if (!json_is_object(next)) {
            *bad_prefix_len = plen;
            *out = next;
            return P_GROUP_BAD;
        }
        cur = next;
        p = dot + 1;
    }
}

static void set_null(omk_row *row, size_t i)
{
    row->v[i] = (omk_value){.t = OMK_V_NULL};
    row->set[i] = true;
}

static void set_text(omk_api_ctx *ctx, omk_row *row, size_t i, const char *s, size_t n)
{
    row->v[i] = (omk_value){.t = OMK_V_TEXT, .s = omk_arena_strndup(ctx->a, s, n), .n = n};
    row->set[i] = true;
}

static void set_int(omk_row *row, size_t i, int64_t v)
{
    row->v[i] = (omk_value){.t = OMK_V_INT, .i = v};
    row->set[i] = true;
}

static void parse_string(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i,
                         json_t *v)
{
    if (!json_is_string(v)) {
        omk_api_err_add(ctx, f->json, "invalid", "Geen geldige string.");
        return;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!omk_utf8_valid(s, n)) {
        omk_api_err_add(ctx, f->json, "invalid", "Geen geldige string.");
        return;
    }
    if (n == 0 && (f->flags & OMK_REQ)) {
        omk_api_err_add(ctx, f->json, "blank", MSG_NULL);
        return;
    }
    if (f->max_len && omk_utf8_len(s, n) > (size_t)f->max_len) {
        char msg[96];
        snprintf(msg, sizeof msg, "Zorg ervoor dat dit veld niet meer dan %d karakters bevat.",
                 f->max_len);
        omk_api_err_add(ctx, f->json, "max_length", msg);
        return;
    }
    const char *code = "invalid", *why = n && f->check ? f->check(s, &code) : NULL;
    if (why) {
        omk_api_err_add(ctx, f->json, code, why);
        return;
    }
    set_text(ctx, row, i, s, n);
}

static void parse_object(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i,
                         json_t *v)
{
    if (!json_is_object(v)) {
        char msg[96];
        snprintf(msg, sizeof msg, "Verwacht een dictionary van items, kreeg een type \"%s\".",
                 json_type_name(v));
        omk_api_err_add(ctx, f->json, "not_a_dict", msg);
        return;
    }
    /* Values are strings of at most 255 characters; other JSON values are stringified. */
    json_t *norm = json_object();
    const char *k;
    json_t *item;
    json_object_foreach(v, k, item)
    {
        json_t *sv;
        if (json_is_string(item)) {
            sv = json_incref(item);
        } else {
            char *dumped = json_dumps(item, JSON_COMPACT | JSON_ENCODE_ANY);
            sv = json_string(dumped ? dumped : "");
            free(dumped);
        }
        if (json_string_length(sv) > 255) {
            char name[256];
            snprintf(name, sizeof name, "%s.%s", f->json, k);
            omk_api_err_add(ctx, name, "max_length",
                            "Zorg ervoor dat dit veld niet meer dan 255 karakters bevat.");
        }
        json_object_set_new(norm, k, sv);
    }
    char *text = json_dumps(norm, JSON_COMPACT);
    json_decref(norm);
    if (text) {
        set_text(ctx, row, i, text, strlen(text));
        free(text);
    }
}

/* An array of strings, each at most max_len code points. */
static void parse_list(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i, json_t *v)
{
    char name[160], msg[128];
    if (!json_is_array(v)) {
        snprintf(msg, sizeof msg, "Verwacht een lijst met items, kreeg een type \"%s\".",
                 json_type_name(v));
        omk_api_err_add(ctx, f->json, "not_a_list", msg);
        return;
    }
    size_t k;
    json_t *item;
    bool ok = true;
    json_array_foreach(v, k, item)
    {
        snprintf(name, sizeof name, "%s.%zu", f->json, k);
        if (!json_is_string(item) ||
            !omk_utf8_valid(json_string_value(item), json_string_length(item))) {
            omk_api_err_add(ctx, name, "invalid", "Geen geldige string.");
            ok = false;
        } else if (f->max_len &&
                   omk_utf8_len(json_string_value(item), json_string_length(item)) >
                       (size_t)f->max_len) {
            snprintf(msg, sizeof msg, "Zorg ervoor dat dit veld niet meer dan %d karakters bevat.",
                     f->max_len);
            omk_api_err_add(ctx, name, "max_length", msg);
            ok = false;
        }
    }
    char *text = ok ? json_dumps(v, JSON_COMPACT) : NULL;
    if (text) {
        set_text(ctx, row, i, text, strlen(text));
        free(text);
    }
}

static void parse_ref(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i, json_t *v)
{
    char name[160];
    snprintf(name, sizeof name, "%s.uuid", f->json);
    if (!json_is_object(v)) {
        char msg[96];
        snprintf(msg, sizeof msg, "Ongeldige data. Verwacht een dictionary, kreeg een %s.",
                 json_type_name(v));
        omk_api_err_add(ctx, f->json, "invalid", msg);
        return;
    }
    json_t *u = json_object_get(v, "uuid");
    if (!u || json_is_null(u)) {
        omk_api_err_add(ctx, name, u ? "null" : "required", u ? MSG_NULL : MSG_REQUIRED);
        return;
    }
    if (!json_is_string(u) || !omk_uuid_valid(json_string_value(u), json_string_length(u))) {
        omk_api_err_add(ctx, name, "invalid", "Voer een geldige UUID in.");
        return;
    }
    char lower[37];
    for (size_t k = 0; k < 36; k++)
        lower[k] = (char)tolower((unsigned char)json_string_value(u)[k]);
    lower[36] = 0;
    set_text(ctx, row, i, lower, 36);
}

/* A list of references, kept in the row as comma-separated uuids until written. */
static void parse_reflist(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i,
                          json_t *v)
{
    char msg[128], name[160];
    if (!json_is_array(v)) {
        snprintf(msg, sizeof msg, "Verwacht een lijst met items, kreeg een type \"%s\".",
                 json_type_name(v));
        omk_api_err_add(ctx, f->json, "not_a_list", msg);
        return;
    }
    omk_buf b;
    omk_buf_init(&b, 64 * 1024);
    size_t k;
    json_t *item;
    bool ok = true;
    json_array_foreach(v, k, item)
    {
        json_t *u = json_is_object(item) ? json_object_get(item, "uuid") : NULL;
        snprintf(name, sizeof name, "%s.%zu.uuid", f->json, k);
        if (!json_is_string(u) || !omk_uuid_valid(json_string_value(u), json_string_length(u))) {
            omk_api_err_add(ctx, name, u ? "invalid" : "required",
                            u ? "Voer een geldige UUID in." : MSG_REQUIRED);
            ok = false;
            continue;
        }
        if (b.n)
            omk_buf_putc(&b, ',');
        for (size_t c = 0; c < 36; c++)
            omk_buf_putc(&b, (char)tolower((unsigned char)json_string_value(u)[c]));
    }
    if (ok && !b.rc)
        set_text(ctx, row, i, b.p ? b.p : "", b.n);
    omk_buf_release(&b);
}

/* Splits a REFLIST value into uuids (allocated in the arena). */
static size_t split_uuids(omk_api_ctx *ctx, const omk_value *v, const char ***out)
{
    size_t n = v->t == OMK_V_TEXT && v->n ? 1 : 0;
    for (size_t i = 0; n && i < v->n; i++)
        n += v->s[i] == ',';
    const char **u = omk_arena_alloc(ctx->a, (n + 1) * sizeof *u);
    for (size_t i = 0; u && i < n; i++)
        u[i] = omk_arena_strndup(ctx->a, v->s + i * 37, 36);
    *out = u;
    return u ? n : 0;
}

static void parse_value(omk_api_ctx *ctx, const omk_field *f, omk_row *row, size_t i, json_t *v)
{
    char msg[160];
    if (json_is_null(v)) {
        if (f->flags & OMK_NULLABLE)
            set_null(row, i);
        else
            omk_api_err_add(ctx, f->json, "null", MSG_NULL);
        return;
    }
    switch (f->type) {
    case OMK_F_STRING:
        parse_string(ctx, f, row, i, v);
        break;
    case OMK_F_BOOL:
        if (json_is_boolean(v))
            set_int(row, i, json_is_true(v));
        else
            omk_api_err_add(ctx, f->json, "invalid", "Moet een geldige boolean zijn.");
        break;
    case OMK_F_INT:
        if (!json_is_integer(v)) {
            omk_api_err_add(ctx, f->json, "invalid", "Een geldig getal is vereist.");
        } else if (json_integer_value(v) > f->max) {
            snprintf(msg, sizeof msg, "Zorg ervoor dat deze waarde minder of gelijk is aan %lld.",
                     (long long)f->max);
            omk_api_err_add(ctx, f->json, "max_value", msg);
        } else if (json_integer_value(v) < f->min) {
            snprintf(msg, sizeof msg, "Zorg ervoor dat deze waarde groter of gelijk is aan %lld.",
                     (long long)f->min);
            omk_api_err_add(ctx, f->json, "min_value", msg);
        } else {
            set_int(row, i, json_integer_value(v));
        }
        break;
    case OMK_F_DATE:
        if (json_is_string(v) && omk_date_valid(json_string_value(v), json_string_length(v)))
            set_text(ctx, row, i, json_string_value(v), json_string_length(v));
        else
            omk_api_err_add(ctx, f->json, "invalid",
                            "Datum heeft het verkeerde formaat, gebruik 1 van deze formaten: "
                            "YYYY-MM-DD.");
        break;
    case OMK_F_DATETIME: {
        int64_t us = 0;
        if (json_is_string(v) &&
            omk_time_parse(json_string_value(v), json_string_length(v), &us))
            set_int(row, i, us);
        else
            omk_api_err_add(ctx, f->json, "invalid",
                            "Datetime heeft een ongeldig formaat, gebruik 1 van de volgende "
                            "formaten: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
        break;
    }
    case OMK_F_ENUM:
        if (json_is_string(v) && omk_model_choice_valid(f, json_string_value(v))) {
            set_text(ctx, row, i, json_string_value(v), json_string_length(v));
        } else {
            char *shown = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
            snprintf(msg, sizeof msg, "\"%.100s\" is een ongeldige keuze.",
                     shown ? shown : json_string_value(v));
            free(shown);
            omk_api_err_add(ctx, f->json, "invalid_choice", msg);
        }
        break;
    case OMK_F_OBJECT:
        parse_object(ctx, f, row, i, v);
        break;
    case OMK_F_LIST:
        parse_list(ctx, f, row, i, v);
        break;
    case OMK_F_REF:
        parse_ref(ctx, f, row, i, v);
        break;
    case OMK_F_REFLIST:
        parse_reflist(ctx, f, row, i, v);
        break;
    case OMK_F_REVERSE:
    case OMK_F_COMPUTED:
        break;
    }
}

omk_rc omk_res_parse(omk_api_ctx *ctx, const omk_resource *r, json_t *body, omk_write_mode mode,
                     omk_row **out)
{
    omk_row *row = omk_row_new(r, ctx->a);
    if (!row)
        return OMK_NOMEM;
    const char *disc = NULL;
    if (r->discriminator) {
        json_t *d = json_object_get(body, r->discriminator);
        disc = json_is_string(d) ? json_string_value(d) : NULL;
    }
    size_t errs_before = ctx->nerrs;
    const char *reported_prefix = NULL;
    size_t reported_len = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        const omk_field *f = &r->fields[i];
        if (!writable(f) || (disc && !omk_model_field_applies(f, disc)))
            continue;
        json_t *v = NULL;
        size_t plen = 0;
        switch (lookup(r, body, f->json, &v, &plen)) {
        case P_VALUE:
            parse_value(ctx, f, row, i, v);
            break;
        case P_GROUP_NULL:
            set_null(row, i);
            break;
        case P_GROUP_BAD:
            if (!(reported_prefix && reported_len == plen &&
                  memcmp(reported_prefix, f->json, plen) == 0)) {
                char name[128], msg[96];
                snprintf(name, sizeof name, "%.*s", (int)plen, f->json);
                snprintf(msg, sizeof msg, "Ongeldige data. Verwacht een dictionary, kreeg een %s.",
                         v ? json_type_name(v) : "NoneType");
                omk_api_err_add(ctx, name, v ? "invalid" : "null", msg);
                reported_prefix = f->json;
                reported_len = plen;
            }
            break;
        case P_GROUP_ABSENT:
            if ((f->flags & OMK_REQ) && mode != OMK_PATCH &&
                (!disc || omk_model_field_applies(f, disc))) {
                const char *dot = strchr(f->json, '.');
                size_t n = (size_t)(dot - f->json);
                if (!(reported_prefix && reported_len == n &&
                      memcmp(reported_prefix, f->json, n) == 0)) {
                    char name[128];
                    snprintf(name, sizeof name, "%.*s", (int)n, f->json);
                    omk_api_err_add(ctx, name, "required", MSG_REQUIRED);
                    reported_prefix = f->json;
                    reported_len = n;
                }
            }
            break;
        case P_ABSENT:
            /* Inside a group that was sent, required sub-fields are required even on PATCH:
             * a gegevensgroep is replaced as a whole (as the reference does). */
            if ((f->flags & OMK_REQ) && (mode != OMK_PATCH || strchr(f->json, '.')))
                omk_api_err_add(ctx, f->json, "required", MSG_REQUIRED);
            break;
        }
    }
    *out = row;
    return ctx->nerrs > errs_before ? OMK_INVALID : OMK_OK;
}

const char *omk_res_url(omk_api_ctx *ctx, const omk_resource *r, const char *uuid)
{
    /* Hot (several URLs per object): plain copies instead of printf. */
    const char *parts[] = {ctx->base_url, r->api_base, "/", r->name, "/", uuid};
    size_t len[6], total = 0;
    for (int i = 0; i < 6; i++)
        total += len[i] = strlen(parts[i]);
    char *out = omk_arena_alloc(ctx->a, total + 1);
    if (!out)
        return "";
    char *p = out;
    for (int i = 0; i < 6; i++) {
        memcpy(p, parts[i], len[i]);
        p += len[i];
    }
    *p = 0;
    return out;
}

const char *omk_row_text(const omk_resource *r, const omk_row *row, const char *json)
{
    int i = omk_model_field_index(r, json);
    if (i < 0 || row->v[i].t != OMK_V_TEXT)
        return NULL;
    return row->v[i].s;
}

omk_rc omk_res_must_exist(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const char *uuid, const char *field, omk_row **out)
{
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, r, uuid, ctx->a, &row);
    if (rc == OMK_NOTFOUND) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s object bestaat niet.", r->model);
        omk_api_err_add(ctx, field, "does_not_exist", msg);
        return OMK_INVALID;
    }
    if (out)
        *out = row;
    return rc;
}

const char *omk_row_text0(const omk_resource *r, const omk_row *row, const char *json)
{
    const char *v = omk_row_text(r, row, json);
    return v ? v : "";
}

void omk_row_set_int(const omk_resource *r, omk_row *row, const char *json, int64_t v)
{
    int i = omk_model_field_index(r, json);
    row->v[i] = (omk_value){.t = OMK_V_INT, .i = v};
    row->set[i] = true;
}

void omk_row_set_text(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const char *json,
                      const char *value)
{
    int i = omk_model_field_index(r, json);
    if (i < 0)
        return;
    if (value)
        set_text(ctx, row, (size_t)i, value, strlen(value));
    else
        set_null(row, (size_t)i);
}

/* True when a field of the same group was explicitly written as null (group = null). */
static bool in_null_group(const omk_resource *r, const omk_row *row, const omk_field *f)
{
    const char *dot = strrchr(f->json, '.');
    if (!dot)
        return false;
    size_t n = (size_t)(dot - f->json) + 1;
    for (size_t k = 0; k < r->nfields; k++)
        if (row->set[k] && row->v[k].t == OMK_V_NULL && strncmp(r->fields[k].json, f->json, n) == 0)
            return true;
    return false;
}

/* Fills unset fields from the stored row (update) or from defaults (create), and clears
 * fields that do not apply to the row's discriminator value. */
static void merge(const omk_resource *r, omk_row *row, const omk_row *old)
{
    const char *disc = NULL;
    if (r->discriminator) {
        int d = omk_model_field_index(r, r->discriminator);
        if (d >= 0 && !row->set[d] && old)
            row->v[d] = old->v[d];
        disc = d >= 0 && row->v[d].t == OMK_V_TEXT ? row->v[d].s : NULL;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        const omk_field *f = &r->fields[i];
        if (!stored(f))
            continue;
        if (!omk_model_field_applies(f, disc)) {
            row->v[i] = (omk_value){.t = OMK_V_NULL};
            continue;
        }
        if (row->set[i])
            continue;
        if (old) {
            row->v[i] = old->v[i];
            continue;
        }
        if (f->def && strcmp(f->def, "now") == 0)
            row->v[i] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
        else if (f->type == OMK_F_LIST)
            row->v[i] = (omk_value){.t = OMK_V_TEXT, .s = "[]", .n = 2};
        else if (f->def && f->type == OMK_F_OBJECT)
            row->v[i] = (omk_value){.t = OMK_V_TEXT, .s = f->def, .n = strlen(f->def)};
        else if (f->def && f->type == OMK_F_BOOL)
            row->v[i] = (omk_value){.t = OMK_V_INT, .i = strcmp(f->def, "true") == 0};
        else if (f->type == OMK_F_STRING && !(f->flags & OMK_NULLABLE) &&
                 !in_null_group(r, row, f))
            row->v[i] = (omk_value){.t = OMK_V_TEXT, .s = "", .n = 0};
    }
}

static omk_rc check_refs(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                         const omk_row *old)
{
    for (size_t i = 0; i < r->nfields; i++) {
        const omk_field *f = &r->fields[i];
        if (f->type == OMK_F_REFLIST && row->set[i]) {
            const char **uuids = NULL;
            size_t n = split_uuids(ctx, &row->v[i], &uuids);
            for (size_t k = 0; k < n; k++) {
                omk_cond c = {"uuid", {.t = OMK_V_TEXT, .s = uuids[k], .n = 36}};
                bool found = false;
                omk_rc rc = omk_db_exists(db, f->target, &c, 1, NULL, &found);
                if (rc)
                    return rc;
                if (!found) {
                    char name[160], msg[160];
                    snprintf(name, sizeof name, "%s.%zu.uuid", f->json, k);
                    snprintf(msg, sizeof msg, "%s object bestaat niet.", f->target->model);
                    omk_api_err_add(ctx, name, "invalid", msg);
                }
            }
            continue;
        }
        if (f->type != OMK_F_REF || row->v[i].t != OMK_V_TEXT || !row->set[i])
            continue;
        if (old && old->v[i].t == OMK_V_TEXT && strcmp(old->v[i].s, row->v[i].s) == 0)
            continue;
        omk_cond c = {"uuid", row->v[i]};
        bool found = false;
        omk_rc rc = omk_db_exists(db, f->target, &c, 1, NULL, &found);
        if (rc)
            return rc;
        if (!found) {
            char name[160], msg[160];
            snprintf(name, sizeof name, "%s.uuid", f->json);
            snprintf(msg, sizeof msg, "%s object bestaat niet.", f->target->model);
            omk_api_err_add(ctx, name, "invalid", msg);
        }
    }
    return OMK_OK;
}

omk_rc omk_res_write(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                     const char *old_uuid, json_t *body, omk_write_mode mode, json_t **out)
{
    omk_row *old = NULL;
    omk_rc rc = OMK_OK;
    const omk_hooks *h = r->hooks;
    if (old_uuid) {
        if ((rc = omk_db_get(db, r, old_uuid, ctx->a, &old)))
            return rc;
        memcpy(row->uuid, old->uuid, sizeof row->uuid);
        row->id = old->id;
    } else if (!row->uuid[0]) {
        omk_uuid4(row->uuid);
    }
    merge(r, row, old);
    if (h && h->check)
        h->check(ctx, r, row, old, body);
    if ((rc = check_refs(db, ctx, r, row, old)))
        return rc;
    if (ctx->nerrs)
        return OMK_INVALID;
    if (h && h->apply && (rc = h->apply(db, ctx, r, row, old, body)))
        return rc;
    if (ctx->nerrs)
        return OMK_INVALID;
    rc = old ? omk_db_update(db, r, row) : omk_db_insert(db, r, row);
    if (rc == OMK_CONFLICT) {
        omk_api_err_add(ctx, "nonFieldErrors", "unique",
                        "Er bestaat al een object met deze gegevens.");
        return OMK_INVALID;
    }
    if (rc)
        return rc;
    for (size_t i = 0; i < r->nfields && !rc; i++) {
        if (r->fields[i].type != OMK_F_REFLIST || !row->set[i] || (r->fields[i].flags & OMK_RO))
            continue;
        const char **uuids = NULL;
        size_t n = split_uuids(ctx, &row->v[i], &uuids);
        rc = omk_db_link_set(db, &r->fields[i], row->uuid, uuids, n);
    }
    if (rc)
        return rc;
    if (h && h->after && (rc = h->after(db, ctx, r, row, old, body, mode)))
        return rc;
    if (ctx->nerrs)
        return OMK_INVALID;
    static const char *const acties[] = {"create", "update", "partial_update"};
    if ((rc = omk__notify_enqueue(db, ctx, r, row->uuid, acties[mode])))
        return rc;
    if (!out)
        return OMK_OK;
    omk_row *fresh = NULL;
    if ((rc = omk_db_get(db, r, row->uuid, ctx->a, &fresh)))
        return rc;
    return omk_res_to_json(db, ctx, r, fresh, out);
}

omk_rc omk_res_delete(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const char *uuid)
{
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, r, uuid, ctx->a, &row);
    if (rc)
        return rc;
    if (r->hooks && r->hooks->before_delete && (rc = r->hooks->before_delete(db, ctx, r, row)))
        return rc;
    if (ctx->nerrs)
        return OMK_INVALID;
    rc = omk_db_delete(db, r, uuid);
    if (!rc)
        rc = omk__notify_enqueue(db, ctx, r, uuid, "destroy");
    if (rc == OMK_CONFLICT) {
        omk_api_err_add(ctx, "nonFieldErrors", "protected",
                        "Dit object wordt nog gebruikt en kan niet verwijderd worden.");
        return OMK_INVALID;
    }
    return rc;
}

/* ---- serialisation: rows to the API's JSON, built as an arena tree (omk/jtree.h) ---- */

/* Puts v at the dotted path inside obj, creating intermediate objects (a value that is not an
 * object is replaced by one, in place). */
static void set_path(omk_api_ctx *ctx, omk_jv *obj, const char *path, omk_jv *v)
{
    const char *dot = strchrnul(path, '.'); /* one pass: the first segment's end */
    size_t n = (size_t)(dot - path);
    if (!*dot) {
        omk_jv_setn(obj, path, n, v);
        return;
    }
    if (n >= 128)
        return;
    omk_jv *child = omk_jv_get(obj, path, n);
    if (!omk_jv_is_object(child)) {
        child = omk_jv_object(ctx->a);
        omk_jv_setn(obj, path, n, child);
    }
    if (child)
        set_path(ctx, child, dot + 1, v);
}

static omk_jv *ref_jv(omk_api_ctx *ctx, const omk_resource *target, const char *uuid)
{
    if (!uuid)
        return NULL;
    omk_jv *o = omk_jv_object(ctx->a);
    omk_jv_setn(o, "uuid", 4, omk_jv_str(ctx->a, uuid));
    omk_jv_setn(o, "url", 3, omk_jv_str(ctx->a, omk_res_url(ctx, target, uuid)));
    return o;
}

/* A stored JSON text (object or list field), as the API shows it. The usual empty value is
 * written as is; anything else goes through jansson, as before, so the output is normalised
 * the same way. */
static omk_jv *stored_json(omk_api_ctx *ctx, const omk_value *v, bool object)
{
    const char *empty = object ? "{}" : "[]";
    if (v->t == OMK_V_TEXT && v->n == 2 && memcmp(v->s, empty, 2) == 0)
        return object ? omk_jv_object(ctx->a) : omk_jv_array(ctx->a);
    json_t *j = v->t == OMK_V_TEXT ? json_loadb(v->s, v->n, 0, NULL) : NULL;
    if (!j)
        return object ? omk_jv_object(ctx->a) : omk_jv_array(ctx->a);
    return omk_jv_jansson(ctx->a, j);
}

static omk_jv *value_jv(omk_api_ctx *ctx, const omk_field *f, const omk_value *v)
{
    if (v->t == OMK_V_NULL)
        return omk_jv_null(ctx->a);
    switch (f->type) {
    case OMK_F_BOOL:
        return omk_jv_bool(ctx->a, v->i != 0);
    case OMK_F_INT:
        return omk_jv_int(ctx->a, v->i);
    case OMK_F_DATETIME: {
        char *ts = omk_arena_alloc(ctx->a, 32);
        if (!ts)
            return NULL;
        omk_time_format(v->i, ts);
        return omk_jv_str(ctx->a, ts);
    }
    case OMK_F_OBJECT:
        return stored_json(ctx, v, true);
    case OMK_F_LIST:
        return stored_json(ctx, v, false);
    case OMK_F_REF:
        return ref_jv(ctx, f->target, v->s);
    default:
        return v->t == OMK_V_TEXT ? omk_jv_strn(ctx->a, v->s, v->n) : omk_jv_int(ctx->a, v->i);
    }
}

/* Rows loaded for a whole page (and for the objects its expansions reach), so serialising
 * reads them from memory instead of querying per object. One entry per resource and set of
 * rows: the rows themselves sorted by uuid (membership, and the targets of a to-one
 * expansion), and per REVERSE field the children of those rows sorted by parent, then id (the
 * order omk_db_children gives), found by binary search. A row that no entry holds is read
 * from the database as before. */
typedef struct omk_prefetch {
    struct omk_prefetch *next;
    const omk_resource *r;
    const omk_row **rows; /* sorted by uuid */
    size_t nrows;
    omk_rowset *kids;     /* per field index of r; rows of f->target, in no order */
    const omk_row ***by;  /* per field: pointers into kids, sorted by (owner, order) */
    const char ***own;    /* per field: the owner (row uuid) of each by[i][k] */
    size_t *nby;          /* per field: how many */
    int *via_idx;         /* per field: REVERSE: index in the child of the column `via`;
                             REFLIST: 0; -1 = not loaded */
    const omk_row *base;  /* the rowset the entry was made from: its rows are held */
    size_t nbase;
} omk_prefetch;

/* A loaded child: its owner's uuid and its position among the owner's children (the child's
 * id for REVERSE, the link's id for REFLIST: the orders omk_db_children/omk_db_linked give). */
typedef struct kid_ref {
    const omk_row *row;
    const char *owner;
    int64_t order;
} kid_ref;

static int cmp_kid(const void *a, const void *b)
{
    const kid_ref *x = a, *y = b;
    int c = strcmp(x->owner, y->owner);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int cmp_row_uuid(const void *a, const void *b)
{
    return strcmp((*(const omk_row *const *)a)->uuid, (*(const omk_row *const *)b)->uuid);
}

/* Sorts the loaded children of field i by owner, then order (owners[k]/orders[k] belong to
 * kids[i].rows[k]; owners NULL: a REVERSE field, the owner is the child's `via` column). */
static omk_rc index_kids(omk_api_ctx *ctx, omk_prefetch *p, size_t i, const char *const *owners,
                         const int64_t *orders)
{
    const omk_rowset *all = &p->kids[i];
    int v = p->via_idx[i];
    kid_ref *refs = omk_arena_alloc(ctx->a, (all->n + 1) * sizeof *refs);
    p->by[i] = omk_arena_alloc(ctx->a, (all->n + 1) * sizeof *p->by[i]);
    p->own[i] = omk_arena_alloc(ctx->a, (all->n + 1) * sizeof *p->own[i]);
    if (!refs || !p->by[i] || !p->own[i])
        return OMK_NOMEM;
    size_t n = 0;
    for (size_t k = 0; k < all->n; k++) {
        const omk_row *row = &all->rows[k];
        if (owners)
            refs[n++] = (kid_ref){row, owners[k], orders[k]};
        else if (row->v[v].t == OMK_V_TEXT)
            refs[n++] = (kid_ref){row, row->v[v].s, row->id};
    }
    qsort(refs, n, sizeof *refs, cmp_kid);
    for (size_t k = 0; k < n; k++) {
        p->by[i][k] = refs[k].row;
        p->own[i][k] = refs[k].owner;
    }
    p->nby[i] = n;
    return OMK_OK;
}

/* A new entry for rows of r (no children loaded yet), added to ctx. */
static omk_prefetch *prefetch_entry(omk_api_ctx *ctx, const omk_resource *r,
                                    const omk_rowset *rows)
{
    omk_prefetch *p = omk_arena_alloc(ctx->a, sizeof *p);
    if (!p)
        return NULL;
    p->r = r;
    p->rows = omk_arena_alloc(ctx->a, (rows->n + 1) * sizeof *p->rows);
    p->kids = omk_arena_alloc(ctx->a, r->nfields * sizeof *p->kids);
    p->by = omk_arena_alloc(ctx->a, r->nfields * sizeof *p->by);
    p->via_idx = omk_arena_alloc(ctx->a, r->nfields * sizeof *p->via_idx);
    p->nby = omk_arena_alloc(ctx->a, r->nfields * sizeof *p->nby);
    p->own = omk_arena_alloc(ctx->a, r->nfields * sizeof *p->own);
    if (!p->rows || !p->kids || !p->by || !p->via_idx || !p->nby || !p->own)
        return NULL;
    for (size_t i = 0; i < rows->n; i++)
        p->rows[i] = &rows->rows[i];
    p->nrows = rows->n;
    p->base = rows->rows;
    p->nbase = rows->n;
    qsort(p->rows, p->nrows, sizeof *p->rows, cmp_row_uuid);
    for (size_t i = 0; i < r->nfields; i++)
        p->via_idx[i] = -1;
    p->next = ctx->prefetch;
    ctx->prefetch = p;
    return p;
}

/* The row of p with this uuid, or NULL. */
static const omk_row *entry_row(const omk_prefetch *p, const char *uuid)
{
    size_t lo = 0, hi = p->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->rows[mid]->uuid, uuid);
        if (c == 0)
            return p->rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Loads the children of every row of p through REVERSE or REFLIST field i (one query). With
 * refs_only the children of a REVERSE field are read as references (id, uuid, via): enough
 * where the page shows them as {uuid, url}, not embedded or expanded. */
static omk_rc load_kids(omk_db *db, omk_api_ctx *ctx, omk_prefetch *p, size_t i, bool refs_only)
{
    const omk_field *f = &p->r->fields[i];
    int via = f->type == OMK_F_REFLIST ? 0 : -1;
    for (size_t k = 0; via < 0 && k < f->target->nfields; k++)
        if (f->target->fields[k].column && strcmp(f->target->fields[k].column, f->via) == 0)
            via = (int)k;
    if (via < 0 || p->nrows == 0)
        return OMK_OK;
    const char **uuids = omk_arena_alloc(ctx->a, (p->nrows + 1) * sizeof *uuids);
    if (!uuids)
        return OMK_NOMEM;
    /* Only the rows that may have children through f are asked for; often none. */
    int bit = omk_db_relation_bit(db, p->r, f);
    size_t n = 0;
    for (size_t k = 0; k < p->nrows; k++)
        if (!omk_row_childless(p->rows[k], bit))
            uuids[n++] = p->rows[k]->uuid;
    const char **owners = NULL;
    int64_t *orders = NULL;
    omk_rc rc = OMK_OK;
    if (n == 0)
        p->kids[i] = (omk_rowset){0};
    else if (f->type == OMK_F_REFLIST)
        rc = omk_db_linked_in(db, f, uuids, n, ctx->a, &p->kids[i], &owners, &orders);
    else
        rc = omk_db_children_in(db, f->target, f->via, uuids, n, refs_only, ctx->a, &p->kids[i]);
    if (rc == OMK_TOOBIG)
        return OMK_OK; /* too many rows for one query: read per object instead */
    if (rc)
        return rc;
    p->via_idx[i] = via;
    return index_kids(ctx, p, i, owners, orders);
}

static omk_expand sub_expand(omk_api_ctx *ctx, const omk_expand *ex, const char *name,
                             bool *direct);

/* omk_res_prefetch for rows whose expansions are ex (NULL: none): a REVERSE relation that is
 * neither embedded nor expanded is shown as references, so only those are read. */
static omk_rc prefetch_with(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                            const omk_rowset *rows, const omk_expand *ex)
{
    omk_prefetch *p = prefetch_entry(ctx, r, rows);
    if (!p)
        return OMK_NOMEM;
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < r->nfields && !rc; i++) {
        const omk_field *f = &r->fields[i];
        if ((f->type != OMK_F_REVERSE && f->type != OMK_F_REFLIST) || (f->flags & OMK_HIDDEN))
            continue;
        bool expanded = false;
        if (ex && ex->n)
            (void)sub_expand(ctx, ex, f->json, &expanded);
        rc = load_kids(db, ctx, p, i,
                       f->type == OMK_F_REVERSE && !(f->flags & OMK_EMBED) && !expanded);
    }
    return rc;
}

omk_rc omk_res_prefetch(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                        const omk_rowset *rows)
{
    return prefetch_with(db, ctx, r, rows, NULL);
}

/* True when the references to rows of r (refs_only) carry column: r's subjects name it. */
static bool refs_carry(const omk_resource *r, const char *column)
{
    for (size_t p = 0; r->subjects && p < OMK_SUBJECT_PATHS; p++) {
        const omk_subject_path *sp = &r->subjects->paths[p];
        if (sp->column && !sp->via_table && strcmp(sp->column, column) == 0)
            return true;
    }
    return false;
}

bool omk_res_prefetched_column(const omk_api_ctx *ctx, const omk_resource *r, const omk_row *rows,
                               size_t n, const char *table, const char *via, const char *col,
                               omk_rc (*fn)(void *arg, const char *v), void *arg, omk_rc *rc)
{
    *rc = OMK_OK;
    for (const omk_prefetch *p = ctx->prefetch; p; p = p->next) {
        if (p->r != r || p->base != rows || p->nbase != n)
            continue;
        for (size_t i = 0; i < r->nfields; i++) {
            const omk_field *f = &r->fields[i];
            if (f->type != OMK_F_REVERSE || p->via_idx[i] < 0 ||
                strcmp(f->target->table, table) != 0 || strcmp(f->via, via) != 0 ||
                !refs_carry(f->target, col))
                continue;
            int c = -1;
            for (size_t k = 0; c < 0 && k < f->target->nfields; k++)
                if (f->target->fields[k].column && strcmp(f->target->fields[k].column, col) == 0)
                    c = (int)k;
            if (c < 0)
                return false;
            for (size_t k = 0; !*rc && k < p->kids[i].n; k++) {
                const omk_value *v = &p->kids[i].rows[k].v[c];
                if (v->t == OMK_V_TEXT)
                    *rc = fn(arg, v->s);
            }
            return true;
        }
    }
    return false;
}

/* The entry holding row of r, or NULL. */
static const omk_prefetch *entry_of(const omk_api_ctx *ctx, const omk_resource *r,
                                    const char *uuid)
{
    for (const omk_prefetch *p = ctx->prefetch; p; p = p->next)
        if (p->r == r && entry_row(p, uuid))
            return p;
    return NULL;
}

/* True when p holds row: the row itself is one of the entry's (a page's rows are serialised
 * from the very rowset the entry was made of), or one with its uuid is. */
static bool holds(const omk_prefetch *p, const omk_row *row)
{
    if ((uintptr_t)row - (uintptr_t)p->base < p->nbase * sizeof *row)
        return true;
    return entry_row(p, row->uuid) != NULL;
}

/* The entry that holds the children of row through field i, or NULL. */
static const omk_prefetch *kids_entry(const omk_api_ctx *ctx, const omk_resource *r, size_t i,
                                      const omk_row *row)
{
    for (const omk_prefetch *p = ctx->prefetch; p; p = p->next)
        if (p->r == r && p->via_idx[i] >= 0 && holds(p, row))
            return p;
    return NULL;
}

/* True when the children of row through field i are in memory. */
static bool prefetched(const omk_api_ctx *ctx, const omk_resource *r, size_t i,
                       const omk_row *row)
{
    return kids_entry(ctx, r, i, row) != NULL;
}

/* True when REVERSE or REFLIST field i of row is known to have no children: the store says so
 * (omk_row.childless), or the row was just created (see omk_api_ctx.fresh_*). */
static bool known_childless(omk_db *db, const omk_api_ctx *ctx, const omk_resource *r,
                            size_t i, const omk_row *row)
{
    if (row->childless && omk_row_childless(row, omk_db_relation_bit(db, r, &r->fields[i])))
        return true;
    return ctx->fresh_r == r && i < 64 && ((ctx->fresh_empty >> i) & 1) && ctx->fresh_uuid &&
           strcmp(ctx->fresh_uuid, row->uuid) == 0;
}

/* The children of row through REVERSE or REFLIST field i: from a prefetch entry that holds them
 * (binary search for the first child of this parent, then the run of its children), else a
 * query. */
static omk_rc children_of(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, size_t i,
                          const omk_row *row, omk_rowset *out)
{
    const omk_field *f = &r->fields[i];
    const omk_prefetch *p = kids_entry(ctx, r, i, row);
    if ((p && p->nby[i] == 0) || (!p && known_childless(db, ctx, r, i, row))) {
        *out = (omk_rowset){0};
        return OMK_OK;
    }
    if (!p && f->type == OMK_F_REFLIST)
        return omk_db_linked(db, f, row->uuid, ctx->a, out);
    if (!p)
        return omk_db_children(db, f->target, f->via, row->uuid, ctx->a, out);
    const omk_row **by = p->by[i];
    const char **own = p->own[i];
    size_t lo = 0, hi = p->nby[i], end = hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(own[mid], row->uuid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < end && strcmp(own[lo + n], row->uuid) == 0)
        n++;
    out->n = 0;
    out->rows = omk_arena_alloc(ctx->a, (n + 1) * sizeof *out->rows);
    if (!out->rows)
        return OMK_NOMEM;
    for (size_t k = 0; k < n; k++)
        out->rows[out->n++] = *by[lo + k];
    return OMK_OK;
}

/* The paths of ex below field `name` ("name.rest" → "rest"); *direct tells whether `name`
 * itself was asked for. */
static omk_expand sub_expand(omk_api_ctx *ctx, const omk_expand *ex, const char *name,
                             bool *direct)
{
    omk_expand sub = {omk_arena_alloc(ctx->a, (ex->n + 1) * sizeof(char *)), 0};
    size_t n = strlen(name);
    *direct = false;
    for (size_t i = 0; sub.paths && i < ex->n; i++) {
        const char *p = ex->paths[i];
        if (strncmp(p, name, n) != 0 || (p[n] != 0 && p[n] != '.'))
            continue;
        *direct = true;
        if (p[n] == '.')
            sub.paths[sub.n++] = p + n + 1;
    }
    return sub;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rows an expanded relation f of p's rows leads to: their children through f (already in
 * p) or, for a to-one relation, the referenced rows (one query). *none when there are none or
 * they cannot be loaded in one query (then each object reads its own, as without prefetch). */
static omk_rc expansion_rows(omk_db *db, omk_api_ctx *ctx, const omk_prefetch *p, size_t i,
                             omk_rowset *out, bool *none)
{
    const omk_field *f = &p->r->fields[i];
    *none = true;
    if (f->type == OMK_F_REVERSE) {
        *out = p->kids[i];
        *none = p->via_idx[i] < 0;
        return OMK_OK;
    }
    const char **uuids = omk_arena_alloc(ctx->a, (p->nrows + 1) * sizeof *uuids);
    if (!uuids)
        return OMK_NOMEM;
    size_t n = 0;
    for (size_t k = 0; k < p->nrows; k++)
        if (p->rows[k]->v[i].t == OMK_V_TEXT)
            uuids[n++] = p->rows[k]->v[i].s;
    qsort(uuids, n, sizeof *uuids, cmp_str);
    size_t u = 0;
    for (size_t k = 0; k < n; k++)
        if (u == 0 || strcmp(uuids[u - 1], uuids[k]) != 0)
            uuids[u++] = uuids[k];
    if (u == 0)
        return OMK_OK;
    omk_rc rc = omk_db_children_in(db, f->target, "uuid", uuids, u, false, ctx->a, out);
    if (rc == OMK_TOOBIG)
        return OMK_OK;
    *none = rc != OMK_OK;
    return rc;
}

/* Loads what the expansions ex of p's rows will show, as deep as the paths go: for each
 * expanded relation the rows it leads to, with their embedded children and the children of
 * relations expanded further. Objects the entries do not hold are read as before. */
static omk_rc prefetch_expand(omk_db *db, omk_api_ctx *ctx, const omk_prefetch *p,
                              const omk_expand *ex)
{
    const omk_resource *r = p->r;
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < r->nfields && !rc; i++) {
        const omk_field *f = &r->fields[i];
        if (f->type != OMK_F_REF && f->type != OMK_F_REVERSE)
            continue;
        bool direct = false, none = true;
        omk_expand sub = sub_expand(ctx, ex, f->json, &direct);
        omk_rowset set = {0};
        if (!direct || (rc = expansion_rows(db, ctx, p, i, &set, &none)) || none)
            continue;
        omk_prefetch *q = prefetch_entry(ctx, f->target, &set);
        if (!q)
            return OMK_NOMEM;
        for (size_t k = 0; k < f->target->nfields && !rc; k++) {
            const omk_field *g = &f->target->fields[k];
            bool further = false;
            if (g->type != OMK_F_REVERSE || (g->flags & OMK_HIDDEN))
                continue;
            (void)sub_expand(ctx, &sub, g->json, &further);
            if ((g->flags & OMK_EMBED) || further)
                rc = load_kids(db, ctx, q, k, false);
        }
        if (!rc && sub.n)
            rc = prefetch_expand(db, ctx, q, &sub);
    }
    return rc;
}

omk_rc omk_res_prefetch_ex(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                           const omk_rowset *rows, const omk_expand *ex)
{
    omk_rc rc = prefetch_with(db, ctx, r, rows, ex);
    if (!rc && ex && ex->n)
        rc = prefetch_expand(db, ctx, ctx->prefetch, ex);
    return rc;
}

static omk_rc expand_into(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, const omk_expand *ex, omk_jv *exp)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < r->nfields && !rc; i++) {
        const omk_field *f = &r->fields[i];
        if (f->type != OMK_F_REF && f->type != OMK_F_REVERSE)
            continue;
        bool direct = false;
        omk_expand sub = sub_expand(ctx, ex, f->json, &direct);
        if (!direct)
            continue;
        if (f->type == OMK_F_REF) {
            omk_row *target = NULL;
            omk_jv *v = omk_jv_null(ctx->a);
            if (row->v[i].t == OMK_V_TEXT) {
                const omk_prefetch *p = entry_of(ctx, f->target, row->v[i].s);
                if (p)
                    target = (omk_row *)entry_row(p, row->v[i].s);
                else
                    rc = omk_db_get(db, f->target, row->v[i].s, ctx->a, &target);
                if (rc == OMK_NOTFOUND)
                    rc = OMK_OK;
                else if (!rc)
                    rc = omk_res_to_jv(db, ctx, f->target, target, &sub, &v);
            }
            omk_jv_set(exp, f->json, v);
            continue;
        }
        omk_rowset kids = {0};
        if ((rc = children_of(db, ctx, r, i, row, &kids)))
            break;
        omk_jv *arr = omk_jv_array(ctx->a);
        for (size_t k = 0; k < kids.n && !rc; k++) {
            omk_jv *item = NULL;
            rc = omk_res_to_jv(db, ctx, f->target, &kids.rows[k], &sub, &item);
            if (!rc)
                omk_jv_append(arr, item);
        }
        omk_jv_set(exp, f->json, arr);
    }
    return rc;
}

/* An array of the rows' references, or of the rows in full (embed). */
static omk_rc rows_jv(omk_db *db, omk_api_ctx *ctx, const omk_field *f, const omk_rowset *rows,
                      omk_jv **out)
{
    omk_jv *arr = omk_jv_array(ctx->a);
    omk_rc rc = OMK_OK;
    for (size_t k = 0; k < rows->n && !rc; k++) {
        omk_jv *item = NULL;
        if (f->flags & OMK_EMBED)
            rc = omk_res_to_jv(db, ctx, f->target, &rows->rows[k], NULL, &item);
        else
            item = ref_jv(ctx, f->target, rows->rows[k].uuid);
        if (!rc)
            omk_jv_append(arr, item);
    }
    *out = arr;
    return rc;
}

static omk_rc field_jv(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, size_t i,
                       const omk_row *row, omk_jv *obj)
{
    const omk_field *f = &r->fields[i];
    omk_rc rc = OMK_OK;
    omk_jv *v = NULL;
    if (f->type == OMK_F_REVERSE && !(f->flags & OMK_EMBED) &&
        !prefetched(ctx, r, i, row)) {
        /* References only: read just the uuids. */
        const char **uuids = NULL;
        size_t n = 0;
        if (!known_childless(db, ctx, r, i, row) &&
            (rc = omk_db_child_uuids(db, f->target, f->via, row->uuid, ctx->a, &uuids, &n)))
            return rc;
        v = omk_jv_array(ctx->a);
        for (size_t k = 0; k < n; k++)
            omk_jv_append(v, ref_jv(ctx, f->target, uuids[k]));
    } else if (f->type == OMK_F_REVERSE || f->type == OMK_F_REFLIST) {
        omk_rowset kids = {0};
        rc = children_of(db, ctx, r, i, row, &kids);
        if (!rc)
            rc = rows_jv(db, ctx, f, &kids, &v);
        if (rc)
            return rc;
    } else if (f->type == OMK_F_COMPUTED) {
        const char *s = f->compute(r, row, ctx->a);
        v = s ? omk_jv_str(ctx->a, s) : omk_jv_null(ctx->a);
    } else if ((f->flags & OMK_OMIT_EMPTY) &&
               (row->v[i].t == OMK_V_NULL || (row->v[i].t == OMK_V_TEXT && row->v[i].n == 0))) {
        return OMK_OK;
    } else {
        v = value_jv(ctx, f, &row->v[i]);
    }
    set_path(ctx, obj, f->json, v);
    return OMK_OK;
}

/* A nullable group whose stored fields are all NULL reads back as null; optional groups whose
 * schema has required parts are left out when empty. */
static void groups_jv(omk_api_ctx *ctx, const omk_resource *r, const omk_row *row,
                      const char *disc, omk_jv *obj)
{
    for (size_t g = 0; g < r->ngroups; g++) {
        const omk_group *grp = &r->groups[g];
        if (!grp->nullable || (grp->variant && !(disc && omk_model_field_applies(
                                                             &(omk_field){.variant = grp->variant},
                                                             disc))))
            continue;
        size_t pn = strlen(grp->prefix);
        bool any = false, all_null = true;
        for (size_t i = 0; i < r->nfields; i++) {
            const omk_field *f = &r->fields[i];
            if (!stored(f) || strncmp(f->json, grp->prefix, pn) != 0 || f->json[pn] != '.')
                continue;
            any = true;
            if (row->v[i].t != OMK_V_NULL)
                all_null = false;
        }
        if (any && all_null)
            set_path(ctx, obj, grp->prefix, omk_jv_null(ctx->a));
    }
    for (size_t g = 0; g < r->ngroups; g++) {
        const omk_group *grp = &r->groups[g];
        if (!grp->omit_empty)
            continue;
        size_t pn = strlen(grp->prefix);
        bool any = false, empty = true;
        for (size_t i = 0; i < r->nfields; i++) {
            const omk_field *f = &r->fields[i];
            if (!stored(f) || strncmp(f->json, grp->prefix, pn) != 0 || f->json[pn] != '.')
                continue;
            any = true;
            if (row->v[i].t == OMK_V_INT || (row->v[i].t == OMK_V_TEXT && row->v[i].n > 0))
                empty = false;
        }
        if (any && empty)
            omk_jv_del(obj, grp->prefix);
    }
}

/* Runs the resource's decorate hook, which edits jansson: the object goes to jansson and back
 * (only resources with such a hook pay for it). */
static omk_rc decorate_jv(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, omk_jv **obj)
{
    json_t *j = omk_jv_to_jansson(*obj);
    if (!j)
        return OMK_NOMEM;
    omk_rc rc = r->hooks->decorate(db, ctx, r, row, j);
    omk_jv *wrapped = omk_jv_jansson(ctx->a, j);
    if (!rc && !wrapped)
        rc = OMK_NOMEM;
    *obj = wrapped;
    return rc;
}

/* The row as the request's purpose may see it (doelbinding): OMK_ZICHT_ADRES fields null
 * when the address is hidden, or when the row is under geheimhouding and the secret address
 * is; OMK_ZICHT_INHOUD fields "". The row itself when nothing is hidden; else a copy in the
 * arena (NULL when out of memory). */
static const omk_row *visible_row(omk_api_ctx *ctx, const omk_resource *r, const omk_row *row)
{
    unsigned hide = ctx->verberg;
    if (ctx->verberg_geheim && r->geheim && !(hide & OMK_ZICHT_ADRES)) {
        int g = omk_model_field_index(r, r->geheim);
        if (g >= 0 && row->v[g].t == OMK_V_INT && row->v[g].i)
            hide |= OMK_ZICHT_ADRES;
    }
    if (!hide)
        return row;
    omk_row *copy = NULL;
    for (size_t i = 0; i < r->nfields; i++) {
        unsigned f = r->fields[i].flags & hide;
        if (!f)
            continue;
        if (!copy) {
            copy = omk_arena_alloc(ctx->a, sizeof *copy);
            omk_value *v = omk_arena_alloc(ctx->a, r->nfields * sizeof *v);
            if (!copy || !v)
                return NULL;
            *copy = *row;
            memcpy(v, row->v, r->nfields * sizeof *v);
            copy->v = v;
        }
        copy->v[i] = (f & OMK_ZICHT_ADRES) ? (omk_value){.t = OMK_V_NULL} : omk_text0("");
    }
    return copy ? copy : row;
}

bool omk_res_field_hidden(const omk_api_ctx *ctx, const omk_field *f)
{
    unsigned hide = ctx->verberg | (ctx->verberg_geheim ? OMK_ZICHT_ADRES : 0);
    return (f->flags & hide) != 0;
}

omk_rc omk_res_to_jv(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const omk_row *row,
                     const omk_expand *ex, omk_jv **out)
{
    if (!(row = visible_row(ctx, r, row)))
        return OMK_NOMEM;
    omk_jv *obj = omk_jv_object(ctx->a);
    if (!obj)
        return OMK_NOMEM;
    omk_jv_setn(obj, "uuid", 4, omk_jv_str(ctx->a, row->uuid));
    omk_jv_setn(obj, "url", 3, omk_jv_str(ctx->a, omk_res_url(ctx, r, row->uuid)));
    const char *disc = NULL;
    if (r->discriminator) {
        int d = omk_model_field_index(r, r->discriminator);
        disc = d >= 0 && row->v[d].t == OMK_V_TEXT ? row->v[d].s : NULL;
    }
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < r->nfields && !rc; i++) {
        const omk_field *f = &r->fields[i];
        if ((f->flags & OMK_HIDDEN) || !omk_model_field_applies(f, disc))
            continue;
        rc = field_jv(db, ctx, r, i, row, obj);
    }
    if (rc)
        return rc;
    groups_jv(ctx, r, row, disc, obj);
    if (r->hooks && r->hooks->decorate_jv && (rc = r->hooks->decorate_jv(db, ctx, r, row, obj)))
        return rc;
    if (r->hooks && r->hooks->decorate && (rc = decorate_jv(db, ctx, r, row, &obj)))
        return rc;
    if (ex && ex->n) {
        omk_jv *exp = omk_jv_object(ctx->a);
        if ((rc = expand_into(db, ctx, r, row, ex, exp)))
            return rc;
        if (omk_jv_is_object(obj)) {
            omk_jv_set(obj, "_expand", exp);
        } else {
            /* Decorated: the object is jansson now. */
            json_t *e = omk_jv_to_jansson(exp);
            json_t *j = omk_jv_to_jansson(obj);
            if (!e || !j || json_object_set_new(j, "_expand", e)) {
                json_decref(j);
                return OMK_NOMEM;
            }
            obj = omk_jv_jansson(ctx->a, j);
        }
    }
    /* A value that could not be allocated marks its container (omk_jv_ok); the dump and the
     * jansson conversion report it, so the object is not walked here once more. */
    *out = obj;
    return OMK_OK;
}

/* ---- objects written straight to text ---- */

struct omk_res_writer {
    const omk_resource *r;
    const char **keys; /* per field: `,"json":`, escaped once */
    size_t *klen;
    const char *url;   /* `"<base>/<api>/<name>/`: an object's url up to its uuid */
    size_t url_len;
};

/* In the arena: `before`, s as a JSON string (without its closing quote when open), `after`. */
static const char *json_piece(omk_api_ctx *ctx, const char *before, const char *s, bool open,
                              const char *after, size_t *len)
{
    char mem[2048]; /* keys and URL prefixes are short: no allocation per piece */
    omk_buf b;
    omk_buf_init_fixed(&b, mem, sizeof mem);
    omk_buf_puts(&b, before);
    omk_json_dump_string(&b, s, strlen(s));
    if (open && b.n)
        b.n--;
    omk_buf_puts(&b, after);
    *len = b.n;
    return b.rc ? NULL : omk_arena_strndup(ctx->a, b.p, b.n);
}

omk_res_writer *omk_res_writer_new(omk_api_ctx *ctx, const omk_resource *r)
{
    if (r->ngroups || (r->hooks && (r->hooks->decorate || r->hooks->decorate_jv)))
        return NULL;
    for (size_t i = 0; i < r->nfields; i++)
        if (strchr(r->fields[i].json, '.'))
            return NULL;
    omk_res_writer *w = omk_arena_alloc(ctx->a, sizeof *w);
    if (!w || !(w->keys = omk_arena_alloc(ctx->a, (r->nfields + 1) * sizeof *w->keys)) ||
        !(w->klen = omk_arena_alloc(ctx->a, (r->nfields + 1) * sizeof *w->klen)))
        return NULL;
    w->r = r;
    for (size_t i = 0; i < r->nfields; i++)
        if (!(w->keys[i] = json_piece(ctx, ",", r->fields[i].json, false, ":", &w->klen[i])))
            return NULL;
    /* omk_res_url without the uuid: uuids need no escaping. */
    const char *prefix = omk_arena_printf(ctx->a, "%s%s/%s/", ctx->base_url, r->api_base, r->name);
    if (!prefix || !(w->url = json_piece(ctx, "", prefix, true, "", &w->url_len)))
        return NULL;
    return w;
}

/* Writes the value of a stored scalar field as value_jv shows it (null, boolean, number,
 * RFC 3339 time, string); false, writing nothing, for the other types. */
static bool write_scalar(omk_buf *b, const omk_field *f, const omk_value *v)
{
    switch (f->type) {
    case OMK_F_OBJECT: case OMK_F_LIST: case OMK_F_REF:
    case OMK_F_REVERSE: case OMK_F_REFLIST: case OMK_F_COMPUTED:
        return false;
    default:
        break;
    }
    if (v->t == OMK_V_NULL) {
        omk_buf_append(b, "null", 4);
    } else if (f->type == OMK_F_BOOL) {
        omk_buf_puts(b, v->i ? "true" : "false");
    } else if (f->type == OMK_F_DATETIME) {
        char ts[32];
        omk_time_format(v->i, ts);
        omk_json_dump_string(b, ts, strlen(ts));
    } else if (f->type != OMK_F_INT && v->t == OMK_V_TEXT) {
        omk_json_dump_string(b, v->s, v->n);
    } else {
        omk_json_dump_int(b, v->i);
    }
    return true;
}

omk_rc omk_res_write_json(omk_db *db, omk_api_ctx *ctx, const omk_res_writer *w,
                          const omk_row *row, omk_buf *b)
{
    const omk_resource *r = w->r;
    if (!(row = visible_row(ctx, r, row)))
        return OMK_NOMEM;
    size_t ulen = strlen(row->uuid);
    omk_buf_append(b, "{\"uuid\":\"", 9);
    omk_buf_append(b, row->uuid, ulen);
    omk_buf_append(b, "\",\"url\":", 8);
    omk_buf_append(b, w->url, w->url_len);
    omk_buf_append(b, row->uuid, ulen);
    omk_buf_putc(b, '"');
    const char *disc = NULL;
    if (r->discriminator) {
        int d = omk_model_field_index(r, r->discriminator);
        disc = d >= 0 && row->v[d].t == OMK_V_TEXT ? row->v[d].s : NULL;
    }
    bool first = false;
    for (size_t i = 0; i < r->nfields; i++) {
        const omk_field *f = &r->fields[i];
        const omk_value *v = &row->v[i];
        if ((f->flags & OMK_HIDDEN) || !omk_model_field_applies(f, disc))
            continue;
        if ((f->flags & OMK_OMIT_EMPTY) && f->type != OMK_F_REVERSE &&
            f->type != OMK_F_REFLIST && f->type != OMK_F_COMPUTED &&
            (v->t == OMK_V_NULL || (v->t == OMK_V_TEXT && v->n == 0)))
            continue;
        size_t mark = b->n;
        omk_buf_append(b, w->keys[i], w->klen[i]);
        if (write_scalar(b, f, v))
            continue;
        /* Relations, references, stored JSON, computed values: as omk_res_to_jv builds them. */
        b->n = mark;
        omk_jv *one = omk_jv_object(ctx->a);
        omk_rc rc = one ? field_jv(db, ctx, r, i, row, one) : OMK_NOMEM;
        if (rc)
            return rc;
        omk_jv_dump_members(b, one, &first);
    }
    omk_buf_putc(b, '}');
    return b->rc;
}

omk_rc omk_res_to_json_ex(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, const omk_expand *ex, json_t **out)
{
    omk_jv *v = NULL;
    omk_rc rc = omk_res_to_jv(db, ctx, r, row, ex, &v);
    if (rc)
        return rc;
    *out = omk_jv_to_jansson(v);
    return *out ? OMK_OK : OMK_NOMEM;
}

omk_rc omk_res_to_json(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const omk_row *row,
                       json_t **out)
{
    return omk_res_to_json_ex(db, ctx, r, row, NULL, out);
}
