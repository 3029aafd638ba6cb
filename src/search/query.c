/* The search-query builder and the readability score (see omk/search.h). */
#include <ctype.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/search.h"
#include "omk/search_lexicon.h"
#include "omk/util.h"
#include "search_int.h"

/* A word character: ASCII letter or digit, or any byte of a multi-byte UTF-8 sequence
 * (letters with diacritics; the tokenizer folds them). */
static bool wordch(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Dutch function words (after Snowball's Dutch stop list, plus the question words residents
 * start with). They are left out of a query that has other words, so "hoe vraag ik een
 * paspoort aan" asks for "vraag" and "paspoort" rather than for every word. */
static const char *const STOPWORDS[] = {
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er",
    "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier",
    "hij", "hoe", "hoeveel", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan",
    "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar",
    "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over",
    "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor",
    "waar", "wanneer", "want", "waren", "was", "wat", "welke", "werd", "wezen", "wie", "wil",
    "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
};

bool omk__search_stopword(const char *w, size_t n)
{
    char low[16];
    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = 0;
    size_t lo = 0, hi = sizeof STOPWORDS / sizeof STOPWORDS[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(low, STOPWORDS[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* One query item: a word, or a phrase the user put between double quotes. */
typedef struct item {
    size_t start, end; /* in the text; for a phrase, the inside of the quotes */
    bool phrase, stop;
} item;

/* Appends the words of text[start, end) to b, separated by single spaces, at most 64 bytes
 * each; returns how many words. Only word characters are copied, so the result never holds
 * a double quote or other FTS5 syntax. */
static int put_words(omk_buf *b, const char *text, size_t start, size_t end)
{
    int words = 0;
    size_t i = start;
    while (i < end) {
        while (i < end && !wordch((unsigned char)text[i]))
            i++;
        size_t ws = i;
        while (i < end && wordch((unsigned char)text[i]))
            i++;
        if (i == ws)
            break;
        if (words++)
            omk_buf_putc(b, ' ');
        omk_buf_append(b, text + ws, i - ws > 64 ? 64 : i - ws);
    }
    return words;
}

/* Appends `("=a" OR "#a") AND ("=b" OR "#b")` for the parts of a compound word (a first part
 * that is a verb stem also as its infinitive: "parkeer", "parkeren"), each as a word of its
 * own (the string starting with OMK__SEARCH_WEAK_MARK, which the tokenizer drops, so that
 * omk_rank weighs it below the whole word) or as a part of another compound ("kleding" and
 * "textielbak" for "kledingbak"); false when w is no compound. */
static bool put_parts(omk_buf *b, const char *w, size_t n)
{
    char f[OMK_LEXICON_MAX_WORD], inf[OMK_LEXICON_MAX_WORD];
    omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS];
    size_t fn = n < sizeof f ? omk_lexicon_fold(w, n, f, sizeof f) : 0;
    int np = fn ? omk_lexicon_split(f, fn, parts) : 0;
    if (np < 2)
        return false;
    for (int i = 0; i < np; i++) {
        const char *p = f + parts[i].start;
        int pn = (int)parts[i].len;
        size_t in = i + 1 < np ? omk_lexicon_infinitive(p, parts[i].len, inf, sizeof inf) : 0;
        omk_buf_puts(b, i ? " AND " : "");
        omk_buf_printf(b, "(\"%c%.*s\" OR \"%c%.*s\"", OMK__SEARCH_WEAK_MARK, pn, p,
                       OMK__SEARCH_PART_MARK, pn, p);
        if (in)
            omk_buf_printf(b, " OR \"%c%.*s\" OR \"%c%.*s\"", OMK__SEARCH_WEAK_MARK, (int)in,
                           inf, OMK__SEARCH_PART_MARK, (int)in, inf);
        omk_buf_putc(b, ')');
    }
    return true;
}

/* The alternatives the synonym list gives for the word w[0..n) (folded), or NULL. */
static const char *const *synonyms_of(const omk_search_synonyms *syn, const char *w, size_t n,
                                      size_t *group_n, char f[OMK_LEXICON_MAX_WORD])
{
    size_t fn = syn && n < OMK_LEXICON_MAX_WORD ? omk_lexicon_fold(w, n, f, OMK_LEXICON_MAX_WORD) : 0;
    for (size_t g = 0; fn && g < syn->ngroups; g++) {
        const omk_search_synonym_group *grp = &syn->groups[g];
        for (size_t k = 0; k < grp->n; k++)
            if (strcmp(grp->terms[k], f) == 0) {
                *group_n = grp->n;
                return grp->terms;
            }
    }
    return NULL;
}

#define MAX_TERM_WORDS 4 /* words of a synonym term a sequence of typed words is compared with */

/* The group holding the term that the typed words items[k..k+m) (2..MAX_TERM_WORDS words, no
 * phrase) make, folded and joined by single spaces ("Grijze  container" → "grijze container"),
 * with the longest such sequence in *m; NULL when none does. */
static const omk_search_synonym_group *sequence_group(const omk_search_synonyms *syn,
                                                      const char *text, const item *items,
                                                      int nitems, int k, int *m)
{
    for (*m = MAX_TERM_WORDS; syn && *m >= 2; (*m)--) {
        if (k + *m > nitems)
            continue;
        char seq[OMK_SEARCH_MAX_SYNONYM + 1];
        size_t sn = 0;
        bool ok = true;
        for (int w = k; ok && w < k + *m; w++) {
            size_t wn = items[w].end - items[w].start;
            if (items[w].phrase || sn + (sn > 0) + wn >= sizeof seq) {
                ok = false;
                break;
            }
            if (sn)
                seq[sn++] = ' ';
            size_t fn = omk_lexicon_fold(text + items[w].start, wn, seq + sn, sizeof seq - sn);
            ok = fn > 0;
            sn += fn;
        }
        if (!ok)
            continue;
        seq[sn] = 0;
        for (size_t g = 0; g < syn->ngroups; g++)
            for (size_t t = 0; t < syn->groups[g].n; t++)
                if (strcmp(syn->groups[g].terms[t], seq) == 0)
                    return &syn->groups[g];
    }
    return NULL;
}

/* Appends the item for typed words that make a multi-word synonym term: the words (all of
 * them, or those that are no stopword) joined by AND, or any other term of the group:
 * (("grijze" AND "container") OR "kliko" OR "minicontainer"). */
static void put_sequence(omk_buf *b, const char *text, const item *items, int k, int m,
                         const omk_search_synonym_group *grp)
{
    int content = 0;
    for (int w = k; w < k + m; w++)
        content += !items[w].stop;
    omk_buf_puts(b, "((");
    int put = 0;
    for (int w = k; w < k + m; w++) {
        if (content && items[w].stop)
            continue;
        omk_buf_puts(b, put++ ? " AND \"" : "\"");
        put_words(b, text, items[w].start, items[w].end);
        omk_buf_putc(b, '"');
    }
    omk_buf_putc(b, ')');
    char seq[OMK_SEARCH_MAX_SYNONYM + 1];
    size_t sn = 0;
    for (int w = k; w < k + m; w++) {
        if (sn)
            seq[sn++] = ' ';
        sn += omk_lexicon_fold(text + items[w].start, items[w].end - items[w].start, seq + sn,
                               sizeof seq - sn);
    }
    seq[sn] = 0;
    for (size_t t = 0; t < grp->n; t++) {
        if (strcmp(grp->terms[t], seq) == 0)
            continue;
        size_t before = b->n;
        omk_buf_puts(b, " OR \"");
        if (put_words(b, grp->terms[t], 0, strlen(grp->terms[t])) == 0)
            b->n = before;
        else
            omk_buf_putc(b, '"');
    }
    omk_buf_putc(b, ')');
}

omk_rc omk_search_match(omk_arena *a, const char *text, bool any, char **out)
{
    return omk_search_match_ex(a, text, any, NULL, OMK_SEARCH_WORDS, out);
}

omk_rc omk_search_match_ex(omk_arena *a, const char *text, bool any,
                           const omk_search_synonyms *syn, omk_search_parts parts, char **out)
{
    *out = NULL;
    size_t n = strlen(text);
    if (omk_utf8_len(text, n) > OMK_SEARCH_MAX_QUERY)
        return OMK_TOOBIG;
    /* An odd number of double quotes: the last one opens nothing and counts as a separator. */
    size_t quotes = 0, last_quote = n;
    for (size_t i = 0; i < n; i++)
        if (text[i] == '"')
            quotes++, last_quote = i;
    item items[OMK_SEARCH_MAX_TERMS];
    int nitems = 0, nstop = 0;
    size_t i = 0;
    while (i < n && nitems < OMK_SEARCH_MAX_TERMS) {
        if (text[i] == '"' && !(quotes % 2 && i == last_quote)) {
            size_t close = i + 1;
            while (close < n && text[close] != '"')
                close++;
            items[nitems] = (item){.start = i + 1, .end = close, .phrase = true};
            /* A phrase without words ("" or "*") is nothing. */
            size_t k = i + 1;
            while (k < close && !wordch((unsigned char)text[k]))
                k++;
            if (k < close)
                nitems++;
            i = close < n ? close + 1 : n;
            continue;
        }
        if (!wordch((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && wordch((unsigned char)text[i]))
            i++;
        bool stop = omk__search_stopword(text + start, i - start);
        items[nitems++] = (item){.start = start, .end = i, .stop = stop};
        nstop += stop;
    }
    omk_buf b, alt;
    omk_buf_init(&b, 8192);
    omk_buf_init(&alt, 4096);
    int terms = 0;
    for (int k = 0; k < nitems; k++) {
        const item *it = &items[k];
        bool last = k == nitems - 1;
        /* The word still being typed is kept: it may be the start of a longer word. */
        bool typing = last && !it->phrase && it->end == n;
        /* Typed words that make a term of several words of the synonym list ("grijze
         * container") are one item with the group's other terms. */
        int m = 0;
        const omk_search_synonym_group *seq =
            it->phrase ? NULL : sequence_group(syn, text, items, nitems, k, &m);
        if (seq) {
            if (terms++)
                omk_buf_puts(&b, any ? " OR " : " AND ");
            put_sequence(&b, text, items, k, m, seq);
            k += m - 1;
            continue;
        }
        if (it->stop && nstop < nitems && !typing)
            continue;
        if (terms++)
            omk_buf_puts(&b, any ? " OR " : " AND ");
        size_t mark = b.n;
        omk_buf_putc(&b, '"');
        put_words(&b, text, it->start, it->end);
        omk_buf_putc(&b, '"');
        if (it->phrase || b.rc)
            continue;
        /* A word may also match as: the start of a longer word, when it is being typed (prefix
         * terms are not stemmed); its synonyms; a part of a compound in an entry
         * ("#vergunning" in "parkeervergunning"); when it is a compound itself, its parts
         * (all of them) — as far as `parts` asks. */
        size_t wn = it->end - it->start > 64 ? 64 : it->end - it->start;
        int nalt = 1;
        alt.n = 0;
        omk_buf_append(&alt, b.p + mark, b.n - mark);
        if (typing && wn >= 2) {
            omk_buf_puts(&alt, " OR ");
            omk_buf_append(&alt, b.p + mark, b.n - mark);
            omk_buf_putc(&alt, '*');
            nalt++;
        }
        size_t ns = 0;
        char folded[OMK_LEXICON_MAX_WORD];
        const char *const *group = synonyms_of(syn, text + it->start, wn, &ns, folded);
        for (size_t s = 0; group && s < ns; s++) {
            size_t before = alt.n;
            omk_buf_puts(&alt, " OR \"");
            if (strcmp(group[s], folded) == 0 || put_words(&alt, group[s], 0, strlen(group[s])) == 0)
                alt.n = before;
            else
                omk_buf_putc(&alt, '"'), nalt++;
        }
        if (parts >= OMK_SEARCH_PART_FORMS) {
            omk_buf_puts(&alt, " OR \"");
            omk_buf_putc(&alt, OMK__SEARCH_PART_MARK);
            omk_buf_append(&alt, b.p + mark + 1, b.n - mark - 1);
            nalt++;
        }
        if (parts >= OMK_SEARCH_SPLIT) {
            size_t before = alt.n;
            omk_buf_puts(&alt, " OR (");
            if (put_parts(&alt, text + it->start, wn))
                omk_buf_putc(&alt, ')'), nalt++;
            else
                alt.n = before;
        }
        if (nalt > 1 && !alt.rc) {
            b.n = mark;
            omk_buf_putc(&b, '(');
            omk_buf_append(&b, alt.p, alt.n);
            omk_buf_putc(&b, ')');
        }
    }
    omk_rc rc = b.rc ? b.rc : alt.rc;
    if (!rc && terms)
        *out = omk_arena_strndup(a, b.p, b.n);
    if (!rc && terms && !*out)
        rc = OMK_NOMEM;
    omk_buf_release(&b);
    omk_buf_release(&alt);
    return rc;
}

omk_rc omk_search_words(omk_arena *a, const char *text, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char **words = NULL;
    size_t nw = 0, len = strlen(text), i = 0;
    /* the folded words in order (a word that does not fold breaks a sequence) */
    char f[OMK_SEARCH_MAX_TERMS][OMK_LEXICON_MAX_WORD];
    size_t fl[OMK_SEARCH_MAX_TERMS];
    int nf = 0;
    while (i < len && nf < OMK_SEARCH_MAX_TERMS) {
        while (i < len && !wordch((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < len && wordch((unsigned char)text[i]))
            i++;
        if (i == start)
            break;
        fl[nf] = i - start < sizeof f[nf] ? omk_lexicon_fold(text + start, i - start, f[nf],
                                                             sizeof f[nf])
                                          : 0;
        nf++;
    }
    /* each word, then each sequence of 2..MAX_TERM_WORDS words, each once */
    for (int m = 1; m <= MAX_TERM_WORDS; m++)
        for (int k = 0; k + m <= nf; k++) {
            char seq[OMK_SEARCH_MAX_SYNONYM + 1];
            size_t sn = 0;
            bool ok = true;
            for (int w = k; ok && w < k + m; w++) {
                ok = fl[w] > 0 && sn + (sn > 0) + fl[w] < sizeof seq;
                if (ok && sn)
                    seq[sn++] = ' ';
                if (ok)
                    memcpy(seq + sn, f[w], fl[w]), sn += fl[w];
            }
            if (!ok)
                continue;
            seq[sn] = 0;
            bool seen = false;
            for (size_t s = 0; !seen && s < nw; s++)
                seen = strcmp(words[s], seq) == 0;
            if (seen)
                continue;
            if (!words && !(words = omk_arena_alloc(a, OMK_SEARCH_MAX_WORDS * sizeof *words)))
                return OMK_NOMEM;
            if (nw < OMK_SEARCH_MAX_WORDS && !(words[nw++] = omk_arena_strndup(a, seq, sn)))
                return OMK_NOMEM;
        }
    *out = words;
    *n = nw;
    return OMK_OK;
}

omk_rc omk_search_synonym_term(omk_arena *a, const char *text, char **out)
{
    *out = NULL;
    char t[OMK_SEARCH_MAX_SYNONYM + 1];
    size_t tn = 0, len = strlen(text), i = 0;
    while (i < len) {
        while (i < len && !wordch((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < len && wordch((unsigned char)text[i]))
            i++;
        if (i == start)
            break;
        char f[OMK_LEXICON_MAX_WORD];
        size_t fn = i - start < sizeof f ? omk_lexicon_fold(text + start, i - start, f, sizeof f) : 0;
        if (!fn || tn + (tn > 0) + fn > OMK_SEARCH_MAX_SYNONYM)
            return OMK_INVALID;
        if (tn)
            t[tn++] = ' ';
        memcpy(t + tn, f, fn);
        tn += fn;
    }
    if (!tn)
        return OMK_INVALID;
    *out = omk_arena_strndup(a, t, tn);
    return *out ? OMK_OK : OMK_NOMEM;
}

static bool vowel(unsigned char c)
{
    c = (unsigned char)tolower(c);
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Syllables of a Dutch word, approximated by groups of vowels (ij, oe, ui, … count once);
 * a UTF-8 accented vowel (é, ë, ï, …) starts a new group, as it does in Dutch spelling. */
static int syllables(const char *w, size_t n)
{
    int count = 0;
    bool in_group = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c == 0xc3 && i + 1 < n) {
            count++;
            in_group = true;
            i++;
            continue;
        }
        if (vowel(c)) {
            if (!in_group)
                count++;
            in_group = true;
        } else {
            in_group = false;
        }
    }
    return count ? count : 1;
}

/* Length of a list marker at the start of `line` ("- ", "* ", "+ ", "1. ", "2) "), else 0. */
static size_t list_marker(const char *line, size_t n)
{
    if (n >= 2 && strchr("-*+", line[0]) && line[1] == ' ')
        return 2;
    size_t d = 0;
    while (d < n && d < 3 && isdigit((unsigned char)line[d]))
        d++;
    return d && d + 1 < n && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ' ? d + 2 : 0;
}

/* The prose of Markdown text, the part a reader reads as sentences: headings dropped, a list
 * item kept only when it is a sentence of its own (ends in . ! ?), each item its own
 * paragraph; emphasis, code, quote and link marks become spaces. NULL when out of memory. */
static char *prose(omk_arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = omk_arena_alloc(a, 2 * n + 2), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && text[end] != '\n')
            end++;
        size_t s = i, e = end;
        i = end < n ? end + 1 : end;
        while (s < e && (text[s] == ' ' || text[s] == '\t'))
            s++;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
            e--;
        if (s < e && text[s] == '#') {
            *o++ = '\n'; /* a heading ends what came before it, and is no sentence */
            continue;
        }
        size_t m = list_marker(text + s, e - s);
        if (m) {
            s += m;
            *o++ = '\n';
            if (s >= e || !strchr(".!?", text[e - 1]))
                continue; /* a fragment, not a sentence */
        }
        for (size_t k = s; k < e; k++)
            *o++ = strchr("*_`>[]()|", text[k]) ? ' ' : text[k];
        *o++ = '\n';
        if (m)
            *o++ = '\n';
    }
    *o = 0;
    return out;
}

void omk_search_readability(omk_arena *a, const char *markdown, int long_words,
                            omk_readability *out)
{
    memset(out, 0, sizeof *out);
    out->long_sentence_text = omk_arena_alloc(a, 10 * sizeof *out->long_sentence_text);
    const char *text = prose(a, markdown);
    if (!text)
        return;
    size_t n = strlen(text), i = 0;
    while (i < n) {
        size_t start = i;
        int words = 0;
        /* A sentence ends at . ! ? or a blank line / list item break. */
        while (i < n) {
            while (i < n && !isalnum((unsigned char)text[i]) && (unsigned char)text[i] < 0x80 &&
                   !strchr(".!?\n", text[i]))
                i++;
            if (i >= n || strchr(".!?", text[i]) || (text[i] == '\n' && i + 1 < n &&
                                                     (text[i + 1] == '\n' || text[i + 1] == '-' ||
                                                      text[i + 1] == '*' || text[i + 1] == '#')))
                break;
            if (text[i] == '\n') {
                i++;
                continue;
            }
            size_t ws = i;
            while (i < n && (isalnum((unsigned char)text[i]) || (unsigned char)text[i] >= 0x80 ||
                             text[i] == '-' || text[i] == '\''))
                i++;
            words++;
            out->syllables += syllables(text + ws, i - ws);
        }
        while (i < n && (strchr(".!?\n", text[i])))
            i++;
        if (words == 0)
            continue;
        out->words += words;
        out->sentences++;
        if (words > long_words) {
            if (out->long_sentence_text && out->long_sentences < 10) {
                size_t len = i - start;
                while (len && strchr(" \n", text[start]))
                    start++, len--;
                out->long_sentence_text[out->long_sentences] = omk_arena_strndup(a, text + start, len);
            }
            out->long_sentences++;
        }
    }
    if (out->words && out->sentences)
        out->score = 206.835 - 0.93 * ((double)out->words / out->sentences) -
                     77.0 * ((double)out->syllables / out->words);
}
