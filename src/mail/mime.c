/* Inbound e-mail parsing with GMime 3 (see omk/mail.h). GMime objects live only inside
 * omk_mail_parse; what it returns is copied into the caller's arena. */
#include <gmime/gmime.h>
#include <string.h>

#include "omk/mail.h"
#include "omk/util.h"

#define MAX_TEXT (1u << 20)

static GOnce g_init = G_ONCE_INIT;

static gpointer init_once(gpointer unused)
{
    (void)unused;
    g_mime_init();
    return NULL;
}

void omk_mail_init(void)
{
    g_once(&g_init, init_once, NULL);
}

/* A valid UTF-8 copy of s[0..n) in the arena, at most `cap` bytes (cut at a character). */
static const char *clean(omk_arena *a, const char *s, size_t n, size_t cap)
{
    if (!s)
        return "";
    if (n > cap)
        n = cap;
    if (omk_utf8_valid(s, n))
        return omk_arena_strndup(a, s, n);
    gchar *fixed = g_utf8_make_valid(s, (gssize)n);
    /* make_valid keeps NUL bytes: cut there, the rest of the string is not text. */
    const char *out = omk_arena_strdup(a, fixed ? fixed : "");
    g_free(fixed);
    if (out && !omk_utf8_valid(out, strlen(out)))
        return "";
    return out;
}

static const char *cleanz(omk_arena *a, const char *s, size_t cap)
{
    return s ? clean(a, s, strlen(s), cap) : "";
}

typedef struct walk {
    omk_arena *a;
    omk_mail *m;
    const char *html;
    bool nomem;
} walk;

/* Text of an HTML body with tags and entities reduced to plain text (good enough to read). */
static const char *strip_html(omk_arena *a, const char *html)
{
    size_t n = strlen(html);
    char *out = omk_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool tag = false;
    for (size_t i = 0; i < n; i++) {
        char c = html[i];
        if (c == '<')
            tag = true;
        else if (c == '>' && tag)
            tag = false;
        else if (!tag)
            out[k++] = c;
    }
    out[k] = 0;
    return out;
}

static const unsigned char *part_bytes(omk_arena *a, GMimePart *part, size_t *size)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    *size = 0;
    if (!w)
        return (const unsigned char *)"";
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(w, mem);
    GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    unsigned char *out = omk_arena_alloc(a, arr->len + 1);
    if (out) {
        if (arr->len)
            memcpy(out, arr->data, arr->len);
        *size = arr->len;
    }
    g_object_unref(mem);
    return out;
}

static void visit(GMimeObject *parent, GMimeObject *obj, gpointer ud)
{
    (void)parent;
    walk *w = ud;
    if (w->nomem || !GMIME_IS_PART(obj))
        return;
    GMimePart *part = GMIME_PART(obj);
    const char *filename = g_mime_part_get_filename(part);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    bool is_text = ct && g_mime_content_type_is_type(ct, "text", "*");
    if (is_text && !g_mime_part_is_attachment(part) && !filename) {
        bool plain = g_mime_content_type_is_type(ct, "text", "plain");
        if ((plain && !*w->m->text) || (!plain && !w->html &&
                                        g_mime_content_type_is_type(ct, "text", "html"))) {
            char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
            const char *c = cleanz(w->a, t ? t : "", MAX_TEXT);
            g_free(t);
            if (plain)
                w->m->text = c;
            else
                w->html = c;
        }
        return;
    }
    if (w->m->nattachments >= OMK_MAIL_MAX_ATTACHMENTS)
        return;
    omk_mail_attachment *att = &w->m->attachments[w->m->nattachments];
    char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    att->content_type = cleanz(w->a, mime ? mime : "application/octet-stream", 200);
    g_free(mime);
    att->filename = cleanz(w->a, filename, 200);
    att->data = part_bytes(w->a, part, &att->size);
    if (!att->data || !att->filename || !att->content_type) {
        w->nomem = true;
        return;
    }
    w->m->nattachments++;
}

static const char *first_mailbox(omk_arena *a, InternetAddressList *list, const char **name)
{
    if (name)
        *name = "";
    for (int i = 0; list && i < internet_address_list_length(list); i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        char *lower = g_utf8_strdown(addr ? addr : "", -1);
        const char *out = cleanz(a, lower, 254);
        g_free(lower);
        if (name)
            *name = cleanz(a, internet_address_get_name(ia), 200);
        return out;
    }
    return "";
}

static void read_ids(omk_arena *a, GMimeMessage *msg, omk_mail *m)
{
    const char *irt = g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To");
    GMimeReferences *r = irt ? g_mime_references_parse(NULL, irt) : NULL;
    m->in_reply_to = r && g_mime_references_length(r) ? cleanz(a, g_mime_references_get_message_id(r, 0), 998) : "";
    if (r)
        g_mime_references_free(r);
    const char *refs = g_mime_object_get_header(GMIME_OBJECT(msg), "References");
    r = refs ? g_mime_references_parse(NULL, refs) : NULL;
    int n = r ? g_mime_references_length(r) : 0;
    /* Keep the newest ones when there are too many: they are the closest relatives. */
    int from = n > OMK_MAIL_MAX_REFS ? n - OMK_MAIL_MAX_REFS : 0;
    m->references = omk_arena_alloc(a, (size_t)(n - from + 1) * sizeof *m->references);
    for (int i = from; m->references && i < n; i++)
        m->references[m->nreferences++] = cleanz(a, g_mime_references_get_message_id(r, i), 998);
    if (r)
        g_mime_references_free(r);
}

omk_rc omk_mail_parse(omk_arena *a, const unsigned char *data, size_t n, omk_mail *m)
{
    memset(m, 0, sizeof *m);
    m->text = "";
    if (n > OMK_MAIL_MAX_BYTES)
        return OMK_TOOBIG;
    omk_mail_init();
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)data, n);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_object_unref(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    if (!msg)
        return OMK_INVALID;
    omk_rc rc = OMK_OK;
    m->message_id = cleanz(a, g_mime_message_get_message_id(msg), 998);
    m->subject = cleanz(a, g_mime_message_get_subject(msg), 998);
    m->from_addr = first_mailbox(a, g_mime_message_get_from(msg), &m->from_name);
    m->to_addr = first_mailbox(a, g_mime_message_get_to(msg), NULL);
    GDateTime *date = g_mime_message_get_date(msg);
    if (date)
        m->date_us = g_date_time_to_unix(date) * 1000000 + g_date_time_get_microsecond(date);
    read_ids(a, msg, m);
    m->attachments = omk_arena_alloc(a, OMK_MAIL_MAX_ATTACHMENTS * sizeof *m->attachments);
    walk w = {.a = a, .m = m};
    if (m->attachments && m->references)
        g_mime_message_foreach(msg, visit, &w);
    if (!*m->text && w.html)
        m->text = strip_html(a, w.html);
    if (!m->attachments || !m->references || w.nomem || !m->text || !m->message_id ||
        !m->subject || !m->from_addr || !m->to_addr || !m->in_reply_to)
        rc = OMK_NOMEM;
    g_object_unref(msg);
    return rc;
}
