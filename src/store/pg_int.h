/* Internals shared by the PostgreSQL backend's files (pg.c, pg_schema.c). */
#ifndef OMK_PG_INT_H
#define OMK_PG_INT_H

/* The version the PostgreSQL schema starts at (one script), and the newest it knows. */
int omk__pg_schema_baseline(void);
int omk__pg_schema_latest(void);

/* The SQL (several statements) that brings a PostgreSQL database to `to_version`: the
 * baseline script for omk__pg_schema_baseline(), then one migration per later version. NULL
 * for any other version. */
const char *omk__pg_migration(int to_version);

#endif
