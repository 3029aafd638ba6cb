/* The kennisbank (/kennisbank/api/v1): one article, every channel. Articles are a declared
 * resource with their own rules (versions on every edit, the Dutch full-text index kept in
 * step, readability), plus search, channel renditions and the use of articles in contacts.
 * Editing, and seeing unpublished or expired articles, needs the scope `redacteur` (or `*`). */
#include <ctype.h>
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "kennisbank/kennisbank.h"
#include "omk/buf.h"
#include "omk/search.h"
#include "omk/util.h"

#define KB_BASE "/kennisbank/api/v1"
#define EDITOR "redacteur"
#define LONG_SENTENCE 20 /* words; B1 guidance keeps sentences short */

static const char *const LAAG[] = {"generiek", "gemeentelijk", "persoonlijk", NULL};
static const char *const STATUS[] = {"concept", "gepubliceerd", "gearchiveerd", NULL};
static const char *const DOELGROEP[] = {"inwoner", "ondernemer", NULL};
static const char *const KANALEN[] = {"web", "chat", "telefoon", NULL};

/* The Dutch full-text index: one entry per article (rowid = kb_artikelen.id). Title weighs
 * most, then the residents' questions, then keywords/synonyms/product, then the answer. */
static const char *const ZOEK_KOLOMMEN[] = {"titel", "vragen", "antwoord", "trefwoorden"};
/* A common word ranks the articles with it in the title first, then those with it in a
 * question or keyword, then the rest: only as many as the page needs are ranked. */
static const char *const ZOEK_TREDEN[] = {"{titel}", "{titel vragen trefwoorden}", NULL};
static const omk_search_index ZOEKINDEX = {
    .fts = "kb_zoekindex", .owner = "kb_artikelen", .columns = ZOEK_KOLOMMEN, .ncolumns = 4,
    .weights = "10.0, 5.0, 1.0, 3.0", .title_col = 0, .snippet_col = 2,
    .meta = "kb_zoekmeta", .tiers = ZOEK_TREDEN,
};
/* The same index ranked without tiers, for a search with any of the words (after every word
 * found nothing): there a title holding only the common word ("Status van uw aanvraag" for
 * "dagactiviteit aanvragen") must not rank before an article with the rare one, which BM25's
 * IDF weighs far higher. */
static const omk_search_index ZOEKINDEX_OF = {
    .fts = "kb_zoekindex", .owner = "kb_artikelen", .columns = ZOEK_KOLOMMEN, .ncolumns = 4,
    .weights = "10.0, 5.0, 1.0, 3.0", .title_col = 0, .snippet_col = 2,
    .meta = "kb_zoekmeta", .tiers = NULL,
};

static const omk_hooks artikel_hooks;

static const omk_field ARTIKEL_FIELDS[] = {
    {.json = "titel", .column = "titel", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "vragen", .column = "vragen", .type = OMK_F_LIST, .max_len = 300},
    {.json = "kortAntwoord", .column = "kort_antwoord", .type = OMK_F_STRING, .max_len = 1000},
    {.json = "antwoord", .column = "antwoord", .type = OMK_F_STRING, .max_len = 20000},
    {.json = "laag", .column = "laag", .type = OMK_F_ENUM, .flags = OMK_REQ, .choices = LAAG},
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .choices = STATUS},
    {.json = "doelgroep", .column = "doelgroep", .type = OMK_F_ENUM, .choices = DOELGROEP},
    {.json = "product", .column = "product", .type = OMK_F_STRING, .max_len = 200},
    {.json = "trefwoorden", .column = "trefwoorden", .type = OMK_F_LIST, .max_len = 100},
    {.json = "synoniemen", .column = "synoniemen", .type = OMK_F_LIST, .max_len = 100},
    {.json = "afdeling", .column = "afdeling", .type = OMK_F_STRING, .max_len = 200},
    {.json = "geldigVan", .column = "geldig_van", .type = OMK_F_DATE, .flags = OMK_NULLABLE},
    {.json = "geldigTot", .column = "geldig_tot", .type = OMK_F_DATE, .flags = OMK_NULLABLE},
    {.json = "reviewdatum", .column = "reviewdatum", .type = OMK_F_DATE, .flags = OMK_NULLABLE},
    /* the channels that show the article (default all); checked against KANALEN */
    {.json = "kanalen", .column = "kanalen", .type = OMK_F_LIST, .max_len = 20},
    {.json = "versie", .column = "versie", .type = OMK_F_INT, .flags = OMK_RO},
    {.json = "gewijzigdOp", .column = "gewijzigd_op", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
    {.json = "gewijzigdDoor", .column = "gewijzigd_door", .type = OMK_F_STRING, .flags = OMK_RO},
};

static const omk_filter ARTIKEL_FILTERS[] = {
    {"titel", "titel", OMK_OP_ICONTAINS},
    {"status", "status", OMK_OP_EQ},
    {"laag", "laag", OMK_OP_EQ},
    {"doelgroep", "doelgroep", OMK_OP_EQ},
    {"product", "product", OMK_OP_EQ},
    {"afdeling", "afdeling", OMK_OP_EQ},
    {"reviewdatum__lte", "reviewdatum", OMK_OP_LTE},
    /* used internally for what non-editors may see */
    {"_geldigVan__lte", "geldigVan", OMK_OP_LTE_OR_NULL},
    {"_geldigTot__gte", "geldigTot", OMK_OP_GTE_OR_NULL},
};

const omk_resource omk__kb_artikel = {
    .name = "artikelen", .model = "Artikel", .table = "kb_artikelen", .fields = ARTIKEL_FIELDS,
    .nfields = OMK_COUNT(ARTIKEL_FIELDS), .filters = ARTIKEL_FILTERS, .nfilters = OMK_COUNT(ARTIKEL_FILTERS) - 2,
    .hooks = &artikel_hooks, .api_base = KB_BASE,
};

static const omk_field VERSIE_FIELDS[] = {
    {.json = "artikel", .column = "artikel", .type = OMK_F_REF, .target = &omk__kb_artikel},
    {.json = "versie", .column = "versie", .type = OMK_F_INT},
    {.json = "gewijzigdOp", .column = "gewijzigd_op", .type = OMK_F_DATETIME},
    {.json = "gewijzigdDoor", .column = "gewijzigd_door", .type = OMK_F_STRING},
    {.json = "inhoud", .column = "inhoud", .type = OMK_F_OBJECT},
    {.json = "gewijzigdeVelden", .column = "gewijzigde_velden", .type = OMK_F_LIST},
};

const omk_resource omk__kb_versie = {
    .name = "versies", .model = "Versie", .table = "kb_versies", .fields = VERSIE_FIELDS,
    .nfields = OMK_COUNT(VERSIE_FIELDS), .api_base = KB_BASE,
};

static const omk_field GEBRUIK_FIELDS[] = {
    {.json = "artikel", .column = "artikel", .type = OMK_F_REF, .flags = OMK_REQ,
     .target = &omk__kb_artikel},
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF, .flags = OMK_REQ,
     .target = &omk__ki_klantcontact},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME, .flags = OMK_RO,
     .def = "now"},
};

static const omk_filter GEBRUIK_FILTERS[] = {
    {"artikel__uuid", "artikel/uuid", OMK_OP_EQ},
    {"klantcontact__uuid", "klantcontact/uuid", OMK_OP_EQ},
};

static const omk_hooks gebruik_hooks;

const omk_resource omk__kb_gebruik = {
    .name = "gebruik", .model = "Gebruik", .table = "kb_gebruik", .fields = GEBRUIK_FIELDS,
    .nfields = OMK_COUNT(GEBRUIK_FIELDS), .filters = GEBRUIK_FILTERS, .nfilters = OMK_COUNT(GEBRUIK_FILTERS),
    .hooks = &gebruik_hooks, .api_base = KB_BASE,
};

static const omk_field ZOEKVRAAG_FIELDS[] = {
    {.json = "vraag", .column = "vraag", .type = OMK_F_STRING},
    {.json = "resultaten", .column = "resultaten", .type = OMK_F_INT},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},
};

static const omk_filter ZOEKVRAAG_FILTERS[] = {{"resultaten", "resultaten", OMK_OP_EQ}};

const omk_resource omk__kb_zoekvraag = {
    .name = "zoekvragen", .model = "Zoekvraag", .table = "kb_zoekvragen",
    .fields = ZOEKVRAAG_FIELDS, .nfields = OMK_COUNT(ZOEKVRAAG_FIELDS), .filters = ZOEKVRAAG_FILTERS,
    .nfilters = 1, .api_base = KB_BASE,
};

/* ---- helpers ---- */


static void today(char out[11])
{
    char ts[32];
    omk_time_format(omk_now_ms() * 1000, ts);
    memcpy(out, ts, 10);
    out[10] = 0;
}

/* Whether a reader without the editor scope may see this article now. */
static bool visible(const omk_row *row)
{
    const omk_resource *r = &omk__kb_artikel;
    char d[11];
    today(d);
    const char *van = omk_row_text(r, row, "geldigVan"), *tot = omk_row_text(r, row, "geldigTot");
    return strcmp(omk_row_text0(r, row, "status"), "gepubliceerd") == 0 && (!van || strcmp(van, d) <= 0) &&
           (!tot || strcmp(tot, d) >= 0);
}

/* The words of a JSON list of strings, joined by newlines (for the index). */
static const char *list_text(omk_arena *a, const char *json)
{
    json_t *v = json_loads(json ? json : "[]", 0, NULL);
    omk_buf b;
    omk_buf_init(&b, 1 << 20);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        omk_buf_puts(&b, json_string_value(item) ? json_string_value(item) : "");
        omk_buf_putc(&b, '\n');
    }
    json_decref(v);
    const char *out = omk_arena_strdup(a, b.p ? b.p : "");
    omk_buf_release(&b);
    return out ? out : "";
}

/* ---- article rules ---- */

static void artikel_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                          const omk_row *old, json_t *body)
{
    if (!omk_row_text(r, row, "status"))
        omk_row_set_text(ctx, r, row, "status", "concept");
    if (!omk_row_text(r, row, "doelgroep"))
        omk_row_set_text(ctx, r, row, "doelgroep", "inwoner");
    const char *van = omk_row_text(r, row, "geldigVan"), *tot = omk_row_text(r, row, "geldigTot");
    if (van && tot && strcmp(tot, van) < 0)
        omk_api_err_add(ctx, "geldigTot", "invalid", "`geldigTot` ligt voor `geldigVan`.");
    if (!old && !json_object_get(body, "kanalen"))
        omk_row_set_text(ctx, r, row, "kanalen", "[\"web\",\"chat\",\"telefoon\"]");
    json_t *kanalen = json_loads(omk_row_text0(r, row, "kanalen"), 0, NULL);
    size_t ki;
    json_t *k;
    json_array_foreach(kanalen, ki, k)
    {
        const char *name = json_string_value(k);
        bool known = false;
        for (size_t c = 0; name && KANALEN[c]; c++)
            known = known || strcmp(name, KANALEN[c]) == 0;
        if (!known) {
            omk_api_err_add(ctx, "kanalen", "invalid_choice",
                            omk_arena_printf(ctx->a, "\"%s\" is een ongeldige keuze.",
                                             name ? name : ""));
            break;
        }
    }
    json_decref(kanalen);
    if (strcmp(omk_row_text0(r, row, "status"), "gepubliceerd") == 0 && !*omk_row_text0(r, row, "kortAntwoord") &&
        !*omk_row_text0(r, row, "antwoord"))
        omk_api_err_add(ctx, "antwoord", "required",
                        "Een gepubliceerd artikel heeft een kort antwoord of een antwoord.");
}

static omk_rc artikel_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                            const omk_row *old, json_t *body)
{
    (void)db;
    (void)body;
    int v = omk_model_field_index(r, "versie"), op = omk_model_field_index(r, "gewijzigdOp");
    row->v[v] = (omk_value){.t = OMK_V_INT, .i = old ? old->v[v].i + 1 : 1};
    row->v[op] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    omk_row_set_text(ctx, r, row, "gewijzigdDoor", ctx->principal ? ctx->principal : "");
    return OMK_OK;
}

/* The fields whose value differs between two serialisations of an article (all set fields
 * for a new article), as a JSON array text; bookkeeping fields are left out. */
static char *changed_fields(json_t *before, json_t *after)
{
    static const char *const SKIP[] = {"uuid", "url", "versie", "gewijzigdOp", "gewijzigdDoor",
                                       "leesbaarheid"};
    json_t *out = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(after, key, v)
    {
        bool skip = false;
        for (size_t i = 0; i < OMK_COUNT(SKIP); i++)
            skip = skip || strcmp(key, SKIP[i]) == 0;
        json_t *was = before ? json_object_get(before, key) : NULL;
        bool empty = json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
                     (json_is_array(v) && json_array_size(v) == 0);
        if (!skip && (before ? !json_equal(was, v) : !empty))
            json_array_append_new(out, json_string(key));
    }
    char *text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return text;
}

/* Keeps the index in step and records the new version: who, when, which fields changed and
 * the whole article as it now is. */
static omk_rc artikel_after(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                            const omk_row *old, json_t *body, omk_write_mode mode)
{
    (void)body;
    (void)mode;
    const char *trefwoorden = omk_arena_printf(
        ctx->a, "%s%s%s", list_text(ctx->a, omk_row_text(r, row, "trefwoorden")),
        list_text(ctx->a, omk_row_text(r, row, "synoniemen")), omk_row_text0(r, row, "product"));
    const char *antwoord = omk_arena_printf(ctx->a, "%s\n%s", omk_row_text0(r, row, "kortAntwoord"),
                                            omk_row_text0(r, row, "antwoord"));
    const char *cols[] = {omk_row_text0(r, row, "titel"), list_text(ctx->a, omk_row_text(r, row, "vragen")),
                          antwoord, trefwoorden};
    omk_row *stored = NULL;
    json_t *snapshot = NULL, *before = NULL;
    char *text = NULL, *changed = NULL;
    omk_rc rc = omk_db_index_put(db, &ZOEKINDEX, row->uuid, cols);
    if (rc || (rc = omk_db_get(db, r, row->uuid, ctx->a, &stored)) ||
        (rc = omk_res_to_json(db, ctx, r, stored, &snapshot)) ||
        (old && (rc = omk_res_to_json(db, ctx, r, old, &before))))
        goto out;
    text = json_dumps(snapshot, JSON_COMPACT);
    changed = changed_fields(before, snapshot);
    omk_row *ver = omk_row_new(&omk__kb_versie, ctx->a);
    if (!text || !changed || !ver) {
        rc = OMK_NOMEM;
        goto out;
    }
    omk_uuid4(ver->uuid);
    int vi = omk_model_field_index(r, "versie");
    ver->v[0] = (omk_value){.t = OMK_V_TEXT, .s = row->uuid, .n = 36};
    ver->v[1] = stored->v[vi];
    ver->v[2] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    ver->v[3] = (omk_value){.t = OMK_V_TEXT, .s = ctx->principal ? ctx->principal : "",
                            .n = ctx->principal ? strlen(ctx->principal) : 0};
    ver->v[4] = (omk_value){.t = OMK_V_TEXT, .s = text, .n = strlen(text)};
    ver->v[5] = (omk_value){.t = OMK_V_TEXT, .s = changed, .n = strlen(changed)};
    rc = omk_db_insert(db, &omk__kb_versie, ver);
out:
    json_decref(snapshot);
    json_decref(before);
    free(text);
    free(changed);
    return rc;
}

static omk_rc artikel_before_delete(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                    const omk_row *row)
{
    (void)ctx;
    (void)r;
    return omk_db_index_remove(db, &ZOEKINDEX, row->uuid);
}

/* Markdown reduced to words, for a channel that shows plain text. */
static const char *plain(omk_arena *a, const char *md)
{
    char *out = omk_arena_strdup(a, md);
    for (char *p = out; p && *p; p++)
        if (strchr("#*_`>[]()|", *p))
            *p = ' ';
    return out ? out : "";
}

/* B1 needs both: an easy score and no sentence over the limit (one long sentence is what a
 * reader stumbles over, whatever the average). */
static const char *b1_verdict(const omk_readability *rd)
{
    if (rd->words == 0)
        return "onbekend";
    return rd->score >= 60 && rd->long_sentences == 0 ? "B1 of eenvoudiger" : "moeilijker dan B1";
}

/* The readability of an article's short answer and Markdown answer, as the API shows it. */
static json_t *leesbaarheid_json(omk_arena *a, const char *kort, const char *antwoord)
{
    omk_readability rd;
    const char *text = omk_arena_printf(a, "%s\n\n%s", kort, antwoord);
    omk_search_readability(a, text ? text : "", LONG_SENTENCE, &rd);
    json_t *lang = json_array();
    for (int i = 0; i < rd.long_sentences && i < 10; i++)
        json_array_append_new(lang, json_string(rd.long_sentence_text[i]));
    return json_pack("{s:f, s:s, s:i, s:i, s:i, s:i, s:o}", "fleschDouma",
                     (double)(int)(rd.score * 10) / 10, "niveau", b1_verdict(&rd), "woorden",
                     rd.words, "zinnen", rd.sentences, "maxWoordenPerZin", LONG_SENTENCE,
                     "aantalLangeZinnen", rd.long_sentences, "langeZinnen", lang);
}

static omk_rc artikel_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                               const omk_row *row, json_t *obj)
{
    (void)db;
    json_object_set_new(obj, "leesbaarheid",
                        leesbaarheid_json(ctx->a, omk_row_text0(r, row, "kortAntwoord"),
                                          omk_row_text0(r, row, "antwoord")));
    return OMK_OK;
}

static const omk_hooks artikel_hooks = {.check = artikel_check, .apply = artikel_apply,
                                        .after = artikel_after, .decorate = artikel_decorate,
                                        .before_delete = artikel_before_delete};

static omk_rc gebruik_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                            const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    const char *a = omk_row_text(r, row, "artikel"), *k = omk_row_text(r, row, "klantcontact");
    if (!a || !k)
        return OMK_OK;
    omk_cond c[] = {{"artikel", {.t = OMK_V_TEXT, .s = a, .n = strlen(a)}},
                    {"klantcontact", {.t = OMK_V_TEXT, .s = k, .n = strlen(k)}}};
    bool found = false;
    omk_rc rc = omk_db_exists(db, r, c, 2, row->uuid, &found);
    if (!rc && found)
        omk_api_err_add(ctx, "nonFieldErrors", "unique",
                        "Dit artikel is al vastgelegd bij dit klantcontact.");
    return rc;
}

static const omk_hooks gebruik_hooks = {.apply = gebruik_apply};

/* ---- handlers ---- */

static bool editor(omk_req *req)
{
    return omk_req_has_scope(req, EDITOR);
}

/* Non-editors see only published articles that are valid today. */
static size_t reader_filters(omk_req *req, omk_arena *a, omk_filter_arg **out)
{
    *out = NULL;
    if (editor(req))
        return 0;
    char *d = omk_arena_alloc(a, 11);
    omk_filter_arg *f = omk_arena_alloc(a, 3 * sizeof *f);
    if (!d || !f)
        return 0;
    today(d);
    f[0] = (omk_filter_arg){&ARTIKEL_FILTERS[1], "gepubliceerd"};
    f[1] = (omk_filter_arg){&ARTIKEL_FILTERS[7], d};
    f[2] = (omk_filter_arg){&ARTIKEL_FILTERS[8], d};
    *out = f;
    return 3;
}

static omk_rc artikel_list(omk_req *req)
{
    omk_filter_arg *f = NULL;
    size_t n = reader_filters(req, omk_req_arena(req), &f);
    return omk__res_list_with(req, f, n);
}

typedef struct get_job {
    omk_api_ctx *ctx;
    const char *uuid;
    omk_row *row;
    json_t *out;
    bool want_json;
} get_job;

static omk_rc run_get(omk_db *db, void *arg)
{
    get_job *j = arg;
    omk_rc rc = omk_db_get(db, &omk__kb_artikel, j->uuid, j->ctx->a, &j->row);
    if (!rc && j->want_json)
        rc = omk_res_to_json(db, j->ctx, &omk__kb_artikel, j->row, &j->out);
    return rc;
}

/* Loads an article the caller may see; 404 otherwise. */
static omk_rc load_visible(omk_req *req, omk_api_ctx *ctx, bool want_json, get_job *j)
{
    *j = (get_job){.ctx = ctx, .want_json = want_json};
    omk_rc rc = omk__path_uuid(req, &j->uuid);
    if (!rc)
        rc = omk_store_read(omk__store(req), run_get, j);
    if (!rc && !editor(req) && !visible(j->row)) {
        json_decref(j->out);
        j->out = NULL;
        rc = OMK_NOTFOUND;
    }
    return rc;
}

static omk_rc artikel_read(omk_req *req)
{
    const omk_qparam *q = NULL;
    if (omk_req_query(req, &q)) {
        omk_req_invalid(req, "nonFieldErrors", "unknown-parameters",
                        omk_arena_printf(omk_req_arena(req), "Onbekende query parameters: %s", q[0].key));
        return OMK_INVALID;
    }
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    get_job j;
    omk_rc rc = load_visible(req, &ctx, true, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, j.out);
}

/* Markdown to HTML; raw HTML in the source is escaped, not passed through. */
static void md_out(const MD_CHAR *text, MD_SIZE n, void *ud)
{
    omk_buf_append(ud, text, n);
}

/* ---- the link-scheme allowlist ----
 * md4c writes every link as <a href="URL"[ title="…"]> and every image as
 * <img src="URL" alt="…"[ title="…"]> (or " />"), whatever the URL's scheme: `javascript:`,
 * `data:` and `vbscript:` included, also when the source spelt them with entities
 * (&#106;avascript:) or in another case. With MD_FLAG_NOHTML every '<' of the text is
 * escaped, so each "<a href=" and "<img src=" in its output is one md4c made; attribute
 * values are HTML-escaped ('"' as &quot;). The output is rewritten: a link whose URL is not
 * allowed loses its <a …> and </a> (links do not nest, so the next </a> is its own) and keeps
 * its text; such an image becomes its alt text. */

/* Whether a browser would open url (an attribute value as written, HTML-escaped) with an
 * allowed scheme: http, https, mailto, tel, or none (relative: path, query, fragment). The
 * value is read as a browser reads it: character references decoded, leading spaces and
 * control characters dropped, tabs and line breaks removed anywhere. */
static bool allowed_url(const char *url, size_t n)
{
    static const char *const SCHEMES[] = {"http", "https", "mailto", "tel"};
    char scheme[16];
    size_t k = 0;
    bool started = false;
    for (size_t i = 0; i < n;) {
        unsigned c = (unsigned char)url[i++];
        if (c == '&') { /* a character reference: decode the few that can spell a scheme */
            size_t semi = i;
            while (semi < n && semi - i < 10 && url[semi] != ';')
                semi++;
            if (semi >= n || url[semi] != ';')
                return false;
            const char *ent = url + i;
            size_t en = semi - i;
            i = semi + 1;
            if (en > 1 && ent[0] == '#') {
                bool hex = ent[1] == 'x' || ent[1] == 'X';
                unsigned long v = 0;
                for (size_t j = hex ? 2 : 1; j < en; j++) {
                    int d = isdigit((unsigned char)ent[j]) ? ent[j] - '0'
                            : hex && isxdigit((unsigned char)ent[j])
                                ? tolower((unsigned char)ent[j]) - 'a' + 10
                                : -1;
                    if (d < 0 || v > 0x10FFFF)
                        return false;
                    v = v * (hex ? 16 : 10) + (unsigned long)d;
                }
                c = v > 0x7F ? 0x80 : (unsigned)v;
            } else if (en == 3 && strncmp(ent, "amp", 3) == 0) {
                c = '&';
            } else if (en == 4 && strncmp(ent, "quot", 4) == 0) {
                c = '"';
            } else {
                return false; /* md4c writes no other; refuse what we cannot read */
            }
        }
        if (c == '\t' || c == '\n' || c == '\r' || (!started && c <= 0x20))
            continue;
        started = true;
        if (c == ':') {
            scheme[k] = 0;
            for (size_t s = 0; s < sizeof SCHEMES / sizeof SCHEMES[0]; s++)
                if (strcmp(scheme, SCHEMES[s]) == 0)
                    return true;
            return false;
        }
        bool scheme_char = isalpha(c) || (k > 0 && (isdigit(c) || c == '+' || c == '-' || c == '.'));
        if (!scheme_char || k + 1 >= sizeof scheme)
            return true; /* no scheme: a relative URL */
        scheme[k++] = (char)tolower(c);
    }
    return true;
}

/* The value of the attribute starting at p (just after its opening quote): its length up to
 * the closing quote, or 0 when there is none. */
static size_t attr_len(const char *p)
{
    const char *q = strchr(p, '"');
    return q ? (size_t)(q - p) : 0;
}

/* md4c's HTML with links and images of other schemes reduced to their text (see above). */
static void safe_links(omk_buf *b, const char *html)
{
    static const char A[] = "<a href=\"", IMG[] = "<img src=\"";
    int dropped = 0; /* </a> still to drop */
    for (const char *p = html; *p;) {
        if (strncmp(p, A, sizeof A - 1) == 0) {
            const char *v = p + sizeof A - 1;
            size_t n = attr_len(v);
            const char *end = strchr(v + n, '>');
            if (!end || allowed_url(v, n)) {
                omk_buf_append(b, p, sizeof A - 1);
                p += sizeof A - 1;
                continue;
            }
            dropped++;
            p = end + 1;
        } else if (dropped && strncmp(p, "</a>", 4) == 0) {
            dropped--;
            p += 4;
        } else if (strncmp(p, IMG, sizeof IMG - 1) == 0) {
            const char *v = p + sizeof IMG - 1;
            size_t n = attr_len(v);
            const char *end = strchr(v + n, '>');
            if (!end || allowed_url(v, n)) {
                omk_buf_append(b, p, sizeof IMG - 1);
                p += sizeof IMG - 1;
                continue;
            }
            const char *alt = strstr(v + n, " alt=\"");
            if (alt && alt < end) {
                alt += 6;
                omk_buf_append(b, alt, attr_len(alt)); /* escaped as text is */
            }
            p = end + 1;
        } else {
            omk_buf_putc(b, *p++);
        }
    }
}

static const char *markdown_html(omk_arena *a, const char *md)
{
    omk_buf b, safe;
    omk_buf_init(&b, 4 << 20);
    omk_buf_init(&safe, 4 << 20);
    omk_buf_puts(&b, "");
    omk_buf_puts(&safe, "");
    md_html(md, (MD_SIZE)strlen(md), md_out, &b, MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH, 0);
    if (!b.rc)
        safe_links(&safe, b.p);
    const char *out = b.rc || safe.rc ? "" : omk_arena_strdup(a, safe.p);
    omk_buf_release(&b);
    omk_buf_release(&safe);
    return out ? out : "";
}

/* ---- personal articles: templates filled from the resident's own data ----
 * An article (typically laag `persoonlijk`) may hold placeholders {{naam}} or {{zaak.status}}
 * (a letter, then letters, digits, '_' or '.', at most 40) in kortAntwoord
 * and antwoord. The channel that knows the resident sends the values (POST …/weergave/{kanaal}
 * {"gegevens": {"naam": "…"}}); the server keeps none of them. A placeholder without a value
 * shows as «naam» and is listed in `ontbrekend`. */

#define MAX_GEGEVENS 50
#define MAX_GEGEVEN_LEN 500

static bool placeholder_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && ((c >= '0' && c <= '9') || c == '_' || c == '.'));
}

/* text with every {{name}} replaced by gegevens[name] (Markdown punctuation escaped when
 * `markdown`, so a value cannot add links, emphasis or HTML); names without a value are
 * added to `missing` once. */
static const char *fill(omk_arena *a, const char *text, json_t *gegevens, bool markdown,
                        json_t *missing)
{
    omk_buf b;
    omk_buf_init(&b, 1 << 22);
    omk_buf_puts(&b, "");
    for (const char *p = text; *p;) {
        const char *q = p[0] == '{' && p[1] == '{' ? p + 2 : NULL;
        size_t n = 0;
        while (q && n <= 40 && placeholder_char(q[n], n == 0))
            n++;
        if (!q || n == 0 || n > 40 || q[n] != '}' || q[n + 1] != '}') {
            omk_buf_putc(&b, *p++);
            continue;
        }
        char name[41];
        memcpy(name, q, n);
        name[n] = 0;
        const char *v = json_string_value(json_object_get(gegevens, name));
        if (!v) {
            bool listed = false;
            size_t i;
            json_t *m;
            json_array_foreach(missing, i, m)
                listed = listed || strcmp(json_string_value(m), name) == 0;
            if (!listed)
                json_array_append_new(missing, json_string(name));
            omk_buf_printf(&b, "«%s»", name);
        } else {
            for (; *v; v++) {
                if (markdown && strchr("\\`*_{}[]()<>#+-.!|~&", *v))
                    omk_buf_putc(&b, '\\');
                omk_buf_putc(&b, *v == '\n' || *v == '\r' ? ' ' : *v);
            }
        }
        p = q + n + 2;
    }
    const char *out = b.rc ? NULL : omk_arena_strdup(a, b.p);
    omk_buf_release(&b);
    return out ? out : "";
}

/* The resident's data from a POST body: {"gegevens": {name: string, …}}. */
/* A draft's text for the redactie's live preview: {"kortAntwoord"?, "antwoord"?} strings. */
static void concept_check(omk_api_ctx *ctx, json_t *c)
{
    const char *key;
    json_t *v;
    if (!json_is_object(c)) {
        omk_api_err_add(ctx, "concept", "invalid", "Verwacht een object met kortAntwoord en antwoord.");
        return;
    }
    json_object_foreach(c, key, v) {
        bool kort = strcmp(key, "kortAntwoord") == 0;
        if (!kort && strcmp(key, "antwoord") != 0)
            omk_api_err_add(ctx, omk_arena_printf(ctx->a, "concept.%s", key), "unknown",
                            "Onbekend veld.");
        else if (!json_is_string(v) || json_string_length(v) > (kort ? 2000u : 50000u))
            omk_api_err_add(ctx, omk_arena_printf(ctx->a, "concept.%s", key), "invalid",
                            "Verwacht een tekst van beperkte lengte.");
    }
}

static omk_rc gegevens_of(omk_req *req, omk_api_ctx *ctx, json_t **out, json_t **concept)
{
    json_t *body = omk_req_json(req);
    *out = NULL;
    *concept = json_object_get(body, "concept");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
        if (strcmp(key, "gegevens") != 0 && strcmp(key, "concept") != 0)
            omk_api_err_add(ctx, key, "unknown", "Onbekend veld.");
    if (*concept) {
        if (!editor(req))
            return OMK_FORBIDDEN;
        concept_check(ctx, *concept);
    }
    json_t *g = json_object_get(body, "gegevens");
    if (!g && *concept) {
        /* A draft without values: placeholders show as «naam». */
    } else if (!json_is_object(g)) {
        omk_api_err_add(ctx, "gegevens", g ? "invalid" : "required",
                        g ? "Verwacht een object met tekstwaarden." : "Dit veld is vereist.");
    } else if (json_object_size(g) > MAX_GEGEVENS) {
        omk_api_err_add(ctx, "gegevens", "max_length", "Ten hoogste 50 gegevens.");
    } else {
        json_object_foreach(g, key, v)
        {
            size_t n = 0;
            while (placeholder_char(key[n], n == 0))
                n++;
            if (!json_is_string(v) || key[n] || n == 0 || n > 40 ||
                json_string_length(v) > MAX_GEGEVEN_LEN) {
                omk_api_err_add(ctx, "gegevens",  "invalid",
                                omk_arena_printf(ctx->a, "Ongeldig gegeven \"%s\": een naam van letters en cijfers en een tekst van ten hoogste 500 tekens.", key));
                break;
            }
        }
    }
    if (ctx->nerrs)
        return OMK_INVALID;
    *out = g;
    return OMK_OK;
}

/* GET /artikelen/{uuid}/weergave/{kanaal}: the same article as each channel shows it; POST with
 * {"gegevens": {…}} fills the placeholders of a personal article. */
static omk_rc artikel_weergave(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const char *kanaal = omk_req_param(req, 1);
    if (!kanaal || (strcmp(kanaal, "web") && strcmp(kanaal, "chat") && strcmp(kanaal, "telefoon")))
        return OMK_NOTFOUND;
    get_job j;
    omk_rc rc = load_visible(req, &ctx, false, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const omk_resource *r = &omk__kb_artikel;
    /* An article not meant for this channel does not reach it (editors may preview it). */
    json_t *kanalen = json_loads(omk_row_text0(r, j.row, "kanalen"), 0, NULL);
    bool on_channel = false;
    size_t ki;
    json_t *k;
    json_array_foreach(kanalen, ki, k)
        on_channel = on_channel || strcmp(json_string_value(k) ? json_string_value(k) : "", kanaal) == 0;
    json_decref(kanalen);
    if (!on_channel && !editor(req)) {
        ctx.fail_detail = "Dit artikel wordt niet op dit kanaal getoond.";
        return omk__finish(req, &ctx, OMK_NOTFOUND);
    }
    json_t *gegevens = NULL, *concept = NULL, *missing = json_array();
    if (strcmp(omk_req_method(req), "POST") == 0 &&
        (rc = gegevens_of(req, &ctx, &gegevens, &concept))) {
        json_decref(missing);
        return omk__finish(req, &ctx, rc);
    }
    /* The redactie's live preview renders the draft being typed instead of the stored text. */
    json_t *ck = json_object_get(concept, "kortAntwoord"), *ca = json_object_get(concept, "antwoord");
    const char *kort_src = ck ? json_string_value(ck) : omk_row_text0(r, j.row, "kortAntwoord");
    const char *lang_src = ca ? json_string_value(ca) : omk_row_text0(r, j.row, "antwoord");
    bool web = strcmp(kanaal, "web") == 0;
    const char *kort = fill(ctx.a, kort_src, gegevens, false, missing);
    const char *lang = fill(ctx.a, lang_src, gegevens, web, missing);
    json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:I}", "artikel", j.row->uuid, "url",
                            omk_res_url(&ctx, r, j.row->uuid), "kanaal", kanaal, "titel",
                            omk_row_text0(r, j.row, "titel"), "versie",
                            (json_int_t)j.row->v[omk_model_field_index(r, "versie")].i);
    if (web) {
        json_object_set_new(out, "formaat", json_string("text/html"));
        json_object_set_new(out, "inhoud", json_string(markdown_html(ctx.a, lang)));
    } else if (strcmp(kanaal, "chat") == 0) {
        json_object_set_new(out, "formaat", json_string("text/plain"));
        json_object_set_new(out, "inhoud", json_string(*kort ? kort : plain(ctx.a, lang)));
    } else {
        json_object_set_new(out, "formaat", json_string("text/plain"));
        json_object_set_new(out, "inhoud", json_string(*kort ? kort : plain(ctx.a, lang)));
        json_object_set_new(out, "vragen", json_loads(omk_row_text0(r, j.row, "vragen"), 0, NULL));
    }
    json_object_set_new(out, "laag", json_string(omk_row_text0(r, j.row, "laag")));
    json_object_set_new(out, "ontbrekend", missing);
    if (concept)
        json_object_set_new(out, "leesbaarheid", leesbaarheid_json(ctx.a, kort_src, lang_src));
    return omk_req_reply_json(req, 200, out);
}

typedef struct versies_job {
    omk_api_ctx *ctx;
    const char *uuid;
    json_t *results;
} versies_job;

static omk_rc run_versies(omk_db *db, void *arg)
{
    versies_job *j = arg;
    omk_rowset rows = {0};
    omk_row *art = NULL;
    omk_rc rc = omk_db_get(db, &omk__kb_artikel, j->uuid, j->ctx->a, &art);
    if (!rc)
        rc = omk_db_children(db, &omk__kb_versie, "artikel", j->uuid, j->ctx->a, &rows);
    for (size_t i = rows.n; !rc && i > 0; i--) {
        json_t *o = NULL;
        rc = omk_res_to_json(db, j->ctx, &omk__kb_versie, &rows.rows[i - 1], &o);
        if (!rc) {
            json_object_del(o, "url");
            json_array_append_new(j->results, o);
        }
    }
    return rc;
}

/* GET /artikelen/{uuid}/versies: every version, newest first (editors). */
static omk_rc artikel_versies(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    versies_job j = {.ctx = &ctx, .results = json_array()};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk_store_read(omk__store(req), run_versies, &j);
    if (rc) {
        json_decref(j.results);
        return omk__finish(req, &ctx, rc);
    }
    size_t n = json_array_size(j.results);
    return omk_req_reply_json(req, 200,
                              json_pack("{s:I, s:n, s:n, s:o}", "count", (json_int_t)n, "next",
                                        "previous", "results", j.results));
}

/* ---- search ---- */

/* The columns of kb_zoekmeta a match carries (kept in this order); title and short answer
 * are read for the shown page only. */
enum { C_PRODUCT, C_LAAG, C_DOELGROEP, C_KANALEN, NCOLS };
static const char *const RESULT_COLS[NCOLS] = {"product", "laag", "doelgroep", "kanalen"};

typedef struct search_job {
    omk_api_ctx *ctx;
    const char *q; /* what was typed (or its correction) */
    bool any;      /* any word instead of every word */
    char *match;   /* the MATCH expression run_search built from q */
    const omk_search_cond *conds;
    size_t nconds;
    omk_search_result *all, *hits; /* every match (up to MAX_MATCHES), the ranked top */
    omk_row **rows;                /* the article of hits[i] for the page, else NULL */
    size_t n, nhits, from, to;     /* the page is hits[from..min(to, nhits)) */
} search_job;

#define MAX_MATCHES 1000 /* counted and faceted; `count` says at most this */
#define PART_FORMS_BELOW 5 /* fewer matches: again with words inside compounds */
#define SPLIT_BELOW 1      /* fewer (none): again with a typed compound's parts too */

/* Counts the matches (for count and facets), ranks only as many as the page needs, and
 * highlights the page. */
static omk_rc run_search(omk_db *db, void *arg)
{
    search_job *j = arg;
    omk_search_synonyms syn;
    j->n = j->nhits = 0;
    /* The municipality's synonyms of the words, read in this snapshot: a change to the list
     * counts from the next search on. */
    omk_rc rc = omk__kb_synoniemen_voor(db, j->ctx->a, j->q, &syn);
    if (!rc)
        rc = omk_search_match_ex(j->ctx->a, j->q, j->any, &syn, OMK_SEARCH_WORDS, &j->match);
    if (rc || !j->match)
        return rc;
    rc = omk_db_index_scan(db, &ZOEKINDEX, j->match, j->conds, j->nconds, RESULT_COLS,
                                  NCOLS, MAX_MATCHES, j->ctx->a, &j->all, &j->n);
    /* Few matches with the words as typed: then also the words inside longer words of an
     * article (part forms); none: also a typed compound as its parts. Asking for them always
     * cost the common words most of their time, and made "kwijt" find "kwijtschelding". */
    for (omk_search_parts parts = OMK_SEARCH_PART_FORMS; !rc && parts <= OMK_SEARCH_SPLIT;
         parts++) {
        char *wide = NULL;
        if (j->n >= (parts == OMK_SEARCH_SPLIT ? SPLIT_BELOW : PART_FORMS_BELOW))
            break;
        rc = omk_search_match_ex(j->ctx->a, j->q, j->any, &syn, parts, &wide);
        if (!rc && wide && strcmp(wide, j->match) != 0) {
            j->match = wide;
            rc = omk_db_index_scan(db, &ZOEKINDEX, j->match, j->conds, j->nconds, RESULT_COLS,
                                   NCOLS, MAX_MATCHES, j->ctx->a, &j->all, &j->n);
        }
    }
    j->nhits = 0;
    const omk_search_index *ix = j->any ? &ZOEKINDEX_OF : &ZOEKINDEX;
    if (!rc && j->n > j->from)
        rc = omk_db_index_query(
            db, ix, j->match, j->conds, j->nconds, RESULT_COLS, NCOLS,
            omk_search_cutoff(ix, j->all, j->n, j->n < MAX_MATCHES, j->to), j->to,
            j->ctx->a, &j->hits, &j->nhits);
    if (!rc && j->from < j->nhits)
        rc = omk_db_index_mark(db, &ZOEKINDEX, j->match, j->hits + j->from,
                               (j->to < j->nhits ? j->to : j->nhits) - j->from, j->ctx->a);
    if (!rc && j->nhits && !(j->rows = omk_arena_alloc(j->ctx->a, j->nhits * sizeof *j->rows)))
        rc = OMK_NOMEM;
    for (size_t i = 0; !rc && i < j->nhits; i++) {
        j->rows[i] = NULL;
        if (i >= j->from && i < j->to)
            rc = omk_db_get(db, &omk__kb_artikel, j->hits[i].uuid, j->ctx->a, &j->rows[i]);
    }
    return rc;
}

typedef struct suggest_job {
    omk_arena *a;
    const char *q;
    char *out;
} suggest_job;

static omk_rc run_suggest(omk_db *db, void *arg)
{
    suggest_job *j = arg;
    return omk_db_index_suggest(db, &ZOEKINDEX, j->q, j->a, &j->out);
}

typedef struct gap_job {
    omk_arena *a;
    const char *q;
} gap_job;

static omk_rc record_gap(omk_db *db, void *arg)
{
    gap_job *j = arg;
    omk_row *row = omk_row_new(&omk__kb_zoekvraag, j->a);
    if (!row)
        return OMK_NOMEM;
    omk_uuid4(row->uuid);
    row->v[0] = (omk_value){.t = OMK_V_TEXT, .s = j->q, .n = strlen(j->q)};
    row->v[1] = (omk_value){.t = OMK_V_INT, .i = 0};
    row->v[2] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    return omk_db_insert(db, &omk__kb_zoekvraag, row);
}

/* Escapes HTML and turns the index's \x02 … \x03 match markers into <mark> … </mark>. */
static const char *marked(omk_arena *a, const char *s)
{
    omk_buf b;
    omk_buf_init(&b, 1 << 20);
    omk_buf_puts(&b, "");
    for (; *s; s++) {
        switch (*s) {
        case '\x02': omk_buf_puts(&b, "<mark>"); break;
        case '\x03': omk_buf_puts(&b, "</mark>"); break;
        case '<': omk_buf_puts(&b, "&lt;"); break;
        case '>': omk_buf_puts(&b, "&gt;"); break;
        case '&': omk_buf_puts(&b, "&amp;"); break;
        case '"': omk_buf_puts(&b, "&quot;"); break;
        default: omk_buf_putc(&b, *s);
        }
    }
    const char *out = b.rc ? "" : omk_arena_strdup(a, b.p);
    omk_buf_release(&b);
    return out ? out : "";
}

/* Facet counts over up to MAX_MATCHES matches: a small hash table per facet (values in the
 * order first seen), turned into JSON once. Counting straight into jansson objects, with a
 * jansson parse of every match's channel list, cost about 1.5 ms for 1,000 matches. */
#define FACET_SLOTS 2048 /* > 2 × MAX_MATCHES values: the table never fills */

typedef struct facet {
    const char *name;
    const char *keys[FACET_SLOTS];
    size_t counts[FACET_SLOTS];
    int order[FACET_SLOTS]; /* slots in the order their value was first seen */
    int n;
} facet;

static void facet_count(facet *f, const char *value, size_t len)
{
    if (!value || len == 0)
        return;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)value[i]) * 16777619u;
    for (uint32_t i = h % FACET_SLOTS;; i = (i + 1) % FACET_SLOTS) {
        const char *k = f->keys[i];
        if (!k) {
            if (f->n >= FACET_SLOTS / 2)
                return; /* cannot happen below MAX_MATCHES × 1 value; refuse, never loop */
            f->keys[i] = value;
            f->counts[i] = 1;
            f->order[f->n++] = (int)i;
            return;
        }
        if (strncmp(k, value, len) == 0 && k[len] == 0) {
            f->counts[i]++;
            return;
        }
    }
}

/* Counts every channel of a stored JSON list of channels (["web","chat"]). The values are
 * from a fixed set without escapes; anything else goes through jansson. */
static void facet_count_list(facet *f, omk_arena *a, const char *list)
{
    if (!list || strchr(list, '\\')) {
        json_t *v = list ? json_loads(list, 0, NULL) : NULL;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            const char *s = json_string_value(item);
            if (s)
                facet_count(f, omk_arena_strdup(a, s), strlen(s));
        }
        json_decref(v);
        return;
    }
    for (const char *p = strchr(list, '"'); p; p = strchr(p, '"')) {
        const char *end = strchr(p + 1, '"');
        if (!end)
            break;
        facet_count(f, omk_arena_strndup(a, p + 1, (size_t)(end - p - 1)), (size_t)(end - p - 1));
        p = end + 1;
    }
}

static json_t *facet_json(const facet *f)
{
    json_t *o = json_object();
    for (int i = 0; i < f->n; i++)
        json_object_set_new(o, f->keys[f->order[i]], json_integer((json_int_t)f->counts[f->order[i]]));
    return o;
}

/* The facets of the matches: product, laag, doelgroep, kanaal → value → count. */
static json_t *facets_of(omk_arena *a, const omk_search_result *all, size_t n)
{
    facet *f = omk_arena_alloc(a, 4 * sizeof *f);
    if (!f)
        return json_pack("{s:{}, s:{}, s:{}, s:{}}", "product", "laag", "doelgroep", "kanaal");
    for (size_t i = 0; i < n; i++) {
        const char *const *c = all[i].cols;
        facet_count(&f[0], c[C_PRODUCT], strlen(c[C_PRODUCT]));
        facet_count(&f[1], c[C_LAAG], strlen(c[C_LAAG]));
        facet_count(&f[2], c[C_DOELGROEP], strlen(c[C_DOELGROEP]));
        facet_count_list(&f[3], a, c[C_KANALEN]);
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "product", facet_json(&f[0]), "laag",
                     facet_json(&f[1]), "doelgroep", facet_json(&f[2]), "kanaal",
                     facet_json(&f[3]));
}

/* The search request: from a JSON body (POST) or the query string (GET). */
typedef struct search_params {
    const char *q, *product, *laag, *doelgroep, *kanaal;
    int page, page_size;
} search_params;

static void param_string(omk_api_ctx *ctx, json_t *body, const char *name, const char **out)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return;
    if (!json_is_string(v))
        omk_api_err_add(ctx, name, "invalid", "Geen geldige string.");
    else
        *out = omk_arena_strdup(ctx->a, json_string_value(v));
}

static omk_rc search_params_of(omk_req *req, omk_api_ctx *ctx, search_params *p)
{
    *p = (search_params){.page = 1, .page_size = 20};
    json_t *body = NULL;
    if (strcmp(omk_req_method(req), "POST") == 0) {
        body = omk_req_json(req);
    } else {
        const omk_qparam *q = NULL;
        size_t n = omk_req_query(req, &q);
        body = json_object();
        if (omk_arena_defer(ctx->a, (omk_cleanup_fn)json_decref, body))
            return OMK_NOMEM;
        for (size_t i = 0; i < n; i++) {
            int64_t num = 0;
            if ((strcmp(q[i].key, "page") == 0 || strcmp(q[i].key, "pageSize") == 0) &&
                omk_parse_uint(q[i].value, strlen(q[i].value), &num))
                json_object_set_new(body, q[i].key, json_integer(num));
            else
                json_object_set_new(body, q[i].key, json_string(q[i].value));
        }
    }
    static const char *const known[] = {"q",      "product", "laag",    "doelgroep",
                                        "kanaal", "page",    "pageSize"};
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool ok = false;
        for (size_t i = 0; i < OMK_COUNT(known); i++)
            ok = ok || strcmp(key, known[i]) == 0;
        if (!ok)
            omk_api_err_add(ctx, key, "unknown", "Onbekend zoekveld.");
    }
    json_t *q = json_object_get(body, "q");
    if (!json_is_string(q))
        omk_api_err_add(ctx, "q", q ? "invalid" : "required", q ? "Geen geldige string." : "Dit veld is vereist.");
    else
        p->q = omk_arena_strdup(ctx->a, json_string_value(q));
    param_string(ctx, body, "product", &p->product);
    param_string(ctx, body, "laag", &p->laag);
    param_string(ctx, body, "doelgroep", &p->doelgroep);
    param_string(ctx, body, "kanaal", &p->kanaal);
    bool kanaal_ok = !p->kanaal;
    for (size_t i = 0; p->kanaal && KANALEN[i]; i++)
        kanaal_ok = kanaal_ok || strcmp(p->kanaal, KANALEN[i]) == 0;
    if (!kanaal_ok)
        omk_api_err_add(ctx, "kanaal", "invalid_choice", "Ongeldige keuze.");
    if (p->laag && !omk_model_choice_valid(&ARTIKEL_FIELDS[4], p->laag))
        omk_api_err_add(ctx, "laag", "invalid_choice", "Ongeldige keuze.");
    if (p->doelgroep && !omk_model_choice_valid(&ARTIKEL_FIELDS[6], p->doelgroep))
        omk_api_err_add(ctx, "doelgroep", "invalid_choice", "Ongeldige keuze.");
    json_t *pg = json_object_get(body, "page"), *ps = json_object_get(body, "pageSize");
    if (pg && (!json_is_integer(pg) || json_integer_value(pg) < 1))
        omk_api_err_add(ctx, "page", "invalid", "Een geldig paginanummer is vereist.");
    else if (pg)
        p->page = (int)(json_integer_value(pg) > 1000 ? 1000 : json_integer_value(pg));
    if (ps && (!json_is_integer(ps) || json_integer_value(ps) < 1))
        omk_api_err_add(ctx, "pageSize", "invalid", "Een geldig aantal is vereist.");
    else if (ps)
        p->page_size = (int)(json_integer_value(ps) > 100 ? 100 : json_integer_value(ps));
    return ctx->nerrs ? OMK_INVALID : OMK_OK;
}

/* POST /_zoek {"q": "...", product, laag, doelgroep, page, pageSize}; GET /_zoek?q=… */
static omk_rc zoek(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    search_params p;
    omk_rc rc = search_params_of(req, &ctx, &p);
    char *match = NULL;
    if (!rc) {
        rc = omk_search_match(ctx.a, p.q, false, &match);
        if (rc == OMK_TOOBIG) {
            char msg[96];
            snprintf(msg, sizeof msg, "Zorg ervoor dat dit veld niet meer dan %d karakters bevat.",
                     OMK_SEARCH_MAX_QUERY);
            omk_api_err_add(&ctx, "q", "max_length", msg);
            rc = OMK_INVALID;
        } else if (!rc && !match) {
            omk_api_err_add(&ctx, "q", "blank", "Voer een of meer zoekwoorden in.");
            rc = OMK_INVALID;
        }
    }
    if (rc)
        return omk__finish(req, &ctx, rc);
    /* Non-editors see only published articles valid today. */
    omk_search_cond conds[7];
    size_t nc = 0;
    char d[11];
    today(d);
    if (!editor(req)) {
        conds[nc++] = (omk_search_cond){"status", OMK_SEARCH_EQ, "gepubliceerd"};
        conds[nc++] = (omk_search_cond){"geldig_van", OMK_SEARCH_LTE_OR_NULL, d};
        conds[nc++] = (omk_search_cond){"geldig_tot", OMK_SEARCH_GTE_OR_NULL, d};
    }
    if (p.product)
        conds[nc++] = (omk_search_cond){"product", OMK_SEARCH_EQ, p.product};
    if (p.laag)
        conds[nc++] = (omk_search_cond){"laag", OMK_SEARCH_EQ, p.laag};
    if (p.doelgroep)
        conds[nc++] = (omk_search_cond){"doelgroep", OMK_SEARCH_EQ, p.doelgroep};
    if (p.kanaal)
        conds[nc++] = (omk_search_cond){"kanalen", OMK_SEARCH_IN_LIST, p.kanaal};
    size_t from = (size_t)(p.page - 1) * (size_t)p.page_size;
    search_job j = {.ctx = &ctx, .q = p.q, .conds = conds, .nconds = nc, .from = from,
                    .to = from + (size_t)p.page_size};
    rc = omk_store_read(omk__store(req), run_search, &j);
    /* Nothing with every word: a word no article holds may be a typo. The search for the
     * corrected words is answered, with "bedoeldeU" saying what was searched instead. */
    const char *bedoeld = NULL;
    if (!rc && j.n == 0) {
        suggest_job sj = {ctx.a, p.q, NULL};
        rc = omk_store_read(omk__store(req), run_suggest, &sj);
        if (!rc && sj.out) {
            search_job j2 = j;
            j2.q = sj.out;
            rc = omk_store_read(omk__store(req), run_search, &j2);
            if (!rc && j2.n > 0) {
                j = j2;
                size_t len = strlen(sj.out);
                while (len && (sj.out[len - 1] == ' ' || sj.out[len - 1] == '\t'))
                    sj.out[--len] = 0;
                bedoeld = sj.out;
            }
        }
    }
    /* Nothing with every word: then anything with some of the words, best first (when there
     * are several words: with one, OR asks the same). */
    char *any = NULL;
    if (!rc && j.n == 0 && omk_search_match(ctx.a, p.q, true, &any) == OMK_OK && any &&
        strcmp(any, match) != 0) {
        j.q = p.q;
        j.any = true;
        rc = omk_store_read(omk__store(req), run_search, &j);
    }
    if (rc)
        return omk__finish(req, &ctx, rc);
    /* A search without a result is kept for the redactie's content gaps, without the personal
     * data people type into a search box (a BSN, an e-mail address, a phone number). */
    const char *gap = NULL;
    if (j.n == 0 && (rc = omk__scrub_personal(ctx.a, p.q, &gap)))
        return omk__finish(req, &ctx, rc);
    if (gap) {
        gap_job g = {ctx.a, gap};
        if ((rc = omk_store_write(omk__store(req), record_gap, &g)))
            return omk__finish(req, &ctx, rc);
    }
    json_t *results = json_array();
    json_t *facets = facets_of(ctx.a, j.all, j.n);
    const omk_resource *r = &omk__kb_artikel;
    for (size_t i = j.from; i < j.nhits && i < j.to; i++) {
        const omk_search_result *h = &j.hits[i];
        const omk_row *row = j.rows[i];
        json_array_append_new(
            results,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f}", "uuid", h->uuid,
                      "url", omk_res_url(&ctx, r, h->uuid), "titel", omk_row_text0(r, row, "titel"),
                      "titelMarkering", marked(ctx.a, h->highlight ? h->highlight : ""),
                      "fragment", marked(ctx.a, h->snippet ? h->snippet : ""), "kortAntwoord",
                      omk_row_text0(r, row, "kortAntwoord"), "product", h->cols[C_PRODUCT], "laag",
                      h->cols[C_LAAG],
                      "doelgroep", h->cols[C_DOELGROEP], "score", h->score));
    }
    return omk_req_reply_json(req, 200,
                              json_pack("{s:I, s:n, s:n, s:o, s:o, s:o}", "count", (json_int_t)j.n,
                                        "next", "previous", "results", results, "facetten",
                                        facets, "bedoeldeU",
                                        bedoeld ? json_string(bedoeld) : json_null()));
}

/* ---- the knowledge-effectiveness report ---- */

typedef struct rapport_job {
    omk_api_ctx *ctx;
    omk_rowset artikelen, gebruik, gaps;
} rapport_job;

static omk_rc run_rapport(omk_db *db, void *arg)
{
    rapport_job *j = arg;
    omk_query all = {.limit = 100000};
    omk_filter_arg zero = {&ZOEKVRAAG_FILTERS[0], "0"};
    omk_query gaps = {.filters = &zero, .nfilters = 1, .limit = 100000};
    omk_rc rc = omk_db_list(db, &omk__kb_artikel, &all, j->ctx->a, &j->artikelen, NULL);
    if (!rc)
        rc = omk_db_list(db, &omk__kb_gebruik, &all, j->ctx->a, &j->gebruik, NULL);
    if (!rc)
        rc = omk_db_list(db, &omk__kb_zoekvraag, &gaps, j->ctx->a, &j->gaps, NULL);
    return rc;
}

static int by_count_desc(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "aantal"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "aantal"));
    return (x < y) - (x > y);
}

/* Sorts a JSON array of {…, aantal} objects, most first, and keeps the first `keep`. */
static json_t *top(json_t *arr, size_t keep)
{
    size_t n = json_array_size(arr);
    json_t **items = malloc((n + 1) * sizeof *items);
    json_t *out = json_array();
    for (size_t i = 0; items && i < n; i++)
        items[i] = json_array_get(arr, i);
    if (items)
        qsort(items, n, sizeof *items, by_count_desc);
    for (size_t i = 0; items && i < n && i < keep; i++)
        json_array_append(out, items[i]);
    free(items);
    json_decref(arr);
    return out;
}

/* GET /rapport: most-used articles, articles never used, and searches without a result. */
static omk_rc rapport(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    rapport_job j = {.ctx = &ctx};
    omk_rc rc = omk_store_read(omk__store(req), run_rapport, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const omk_resource *r = &omk__kb_artikel;
    json_t *counts = json_object();
    for (size_t i = 0; i < j.gebruik.n; i++) {
        const char *a = omk_row_text(&omk__kb_gebruik, &j.gebruik.rows[i], "artikel");
        json_t *c = json_object_get(counts, a);
        json_object_set_new(counts, a, json_integer(c ? json_integer_value(c) + 1 : 1));
    }
    json_t *used = json_array(), *never = json_array();
    for (size_t i = 0; i < j.artikelen.n; i++) {
        const omk_row *row = &j.artikelen.rows[i];
        json_t *c = json_object_get(counts, row->uuid);
        json_t *item = json_pack("{s:s, s:s, s:s, s:s}", "uuid", row->uuid, "url",
                                 omk_res_url(&ctx, r, row->uuid), "titel", omk_row_text0(r, row, "titel"),
                                 "status", omk_row_text0(r, row, "status"));
        if (c) {
            json_object_set(item, "aantal", c);
            json_array_append_new(used, item);
        } else {
            json_array_append_new(never, item);
        }
    }
    json_t *gapcounts = json_object();
    for (size_t i = 0; i < j.gaps.n; i++) {
        /* Scrubbed again: queries stored before they were scrubbed on the way in. */
        const char *q = NULL;
        if (omk__scrub_personal(ctx.a, omk_row_text0(&omk__kb_zoekvraag, &j.gaps.rows[i], "vraag"), &q) ||
            !q)
            continue;
        json_t *c = json_object_get(gapcounts, q);
        json_object_set_new(gapcounts, q, json_integer(c ? json_integer_value(c) + 1 : 1));
    }
    json_t *gaps = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(gapcounts, k, v)
        json_array_append_new(gaps, json_pack("{s:s, s:O}", "vraag", k, "aantal", v));
    json_decref(counts);
    json_decref(gapcounts);
    return omk_req_reply_json(req, 200,
                              json_pack("{s:o, s:o, s:o}", "meestGebruikt", top(used, 50),
                                        "nooitGebruikt", never, "zoekvragenZonderResultaat",
                                        top(gaps, 100)));
}

/* ---- the review queue ---- */

typedef struct review_job {
    omk_api_ctx *ctx;
    const char *datum;
    omk_rowset rows;
} review_job;

static omk_rc run_review(omk_db *db, void *arg)
{
    review_job *j = arg;
    omk_filter_arg due = {&ARTIKEL_FILTERS[6], j->datum};
    omk_query q = {.filters = &due, .nfilters = 1, .limit = 100000};
    return omk_db_list(db, &omk__kb_artikel, &q, j->ctx->a, &j->rows, NULL);
}

static int by_reviewdatum(const void *x, const void *y)
{
    const omk_row *a = x, *b = y;
    const char *da = omk_row_text(&omk__kb_artikel, a, "reviewdatum");
    const char *db = omk_row_text(&omk__kb_artikel, b, "reviewdatum");
    int c = strcmp(da ? da : "", db ? db : "");
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* GET /reviewwachtrij[?datum=JJJJ-MM-DD]: articles not archived whose review date has passed
 * (on or before `datum`, default today), longest overdue first (editors). */
static omk_rc reviewwachtrij(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    char d[11];
    today(d);
    review_job j = {.ctx = &ctx, .datum = d};
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    for (size_t i = 0; i < nq; i++) {
        if (strcmp(q[i].key, "datum") != 0)
            omk_api_err_add(&ctx, q[i].key, "unknown", "Onbekende query parameter.");
        else if (!omk_date_valid(q[i].value, strlen(q[i].value)))
            omk_api_err_add(&ctx, "datum", "invalid", "Geen geldige datum (JJJJ-MM-DD).");
        else
            j.datum = q[i].value;
    }
    omk_rc rc = ctx.nerrs ? OMK_INVALID : omk_store_read(omk__store(req), run_review, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    qsort(j.rows.rows, j.rows.n, sizeof *j.rows.rows, by_reviewdatum);
    const omk_resource *r = &omk__kb_artikel;
    json_t *results = json_array();
    for (size_t i = 0; i < j.rows.n; i++) {
        const omk_row *row = &j.rows.rows[i];
        if (strcmp(omk_row_text0(r, row, "status"), "gearchiveerd") == 0)
            continue;
        json_array_append_new(
            results, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "uuid", row->uuid, "url",
                               omk_res_url(&ctx, r, row->uuid), "titel", omk_row_text0(r, row, "titel"),
                               "status", omk_row_text0(r, row, "status"), "afdeling",
                               omk_row_text0(r, row, "afdeling"), "reviewdatum",
                               omk_row_text0(r, row, "reviewdatum"), "gewijzigdDoor",
                               omk_row_text0(r, row, "gewijzigdDoor")));
    }
    return omk_req_reply_json(req, 200,
                              json_pack("{s:I, s:n, s:n, s:o}", "count",
                                        (json_int_t)json_array_size(results), "next", "previous",
                                        "results", results));
}

/* ---- routes ---- */

static const omk_api_info KB_API = {KB_BASE, "0.1.0", omk__openapi_kennisbank, 0};

size_t omk__kb_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", KB_BASE "/artikelen", artikel_list, &omk__kb_artikel, &KB_API, 0, 0, NULL},
        {"POST", KB_BASE "/artikelen", omk__res_create, &omk__kb_artikel, &KB_API, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KB_BASE "/artikelen/{uuid}", artikel_read, &omk__kb_artikel, &KB_API, 0, 0, NULL},
        {"PUT", KB_BASE "/artikelen/{uuid}", omk__res_put, &omk__kb_artikel, &KB_API, OMK_ROUTE_BODY, 0, NULL},
        {"PATCH", KB_BASE "/artikelen/{uuid}", omk__res_patch, &omk__kb_artikel, &KB_API, OMK_ROUTE_BODY, 0, NULL},
        {"DELETE", KB_BASE "/artikelen/{uuid}", omk__res_delete, &omk__kb_artikel, &KB_API, 0, 0, NULL},
        {"GET", KB_BASE "/artikelen/{uuid}/versies", artikel_versies, &omk__kb_artikel, &KB_API, 0, 0, NULL},
        {"GET", KB_BASE "/artikelen/{uuid}/weergave/{kanaal}", artikel_weergave, &omk__kb_artikel, &KB_API, 0, 0, NULL},
        {"POST", KB_BASE "/artikelen/{uuid}/weergave/{kanaal}", artikel_weergave, &omk__kb_artikel, &KB_API, OMK_ROUTE_BODY | OMK_ROUTE_READ, 0, NULL},
        {"GET", KB_BASE "/_zoek", zoek, NULL, &KB_API, 0, 0, NULL},
        {"POST", KB_BASE "/_zoek", zoek, NULL, &KB_API, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KB_BASE "/gebruik", omk__res_list, &omk__kb_gebruik, &KB_API, 0, 0, NULL},
        {"POST", KB_BASE "/gebruik", omk__res_create, &omk__kb_gebruik, &KB_API, OMK_ROUTE_BODY, 0, NULL},
        {"GET", KB_BASE "/rapport", rapport, NULL, &KB_API, 0, 0, NULL},
        {"GET", KB_BASE "/reviewwachtrij", reviewwachtrij, NULL, &KB_API, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n + omk__kb_synoniemen_routes(&KB_API, out + n, cap - n);
}
