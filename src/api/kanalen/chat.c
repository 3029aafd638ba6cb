/* Web chat (/kanalen/api/v1/chat/...). The resident's side is public (the widget on the
 * municipal website): a session is a conversation plus a secret only its browser knows
 * (stored as a hash), sent as X-Chat-Sessie or, for EventSource, ?sessie=; messages go in with
 * POST and come out over Server-Sent Events. The agent's side (API token) has the queue,
 * assignment, replies (POST /gesprekken/{uuid}/berichten) and closing, which stores the
 * transcript as a klantcontact with betrokkene and can hand over as a contactverzoek. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "omk/buf.h"
#include "omk/util.h"

#define MAX_TEKST 4000

/* Who helps, as the resident is told: the employee's first name (gebruikers.voornaam, kept
 * on the chat when it was taken), else this, never the login name (docs/internals/kanalen.md). */
#define NEUTRAAL "Een medewerker"

/* The name the resident sees for the employee of chat g ("" while nobody took it). */
static const char *shown_name(const omk_row *g)
{
    if (!*omk_row_text0(&omk__kan_gesprek, g, "medewerker"))
        return "";
    const char *v = omk_row_text0(&omk__kan_gesprek, g, "medewerkerVoornaam");
    return *v ? v : NEUTRAAL;
}

/* A message as the resident sees it: the employee's replies signed with shown_name, not with
 * the login name the message keeps for the register. Changes b in place. */
static void resident_view(json_t *b, const char *naam)
{
    const char *r = json_string_value(json_object_get(b, "richting"));
    if (r && strcmp(r, "uit") == 0)
        json_object_set_new(b, "afzender", json_string(*naam ? naam : NEUTRAAL));
}


static char *dump(json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
    json_decref(v);
    return s;
}

static void publish(const char *topic, const char *event, json_t *data)
{
    char *s = dump(data);
    if (s)
        omk__events_publish(topic, event, s);
    free(s);
}

/* Every agent's stream (queue changes concern all of them). */
static void publish_agents(const char *event, json_t *data)
{
    char *s = dump(data);
    if (s)
        omk__events_publish_prefix("medewerker:", event, s);
    free(s);
}

/* Hands a stored message to the resident's open stream, signed as the resident sees it. */
static omk_rc deliver(omk_arena *a, const omk_row *gesprek, const char *bericht_json)
{
    const char *topic = omk_arena_printf(a, "chat:%s", gesprek->uuid);
    json_t *b = json_loads(bericht_json, 0, NULL);
    if (b)
        resident_view(b, shown_name(gesprek));
    char *s = b ? dump(b) : NULL;
    if (!topic || !s) {
        free(s);
        return OMK_NOMEM;
    }
    omk__events_publish(topic, "bericht", s);
    free(s);
    return OMK_OK;
}

/* The widget runs on the municipality's websites (--chat-origin): their pages may call the
 * resident's routes, no other site's may (limieten.c). A preflight from a listed origin gets
 * what it asks for; from any other, or with none listed, 403. */
static omk_rc preflight(omk_req *req)
{
    const char *origin = omk_req_header(req, "Origin");
    omk_rc rc = origin ? omk__kan_chat_origin(req) : OMK_FORBIDDEN;
    if (rc)
        return rc;
    omk_req_add_header(req, "Access-Control-Allow-Methods", "GET, POST");
    omk_req_add_header(req, "Access-Control-Allow-Headers", "Content-Type, X-Chat-Sessie");
    return omk_req_reply(req, 204, "text/plain", "", 0);
}


static omk_rc widget(omk_req *req)
{
    return omk_req_reply(req, 200, "text/javascript; charset=utf-8", omk__widget_js,
                         omk__widget_js_len);
}

/* ---- sessions ---- */

typedef struct chat_job {
    omk_api_ctx *ctx;
    const char *uuid, *secret, *naam, *onderwerp, *email, *tekst, *medewerker;
    const char *voornaam; /* assign: the employee's first name, as the resident is told */
    /* close: the employee's registration of the chat's (first) question — the klant's
     * question in their words, the answer given, the result (metadata.resultaat) */
    const char *inhoud, *reactie, *resultaat;
    bool na_inwoner; /* close: a chat the resident ended may still get its registration */
    json_t *body;
    omk_row *g;
    json_t *out;
    omk_kan_inbound_result res;
    const char *kc, *kv;
    bool taken, closed, full;
    long long positie; /* resident's read: the place in the queue while waiting (0: none) */
    omk_ldv *ldv; /* the Logboek of an agent's request (NULL on the resident's own routes) */
    omk_ldv_actie *actie;
} chat_job;

/* The Logboek of the resident's own routes: no credential came with them, so no purpose; a
 * conversation of a known partij is processed to answer their question, by whoever holds the
 * chat's secret ("chatbezoeker": the website does not say who that is). Action `naam`. */
static omk_rc visitor_log(omk_req *req, chat_job *j, const char *naam)
{
    omk_rc rc = omk__ldv_begin_als(req, j->ctx->a, "klantvraag-beantwoorden", "chatbezoeker",
                                   &j->ldv);
    if (!rc && j->ldv && !(j->actie = omk__ldv_actie(j->ldv, naam, NULL, NULL)))
        rc = OMK_NOMEM;
    return rc;
}

#define DEFAULT_QUEUE_MAX 100

/* The chats waiting for an employee, in db's transaction. */
static omk_rc queue_length(omk_db *db, omk_arena *a, long long *n);

static omk_rc start_write(omk_db *db, void *arg)
{
    chat_job *j = arg;
    /* The queue is capped: past it a new chat is refused rather than left waiting for hours
     * (and a flood from many addresses cannot bury the residents already waiting). */
    int max = omk__kan_config()->chat_queue_max;
    long long waiting = 0;
    omk_rc qrc = queue_length(db, j->ctx->a, &waiting);
    if (qrc)
        return qrc;
    if (waiting >= (max > 0 ? max : DEFAULT_QUEUE_MAX)) {
        j->full = true;
        return OMK_CONFLICT;
    }
    omk_row *g = omk_row_new(&omk__kan_gesprek, j->ctx->a);
    if (!g)
        return OMK_NOMEM;
    char hash[65];
    omk_hash_hex(j->secret, strlen(j->secret), hash);
    int64_t now = omk_now_ms() * 1000;
    /* The e-mail address is what the visitor typed: anyone can type a resident's. It is kept
     * with the chat for the employee, never used to link the chat to a partij (the KCC
     * identifies the resident in the contact session; see docs/internals/kanalen.md). */
    omk_uuid4(g->uuid);
    struct {
        const char *json, *v;
    } S[] = {{"kanaal", "chat"}, {"onderwerp", j->onderwerp}, {"adres", j->email},
             {"naam", j->naam},  {"status", "open"},       {"medewerker", ""},
             {"sleutel", ""},    {"geheim", hash}};
    for (size_t i = 0; i < OMK_COUNT(S); i++) {
        int f = omk_model_field_index(&omk__kan_gesprek, S[i].json);
        if (f >= 0)
            g->v[f] = (omk_value){.t = OMK_V_TEXT, .s = S[i].v ? S[i].v : "",
                                  .n = S[i].v ? strlen(S[i].v) : 0};
    }
    g->v[omk_model_field_index(&omk__kan_gesprek, "partij")] = (omk_value){.t = OMK_V_NULL};
    g->v[omk_model_field_index(&omk__kan_gesprek, "aangemaaktOp")] = (omk_value){.t = OMK_V_INT, .i = now};
    g->v[omk_model_field_index(&omk__kan_gesprek, "laatsteBerichtOp")] = (omk_value){.t = OMK_V_INT, .i = now};
    j->g = g;
    omk_rc rc = omk_db_insert(db, &omk__kan_gesprek, g); /* nobody's yet: nothing to log */
    return rc ? rc : omk__wv_gesprek(db, j->ctx, g, OMK_WV_IN, j->onderwerp, now);
}

static omk_rc read_gesprek(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->uuid, j->ctx->a, &j->g);
    if (!rc && strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "kanaal"), "chat") != 0)
        rc = OMK_NOTFOUND;
    return rc;
}

/* The chats waiting for an employee: open, nobody took them. */
static const omk_filter WACHTEND[] = {{"_k", "kanaal", OMK_OP_EQ}, {"_s", "status", OMK_OP_EQ},
                                      {"_m", "medewerker", OMK_OP_EQ},
                                      {"_voor", "aangemaaktOp", OMK_OP_LT}};

static int by_start(const void *a, const void *b)
{
    int i = omk_model_field_index(&omk__kan_gesprek, "aangemaaktOp");
    int64_t x = ((const omk_row *)a)->v[i].i, y = ((const omk_row *)b)->v[i].i;
    return x < y ? -1 : x > y;
}

static omk_rc queue_length(omk_db *db, omk_arena *a, long long *n)
{
    omk_filter_arg f[] = {{&WACHTEND[0], "chat"}, {&WACHTEND[1], "open"}, {&WACHTEND[2], ""}};
    omk_query q = {.filters = f, .nfilters = 3, .limit = 1};
    omk_rowset rows = {0};
    *n = 0;
    return omk_db_list(db, &omk__kan_gesprek, &q, a, &rows, n);
}

/* The place of waiting chat g in the queue (1: next), in db's transaction. */
static omk_rc queue_place(omk_db *db, omk_arena *a, const omk_row *g, long long *place)
{
    char start[32];
    omk_time_format(g->v[omk_model_field_index(&omk__kan_gesprek, "aangemaaktOp")].i, start);
    omk_filter_arg f[] = {{&WACHTEND[0], "chat"}, {&WACHTEND[1], "open"}, {&WACHTEND[2], ""},
                          {&WACHTEND[3], omk_arena_strdup(a, start)}};
    omk_query q = {.filters = f, .nfilters = 4, .limit = 1};
    omk_rowset rows = {0};
    long long before = 0;
    omk_rc rc = omk_db_list(db, &omk__kan_gesprek, &q, a, &rows, &before);
    *place = before + 1;
    return rc;
}

static omk_rc gesprek_json(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_row *g = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->uuid, j->ctx->a, &g);
    return rc ? rc : omk_res_to_json(db, j->ctx, &omk__kan_gesprek, g, &j->out);
}

/* The conversation and, while it waits, its place in the queue. */
static omk_rc resident_read(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_rc rc = gesprek_json(db, j);
    j->positie = 0;
    if (!rc && strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "status"), "open") == 0 &&
        !*omk_row_text0(&omk__kan_gesprek, j->g, "medewerker"))
        rc = queue_place(db, j->ctx->a, j->g, &j->positie);
    return rc;
}

/* POST /chat/sessies {naam?, onderwerp?, email?} (public): a new chat in the queue, unless
 * the client's address started too many (429) or the queue is full (503). */
static omk_rc start(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (!orc)
        orc = omk__kan_limit_chat(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    ctx.principal = "chat";
    json_t *body = omk_req_json(req);
    chat_job j = {.ctx = &ctx};
    j.naam = omk__kan_text(&ctx, body, "naam", "naam", 200, false);
    j.onderwerp = omk__kan_text(&ctx, body, "onderwerp", "onderwerp", 200, false);
    j.email = omk__kan_text(&ctx, body, "email", "email", 254, false);
    if (j.email && *j.email && !omk__email_valid(j.email))
        omk_api_err_add(&ctx, "email", "invalid", "Voer een geldig e-mailadres in.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    char *secret = omk_arena_alloc(ctx.a, 65);
    if (!secret)
        return OMK_NOMEM;
    omk_random_hex(secret, 32);
    j.secret = secret;
    omk_rc rc = omk_store_write(omk__store(req), start_write, &j);
    if (rc == OMK_CONFLICT && j.full) {
        omk_req_retry_after(req, 120);
        omk_req_fail(req, "wachtrij_vol",
                     "Er wachten nu zoveel mensen op een medewerker dat de chat niemand meer "
                     "aanneemt. Probeer het later opnieuw, of neem op een andere manier contact "
                     "op met de gemeente.");
        return OMK_UNAVAILABLE;
    }
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.uuid = j.g->uuid;
    publish_agents("chat-wachtrij", json_pack("{s:s, s:s, s:s, s:s}", "gesprek", j.uuid, "actie",
                                              "nieuw", "naam", j.naam ? j.naam : "", "onderwerp",
                                              j.onderwerp ? j.onderwerp : ""));
    return omk_req_reply_json(
        req, 201,
        json_pack("{s:s, s:s, s:s, s:s}", "sessie", j.uuid, "geheim", secret, "gebeurtenissen",
                  omk_arena_printf(ctx.a, "%s" KAN_BASE "/chat/sessies/%s/gebeurtenissen",
                                   ctx.base_url, j.uuid),
                  "status", "wachtend"));
}

/* The resident's secret matches the session's (constant time). Reads the conversation. */
static omk_rc resident(omk_req *req, chat_job *j)
{
    omk_rc rc = omk__path_uuid(req, &j->uuid);
    if (rc)
        return rc;
    const char *secret = omk_req_header(req, "X-Chat-Sessie");
    const omk_qparam *q = NULL;
    size_t n = omk_req_query(req, &q);
    for (size_t i = 0; !secret && i < n; i++)
        if (strcmp(q[i].key, "sessie") == 0)
            secret = q[i].value;
    if ((rc = omk_store_read(omk__store(req), read_gesprek, j)))
        return rc;
    char hash[65];
    if (secret && strlen(secret) <= 128)
        omk_hash_hex(secret, strlen(secret), hash);
    if (!secret || strlen(secret) > 128 || !omk_secret_eq(hash, omk_row_text0(&omk__kan_gesprek, j->g, "geheim"))) {
        omk_req_fail(req, "sessie_ongeldig", "Deze chatsessie bestaat niet of het geheim klopt niet.");
        return OMK_NOTFOUND;
    }
    return OMK_OK;
}

static omk_rc message_write(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_kan_inbound in = {.kanaal = "chat", .gesprek = j->uuid, .adres_soort = "email",
                          .adres = omk_row_text0(&omk__kan_gesprek, j->g, "adres"), .naam = omk_row_text0(&omk__kan_gesprek, j->g, "naam"),
                          .tekst = j->tekst, .register_contact = false, .unverified = true,
                          .logboek = j->actie};
    omk_rc rc = omk__kan_inbound(db, j->ctx, &in, &j->res);
    if (!rc)
        rc = omk__ldv_write(db, j->ldv);
    if (rc)
        return rc;
    omk_row *b = NULL;
    if ((rc = omk_db_get(db, &omk__kan_bericht, j->res.bericht, j->ctx->a, &b)))
        return rc;
    return omk_res_to_json(db, j->ctx, &omk__kan_bericht, b, &j->out);
}

/* POST /chat/sessies/{uuid}/berichten {tekst} (resident). */
static omk_rc resident_message(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (!orc)
        orc = omk__kan_limit_chat_message(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    ctx.principal = "chat";
    chat_job j = {.ctx = &ctx};
    json_t *body = omk_req_json(req);
    omk_rc rc = resident(req, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.tekst = omk__kan_text(&ctx, body, "tekst", "tekst", MAX_TEKST, false);
    if (!ctx.nerrs && (!j.tekst || !*j.tekst))
        omk_api_err_add(&ctx, "tekst", "required", "Dit veld is vereist.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    if (strcmp(omk_row_text0(&omk__kan_gesprek, j.g, "status"), "open") != 0) {
        omk_req_fail(req, "gesloten", "Deze chat is beëindigd.");
        return OMK_CONFLICT;
    }
    rc = visitor_log(req, &j, "Chatbericht ontvangen");
    if (!rc)
        rc = omk_store_write(omk__store(req), message_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    char *s = json_dumps(j.out, JSON_COMPACT);
    if (s) {
        omk__events_publish(omk_arena_printf(ctx.a, "chat:%s", j.uuid), "bericht", s);
        const char *mw = omk_row_text0(&omk__kan_gesprek, j.g, "medewerker");
        json_t *ev = json_pack("{s:s, s:O}", "gesprek", j.uuid, "bericht", j.out);
        char *e = dump(ev);
        if (e && *mw)
            omk__events_publish(omk_arena_printf(ctx.a, "medewerker:%s", mw), "chatbericht", e);
        else if (e)
            omk__events_publish_prefix("medewerker:", "chatbericht", e);
        free(e);
    }
    free(s);
    return omk_req_reply_json(req, 201, j.out);
}

/* The chat's state as the resident sees it: wachtend, in_gesprek or beeindigd. */
static const char *resident_status(const omk_row *g)
{
    return strcmp(omk_row_text0(&omk__kan_gesprek, g, "status"), "open") ? "beeindigd" : *omk_row_text0(&omk__kan_gesprek, g, "medewerker") ? "in_gesprek"
                                                                               : "wachtend";
}

/* GET /chat/sessies/{uuid}/gebeurtenissen?sessie=… (resident's stream). */
static omk_rc resident_events(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    chat_job j = {.ctx = &ctx};
    omk_rc rc = resident(req, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    char *hello = dump(json_pack("{s:s, s:s, s:s}", "gesprek", j.uuid, "status",
                                 resident_status(j.g), "medewerker", shown_name(j.g)));
    rc = hello ? omk__events_subscribe(req, omk_arena_printf(ctx.a, "chat:%s", j.uuid), hello)
               : OMK_NOMEM;
    free(hello);
    return rc;
}

/* GET /chat/sessies/{uuid}/berichten (resident, X-Chat-Sessie): the conversation so far, its
 * status and who helps (the name the `status` event shows, null while nobody took the chat), so
 * the widget can show it all again on another page or when its stream says `verouderd`. */
static omk_rc resident_messages(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    chat_job j = {.ctx = &ctx};
    omk_rc rc = resident(req, &j);
    if (!rc)
        rc = omk_store_read(omk__store(req), resident_read, &j);
    if (!rc && !ctx.nerrs)
        rc = visitor_log(req, &j, "Chatgesprek raadplegen");
    if (!rc && !ctx.nerrs)
        rc = omk__ldv_persoon(j.actie, OMK_LDV_PARTIJ,
                              omk_row_text(&omk__kan_gesprek, j.g, "partij"));
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    json_t *berichten = json_object_get(j.out, "berichten");
    const char *mw = shown_name(j.g);
    size_t i;
    json_t *b;
    json_array_foreach(berichten, i, b)
        resident_view(b, mw);
    json_t *out = json_pack("{s:o, s:s, s:o, s:o}", "berichten",
                            berichten ? json_incref(berichten) : json_array(), "status",
                            resident_status(j.g), "medewerker",
                            *mw ? json_string(mw) : json_null(), "positie",
                            j.positie ? json_integer(j.positie) : json_null());
    json_decref(j.out);
    return out ? omk__ldv_reply_json(req, j.ldv, 200, out) : OMK_NOMEM;
}

/* POST /chat/sessies/{uuid}/koppelcode (resident): a code to continue by phone. */
static omk_rc resident_code(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    ctx.principal = "chat";
    chat_job j = {.ctx = &ctx};
    omk_rc rc = resident(req, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__koppelcode_issue(req, &ctx, j.uuid);
}

/* ---- agent side ---- */

static omk_rc queue_read(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_filter_arg f[] = {{&WACHTEND[0], "chat"}, {&WACHTEND[1], "open"}, {&WACHTEND[2], ""}};
    omk_query q = {.filters = f, .nfilters = 3, .limit = 500};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_gesprek, &q, j->ctx->a, &rows, NULL);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, &omk__kan_gesprek, rows.rows, rows.n);
    /* First come, first served: by when the chat started (not by its latest message, which
     * would send a resident who keeps typing to the back). */
    if (!rc && rows.n)
        qsort(rows.rows, rows.n, sizeof *rows.rows, by_start);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *o = NULL;
        if (!(rc = omk_res_to_json(db, j->ctx, &omk__kan_gesprek, &rows.rows[i], &o)))
            json_array_append_new(j->out, o);
    }
    return rc;
}


/* GET /chat/wachtrij: open chats nobody has taken, longest waiting first. */
static omk_rc queue(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    chat_job j = {.ctx = &ctx, .out = json_array()};
    omk_rc rc = omk__ldv_begin_res(req, &omk__kan_gesprek, true, NULL, &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_read(omk__store(req), queue_read, &j);
    if (rc) {
        json_decref(j.out);
        return omk__finish(req, &ctx, rc);
    }
    return omk__ldv_reply_json(req, j.ldv, 200, json_pack("{s:I, s:o}", "count",
                                                  (json_int_t)json_array_size(j.out), "results",
                                                  j.out));
}

static omk_rc assign_write(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->uuid, j->ctx->a, &j->g);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "kanaal"), "chat") != 0)
        return OMK_NOTFOUND;
    const char *cur = omk_row_text0(&omk__kan_gesprek, j->g, "medewerker");
    if (strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "status"), "open") != 0 || (*cur && strcmp(cur, j->medewerker) != 0)) {
        j->taken = true;
        return OMK_CONFLICT;
    }
    omk_row_set_text(j->ctx, &omk__kan_gesprek, j->g, "medewerker", j->medewerker);
    if ((rc = omk__auth_voornaam(db, j->ctx->a, j->medewerker, &j->voornaam)))
        return rc;
    omk_row_set_text(j->ctx, &omk__kan_gesprek, j->g, "medewerkerVoornaam", j->voornaam);
    rc = omk_db_update(db, &omk__kan_gesprek, j->g);
    if (!rc)
        rc = omk__wv_gesprek(db, j->ctx, j->g, OMK_WV_TOEGEWEZEN, NULL, 0);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, &omk__kan_gesprek, j->g, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static const char *agent_name(omk_api_ctx *ctx, json_t *body)
{
    const char *mw = omk__kan_text(ctx, body, "medewerker", "medewerker", 200, false);
    if (!ctx->nerrs && (!mw || !*mw))
        omk_api_err_add(ctx, "medewerker", "required", "Dit veld is vereist.");
    return mw;
}

/* POST /chat/sessies/{uuid}/toewijzen {medewerker}: an agent takes the chat. */
static omk_rc assign(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    chat_job j = {.ctx = &ctx};
    json_t *body = omk_req_json(req);
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.medewerker = agent_name(&ctx, body);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    /* An employee's web session takes a chat for that employee only (a stale or crafted page
     * must not put a chat on a colleague's name); an integration's API token names the
     * medewerker it acts for. */
    if (omk__auth_by_session(req) && strcmp(j.medewerker, omk_req_principal(req)) != 0) {
        omk_req_fail(req, "permission_denied", "U kunt een chat alleen zelf overnemen.");
        return omk__finish(req, &ctx, OMK_FORBIDDEN);
    }
    rc = omk__ldv_begin_res(req, &omk__kan_gesprek, false, "toewijzen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), assign_write, &j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "bezet", "Deze chat is al door een ander overgenomen of beëindigd.");
    if (!rc)
        rc = omk_store_read(omk__store(req), gesprek_json, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    publish(omk_arena_printf(ctx.a, "chat:%s", j.uuid), "status",
            json_pack("{s:s, s:s}", "status", "in_gesprek", "medewerker",
                      *j.voornaam ? j.voornaam : NEUTRAAL));
    publish_agents("chat-wachtrij", json_pack("{s:s, s:s, s:s}", "gesprek", j.uuid, "actie",
                                              "toegewezen", "medewerker", j.medewerker));
    return omk_req_reply_json(req, 200, j.out);
}

/* The transcript as text: one line per message, "Inwoner:" or the agent's name. */
static const char *transcript(omk_db *db, chat_job *j)
{
    omk_rowset rows = {0};
    if (omk_db_children(db, &omk__kan_bericht, "gesprek", j->uuid, j->ctx->a, &rows))
        return NULL;
    omk_buf b;
    omk_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < rows.n; i++) {
        const char *r = omk_row_text(&omk__kan_bericht, &rows.rows[i], "richting");
        const char *t = omk_row_text(&omk__kan_bericht, &rows.rows[i], "tekst");
        const char *who = omk_row_text(&omk__kan_bericht, &rows.rows[i], "afzender");
        omk_buf_printf(&b, "%s%s: %s", i ? "\n" : "",
                       r && strcmp(r, "in") == 0 ? "Inwoner" : who && *who ? who : "Medewerker",
                       t ? t : "");
    }
    const char *out = b.rc ? NULL : omk_arena_strdup(j->ctx->a, b.p ? b.p : "");
    omk_buf_release(&b);
    return out;
}

/* The klantcontact's inhoud: the employee's wording of the question, if given, then the
 * transcript. NULL when out of memory. */
static const char *contents(omk_db *db, chat_job *j)
{
    const char *text = transcript(db, j);
    if (text && j->inhoud && *j->inhoud)
        text = omk_arena_printf(j->ctx->a, "%s\n\n%s", j->inhoud, text);
    return text;
}

/* The klantcontact's metadata: the conversation, and with a registration its result as the
 * werkplek's questions carry it (question 1 of the contact). */
static json_t *registration_meta(const chat_job *j)
{
    json_t *m = json_pack("{s:s}", "gesprek", j->uuid);
    if (m && j->resultaat) {
        json_object_set_new(m, "resultaat", json_string(j->resultaat));
        json_object_set_new(m, "vraag", json_string("1"));
    }
    return m;
}

/* The body's contactverzoek, if any, for klantcontact j->kc (about `onderwerp`, for `partij`
 * or nobody); j->kv gets its uuid. */
static omk_rc hand_over(omk_db *db, chat_job *j, const char *onderwerp, const char *partij)
{
    omk_api_ctx *ctx = j->ctx;
    json_t *kv = json_object_get(j->body, "contactverzoek");
    if (!kv || json_is_null(kv))
        return OMK_OK;
    if (!json_is_object(kv)) {
        omk_api_err_add(ctx, "contactverzoek", "invalid", "Ongeldige data. Verwacht een dictionary.");
        return OMK_INVALID;
    }
    json_t *copy = json_deep_copy(kv);
    if (!copy)
        return OMK_NOMEM;
    if (!json_object_get(copy, "onderwerp"))
        json_object_set_new(copy, "onderwerp", json_string(onderwerp));
    json_object_set_new(copy, "kanaal", json_string("chat"));
    if (partij && !json_object_get(copy, "partij"))
        json_object_set_new(copy, "partij", json_pack("{s:s}", "uuid", partij));
    omk_rc rc = omk__kv_create_in(db, ctx, copy, j->kc, &j->kv);
    json_decref(copy);
    return rc;
}

/* A chat the resident ended before the employee registered it: its klantcontact (stored
 * then, linked to nobody) gets the registration and the partij now, once — a klantcontact
 * that already has a result was registered and stays as it is (409 gesloten). */
static omk_rc register_after(omk_db *db, chat_job *j)
{
    omk_api_ctx *ctx = j->ctx;
    const char *kc = omk_row_text(&omk__kan_gesprek, j->g, "klantcontact");
    omk_row *row = NULL;
    omk_rc rc = kc ? omk_db_get(db, &omk__ki_klantcontact, kc, ctx->a, &row) : OMK_NOTFOUND;
    if (rc == OMK_NOTFOUND)
        return j->closed = true, OMK_CONFLICT;
    if (rc)
        return rc;
    json_t *old = json_loads(omk_row_text0(&omk__ki_klantcontact, row, "metadata"), 0, NULL);
    bool done = json_object_get(old, "resultaat") != NULL;
    json_decref(old);
    if (done || !j->resultaat)
        return j->closed = true, OMK_CONFLICT;
    const char *text = contents(db, j);
    if (!text)
        return OMK_NOMEM;
    json_t *patch = json_pack("{s:s, s:o}", "inhoud", omk__kan_cut(ctx->a, text, 1000),
                              "metadata", registration_meta(j));
    if (patch && j->onderwerp)
        json_object_set_new(patch, "onderwerp", json_string(j->onderwerp));
    if (patch && j->reactie)
        json_object_set_new(patch, "reactie", json_string(j->reactie));
    if ((rc = omk__kan_patch(db, ctx, &omk__ki_klantcontact, kc, patch, "klantcontact")))
        return rc;
    j->kc = kc;
    json_t *p = json_object_get(json_object_get(j->body, "partij"), "uuid");
    const char *partij = json_string_value(p);
    if (partij) {
        if (!omk_uuid_valid(partij, strlen(partij))) {
            omk_api_err_add(ctx, "partij.uuid", "invalid", "Voer een geldige UUID in.");
            return OMK_INVALID;
        }
        if ((rc = omk_res_must_exist(db, ctx, &omk__ki_partij, partij, "partij.uuid", NULL)))
            return rc;
        omk_rowset b = {0};
        if ((rc = omk_db_children(db, &omk__ki_betrokkene, "had_klantcontact", kc, ctx->a, &b)))
            return rc;
        for (size_t i = 0; !rc && i < b.n; i++)
            if (!omk_row_text(&omk__ki_betrokkene, &b.rows[i], "wasPartij"))
                rc = omk__kan_patch(db, ctx, &omk__ki_betrokkene, b.rows[i].uuid,
                                    json_pack("{s:{s:s}}", "wasPartij", "uuid", partij),
                                    "betrokkene");
        if (rc)
            return rc;
        omk_row_set_text(ctx, &omk__kan_gesprek, j->g, "partij", partij);
        if ((rc = omk_db_update(db, &omk__kan_gesprek, j->g)))
            return rc;
    }
    if ((rc = hand_over(db, j, j->onderwerp ? j->onderwerp
                                             : omk_row_text0(&omk__ki_klantcontact, row, "onderwerp"),
                        partij)))
        return rc;
    rc = omk__ldv_rows(db, j->actie, &omk__kan_gesprek, j->g, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc close_write(omk_db *db, void *arg)
{
    chat_job *j = arg;
    omk_api_ctx *ctx = j->ctx;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->uuid, ctx->a, &j->g);
    if (rc)
        return rc;
    if (strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "kanaal"), "chat") != 0)
        return OMK_NOTFOUND;
    if (strcmp(omk_row_text0(&omk__kan_gesprek, j->g, "status"), "open") != 0)
        return j->na_inwoner ? register_after(db, j) : (j->closed = true, OMK_CONFLICT);
    json_t *p = json_object_get(json_object_get(j->body, "partij"), "uuid");
    const char *partij = json_is_string(p) ? json_string_value(p) : omk_row_text(&omk__kan_gesprek, j->g, "partij");
    if (partij && !omk_uuid_valid(partij, strlen(partij))) {
        omk_api_err_add(ctx, "partij.uuid", "invalid", "Voer een geldige UUID in.");
        return OMK_INVALID;
    }
    rc = json_is_string(p) ? omk_res_must_exist(db, ctx, &omk__ki_partij, partij, "partij.uuid", NULL)
                           : OMK_OK;
    if (rc)
        return rc;
    const char *text = contents(db, j);
    if (!text)
        return OMK_NOMEM;
    const char *onderwerp = j->onderwerp ? j->onderwerp
                            : *omk_row_text0(&omk__kan_gesprek, j->g, "onderwerp") ? omk_row_text0(&omk__kan_gesprek, j->g, "onderwerp") : "Chatgesprek";
    json_t *meta = registration_meta(j);
    omk_kan_contact c = {.kanaal = "chat", .onderwerp = omk__kan_cut(ctx->a, onderwerp, 200),
                         .inhoud = omk__kan_cut(ctx->a, text, 1000), .reactie = j->reactie,
                         .partij = partij,
                         .naam = omk_row_text0(&omk__kan_gesprek, j->g, "naam"), .adres_soort = "email",
                         .adres = omk_row_text0(&omk__kan_gesprek, j->g, "adres"), .gelukt = true, .metadata = meta};
    rc = omk__kan_register(db, ctx, &c, &j->kc);
    json_decref(meta);
    if (rc)
        return rc;
    const char *mw = omk_row_text0(&omk__kan_gesprek, j->g, "medewerker");
    if (*mw) {
        const char *actor = NULL;
        if ((rc = omk__kan_actor(db, ctx, "medewerker", mw, &actor)))
            return rc;
        json_t *akc = json_pack("{s:{s:s}, s:{s:s}}", "actor", "uuid", actor, "klantcontact",
                                "uuid", j->kc);
        if ((rc = omk__kan_create(db, ctx, &omk__ki_actor_klantcontact, akc, "actor", NULL)))
            return rc;
    }
    if ((rc = hand_over(db, j, c.onderwerp, partij)))
        return rc;
    omk_row_set_text(ctx, &omk__kan_gesprek, j->g, "status", "gesloten");
    omk_row_set_text(ctx, &omk__kan_gesprek, j->g, "klantcontact", j->kc);
    if (partij)
        omk_row_set_text(ctx, &omk__kan_gesprek, j->g, "partij", partij);
    rc = omk_db_update(db, &omk__kan_gesprek, j->g);
    if (!rc)
        rc = omk__wv_gesprek(db, ctx, j->g, OMK_WV_GESLOTEN, NULL, 0);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, &omk__kan_gesprek, j->g, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc finish_close(omk_req *req, omk_api_ctx *ctx, chat_job *j)
{
    omk_rc rc = omk_store_write(omk__store(req), close_write, j);
    if (rc == OMK_CONFLICT)
        omk_req_fail(req, "gesloten", "Deze chat is al beëindigd.");
    if (!rc)
        rc = omk_store_read(omk__store(req), gesprek_json, j);
    if (rc || ctx->nerrs)
        return omk__finish(req, ctx, rc);
    const char *topic = omk_arena_printf(ctx->a, "chat:%s", j->uuid);
    publish(topic, "status", json_pack("{s:s}", "status", "beeindigd"));
    omk__events_end(topic);
    publish_agents("chat-wachtrij", json_pack("{s:s, s:s}", "gesprek", j->uuid, "actie", "beeindigd"));
    json_t *out = json_pack("{s:o, s:{s:s, s:s}, s:o}", "gesprek", j->out, "klantcontact", "uuid",
                            j->kc, "url", omk_res_url(ctx, &omk__ki_klantcontact, j->kc),
                            "contactverzoek", json_null());
    if (j->kv)
        json_object_set_new(out, "contactverzoek",
                            json_pack("{s:s, s:s}", "uuid", j->kv, "url",
                                      omk_arena_printf(ctx->a, "%s" KAN_BASE "/contactverzoeken/%s",
                                                       ctx->base_url, j->kv)));
    return omk_req_reply_json(req, 200, out);
}

omk_rc omk__chat_agent_close(omk_req *req, const char *gesprek, bool na_inwoner)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    chat_job j = {.ctx = &ctx, .uuid = gesprek, .na_inwoner = na_inwoner};
    j.body = omk_req_json(req);
    omk_rc rc = omk__werkplek_vereist(req);
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.onderwerp = omk__kan_text(&ctx, j.body, "onderwerp", "onderwerp", 200, false);
    j.inhoud = omk__kan_text(&ctx, j.body, "inhoud", "inhoud", 1000, false);
    j.reactie = omk__kan_text(&ctx, j.body, "reactie", "reactie", 4000, false);
    j.resultaat = omk__kan_text(&ctx, j.body, "resultaat", "resultaat", 100, false);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    rc = omk__ldv_begin_res(req, &omk__kan_gesprek, false, "afsluiten", &j.ldv, &j.actie);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return finish_close(req, &ctx, &j);
}

/* POST /chat/sessies/{uuid}/afsluiten {onderwerp?, partij?, contactverzoek?} (agent). */
static omk_rc agent_close(omk_req *req)
{
    const char *uuid = NULL;
    omk_rc rc = omk__path_uuid(req, &uuid);
    return rc ? rc : omk__chat_agent_close(req, uuid, false);
}

/* POST /chat/sessies/{uuid}/beeindigen (resident leaves). */
static omk_rc resident_close(omk_req *req)
{
    omk_rc orc = omk__kan_chat_origin(req);
    if (orc)
        return orc;
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    ctx.principal = "chat";
    chat_job j = {.ctx = &ctx};
    omk_rc rc = resident(req, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.body = json_object();
    if (!j.body || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.body))
        return OMK_NOMEM;
    if ((rc = visitor_log(req, &j, "Chatgesprek beëindigen")))
        return omk__finish(req, &ctx, rc);
    return finish_close(req, &ctx, &j);
}

size_t omk__chat_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const unsigned PUB = OMK_ROUTE_PUBLIC, PB = OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY;
    const omk_route routes[] = {
        {"POST", KAN_BASE "/chat/sessies", start, NULL, api, PB, 16 * 1024, NULL},
        {"POST", KAN_BASE "/chat/sessies/{uuid}/berichten", resident_message, NULL, api, PB,
         64 * 1024, NULL},
        {"GET", KAN_BASE "/chat/sessies/{uuid}/berichten", resident_messages, NULL, api, PUB, 0,
         NULL},
        {"GET", KAN_BASE "/chat/sessies/{uuid}/gebeurtenissen", resident_events, NULL, api,
         PUB | OMK_ROUTE_STREAM, 0, NULL},
        {"POST", KAN_BASE "/chat/sessies/{uuid}/koppelcode", resident_code, NULL, api, PUB, 0,
         NULL},
        {"POST", KAN_BASE "/chat/sessies/{uuid}/beeindigen", resident_close, NULL, api, PUB, 0,
         NULL},
        {"OPTIONS", KAN_BASE "/chat/sessies", preflight, NULL, api, PUB, 0, NULL},
        {"OPTIONS", KAN_BASE "/chat/sessies/{uuid}/berichten", preflight, NULL, api, PUB, 0, NULL},
        {"OPTIONS", KAN_BASE "/chat/sessies/{uuid}/koppelcode", preflight, NULL, api, PUB, 0, NULL},
        {"OPTIONS", KAN_BASE "/chat/sessies/{uuid}/beeindigen", preflight, NULL, api, PUB, 0, NULL},
        {"GET", "/kanalen/widget/omnikanaal-chat.js", widget, NULL, NULL, PUB | OMK_ROUTE_STREAM, 0,
         NULL},
        {"GET", KAN_BASE "/chat/wachtrij", queue, NULL, api, 0, 0, NULL},
        {"POST", KAN_BASE "/chat/sessies/{uuid}/toewijzen", assign, NULL, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"POST", KAN_BASE "/chat/sessies/{uuid}/afsluiten", agent_close, NULL, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}

/* A reply reaches the resident through their open stream, once it is stored. */
const omk_kan_bezorger omk__bezorger_chat = {"chat", NULL, deliver};
