/* The declared resource model: a resource is a table of fields, groups, filters and
 * expansions. Generic code (api/resource.c for JSON and validation, store backends for SQL)
 * is driven by these tables, so a new resource is a new table, not new CRUD code.
 * Descriptors are static and immutable; any thread may read them. */
#ifndef OMK_MODEL_H
#define OMK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct omk_resource omk_resource;
typedef struct omk_field omk_field;

typedef enum omk_ftype {
    OMK_F_STRING,   /* text up to max_len code points; absent → "" unless nullable */
    OMK_F_BOOL,     /* stored 0/1 */
    OMK_F_INT,      /* 64-bit integer, with min/max */
    OMK_F_DATE,     /* "YYYY-MM-DD" text */
    OMK_F_DATETIME, /* stored as epoch microseconds, written as RFC 3339 UTC */
    OMK_F_ENUM,     /* one of `choices` */
    OMK_F_OBJECT,   /* JSON object of strings, stored as JSON text (metadata) */
    OMK_F_LIST,     /* JSON array of strings (each ≤ max_len), stored as JSON text */
    OMK_F_REF,      /* {uuid,url} reference to `target`; the column holds the target's uuid */
    OMK_F_REVERSE,  /* read-only array of the `target` rows whose column `via` holds our uuid */
    OMK_F_COMPUTED, /* read-only string produced by `compute` from the stored row */
    OMK_F_REFLIST   /* array of {uuid,url} references to `target`, kept in the link table
                       `link_table` (columns `link_own` → our uuid, `link_other` → target) */
} omk_ftype;

enum {
    OMK_REQ = 1u << 0,      /* required on create and PUT */
    OMK_NULLABLE = 1u << 1, /* JSON null accepted and stored as NULL */
    OMK_RO = 1u << 2,       /* read-only: ignored on input */
    OMK_EMBED = 1u << 3,    /* REVERSE: children serialised in full, not as {uuid,url} */
    OMK_HIDDEN = 1u << 4,   /* stored, never shown nor accepted over the API */
    OMK_OMIT_EMPTY = 1u << 5, /* left out of the output while "" (a format the spec's schema
                                does not allow empty, e.g. format uri) */
    /* Field rules of doelbinding: shown only to a purpose whose views include it. */
    OMK_ZICHT_ADRES = 1u << 6,  /* part of a person's address (hidden: null) */
    OMK_ZICHT_INHOUD = 1u << 7  /* what was said or written (hidden: "") */
};

/* One stored or derived value of a row. TEXT values are NUL-terminated; `n` is their length. */
typedef enum omk_vtype { OMK_V_NULL = 0, OMK_V_INT, OMK_V_TEXT } omk_vtype;
typedef struct omk_value {
    omk_vtype t;
    int64_t i;
    const char *s;
    size_t n;
} omk_value;

/* A text value; NULL gives SQL NULL. The string is not copied. */
static inline omk_value omk_text(const char *s)
{
    return s ? (omk_value){.t = OMK_V_TEXT, .s = s, .n = __builtin_strlen(s)}
             : (omk_value){.t = OMK_V_NULL};
}

/* A text value; NULL gives "" (for NOT NULL text columns). The string is not copied. */
static inline omk_value omk_text0(const char *s)
{
    return omk_text(s ? s : "");
}

/* An integer value. */
static inline omk_value omk_int(int64_t i)
{
    return (omk_value){.t = OMK_V_INT, .i = i};
}

/* A row of a resource: uuid plus one value per field (indexed like resource->fields; REVERSE
 * and COMPUTED slots stay NULL). `set[i]` tells whether input supplied field i (PATCH). */
typedef struct omk_row {
    char uuid[37];
    int64_t id; /* internal row id, newest is largest */
    omk_value *v;
    bool *set;
    /* Bit k set: the relation the store numbers k (omk_db_relation_bit) is known to have no
     * rows for this row. 0 (nothing known) for rows not read by the store in a read
     * transaction. */
    uint64_t childless;
} omk_row;

typedef const char *(*omk_compute_fn)(const omk_resource *r, const omk_row *row, void *arena);

/* A format rule on a string value. Returns NULL when valid, else the Dutch reason, with
 * *code set (e.g. "invalid"). */
typedef const char *(*omk_check_fn)(const char *value, const char **code);

struct omk_field {
    const char *json;   /* JSON path; dots nest into groups: "bezoekadres.postcode" */
    const char *column; /* SQL column; NULL for REVERSE and COMPUTED */
    omk_ftype type;
    unsigned flags;
    int max_len;                 /* STRING: code points; 0 = unbounded */
    const char *const *choices;  /* ENUM: NULL-terminated */
    const omk_resource *target;  /* REF and REVERSE */
    const char *via;             /* REVERSE: the child's column that points back here */
    const char *variant;         /* applies only when the discriminator is one of these
                                    ("persoon|contactpersoon"); NULL = always */
    int64_t min, max;            /* INT range */
    omk_compute_fn compute;      /* COMPUTED */
    const char *def;             /* default for create when absent: "now", "false", "true" */
    omk_check_fn check;          /* STRING: extra format rule for non-empty values */
    const char *link_table, *link_own, *link_other; /* REFLIST */
};

/* A gegevensgroep: the fields under `prefix.` form one JSON object. A nullable group written
 * as null stores NULL in all its columns and reads back as null. */
typedef struct omk_group {
    const char *prefix;
    bool nullable;
    const char *variant; /* as in omk_field */
    bool omit_empty;     /* left out of the output when every field is empty or NULL */
} omk_group;

typedef enum omk_fop {
    OMK_OP_EQ,        /* exact match on the final field */
    OMK_OP_ICONTAINS, /* case-insensitive substring */
    OMK_OP_UUID_URL,  /* a URL whose last path segment is the uuid */
    OMK_OP_NOTNULL,   /* true/false: the final field is (not) NULL */
    OMK_OP_EXISTS,    /* true/false: the path has at least one row */
    OMK_OP_GT, OMK_OP_GTE, OMK_OP_LT, OMK_OP_LTE,
    OMK_OP_IN,        /* one of a comma-separated list of values */
    OMK_OP_GTE_OR_NULL, /* >= value, or no value at all (open-ended validity) */
    OMK_OP_LTE_OR_NULL, /* <= value, or no value at all */
    OMK_OP_NONE         /* no row along the path has the final field equal to the value (a
                           NULL reference leads to no row): "none of its contacts is
                           vertrouwelijk" */
} omk_fop;

/* A list filter: `path` walks REF/REVERSE fields by JSON name, separated by '/', and ends in
 * the field compared (e.g. "hadBetrokkenen/wasPartij/uuid"); "uuid" names the row's uuid.
 * Every step is an EXISTS, so a join never duplicates results. */
typedef struct omk_filter {
    const char *name;
    const char *path;
    omk_fop op;
} omk_filter;

/* Resource-specific rules run by the generic create/update. All optional. */
typedef struct omk_hooks omk_hooks;

/* Whose personal data a row of a resource is, for the Logboek Dataverwerkingen: the partijen
 * reached from the row along each path. A path starts at one of the row's own columns
 * ("uuid": the row itself) holding a uuid. Without via_table that uuid is a partij's; with
 * it, the partijen are the values of column via_partij in the rows of via_table whose column
 * via_match equals it (the betrokkenen of a klantcontact). One query per via path for a
 * whole page of rows. */
typedef struct omk_subject_path {
    const char *column;
    const char *via_table, *via_match, *via_partij;
    /* A path whose id is not a partij's (no via_table): the Logboek's kind of id (OMK_LDV_T_*,
     * omk/store.h; 0: a partij), and, when set, only in rows whose column when_column holds
     * when_value (a legal hold names a partij or a zaak in one column, its kind in another). */
    int soort;
    const char *when_column, *when_value;
} omk_subject_path;

#define OMK_SUBJECT_PATHS 3
typedef struct omk_subjects {
    const char *meervoud, *enkelvoud; /* Dutch names for the Logboek's actions:
                                         "klantcontacten", "klantcontact" */
    omk_subject_path paths[OMK_SUBJECT_PATHS]; /* unused ones have column NULL */
} omk_subjects;

struct omk_resource {
    const char *name;     /* URL segment: "klantcontacten" */
    const char *model;    /* model name used in messages: "Klantcontact" */
    const char *table;    /* SQL table */
    const omk_field *fields;
    size_t nfields;
    const omk_group *groups;
    size_t ngroups;
    const omk_filter *filters;
    size_t nfilters;
    const char *discriminator; /* JSON name of the polymorphism field, or NULL */
    const char *order_column;  /* default order: this column DESC, then id DESC; NULL = id */
    const omk_hooks *hooks;
    const char *api_base;      /* "/klantinteracties/api/v1" */
    const char *const *expands; /* allowed `expand` values, NULL-terminated; dotted paths of
                                   REF/REVERSE field names ("hadBetrokkenen.wasPartij") */
    const char *notify_kanaal;   /* Notificaties kanaal for changes ("klantcontacten"), or NULL */
    const char *notify_resource; /* resource name in those messages ("klantcontact") */
    bool order_ascending;        /* default order oldest first instead of newest first */
    const char *geheim; /* JSON name of the BOOL field that puts a row under geheimhouding:
                           its OMK_ZICHT_ADRES fields then need the secret-address view too */
    const omk_subjects *subjects; /* whose personal data a row is (the Logboek); NULL: nobody's */
};

/* Returns the index of the field with JSON path `json`, or -1. */
int omk_model_field_index(const omk_resource *r, const char *json);

/* True when field f applies to a row whose discriminator value is `disc` (NULL = unknown). */
bool omk_model_field_applies(const omk_field *f, const char *disc);

/* True when `v` is one of the field's choices. */
bool omk_model_choice_valid(const omk_field *f, const char *v);

#endif
