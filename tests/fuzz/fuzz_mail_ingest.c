/* libFuzzer target: e-mail ingest (`omnikanaal mail-ingest`), outside input from any sender on
 * the internet. Each input is parsed (checking the parser's promise: every string is
 * NUL-free UTF-8 and attachments are within their caps) and then stored through the whole
 * ingest path (threading, partij matching, register validation) into a scratch database. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omk/api.h"
#include "omk/mail.h"
#include "omk/util.h"

static omk_store *g_store;

static void check(const char *s)
{
    if (!s || !omk_utf8_valid(s, strlen(s)))
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (omk_util_init())
        abort();
    char dir[] = "/tmp/omk-fuzz-mail-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char path[64];
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    if (omk_store_open(path, NULL, &g_store) || omk_store_migrate(g_store, NULL, NULL))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    omk_arena *a = omk_arena_new(256 << 20);
    omk_mail m;
    if (omk_mail_parse(a, data, size, &m) == OMK_OK) {
        check(m.message_id);
        check(m.in_reply_to);
        check(m.from_addr);
        check(m.from_name);
        check(m.to_addr);
        check(m.subject);
        check(m.text);
        for (size_t i = 0; i < m.nreferences; i++)
            check(m.references[i]);
        if (m.nattachments > OMK_MAIL_MAX_ATTACHMENTS || m.nreferences > OMK_MAIL_MAX_REFS)
            abort();
        for (size_t i = 0; i < m.nattachments; i++) {
            check(m.attachments[i].filename);
            check(m.attachments[i].content_type);
        }
    }
    omk_arena_free(a);
    omk_mail_ingest_result res;
    omk_rc rc = omk_api_mail_ingest(g_store, NULL, data, size, &res);
    if (rc != OMK_OK && rc != OMK_INVALID && rc != OMK_TOOBIG)
        abort();
    return 0;
}
