/* omk_rank: the FTS5 ranking function of the search index. Weighted BM25, computed as FTS5's
 * own bm25() does (k1 = 1.2, b = 0.75, the same IDF and the same document length), inside
 * ranking tiers: a row whose matched phrases all occur within the columns of tier 0 ranks
 * before a row that needs the columns of tier 1, and so on; rows outside every tier come last.
 *
 * Almost all of bm25()'s cost per row is the row's length (a lookup in the index's docsize
 * table); which columns a row matches in costs almost nothing (the positions are already
 * decoded). So rows in tiers after `cutoff` get no BM25 at all: they sort after every scored
 * row of their tier with score 0, and the caller asks again with a later cutoff only when the
 * rows before them did not fill its page. A common word then scores the few hundred rows that
 * have it in a title instead of every row.
 *
 *   omk_rank(fts, feedback, cutoff, ntiers, weak, items, mask_0 … mask_ntiers-1,
 *            weight_0 … weight_ncols-1)
 *
 * items says which query item each phrase belongs to (one letter per phrase, 'A' the first
 * item; '' or NULL: every phrase its own item): the alternatives of one typed word ("kwijt",
 * "kwijt"*, "#kwijt") are one item, and a row's tier asks whether each item it matches has
 * some alternative within the tier's columns, so a prefix match in the answer does not push
 * an article whose title holds the word itself to a later tier.
 *
 * weak is a bit set of phrase numbers: the phrases that match compound parts (part forms,
 * "#vergunning" inside "parkeervergunning"; the parts of a typed compound) or prefixes, whose
 * BM25 counts OMK__RANK_PART_WEIGHT of a whole word's: "kwijt" as the start of
 * "kwijtschelding" is a weaker match than the word "kwijt".
 *
 * feedback is NULL or an omk__rank_feedback bound with sqlite3_bind_pointer (type
 * "omk_rank_feedback"). With one phrase, the IDF is the same factor for every row, so it does
 * not change the order: with feedback given, the rows are scored without it, counted, and the
 * caller multiplies the scores by omk__rank_idf(feedback) afterwards, which spares the pass
 * over all the phrase's rows that finding its document frequency costs (a fifth of ranking a
 * common word).
 *
 * mask_k is a bit set of column numbers. The value is −(OMK__RANK_TIER × (ntiers − tier) +
 * score), so ORDER BY it ascending gives tier order, best score first; omk__rank_decode
 * takes it apart. With cutoff −1 nothing is scored: the value only tells the tier (the scan
 * uses that to choose the cutoff of the ranking). */
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

#define MAX_PHRASES 64
#define MAX_COLUMNS 16
#define K1 1.2
#define B 0.75

/* Per statement (cursor): the arguments, read on the first row, and the statistics, computed
 * on the first row that is scored. */
typedef struct rank_state {
    omk__rank_feedback *feedback;
    int cutoff, ntiers, ncols, nphrase;
    sqlite3_int64 weak; /* phrases that count OMK__RANK_PART_WEIGHT */
    sqlite3_int64 mask[OMK_SEARCH_MAX_TIERS];
    unsigned char item[MAX_PHRASES]; /* query item of each phrase */
    double weight[MAX_COLUMNS];
    bool have_stats;
    double avgdl;
    sqlite3_int64 rows;
    uint64_t have_idf; /* phrases whose idf is known */
    double idf[MAX_PHRASES];
} rank_state;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *hits)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)hits)++;
    return SQLITE_OK;
}

static double idf_of(sqlite3_int64 rows, sqlite3_int64 hits)
{
    double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
    return idf > 0 ? idf : 1e-6;
}

static int read_args(const Fts5ExtensionApi *api, Fts5Context *fts, int argc,
                     sqlite3_value **argv, rank_state **out)
{
    rank_state *st = api->xGetAuxdata(fts, 0);
    if (st) {
        *out = st;
        return SQLITE_OK;
    }
    if (argc < 5)
        return SQLITE_MISUSE;
    if (!(st = calloc(1, sizeof *st)))
        return SQLITE_NOMEM;
    st->feedback = sqlite3_value_pointer(argv[0], "omk_rank_feedback");
    st->cutoff = sqlite3_value_int(argv[1]);
    st->ntiers = sqlite3_value_int(argv[2]);
    st->weak = sqlite3_value_int64(argv[3]);
    const unsigned char *items = sqlite3_value_text(argv[4]);
    size_t nitems = items ? strlen((const char *)items) : 0;
    st->ncols = api->xColumnCount(fts);
    st->nphrase = api->xPhraseCount(fts);
    if (st->nphrase > MAX_PHRASES)
        st->nphrase = MAX_PHRASES;
    if (st->ntiers < 0 || st->ntiers > OMK_SEARCH_MAX_TIERS || argc < 5 + st->ntiers ||
        st->ncols > MAX_COLUMNS) {
        free(st);
        return SQLITE_MISUSE;
    }
    for (int p = 0; p < st->nphrase; p++)
        st->item[p] = (size_t)p < nitems && items[p] >= 'A' && items[p] < 'A' + MAX_PHRASES
                          ? (unsigned char)(items[p] - 'A')
                          : (unsigned char)p;
    for (int k = 0; k < st->ntiers; k++)
        st->mask[k] = sqlite3_value_int64(argv[5 + k]);
    for (int c = 0; c < st->ncols; c++)
        st->weight[c] = 5 + st->ntiers + c < argc ? sqlite3_value_double(argv[5 + st->ntiers + c])
                                                  : 1.0;
    int rc = api->xSetAuxdata(fts, st, free);
    if (rc != SQLITE_OK)
        return rc; /* FTS5 freed st */
    *out = st;
    return SQLITE_OK;
}

/* The average row length, once per statement. A phrase's IDF (as bm25()) is found when a
 * scored row first matches it (phrase_idf): finding it is a pass over all the phrase's rows,
 * and the alternatives of a word (a part form, a typed compound's parts) are often in
 * thousands of rows but in none of the few that are scored. */
static int load_stats(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *st)
{
    if (st->have_stats)
        return SQLITE_OK;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    st->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
    st->rows = rows;
    bool deferred = st->feedback && st->nphrase == 1;
    if (deferred) {
        st->feedback->total = rows;
        st->idf[0] = 1.0;
        st->have_idf = 1;
    }
    if (rc == SQLITE_OK && st->feedback)
        st->feedback->deferred = deferred;
    st->have_stats = rc == SQLITE_OK;
    return rc;
}

/* The IDF of phrase i, found on first use. */
static int phrase_idf(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *st, int i)
{
    if ((st->have_idf >> i) & 1)
        return SQLITE_OK;
    sqlite3_int64 hits = 0;
    int rc = api->xQueryPhrase(fts, i, &hits, count_row);
    if (rc == SQLITE_OK) {
        st->idf[i] = idf_of(st->rows, hits);
        st->have_idf |= UINT64_C(1) << i;
    }
    return rc;
}

/* The row's tier: the first whose columns hold (an alternative of) every query item the row
 * matches. The columns of each phrase are enough (cheaper than its instances, which only a
 * scored row needs). */
static int tier_of(const Fts5ExtensionApi *api, Fts5Context *fts, const rank_state *st,
                   int *tier)
{
    uint64_t all = 0, within[OMK_SEARCH_MAX_TIERS] = {0};
    for (int p = 0; p < st->nphrase; p++) {
        Fts5PhraseIter it;
        int col = -1;
        int rc = api->xPhraseFirstColumn(fts, p, &it, &col);
        if (rc != SQLITE_OK)
            return rc;
        uint64_t bit = UINT64_C(1) << st->item[p];
        for (; col >= 0; api->xPhraseNextColumn(fts, &it, &col)) {
            if (col >= st->ncols)
                continue;
            all |= bit;
            for (int k = 0; k < st->ntiers; k++)
                if ((st->mask[k] >> col) & 1)
                    within[k] |= bit;
        }
    }
    *tier = 0;
    while (*tier < st->ntiers && within[*tier] != all)
        (*tier)++;
    return SQLITE_OK;
}

/* Weighted BM25 of the row, as bm25() computes it (with IDF 1 when deferred). */
static int bm25_of(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *st, double *out)
{
    double freq[MAX_PHRASES] = {0};
    int len = 0, ninst = 0;
    int rc = load_stats(api, fts, st);
    if (rc == SQLITE_OK)
        rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < st->nphrase && col >= 0 &&
            col < st->ncols)
            freq[phrase] += st->weight[col];
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &len);
    if (rc != SQLITE_OK)
        return rc;
    double norm = K1 * (1 - B + B * (double)len / st->avgdl), score = 0;
    for (int i = 0; i < st->nphrase; i++) {
        if (freq[i] == 0)
            continue;
        if ((rc = phrase_idf(api, fts, st, i)) != SQLITE_OK)
            return rc;
        score += st->idf[i] * freq[i] * (K1 + 1) / (freq[i] + norm) *
                 ((st->weak >> i) & 1 ? OMK__RANK_PART_WEIGHT : 1.0);
    }
    *out = score > 0 ? score : 1e-9; /* scored rows stay apart from the unscored ones */
    return SQLITE_OK;
}

static void omk_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                     int argc, sqlite3_value **argv)
{
    rank_state *st = NULL;
    int tier = 0;
    double score = 0;
    int rc = read_args(api, fts, argc, argv, &st);
    if (rc == SQLITE_OK)
        rc = tier_of(api, fts, st, &tier);
    if (rc == SQLITE_OK && tier <= st->cutoff)
        rc = bm25_of(api, fts, st, &score);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_MISUSE)
            sqlite3_result_error(ctx, "omk_rank: bad arguments", -1);
        else
            sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (st->feedback)
        st->feedback->rows++;
    sqlite3_result_double(ctx, -(OMK__RANK_TIER * (double)(st->ntiers - tier) + score));
}

double omk__rank_idf(const omk__rank_feedback *f)
{
    return f->deferred ? idf_of(f->total, f->rows) : 1.0;
}

void omk__rank_decode(double value, int ntiers, int *tier, double *score)
{
    double v = -value;
    double band = floor(v / OMK__RANK_TIER);
    *tier = ntiers - (int)band;
    *score = v - band * OMK__RANK_TIER;
}

int omk__search_register_rank(fts5_api *api)
{
    return api->xCreateFunction(api, "omk_rank", NULL, omk_rank, NULL);
}
