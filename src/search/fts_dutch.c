/* The "omk_dutch" FTS5 tokenizer: the built-in unicode61 tokenizer (case folding, diacritics
 * removed), verb forms mapped to their infinitive by the Dutch lexicon (omk/search_lexicon.h:
 * "verhuisd" → "verhuizen"), then the Snowball Dutch stemmer, so that inflections share one
 * index term ("verhuizing", "verhuizen", "verhuisd" → "verhuiz"). In documents, compounds
 * also index their parts. Prefix query terms are not stemmed (they are
 * already partial words). One stemmer per tokenizer instance; SQLite uses an instance from
 * one connection, and a connection from one thread at a time. */
#include <libstemmer.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

#include "omk/search_lexicon.h"

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
    int prefix, document;
    int part; /* a query string that asks for compound parts (OMK__SEARCH_PART_MARK) */
} stem_ctx;

int omk__search_norm(struct sb_stemmer *stemmer, const char *t, int n, char *out, int cap)
{
    char lemma[OMK_LEXICON_MAX_WORD];
    if (n <= 2 || n > 64 || cap < 72) {
        int k = n < cap ? n : cap;
        memcpy(out, t, (size_t)k);
        return k;
    }
    size_t ln = omk_lexicon_lemma(t, (size_t)n, lemma, sizeof lemma);
    if (ln) {
        t = lemma;
        n = (int)ln;
    }
    const sb_symbol *s = sb_stemmer_stem(stemmer, (const sb_symbol *)t, n);
    int sn = s ? sb_stemmer_length(stemmer) : n;
    if (!s)
        s = (const sb_symbol *)t;
    if (sn > cap)
        sn = cap;
    memcpy(out, s, (size_t)sn);
    return sn;
}

/* Emits the index form of t[0..n) (colocated: at the previous token's position), as a part
 * form (OMK__SEARCH_PART_MARK before it) when `part`, unless it is one of the `nseen` forms
 * already emitted there. */
static int emit(stem_ctx *c, int flags, bool part, const char *t, int n, int start, int end,
                char seen[][73], int *seen_n, int *nseen)
{
    char form[73];
    int fn = omk__search_norm(c->t->stemmer, t, n, form + part, 72);
    if (part)
        form[0] = OMK__SEARCH_PART_MARK, fn++;
    for (int i = 0; i < *nseen; i++)
        if (seen_n[i] == fn && memcmp(seen[i], form, (size_t)fn) == 0)
            return SQLITE_OK;
    if (*nseen < 2 * OMK_LEXICON_MAX_PARTS + 1) {
        memcpy(seen[*nseen], form, (size_t)fn);
        seen_n[(*nseen)++] = fn;
    }
    return c->orig_token(c->orig_ctx, flags, form, fn, start, end);
}

/* Every token in its index form; in a document, a compound's parts also stand at its position
 * as part forms ("#vergunning"; a first part that is a verb stem also as its infinitive:
 * "#parkeren"), so "vergunning parkeren" can find "parkeervergunning" while "kwijt" alone does
 * not match "kwijtschelding": a query asks for part forms explicitly (a string that starts
 * with OMK__SEARCH_PART_MARK), and omk_rank weighs them lower. A query's compounds are split
 * by the query builder instead (omk_search_match_ex), where the parts must all match. */
static int stem_token(void *pctx, int tflags, const char *tok, int n, int start, int end)
{
    stem_ctx *c = pctx;
    if (c->prefix || n <= 2 || n > 64) {
        if (!c->part || n > 64)
            return c->orig_token(c->orig_ctx, tflags, tok, n, start, end);
        char form[73];
        form[0] = OMK__SEARCH_PART_MARK;
        memcpy(form + 1, tok, (size_t)n);
        return c->orig_token(c->orig_ctx, tflags, form, n + 1, start, end);
    }
    char seen[2 * OMK_LEXICON_MAX_PARTS + 1][73];
    int seen_n[2 * OMK_LEXICON_MAX_PARTS + 1], nseen = 0;
    int rc = emit(c, tflags, c->part, tok, n, start, end, seen, seen_n, &nseen);
    omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS];
    int np = c->document && rc == SQLITE_OK ? omk_lexicon_split(tok, (size_t)n, parts) : 0;
    for (int i = 0; i < np && rc == SQLITE_OK; i++) {
        const char *p = tok + parts[i].start;
        rc = emit(c, FTS5_TOKEN_COLOCATED, true, p, (int)parts[i].len, start, end, seen, seen_n,
                  &nseen);
        char inf[OMK_LEXICON_MAX_WORD];
        size_t in = i + 1 < np ? omk_lexicon_infinitive(p, parts[i].len, inf, sizeof inf) : 0;
        if (in && rc == SQLITE_OK)
            rc = emit(c, FTS5_TOKEN_COLOCATED, true, inf, (int)in, start, end, seen, seen_n,
                      &nseen);
    }
    return rc;
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
    stem_ctx c = {t, ctx, token, (flags & FTS5_TOKENIZE_PREFIX) != 0,
                  (flags & FTS5_TOKENIZE_DOCUMENT) != 0, 0};
    /* A query string "#woord" asks for the part forms of its words (unicode61 never makes a
     * token of the mark, so no document text can). */
    if ((flags & FTS5_TOKENIZE_QUERY) && n > 0 && text[0] == OMK__SEARCH_PART_MARK) {
        c.part = 1;
        text++;
        n--;
    }
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
