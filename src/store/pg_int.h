/* Internals shared by the PostgreSQL backend's files (pg.c, pg_schema.c). */
#ifndef OMK_PG_INT_H
#define OMK_PG_INT_H

#include "omk/buf.h"
#include "omk/rc.h"

/* The version the PostgreSQL schema starts at (one script), and the newest it knows. */
int omk__pg_schema_baseline(void);
int omk__pg_schema_latest(void);

/* Appends the SQL (several statements) that brings a PostgreSQL database to `to_version`: the
 * baseline script for omk__pg_schema_baseline() (with the relation marks' triggers), then one
 * migration per later version. OMK_INVALID for any other version; out->rc when the buffer
 * failed. */
omk_rc omk__pg_migration(int to_version, omk_buf *out);

#endif
