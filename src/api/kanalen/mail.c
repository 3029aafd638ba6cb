/* The e-mail channel: `omnikanaal mail-ingest` stores one inbound message (threaded into its
 * conversation by Message-ID, In-Reply-To and References; attachments kept as files and
 * bijlagen; the sender matched to a partij by e-mail address) as a klantcontact, and replies
 * from the werkplek go out over SMTP in the same thread (In-Reply-To/References). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "kanalen/kanalen.h"
#include "omk/http_client.h"
#include "omk/mail.h"
#include "omk/util.h"

typedef struct ingest_job {
    omk_api_ctx *ctx;
    const omk_mail *m;
    const char *gemeente; /* the municipality's mail domain (lower case), or NULL */
    omk_kan_inbound_result res;
    omk_ldv *ldv; /* the Logboek: the sender's partij, written with the message */
    omk_ldv_actie *actie;
} ingest_job;

/* Whether the sender of j's message is a party of conversation `gesprek`: the address the
 * conversation runs with, another address the register knows of the same partij, or an
 * address of the municipality (the domain of --mail-from). Anyone else who answers a message
 * of the conversation (a stranger who was sent a copy, or guessed a Message-ID) must not
 * write into a resident's conversation and Mijn-omgeving. */
static omk_rc thread_party(omk_db *db, ingest_job *j, const char *gesprek, bool *party)
{
    *party = false;
    char from[330], adres[330];
    omk_row *g = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, gesprek, j->ctx->a, &g);
    if (rc || !omk__contact_key("email", j->m->from_addr, from, sizeof from))
        return rc == OMK_NOTFOUND ? OMK_OK : rc;
    const char *known = omk_row_text(&omk__kan_gesprek, g, "adres");
    const char *at = strrchr(from, '@');
    if ((known && omk__contact_key("email", known, adres, sizeof adres) &&
         strcmp(from, adres) == 0) ||
        (j->gemeente && at && strcmp(at + 1, j->gemeente) == 0)) {
        *party = true;
        return OMK_OK;
    }
    const char *of = omk_row_text(&omk__kan_gesprek, g, "partij"), *partij = NULL;
    if (of)
        rc = omk__kan_match_partij(db, j->ctx, "email", j->m->from_addr, &partij);
    *party = !rc && partij && strcmp(partij, of) == 0;
    return rc;
}

static omk_rc ingest_write(omk_db *db, void *arg)
{
    ingest_job *j = arg;
    const omk_mail *m = j->m;
    /* The conversation: the one holding the message this answers, else any referenced one
     * (newest first), else a new one. A sender who is no party of that conversation starts
     * a new one instead (matched to a partij by their own address, as any new mail). */
    const char *gesprek = NULL;
    omk_rc rc = omk__kan_gesprek_of_message(db, j->ctx, m->in_reply_to, &gesprek);
    for (size_t i = m->nreferences; !rc && !gesprek && i > 0; i--)
        rc = omk__kan_gesprek_of_message(db, j->ctx, m->references[i - 1], &gesprek);
    bool party = true;
    if (!rc && gesprek)
        rc = thread_party(db, j, gesprek, &party);
    if (rc)
        return rc;
    if (!party)
        gesprek = NULL;
    omk_kan_bestand *files = omk_arena_alloc(j->ctx->a, (m->nattachments + 1) * sizeof *files);
    if (!files)
        return OMK_NOMEM;
    for (size_t i = 0; i < m->nattachments; i++)
        files[i] = (omk_kan_bestand){m->attachments[i].filename, m->attachments[i].content_type,
                                     m->attachments[i].data, m->attachments[i].size};
    omk_kan_inbound in = {
        .kanaal = "e-mail", .gesprek = gesprek, .adres_soort = "email", .adres = m->from_addr,
        .naam = m->from_name, .onderwerp = m->subject, .tekst = m->text,
        .message_id = m->message_id, .tijdstip_us = m->date_us, .bestanden = files,
        .nbestanden = m->nattachments, .register_contact = true, .logboek = j->actie};
    rc = omk__kan_inbound(db, j->ctx, &in, &j->res);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

omk_rc omk_api_mail_ingest(omk_store *s, const char *mail_from, const unsigned char *data,
                           size_t n, omk_mail_ingest_result *out)
{
    memset(out, 0, sizeof *out);
    omk_arena *a = omk_arena_new((size_t)OMK_MAIL_MAX_BYTES * 4);
    if (!a)
        return OMK_NOMEM;
    omk_mail m;
    omk_rc rc = omk_mail_parse(a, data, n, &m);
    if (!rc && !*m.from_addr) {
        snprintf(out->reason, sizeof out->reason, "geen afzender (From) in het bericht");
        rc = OMK_INVALID;
    }
    omk_api_ctx ctx = {.a = a, .base_url = "", .principal = "mail-ingest"};
    ingest_job j = {.ctx = &ctx, .m = &m};
    char domain[256];
    const char *at = mail_from ? strrchr(mail_from, '@') : NULL;
    if (at && at[1] && omk__contact_key("email", at + 1, domain, sizeof domain))
        j.gemeente = domain;
    if (!rc)
        rc = omk__ldv_begin_als(NULL, a, "klantvraag-beantwoorden", "systeem", &j.ldv);
    if (!rc && j.ldv && !(j.actie = omk__ldv_actie(j.ldv, "E-mail ontvangen", NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_write(s, ingest_write, &j);
    if (!rc) {
        snprintf(out->klantcontact, sizeof out->klantcontact, "%s",
                 j.res.klantcontact ? j.res.klantcontact : "");
        snprintf(out->gesprek, sizeof out->gesprek, "%s", j.res.gesprek ? j.res.gesprek : "");
        out->duplicate = j.res.duplicate;
    } else if (!*out->reason) {
        snprintf(out->reason, sizeof out->reason, "%s",
                 rc == OMK_INVALID ? "geen geldig e-mailbericht"
                 : rc == OMK_TOOBIG ? "bericht te groot" : omk_rc_name(rc));
        if (rc == OMK_INVALID && ctx.errs)
            snprintf(out->reason, sizeof out->reason, "%s: %s", ctx.errs->name, ctx.errs->reason);
    }
    omk_arena_free(a);
    return rc;
}

/* Header text without CR/LF (no header injection from a subject); RFC 2047 when not ASCII. */
static const char *header_value(omk_arena *a, const char *s)
{
    bool ascii = true;
    char *c = omk_arena_strdup(a, s ? s : "");
    for (char *p = c; p && *p; p++) {
        if (*p == '\r' || *p == '\n')
            *p = ' ';
        ascii = ascii && (unsigned char)*p < 0x80;
    }
    if (!c || ascii)
        return c ? c : "";
    static const char HEX[] = "0123456789ABCDEF";
    char *q = omk_arena_alloc(a, strlen(c) * 3 + 16);
    if (!q)
        return "";
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)c; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            q[k++] = (char)*p;
        } else if (*p == ' ') {
            q[k++] = '_';
        } else {
            q[k++] = '=';
            q[k++] = HEX[*p >> 4];
            q[k++] = HEX[*p & 15];
        }
    }
    q[k] = 0;
    return omk_arena_printf(a, "=?UTF-8?Q?%s?=", q);
}

/* The text with every line ending as CRLF, as RFC 5322 requires (and SMTP's dot-stuffing
 * expects). */
static const char *crlf_lines(omk_arena *a, const char *t)
{
    size_t n = strlen(t);
    char *out = omk_arena_alloc(a, 2 * n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\r' && t[i + 1] == '\n')
            continue; /* the \n that follows writes the pair */
        if (t[i] == '\n' || t[i] == '\r') {
            out[k++] = '\r';
            out[k++] = '\n';
        } else {
            out[k++] = t[i];
        }
    }
    out[k] = 0;
    return out;
}

/* Sends an employee's reply in an e-mail conversation over SMTP, threaded; on failure
 * err[0..errn) says why. */
static omk_rc send_reply(omk_arena *a, const omk_row *gesprek, const char *tekst,
                         const char *in_reply_to, const char *references,
                         const char **message_id, char *err, size_t errn)
{
    const omk_kanalen_config *cfg = omk__kan_config();
    const char *to = omk_row_text(&omk__kan_gesprek, gesprek, "adres");
    if (!cfg->smtp.url) {
        snprintf(err, errn, "geen mailserver geconfigureerd (--smtp)");
        return OMK_UNAVAILABLE;
    }
    if (!to || !*to || strpbrk(to, "\r\n<>")) {
        snprintf(err, errn, "geen geldig adres om naar te antwoorden");
        return OMK_INVALID;
    }
    const char *onderwerp = omk_row_text(&omk__kan_gesprek, gesprek, "onderwerp");
    onderwerp = onderwerp ? onderwerp : "";
    bool re = strncasecmp(onderwerp, "re:", 3) == 0;
    const char *domain = strchr(cfg->mail_from, '@');
    char id[37], date[64];
    omk_uuid4(id);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    *message_id = omk_arena_printf(a, "%s@%s", id, domain ? domain + 1 : "omnikanaal");
    const char *thread =
        in_reply_to && *in_reply_to
            ? omk_arena_printf(a, "In-Reply-To: <%s>\r\nReferences: %s\r\n", in_reply_to,
                               references && *references ? references : "")
            : "";
    const char *msg = omk_arena_printf(
        a,
        "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n%s"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
        cfg->mail_from, to,
        header_value(a, omk_arena_printf(a, "%s%s", re ? "" : "Re: ", onderwerp)), date,
        *message_id, thread, crlf_lines(a, tekst));
    if (!msg || !thread || !*message_id || !crlf_lines(a, ""))
        return OMK_NOMEM;
    const char *rcpt[] = {to};
    return omk_smtp_send(&cfg->smtp, cfg->mail_from, rcpt, 1, msg, strlen(msg), 10000, err, errn);
}

static omk_rc verstuur(omk_kan_uitgaand *o)
{
    return send_reply(o->a, o->gesprek, o->tekst, o->in_reply_to, o->references, &o->message_id,
                      o->err, sizeof o->err);
}

const omk_kan_bezorger omk__bezorger_mail = {"e-mail", verstuur, NULL};
