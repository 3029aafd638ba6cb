/* The register's own rules (klantinteracties-behaviour.md §8), attached to the declared
 * resources as hooks: identificator hierarchy, elfproef and uniqueness; nested
 * partijIdentificatoren on partijen; digital address formats and the single default address;
 * the klantcontact consistency rule and unique numbers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

static const char *val(const omk_resource *r, const omk_row *row, const char *json)
{
    const char *v = omk_row_text(r, row, json);
    return v ? v : "";
}

static bool flag(const omk_resource *r, const omk_row *row, const char *json)
{
    int i = omk_model_field_index(r, json);
    return i >= 0 && row->v[i].t == OMK_V_INT && row->v[i].i;
}

/* ---- partij-identificatoren ---- */

/* The allowed hierarchy: register → object type → kind of id. */
static const struct {
    const char *reg, *objecttype, *soorten;
} HIERARCHY[] = {
    {"brp", "natuurlijk_persoon", "bsn"},
    {"hr", "niet_natuurlijk_persoon", "rsin|kvk_nummer"},
    {"hr", "vestiging", "vestigingsnummer"},
};

static bool in_bar_list(const char *list, const char *w)
{
    return omk_model_field_applies(&(omk_field){.variant = list}, w);
}

static void pi_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                     json_t *body)
{
    (void)old;
    (void)body;
    const char *reg = val(r, row, "partijIdentificator.codeRegister");
    const char *ot = val(r, row, "partijIdentificator.codeObjecttype");
    const char *soort = val(r, row, "partijIdentificator.codeSoortObjectId");
    const char *id = val(r, row, "partijIdentificator.objectId");
    if (!*reg || !*ot || !*soort)
        return;
    bool ot_ok = false, soort_ok = false;
    char allowed_ot[128] = "", allowed_soort[128] = "";
    for (size_t i = 0; i < sizeof HIERARCHY / sizeof HIERARCHY[0]; i++) {
        if (strcmp(HIERARCHY[i].reg, reg) != 0)
            continue;
        snprintf(allowed_ot + strlen(allowed_ot), sizeof allowed_ot - strlen(allowed_ot),
                 "%s'%s'", allowed_ot[0] ? ", " : "", HIERARCHY[i].objecttype);
        if (strcmp(HIERARCHY[i].objecttype, ot) == 0) {
            ot_ok = true;
            soort_ok = in_bar_list(HIERARCHY[i].soorten, soort);
            snprintf(allowed_soort, sizeof allowed_soort, "%s", HIERARCHY[i].soorten);
        }
    }
    char msg[256];
    if (!ot_ok) {
        snprintf(msg, sizeof msg, "voor `codeRegister` %s zijn alleen deze waarden toegestaan: [%s]",
                 reg, allowed_ot);
        omk_api_err_add(ctx, "partijIdentificatorCodeObjecttype", "invalid", msg);
        return;
    }
    if (!soort_ok) {
        snprintf(msg, sizeof msg,
                 "voor `codeObjecttype` %s zijn alleen deze waarden toegestaan: [%s]", ot,
                 allowed_soort);
        omk_api_err_add(ctx, "partijIdentificatorCodeSoortObjectId", "invalid", msg);
        return;
    }
    const char *code = "invalid", *why = NULL;
    if (strcmp(soort, "bsn") == 0)
        why = omk__check_bsn(id, &code);
    else if (strcmp(soort, "rsin") == 0)
        why = omk__check_rsin(id, &code);
    else if (strcmp(soort, "kvk_nummer") == 0)
        why = omk__check_digits(id, 8, &code);
    else if (strcmp(soort, "vestigingsnummer") == 0)
        why = omk__check_digits(id, 12, &code);
    if (why) {
        char reason[160];
        snprintf(reason, sizeof reason, "Deze waarde is ongeldig, reden: %s", why);
        omk_api_err_add(ctx, "partijIdentificatorObjectId", code, reason);
    }
    const char *sub = omk_row_text(r, row, "subIdentificatorVan");
    if (sub && strcmp(sub, row->uuid) == 0)
        omk_api_err_add(ctx, "subIdentificatorVan", "invalid",
                        "Kan zichzelf niet selecteren als `subIdentificatorVan`.");
    if (strcmp(soort, "vestigingsnummer") == 0 && !sub)
        omk_api_err_add(ctx, "subIdentificatorVan", "required",
                        "Voor een vestigingsnummer is een `subIdentificatorVan` met een "
                        "kvk_nummer verplicht.");
}

static omk_rc pi_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                       const omk_row *old, json_t *body)
{
    (void)body;
    omk_rc rc;
    bool found = false;
    const char *partij = omk_row_text(r, row, "identificeerdePartij");
    const char *soort = val(r, row, "partijIdentificator.codeSoortObjectId");
    const char *sub = omk_row_text(r, row, "subIdentificatorVan");
    if (sub) {
        omk_row *parent = NULL;
        rc = omk_db_get(db, r, sub, ctx->a, &parent);
        if (rc && rc != OMK_NOTFOUND)
            return rc;
        if (!rc &&
            strcmp(val(r, parent, "partijIdentificator.codeSoortObjectId"), "kvk_nummer") != 0)
            omk_api_err_add(ctx, "subIdentificatorVan", "invalid",
                            "Het is alleen mogelijk om een subIdentifierVan te selecteren met "
                            "codeSoortObjectId = `kvk_nummer`.");
    }
    if (old && strcmp(val(r, old, "partijIdentificator.codeSoortObjectId"), soort) != 0) {
        omk_cond c = {"sub_identificator_van", omk_text(row->uuid)};
        if ((rc = omk_db_exists(db, r, &c, 1, NULL, &found)))
            return rc;
        if (found)
            omk_api_err_add(ctx, "nonFieldErrors", "invalid",
                            "Het `codeSoortObjectId` kan niet veranderen zolang er "
                            "sub-identificatoren naar deze identificator verwijzen.");
    }
    if (partij) {
        omk_cond c[] = {{"identificeerde_partij", omk_text(partij)},
                        {"code_soort_object_id", omk_text(soort)}};
        if ((rc = omk_db_exists(db, r, c, 2, row->uuid, &found)))
            return rc;
        if (found) /* object-level: the reference's serializer names these __all__ */
            omk_api_err_add(ctx, "__all__", "unique",
                            "`CodeSoortObjectId` moet uniek zijn voor de Partij.");
    }
    omk_cond t[] = {
        {"code_objecttype", omk_text(val(r, row, "partijIdentificator.codeObjecttype"))},
        {"code_soort_object_id", omk_text(soort)},
        {"object_id", omk_text(val(r, row, "partijIdentificator.objectId"))},
        {"code_register", omk_text(val(r, row, "partijIdentificator.codeRegister"))},
        {"sub_identificator_van", sub ? omk_text(sub) : (omk_value){.t = OMK_V_NULL}},
    };
    if ((rc = omk_db_exists(db, r, t, 5, row->uuid, &found)))
        return rc;
    if (found)
        omk_api_err_add(ctx, "__all__", "unique",
                        "`PartijIdentificator` moet uniek zijn, er bestaat er al een met deze "
                        "gegevenscombinatie.");
    return OMK_OK;
}

static omk_rc pi_before_delete(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                               const omk_row *row)
{
    omk_cond c = {"sub_identificator_van", omk_text(row->uuid)};
    bool found = false;
    omk_rc rc = omk_db_exists(db, r, &c, 1, NULL, &found);
    if (!rc && found)
        omk_api_err_add(ctx, "nonFieldErrors", "invalid",
                        "Deze identificator kan niet verwijderd worden: er zijn "
                        "sub-identificatoren die ernaar verwijzen.");
    return rc;
}

const omk_hooks omk__ki_pi_hooks = {.check = pi_check, .apply = pi_apply, .before_delete = pi_before_delete};

/* ---- partijen ---- */

/* What a partij's body may link, as the reference does: lists of existing objects by uuid
 * that become the partij's own (their `column` set to it); on an update, those no longer
 * listed are unlinked. Absent or null: the links stay as they are. */
typedef struct partij_link {
    const char *key;           /* the body's list */
    const omk_resource *r;     /* what it lists */
    const char *column;        /* the listed rows' reference to the partij */
    const char *voorkeur;      /* the partij's preference among them */
    const char *voorkeur_fout; /* the reason when the preference is not linked */
} partij_link;

static const partij_link PARTIJ_LINKS[] = {
    {"digitaleAdressen", &omk__ki_digitaal_adres, "verstrekt_door_partij",
     "voorkeursDigitaalAdres", "Het voorkeursadres moet een gelinkt digitaal adres zijn."},
    {"rekeningnummers", &omk__ki_rekeningnummer, "partij", "voorkeursRekeningnummer",
     "Het voorkeursrekeningnummer moet een gelinkt rekeningnummer zijn."},
};

/* The uuids body lists under l->key (*n), each checked to be an object with the uuid of an
 * existing row (errors under "<key>.<i>.uuid"); *uuids NULL when the list is absent. */
static omk_rc link_list(omk_db *db, omk_api_ctx *ctx, json_t *body, const partij_link *l,
                        const char ***uuids, size_t *n)
{
    *uuids = NULL;
    *n = 0;
    json_t *list = json_object_get(body, l->key);
    if (!list || json_is_null(list))
        return OMK_OK;
    if (!json_is_array(list)) {
        omk_api_err_add(ctx, l->key, "not_a_list",
                        "Verwacht een lijst met items, kreeg een ander type.");
        return OMK_OK;
    }
    *uuids = omk_arena_alloc(ctx->a, (json_array_size(list) + 1) * sizeof **uuids);
    if (!*uuids)
        return OMK_NOMEM;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *uuid = json_string_value(json_object_get(item, "uuid"));
        char *name = omk_arena_printf(ctx->a, "%s.%zu.uuid", l->key, i);
        if (!name)
            return OMK_NOMEM;
        if (!uuid || !omk_uuid_valid(uuid, strlen(uuid))) {
            omk_api_err_add(ctx, name, uuid ? "invalid" : "required",
                            uuid ? "Voer een geldige UUID in." : "Dit veld is vereist.");
            continue;
        }
        omk_rc rc = omk_res_must_exist(db, ctx, l->r, uuid, name, NULL);
        if (rc && rc != OMK_INVALID)
            return rc;
        if (!rc)
            (*uuids)[(*n)++] = uuid;
    }
    return OMK_OK;
}

/* Whether the partij's preference of l is (or, after this write, will be) linked to it. */
static omk_rc preference_linked(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                                const omk_row *row, json_t *body, const partij_link *l)
{
    const char *voorkeur = omk_row_text(r, row, l->voorkeur);
    if (!voorkeur)
        return OMK_OK;
    const char **uuids = NULL;
    size_t n = 0;
    size_t errs = ctx->nerrs;
    omk_rc rc = link_list(db, ctx, body, l, &uuids, &n);
    if (rc || ctx->nerrs != errs)
        return rc;
    bool found = false;
    for (size_t i = 0; uuids && i < n; i++)
        found = found || strcasecmp(uuids[i], voorkeur) == 0;
    if (!uuids) {
        omk_cond c[] = {{"uuid", omk_text(voorkeur)}, {l->column, omk_text(row->uuid)}};
        if ((rc = omk_db_exists(db, l->r, c, 2, NULL, &found)))
            return rc;
    }
    if (!found)
        omk_api_err_add(ctx, l->voorkeur, "invalid", l->voorkeur_fout);
    return OMK_OK;
}

/* After the partij is written: the listed rows become its own, the others it had are let go. */
static omk_rc link_rows(omk_db *db, omk_api_ctx *ctx, const omk_row *row, const omk_row *old,
                        json_t *body, const partij_link *l)
{
    const char **uuids = NULL;
    size_t n = 0;
    omk_rc rc = link_list(db, ctx, body, l, &uuids, &n);
    if (rc || !uuids || ctx->nerrs)
        return rc;
    omk_cond mine = {l->column, omk_text(row->uuid)};
    if (old && (rc = omk_db_set_where(db, l->r, l->column, (omk_value){.t = OMK_V_NULL}, &mine,
                                      1, NULL)))
        return rc;
    for (size_t i = 0; !rc && i < n; i++) {
        omk_cond c = {"uuid", omk_text(uuids[i])};
        rc = omk_db_set_where(db, l->r, l->column, omk_text(row->uuid), &c, 1, NULL);
    }
    return rc;
}

static omk_rc partij_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                           const omk_row *old, json_t *body)
{
    (void)old;
    omk_rc rc;
    for (size_t i = 0; i < OMK_COUNT(PARTIJ_LINKS); i++)
        if ((rc = preference_linked(db, ctx, r, row, body, &PARTIJ_LINKS[i])))
            return rc;
    const char *werkte = omk_row_text(r, row, "partijIdentificatie.werkteVoorPartij");
    if (werkte) {
        omk_cond c[] = {{"uuid", omk_text(werkte)}, {"soort_partij", omk_text("organisatie")}};
        bool found = false;
        if ((rc = omk_db_exists(db, r, c, 2, NULL, &found)))
            return rc;
        if (!found)
            omk_api_err_add(ctx, "partijIdentificatie.werkteVoorPartij", "invalid",
                            "De partij waarvoor een contactpersoon werkt moet een organisatie zijn.");
    }
    json_t *items = json_object_get(body, "partijIdentificatoren");
    if (items && !json_is_array(items) && !json_is_null(items))
        omk_api_err_add(ctx, "partijIdentificatoren", "not_a_list",
                        "Verwacht een lijst met items, kreeg een ander type.");
    return OMK_OK;
}

/* Copies a nested item's errors under "partijIdentificatoren.<i>.". */
static void prefix_errors(omk_api_ctx *ctx, omk_api_ctx *sub, size_t i)
{
    for (omk_api_err *e = sub->errs; e; e = e->next) {
        char name[256];
        snprintf(name, sizeof name, "partijIdentificatoren.%zu.%s", i, e->name);
        omk_api_err_add(ctx, name, e->code, e->reason);
    }
}

/* Writes the nested partijIdentificatoren of a partij: items with a uuid update and re-link
 * that identificator; on update, every linked identificator not named is removed. */
static omk_rc partij_after(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                           const omk_row *old, json_t *body, omk_write_mode mode)
{
    (void)r;
    for (size_t i = 0; i < OMK_COUNT(PARTIJ_LINKS); i++) {
        omk_rc rc = link_rows(db, ctx, row, old && mode != OMK_CREATE ? old : NULL, body,
                             &PARTIJ_LINKS[i]);
        if (rc)
            return rc;
    }
    json_t *items = json_object_get(body, "partijIdentificatoren");
    if (!json_is_array(items))
        return OMK_OK;
    const omk_resource *pi = &omk__ki_partij_identificator;
    size_t i;
    json_t *item;
    const char **keep = omk_arena_alloc(ctx->a, (json_array_size(items) + 1) * sizeof *keep);
    if (!keep)
        return OMK_NOMEM;
    size_t nkeep = 0;
    json_array_foreach(items, i, item)
    {
        json_t *u = json_object_get(item, "uuid");
        if (json_is_string(u)) {
            for (size_t k = 0; k < nkeep; k++)
                if (strcasecmp(keep[k], json_string_value(u)) == 0) {
                    char name[64];
                    snprintf(name, sizeof name, "partijIdentificatoren.%zu.uuid", i);
                    omk_api_err_add(ctx, name, "duplicated", "Duplicate uuid found.");
                }
            keep[nkeep++] = json_string_value(u);
        }
    }
    if (ctx->nerrs)
        return OMK_OK;
    /* On update, identificators no longer listed are removed first so their ids are free. */
    if (old && mode != OMK_CREATE) {
        omk_rowset cur = {0};
        omk_rc rc = omk_db_children(db, pi, "identificeerde_partij", row->uuid, ctx->a, &cur);
        if (rc)
            return rc;
        for (size_t k = 0; k < cur.n; k++) {
            bool listed = false;
            for (size_t m = 0; m < nkeep; m++)
                listed = listed || strcasecmp(keep[m], cur.rows[k].uuid) == 0;
            if (!listed && (rc = omk_res_delete(db, ctx, pi, cur.rows[k].uuid)))
                return rc;
        }
    }
    json_array_foreach(items, i, item)
    {
        omk_api_ctx sub = {.a = ctx->a, .base_url = ctx->base_url};
        char name[64];
        if (!json_is_object(item)) {
            snprintf(name, sizeof name, "partijIdentificatoren.%zu", i);
            omk_api_err_add(ctx, name, "invalid", "Ongeldige data. Verwacht een dictionary.");
            continue;
        }
        json_t *ip = json_object_get(item, "identificeerdePartij");
        if (ip && !json_is_null(ip)) {
            snprintf(name, sizeof name, "partijIdentificatoren.%zu.identificeerdePartij", i);
            omk_api_err_add(ctx, name, "invalid",
                            "Het veld `identificeerdePartij` wordt automatisch ingesteld en "
                            "mag niet worden opgegeven.");
            continue;
        }
        json_t *u = json_object_get(item, "uuid");
        const char *uuid = json_is_string(u) ? json_string_value(u) : NULL;
        omk_row *child = NULL;
        bool exists = false;
        if (uuid) {
            if (!omk_uuid_valid(uuid, strlen(uuid))) {
                snprintf(name, sizeof name, "partijIdentificatoren.%zu.uuid", i);
                omk_api_err_add(ctx, name, "invalid", "Voer een geldige UUID in.");
                continue;
            }
            omk_cond c = {"uuid", omk_text(uuid)};
            omk_rc rc = omk_db_exists(db, pi, &c, 1, NULL, &exists);
            if (rc)
                return rc;
            if (!exists) {
                snprintf(name, sizeof name, "partijIdentificatoren.%zu.uuid", i);
                omk_api_err_add(ctx, name, "invalid", "PartijIdentificator object bestaat niet.");
                continue;
            }
        }
        omk_rc rc = omk_res_parse(&sub, pi, item, exists ? OMK_PATCH : OMK_CREATE, &child);
        if (rc == OMK_OK) {
            omk_row_set_text(&sub, pi, child, "identificeerdePartij", row->uuid);
            rc = omk_res_write(db, &sub, pi, child, exists ? uuid : NULL, item,
                               exists ? OMK_PATCH : OMK_CREATE, NULL);
        }
        if (rc && rc != OMK_INVALID)
            return rc;
        prefix_errors(ctx, &sub, i);
    }
    return OMK_OK;
}

static omk_rc partij_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                              const omk_row *row, omk_jv *obj);

const omk_hooks omk__ki_partij_hooks = {.apply = partij_apply, .after = partij_after,
                                        .decorate_jv = partij_decorate};

/* ---- digitale adressen ---- */

static void da_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                     json_t *body)
{
    (void)old;
    (void)body;
    const char *soort = val(r, row, "soortDigitaalAdres");
    const char *adres = val(r, row, "adres");
    if (strcmp(soort, "email") == 0 && !omk__email_valid(adres))
        omk_api_err_add(ctx, "adres", "invalid", "Voer een geldig e-mailadres in.");
    if (strcmp(soort, "telefoonnummer") == 0 && !omk__phone_valid(adres))
        omk_api_err_add(ctx, "adres", "invalid", "Het opgegeven telefoonnummer is ongeldig.");
    if (flag(r, row, "isStandaardAdres") && !omk_row_text(r, row, "verstrektDoorPartij"))
        omk_api_err_add(ctx, "isStandaardAdres", "invalid",
                        "`is_standaard_adres` kan alleen gezet worden als "
                        "`verstrekt_door_partij` niet leeg is.");
    const char *ref = val(r, row, "referentie");
    for (const char *p = ref; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_')) {
            omk_api_err_add(ctx, "referentie", "invalid",
                            "Deze waarde voldoet niet aan het benodigde formaat.");
            break;
        }
}

static omk_rc da_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                       const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    const char *partij = omk_row_text(r, row, "verstrektDoorPartij");
    const char *soort = val(r, row, "soortDigitaalAdres");
    const char *ref = val(r, row, "referentie");
    omk_rc rc;
    if (partij && *ref) {
        omk_cond c[] = {{"verstrekt_door_partij", omk_text(partij)},
                        {"soort_digitaal_adres", omk_text(soort)},
                        {"referentie", omk_text(ref)}};
        bool found = false;
        if ((rc = omk_db_exists(db, r, c, 3, row->uuid, &found)))
            return rc;
        if (found)
            omk_api_err_add(ctx, "nonFieldErrors", "unique",
                            "Er bestaat al een digitaal adres met deze partij, soort en "
                            "referentie.");
    }
    if (partij && flag(r, row, "isStandaardAdres") && !ctx->nerrs) {
        omk_cond c[] = {{"verstrekt_door_partij", omk_text(partij)},
                        {"soort_digitaal_adres", omk_text(soort)}};
        rc = omk_db_set_where(db, r, "is_standaard_adres", omk_int(0),
                              c, 2, row->uuid);
        if (rc)
            return rc;
    }
    return OMK_OK;
}

/* Keeps the address's search key (a column the API does not show) in step, so the klantbeeld
 * finds a partij by a phone number in any notation. */
static omk_rc da_after(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                       const omk_row *old, json_t *body, omk_write_mode mode)
{
    (void)ctx;
    (void)old;
    (void)body;
    (void)mode;
    return omk__da_set_key(db, r, row->uuid, val(r, row, "soortDigitaalAdres"),
                           val(r, row, "adres"));
}

omk_rc omk__da_set_key(omk_db *db, const omk_resource *r, const char *uuid, const char *soort,
                       const char *adres)
{
    char key[128];
    if (!omk__contact_key(soort, adres, key, sizeof key))
        key[0] = 0; /* "" marks "no key possible", NULL "not yet computed" */
    omk_value v = {.t = OMK_V_TEXT, .s = key, .n = strlen(key)};
    omk_cond c[] = {{"uuid", omk_text(uuid)}};
    return omk_db_set_where(db, r, "zoeksleutel", v, c, 1, NULL);
}

const omk_hooks omk__ki_da_hooks = {.check = da_check, .apply = da_apply, .after = da_after};

/* ---- klantcontacten ---- */

static void kc_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                     json_t *body)
{
    (void)old;
    (void)body;
    if (flag(r, row, "indicatieContactGelukt") && flag(r, row, "verdereActieOndernomen"))
        omk_api_err_add(ctx, "nonFieldErrors", "no-further-action-when-contact-succesful",
                        "Als het contact gelukt is (`indicatieContactGelukt`), kan er geen "
                        "verdere actie ondernomen worden (`verdereActieOndernomen`).");
    static const char *const numbers[] = {"nummer", "referentienummer"};
    for (size_t i = 0; i < 2; i++) {
        const char *n = omk_row_text(r, row, numbers[i]);
        for (const char *p = n; p && *p; p++)
            if (*p < '0' || *p > '9') {
                omk_api_err_add(ctx, numbers[i], "only-digits", "Voer een numerieke waarde in");
                break;
            }
    }
}

static omk_rc kc_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                       const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    static const struct {
        const char *json, *column, *msg;
    } unique[] = {
        {"nummer", "nummer", "Er bestaat al een klantcontact met eenzelfde nummer."},
        {"referentienummer", "referentienummer",
         "Er bestaat al een klantcontact met eenzelfde referentienummer."},
    };
    for (size_t i = 0; i < 2; i++) {
        const char *n = omk_row_text(r, row, unique[i].json);
        if (!n)
            continue;
        if (!*n) {
            /* An empty number means "no number" (KISS sends ""). */
            omk_row_set_text(ctx, r, row, unique[i].json, NULL);
            continue;
        }
        omk_cond c = {unique[i].column, omk_text(n)};
        bool found = false;
        omk_rc rc = omk_db_exists(db, r, &c, 1, row->uuid, &found);
        if (rc)
            return rc;
        if (found)
            omk_api_err_add(ctx, unique[i].json, "unique", unique[i].msg);
    }
    return OMK_OK;
}

const omk_hooks omk__ki_kc_hooks = {.check = kc_check, .apply = kc_apply};

/* ---- actorklantcontacten, vertegenwoordigingen: unique pairs ---- */

static omk_rc unique_pair(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                          const char *a_json, const char *a_col, const char *b_json,
                          const char *b_col)
{
    const char *x = omk_row_text(r, row, a_json), *y = omk_row_text(r, row, b_json);
    if (!x || !y)
        return OMK_OK;
    omk_cond c[] = {{a_col, omk_text(x)}, {b_col, omk_text(y)}};
    bool found = false;
    omk_rc rc = omk_db_exists(db, r, c, 2, row->uuid, &found);
    if (!rc && found) {
        char msg[160];
        snprintf(msg, sizeof msg, "De velden %s, %s moeten een unieke set zijn.", a_json, b_json);
        omk_api_err_add(ctx, "nonFieldErrors", "unique", msg);
    }
    return rc;
}

static omk_rc akc_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                        const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    return unique_pair(db, ctx, r, row, "actor", "actor", "klantcontact", "klantcontact");
}

const omk_hooks omk__ki_akc_hooks = {.apply = akc_apply};

static void vtw_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                      json_t *body)
{
    (void)old;
    (void)body;
    const char *a = omk_row_text(r, row, "vertegenwoordigendePartij");
    const char *b = omk_row_text(r, row, "vertegenwoordigdePartij");
    if (a && b && strcmp(a, b) == 0)
        omk_api_err_add(ctx, "vertegenwoordigdePartij", "invalid",
                        "De partij kan niet zichzelf vertegenwoordigen.");
}

static omk_rc vtw_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                        const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    return unique_pair(db, ctx, r, row, "vertegenwoordigendePartij", "vertegenwoordigende_partij",
                       "vertegenwoordigdePartij", "vertegenwoordigde_partij");
}

const omk_hooks omk__ki_vtw_hooks = {.check = vtw_check, .apply = vtw_apply};

/* ---- categorie-relaties: the categorie reference carries its naam ---- */

static omk_rc catrel_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                              const omk_row *row, omk_jv *obj)
{
    const char *cat = omk_row_text(r, row, "categorie");
    omk_jv *ref = omk_jv_get(obj, "categorie", strlen("categorie"));
    if (!cat || !omk_jv_is_object(ref))
        return OMK_OK;
    omk_row *c = NULL;
    omk_rc rc = omk_db_get(db, &omk__ki_categorie, cat, ctx->a, &c);
    if (!rc)
        omk_jv_set(ref, "naam", omk_jv_str(ctx->a, val(&omk__ki_categorie, c, "naam")));
    return rc == OMK_NOTFOUND ? OMK_OK : rc;
}

const omk_hooks omk__ki_catrel_hooks = {.decorate_jv = catrel_decorate};

/* partij.categorieRelaties: {uuid, url, categorieNaam, beginDatum, eindDatum}. */
static omk_rc partij_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                              const omk_row *row, omk_jv *obj)
{
    (void)r;
    const omk_resource *cr = &omk__ki_categorie_relatie;
    omk_rowset rels = {0};
    omk_rc rc = omk_db_children(db, cr, "partij", row->uuid, ctx->a, &rels);
    omk_jv *arr = omk_jv_array(ctx->a);
    for (size_t i = 0; !rc && i < rels.n; i++) {
        const omk_row *rel = &rels.rows[i];
        const char *cat = omk_row_text(cr, rel, "categorie");
        omk_row *c = NULL;
        const char *naam = "";
        if (cat && !(rc = omk_db_get(db, &omk__ki_categorie, cat, ctx->a, &c)))
            naam = val(&omk__ki_categorie, c, "naam");
        if (rc == OMK_NOTFOUND)
            rc = OMK_OK;
        const char *begin = omk_row_text(cr, rel, "beginDatum");
        const char *eind = omk_row_text(cr, rel, "eindDatum");
        omk_jv *o = omk_jv_object(ctx->a);
        omk_jv_set(o, "uuid", omk_jv_str(ctx->a, rel->uuid));
        omk_jv_set(o, "url", omk_jv_str(ctx->a, omk_res_url(ctx, cr, rel->uuid)));
        omk_jv_set(o, "categorieNaam", omk_jv_str(ctx->a, naam));
        omk_jv_set(o, "beginDatum", begin ? omk_jv_str(ctx->a, begin) : omk_jv_null(ctx->a));
        omk_jv_set(o, "eindDatum", eind ? omk_jv_str(ctx->a, eind) : omk_jv_null(ctx->a));
        omk_jv_append(arr, o);
    }
    omk_jv_set(obj, "categorieRelaties", arr);
    return rc;
}

/* ---- interne taken ---- */

static void taak_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                       json_t *body)
{
    json_t *single = json_object_get(body, "toegewezenAanActor");
    json_t *list = json_object_get(body, "toegewezenAanActoren");
    if (single && !json_is_null(single) && list)
        omk_api_err_add(ctx, "nonFieldErrors", "invalid",
                        "`toegewezenAanActor` en `toegewezenAanActoren` kunnen niet beide "
                        "gebruikt worden.");
    else if (single && !json_is_null(single)) {
        json_t *u = json_is_object(single) ? json_object_get(single, "uuid") : NULL;
        if (!json_is_string(u) || !omk_uuid_valid(json_string_value(u), json_string_length(u)))
            omk_api_err_add(ctx, "toegewezenAanActor.uuid", "invalid", "Voer een geldige UUID in.");
        else
            omk_row_set_text(ctx, r, row, "toegewezenAanActoren", json_string_value(u));
    } else if (!list && !old) {
        omk_api_err_add(ctx, "nonFieldErrors", "invalid",
                        "`toegewezenAanActor` of `toegewezenAanActoren` is verplicht.");
    }
    /* afgehandeldOp belongs to a finished task: filled when it becomes verwerkt, cleared when
     * it goes back to te_verwerken. */
    int st = omk_model_field_index(r, "status"), af = omk_model_field_index(r, "afgehandeldOp");
    bool verwerkt = strcmp(val(r, row, "status"), "verwerkt") == 0;
    if (!verwerkt && row->set[af] && row->v[af].t != OMK_V_NULL)
        omk_api_err_add(ctx, "afgehandeldOp", "invalid",
                        "De taak kan alleen een `afgehandeldOp` hebben als de status "
                        "`verwerkt` is.");
    else if (!verwerkt && row->set[st])
        row->v[af] = (omk_value){.t = OMK_V_NULL};
    else if (verwerkt && row->v[af].t == OMK_V_NULL)
        row->v[af] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
}

static omk_rc taak_apply(omk_db *db, omk_api_ctx *ctx, const omk_resource *r, omk_row *row,
                         const omk_row *old, json_t *body)
{
    (void)old;
    (void)body;
    const char *n = omk_row_text(r, row, "nummer");
    if (n && !*n) {
        /* KISS sends nummer "": no number. */
        omk_row_set_text(ctx, r, row, "nummer", NULL);
        return OMK_OK;
    }
    if (!n)
        return OMK_OK;
    omk_cond c = {"nummer", omk_text(n)};
    bool found = false;
    omk_rc rc = omk_db_exists(db, r, &c, 1, row->uuid, &found);
    if (!rc && found)
        omk_api_err_add(ctx, "nummer", "unique", "Er bestaat al een interne taak met eenzelfde nummer.");
    return rc;
}

/* toegewezenAanActor (deprecated) shows the first assigned actor. */
static omk_rc taak_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                            const omk_row *row, json_t *obj)
{
    (void)db;
    (void)ctx;
    (void)r;
    (void)row;
    json_t *list = json_object_get(obj, "toegewezenAanActoren");
    json_t *first = json_array_get(list, 0);
    json_object_set(obj, "toegewezenAanActor", first ? first : json_null());
    return OMK_OK;
}

const omk_hooks omk__ki_taak_hooks = {.check = taak_check, .apply = taak_apply,
                                      .decorate = taak_decorate};

/* ---- actoren: an actorIdentificatie that is given is complete (its schema's required parts) ---- */

static void actor_check(omk_api_ctx *ctx, const omk_resource *r, omk_row *row, const omk_row *old,
                        json_t *body)
{
    (void)old;
    json_t *ai = json_object_get(body, "actorIdentificatie");
    if (!json_is_object(ai))
        return;
    const char *soort = val(r, row, "soortActor");
    static const struct {
        const char *soort, *field;
    } REQUIRED[] = {{"medewerker", "functie"},
                    {"medewerker", "telefoonnummer"},
                    {"geautomatiseerde_actor", "functie"}};
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++) {
        char json[64];
        snprintf(json, sizeof json, "actorIdentificatie.%s", REQUIRED[i].field);
        if (strcmp(soort, REQUIRED[i].soort) == 0 && !*val(r, row, json))
            omk_api_err_add(ctx, json, "required", "Dit veld is vereist.");
    }
}

const omk_hooks omk__ki_actor_hooks = {.check = actor_check};
