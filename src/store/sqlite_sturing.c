/* The SQLite backend's KPI rollups (omk/store_sturing.h, docs/internals/sturing.md): facts
 * computed from the source tables for each queued key, and the rollup kept as the sum of the
 * facts. Reads run on any connection; the catch-up and the recompute only on the writer,
 * inside the caller's write job. No statement is held while another is prepared (the
 * connection's statement cache may reuse a slot). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/calendar.h"
#include "omk/store_sturing.h"
#include "sqlite_int.h"

const char *const omk_sturing_maatnamen[OMK_M_N] = {
    "contacten",  "opgelost",    "herhaal",       "doorverwezen", "voorkeur",
    "partij_bekend", "aangeboden", "beantwoord",  "verlaten",     "kort_verlaten",
    "binnen_norm", "wachttijd_ms", "cv",          "cv_afgehandeld", "cv_tijdig",
    "cv_werkdagen", "webtransacties", "balie_opgeroepen", "balie_wacht_ms", "balie_binnen_norm",
};

#define MAATKOLOMMEN                                                                           \
    "contacten, opgelost, herhaal, doorverwezen, voorkeur, partij_bekend, aangeboden,"        \
    " beantwoord, verlaten, kort_verlaten, binnen_norm, wachttijd_ms, cv, cv_afgehandeld,"    \
    " cv_tijdig, cv_werkdagen, webtransacties, balie_opgeroepen, balie_wacht_ms,"             \
    " balie_binnen_norm"
#define MAATPARAMS "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

#define US_PER_DAY 86400000000LL

/* One fact: the bucket and measures a source row contributes, and for a klantcontact the
 * (partij, onderwerp, tijd) its neighbours are found by. `bestaat` false: it contributes
 * nothing (deleted, or a call still ringing). */
typedef struct feit {
    bool bestaat;
    char dag[11];
    char kanaal[201], afdeling[201], onderwerp[201], partij[64];
    char klantgroep[24]; /* of a klantcontact: its partij's soort, or "onbekend" */
    bool heeft_partij;
    int64_t tijd;
    int64_t m[OMK_M_N];
} feit;

/* ---- small helpers ---- */

static omk_rc done_rc(sqlite3_stmt *st, int e)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e == SQLITE_DONE || e == SQLITE_ROW ? OMK_OK : omk__sqlite_rc(e);
}

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Runs sql (one statement, parameters bound by bind(st, arg)) to its end. */
static omk_rc run(void *conn, const char *sql, void (*bind)(sqlite3_stmt *, const void *),
                  const void *arg)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    if (bind)
        bind(st, arg);
    int e;
    do
        e = sqlite3_step(st);
    while (e == SQLITE_ROW);
    return done_rc(st, e);
}

/* The first column of a one-row query on key (and second text/int parameters), as an int. */
static omk_rc query_int(void *conn, const char *sql, const char *k1, const char *k2,
                        int64_t i3, int64_t i4, const char *k5, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1)
        bind_text(st, 1, k1);
    if (np >= 2)
        bind_text(st, 2, k2);
    if (np >= 3)
        sqlite3_bind_int64(st, 3, i3);
    if (np >= 4)
        sqlite3_bind_int64(st, 4, i4);
    if (np >= 5)
        bind_text(st, 5, k5);
    int e = sqlite3_step(st);
    *out = e == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    return done_rc(st, e);
}

/* ---- parameters (instellingen) ---- */

static const struct {
    const char *naam;
    size_t offset;
    int standaard;
} PARAMS[] = {
    {"sturing.venster_dagen", offsetof(omk_sturing_params, venster_dagen), 7},
    {"sturing.servicelevel_seconden", offsetof(omk_sturing_params, servicelevel_s), 30},
    {"sturing.kort_verlaten_seconden", offsetof(omk_sturing_params, kort_verlaten_s), 5},
    {"sturing.balie_norm_minuten", offsetof(omk_sturing_params, balie_norm_min), 15},
};
#define NPARAMS (sizeof PARAMS / sizeof PARAMS[0])

omk_rc omk__sqlite_sturing_params(void *conn, omk_sturing_params *out)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < NPARAMS; i++) {
        int64_t v = 0;
        rc = query_int(conn, "SELECT CAST(waarde AS INTEGER) FROM instellingen WHERE naam = ?",
                       PARAMS[i].naam, NULL, 0, 0, NULL, &v);
        *(int *)((char *)out + PARAMS[i].offset) = v > 0 ? (int)v : PARAMS[i].standaard;
    }
    return rc;
}

typedef struct param_arg {
    const char *naam;
    char waarde[24];
} param_arg;

static void bind_param(sqlite3_stmt *st, const void *arg)
{
    const param_arg *p = arg;
    bind_text(st, 1, p->naam);
    bind_text(st, 2, p->waarde);
}

omk_rc omk__sqlite_sturing_params_set(void *conn, const omk_sturing_params *p)
{
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < NPARAMS; i++) {
        int v = *(const int *)((const char *)p + PARAMS[i].offset);
        if (v <= 0 || v > 3650)
            return OMK_INVALID;
        param_arg a = {.naam = PARAMS[i].naam};
        snprintf(a.waarde, sizeof a.waarde, "%d", v);
        rc = run(conn,
                 "INSERT INTO instellingen (uuid, naam, waarde) VALUES"
                 " (lower(hex(randomblob(16))), ?1, ?2)"
                 " ON CONFLICT(naam) DO UPDATE SET waarde = excluded.waarde",
                 bind_param, &a);
    }
    return rc;
}

/* ---- facts ---- */

static void dag_van(int64_t us, char out[11])
{
    omk_cal_format(omk_cal_local_day(us), out);
}

/* Working days after the day of `van` up to and including the day of `tot` (0 when handled
 * on the day of receipt): a holiday or weekend inside does not count. */
static int64_t werkdagen_tussen(int64_t van_us, int64_t tot_us)
{
    int64_t a = omk_cal_local_day(van_us), b = omk_cal_local_day(tot_us), n = 0;
    for (int64_t d = a + 1; d <= b; d++)
        n += omk_cal_is_workday(d);
    return n;
}

static omk_rc feit_kc_basis(void *conn, const char *uuid, feit *f, bool *verzoek)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(
        conn,
        "SELECT k.kanaal, lower(trim(k.onderwerp)), k.plaatsgevonden_op,"
        " coalesce(k.indicatie_contact_gelukt, 1),"
        " (SELECT was_partij FROM betrokkenen WHERE had_klantcontact = k.uuid"
        "  AND was_partij IS NOT NULL ORDER BY initiator DESC, id LIMIT 1),"
        " coalesce((SELECT a.naam FROM actorklantcontacten ak JOIN actoren a"
        "  ON a.uuid = ak.actor WHERE ak.klantcontact = k.uuid"
        "  AND a.soort_actor = 'organisatorische_eenheid' ORDER BY ak.id LIMIT 1), ''),"
        " EXISTS (SELECT 1 FROM internetaken WHERE aanleidinggevend_klantcontact = k.uuid)"
        " OR EXISTS (SELECT 1 FROM kanalen_contactverzoeken WHERE klantcontact = k.uuid),"
        " coalesce((SELECT p.soort_partij FROM betrokkenen b JOIN partijen p"
        "  ON p.uuid = b.was_partij WHERE b.had_klantcontact = k.uuid"
        "  ORDER BY b.initiator DESC, b.id LIMIT 1), 'onbekend')"
        " FROM klantcontacten k WHERE k.uuid = ?",
        &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        f->bestaat = true;
        copy_col(st, 0, f->kanaal, sizeof f->kanaal);
        copy_col(st, 1, f->onderwerp, sizeof f->onderwerp);
        f->tijd = sqlite3_column_int64(st, 2);
        bool gelukt = sqlite3_column_int(st, 3) != 0;
        f->heeft_partij = sqlite3_column_type(st, 4) != SQLITE_NULL;
        copy_col(st, 4, f->partij, sizeof f->partij);
        copy_col(st, 5, f->afdeling, sizeof f->afdeling);
        *verzoek = sqlite3_column_int(st, 6) != 0 || !gelukt;
        copy_col(st, 7, f->klantgroep, sizeof f->klantgroep);
    }
    return done_rc(st, e);
}

/* A klantcontact: counted; resolved in the first contact unless it failed, led to a
 * contactverzoek or interne taak, or the same partij came back on the same onderwerp within
 * the window after it; a repeat when the same partij had contact on it within the window
 * before it (ties in time are ordered by key). */
static omk_rc feit_kc(void *conn, const omk_sturing_params *p, const char *uuid, feit *f)
{
    bool verzoek_of_mislukt = false;
    omk_rc rc = feit_kc_basis(conn, uuid, f, &verzoek_of_mislukt);
    if (rc || !f->bestaat)
        return rc;
    dag_van(f->tijd, f->dag);
    int64_t w = (int64_t)p->venster_dagen * US_PER_DAY, doorverwezen = 0, voorkeur = 0;
    int64_t eerder = 0, later = 0;
    rc = query_int(conn,
                   "SELECT EXISTS (SELECT 1 FROM kanalen_contactverzoeken WHERE"
                   " klantcontact = ?1 AND ta_soort IN ('afdeling', 'groep') AND ta_naam <> ?2)"
                   " OR EXISTS (SELECT 1 FROM internetaken t JOIN internetaak_actoren ta"
                   " ON ta.internetaak = t.uuid JOIN actoren a ON a.uuid = ta.actor"
                   " WHERE t.aanleidinggevend_klantcontact = ?1"
                   " AND a.soort_actor = 'organisatorische_eenheid' AND a.naam <> ?2)",
                   uuid, f->afdeling, 0, 0, NULL, &doorverwezen);
    if (!rc && f->heeft_partij)
        rc = query_int(conn,
                       "SELECT coalesce((SELECT voorkeurs_digitaal_adres IS NOT NULL FROM"
                       " partijen WHERE uuid = ?1), 0) OR EXISTS (SELECT 1 FROM"
                       " partij_identificatoren pi JOIN inwoner_voorkeuren v ON v.bsn ="
                       " pi.object_id WHERE pi.identificeerde_partij = ?1"
                       " AND pi.code_soort_object_id = 'bsn' AND v.voorkeurskanaal <> '')",
                       f->partij, NULL, 0, 0, NULL, &voorkeur);
    if (!rc && f->heeft_partij)
        rc = query_int(conn,
                       "SELECT EXISTS (SELECT 1 FROM sturing_feiten WHERE partij = ?1"
                       " AND onderwerp = ?2 AND tijd BETWEEN ?3 - ?4 AND ?3 AND sleutel <> ?5"
                       " AND (tijd < ?3 OR sleutel < ?5))",
                       f->partij, f->onderwerp, f->tijd, w, uuid, &eerder);
    if (!rc && f->heeft_partij)
        rc = query_int(conn,
                       "SELECT EXISTS (SELECT 1 FROM sturing_feiten WHERE partij = ?1"
                       " AND onderwerp = ?2 AND tijd BETWEEN ?3 AND ?3 + ?4 AND sleutel <> ?5"
                       " AND (tijd > ?3 OR sleutel > ?5))",
                       f->partij, f->onderwerp, f->tijd, w, uuid, &later);
    f->m[OMK_M_CONTACTEN] = 1;
    f->m[OMK_M_OPGELOST] = !verzoek_of_mislukt && !later;
    f->m[OMK_M_HERHAAL] = eerder != 0;
    f->m[OMK_M_DOORVERWEZEN] = doorverwezen != 0;
    f->m[OMK_M_VOORKEUR] = voorkeur != 0;
    f->m[OMK_M_PARTIJ] = f->heeft_partij;
    return rc;
}

/* Offered, answered or abandoned, and the wait, of a call or chat: `start` when offered,
 * `antwoord` when answered (0: not), `einde` when it ended unanswered (0: not yet). */
static void bereikbaarheid(const omk_sturing_params *p, int64_t start, int64_t antwoord,
                           int64_t einde, feit *f)
{
    if (!antwoord && !einde)
        return; /* still waiting: counted once answered or ended */
    f->bestaat = true;
    f->tijd = start;
    dag_van(start, f->dag);
    f->m[OMK_M_AANGEBODEN] = 1;
    int64_t wacht_ms = ((antwoord ? antwoord : einde) - start) / 1000;
    if (wacht_ms < 0)
        wacht_ms = 0;
    if (antwoord) {
        f->m[OMK_M_BEANTWOORD] = 1;
        f->m[OMK_M_WACHTTIJD_MS] = wacht_ms;
        f->m[OMK_M_BINNEN_NORM] = wacht_ms <= (int64_t)p->servicelevel_s * 1000;
    } else {
        f->m[OMK_M_VERLATEN] = 1;
        f->m[OMK_M_KORT_VERLATEN] = wacht_ms < (int64_t)p->kort_verlaten_s * 1000;
    }
}

static omk_rc feit_oproep(void *conn, const omk_sturing_params *p, const char *uuid, feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT aangeboden_op, coalesce(aangenomen_op, 0),"
                                    " CASE WHEN status = 'beeindigd' THEN beeindigd_op ELSE 0"
                                    " END, wachtrij FROM kanalen_oproepen WHERE uuid = ?",
                                    &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        bereikbaarheid(p, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                       sqlite3_column_int64(st, 2), f);
        snprintf(f->kanaal, sizeof f->kanaal, "telefoon");
        copy_col(st, 3, f->afdeling, sizeof f->afdeling);
    }
    return done_rc(st, e);
}

static omk_rc feit_chat(void *conn, const omk_sturing_params *p, const char *uuid, feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(
        conn,
        "SELECT g.aangemaakt_op, coalesce((SELECT min(tijdstip) FROM kanalen_berichten"
        " WHERE gesprek = g.uuid AND richting = 'uit'), 0),"
        " CASE WHEN g.status = 'open' THEN 0 ELSE g.laatste_bericht_op END"
        " FROM kanalen_gesprekken g WHERE g.uuid = ? AND g.kanaal = 'chat'",
        &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        bereikbaarheid(p, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                       sqlite3_column_int64(st, 2), f);
        snprintf(f->kanaal, sizeof f->kanaal, "chat");
    }
    return done_rc(st, e);
}

/* A contactverzoek, in the bucket of its receipt (afdeling: the afdeling or groep it is
 * assigned to); handled on time when handled on or before its deadline. */
static omk_rc feit_verzoek(void *conn, const char *uuid, feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(
        conn,
        "SELECT kanaal, lower(trim(onderwerp)), ontvangen_op,"
        " CASE WHEN ta_soort IN ('afdeling', 'groep') THEN ta_naam ELSE '' END, deadline,"
        " CASE WHEN status = 'afgehandeld' THEN coalesce(afgehandeld_op, 0) ELSE 0 END"
        " FROM kanalen_contactverzoeken WHERE uuid = ?",
        &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        f->bestaat = true;
        copy_col(st, 0, f->kanaal, sizeof f->kanaal);
        copy_col(st, 1, f->onderwerp, sizeof f->onderwerp);
        f->tijd = sqlite3_column_int64(st, 2);
        copy_col(st, 3, f->afdeling, sizeof f->afdeling);
        char deadline[16];
        copy_col(st, 4, deadline, sizeof deadline);
        int64_t klaar = sqlite3_column_int64(st, 5);
        dag_van(f->tijd, f->dag);
        f->m[OMK_M_CV] = 1;
        if (klaar) {
            char dag[11];
            dag_van(klaar, dag);
            f->m[OMK_M_CV_AFGEHANDELD] = 1;
            f->m[OMK_M_CV_TIJDIG] = strcmp(dag, deadline) <= 0;
            f->m[OMK_M_CV_WERKDAGEN] = werkdagen_tussen(f->tijd, klaar);
        }
    }
    return done_rc(st, e);
}

/* A count of web transactions the website reported for one day and product: in the bucket of
 * that day, kanaal "website", onderwerp the product (compared like onderwerpen). A count of
 * 0 contributes nothing. */
static omk_rc feit_web(void *conn, const char *uuid, feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT dag, lower(trim(product)), aantal FROM"
                                    " sturing_webtransacties WHERE uuid = ? AND aantal > 0",
                                    &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        f->bestaat = true;
        copy_col(st, 0, f->dag, sizeof f->dag);
        copy_col(st, 1, f->onderwerp, sizeof f->onderwerp);
        snprintf(f->kanaal, sizeof f->kanaal, "website");
        f->m[OMK_M_WEB] = sqlite3_column_int64(st, 2);
    }
    return done_rc(st, e);
}

/* A balie check-in, once called to a desk: in the bucket of the day of check-in, kanaal
 * "balie", afdeling the queue, onderwerp the reason; its wait from check-in to called, and
 * whether that was within the norm. One never called (left, or still waiting) is not
 * counted. */
static omk_rc feit_balie(void *conn, const omk_sturing_params *p, const char *uuid, feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT aangemeld_op, opgeroepen_op, wachtrij,"
                                    " lower(trim(reden)) FROM kanalen_balie WHERE uuid = ?"
                                    " AND opgeroepen_op IS NOT NULL",
                                    &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        f->bestaat = true;
        f->tijd = sqlite3_column_int64(st, 0);
        dag_van(f->tijd, f->dag);
        snprintf(f->kanaal, sizeof f->kanaal, "balie");
        copy_col(st, 2, f->afdeling, sizeof f->afdeling);
        copy_col(st, 3, f->onderwerp, sizeof f->onderwerp);
        int64_t wacht_ms = (sqlite3_column_int64(st, 1) - f->tijd) / 1000;
        if (wacht_ms < 0)
            wacht_ms = 0;
        f->m[OMK_M_BALIE] = 1;
        f->m[OMK_M_BALIE_WACHT_MS] = wacht_ms;
        f->m[OMK_M_BALIE_NORM] = wacht_ms <= (int64_t)p->balie_norm_min * 60000;
    }
    return done_rc(st, e);
}

static omk_rc feit_bereken(void *conn, const omk_sturing_params *p, const char *soort,
                           const char *sleutel, feit *f)
{
    memset(f, 0, sizeof *f);
    if (strcmp(soort, "kc") == 0)
        return feit_kc(conn, p, sleutel, f);
    if (strcmp(soort, "op") == 0)
        return feit_oproep(conn, p, sleutel, f);
    if (strcmp(soort, "gs") == 0)
        return feit_chat(conn, p, sleutel, f);
    if (strcmp(soort, "cv") == 0)
        return feit_verzoek(conn, sleutel, f);
    if (strcmp(soort, "wt") == 0)
        return feit_web(conn, sleutel, f);
    if (strcmp(soort, "bl") == 0)
        return feit_balie(conn, p, sleutel, f);
    return OMK_OK; /* an unknown kind (from a newer build): nothing to count */
}

/* ---- the stored fact and the rollup ---- */

static omk_rc feit_lees(void *conn, const char *soort, const char *sleutel, feit *f)
{
    memset(f, 0, sizeof *f);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn,
                                    "SELECT dag, kanaal, afdeling, onderwerp, partij, tijd,"
                                    " klantgroep, " MAATKOLOMMEN " FROM sturing_feiten"
                                    " WHERE soort = ?"
                                    " AND sleutel = ?",
                                    &st);
    if (rc)
        return rc;
    bind_text(st, 1, soort);
    bind_text(st, 2, sleutel);
    int e = sqlite3_step(st);
    if (e == SQLITE_ROW) {
        f->bestaat = true;
        copy_col(st, 0, f->dag, sizeof f->dag);
        copy_col(st, 1, f->kanaal, sizeof f->kanaal);
        copy_col(st, 2, f->afdeling, sizeof f->afdeling);
        copy_col(st, 3, f->onderwerp, sizeof f->onderwerp);
        f->heeft_partij = sqlite3_column_type(st, 4) != SQLITE_NULL;
        copy_col(st, 4, f->partij, sizeof f->partij);
        f->tijd = sqlite3_column_int64(st, 5);
        copy_col(st, 6, f->klantgroep, sizeof f->klantgroep);
        for (int i = 0; i < OMK_M_N; i++)
            f->m[i] = sqlite3_column_int64(st, 7 + i);
    }
    return done_rc(st, e);
}

static void bind_bucket(sqlite3_stmt *st, const feit *f)
{
    bind_text(st, 1, f->dag);
    bind_text(st, 2, f->kanaal);
    bind_text(st, 3, f->afdeling);
    bind_text(st, 4, f->onderwerp);
}

#define UPSERT_SET                                                                             \
    " DO UPDATE SET contacten = contacten + excluded.contacten, opgelost = opgelost +"         \
    " excluded.opgelost, herhaal = herhaal + excluded.herhaal, doorverwezen = doorverwezen"   \
    " + excluded.doorverwezen, voorkeur = voorkeur + excluded.voorkeur, partij_bekend ="      \
    " partij_bekend + excluded.partij_bekend, aangeboden = aangeboden + excluded.aangeboden," \
    " beantwoord = beantwoord + excluded.beantwoord, verlaten = verlaten +"                   \
    " excluded.verlaten, kort_verlaten = kort_verlaten + excluded.kort_verlaten,"             \
    " binnen_norm = binnen_norm + excluded.binnen_norm, wachttijd_ms = wachttijd_ms +"        \
    " excluded.wachttijd_ms, cv = cv + excluded.cv, cv_afgehandeld = cv_afgehandeld +"        \
    " excluded.cv_afgehandeld, cv_tijdig = cv_tijdig + excluded.cv_tijdig, cv_werkdagen ="    \
    " cv_werkdagen + excluded.cv_werkdagen, webtransacties = webtransacties +"                 \
    " excluded.webtransacties, balie_opgeroepen = balie_opgeroepen +"                         \
    " excluded.balie_opgeroepen, balie_wacht_ms = balie_wacht_ms + excluded.balie_wacht_ms,"  \
    " balie_binnen_norm = balie_binnen_norm + excluded.balie_binnen_norm"
/* A bucket with nothing counted in it (every fact counts at least one of these). */
#define LEEG " AND contacten = 0 AND aangeboden = 0 AND cv = 0 AND webtransacties = 0"           \
             " AND balie_opgeroepen = 0"

/* The two rollups: per day, and per month (its key the day's first 7 characters). */
static const struct {
    const char *upsert, *leeg;
} ROLLUPS[] = {
    {"INSERT INTO sturing_dag (dag, kanaal, afdeling, onderwerp, " MAATKOLOMMEN
     ") VALUES (?1, ?2, ?3, ?4, " MAATPARAMS ") ON CONFLICT (dag, kanaal, afdeling, onderwerp)"
     UPSERT_SET,
     "DELETE FROM sturing_dag WHERE dag = ?1 AND kanaal = ?2 AND afdeling = ?3 AND onderwerp = ?4"
     LEEG},
    {"INSERT INTO sturing_maand (maand, kanaal, afdeling, onderwerp, " MAATKOLOMMEN
     ") VALUES (substr(?1, 1, 7), ?2, ?3, ?4, " MAATPARAMS ") ON CONFLICT (maand, kanaal,"
     " afdeling, onderwerp)" UPSERT_SET,
     "DELETE FROM sturing_maand WHERE maand = substr(?1, 1, 7) AND kanaal = ?2 AND afdeling = ?3"
     " AND onderwerp = ?4" LEEG},
};

/* Adds sign × a contact to the channel mix's buckets, per day and per month (removed when
 * they hold no contact). */
static omk_rc mix_add(void *conn, const feit *f, int sign)
{
    if (!f->klantgroep[0])
        return OMK_OK; /* a fact from before the mix existed: it was never added */
    static const char *const SQL[] = {
        "INSERT INTO sturing_mix (dag, kanaal, klantgroep, onderwerp, contacten) VALUES"
        " (?1, ?2, ?5, ?4, ?6) ON CONFLICT (dag, kanaal, klantgroep, onderwerp) DO UPDATE"
        " SET contacten = contacten + excluded.contacten",
        "INSERT INTO sturing_mix_maand (maand, kanaal, klantgroep, onderwerp, contacten) VALUES"
        " (substr(?1, 1, 7), ?2, ?5, ?4, ?6) ON CONFLICT (maand, kanaal, klantgroep, onderwerp)"
        " DO UPDATE SET contacten = contacten + excluded.contacten",
        "DELETE FROM sturing_mix WHERE dag = ?1 AND kanaal = ?2 AND klantgroep = ?5"
        " AND onderwerp = ?4 AND contacten = 0",
        "DELETE FROM sturing_mix_maand WHERE maand = substr(?1, 1, 7) AND kanaal = ?2"
        " AND klantgroep = ?5 AND onderwerp = ?4 AND contacten = 0",
    };
    omk_rc rc = OMK_OK;
    for (int k = 0; !rc && k < (sign > 0 ? 2 : 4); k++) {
        sqlite3_stmt *st = NULL;
        rc = omk__sqlite_prepare(conn, SQL[k], &st);
        if (rc)
            break;
        bind_bucket(st, f);
        bind_text(st, 5, f->klantgroep);
        if (k < 2)
            sqlite3_bind_int64(st, 6, sign * f->m[OMK_M_CONTACTEN]);
        rc = done_rc(st, sqlite3_step(st));
    }
    return rc;
}

/* Adds sign × f's measures to its buckets; a bucket left with nothing counted is removed, so
 * the incremental rollups hold exactly the buckets a recompute makes. */
static omk_rc rollup_add(void *conn, const feit *f, int sign)
{
    omk_rc rc = OMK_OK;
    for (size_t k = 0; !rc && k < sizeof ROLLUPS / sizeof ROLLUPS[0]; k++) {
        sqlite3_stmt *st = NULL;
        rc = omk__sqlite_prepare(conn, ROLLUPS[k].upsert, &st);
        if (rc)
            break;
        bind_bucket(st, f);
        for (int i = 0; i < OMK_M_N; i++)
            sqlite3_bind_int64(st, 5 + i, sign * f->m[i]);
        rc = done_rc(st, sqlite3_step(st));
        if (rc || sign > 0)
            continue;
        rc = omk__sqlite_prepare(conn, ROLLUPS[k].leeg, &st);
        if (!rc) {
            bind_bucket(st, f);
            rc = done_rc(st, sqlite3_step(st));
        }
    }
    return rc || !f->m[OMK_M_CONTACTEN] ? rc : mix_add(conn, f, sign);
}

static omk_rc feit_schrijf(void *conn, const char *soort, const char *sleutel, const feit *f)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc;
    if (!f->bestaat) {
        rc = omk__sqlite_prepare(conn, "DELETE FROM sturing_feiten WHERE soort = ? AND"
                                       " sleutel = ?", &st);
        if (rc)
            return rc;
        bind_text(st, 1, soort);
        bind_text(st, 2, sleutel);
        return done_rc(st, sqlite3_step(st));
    }
    rc = omk__sqlite_prepare(conn,
                             "INSERT OR REPLACE INTO sturing_feiten (dag, kanaal, afdeling,"
                             " onderwerp, soort, sleutel, partij, tijd, klantgroep, "
                             MAATKOLOMMEN ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " MAATPARAMS ")",
                             &st);
    if (rc)
        return rc;
    bind_bucket(st, f);
    bind_text(st, 5, soort);
    bind_text(st, 6, sleutel);
    if (f->heeft_partij)
        bind_text(st, 7, f->partij);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_int64(st, 8, f->tijd);
    bind_text(st, 9, f->klantgroep);
    for (int i = 0; i < OMK_M_N; i++)
        sqlite3_bind_int64(st, 10 + i, f->m[i]);
    return done_rc(st, sqlite3_step(st));
}

/* Queues the klantcontacten of the same partij and onderwerp within the window around f
 * (their repeat and resolution flags may depend on f). */
static omk_rc buren(void *conn, const omk_sturing_params *p, const feit *f, const char *sleutel)
{
    if (!f->bestaat || !f->heeft_partij)
        return OMK_OK;
    int64_t n = 0;
    return query_int(conn,
                     "INSERT OR IGNORE INTO sturing_wachtrij (soort, sleutel) SELECT 'kc',"
                     " sleutel FROM sturing_feiten WHERE partij = ?1 AND onderwerp = ?2"
                     " AND tijd BETWEEN ?3 - ?4 AND ?3 + ?4 AND sleutel <> ?5",
                     f->partij, f->onderwerp, f->tijd, (int64_t)p->venster_dagen * US_PER_DAY,
                     sleutel, &n);
}

static bool sleutel_gelijk(const feit *a, const feit *b)
{
    return a->bestaat == b->bestaat && a->heeft_partij == b->heeft_partij &&
           a->tijd == b->tijd && strcmp(a->partij, b->partij) == 0 &&
           strcmp(a->onderwerp, b->onderwerp) == 0;
}

/* Takes one key into the rollup: old fact out, new fact in, neighbours queued when the
 * contact's (partij, onderwerp, tijd) changed. */
static omk_rc verwerk(void *conn, const omk_sturing_params *p, const char *soort,
                      const char *sleutel)
{
    feit oud, nieuw;
    omk_rc rc = feit_lees(conn, soort, sleutel, &oud);
    if (!rc)
        rc = feit_bereken(conn, p, soort, sleutel, &nieuw);
    if (!rc && oud.bestaat)
        rc = rollup_add(conn, &oud, -1);
    if (!rc && nieuw.bestaat)
        rc = rollup_add(conn, &nieuw, 1);
    if (!rc && (oud.bestaat || nieuw.bestaat))
        rc = feit_schrijf(conn, soort, sleutel, &nieuw);
    if (!rc && strcmp(soort, "kc") == 0 && !sleutel_gelijk(&oud, &nieuw)) {
        rc = buren(conn, p, &oud, sleutel);
        if (!rc)
            rc = buren(conn, p, &nieuw, sleutel);
    }
    return rc;
}

/* A batch of queued keys, taken out of the queue in id order. */
#define PARTIJ 512
typedef struct sleutel_t {
    char soort[4];
    char sleutel[64];
} sleutel_t;

static int cmp_sleutel(const void *a, const void *b)
{
    const sleutel_t *x = a, *y = b;
    int c = strcmp(x->soort, y->soort);
    return c ? c : strcmp(x->sleutel, y->sleutel);
}

/* Up to PARTIJ queued keys into b (sorted, each once) and removes them from the queue; *n 0
 * when the queue is empty. Keys queued while these are processed come after them. */
static omk_rc neem(void *conn, sleutel_t *b, size_t *n)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, "SELECT id, soort, sleutel FROM sturing_wachtrij"
                                          " ORDER BY id LIMIT 512", &st);
    if (rc)
        return rc;
    int64_t laatste = 0;
    size_t k = 0;
    int e;
    while ((e = sqlite3_step(st)) == SQLITE_ROW && k < PARTIJ) {
        laatste = sqlite3_column_int64(st, 0);
        copy_col(st, 1, b[k].soort, sizeof b[k].soort);
        copy_col(st, 2, b[k].sleutel, sizeof b[k].sleutel);
        k++;
    }
    rc = done_rc(st, e);
    *n = 0;
    if (rc || !k)
        return rc;
    qsort(b, k, sizeof *b, cmp_sleutel);
    for (size_t i = 0; i < k; i++)
        if (!*n || cmp_sleutel(&b[*n - 1], &b[i]) != 0)
            b[(*n)++] = b[i];
    int64_t dummy = 0;
    return query_int(conn, "DELETE FROM sturing_wachtrij WHERE id <= ?3", NULL, NULL, laatste, 0,
                     NULL, &dummy);
}

omk_rc omk__sqlite_sturing_bijwerken(void *conn, size_t max, size_t *done)
{
    omk_sturing_params p;
    omk_rc rc = omk__sqlite_sturing_params(conn, &p);
    sleutel_t *b = rc ? NULL : malloc(PARTIJ * sizeof *b);
    if (!rc && !b)
        rc = OMK_NOMEM;
    size_t n = 0, k = 1;
    while (!rc && k && n < max) {
        rc = neem(conn, b, &k);
        for (size_t i = 0; !rc && i < k; i++)
            rc = verwerk(conn, &p, b[i].soort, b[i].sleutel);
        n += k;
    }
    free(b);
    if (done)
        *done = n;
    return rc;
}

/* The queue is taken from its start in id order and appended to at its end, so its ids are
 * one run: max − min + 1 counts it from the index alone; the largest id ever given (SQLite's
 * rowid is max + 1 while the table is not empty) stands for "ever queued". */
omk_rc omk__sqlite_sturing_wachtend(void *conn, long long *out, long long *ooit)
{
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, "SELECT coalesce(max(id) - min(id) + 1, 0),"
                                          " coalesce(max(id), 0) FROM sturing_wachtrij", &st);
    if (rc)
        return rc;
    int e = sqlite3_step(st);
    *out = e == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (ooit)
        *ooit = e == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    return done_rc(st, e);
}

/* Recompute: take in what is still queued (so the comparison is with the incremental rollups
 * as they would be), keep them aside, empty facts and rollups, queue every source row, take
 * them all in, and count the buckets that differ from the ones kept aside. */
omk_rc omk__sqlite_sturing_herbereken(void *conn, long long *gewijzigd)
{
    size_t eerst = 0;
    omk_rc rc0 = omk__sqlite_sturing_bijwerken(conn, (size_t)-1, &eerst);
    if (rc0)
        return rc0;
    static const char *const STAPPEN[] = {
        "DROP TABLE IF EXISTS temp.sturing_oud",
        "DROP TABLE IF EXISTS temp.sturing_oud_maand",
        "DROP TABLE IF EXISTS temp.sturing_oud_mix",
        "DROP TABLE IF EXISTS temp.sturing_oud_mix_maand",
        "CREATE TEMP TABLE sturing_oud AS SELECT * FROM sturing_dag",
        "CREATE TEMP TABLE sturing_oud_maand AS SELECT * FROM sturing_maand",
        "CREATE TEMP TABLE sturing_oud_mix AS SELECT * FROM sturing_mix",
        "CREATE TEMP TABLE sturing_oud_mix_maand AS SELECT * FROM sturing_mix_maand",
        "DELETE FROM sturing_dag",
        "DELETE FROM sturing_maand",
        "DELETE FROM sturing_mix",
        "DELETE FROM sturing_mix_maand",
        "DELETE FROM sturing_feiten",
        "DELETE FROM sturing_wachtrij",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'kc', uuid FROM klantcontacten",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'cv', uuid"
        " FROM kanalen_contactverzoeken",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'op', uuid FROM kanalen_oproepen",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'gs', uuid FROM kanalen_gesprekken"
        " WHERE kanaal = 'chat'",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'wt', uuid"
        " FROM sturing_webtransacties",
        "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'bl', uuid FROM kanalen_balie",
    };
    omk_rc rc = OMK_OK;
    for (size_t i = 0; !rc && i < sizeof STAPPEN / sizeof STAPPEN[0]; i++) {
        int e = sqlite3_exec(omk__sqlite_handle(conn), STAPPEN[i], NULL, NULL, NULL);
        rc = e == SQLITE_OK ? OMK_OK : omk__sqlite_rc(e);
    }
    size_t done = 0;
    if (!rc)
        rc = omk__sqlite_sturing_bijwerken(conn, (size_t)-1, &done);
    int64_t n = 0;
    if (!rc)
        rc = query_int(conn,
                       "SELECT (SELECT count(*) FROM (SELECT * FROM sturing_dag EXCEPT"
                       " SELECT * FROM temp.sturing_oud)) + (SELECT count(*) FROM (SELECT *"
                       " FROM temp.sturing_oud EXCEPT SELECT * FROM sturing_dag)) + (SELECT"
                       " count(*) FROM (SELECT * FROM sturing_maand EXCEPT SELECT * FROM"
                       " temp.sturing_oud_maand)) + (SELECT count(*) FROM (SELECT * FROM"
                       " temp.sturing_oud_maand EXCEPT SELECT * FROM sturing_maand)) + (SELECT"
                       " count(*) FROM (SELECT * FROM sturing_mix EXCEPT SELECT * FROM"
                       " temp.sturing_oud_mix)) + (SELECT count(*) FROM (SELECT * FROM"
                       " temp.sturing_oud_mix EXCEPT SELECT * FROM sturing_mix)) + (SELECT"
                       " count(*) FROM (SELECT * FROM sturing_mix_maand EXCEPT SELECT * FROM"
                       " temp.sturing_oud_mix_maand)) + (SELECT count(*) FROM (SELECT * FROM"
                       " temp.sturing_oud_mix_maand EXCEPT SELECT * FROM sturing_mix_maand))",
                       NULL, NULL, 0, 0, NULL, &n);
    if (gewijzigd)
        *gewijzigd = n;
    if (!rc) {
        int e = sqlite3_exec(omk__sqlite_handle(conn), "DROP TABLE temp.sturing_oud;"
                             " DROP TABLE temp.sturing_oud_maand; DROP TABLE temp.sturing_oud_mix;"
                             " DROP TABLE temp.sturing_oud_mix_maand",
                             NULL, NULL, NULL);
        rc = e == SQLITE_OK ? OMK_OK : omk__sqlite_rc(e);
    }
    return rc;
}

/* ---- the contacts behind a figure ---- */

#define FEIT_WHERE                                                                             \
    " FROM sturing_feiten WHERE soort = 'kc' AND dag BETWEEN ?1 AND ?2"                        \
    " AND (?3 IS NULL OR kanaal = ?3) AND (?4 IS NULL OR afdeling = ?4)"                       \
    " AND (?5 IS NULL OR onderwerp = ?5)"

static void bind_filter(sqlite3_stmt *st, const omk_sturing_filter *f)
{
    bind_text(st, 1, f->van);
    bind_text(st, 2, f->tot);
    bind_text(st, 3, f->kanaal);
    bind_text(st, 4, f->afdeling);
    bind_text(st, 5, f->onderwerp);
}

static omk_rc contact_rij(sqlite3_stmt *st, omk_arena *a, omk_sturing_contact *c)
{
    const char **s[] = {&c->klantcontact, &c->dag, &c->kanaal, &c->afdeling, &c->onderwerp,
                        &c->partij};
    for (int i = 0; i < 6; i++) {
        const unsigned char *t = sqlite3_column_text(st, i);
        *s[i] = t ? omk_arena_strdup(a, (const char *)t) : NULL;
        if (t && !*s[i])
            return OMK_NOMEM;
    }
    for (int i = 0; i < OMK_M_N; i++)
        c->m[i] = sqlite3_column_int64(st, 6 + i);
    return OMK_OK;
}

omk_rc omk__sqlite_sturing_contacten(void *conn, const omk_sturing_filter *f, int maat,
                                    int64_t waarde, long long offset, int limit, omk_arena *a,
                                    omk_sturing_contact **out, size_t *n, long long *count)
{
    char waar[96] = "";
    if (maat >= 0) /* a column of the declared measures, never text from a request */
        snprintf(waar, sizeof waar, " AND %s = ?6", omk_sturing_maatnamen[maat]);
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT count(*)" FEIT_WHERE "%s", waar);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    bind_filter(st, f);
    if (maat >= 0)
        sqlite3_bind_int64(st, 6, waarde);
    int e = sqlite3_step(st);
    *count = e == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rc = done_rc(st, e);
    *n = 0;
    *out = omk_arena_alloc(a, (size_t)limit * sizeof **out);
    if (!rc && !*out)
        rc = OMK_NOMEM;
    if (rc)
        return rc;
    snprintf(sql, sizeof sql,
             "SELECT sleutel, dag, kanaal, afdeling, onderwerp, partij, " MAATKOLOMMEN
             FEIT_WHERE "%s ORDER BY dag DESC, tijd DESC, sleutel LIMIT ?7 OFFSET ?8", waar);
    rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    bind_filter(st, f);
    if (maat >= 0)
        sqlite3_bind_int64(st, 6, waarde);
    sqlite3_bind_int(st, 7, limit);
    sqlite3_bind_int64(st, 8, offset);
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
        rc = contact_rij(st, a, &(*out)[(*n)++]);
    omk_rc rc2 = done_rc(st, rc ? SQLITE_DONE : e);
    return rc ? rc : rc2;
}

/* ---- reading the rollup ---- */

/* Sums one part of the period from one rollup (maand: sturing_maand, van and tot as YYYY-MM;
 * else sturing_dag) as f's per_* flags ask, row by row to fn. Rows of the month rollup carry
 * the month's first day as their dag. */
static omk_rc rollup_deel(void *conn, bool maand, const char *van, const char *tot,
                          const omk_sturing_filter *f, omk_sturing_fn fn, void *arg)
{
    /* The grouped columns (or '' in their place) and GROUP BY from the flags: fixed
     * fragments, never text from a request. */
    const char *dagkol = maand ? "maand || '-01'" : "dag";
    const char *dims[] = {dagkol, "kanaal", "afdeling", "onderwerp"};
    const bool per[] = {f->per_dag || f->per_maand, f->per_kanaal, f->per_afdeling,
                        f->per_onderwerp};
    char sql[1536];
    omk_buf b;
    omk_buf_init_fixed(&b, sql, sizeof sql);
    omk_buf_puts(&b, "SELECT ");
    for (int i = 0; i < 4; i++)
        omk_buf_printf(&b, "%s, ", per[i] ? dims[i] : "''");
    for (int i = 0; i < OMK_M_N; i++)
        omk_buf_printf(&b, "%ssum(%s)", i ? ", " : "", omk_sturing_maatnamen[i]);
    omk_buf_printf(&b, " FROM %s WHERE %s BETWEEN ?1 AND ?2 AND (?3 IS NULL OR kanaal = ?3) AND"
                       " (?4 IS NULL OR afdeling = ?4) AND (?5 IS NULL OR onderwerp = ?5)",
                   maand ? "sturing_maand" : "sturing_dag", maand ? "maand" : "dag");
    bool grouped = false;
    for (int i = 0; i < 4; i++)
        if (per[i]) {
            omk_buf_printf(&b, "%s%s", grouped ? ", " : " GROUP BY ", dims[i]);
            grouped = true;
        }
    if (b.rc)
        return b.rc;
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    omk_sturing_filter part = *f;
    part.van = van;
    part.tot = tot;
    bind_filter(st, &part);
    int e;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grouped && sqlite3_column_type(st, 4) == SQLITE_NULL)
            continue; /* no bucket at all: sum() over nothing */
        omk_sturing_rij r;
        const char **col[] = {&r.dag, &r.kanaal, &r.afdeling, &r.onderwerp};
        for (int i = 0; i < 4; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            *col[i] = t ? (const char *)t : "";
        }
        for (int i = 0; i < OMK_M_N; i++)
            r.m[i] = sqlite3_column_int64(st, 4 + i);
        rc = fn(&r, arg);
    }
    omk_rc rc2 = done_rc(st, rc ? SQLITE_DONE : e);
    return rc ? rc : rc2;
}

/* Unless days are needed (per_dag), the whole months inside the period are read from the month
 * rollup and only the days before and after them from the day rollup: a year is 12 month
 * rows per bucket instead of 365 day rows. */
omk_rc omk__sqlite_sturing_rollup(void *conn, const omk_sturing_filter *f, omk_sturing_fn fn,
                                  void *arg)
{
    int64_t van = 0, tot = 0;
    if (!omk_cal_parse(f->van, &van) || !omk_cal_parse(f->tot, &tot))
        return OMK_INVALID;
    int y, m, d;
    omk_cal_civil(van, &y, &m, &d);
    /* The first day of the first whole month, and the first day after the last one. */
    int64_t eerste = d == 1 ? van
                     : m == 12 ? omk_cal_days(y + 1, 1, 1)
                               : omk_cal_days(y, m + 1, 1);
    omk_cal_civil(tot + 1, &y, &m, &d);
    int64_t na = d == 1 ? tot + 1 : omk_cal_days(y, m, 1);
    if (f->per_dag || na <= eerste)
        return rollup_deel(conn, false, f->van, f->tot, f, fn, arg);
    char a[11], b[11], ma[11], mb[11];
    omk_rc rc = OMK_OK;
    if (eerste > van) {
        omk_cal_format(eerste - 1, b);
        rc = rollup_deel(conn, false, f->van, b, f, fn, arg);
    }
    omk_cal_format(eerste, ma);
    omk_cal_format(na - 1, mb);
    ma[7] = mb[7] = 0;
    if (!rc)
        rc = rollup_deel(conn, true, ma, mb, f, fn, arg);
    if (!rc && na <= tot) {
        omk_cal_format(na, a);
        rc = rollup_deel(conn, false, a, f->tot, f, fn, arg);
    }
    return rc;
}

/* ---- the channel mix ---- */

omk_rc omk__sqlite_sturing_mix(void *conn, const omk_sturing_filter *f, bool per_klantgroep,
                               omk_sturing_mix_fn fn, void *arg)
{
    /* The whole months inside the period from the month rollup, the days before and after
     * them from the day rollup (an empty range where there are none), summed in one query so
     * the rows come once per key, in key order. */
    int64_t van = 0, tot = 0;
    if (!omk_cal_parse(f->van, &van) || !omk_cal_parse(f->tot, &tot))
        return OMK_INVALID;
    int y, m, d;
    omk_cal_civil(van, &y, &m, &d);
    int64_t eerste = d == 1 ? van : m == 12 ? omk_cal_days(y + 1, 1, 1) : omk_cal_days(y, m + 1, 1);
    omk_cal_civil(tot + 1, &y, &m, &d);
    int64_t na = d == 1 ? tot + 1 : omk_cal_days(y, m, 1);
    char a1[11], a2[11], m1[11], m2[11], b1[11], b2[11];
    if (na <= eerste) { /* no whole month: all days in the first range */
        snprintf(a1, sizeof a1, "%s", f->van);
        snprintf(a2, sizeof a2, "%s", f->tot);
        snprintf(m1, sizeof m1, "9999-99");
        snprintf(m2, sizeof m2, "0000-00");
        snprintf(b1, sizeof b1, "9999-99-99");
        snprintf(b2, sizeof b2, "0000-00-00");
    } else {
        snprintf(a1, sizeof a1, "%s", f->van);
        omk_cal_format(eerste - 1, a2);
        omk_cal_format(eerste, m1);
        omk_cal_format(na - 1, m2);
        m1[7] = m2[7] = 0;
        omk_cal_format(na, b1);
        snprintf(b2, sizeof b2, "%s", f->tot);
    }
    const char *kg = per_klantgroep ? "klantgroep" : "''";
    const char *ow = f->per_onderwerp ? "onderwerp" : "''";
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT kanaal, k, o, sum(c) FROM ("
             "SELECT kanaal, %s AS k, %s AS o, contacten AS c FROM sturing_mix WHERE"
             " (dag BETWEEN ?1 AND ?2 OR dag BETWEEN ?8 AND ?9)"
             " AND (?3 IS NULL OR kanaal = ?3) AND (?5 IS NULL OR onderwerp = ?5)"
             " UNION ALL SELECT kanaal, %s, %s, contacten FROM sturing_mix_maand WHERE"
             " maand BETWEEN ?6 AND ?7 AND (?3 IS NULL OR kanaal = ?3)"
             " AND (?5 IS NULL OR onderwerp = ?5))"
             " GROUP BY kanaal, k, o ORDER BY 2, 3, 1",
             kg, ow, kg, ow);
    sqlite3_stmt *st = NULL;
    omk_rc rc = omk__sqlite_prepare(conn, sql, &st);
    if (rc)
        return rc;
    omk_sturing_filter part = *f;
    part.van = a1;
    part.tot = a2;
    bind_filter(st, &part);
    bind_text(st, 6, m1);
    bind_text(st, 7, m2);
    bind_text(st, 8, b1);
    bind_text(st, 9, b2);
    int e;
    while (!rc && (e = sqlite3_step(st)) == SQLITE_ROW) {
        omk_sturing_mixrij r = {0};
        const char **col[] = {&r.kanaal, &r.klantgroep, &r.onderwerp};
        for (int i = 0; i < 3; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            *col[i] = t ? (const char *)t : "";
        }
        r.contacten = sqlite3_column_int64(st, 3);
        rc = fn(&r, arg);
    }
    omk_rc rc2 = done_rc(st, rc ? SQLITE_DONE : e);
    return rc ? rc : rc2;
}
