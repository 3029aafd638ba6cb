/* Identifier and address validation shared by the register's rules: BSN/RSIN elfproef,
 * digit strings, e-mail and phone formats, with the Dutch reasons the reference gives; and the
 * removal of such identifiers from free text that is kept (search queries). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "omk/buf.h"

bool omk__elfproef(const char *s)
{
    if (strlen(s) != 9)
        return false;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (s[i] - '0') * (9 - i);
    sum -= s[8] - '0';
    return sum % 11 == 0;
}

const char *omk__check_digits(const char *s, size_t len, const char **code)
{
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p)) {
            *code = "only-digits";
            return "Voer een numerieke waarde in";
        }
    if (strlen(s) != len) {
        *code = "invalid-length";
        return len == 8 ? "Waarde moet 8 tekens lang zijn"
               : len == 9 ? "Waarde moet 9 tekens lang zijn"
                          : "Waarde moet 12 tekens lang zijn";
    }
    return NULL;
}

const char *omk__check_bsn(const char *s, const char **code)
{
    const char *why = omk__check_digits(s, 9, code);
    if (why)
        return why;
    if (!omk__elfproef(s)) {
        *code = "invalid";
        return "Onjuist BSN nummer";
    }
    return NULL;
}

const char *omk__check_rsin(const char *s, const char **code)
{
    const char *why = omk__check_digits(s, 9, code);
    if (why)
        return why;
    if (!omk__elfproef(s)) {
        *code = "invalid";
        return "Onjuist RSIN nummer";
    }
    return NULL;
}

/* A pragmatic version of Django's EmailValidator: one '@', a user part of allowed
 * characters with no leading, trailing or double dots, and a domain of dot-separated labels
 * (letters, digits, hyphens, no leading/trailing hyphen) ending in a TLD of 2+ letters, or an
 * address literal in brackets. */
bool omk__email_valid(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || strlen(s) > 320)
        return false;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (p == s || p + 1 == at || p[1] == '.')
                return false;
        } else if (!(isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c) || c >= 0x80)) {
            return false;
        }
    }
    const char *d = at + 1;
    size_t dn = strlen(d);
    if (dn == 0)
        return false;
    if (d[0] == '[')
        return d[dn - 1] == ']' && dn > 2;
    const char *label = d;
    const char *last_label = d;
    for (const char *p = d;; p++) {
        if (*p == '.' || *p == 0) {
            size_t ln = (size_t)(p - label);
            if (ln == 0 || ln > 63 || label[0] == '-' || p[-1] == '-')
                return false;
            last_label = label;
            if (*p == 0)
                break;
            label = p + 1;
        } else if (!(isalnum((unsigned char)*p) || *p == '-' || (unsigned char)*p >= 0x80)) {
            return false;
        }
    }
    if (last_label == d)
        return false; /* needs at least one dot */
    size_t tn = strlen(last_label);
    if (tn < 2)
        return false;
    for (const char *p = last_label; *p; p++)
        if (isdigit((unsigned char)*p))
            return false;
    return true;
}

/* ^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$, and no 0800/0900/1400/140xx numbers. */
bool omk__phone_valid(const char *s)
{
    size_t n = strlen(s);
    bool ok = false;
    if (n == 10 && s[0] == '0' && s[1] >= '1' && s[1] <= '9') {
        ok = true;
        for (size_t i = 2; i < n; i++)
            ok = ok && isdigit((unsigned char)s[i]);
    } else if (s[0] == '+' && n >= 10 && n <= 16) {
        ok = true;
        for (size_t i = 1; i < n; i++)
            ok = ok && isdigit((unsigned char)s[i]);
    } else if (s[0] == '0' && s[1] == '0' && n >= 9 && n <= 15) {
        ok = true;
        for (size_t i = 2; i < n; i++)
            ok = ok && isdigit((unsigned char)s[i]);
    }
    if (!ok)
        return false;
    return strncmp(s, "0800", 4) != 0 && strncmp(s, "0900", 4) != 0 &&
           strncmp(s, "1400", 4) != 0 && strncmp(s, "140", 3) != 0;
}

/* Phone numbers: "(0)" trunk notes and separators go; +31 / 0031 become the national 0; other
 * countries keep their 00 prefix. Too few digits or stray characters give no key. */
static bool phone_key(const char *s, char *out, size_t cap)
{
    char digits[40];
    size_t n = 0;
    bool plus = false;
    for (const char *p = s; *p; p++) {
        if (p[0] == '(' && p[1] == '0' && p[2] == ')') {
            p += 2;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof digits)
                return false;
            digits[n++] = *p;
        } else if (*p == '+' && n == 0 && !plus) {
            plus = true;
        } else if (!strchr(" -./()\t", *p)) {
            return false;
        }
    }
    digits[n] = 0;
    const char *d = digits;
    const char *prefix = "";
    if (plus && strncmp(d, "31", 2) == 0)
        d += 2, prefix = "0";
    else if (plus)
        prefix = "00";
    else if (strncmp(d, "0031", 4) == 0)
        d += 4, prefix = "0";
    if (strlen(d) < 8)
        return false;
    int len = snprintf(out, cap, "%s%s", prefix, d);
    return len > 0 && (size_t)len < cap;
}

bool omk__contact_key(const char *soort, const char *adres, char *out, size_t cap)
{
    if (!soort || !adres)
        return false;
    if (strcmp(soort, "telefoonnummer") == 0)
        return phone_key(adres, out, cap);
    while (isspace((unsigned char)*adres))
        adres++;
    size_t n = strlen(adres);
    while (n && isspace((unsigned char)adres[n - 1]))
        n--;
    if (n == 0 || n + 1 > cap)
        return false;
    bool email = strcmp(soort, "email") == 0;
    for (size_t i = 0; i < n; i++)
        out[i] = email ? (char)tolower((unsigned char)adres[i]) : adres[i];
    out[n] = 0;
    return true;
}

/* ---- personal data in free text ---- */

static const char *const MARKERS[] = {"[e-mail]", "[bsn]", "[telefoonnummer]"};

static bool local_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || strchr("!#$%&'*+/=?^_`{|}~.-", c);
}

static bool domain_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '.' || c == '-';
}

/* Copies s to b with every "local@domain.tld" replaced by [e-mail]. Generous on purpose: what
 * looks like an address goes, valid or not. */
static void scrub_email(omk_buf *b, const char *s)
{
    const char *copied = s; /* s[copied..p) not yet written */
    for (const char *p = s; *p; p++) {
        if (*p != '@')
            continue;
        const char *l = p;
        while (l > copied && local_char((unsigned char)l[-1]))
            l--;
        const char *d = p + 1, *e = d;
        while (*e && domain_char((unsigned char)*e))
            e++;
        while (e > d && (e[-1] == '.' || e[-1] == '-'))
            e--;
        const char *dot = NULL;
        for (const char *q = d; q < e; q++)
            if (*q == '.')
                dot = q;
        if (l == p || !dot || dot == d || dot + 1 == e)
            continue;
        omk_buf_append(b, copied, (size_t)(l - copied));
        omk_buf_puts(b, MARKERS[0]);
        copied = e;
        p = e - 1;
    }
    omk_buf_puts(b, copied);
}

/* What a run of digits (with the '+' before it when `plus`) is: 1 a BSN (9 digits passing the
 * elfproef), 2 a phone number (Dutch 0 + 9 digits, or international: + or 00 and 9 to 15
 * digits), 0 neither. */
static int number_kind(const char *d, size_t n, bool plus)
{
    char nine[10];
    if (plus)
        return n >= 9 && n <= 15 ? 2 : 0;
    if (n == 10 && d[0] == '0' && d[1] != '0')
        return 2;
    if (n >= 11 && n <= 17 && d[0] == '0' && d[1] == '0')
        return 2;
    if (n == 9) {
        memcpy(nine, d, 9);
        nine[9] = 0;
        return omk__elfproef(nine) ? 1 : 0;
    }
    return 0;
}

#define MAX_GROUPS 8
#define MAX_DIGITS 24

/* Copies s to b with BSNs and phone numbers replaced by markers. A number may be written in
 * groups ("06-12345678", "+31 (0)6 1234 5678", "123.456.782"): from each group on, the longest
 * run of up to MAX_GROUPS groups (separated by at most two of " .-/()") that is a BSN or a
 * phone number is replaced; so "123456782 2 kinderen" loses the BSN and keeps the 2. */
static void scrub_numbers(omk_buf *b, const char *s)
{
    const char *p = s;
    while (*p) {
        bool plus = *p == '+' && isdigit((unsigned char)p[1]) &&
                    (p == s || !isdigit((unsigned char)p[-1]));
        if (!plus && !isdigit((unsigned char)*p)) {
            omk_buf_putc(b, *p++);
            continue;
        }
        const char *start = p, *g = plus ? p + 1 : p;
        const char *ends[MAX_GROUPS];
        size_t counts[MAX_GROUPS];
        char digits[MAX_DIGITS];
        size_t nd = 0;
        int ng = 0;
        while (ng < MAX_GROUPS) {
            const char *e = g;
            while (isdigit((unsigned char)*e) && nd < MAX_DIGITS)
                digits[nd++] = *e++;
            if (isdigit((unsigned char)*e))
                break; /* longer than any identifier: not one */
            ends[ng] = e;
            counts[ng++] = nd;
            const char *next = e;
            while (next - e < 2 && *next && strchr(" .-/()", *next))
                next++;
            if (next == e || !isdigit((unsigned char)*next))
                break;
            g = next;
        }
        int best = -1, kind = 0;
        for (int i = ng - 1; i >= 0 && best < 0; i--) {
            kind = number_kind(digits, counts[i], plus);
            if (kind)
                best = i;
        }
        if (best < 0) {
            /* Not personal data: copy its first group (the rest gets its own chance). */
            const char *e = plus ? start + 1 : start;
            while (isdigit((unsigned char)*e))
                e++;
            omk_buf_append(b, start, (size_t)(e - start));
            p = e;
            continue;
        }
        omk_buf_puts(b, MARKERS[kind]);
        p = ends[best];
    }
}

/* Whether anything but markers, spaces and punctuation is left. */
static bool has_content(const char *s)
{
    while (*s) {
        bool marker = false;
        for (size_t i = 0; i < sizeof MARKERS / sizeof MARKERS[0] && !marker; i++) {
            size_t n = strlen(MARKERS[i]);
            if (strncmp(s, MARKERS[i], n) == 0) {
                s += n;
                marker = true;
            }
        }
        if (marker)
            continue;
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
        s++;
    }
    return false;
}

omk_rc omk__scrub_personal(omk_arena *a, const char *text, const char **out)
{
    *out = NULL;
    size_t cap = 4 * strlen(text) + 64;
    omk_buf mail, all;
    omk_buf_init(&mail, cap);
    omk_buf_init(&all, cap);
    omk_buf_puts(&mail, "");
    omk_buf_puts(&all, "");
    scrub_email(&mail, text);
    if (!mail.rc)
        scrub_numbers(&all, mail.p);
    omk_rc rc = mail.rc ? mail.rc : all.rc;
    if (!rc && has_content(all.p)) {
        *out = omk_arena_strndup(a, all.p, all.n);
        rc = *out ? OMK_OK : OMK_NOMEM;
    }
    omk_buf_release(&mail);
    omk_buf_release(&all);
    return rc;
}
