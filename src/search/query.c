/* The search-query builder and the readability score (see omk/search.h). */
#include <ctype.h>
#include <string.h>

#include "omk/buf.h"
#include "omk/search.h"
#include "omk/util.h"

/* A word character: ASCII letter or digit, or any byte of a multi-byte UTF-8 sequence
 * (letters with diacritics; the tokenizer folds them). */
static bool wordch(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

omk_rc omk_search_match(omk_arena *a, const char *text, bool any, char **out)
{
    *out = NULL;
    size_t n = strlen(text);
    if (omk_utf8_len(text, n) > OMK_SEARCH_MAX_QUERY)
        return OMK_TOOBIG;
    omk_buf b;
    omk_buf_init(&b, 8192);
    int terms = 0;
    size_t i = 0;
    size_t last_start = 0, last_len = 0;
    while (i < n && terms < OMK_SEARCH_MAX_TERMS) {
        while (i < n && !wordch((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < n && wordch((unsigned char)text[i]))
            i++;
        if (i == start)
            break;
        size_t len = i - start > 64 ? 64 : i - start;
        if (terms)
            omk_buf_puts(&b, any ? " OR " : " AND ");
        last_start = b.n;
        omk_buf_putc(&b, '"');
        omk_buf_append(&b, text + start, len);
        omk_buf_putc(&b, '"');
        last_len = len;
        terms++;
    }
    /* The word being typed matches as a whole word (stemmed) or as the start of a longer word
     * (prefix terms are not stemmed): ("woord" OR "woord"*). */
    if (terms && last_len >= 2 && !(n && !wordch((unsigned char)text[n - 1])) && !b.rc) {
        char *quoted = omk_arena_strndup(a, b.p + last_start, b.n - last_start);
        if (quoted) {
            b.n = last_start;
            omk_buf_printf(&b, "(%s OR %s*)", quoted, quoted);
        }
    }
    omk_rc rc = b.rc;
    if (!rc && terms)
        *out = omk_arena_strndup(a, b.p, b.n);
    if (!rc && terms && !*out)
        rc = OMK_NOMEM;
    omk_buf_release(&b);
    return rc;
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

void omk_search_readability(omk_arena *a, const char *text, int long_words, omk_readability *out)
{
    memset(out, 0, sizeof *out);
    out->long_sentence_text = omk_arena_alloc(a, 10 * sizeof *out->long_sentence_text);
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
