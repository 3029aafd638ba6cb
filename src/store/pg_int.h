/* Internals shared by the PostgreSQL backend's files (pg.c, pg_ldv.c, pg_schema.c). */
#ifndef OMK_PG_INT_H
#define OMK_PG_INT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "omk/arena.h"
#include "omk/buf.h"
#include "omk/model.h"
#include "omk/rc.h"
#include "omk/store.h"

/* The version the PostgreSQL schema starts at (one script), and the newest it knows. */
int omk__pg_schema_baseline(void);
int omk__pg_schema_latest(void);

/* Appends the SQL (several statements) that brings a PostgreSQL database to `to_version`: the
 * baseline script for omk__pg_schema_baseline() (with the relation marks' triggers), then one
 * migration per later version. OMK_INVALID for any other version; out->rc when the buffer
 * failed. */
omk_rc omk__pg_migration(int to_version, omk_buf *out);

/* ---- between pg.c and pg_ldv.c ---- */

/* A statement's parameters: text (types inferred by the server), integers, NULL. */
#define OMK__PG_MAX_BINDS 96
typedef struct omk__pg_binds {
    omk_value v[OMK__PG_MAX_BINDS];
    int n;
    bool overflow; /* more than fit: the statement is refused (OMK_TOOBIG) */
} omk__pg_binds;

void omk__pg_bind(omk__pg_binds *b, omk_value v);

static inline omk_value omk__pg_text(const char *s)
{
    return s ? (omk_value){.t = OMK_V_TEXT, .s = s, .n = strlen(s)} : (omk_value){.t = OMK_V_NULL};
}

static inline omk_value omk__pg_int(int64_t i)
{
    return (omk_value){.t = OMK_V_INT, .i = i};
}

/* Runs sql ('?' placeholders, numbered $n once) on the connection as a prepared statement with
 * parameters b (may be NULL); *out gets the result, which the caller PQclears (NULL on
 * failure, which is logged). */
omk_rc omk__pg_run(void *conn, const char *sql, const omk__pg_binds *b, PGresult **out);

/* The Logboek (pg_ldv.c; meanings in omk/store.h). */
omk_rc omk__pg_ldv_add(void *conn, const omk_ldv_row *rows, size_t n);
omk_rc omk__pg_ldv_seal(void *conn, const omk_ldv_row *rows, size_t n);
omk_rc omk__pg_ldv_rows(void *conn, const omk_ldv_filter *f, omk_arena *a, omk_ldv_row **out,
                        size_t *n);
omk_rc omk__pg_ldv_count(void *conn, const omk_ldv_filter *f, long long *out);
omk_rc omk__pg_ldv_get(void *conn, const int64_t *ids, size_t n, omk_arena *a,
                       omk_ldv_row **out, size_t *nout);
omk_rc omk__pg_ldv_ids(void *conn, const unsigned char key[16], size_t max, omk_arena *a,
                       int64_t **ids, size_t *n);
omk_rc omk__pg_ldv_verify(void *conn, omk_ldv_check *out);

#endif
