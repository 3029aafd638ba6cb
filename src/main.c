/* The omnikanaal command: parses the command line and calls into the library. Commands:
 * serve, migrate, demo, token create, logboek verify, … Exit 0 on success, 2 on bad usage,
 * 1 on failure, with a one-line message on stderr. */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "omk/api.h"
#include "omk/store_sturing.h"
#include "omk/http_client.h"
#include "omk/http.h"
#include "omk/log.h"
#include "omk/store.h"
#include "omk/util.h"

#define EXIT_USAGE 2

static const char USAGE[] =
    "Usage: omnikanaal <command> [options]\n"
    "\n"
    "Omnikanaal: one register for every customer contact of a municipality.\n"
    "\n"
    "Commands:\n"
    "  serve          serve the HTTP APIs\n"
    "  migrate        create or upgrade the database schema\n"
    "  demo           load the demo municipality (fictional residents and contacts)\n"
    "  token create   create an API token and print it\n"
    "  user create    create a web UI account (password on stdin); user voornaam sets its\n"
    "                 first name\n"
    "  kennisbank import FILE   import articles (.json or .csv)\n"
    "  kennisbank export        print all articles (--format json|csv)\n"
    "  mail-ingest    store one e-mail (RFC 5322 on stdin) as a klantcontact\n"
    "  toegang        print the access matrix: every route and the roles that may use it\n"
    "  logboek verify check the Logboek Dataverwerkingen's hash chain\n"
    "  sturing herbereken   recompute the KPI rollups from the register\n"
    "  backup --to FILE       write a consistent copy of the database (safe while serving)\n"
    "  restore --from FILE    replace the database by a backup (the server stopped)\n"
    "\n"
    "Common options:\n"
    "  --db PATH      database (default omnikanaal.db; env OMNIKANAAL_DB): a SQLite file, or\n"
    "                 a postgresql://… URL (the Klantinteracties register only, so far)\n"
    "  --min-free MIB refuse writes while the database's disk has less free (default 64;\n"
    "                 0: none; env OMNIKANAAL_MIN_FREE_MB)\n"
    "  --help         show help for a command\n"
    "\n"
    "Run 'omnikanaal <command> --help' for the options of a command.\n";

static const char USAGE_SERVE[] =
    "Usage: omnikanaal serve [--listen ADDR:PORT] [--db PATH] [--web DIR] [--threads N]\n"
    "                        [--notify URL]... [--dev-login] [--session-idle SECONDS]\n"
    "                        [--public-url URL] [--trusted-proxy IP|CIDR]...\n"
    "                        [--logboek volgen|wachten] [--demo-bronnen] [--min-free MIB]\n"
    "                        [--oidc-issuer URL ...] [--broker-issuer URL ...]\n"
    "\n"
    "Serves the APIs (/klantinteracties, /kennisbank, /klantbeeld, /kanalen, /auth, /mijn),\n"
    "/healthz and the web UI. Migrates the schema first.\n"
    "  --public-url URL    the address clients use, e.g. https://klant.gemeente.nl: the base of\n"
    "                      every absolute URL the server writes (next/previous, url fields,\n"
    "                      Location, notification resourceUrls), whatever a request's Host or\n"
    "                      forwarded headers say (env OMNIKANAAL_PUBLIC_URL). Set it in\n"
    "                      production: without it those URLs follow the Host header of each\n"
    "                      request, so any client that can reach the server chooses the host\n"
    "                      that notification subscribers are sent to\n"
    "  --trusted-proxy IP|CIDR  a reverse proxy whose Forwarded and X-Forwarded-Host/-Proto\n"
    "                      headers are believed when there is no --public-url (repeatable or\n"
    "                      comma-separated; env OMNIKANAAL_TRUSTED_PROXIES); from any other peer\n"
    "                      those headers are ignored\n"
    "  --web DIR           the web UI's files (default ./web when it exists; env OMNIKANAAL_WEB)\n"
    "  --dev-login         allow the development login for residents (a stand-in for DigiD:\n"
    "                      anyone can log in as any BSN; never in production)\n"
    "  --demo-bronnen      serve FICTIONAL source systems for the demo: a second server on a\n"
    "                      free loopback port answers as the BRP (Haal Centraal), the Zaken\n"
    "                      API and the KvK in their official shapes, with made-up persons,\n"
    "                      zaken and businesses for the demo's partijen (test BSNs 9999xxxxx\n"
    "                      only), and the klantbeeld asks it for every source not configured\n"
    "                      below; the klantbeeld and the werkplek say the data is fictional\n"
    "                      (env OMNIKANAAL_DEMO_BRONNEN=1; never in production)\n"
    "  --session-idle SEC  end a web session after this many idle seconds (default 1800)\n"
    "Log-in through OpenID Connect (docs/inloggen.md); each option also from its variable:\n"
    "  --oidc-issuer URL   staff: the municipality's OpenID provider (OMNIKANAAL_OIDC_ISSUER)\n"
    "  --oidc-client-id ID, --oidc-redirect URL, --oidc-scopes \"openid ...\",\n"
    "  --oidc-logout-redirect URL   its client; the secret only from the environment:\n"
    "                      OMNIKANAAL_OIDC_CLIENT_SECRET\n"
    "  --oidc-rol WAARDE=ROL  a value of the roles claim that gives a role (repeatable)\n"
    "  --oidc-claim NAAM=CLAIM  which claim holds naam, rollen, bsn, namens-bsn, dienst, kvk,\n"
    "                      vestiging, eh-medewerker or niveau (repeatable; nested: a/b)\n"
    "  --broker-issuer URL residents (DigiD) and businesses (eHerkenning): the broker\n"
    "  --broker-client-id ID, --broker-redirect URL, --broker-scopes S,\n"
    "  --broker-logout-redirect URL; secret: OMNIKANAAL_BROKER_CLIENT_SECRET\n"
    "  --broker-digid-param N=V, --broker-eherkenning-param N=V  added to the authorization\n"
    "                      request to choose DigiD or eHerkenning (e.g. kc_idp_hint=digid)\n"
    "  --niveau DEEL=NIVEAU  minimum level of assurance for logging in (inloggen) or a part of\n"
    "                      Mijn; basis|midden|substantieel|hoog, eh2|eh2+|eh3|eh4 (repeatable)\n"
    "  --min-free MIB      refuse writes (507) while the database's disk has less than this\n"
    "                      free (default 64; 0: only when SQLite finds the disk full; env\n"
    "                      OMNIKANAAL_MIN_FREE_MB); a removed, replaced or read-only\n"
    "                      database file refuses them too (503), see GET /readyz\n"
    "  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; env OMNIKANAAL_LISTEN)\n"
    "  --db PATH           database (default omnikanaal.db; env OMNIKANAAL_DB)\n"
    "  --threads N         worker threads (default 4 per core; writes wait without a thread)\n"
    "  --notify URL        send notifications of changes to partijen, klantcontacten and\n"
    "                      internetaken to this callback (repeatable; env OMNIKANAAL_NOTIFY,\n"
    "                      comma-separated); undelivered messages are retried with backoff\n"
    "  --notify-auth VALUE Authorization header sent with notifications\n"
    "                      (env OMNIKANAAL_NOTIFY_AUTH)\n"
    "  --logboek MODUS     when an answer that read personal data goes out, relative to its\n"
    "                      Logboek Dataverwerkingen records (env OMNIKANAAL_LOGBOEK):\n"
    "                      volgen (default): at once, the records in the next group commit\n"
    "                      (milliseconds later; a crash in between loses them); wachten: after\n"
    "                      they are on disk (slower). Changes always commit with their records.\n"
    "                      docs/internals/logboek.md. (uit: nothing logged, for benchmarks.)\n"
    "  --doelbinding FILE  purpose-binding rules for the klantbeeld, a JSON list of\n"
    "                      {activiteit, rol, zie: [...]} replacing the defaults\n"
    "                      (env OMNIKANAAL_DOELBINDING)\n"
    "  --smtp URL          mail server for outbound mail, e.g. smtp://127.0.0.1:25 or\n"
    "                      smtps://mail.example.org:465 (env OMNIKANAAL_SMTP); without it no\n"
    "                      mail is sent\n"
    "  --smtp-user NAME    SMTP AUTH user (env OMNIKANAAL_SMTP_USER); the password only from\n"
    "                      the environment (OMNIKANAAL_SMTP_PASSWORD), never on the command\n"
    "                      line; over the network only with smtps:// or --smtp-starttls\n"
    "  --smtp-starttls     require STARTTLS on smtp:// (env OMNIKANAAL_SMTP_STARTTLS=1)\n"
    "  --mail-from ADDR    sender of outbound mail (env OMNIKANAAL_MAIL_FROM)\n"
    "  --escalatie-interval SECONDS\n"
    "                      how often overdue contactverzoeken are escalated (default 60)\n"
    "  --vernietiging-interval SECONDS\n"
    "                      how often records past their retention term are looked for; when\n"
    "                      there are, a destruction list is proposed for two officers to\n"
    "                      judge, nothing is destroyed without them (default 86400; 0: off)\n"
    "  --whatsapp-app-secret S   app secret that signs WhatsApp webhooks (X-Hub-Signature-256;\n"
    "                      env OMNIKANAAL_WHATSAPP_APP_SECRET); without it they are refused\n"
    "  --whatsapp-verify-token T token of the webhook verify handshake\n"
    "                      (env OMNIKANAAL_WHATSAPP_VERIFY_TOKEN)\n"
    "  --whatsapp-api URL  Cloud API messages endpoint for replies (env OMNIKANAAL_WHATSAPP_API)\n"
    "  --whatsapp-token T  bearer token for it (env OMNIKANAAL_WHATSAPP_TOKEN)\n"
    "  --koppelcode-geldig SECONDS  how long a koppelcode stays valid (default 600)\n"
    "  --claim-timeout SECONDS  a werkvoorraad item claimed but idle this long is released\n"
    "                      (default 900)\n"
    "  --chat-origin ORIGIN  website that embeds the chat widget, e.g.\n"
    "                      https://www.gemeente.nl (CORS; repeatable or comma-separated; env\n"
    "                      OMNIKANAAL_CHAT_ORIGIN); a browser on any other site is refused\n"
    "  --outbound-webhook URL  replies on other channels are POSTed here\n"
    "                      (env OMNIKANAAL_OUTBOUND_WEBHOOK)\n"
    "Limits (docs/limieten.md; each also as env OMNIKANAAL_<NAME>, e.g.\n"
    "OMNIKANAAL_MAX_CONNECTIONS):\n"
    "  --max-connections N  open connections at most, all clients together (default: what\n"
    "                      the open-files limit leaves after 128 + 2 per thread for the\n"
    "                      server's own files and the health reserve: 864 at 1024 with 8\n"
    "                      threads)\n"
    "  --max-connections-per-address N  per client address (default 64); the health\n"
    "                      addresses and --trusted-proxy are exempt\n"
    "  --head-timeout SEC  a new connection's request head must be complete within this,\n"
    "                      however slowly it trickles, or it is closed (default 10)\n"
    "  --idle-timeout SEC  an idle connection is closed after this; a kept-alive one must send\n"
    "                      its next head within it (default 60)\n"
    "  --health-from IP|CIDR  addresses that may open connections beyond --max-connections,\n"
    "                      for health checks and monitoring (repeatable; default 127.0.0.1,::1)\n"
    "  --health-reserve N  how many (default 16)\n"
    "  --login-parallel N  password checks at once (argon2id, 64 MiB each; default half the\n"
    "                      cores, at least 2); 2 more may wait for each, a log-in past that\n"
    "                      gets 503 with Retry-After at once\n"
    "  --login-limit-address N  failed log-ins per client address and hour (default 60)\n"
    "  --login-limit-account N  failed log-ins per account and hour from addresses it never\n"
    "                      logged in from (default 20); one account and address pair also\n"
    "                      waits longer after every failure past 5 (1 s doubling to 15 min)\n"
    "  --chat-limit-address N  new chats per client address and hour (default 20); the\n"
    "                      resident's messages: 30 an hour for each\n"
    "  --chat-queue-max N  chats waiting for an employee at most (default 100)\n"
    "  --webhook-limit-address N  webhook calls per client address and hour (default 6000)\n"
    "Source systems of the klantbeeld (environment; unset = niet-geconfigureerd):\n"
    "  OMNIKANAAL_BRP_URL, OMNIKANAAL_BRP_API_KEY, OMNIKANAAL_BRP_TIMEOUT_MS\n"
    "      Haal Centraal BRP Personen base URL (POST <url>/personen), X-API-KEY, timeout\n"
    "  OMNIKANAAL_ZAKEN_URL, OMNIKANAAL_ZAKEN_CLIENT_ID, OMNIKANAAL_ZAKEN_SECRET,\n"
    "  OMNIKANAAL_ZAKEN_TIMEOUT_MS\n"
    "      ZGW Zaken API base URL (POST <url>/zaken/_zoek), JWT client id and secret, timeout\n"
    "  OMNIKANAAL_KVK_URL, OMNIKANAAL_KVK_API_KEY, OMNIKANAAL_KVK_TIMEOUT_MS\n"
    "      KvK Zoeken base URL (GET <url>/zoeken), apikey, timeout\n"
    "  Timeouts are in milliseconds (default 2000) per source.\n"
    "Stops gracefully on SIGTERM or SIGINT.\n";

static const char USAGE_MIGRATE[] =
    "Usage: omnikanaal migrate [--db PATH]\n"
    "\n"
    "Brings the database schema to the newest version this build knows.\n";

static const char USAGE_DEMO[] =
    "Usage: omnikanaal demo [--db PATH] [--seed N] [--register-only]\n"
    "\n"
    "Migrates, then loads a fictional municipality: a few hundred partijen with valid test\n"
    "BSNs, KvK numbers, digital addresses, the preferred channel of two in three residents and\n"
    "several thousand klantcontacten over all channels in the last year. The same seed gives\n"
    "the same data. 'serve --demo-bronnen' adds fictional BRP, Zaken and KvK answers about\n"
    "these residents and businesses (make demo does). --register-only loads only the\n"
    "Klantinteracties register (no kennisbank, no channels), as a PostgreSQL database takes it\n"
    "today (scripts/corpus.mjs compare-db).\n";

static const char USAGE_KB[] =
    "Usage: omnikanaal kennisbank import FILE [--skip-bad] [--db PATH]\n"
    "       omnikanaal kennisbank export [--format json|csv] [--db PATH]\n"
    "\n"
    "import  reads a JSON array of articles or a CSV file (header row with the field names\n"
    "        titel,vragen,kortAntwoord,antwoord,laag,status,doelgroep,product,trefwoorden,\n"
    "        synoniemen,afdeling,geldigVan,geldigTot,reviewdatum; lists separated by '|').\n"
    "        One transaction: a bad row is reported with its line number and nothing is\n"
    "        imported, unless --skip-bad is given.\n"
    "export  prints every article to stdout.\n";

static const char USAGE_USER[] =
    "Usage: omnikanaal user create --username NAME --role ROLE [--voornaam NAME] [--bsn BSN]\n"
    "                              [--db PATH]\n"
    "       omnikanaal user voornaam --username NAME --voornaam NAME [--db PATH]\n"
    "\n"
    "create    creates a web UI account. Reads the password (at least 8 characters) from the\n"
    "          first line of standard input and stores only its argon2id hash.\n"
    "voornaam  sets the first name of an existing account (\"\" removes it).\n"
    "  --role ROLE       kcm, backoffice, redacteur, manager, beheerder or inwoner\n"
    "  --voornaam NAME   the employee's first name, the only name a resident is shown (\"Sanne\n"
    "                    helpt u nu.\"); without one a chat says \"Een medewerker\", never the\n"
    "                    login name\n"
    "  --bsn BSN         the resident's BSN (role inwoner)\n";

static const char USAGE_MAIL[] =
    "Usage: omnikanaal mail-ingest [--db PATH] [--mail-from ADDR] < message.eml\n"
    "\n"
    "Reads one RFC 5322 message on stdin (usable as an MTA delivery command) and stores it as\n"
    "an e-mail klantcontact: threaded into its conversation by Message-ID, In-Reply-To and\n"
    "References, attachments kept as bijlagen, the sender matched to a partij by e-mail\n"
    "address. A reply joins a conversation only from one of its parties (the resident's\n"
    "address or another address of the same partij, or an address at the domain of\n"
    "--mail-from); anyone else's starts a conversation of its own. A message delivered twice\n"
    "is stored once. Prints the klantcontact's uuid.\n"
    "  --mail-from ADDR    the municipality's sender, as for serve (env OMNIKANAAL_MAIL_FROM)\n"
    "Exit 0 when stored, 1 when refused (not a message, no sender, too big).\n";

static const char USAGE_TOKEN[] =
    "Usage: omnikanaal token create --name NAME [--scopes LIST]\n"
    "                               [--verwerkingsactiviteit ID] [--db PATH]\n"
    "\n"
    "Creates an API token, stores only its hash, and prints the token (once) on stdout.\n"
    "  --name NAME     who or what uses the token (required)\n"
    "  --scopes LIST   comma-separated roles and integration scopes: kcm, backoffice,\n"
    "                  redacteur, manager, beheerder, cti (the telephony platform), kanalen\n"
    "                  (inbound channel integrations), klantinteracties-lezen,\n"
    "                  klantinteracties-schrijven (register clients such as KISS), or * (the\n"
    "                  operator's own tools: every role, every field; default). What each may\n"
    "                  do is the access matrix: 'omnikanaal toegang', docs/toegang.md.\n"
    "  --verwerkingsactiviteit ID\n"
    "                  the processing activity every request of this token acts under\n"
    "                  (doelbinding and the Logboek): klantvraag-beantwoorden,\n"
    "                  contactverzoek-afhandelen, wettelijke-taak-uitvoeren or\n"
    "                  klantgegevens-beheren (default: the first scope's usual activity)\n";

static const char USAGE_LOGBOEK[] =
    "Usage: omnikanaal logboek verify [--db PATH]\n"
    "\n"
    "Checks the Logboek Dataverwerkingen: recomputes the hash chain over every record, compares\n"
    "the chain's head (so removing the last records shows too) and the index of persons.\n"
    "Prints a summary with the head's hash (note it elsewhere to anchor the log) and exits 0;\n"
    "exits 1 with a one-line message naming the first record that does not fit (changed,\n"
    "inserted, or one before it removed). Reads only; safe while the server runs.\n";

static const char USAGE_STURING[] =
    "Usage: omnikanaal sturing herbereken [--db PATH] [--controleer] [--venster-dagen N]\n"
    "                                     [--servicelevel-seconden N] [--kort-verlaten-seconden N]\n"
    "                                     [--balie-norm-minuten N]\n"
    "\n"
    "Recomputes every KPI rollup (docs/internals/sturing.md) from the register: contacts,\n"
    "calls, chats, contactverzoeken, balie check-ins and reported web transactions. Prints\n"
    "how many rollup buckets differed from the incrementally kept ones (0: they were exact).\n"
    "With --controleer it exits 1 when any differed. Safe while the server runs (one write).\n"
    "\n"
    "The parameters are stored in the database and kept for the incremental rollups too;\n"
    "given here, they are changed first, in the same write:\n"
    "  --venster-dagen N           repeat contact / first contact resolution window (7)\n"
    "  --servicelevel-seconden N   answered within N seconds counts for the service level (30)\n"
    "  --kort-verlaten-seconden N  hung up within N seconds: a short abandon (5)\n"
    "  --balie-norm-minuten N      called to a balie desk within N minutes counts (15)\n";

static const char USAGE_BACKUP[] =
    "Usage: omnikanaal backup --to FILE [--db PATH]\n"
    "\n"
    "Writes a consistent copy of the whole database to the new file FILE: one snapshot, taken\n"
    "while the server goes on serving and writing (nothing is locked for long); every write\n"
    "acknowledged before the backup started is in it. FILE must not exist; the copy is on disk\n"
    "before the command exits 0. Restore it with 'omnikanaal restore'.\n";

static const char USAGE_RESTORE[] =
    "Usage: omnikanaal restore --from FILE [--db PATH] [--force]\n"
    "\n"
    "Replaces the database by the backup FILE, after checking that FILE is an intact database\n"
    "of Omnikanaal (integrity check, a schema this version knows; an older one is migrated when\n"
    "the server starts). Stop the server first: while the database's log file (PATH-wal)\n"
    "exists it is in use, or a server stopped uncleanly, and restore refuses unless --force.\n"
    "Check the Logboek afterwards with 'omnikanaal logboek verify'.\n";

static const char USAGE_TOEGANG[] =
    "Usage: omnikanaal toegang [--format json|markdown]\n"
    "\n"
    "Prints the access matrix as JSON (default): the roles, the rules (API x resource x action\n"
    "-> roles, with why) and every route with the roles that may use it; or the rules as a\n"
    "Markdown table (the one in docs/toegang.md). The server refuses to start when a route has\n"
    "no rule.\n";

#define MAX_NOTIFY 8
#define MAX_PAIRS 32

/* True when the environment variable is set to 1, true or yes. */
static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

typedef struct opts {
    const char *db, *listen, *name, *scopes, *notify_auth, *format, *file, *doelbinding;
    const char *activiteit, *logboek, *min_free, *to, *from;
    int min_free_mb; /* the store's reserve: 0 default, < 0 none */
    const char *web, *username, *role, *bsn, *public_url, *voornaam;
    bool set_voornaam; /* 'user voornaam' */
    char trusted_proxies[1024]; /* --trusted-proxy values, comma-separated */
    const char *smtp, *smtp_user, *mail_from, *wa_secret, *wa_verify, *wa_api, *wa_token,
        *outbound;
    int escalation_s, koppelcode_s, session_idle, claim_timeout_s;
    int vernietiging_s; /* the retention schedule's interval; -1 default, 0 off */
    int venster_dagen, servicelevel_s, kort_verlaten_s, balie_norm_min; /* sturing; 0 = keep */
    bool skip_bad, dev_login, smtp_starttls, demo_bronnen, force, controleer, register_only;
    const char *notify[MAX_NOTIFY];
    size_t nnotify;
    char health_from[1024], chat_origins[1024]; /* repeatable, comma-separated */
    int lim[11]; /* the numeric limits, in the order of LIMIT_OPTIONS */
    int threads;
    unsigned seed;
    bool help;
    /* Log-in through OpenID Connect: the providers, and the repeatable pairs. */
    omk_oidc_config oidc;
    const char *oidc_claims[MAX_PAIRS], *oidc_rollen[MAX_PAIRS], *niveaus[MAX_PAIRS];
} opts;

/* The numeric limit options of serve (docs/limieten.md): name, environment variable, range. */
enum {
    L_MAX_CONN, L_PER_ADDR, L_HEAD, L_IDLE, L_RESERVE, L_LOGIN_PAR, L_LOGIN_ADDR, L_LOGIN_ACC,
    L_CHAT_ADDR, L_CHAT_QUEUE, L_WEBHOOK
};
static const struct {
    const char *option, *env;
    int max;
} LIMIT_OPTIONS[] = {
    [L_MAX_CONN] = {"--max-connections", "OMNIKANAAL_MAX_CONNECTIONS", 1000000},
    [L_PER_ADDR] = {"--max-connections-per-address", "OMNIKANAAL_MAX_CONNECTIONS_PER_ADDRESS",
                    1000000},
    [L_HEAD] = {"--head-timeout", "OMNIKANAAL_HEAD_TIMEOUT", 3600},
    [L_IDLE] = {"--idle-timeout", "OMNIKANAAL_IDLE_TIMEOUT", 86400},
    [L_RESERVE] = {"--health-reserve", "OMNIKANAAL_HEALTH_RESERVE", 10000},
    [L_LOGIN_PAR] = {"--login-parallel", "OMNIKANAAL_LOGIN_PARALLEL", 256},
    [L_LOGIN_ADDR] = {"--login-limit-address", "OMNIKANAAL_LOGIN_LIMIT_ADDRESS", 1000000},
    [L_LOGIN_ACC] = {"--login-limit-account", "OMNIKANAAL_LOGIN_LIMIT_ACCOUNT", 1000000},
    [L_CHAT_ADDR] = {"--chat-limit-address", "OMNIKANAAL_CHAT_LIMIT_ADDRESS", 1000000},
    [L_CHAT_QUEUE] = {"--chat-queue-max", "OMNIKANAAL_CHAT_QUEUE_MAX", 1000000},
    [L_WEBHOOK] = {"--webhook-limit-address", "OMNIKANAAL_WEBHOOK_LIMIT_ADDRESS", 10000000},
};
_Static_assert(OMK_COUNT(LIMIT_OPTIONS) == sizeof ((opts *)0)->lim / sizeof(int),
               "one field per limit option");

/* The index of a limit option, or -1. */
static int limit_option(const char *a)
{
    for (size_t i = 0; i < OMK_COUNT(LIMIT_OPTIONS); i++)
        if (strcmp(a, LIMIT_OPTIONS[i].option) == 0)
            return (int)i;
    return -1;
}

/* A positive whole number up to max into *out; false when it is not one. */
static bool parse_limit(const char *v, int max, int *out)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 1 || n > max)
        return false;
    *out = (int)n;
    return true;
}

/* Appends v to a comma-separated list buffer; false when it does not fit. */
static bool list_add(char *list, size_t cap, const char *v)
{
    size_t used = strlen(list);
    if (used + strlen(v) + 2 > cap)
        return false;
    snprintf(list + used, cap - used, "%s%s", used ? "," : "", v);
    return true;
}

/* The OpenID Connect options (docs/inloggen.md), each with its environment variable. The
 * client secrets come only from the environment, never from the command line. */
static const struct {
    const char *flag, *env;
    size_t off;
} OIDC_OPTS[] = {
    {"--oidc-issuer", "OMNIKANAAL_OIDC_ISSUER", offsetof(opts, oidc.medewerker.issuer)},
    {"--oidc-client-id", "OMNIKANAAL_OIDC_CLIENT_ID", offsetof(opts, oidc.medewerker.client_id)},
    {NULL, "OMNIKANAAL_OIDC_CLIENT_SECRET", offsetof(opts, oidc.medewerker.client_secret)},
    {"--oidc-redirect", "OMNIKANAAL_OIDC_REDIRECT", offsetof(opts, oidc.medewerker.redirect_uri)},
    {"--oidc-scopes", "OMNIKANAAL_OIDC_SCOPES", offsetof(opts, oidc.medewerker.scopes)},
    {"--oidc-logout-redirect", "OMNIKANAAL_OIDC_LOGOUT_REDIRECT",
     offsetof(opts, oidc.medewerker.post_logout_uri)},
    {"--broker-issuer", "OMNIKANAAL_BROKER_ISSUER", offsetof(opts, oidc.broker.issuer)},
    {"--broker-client-id", "OMNIKANAAL_BROKER_CLIENT_ID", offsetof(opts, oidc.broker.client_id)},
    {NULL, "OMNIKANAAL_BROKER_CLIENT_SECRET", offsetof(opts, oidc.broker.client_secret)},
    {"--broker-redirect", "OMNIKANAAL_BROKER_REDIRECT", offsetof(opts, oidc.broker.redirect_uri)},
    {"--broker-scopes", "OMNIKANAAL_BROKER_SCOPES", offsetof(opts, oidc.broker.scopes)},
    {"--broker-logout-redirect", "OMNIKANAAL_BROKER_LOGOUT_REDIRECT",
     offsetof(opts, oidc.broker.post_logout_uri)},
    {"--broker-digid-param", "OMNIKANAAL_BROKER_DIGID_PARAM", offsetof(opts, oidc.digid_param)},
    {"--broker-eherkenning-param", "OMNIKANAAL_BROKER_EHERKENNING_PARAM",
     offsetof(opts, oidc.eherkenning_param)},
};

/* The repeatable NAME=VALUE options of the log-in, each also a comma-separated variable. */
static const struct {
    const char *flag, *env;
    size_t list, count;
} OIDC_LISTS[] = {
    {"--oidc-claim", "OMNIKANAAL_OIDC_CLAIMS", offsetof(opts, oidc_claims),
     offsetof(opts, oidc.nclaims)},
    {"--oidc-rol", "OMNIKANAAL_OIDC_ROLLEN", offsetof(opts, oidc_rollen),
     offsetof(opts, oidc.nrollen)},
    {"--niveau", "OMNIKANAAL_NIVEAUS", offsetof(opts, niveaus), offsetof(opts, oidc.nniveaus)},
};

/* Takes --flag v when it is one of the log-in's options: 1 taken, 0 not ours, -1 too many. */
static int oidc_opt(opts *o, const char *a, const char *v)
{
    for (size_t i = 0; i < sizeof OIDC_OPTS / sizeof OIDC_OPTS[0]; i++)
        if (OIDC_OPTS[i].flag && strcmp(a, OIDC_OPTS[i].flag) == 0) {
            *(const char **)((char *)o + OIDC_OPTS[i].off) = v;
            return 1;
        }
    for (size_t i = 0; i < sizeof OIDC_LISTS / sizeof OIDC_LISTS[0]; i++)
        if (strcmp(a, OIDC_LISTS[i].flag) == 0) {
            size_t *n = (size_t *)((char *)o + OIDC_LISTS[i].count);
            if (*n == MAX_PAIRS)
                return -1;
            ((const char **)((char *)o + OIDC_LISTS[i].list))[(*n)++] = v;
            return 1;
        }
    return 0;
}

/* Fills what the command line left open from the environment, and hands the log-in its
 * configuration. Returns 0 or EXIT_USAGE. */
static int oidc_configure(opts *o)
{
    for (size_t i = 0; i < sizeof OIDC_OPTS / sizeof OIDC_OPTS[0]; i++) {
        const char **f = (const char **)((char *)o + OIDC_OPTS[i].off);
        const char *e = getenv(OIDC_OPTS[i].env);
        if (!*f && e && *e)
            *f = e;
    }
    for (size_t i = 0; i < sizeof OIDC_LISTS / sizeof OIDC_LISTS[0]; i++) {
        size_t *n = (size_t *)((char *)o + OIDC_LISTS[i].count);
        const char **list = (const char **)((char *)o + OIDC_LISTS[i].list);
        const char *e = getenv(OIDC_LISTS[i].env);
        static char *copies[sizeof OIDC_LISTS / sizeof OIDC_LISTS[0]]; /* for the process */
        char *copy = *n == 0 && e && *e && !copies[i] ? strdup(e) : NULL;
        copies[i] = copies[i] ? copies[i] : copy;
        for (char *save = NULL, *tok = copy ? strtok_r(copy, ",", &save) : NULL;
             tok && *n < MAX_PAIRS; tok = strtok_r(NULL, ",", &save))
            list[(*n)++] = tok;
    }
    o->oidc.claims = o->oidc_claims;
    o->oidc.rollen = o->oidc_rollen;
    o->oidc.niveaus = o->niveaus;
    char why[300];
    if (omk_api_oidc_configure(&o->oidc, why, sizeof why)) {
        fprintf(stderr, "omnikanaal: %s\n", why);
        return EXIT_USAGE;
    }
    return 0;
}

static int usage_error(const char *msg, const char *usage)
{
    fprintf(stderr, "omnikanaal: %s\n", msg);
    fputs(usage, stderr);
    return EXIT_USAGE;
}

/* Parses --flag VALUE pairs from argv[start..]; returns 0, or EXIT_USAGE. */
static int parse_opts(int argc, char **argv, int start, opts *o, const char *usage)
{
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
            continue;
        }
        if (strcmp(a, "--skip-bad") == 0) {
            o->skip_bad = true;
            continue;
        }
        if (strcmp(a, "--controleer") == 0 && usage == USAGE_STURING) {
            o->controleer = true;
            continue;
        }
        if (strcmp(a, "--dev-login") == 0) {
            o->dev_login = true;
            continue;
        }
        if (strcmp(a, "--register-only") == 0) {
            o->register_only = true;
            continue;
        }
        if (strcmp(a, "--demo-bronnen") == 0) {
            o->demo_bronnen = true;
            continue;
        }
        if (strcmp(a, "--smtp-starttls") == 0) {
            o->smtp_starttls = true;
            continue;
        }
        if (strcmp(a, "--force") == 0) {
            o->force = true;
            continue;
        }
        if (a[0] != '-' && !o->file) {
            o->file = a;
            continue;
        }
        if (i + 1 >= argc)
            return usage_error("missing value or unknown option", usage);
        const char *v = argv[++i];
        int taken = usage == USAGE_SERVE ? oidc_opt(o, a, v) : 0;
        if (taken < 0)
            return usage_error("too many of this option", usage);
        if (taken)
            continue;
        if (strcmp(a, "--db") == 0)
            o->db = v;
        else if (strcmp(a, "--listen") == 0)
            o->listen = v;
        else if (strcmp(a, "--name") == 0)
            o->name = v;
        else if (strcmp(a, "--scopes") == 0)
            o->scopes = v;
        else if (strcmp(a, "--verwerkingsactiviteit") == 0)
            o->activiteit = v;
        else if (strcmp(a, "--format") == 0)
            o->format = v;
        else if (strcmp(a, "--web") == 0)
            o->web = v;
        else if (strcmp(a, "--username") == 0)
            o->username = v;
        else if (strcmp(a, "--role") == 0)
            o->role = v;
        else if (strcmp(a, "--bsn") == 0)
            o->bsn = v;
        else if (strcmp(a, "--voornaam") == 0)
            o->voornaam = v;
        else if (strcmp(a, "--doelbinding") == 0)
            o->doelbinding = v;
        else if (strcmp(a, "--logboek") == 0)
            o->logboek = v;
        else if (strcmp(a, "--min-free") == 0)
            o->min_free = v;
        else if (strcmp(a, "--to") == 0)
            o->to = v;
        else if (strcmp(a, "--from") == 0)
            o->from = v;
        else if (strcmp(a, "--notify-auth") == 0)
            o->notify_auth = v;
        else if (strcmp(a, "--smtp") == 0)
            o->smtp = v;
        else if (strcmp(a, "--smtp-user") == 0)
            o->smtp_user = v;
        else if (strcmp(a, "--mail-from") == 0)
            o->mail_from = v;
        else if (strcmp(a, "--whatsapp-app-secret") == 0)
            o->wa_secret = v;
        else if (strcmp(a, "--whatsapp-verify-token") == 0)
            o->wa_verify = v;
        else if (strcmp(a, "--whatsapp-api") == 0)
            o->wa_api = v;
        else if (strcmp(a, "--whatsapp-token") == 0)
            o->wa_token = v;
        else if (strcmp(a, "--outbound-webhook") == 0)
            o->outbound = v;
        else if (strcmp(a, "--chat-origin") == 0) {
            if (!list_add(o->chat_origins, sizeof o->chat_origins, v))
                return usage_error("too many --chat-origin values", usage);
        } else if (strcmp(a, "--health-from") == 0) {
            if (!list_add(o->health_from, sizeof o->health_from, v))
                return usage_error("too many --health-from values", usage);
        } else if (limit_option(a) >= 0) {
            int k = limit_option(a);
            if (!parse_limit(v, LIMIT_OPTIONS[k].max, &o->lim[k])) {
                fprintf(stderr, "omnikanaal: %s expects a whole number from 1 to %d\n", a,
                        LIMIT_OPTIONS[k].max);
                return EXIT_USAGE;
            }
        }
        else if (strcmp(a, "--public-url") == 0)
            o->public_url = v;
        else if (strcmp(a, "--trusted-proxy") == 0) {
            size_t used = strlen(o->trusted_proxies);
            if (used + strlen(v) + 2 > sizeof o->trusted_proxies)
                return usage_error("too many --trusted-proxy values", usage);
            snprintf(o->trusted_proxies + used, sizeof o->trusted_proxies - used, "%s%s",
                     used ? "," : "", v);
        }
        else if (strcmp(a, "--notify") == 0) {
            if (o->nnotify == MAX_NOTIFY)
                return usage_error("too many --notify URLs", usage);
            o->notify[o->nnotify++] = v;
        }
        else if (usage == USAGE_STURING && (strcmp(a, "--venster-dagen") == 0 ||
                                             strcmp(a, "--servicelevel-seconden") == 0 ||
                                             strcmp(a, "--kort-verlaten-seconden") == 0 ||
                                             strcmp(a, "--balie-norm-minuten") == 0)) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 3650)
                return usage_error("expected a number from 1 to 3650", usage);
            if (a[2] == 'v')
                o->venster_dagen = (int)n;
            else if (a[2] == 's')
                o->servicelevel_s = (int)n;
            else if (a[2] == 'b')
                o->balie_norm_min = (int)n;
            else
                o->kort_verlaten_s = (int)n;
        }
        else if (strcmp(a, "--vernietiging-interval") == 0) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 0 || n > 2000000)
                return usage_error("expected a number of seconds up to 2000000", usage);
            o->vernietiging_s = (int)n;
        }
        else if (strcmp(a, "--threads") == 0 || strcmp(a, "--seed") == 0 ||
                 strcmp(a, "--session-idle") == 0 || strcmp(a, "--escalatie-interval") == 0 ||
                 strcmp(a, "--koppelcode-geldig") == 0 || strcmp(a, "--claim-timeout") == 0) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 0 || n > 100000)
                return usage_error("expected a number", usage);
            if (a[2] == 't')
                o->threads = (int)n;
            else if (strcmp(a, "--session-idle") == 0)
                o->session_idle = (int)n;
            else if (a[2] == 'e')
                o->escalation_s = (int)n;
            else if (a[2] == 'k')
                o->koppelcode_s = (int)n;
            else if (a[2] == 'c')
                o->claim_timeout_s = (int)n;
            else
                o->seed = (unsigned)n;
        } else {
            fprintf(stderr, "omnikanaal: unknown option %s\n", a);
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    return 0;
}

static omk_rc open_store_with(const opts *o, omk_store **s, bool migrate,
                              const omk_store_opts *sopts)
{
    /* Every command keeps the disk reserve (--min-free, OMNIKANAAL_MIN_FREE_MB). */
    omk_store_opts so = sopts ? *sopts : (omk_store_opts){0};
    so.min_free_mb = o->min_free_mb;
    omk_rc rc = omk_store_open(o->db, &so, s);
    if (rc) {
        fprintf(stderr, "omnikanaal: cannot open database %s: %s\n", o->db, omk_rc_name(rc));
        return rc;
    }
    if (migrate && (rc = omk_store_migrate(*s, NULL, NULL))) {
        fprintf(stderr, "omnikanaal: migrating %s failed: %s\n", o->db, omk_rc_name(rc));
        omk_store_close(*s);
        *s = NULL;
    }
    return rc;
}

static omk_rc open_store(const opts *o, omk_store **s, bool migrate)
{
    return open_store_with(o, s, migrate, NULL);
}

/* Adds the comma-separated URLs of OMNIKANAAL_NOTIFY when no --notify was given. */
static void notify_from_env(opts *o, char *env)
{
    for (char *save = NULL, *tok = env ? strtok_r(env, ",", &save) : NULL;
         tok && o->nnotify < MAX_NOTIFY; tok = strtok_r(NULL, ",", &save))
        if (*tok)
            o->notify[o->nnotify++] = tok;
}

static int cmd_serve(opts *o)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    /* Block before any thread starts so only sigwait below receives these signals. */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A file-size limit (RLIMIT_FSIZE) is a full disk to us: the write fails with EFBIG and
     * SQLite reports the disk full (507), instead of the signal ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (!o->public_url)
        o->public_url = getenv("OMNIKANAAL_PUBLIC_URL");
    const char *trusted = o->trusted_proxies[0] ? o->trusted_proxies
                                                : getenv("OMNIKANAAL_TRUSTED_PROXIES");
    for (size_t k = 0; k < OMK_COUNT(LIMIT_OPTIONS); k++) {
        const char *e = getenv(LIMIT_OPTIONS[k].env);
        if (!o->lim[k] && e && *e && !parse_limit(e, LIMIT_OPTIONS[k].max, &o->lim[k])) {
            fprintf(stderr, "omnikanaal: %s=%s is not a whole number from 1 to %d\n",
                    LIMIT_OPTIONS[k].env, e, LIMIT_OPTIONS[k].max);
            return EXIT_USAGE;
        }
    }
    const char *health = o->health_from[0] ? o->health_from : getenv("OMNIKANAAL_HEALTH_FROM");
    omk_server_config origin = {.public_url = o->public_url, .trusted_proxies = trusted,
                                .threads = o->threads, .max_connections = o->lim[L_MAX_CONN],
                                .max_per_address = o->lim[L_PER_ADDR],
                                .head_timeout_s = o->lim[L_HEAD],
                                .idle_timeout_s = o->lim[L_IDLE], .health_from = health,
                                .health_reserve = o->lim[L_RESERVE]};
    char bad[256];
    if (omk_server_config_check(&origin, bad, sizeof bad)) {
        fprintf(stderr, "omnikanaal: %s\n", bad);
        return EXIT_USAGE;
    }
    if (oidc_configure(o))
        return EXIT_USAGE;
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    static char env_copy[4096];
    const char *env = getenv("OMNIKANAAL_NOTIFY");
    if (o->nnotify == 0 && env && strlen(env) < sizeof env_copy) {
        memcpy(env_copy, env, strlen(env) + 1);
        notify_from_env(o, env_copy);
    }
    if (!o->notify_auth)
        o->notify_auth = getenv("OMNIKANAAL_NOTIFY_AUTH");
    if (!o->doelbinding)
        o->doelbinding = getenv("OMNIKANAAL_DOELBINDING");
    if (!o->logboek)
        o->logboek = getenv("OMNIKANAAL_LOGBOEK");
    omk_rc lrc = omk_api_logboek_start(s, o->logboek && *o->logboek ? o->logboek : NULL);
    if (lrc) {
        omk_store_close(s);
        if (lrc == OMK_INVALID)
            return usage_error("--logboek must be volgen or wachten", USAGE_SERVE);
        fprintf(stderr, "omnikanaal: cannot start the Logboek: %s\n", omk_rc_name(lrc));
        return 1;
    }
    if (omk_api_klantbeeld_start(s, o->doelbinding)) {
        fprintf(stderr, "omnikanaal: cannot prepare the klantbeeld\n");
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    omk_server *bronnen = NULL;
    if ((o->demo_bronnen || env_flag("OMNIKANAAL_DEMO_BRONNEN")) &&
        omk_api_demo_bronnen_start(s, &bronnen)) {
        fprintf(stderr, "omnikanaal: cannot start the demo's fictional sources\n");
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    omk_notify_config ncfg = {o->notify, o->nnotify, o->notify_auth};
    if (omk_api_notify_start(s, &ncfg)) {
        fprintf(stderr, "omnikanaal: cannot start the notifier\n");
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    if (!o->web && getenv("OMNIKANAAL_WEB") && *getenv("OMNIKANAAL_WEB"))
        o->web = getenv("OMNIKANAAL_WEB");
    struct stat st;
    if (!o->web && stat("web/index.html", &st) == 0)
        o->web = "web";
    if (o->web && (stat(o->web, &st) != 0 || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "omnikanaal: --web %s is not a directory\n", o->web);
        omk_api_notify_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return EXIT_USAGE;
    }
    omk_auth_config acfg = {.dev_login = o->dev_login, .idle_seconds = o->session_idle};
    omk_api_auth_configure(&acfg);
    omk_login_limits llim = {.parallel = o->lim[L_LOGIN_PAR], .per_address = o->lim[L_LOGIN_ADDR],
                             .per_account = o->lim[L_LOGIN_ACC]};
    if (omk_api_login_limits_start(&llim)) {
        fprintf(stderr, "omnikanaal: cannot start the password checkers\n");
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    omk_server_config cfg = origin; /* the addresses and connection limits checked above */
    cfg.listen = o->listen;
    cfg.auth = omk_api_authenticate;
    cfg.auth_ctx = s;
    cfg.authorize = omk_api_authorize;
    cfg.web_dir = o->web;
    cfg.app = s;
    cfg.routes = omk_api_routes(&cfg.nroutes);
    if (!cfg.routes) {
        fprintf(stderr, "omnikanaal: the route table is incomplete; not starting\n");
        omk_api_login_limits_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    omk_kanalen_config kcfg = {
        .smtp = {.url = o->smtp ? o->smtp : getenv("OMNIKANAAL_SMTP"),
                 .user = o->smtp_user ? o->smtp_user : getenv("OMNIKANAAL_SMTP_USER"),
                 .password = getenv("OMNIKANAAL_SMTP_PASSWORD"),
                 .starttls = o->smtp_starttls || env_flag("OMNIKANAAL_SMTP_STARTTLS")},
        .mail_from = o->mail_from ? o->mail_from : getenv("OMNIKANAAL_MAIL_FROM"),
        .escalation_interval_s = o->escalation_s,
        .koppelcode_s = o->koppelcode_s,
        .chat_origin = o->chat_origins[0] ? o->chat_origins : getenv("OMNIKANAAL_CHAT_ORIGIN"),
        .chat_per_address = o->lim[L_CHAT_ADDR],
        .chat_queue_max = o->lim[L_CHAT_QUEUE],
        .webhook_per_address = o->lim[L_WEBHOOK],
        .claim_timeout_s = o->claim_timeout_s,
        .whatsapp_app_secret = o->wa_secret ? o->wa_secret
                                            : getenv("OMNIKANAAL_WHATSAPP_APP_SECRET"),
        .whatsapp_verify_token = o->wa_verify ? o->wa_verify
                                              : getenv("OMNIKANAAL_WHATSAPP_VERIFY_TOKEN"),
        .whatsapp_api_url = o->wa_api ? o->wa_api : getenv("OMNIKANAAL_WHATSAPP_API"),
        .whatsapp_token = o->wa_token ? o->wa_token : getenv("OMNIKANAAL_WHATSAPP_TOKEN"),
        .outbound_webhook = o->outbound ? o->outbound : getenv("OMNIKANAAL_OUTBOUND_WEBHOOK")};
    char why[200];
    if (kcfg.smtp.url && omk_smtp_check(&kcfg.smtp, why, sizeof why)) {
        fprintf(stderr, "omnikanaal: --smtp: %s\n", why);
        omk_api_login_limits_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return EXIT_USAGE;
    }
    if (omk_api_kanalen_start(s, &kcfg)) {
        fprintf(stderr, "omnikanaal: cannot start the channels\n");
        omk_api_login_limits_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    if (omk_api_sturing_start(s)) {
        fprintf(stderr, "omnikanaal: cannot start the KPI catch-up\n");
        omk_api_kanalen_stop();
        omk_api_login_limits_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    if (omk_api_avg_start(s, o->vernietiging_s < 0 ? 86400 : o->vernietiging_s)) {
        fprintf(stderr, "omnikanaal: cannot start the retention schedule\n");
        omk_api_sturing_stop();
        omk_api_kanalen_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return 1;
    }
    omk_server *srv = NULL;
    omk_rc rc = omk_server_start(&cfg, &srv);
    if (rc) {
        fprintf(stderr, "omnikanaal: cannot listen on %s: %s\n", o->listen, omk_rc_name(rc));
        omk_api_avg_stop();
        omk_api_sturing_stop();
        omk_api_kanalen_stop();
        omk_api_login_limits_stop();
        omk_api_notify_stop();
        omk_api_demo_bronnen_stop(bronnen);
        omk_api_klantbeeld_stop();
        omk_api_logboek_stop();
        omk_store_close(s);
        return rc == OMK_INVALID ? EXIT_USAGE : 1;
    }
    omk_log_info("serve", "listening on http://%s (database %s, web UI %s%s)", o->listen, o->db,
                 o->web ? o->web : "off", o->dev_login ? ", development login ON" : "");
    int sig = 0;
    sigwait(&set, &sig);
    omk_log_info("serve", "received %s, finishing in-flight requests",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
    omk_server_stop(srv);
    omk_api_login_limits_stop();
    omk_api_avg_stop();
    omk_api_sturing_stop();
    omk_api_demo_bronnen_stop(bronnen); /* after the klantbeelden that waited on it */
    omk_api_kanalen_stop();
    omk_api_notify_stop();
    omk_api_klantbeeld_stop();
    omk_api_logboek_stop();
    omk_store_close(s);
    omk_log_info("serve", "stopped");
    return 0;
}

static int cmd_migrate(const opts *o)
{
    omk_store *s = NULL;
    if (omk_store_open(o->db, NULL, &s)) {
        fprintf(stderr, "omnikanaal: cannot open database %s\n", o->db);
        return 1;
    }
    int from = 0, to = 0;
    omk_rc rc = omk_store_migrate(s, &from, &to);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: migration failed: %s\n", omk_rc_name(rc));
        return 1;
    }
    fprintf(stderr, "omnikanaal: schema at version %d (was %d)\n", to, from);
    return 0;
}

static int cmd_demo(const opts *o)
{
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    omk_rc rc = omk_api_demo_load(s, o->seed ? o->seed : 2026, o->register_only);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: loading demo data failed: %s\n", omk_rc_name(rc));
        return 1;
    }
    return 0;
}

static int cmd_token(const opts *o)
{
    if (!o->name || !*o->name)
        return usage_error("token create needs --name", USAGE_TOKEN);
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    char token[41];
    omk_rc rc = omk_api_token_create(s, o->name, o->scopes, o->activiteit, token);
    omk_store_close(s);
    if (rc == OMK_INVALID)
        return EXIT_USAGE;
    if (rc) {
        fprintf(stderr, "omnikanaal: creating the token failed: %s\n", omk_rc_name(rc));
        return 1;
    }
    printf("%s\n", token);
    return 0;
}

static int cmd_toegang(const opts *o)
{
    bool md = o->format && strcmp(o->format, "markdown") == 0;
    if (o->format && !md && strcmp(o->format, "json") != 0)
        return usage_error("--format is json or markdown", USAGE_TOEGANG);
    char *text = omk_api_access_matrix(md);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}

static int cmd_backup(const opts *o)
{
    if (!o->to)
        return usage_error("backup needs --to FILE", USAGE_BACKUP);
    omk_store *s = NULL;
    omk_store_opts sopts = {.readers = 1, .read_only = true};
    if (open_store_with(o, &s, false, &sopts))
        return 1;
    char why[512];
    omk_rc rc = omk_store_backup(s, o->to, why, sizeof why);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: backup: %s\n", *why ? why : omk_rc_name(rc));
        return 1;
    }
    fprintf(stderr, "omnikanaal: backup of %s written to %s\n", o->db, o->to);
    return 0;
}

static int cmd_restore(const opts *o)
{
    if (!o->from)
        return usage_error("restore needs --from FILE", USAGE_RESTORE);
    char why[512];
    omk_rc rc = omk_store_restore(o->from, o->db, o->force, why, sizeof why);
    if (rc) {
        fprintf(stderr, "omnikanaal: restore: %s\n", *why ? why : omk_rc_name(rc));
        return 1;
    }
    fprintf(stderr, "omnikanaal: %s restored from %s\n", o->db, o->from);
    return 0;
}

static int cmd_logboek(const opts *o)
{
    omk_store *s = NULL;
    omk_store_opts sopts = {.readers = 1, .read_only = true};
    if (open_store_with(o, &s, false, &sopts))
        return 1;
    int version = 0;
    omk_rc rc = omk_store_schema_version(s, &version);
    if (!rc && version < omk_store_schema_latest()) {
        omk_store_close(s);
        fprintf(stderr, "omnikanaal: logboek: the database is at schema %d; run 'omnikanaal "
                        "migrate' first\n", version);
        return 1;
    }
    char msg[400];
    rc = rc ? rc : omk_api_logboek_verify(s, msg, sizeof msg);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: %s\n", msg);
        return 1;
    }
    printf("%s\n", msg);
    return 0;
}

static int cmd_sturing(const opts *o)
{
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    long long gewijzigd = 0;
    omk_sturing_params p = {o->venster_dagen, o->servicelevel_s, o->kort_verlaten_s,
                            o->balie_norm_min};
    omk_rc rc = omk_store_sturing_herbereken(s, &p, &gewijzigd);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: sturing herbereken: %s\n", omk_rc_name(rc));
        return 1;
    }
    printf("KPI-rollups herberekend; %lld van de bijgehouden regels weken af\n", gewijzigd);
    return o->controleer && gewijzigd ? 1 : 0;
}

/* user voornaam: the first name residents are shown for an existing account. */
static int cmd_user_voornaam(const opts *o)
{
    if (!o->username || !*o->username || !o->voornaam)
        return usage_error("user voornaam needs --username and --voornaam", USAGE_USER);
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    omk_rc rc = omk_api_user_set_voornaam(s, o->username, o->voornaam);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: setting the first name failed: %s\n",
                rc == OMK_NOTFOUND ? "no such account" : omk_rc_name(rc));
        return 1;
    }
    fprintf(stderr, "omnikanaal: account %s: voornaam set\n", o->username);
    return 0;
}

static int cmd_user(const opts *o)
{
    if (o->voornaam && strlen(o->voornaam) > 100)
        return usage_error("--voornaam takes at most 100 characters", USAGE_USER);
    if (o->set_voornaam)
        return cmd_user_voornaam(o);
    if (!o->username || !*o->username || strlen(o->username) > 100)
        return usage_error("user create needs --username (at most 100 characters)", USAGE_USER);
    if (!omk_api_role_valid(o->role))
        return usage_error("--role must be kcm, backoffice, redacteur, manager, beheerder or "
                           "inwoner", USAGE_USER);
    bool inwoner = strcmp(o->role, "inwoner") == 0;
    if (inwoner != (o->bsn != NULL) || (o->bsn && strlen(o->bsn) != 9))
        return usage_error("--bsn (9 digits) is needed for, and only for, role inwoner",
                           USAGE_USER);
    char pw[256];
    if (!fgets(pw, sizeof pw, stdin)) {
        fprintf(stderr, "omnikanaal: no password on standard input\n");
        return 1;
    }
    pw[strcspn(pw, "\r\n")] = 0;
    if (strlen(pw) < 8) {
        fprintf(stderr, "omnikanaal: the password needs at least 8 characters\n");
        return 1;
    }
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    omk_rc rc = omk_api_user_create(s, o->username, o->role, o->bsn, o->voornaam, pw);
    omk_store_close(s);
    if (rc) {
        fprintf(stderr, "omnikanaal: creating the account failed: %s\n",
                rc == OMK_CONFLICT ? "the username is taken" : omk_rc_name(rc));
        return 1;
    }
    fprintf(stderr, "omnikanaal: account %s (%s) created\n", o->username, o->role);
    return 0;
}

static int cmd_mail_ingest(const opts *o)
{
    size_t cap = 25u << 20, n = 0;
    unsigned char *data = malloc(cap + 1);
    if (!data) {
        fprintf(stderr, "omnikanaal: out of memory\n");
        return 1;
    }
    size_t got;
    while (n <= cap && (got = fread(data + n, 1, cap + 1 - n, stdin)) > 0)
        n += got;
    if (n > cap) {
        fprintf(stderr, "omnikanaal: mail-ingest: bericht te groot (meer dan 25 MiB)\n");
        free(data);
        return 1;
    }
    /* One message: a single read connection is enough (the pool's 16 cost start-up time). */
    omk_store *s = NULL;
    omk_store_opts sopts = {.readers = 1};
    if (open_store_with(o, &s, true, &sopts)) {
        free(data);
        return 1;
    }
    omk_mail_ingest_result res = {0};
    const char *mail_from = o->mail_from ? o->mail_from : getenv("OMNIKANAAL_MAIL_FROM");
    /* The Logboek names the sender's partij; the record is written with the message. */
    omk_rc rc = omk_api_logboek_start(s, NULL);
    if (rc)
        snprintf(res.reason, sizeof res.reason, "Logboek: %s", omk_rc_name(rc));
    else
        rc = omk_api_mail_ingest(s, mail_from, data, n, &res);
    omk_api_logboek_stop();
    omk_store_close(s);
    free(data);
    if (rc) {
        fprintf(stderr, "omnikanaal: mail-ingest: %s\n", res.reason);
        return 1;
    }
    printf("%s\n", res.klantcontact);
    if (res.duplicate)
        fprintf(stderr, "omnikanaal: mail-ingest: bericht was al opgeslagen\n");
    return 0;
}

static int cmd_kennisbank(const opts *o, bool import)
{
    if (import && !o->file)
        return usage_error("kennisbank import needs a FILE", USAGE_KB);
    if (!import && o->format && strcmp(o->format, "json") && strcmp(o->format, "csv"))
        return usage_error("--format is json or csv", USAGE_KB);
    omk_store *s = NULL;
    if (open_store(o, &s, true))
        return 1;
    omk_rc rc;
    if (import) {
        size_t ok = 0, bad = 0;
        rc = omk_api_kb_import(s, o->file, o->skip_bad, &ok, &bad);
        if (!rc)
            fprintf(stderr, "omnikanaal: %zu artikelen geimporteerd, %zu overgeslagen\n", ok, bad);
        else
            fprintf(stderr, "omnikanaal: import mislukt: %s; er is niets geimporteerd\n",
                    bad ? "ongeldige regels (zie hierboven)" : omk_rc_name(rc));
    } else {
        rc = omk_api_kb_export(s, o->format && !strcmp(o->format, "csv"), stdout);
        if (rc)
            fprintf(stderr, "omnikanaal: export failed: %s\n", omk_rc_name(rc));
    }
    omk_store_close(s);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (omk_util_init()) {
        fprintf(stderr, "omnikanaal: cannot initialise the crypto library\n");
        return 1;
    }
    /* libcurl once for the process, before any thread: notifications, SMTP, the sources. */
    if (omk_http_client_init()) {
        fprintf(stderr, "omnikanaal: cannot initialise libcurl\n");
        return 1;
    }
    atexit(omk_http_client_cleanup);
    opts o = {.db = getenv("OMNIKANAAL_DB"), .listen = getenv("OMNIKANAAL_LISTEN"),
              .vernietiging_s = -1};
    if (!o.db || !*o.db)
        o.db = "omnikanaal.db";
    if (!o.listen || !*o.listen)
        o.listen = "127.0.0.1:8080";
    if (argc < 2)
        return usage_error("missing command", USAGE);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    const char *usage = strcmp(cmd, "serve") == 0     ? USAGE_SERVE
                        : strcmp(cmd, "migrate") == 0 ? USAGE_MIGRATE
                        : strcmp(cmd, "demo") == 0    ? USAGE_DEMO
                        : strcmp(cmd, "token") == 0   ? USAGE_TOKEN
                        : strcmp(cmd, "kennisbank") == 0 ? USAGE_KB
                        : strcmp(cmd, "user") == 0    ? USAGE_USER
                        : strcmp(cmd, "mail-ingest") == 0 ? USAGE_MAIL
                        : strcmp(cmd, "toegang") == 0 ? USAGE_TOEGANG
                        : strcmp(cmd, "logboek") == 0 ? USAGE_LOGBOEK
                        : strcmp(cmd, "sturing") == 0 ? USAGE_STURING
                        : strcmp(cmd, "backup") == 0  ? USAGE_BACKUP
                        : strcmp(cmd, "restore") == 0 ? USAGE_RESTORE
                                                      : NULL;
    if (!usage) {
        fprintf(stderr, "omnikanaal: unknown command '%s'\n", cmd);
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    int start = 2;
    bool kb_import = false;
    if (usage == USAGE_KB) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(usage, stdout);
            return 0;
        }
        if (argc < 3 || (strcmp(argv[2], "import") != 0 && strcmp(argv[2], "export") != 0))
            return usage_error("expected 'kennisbank import' or 'kennisbank export'", USAGE_KB);
        kb_import = strcmp(argv[2], "import") == 0;
        start = 3;
    } else if (usage == USAGE_LOGBOEK) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(usage, stdout);
            return 0;
        }
        if (argc < 3 || strcmp(argv[2], "verify") != 0)
            return usage_error("expected 'logboek verify'", USAGE_LOGBOEK);
        start = 3;
    } else if (usage == USAGE_STURING) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(usage, stdout);
            return 0;
        }
        if (argc < 3 || strcmp(argv[2], "herbereken") != 0)
            return usage_error("expected 'sturing herbereken'", USAGE_STURING);
        start = 3;
    } else if (usage == USAGE_TOKEN || usage == USAGE_USER) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(usage, stdout);
            return 0;
        }
        o.set_voornaam = usage == USAGE_USER && argc >= 3 && strcmp(argv[2], "voornaam") == 0;
        if (argc < 3 || (strcmp(argv[2], "create") != 0 && !o.set_voornaam))
            return usage_error(usage == USAGE_USER ? "expected 'user create' or 'user voornaam'"
                                                   : "expected 'token create'", usage);
        start = 3;
    }
    int rc = parse_opts(argc, argv, start, &o, usage);
    if (rc)
        return rc;
    if (!o.min_free)
        o.min_free = getenv("OMNIKANAAL_MIN_FREE_MB");
    int64_t mb = OMK_STORE_MIN_FREE_MB;
    if (o.min_free && !omk_parse_uint(o.min_free, strlen(o.min_free), &mb))
        return usage_error("--min-free takes a number of MiB (0: no reserve)", usage);
    o.min_free_mb = mb > 0 ? (int)(mb > 1 << 30 ? 1 << 30 : mb) : -1;
    if (o.help) {
        fputs(usage, stdout);
        return 0;
    }
    if (o.file && usage != USAGE_KB) {
        fprintf(stderr, "omnikanaal: unexpected argument '%s'\n", o.file);
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (usage == USAGE_SERVE)
        return cmd_serve(&o);
    if (usage == USAGE_MIGRATE)
        return cmd_migrate(&o);
    if (usage == USAGE_DEMO)
        return cmd_demo(&o);
    if (usage == USAGE_KB)
        return cmd_kennisbank(&o, kb_import);
    if (usage == USAGE_USER)
        return cmd_user(&o);
    if (usage == USAGE_MAIL)
        return cmd_mail_ingest(&o);
    if (usage == USAGE_TOEGANG)
        return cmd_toegang(&o);
    if (usage == USAGE_LOGBOEK)
        return cmd_logboek(&o);
    if (usage == USAGE_STURING)
        return cmd_sturing(&o);
    if (usage == USAGE_BACKUP)
        return cmd_backup(&o);
    if (usage == USAGE_RESTORE)
        return cmd_restore(&o);
    return cmd_token(&o);
}
