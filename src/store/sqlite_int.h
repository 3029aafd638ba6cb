/* Internals shared by the SQLite backend's files. */
#ifndef OMK_SQLITE_INT_H
#define OMK_SQLITE_INT_H

int omk__sqlite_schema_latest(void);
/* The SQL that migrates to `to_version`, or NULL when out of range. */
const char *omk__sqlite_migration(int to_version);

#endif
