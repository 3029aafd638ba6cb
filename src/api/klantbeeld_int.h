/* Internal contract of the klantbeeld capability: purpose binding (doelbinding.c), the
 * Logboek Dataverwerkingen (logboek.c) and the aggregate itself (klantbeeld.c). */
#ifndef OMK_API_KLANTBEELD_INT_H
#define OMK_API_KLANTBEELD_INT_H

#include <stdbool.h>

#include "api_int.h"
#include "logboek_int.h"
#include "omk/sources.h"

/* ---- doelbinding: which role may do which processing activity, and what it then sees ---- */

enum {
    OMK_ZIE_PERSOON = 1u << 0,        /* BRP name, birth, gender */
    OMK_ZIE_ADRES = 1u << 1,          /* BRP address */
    OMK_ZIE_GEHEIM_ADRES = 1u << 2,   /* the address also under geheimhoudingPersoonsgegevens */
    OMK_ZIE_CONTACTEN = 1u << 3,      /* contact timeline (without content) */
    OMK_ZIE_INHOUD = 1u << 4,         /* what was said in contacts */
    OMK_ZIE_TAKEN = 1u << 5,          /* open interne taken */
    OMK_ZIE_ZAKEN = 1u << 6,          /* zaken from the Zaken API */
    OMK_ZIE_BEDRIJF = 1u << 7,        /* KvK */
    OMK_ZIE_CONTACTGEGEVENS = 1u << 8 /* digital addresses */
};

/* One rule: for role `rol` doing `activiteit`, these views. */
typedef struct omk_doelbinding {
    const char *activiteit;
    const char *rol;
    unsigned zie;
} omk_doelbinding;

/* A processing activity of the register of processing activities (AVG art. 30). */
typedef struct omk_verwerkingsactiviteit {
    const char *id;           /* as requests name it */
    const char *omschrijving; /* Dutch, shown to the resident */
} omk_verwerkingsactiviteit;

/* The activity with this id, or NULL. */
const omk_verwerkingsactiviteit *omk__activiteit(const char *id);
/* What a credential with these scopes may see for `activiteit`: the union over its roles
 * ("*" counts as every role). 0 when nothing (then the request is refused). */
unsigned omk__doelbinding(const omk_req *req, const char *activiteit);
/* The role under which the credential acts for `activiteit` (for the log), e.g. "kcm". */
const char *omk__doelbinding_rol(const omk_req *req, const char *activiteit);
/* Dutch description of a role for the resident ("Klantcontactcentrum"). */
const char *omk__rol_omschrijving(const char *rol);
/* Replaces the default rules with those in a JSON file ([{activiteit, rol, zie: [..]}]).
 * Returns OMK_INVALID with a message on stderr when the file is malformed. */
OMK_MUST_CHECK omk_rc omk__doelbinding_load(const char *path);

/* ---- logboek: logboek_int.h ---- */

/* ---- identity: duplicates and merges (identiteit.c) ---- */
size_t omk__identiteit_routes(omk_route *out, size_t cap, const omk_api_info *api);

/* ---- klantbeeld ---- */

/* The source settings the klantbeeld uses (set once before serving). */
void omk__klantbeeld_set_sources(const omk_sources_config *cfg);
/* What the klantbeeld makes of one source's answer (BRP → persoon, Zaken → zaken, KvK →
 * bedrijf) under the views `zie`; any JSON is accepted. New reference; exposed for the fuzz
 * target. */
json_t *omk__klantbeeld_map(omk_bron bron, json_t *answer, unsigned zie);

/* Routes of /klantbeeld/api/v1 (including the logboek's). */
size_t omk__klantbeeld_routes(omk_route *out, size_t cap);

#endif
