/* Internals shared by the SQLite backend's files. */
#ifndef OMK_SQLITE_INT_H
#define OMK_SQLITE_INT_H

#include <stdbool.h>

#include "omk/buf.h"
#include "omk/rc.h"

int omk__sqlite_schema_latest(void);

/* Appends the SQL that migrates to `to_version` to out: the migration's own statements and
 * what the declared tables add in that version (the child_mask triggers). OMK_INVALID when
 * out of range; out->rc when the buffer failed. */
omk_rc omk__sqlite_migration(int to_version, omk_buf *out);

/* Some tables keep, per row, a bit per relation that tells whether the relation has rows at
 * all (column child_mask). The bit of the relation "rows of child_table whose `column` holds
 * the parent's uuid" of parent_table, or -1 when not tracked. */
int omk__sqlite_child_bit(const char *parent_table, const char *child_table, const char *column);

/* True when rows of `table` keep a child_mask. */
bool omk__sqlite_has_child_mask(const char *table);

#endif
