/* Import and export of kennisbank articles (JSON array or CSV), for `omnikanaal kennisbank
 * import|export`. An import is one transaction: a bad row rolls everything back and is
 * reported with its line number, unless the caller asks to skip bad rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kennisbank/kennisbank.h"
#include "omk/buf.h"
#include "omk/log.h"
#include "omk/util.h"


/* The CSV columns, in order; list fields hold their items separated by '|'. */
static const char *const CSV_COLUMNS[] = {
    "titel", "vragen", "kortAntwoord", "antwoord", "laag", "status", "doelgroep", "product",
    "trefwoorden", "synoniemen", "afdeling", "geldigVan", "geldigTot", "reviewdatum", "kanalen",
};
#define NCOLS (sizeof CSV_COLUMNS / sizeof CSV_COLUMNS[0])

static bool is_list(const char *col)
{
    return !strcmp(col, "vragen") || !strcmp(col, "trefwoorden") || !strcmp(col, "synoniemen") ||
           !strcmp(col, "kanalen");
}

static bool is_date(const char *col)
{
    return !strcmp(col, "geldigVan") || !strcmp(col, "geldigTot") || !strcmp(col, "reviewdatum");
}

/* Reads one CSV record (RFC 4180: quotes, doubled quotes, newlines inside quotes) from *p.
 * Fields are stored in the arena. Returns the number of fields, 0 at the end, -1 on a syntax
 * error. *line advances by the newlines consumed. */
static int csv_record(omk_arena *a, const char **p, const char *end, char **fields, int max,
                      int *line)
{
    if (*p >= end)
        return 0;
    int n = 0;
    omk_buf f;
    omk_buf_init(&f, 1 << 20);
    const char *s = *p;
    for (;;) {
        f.n = 0;
        omk_buf_puts(&f, "");
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end) {
                    omk_buf_release(&f);
                    return -1;
                }
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        omk_buf_putc(&f, '"');
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                if (*s == '\n')
                    (*line)++;
                omk_buf_putc(&f, *s++);
            }
        } else {
            while (s < end && *s != ',' && *s != '\n' && *s != '\r')
                omk_buf_putc(&f, *s++);
        }
        if (n < max)
            fields[n] = omk_arena_strdup(a, f.p ? f.p : "");
        n++;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n') {
            s++;
            (*line)++;
        } else if (s < end) {
            omk_buf_release(&f);
            return -1;
        }
        break;
    }
    omk_buf_release(&f);
    *p = s;
    return n;
}

/* A CSV record as the JSON body the API takes. */
static json_t *csv_to_body(char **fields, int n, const int *map)
{
    json_t *o = json_object();
    for (size_t c = 0; c < NCOLS; c++) {
        if (map[c] < 0 || map[c] >= n)
            continue;
        const char *v = fields[map[c]];
        const char *col = CSV_COLUMNS[c];
        /* An empty kanalen cell means the default (every channel), not "no channel". */
        if (!strcmp(col, "kanalen") && !*v)
            continue;
        if (is_list(col)) {
            json_t *arr = json_array();
            const char *s = v;
            while (*s) {
                const char *bar = strchr(s, '|');
                size_t len = bar ? (size_t)(bar - s) : strlen(s);
                if (len)
                    json_array_append_new(arr, json_stringn(s, len));
                if (!bar)
                    break;
                s = bar + 1;
            }
            json_object_set_new(o, col, arr);
        } else if (is_date(col) && !*v) {
            json_object_set_new(o, col, json_null());
        } else if (*v || !strcmp(col, "titel")) {
            json_object_set_new(o, col, json_string(v));
        }
    }
    return o;
}

typedef struct import_job {
    json_t *items;     /* array of bodies */
    json_t *lines;     /* line number per item */
    bool skip_bad;
    size_t imported, rejected;
    bool tty;
} import_job;

static void progress(const import_job *j, size_t done, size_t total)
{
    if (!j->tty || total < 200 || (done % 100 != 0 && done != total))
        return;
    int width = 40, filled = (int)(width * done / total);
    fprintf(stderr, "\r[%.*s%*s] %3d%% %zu/%zu", filled,
            "########################################", width - filled, "",
            (int)(100 * done / total), done, total);
    if (done == total)
        fputc('\n', stderr);
}

static omk_rc run_import(omk_db *db, void *arg)
{
    import_job *j = arg;
    size_t total = json_array_size(j->items);
    for (size_t i = 0; i < total; i++) {
        json_t *body = json_array_get(j->items, i);
        long line = (long)json_integer_value(json_array_get(j->lines, i));
        omk_arena *a = omk_arena_new(64 << 20);
        omk_api_ctx ctx = {.a = a, .base_url = "http://localhost", .principal = "import"};
        omk_row *row = NULL;
        omk_rc rc = json_is_object(body) ? omk_res_parse(&ctx, &omk__kb_artikel, body, OMK_CREATE, &row)
                                         : OMK_INVALID;
        if (!json_is_object(body))
            omk_api_err_add(&ctx, "artikel", "invalid", "Verwacht een object.");
        if (!rc)
            rc = omk_res_write(db, &ctx, &omk__kb_artikel, row, NULL, body, OMK_CREATE, NULL);
        if (rc == OMK_INVALID) {
            for (omk_api_err *e = ctx.errs; e; e = e->next)
                fprintf(stderr, "%somnikanaal: regel %ld: %s: %s\n", j->tty ? "\n" : "", line,
                        e->name, e->reason);
            j->rejected++;
            omk_arena_free(a);
            if (!j->skip_bad)
                return OMK_INVALID; /* nothing of this file is kept */
            /* A rejected row may have written nothing: rules run before the insert, and the
             * only rule after it (the index) cannot reject. */
            continue;
        }
        omk_arena_free(a);
        if (rc)
            return rc;
        j->imported++;
        progress(j, i + 1, total);
    }
    return OMK_OK;
}

static omk_rc parse_csv(const char *data, size_t n, import_job *j)
{
    omk_arena *a = omk_arena_new(256 << 20);
    const char *p = data, *end = data + n;
    char *fields[64];
    int line = 1, map[NCOLS];
    int nh = csv_record(a, &p, end, fields, 64, &line);
    omk_rc rc = OMK_OK;
    if (nh <= 0) {
        fprintf(stderr, "omnikanaal: regel 1: geen kopregel met kolomnamen\n");
        rc = OMK_INVALID;
        goto out;
    }
    for (size_t c = 0; c < NCOLS; c++) {
        map[c] = -1;
        for (int k = 0; k < nh && k < 64; k++)
            if (strcmp(fields[k], CSV_COLUMNS[c]) == 0)
                map[c] = k;
    }
    for (int k = 0; k < nh && k < 64; k++) {
        bool known = false;
        for (size_t c = 0; c < NCOLS; c++)
            known = known || strcmp(fields[k], CSV_COLUMNS[c]) == 0;
        if (!known) {
            fprintf(stderr, "omnikanaal: regel 1: onbekende kolom '%s'\n", fields[k]);
            rc = OMK_INVALID;
        }
    }
    while (!rc) {
        int start = line;
        int nf = csv_record(a, &p, end, fields, 64, &line);
        if (nf == 0)
            break;
        if (nf < 0) {
            fprintf(stderr, "omnikanaal: regel %d: ongeldige CSV (aanhalingstekens)\n", start);
            rc = OMK_INVALID;
            break;
        }
        if (nf == 1 && !fields[0][0])
            continue; /* empty line */
        json_array_append_new(j->items, csv_to_body(fields, nf, map));
        json_array_append_new(j->lines, json_integer(start));
    }
out:
    omk_arena_free(a);
    return rc;
}

omk_rc omk_api_kb_import(omk_store *s, const char *path, bool skip_bad, size_t *imported,
                         size_t *rejected)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "omnikanaal: cannot open %s\n", path);
        return OMK_IO;
    }
    omk_buf b;
    omk_buf_init(&b, 1024u * 1024 * 1024);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        omk_buf_append(&b, chunk, got);
    fclose(f);
    if (b.rc) {
        omk_buf_release(&b);
        return b.rc;
    }
    import_job j = {.items = json_array(), .lines = json_array(), .skip_bad = skip_bad,
                    .tty = isatty(2)};
    omk_rc rc = OMK_OK;
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".csv") == 0) {
        rc = parse_csv(b.p ? b.p : "", b.n, &j);
    } else {
        json_error_t err;
        json_t *doc = json_loadb(b.p ? b.p : "", b.n, 0, &err);
        if (!json_is_array(doc)) {
            fprintf(stderr, "omnikanaal: regel %d: %s\n", err.line > 0 ? err.line : 1,
                    doc ? "verwacht een JSON-lijst van artikelen" : err.text);
            rc = OMK_INVALID;
        } else {
            size_t i;
            json_t *item;
            json_array_foreach(doc, i, item)
            {
                json_array_append(j.items, item);
                json_array_append_new(j.lines, json_integer((json_int_t)i + 1));
            }
        }
        json_decref(doc);
    }
    omk_buf_release(&b);
    if (!rc)
        rc = omk_store_write(s, run_import, &j);
    *imported = rc ? 0 : j.imported;
    *rejected = j.rejected;
    json_decref(j.items);
    json_decref(j.lines);
    return rc;
}

typedef struct export_job {
    omk_api_ctx ctx;
    omk_rowset rows;
    json_t *out;
} export_job;

static omk_rc run_export(omk_db *db, void *arg)
{
    export_job *j = arg;
    omk_query all = {.limit = 0};
    omk_rc rc = omk_db_list(db, &omk__kb_artikel, &all, j->ctx.a, &j->rows, NULL);
    for (size_t i = j->rows.n; !rc && i > 0; i--) {
        json_t *o = NULL;
        rc = omk_res_to_json(db, &j->ctx, &omk__kb_artikel, &j->rows.rows[i - 1], &o);
        if (!rc)
            json_array_append_new(j->out, o);
    }
    return rc;
}

static void csv_field(FILE *out, const char *v)
{
    bool quote = strpbrk(v, ",\"\n\r") != NULL;
    if (!quote) {
        fputs(v, out);
        return;
    }
    fputc('"', out);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', out);
        fputc(*v, out);
    }
    fputc('"', out);
}

omk_rc omk_api_kb_export(omk_store *s, bool csv, FILE *out)
{
    export_job j = {.ctx = {.a = omk_arena_new(512u << 20), .base_url = "http://localhost:8080"},
                    .out = json_array()};
    omk_rc rc = j.ctx.a ? omk_store_read(s, run_export, &j) : OMK_NOMEM;
    if (!rc && !csv) {
        omk_buf b;
        omk_buf_init(&b, 1024u * 1024 * 1024);
        json_dumpf(j.out, out, JSON_INDENT(2));
        fputc('\n', out);
        omk_buf_release(&b);
    } else if (!rc) {
        for (size_t c = 0; c < NCOLS; c++)
            fprintf(out, "%s%s", c ? "," : "", CSV_COLUMNS[c]);
        fputc('\n', out);
        size_t i;
        json_t *o;
        json_array_foreach(j.out, i, o)
        {
            for (size_t c = 0; c < NCOLS; c++) {
                json_t *v = json_object_get(o, CSV_COLUMNS[c]);
                if (c)
                    fputc(',', out);
                if (json_is_array(v)) {
                    omk_buf b;
                    omk_buf_init(&b, 1 << 20);
                    omk_buf_puts(&b, "");
                    size_t k;
                    json_t *item;
                    json_array_foreach(v, k, item)
                    {
                        if (k)
                            omk_buf_putc(&b, '|');
                        omk_buf_puts(&b, json_string_value(item) ? json_string_value(item) : "");
                    }
                    csv_field(out, b.p ? b.p : "");
                    omk_buf_release(&b);
                } else if (json_is_string(v)) {
                    csv_field(out, json_string_value(v));
                }
            }
            fputc('\n', out);
        }
    }
    json_decref(j.out);
    omk_arena_free(j.ctx.a);
    return rc;
}
