/* The werkvoorraad (/kanalen/api/v1/werkvoorraad): every inbound item that needs an answer —
 * an e-mail thread, a WhatsApp conversation, a message of another channel (the generic
 * webhook), a chat waiting in the queue, a scanned letter, a contactverzoek — as one list with
 * its channel, resident, service-norm deadline, status, the one employee who claimed it and
 * its last message. One row per item in kanalen_werkvoorraad, kept up to date inside the
 * transactions that change its source (omk__wv_gesprek, omk__wv_contactverzoek, omk__wv_post),
 * so the list is one indexed query, filtered and paged by the store.
 *
 * Claiming is atomic in the writer: a claim reads and sets the row in one write job, so of two
 * employees racing for an item exactly one gets it and the other 409 naming who has it. A claim
 * ends by hand-over, by release (the holder, or a team lead: the manager role), by closing, or
 * when idle past --claim-timeout (the channels' ticker; a chat is excluded: it ends with the
 * chat). Every change is announced to the agents' streams as a `werkvoorraad` event once the
 * request is done (published when the request's arena is freed, i.e. after the commit). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "engine/toegang.h"
#include "omk/calendar.h"
#include "omk/log.h"
#include "omk/util.h"

#define MAX_PAGE 200
#define DEFAULT_TIMEOUT_S 900

static const char *const SOORTEN[] = {"gesprek", "contactverzoek", "post", NULL};
static const char *const STATUSSEN[] = {"nieuw", "in_behandeling", "beantwoord", "afgehandeld",
                                        NULL};
#define OPEN_STATUSSEN "nieuw,in_behandeling,beantwoord"

/* ---- internal notes ---- */

static const omk_field NOTITIE_FIELDS[] = {
    {.json = "item", .column = "item", .type = OMK_F_REF, .flags = OMK_HIDDEN,
     .target = &omk__wv_item},
    {.json = "tekst", .column = "tekst", .type = OMK_F_STRING},
    {.json = "door", .column = "door", .type = OMK_F_STRING},
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},
};
enum { N_ITEM, N_TEKST, N_DOOR, N_TIJDSTIP };

static const omk_resource NOTITIE = {
    .name = "notities", .model = "Notitie", .table = "kanalen_werkvoorraad_notities",
    .fields = NOTITIE_FIELDS, .nfields = OMK_COUNT(NOTITIE_FIELDS), .api_base = KAN_BASE,
    .order_ascending = true,
};

/* ---- the item ---- */

static const omk_hooks wv_hooks;

static const omk_field FIELDS[] = {
    {.json = "soort", .column = "soort", .type = OMK_F_ENUM, .choices = SOORTEN},
    {.json = "bron", .column = "bron", .type = OMK_F_STRING, .flags = OMK_HIDDEN},
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING},
    {.json = "onderwerp", .column = "onderwerp", .type = OMK_F_STRING},
    {.json = "partij", .column = "partij", .type = OMK_F_REF, .flags = OMK_NULLABLE,
     .target = &omk__ki_partij},
    {.json = "naam", .column = "naam", .type = OMK_F_STRING},
    {.json = "adres", .column = "adres", .type = OMK_F_STRING},
    {.json = "product", .column = "product", .type = OMK_F_STRING},
    {.json = "taal", .column = "taal", .type = OMK_F_STRING},
    {.json = "team", .column = "team", .type = OMK_F_STRING},
    {.json = "vaardigheid", .column = "vaardigheid", .type = OMK_F_STRING},
    {.json = "regel", .column = "regel", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .choices = STATUSSEN},
    {.json = "wachtSinds", .column = "wacht_sinds", .type = OMK_F_DATETIME},
    {.json = "deadline", .column = "deadline", .type = OMK_F_DATE},
    {.json = "servicenorm.werkdagen", .column = "werkdagen", .type = OMK_F_INT},
    {.json = "geclaimd.door", .column = "geclaimd_door", .type = OMK_F_STRING,
     .flags = OMK_NULLABLE},
    {.json = "geclaimd.sinds", .column = "geclaimd_sinds", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "geclaimd.laatsteActiviteit", .column = "geclaimd_activiteit",
     .type = OMK_F_DATETIME, .flags = OMK_NULLABLE},
    {.json = "geclaimd.automatisch", .column = "geclaimd_automatisch", .type = OMK_F_BOOL,
     .flags = OMK_NULLABLE},
    {.json = "laatsteBericht.tekst", .column = "laatste_tekst", .type = OMK_F_STRING},
    {.json = "laatsteBericht.richting", .column = "laatste_richting", .type = OMK_F_STRING},
    {.json = "laatsteBericht.tijdstip", .column = "laatste_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "laatsteInkomendOp", .column = "laatste_inkomend_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "resultaat", .column = "resultaat", .type = OMK_F_STRING, .flags = OMK_NULLABLE},
    {.json = "afgehandeldOp", .column = "afgehandeld_op", .type = OMK_F_DATETIME,
     .flags = OMK_NULLABLE},
    {.json = "afgehandeldDoor", .column = "afgehandeld_door", .type = OMK_F_STRING,
     .flags = OMK_NULLABLE},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
    {.json = "gewijzigdOp", .column = "gewijzigd_op", .type = OMK_F_DATETIME},
    {.json = "sorteer", .column = "sorteer", .type = OMK_F_STRING, .flags = OMK_HIDDEN},
};
enum {
    F_SOORT, F_BRON, F_KANAAL, F_ONDERWERP, F_PARTIJ, F_NAAM, F_ADRES, F_PRODUCT, F_TAAL,
    F_TEAM, F_VAARDIGHEID, F_REGEL, F_STATUS, F_WACHT, F_DEADLINE, F_WERKDAGEN, F_DOOR,
    F_SINDS, F_ACTIVITEIT, F_AUTOMATISCH, F_LTEKST, F_LRICHTING, F_LOP, F_LIN, F_RESULTAAT,
    F_AFGEHANDELD_OP, F_AFGEHANDELD_DOOR, F_AANGEMAAKT, F_GEWIJZIGD, F_SORTEER, F_COUNT
};

static const omk_group GROUPS[] = {
    {"servicenorm", false, NULL, false},
    {"geclaimd", true, NULL, false},
    {"laatsteBericht", false, NULL, false},
};

static const omk_filter FILTERS[] = {
    {"status", "status", OMK_OP_IN},
    {"kanaal", "kanaal", OMK_OP_EQ},
    {"team", "team", OMK_OP_EQ},
    {"soort", "soort", OMK_OP_EQ},
    {"partij", "partij/uuid", OMK_OP_EQ},
    {"_door", "geclaimd.door", OMK_OP_EQ},
    {"geclaimd", "geclaimd.door", OMK_OP_NOTNULL},
    {"_activiteit_voor", "geclaimd.laatsteActiviteit", OMK_OP_LT},
    {"_gewijzigd_na", "gewijzigdOp", OMK_OP_GT},
};
enum { WF_STATUS, WF_KANAAL, WF_TEAM, WF_SOORT, WF_PARTIJ, WF_DOOR, WF_GECLAIMD, WF_ACT_VOOR,
       WF_GEWIJZIGD_NA };

static const omk_subjects SUBJECTS = {"werkvoorraaditems", "werkvoorraaditem",
                                      {{.column = "partij"}}};

const omk_resource omk__wv_item = {
    .name = "werkvoorraad", .model = "Werkvoorraaditem", .table = "kanalen_werkvoorraad",
    .fields = FIELDS, .nfields = F_COUNT, .groups = GROUPS, .ngroups = OMK_COUNT(GROUPS),
    .filters = FILTERS, .nfilters = OMK_COUNT(FILTERS), .order_column = "sorteer",
    .order_ascending = true, .hooks = &wv_hooks, .api_base = KAN_BASE, .subjects = &SUBJECTS,
};
static const omk_resource *const R = &omk__wv_item;

/* ---- small helpers ---- */

static void set_null(omk_row *row, int f)
{
    row->v[f] = (omk_value){.t = OMK_V_NULL};
    row->set[f] = true;
}

static void set_text(omk_arena *a, omk_row *row, int f, const char *s)
{
    const char *c = omk_arena_strdup(a, s ? s : "");
    row->v[f] = omk_text0(c ? c : "");
    row->set[f] = true;
}

static void set_int(omk_row *row, int f, int64_t i)
{
    row->v[f] = omk_int(i);
    row->set[f] = true;
}

static const char *text(const omk_row *row, int f)
{
    return row->v[f].t == OMK_V_TEXT ? row->v[f].s : NULL;
}

static const char *text0(const omk_row *row, int f)
{
    const char *s = text(row, f);
    return s ? s : "";
}

static bool is_open(const omk_row *row)
{
    return strcmp(text0(row, F_STATUS), "afgehandeld") != 0;
}

/* The sort key: deadline first, then who waits longest. */
static void set_sorteer(omk_arena *a, omk_row *row)
{
    set_text(a, row, F_SORTEER,
             omk_arena_printf(a, "%s|%020lld", text0(row, F_DEADLINE),
                              (long long)row->v[F_WACHT].i));
}

static void today(char out[11])
{
    omk_cal_format(omk_cal_local_day(omk_now_ms() * 1000), out);
}

/* The deadline of an item waiting since `since`: its service norm in working days. */
static omk_rc set_deadline(omk_db *db, omk_api_ctx *ctx, omk_row *row, int64_t since)
{
    int werkdagen = 0;
    const char *bron = NULL;
    omk_rc rc = omk__kan_norm(db, ctx, text0(row, F_KANAAL), text0(row, F_PRODUCT), &werkdagen,
                              &bron);
    if (rc)
        return rc;
    char d[11];
    omk_cal_format(omk_cal_add_workdays(omk_cal_local_day(since), werkdagen), d);
    set_int(row, F_WACHT, since);
    set_int(row, F_WERKDAGEN, werkdagen);
    set_text(ctx->a, row, F_DEADLINE, d);
    set_sorteer(ctx->a, row);
    return OMK_OK;
}

static void set_claim(omk_row *row, omk_arena *a, const char *door, bool automatisch)
{
    int64_t now = omk_now_ms() * 1000;
    if (!text(row, F_DOOR) || strcmp(text(row, F_DOOR), door) != 0)
        set_int(row, F_SINDS, now);
    set_text(a, row, F_DOOR, door);
    set_int(row, F_ACTIVITEIT, now);
    row->v[F_AUTOMATISCH] = (omk_value){.t = OMK_V_INT, .i = automatisch};
    row->set[F_AUTOMATISCH] = true;
    if (strcmp(text0(row, F_STATUS), "nieuw") == 0)
        set_text(a, row, F_STATUS, "in_behandeling");
}

static void clear_claim(omk_row *row, omk_arena *a)
{
    set_null(row, F_DOOR);
    set_null(row, F_SINDS);
    set_null(row, F_ACTIVITEIT);
    set_null(row, F_AUTOMATISCH);
    if (strcmp(text0(row, F_STATUS), "in_behandeling") == 0)
        set_text(a, row, F_STATUS, "nieuw");
}

/* ---- events to the agents, after the request ---- */

/* The changes this process announced itself (item uuid and gewijzigd_op), so the watcher
 * announces only another process's. A small ring: an entry pushed out early only costs a
 * second announcement. */
#define EIGEN 256
static struct {
    pthread_mutex_t mu;
    char uuid[EIGEN][37];
    int64_t op[EIGEN];
    size_t next;
} eigen = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void eigen_noteer(const char *uuid, int64_t op)
{
    pthread_mutex_lock(&eigen.mu);
    snprintf(eigen.uuid[eigen.next], sizeof eigen.uuid[0], "%s", uuid);
    eigen.op[eigen.next] = op;
    eigen.next = (eigen.next + 1) % EIGEN;
    pthread_mutex_unlock(&eigen.mu);
}

static bool eigen_gezien(const char *uuid, int64_t op)
{
    bool found = false;
    pthread_mutex_lock(&eigen.mu);
    for (size_t i = 0; i < EIGEN && !found; i++)
        found = eigen.op[i] == op && strcmp(eigen.uuid[i], uuid) == 0;
    pthread_mutex_unlock(&eigen.mu);
    return found;
}

/* An event waiting for its request's arena to be freed (after the commit). */
static void publish_later(void *p)
{
    char *data = p;
    omk__events_publish_prefix("medewerker:", "werkvoorraad", data);
    free(data);
}

/* Announces a change of `row` to every agent's stream once the work in arena a is done. Only
 * what the list needs to refresh: no resident's data goes to every agent. */
static void announce(omk_arena *a, const omk_row *row, const char *actie)
{
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s}", "item", row->uuid, "actie",
                           actie, "status", text0(row, F_STATUS), "kanaal", text0(row, F_KANAAL),
                           "team", text0(row, F_TEAM), "geclaimdDoor", text(row, F_DOOR),
                           "deadline", text0(row, F_DEADLINE));
    char *s = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
    json_decref(ev);
    if (s && omk_arena_defer(a, publish_later, s))
        publish_later(s); /* no room to defer: now rather than never */
}

/* ---- keeping items up to date (called inside the sources' write transactions) ---- */

static omk_rc find_item(omk_db *db, omk_arena *a, const char *soort, const char *bron,
                        omk_row **out)
{
    *out = NULL;
    omk_cond c[] = {{"soort", omk_text0(soort)}, {"bron", omk_text0(bron)}};
    omk_query q = {.conds = c, .nconds = 2, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, R, &q, a, &rows, NULL);
    if (!rc && rows.n)
        *out = &rows.rows[0];
    return rc;
}

static omk_row *new_item(omk_arena *a, const char *soort, const char *bron, const char *kanaal)
{
    omk_row *row = omk_row_new(R, a);
    if (!row)
        return NULL;
    omk_uuid4(row->uuid);
    for (int f = 0; f < F_COUNT; f++)
        set_null(row, f);
    static const int EMPTY[] = {F_ONDERWERP, F_NAAM, F_ADRES, F_PRODUCT, F_TEAM, F_VAARDIGHEID,
                                F_LTEKST, F_LRICHTING};
    for (size_t i = 0; i < OMK_COUNT(EMPTY); i++)
        set_text(a, row, EMPTY[i], "");
    set_text(a, row, F_SOORT, soort);
    set_text(a, row, F_BRON, bron);
    set_text(a, row, F_KANAAL, kanaal);
    set_text(a, row, F_TAAL, "nld");
    set_text(a, row, F_STATUS, "nieuw");
    set_int(row, F_WERKDAGEN, 0);
    set_int(row, F_AANGEMAAKT, omk_now_ms() * 1000);
    return row;
}

/* Routes a new item by the rules (team, skill) and, when the rule says so, assigns it to the
 * least busy available employee (an automatic claim). */
static omk_rc route_item(omk_db *db, omk_arena *a, omk_row *row)
{
    omk_wv_vraag v = {text0(row, F_KANAAL), text0(row, F_ONDERWERP), text0(row, F_PRODUCT),
                      text0(row, F_TAAL)};
    omk_wv_route r = {0};
    omk_rc rc = omk__wv_route(db, a, &v, &r);
    if (rc)
        return rc;
    set_text(a, row, F_TEAM, r.team ? r.team : "");
    set_text(a, row, F_VAARDIGHEID, r.vaardigheid ? r.vaardigheid : "");
    if (r.regel)
        set_text(a, row, F_REGEL, r.regel);
    if (r.medewerker)
        set_claim(row, a, r.medewerker, true);
    return OMK_OK;
}

static void set_last(omk_arena *a, omk_row *row, const char *richting, const char *tekst,
                     int64_t at)
{
    char *t = omk_arena_strdup(a, omk__kan_cut(a, tekst ? tekst : "", 500));
    size_t n = t ? strlen(t) : 0;
    while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = 0; /* a mail's trailing line break is no part of the preview */
    set_text(a, row, F_LTEKST, t ? t : "");
    set_text(a, row, F_LRICHTING, richting);
    set_int(row, F_LOP, at);
}

static omk_rc save(omk_db *db, omk_arena *a, omk_row *row, bool insert, const char *actie)
{
    int64_t now = omk_now_ms() * 1000;
    set_int(row, F_GEWIJZIGD, now);
    if (insert)
        set_int(row, F_AANGEMAAKT, now); /* equal: the watcher tells a new item by that */
    omk_rc rc = insert ? omk_db_insert(db, R, row) : omk_db_update(db, R, row);
    if (!rc) {
        eigen_noteer(row->uuid, now);
        announce(a, row, actie);
    }
    return rc;
}

omk_rc omk__wv_gesprek(omk_db *db, omk_api_ctx *ctx, const omk_row *g, omk_wv_gebeurtenis e,
                       const char *tekst, int64_t at)
{
    omk_arena *a = ctx->a;
    const omk_resource *G = &omk__kan_gesprek;
    int64_t now = omk_now_ms() * 1000;
    at = at ? at : now;
    omk_row *row = NULL;
    omk_rc rc = find_item(db, a, "gesprek", g->uuid, &row);
    if (rc)
        return rc;
    bool insert = !row;
    if (insert) {
        if (e != OMK_WV_IN)
            return OMK_OK; /* an item begins with the resident's message */
        if (!(row = new_item(a, "gesprek", g->uuid, omk_row_text0(G, g, "kanaal"))))
            return OMK_NOMEM;
    }
    set_text(a, row, F_ONDERWERP, omk_row_text0(G, g, "onderwerp"));
    set_text(a, row, F_NAAM, omk_row_text0(G, g, "naam"));
    set_text(a, row, F_ADRES, omk_row_text0(G, g, "adres"));
    const char *partij = omk_row_text(G, g, "partij");
    if (partij)
        set_text(a, row, F_PARTIJ, partij);
    const char *actie = insert ? "nieuw" : "gewijzigd";
    switch (e) {
    case OMK_WV_IN:
        set_last(a, row, "in", tekst, at);
        set_int(row, F_LIN, at);
        if (insert || !is_open(row) || strcmp(text0(row, F_STATUS), "beantwoord") == 0) {
            /* Waiting (again) from this message on: a new clock. */
            set_text(a, row, F_STATUS, text(row, F_DOOR) ? "in_behandeling" : "nieuw");
            set_null(row, F_RESULTAAT);
            set_null(row, F_AFGEHANDELD_OP);
            set_null(row, F_AFGEHANDELD_DOOR);
            if ((rc = set_deadline(db, ctx, row, at)))
                return rc;
        }
        if (insert && (rc = route_item(db, a, row)))
            return rc;
        break;
    case OMK_WV_UIT:
        set_last(a, row, "uit", tekst, at);
        if (is_open(row))
            set_text(a, row, F_STATUS, "beantwoord");
        if (text(row, F_DOOR))
            set_int(row, F_ACTIVITEIT, now);
        break;
    case OMK_WV_TOEGEWEZEN: {
        const char *mw = omk_row_text0(G, g, "medewerker");
        if (*mw && is_open(row))
            set_claim(row, a, mw, false);
        actie = "geclaimd";
        break;
    }
    case OMK_WV_GESLOTEN:
        set_text(a, row, F_STATUS, "afgehandeld");
        if (!row->v[F_AFGEHANDELD_OP].t || row->v[F_AFGEHANDELD_OP].t == OMK_V_NULL) {
            set_int(row, F_AFGEHANDELD_OP, now);
            set_text(a, row, F_AFGEHANDELD_DOOR, ctx->principal ? ctx->principal : "");
        }
        actie = "afgehandeld";
        break;
    }
    return save(db, a, row, insert, actie);
}

omk_rc omk__wv_contactverzoek(omk_db *db, omk_api_ctx *ctx, const omk_row *kv)
{
    omk_arena *a = ctx->a;
    const omk_resource *K = &omk__kv_contactverzoek;
    omk_row *row = NULL;
    omk_rc rc = find_item(db, a, "contactverzoek", kv->uuid, &row);
    if (rc)
        return rc;
    bool insert = !row;
    if (insert && !(row = new_item(a, "contactverzoek", kv->uuid, omk_row_text0(K, kv, "kanaal"))))
        return OMK_NOMEM;
    const char *tel = omk_row_text0(K, kv, "contactgegevens.telefoonnummer");
    set_text(a, row, F_ONDERWERP, omk_row_text0(K, kv, "onderwerp"));
    set_text(a, row, F_NAAM, omk_row_text0(K, kv, "contactgegevens.naam"));
    set_text(a, row, F_ADRES, *tel ? tel : omk_row_text0(K, kv, "contactgegevens.email"));
    set_text(a, row, F_PRODUCT, omk_row_text0(K, kv, "product"));
    const char *partij = omk_row_text(K, kv, "partij");
    if (partij)
        set_text(a, row, F_PARTIJ, partij);
    /* The request's own assignee: a team (afdeling, groep), or an employee who has it. */
    bool mw = strcmp(omk_row_text0(K, kv, "toegewezenAan.soort"), "medewerker") == 0;
    set_text(a, row, F_TEAM, mw ? "" : omk_row_text0(K, kv, "toegewezenAan.naam"));
    int64_t ontvangen = kv->v[omk_model_field_index(K, "ontvangenOp")].i;
    if (insert) {
        set_last(a, row, "in", omk_row_text0(K, kv, "toelichting"), ontvangen);
        set_int(row, F_LIN, ontvangen);
        set_int(row, F_WACHT, ontvangen);
    }
    set_int(row, F_WERKDAGEN, kv->v[omk_model_field_index(K, "servicenorm.werkdagen")].i);
    set_text(a, row, F_DEADLINE, omk_row_text0(K, kv, "deadline"));
    set_sorteer(a, row);
    const char *door = omk_row_text(K, kv, "inBehandeling.door");
    const char *actie = insert ? "nieuw" : "gewijzigd";
    if (strcmp(omk_row_text0(K, kv, "status"), "afgehandeld") == 0) {
        set_text(a, row, F_STATUS, "afgehandeld");
        set_text(a, row, F_RESULTAAT, omk_row_text0(K, kv, "afhandeling.resultaat"));
        set_int(row, F_AFGEHANDELD_OP, omk_now_ms() * 1000);
        set_text(a, row, F_AFGEHANDELD_DOOR, omk_row_text0(K, kv, "afhandeling.door"));
        actie = "afgehandeld";
    } else if (door && *door) {
        set_claim(row, a, door, false);
    } else if (mw && (insert || !text(row, F_DOOR))) {
        set_claim(row, a, omk_row_text0(K, kv, "toegewezenAan.naam"), true);
    } else if (!insert && text(row, F_DOOR) && !door && strcmp(actie, "gewijzigd") == 0 &&
               row->v[F_AUTOMATISCH].t == OMK_V_INT && row->v[F_AUTOMATISCH].i && !mw) {
        clear_claim(row, a); /* forwarded to a team: the old assignee no longer has it */
    }
    return save(db, a, row, insert, actie);
}

omk_rc omk__wv_post(omk_db *db, omk_api_ctx *ctx, const char *kc, const char *onderwerp,
                    const char *inhoud, const char *partij, const char *naam, int64_t ontvangen)
{
    omk_arena *a = ctx->a;
    omk_row *row = new_item(a, "post", kc, "post");
    if (!row)
        return OMK_NOMEM;
    ontvangen = ontvangen ? ontvangen : omk_now_ms() * 1000;
    set_text(a, row, F_ONDERWERP, onderwerp);
    set_text(a, row, F_NAAM, naam);
    if (partij)
        set_text(a, row, F_PARTIJ, partij);
    set_last(a, row, "in", inhoud, ontvangen);
    set_int(row, F_LIN, ontvangen);
    omk_rc rc = set_deadline(db, ctx, row, ontvangen);
    if (!rc)
        rc = route_item(db, a, row);
    return rc ? rc : save(db, a, row, true, "nieuw");
}

/* ---- the item's JSON: what the list and the detail add ---- */

static omk_rc wv_decorate(omk_db *db, omk_api_ctx *ctx, const omk_resource *r,
                          const omk_row *row, json_t *obj)
{
    (void)db;
    (void)r;
    char d[11];
    today(d);
    json_object_set_new(obj, "teLaat", json_boolean(is_open(row) &&
                                                    strcmp(text0(row, F_DEADLINE), d) < 0));
    const char *soort = text0(row, F_SOORT), *bron = text0(row, F_BRON);
    const char *url =
        strcmp(soort, "gesprek") == 0
            ? omk_arena_printf(ctx->a, "%s" KAN_BASE "/gesprekken/%s", ctx->base_url, bron)
        : strcmp(soort, "contactverzoek") == 0
            ? omk_arena_printf(ctx->a, "%s" KAN_BASE "/contactverzoeken/%s", ctx->base_url, bron)
            : omk_res_url(ctx, &omk__ki_klantcontact, bron);
    json_object_set_new(obj, "bron", json_pack("{s:s, s:s}", "uuid", bron, "url", url));
    /* WhatsApp: whether free text may still be sent (24 hours after the resident's last
     * message), and until when. */
    json_t *venster = json_null();
    if (strcmp(text0(row, F_KANAAL), "whatsapp") == 0 && strcmp(soort, "gesprek") == 0) {
        int64_t in = row->v[F_LIN].t == OMK_V_INT ? row->v[F_LIN].i : 0;
        int64_t until = in ? in + OMK_WA_VENSTER_US : 0;
        char when[32];
        if (until)
            omk_time_format(until, when);
        venster = json_pack("{s:b, s:s?}", "open", until && omk_now_ms() * 1000 < until,
                            "sluitOp", until ? when : NULL);
    }
    json_object_set_new(obj, "whatsappVenster", venster);
    return OMK_OK;
}

static const omk_hooks wv_hooks = {.decorate = wv_decorate};

/* ---- handlers ---- */

typedef struct wv_job {
    omk_api_ctx *ctx;
    omk_req *req;
    const char *uuid, *me;
    json_t *body, *out;
    omk_row *row;
    omk_query q;
    long long count;
    bool teamleider;   /* may release or hand over another's claim */
    const char *fout, *fout_code; /* a refusal's reason and code (409/403) */
    omk_rc fout_rc;
    const char *notitie; /* a new note's uuid */
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} wv_job;

static omk_rc refuse(wv_job *j, omk_rc rc, const char *code, const char *why)
{
    j->fout_rc = rc;
    j->fout_code = code;
    j->fout = why;
    return rc;
}

/* The claim as a sentence: "Anna (sinds 10:42)", the municipality's clock. */
static const char *holder(omk_arena *a, const omk_row *row)
{
    char t[17] = "";
    if (row->v[F_SINDS].t == OMK_V_INT)
        omk_cal_local_time(row->v[F_SINDS].i, t);
    return omk_arena_printf(a, "%s%s%s%s", text0(row, F_DOOR), *t ? " (sinds " : "",
                            *t ? t + 11 : "", *t ? ")" : "");
}

static omk_rc item_json(omk_db *db, wv_job *j, const omk_row *row, json_t **out)
{
    return omk_res_to_json(db, j->ctx, R, row, out);
}

/* The thread of an item for the detail: the conversation's messages, a contactverzoek's
 * question and attempts, a letter's text; and the internal notes. */
static omk_rc thread_json(omk_db *db, wv_job *j, const omk_row *row, json_t *obj)
{
    json_t *draad = json_array(), *notities = json_array();
    json_object_set_new(obj, "draad", draad);
    json_object_set_new(obj, "notities", notities);
    if (!draad || !notities)
        return OMK_NOMEM;
    omk_rowset rows = {0};
    omk_rc rc = OMK_OK;
    const char *soort = text0(row, F_SOORT);
    if (strcmp(soort, "gesprek") == 0) {
        rc = omk_db_children(db, &omk__kan_bericht, "gesprek", text0(row, F_BRON), j->ctx->a,
                             &rows);
        for (size_t i = 0; !rc && i < rows.n; i++) {
            json_t *b = NULL;
            if (!(rc = omk_res_to_json(db, j->ctx, &omk__kan_bericht, &rows.rows[i], &b)))
                json_array_append_new(draad, b);
        }
    } else {
        char when[32];
        omk_time_format(row->v[F_WACHT].i, when);
        json_array_append_new(draad, json_pack("{s:s, s:s, s:s, s:s}", "richting", "in",
                                               "tekst", text0(row, F_LTEKST), "afzender",
                                               text0(row, F_NAAM), "tijdstip", when));
    }
    rows = (omk_rowset){0};
    if (!rc)
        rc = omk_db_children(db, &NOTITIE, "item", row->uuid, j->ctx->a, &rows);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *n = NULL;
        if (!(rc = omk_res_to_json(db, j->ctx, &NOTITIE, &rows.rows[i], &n)))
            json_array_append_new(notities, n);
    }
    return rc;
}

static omk_rc read_one(omk_db *db, void *arg)
{
    wv_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, j->ctx->a, &row);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, R, row, 1);
    if (!rc)
        rc = item_json(db, j, row, &j->out);
    return rc ? rc : thread_json(db, j, row, j->out);
}

static omk_rc list_run(omk_db *db, void *arg)
{
    wv_job *j = arg;
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, R, &j->q, j->ctx->a, &rows, &j->count);
    if (!rc)
        rc = omk_res_prefetch(db, j->ctx, R, &rows);
    if (!rc)
        rc = omk__ldv_page(db, j->ctx, j->actie, R, rows.rows, rows.n);
    for (size_t i = 0; !rc && i < rows.n; i++) {
        json_t *o = NULL;
        if (!(rc = item_json(db, j, &rows.rows[i], &o)))
            json_array_append_new(j->out, o);
    }
    return rc;
}

/* GET /werkvoorraad: kanaal, team, status (nieuw | in_behandeling | beantwoord | afgehandeld |
 * open = the first three, the default | alle), mijn (true: claimed by me), geclaimd, soort,
 * partij, page, pageSize; earliest deadline first, then the longest waiting. */
static omk_rc wv_list(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    omk_filter_arg *f = omk_arena_alloc(ctx.a, (nq + 2) * sizeof *f);
    if (!f)
        return OMK_NOMEM;
    size_t nf = 0;
    int64_t page = 1, size = 50;
    const char *status = OPEN_STATUSSEN;
    for (size_t i = 0; i < nq; i++) {
        const char *k = q[i].key, *v = q[i].value;
        if (strcmp(k, "status") == 0) {
            bool ok = strcmp(v, "open") == 0 || strcmp(v, "alle") == 0;
            for (size_t s = 0; !ok && STATUSSEN[s]; s++)
                ok = strcmp(v, STATUSSEN[s]) == 0;
            if (!ok)
                omk_api_err_add(&ctx, k, "invalid_choice",
                                omk_arena_printf(ctx.a, "\"%s\" is een ongeldige keuze.", v));
            status = strcmp(v, "open") == 0 ? OPEN_STATUSSEN : strcmp(v, "alle") == 0 ? NULL : v;
        } else if (strcmp(k, "kanaal") == 0 || strcmp(k, "team") == 0 ||
                   strcmp(k, "soort") == 0) {
            if (strlen(v) > 200)
                omk_api_err_add(&ctx, k, "invalid", "Een geldige tekst is vereist.");
            f[nf++] = (omk_filter_arg){&FILTERS[k[0] == 'k' ? WF_KANAAL
                                                : k[0] == 't' ? WF_TEAM : WF_SOORT], v};
        } else if (strcmp(k, "partij") == 0) {
            if (!omk_uuid_valid(v, strlen(v)))
                omk_api_err_add(&ctx, k, "invalid", "Voer een geldige UUID in.");
            f[nf++] = (omk_filter_arg){&FILTERS[WF_PARTIJ], v};
        } else if (strcmp(k, "mijn") == 0 || strcmp(k, "geclaimd") == 0) {
            if (strcmp(v, "true") && strcmp(v, "false"))
                omk_api_err_add(&ctx, k, "invalid", "Moet een geldige boolean zijn.");
            else if (k[0] == 'g')
                f[nf++] = (omk_filter_arg){&FILTERS[WF_GECLAIMD], v};
            else if (strcmp(v, "true") == 0)
                f[nf++] = (omk_filter_arg){&FILTERS[WF_DOOR], ctx.principal ? ctx.principal : ""};
        } else if (strcmp(k, "page") == 0 || strcmp(k, "pageSize") == 0) {
            int64_t n = 0;
            if (!omk_parse_uint(v, strlen(v), &n) || n < 1 || (k[4] && n > MAX_PAGE))
                omk_api_err_add(&ctx, k, "invalid", "Een geldig getal is vereist.");
            else if (k[4])
                size = n;
            else
                page = n;
        } else {
            omk_api_err_add(&ctx, "nonFieldErrors", "unknown-parameters",
                            omk_arena_printf(ctx.a, "Onbekende query parameters: %s", k));
        }
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    if (status)
        f[nf++] = (omk_filter_arg){&FILTERS[WF_STATUS], status};
    wv_job j = {.ctx = &ctx, .out = json_array()};
    if (!j.out || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, j.out))
        return OMK_NOMEM;
    j.q = (omk_query){.filters = f, .nfilters = nf, .offset = (page - 1) * size,
                      .limit = (int)size};
    omk_rc rc = omk__ldv_begin_res(req, R, true, NULL, &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_read(omk__store(req), list_run, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    json_t *body = json_pack("{s:I, s:o, s:o, s:O}", "count", (json_int_t)j.count, "next",
                             page * size < j.count ? json_string(omk__page_link(req, &ctx, page + 1))
                                                   : json_null(),
                             "previous",
                             page > 1 ? json_string(omk__page_link(req, &ctx, page - 1))
                                      : json_null(),
                             "results", j.out);
    return omk__ldv_reply_json(req, j.ldv, 200, body);
}

static omk_rc wv_read(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk__ldv_begin_res(req, R, false, "raadplegen", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__ldv_reply_json(req, j.ldv, 200, j.out);
}

/* ---- changes: each one write job that reads the item, checks and writes ---- */

typedef omk_rc (*change_fn)(omk_db *db, wv_job *j, omk_row *row);

typedef struct change {
    wv_job *j;
    change_fn fn;
} change;

static omk_rc change_write(omk_db *db, void *arg)
{
    change *c = arg;
    wv_job *j = c->j;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, R, j->uuid, j->ctx->a, &row);
    if (rc)
        return rc;
    if ((rc = c->fn(db, j, row)))
        return rc;
    if (!(rc = omk__ldv_rows(db, j->actie, R, row, 1)))
        rc = omk__ldv_write(db, j->ldv);
    j->actie = NULL;
    return rc;
}

/* Runs fn on the item in the path in one write job and answers the item as it now is (or
 * `status`: 201 for a new note, which the item's `notities` then hold). */
static omk_rc run_change(omk_req *req, wv_job *j, change_fn fn, const char *werkwoord,
                         int status)
{
    j->req = req;
    j->me = j->ctx->principal ? j->ctx->principal : "";
    const omk_doel *doel = omk__req_doel(req);
    j->teamleider = doel && (doel->rollen & (OMK_ROL_MANAGER | OMK_ROL_BEHEERDER));
    omk_rc rc = omk__ldv_begin_res(req, R, false, werkwoord, &j->ldv, &j->actie);
    change c = {j, fn};
    if (!rc)
        rc = omk_store_write(omk__store(req), change_write, &c);
    if (rc && j->fout) {
        omk_req_fail(req, j->fout_code, j->fout);
        return j->fout_rc;
    }
    if (!rc)
        rc = omk_store_read(omk__store(req), read_one, j);
    if (rc || j->ctx->nerrs)
        return omk__finish(req, j->ctx, rc);
    return omk_req_reply_json(req, status, j->out);
}

static omk_rc must_be_open(wv_job *j, const omk_row *row)
{
    return is_open(row) ? OMK_OK
                        : refuse(j, OMK_CONFLICT, "afgehandeld", "Dit item is al afgehandeld.");
}

/* The caller holds the claim (or, with `lead`, is a team lead). */
static omk_rc must_hold(wv_job *j, const omk_arena *a, const omk_row *row, bool lead)
{
    (void)a;
    const char *door = text(row, F_DOOR);
    if (door && strcmp(door, j->me) == 0)
        return OMK_OK;
    if (lead && j->teamleider)
        return OMK_OK;
    if (!door)
        return refuse(j, OMK_CONFLICT, "niet_geclaimd",
                      "Claim dit item eerst, zodat niemand er tegelijk aan werkt.");
    return refuse(j, OMK_CONFLICT, "geclaimd",
                  omk_arena_printf(j->ctx->a, "Dit item is geclaimd door %s.",
                                   holder(j->ctx->a, row)));
}

/* A chat taken through the werkvoorraad is the employee's chat too (as "Chat aannemen"). */
static omk_rc take_chat(omk_db *db, wv_job *j, const omk_row *row)
{
    if (strcmp(text0(row, F_SOORT), "gesprek") || strcmp(text0(row, F_KANAAL), "chat"))
        return OMK_OK;
    omk_row *g = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, text0(row, F_BRON), j->ctx->a, &g);
    if (rc)
        return rc;
    const char *mw = omk_row_text0(&omk__kan_gesprek, g, "medewerker");
    if (*mw)
        return OMK_OK;
    omk_row_set_text(j->ctx, &omk__kan_gesprek, g, "medewerker", j->me);
    if ((rc = omk_db_update(db, &omk__kan_gesprek, g)))
        return rc;
    json_t *st = json_pack("{s:s, s:s}", "status", "in_gesprek", "medewerker", j->me);
    json_t *wr = json_pack("{s:s, s:s, s:s}", "gesprek", g->uuid, "actie", "toegewezen",
                           "medewerker", j->me);
    char *s1 = st ? json_dumps(st, JSON_COMPACT) : NULL, *s2 = wr ? json_dumps(wr, JSON_COMPACT) : NULL;
    json_decref(st);
    json_decref(wr);
    if (s1 && s2) {
        omk__events_publish(omk_arena_printf(j->ctx->a, "chat:%s", g->uuid), "status", s1);
        omk__events_publish_prefix("medewerker:", "chat-wachtrij", s2);
    }
    free(s1);
    free(s2);
    return OMK_OK;
}

static omk_rc claim_fn(omk_db *db, wv_job *j, omk_row *row)
{
    omk_rc rc = must_be_open(j, row);
    if (rc)
        return rc;
    const char *door = text(row, F_DOOR);
    if (door && strcmp(door, j->me) != 0)
        return refuse(j, OMK_CONFLICT, "geclaimd",
                      omk_arena_printf(j->ctx->a,
                                       "Dit item is al geclaimd door %s. Kies een ander item of "
                                       "vraag de teamleider het vrij te geven.",
                                       holder(j->ctx->a, row)));
    if ((rc = take_chat(db, j, row)))
        return rc;
    set_claim(row, j->ctx->a, j->me, false);
    return save(db, j->ctx->a, row, false, "geclaimd");
}

/* POST /werkvoorraad/{uuid}/claimen: the caller takes the item (again: keeps it alive). */
static omk_rc wv_claim(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    return rc ? omk__finish(req, &ctx, rc) : run_change(req, &j, claim_fn, "claimen", 200);
}

static omk_rc release_fn(omk_db *db, wv_job *j, omk_row *row)
{
    (void)db;
    const char *door = text(row, F_DOOR);
    if (!door)
        return OMK_OK;
    if (strcmp(door, j->me) != 0 && !j->teamleider)
        return refuse(j, OMK_FORBIDDEN, "geen_teamleider",
                      omk_arena_printf(j->ctx->a,
                                       "Dit item is geclaimd door %s. Alleen die medewerker of "
                                       "een teamleider kan het vrijgeven.",
                                       holder(j->ctx->a, row)));
    clear_claim(row, j->ctx->a);
    return save(db, j->ctx->a, row, false, "vrijgegeven");
}

/* POST /werkvoorraad/{uuid}/vrijgeven: the holder or a team lead releases the claim. */
static omk_rc wv_release(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    return rc ? omk__finish(req, &ctx, rc) : run_change(req, &j, release_fn, "vrijgeven", 200);
}

static omk_rc handover_fn(omk_db *db, wv_job *j, omk_row *row)
{
    omk_rc rc = must_be_open(j, row);
    if (!rc)
        rc = must_hold(j, j->ctx->a, row, true);
    if (rc)
        return rc;
    const char *mw = json_string_value(json_object_get(j->body, "medewerker"));
    const char *team = json_string_value(json_object_get(j->body, "team"));
    if (team) {
        set_text(j->ctx->a, row, F_TEAM, team);
        clear_claim(row, j->ctx->a);
    }
    if (mw)
        set_claim(row, j->ctx->a, mw, false);
    return save(db, j->ctx->a, row, false, "overgedragen");
}

/* POST /werkvoorraad/{uuid}/overdragen {medewerker?, team?}: hand-over to a colleague (who
 * then holds the claim) or to another team (unclaimed there). */
static omk_rc wv_handover(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx, .body = omk_req_json(req)};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const char *mw = omk__kan_text(&ctx, j.body, "medewerker", "medewerker", 200, false);
    const char *team = omk__kan_text(&ctx, j.body, "team", "team", 200, false);
    if (!ctx.nerrs && !mw && !team)
        omk_api_err_add(&ctx, "medewerker", "required",
                        "Geef een medewerker of een team op om aan over te dragen.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    return run_change(req, &j, handover_fn, "overdragen", 200);
}

static omk_rc note_fn(omk_db *db, wv_job *j, omk_row *row)
{
    omk_row *n = omk_row_new(&NOTITIE, j->ctx->a);
    if (!n)
        return OMK_NOMEM;
    omk_uuid4(n->uuid);
    n->v[N_ITEM] = omk_text0(row->uuid);
    n->v[N_TEKST] = omk_text0(json_string_value(json_object_get(j->body, "tekst")));
    n->v[N_DOOR] = omk_text0(j->me);
    n->v[N_TIJDSTIP] = omk_int(omk_now_ms() * 1000);
    omk_rc rc = omk_db_insert(db, &NOTITIE, n);
    if (rc)
        return rc;
    j->notitie = omk_arena_strdup(j->ctx->a, n->uuid);
    if (text(row, F_DOOR) && strcmp(text(row, F_DOOR), j->me) == 0) {
        set_int(row, F_ACTIVITEIT, omk_now_ms() * 1000);
        return save(db, j->ctx->a, row, false, "gewijzigd");
    }
    announce(j->ctx->a, row, "gewijzigd");
    return OMK_OK;
}

/* POST /werkvoorraad/{uuid}/notities {tekst}: an internal note (never sent to the resident). */
static omk_rc wv_note(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx, .body = omk_req_json(req)};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    (void)omk__kan_text(&ctx, j.body, "tekst", "tekst", 4000, true);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    return run_change(req, &j, note_fn, "wijzigen", 201);
}

/* Closing a conversation: the result on its latest klantcontact (metadata.resultaat, as the
 * werkplek registers it), the conversation closed. */
static omk_rc close_gesprek(omk_db *db, wv_job *j, omk_row *row, const char *resultaat)
{
    omk_api_ctx *ctx = j->ctx;
    omk_row *g = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, text0(row, F_BRON), ctx->a, &g);
    if (rc)
        return rc;
    const char *kc = omk_row_text(&omk__kan_gesprek, g, "klantcontact");
    if (kc) {
        omk_row *k = NULL;
        if ((rc = omk_db_get(db, &omk__ki_klantcontact, kc, ctx->a, &k)))
            return rc;
        json_t *meta = NULL;
        const char *m = omk_row_text(&omk__ki_klantcontact, k, "metadata");
        meta = m && *m ? json_loads(m, 0, NULL) : NULL;
        meta = json_is_object(meta) ? meta : (json_decref(meta), json_object());
        json_object_set_new(meta, "resultaat", json_string(omk__kan_cut(ctx->a, resultaat, 1000)));
        json_object_set_new(meta, "afgehandeldDoor", json_string(j->me));
        if ((rc = omk__kan_patch(db, ctx, &omk__ki_klantcontact, kc,
                                 json_pack("{s:o}", "metadata", meta), "klantcontact")))
            return rc;
    }
    omk_row_set_text(ctx, &omk__kan_gesprek, g, "status", "gesloten");
    return omk_db_update(db, &omk__kan_gesprek, g);
}

/* A letter: the result as the klantcontact's reactie (when it has none) and in its metadata. */
static omk_rc close_post(omk_db *db, wv_job *j, omk_row *row, const char *resultaat)
{
    json_t *patch = json_pack("{s:s}", "reactie", omk__kan_cut(j->ctx->a, resultaat, 4000));
    return omk__kan_patch(db, j->ctx, &omk__ki_klantcontact, text0(row, F_BRON), patch,
                          "klantcontact");
}

static omk_rc close_fn(omk_db *db, wv_job *j, omk_row *row)
{
    omk_rc rc = must_be_open(j, row);
    if (!rc)
        rc = must_hold(j, j->ctx->a, row, true);
    if (rc)
        return rc;
    const char *soort = text0(row, F_SOORT);
    const char *resultaat = json_string_value(json_object_get(j->body, "resultaat"));
    if (strcmp(soort, "gesprek") == 0 && strcmp(text0(row, F_KANAAL), "chat") == 0)
        return refuse(j, OMK_CONFLICT, "chat",
                      "Een chat sluit u af in het chatvenster: dan wordt het gesprek als "
                      "klantcontact vastgelegd.");
    if (strcmp(soort, "gesprek") == 0)
        rc = close_gesprek(db, j, row, resultaat);
    else if (strcmp(soort, "post") == 0)
        rc = close_post(db, j, row, resultaat);
    else {
        json_t *b = json_pack("{s:s, s:O?, s:s}", "resultaat", resultaat, "contactGelukt",
                              json_object_get(j->body, "contactGelukt"), "kanaal",
                              text0(row, F_KANAAL));
        rc = b ? omk__kv_close_in(db, j->ctx, text0(row, F_BRON), b) : OMK_NOMEM;
        json_decref(b);
        if (rc == OMK_CONFLICT)
            return refuse(j, rc, "afgehandeld", "Dit contactverzoek is al afgehandeld.");
        if (!rc) /* the contactverzoek's hook brought the item up to date: read it again */
            rc = omk_db_get(db, R, row->uuid, j->ctx->a, &row);
    }
    if (rc)
        return rc;
    set_text(j->ctx->a, row, F_STATUS, "afgehandeld");
    set_text(j->ctx->a, row, F_RESULTAAT, resultaat);
    set_int(row, F_AFGEHANDELD_OP, omk_now_ms() * 1000);
    set_text(j->ctx->a, row, F_AFGEHANDELD_DOOR, j->me);
    return save(db, j->ctx->a, row, false, "afgehandeld");
}

/* POST /werkvoorraad/{uuid}/afsluiten {resultaat, contactGelukt?}: the holder (or a team lead)
 * closes the item; the klantcontact gets its result. */
static omk_rc wv_close(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx, .body = omk_req_json(req)};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    (void)omk__kan_text(&ctx, j.body, "resultaat", "resultaat", 1000, true);
    json_t *g = json_object_get(j.body, "contactGelukt");
    if (g && !json_is_boolean(g))
        omk_api_err_add(&ctx, "contactGelukt", "invalid", "Moet een geldige boolean zijn.");
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    return run_change(req, &j, close_fn, "afsluiten", 200);
}

/* POST /werkvoorraad/{uuid}/antwoorden {tekst} | {sjabloon}: the answer through the item's own
 * channel, by the employee who holds the claim; the conversation's reply route does the rest
 * (the deliverer of its kanaal, the 24-hour rule of WhatsApp, the register, the Logboek). */
typedef struct answer_job {
    wv_job *j;
    omk_row *row;
} answer_job;

static omk_rc answer_check(omk_db *db, void *arg)
{
    answer_job *aj = arg;
    wv_job *j = aj->j;
    omk_rc rc = omk_db_get(db, R, j->uuid, j->ctx->a, &aj->row);
    if (!rc)
        rc = must_be_open(j, aj->row);
    if (!rc && strcmp(text0(aj->row, F_SOORT), "gesprek") != 0)
        rc = refuse(j, OMK_CONFLICT, "geen_kanaal",
                    strcmp(text0(aj->row, F_SOORT), "post") == 0
                        ? "Een brief beantwoordt u per post of via een ander kanaal; sluit het "
                          "item daarna af met het resultaat."
                        : "Een contactverzoek handelt u af door de inwoner te bellen of te "
                          "mailen; sluit het item daarna af met het resultaat.");
    if (!rc)
        rc = must_hold(j, j->ctx->a, aj->row, false);
    return rc;
}

static omk_rc wv_answer(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    wv_job j = {.ctx = &ctx, .me = ctx.principal ? ctx.principal : ""};
    answer_job aj = {&j, NULL};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk_store_read(omk__store(req), answer_check, &aj);
    if (rc && j.fout) {
        omk_req_fail(req, j.fout_code, j.fout);
        return j.fout_rc;
    }
    if (rc)
        return omk__finish(req, &ctx, rc);
    return omk__gesprek_reply(req, text0(aj.row, F_BRON));
}

/* ---- idle claims ---- */

typedef struct idle_job {
    omk_arena *a;
    int64_t before;
    omk_rowset rows;
    json_t *vrij;
} idle_job;

static omk_rc idle_write(omk_db *db, void *arg)
{
    idle_job *ij = arg;
    char before[32];
    omk_time_format(ij->before, before);
    omk_filter_arg f[] = {{&FILTERS[WF_STATUS], "in_behandeling,beantwoord"},
                          {&FILTERS[WF_ACT_VOOR], before}};
    omk_query q = {.filters = f, .nfilters = 2, .limit = 500};
    omk_rc rc = omk_db_list(db, R, &q, ij->a, &ij->rows, NULL);
    for (size_t i = 0; !rc && i < ij->rows.n; i++) {
        omk_row *row = &ij->rows.rows[i];
        if (strcmp(text0(row, F_KANAAL), "chat") == 0 || !text(row, F_DOOR))
            continue; /* a chat's claim ends with the chat */
        omk_log_info("kanalen", "werkvoorraad: idle claim of %s on %s released",
                     text0(row, F_DOOR), row->uuid);
        clear_claim(row, ij->a);
        if (!(rc = save(db, ij->a, row, false, "vrijgegeven")))
            json_array_append_new(ij->vrij, json_string(row->uuid));
    }
    return rc;
}

omk_rc omk__wv_verlopen(omk_store *s, omk_arena *a, json_t *vrij)
{
    int t = omk__kan_config()->claim_timeout_s;
    idle_job ij = {.a = a, .vrij = vrij,
                   .before = omk_now_ms() * 1000 - (int64_t)(t > 0 ? t : DEFAULT_TIMEOUT_S) * 1000000};
    return omk_store_write(s, idle_write, &ij);
}

/* Changes made by another process (`omnikanaal mail-ingest` delivers mail into the same
 * database) reach the agents too: every item changed after the watermark is announced, unless
 * this process made that change (and announced it) itself. */
typedef struct watch_job {
    omk_arena *a;
    int64_t since, newest;
} watch_job;

static omk_rc watch_read(omk_db *db, void *arg)
{
    watch_job *w = arg;
    char since[32];
    omk_time_format(w->since, since);
    omk_filter_arg f = {&FILTERS[WF_GEWIJZIGD_NA], since};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 500};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, R, &q, w->a, &rows, NULL);
    w->newest = w->since;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const omk_row *row = &rows.rows[i];
        if (row->v[F_GEWIJZIGD].i > w->newest)
            w->newest = row->v[F_GEWIJZIGD].i;
        if (eigen_gezien(row->uuid, row->v[F_GEWIJZIGD].i))
            continue; /* announced when this process made the change */
        announce(w->a, row, row->v[F_GEWIJZIGD].i == row->v[F_AANGEMAAKT].i ? "nieuw"
                             : is_open(row) ? "gewijzigd" : "afgehandeld");
    }
    return rc;
}

omk_rc omk__wv_watch(omk_store *s, omk_arena *a, int64_t *watermark)
{
    watch_job w = {.a = a, .since = *watermark ? *watermark : omk_now_ms() * 1000};
    omk_rc rc = omk_store_read(s, watch_read, &w);
    if (!rc)
        *watermark = w.newest;
    return rc;
}

/* POST /werkvoorraad/_verlopen: the idle-claim check by hand (as the ticker runs it). */
static omk_rc wv_expire_now(omk_req *req)
{
    json_t *vrij = json_array();
    if (!vrij || omk_arena_defer(omk_req_arena(req), (omk_cleanup_fn)json_decref, vrij))
        return OMK_NOMEM;
    omk_rc rc = omk__wv_verlopen(omk__store(req), omk_req_arena(req), vrij);
    return rc ? rc : omk_req_reply_json(req, 200, json_pack("{s:O}", "vrijgegeven", vrij));
}

size_t omk__wv_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/werkvoorraad", wv_list, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/_verlopen", wv_expire_now, R, api, 0, 0, NULL},
        {"GET", KAN_BASE "/werkvoorraad/{uuid}", wv_read, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/claimen", wv_claim, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/vrijgeven", wv_release, R, api, 0, 0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/overdragen", wv_handover, R, api,
         OMK_ROUTE_BODY, 0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/notities", wv_note, R, api, OMK_ROUTE_BODY, 0,
         NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/antwoorden", wv_answer, R, api, OMK_ROUTE_BODY,
         0, NULL},
        {"POST", KAN_BASE "/werkvoorraad/{uuid}/afsluiten", wv_close, R, api, OMK_ROUTE_BODY,
         0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
