/* The channels API (/kanalen/api/v1): configuration, its OpenAPI document, the route table of
 * every channel, the background thread that escalates overdue contactverzoeken, and the one
 * helper through which every channel registers what it received as klantcontacten. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kanalen/kanalen.h"
#include "omk/http_client.h"
#include "omk/log.h"
#include "omk/ticker.h"
#include "omk/util.h"



const omk_api_info omk__kan_api = {KAN_BASE, "0.1.0", omk__openapi_kanalen, 0};

static omk_kanalen_config g_cfg = {.mail_from = "omnikanaal@localhost"};

const omk_kanalen_config *omk__kan_config(void)
{
    return &g_cfg;
}

/* ---- register helper ---- */

static void errors_under(omk_api_ctx *ctx, const omk_api_ctx *sub, const char *prefix)
{
    for (const omk_api_err *e = sub->errs; e; e = e->next) {
        char name[256];
        snprintf(name, sizeof name, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", e->name);
        omk_api_err_add(ctx, name, e->code, e->reason);
    }
}

static omk_rc engine_write(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const char *old,
                           json_t *body, omk_write_mode mode, const char *prefix,
                           const char **uuid)
{
    if (!body)
        return OMK_NOMEM;
    omk_api_ctx sub = {.a = ctx->a, .base_url = ctx->base_url, .principal = ctx->principal};
    omk_row *row = NULL;
    omk_rc rc = omk_res_parse(&sub, r, body, mode, &row);
    if (!rc)
        rc = omk_res_write(db, &sub, r, row, old, body, mode, NULL);
    if (rc == OMK_INVALID) {
        errors_under(ctx, &sub, prefix);
        omk_log_error("kanalen", "register refused a %s (%s)", r->model,
                      sub.errs ? sub.errs->reason : "?");
    }
    if (!rc && uuid)
        *uuid = omk_arena_strdup(ctx->a, row->uuid);
    json_decref(body);
    return rc;
}

omk_rc omk__kan_create(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, json_t *body,
                       const char *prefix, const char **uuid)
{
    return engine_write(db, ctx, r, NULL, body, OMK_CREATE, prefix, uuid);
}

omk_rc omk__kan_patch(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, const char *uuid,
                      json_t *body, const char *prefix)
{
    return engine_write(db, ctx, r, uuid, body, OMK_PATCH, prefix, NULL);
}

omk_rc omk__kan_match_partij(omk_db *db, omk_api_ctx *ctx, const char *soort, const char *adres,
                             const char **partij)
{
    *partij = NULL;
    char key[128];
    if (!soort || !omk__contact_key(soort, adres, key, sizeof key))
        return OMK_OK;
    /* The same search key the klantbeeld uses (digitale_adressen.zoeksleutel): any notation
     * of a phone number, an e-mail address in any case; an index seek. */
    omk_cond c[] = {{"zoeksleutel", {.t = OMK_V_TEXT, .s = key, .n = strlen(key)}},
                    {"soort_digitaal_adres", {.t = OMK_V_TEXT, .s = soort, .n = strlen(soort)}}};
    omk_query q = {.conds = c, .nconds = 2, .limit = 20};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_digitaal_adres, &q, ctx->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const char *p = omk_row_text(&omk__ki_digitaal_adres, &rows.rows[i], "verstrektDoorPartij");
        if (p && *partij && strcmp(p, *partij) != 0) {
            *partij = NULL; /* two partijen share it: not ours to choose */
            return OMK_OK;
        }
        if (p)
            *partij = p;
    }
    if (*partij)
        *partij = omk_arena_strdup(ctx->a, *partij);
    return rc;
}

static json_t *ref(const char *uuid)
{
    return json_pack("{s:s}", "uuid", uuid);
}

omk_rc omk__kan_register(omk_db *db, omk_api_ctx *ctx, const omk_kan_contact *c, const char **kc)
{
    json_t *kcb = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "kanaal", c->kanaal, "onderwerp",
                            c->onderwerp && *c->onderwerp ? c->onderwerp : "(geen onderwerp)",
                            "inhoud", c->inhoud ? c->inhoud : "", "indicatieContactGelukt",
                            c->gelukt, "taal", "nld", "vertrouwelijk", 0);
    if (kcb && c->reactie && *c->reactie)
        json_object_set_new(kcb, "reactie", json_string(c->reactie));
    if (kcb && c->plaatsgevonden_op)
        json_object_set_new(kcb, "plaatsgevondenOp", json_string(c->plaatsgevonden_op));
    if (kcb && c->metadata)
        json_object_set(kcb, "metadata", c->metadata);
    omk_rc rc = omk__kan_create(db, ctx, &omk__ki_klantcontact, kcb, "klantcontact", kc);
    if (rc)
        return rc;
    json_t *bb = json_pack("{s:o, s:s, s:b}", "hadKlantcontact", ref(*kc), "rol", "klant",
                           "initiator", 1);
    if (bb && c->partij)
        json_object_set_new(bb, "wasPartij", ref(c->partij));
    if (bb && c->naam && *c->naam)
        json_object_set_new(bb, "contactnaam", json_pack("{s:s}", "achternaam", c->naam));
    const char *betrokkene = NULL;
    rc = omk__kan_create(db, ctx, &omk__ki_betrokkene, bb, "betrokkene", &betrokkene);
    if (!rc && c->adres && *c->adres && c->adres_soort) {
        json_t *da = json_pack("{s:s, s:s, s:o, s:s}", "adres", c->adres, "soortDigitaalAdres",
                               c->adres_soort, "verstrektDoorBetrokkene", ref(betrokkene),
                               "omschrijving", c->kanaal);
        /* An address the register's format rules refuse (e.g. an odd phone number) does
         * not lose the contact: it is left out, the contact is kept. */
        omk_api_ctx tmp = {.a = ctx->a, .base_url = ctx->base_url, .principal = ctx->principal};
        rc = omk__kan_create(db, &tmp, &omk__ki_digitaal_adres, da, "digitaalAdres", NULL);
        if (rc == OMK_INVALID)
            rc = OMK_OK;
    }
    for (size_t i = 0; !rc && i < c->nbijlagen; i++) {
        json_t *bj = json_pack("{s:o, s:{s:s, s:s, s:s, s:s}}", "wasBijlageVanKlantcontact",
                               ref(*kc), "bijlageidentificator", "objectId", c->bijlagen[i],
                               "codeObjecttype", "bestand", "codeRegister", "omnikanaal",
                               "codeSoortObjectId", "uuid");
        rc = omk__kan_create(db, ctx, &omk__ki_bijlage, bj, "bijlagen", NULL);
    }
    return rc;
}

/* ---- routes (the document's are the engine's: engine/openapi.c) ---- */

size_t omk__kan_routes(omk_route *out, size_t cap)
{
    size_t n = 0;
    n += omk__kv_routes(out + n, cap - n);
    n += omk__gesprek_routes(out + n, cap - n);
    n += omk__webhook_routes(out + n, cap - n);
    n += omk__events_routes(out + n, cap - n);
    n += omk__cti_routes(out + n, cap - n);
    n += omk__koppelcode_routes(out + n, cap - n);
    n += omk__chat_routes(out + n, cap - n);
    n += omk__balie_routes(out + n, cap - n);
    n += omk__stat_routes(out + n, cap - n);
    n += omk__wv_routes(out + n, cap - n);
    n += omk__routering_routes(out + n, cap - n);
    n += omk__sjabloon_routes(out + n, cap - n);
    return n;
}

/* ---- background work ---- */

const char *omk__kan_text(omk_api_ctx *ctx, json_t *obj, const char *key, const char *name,
                          size_t max, bool required)
{
    json_t *v = json_object_get(obj, key);
    const char *s = json_string_value(v);
    if (!v || json_is_null(v) || (s && !*s)) {
        if (required)
            omk_api_err_add(ctx, name, "required", "Dit veld is vereist.");
        return NULL;
    }
    if (!s || !omk_utf8_valid(s, json_string_length(v))) {
        omk_api_err_add(ctx, name, "invalid", "Geen geldige string.");
        return NULL;
    }
    if (omk_utf8_len(s, json_string_length(v)) > max) {
        omk_api_err_add(ctx, name, "max_length",
                        omk_arena_printf(ctx->a, "Zorg ervoor dat dit veld niet meer dan %zu "
                                                 "karakters bevat.", max));
        return NULL;
    }
    return s;
}

static struct {
    omk_store *store;
    omk_ticker *escalator, *claims, *watcher;
    int64_t watermark; /* the werkvoorraad watcher's: changes after it are not announced yet */
} g;

/* One escalation check (every escalation_interval_s, 60 by default). */
static bool escalate(void *unused)
{
    (void)unused;
    omk_arena *a = omk_arena_new(64 << 20);
    json_t *done = json_array();
    if (a && done && omk__kv_escalate(g.store, a, done))
        omk_log_error("kanalen", "escalation check failed");
    else if (json_array_size(done))
        omk_log_info("kanalen", "%zu contactverzoek(en) escalated", json_array_size(done));
    json_decref(done);
    omk_arena_free(a);
    return false;
}

/* Releases the werkvoorraad's idle claims (every half timeout, at most every 60 s). */
static bool release_idle(void *unused)
{
    (void)unused;
    omk_arena *a = omk_arena_new(16 << 20);
    json_t *vrij = json_array();
    if (a && vrij && omk__wv_verlopen(g.store, a, vrij))
        omk_log_error("kanalen", "werkvoorraad: releasing idle claims failed");
    json_decref(vrij);
    omk_arena_free(a); /* publishes the releases' events */
    return false;
}

/* Announces werkvoorraad changes another process made (mail-ingest), every 2 s. */
static bool watch(void *unused)
{
    (void)unused;
    omk_arena *a = omk_arena_new(16 << 20);
    if (a && omk__wv_watch(g.store, a, &g.watermark))
        omk_log_error("kanalen", "werkvoorraad: watching for changes failed");
    omk_arena_free(a); /* publishes */
    return false;
}

omk_rc omk_api_kanalen_start(omk_store *s, const omk_kanalen_config *cfg)
{
    if (cfg) {
        g_cfg = *cfg;
        if (!g_cfg.mail_from)
            g_cfg.mail_from = "omnikanaal@localhost";
    }
    g.store = s;
    omk_rc rc = omk__kan_limits_start(&g_cfg);
    if (rc)
        return rc;
    int every_s = g_cfg.escalation_interval_s > 0 ? g_cfg.escalation_interval_s : 60;
    rc = omk_ticker_start(every_s * 1000, true, escalate, NULL, &g.escalator);
    int timeout = g_cfg.claim_timeout_s > 0 ? g_cfg.claim_timeout_s : 900;
    int claims_ms = timeout >= 120 ? 60000 : timeout * 500;
    if (!rc)
        rc = omk_ticker_start(claims_ms, false, release_idle, NULL, &g.claims);
    g.watermark = 0;
    if (!rc)
        rc = omk_ticker_start(2000, true, watch, NULL, &g.watcher);
    if (rc)
        omk_api_kanalen_stop();
    return rc;
}

void omk_api_kanalen_stop(void)
{
    omk_ticker_stop(g.escalator);
    omk_ticker_stop(g.claims);
    omk_ticker_stop(g.watcher);
    g.escalator = g.claims = g.watcher = NULL;
    omk__kan_limits_stop();
}

/* The channels that deliver replies their own way; every other kanaal goes out through the
 * outbound webhook. */
static const omk_kan_bezorger *const BEZORGERS[] = {
    &omk__bezorger_mail,
    &omk__bezorger_whatsapp,
    &omk__bezorger_chat,
};

const omk_kan_bezorger *omk__kan_bezorger(const char *kanaal)
{
    for (size_t i = 0; i < sizeof BEZORGERS / sizeof BEZORGERS[0]; i++)
        if (strcmp(BEZORGERS[i]->kanaal, kanaal) == 0)
            return BEZORGERS[i];
    return &omk__bezorger_webhook;
}
