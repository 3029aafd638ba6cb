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
 *   omk_rank(fts, cutoff, ntiers, mask_0 … mask_ntiers-1, weight_0 … weight_ncols-1)
 *
 * mask_k is a bit set of column numbers. The value is −(OMK__RANK_TIER × (ntiers − tier) +
 * score), so ORDER BY it ascending gives tier order, best score first; omk__rank_decode
 * takes it apart. With cutoff −1 nothing is scored: the value only tells the tier (the scan
 * uses that to choose the cutoff of the ranking). */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"

#define MAX_PHRASES 64
#define MAX_COLUMNS 16
#define K1 1.2
#define B 0.75

/* Per statement: the IDF of every phrase and the average row length, computed on the first
 * row that is scored (a pass over every phrase's matches: not needed for tiers alone). */
typedef struct rank_stats {
    int nphrase;
    double avgdl;
    double idf[MAX_PHRASES];
} rank_stats;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *hits)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)hits)++;
    return SQLITE_OK;
}

static int load_stats(const Fts5ExtensionApi *api, Fts5Context *fts, rank_stats **out)
{
    rank_stats *s = api->xGetAuxdata(fts, 0);
    if (s) {
        *out = s;
        return SQLITE_OK;
    }
    if (!(s = calloc(1, sizeof *s)))
        return SQLITE_NOMEM;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    s->nphrase = api->xPhraseCount(fts);
    if (s->nphrase > MAX_PHRASES)
        s->nphrase = MAX_PHRASES;
    s->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
    if (s->avgdl <= 0)
        s->avgdl = 1.0;
    for (int i = 0; rc == SQLITE_OK && i < s->nphrase; i++) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, count_row);
        double idf = log(((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
        s->idf[i] = idf > 0 ? idf : 1e-6;
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, s, free);
    if (rc != SQLITE_OK) {
        free(s);
        return rc;
    }
    *out = s;
    return SQLITE_OK;
}

static void omk_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                     int argc, sqlite3_value **argv)
{
    if (argc < 2) {
        sqlite3_result_error(ctx, "omk_rank: cutoff and tier count are required", -1);
        return;
    }
    int cutoff = sqlite3_value_int(argv[0]);
    int ntiers = sqlite3_value_int(argv[1]);
    int ncols = api->xColumnCount(fts);
    if (ntiers < 0 || ntiers > OMK_SEARCH_MAX_TIERS || argc < 2 + ntiers || ncols > MAX_COLUMNS) {
        sqlite3_result_error(ctx, "omk_rank: bad tiers", -1);
        return;
    }
    int nphrase = api->xPhraseCount(fts);
    if (nphrase > MAX_PHRASES)
        nphrase = MAX_PHRASES;
    double weight[MAX_COLUMNS];
    sqlite3_int64 mask[OMK_SEARCH_MAX_TIERS];
    for (int k = 0; k < ntiers; k++)
        mask[k] = sqlite3_value_int64(argv[2 + k]);
    for (int c = 0; c < ncols; c++)
        weight[c] = 2 + ntiers + c < argc ? sqlite3_value_double(argv[2 + ntiers + c]) : 1.0;
    /* Which phrases occur at all, and which within each tier's columns: the columns of each
     * phrase are enough (cheaper than its instances, which only a scored row needs). */
    uint64_t all = 0, within[OMK_SEARCH_MAX_TIERS] = {0};
    for (int p = 0; p < nphrase; p++) {
        Fts5PhraseIter it;
        int col = -1;
        int rc = api->xPhraseFirstColumn(fts, p, &it, &col);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        for (; col >= 0; api->xPhraseNextColumn(fts, &it, &col)) {
            if (col >= ncols)
                continue;
            all |= UINT64_C(1) << p;
            for (int k = 0; k < ntiers; k++)
                if ((mask[k] >> col) & 1)
                    within[k] |= UINT64_C(1) << p;
        }
    }
    int tier = 0;
    while (tier < ntiers && within[tier] != all)
        tier++;
    double score = 0;
    if (tier <= cutoff) {
        rank_stats *s = NULL;
        double freq[MAX_PHRASES] = {0};
        int len = 0, ninst = 0;
        int rc = load_stats(api, fts, &s);
        if (rc == SQLITE_OK)
            rc = api->xInstCount(fts, &ninst);
        for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
            int phrase, col, off;
            rc = api->xInst(fts, i, &phrase, &col, &off);
            if (rc == SQLITE_OK && phrase >= 0 && phrase < nphrase && col >= 0 && col < ncols)
                freq[phrase] += weight[col];
        }
        if (rc == SQLITE_OK)
            rc = api->xColumnSize(fts, -1, &len);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        double norm = K1 * (1 - B + B * (double)len / s->avgdl);
        for (int i = 0; i < s->nphrase; i++)
            score += s->idf[i] * freq[i] * (K1 + 1) / (freq[i] + norm);
        if (score <= 0)
            score = 1e-9; /* scored rows stay apart from the unscored ones */
    }
    sqlite3_result_double(ctx, -(OMK__RANK_TIER * (double)(ntiers - tier) + score));
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
