/* Inbound e-mail: one RFC 5322 message parsed with GMime into what the channels need — ids
 * for threading, sender, subject, a UTF-8 text body and the attachments. Everything is copied
 * into the caller's arena and is valid UTF-8 (invalid bytes replaced), with caps on sizes and
 * counts, so a hostile message cannot make later code misbehave. Thread-safe after
 * omk_mail_init. */
#ifndef OMK_MAIL_H
#define OMK_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "omk/arena.h"
#include "omk/rc.h"

#define OMK_MAIL_MAX_BYTES (25u << 20)  /* whole message */
#define OMK_MAIL_MAX_ATTACHMENTS 32
#define OMK_MAIL_MAX_REFS 64

typedef struct omk_mail_attachment {
    const char *filename;     /* "" when the part names none */
    const char *content_type; /* "application/pdf" */
    const unsigned char *data; /* decoded content (transfer encoding undone) */
    size_t size;
} omk_mail_attachment;

typedef struct omk_mail {
    const char *message_id;   /* without angle brackets; "" when absent */
    const char *in_reply_to;  /* first id of In-Reply-To, or "" */
    const char **references;  /* ids of References, oldest first */
    size_t nreferences;
    const char *from_addr;    /* lower-case address of the first From mailbox, or "" */
    const char *from_name;    /* display name, or "" */
    const char *to_addr;      /* first To mailbox, or "" */
    const char *subject;      /* decoded (RFC 2047), or "" */
    int64_t date_us;          /* Date header as epoch microseconds; 0 when absent/invalid */
    const char *text;         /* text/plain body (charset converted), else text/html with the
                                 tags removed, else "" */
    omk_mail_attachment *attachments;
    size_t nattachments;
} omk_mail;

/* Initialises GMime once per process (call before threads use omk_mail_parse). */
void omk_mail_init(void);

/* Parses data[0..n). OMK_INVALID when it is not a message at all (no header block), OMK_TOOBIG
 * past OMK_MAIL_MAX_BYTES, OMK_NOMEM when the arena is full. Broken MIME below the headers is
 * kept as far as GMime can read it. */
OMK_MUST_CHECK omk_rc omk_mail_parse(omk_arena *a, const unsigned char *data, size_t n,
                                     omk_mail *out);

#endif
