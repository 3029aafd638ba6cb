/* The backend-independent part of steering's KPI rollups (omk/store_sturing.h): dispatch to
 * the backend, and the recompute as one write for the command line. Any thread; the writing
 * functions only inside a write job. */
#include "omk/store_sturing.h"
#include "store_int.h"

omk_rc omk_db_sturing_params(omk_db *db, omk_sturing_params *out)
{
    return db->be->sturing_params(db->conn, out);
}

omk_rc omk_db_sturing_params_set(omk_db *db, const omk_sturing_params *p)
{
    return db->writer ? db->be->sturing_params_set(db->conn, p) : OMK_INTERNAL;
}

omk_rc omk_db_sturing_rollup(omk_db *db, const omk_sturing_filter *f, omk_sturing_fn fn,
                             void *arg)
{
    return db->be->sturing_rollup(db->conn, f, fn, arg);
}

omk_rc omk_db_sturing_contacten(omk_db *db, const omk_sturing_filter *f, int maat, int64_t waarde,
                                long long offset, int limit, omk_arena *a,
                                omk_sturing_contact **out, size_t *n, long long *count)
{
    if (maat >= OMK_M_N || limit < 1 || limit > 1000 || offset < 0)
        return OMK_INVALID;
    return db->be->sturing_contacten(db->conn, f, maat, waarde, offset, limit, a, out, n, count);
}

omk_rc omk_db_sturing_wachtend(omk_db *db, long long *out, long long *ooit)
{
    return db->be->sturing_wachtend(db->conn, out, ooit);
}

omk_rc omk_db_sturing_bijwerken(omk_db *db, size_t max, size_t *done)
{
    return db->writer ? db->be->sturing_bijwerken(db->conn, max, done) : OMK_INTERNAL;
}

omk_rc omk_db_sturing_herbereken(omk_db *db, long long *gewijzigd)
{
    return db->writer ? db->be->sturing_herbereken(db->conn, gewijzigd) : OMK_INTERNAL;
}

omk_rc omk_db_sturing_mix(omk_db *db, const omk_sturing_filter *f, bool per_klantgroep,
                          omk_sturing_mix_fn fn, void *arg)
{
    return db->be->sturing_mix(db->conn, f, per_klantgroep, fn, arg);
}

typedef struct herbereken_arg {
    const omk_sturing_params *p;
    long long *gewijzigd;
} herbereken_arg;

static omk_rc herbereken_job(omk_db *db, void *arg)
{
    herbereken_arg *h = arg;
    omk_rc rc = OMK_OK;
    if (h->p) {
        omk_sturing_params cur;
        rc = omk_db_sturing_params(db, &cur);
        if (h->p->venster_dagen)
            cur.venster_dagen = h->p->venster_dagen;
        if (h->p->servicelevel_s)
            cur.servicelevel_s = h->p->servicelevel_s;
        if (h->p->kort_verlaten_s)
            cur.kort_verlaten_s = h->p->kort_verlaten_s;
        if (h->p->balie_norm_min)
            cur.balie_norm_min = h->p->balie_norm_min;
        if (!rc)
            rc = omk_db_sturing_params_set(db, &cur);
    }
    return rc ? rc : omk_db_sturing_herbereken(db, h->gewijzigd);
}

omk_rc omk_store_sturing_herbereken(omk_store *s, const omk_sturing_params *p,
                                    long long *gewijzigd)
{
    herbereken_arg h = {p, gewijzigd};
    return omk_store_write(s, herbereken_job, &h);
}
