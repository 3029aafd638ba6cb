/* The Dutch lexicon behind the kennisbank search: a word list taken from a Debian package
 * (wdutch's /usr/share/dict/dutch, OpenTaal's list of full forms) used to map inflected verb
 * forms to their infinitive ("verhuisd" → "verhuizen", "aangevraagd" → "aanvragen"), to split
 * compounds into their parts ("parkeervergunning" → "parkeer" + "vergunning") and to find the
 * words close to a typo ("paspoord" → "paspoort"). The rules are Dutch morphology (the ge-
 * prefix, -d/-t/-de/-te with 't kofschip, vowel and consonant spelling, the linking -s-/-e(n)-);
 * the word list decides which of the candidates a rule makes is a real word, so nothing is
 * a hand-typed table of words.
 *
 * The list is loaded once, on first use, from $OMNIKANAAL_LEXICON or /usr/share/dict/dutch,
 * and is read-only afterwards: every function is thread-safe. Without a list (the file is
 * missing; OMNIKANAAL_LEXICON=none) the functions find nothing, and search falls back to
 * stemming alone. Words are compared folded: lowercase ASCII, Latin-1 diacritics removed, as
 * the full-text tokenizer (unicode61 remove_diacritics 2) folds them. */
#ifndef OMK_SEARCH_LEXICON_H
#define OMK_SEARCH_LEXICON_H

#include <stdbool.h>
#include <stddef.h>

#define OMK_LEXICON_MAX_WORD 48 /* longer words are not looked up */
#define OMK_LEXICON_MAX_PARTS 4 /* parts of a compound */

/* How many words the lexicon holds (loading it on the first call); 0 without one. */
size_t omk_lexicon_size(void);

/* Whether the folded word w[0..n) is in the lexicon. */
bool omk_lexicon_has(const char *w, size_t n);

/* Folds UTF-8 text[0..n) as the tokenizer does (lowercase, é → e, ï → i, …) into out (cap
 * bytes, NUL-terminated). Returns the folded length, or 0 when the text holds a character
 * outside ASCII and Latin-1 letters or does not fit. */
size_t omk_lexicon_fold(const char *text, size_t n, char *out, size_t cap);

/* The infinitive that the folded word w[0..n) is an inflection of: a past participle
 * ("verhuisd", "aangevraagd", "gegeven"), a past tense ("verhuisde", "woonden") or a
 * present form of a verb with a prefix ("verhuist"). Written to out (cap bytes, NUL-
 * terminated); returns its length, 0 when w is no such form or the infinitive is not in the
 * lexicon. Irregular (strong) verbs whose vowel changes ("ging", "aangeboden") are not
 * derived. */
size_t omk_lexicon_lemma(const char *w, size_t n, char *out, size_t cap);

/* The infinitive of a bare verb stem ("parkeer" → "parkeren", "vraag" → "vragen", "zet" →
 * "zetten"), as omk_lexicon_lemma writes it; 0 when there is none in the lexicon. */
size_t omk_lexicon_infinitive(const char *stem, size_t n, char *out, size_t cap);

/* One part of a compound: w[start, start + len), without its linking -s-/-e-/-en-. */
typedef struct omk_lexicon_part {
    size_t start, len;
} omk_lexicon_part;

/* Splits the folded compound w[0..n) into 2..OMK_LEXICON_MAX_PARTS words of the lexicon,
 * each at least 3 letters and none a function word ("aan", "voor", …), with an optional
 * linking -s-, -e- or -en- after a part: "parkeervergunning" → parkeer | vergunning,
 * "hondenbelasting" → honden | belasting, "bestemmingsplan" → bestemming (s) | plan. The
 * fewest parts win, then the longest first part. Returns the number of parts written to
 * parts (0: not a compound). */
int omk_lexicon_split(const char *w, size_t n, omk_lexicon_part parts[OMK_LEXICON_MAX_PARTS]);

/* The lexicon words within `maxdist` edits (insert, delete, substitute, swap two neighbours;
 * "ij" and "y" are one letter) of the folded word w[0..n), 1 ≤ maxdist ≤ 2, excluding w
 * itself, each called back once with its distance; the callback returns false to stop.
 * Returns how many were reported. */
size_t omk_lexicon_near(const char *w, size_t n, int maxdist,
                        bool (*cb)(void *ud, const char *word, size_t len, int dist), void *ud);

#endif
