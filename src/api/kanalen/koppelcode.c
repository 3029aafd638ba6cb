/* Koppelcodes (Nijmegen's "ID-bellen"): a resident in a chat (or any conversation) gets a
 * short code, valid for minutes and bound to that conversation; when they call, the agent
 * enters it and continues with the conversation's full context, and the call is linked to it.
 * Codes are 6 digits from libsodium's random source, stored only as hashes, single-use; wrong
 * codes are counted per credential and in total, and past the limit every attempt (even a
 * right one) is refused for a while, so guessing one of 10^6 codes within its minutes is
 * hopeless. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/util.h"

#define CODE_DIGITS 6
#define WINDOW_US (10LL * 60 * 1000000)
#define MAX_FAILS_PER_CALLER 5
#define MAX_FAILS_TOTAL 50
#define CALLERS 256
#define UNKNOWN "Deze koppelcode is onbekend, verlopen of al gebruikt."

static const omk_field CODE_FIELDS[] = {
    {.json = "codeHash", .column = "code_hash", .type = OMK_F_STRING, .flags = OMK_HIDDEN},
    {.json = "gesprek", .column = "gesprek", .type = OMK_F_REF, .target = &omk__kan_gesprek},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
    {.json = "geldigTot", .column = "geldig_tot", .type = OMK_F_DATETIME},
    {.json = "gebruiktOp", .column = "gebruikt_op", .type = OMK_F_DATETIME, .flags = OMK_NULLABLE},
    {.json = "gebruiktDoor", .column = "gebruikt_door", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "oproep", .column = "oproep", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
};
enum { C_HASH, C_GESPREK, C_AANGEMAAKT, C_GELDIG, C_GEBRUIKT, C_DOOR, C_OPROEP };

static const omk_filter CODE_FILTERS[] = {
    {"hash", "codeHash", OMK_OP_EQ},
    {"ongebruikt", "gebruiktOp", OMK_OP_NOTNULL},
    {"geldig", "geldigTot", OMK_OP_GT},
};

static const omk_resource CODES = {
    .name = "koppelcodes", .model = "Koppelcode", .table = "kanalen_koppelcodes",
    .fields = CODE_FIELDS, .nfields = OMK_COUNT(CODE_FIELDS), .filters = CODE_FILTERS,
    .nfilters = OMK_COUNT(CODE_FILTERS), .api_base = KAN_BASE,
};


/* ---- failure counting ---- */

static struct {
    pthread_mutex_t mu;
    struct {
        char who[128];
        int64_t at[MAX_FAILS_PER_CALLER];
    } callers[CALLERS];
    int64_t total[MAX_FAILS_TOTAL];
} g_rl = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int recent(const int64_t *at, size_t n, int64_t now)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c += at[i] && now - at[i] < WINDOW_US;
    return c;
}

/* The slot of a caller (the least recently failing one is reused). */
static size_t slot_of(const char *who)
{
    size_t best = 0;
    for (size_t i = 0; i < CALLERS; i++) {
        if (strcmp(g_rl.callers[i].who, who) == 0)
            return i;
        if (g_rl.callers[i].at[0] < g_rl.callers[best].at[0])
            best = i;
    }
    snprintf(g_rl.callers[best].who, sizeof g_rl.callers[best].who, "%s", who);
    memset(g_rl.callers[best].at, 0, sizeof g_rl.callers[best].at);
    return best;
}

static bool limited(const char *who)
{
    int64_t now = omk_now_ms() * 1000;
    pthread_mutex_lock(&g_rl.mu);
    size_t s = slot_of(who);
    bool out = recent(g_rl.callers[s].at, MAX_FAILS_PER_CALLER, now) >= MAX_FAILS_PER_CALLER ||
               recent(g_rl.total, MAX_FAILS_TOTAL, now) >= MAX_FAILS_TOTAL;
    pthread_mutex_unlock(&g_rl.mu);
    return out;
}

/* Records a failure in the oldest place of both rings (kept sorted oldest first). */
static void push(int64_t *at, size_t n, int64_t now)
{
    memmove(at, at + 1, (n - 1) * sizeof *at);
    at[n - 1] = now;
}

static void failed(const char *who)
{
    int64_t now = omk_now_ms() * 1000;
    pthread_mutex_lock(&g_rl.mu);
    size_t s = slot_of(who);
    push(g_rl.callers[s].at, MAX_FAILS_PER_CALLER, now);
    push(g_rl.total, MAX_FAILS_TOTAL, now);
    pthread_mutex_unlock(&g_rl.mu);
}

/* ---- issuing ---- */

typedef struct code_job {
    omk_api_ctx *ctx;
    const char *gesprek, *code, *oproep_id, *door;
    int64_t geldig_tot;
    omk_row *found;
    json_t *out;
    bool unknown;
} code_job;

static omk_rc active_by_hash(omk_db *db, omk_api_ctx *ctx, const char *hash, omk_row **out)
{
    char now[32];
    omk_time_format(omk_now_ms() * 1000, now);
    omk_filter_arg f[] = {{&CODE_FILTERS[0], hash}, {&CODE_FILTERS[1], "false"},
                          {&CODE_FILTERS[2], omk_arena_strdup(ctx->a, now)}};
    omk_query q = {.filters = f, .nfilters = 3, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &CODES, &q, ctx->a, &rows, NULL);
    *out = !rc && rows.n ? &rows.rows[0] : NULL;
    return rc;
}

static omk_rc issue_write(omk_db *db, void *arg)
{
    code_job *j = arg;
    omk_row *g = NULL;
    omk_rc rc = omk_res_must_exist(db, j->ctx, &omk__kan_gesprek, j->gesprek, "gesprek", &g);
    if (rc)
        return rc;
    char code[CODE_DIGITS + 1], hash[65];
    for (int attempt = 0;; attempt++) {
        snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
        omk_hash_hex(code, CODE_DIGITS, hash);
        omk_row *clash = NULL;
        if ((rc = active_by_hash(db, j->ctx, hash, &clash)))
            return rc;
        if (!clash)
            break;
        if (attempt == 20)
            return OMK_BUSY;
    }
    omk_row *row = omk_row_new(&CODES, j->ctx->a);
    if (!row)
        return OMK_NOMEM;
    int64_t now = omk_now_ms() * 1000;
    int secs = omk__kan_config()->koppelcode_s > 0 ? omk__kan_config()->koppelcode_s : 600;
    omk_uuid4(row->uuid);
    row->v[C_HASH] = omk_text0(omk_arena_strdup(j->ctx->a, hash));
    row->v[C_GESPREK] = omk_text0(j->gesprek);
    row->v[C_AANGEMAAKT] = (omk_value){.t = OMK_V_INT, .i = now};
    row->v[C_GELDIG] = (omk_value){.t = OMK_V_INT, .i = now + (int64_t)secs * 1000000};
    row->v[C_GEBRUIKT] = row->v[C_DOOR] = row->v[C_OPROEP] = (omk_value){.t = OMK_V_NULL};
    j->code = omk_arena_strdup(j->ctx->a, code);
    j->geldig_tot = row->v[C_GELDIG].i;
    return omk_db_insert(db, &CODES, row);
}

omk_rc omk__koppelcode_issue(omk_req *req, omk_api_ctx *ctx, const char *gesprek)
{
    code_job j = {.ctx = ctx, .gesprek = gesprek};
    omk_rc rc = omk_store_write(omk__store(req), issue_write, &j);
    if (rc)
        return omk__finish(req, ctx, rc);
    char until[32];
    omk_time_format(j.geldig_tot, until);
    return omk_req_reply_json(
        req, 201,
        json_pack("{s:s, s:s, s:{s:s, s:s}}", "code", j.code, "geldigTot", until, "gesprek",
                  "uuid", gesprek, "url", omk_res_url(ctx, &omk__kan_gesprek, gesprek)));
}

/* POST /koppelcodes {"gesprek": {"uuid"}} (staff). */
static omk_rc issue(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    json_t *u = json_object_get(json_object_get(body, "gesprek"), "uuid");
    if (!json_is_string(u) || !omk_uuid_valid(json_string_value(u), json_string_length(u))) {
        omk_api_err_add(&ctx, "gesprek.uuid", u ? "invalid" : "required",
                        u ? "Voer een geldige UUID in." : "Dit veld is vereist.");
        return omk__finish(req, &ctx, OMK_INVALID);
    }
    return omk__koppelcode_issue(req, &ctx, json_string_value(u));
}

/* ---- a code from the website ---- */

typedef struct site_job {
    omk_api_ctx *ctx;
    const char *bsn, *onderwerp, *pagina;
    omk_kan_inbound_result res;
} site_job;

/* The partij with this BSN, or NULL. */
static omk_rc partij_by_bsn(omk_db *db, omk_api_ctx *ctx, const char *bsn, const char **partij)
{
    static const omk_filter SOORT = {"_s", "partijIdentificator.codeSoortObjectId", OMK_OP_EQ};
    static const omk_filter ID = {"_i", "partijIdentificator.objectId", OMK_OP_EQ};
    omk_filter_arg f[] = {{&SOORT, "bsn"}, {&ID, bsn}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__ki_partij_identificator, &q, ctx->a, &rows, NULL);
    *partij = !rc && rows.n ? omk_row_text(&omk__ki_partij_identificator, &rows.rows[0],
                                           "identificeerdePartij")
                            : NULL;
    return rc;
}

static omk_rc site_write(omk_db *db, void *arg)
{
    site_job *j = arg;
    const char *partij = NULL;
    omk_rc rc = j->bsn ? partij_by_bsn(db, j->ctx, j->bsn, &partij) : OMK_OK;
    if (rc)
        return rc;
    omk_kan_inbound in = {
        .kanaal = "website", .onderwerp = j->onderwerp ? j->onderwerp : "Hulp gevraagd op de website",
        .tekst = omk_arena_printf(j->ctx->a, "Koppelcode gevraagd op de website%s%s.",
                                  j->pagina ? ", pagina " : "", j->pagina ? j->pagina : ""),
        .register_contact = false};
    if ((rc = omk__kan_inbound(db, j->ctx, &in, &j->res)))
        return rc;
    if (partij) {
        omk_row *g = NULL;
        if ((rc = omk_db_get(db, &omk__kan_gesprek, j->res.gesprek, j->ctx->a, &g)))
            return rc;
        omk_row_set_text(j->ctx, &omk__kan_gesprek, g, "partij", partij);
        rc = omk_db_update(db, &omk__kan_gesprek, g);
    }
    return rc;
}

/* POST /koppelcodes/website {onderwerp?, pagina?}: a resident on the website (their own
 * credentials: the conversation is tied to their partij) or an employee on their behalf
 * gets a code for a new website conversation holding what they were looking at. */
static omk_rc issue_site(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    site_job j = {.ctx = &ctx, .bsn = omk_req_subject(req)};
    static const struct {
        const char *key;
        size_t max;
    } F[] = {{"onderwerp", 200}, {"pagina", 500}};
    const char **out[] = {&j.onderwerp, &j.pagina};
    for (size_t i = 0; i < OMK_COUNT(F); i++) {
        json_t *v = json_object_get(body, F[i].key);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v) || !omk_utf8_valid(json_string_value(v), json_string_length(v)) ||
            omk_utf8_len(json_string_value(v), json_string_length(v)) > F[i].max)
            omk_api_err_add(&ctx, F[i].key, "invalid",
                            omk_arena_printf(ctx.a, "Geen geldige tekst (hoogstens %zu tekens).",
                                             F[i].max));
        else if (json_string_length(v))
            *out[i] = json_string_value(v);
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    omk_rc rc = omk_store_write(omk__store(req), site_write, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__koppelcode_issue(req, &ctx, j.res.gesprek);
}

/* ---- use ---- */

static omk_rc use_write(omk_db *db, void *arg)
{
    code_job *j = arg;
    char hash[65];
    omk_hash_hex(j->code, strlen(j->code), hash);
    omk_rc rc = active_by_hash(db, j->ctx, hash, &j->found);
    if (rc || !j->found) {
        j->unknown = !rc;
        return rc ? rc : OMK_NOTFOUND;
    }
    omk_row *row = j->found;
    row->v[C_GEBRUIKT] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    row->v[C_DOOR] = omk_text0(j->door);
    omk_row *call = NULL;
    if (j->oproep_id && (rc = omk__cti_find(db, j->ctx, j->oproep_id, &call)))
        return rc;
    if (j->oproep_id && !call) {
        omk_api_err_add(j->ctx, "oproep", "does_not_exist", "Oproep object bestaat niet.");
        return OMK_INVALID;
    }
    if (call) {
        /* The call continues the conversation: it is linked, and takes the conversation's
         * partij when the number was not recognised. */
        row->v[C_OPROEP] = omk_text0(call->uuid);
        int gk = omk_model_field_index(&omk__kan_oproep, "gekoppeldGesprek");
        int pi = omk_model_field_index(&omk__kan_oproep, "partij");
        call->v[gk] = row->v[C_GESPREK];
        omk_row *g = NULL;
        if ((rc = omk_db_get(db, &omk__kan_gesprek, row->v[C_GESPREK].s, j->ctx->a, &g)))
            return rc;
        const char *gp = omk_row_text(&omk__kan_gesprek, g, "partij");
        if (call->v[pi].t == OMK_V_NULL && gp)
            call->v[pi] = omk_text0(gp);
        if ((rc = omk_db_update(db, &omk__kan_oproep, call)))
            return rc;
    }
    return omk_db_update(db, &CODES, row);
}

static omk_rc use_read(omk_db *db, void *arg)
{
    code_job *j = arg;
    omk_row *g = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->found->v[C_GESPREK].s, j->ctx->a, &g);
    return rc ? rc : omk_res_to_json(db, j->ctx, &omk__kan_gesprek, g, &j->out);
}

/* POST /koppelcodes/_gebruik {"code", "oproep"?: gespreksId of the call}: the conversation. */
static omk_rc use(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const char *who = omk_req_principal(req);
    if (limited(who)) {
        omk_req_fail(req, "te_veel_pogingen",
                     "Te veel onjuiste koppelcodes; probeer het over enkele minuten opnieuw.");
        return OMK_RATE_LIMITED;
    }
    json_t *body = omk_req_json(req);
    code_job j = {.ctx = &ctx, .door = who};
    json_t *code = json_object_get(body, "code"), *oproep = json_object_get(body, "oproep");
    if (!json_is_string(code) || !json_string_length(code))
        omk_api_err_add(&ctx, "code", code ? "invalid" : "required",
                        code ? "Geen geldige string." : "Dit veld is vereist.");
    if (oproep && (!json_is_string(oproep) || json_string_length(oproep) > 200))
        omk_api_err_add(&ctx, "oproep", "invalid", "Geen geldige string.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    /* Spaces and dashes as people read codes aloud ("482 913") are ignored. */
    char digits[16];
    size_t k = 0;
    bool only_digits = true;
    for (const char *p = json_string_value(code); *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        only_digits = only_digits && *p >= '0' && *p <= '9';
        if (k < sizeof digits - 1)
            digits[k++] = *p;
    }
    digits[k] = 0;
    j.code = digits;
    j.oproep_id = oproep ? json_string_value(oproep) : NULL;
    omk_rc rc = only_digits && k == CODE_DIGITS ? omk_store_write(omk__store(req), use_write, &j)
                                         : OMK_NOTFOUND;
    if (rc == OMK_NOTFOUND && (j.unknown || !only_digits || k != CODE_DIGITS)) {
        failed(who);
        omk_req_fail(req, "koppelcode_ongeldig", UNKNOWN);
        return OMK_NOTFOUND;
    }
    if (!rc)
        rc = omk_store_read(omk__store(req), use_read, &j);
    if (rc || ctx.nerrs)
        return omk__finish(req, &ctx, rc);
    return omk_req_reply_json(req, 200, json_pack("{s:o}", "gesprek", j.out));
}

size_t omk__koppelcode_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_route routes[] = {
        {"POST", KAN_BASE "/koppelcodes", issue, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/koppelcodes/_gebruik", use, NULL, api, OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/koppelcodes/website", issue_site, NULL, api,
         OMK_ROUTE_BODY, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
