/* The Klantinteracties register (/klantinteracties/api/v1), as Open Klant serves it: its
 * declared resources (klantinteracties.c), their own rules (rules.c) and the operations beyond
 * CRUD (operations.c). Every other capability builds on these resources. */
#ifndef OMK_API_KLANTINTERACTIES_H
#define OMK_API_KLANTINTERACTIES_H

#include "engine/engine.h"

/* The Klantinteracties resources, declared in klantinteracties.c. */
extern const omk_resource omk__ki_partij;
extern const omk_resource omk__ki_partij_identificator;
extern const omk_resource omk__ki_digitaal_adres;
extern const omk_resource omk__ki_klantcontact;
extern const omk_resource omk__ki_betrokkene;
extern const omk_resource omk__ki_actor;
extern const omk_resource omk__ki_actor_klantcontact;
extern const omk_resource omk__ki_onderwerpobject;
extern const omk_resource omk__ki_bijlage;
extern const omk_resource omk__ki_interne_taak;
extern const omk_resource omk__ki_rekeningnummer;
extern const omk_resource omk__ki_vertegenwoordiging;
extern const omk_resource omk__ki_categorie;
extern const omk_resource omk__ki_categorie_relatie;
/* Their own rules (ki_rules.c). */
extern const omk_hooks omk__ki_partij_hooks, omk__ki_pi_hooks, omk__ki_da_hooks,
    omk__ki_kc_hooks, omk__ki_actor_hooks, omk__ki_akc_hooks, omk__ki_taak_hooks,
    omk__ki_vtw_hooks, omk__ki_catrel_hooks;
/* NULL-terminated list of every resource served under /klantinteracties/api/v1. */
extern const omk_resource *const omk__ki_resources[];
extern const omk_api_info omk__ki_api;

/* The Klantinteracties OpenAPI document (generated into the build from the official file). */
extern const char omk__openapi_klantinteracties[];
extern const size_t omk__openapi_klantinteracties_len;
extern const char omk__openapi_klantinteracties_yaml[]; /* the same document as YAML */
extern const size_t omk__openapi_klantinteracties_yaml_len;

/* Operations beyond CRUD (ki_operations.c). */
omk_rc omk__ki_maak_klantcontact(omk_req *req);
omk_rc omk__ki_onderwerpobject_delete(omk_req *req);

/* The register's routes: the generic CRUD routes of every resource and the operations. */
size_t omk__ki_routes(omk_route *out, size_t cap);

/* The uuids of the partijen (at most max) whose BSN identificator is bsn, in a; in db's
 * transaction. */
OMK_MUST_CHECK omk_rc omk__ki_partijen_met_bsn(omk_db *db, omk_arena *a, const char *bsn,
                                               int max, const char ***out, size_t *n);
/* The same for an identificator of another codeSoortObjectId ("kvk_nummer", "rsin", ...). */
OMK_MUST_CHECK omk_rc omk__ki_partijen_met_id(omk_db *db, omk_arena *a, const char *soort,
                                              const char *id, int max, const char ***out,
                                              size_t *n);

#endif
