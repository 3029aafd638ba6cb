/* Kennisbank benchmark, the peer: Xapian (Debian libxapian, the library behind xapian-tools)
 * indexing and querying the same corpus in process, set up to do the same work as ours:
 * Dutch Snowball stemming of every term (STEM_ALL, as our index stores only stems), positions
 * kept (our FTS5 index keeps them too), field weights through wdf (title x10, questions x5,
 * keywords x3, answer x1), BM25, AND of the query words with OR when AND finds nothing, up
 * to 1000 matches examined for the count, and the title and a snippet highlighted for the
 * first 20.
 *
 *   kb_xapian build DIR CORPUS          prints "seconds N" for indexing and committing
 *   kb_xapian query DIR QUERIES [REPS]  prints latency percentiles in microseconds */
#include <jansson.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ctime>
#include <string>
#include <vector>

static double now_s()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/* CPU time of this thread: what a query costs without the waits that other work on a shared
 * machine adds to the wall-clock time. */
static double cpu_s()
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static std::string str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static std::string joined(json_t *arr)
{
    std::string out;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        out += json_string_value(v) ? json_string_value(v) : "";
        out += "\n";
    }
    return out;
}

static int build(const char *dir, const char *corpus)
{
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("dutch"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    std::ifstream in(corpus);
    std::string line;
    long n = 0;
    double t0 = now_s();
    while (std::getline(in, line)) {
        const char *p = line.c_str();
        if (*p == ',')
            p++;
        if (*p != '{')
            continue;
        json_t *a = json_loads(p, 0, nullptr);
        if (!a) {
            fprintf(stderr, "kb_xapian: bad corpus line\n");
            return 1;
        }
        Xapian::Document doc;
        tg.set_document(doc);
        std::string titel = str(a, "titel");
        std::string antwoord = str(a, "kortAntwoord") + "\n" + str(a, "antwoord");
        tg.index_text(titel, 10);
        tg.increase_termpos();
        tg.index_text(joined(json_object_get(a, "vragen")), 5);
        tg.increase_termpos();
        tg.index_text(joined(json_object_get(a, "trefwoorden")) + str(a, "product"), 3);
        tg.increase_termpos();
        tg.index_text(antwoord, 1);
        /* what a result shows: the title and the text the snippet comes from */
        doc.set_data(titel + '\x1f' + antwoord);
        db.add_document(doc);
        json_decref(a);
        n++;
    }
    db.commit();
    double t1 = now_s();
    printf("articles %ld\nseconds %.3f\n", n, t1 - t0);
    return 0;
}

static volatile size_t g_sink; /* keeps the snippets from being optimised away */

static size_t search(Xapian::Database &db, const Xapian::Stem &stem, const std::string &q)
{
    std::vector<std::string> terms;
    std::string w;
    for (size_t i = 0; i <= q.size(); i++) {
        unsigned char c = i < q.size() ? (unsigned char)q[i] : ' ';
        if (isalnum(c) || c >= 0x80) {
            w += (char)tolower(c);
        } else if (!w.empty()) {
            terms.push_back(stem(w));
            w.clear();
        }
    }
    size_t n = 0;
    for (int any = 0; any < 2 && n == 0 && !terms.empty(); any++) {
        Xapian::Query query(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, terms.begin(),
                            terms.end());
        Xapian::Enquire enq(db);
        enq.set_query(query);
        Xapian::MSet m = enq.get_mset(0, 20, 1000);
        n = m.get_matches_estimated() > 1000 ? 1000 : m.get_matches_estimated();
        for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it) {
            std::string data = it.get_document().get_data();
            size_t sep = data.find('\x1f');
            std::string hl = m.snippet(data.substr(0, sep), 500, stem,
                                       Xapian::MSet::SNIPPET_EXHAUSTIVE, "\x02", "\x03", "");
            std::string sn = m.snippet(data.substr(sep + 1), 200, stem,
                                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL, "\x02", "\x03",
                                       "…");
            g_sink += hl.size() + sn.size();
        }
    }
    return n;
}

static int query(const char *dir, const char *qfile, int reps)
{
    Xapian::Database db(dir);
    Xapian::Stem stem("dutch");
    std::ifstream in(qfile);
    std::vector<std::string> qs;
    std::string line;
    while (std::getline(in, line))
        qs.push_back(line);
    for (auto &q : qs)
        search(db, stem, q);
    std::vector<double> lat, cpu;
    double hits = 0;
    for (int r = 0; r < reps; r++)
        for (auto &q : qs) {
            double t0 = now_s(), c0 = cpu_s();
            hits += (double)search(db, stem, q);
            cpu.push_back((cpu_s() - c0) * 1e6);
            lat.push_back((now_s() - t0) * 1e6);
        }
    std::sort(lat.begin(), lat.end());
    std::sort(cpu.begin(), cpu.end());
    size_t m = lat.size();
    double sum = 0;
    for (double x : lat)
        sum += x;
    printf("queries %zu\np50_us %.0f\np90_us %.0f\np99_us %.0f\nmax_us %.0f\nmean_us %.0f\n"
           "mean_hits %.1f\n",
           m, lat[m / 2], lat[(size_t)(m * 0.90)], lat[(size_t)(m * 0.99)], lat[m - 1], sum / m,
           hits / m);
    printf("cpu_p50_us %.0f\ncpu_p99_us %.0f\n", cpu[m / 2], cpu[(size_t)(m * 0.99)]);
    return 0;
}

int main(int argc, char **argv)
{
    try {
        if (argc >= 4 && strcmp(argv[1], "build") == 0)
            return build(argv[2], argv[3]);
        if (argc >= 4 && strcmp(argv[1], "query") == 0)
            return query(argv[2], argv[3], argc > 4 ? (int)strtol(argv[4], nullptr, 10) : 1);
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "kb_xapian: %s\n", e.get_description().c_str());
        return 1;
    }
    fprintf(stderr, "usage: kb_xapian build DIR CORPUS | kb_xapian query DIR QUERIES [REPS]\n");
    return 2;
}
