/* Inbound webhooks of the message channels: the WhatsApp Business Cloud API
 * (/kanalen/api/v1/whatsapp/webhook: the verify handshake, and messages signed with
 * X-Hub-Signature-256 = HMAC-SHA256 of the raw body under the app secret; unsigned or wrongly
 * signed requests are refused before anything is read) and the generic inbound message
 * webhook for other channels (/kanalen/api/v1/berichten, with an API token). Every message
 * lands in its conversation and in the register as a klantcontact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/http_client.h"
#include "omk/log.h"
#include "omk/util.h"

#define MAX_MESSAGES 100

/* ---- WhatsApp ---- */

/* GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… → the challenge, as Meta expects
 * when the webhook is registered. */
static omk_rc wa_verify(omk_req *req)
{
    omk_rc lrc = omk__kan_limit_webhook(req);
    if (lrc)
        return lrc;
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    const char *mode = NULL, *token = NULL, *challenge = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].key, "hub.mode") == 0)
            mode = q[i].value;
        else if (strcmp(q[i].key, "hub.verify_token") == 0)
            token = q[i].value;
        else if (strcmp(q[i].key, "hub.challenge") == 0)
            challenge = q[i].value;
    }
    const char *expected = omk__kan_config()->whatsapp_verify_token;
    if (!mode || strcmp(mode, "subscribe") != 0 || !challenge || !token || !expected ||
        !omk_secret_eq(token, expected)) {
        omk_req_fail(req, "verificatie_mislukt", "Het verificatietoken klopt niet.");
        return OMK_FORBIDDEN;
    }
    return omk_req_reply(req, 200, "text/plain; charset=utf-8", challenge, strlen(challenge));
}

/* True when the request carries a valid X-Hub-Signature-256 for its raw body. */
static bool wa_signed(omk_req *req)
{
    const char *secret = omk__kan_config()->whatsapp_app_secret;
    const char *sig = omk_req_header(req, "X-Hub-Signature-256");
    size_t n = 0;
    const char *body = omk_req_body(req, &n);
    if (!secret || !*secret || !sig || strncmp(sig, "sha256=", 7) != 0 || !body)
        return false;
    char mac[65];
    omk_hmac_sha256_hex(secret, strlen(secret), body, n, mac);
    char given[65];
    size_t k = 0;
    for (const char *p = sig + 7; *p && k < 64; p++)
        given[k++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
    given[k] = 0;
    return strlen(sig + 7) == 64 && omk_secret_eq(given, mac);
}

/* What a non-text message says in the register ("[afbeelding] onderschrift"). */
static const char *wa_text(omk_arena *a, json_t *msg)
{
    const char *type = json_string_value(json_object_get(msg, "type"));
    type = type ? type : "";
    json_t *body = json_object_get(json_object_get(msg, "text"), "body");
    if (json_is_string(body))
        return json_string_value(body);
    static const struct {
        const char *type, *label;
    } KINDS[] = {{"image", "afbeelding"}, {"document", "document"}, {"audio", "geluid"},
                 {"video", "video"},      {"sticker", "sticker"},  {"location", "locatie"},
                 {"contacts", "contact"}, {"button", "knop"},      {"interactive", "keuze"}};
    const char *label = "bericht";
    for (size_t i = 0; i < OMK_COUNT(KINDS); i++)
        if (strcmp(type, KINDS[i].type) == 0)
            label = KINDS[i].label;
    json_t *part = json_object_get(msg, type);
    const char *caption = json_string_value(json_object_get(part, "caption"));
    if (!caption)
        caption = json_string_value(json_object_get(part, "text"));
    if (!caption)
        caption = json_string_value(json_object_get(part, "filename"));
    return omk_arena_printf(a, "[%s]%s%s", label, caption ? " " : "", caption ? caption : "");
}

typedef struct wa_job {
    omk_api_ctx *ctx;
    json_t *body;
    json_t *out;
    omk_ldv *ldv; /* the Logboek: the partijen of the stored messages, written with them */
    omk_ldv_actie *actie;
} wa_job;

static const char *str(json_t *v, const char *key)
{
    const char *s = json_string_value(json_object_get(v, key));
    return s && omk_utf8_valid(s, strlen(s)) ? s : NULL;
}

static omk_rc wa_store(omk_db *db, void *arg)
{
    wa_job *j = arg;
    size_t ei, ci, mi, stored = 0;
    json_t *entry, *change, *msg;
    json_array_foreach(json_object_get(j->body, "entry"), ei, entry)
    {
        json_array_foreach(json_object_get(entry, "changes"), ci, change)
        {
            json_t *value = json_object_get(change, "value");
            json_t *contact = json_array_get(json_object_get(value, "contacts"), 0);
            const char *naam = str(json_object_get(contact, "profile"), "name");
            json_array_foreach(json_object_get(value, "messages"), mi, msg)
            {
                const char *from = str(msg, "from"), *id = str(msg, "id");
                if (!from || !id || strlen(from) > 20 || ++stored > MAX_MESSAGES)
                    continue;
                int64_t ts = 0;
                const char *t = str(msg, "timestamp");
                if (t && !omk_parse_uint(t, strlen(t), &ts))
                    ts = 0;
                omk_kan_inbound in = {
                    .kanaal = "whatsapp", .sleutel = from, .adres_soort = "telefoonnummer",
                    .adres = omk_arena_printf(j->ctx->a, "+%s", from), .naam = naam,
                    .onderwerp = "WhatsApp-bericht", .tekst = wa_text(j->ctx->a, msg),
                    .extern_id = id, .tijdstip_us = ts * 1000000, .register_contact = true,
                    .logboek = j->actie};
                omk_kan_inbound_result res;
                omk_rc rc = omk__kan_inbound(db, j->ctx, &in, &res);
                if (rc)
                    return rc;
                json_array_append_new(j->out, json_pack("{s:s, s:s, s:s?, s:b}", "gesprek",
                                                        res.gesprek, "bericht", res.bericht,
                                                        "klantcontact", res.klantcontact,
                                                        "dubbel", res.duplicate));
            }
        }
    }
    return omk__ldv_write(db, j->ldv);
}

/* The Logboek of inbound messages that came without a credential's purpose (a signed
 * webhook): answering the resident's question, done by the system. */
static omk_rc inbound_log(omk_req *req, omk_arena *a, omk_ldv **ldv, omk_ldv_actie **actie)
{
    omk_rc rc = omk__ldv_begin_als(req, a, "klantvraag-beantwoorden", "systeem", ldv);
    if (!rc && *ldv && !(*actie = omk__ldv_actie(*ldv, "Bericht ontvangen", NULL, NULL)))
        rc = OMK_NOMEM;
    return rc;
}

/* POST: message notifications (statuses and other fields are acknowledged and ignored). */
static omk_rc wa_receive(omk_req *req)
{
    omk_rc lrc = omk__kan_limit_webhook(req);
    if (lrc)
        return lrc;
    if (!wa_signed(req)) {
        omk_req_fail(req, "handtekening_ongeldig",
                     "De X-Hub-Signature-256 ontbreekt of klopt niet.");
        return OMK_UNAUTHORIZED;
    }
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    ctx.principal = "whatsapp";
    wa_job j = {.ctx = &ctx, .out = json_array()};
    if (!j.out || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.out))
        return OMK_NOMEM;
    omk_rc rc = omk_req_parse_json(req, &j.body); /* raw route: parsed once the signature holds */
    if (!rc && !json_is_array(json_object_get(j.body, "entry")))
        omk_api_err_add(&ctx, "entry", "required", "Dit veld is vereist.");
    if (!rc && !ctx.nerrs)
        rc = inbound_log(req, ctx.a, &j.ldv, &j.actie);
    if (!rc && !ctx.nerrs)
        rc = omk_store_write(omk__store(req), wa_store, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, json_pack("{s:O}", "ontvangen", j.out));
}

/* ---- generic inbound messages ---- */

typedef struct generic_job {
    omk_api_ctx *ctx;
    omk_kan_inbound in;
    omk_kan_inbound_result res;
    omk_ldv *ldv; /* the Logboek of the token's request: the message's partij */
} generic_job;

static omk_rc generic_store(omk_db *db, void *arg)
{
    generic_job *j = arg;
    omk_rc rc = j->in.gesprek ? omk_res_must_exist(db, j->ctx, &omk__kan_gesprek, j->in.gesprek,
                                                   "gesprek", NULL)
                              : OMK_OK;
    if (!rc)
        rc = omk__kan_inbound(db, j->ctx, &j->in, &j->res);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

/* POST /berichten: {kanaal, tekst, onderwerp?, afzender: {adres, soort, naam}?, gesprek?,
 * sleutel?, externId?, tijdstip?} */
static omk_rc generic_receive(omk_req *req)
{
    omk_rc lrc = omk__kan_limit_webhook(req);
    if (lrc)
        return lrc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    generic_job j = {.ctx = &ctx};
    omk_kan_inbound *in = &j.in;
    in->kanaal = omk__kan_text(&ctx, body, "kanaal", "kanaal", 50, true);
    in->tekst = omk__kan_text(&ctx, body, "tekst", "tekst", 20000, true);
    in->onderwerp = omk__kan_text(&ctx, body, "onderwerp", "onderwerp", 200, false);
    in->gesprek = omk__kan_text(&ctx, body, "gesprek", "gesprek", 36, false);
    in->sleutel = omk__kan_text(&ctx, body, "sleutel", "sleutel", 200, false);
    in->extern_id = omk__kan_text(&ctx, body, "externId", "externId", 200, false);
    json_t *af = json_object_get(body, "afzender");
    if (af && !json_is_object(af))
        omk_api_err_add(&ctx, "afzender", "invalid", "Ongeldige data. Verwacht een dictionary.");
    in->adres = omk__kan_text(&ctx, af, "adres", "afzender.adres", 254, false);
    in->naam = omk__kan_text(&ctx, af, "naam", "afzender.naam", 200, false);
    in->adres_soort = omk__kan_text(&ctx, af, "soort", "afzender.soort", 20, false);
    if (in->adres_soort && strcmp(in->adres_soort, "email") &&
        strcmp(in->adres_soort, "telefoonnummer") && strcmp(in->adres_soort, "overig"))
        omk_api_err_add(&ctx, "afzender.soort", "invalid_choice",
                        omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.", in->adres_soort));
    if (in->gesprek && !omk_uuid_valid(in->gesprek, strlen(in->gesprek)))
        omk_api_err_add(&ctx, "gesprek", "invalid", "Voer een geldige UUID in.");
    const char *t = omk__kan_text(&ctx, body, "tijdstip", "tijdstip", 40, false);
    if (t && !omk_time_parse(t, strlen(t), &in->tijdstip_us))
        omk_api_err_add(&ctx, "tijdstip", "invalid", "Datetime heeft een ongeldig formaat.");
    if (in->kanaal && (strcmp(in->kanaal, "e-mail") == 0 || strcmp(in->kanaal, "chat") == 0))
        omk_api_err_add(&ctx, "kanaal", "invalid",
                        "Dit kanaal heeft een eigen ingang (mail-ingest, chat).");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    in->register_contact = true;
    if (!in->adres_soort)
        in->adres_soort = "overig";
    omk_rc rc = omk__ldv_begin(req, &j.ldv);
    if (!rc && j.ldv && !(in->logboek = omk__ldv_actie(j.ldv, "Bericht ontvangen", NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_write(omk__store(req), generic_store, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    json_t *out = json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "gesprek", j.res.gesprek, "bericht",
                            j.res.bericht, "klantcontact", j.res.klantcontact, "partij",
                            j.res.partij, "dubbel", j.res.duplicate);
    return omk_req_reply_json(req, j.res.duplicate ? 200 : 201, out);
}

size_t omk__webhook_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/whatsapp/webhook", wa_verify, NULL, api, OMK_ROUTE_PUBLIC, 0, NULL},
        {"POST", KAN_BASE "/whatsapp/webhook", wa_receive, NULL, api,
         OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY | OMK_ROUTE_RAW, 0, NULL},
        {"POST", KAN_BASE "/berichten", generic_receive, NULL, api, OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}

/* ---- delivering replies ---- */

/* POSTs a JSON message to url (with an Authorization header when auth is set); a non-2xx
 * answer is a failure, said in o->err as `who antwoordde HTTP <status>`. */
static omk_rc post_reply(omk_kan_uitgaand *o, const char *url, const char *auth, json_t *msg,
                         const char *who)
{
    char *body = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!body)
        return OMK_NOMEM;
    int status = 0;
    omk_rc rc = omk_http_post_json(url, auth, body, strlen(body), 10000, &status, o->err,
                                   sizeof o->err);
    free(body);
    if (!rc && (status < 200 || status >= 300)) {
        snprintf(o->err, sizeof o->err, "%s antwoordde HTTP %d", who, status);
        rc = OMK_UNAVAILABLE;
    }
    return rc;
}

/* WhatsApp Business Cloud API: POST {phone-number-id}/messages with a text message. */
static omk_rc send_whatsapp(omk_kan_uitgaand *o)
{
    const omk_kanalen_config *cfg = omk__kan_config();
    if (!cfg->whatsapp_api_url) {
        snprintf(o->err, sizeof o->err, "geen WhatsApp API geconfigureerd");
        return OMK_UNAVAILABLE;
    }
    const char *to = omk_row_text(&omk__kan_gesprek, o->gesprek, "adres");
    json_t *msg = NULL;
    if (o->sjabloon) {
        /* A template message: its body parameters in order (Cloud API "template" type). */
        json_t *params = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(o->parameters, i, p)
            json_array_append_new(params, json_pack("{s:s, s:O}", "type", "text", "text", p));
        msg = json_pack("{s:s, s:s, s:s, s:{s:s, s:{s:s}, s:[{s:s, s:o}]}}", "messaging_product",
                        "whatsapp", "to", to, "type", "template", "template", "name",
                        o->sjabloon, "language", "code", o->sjabloon_taal, "components", "type",
                        "body", "parameters", params);
        if (msg && !json_array_size(params))
            json_object_del(json_object_get(msg, "template"), "components");
    } else {
        msg = json_pack("{s:s, s:s, s:s, s:{s:s}}", "messaging_product", "whatsapp", "to", to,
                        "type", "text", "text", "body", o->tekst);
    }
    const char *auth = cfg->whatsapp_token
                           ? omk_arena_printf(o->a, "Bearer %s", cfg->whatsapp_token)
                           : NULL;
    return post_reply(o, cfg->whatsapp_api_url, auth, msg, "WhatsApp API");
}

/* Any other channel: POST {gesprek, kanaal, naar, tekst} to the configured webhook. */
static omk_rc send_webhook(omk_kan_uitgaand *o)
{
    const omk_kanalen_config *cfg = omk__kan_config();
    if (!cfg->outbound_webhook) {
        snprintf(o->err, sizeof o->err, "geen uitgaande webhook geconfigureerd voor dit kanaal");
        return OMK_UNAVAILABLE;
    }
    json_t *msg = json_pack("{s:s, s:s, s:s, s:s}", "gesprek", o->gesprek->uuid, "kanaal",
                            omk_row_text(&omk__kan_gesprek, o->gesprek, "kanaal"), "naar",
                            omk_row_text(&omk__kan_gesprek, o->gesprek, "adres"), "tekst",
                            o->tekst);
    return post_reply(o, cfg->outbound_webhook, NULL, msg, "webhook");
}

const omk_kan_bezorger omk__bezorger_whatsapp = {"whatsapp", send_whatsapp, NULL};
const omk_kan_bezorger omk__bezorger_webhook = {"webhook", send_webhook, NULL};
