/* Access and purpose: the access matrix (role × API × resource × action) as one declared
 * table, bound to every route at start-up, checked before every handler; and the purpose
 * (verwerkingsactiviteit, the role acted as, the views its doelbinding allows) each
 * authorised request carries to its handler, its field rules and its Logboek records.
 * The table is immutable; any worker thread may call these. */
#include <stdio.h>
#include <string.h>

#include "omk/util.h"
#include "engine/engine.h"
#include "engine/doelbinding.h"
#include "engine/toegang.h"
#include "omk/buf.h"


static const struct {
    const char *naam;
    unsigned bit;
    const char *standaard_activiteit;
} ROLLEN[] = {
    {"kcm", OMK_ROL_KCM, "klantvraag-beantwoorden"},
    {"backoffice", OMK_ROL_BACKOFFICE, "contactverzoek-afhandelen"},
    {"redacteur", OMK_ROL_REDACTEUR, "klantvraag-beantwoorden"},
    {"manager", OMK_ROL_MANAGER, "klantvraag-beantwoorden"},
    {"beheerder", OMK_ROL_BEHEERDER, "klantgegevens-beheren"},
    {"inwoner", OMK_ROL_INWONER, "mijn-gegevens-inzien"},
    {"ondernemer", OMK_ROL_ONDERNEMER, "mijn-gegevens-inzien"},
    {"cti", OMK_ROL_CTI, "klantvraag-beantwoorden"},
    {"kanalen", OMK_ROL_KANALEN, "klantvraag-beantwoorden"},
    {"klantinteracties-lezen", OMK_ROL_KI_LEZEN, "klantvraag-beantwoorden"},
    {"klantinteracties-schrijven", OMK_ROL_KI_SCHRIJVEN, "klantvraag-beantwoorden"},
};

#define ALLE_ROLLEN_BEHALVE_INWONER                                                            \
    (OMK_ROL_KCM | OMK_ROL_BACKOFFICE | OMK_ROL_REDACTEUR | OMK_ROL_MANAGER |                  \
     OMK_ROL_BEHEERDER | OMK_ROL_CTI | OMK_ROL_KANALEN | OMK_ROL_KI_LEZEN |                    \
     OMK_ROL_KI_SCHRIJVEN)
#define IEDER_INGELOGD (ALLE_ROLLEN_BEHALVE_INWONER | OMK_ROL_INWONER | OMK_ROL_ONDERNEMER)
#define STAF (OMK_ROL_KCM | OMK_ROL_BACKOFFICE)
#define ALLES (OMK_ACTIE_LEZEN | OMK_ACTIE_AANMAKEN | OMK_ACTIE_WIJZIGEN | OMK_ACTIE_VERWIJDEREN)
#define SCHRIJVEN (OMK_ACTIE_AANMAKEN | OMK_ACTIE_WIJZIGEN)
#define L OMK_ACTIE_LEZEN
#define A OMK_ACTIE_AANMAKEN
#define W OMK_ACTIE_WIJZIGEN
#define V OMK_ACTIE_VERWIJDEREN

#define KI "/klantinteracties/api/v1"
#define KB "/kennisbank/api/v1"
#define KLB "/klantbeeld/api/v1"
#define KAN "/kanalen/api/v1"
#define AUTH "/auth/api/v1"
#define MIJN "/mijn/api/v1"
#define WP "/werkplek/api/v1"
#define AVG "/avg/api/v1"
#define ST "/sturing/api/v1"

/* The matrix. The first rule that matches a route's API, resource and action is its rule. */
static const omk_toegang_regel REGELS[] = {
    /* Outside every API and every API's own description. */
    {"", "healthz", L, OMK_ROL_PUBLIEK, "liveness for the operator's monitoring"},
    {"", "readyz", L, OMK_ROL_PUBLIEK, "readiness: whether the storage can keep writes"},
    {"", "", L, OMK_ROL_PUBLIEK, "the web UI's entry, which sends to the login"},
    {"", "kanalen/widget/omnikanaal-chat.js", L, OMK_ROL_PUBLIEK, "the chat widget's script"},
    {NULL, "openapi.json", L, OMK_ROL_PUBLIEK, "NL API Design Rules: the contract is public"},
    {NULL, "openapi.yaml", L, OMK_ROL_PUBLIEK, "NL API Design Rules: the contract is public"},

    /* Web sessions. */
    {AUTH, "login", A, OMK_ROL_PUBLIEK, "starting a session needs no session"},
    {AUTH, "dev-login", A, OMK_ROL_PUBLIEK, "the demo's resident login (off unless configured)"},
    {AUTH, "sessie", L | W, IEDER_INGELOGD, "one's own session and its purpose"},
    {AUTH, "logout", A, IEDER_INGELOGD, "ending one's own session"},
    {AUTH, "inlogmethoden", L, OMK_ROL_PUBLIEK, "the login pages show the ways to log in"},
    {AUTH, "oidc/inloggen", L, OMK_ROL_PUBLIEK,
     "starting a login at the OpenID provider or the DigiD/eHerkenning broker"},
    {AUTH, "oidc/terug", L, OMK_ROL_PUBLIEK,
     "the provider sends the browser back; state, PKCE and the ID token are checked instead"},
    {AUTH, "totp/inschrijven", A, OMK_ROL_PUBLIEK,
     "enrolling an authenticator app; the password is checked instead"},

    /* The register. Categories are configuration; deleting is for functioneel beheer and a
     * writing integration, never for the desk. */
    {KI, "categorieen", A | W | V, OMK_ROL_BEHEERDER | OMK_ROL_KI_SCHRIJVEN,
     "categories are configuration"},
    {KI, "*", L, STAF | OMK_ROL_BEHEERDER | OMK_ROL_KI_LEZEN | OMK_ROL_KI_SCHRIJVEN,
     "the desk, the back office, beheer and register clients (KISS) read the register"},
    {KI, "*", SCHRIJVEN, STAF | OMK_ROL_BEHEERDER | OMK_ROL_KI_SCHRIJVEN,
     "contacts are registered at the desk and in the back office"},
    {KI, "*", V, OMK_ROL_BEHEERDER | OMK_ROL_KI_SCHRIJVEN,
     "removing register data is beheer's (corrections, erasure)"},

    /* The kennisbank: articles are no personal data; editing is the redactie's. */
    {KB, "artikelen", L, STAF | OMK_ROL_REDACTEUR | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "every employee answers from the same articles"},
    {KB, "artikelen", A | W | V, OMK_ROL_REDACTEUR, "the redactie keeps the articles"},
    {KB, "artikelen/versies", L, OMK_ROL_REDACTEUR, "the redactie's history"},
    {KB, "artikelen/weergave", L,
     STAF | OMK_ROL_REDACTEUR | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER, "an article per channel"},
    {KB, "_zoek", L, STAF | OMK_ROL_REDACTEUR | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "searching the articles"},
    {KB, "gebruik", L, STAF | OMK_ROL_REDACTEUR | OMK_ROL_MANAGER, "which article answered"},
    {KB, "gebruik", A, STAF, "the desk records the articles it used"},
    {KB, "rapport", L, OMK_ROL_REDACTEUR | OMK_ROL_MANAGER, "effectiveness and content gaps"},
    {KB, "reviewwachtrij", L, OMK_ROL_REDACTEUR, "the redactie's review queue"},
    {KB, "synoniemen", L, OMK_ROL_KCM | OMK_ROL_REDACTEUR | OMK_ROL_BEHEERDER,
     "the municipality's search synonyms; the desk sees why a search found an article"},
    {KB, "synoniemen", A | W | V, OMK_ROL_REDACTEUR | OMK_ROL_BEHEERDER,
     "the redactie keeps the search synonyms; functioneel beheer may correct them"},

    /* The klantbeeld and its Logboek. */
    {KLB, "_zoek", L, STAF | OMK_ROL_BEHEERDER | OMK_ROL_INWONER,
     "the integral view; its doelbinding narrows what each role sees; a resident only self"},
    {KLB, "bsn/_toon", L, STAF,
     "\"Toon BSN\": the whole BSN after the masked one, logged as its own action"},
    {KLB, "verwerkingen", L, OMK_ROL_INWONER | OMK_ROL_BEHEERDER,
     "a resident sees who viewed their data; the privacy officer all"},
    {KLB, "verwerkingen/_zoek", L, OMK_ROL_BEHEERDER, "the privacy officer's search by BSN"},
    {AVG, "inzage", L, OMK_ROL_BEHEERDER,
     "the privacy officer answers a request for access (AVG art. 15) with everything about a person"},
    {AVG, "bewaartermijnen", L | W, OMK_ROL_BEHEERDER,
     "the retention term of each kind of record (Archiefwet, selectielijst)"},
    {AVG, "bewaarplichten", L | A | V, OMK_ROL_BEHEERDER,
     "a legal hold on a partij or a zaak keeps its records from destruction"},
    {AVG, "vernietigingslijsten", L | A, OMK_ROL_BEHEERDER,
     "destruction lists: proposed by one officer"},
    {AVG, "vernietigingslijsten/_goedkeuren", W, OMK_ROL_BEHEERDER,
     "and approved (then carried out) or rejected by a second one"},
    {AVG, "vernietigingslijsten/_afwijzen", W, OMK_ROL_BEHEERDER,
     "and approved (then carried out) or rejected by a second one"},
    {AVG, "verzoeken", L | A, OMK_ROL_BEHEERDER,
     "requests under the AVG (art. 15-21) as tasks with their statutory term"},
    {AVG, "verzoeken/_verlengen", W, OMK_ROL_BEHEERDER,
     "extending a request's term once, within the first month (art. 12(3))"},
    {AVG, "verzoeken/_afhandelen", W, OMK_ROL_BEHEERDER, "recording the decision on a request"},
    {AVG, "verzoeken/_wissen", W, OMK_ROL_BEHEERDER,
     "carrying out an erasure request (art. 17): a preview first, then what the law allows"},
    {AVG, "verzoeken/_rectificeren", W, OMK_ROL_BEHEERDER,
     "carrying out a rectification request (art. 16) on the requester's own records"},
    {KLB, "dubbelen", L, OMK_ROL_BEHEERDER, "duplicates are functioneel beheer's"},
    {KLB, "samenvoegingen", ALLES, OMK_ROL_BEHEERDER, "merging partijen is functioneel beheer's"},

    /* The channels. */
    {KAN, "whatsapp/webhook", ALLES, OMK_ROL_PUBLIEK,
     "Meta calls it; its signature is checked instead"},
    {KAN, "chat/sessies", L | A, OMK_ROL_PUBLIEK, "a resident starts a chat on the website"},
    {KAN, "chat/sessies/berichten", L | W, OMK_ROL_PUBLIEK,
     "the resident's own chat, held by its secret"},
    {KAN, "chat/sessies/gebeurtenissen", L, OMK_ROL_PUBLIEK, "the resident's own chat events"},
    {KAN, "chat/sessies/koppelcode", L | W, OMK_ROL_PUBLIEK, "the resident continues by phone"},
    {KAN, "chat/sessies/beeindigen", L | W, OMK_ROL_PUBLIEK, "the resident ends the chat"},
    {KAN, "chat/wachtrij", L, OMK_ROL_KCM, "the KCC takes chats"},
    {KAN, "chat/sessies/toewijzen", W, OMK_ROL_KCM, "the KCC takes chats"},
    {KAN, "chat/sessies/afsluiten", W, OMK_ROL_KCM, "the KCC closes chats"},
    {KAN, "berichten", A, OMK_ROL_KANALEN, "inbound messages from a channel integration"},
    {KAN, "cti/events", A, OMK_ROL_CTI, "the telephony platform reports calls"},
    {KAN, "oproepen", L, STAF, "calls, for the desk"},
    {KAN, "gesprekken", L, STAF, "conversations, for the desk"},
    {KAN, "gesprekken/berichten", W, STAF, "answering a conversation"},
    {KAN, "bestanden", L, STAF, "attachments of conversations"},
    {KAN, "gebeurtenissen", L, STAF, "an employee's own event stream"},
    {KAN, "contactverzoeken/_escaleer", A, OMK_ROL_BEHEERDER, "running escalation by hand"},
    {KAN, "contactverzoeken", L | A | W, STAF, "hand-over and the back office's work"},
    {KAN, "contactverzoeken/afhandelen", W, STAF, "closing a request"},
    {KAN, "contactverzoeken/toewijzen", W, STAF, "assigning a request"},
    {KAN, "contactverzoeken/pogingen", W, STAF,
     "recording a contact attempt that did not reach the resident (the request stays open)"},
    {KAN, "contactverzoeken/oppakken", W, STAF, "taking a request in hand (in behandeling)"},
    {KAN, "statistieken", L, OMK_ROL_MANAGER | STAF | OMK_ROL_BEHEERDER,
     "counts per kanaal and of contactverzoeken, no personal data: the manager's figures"},
    {KAN, "servicenormen", L, STAF | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER, "the service norms"},
    {KAN, "servicenormen", A | W | V, OMK_ROL_BEHEERDER, "setting service norms is beheer's"},
    {KAN, "werkvoorraad/_verlopen", A, OMK_ROL_BEHEERDER, "releasing idle claims by hand"},
    {KAN, "werkvoorraad", L, STAF | OMK_ROL_MANAGER,
     "the inbox of every channel; a team lead (manager) oversees it"},
    {KAN, "werkvoorraad/claimen", W, STAF, "claiming an item to answer it (one at a time)"},
    {KAN, "werkvoorraad/vrijgeven", W, STAF | OMK_ROL_MANAGER,
     "releasing a claim: the holder's own; another's only by a team lead (manager)"},
    {KAN, "werkvoorraad/overdragen", W, STAF | OMK_ROL_MANAGER,
     "hand-over by the holder, or by a team lead (manager)"},
    {KAN, "werkvoorraad/notities", W, STAF, "internal notes on an item"},
    {KAN, "werkvoorraad/antwoorden", W, STAF, "answering through the item's own channel"},
    {KAN, "werkvoorraad/afsluiten", W, STAF | OMK_ROL_MANAGER,
     "closing with the result: the holder, or a team lead (manager)"},
    {KAN, "routeringsregels/_evalueer", A, STAF | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "which team a question would go to"},
    {KAN, "routeringsregels", L, STAF | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER, "the routing rules"},
    {KAN, "routeringsregels", A | W | V, OMK_ROL_BEHEERDER | OMK_ROL_MANAGER,
     "routing is set by beheer or a team lead"},
    {KAN, "medewerkers", L, STAF | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "teams, skills and availability"},
    {KAN, "medewerkers", A | W | V, OMK_ROL_BEHEERDER | OMK_ROL_MANAGER,
     "teams, skills and availability are set by beheer or a team lead"},
    {KAN, "whatsappsjablonen", L, STAF | OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "the approved WhatsApp templates"},
    {KAN, "whatsappsjablonen", A | W | V, OMK_ROL_BEHEERDER,
     "registering templates approved by Meta is beheer's"},
    {KAN, "balie/aanmeldingen", L | A, STAF, "the balie's queue"},
    {KAN, "balie/aanmeldingen/oproepen", W, STAF, "calling a visitor"},
    {KAN, "balie/aanmeldingen/afronden", W, STAF, "finishing a visit"},
    {KAN, "post", A, STAF | OMK_ROL_KANALEN, "registering incoming post"},
    {KAN, "koppelcodes", A, STAF, "a code to continue a conversation by phone"},
    {KAN, "koppelcodes/_gebruik", A, STAF | OMK_ROL_CTI, "the desk or the IVR uses a code"},
    {KAN, "koppelcodes/website", A, OMK_ROL_INWONER | OMK_ROL_KANALEN,
     "the website asks a code for its visitor, or a logged-in resident does"},

    /* The werkplek's contact sessions: each employee's own (another's is 404); the desk
     * registers contacts through them, linked only to a partij opened in that session. */
    {WP, "sessies", L | A | W, STAF, "an employee's own contact sessions (drafts, residents)"},
    {WP, "sessies/partijen", W, STAF, "opening a resident inside a contact"},
    {WP, "sessies/klantcontacten", W, STAF,
     "registering the contact, only for a partij of the session"},
    {WP, "sessies/betrokkenen", W, STAF,
     "a further resident of the contact, only a partij of the session"},
    {WP, "sessies/contactverzoeken", W, STAF,
     "handing over, only for a partij of the session"},
    {WP, "sessies/chat/afsluiten", W, OMK_ROL_KCM, "closing the session's chat"},
    {WP, "sessies/afronden", W, STAF, "wrap-up: for whom the contact was, or anoniem"},

    /* Steering on data: aggregates without personal data. The manager steers, beheer keeps
     * the tariffs, the teams (desk and back office) read their own figures and goals. */
    {ST, "kpis", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "KPIs from the rollups, no personal data: the manager's figures, read-only for teams"},
    {ST, "kpis/_definities", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "what each KPI means"},
    {ST, "kpis/_contacten", L, STAF | OMK_ROL_BEHEERDER,
     "the contacts behind a figure are personal data: only for a purpose that shows contacts "
     "(doelbinding), logged; the manager sees the figures only"},
    {ST, "doelen", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "SMART goals and their progress, read-only for teams"},
    {ST, "doelen", A | W | V, OMK_ROL_MANAGER, "the manager sets the goals"},
    {ST, "pdca", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF, "the goals' PDCA log"},
    {ST, "pdca", A, OMK_ROL_MANAGER, "the manager keeps the PDCA log"},
    {ST, "tarieven", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER, "cost per contact per kanaal"},
    {ST, "tarieven", W, OMK_ROL_BEHEERDER, "setting the tariffs is beheer's"},
    {ST, "webtransacties", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | OMK_ROL_KANALEN,
     "counts of web transactions per day and product (self-service share), no personal data"},
    {ST, "webtransacties", A | W | V, OMK_ROL_KANALEN,
     "the website's e-services report (and correct) their own counts"},
    {ST, "kanaalmix", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "contacts per kanaal per klantgroep and onderwerp: aggregates, read-only for teams"},
    {ST, "kanaalmixdoelen", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "the desired channel mix per klantgroep and its course per kanaal"},
    {ST, "kanaalmixdoelen", A | W | V, OMK_ROL_MANAGER, "the manager sets the channel strategy"},
    {ST, "trends", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER | STAF,
     "the trend monitor: KPIs and onderwerpen over periods, aggregates"},
    {ST, "kanaalverschuiving", L, OMK_ROL_MANAGER | OMK_ROL_BEHEERDER,
     "the channel-shift what-if uses the tariffs, which manager and beheer read"},

    /* The residents' own API. */
    {MIJN, "bedrijf", L, OMK_ROL_ONDERNEMER,
     "a business (eHerkenning) sees only its own company's contacts and requests"},
    {MIJN, "bedrijf/klantcontacten", L, OMK_ROL_ONDERNEMER,
     "a business (eHerkenning) sees only its own company's contacts and requests"},
    {MIJN, "bedrijf/contactverzoeken", L, OMK_ROL_ONDERNEMER,
     "a business (eHerkenning) sees only its own company's contacts and requests"},
    {MIJN, "*", L | W, OMK_ROL_INWONER, "a resident sees and sets only their own data"},
};

/* ---- roles ---- */

unsigned omk__rollen_van(const char *scopes, const char **unknown, size_t *unknown_len)
{
    unsigned bits = 0;
    *unknown = NULL;
    *unknown_len = 0;
    for (const char *p = scopes; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool known = false;
        if (len == 1 && *p == '*') {
            bits |= ALLE_ROLLEN_BEHALVE_INWONER;
            known = true;
        }
        for (size_t i = 0; !known && i < OMK_COUNT(ROLLEN); i++)
            if (strlen(ROLLEN[i].naam) == len && memcmp(ROLLEN[i].naam, p, len) == 0) {
                bits |= ROLLEN[i].bit;
                known = true;
            }
        if (!known && !*unknown && len) {
            *unknown = p;
            *unknown_len = len;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return bits;
}

const char *omk__activiteit_standaard(unsigned rollen)
{
    for (size_t i = 0; i < OMK_COUNT(ROLLEN); i++)
        if (rollen & ROLLEN[i].bit)
            return ROLLEN[i].standaard_activiteit;
    return "klantvraag-beantwoorden";
}

/* ---- binding routes to rules ---- */

/* The resource a route acts on: its pattern after the API base, without captured segments
 * ("/partijen/{uuid}" → "partijen", "/chat/sessies/{uuid}/berichten" →
 * "chat/sessies/berichten"). Writes at most cap bytes. */
static void resource_of(const omk_route *rt, char *out, size_t cap)
{
    const char *p = rt->pattern;
    const char *base = rt->api ? rt->api->base : "";
    size_t bn = strlen(base);
    if (bn && strncmp(p, base, bn) == 0)
        p += bn;
    size_t n = 0;
    while (*p && n + 1 < cap) {
        while (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && *p != '{') {
            if (n && n + 1 < cap)
                out[n++] = '/';
            for (size_t i = 0; i < len && n + 1 < cap; i++)
                out[n++] = p[i];
        }
        p += len;
    }
    out[n] = 0;
}

static omk_actie actie_of(const omk_route *rt, const char *resource)
{
    const char *m = rt->method;
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS"))
        return OMK_ACTIE_LEZEN; /* OPTIONS: a CORS preflight only asks what is allowed */
    if (!strcmp(m, "PUT") || !strcmp(m, "PATCH"))
        return OMK_ACTIE_WIJZIGEN;
    if (!strcmp(m, "DELETE"))
        return OMK_ACTIE_VERWIJDEREN;
    const char *last = strrchr(resource, '/');
    last = last ? last + 1 : resource;
    if ((rt->flags & OMK_ROUTE_READ) || !strncmp(last, "_zoek", 5))
        return OMK_ACTIE_LEZEN;
    return strchr(rt->pattern, '{') ? OMK_ACTIE_WIJZIGEN : OMK_ACTIE_AANMAKEN;
}

static const omk_toegang_regel *regel_voor(const char *api, const char *resource,
                                           omk_actie actie)
{
    for (size_t i = 0; i < OMK_COUNT(REGELS); i++) {
        const omk_toegang_regel *r = &REGELS[i];
        if (r->api && strcmp(r->api, api) != 0)
            continue;
        if (!r->api && !*api)
            continue;
        if (strcmp(r->resource, "*") != 0 && strcmp(r->resource, resource) != 0)
            continue;
        if (r->acties & actie)
            return r;
    }
    return NULL;
}

static const char *const ACTIE_NAAM[] = {"lezen", "aanmaken", "wijzigen", "verwijderen"};

static const char *actie_naam(omk_actie a)
{
    for (size_t i = 0; i < OMK_COUNT(ACTIE_NAAM); i++)
        if (a == 1u << i)
            return ACTIE_NAAM[i];
    return "?";
}

omk_rc omk__toegang_bind(omk_route *routes, size_t n)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; i < n; i++) {
        omk_route *rt = &routes[i];
        char res[200];
        resource_of(rt, res, sizeof res);
        const char *api = rt->api ? rt->api->base : "";
        omk_actie actie = actie_of(rt, res);
        const omk_toegang_regel *r = regel_voor(api, res, actie);
        if (!r) {
            fprintf(stderr, "omnikanaal: route %s %s heeft geen regel in de toegangsmatrix"
                            " (api %s, resource %s, actie %s)\n",
                    rt->method, rt->pattern, *api ? api : "-", res, actie_naam(actie));
            rc = OMK_INVALID;
            continue;
        }
        bool pub = (r->rollen & OMK_ROL_PUBLIEK) != 0;
        if (pub != ((rt->flags & OMK_ROUTE_PUBLIC) != 0) || (pub && r->rollen != OMK_ROL_PUBLIEK)) {
            fprintf(stderr, "omnikanaal: route %s %s: openbaar volgens %s, niet volgens %s\n",
                    rt->method, rt->pattern, pub ? "de toegangsmatrix" : "de route",
                    pub ? "de route" : "de toegangsmatrix");
            rc = OMK_INVALID;
            continue;
        }
        rt->access = r;
    }
    return rc;
}

/* ---- per request ---- */

/* What a request carries from authentication to its handler. */
typedef struct req_app {
    omk_doel doel;
    const char *activiteit; /* bound to the token or chosen in the session; NULL = default */
    omk_inlog inlog;
    bool has_inlog;
} req_app;

static req_app *app_of(omk_req *req)
{
    req_app *app = omk_req_app(req);
    if (!app) {
        app = omk_arena_alloc(omk_req_arena(req), sizeof *app);
        if (!app)
            return NULL;
        memset(app, 0, sizeof *app);
        omk_req_set_app(req, app);
    }
    return app;
}

void omk__req_set_activiteit(omk_req *req, const char *activiteit)
{
    req_app *app = app_of(req);
    if (app && activiteit && *activiteit)
        app->activiteit = omk_arena_strdup(omk_req_arena(req), activiteit);
}

void omk__req_set_inlog(omk_req *req, const omk_inlog *in)
{
    req_app *app = app_of(req);
    if (!app)
        return;
    omk_arena *a = omk_req_arena(req);
    app->inlog.bron = omk_arena_strdup(a, in->bron ? in->bron : "lokaal");
    app->inlog.niveau = omk_arena_strdup(a, in->niveau ? in->niveau : "");
    app->inlog.kvk = omk_arena_strdup(a, in->kvk ? in->kvk : "");
    app->inlog.vestiging = omk_arena_strdup(a, in->vestiging ? in->vestiging : "");
    app->inlog.machtiging = omk_arena_strdup(a, in->machtiging ? in->machtiging : "");
    app->has_inlog = app->inlog.bron && app->inlog.niveau && app->inlog.kvk &&
                     app->inlog.vestiging && app->inlog.machtiging;
}

const omk_inlog *omk__req_inlog(const omk_req *req)
{
    const req_app *app = omk_req_app(req);
    return app && app->has_inlog ? &app->inlog : NULL;
}

const omk_doel *omk__req_doel(const omk_req *req)
{
    const req_app *app = omk_req_app(req);
    return app && app->doel.activiteit ? &app->doel : NULL;
}

#define ALLE_ZICHT                                                                             \
    (OMK_ZIE_PERSOON | OMK_ZIE_ADRES | OMK_ZIE_GEHEIM_ADRES | OMK_ZIE_CONTACTEN |              \
     OMK_ZIE_INHOUD | OMK_ZIE_TAKEN | OMK_ZIE_ZAKEN | OMK_ZIE_BEDRIJF | OMK_ZIE_CONTACTGEGEVENS)

/* The role a request acts as for the Logboek: the resident, the session's role, a token's
 * first scope that has a doelbinding rule for the activity, "systeem" for a "*" token. */
static const char *rol_van(omk_req *req, unsigned rollen, const char *activiteit)
{
    if (rollen & OMK_ROL_INWONER) {
        const omk_inlog *in = omk__req_inlog(req);
        return in && *in->machtiging ? "gemachtigde" : "inwoner";
    }
    if (omk_req_has_scope(req, "*"))
        return "systeem";
    const char *rol = omk__doelbinding_rol(req, activiteit);
    if (strcmp(rol, "onbekend") != 0)
        return rol;
    for (size_t i = 0; i < OMK_COUNT(ROLLEN); i++)
        if (rollen & ROLLEN[i].bit)
            return ROLLEN[i].naam;
    return "onbekend";
}

omk_rc omk__toegang_authorize(void *ctx, omk_req *req)
{
    (void)ctx;
    const omk_route *rt = omk_req_route(req);
    const omk_toegang_regel *r = rt ? rt->access : NULL;
    const char *bsn = omk_req_subject(req);
    unsigned rollen = bsn ? OMK_ROL_INWONER : 0;
    for (size_t i = 0; !bsn && i < OMK_COUNT(ROLLEN); i++)
        if (ROLLEN[i].bit != OMK_ROL_INWONER && ROLLEN[i].bit != OMK_ROL_ONDERNEMER &&
            omk_req_has_scope(req, ROLLEN[i].naam))
            rollen |= ROLLEN[i].bit;
    /* A business only through its eHerkenning session, never a "*" token. */
    const omk_inlog *inlog = omk__req_inlog(req);
    if (!bsn && inlog && *inlog->kvk && omk_req_has_scope(req, "ondernemer"))
        rollen = OMK_ROL_ONDERNEMER;
    if (!r || !(r->rollen & rollen)) {
        omk_req_fail(req, "permission_denied",
                     "U heeft geen toestemming om deze actie uit te voeren.");
        return OMK_FORBIDDEN;
    }
    req_app *app = app_of(req);
    if (!app)
        return OMK_NOMEM;
    const char *act = bsn ? "mijn-gegevens-inzien"
                          : app->activiteit ? app->activiteit : omk__activiteit_standaard(rollen);
    app->doel.activiteit = act;
    app->doel.rollen = rollen;
    app->doel.rol = rol_van(req, rollen, act);
    if (omk_req_has_scope(req, "*") && !bsn)
        app->doel.zie = ALLE_ZICHT;
    else
        app->doel.zie = omk__doelbinding(req, act);
    return OMK_OK;
}

/* ---- the matrix for people and tests ---- */

static json_t *rollen_json(unsigned rollen)
{
    json_t *a = json_array();
    if (rollen & OMK_ROL_PUBLIEK)
        json_array_append_new(a, json_string("publiek"));
    for (size_t i = 0; i < OMK_COUNT(ROLLEN); i++)
        if (rollen & ROLLEN[i].bit)
            json_array_append_new(a, json_string(ROLLEN[i].naam));
    return a;
}

json_t *omk__toegang_json(const omk_route *routes, size_t n)
{
    json_t *rollen = json_array(), *regels = json_array(), *lijst = json_array();
    for (size_t i = 0; i < OMK_COUNT(ROLLEN); i++)
        json_array_append_new(rollen, json_string(ROLLEN[i].naam));
    for (size_t i = 0; i < OMK_COUNT(REGELS); i++) {
        const omk_toegang_regel *r = &REGELS[i];
        json_t *acties = json_array();
        for (size_t k = 0; k < OMK_COUNT(ACTIE_NAAM); k++)
            if (r->acties & (1u << k))
                json_array_append_new(acties, json_string(ACTIE_NAAM[k]));
        json_array_append_new(regels, json_pack("{s:s?, s:s, s:o, s:o, s:s}", "api", r->api,
                                                "resource", r->resource, "acties", acties,
                                                "rollen", rollen_json(r->rollen), "waarom",
                                                r->waarom));
    }
    for (size_t i = 0; i < n; i++) {
        const omk_route *rt = &routes[i];
        const omk_toegang_regel *r = rt->access;
        char res[200];
        resource_of(rt, res, sizeof res);
        json_array_append_new(
            lijst, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "method", rt->method,
                             "pattern", rt->pattern, "api", rt->api ? rt->api->base : "",
                             "resource", res, "actie", actie_naam(actie_of(rt, res)), "rollen",
                             r ? rollen_json(r->rollen) : json_array(), "stroom",
                             (rt->flags & OMK_ROUTE_STREAM) != 0));
    }
    return json_pack("{s:o, s:o, s:o}", "rollen", rollen, "regels", regels, "routes", lijst);
}

char *omk__toegang_markdown(void)
{
    omk_buf b;
    omk_buf_init(&b, 1 << 20);
    omk_buf_puts(&b, "| API | resource | acties | rollen | waarom |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < OMK_COUNT(REGELS); i++) {
        const omk_toegang_regel *r = &REGELS[i];
        omk_buf_printf(&b, "| %s | `%s` | ", !r->api ? "elke API" : *r->api ? r->api : "-",
                       *r->resource ? r->resource : "/");
        const char *sep = "";
        for (size_t k = 0; k < OMK_COUNT(ACTIE_NAAM); k++)
            if (r->acties & (1u << k)) {
                omk_buf_printf(&b, "%s%s", sep, ACTIE_NAAM[k]);
                sep = ", ";
            }
        omk_buf_puts(&b, " | ");
        sep = "";
        if (r->rollen & OMK_ROL_PUBLIEK)
            omk_buf_puts(&b, "publiek"), sep = ", ";
        for (size_t k = 0; k < OMK_COUNT(ROLLEN); k++)
            if (r->rollen & ROLLEN[k].bit) {
                omk_buf_printf(&b, "%s%s", sep, ROLLEN[k].naam);
                sep = ", ";
            }
        omk_buf_printf(&b, " | %s |\n", r->waarom);
    }
    char *out = b.rc ? NULL : omk_buf_take(&b);
    omk_buf_release(&b);
    return out;
}
