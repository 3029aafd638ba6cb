/* The channels' public limits (docs/limieten.md): new chats and webhook calls per client
 * address (token buckets, in memory), and the website origins that may use the resident's
 * chat routes. Set up by omk_api_kanalen_start; any worker thread may call them. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kanalen/kanalen.h"
#include "omk/limiter.h"
#include "omk/util.h"

#define DEFAULT_CHATS 20      /* new chats per address and hour */
#define DEFAULT_WEBHOOKS 6000 /* webhook calls per address and hour */
#define MESSAGES_PER_CHAT 30  /* a resident's messages per address and hour: 30 per chat they may start */

static omk_limiter *g_chats, *g_messages, *g_webhooks;

omk_rc omk__kan_limits_start(const omk_kanalen_config *cfg)
{
    int chats = cfg->chat_per_address > 0 ? cfg->chat_per_address : DEFAULT_CHATS;
    int hooks = cfg->webhook_per_address > 0 ? cfg->webhook_per_address : DEFAULT_WEBHOOKS;
    g_chats = omk_limiter_new(4096, chats, chats);
    g_messages = omk_limiter_new(4096, (double)chats * MESSAGES_PER_CHAT,
                                 (double)chats * MESSAGES_PER_CHAT);
    g_webhooks = omk_limiter_new(1024, hooks, hooks);
    if (!g_chats || !g_messages || !g_webhooks) {
        omk__kan_limits_stop();
        return OMK_NOMEM;
    }
    return OMK_OK;
}

void omk__kan_limits_stop(void)
{
    omk_limiter_free(g_chats);
    omk_limiter_free(g_messages);
    omk_limiter_free(g_webhooks);
    g_chats = g_messages = g_webhooks = NULL;
}

static omk_rc limited(omk_req *req, omk_limiter *l, const char *code, const char *why)
{
    int wait = omk_limiter_take(l, omk_req_client(req), omk_now_ms());
    if (!wait)
        return OMK_OK;
    omk_req_retry_after(req, wait);
    omk_arena *a = omk_req_arena(req);
    omk_req_fail(req, code,
                 omk_arena_printf(a, "%s Probeer het over %d %s opnieuw.", why,
                                  wait < 120 ? wait : (wait + 59) / 60,
                                  wait < 120 ? (wait == 1 ? "seconde" : "seconden")
                                             : "minuten"));
    return OMK_RATE_LIMITED;
}

omk_rc omk__kan_limit_chat(omk_req *req)
{
    return limited(req, g_chats, "te_veel_chats",
                   "Er zijn vanaf uw adres te veel chats gestart.");
}

omk_rc omk__kan_limit_chat_message(omk_req *req)
{
    return limited(req, g_messages, "te_veel_berichten",
                   "Er zijn vanaf uw adres te veel chatberichten verstuurd.");
}

omk_rc omk__kan_limit_webhook(omk_req *req)
{
    return limited(req, g_webhooks, "te_veel_aanroepen",
                   "Te veel webhookaanroepen vanaf dit adres.");
}

/* Whether origin (scheme://host[:port]) is the start of base (the server's own address). */
static bool same_origin(const char *origin, const char *base)
{
    size_t n = strlen(origin);
    return base && strncasecmp(base, origin, n) == 0 && (base[n] == 0 || base[n] == '/');
}

/* Whether origin is one of the comma-separated list (spaces and a trailing slash ignored). */
static bool listed(const char *origin, const char *list)
{
    size_t on = strlen(origin);
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p;
        p += n + (p[n] == ',');
        while (n && *s == ' ')
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '/'))
            n--;
        if (n && n == on && strncasecmp(s, origin, n) == 0)
            return true;
    }
    return false;
}

omk_rc omk__kan_chat_origin(omk_req *req)
{
    const char *origin = omk_req_header(req, "Origin");
    if (!origin || same_origin(origin, omk_req_base_url(req)))
        return OMK_OK; /* not a page of another site */
    if (listed(origin, omk__kan_config()->chat_origin)) {
        omk_req_add_header(req, "Access-Control-Allow-Origin", origin);
        omk_req_add_header(req, "Vary", "Origin");
        return OMK_OK;
    }
    omk_req_fail(req, "herkomst_niet_toegestaan",
                 "De chat van de gemeente mag niet vanaf deze website gebruikt worden.");
    return OMK_FORBIDDEN;
}
