/* WhatsApp message templates (/kanalen/api/v1/whatsappsjablonen). Outside the 24-hour customer
 * service window (standards-2 §10: 24 hours after the resident's last message) the Cloud API
 * takes only a template Meta approved; beheer registers each template here as approved in
 * Meta's Business Manager (name, language code, category, the body text with {{1}}, {{2}} …
 * placeholders). The werkplek sends one by name with its parameters; the stored text, filled
 * in, is what the conversation shows. */
#include <stdio.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/buf.h"
#include "omk/util.h"

#define MAX_PARAMS 10

static const char *const CATEGORIEEN[] = {"utility", "marketing", "authentication", NULL};

static const omk_field FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "taal", .column = "taal", .type = OMK_F_STRING, .max_len = 10},
    {.json = "categorie", .column = "categorie", .type = OMK_F_ENUM, .choices = CATEGORIEEN},
    {.json = "tekst", .column = "tekst", .type = OMK_F_STRING, .flags = OMK_REQ,
     .max_len = 1024},
    {.json = "goedgekeurd", .column = "goedgekeurd", .type = OMK_F_BOOL, .def = "false"},
};
enum { S_NAAM, S_TAAL, S_CATEGORIE, S_TEKST, S_GOEDGEKEURD };

static const omk_filter FILTERS[] = {
    {"naam", "naam", OMK_OP_EQ},
    {"goedgekeurd", "goedgekeurd", OMK_OP_EQ},
};

static const omk_hooks hooks;

const omk_resource omk__wa_sjabloon = {
    .name = "whatsappsjablonen", .model = "WhatsAppSjabloon",
    .table = "kanalen_whatsapp_sjablonen", .fields = FIELDS, .nfields = OMK_COUNT(FIELDS),
    .filters = FILTERS, .nfilters = OMK_COUNT(FILTERS), .order_column = "naam",
    .order_ascending = true, .hooks = &hooks, .api_base = KAN_BASE,
};

/* Defaults the engine does not fill, and one template per name. */
static omk_rc apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                    const omk_row *old, json_t *body)
{
    (void)body;
    if (!*omk_row_text0(r, row, "taal"))
        omk_row_set_text(ctx, r, row, "taal", "nl");
    if (!*omk_row_text0(r, row, "categorie"))
        omk_row_set_text(ctx, r, row, "categorie", "utility");
    omk_cond c = {"naam", omk_text0(omk_row_text0(r, row, "naam"))};
    bool exists = false;
    omk_rc rc = omk_db_exists(db, r, &c, 1, old ? old->uuid : NULL, &exists);
    if (!rc && exists) {
        omk_api_err_add(ctx, "naam", "unique", "Er is al een sjabloon met deze naam.");
        return OMK_INVALID;
    }
    return rc;
}

static const omk_hooks hooks = {.apply = apply};

/* The number of the highest {{n}} placeholder in t. */
static int placeholders(const char *t)
{
    int max = 0;
    for (const char *p = strstr(t, "{{"); p; p = strstr(p + 2, "{{")) {
        int n = 0;
        const char *q = p + 2;
        while (*q >= '0' && *q <= '9' && n < 1000)
            n = n * 10 + (*q++ - '0');
        if (q[0] == '}' && q[1] == '}' && n > max)
            max = n;
    }
    return max;
}

omk_rc omk__wa_sjabloon_vul(omk_db *db, omk_api_ctx *ctx, const char *naam, json_t *parameters,
                            const char **tekst, const char **taal)
{
    static const omk_filter BY_NAAM = {"_n", "naam", OMK_OP_EQ};
    omk_filter_arg f = {&BY_NAAM, naam};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__wa_sjabloon, &q, ctx->a, &rows, NULL);
    if (rc)
        return rc;
    if (!rows.n || !rows.rows[0].v[S_GOEDGEKEURD].i) {
        omk_api_err_add(ctx, "sjabloon.naam", rows.n ? "niet_goedgekeurd" : "does_not_exist",
                        rows.n ? "Dit sjabloon is (nog) niet goedgekeurd en kan niet worden "
                                 "verstuurd."
                               : "Er is geen sjabloon met deze naam.");
        return OMK_INVALID;
    }
    const omk_row *s = &rows.rows[0];
    const char *t = s->v[S_TEKST].s;
    size_t n = json_array_size(parameters), i;
    json_t *p;
    json_array_foreach(parameters, i, p)
        if (!json_is_string(p) || !json_string_length(p) || json_string_length(p) > 1000) {
            omk_api_err_add(ctx, "sjabloon.parameters", "invalid",
                            "Elke parameter is een tekst van 1 tot 1000 tekens.");
            return OMK_INVALID;
        }
    int want = placeholders(t);
    if ((int)n != want || n > MAX_PARAMS) {
        omk_api_err_add(ctx, "sjabloon.parameters", "invalid",
                        omk_arena_printf(ctx->a, "Dit sjabloon verwacht %d parameter(s).", want));
        return OMK_INVALID;
    }
    omk_buf b;
    omk_buf_init(&b, 64 * 1024);
    for (const char *c = t; *c;) {
        int k = 0;
        const char *q2 = c + 2;
        if (c[0] == '{' && c[1] == '{') {
            while (*q2 >= '0' && *q2 <= '9' && k < 1000)
                k = k * 10 + (*q2++ - '0');
        }
        if (k >= 1 && k <= want && q2[0] == '}' && q2[1] == '}') {
            omk_buf_puts(&b, json_string_value(json_array_get(parameters, (size_t)k - 1)));
            c = q2 + 2;
        } else {
            omk_buf_printf(&b, "%c", *c++);
        }
    }
    *tekst = b.rc ? NULL : omk_arena_strdup(ctx->a, b.p ? b.p : "");
    omk_buf_release(&b);
    *taal = s->v[S_TAAL].s;
    return *tekst ? OMK_OK : OMK_NOMEM;
}

size_t omk__sjabloon_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_resource *r = &omk__wa_sjabloon;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/whatsappsjablonen", omk__res_list, r, api, 0, 0, NULL},
        {"POST", KAN_BASE "/whatsappsjablonen", omk__res_create, r, api, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KAN_BASE "/whatsappsjablonen/{uuid}", omk__res_read, r, api, 0, 0, NULL},
        {"PUT", KAN_BASE "/whatsappsjablonen/{uuid}", omk__res_put, r, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"PATCH", KAN_BASE "/whatsappsjablonen/{uuid}", omk__res_patch, r, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"DELETE", KAN_BASE "/whatsappsjablonen/{uuid}", omk__res_delete, r, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
