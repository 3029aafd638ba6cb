/* Where clients reach the server: the base of every absolute URL it writes (pagination
 * links, `url` fields, Location headers, notification resourceUrls, problem types). A
 * configured public URL wins over anything a request says. Without one it is the request's
 * Host, or what a reverse proxy forwards (Forwarded, X-Forwarded-Host/-Proto) when, and only
 * when, the TCP peer is one of the configured trusted proxies: any other client could
 * otherwise choose the host that notifications point their subscribers to. The configuration
 * is parsed once at start-up and read-only afterwards; any worker thread may call
 * omk__origin_base. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"

#define MAX_HOST 255

static bool host_char(char c)
{
    return isalnum((unsigned char)c) || strchr(".-:[]_", c);
}

static bool host_ok(const char *h, size_t n)
{
    if (n == 0 || n > MAX_HOST)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!host_char(h[i]))
            return false;
    return true;
}

/* "http(s)://host[:port][/path]" without query, fragment or user info; trailing slashes go. */
static char *public_url(const char *u, char *why, size_t whyn)
{
    const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
                       : strncmp(u, "http://", 7) == 0 ? u + 7
                                                       : NULL;
    if (!rest) {
        snprintf(why, whyn, "--public-url must start with https:// or http://");
        return NULL;
    }
    size_t hn = strcspn(rest, "/");
    const char *path = rest + hn;
    bool ok = host_ok(rest, hn);
    for (const char *p = path; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || strchr("/-._~%!$&'()*+,;=:@", *p);
    if (!ok) {
        snprintf(why, whyn, "--public-url %s is not a base URL (scheme, host, optional path)", u);
        return NULL;
    }
    size_t n = strlen(u);
    while (n > (size_t)(path - u) && u[n - 1] == '/')
        n--;
    return strndup(u, n);
}

/* One entry of a trusted-proxy list: an IPv4 or IPv6 address, optionally /prefix. */
static bool parse_proxy(const char *s, size_t n, omk__proxy *p)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = 0;
    memset(p, 0, sizeof *p);
    if (inet_pton(AF_INET, buf, p->addr) == 1) {
        p->family = AF_INET;
        p->bits = 32;
    } else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
        p->family = AF_INET6;
        p->bits = 128;
    } else {
        return false;
    }
    if (slash) {
        char *end = NULL;
        long bits = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || bits < 0 || bits > p->bits)
            return false;
        p->bits = (int)bits;
    }
    return true;
}

omk_rc omk__addrs_parse(const char *list, omk__proxy *out, size_t cap, size_t *count,
                       const char *option, char *why, size_t whyn)
{
    *count = 0;
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p;
        p += n + (p[n] == ',');
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if (n == 0)
            continue;
        if (*count == cap) {
            snprintf(why, whyn, "%s: more than %zu entries", option, cap);
            return OMK_INVALID;
        }
        if (!parse_proxy(s, n, &out[*count])) {
            snprintf(why, whyn, "%s: %.*s is not an IP address or CIDR range", option, (int)n,
                     s);
            return OMK_INVALID;
        }
        (*count)++;
    }
    return OMK_OK;
}

omk_rc omk__origin_init(omk__origin *o, const char *url, const char *trusted, char *why,
                        size_t whyn)
{
    memset(o, 0, sizeof *o);
    if (url && *url && !(o->public_url = public_url(url, why, whyn)))
        return OMK_INVALID;
    if (omk__addrs_parse(trusted, o->proxies, OMK_MAX_PROXIES, &o->nproxies, "--trusted-proxy",
                         why, whyn)) {
        omk__origin_release(o);
        return OMK_INVALID;
    }
    return OMK_OK;
}

void omk__origin_release(omk__origin *o)
{
    free(o->public_url);
    o->public_url = NULL;
    o->nproxies = 0;
}

static bool prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)whole) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
}

bool omk__addr_of(const struct sockaddr *sa, int *family, unsigned char addr[16])
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        *family = AF_INET;
        memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    *family = IN6_IS_ADDR_V4MAPPED(a6) ? AF_INET : AF_INET6;
    memcpy(addr, *family == AF_INET ? a6->s6_addr + 12 : a6->s6_addr,
           *family == AF_INET ? 4 : 16);
    return true;
}

bool omk__addrs_match(const omk__proxy *list, size_t n, int family, const unsigned char *addr)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].family == family && prefix_match(addr, list[i].addr, list[i].bits))
            return true;
    return false;
}

static const struct sockaddr *peer_of(omk_req *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

/* Whether the request's TCP peer is a trusted proxy (an IPv4-mapped IPv6 peer counts as its
 * IPv4 address). */
static bool peer_trusted(const omk__origin *o, omk_req *req)
{
    unsigned char addr[16];
    int family;
    return o->nproxies && omk__addr_of(peer_of(req), &family, addr) &&
           omk__addrs_match(o->proxies, o->nproxies, family, addr);
}

/* Whether the text s[0..n) is an IP address in the trusted proxies. */
static bool text_trusted(const omk__origin *o, const char *s, size_t n)
{
    omk__proxy p;
    return parse_proxy(s, n, &p) && p.bits == (p.family == AF_INET ? 32 : 128) &&
           omk__addrs_match(o->proxies, o->nproxies, p.family, p.addr);
}

/* An address as the key of per-address limits: "192.0.2.1"; an IPv6 address as its /64
 * ("2001:db8:1:2::/64"), since one subscriber gets a whole /64 and could otherwise take a new
 * address for every attempt. */
static const char *addr_text(omk_arena *a, int family, const unsigned char *addr)
{
    char buf[INET6_ADDRSTRLEN];
    unsigned char net[16];
    if (family == AF_INET6) {
        memcpy(net, addr, 8);
        memset(net + 8, 0, 8);
        addr = net;
    }
    if (!inet_ntop(family, addr, buf, sizeof buf))
        return "";
    return family == AF_INET6 ? omk_arena_printf(a, "%s/64", buf) : omk_arena_strdup(a, buf);
}

/* The limit key of an address in text (parse_proxy's forms, no range). */
static const char *text_key(omk_arena *a, const char *s)
{
    omk__proxy p;
    return parse_proxy(s, strlen(s), &p) ? addr_text(a, p.family, p.addr) : s;
}

/* The address in a Forwarded for= value or an X-Forwarded-For element s[0..n): the
 * brackets and a port taken off ("[2001:db8::1]:443" → "2001:db8::1"); NULL for an
 * obfuscated or unknown one. */
static const char *strip_port(omk_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '"'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"'))
        n--;
    if (n && *s == '[') {
        const char *end = memchr(s, ']', n);
        if (!end)
            return NULL;
        return omk_arena_strndup(a, s + 1, (size_t)(end - s - 1));
    }
    const char *colon = memchr(s, ':', n);
    if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1))
        n = (size_t)(colon - s); /* IPv4 with a port; more colons: an IPv6 address */
    omk__proxy p;
    return parse_proxy(s, n, &p) ? omk_arena_strndup(a, s, n) : NULL;
}

const char *omk__origin_client(const omk__origin *o, omk_req *req)
{
    unsigned char addr[16];
    int family;
    if (!omk__addr_of(peer_of(req), &family, addr))
        return "";
    const char *peer = addr_text(req->a, family, addr);
    if (!o->nproxies || !omk__addrs_match(o->proxies, o->nproxies, family, addr))
        return peer;
    /* From a trusted proxy: the last hop it names that is not itself a trusted proxy. */
    const char *fwd = omk_req_header(req, "Forwarded");
    const char *xff = omk_req_header(req, "X-Forwarded-For");
    const char *list = fwd ? fwd : xff;
    const char *client = NULL;
    for (size_t end = list ? strlen(list) : 0; end > 0;) {
        size_t start = end;
        while (start > 0 && list[start - 1] != ',')
            start--;
        const char *el = list + start;
        size_t n = end - start;
        end = start ? start - 1 : 0;
        if (fwd) { /* for=… among the element's pairs */
            const char *f = NULL;
            for (size_t i = 0; i + 4 <= n; i++)
                if (strncasecmp(el + i, "for=", 4) == 0 && (i == 0 || strchr("; \t", el[i - 1]))) {
                    f = el + i + 4;
                    break;
                }
            if (!f)
                break;
            n = strcspn(f, ";,");
            el = f;
        }
        const char *a = strip_port(req->a, el, n);
        if (!a)
            break; /* unknown or obfuscated: the proxy's own address counts */
        client = a;
        if (!text_trusted(o, a, strlen(a)))
            return text_key(req->a, a);
    }
    return client ? text_key(req->a, client) : peer;
}

/* The first element of a comma-separated header value, trimmed, in the arena. */
static const char *first_of(omk_arena *a, const char *v)
{
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strcspn(v, ",");
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n ? omk_arena_strndup(a, v, n) : NULL;
}

/* host= and proto= of the first element of an RFC 7239 Forwarded header (values
 * are tokens or quoted strings). */
static void forwarded(omk_arena *a, const char *v, const char **host, const char **proto)
{
    const char *p = v;
    while (p && *p && *p != ',') {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        size_t kn = strcspn(p, "=;,");
        const char *key = p;
        p += kn;
        if (*p != '=')
            continue;
        p++;
        char val[MAX_HOST + 1];
        size_t n = 0;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if (n < MAX_HOST)
                    val[n++] = *p;
            }
            if (*p == '"')
                p++;
        } else {
            for (; *p && !strchr(";, \t", *p); p++)
                if (n < MAX_HOST)
                    val[n++] = *p;
        }
        val[n] = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        if (kn == 4 && strncasecmp(key, "host", 4) == 0 && !*host)
            *host = omk_arena_strdup(a, val);
        else if (kn == 5 && strncasecmp(key, "proto", 5) == 0 && !*proto)
            *proto = omk_arena_strdup(a, val);
    }
}

const char *omk__origin_base(const omk__origin *o, omk_req *req, int port)
{
    if (o->public_url)
        return o->public_url;
    const char *host = NULL, *proto = NULL;
    if (peer_trusted(o, req)) {
        const char *fwd = omk_req_header(req, "Forwarded");
        if (fwd)
            forwarded(req->a, fwd, &host, &proto);
        if (!host)
            host = first_of(req->a, omk_req_header(req, "X-Forwarded-Host"));
        if (!proto)
            proto = first_of(req->a, omk_req_header(req, "X-Forwarded-Proto"));
    }
    if (!host)
        host = omk_req_header(req, "Host");
    if (!proto || (strcasecmp(proto, "https") != 0 && strcasecmp(proto, "http") != 0))
        proto = "http";
    if (!host || !host_ok(host, strlen(host)))
        return omk_arena_printf(req->a, "http://localhost:%d", port);
    return omk_arena_printf(req->a, "%s://%s", strcasecmp(proto, "https") == 0 ? "https" : "http",
                            host);
}
