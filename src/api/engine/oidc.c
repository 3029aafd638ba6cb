/* Log-in through OpenID Connect (the OpenID NLGov profile): staff at the municipality's own
 * provider, residents (DigiD) and businesses (eHerkenning) at a broker. The authorization code
 * flow with PKCE (S256), state and nonce; the ID token checked for its signature (the
 * provider's key set from discovery, fetched again — at most every JWKS_MIN_INTERVAL_MS — when
 * a token names an unknown key), issuer, audience, expiry and nonce; then a web session exactly
 * like a local login's (auth.c). Roles, BSN, KvK-nummer, vestigingsnummer, machtiging and the
 * level of assurance come from configured claims (docs/inloggen.md).
 * Pending logins (state, nonce, verifier) live in memory for PENDING_TTL_MS, bound to the
 * browser by a cookie of their own. The configuration is set once before serving; any worker
 * thread may call the rest (the provider cache and the pending logins are locked). */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/toegang.h"
#include "omk/buf.h"
#include "omk/http_client.h"
#include "omk/jws.h"
#include "omk/log.h"
#include "omk/util.h"

#define AUTH_BASE "/auth/api/v1"
#define BIND_COOKIE "omk_oidc"
#define PENDING_MAX 512
#define PENDING_TTL_MS (10 * 60 * 1000)
#define JWKS_MIN_INTERVAL_MS 5000 /* an unknown kid refetches the key set at most this often */
#define SKEW_S 60                 /* clock difference allowed for exp, iat and nbf */
#define FETCH_TIMEOUT_MS 10000
#define FETCH_MAX (256 * 1024)

/* ---- what can be logged in as ---- */

enum { P_MEDEWERKER, P_BROKER, NPROV };
typedef enum soort { S_MEDEWERKER, S_DIGID, S_EHERKENNING, NSOORT } soort;

static const struct {
    const char *naam; /* the ?soort= value */
    const char *bron; /* the session's bron */
    const char *pagina; /* the login page a failure returns to */
    int prov;
} SOORTEN[NSOORT] = {
    {"medewerker", "oidc", "/login", P_MEDEWERKER},
    {"digid", "digid", "/inloggen-inwoner", P_BROKER},
    {"eherkenning", "eherkenning", "/inloggen-inwoner", P_BROKER},
};

/* The claims read, by name, and their defaults (the broker defaults of
 * django-digid-eherkenning, standards-2 §1.5). */
enum {
    C_NAAM, C_ROLLEN, C_BSN, C_NAMENS_BSN, C_DIENST, C_KVK, C_VESTIGING, C_EH_MEDEWERKER,
    C_NIVEAU, NCLAIMS
};
static const struct {
    const char *naam, *standaard;
} CLAIMS[NCLAIMS] = {
    {"naam", "preferred_username"},
    {"rollen", "roles"},
    {"bsn", "bsn"},
    {"namens-bsn", "urn:nl-eid-gdi:1.0:LegalSubjectID"},
    {"dienst", "urn:nl-eid-gdi:1.0:ServiceUUID"},
    {"kvk", "urn:etoegang:core:LegalSubjectID"},
    {"vestiging", "urn:etoegang:1.9:ServiceRestriction:Vestigingsnr"},
    {"eh-medewerker", "urn:etoegang:core:ActingSubjectID"},
    {"niveau", "acr"},
};

/* Levels of assurance: a scale (DigiD for residents, eHerkenning for businesses), an order
 * within it, and the values a provider may send for it (standards-2 §1.4). */
enum { SCHAAL_DIGID, SCHAAL_EH };
typedef struct niveau {
    const char *naam, *weergave;
    int schaal, rang;
    const char *urn;
} niveau;
static const niveau NIVEAUS[] = {
    {"basis", "DigiD Basis", SCHAAL_DIGID, 1,
     "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
    {"midden", "DigiD Midden", SCHAAL_DIGID, 2,
     "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"},
    {"substantieel", "DigiD Substantieel", SCHAAL_DIGID, 3,
     "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"},
    {"hoog", "DigiD Hoog", SCHAAL_DIGID, 4, "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"},
    {"midden", "DigiD Midden", SCHAAL_DIGID, 2, "http://eidas.europa.eu/LoA/low"},
    {"substantieel", "DigiD Substantieel", SCHAAL_DIGID, 3,
     "http://eidas.europa.eu/LoA/substantial"},
    {"hoog", "DigiD Hoog", SCHAAL_DIGID, 4, "http://eidas.europa.eu/LoA/high"},
    {"eh1", "eHerkenning EH1", SCHAAL_EH, 1, "urn:etoegang:core:assurance-class:loa1"},
    {"eh2", "eHerkenning EH2", SCHAAL_EH, 2, "urn:etoegang:core:assurance-class:loa2"},
    {"eh2+", "eHerkenning EH2+", SCHAAL_EH, 3, "urn:etoegang:core:assurance-class:loa2plus"},
    {"eh3", "eHerkenning EH3", SCHAAL_EH, 4, "urn:etoegang:core:assurance-class:loa3"},
    {"eh4", "eHerkenning EH4", SCHAAL_EH, 5, "urn:etoegang:core:assurance-class:loa4"},
    {"eh2", "eHerkenning EH2", SCHAAL_EH, 2, "http://eidas.europa.eu/LoA/low"},
    {"eh3", "eHerkenning EH3", SCHAAL_EH, 4, "http://eidas.europa.eu/LoA/substantial"},
    {"eh4", "eHerkenning EH4", SCHAAL_EH, 5, "http://eidas.europa.eu/LoA/high"},
};

/* The parts a minimum level can be set for: log-in itself and the parts of Mijn. */
static const char *const DELEN[] = {"inloggen",   "klantcontacten", "contactverzoeken",
                                    "verzoeken",  "profiel",        "digitaleadressen",
                                    "gesprekken", "voorkeuren",     "bedrijf",
                                    "verwerkingen", "gegevens"};
#define MAX_MINIMA 32

/* ---- configuration ---- */

typedef struct prov {
    omk_oidc_provider cfg;
    pthread_mutex_t lock;
    json_t *meta; /* the discovery document, once fetched */
    json_t *jwks; /* the key set */
    int64_t jwks_at;
} prov;

static struct {
    prov p[NPROV];
    const char *claim[NCLAIMS];
    const char *const *rollen;
    size_t nrollen;
    struct {
        const char *deel;
        const niveau *min;
    } minima[MAX_MINIMA];
    size_t nminima;
    const char *param[NSOORT]; /* extra "name=value" of the authorization request */
} g = {.p = {{.lock = PTHREAD_MUTEX_INITIALIZER}, {.lock = PTHREAD_MUTEX_INITIALIZER}}};

static const niveau *niveau_by_name(const char *naam)
{
    for (size_t i = 0; i < OMK_COUNT(NIVEAUS); i++)
        if (strcmp(NIVEAUS[i].naam, naam) == 0)
            return &NIVEAUS[i];
    return NULL;
}

/* The level a provider's value stands for on a scale: its URN or its name; NULL if unknown. */
static const niveau *niveau_of(const char *waarde, int schaal)
{
    for (size_t i = 0; waarde && i < OMK_COUNT(NIVEAUS); i++)
        if (NIVEAUS[i].schaal == schaal &&
            (strcmp(NIVEAUS[i].urn, waarde) == 0 || strcmp(NIVEAUS[i].naam, waarde) == 0))
            return &NIVEAUS[i];
    return NULL;
}

static bool pair_ok(const char *s)
{
    const char *eq = s ? strchr(s, '=') : NULL;
    return eq && eq != s && eq[1];
}

static omk_rc check_provider(const omk_oidc_provider *p, const char *naam, char *why, size_t n)
{
    if (!p->issuer)
        return OMK_OK;
    if (strncmp(p->issuer, "https://", 8) != 0 && strncmp(p->issuer, "http://127.", 11) != 0 &&
        strncmp(p->issuer, "http://[::1]", 12) != 0) {
        snprintf(why, n, "the %s issuer must be an https URL (http only on loopback)", naam);
        return OMK_INVALID;
    }
    if (!p->client_id || !*p->client_id || !p->redirect_uri || !*p->redirect_uri) {
        snprintf(why, n, "the %s provider needs a client id and a redirect URI", naam);
        return OMK_INVALID;
    }
    return OMK_OK;
}

omk_rc omk_api_oidc_configure(const omk_oidc_config *cfg, char *why, size_t n)
{
    omk_rc rc = check_provider(&cfg->medewerker, "staff", why, n);
    if (!rc)
        rc = check_provider(&cfg->broker, "broker", why, n);
    if (rc)
        return rc;
    for (size_t i = 0; i < NCLAIMS; i++)
        g.claim[i] = CLAIMS[i].standaard;
    for (size_t i = 0; i < cfg->nclaims; i++) {
        const char *s = cfg->claims[i], *eq = strchr(s, '=');
        size_t k = NCLAIMS;
        for (size_t c = 0; pair_ok(s) && c < NCLAIMS; c++)
            if (strlen(CLAIMS[c].naam) == (size_t)(eq - s) &&
                memcmp(CLAIMS[c].naam, s, (size_t)(eq - s)) == 0)
                k = c;
        if (k == NCLAIMS) {
            snprintf(why, n, "--oidc-claim %s: expected NAME=CLAIM with NAME one of naam, rollen, "
                             "bsn, namens-bsn, dienst, kvk, vestiging, eh-medewerker, niveau", s);
            return OMK_INVALID;
        }
        g.claim[k] = eq + 1;
    }
    for (size_t i = 0; i < cfg->nrollen; i++) {
        const char *eq = strchr(cfg->rollen[i], '=');
        if (!pair_ok(cfg->rollen[i]) || !omk_api_role_valid(eq + 1) ||
            strcmp(eq + 1, "inwoner") == 0) {
            snprintf(why, n, "--oidc-rol %s: expected CLAIMVALUE=ROLE with a staff role",
                     cfg->rollen[i]);
            return OMK_INVALID;
        }
    }
    g.nminima = 0;
    for (size_t i = 0; i < cfg->nniveaus; i++) {
        const char *s = cfg->niveaus[i], *eq = strchr(s, '=');
        bool deel_ok = false;
        for (size_t d = 0; pair_ok(s) && d < OMK_COUNT(DELEN); d++)
            deel_ok |= strlen(DELEN[d]) == (size_t)(eq - s) &&
                       memcmp(DELEN[d], s, (size_t)(eq - s)) == 0;
        const niveau *min = deel_ok ? niveau_by_name(eq + 1) : NULL;
        if (!min || g.nminima == MAX_MINIMA) {
            snprintf(why, n, "--niveau %s: expected PART=LEVEL (docs/inloggen.md)", s);
            return OMK_INVALID;
        }
        g.minima[g.nminima].deel = s;
        g.minima[g.nminima++].min = min;
    }
    for (int p = 0; p < NPROV; p++)
        g.p[p].cfg = p == P_MEDEWERKER ? cfg->medewerker : cfg->broker;
    g.rollen = cfg->rollen;
    g.nrollen = cfg->nrollen;
    g.param[S_DIGID] = cfg->digid_param;
    g.param[S_EHERKENNING] = cfg->eherkenning_param;
    for (int s = S_DIGID; s < NSOORT; s++)
        if (g.param[s] && !pair_ok(g.param[s])) {
            snprintf(why, n, "the broker parameter %s: expected NAME=VALUE", g.param[s]);
            return OMK_INVALID;
        }
    return OMK_OK;
}

/* ---- the provider's metadata and keys ---- */

static json_t *fetch_json(const char *url, const char *form, const char *user, const char *pw,
                          int *status, char *why, size_t n)
{
    char *body = NULL;
    omk_rc rc = omk_http_fetch(url, form, user, pw, FETCH_TIMEOUT_MS, FETCH_MAX, status, &body,
                               why, n);
    json_t *j = NULL;
    if (!rc) {
        j = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(j)) {
            snprintf(why, n, "%s answered %d without a JSON object", url, *status);
            json_decref(j);
            j = NULL;
        }
    }
    free(body);
    return j;
}

/* The discovery document (a new reference), fetched on first use; NULL with why when it
 * cannot be had or names another issuer. */
static json_t *meta_of(prov *p, char *why, size_t n)
{
    pthread_mutex_lock(&p->lock);
    if (!p->meta) {
        const char *iss = p->cfg.issuer;
        size_t len = strlen(iss);
        char url[1024];
        snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration",
                 (int)(len && iss[len - 1] == '/' ? len - 1 : len), iss);
        int status = 0;
        json_t *m = fetch_json(url, NULL, NULL, NULL, &status, why, n);
        const char *mi = json_string_value(json_object_get(m, "issuer"));
        if (m && (status != 200 || !mi || strcmp(mi, iss) != 0 ||
                  !json_is_string(json_object_get(m, "authorization_endpoint")) ||
                  !json_is_string(json_object_get(m, "token_endpoint")) ||
                  !json_is_string(json_object_get(m, "jwks_uri")))) {
            if (snprintf(why, n, "discovery at %s: status %d, issuer %s (configured %s), or an "
                                 "endpoint missing", url, status, mi ? mi : "-", iss) < 0)
                why[0] = 0;
            json_decref(m);
            m = NULL;
        }
        p->meta = m;
    }
    json_t *out = json_incref(p->meta);
    pthread_mutex_unlock(&p->lock);
    return out;
}

/* The key set (a new reference); fetched when there is none, or again when `again` and the
 * last fetch is JWKS_MIN_INTERVAL_MS old. *fresh tells whether this call fetched it. */
static json_t *jwks_of(prov *p, const json_t *meta, bool again, bool *fresh, char *why,
                       size_t n)
{
    *fresh = false;
    pthread_mutex_lock(&p->lock);
    int64_t now = omk_now_ms();
    if (!p->jwks || (again && now - p->jwks_at >= JWKS_MIN_INTERVAL_MS)) {
        int status = 0;
        json_t *k = fetch_json(json_string_value(json_object_get(meta, "jwks_uri")), NULL, NULL,
                               NULL, &status, why, n);
        if (k && status == 200 && json_is_array(json_object_get(k, "keys"))) {
            json_decref(p->jwks);
            p->jwks = k;
            p->jwks_at = now;
            *fresh = true;
        } else {
            if (k)
                snprintf(why, n, "the key set answered %d without keys", status);
            json_decref(k);
        }
    }
    json_t *out = json_incref(p->jwks);
    pthread_mutex_unlock(&p->lock);
    return out;
}

/* ---- pending logins ---- */

typedef struct pending {
    char state[44], nonce[44], verifier[88], binding[65];
    char terug[200];
    soort soort;
    int64_t at_ms; /* 0: free */
} pending;

static pending g_pending[PENDING_MAX];
static pthread_mutex_t g_pending_lock = PTHREAD_MUTEX_INITIALIZER;

/* Keeps *in; a full table gives up its oldest entry. */
static void pending_put(const pending *in)
{
    pthread_mutex_lock(&g_pending_lock);
    size_t slot = 0;
    int64_t now = omk_now_ms();
    for (size_t i = 0; i < PENDING_MAX; i++) {
        if (g_pending[i].at_ms && now - g_pending[i].at_ms > PENDING_TTL_MS)
            g_pending[i].at_ms = 0;
        if (g_pending[i].at_ms < g_pending[slot].at_ms)
            slot = i;
    }
    g_pending[slot] = *in;
    pthread_mutex_unlock(&g_pending_lock);
}

/* Takes (removes) the pending login of `state`: true when it existed, was young enough and
 * belongs to this browser (binding). */
static bool pending_take(const char *state, const char *binding, pending *out)
{
    bool ok = false;
    pthread_mutex_lock(&g_pending_lock);
    for (size_t i = 0; state && i < PENDING_MAX; i++) {
        pending *e = &g_pending[i];
        if (!e->at_ms || strlen(state) != strlen(e->state) ||
            sodium_memcmp(e->state, state, strlen(state)) != 0)
            continue;
        ok = omk_now_ms() - e->at_ms <= PENDING_TTL_MS && binding &&
             strcmp(binding, e->binding) == 0;
        *out = *e;
        sodium_memzero(e, sizeof *e);
        break;
    }
    pthread_mutex_unlock(&g_pending_lock);
    return ok;
}

/* The hash of the browser-binding cookie's value, or NULL when absent or malformed. */
static const char *binding_of(omk_req *req)
{
    const char *h = omk_req_header(req, "Cookie");
    for (const char *p = h; p && (p = strstr(p, BIND_COOKIE "=")); p++) {
        if (p != h && p[-1] != ' ' && p[-1] != ';')
            continue;
        const char *v = p + sizeof BIND_COOKIE;
        size_t n = strcspn(v, "; ");
        if (n != 64 || strspn(v, "0123456789abcdef") < 64)
            return NULL;
        char *out = omk_arena_alloc(omk_req_arena(req), 65);
        if (out)
            omk_hash_hex(v, 64, out);
        return out;
    }
    return NULL;
}

/* ---- helpers ---- */

static void put_enc(omk_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (isalnum(*p) || strchr("-._~", *p))
            omk_buf_putc(b, (char)*p);
        else
            omk_buf_printf(b, "%%%02X", *p);
}

static void put_param(omk_buf *b, const char *sep, const char *k, const char *v)
{
    omk_buf_printf(b, "%s%s=", sep, k);
    put_enc(b, v);
}

/* A claim by path: names separated by "/" walk into nested objects. Borrowed from claims. */
static json_t *claim(json_t *claims, const char *path)
{
    json_t *at = claims;
    char name[256];
    while (at && path && *path) {
        size_t n = strcspn(path, "/");
        if (n >= sizeof name)
            return NULL;
        memcpy(name, path, n);
        name[n] = 0;
        at = json_object_get(at, name);
        path += n + (path[n] == '/');
    }
    return at == claims ? NULL : at;
}

/* A claim as text, copied into the request arena: a string, or a number written out (a BSN
 * may arrive as one); NULL else. A BSN with a sector prefix ("s00000000:") loses it; another
 * sector is refused (NULL). */
static const char *claim_text(omk_req *req, json_t *claims, const char *path)
{
    json_t *v = claim(claims, path);
    if (json_is_integer(v))
        return omk_arena_printf(omk_req_arena(req), "%lld", (long long)json_integer_value(v));
    const char *s = json_string_value(v);
    if (s && s[0] == 's' && strlen(s) > 10 && s[9] == ':')
        s = strncmp(s, "s00000000:", 10) == 0 ? s + 10 : NULL;
    return s && *s ? omk_arena_strdup(omk_req_arena(req), s) : NULL;
}

static bool local_path(const char *t)
{
    return t && t[0] == '/' && islower((unsigned char)t[1]) && strlen(t) < 200 &&
           !strchr(t, '\\') && !strstr(t, "//") && !strpbrk(t, "\r\n");
}

static soort soort_of_bron(const char *bron)
{
    for (int s = 0; bron && s < NSOORT; s++)
        if (strcmp(SOORTEN[s].bron, bron) == 0)
            return (soort)s;
    return NSOORT;
}

/* ---- starting a login ---- */

static omk_rc inloggen(omk_req *req)
{
    const omk_qparam *q;
    size_t nq = omk_req_query(req, &q);
    const char *naam = NULL, *terug = NULL;
    for (size_t i = 0; i < nq; i++) {
        if (strcmp(q[i].key, "soort") == 0)
            naam = q[i].value;
        else if (strcmp(q[i].key, "terug") == 0)
            terug = q[i].value;
        else
            omk_req_invalid(req, q[i].key, "unknown_parameter", "Onbekende parameter.");
    }
    soort s = NSOORT;
    for (int i = 0; naam && i < NSOORT; i++)
        if (strcmp(SOORTEN[i].naam, naam) == 0)
            s = (soort)i;
    if (s == NSOORT)
        omk_req_invalid(req, "soort", naam ? "invalid_choice" : "required",
                        "Kies medewerker, digid of eherkenning.");
    if (terug && !local_path(terug))
        omk_req_invalid(req, "terug", "invalid", "Alleen een pad op deze site.");
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    prov *p = &g.p[SOORTEN[s].prov];
    if (!p->cfg.issuer) {
        omk_req_fail(req, "niet_ingesteld",
                     s == S_MEDEWERKER ? "Inloggen met het gemeente-account is op deze server "
                                         "niet ingesteld."
                                       : "Inloggen met DigiD of eHerkenning is op deze server "
                                         "niet ingesteld.");
        return OMK_NOTFOUND;
    }
    char why[300] = "";
    json_t *meta = meta_of(p, why, sizeof why);
    if (!meta) {
        omk_log_error("oidc", "%s", why);
        omk_req_fail(req, "inlogdienst_onbereikbaar",
                     "De inlogdienst is nu niet bereikbaar. Probeer het over een paar minuten "
                     "opnieuw.");
        return OMK_UNAVAILABLE;
    }
    pending e = {.soort = s, .at_ms = omk_now_ms()};
    unsigned char rnd[48];
    randombytes_buf(rnd, sizeof rnd);
    omk_rc rc = omk_b64url_encode(rnd, 24, e.state, sizeof e.state);
    if (!rc)
        rc = omk_b64url_encode(rnd + 24, 24, e.nonce, sizeof e.nonce);
    randombytes_buf(rnd, sizeof rnd);
    if (!rc)
        rc = omk_b64url_encode(rnd, 48, e.verifier, sizeof e.verifier); /* 64 chars */
    snprintf(e.terug, sizeof e.terug, "%s", terug ? terug : "");
    /* The browser keeps one binding cookie for all its pending logins (several tabs). */
    const char *cookie = omk_req_header(req, "Cookie"), *cv = NULL;
    char fresh[65];
    for (const char *c = cookie; c && (c = strstr(c, BIND_COOKIE "=")); c++)
        if ((c == cookie || c[-1] == ' ' || c[-1] == ';') &&
            strcspn(c + sizeof BIND_COOKIE, "; ") == 64 &&
            strspn(c + sizeof BIND_COOKIE, "0123456789abcdef") >= 64) {
            cv = omk_arena_strndup(omk_req_arena(req), c + sizeof BIND_COOKIE, 64);
            break;
        }
    if (!cv) {
        omk_random_hex(fresh, 32);
        cv = fresh;
    }
    omk_hash_hex(cv, 64, e.binding);
    char challenge[44];
    omk_pkce_s256(e.verifier, challenge);
    const char *ep = json_string_value(json_object_get(meta, "authorization_endpoint"));
    omk_buf b;
    omk_buf_init(&b, 8192);
    omk_buf_puts(&b, ep);
    put_param(&b, strchr(ep, '?') ? "&" : "?", "response_type", "code");
    put_param(&b, "&", "client_id", p->cfg.client_id);
    put_param(&b, "&", "redirect_uri", p->cfg.redirect_uri);
    put_param(&b, "&", "scope", p->cfg.scopes ? p->cfg.scopes : "openid");
    put_param(&b, "&", "state", e.state);
    put_param(&b, "&", "nonce", e.nonce);
    put_param(&b, "&", "code_challenge", challenge);
    put_param(&b, "&", "code_challenge_method", "S256");
    if (g.param[s]) {
        const char *eq = strchr(g.param[s], '=');
        omk_buf_printf(&b, "&%.*s=", (int)(eq - g.param[s]), g.param[s]);
        put_enc(&b, eq + 1);
    }
    const char *loc = b.rc || rc ? NULL : omk_arena_strdup(omk_req_arena(req), b.p);
    omk_buf_release(&b);
    json_decref(meta);
    if (!loc)
        return rc ? rc : OMK_NOMEM;
    pending_put(&e);
    sodium_memzero(&e, sizeof e);
    omk_req_add_header(req, "Set-Cookie",
                       omk_arena_printf(omk_req_arena(req),
                                        BIND_COOKIE "=%s; Path=" AUTH_BASE "/oidc; HttpOnly; "
                                                    "SameSite=Lax; Max-Age=%d%s",
                                        cv, PENDING_TTL_MS / 1000,
                                        strncmp(omk_req_base_url(req), "https:", 6) == 0
                                            ? "; Secure"
                                            : ""));
    omk_req_add_header(req, "Location", loc);
    omk_req_add_header(req, "Cache-Control", "no-store");
    return omk_req_reply(req, 303, "text/plain; charset=utf-8", "", 0);
}

/* ---- coming back ---- */

/* A refused login: back to its login page with the reason's code (the page says it in
 * Dutch); the reason in English in the server log. */
static omk_rc weiger(omk_req *req, soort s, const char *code, const char *why)
{
    omk_log_info("oidc", "login refused (%s): %s", code, why);
    omk_req_add_header(req, "Location",
                       omk_arena_printf(omk_req_arena(req), "%s?fout=%s",
                                        SOORTEN[s < NSOORT ? s : S_MEDEWERKER].pagina, code));
    omk_req_add_header(req, "Cache-Control", "no-store");
    return omk_req_reply(req, 303, "text/plain; charset=utf-8", "", 0);
}

static bool aud_ok(json_t *claims, const char *client_id)
{
    json_t *aud = json_object_get(claims, "aud");
    if (json_is_string(aud))
        return strcmp(json_string_value(aud), client_id) == 0;
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(aud, i, v) found |=
        json_is_string(v) && strcmp(json_string_value(v), client_id) == 0;
    /* Several audiences: the token must have been issued to us (azp). */
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    if (found && json_array_size(aud) > 1)
        return azp && strcmp(azp, client_id) == 0;
    return found;
}

/* Checks the ID token; on OMK_OK *claims holds them. Otherwise *code and why say what. */
static omk_rc check_id_token(prov *p, json_t *meta, const char *token, const char *nonce,
                             json_t **claims, const char **code, char *why, size_t n)
{
    *claims = NULL;
    bool fresh = false;
    json_t *keys = jwks_of(p, meta, false, &fresh, why, n);
    omk_rc rc = keys ? omk_jws_verify(token, keys, claims, NULL, why, n) : OMK_UNAVAILABLE;
    if (rc == OMK_NOTFOUND && !fresh) {
        /* An unknown key: the provider may have rotated its keys. */
        json_decref(keys);
        keys = jwks_of(p, meta, true, &fresh, why, n);
        rc = keys ? omk_jws_verify(token, keys, claims, NULL, why, n) : OMK_UNAVAILABLE;
    }
    json_decref(keys);
    if (rc) {
        *code = rc == OMK_NOTFOUND ? "sleutel_onbekend"
                : rc == OMK_UNAVAILABLE ? "inlogdienst_onbereikbaar"
                                        : "handtekening";
        return rc;
    }
    json_t *c = *claims;
    const char *iss = json_string_value(json_object_get(c, "iss"));
    const char *tn = json_string_value(json_object_get(c, "nonce"));
    json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
    json_t *nbf = json_object_get(c, "nbf");
    int64_t now = omk_now_ms() / 1000;
    *code = NULL;
    if (!iss || strcmp(iss, p->cfg.issuer) != 0)
        *code = "issuer", snprintf(why, n, "iss %s is not %s", iss ? iss : "-", p->cfg.issuer);
    else if (!aud_ok(c, p->cfg.client_id))
        *code = "audience", snprintf(why, n, "the token is not for client %s", p->cfg.client_id);
    else if (!json_is_integer(exp) || json_integer_value(exp) + SKEW_S < now)
        *code = "verlopen", snprintf(why, n, "the token expired (exp)");
    else if (!json_is_integer(iat) || json_integer_value(iat) - SKEW_S > now ||
             (nbf && (!json_is_integer(nbf) || json_integer_value(nbf) - SKEW_S > now)))
        *code = "verlopen", snprintf(why, n, "the token is not valid yet (iat/nbf)");
    else if (!tn || strlen(tn) != strlen(nonce) || sodium_memcmp(tn, nonce, strlen(nonce)) != 0)
        *code = "nonce", snprintf(why, n, "the nonce is not this login's (a replayed token)");
    else if (!json_string_value(json_object_get(c, "sub")))
        *code = "token", snprintf(why, n, "the token has no sub");
    if (*code) {
        json_decref(c);
        *claims = NULL;
        return OMK_INVALID;
    }
    return OMK_OK;
}

/* A staff member's role: the first configured "value=role" whose value the roles claim has. */
static const char *staff_role(json_t *claims)
{
    json_t *v = claim(claims, g.claim[C_ROLLEN]);
    for (size_t r = 0; r < g.nrollen; r++) {
        const char *eq = strchr(g.rollen[r], '=');
        size_t len = (size_t)(eq - g.rollen[r]);
        size_t i;
        json_t *x;
        bool has = json_is_string(v) && strlen(json_string_value(v)) == len &&
                   memcmp(json_string_value(v), g.rollen[r], len) == 0;
        json_array_foreach(v, i, x) has |= json_is_string(x) &&
                                           strlen(json_string_value(x)) == len &&
                                           memcmp(json_string_value(x), g.rollen[r], len) == 0;
        if (has)
            return eq + 1;
    }
    return NULL;
}

/* The configured minimum of a part on a scale, or NULL. */
static const niveau *minimum(const char *deel, int schaal)
{
    for (size_t i = 0; i < g.nminima; i++) {
        const char *s = g.minima[i].deel;
        size_t n = strlen(deel);
        if (strncmp(s, deel, n) == 0 && s[n] == '=' && g.minima[i].min->schaal == schaal)
            return g.minima[i].min;
    }
    return NULL;
}

typedef struct uitkomst {
    const char *naam, *rol, *bsn;
    omk_inlog inlog;
    const char *code; /* a refusal's code, or NULL */
    char why[300];
} uitkomst;

/* What a resident's or business's claims mean: the BSN (or whom the person acts for), the
 * KvK-nummer and vestigingsnummer, the level of assurance against the minimum to log in. */
static void burger(omk_req *req, soort s, json_t *c, uitkomst *u)
{
    omk_arena *a = omk_req_arena(req);
    const char *sub = json_string_value(json_object_get(c, "sub"));
    int schaal = s == S_DIGID ? SCHAAL_DIGID : SCHAAL_EH;
    const char *acr = claim_text(req, c, g.claim[C_NIVEAU]);
    const niveau *lvl = niveau_of(acr, schaal), *min = minimum("inloggen", schaal);
    u->inlog.niveau = acr ? acr : "";
    if (min && (!lvl || lvl->rang < min->rang)) {
        u->code = "niveau_te_laag";
        snprintf(u->why, sizeof u->why, "level %s is below %s", acr ? acr : "(none)", min->naam);
        return;
    }
    json_t *rep = json_object_get(c, "represents"); /* OpenID NLGov: acting on behalf */
    const char *rep_sub = json_string_value(json_object_get(rep, "sub"));
    const char *rep_type = json_string_value(json_object_get(rep, "sub_id_type"));
    if (s == S_DIGID) {
        const char *bsn = claim_text(req, c, g.claim[C_BSN]);
        const char *namens = claim_text(req, c, g.claim[C_NAMENS_BSN]);
        if (rep && (!rep_sub || !rep_type || !strstr(rep_type, ":BSN"))) {
            u->code = "machtiging_onbekend";
            snprintf(u->why, sizeof u->why, "represents of type %s is not supported",
                     rep_type ? rep_type : "-");
            return;
        }
        if (rep_sub)
            namens = omk_arena_strdup(a, rep_sub);
        const char *doel = namens ? namens : bsn, *fout = NULL, *fcode = NULL;
        fout = doel ? omk__check_bsn(doel, &fcode) : "no BSN claim";
        if (fout) {
            u->code = "geen_bsn";
            snprintf(u->why, sizeof u->why, "BSN claim %s: %s", g.claim[C_BSN], fout);
            return;
        }
        u->naam = omk_arena_printf(a, "digid:%s", sub);
        u->rol = "inwoner";
        u->bsn = doel;
        if (namens) {
            const char *dienst = claim_text(req, c, g.claim[C_DIENST]);
            json_t *m = json_pack("{s:s, s:s}", "soort", rep_sub ? "represents" : "digid-machtigen",
                                  "omschrijving", "U handelt namens iemand anders (machtiging).");
            if (dienst)
                json_object_set_new(m, "dienst", json_string(dienst));
            char *txt = json_dumps(m, JSON_COMPACT);
            u->inlog.machtiging = txt ? omk_arena_strdup(a, txt) : "";
            free(txt);
            json_decref(m);
        }
        return;
    }
    const char *kvk = claim_text(req, c, g.claim[C_KVK]);
    const char *fcode = NULL;
    if (!kvk || omk__check_digits(kvk, 8, &fcode)) {
        u->code = "geen_kvk";
        snprintf(u->why, sizeof u->why, "no 8-digit KvK-nummer in claim %s", g.claim[C_KVK]);
        return;
    }
    const char *vest = claim_text(req, c, g.claim[C_VESTIGING]);
    if (vest && omk__check_digits(vest, 12, &fcode))
        vest = NULL;
    const char *wie = claim_text(req, c, g.claim[C_EH_MEDEWERKER]);
    u->naam = omk_arena_printf(a, "eherkenning:%s", wie ? wie : sub);
    u->rol = "ondernemer";
    u->bsn = "";
    u->inlog.kvk = kvk;
    u->inlog.vestiging = vest ? vest : "";
}

static omk_rc terug(omk_req *req)
{
    const omk_qparam *q;
    size_t nq = omk_req_query(req, &q);
    const char *state = NULL, *code = NULL, *error = NULL, *iss = NULL;
    for (size_t i = 0; i < nq; i++) {
        if (strcmp(q[i].key, "state") == 0)
            state = q[i].value;
        else if (strcmp(q[i].key, "code") == 0)
            code = q[i].value;
        else if (strcmp(q[i].key, "error") == 0)
            error = q[i].value;
        else if (strcmp(q[i].key, "iss") == 0)
            iss = q[i].value;
    }
    pending e;
    if (!pending_take(state, binding_of(req), &e))
        return weiger(req, S_MEDEWERKER, "state",
                      "unknown, expired or foreign state (no pending login of this browser)");
    omk_req_add_header(req, "Set-Cookie",
                       BIND_COOKIE "=; Path=" AUTH_BASE "/oidc; HttpOnly; SameSite=Lax; Max-Age=0");
    soort s = e.soort;
    prov *p = &g.p[SOORTEN[s].prov];
    if (error)
        return weiger(req, s, "geweigerd", error);
    if (iss && strcmp(iss, p->cfg.issuer) != 0) /* RFC 9207: a mix-up */
        return weiger(req, s, "issuer", "the iss parameter names another provider");
    if (!code)
        return weiger(req, s, "token", "no code");
    char why[300] = "";
    json_t *meta = meta_of(p, why, sizeof why);
    if (!meta)
        return weiger(req, s, "inlogdienst_onbereikbaar", why);
    omk_buf form;
    omk_buf_init(&form, 8192);
    put_param(&form, "", "grant_type", "authorization_code");
    put_param(&form, "&", "code", code);
    put_param(&form, "&", "redirect_uri", p->cfg.redirect_uri);
    put_param(&form, "&", "code_verifier", e.verifier);
    int status = 0;
    json_t *tok = form.rc ? NULL
                          : fetch_json(json_string_value(json_object_get(meta, "token_endpoint")),
                                       form.p, p->cfg.client_id,
                                       p->cfg.client_secret ? p->cfg.client_secret : "", &status,
                                       why, sizeof why);
    omk_buf_release(&form);
    const char *id_token = json_string_value(json_object_get(tok, "id_token"));
    json_t *claims = NULL;
    const char *fcode = NULL;
    omk_rc rc = OMK_OK;
    if (!tok || status != 200 || !id_token) {
        if (tok)
            snprintf(why, sizeof why, "the token endpoint answered %d: %s", status,
                     json_string_value(json_object_get(tok, "error")) ?: "no id_token");
        fcode = "token";
    } else if (check_id_token(p, meta, id_token, e.nonce, &claims, &fcode, why, sizeof why)) {
        /* fcode set */
    }
    json_decref(meta);
    uitkomst u = {.inlog = {SOORTEN[s].bron, "", "", "", ""}};
    if (!fcode && s == S_MEDEWERKER) {
        const char *naam = claim_text(req, claims, g.claim[C_NAAM]);
        u.naam = naam ? naam : json_string_value(json_object_get(claims, "sub"));
        u.rol = staff_role(claims);
        u.bsn = "";
        if (!u.rol)
            u.code = "geen_rol", snprintf(u.why, sizeof u.why, "no role claim value is mapped");
    } else if (!fcode) {
        burger(req, s, claims, &u);
    }
    const char *id_copy = id_token ? omk_arena_strdup(omk_req_arena(req), id_token) : NULL;
    const char *naam = u.naam ? omk_arena_strdup(omk_req_arena(req), u.naam) : NULL;
    json_decref(claims);
    json_decref(tok);
    if (fcode || u.code || !naam || !id_copy) {
        sodium_memzero(&e, sizeof e);
        return weiger(req, s, fcode ? fcode : u.code ? u.code : "token", fcode ? why : u.why);
    }
    char csrf[65];
    rc = omk__auth_start(req, naam, u.rol, u.bsn, &u.inlog, id_copy, csrf);
    if (rc)
        return rc;
    omk_log_info("oidc", "%s logged in through %s as %s", naam, SOORTEN[s].naam, u.rol);
    omk_req_add_header(req, "Location", *e.terug ? e.terug : omk__auth_home_of(u.rol));
    omk_req_add_header(req, "Cache-Control", "no-store");
    sodium_memzero(&e, sizeof e);
    return omk_req_reply(req, 303, "text/plain; charset=utf-8", "", 0);
}

/* ---- what others ask ---- */

static const niveau *niveau_van(const omk_inlog *in)
{
    soort s = soort_of_bron(in->bron);
    return s == S_DIGID ? niveau_of(in->niveau, SCHAAL_DIGID)
           : s == S_EHERKENNING ? niveau_of(in->niveau, SCHAAL_EH)
                                : NULL;
}

void omk__oidc_session_json(json_t *o, const omk_inlog *in)
{
    if (!o || !in)
        return;
    json_object_set_new(o, "inlogmethode", json_string(in->bron));
    const niveau *lvl = niveau_van(in);
    if (*in->niveau)
        json_object_set_new(o, "betrouwbaarheidsniveau",
                            json_pack("{s:s, s:s?}", "waarde", in->niveau, "naam",
                                      lvl ? lvl->weergave : NULL));
    if (*in->kvk)
        json_object_set_new(o, "kvkNummer", json_string(in->kvk));
    if (*in->vestiging)
        json_object_set_new(o, "vestigingsnummer", json_string(in->vestiging));
    json_t *m = *in->machtiging ? json_loads(in->machtiging, 0, NULL) : NULL;
    if (m)
        json_object_set_new(o, "machtiging", m);
}

void omk__oidc_methoden(json_t *o)
{
    json_object_set_new(o, "medewerker", json_boolean(g.p[P_MEDEWERKER].cfg.issuer != NULL));
    json_object_set_new(o, "digid", json_boolean(g.p[P_BROKER].cfg.issuer != NULL));
    json_object_set_new(o, "eherkenning", json_boolean(g.p[P_BROKER].cfg.issuer != NULL));
}

const char *omk__oidc_logout_url(omk_req *req, const char *bron, const char *id_token)
{
    soort s = soort_of_bron(bron);
    if (s == NSOORT)
        return NULL;
    prov *p = &g.p[SOORTEN[s].prov];
    char why[300];
    json_t *meta = p->cfg.issuer ? meta_of(p, why, sizeof why) : NULL;
    const char *ep = json_string_value(json_object_get(meta, "end_session_endpoint"));
    const char *out = NULL;
    if (ep) {
        omk_buf b;
        omk_buf_init(&b, 32768);
        omk_buf_puts(&b, ep);
        const char *sep = strchr(ep, '?') ? "&" : "?";
        if (id_token && *id_token) {
            put_param(&b, sep, "id_token_hint", id_token);
            sep = "&";
        }
        put_param(&b, sep, "client_id", p->cfg.client_id);
        if (p->cfg.post_logout_uri)
            put_param(&b, "&", "post_logout_redirect_uri", p->cfg.post_logout_uri);
        out = b.rc ? NULL : omk_arena_strdup(omk_req_arena(req), b.p);
        omk_buf_release(&b);
    }
    json_decref(meta);
    return out;
}

omk_rc omk__niveau_vereist(omk_req *req, const char *deel)
{
    const omk_inlog *in = omk__req_inlog(req);
    soort s = in ? soort_of_bron(in->bron) : NSOORT;
    if (s != S_DIGID && s != S_EHERKENNING)
        return OMK_OK; /* a local account or the development login: no level to check */
    int schaal = s == S_DIGID ? SCHAAL_DIGID : SCHAAL_EH;
    const niveau *min = minimum(deel, schaal), *lvl = niveau_of(in->niveau, schaal);
    if (!min || (lvl && lvl->rang >= min->rang))
        return OMK_OK;
    omk_req_fail(req, "niveau_te_laag",
                 omk_arena_printf(omk_req_arena(req),
                                  "Voor dit onderdeel van Mijn Voorbeeldstad moet u inloggen met "
                                  "%s of hoger. U bent ingelogd met %s. Log uit en log opnieuw "
                                  "in met een hoger betrouwbaarheidsniveau.",
                                  min->weergave, lvl ? lvl->weergave : "een onbekend niveau"));
    return OMK_FORBIDDEN;
}

static const omk_api_info AUTH_API = {AUTH_BASE, "0.1.0", omk__openapi_auth, 0};

size_t omk__oidc_routes(omk_route *out, size_t cap)
{
    const omk_route routes[] = {
        {"GET", AUTH_BASE "/oidc/inloggen", inloggen, NULL, &AUTH_API,
         OMK_ROUTE_PUBLIC | OMK_ROUTE_PAGE, 0, NULL},
        {"GET", AUTH_BASE "/oidc/terug", terug, NULL, &AUTH_API,
         OMK_ROUTE_PUBLIC | OMK_ROUTE_PAGE, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
