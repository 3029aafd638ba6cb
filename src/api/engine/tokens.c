/* API tokens: stored only as hashes, each with a name, its scopes and the verwerkingsactiviteit
 * it is bound to; authentication of "Authorization: Token …" (with a short cache of validated
 * hashes), falling back to the web session without that header; and token creation for the
 * command line. Any worker thread. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "engine/doelbinding.h"
#include "engine/engine.h"
#include "engine/toegang.h"
#include "omk/util.h"

/* ---- internal resource: API tokens (never exposed over HTTP) ---- */
static const omk_field TOKEN_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING, .flags = OMK_REQ, .max_len = 200},
    {.json = "hash", .column = "hash", .type = OMK_F_STRING, .flags = OMK_HIDDEN, .max_len = 64},
    {.json = "scopes", .column = "scopes", .type = OMK_F_STRING, .max_len = 500},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME, .def = "now"},
    {.json = "verwerkingsactiviteit", .column = "verwerkingsactiviteit", .type = OMK_F_STRING,
     .max_len = 100},
};
static const omk_resource TOKENS = {
    .name = "tokens", .model = "Token", .table = "api_tokens", .fields = TOKEN_FIELDS,
    .nfields = 5, .api_base = "",
};
enum { T_NAAM, T_HASH, T_SCOPES, T_AANGEMAAKT, T_ACTIVITEIT };

/* ---- tokens ---- */

typedef struct token_job {
    omk_arena *a;
    const char *hash;
    bool found;
    const char *name, *scopes, *activiteit;
} token_job;

static omk_rc find_token(omk_db *db, void *arg)
{
    token_job *j = arg;
    static const omk_filter by_hash = {"hash", "hash", OMK_OP_EQ};
    omk_filter_arg f = {&by_hash, j->hash};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &TOKENS, &q, j->a, &rows, NULL);
    j->found = !rc && rows.n == 1;
    if (j->found) {
        j->name = rows.rows[0].v[T_NAAM].s;
        j->scopes = rows.rows[0].v[T_SCOPES].s;
        j->activiteit = rows.rows[0].v[T_ACTIVITEIT].s;
    }
    return rc;
}

/* Recently validated token hashes, so a request does not need a database read to
 * authenticate. Entries expire after TOKEN_TTL_MS so a removed token stops working soon. */
#define TOKEN_CACHE 64
#define TOKEN_TTL_MS 30000
static struct {
    char hash[65];
    char name[201], scopes[501], activiteit[101];
    int64_t until;
} g_tokens[TOKEN_CACHE];
static pthread_mutex_t g_tokens_mu = PTHREAD_MUTEX_INITIALIZER;

static bool token_cached(omk_req *req, const char *hash)
{
    int64_t now = omk_now_ms();
    bool hit = false;
    pthread_mutex_lock(&g_tokens_mu);
    for (int i = 0; i < TOKEN_CACHE && !hit; i++)
        if (g_tokens[i].until > now && strcmp(g_tokens[i].hash, hash) == 0) {
            hit = true;
            omk_req_set_principal(req, g_tokens[i].name, g_tokens[i].scopes);
            omk__req_set_activiteit(req, g_tokens[i].activiteit);
        }
    pthread_mutex_unlock(&g_tokens_mu);
    return hit;
}

static void token_remember(const char *hash, const char *name, const char *scopes,
                           const char *activiteit)
{
    int64_t now = omk_now_ms();
    pthread_mutex_lock(&g_tokens_mu);
    int slot = 0;
    for (int i = 0; i < TOKEN_CACHE; i++)
        if (strcmp(g_tokens[i].hash, hash) == 0 || g_tokens[i].until < g_tokens[slot].until) {
            slot = i;
            if (strcmp(g_tokens[i].hash, hash) == 0)
                break;
        }
    memcpy(g_tokens[slot].hash, hash, sizeof g_tokens[slot].hash);
    snprintf(g_tokens[slot].name, sizeof g_tokens[slot].name, "%s", name);
    snprintf(g_tokens[slot].scopes, sizeof g_tokens[slot].scopes, "%s", scopes);
    snprintf(g_tokens[slot].activiteit, sizeof g_tokens[slot].activiteit, "%s", activiteit);
    g_tokens[slot].until = now + TOKEN_TTL_MS;
    pthread_mutex_unlock(&g_tokens_mu);
}

omk_rc omk_api_authenticate(void *ctx, omk_req *req, const char *authorization)
{
    omk_store *s = ctx;
    if (!authorization && omk_req_header(req, "Cookie"))
        return omk__auth_session(req);
    if (!authorization) {
        omk_req_fail(req, "not_authenticated", "Authenticatie gegevens zijn niet opgegeven.");
        return OMK_UNAUTHORIZED;
    }
    const char *key = NULL;
    if (strncmp(authorization, "Token ", 6) == 0)
        key = authorization + 6;
    if (!key || !*key || strchr(key, ' ') || strlen(key) > 128) {
        omk_req_fail(req, "authentication_failed",
                     "Ongeldige token header. Geen login gegevens opgegeven.");
        return OMK_AUTH_FAILED;
    }
    char hash[65];
    omk_hash_hex(key, strlen(key), hash);
    if (token_cached(req, hash))
        return OMK_OK;
    token_job j = {.a = omk_req_arena(req), .hash = hash};
    omk_rc rc = omk_store_read(s, find_token, &j);
    if (rc)
        return rc;
    if (!j.found) {
        omk_req_fail(req, "authentication_failed", "Ongeldige token.");
        return OMK_AUTH_FAILED;
    }
    token_remember(hash, j.name ? j.name : "", j.scopes ? j.scopes : "",
                   j.activiteit ? j.activiteit : "");
    omk_req_set_principal(req, j.name, j.scopes);
    omk__req_set_activiteit(req, j.activiteit);
    return OMK_OK;
}

static omk_rc insert_token(omk_db *db, void *arg)
{
    token_job *j = arg;
    omk_row *row = omk_row_new(&TOKENS, j->a);
    if (!row)
        return OMK_NOMEM;
    omk_uuid4(row->uuid);
    row->v[0] = (omk_value){.t = OMK_V_TEXT, .s = j->name, .n = strlen(j->name)};
    row->v[1] = (omk_value){.t = OMK_V_TEXT, .s = j->hash, .n = strlen(j->hash)};
    row->v[2] = (omk_value){.t = OMK_V_TEXT, .s = j->scopes, .n = strlen(j->scopes)};
    row->v[3] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    row->v[T_ACTIVITEIT] = omk_text0(j->activiteit);
    return omk_db_insert(db, &TOKENS, row);
}

omk_rc omk_api_token_create(omk_store *s, const char *name, const char *scopes,
                            const char *activiteit, char out[41])
{
    const char *unknown = NULL;
    size_t unknown_len = 0;
    unsigned rollen = omk__rollen_van(scopes ? scopes : "*", &unknown, &unknown_len);
    if (unknown || !rollen || (rollen & OMK_ROL_INWONER)) {
        fprintf(stderr, "omnikanaal: onbekende of ongeldige scope \"%.*s\" (kies uit: *, kcm, "
                        "backoffice, redacteur, manager, beheerder, cti, kanalen, "
                        "klantinteracties-lezen, klantinteracties-schrijven)\n",
                (int)(unknown ? unknown_len : strlen(scopes ? scopes : "")),
                unknown ? unknown : scopes ? scopes : "");
        return OMK_INVALID;
    }
    if (activiteit && !omk__activiteit(activiteit)) {
        fprintf(stderr, "omnikanaal: onbekende verwerkingsactiviteit \"%s\"\n", activiteit);
        return OMK_INVALID;
    }
    omk_random_hex(out, 20);
    char hash[65];
    omk_hash_hex(out, 40, hash);
    omk_arena *a = omk_arena_new(1 << 20);
    if (!a)
        return OMK_NOMEM;
    token_job j = {.a = a, .hash = hash, .name = name, .scopes = scopes ? scopes : "*",
                   .activiteit = activiteit ? activiteit : omk__activiteit_standaard(rollen)};
    omk_rc rc = omk_store_write(s, insert_token, &j);
    omk_arena_free(a);
    return rc;
}
