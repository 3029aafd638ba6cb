/* E-mail ingest rate against the raw parse rate of GMime alone, in one process on the same
 * messages: (1) GMime: parse each message and walk its parts, decoding every part's content
 * (the least any ingest must do); (2) omk_mail_parse (ours: GMime plus UTF-8 cleaning and
 * copies into an arena); (3) omk_api_mail_ingest (the whole `mail-ingest` path: parse,
 * threading look-ups, partij match, register validation, files, one durable commit per
 * message) into a fresh database. Prints one JSON object.
 * Usage: mail_rate DIR_WITH_EML_FILES DB_PATH */
#include <dirent.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omk/api.h"
#include "omk/mail.h"
#include "omk/store.h"
#include "omk/util.h"

#define ROUNDS 3

typedef struct msg {
    unsigned char *p;
    size_t n;
} msg;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t load(const char *dir, msg **out)
{
    DIR *d = opendir(dir);
    size_t n = 0, cap = 1024;
    msg *m = malloc(cap * sizeof *m);
    struct dirent *e;
    while (d && m && (e = readdir(d))) {
        if (!strstr(e->d_name, ".eml"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        if (n == cap)
            m = realloc(m, (cap *= 2) * sizeof *m);
        m[n].p = malloc((size_t)len + 1);
        m[n].n = fread(m[n].p, 1, (size_t)len, f);
        fclose(f);
        n++;
    }
    if (d)
        closedir(d);
    *out = m;
    return n;
}

static void decode_part(GMimeObject *parent, GMimeObject *part, gpointer ud)
{
    (void)parent;
    size_t *bytes = ud;
    if (!GMIME_IS_PART(part))
        return;
    GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(part));
    if (!w)
        return;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(w, mem);
    *bytes += g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem))->len;
    g_object_unref(mem);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mail_rate DIR DB\n");
        return 2;
    }
    if (omk_util_init())
        return 1;
    omk_mail_init();
    msg *m = NULL;
    size_t n = load(argv[1], &m);
    if (n == 0) {
        fprintf(stderr, "mail_rate: no .eml files in %s\n", argv[1]);
        return 1;
    }
    size_t total = 0, decoded = 0;
    for (size_t i = 0; i < n; i++)
        total += m[i].n;

    /* Raw GMime and our parser alternate for ROUNDS rounds; the best round of each counts,
     * so warm-up and noise from other processes do not favour either. */
    double raw = 1e9, ours_parse = 1e9, t0;
    for (int round = 0; round < ROUNDS; round++) {
        decoded = 0;
        t0 = now_s();
        for (size_t i = 0; i < n; i++) {
            GMimeStream *s = g_mime_stream_mem_new_with_buffer((const char *)m[i].p, m[i].n);
            GMimeParser *p = g_mime_parser_new_with_stream(s);
            GMimeMessage *msgp = g_mime_parser_construct_message(p, NULL);
            if (msgp) {
                g_mime_message_foreach(msgp, decode_part, &decoded);
                g_object_unref(msgp);
            }
            g_object_unref(p);
            g_object_unref(s);
        }
        double dt = now_s() - t0;
        raw = dt < raw ? dt : raw;
        t0 = now_s();
        for (size_t i = 0; i < n; i++) {
            omk_arena *a = omk_arena_new(256u << 20);
            omk_mail mail;
            if (omk_mail_parse(a, m[i].p, m[i].n, &mail))
                fprintf(stderr, "mail_rate: message %zu not parsed\n", i);
            omk_arena_free(a);
        }
        dt = now_s() - t0;
        ours_parse = dt < ours_parse ? dt : ours_parse;
    }

    omk_store *st = NULL;
    if (omk_store_open(argv[2], NULL, &st) || omk_store_migrate(st, NULL, NULL))
        return 1;
    t0 = now_s();
    size_t stored = 0;
    for (size_t i = 0; i < n; i++) {
        omk_mail_ingest_result res;
        if (omk_api_mail_ingest(st, NULL, m[i].p, m[i].n, &res) == OMK_OK)
            stored++;
        else
            fprintf(stderr, "mail_rate: message %zu: %s\n", i, res.reason);
    }
    double ingest = now_s() - t0;
    omk_store_close(st);
    printf("{\"messages\": %zu, \"bytes\": %zu, \"decodedBytes\": %zu, \"stored\": %zu,"
           " \"gmimeRawPerSec\": %.0f, \"omkParsePerSec\": %.0f, \"ingestPerSec\": %.1f}\n",
           n, total, decoded, stored, (double)n / raw, (double)n / ours_parse,
           (double)n / ingest);
    return 0;
}
