/* The werkplek's contact sessions (/werkplek/api/v1/sessies): one row per contact an
 * employee handles, stored in the database so it survives a reload or a browser crash, and
 * visible only to that employee (another principal gets 404, as if it did not exist). A
 * session holds the partijen opened or chosen in it (their names read from the register, not
 * taken from the client), the active one, the draft (a JSON object the desk keeps: questions,
 * notes, the hand-over's fields) and, at wrap-up, for whom it was saved or that it was
 * anonymous. The desk's writes go through the session: a klantcontact, a contactverzoek or a
 * closed chat is linked only to a partij of that session, else 409 partij_niet_in_sessie;
 * a closed session takes no writes (409 sessie_afgerond). When the employee's last web
 * session ends, the schema's trigger removes their contact sessions (migration 16).
 * Any worker thread. */
#include <stdio.h>
#include <string.h>

#include "werkplek/werkplek.h"
#include "engine/logboek.h"
#include "kanalen/kanalen.h"
#include "klantinteracties/klantinteracties.h"
#include "omk/util.h"

#define MAX_PARTIJEN 10       /* residents opened in one contact */
#define MAX_ACTIEF 20         /* parallel contacts of one employee */
#define MAX_CONCEPT 32768     /* bytes of a session's draft */

static const char *const AANLEIDINGEN[] = {"nieuw", "telefoon", "chat", "werkvoorraad", NULL};
static const char *const KANALEN[] = {"telefoon", "balie", "e-mail", "chat", "whatsapp",
                                      "post", "website", "social media", NULL};

static const omk_field FIELDS[] = {
    {.json = "medewerker", .column = "medewerker", .type = OMK_F_STRING},
    {.json = "status", .column = "status", .type = OMK_F_STRING},
    {.json = "aanleiding", .column = "aanleiding", .type = OMK_F_STRING},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING},
    {.json = "gesprek", .column = "gesprek", .type = OMK_F_STRING},
    {.json = "telefoonnummer", .column = "telefoonnummer", .type = OMK_F_STRING},
    {.json = "partijen", .column = "partijen", .type = OMK_F_STRING},
    {.json = "actievePartij", .column = "actieve_partij", .type = OMK_F_STRING},
    {.json = "concept", .column = "concept", .type = OMK_F_STRING},
    {.json = "voor", .column = "voor", .type = OMK_F_STRING},
    {.json = "anoniem", .column = "anoniem", .type = OMK_F_BOOL},
    {.json = "versie", .column = "versie", .type = OMK_F_INT},
    {.json = "gestartOp", .column = "gestart_op", .type = OMK_F_DATETIME},
    {.json = "gewijzigdOp", .column = "gewijzigd_op", .type = OMK_F_DATETIME},
    {.json = "afgerondOp", .column = "afgerond_op", .type = OMK_F_DATETIME},
    {.json = "chatGelezenTot", .column = "chat_gelezen_tot", .type = OMK_F_DATETIME},
};
enum {
    F_MEDEWERKER, F_STATUS, F_AANLEIDING, F_KANAAL, F_GESPREK, F_TELEFOON, F_PARTIJEN,
    F_ACTIEF, F_CONCEPT, F_VOOR, F_ANONIEM, F_VERSIE, F_GESTART, F_GEWIJZIGD, F_AFGEROND,
    F_GELEZEN, F_COUNT
};
static const omk_resource SESSIE = {
    .name = "sessies", .model = "Contactsessie", .table = "werkplek_sessies",
    .fields = FIELDS, .nfields = F_COUNT, .api_base = WP_BASE, .order_ascending = true,
};

/* ---- reading and writing rows ---- */

/* The work of one request on the store. `row` is the caller's session once loaded. */
typedef struct wp_job {
    omk_req *req;
    omk_arena *a;
    const char *medewerker;
    const char *uuid;
    json_t *body;
    omk_row *row;
    omk_rowset rows;
    long long count;
    const char *partij;   /* a partij to open (partijen) */
    const char *gesprek;  /* create: the chat's conversation */
    bool existing;        /* create: an active session for this chat existed already */
} wp_job;

static void set_text(omk_row *row, int f, const char *s)
{
    row->v[f] = s ? omk_text(s) : (omk_value){.t = OMK_V_NULL};
    row->set[f] = true;
}

static void set_int(omk_row *row, int f, int64_t i)
{
    row->v[f] = omk_int(i);
    row->set[f] = true;
}

static const char *text_of(const omk_row *row, int f)
{
    return row->v[f].t == OMK_V_TEXT ? row->v[f].s : NULL;
}

/* A copy of `row` to update (the store writes every field, so an update starts from the
 * stored values); NULL when out of memory. */
static omk_row *row_copy(omk_arena *a, const omk_row *row)
{
    omk_row *u = omk_row_new(&SESSIE, a);
    if (!u)
        return NULL;
    memcpy(u->uuid, row->uuid, sizeof u->uuid);
    memcpy(u->v, row->v, SESSIE.nfields * sizeof *u->v);
    for (size_t i = 0; i < SESSIE.nfields; i++)
        u->set[i] = true;
    return u;
}

/* Loads the session j->uuid of j->medewerker into j->row; OMK_NOTFOUND for another's. */
static omk_rc load_mine(omk_db *db, wp_job *j)
{
    omk_rc rc = omk_db_get(db, &SESSIE, j->uuid, j->a, &j->row);
    if (rc)
        return rc;
    const char *wie = text_of(j->row, F_MEDEWERKER);
    if (!wie || strcmp(wie, j->medewerker) != 0) {
        j->row = NULL;
        return OMK_NOTFOUND;
    }
    return OMK_OK;
}

static omk_rc read_one(omk_db *db, void *arg)
{
    return load_mine(db, arg);
}

static omk_rc list_active(omk_db *db, void *arg)
{
    wp_job *j = arg;
    omk_cond c[2] = {{"medewerker", omk_text(j->medewerker)}, {"status", omk_text("actief")}};
    omk_query q = {.conds = c, .nconds = 2, .limit = MAX_ACTIEF};
    return omk_db_list(db, &SESSIE, &q, j->a, &j->rows, &j->count);
}

/* ---- JSON ---- */

static json_t *parse_text(const omk_row *row, int f)
{
    const char *s = text_of(row, f);
    json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
    return v;
}

/* The entry {uuid, naam, soort} of partij `uuid` in the session's list (borrowed), or NULL. */
static json_t *partij_in(json_t *partijen, const char *uuid)
{
    size_t i;
    json_t *p;
    if (!uuid)
        return NULL;
    json_array_foreach(partijen, i, p) {
        const char *u = json_string_value(json_object_get(p, "uuid"));
        if (u && strcmp(u, uuid) == 0)
            return p;
    }
    return NULL;
}

static json_t *time_json(const omk_row *row, int f)
{
    if (row->v[f].t != OMK_V_INT)
        return json_null();
    char t[32];
    omk_time_format(row->v[f].i, t);
    return json_string(t);
}

static json_t *sessie_json(omk_req *req, const omk_row *row)
{
    json_t *partijen = parse_text(row, F_PARTIJEN);
    if (!json_is_array(partijen)) {
        json_decref(partijen);
        partijen = json_array();
    }
    json_t *concept = parse_text(row, F_CONCEPT);
    if (!json_is_object(concept)) {
        json_decref(concept);
        concept = json_object();
    }
    json_t *voor = parse_text(row, F_VOOR);
    json_t *actief = partij_in(partijen, text_of(row, F_ACTIEF));
    const char *base = omk_req_base_url(req);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:O, s:o, s:o, s:b, s:I, s:o, s:o, s:o,"
        " s:o}",
        "uuid", row->uuid, "url",
        omk_arena_printf(omk_req_arena(req), "%s" WP_BASE "/sessies/%s", base, row->uuid),
        "medewerker", text_of(row, F_MEDEWERKER), "status", text_of(row, F_STATUS),
        "aanleiding", text_of(row, F_AANLEIDING), "kanaal", text_of(row, F_KANAAL), "gesprek",
        text_of(row, F_GESPREK) ? json_string(text_of(row, F_GESPREK)) : json_null(),
        "telefoonnummer", text_of(row, F_TELEFOON) ? text_of(row, F_TELEFOON) : "",
        "partijen", partijen, "actievePartij", actief ? actief : json_null(), "concept",
        concept, "voor", json_is_array(voor) ? voor : (json_decref(voor), json_null()),
        "anoniem", row->v[F_ANONIEM].t == OMK_V_INT && row->v[F_ANONIEM].i, "versie",
        (json_int_t)(row->v[F_VERSIE].t == OMK_V_INT ? row->v[F_VERSIE].i : 1), "gestartOp",
        time_json(row, F_GESTART), "gewijzigdOp", time_json(row, F_GEWIJZIGD), "afgerondOp",
        time_json(row, F_AFGEROND), "chatGelezenTot", time_json(row, F_GELEZEN));
}

/* ---- helpers for handlers ---- */

static omk_rc start_job(omk_req *req, wp_job *j, bool with_uuid, bool with_body)
{
    memset(j, 0, sizeof *j);
    j->req = req;
    j->a = omk_req_arena(req);
    j->medewerker = omk_req_principal(req);
    omk_rc rc = OMK_OK;
    if (with_uuid)
        rc = omk__path_uuid(req, &j->uuid);
    if (with_body)
        j->body = omk_req_json(req);
    return rc;
}

static omk_rc reply_row(omk_req *req, int status, const omk_row *row)
{
    json_t *o = sessie_json(req, row);
    return o ? omk_req_reply_json(req, status, o) : OMK_NOMEM;
}

static omk_rc must_be_active(omk_req *req, const omk_row *row)
{
    const char *st = text_of(row, F_STATUS);
    if (st && strcmp(st, "actief") == 0)
        return OMK_OK;
    omk_req_fail(req, "sessie_afgerond",
                 "Dit contactmoment is al afgerond; start een nieuw contactmoment.");
    return OMK_CONFLICT;
}

/* Refuses partij `uuid` when it was not opened or chosen in the session (409). */
static omk_rc partij_allowed(omk_req *req, const omk_row *row, const char *uuid)
{
    json_t *partijen = parse_text(row, F_PARTIJEN);
    bool ok = partij_in(partijen, uuid) != NULL;
    json_decref(partijen);
    if (ok)
        return OMK_OK;
    omk_req_fail(req, "partij_niet_in_sessie",
                 "Deze klant is niet geopend in dit contactmoment. Open de klant eerst in dit"
                 " contactmoment; een contact wordt nooit bij een andere klant vastgelegd.");
    return OMK_CONFLICT;
}

static const char *uuid_at(json_t *obj, const char *k1, const char *k2)
{
    json_t *v = json_object_get(obj, k1);
    if (k2)
        v = json_object_get(v, k2);
    return json_string_value(json_object_get(v, "uuid"));
}

/* Checks the session of the request (mine, active) and every partij the body links
 * (`paths`: pairs of keys leading to an object with "uuid"; k2 may be NULL). */
static omk_rc check_links(omk_req *req, wp_job *j, const char *const (*paths)[2], size_t n)
{
    omk_rc rc = start_job(req, j, true, true);
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, j);
    if (!rc)
        rc = must_be_active(req, j->row);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *obj = j->body;
        const char *uuid = uuid_at(obj, paths[i][0], paths[i][1]);
        json_t *outer = json_object_get(obj, paths[i][0]);
        bool present = paths[i][1] ? json_object_get(outer, paths[i][1]) != NULL &&
                                         !json_is_null(json_object_get(outer, paths[i][1]))
                                   : outer != NULL && !json_is_null(outer);
        if (present)
            rc = partij_allowed(req, j->row, uuid);
    }
    return rc;
}

/* ---- GET /sessies ---- */

static omk_rc sessies_list(omk_req *req)
{
    wp_job j;
    omk_rc rc = start_job(req, &j, false, false);
    if (!rc)
        rc = omk_store_read(omk__store(req), list_active, &j);
    if (rc)
        return rc;
    json_t *results = json_array();
    for (size_t i = 0; i < j.rows.n; i++)
        json_array_append_new(results, sessie_json(req, &j.rows.rows[i]));
    return omk_req_reply_json(req, 200,
                              json_pack("{s:I, s:n, s:n, s:o}", "count", (json_int_t)j.count,
                                        "next", "previous", "results", results));
}

/* ---- POST /sessies ---- */

static omk_rc create_write(omk_db *db, void *arg)
{
    wp_job *j = arg;
    omk_rc rc = list_active(db, j);
    if (rc)
        return rc;
    for (size_t i = 0; j->gesprek && i < j->rows.n; i++) {
        const char *g = text_of(&j->rows.rows[i], F_GESPREK);
        if (g && strcmp(g, j->gesprek) == 0) {
            j->row = &j->rows.rows[i]; /* taking the same chat again: its session */
            j->existing = true;
            return OMK_OK;
        }
    }
    if (j->count >= MAX_ACTIEF) {
        omk_req_fail(j->req, "te_veel_sessies",
                     "U heeft al 20 lopende contactmomenten; rond er eerst een af.");
        return OMK_CONFLICT;
    }
    return omk_db_insert(db, &SESSIE, j->row);
}

static const char *choice(omk_req *req, json_t *body, const char *key,
                          const char *const *choices, const char *def)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v))
        return def;
    const char *s = json_string_value(v);
    for (size_t i = 0; s && choices[i]; i++)
        if (strcmp(s, choices[i]) == 0)
            return s;
    omk_req_invalid(req, key, "invalid_choice", "Kies een van de toegestane waarden.");
    return NULL;
}

static void only_keys(omk_req *req, json_t *body, const char *const *keys)
{
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val) {
        bool known = false;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strcmp(key, keys[i]) == 0;
        if (!known)
            omk_req_invalid(req, key, "unknown", "Onbekend veld.");
    }
}

static omk_rc sessies_create(omk_req *req)
{
    wp_job j;
    omk_rc rc = start_job(req, &j, false, true);
    if (rc)
        return rc;
    static const char *const KEYS[] = {"aanleiding", "kanaal", "gesprek", "telefoonnummer",
                                       NULL};
    only_keys(req, j.body, KEYS);
    const char *aanleiding = choice(req, j.body, "aanleiding", AANLEIDINGEN, "nieuw");
    const char *def = aanleiding && !strcmp(aanleiding, "chat") ? "chat" : "telefoon";
    const char *kanaal = choice(req, j.body, "kanaal", KANALEN, def);
    json_t *g = json_object_get(j.body, "gesprek");
    if (g && !json_is_null(g)) {
        j.gesprek = json_string_value(g);
        if (!j.gesprek || !omk_uuid_valid(j.gesprek, strlen(j.gesprek)))
            omk_req_invalid(req, "gesprek", "invalid", "Moet een geldige UUID zijn.");
    }
    if (aanleiding && !strcmp(aanleiding, "chat") && !j.gesprek)
        omk_req_invalid(req, "gesprek", "required", "Een chat heeft zijn gesprek nodig.");
    const char *tel = json_string_value(json_object_get(j.body, "telefoonnummer"));
    if (json_object_get(j.body, "telefoonnummer") && (!tel || strlen(tel) > 32))
        omk_req_invalid(req, "telefoonnummer", "invalid", "Ongeldig telefoonnummer.");
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    j.row = omk_row_new(&SESSIE, j.a);
    if (!j.row)
        return OMK_NOMEM;
    omk_uuid4(j.row->uuid);
    int64_t now = omk_now_ms() * 1000;
    set_text(j.row, F_MEDEWERKER, j.medewerker);
    set_text(j.row, F_STATUS, "actief");
    set_text(j.row, F_AANLEIDING, aanleiding);
    set_text(j.row, F_KANAAL, kanaal);
    set_text(j.row, F_GESPREK, j.gesprek);
    set_text(j.row, F_TELEFOON, tel ? tel : "");
    set_text(j.row, F_PARTIJEN, "[]");
    set_text(j.row, F_ACTIEF, NULL);
    set_text(j.row, F_CONCEPT, "{}");
    set_text(j.row, F_VOOR, NULL);
    set_int(j.row, F_ANONIEM, 0);
    set_int(j.row, F_VERSIE, 1);
    set_int(j.row, F_GESTART, now);
    set_int(j.row, F_GEWIJZIGD, now);
    j.row->v[F_AFGEROND] = (omk_value){.t = OMK_V_NULL};
    j.row->set[F_AFGEROND] = true;
    j.row->v[F_GELEZEN] = (omk_value){.t = OMK_V_NULL};
    j.row->set[F_GELEZEN] = true;
    rc = omk_store_write(omk__store(req), create_write, &j);
    if (rc)
        return rc;
    return reply_row(req, j.existing ? 200 : 201, j.row);
}

/* ---- GET /sessies/{uuid} ---- */

static omk_rc sessies_read(omk_req *req)
{
    wp_job j;
    omk_rc rc = start_job(req, &j, true, false);
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, &j);
    return rc ? rc : reply_row(req, 200, j.row);
}

/* ---- PATCH /sessies/{uuid} {concept?, actievePartij?, kanaal?, chatGelezenTot?} ---- */

/* An update prepared from the request: the fields to set (NULL: unchanged). */
typedef struct patch_job {
    wp_job w;
    const char *concept;
    const char *kanaal;
    bool set_actief;
    const char *actief; /* NULL: no active partij */
    const char *partijen;
    bool set_gelezen;
    int64_t gelezen; /* the chat's last-read mark (µs); never moved back */
    omk_ldv *ldv; /* open: the Logboek of reading the partij into the session */
    omk_ldv_actie *actie;
} patch_job;

static omk_rc patch_write(omk_db *db, void *arg)
{
    patch_job *p = arg;
    wp_job *j = &p->w;
    omk_rc rc = load_mine(db, j);
    if (!rc)
        rc = must_be_active(j->req, j->row);
    /* open_write sets partijen with the new one in it; otherwise it must be there already. */
    if (!rc && p->set_actief && p->actief && !p->partijen)
        rc = partij_allowed(j->req, j->row, p->actief);
    if (rc)
        return rc;
    omk_row *u = row_copy(j->a, j->row);
    if (!u)
        return OMK_NOMEM;
    if (p->concept)
        set_text(u, F_CONCEPT, p->concept);
    if (p->kanaal)
        set_text(u, F_KANAAL, p->kanaal);
    if (p->partijen)
        set_text(u, F_PARTIJEN, p->partijen);
    if (p->set_actief)
        set_text(u, F_ACTIEF, p->actief);
    if (p->set_gelezen &&
        (u->v[F_GELEZEN].t != OMK_V_INT || u->v[F_GELEZEN].i < p->gelezen))
        set_int(u, F_GELEZEN, p->gelezen);
    int64_t versie = j->row->v[F_VERSIE].t == OMK_V_INT ? j->row->v[F_VERSIE].i : 1;
    set_int(u, F_VERSIE, versie + 1);
    set_int(u, F_GEWIJZIGD, omk_now_ms() * 1000);
    rc = omk_db_update(db, &SESSIE, u);
    if (!rc)
        rc = load_mine(db, j);
    return rc;
}

static omk_rc sessies_patch(omk_req *req)
{
    patch_job p = {0};
    omk_rc rc = start_job(req, &p.w, true, true);
    if (rc)
        return rc;
    json_t *body = p.w.body;
    static const char *const KEYS[] = {"concept", "actievePartij", "kanaal", "chatGelezenTot",
                                       NULL};
    only_keys(req, body, KEYS);
    json_t *gel = json_object_get(body, "chatGelezenTot");
    if (gel) {
        const char *t = json_string_value(gel);
        p.set_gelezen = true;
        if (!t || !omk_time_parse(t, strlen(t), &p.gelezen))
            omk_req_invalid(req, "chatGelezenTot", "invalid",
                            "Verwacht het tijdstip van het laatst gelezen bericht (RFC 3339).");
    }
    json_t *c = json_object_get(body, "concept");
    if (c) {
        char *s = json_is_object(c) ? json_dumps(c, JSON_COMPACT) : NULL;
        if (!json_is_object(c))
            omk_req_invalid(req, "concept", "invalid", "Ongeldige data. Verwacht een dictionary.");
        else if (!s || strlen(s) > MAX_CONCEPT)
            omk_req_invalid(req, "concept", "max_length", "Het concept is te groot (max. 32 KiB).");
        else
            p.concept = omk_arena_strdup(p.w.a, s);
        free(s);
    }
    if (json_object_get(body, "kanaal"))
        p.kanaal = choice(req, body, "kanaal", KANALEN, NULL);
    json_t *a = json_object_get(body, "actievePartij");
    if (a) {
        p.set_actief = true;
        if (!json_is_null(a)) {
            p.actief = json_is_string(a) ? json_string_value(a)
                                         : json_string_value(json_object_get(a, "uuid"));
            if (!p.actief || !omk_uuid_valid(p.actief, strlen(p.actief)))
                omk_req_invalid(req, "actievePartij", "invalid",
                                "Verwacht de uuid van een partij uit dit contactmoment, of null.");
        }
    }
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    rc = omk_store_write(omk__store(req), patch_write, &p);
    return rc ? rc : reply_row(req, 200, p.w.row);
}

/* ---- POST /sessies/{uuid}/partijen {uuid}: open a resident in this contact ---- */

static const char *field_text(const omk_row *row, const omk_resource *r, const char *json)
{
    int i = omk_model_field_index(r, json);
    return i >= 0 && row->v[i].t == OMK_V_TEXT ? row->v[i].s : "";
}

/* The name a partij is shown by: a person's contactnaam, an organisation's naam. */
static const char *partij_naam(omk_arena *a, const omk_row *p, const char **soort)
{
    const omk_resource *r = &omk__ki_partij;
    *soort = field_text(p, r, "soortPartij");
    if (strcmp(*soort, "organisatie") == 0)
        return field_text(p, r, "partijIdentificatie.naam");
    const char *parts[3] = {field_text(p, r, "partijIdentificatie.contactnaam.voornaam"),
                            field_text(p, r, "partijIdentificatie.contactnaam.voorvoegselAchternaam"),
                            field_text(p, r, "partijIdentificatie.contactnaam.achternaam")};
    return omk_arena_printf(a, "%s%s%s%s%s", parts[0], *parts[0] && *parts[1] ? " " : "",
                            parts[1], (*parts[0] || *parts[1]) && *parts[2] ? " " : "",
                            parts[2]);
}

static omk_rc open_write(omk_db *db, void *arg)
{
    patch_job *p = arg;
    wp_job *j = &p->w;
    omk_rc rc = load_mine(db, j);
    if (!rc)
        rc = must_be_active(j->req, j->row);
    omk_row *partij = NULL;
    if (!rc)
        rc = omk_db_get(db, &omk__ki_partij, j->partij, j->a, &partij);
    if (rc == OMK_NOTFOUND && j->row) {
        omk_req_invalid(j->req, "uuid", "does_not_exist", "Deze partij bestaat niet.");
        rc = OMK_INVALID;
    }
    if (rc)
        return rc;
    json_t *list = parse_text(j->row, F_PARTIJEN);
    if (!json_is_array(list)) {
        json_decref(list);
        list = json_array();
    }
    if (!partij_in(list, j->partij)) {
        if (json_array_size(list) >= MAX_PARTIJEN) {
            json_decref(list);
            omk_req_fail(j->req, "te_veel_partijen",
                         "In één contactmoment opent u hoogstens 10 klanten.");
            return OMK_CONFLICT;
        }
        const char *soort = "";
        const char *naam = partij_naam(j->a, partij, &soort);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "uuid", j->partij, "naam",
                                              naam, "soort", soort));
    }
    char *s = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    if (!s)
        return OMK_NOMEM;
    p->partijen = omk_arena_strdup(j->a, s);
    free(s);
    p->set_actief = true;
    p->actief = j->partij;
    rc = patch_write(db, p);
    if (!rc)
        rc = omk__ldv_persoon(p->actie, OMK_LDV_PARTIJ, j->partij);
    return rc ? rc : omk__ldv_write(db, p->ldv);
}

static omk_rc sessies_open(omk_req *req)
{
    patch_job p = {0};
    omk_rc rc = start_job(req, &p.w, true, true);
    if (rc)
        return rc;
    static const char *const KEYS[] = {"uuid", NULL};
    only_keys(req, p.w.body, KEYS);
    p.w.partij = json_string_value(json_object_get(p.w.body, "uuid"));
    if (!p.w.partij || !omk_uuid_valid(p.w.partij, strlen(p.w.partij)))
        omk_req_invalid(req, "uuid", p.w.partij ? "invalid" : "required",
                        p.w.partij ? "Moet een geldige UUID zijn." : "Dit veld is vereist.");
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    rc = omk__ldv_begin(req, &p.ldv);
    if (!rc && p.ldv && !(p.actie = omk__ldv_actie(p.ldv, "Klant openen in contactmoment",
                                                   NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_write(omk__store(req), open_write, &p);
    return rc ? rc : reply_row(req, 200, p.w.row);
}

/* ---- the desk's writes, through the session ---- */

/* POST /sessies/{uuid}/klantcontacten: maak-klantcontact's body; its betrokkene's partij
 * must be one of the session's. */
static omk_rc sessies_klantcontact(omk_req *req)
{
    static const char *const PATHS[][2] = {{"betrokkene", "wasPartij"}};
    wp_job j;
    omk_rc rc = check_links(req, &j, PATHS, 1);
    return rc ? rc : omk__ki_maak_klantcontact(req);
}

/* POST /sessies/{uuid}/betrokkenen: a further resident of a contact registered in this
 * session (the register's betrokkene body); its partij must be one of the session's. */
static omk_rc sessies_betrokkene(omk_req *req)
{
    static const char *const PATHS[][2] = {{"wasPartij", NULL}};
    wp_job j;
    omk_rc rc = check_links(req, &j, PATHS, 1);
    return rc ? rc : omk__res_create(req);
}

/* POST /sessies/{uuid}/contactverzoeken: the channels' contactverzoek body; its partij must
 * be one of the session's. */
static omk_rc sessies_contactverzoek(omk_req *req)
{
    static const char *const PATHS[][2] = {{"partij", NULL}};
    wp_job j;
    omk_rc rc = check_links(req, &j, PATHS, 1);
    return rc ? rc : omk__kv_create(req);
}

/* POST /sessies/{uuid}/chat/afsluiten: closes the session's chat; the transcript goes to a
 * partij of the session, or to none. */
static omk_rc sessies_chat_close(omk_req *req)
{
    static const char *const PATHS[][2] = {{"partij", NULL}, {"contactverzoek", "partij"}};
    wp_job j;
    omk_rc rc = check_links(req, &j, PATHS, 2);
    if (rc)
        return rc;
    const char *gesprek = text_of(j.row, F_GESPREK);
    if (!gesprek) {
        omk_req_fail(req, "geen_chat", "Bij dit contactmoment hoort geen chat.");
        return OMK_CONFLICT;
    }
    return omk__chat_agent_close(req, gesprek, true);
}

/* ---- POST /sessies/{uuid}/afronden {voor: [uuid…]} or {anoniem: true} ---- */

typedef struct close_job {
    wp_job w;
    const char *voor; /* JSON array text */
    bool anoniem;
} close_job;

static omk_rc close_write(omk_db *db, void *arg)
{
    close_job *c = arg;
    wp_job *j = &c->w;
    omk_rc rc = load_mine(db, j);
    if (!rc)
        rc = must_be_active(j->req, j->row);
    json_t *voor = c->voor ? json_loads(c->voor, 0, NULL) : NULL;
    size_t i;
    json_t *u;
    json_array_foreach(voor, i, u) {
        if (!rc)
            rc = partij_allowed(j->req, j->row, json_string_value(u));
    }
    json_decref(voor);
    if (rc)
        return rc;
    omk_row *r = row_copy(j->a, j->row);
    if (!r)
        return OMK_NOMEM;
    int64_t now = omk_now_ms() * 1000;
    set_text(r, F_STATUS, "afgerond");
    set_text(r, F_VOOR, c->voor ? c->voor : "[]");
    set_int(r, F_ANONIEM, c->anoniem);
    set_text(r, F_CONCEPT, "{}"); /* the draft has become the registration */
    set_int(r, F_AFGEROND, now);
    set_int(r, F_GEWIJZIGD, now);
    rc = omk_db_update(db, &SESSIE, r);
    if (!rc)
        rc = load_mine(db, j);
    return rc;
}

static omk_rc sessies_afronden(omk_req *req)
{
    close_job c = {0};
    omk_rc rc = start_job(req, &c.w, true, true);
    if (rc)
        return rc;
    json_t *body = c.w.body;
    static const char *const KEYS[] = {"voor", "anoniem", NULL};
    only_keys(req, body, KEYS);
    json_t *voor = json_object_get(body, "voor");
    json_t *anon = json_object_get(body, "anoniem");
    c.anoniem = json_is_true(anon);
    if (anon && !json_is_boolean(anon))
        omk_req_invalid(req, "anoniem", "invalid", "Moet waar of onwaar zijn.");
    size_t n = json_is_array(voor) ? json_array_size(voor) : 0;
    if (voor && !json_is_array(voor))
        omk_req_invalid(req, "voor", "invalid", "Verwacht een lijst met uuids van partijen.");
    else if (c.anoniem && n)
        omk_req_invalid(req, "voor", "invalid",
                        "Kies de klant(en) óf anoniem, niet allebei.");
    else if (!c.anoniem && !n)
        omk_req_invalid(req, "voor", "required",
                        "Bevestig voor welke klant(en) dit contact is, of kies anoniem.");
    size_t i;
    json_t *u;
    json_array_foreach(voor, i, u) {
        const char *s = json_string_value(u);
        if (!s || !omk_uuid_valid(s, strlen(s))) {
            omk_req_invalid(req, "voor", "invalid", "Verwacht een lijst met uuids van partijen.");
            break;
        }
    }
    if (omk_req_invalid_count(req))
        return OMK_INVALID;
    char *s = json_dumps(json_is_array(voor) ? voor : json_array(), JSON_COMPACT);
    if (!s)
        return OMK_NOMEM;
    c.voor = omk_arena_strdup(c.w.a, s);
    free(s);
    rc = omk_store_write(omk__store(req), close_write, &c);
    return rc ? rc : reply_row(req, 200, c.w.row);
}

static const omk_api_info WP_API = {WP_BASE, "0.1.0", omk__openapi_werkplek, 0};

size_t omk__werkplek_routes(omk_route *out, size_t cap)
{
    const unsigned B = OMK_ROUTE_BODY;
    const omk_route routes[] = {
        {"GET", WP_BASE "/sessies", sessies_list, NULL, &WP_API, 0, 0, NULL},
        {"POST", WP_BASE "/sessies", sessies_create, NULL, &WP_API, B, 4096, NULL},
        {"GET", WP_BASE "/sessies/{uuid}", sessies_read, NULL, &WP_API, 0, 0, NULL},
        {"PATCH", WP_BASE "/sessies/{uuid}", sessies_patch, NULL, &WP_API, B, 64 * 1024, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/partijen", sessies_open, NULL, &WP_API, B, 1024, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/klantcontacten", sessies_klantcontact, NULL, &WP_API,
         B, 0, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/betrokkenen", sessies_betrokkene,
         &omk__ki_betrokkene, &WP_API, B, 0, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/contactverzoeken", sessies_contactverzoek, NULL,
         &WP_API, B, 0, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/chat/afsluiten", sessies_chat_close, NULL, &WP_API,
         B, 0, NULL},
        {"POST", WP_BASE "/sessies/{uuid}/afronden", sessies_afronden, NULL, &WP_API, B, 64 * 1024,
         NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
