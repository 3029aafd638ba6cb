/* The store's part of steering on data (docs/internals/sturing.md): the KPI rollups. Every
 * klantcontact, telephone call, chat and contactverzoek contributes one "fact" (its measures in
 * one bucket: local day, kanaal, afdeling, onderwerp); the rollup holds the sum of the facts
 * per bucket, so a KPI request reads the rollup only, never the contacts.
 *
 * Maintained incrementally: the schema's triggers put the key of every changed source row in
 * a queue inside the writing transaction (so nothing is missed, whatever path wrote it);
 * omk_db_sturing_bijwerken takes the queued keys, subtracts each one's old fact from the
 * rollup and adds its new one. A contact whose partij, onderwerp or time changed also queues
 * its neighbours (same partij and onderwerp within the window), whose first contact
 * resolution and repeat flags depend on it. omk_db_sturing_herbereken recomputes all of it
 * from scratch; both give the same rollup (tests/api/sturing/).
 *
 * Any thread may read; the writing functions run on the writer (inside omk_store_write). */
#ifndef OMK_STORE_STURING_H
#define OMK_STORE_STURING_H

#include <stdbool.h>
#include <stdint.h>

#include "omk/store.h"

/* The measures of a fact and of a rollup bucket (sums). Each is a count except the two sums
 * WACHTTIJD_MS (milliseconds waited by answered calls and chats), CV_WERKDAGEN (working
 * days from receipt to handling of handled contactverzoeken), WEB (a reported count) and
 * BALIE_WACHT_MS (milliseconds waited at the balie). */
typedef enum omk_sturing_maat {
    OMK_M_CONTACTEN,      /* klantcontacten */
    OMK_M_OPGELOST,       /* … resolved in the first contact */
    OMK_M_HERHAAL,        /* … that repeat an earlier one (same partij, onderwerp, window) */
    OMK_M_DOORVERWEZEN,   /* … handed to another afdeling or organisatorische eenheid */
    OMK_M_VOORKEUR,       /* … whose partij has a registered kanaalvoorkeur */
    OMK_M_PARTIJ,         /* … with a known partij */
    OMK_M_AANGEBODEN,     /* calls and chats offered (answered or ended) */
    OMK_M_BEANTWOORD,     /* … answered */
    OMK_M_VERLATEN,       /* … abandoned before an answer */
    OMK_M_KORT_VERLATEN,  /* … abandoned within the short-abandon threshold */
    OMK_M_BINNEN_NORM,    /* … answered within the service-level threshold */
    OMK_M_WACHTTIJD_MS,   /* sum of the wait of the answered ones, ms */
    OMK_M_CV,             /* contactverzoeken received */
    OMK_M_CV_AFGEHANDELD, /* … handled */
    OMK_M_CV_TIJDIG,      /* … handled on or before their deadline */
    OMK_M_CV_WERKDAGEN,   /* sum of the working days from receipt to handling */
    OMK_M_WEB,            /* web transactions the website reported (self-service) */
    OMK_M_BALIE,          /* balie check-ins called to a desk */
    OMK_M_BALIE_WACHT_MS, /* sum of their waits, check-in to called, ms */
    OMK_M_BALIE_NORM,     /* … called within the balie norm */
    OMK_M_N
} omk_sturing_maat;

/* The column name of each measure in the rollup ("contacten", "opgelost", …). */
extern const char *const omk_sturing_maatnamen[OMK_M_N];

/* One rollup bucket, or a sum of buckets. Strings are valid only during the callback that
 * receives it. */
typedef struct omk_sturing_rij {
    const char *dag; /* local date (Europe/Amsterdam), YYYY-MM-DD; "" when not grouped by it */
    const char *kanaal, *afdeling, *onderwerp; /* "" when unknown, or not grouped by it */
    int64_t m[OMK_M_N];
} omk_sturing_rij;

/* Which buckets to read: dag between van and tot (inclusive, YYYY-MM-DD, both required); a
 * NULL dimension is not narrowed. The per_* flags say by what the buckets are summed: the
 * store adds up the buckets that agree on those (all of them when none is set). per_dag: each
 * row is one day; per_maand: a row is one day or one whole month (its dag the month's first
 * day), so a year per month reads 12 month rows per bucket, not 365 day rows. */
typedef struct omk_sturing_filter {
    const char *van, *tot, *kanaal, *afdeling, *onderwerp;
    bool per_dag, per_maand, per_kanaal, per_afdeling, per_onderwerp;
} omk_sturing_filter;

/* Receives each summed row of omk_db_sturing_rollup; a non-OK result stops the read. */
typedef omk_rc (*omk_sturing_fn)(const omk_sturing_rij *r, void *arg);

/* The parameters the facts depend on, stored in the instellingen table (changing one needs
 * omk_db_sturing_herbereken). */
typedef struct omk_sturing_params {
    int venster_dagen;       /* repeat/FCR window, days (default 7) */
    int servicelevel_s;      /* answered within this many seconds counts (default 30) */
    int kort_verlaten_s;     /* abandoned within this many seconds is a short abandon (5) */
    int balie_norm_min;      /* called to a desk within this many minutes counts (15) */
} omk_sturing_params;

/* The stored parameters (defaults for those not stored). */
OMK_MUST_CHECK omk_rc omk_db_sturing_params(omk_db *db, omk_sturing_params *out);

/* Writer: stores the parameters (each > 0, else OMK_INVALID). Does not recompute. */
OMK_MUST_CHECK omk_rc omk_db_sturing_params_set(omk_db *db, const omk_sturing_params *p);

/* Calls fn(row, arg) for the buckets matching f, summed as f's per_* flags ask, in no
 * particular order. Returns fn's first failure, or the store's. */
OMK_MUST_CHECK omk_rc omk_db_sturing_rollup(omk_db *db, const omk_sturing_filter *f,
                                            omk_sturing_fn fn, void *arg);

/* One row of the channel mix: contacts per kanaal of a klantgroep ("persoon", "organisatie",
 * "contactpersoon", "onbekend") and onderwerp; "" for a dimension not grouped by. Strings
 * valid only during the callback. */
typedef struct omk_sturing_mixrij {
    const char *kanaal, *klantgroep, *onderwerp;
    int64_t contacten;
} omk_sturing_mixrij;

typedef omk_rc (*omk_sturing_mix_fn)(const omk_sturing_mixrij *r, void *arg);

/* Calls fn for the contacts per kanaal between f->van and f->tot (f->kanaal, f->onderwerp
 * narrow when not NULL), summed per kanaal and, when asked, per klantgroep and per
 * onderwerp (f->per_onderwerp), ordered by klantgroep, onderwerp, kanaal. Reads the mix
 * rollup only. */
OMK_MUST_CHECK omk_rc omk_db_sturing_mix(omk_db *db, const omk_sturing_filter *f,
                                         bool per_klantgroep, omk_sturing_mix_fn fn, void *arg);

/* One klantcontact behind a figure (a drill-down). Strings live in the call's arena; partij
 * is NULL when the contact has no known partij. */
typedef struct omk_sturing_contact {
    const char *klantcontact, *dag, *kanaal, *afdeling, *onderwerp, *partij;
    int64_t m[OMK_M_N];
} omk_sturing_contact;

/* The klantcontacten counted in the buckets f selects, newest first; with maat >= 0 only those
 * whose measure maat equals waarde (e.g. OMK_M_OPGELOST 0: the ones not resolved). At most
 * limit (1..1000) from offset in *out (*n of them); *count gets how many there are in all. */
OMK_MUST_CHECK omk_rc omk_db_sturing_contacten(omk_db *db, const omk_sturing_filter *f, int maat,
                                               int64_t waarde, long long offset, int limit,
                                               omk_arena *a, omk_sturing_contact **out,
                                               size_t *n, long long *count);

/* *out: how many changed source rows wait to be taken in; *ooit (may be NULL): how many were
 * ever queued (grows with every change: the difference between two calls is what arrived in
 * between). Cheap: no scan of the queue. */
OMK_MUST_CHECK omk_rc omk_db_sturing_wachtend(omk_db *db, long long *out, long long *ooit);

/* Writer: takes up to max queued keys (and the neighbours they queue) into the rollup; *done
 * (may be NULL) gets how many were taken. */
OMK_MUST_CHECK omk_rc omk_db_sturing_bijwerken(omk_db *db, size_t max, size_t *done);

/* Writer: recomputes every fact and the whole rollup from the source tables. *gewijzigd
 * (may be NULL) gets how many rollup buckets differ from what was there before (0 when the
 * incremental rollup was exact). */
OMK_MUST_CHECK omk_rc omk_db_sturing_herbereken(omk_db *db, long long *gewijzigd);

/* For the command line: in one write, stores the parameters p gives (a field 0 keeps the
 * stored value; p may be NULL) and runs omk_db_sturing_herbereken. OMK_INVALID for a
 * negative or too large parameter (nothing changed). */
OMK_MUST_CHECK omk_rc omk_store_sturing_herbereken(omk_store *s, const omk_sturing_params *p,
                                                   long long *gewijzigd);

#endif
