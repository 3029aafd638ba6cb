/* Sessions of the web UI: local accounts (argon2id password hashes) with TOTP (RFC 6238) as
 * second factor (required for beheerder), login and logout, the session cookie (HttpOnly,
 * SameSite=Strict, Secure behind TLS), a CSRF token required on every state-changing request
 * made with the cookie, an idle timeout, and the development login for residents that stands
 * in for DigiD (off unless configured). Sessions started through OpenID Connect (oidc.c) are
 * the same sessions, with how they began (bron, level, KvK, machtiging, the ID token for
 * logout). Sessions live in the store, so they survive a restart; only a hash of the cookie
 * value is stored.
 * Any worker thread may call these; the configuration is set once before serving. */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/doelbinding.h"
#include "engine/loginlimits.h"
#include "engine/toegang.h"
#include "omk/buf.h"
#include "omk/jws.h"
#include "omk/util.h"

#define AUTH_BASE "/auth/api/v1"
#define COOKIE "omk_sessie"
#define TOUCH_EVERY_MS 30000 /* a session's last use is written at most this often */

static omk_auth_config g_cfg = {.dev_login = false, .idle_seconds = 1800};

void omk_api_auth_configure(const omk_auth_config *cfg)
{
    g_cfg = *cfg;
    if (g_cfg.idle_seconds <= 0)
        g_cfg.idle_seconds = 1800;
}

/* ---- internal resources (never exposed through the generic handlers) ---- */
static const omk_field USER_FIELDS[] = {
    {.json = "gebruikersnaam", .column = "gebruikersnaam", .type = OMK_F_STRING, .max_len = 100},
    {.json = "rol", .column = "rol", .type = OMK_F_STRING, .max_len = 20},
    {.json = "bsn", .column = "bsn", .type = OMK_F_STRING, .max_len = 9},
    {.json = "wachtwoordHash", .column = "wachtwoord_hash", .type = OMK_F_STRING, .max_len = 200},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
    {.json = "totpGeheim", .column = "totp_geheim", .type = OMK_F_STRING, .max_len = 64},
    {.json = "totpActief", .column = "totp_actief", .type = OMK_F_INT},
    {.json = "totpLaatsteStap", .column = "totp_laatste_stap", .type = OMK_F_INT},
    {.json = "voornaam", .column = "voornaam", .type = OMK_F_STRING, .max_len = 100},
};
static const omk_resource USERS = {
    .name = "gebruikers", .model = "Gebruiker", .table = "gebruikers", .fields = USER_FIELDS,
    .nfields = OMK_COUNT(USER_FIELDS), .api_base = "",
};
enum {
    U_NAAM, U_ROL, U_BSN, U_HASH, U_AANGEMAAKT, U_TOTP, U_TOTP_ACTIEF, U_TOTP_STAP, U_VOORNAAM
};

static const omk_field SESSION_FIELDS[] = {
    {.json = "hash", .column = "hash", .type = OMK_F_STRING, .max_len = 64},
    {.json = "gebruikersnaam", .column = "gebruikersnaam", .type = OMK_F_STRING, .max_len = 100},
    {.json = "rol", .column = "rol", .type = OMK_F_STRING, .max_len = 20},
    {.json = "bsn", .column = "bsn", .type = OMK_F_STRING, .max_len = 9},
    {.json = "csrf", .column = "csrf", .type = OMK_F_STRING, .max_len = 64},
    {.json = "laatstGebruikt", .column = "laatst_gebruikt", .type = OMK_F_INT},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_INT},
    {.json = "verwerkingsactiviteit", .column = "verwerkingsactiviteit", .type = OMK_F_STRING,
     .max_len = 100},
    {.json = "bron", .column = "bron", .type = OMK_F_STRING, .max_len = 20},
    {.json = "niveau", .column = "niveau", .type = OMK_F_STRING, .max_len = 200},
    {.json = "kvk", .column = "kvk", .type = OMK_F_STRING, .max_len = 8},
    {.json = "vestiging", .column = "vestiging", .type = OMK_F_STRING, .max_len = 12},
    {.json = "machtiging", .column = "machtiging", .type = OMK_F_STRING, .max_len = 2000},
    {.json = "idToken", .column = "id_token", .type = OMK_F_STRING, .max_len = 16384},
};
static const omk_resource SESSIONS = {
    .name = "sessies", .model = "Sessie", .table = "sessies", .fields = SESSION_FIELDS,
    .nfields = 14, .api_base = "",
};
enum {
    S_HASH, S_NAAM, S_ROL, S_BSN, S_CSRF, S_LAATST, S_AANGEMAAKT, S_ACTIVITEIT,
    S_BRON, S_NIVEAU, S_KVK, S_VESTIGING, S_MACHTIGING, S_ID_TOKEN
};

static const char *const ROLES[] = {"kcm", "backoffice", "redacteur", "manager", "beheerder",
                                    "inwoner", NULL};

bool omk_api_role_valid(const char *role)
{
    for (int i = 0; role && ROLES[i]; i++)
        if (strcmp(role, ROLES[i]) == 0)
            return true;
    return false;
}

const char *omk__auth_home_of(const char *role)
{
    static const struct {
        const char *role, *page;
    } HOMES[] = {{"kcm", "/werkplek"}, {"backoffice", "/backoffice"},
                 {"redacteur", "/redactie"}, {"inwoner", "/mijn"},
                 {"manager", "/sturing"}, {"beheerder", "/privacy"},
                 {"ondernemer", "/mijn"}};
    for (size_t i = 0; i < sizeof HOMES / sizeof HOMES[0]; i++)
        if (strcmp(role, HOMES[i].role) == 0)
            return HOMES[i].page;
    return "/werkplek";
}

/* ---- accounts ---- */

typedef struct user_job {
    omk_arena *a;
    const char *name, *role, *bsn, *hash, *voornaam;
    bool found;
    omk_row *row;
} user_job;

static omk_rc find_user(omk_db *db, void *arg)
{
    user_job *j = arg;
    static const omk_filter by_name = {"gebruikersnaam", "gebruikersnaam", OMK_OP_EQ};
    omk_filter_arg f = {&by_name, j->name};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &USERS, &q, j->a, &rows, NULL);
    j->found = !rc && rows.n == 1;
    j->row = j->found ? &rows.rows[0] : NULL;
    return rc;
}

static omk_rc insert_user(omk_db *db, void *arg)
{
    user_job *j = arg;
    omk_rc rc = find_user(db, j);
    if (rc)
        return rc;
    if (j->found)
        return OMK_CONFLICT;
    omk_row *row = omk_row_new(&USERS, j->a);
    if (!row)
        return OMK_NOMEM;
    omk_uuid4(row->uuid);
    row->v[U_NAAM] = omk_text0(j->name);
    row->v[U_ROL] = omk_text0(j->role);
    row->v[U_BSN] = omk_text0(j->bsn);
    row->v[U_HASH] = omk_text0(j->hash);
    row->v[U_AANGEMAAKT] = omk_int(omk_now_ms() * 1000);
    row->v[U_TOTP] = omk_text0("");
    row->v[U_TOTP_ACTIEF] = omk_int(0);
    row->v[U_TOTP_STAP] = omk_int(0);
    row->v[U_VOORNAAM] = omk_text0(j->voornaam);
    return omk_db_insert(db, &USERS, row);
}

omk_rc omk_api_user_create(omk_store *s, const char *name, const char *role, const char *bsn,
                           const char *voornaam, const char *password)
{
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return OMK_NOMEM;
    omk_arena *a = omk_arena_new(1 << 20);
    if (!a)
        return OMK_NOMEM;
    user_job j = {.a = a, .name = name, .role = role, .bsn = bsn ? bsn : "", .hash = hash,
                  .voornaam = voornaam ? voornaam : ""};
    omk_rc rc = omk_store_write(s, insert_user, &j);
    omk_arena_free(a);
    return rc;
}

static omk_rc set_voornaam(omk_db *db, void *arg)
{
    user_job *j = arg;
    const char *voornaam = j->voornaam;
    omk_rc rc = find_user(db, j);
    if (rc || !j->found)
        return rc ? rc : OMK_NOTFOUND;
    omk_cond c = {"gebruikersnaam", omk_text0(j->name)};
    return omk_db_set_where(db, &USERS, "voornaam", omk_text0(voornaam), &c, 1, NULL);
}

omk_rc omk_api_user_set_voornaam(omk_store *s, const char *name, const char *voornaam)
{
    omk_arena *a = omk_arena_new(1 << 16);
    if (!a)
        return OMK_NOMEM;
    user_job j = {.a = a, .name = name, .voornaam = voornaam ? voornaam : ""};
    omk_rc rc = omk_store_write(s, set_voornaam, &j);
    omk_arena_free(a);
    return rc;
}

omk_rc omk__auth_voornaam(omk_db *db, omk_arena *a, const char *name, const char **voornaam)
{
    user_job j = {.a = a, .name = name};
    *voornaam = "";
    omk_rc rc = name && *name ? find_user(db, &j) : OMK_OK;
    if (!rc && j.found && j.row->v[U_VOORNAAM].t == OMK_V_TEXT)
        *voornaam = j.row->v[U_VOORNAAM].s;
    return rc;
}

/* ---- sessions ---- */

typedef struct session_job {
    omk_arena *a;
    const char *hash;
    omk_row *row; /* the session, when found */
    int64_t now;
    /* for creating */
    const char *name, *role, *bsn, *csrf;
    const omk_inlog *inlog;
    const char *id_token;
    const char *activiteit; /* for choosing the session's purpose */
} session_job;

static omk_rc find_session(omk_db *db, void *arg)
{
    session_job *j = arg;
    static const omk_filter by_hash = {"hash", "hash", OMK_OP_EQ};
    omk_filter_arg f = {&by_hash, j->hash};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &SESSIONS, &q, j->a, &rows, NULL);
    j->row = !rc && rows.n == 1 ? &rows.rows[0] : NULL;
    return rc;
}

static omk_rc insert_session(omk_db *db, void *arg)
{
    session_job *j = arg;
    /* Expired sessions are removed whenever a new one starts. */
    static const omk_filter old = {"laatstGebruikt", "laatstGebruikt", OMK_OP_LT};
    char cutoff[32];
    snprintf(cutoff, sizeof cutoff, "%lld",
             (long long)(j->now - (int64_t)g_cfg.idle_seconds * 1000));
    omk_filter_arg f = {&old, cutoff};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 100};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &SESSIONS, &q, j->a, &rows, NULL);
    for (size_t i = 0; !rc && i < rows.n; i++)
        rc = omk_db_delete(db, &SESSIONS, rows.rows[i].uuid);
    omk_row *row = rc ? NULL : omk_row_new(&SESSIONS, j->a);
    if (rc || !row)
        return rc ? rc : OMK_NOMEM;
    omk_uuid4(row->uuid);
    row->v[S_HASH] = omk_text0(j->hash);
    row->v[S_NAAM] = omk_text0(j->name);
    row->v[S_ROL] = omk_text0(j->role);
    row->v[S_BSN] = omk_text0(j->bsn);
    row->v[S_CSRF] = omk_text0(j->csrf);
    row->v[S_LAATST] = omk_int(j->now);
    row->v[S_AANGEMAAKT] = omk_int(j->now);
    row->v[S_ACTIVITEIT] = omk_text0("");
    const omk_inlog *in = j->inlog;
    row->v[S_BRON] = omk_text0(in && in->bron ? in->bron : "lokaal");
    row->v[S_NIVEAU] = omk_text0(in && in->niveau ? in->niveau : "");
    row->v[S_KVK] = omk_text0(in && in->kvk ? in->kvk : "");
    row->v[S_VESTIGING] = omk_text0(in && in->vestiging ? in->vestiging : "");
    row->v[S_MACHTIGING] = omk_text0(in && in->machtiging ? in->machtiging : "");
    row->v[S_ID_TOKEN] = omk_text0(j->id_token ? j->id_token : "");
    return omk_db_insert(db, &SESSIONS, row);
}

static omk_rc touch_session(omk_db *db, void *arg)
{
    session_job *j = arg;
    omk_cond c = {"hash", omk_text0(j->hash)};
    return omk_db_set_where(db, &SESSIONS, "laatst_gebruikt", omk_int(j->now), &c, 1, NULL);
}

static omk_rc set_session_activity(omk_db *db, void *arg)
{
    session_job *j = arg;
    omk_cond c = {"hash", omk_text0(j->hash)};
    return omk_db_set_where(db, &SESSIONS, "verwerkingsactiviteit", omk_text0(j->activiteit),
                            &c, 1, NULL);
}

static omk_rc delete_session(omk_db *db, void *arg)
{
    session_job *j = arg;
    omk_rc rc = find_session(db, j);
    if (!rc && j->row)
        rc = omk_db_delete(db, &SESSIONS, j->row->uuid);
    return rc;
}

/* The session cookie's value (64 hex characters) from the Cookie header, or NULL. */
static const char *cookie_value(omk_req *req)
{
    const char *h = omk_req_header(req, "Cookie");
    for (const char *p = h; p && (p = strstr(p, COOKIE "=")); p++) {
        if (p != h && p[-1] != ' ' && p[-1] != ';')
            continue;
        const char *v = p + sizeof COOKIE;
        size_t n = strcspn(v, "; ");
        if (n != 64)
            return NULL;
        for (size_t i = 0; i < n; i++)
            if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
                return NULL;
        return omk_arena_strndup(omk_req_arena(req), v, n);
    }
    return NULL;
}

static bool is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Looks up the request's session; j->row is NULL when there is none or it has expired. */
static omk_rc load_session(omk_req *req, session_job *j)
{
    const char *cookie = cookie_value(req);
    if (!cookie)
        return OMK_OK;
    char *h = omk_arena_alloc(omk_req_arena(req), 65);
    if (!h)
        return OMK_NOMEM;
    omk_hash_hex(cookie, 64, h);
    j->a = omk_req_arena(req);
    j->hash = h;
    j->now = omk_now_ms();
    omk_rc rc = omk_store_read(omk__store(req), find_session, j);
    if (!rc && j->row && j->row->v[S_LAATST].i < j->now - (int64_t)g_cfg.idle_seconds * 1000)
        j->row = NULL;
    return rc;
}

bool omk__auth_by_session(omk_req *req)
{
    /* omk_api_authenticate takes the session path exactly when there is no Authorization. */
    return !omk_req_header(req, "Authorization");
}

omk_rc omk__werkplek_vereist(omk_req *req)
{
    const omk_route *rt = omk_req_route(req);
    if (!omk__auth_by_session(req) || !omk_req_has_scope(req, "kcm") ||
        (rt && strncmp(rt->pattern, "/werkplek/", 10) == 0))
        return OMK_OK;
    omk_req_fail(req, "werkplek_sessie_vereist",
                 "Aan de KCC-werkplek legt u een contact vast binnen een contactsessie"
                 " (/werkplek/api/v1/sessies), zodat het bij de juiste klant komt.");
    return OMK_FORBIDDEN;
}

omk_rc omk__auth_session(omk_req *req)
{
    session_job j = {0};
    omk_rc rc = load_session(req, &j);
    if (rc)
        return rc;
    if (!j.row) {
        omk_req_fail(req, "not_authenticated",
                     "Authenticatie gegevens zijn niet opgegeven of de sessie is verlopen.");
        return OMK_UNAUTHORIZED;
    }
    if (!is_safe_method(omk_req_method(req))) {
        const char *t = omk_req_header(req, "X-CSRF-Token");
        const char *want = j.row->v[S_CSRF].s;
        if (!t || strlen(t) != strlen(want) || sodium_memcmp(t, want, strlen(want)) != 0) {
            omk_req_fail(req, "csrf", "Het CSRF-token ontbreekt of klopt niet.");
            return OMK_FORBIDDEN;
        }
    }
    if (j.row->v[S_LAATST].i < j.now - TOUCH_EVERY_MS) {
        rc = omk_store_write(omk__store(req), touch_session, &j);
        if (rc)
            return rc;
    }
    omk_req_set_principal(req, j.row->v[S_NAAM].s, j.row->v[S_ROL].s);
    if (strcmp(j.row->v[S_ROL].s, "inwoner") == 0)
        omk_req_set_subject(req, j.row->v[S_BSN].s);
    omk_inlog in = {j.row->v[S_BRON].s, j.row->v[S_NIVEAU].s, j.row->v[S_KVK].s,
                    j.row->v[S_VESTIGING].s, j.row->v[S_MACHTIGING].s};
    omk__req_set_inlog(req, &in);
    omk__req_set_activiteit(req, j.row->v[S_ACTIVITEIT].s);
    return OMK_OK;
}

/* ---- HTTP handlers ---- */

static bool behind_tls(omk_req *req)
{
    return strncmp(omk_req_base_url(req), "https:", 6) == 0;
}

static json_t *session_json(const char *name, const char *role, const char *bsn,
                            const char *csrf, const omk_inlog *in)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "gebruikersnaam", name, "rol", role,
                          "startpagina", omk__auth_home_of(role), "csrfToken", csrf ? csrf : "");
    if (bsn && *bsn)
        json_object_set_new(o, "bsn", json_string(bsn));
    omk__oidc_session_json(o, in);
    json_object_set_new(o, "ontwikkelLogin", json_boolean(g_cfg.dev_login));
    json_object_set_new(o, "sessieDuurSeconden", json_integer(g_cfg.idle_seconds));
    return o;
}

omk_rc omk__auth_start(omk_req *req, const char *name, const char *role, const char *bsn,
                      const omk_inlog *inlog, const char *id_token, char csrf[65])
{
    char token[65];
    omk_random_hex(token, 32);
    omk_random_hex(csrf, 32);
    char *hash = omk_arena_alloc(omk_req_arena(req), 65);
    if (!hash)
        return OMK_NOMEM;
    omk_hash_hex(token, 64, hash);
    session_job j = {.a = omk_req_arena(req), .hash = hash, .now = omk_now_ms(), .name = name,
                     .role = role, .bsn = bsn, .csrf = csrf, .inlog = inlog,
                     .id_token = id_token};
    omk_rc rc = omk_store_write(omk__store(req), insert_session, &j);
    if (rc)
        return rc;
    omk_req_add_header(req, "Set-Cookie",
                       omk_arena_printf(omk_req_arena(req),
                                        COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
                                        behind_tls(req) ? "; Secure" : ""));
    return OMK_OK;
}

/* Starts a session for this account and answers with it (and the cookie). */
static omk_rc start_session(omk_req *req, const char *name, const char *role, const char *bsn,
                            const omk_inlog *inlog)
{
    char csrf[65];
    omk_rc rc = omk__auth_start(req, name, role, bsn, inlog, NULL, csrf);
    if (rc)
        return rc;
    return omk_req_reply_json(req, 200, session_json(name, role, bsn, csrf, inlog));
}

static const char *body_string(omk_req *req, json_t *body, const char *key, size_t max)
{
    json_t *v = json_object_get(body, key);
    const char *s = json_string_value(v);
    if (!s || !*s) {
        omk_req_invalid(req, key, "required", "Dit veld is vereist.");
        return NULL;
    }
    if (strlen(s) > max) {
        omk_req_invalid(req, key, "max_length", "Deze waarde is te lang.");
        return NULL;
    }
    return s;
}

static char g_dummy[crypto_pwhash_STRBYTES];
static pthread_once_t g_dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[33];
    omk_random_hex(pw, 16);
    if (crypto_pwhash_str(g_dummy, pw, 32, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        g_dummy[0] = 0;
}

/* ---- TOTP (RFC 6238) as second factor of a local account ---- */

#define TOTP_STEP 30
#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */

typedef struct totp_job {
    omk_arena *a;
    const char *name;
    const char *secret; /* for enrolling: the new pending secret */
    int64_t step;       /* for using: the step the code matched */
    bool reused;
} totp_job;

/* Marks step j->step used (and the secret confirmed), unless it or a later one was used:
 * re-read in the write transaction so two logins with one code cannot both pass. */
static omk_rc totp_use(omk_db *db, void *arg)
{
    totp_job *t = arg;
    user_job u = {.a = t->a, .name = t->name};
    omk_rc rc = find_user(db, &u);
    if (rc || !u.found)
        return rc ? rc : OMK_NOTFOUND;
    if (u.row->v[U_TOTP_STAP].i >= t->step) {
        t->reused = true;
        return OMK_OK;
    }
    omk_cond c = {"gebruikersnaam", omk_text0(t->name)};
    rc = omk_db_set_where(db, &USERS, "totp_laatste_stap", omk_int(t->step), &c, 1, NULL);
    if (!rc)
        rc = omk_db_set_where(db, &USERS, "totp_actief", omk_int(1), &c, 1, NULL);
    return rc;
}

static omk_rc totp_enrol(omk_db *db, void *arg)
{
    totp_job *t = arg;
    user_job u = {.a = t->a, .name = t->name};
    omk_rc rc = find_user(db, &u);
    if (rc || !u.found)
        return rc ? rc : OMK_NOTFOUND;
    if (u.row->v[U_TOTP_ACTIEF].i)
        return OMK_CONFLICT;
    omk_cond c = {"gebruikersnaam", omk_text0(t->name)};
    return omk_db_set_where(db, &USERS, "totp_geheim", omk_text0(t->secret), &c, 1, NULL);
}

/* The second factor after a right password: required once confirmed, and for a beheerder
 * before anything else; the first right code confirms a pending enrolment. A code is
 * accepted for the current step and one either side, and never twice. */
static omk_rc second_factor(omk_req *req, user_job *u, const char *code)
{
    const char *secret = u->row->v[U_TOTP].s;
    bool actief = u->row->v[U_TOTP_ACTIEF].i != 0;
    bool beheerder = strcmp(u->row->v[U_ROL].s, "beheerder") == 0;
    if (!actief && (!*secret || !code)) {
        if (!beheerder)
            return OMK_OK;
        omk_req_fail(req, "totp_inschrijving_vereist",
                     *secret ? "Voer de code uit uw authenticator-app in om de inschrijving af "
                               "te ronden."
                             : "Als beheerder logt u in met een tweede factor. Schrijf eerst "
                               "een authenticator-app in.");
        return OMK_FORBIDDEN;
    }
    if (!code || !*code) {
        omk_req_fail(req, "totp_vereist", "Voer de zescijferige code uit uw authenticator-app in.");
        return OMK_UNAUTHORIZED;
    }
    unsigned char key[64];
    size_t keyn = 0;
    omk_rc rc = omk_base32_decode(secret, key, sizeof key, &keyn);
    if (rc)
        return OMK_INTERNAL;
    bool digits = strlen(code) == 6 && strspn(code, "0123456789") == 6;
    uint32_t want = 0;
    for (size_t i = 0; digits && i < 6; i++)
        want = want * 10 + (uint32_t)(code[i] - '0');
    int64_t now = omk_now_ms() / 1000 / TOTP_STEP, match = -1;
    for (int64_t s = now - 1; digits && s <= now + 1; s++)
        if (omk_totp_code(key, keyn, (uint64_t)s) == want)
            match = s;
    sodium_memzero(key, sizeof key);
    totp_job t = {.a = omk_req_arena(req), .name = u->row->v[U_NAAM].s, .step = match};
    if (match >= 0) {
        rc = omk_store_write(omk__store(req), totp_use, &t);
        if (rc)
            return rc;
    }
    if (match < 0 || t.reused) {
        omk_req_fail(req, "totp_onjuist", "De code klopt niet of is al gebruikt. Wacht op de "
                                          "volgende code en probeer het opnieuw.");
        return OMK_UNAUTHORIZED;
    }
    return OMK_OK;
}

/* Checks name and password of the body through the log-in limits (loginlimits.c): admit,
 * then the password checked on a checker thread, then next(req, account, ok) answers. */
static omk_rc check_password(omk_req *req, omk_login_next next)
{
    json_t *body = omk_req_json(req);
    const char *name = body_string(req, body, "gebruikersnaam", 100);
    const char *pw = body_string(req, body, "wachtwoord", 200);
    if (!name || !pw)
        return OMK_INVALID;
    omk_rc rc = omk__login_admit(req, name);
    if (rc)
        return rc;
    user_job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    *j = (user_job){.a = omk_req_arena(req), .name = name};
    rc = omk_store_read(omk__store(req), find_user, j);
    if (rc)
        return rc;
    /* Verify against a dummy hash too, so an unknown name takes as long as a wrong password. */
    pthread_once(&g_dummy_once, make_dummy);
    const char *stored = j->found ? j->row->v[U_HASH].s : g_dummy;
    return omk__login_verify(req, name, stored, pw, next, j);
}

/* POST totp/inschrijven {gebruikersnaam, wachtwoord}: a new secret for an account without a
 * confirmed one, shown this once; the first login with a right code confirms it. */
static omk_rc enrol_checked(omk_req *req, void *arg, bool ok)
{
    user_job *jp = arg;
    ok = ok && jp->found;
    omk__login_outcome(req, jp->name, ok);
    if (!ok) {
        omk_req_fail(req, "authentication_failed", "Onjuiste gebruikersnaam of wachtwoord.");
        return OMK_UNAUTHORIZED;
    }
    const user_job j = *jp;
    unsigned char key[TOTP_SECRET_BYTES];
    char secret[40];
    randombytes_buf(key, sizeof key);
    omk_rc rc = omk_base32_encode(key, sizeof key, secret, sizeof secret);
    sodium_memzero(key, sizeof key);
    if (rc)
        return rc;
    totp_job t = {.a = omk_req_arena(req), .name = j.row->v[U_NAAM].s, .secret = secret};
    rc = omk_store_write(omk__store(req), totp_enrol, &t);
    if (rc == OMK_CONFLICT) {
        omk_req_fail(req, "totp_al_ingeschreven",
                     "Voor dit account is al een authenticator-app ingeschreven. Vraag functioneel "
                     "beheer om die in te trekken als u hem kwijt bent.");
        return rc;
    }
    if (rc)
        return rc;
    omk_arena *a = omk_req_arena(req);
    char *label = omk_arena_printf(a, "Omnikanaal:%s", t.name);
    omk_buf uri;
    omk_buf_init(&uri, 4096);
    omk_buf_puts(&uri, "otpauth://totp/");
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        if (isalnum(*p) || strchr("-._~:", *p))
            omk_buf_putc(&uri, (char)*p);
        else
            omk_buf_printf(&uri, "%%%02X", *p);
    omk_buf_printf(&uri, "?secret=%s&issuer=Omnikanaal&algorithm=SHA1&digits=6&period=%d",
                   secret, TOTP_STEP);
    char *u = uri.rc ? NULL : omk_arena_strdup(a, uri.p);
    omk_buf_release(&uri);
    if (!u)
        return OMK_NOMEM;
    return omk_req_reply_json(
        req, 201,
        json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "gebruikersnaam", t.name, "geheim", secret,
                  "otpauthUri", u, "cijfers", 6, "periodeSeconden", TOTP_STEP, "uitleg",
                  "Voeg dit geheim toe aan uw authenticator-app (scan de otpauth-link of typ het "
                  "geheim over) en log daarna in met de code die de app toont. Het geheim wordt "
                  "maar één keer getoond."));
}

static omk_rc totp_inschrijven(omk_req *req)
{
    return check_password(req, enrol_checked);
}

/* After the password check: the second factor, then the session; or 401. A wrong code counts
 * against the limits like a wrong password (a missing one does not: the form asks for it);
 * success is recorded only once the whole log-in passed. */
static omk_rc login_checked(omk_req *req, void *arg, bool ok)
{
    user_job *j = arg;
    if (!(ok && j->found)) {
        omk__login_outcome(req, j->name, false);
        omk_req_fail(req, "authentication_failed", "Onjuiste gebruikersnaam of wachtwoord.");
        return OMK_UNAUTHORIZED;
    }
    const char *code = json_string_value(json_object_get(omk_req_json(req), "totp"));
    omk_rc rc = second_factor(req, j, code);
    if (rc == OMK_UNAUTHORIZED && code && *code)
        omk__login_outcome(req, j->name, false);
    if (rc)
        return rc;
    omk__login_outcome(req, j->name, true);
    static const omk_inlog lokaal = {"lokaal", "", "", "", ""};
    return start_session(req, j->row->v[U_NAAM].s, j->row->v[U_ROL].s, j->row->v[U_BSN].s,
                         &lokaal);
}

static omk_rc login(omk_req *req)
{
    return check_password(req, login_checked);
}

static omk_rc dev_login(omk_req *req)
{
    if (!g_cfg.dev_login)
        return OMK_NOTFOUND;
    json_t *body = omk_req_json(req);
    const char *bsn = body_string(req, body, "bsn", 9);
    if (!bsn)
        return OMK_INVALID;
    const char *code = NULL;
    const char *why = omk__check_bsn(bsn, &code);
    if (why) {
        omk_req_invalid(req, "bsn", code, why);
        return OMK_INVALID;
    }
    static const omk_inlog ontwikkel = {"ontwikkel", "", "", "", ""};
    return start_session(req, omk_arena_printf(omk_req_arena(req), "inwoner-%s", bsn),
                         "inwoner", bsn, &ontwikkel);
}

static omk_rc whoami(omk_req *req)
{
    session_job j = {0};
    omk_rc rc = load_session(req, &j);
    if (rc)
        return rc;
    const char *bsn = omk_req_subject(req);
    json_t *o = session_json(omk_req_principal(req), j.row ? j.row->v[S_ROL].s : "",
                             bsn, j.row ? j.row->v[S_CSRF].s : "", omk__req_inlog(req));
    if (!j.row) /* an API token: no role, no CSRF token */
        json_object_del(o, "csrfToken");
    const omk_doel *d = omk__req_doel(req);
    const omk_verwerkingsactiviteit *act = d ? omk__activiteit(d->activiteit) : NULL;
    if (act)
        json_object_set_new(o, "verwerkingsactiviteit",
                            json_pack("{s:s, s:s}", "id", act->id, "omschrijving",
                                      act->omschrijving));
    return omk_req_reply_json(req, 200, o);
}

/* PATCH sessie {"verwerkingsactiviteit": id}: the employee chooses the purpose the session's
 * requests act under (doelbinding and the Logboek); only an activity their role may do. */
static omk_rc choose_activity(omk_req *req)
{
    json_t *body = omk_req_json(req);
    omk_rc rc = OMK_OK;
    const char *id = json_string_value(json_object_get(body, "verwerkingsactiviteit"));
    session_job j = {.a = omk_req_arena(req)};
    const char *cookie = cookie_value(req);
    if (!omk__auth_by_session(req) || !cookie || omk_req_subject(req)) {
        omk_req_fail(req, "permission_denied",
                     "Alleen een medewerker kiest de verwerkingsactiviteit van een sessie.");
        return OMK_FORBIDDEN;
    }
    if (!id) {
        omk_req_invalid(req, "verwerkingsactiviteit", "required", "Dit veld is vereist.");
        return OMK_INVALID;
    }
    if (!omk__activiteit(id)) {
        omk_req_invalid(req, "verwerkingsactiviteit", "invalid",
                        "Onbekende verwerkingsactiviteit.");
        return OMK_INVALID;
    }
    if (!omk__doelbinding(req, id)) {
        omk_req_fail(req, "permission_denied",
                     "Uw rol mag deze verwerkingsactiviteit niet uitvoeren.");
        return OMK_FORBIDDEN;
    }
    char *h = omk_arena_alloc(j.a, 65);
    if (!h)
        return OMK_NOMEM;
    omk_hash_hex(cookie, 64, h);
    j.hash = h;
    j.activiteit = id;
    if ((rc = omk_store_write(omk__store(req), set_session_activity, &j)))
        return rc;
    omk__req_set_activiteit(req, id);
    if ((rc = omk__toegang_authorize(NULL, req))) /* the purpose of this answer: the new one */
        return rc;
    return whoami(req);
}

static const char CLEAR_COOKIE[] = COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";

/* Ends the session; one started at an OpenID provider is also ended there: the answer then
 * names the provider's logout URL for the browser to go to (RP-initiated logout). */
static omk_rc logout(omk_req *req)
{
    session_job j = {.a = omk_req_arena(req)};
    const char *cookie = cookie_value(req), *url = NULL;
    if (cookie) {
        char *h = omk_arena_alloc(omk_req_arena(req), 65);
        if (!h)
            return OMK_NOMEM;
        omk_hash_hex(cookie, 64, h);
        j.hash = h;
        omk_rc rc = omk_store_write(omk__store(req), delete_session, &j);
        if (rc)
            return rc;
        if (j.row)
            url = omk__oidc_logout_url(req, j.row->v[S_BRON].s, j.row->v[S_ID_TOKEN].s);
    }
    omk_req_add_header(req, "Set-Cookie", CLEAR_COOKIE);
    if (url)
        return omk_req_reply_json(req, 200, json_pack("{s:s}", "uitloggenBijProvider", url));
    return omk_req_reply(req, 204, "application/json", "", 0);
}

/* "/": the role's start page for a live session, the login page otherwise. */
static omk_rc root_page(omk_req *req)
{
    session_job j = {0};
    omk_rc rc = load_session(req, &j);
    if (rc)
        return rc;
    omk_req_add_header(req, "Location", j.row ? omk__auth_home_of(j.row->v[S_ROL].s) : "/login");
    return omk_req_reply(req, 302, "text/plain; charset=utf-8", "", 0);
}

/* GET inlogmethoden: which ways to log in this server offers, for the login pages. */
static omk_rc inlogmethoden(omk_req *req)
{
    json_t *o = json_pack("{s:b, s:b}", "lokaal", 1, "ontwikkelLogin", g_cfg.dev_login);
    omk__oidc_methoden(o);
    return omk_req_reply_json(req, 200, o);
}

static const omk_api_info AUTH_API = {AUTH_BASE, "0.1.0", omk__openapi_auth, 0};

size_t omk__auth_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", "/", root_page, NULL, NULL, OMK_ROUTE_PUBLIC | OMK_ROUTE_PAGE, 0, NULL},
        {"POST", AUTH_BASE "/login", login, NULL, &AUTH_API, OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY,
         4096, NULL},
        {"POST", AUTH_BASE "/dev-login", dev_login, NULL, &AUTH_API,
         OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY, 4096, NULL},
        {"GET", AUTH_BASE "/sessie", whoami, NULL, &AUTH_API, 0, 0, NULL},
        {"PATCH", AUTH_BASE "/sessie", choose_activity, NULL, &AUTH_API, OMK_ROUTE_BODY, 4096,
         NULL},
        {"POST", AUTH_BASE "/logout", logout, NULL, &AUTH_API, 0, 0, NULL},
        {"GET", AUTH_BASE "/inlogmethoden", inlogmethoden, NULL, &AUTH_API, OMK_ROUTE_PUBLIC, 0,
         NULL},
        {"POST", AUTH_BASE "/totp/inschrijven", totp_inschrijven, NULL, &AUTH_API,
         OMK_ROUTE_PUBLIC | OMK_ROUTE_BODY, 4096, NULL},
    };
    size_t n = sizeof routes / sizeof routes[0];
    if (n > cap)
        n = cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
