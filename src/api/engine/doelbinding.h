/* Purpose binding (doelbinding.c): the register of processing activities (AVG art. 30) and,
 * per role and activity, which views of personal data the role gets. Used by the access check
 * (toegang.c) for every request and by the klantbeeld for its own named activity. */
#ifndef OMK_API_ENGINE_DOELBINDING_H
#define OMK_API_ENGINE_DOELBINDING_H

#include "omk/http.h"

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

#endif
