#!/usr/bin/env python3
"""Generates the kennisbank benchmark corpus and its queries from Debian's Dutch word list.

Usage: gen.py N OUTDIR [SEED]

Writes OUTDIR/corpus.json (N articles in the format `omnikanaal kennisbank import` reads) and
OUTDIR/queries.txt (one query per line: 1, 2 or 3 words, in equal parts).

Text is drawn from a Zipf distribution (s = 1) over a vocabulary whose most frequent ranks are
the Dutch stopwords of the query builder ("aan", "de", "een", ...), as in real text, followed by 50,000
words from /usr/share/dict/dutch in a fixed random order. A query takes 1-3 distinct content
words (no function words) from one random article, as a resident looks for something that
exists; so every AND query has at least one hit. Deterministic for a given N and SEED.
"""
import itertools
import json
import os
import random
import re
import sys

def function_words():
    """The query builder's Dutch stopwords (src/search/query.c), as the most frequent words:
    one list, so both engines see queries without them."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../src/search/query.c")
    text = open(src, encoding="utf-8").read()
    block = text[text.index("STOPWORDS[] = {"):]
    block = block[:block.index("};")]
    return re.findall(r'"([a-z]+)"', block)


WORDLIST = "/usr/share/dict/dutch"


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: gen.py N OUTDIR [SEED]")
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    with open(WORDLIST, encoding="utf-8", errors="ignore") as f:
        words = sorted({w.strip().lower() for w in f if w.strip().isalpha() and 3 <= len(w.strip()) <= 18})
    rnd.shuffle(words)
    func = function_words()
    funcset = set(func)
    vocab = func + [w for w in words if w not in funcset][:50000]
    weights = [1.0 / (r + 1) for r in range(len(vocab))]
    cum = list(itertools.accumulate(weights))
    nfunc = len(func)

    def draw(k):
        return rnd.choices(vocab, cum_weights=cum, k=k)

    def sentence(lo, hi):
        w = draw(rnd.randint(lo, hi))
        return w[0].capitalize() + " " + " ".join(w[1:]) + "."

    products = [w.capitalize() for w in vocab[nfunc:nfunc + 40]]
    lagen = ["generiek", "gemeentelijk", "gemeentelijk", "gemeentelijk"]
    os.makedirs(out, exist_ok=True)
    queries = []
    with open(os.path.join(out, "corpus.json"), "w", encoding="utf-8") as f:
        f.write("[\n")
        for i in range(n):
            titel = " ".join(draw(rnd.randint(2, 5))).capitalize()
            vragen = [sentence(5, 9)[:-1] + "?" for _ in range(rnd.randint(1, 3))]
            antwoord = "\n\n".join(" ".join(sentence(6, 14) for _ in range(rnd.randint(2, 4)))
                                   for _ in range(rnd.randint(2, 4)))
            art = {
                "titel": titel[:200],
                "vragen": vragen,
                "kortAntwoord": sentence(6, 14),
                "antwoord": antwoord,
                "laag": rnd.choice(lagen),
                "status": "gepubliceerd",
                "doelgroep": "inwoner" if rnd.random() < 0.8 else "ondernemer",
                "product": rnd.choice(products),
                "trefwoorden": draw(rnd.randint(1, 4)),
                "synoniemen": [],
                "afdeling": "Publiekszaken",
            }
            f.write(("," if i else "") + json.dumps(art, ensure_ascii=False) + "\n")
            if rnd.random() < 2000 / n:
                text = (titel + " " + " ".join(vragen) + " " + antwoord).lower()
                content = sorted({w.strip(".,?") for w in text.split()} - funcset - {""})
                k = 1 + len(queries) % 3
                if len(content) >= k:
                    queries.append(" ".join(rnd.sample(content, k)))
        f.write("]\n")
    with open(os.path.join(out, "queries.txt"), "w", encoding="utf-8") as f:
        for q in queries[:1000]:
            f.write(q + "\n")


if __name__ == "__main__":
    main()
