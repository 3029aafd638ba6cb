/* The Dutch lexicon (see omk/search_lexicon.h): the word list in one buffer, a hash set of
 * its words, and the morphology that uses it (infinitives, compound splitting, near words).
 * Loaded once under pthread_once, read-only afterwards, so any thread may call in. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/log.h"
#include "omk/search_lexicon.h"
#include "search_int.h"

#define DEFAULT_LEXICON "/usr/share/dict/dutch"
#define MAX_FILE (64u << 20)

typedef struct lexicon {
    char *words;     /* NUL-separated folded words */
    uint32_t *slots; /* offset + 1 into words; 0 = empty */
    size_t nslots, count;
} lexicon;

static lexicon LEX;
static pthread_once_t LEX_ONCE = PTHREAD_ONCE_INIT;

static uint64_t hash(const char *w, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
    return h;
}

/* Latin-1 letters (U+00C0..U+00FF) without their diacritics; 0 for ×, ÷, æ, ð, þ, ß. */
static const char LATIN1[64] = "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y";

size_t omk_lexicon_fold(const char *text, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        char f = 0;
        if (c >= 'A' && c <= 'Z')
            f = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            f = (char)c;
        else if (c == 0xc3 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
                 (unsigned char)text[i + 1] <= 0xbf)
            f = LATIN1[(unsigned char)text[++i] - 0x80];
        if (!f || o + 1 >= cap)
            return 0;
        out[o++] = f;
    }
    if (cap)
        out[o] = 0;
    return o;
}

static bool insert(lexicon *l, size_t off, size_t n)
{
    uint64_t h = hash(l->words + off, n);
    for (size_t i = h & (l->nslots - 1);; i = (i + 1) & (l->nslots - 1)) {
        uint32_t s = l->slots[i];
        if (!s) {
            l->slots[i] = (uint32_t)off + 1;
            l->count++;
            return true;
        }
        if (memcmp(l->words + s - 1, l->words + off, n) == 0 && l->words[s - 1 + n] == 0)
            return false;
    }
}

/* Reads the list: one word a line; words with capitals (names, abbreviations) or with
 * anything but letters after folding (auto's, e-mail) are left out. */
static void load(void)
{
    const char *path = getenv("OMNIKANAAL_LEXICON");
    if (!path || !*path)
        path = DEFAULT_LEXICON;
    if (strcmp(path, "none") == 0)
        return;
    FILE *f = fopen(path, "rb");
    char *raw = NULL;
    size_t n = 0;
    if (!f) {
        omk_log_error("search", "no Dutch word list at %s (install wdutch): search without "
                               "inflections, compounds and typo suggestions", path);
        return;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long len = ftell(f);
        if (len > 0 && (unsigned long)len < MAX_FILE && fseek(f, 0, SEEK_SET) == 0 &&
            (raw = malloc((size_t)len + 1)))
            n = fread(raw, 1, (size_t)len, f);
    }
    fclose(f);
    lexicon l = {0};
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += raw[i] == '\n';
    l.nslots = 1;
    while (l.nslots < 2 * lines + 2)
        l.nslots <<= 1;
    l.words = malloc(n + 1);
    l.slots = calloc(l.nslots, sizeof *l.slots);
    if (!raw || !l.words || !l.slots || n >= UINT32_MAX) {
        free(l.words);
        free(l.slots);
        free(raw);
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && raw[e] != '\n')
            e++;
        bool lower = true;
        for (size_t k = i; k < e; k++)
            lower = lower && !(raw[k] >= 'A' && raw[k] <= 'Z');
        size_t len = lower && e - i < OMK_LEXICON_MAX_WORD
                         ? omk_lexicon_fold(raw + i, e - i, l.words + o, n + 1 - o)
                         : 0;
        bool letters = len > 0;
        for (size_t k = 0; k < len; k++)
            letters = letters && l.words[o + k] >= 'a';
        if (letters && insert(&l, o, len))
            o += len + 1;
        i = e + 1;
    }
    free(raw);
    LEX = l;
}

static const lexicon *lex(void)
{
    pthread_once(&LEX_ONCE, load);
    return &LEX;
}

size_t omk_lexicon_size(void)
{
    return lex()->count;
}

bool omk_lexicon_has(const char *w, size_t n)
{
    const lexicon *l = lex();
    if (!l->count || n == 0 || n >= OMK_LEXICON_MAX_WORD)
        return false;
    uint64_t h = hash(w, n);
    for (size_t i = h & (l->nslots - 1);; i = (i + 1) & (l->nslots - 1)) {
        uint32_t s = l->slots[i];
        if (!s)
            return false;
        if (memcmp(l->words + s - 1, w, n) == 0 && l->words[s - 1 + n] == 0)
            return true;
    }
}

/* ---- verbs ---- */

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* A word built from pieces, capped at OMK_LEXICON_MAX_WORD. */
typedef struct word {
    char s[OMK_LEXICON_MAX_WORD];
    size_t n;
    bool ok;
} word;

static void w_init(word *w)
{
    w->n = 0;
    w->ok = true;
    w->s[0] = 0;
}

static void w_add(word *w, const char *p, size_t n)
{
    if (!w->ok || w->n + n + 1 > sizeof w->s) {
        w->ok = false;
        return;
    }
    memcpy(w->s + w->n, p, n);
    w->n += n;
    w->s[w->n] = 0;
}

static bool w_known(const word *w)
{
    return w->ok && omk_lexicon_has(w->s, w->n);
}

static size_t put(const word *w, char *out, size_t cap)
{
    if (!w->ok || w->n + 1 > cap)
        return 0;
    memcpy(out, w->s, w->n + 1);
    return w->n;
}

/* The infinitive of a verb stem as Dutch spells it: a short vowel doubles the final consonant
 * (zet → zetten), a long one written double loses a letter (vraag → vragen), s and f after a
 * long vowel may be voiced (verhuis → verhuizen, leef → leven). The stem the infinitive is
 * made of (its last letter decides -de or -te) is infinitive minus "en". */
size_t omk_lexicon_infinitive(const char *x, size_t n, char *out, size_t cap)
{
    if (n < 2 || n + 4 > OMK_LEXICON_MAX_WORD || vowel(x[n - 1]))
        return 0;
    size_t v = n - 1; /* the vowel run before the final consonants */
    while (v > 0 && !vowel(x[v - 1]))
        v--;
    size_t vs = v;
    while (vs > 0 && vowel(x[vs - 1]))
        vs--;
    if (v == 0 || vs == v)
        return 0;
    bool one_consonant = v == n - 1;
    word w;
    w_init(&w);
    if (one_consonant && v - vs == 1) {
        /* short vowel: double the consonant */
        w_add(&w, x, n);
        w_add(&w, x + n - 1, 1);
        w_add(&w, "en", 2);
        return w_known(&w) ? put(&w, out, cap) : 0;
    }
    size_t keep = n;
    if (one_consonant && v - vs == 2 && x[vs] == x[vs + 1] && x[vs] != 'i')
        keep = n - 2; /* vraag → vrag-, the consonant is added below */
    char last = x[n - 1];
    char voiced = last == 's' ? 'z' : last == 'f' ? 'v' : 0;
    w_add(&w, x, keep == n ? n - 1 : keep);
    size_t base = w.n;
    w_add(&w, &last, 1);
    w_add(&w, "en", 2);
    if (w_known(&w))
        return put(&w, out, cap);
    if (voiced && one_consonant) {
        w.n = base;
        w_add(&w, &voiced, 1);
        w_add(&w, "en", 2);
        if (w_known(&w))
            return put(&w, out, cap);
    }
    return 0;
}

/* 't kofschip: a stem ending in one of these takes -te(n) and -t; others -de(n) and -d. */
static bool kofschip(const char *inf, size_t n)
{
    return n >= 3 && strchr("tkfschpx", inf[n - 3]) != NULL;
}

/* Separable particles that stand before ge- in a participle (aan-ge-vraagd). */
static const char *const PARTICLES[] = {"", "aan", "af", "bij", "binnen", "door", "in", "mee",
                                        "na", "om", "onder", "op", "over", "terug", "thuis",
                                        "toe", "uit", "vast", "voor", "weg", "samen", NULL};

/* Prefixes that take no ge- in the participle (verhuisd, betaald, ontvangen). */
static bool unprefixed_verb(const char *w, size_t n)
{
    static const char *const P[] = {"be", "ver", "ont", "her", "er", NULL};
    for (int i = 0; P[i]; i++) {
        size_t k = strlen(P[i]);
        if (n > k + 3 && memcmp(w, P[i], k) == 0)
            return true;
    }
    return false;
}

static size_t with_particle(const char *p, const char *inf, size_t in, char *out, size_t cap)
{
    word w;
    w_init(&w);
    w_add(&w, p, strlen(p));
    w_add(&w, inf, in);
    return w_known(&w) ? put(&w, out, cap) : 0;
}

size_t omk_lexicon_lemma(const char *w, size_t n, char *out, size_t cap)
{
    char inf[OMK_LEXICON_MAX_WORD];
    size_t in;
    if (n < 5 || n >= OMK_LEXICON_MAX_WORD || cap < OMK_LEXICON_MAX_WORD || !lex()->count)
        return 0;
    char last = w[n - 1];
    /* Past participles with ge-, after a separable particle or not. */
    for (int i = 0; PARTICLES[i]; i++) {
        size_t p = strlen(PARTICLES[i]);
        if (n < p + 5 || memcmp(w, PARTICLES[i], p) != 0 || memcmp(w + p, "ge", 2) != 0)
            continue;
        const char *rest = w + p + 2;
        size_t rn = n - p - 2;
        if (last == 'd' || last == 't') {
            in = omk_lexicon_infinitive(rest, rn - 1, inf, sizeof inf);
            if (in && kofschip(inf, in) == (last == 't') &&
                (in = with_particle(PARTICLES[i], inf, in, out, cap)))
                return in;
            /* A stem ending in d or t takes nothing more (gezet, gebeld is above). */
            in = omk_lexicon_infinitive(rest, rn, inf, sizeof inf);
            if (in && in == rn + 3 && (in = with_particle(PARTICLES[i], inf, in, out, cap)))
                return in;
        }
        /* Strong verbs whose vowel stays: gegeven → geven, aangegeven → aangeven. */
        if (rn >= 4 && memcmp(rest + rn - 2, "en", 2) == 0 &&
            (in = with_particle(PARTICLES[i], rest, rn, out, cap)))
            return in;
    }
    /* Without ge-: verhuisd (participle), verhuist (present). */
    if ((last == 'd' || last == 't') && unprefixed_verb(w, n)) {
        in = omk_lexicon_infinitive(w, n - 1, out, cap);
        if (in && (last == 't' || !kofschip(out, in)))
            return in;
        in = omk_lexicon_infinitive(w, n, out, cap);
        if (in && in == n + 3)
            return in;
    }
    /* Past tense: -de, -te, -den, -ten, as 't kofschip says. */
    static const char *const PAST[] = {"den", "ten", "de", "te", NULL};
    for (int i = 0; PAST[i]; i++) {
        size_t k = strlen(PAST[i]);
        if (n < k + 3 || memcmp(w + n - k, PAST[i], k) != 0)
            continue;
        in = omk_lexicon_infinitive(w, n - k, out, cap);
        if (in && kofschip(out, in) == (PAST[i][0] == 't'))
            return in;
    }
    return 0;
}

/* ---- compounds ---- */

/* Derivational endings that are words too (heid, ing, baar, …): never a part of their own. */
static bool suffix_word(const char *w, size_t n)
{
    static const char *const S[] = {"achtig", "baar", "dom", "erij", "heid", "ing", "isch",
                                     "lijk", "loos", "nis", "schap", "ster", "tje", "tjes",
                                     "mee", "toe", "ingen", "ver", "eren", "erop", "ding", "den",
                                     "ten", "sen", "ers", NULL};
    for (int i = 0; S[i]; i++)
        if (strlen(S[i]) == n && memcmp(S[i], w, n) == 0)
            return true;
    return false;
}

static bool part_ok(const char *w, size_t n)
{
    return n >= 3 && !(n == 3 && w[0] == 'g' && w[1] == 'e') && !suffix_word(w, n) && !omk__search_stopword(w, n) && omk_lexicon_has(w, n);
}

int omk_lexicon_split(const char *w, size_t n, omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS])
{
    enum { MAXN = OMK_LEXICON_MAX_WORD };
    char lemma[MAXN];
    if (n < 6 || n >= MAXN || !lex()->count)
        return 0;
    /* An inflected verb form is no compound (woonden is not woon|den). */
    if (omk_lexicon_lemma(w, n, lemma, sizeof lemma))
        return 0;
    /* best[i]: the best split of w[i..n) into parts (count 0: none); next[i], plen[i]: the
     * first part's end (with its link) and length. */
    int count[MAXN + 1];
    size_t minlen[MAXN + 1], next[MAXN + 1], plen[MAXN + 1];
    count[n] = 0;
    minlen[n] = MAXN;
    static const char *const LINKS[] = {"", "s", "e", "en", "er", NULL};
    for (size_t i = n; i-- > 0;) {
        count[i] = 0;
        for (size_t j = i + 3; j <= n; j++) {
            if (!part_ok(w + i, j - i))
                continue;
            for (int k = 0; LINKS[k]; k++) {
                size_t ln = strlen(LINKS[k]);
                size_t e = j + ln;
                if (e > n || memcmp(w + j, LINKS[k], ln) != 0)
                    continue;
                if (e == n && ln)
                    continue; /* a link joins two parts */
                if (e < n && count[e] == 0)
                    continue;
                if (i == 0 && e == n)
                    continue; /* the whole word is no split */
                /* Short parts make false splits (par|keer, woon|den, park|e|ren): a part
                 * has 4 letters or more, except a first part of 3 before a last part of 6
                 * (kap|vergunning) and a last part of 3 right after a part of 5 (afval|pas). */
                size_t pl = j - i;
                if (e < n && count[e] == 1 && n - e == 3 && (ln || pl < 5))
                    continue;
                if (e < n && pl < 4 && !(i == 0 && count[e] == 1 && n - e >= 6))
                    continue;
                if (e == n && pl < 4 && i < 5)
                    continue;
                if (e < n && count[e] > 1 && minlen[e] < 4)
                    continue;
                int c = 1 + count[e];
                if (c > OMK_LEXICON_MAX_PARTS)
                    continue;
                size_t ml = minlen[e] < j - i ? minlen[e] : j - i;
                /* Fewest parts; then the longest first part (gemeente|huis, not
                 * gemeen|tehuis): Dutch compounds are mostly read from the left. */
                if (count[i] == 0 || c < count[i] || (c == count[i] && j - i > plen[i])) {
                    count[i] = c;
                    minlen[i] = ml;
                    next[i] = e;
                    plen[i] = j - i;
                }
            }
        }
    }
    if (count[0] < 2)
        return 0;
    int np = 0;
    for (size_t i = 0; i < n && np < OMK_LEXICON_MAX_PARTS; i = next[i])
        parts[np++] = (omk_lexicon_part){i, plen[i]};
    return np;
}

/* ---- near words ---- */

typedef struct near_ctx {
    bool (*cb)(void *, const char *, size_t, int);
    void *ud;
    const char *orig;
    size_t orig_n, reported;
    char seen[32][OMK_LEXICON_MAX_WORD];
    int nseen;
    bool stop;
} near_ctx;

static void report(near_ctx *c, const char *w, size_t n, int dist)
{
    if (c->stop || (n == c->orig_n && memcmp(w, c->orig, n) == 0) || !omk_lexicon_has(w, n))
        return;
    for (int i = 0; i < c->nseen; i++)
        if (strlen(c->seen[i]) == n && memcmp(c->seen[i], w, n) == 0)
            return;
    if (c->nseen < 32) {
        memcpy(c->seen[c->nseen], w, n);
        c->seen[c->nseen++][n] = 0;
    }
    c->reported++;
    if (!c->cb(c->ud, w, n, dist))
        c->stop = true;
}

/* Every word one edit from w (n < MAX) is passed to visit(c, word, len, arg). */
static void edits1(const char *w, size_t n, void (*visit)(near_ctx *, const char *, size_t, int),
                   near_ctx *c, int arg)
{
    char b[OMK_LEXICON_MAX_WORD + 2];
    static const char ALPHA[] = "abcdefghijklmnopqrstuvwxyz";
    if (n + 2 >= sizeof b)
        return;
    for (size_t i = 0; i < n && !c->stop; i++) { /* delete */
        memcpy(b, w, i);
        memcpy(b + i, w + i + 1, n - i - 1);
        visit(c, b, n - 1, arg);
    }
    for (size_t i = 0; i + 1 < n && !c->stop; i++) { /* swap neighbours */
        if (w[i] == w[i + 1])
            continue;
        memcpy(b, w, n);
        b[i] = w[i + 1];
        b[i + 1] = w[i];
        visit(c, b, n, arg);
    }
    for (size_t i = 0; i < n && !c->stop; i++) /* substitute */
        for (const char *a = ALPHA; *a && !c->stop; a++) {
            if (*a == w[i])
                continue;
            memcpy(b, w, n);
            b[i] = *a;
            visit(c, b, n, arg);
        }
    for (size_t i = 0; i <= n && !c->stop; i++) /* insert */
        for (const char *a = ALPHA; *a && !c->stop; a++) {
            memcpy(b, w, i);
            b[i] = *a;
            memcpy(b + i + 1, w + i, n - i);
            visit(c, b, n + 1, arg);
        }
    for (size_t i = 0; i < n && !c->stop; i++) { /* y ↔ ij: one letter in Dutch */
        if (w[i] == 'y') {
            memcpy(b, w, i);
            b[i] = 'i';
            b[i + 1] = 'j';
            memcpy(b + i + 2, w + i + 1, n - i - 1);
            visit(c, b, n + 1, arg);
        } else if (w[i] == 'i' && i + 1 < n && w[i + 1] == 'j') {
            memcpy(b, w, i);
            b[i] = 'y';
            memcpy(b + i + 1, w + i + 2, n - i - 2);
            visit(c, b, n - 1, arg);
        }
    }
}

static void visit_final(near_ctx *c, const char *w, size_t n, int dist)
{
    if (n > 0)
        report(c, w, n, dist);
}

static void visit_again(near_ctx *c, const char *w, size_t n, int dist)
{
    if (n > 0)
        edits1(w, n, visit_final, c, dist);
}

size_t omk_lexicon_near(const char *w, size_t n, int maxdist,
                        bool (*cb)(void *ud, const char *word, size_t len, int dist), void *ud)
{
    near_ctx *c = calloc(1, sizeof *c);
    if (!c || n < 2 || n + 4 >= OMK_LEXICON_MAX_WORD || !lex()->count) {
        free(c);
        return 0;
    }
    c->cb = cb;
    c->ud = ud;
    c->orig = w;
    c->orig_n = n;
    edits1(w, n, visit_final, c, 1);
    if (maxdist >= 2 && !c->stop)
        edits1(w, n, visit_again, c, 2);
    size_t r = c->reported;
    free(c);
    return r;
}
