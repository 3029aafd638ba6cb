/* The "omk_dutch" FTS5 tokenizer: the built-in unicode61 tokenizer (case folding, diacritics
 * removed) followed by the Snowball Dutch stemmer, so that inflections share one index term
 * ("verhuizing", "verhuizen" → "verhuiz"). Prefix query terms are not stemmed (they are
 * already partial words). One stemmer per tokenizer instance; SQLite uses an instance from
 * one connection, and a connection from one thread at a time. */
#include <libstemmer.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

#include "omk/search.h"

typedef struct dutch_tok {
    fts5_tokenizer parent;
    Fts5Tokenizer *parent_inst;
    struct sb_stemmer *stemmer;
} dutch_tok;

typedef struct stem_ctx {
    dutch_tok *t;
    void *orig_ctx;
    int (*orig_token)(void *, int, const char *, int, int, int);
    int prefix;
} stem_ctx;

static int stem_token(void *pctx, int tflags, const char *tok, int n, int start, int end)
{
    stem_ctx *c = pctx;
    if (c->prefix || n <= 2 || n > 64)
        return c->orig_token(c->orig_ctx, tflags, tok, n, start, end);
    const sb_symbol *s = sb_stemmer_stem(c->t->stemmer, (const sb_symbol *)tok, n);
    if (!s)
        return c->orig_token(c->orig_ctx, tflags, tok, n, start, end);
    return c->orig_token(c->orig_ctx, tflags, (const char *)s, sb_stemmer_length(c->t->stemmer),
                         start, end);
}

static int dutch_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv;
    (void)argc;
    fts5_api *api = api_ptr;
    dutch_tok *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    void *ud = NULL;
    static const char *parent_args[] = {"remove_diacritics", "2"};
    int rc = api->xFindTokenizer(api, "unicode61", &ud, &t->parent);
    if (rc == SQLITE_OK)
        rc = t->parent.xCreate(ud, parent_args, 2, &t->parent_inst);
    if (rc == SQLITE_OK) {
        t->stemmer = sb_stemmer_new("dutch", "UTF_8");
        if (!t->stemmer)
            rc = SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) {
        if (t->parent_inst)
            t->parent.xDelete(t->parent_inst);
        free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void dutch_delete(Fts5Tokenizer *p)
{
    dutch_tok *t = (dutch_tok *)p;
    t->parent.xDelete(t->parent_inst);
    sb_stemmer_delete(t->stemmer);
    free(t);
}

static int dutch_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                          int (*token)(void *, int, const char *, int, int, int))
{
    dutch_tok *t = (dutch_tok *)p;
    stem_ctx c = {t, ctx, token, (flags & FTS5_TOKENIZE_PREFIX) != 0};
    return t->parent.xTokenize(t->parent_inst, &c, flags, text, n, stem_token);
}

omk_rc omk_search_register_sqlite(void *sqlite_db)
{
    sqlite3 *db = sqlite_db;
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return OMK_UNAVAILABLE;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api)
        return OMK_UNAVAILABLE;
    static fts5_tokenizer tok = {dutch_create, dutch_delete, dutch_tokenize};
    return api->xCreateTokenizer(api, "omk_dutch", api, &tok, NULL) == SQLITE_OK &&
                   omk__search_register_rank(api) == SQLITE_OK
               ? OMK_OK
               : OMK_UNAVAILABLE;
}
