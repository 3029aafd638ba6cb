/* bench/history/gen: fills a database just created by `omnikanaal migrate` with a Klantinteracties
 * register of a given size, written straight into the tables (no HTTP), in exactly the column
 * formats the server itself writes. The formats were read off rows created through the API:
 *   - uuids: random version 4, lower-case text; references hold the target's uuid text;
 *   - timestamps: INTEGER microseconds since the epoch (whole seconds here); booleans 0/1;
 *   - '' where the server stores an empty string (address parts, voorvoegsel, reactie,
 *     hoofd_onderwerp_type, interne_notitie, ...), NULL where it stores NULL (nummer,
 *     huisnummer, referentienummer, unset references).
 *
 * Shape (DESIGN.md §7, issue 3):
 *   - --partijen natuurlijke personen, each with a BSN partij-identificator (valid 11-proef) and
 *     an e-mail digitaal adres; 50 medewerkers (actoren);
 *   - --contacts klantcontacten over the 365 days before --end-day, on working hours, ids in time
 *     order (as they are registered); klantcontact i has one betrokkene (rol klant, initiator)
 *     for partij ((i - 1) % partijen) + 1, so every partij has contacts / partijen contacts spread
 *     evenly over the year, and one actorklantcontact (KISS always links the medewerker);
 *   - every 10th klantcontact an onderwerpobject (a zaak, as KISS writes it), every 25th an
 *     interne taak (contactverzoek) assigned to that medewerker, the older half verwerkt.
 *
 * Speed: one transaction, journal off, prepared statements; the schema's secondary indexes on the
 * filled tables are dropped first and re-created afterwards from their own CREATE statements
 * (sqlite_master), so the final schema is exactly the migrated one. The UNIQUE uuid indexes stay
 * and are filled in random order, as in production. No ANALYZE: the server never runs it, so
 * the query planner sees what it sees on a register grown through the API. Data depend only on
 * --seed and --end-day.
 *
 * Usage: gen --db FILE --partijen N --contacts N [--end-day EPOCH_SECONDS] [--seed N]
 * Prints one line: GEN key=value ... */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "gen: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n  in: %.200s\n", err ? err : "error", sql);
        exit(1);
    }
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql);
    return st;
}

static void step(sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(sqlite3_sql(st));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* splitmix64: fast, good enough for test data, reproducible from --seed. */
static uint64_t rng;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A random version 4 uuid, lower-case, 36 characters plus NUL. */
static void uuid4(char out[37])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    uint64_t a = rnd(), c = rnd();
    memcpy(b, &a, 8);
    memcpy(b + 8, &c, 8);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        die("bind");
}

static void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    if (sqlite3_bind_int64(st, i, v) != SQLITE_OK)
        die("bind");
}

static int64_t count_rows(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = prep(sql);
    if (sqlite3_step(st) != SQLITE_ROW)
        die(sql);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const TABLES[] = {
    "partijen", "partij_identificatoren", "digitale_adressen", "actoren", "klantcontacten",
    "betrokkenen", "actorklantcontacten", "onderwerpobjecten", "internetaken",
    "internetaak_actoren",
};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

static const char *const VOORNAMEN[] = {
    "Jan", "Fatima", "Pieter", "Anouk", "Mohamed", "Sanne", "Daan", "Emma", "Lucas", "Julia",
    "Mehmet", "Sophie", "Thomas", "Lisa", "Bram", "Noor", "Kevin", "Eva", "Ahmed", "Fleur",
    "Ruben", "Iris", "Stefan", "Maria",
};
static const char *const VOORVOEGSELS[] = { "", "van", "de", "van der", "", "", "van den", "", "", "" };
static const char *const ACHTERNAMEN[] = {
    "Jansen", "Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
    "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kok", "Jacobs", "Vermeulen", "Willems", "Boer",
    "Berg", "Wit", "Graaf", "Leeuwen", "Dijk", "Koster", "Prins", "Huisman", "Kuipers", "Postma",
    "Peeters", "Maas", "Verbeek", "Hoekstra", "Schouten", "Kramer",
};
static const char *const KANALEN[] = { "telefoon", "email", "balie", "chat", "website" };
static const char *const ONDERWERPEN[] = {
    "Verhuizing doorgeven", "Aanvraag paspoort", "Melding openbare ruimte",
    "Vraag over afvalinzameling", "Parkeervergunning aanvragen", "Vraag over belastingaanslag",
    "Aanvraag bijstand", "Klacht over behandeling",
};
#define N(a) ((int64_t)(sizeof a / sizeof a[0]))

#define ADRES_COLS                                                                              \
    "bezoek_nummeraanduiding_id, bezoek_straatnaam, bezoek_huisnummer, "                        \
    "bezoek_huisnummertoevoeging, bezoek_postcode, bezoek_stad, bezoek_adresregel1, "          \
    "bezoek_adresregel2, bezoek_adresregel3, bezoek_land, corr_nummeraanduiding_id, "           \
    "corr_straatnaam, corr_huisnummer, corr_huisnummertoevoeging, corr_postcode, corr_stad, "   \
    "corr_adresregel1, corr_adresregel2, corr_adresregel3, corr_land"
/* Both addresses unset, as the server stores them: '' everywhere, huisnummer NULL. */
#define ADRES_EMPTY "'', '', NULL, '', '', '', '', '', '', '', '', '', NULL, '', '', '', '', '', '', ''"

typedef struct {
    char uuid[37], voorletter[2];
    const char *voornaam, *voorvoegsel, *achternaam;
} partij;

int main(int argc, char **argv)
{
    const char *path = NULL;
    int64_t partijen = 0, contacts = 0, seed = 1;
    int64_t end_day = (int64_t)time(NULL) / 86400 * 86400;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            puts("Usage: gen --db FILE --partijen N --contacts N [--end-day EPOCH_SECONDS] [--seed N]\n"
                 "Fills a freshly migrated omnikanaal database; see the comment at the top of gen.c.");
            return 0;
        }
        if (!v) {
            fprintf(stderr, "gen: %s needs a value (see --help)\n", a);
            return 2;
        }
        if (strcmp(a, "--db") == 0) path = v;
        else if (strcmp(a, "--partijen") == 0) partijen = strtoll(v, NULL, 10);
        else if (strcmp(a, "--contacts") == 0) contacts = strtoll(v, NULL, 10);
        else if (strcmp(a, "--end-day") == 0) end_day = strtoll(v, NULL, 10) / 86400 * 86400;
        else if (strcmp(a, "--seed") == 0) seed = strtoll(v, NULL, 10);
        else {
            fprintf(stderr, "gen: unknown option %s (see --help)\n", a);
            return 2;
        }
        i++;
    }
    if (!path || partijen < 1 || contacts < 1) {
        fprintf(stderr, "gen: --db, --partijen (>= 1) and --contacts (>= 1) are required\n");
        return 2;
    }
    rng = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1;
    double t0 = now_s();

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(path);
    for (size_t t = 0; t < NTABLES; t++)
        if (count_rows(TABLES[t]) != 0) {
            fprintf(stderr, "gen: table %s is not empty; give a database fresh from migrate\n", TABLES[t]);
            return 1;
        }
    exec("PRAGMA foreign_keys=OFF; PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF;"
         " PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;");

    /* The secondary indexes of the filled tables, to re-create verbatim afterwards. */
    char **index_sql = NULL, **index_name = NULL;
    int nindex = 0;
    {
        sqlite3_stmt *st = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                " AND tbl_name IN ('partijen', 'partij_identificatoren', 'digitale_adressen',"
                                " 'actoren', 'klantcontacten', 'betrokkenen', 'actorklantcontacten',"
                                " 'onderwerpobjecten', 'internetaken', 'internetaak_actoren')");
        while (sqlite3_step(st) == SQLITE_ROW) {
            index_name = realloc(index_name, sizeof *index_name * (size_t)(nindex + 1));
            index_sql = realloc(index_sql, sizeof *index_sql * (size_t)(nindex + 1));
            if (!index_name || !index_sql)
                die("out of memory");
            index_name[nindex] = strdup((const char *)sqlite3_column_text(st, 0));
            index_sql[nindex] = strdup((const char *)sqlite3_column_text(st, 1));
            nindex++;
        }
        sqlite3_finalize(st);
    }
    exec("BEGIN");
    for (int i = 0; i < nindex; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", index_name[i]);
        exec(sql);
    }

    sqlite3_stmt *ins_partij = prep(
        "INSERT INTO partijen (id, uuid, nummer, interne_notitie, soort_partij, indicatie_geheimhouding,"
        " voorkeurstaal, indicatie_actief, " ADRES_COLS ", cn_voorletters, cn_voornaam,"
        " cn_voorvoegsel_achternaam, cn_achternaam)"
        " VALUES (?1, ?2, NULL, '', 'persoon', 0, 'nld', 1, " ADRES_EMPTY ", ?3, ?4, ?5, ?6)");
    sqlite3_stmt *ins_pi = prep(
        "INSERT INTO partij_identificatoren (uuid, identificeerde_partij, andere_partij_identificator,"
        " code_objecttype, code_soort_object_id, object_id, code_register, sub_identificator_van)"
        " VALUES (?1, ?2, '', 'natuurlijk_persoon', 'bsn', ?3, 'brp', NULL)");
    sqlite3_stmt *ins_da = prep(
        "INSERT INTO digitale_adressen (uuid, verstrekt_door_betrokkene, verstrekt_door_partij, adres,"
        " soort_digitaal_adres, is_standaard_adres, omschrijving, referentie, verificatie_datum)"
        " VALUES (?1, NULL, ?2, ?3, 'email', 0, 'privé', '', NULL)");
    sqlite3_stmt *ins_actor = prep(
        "INSERT INTO actoren (id, uuid, naam, soort_actor, indicatie_actief, ai_object_id,"
        " ai_code_objecttype, ai_code_register, ai_code_soort_object_id, id_functie, id_emailadres,"
        " id_telefoonnummer, id_omschrijving, id_faxnummer)"
        " VALUES (?1, ?2, ?3, 'medewerker', 1, ?4, 'mdw', 'msei', 'email', '', '', '', NULL, NULL)");
    sqlite3_stmt *ins_kc = prep(
        "INSERT INTO klantcontacten (id, uuid, nummer, referentienummer, kanaal, onderwerp, inhoud,"
        " reactie, indicatie_contact_gelukt, hoofd_onderwerp_type, verdere_actie_ondernomen, taal,"
        " vertrouwelijk, plaatsgevonden_op, metadata)"
        " VALUES (?1, ?2, NULL, NULL, ?3, ?4,"
        " 'Inwoner had een vraag; uitgelegd wat de gemeente kan doen.', '', ?5, '', 0, 'nld', 0, ?6, '{}')");
    sqlite3_stmt *ins_betr = prep(
        "INSERT INTO betrokkenen (id, uuid, was_partij, had_klantcontact, " ADRES_COLS ","
        " cn_voorletters, cn_voornaam, cn_voorvoegsel_achternaam, cn_achternaam, rol, organisatienaam,"
        " initiator)"
        " VALUES (?1, ?2, ?3, ?4, " ADRES_EMPTY ", ?5, ?6, ?7, ?8, 'klant', '', 1)");
    sqlite3_stmt *ins_akc = prep(
        "INSERT INTO actorklantcontacten (uuid, actor, klantcontact) VALUES (?1, ?2, ?3)");
    sqlite3_stmt *ins_ow = prep(
        "INSERT INTO onderwerpobjecten (uuid, klantcontact, was_klantcontact, oi_object_id,"
        " oi_code_objecttype, oi_code_register, oi_code_soort_object_id)"
        " VALUES (?1, ?2, NULL, ?3, 'zgw-Zaak', 'openzaak', 'uuid')");
    sqlite3_stmt *ins_it = prep(
        "INSERT INTO internetaken (uuid, nummer, referentienummer, gevraagde_handeling,"
        " aanleidinggevend_klantcontact, toelichting, status, toegewezen_op, afgehandeld_op)"
        " VALUES (?1, NULL, NULL, 'Contact opnemen met betrokkene', ?2,"
        " 'Graag terugbellen over de vraag.', ?3, ?4, ?5)");
    sqlite3_stmt *ins_ita = prep("INSERT INTO internetaak_actoren (internetaak, actor) VALUES (?1, ?2)");

    partij *ps = calloc((size_t)partijen, sizeof *ps);
    if (!ps)
        die("out of memory");
    int64_t bsn_base = 10000000, n_pi = 0, n_da = 0;
    char u[37], buf[64];
    for (int64_t i = 0; i < partijen; i++) {
        partij *p = &ps[i];
        uuid4(p->uuid);
        p->voornaam = VOORNAMEN[(i * 7) % N(VOORNAMEN)];
        p->voorvoegsel = VOORVOEGSELS[i % N(VOORVOEGSELS)];
        p->achternaam = ACHTERNAMEN[i % N(ACHTERNAMEN)];
        p->voorletter[0] = p->voornaam[0];
        bind_int(ins_partij, 1, i + 1);
        bind_text(ins_partij, 2, p->uuid);
        bind_text(ins_partij, 3, p->voorletter);
        bind_text(ins_partij, 4, p->voornaam);
        bind_text(ins_partij, 5, p->voorvoegsel);
        bind_text(ins_partij, 6, p->achternaam);
        step(ins_partij);

        /* BSN: 8 digits d1..d8 and a check digit d9 with 9d1 + 8d2 + ... + 2d8 - d9 = 0 mod 11. */
        int check;
        do {
            int64_t m = bsn_base;
            bsn_base += 97;
            int sum = 0;
            for (int w = 2; w <= 9; w++, m /= 10)
                sum += w * (int)(m % 10);
            check = sum % 11;
            if (check < 10)
                snprintf(buf, sizeof buf, "%08lld%d", (long long)(bsn_base - 97), check);
        } while (check == 10);
        uuid4(u);
        bind_text(ins_pi, 1, u);
        bind_text(ins_pi, 2, p->uuid);
        bind_text(ins_pi, 3, buf);
        step(ins_pi);
        n_pi++;

        uuid4(u);
        snprintf(buf, sizeof buf, "inwoner%lld@example.nl", (long long)(i + 1));
        bind_text(ins_da, 1, u);
        bind_text(ins_da, 2, p->uuid);
        bind_text(ins_da, 3, buf);
        step(ins_da);
        n_da++;
    }

    char actors[50][37];
    for (int i = 0; i < 50; i++) {
        uuid4(actors[i]);
        bind_int(ins_actor, 1, i + 1);
        bind_text(ins_actor, 2, actors[i]);
        snprintf(buf, sizeof buf, "Medewerker %d", i + 1);
        bind_text(ins_actor, 3, buf);
        snprintf(buf, sizeof buf, "medewerker%d@voorbeeldstad.nl", i + 1);
        bind_text(ins_actor, 4, buf);
        step(ins_actor);
    }

    int64_t first_day = end_day - 365 * 86400, n_ow = 0, n_it = 0;
    char kc[37];
    for (int64_t i = 1; i <= contacts; i++) {
        const partij *p = &ps[(i - 1) % partijen];
        const char *actor = actors[(i * 7) % 50];
        int64_t at = first_day + (i - 1) * 365 / contacts * 86400 + 8 * 3600 +
                     (int64_t)(rnd() % (9 * 3600));
        int64_t at_us = at * 1000000;
        uuid4(kc);
        bind_int(ins_kc, 1, i);
        bind_text(ins_kc, 2, kc);
        bind_text(ins_kc, 3, KANALEN[i % N(KANALEN)]);
        bind_text(ins_kc, 4, ONDERWERPEN[i % N(ONDERWERPEN)]);
        bind_int(ins_kc, 5, i % 17 == 0 ? 0 : 1);
        bind_int(ins_kc, 6, at_us);
        step(ins_kc);

        uuid4(u);
        bind_int(ins_betr, 1, i);
        bind_text(ins_betr, 2, u);
        bind_text(ins_betr, 3, p->uuid);
        bind_text(ins_betr, 4, kc);
        bind_text(ins_betr, 5, p->voorletter);
        bind_text(ins_betr, 6, p->voornaam);
        bind_text(ins_betr, 7, p->voorvoegsel);
        bind_text(ins_betr, 8, p->achternaam);
        step(ins_betr);

        uuid4(u);
        bind_text(ins_akc, 1, u);
        bind_text(ins_akc, 2, actor);
        bind_text(ins_akc, 3, kc);
        step(ins_akc);

        if (i % 10 == 0) {
            char zaak[37];
            uuid4(u);
            uuid4(zaak);
            bind_text(ins_ow, 1, u);
            bind_text(ins_ow, 2, kc);
            bind_text(ins_ow, 3, zaak);
            step(ins_ow);
            n_ow++;
        }
        if (i % 25 == 5) {
            int verwerkt = i <= contacts / 2;
            uuid4(u);
            bind_text(ins_it, 1, u);
            bind_text(ins_it, 2, kc);
            bind_text(ins_it, 3, verwerkt ? "verwerkt" : "te_verwerken");
            bind_int(ins_it, 4, at_us + 60 * 1000000LL);
            if (verwerkt)
                bind_int(ins_it, 5, at_us + 86400 * 1000000LL);
            else
                sqlite3_bind_null(ins_it, 5);
            step(ins_it);
            bind_text(ins_ita, 1, u);
            bind_text(ins_ita, 2, actor);
            step(ins_ita);
            n_it++;
        }
    }
    sqlite3_stmt *all[] = { ins_partij, ins_pi, ins_da, ins_actor, ins_kc, ins_betr, ins_akc,
                            ins_ow, ins_it, ins_ita };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    double t_rows = now_s() - t0;
    for (int i = 0; i < nindex; i++)
        exec(index_sql[i]);
    exec("COMMIT");
    exec("PRAGMA journal_mode=WAL");
    double t_all = now_s() - t0;
    if (sqlite3_close(db) != SQLITE_OK)
        die("close");
    printf("GEN partijen=%lld klantcontacten=%lld betrokkenen=%lld actorklantcontacten=%lld "
           "onderwerpobjecten=%lld internetaken=%lld partij_identificatoren=%lld digitale_adressen=%lld "
           "actoren=50 first_day=%lld end_day=%lld seed=%lld rows_s=%.1f total_s=%.1f\n",
           (long long)partijen, (long long)contacts, (long long)contacts, (long long)contacts,
           (long long)n_ow, (long long)n_it, (long long)n_pi, (long long)n_da,
           (long long)first_day, (long long)end_day, (long long)seed, t_rows, t_all);
    free(ps);
    return 0;
}
