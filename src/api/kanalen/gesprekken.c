/* Conversations of the message channels (/kanalen/api/v1/gesprekken): e-mail threads,
 * WhatsApp, chat and generic webhook channels. Inbound messages are stored in their
 * conversation and, per message or per transcript, registered as klantcontacten; replies
 * from the werkplek go out through the deliverer of the conversation's kanaal (the channels'
 * table in kanalen.c: e-mail over SMTP, WhatsApp Cloud API, chat over SSE, others to a
 * webhook). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanalen/kanalen.h"
#include "engine/logboek.h"
#include "omk/buf.h"
#include "omk/calendar.h"
#include "omk/log.h"
#include "omk/util.h"

#define MAX_TEKST 20000

static const char *const GESPREK_STATUS[] = {"open", "gesloten", NULL};
static const char *const RICHTING[] = {"in", "uit", NULL};

/* The fields of a message; `who` the flags of its afzender (hidden in the resident's view,
 * where the employee's login name must not show). */
#define BERICHT_VELDEN(who)                                                                    \
    {.json = "gesprek", .column = "gesprek", .type = OMK_F_REF, .target = &omk__kan_gesprek},  \
    {.json = "richting", .column = "richting", .type = OMK_F_ENUM, .choices = RICHTING},       \
    {.json = "tekst", .column = "tekst", .type = OMK_F_STRING},                                \
    {.json = "afzender", .column = "afzender", .type = OMK_F_STRING, .flags = (who)},          \
    {.json = "tijdstip", .column = "tijdstip", .type = OMK_F_DATETIME},                        \
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF,                      \
     .flags = OMK_NULLABLE, .target = &omk__ki_klantcontact},                                  \
    {.json = "messageId", .column = "message_id", .type = OMK_F_STRING},                       \
    {.json = "externId", .column = "extern_id", .type = OMK_F_STRING},                         \
    {.json = "status", .column = "status", .type = OMK_F_STRING},                              \
    {.json = "bijlagen", .column = "bijlagen", .type = OMK_F_LIST}
static const omk_field BERICHT_FIELDS[] = {BERICHT_VELDEN(0)};
static const omk_field BERICHT_INWONER_FIELDS[] = {BERICHT_VELDEN(OMK_HIDDEN)};
enum { B_GESPREK, B_RICHTING, B_TEKST, B_AFZENDER, B_TIJDSTIP, B_KC, B_MSGID, B_EXTERN, B_STATUS,
       B_BIJLAGEN };

static const omk_filter BERICHT_FILTERS[] = {
    {"messageId", "messageId", OMK_OP_EQ},
    {"externId", "externId", OMK_OP_EQ},
    {"gesprek", "gesprek/uuid", OMK_OP_EQ},
};

static const omk_subjects BERICHT_SUBJECTS = {
    "berichten", "bericht",
    {{.column = "gesprek", .via_table = "kanalen_gesprekken", .via_match = "uuid",
      .via_partij = "partij"}}};
const omk_resource omk__kan_bericht = {
    .name = "berichten", .model = "Bericht", .table = "kanalen_berichten",
    .fields = BERICHT_FIELDS, .nfields = OMK_COUNT(BERICHT_FIELDS), .filters = BERICHT_FILTERS,
    .nfilters = OMK_COUNT(BERICHT_FILTERS), .api_base = KAN_BASE, .order_ascending = true,
    .subjects = &BERICHT_SUBJECTS,
};

/* The fields of a conversation; `who` the flags of its medewerker and `msgs` the resource of
 * its embedded messages (both for the resident's view). */
#define GESPREK_VELDEN(who, msgs)                                                              \
    {.json = "kanaal", .column = "kanaal", .type = OMK_F_STRING},                              \
    {.json = "onderwerp", .column = "onderwerp", .type = OMK_F_STRING},                        \
    {.json = "partij", .column = "partij", .type = OMK_F_REF, .flags = OMK_NULLABLE,           \
     .target = &omk__ki_partij},                                                               \
    {.json = "adres", .column = "adres", .type = OMK_F_STRING},                                \
    {.json = "naam", .column = "naam", .type = OMK_F_STRING},                                  \
    {.json = "status", .column = "status", .type = OMK_F_ENUM, .choices = GESPREK_STATUS},     \
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},               \
    {.json = "laatsteBerichtOp", .column = "laatste_bericht_op", .type = OMK_F_DATETIME},      \
    {.json = "klantcontact", .column = "klantcontact", .type = OMK_F_REF,                      \
     .flags = OMK_NULLABLE, .target = &omk__ki_klantcontact},                                  \
    {.json = "medewerker", .column = "medewerker", .type = OMK_F_STRING, .flags = (who)},      \
    {.json = "sleutel", .column = "sleutel", .type = OMK_F_STRING, .flags = OMK_HIDDEN},       \
    {.json = "geheim", .column = "geheim", .type = OMK_F_STRING, .flags = OMK_HIDDEN},         \
    /* A chat: the first name of the employee who took it, as the resident was told (NULL or  \
     * "": none, "Een medewerker"); see chat.c. */                                             \
    {.json = "medewerkerVoornaam", .column = "medewerker_voornaam", .type = OMK_F_STRING,      \
     .flags = OMK_HIDDEN | OMK_NULLABLE},                                                      \
    {.json = "berichten", .type = OMK_F_REVERSE, .flags = OMK_RO | OMK_EMBED,                  \
     .target = (msgs), .via = "gesprek"}
static const omk_field GESPREK_FIELDS[] = {GESPREK_VELDEN(0, &omk__kan_bericht)};
static const omk_resource BERICHT_INWONER;
static const omk_field GESPREK_INWONER_FIELDS[] = {GESPREK_VELDEN(OMK_HIDDEN, &BERICHT_INWONER)};
enum { G_KANAAL, G_ONDERWERP, G_PARTIJ, G_ADRES, G_NAAM, G_STATUS, G_AANGEMAAKT, G_LAATSTE, G_KC,
       G_MEDEWERKER, G_SLEUTEL, G_GEHEIM };

static const omk_filter GESPREK_FILTERS[] = {
    {"kanaal", "kanaal", OMK_OP_EQ},
    {"status", "status", OMK_OP_EQ},
    {"partij__uuid", "partij/uuid", OMK_OP_EQ},
    {"medewerker", "medewerker", OMK_OP_EQ},
    {"_sleutel", "sleutel", OMK_OP_EQ},
};

static const omk_subjects GESPREK_SUBJECTS = {"gesprekken", "gesprek", {{.column = "partij"}}};
const omk_resource omk__kan_gesprek = {
    .name = "gesprekken", .model = "Gesprek", .table = "kanalen_gesprekken",
    .fields = GESPREK_FIELDS, .nfields = OMK_COUNT(GESPREK_FIELDS), .filters = GESPREK_FILTERS,
    .nfilters = OMK_COUNT(GESPREK_FILTERS) - 1, .order_column = "laatste_bericht_op",
    .api_base = KAN_BASE,
    .subjects = &GESPREK_SUBJECTS,
};

/* A resident's own conversations (Mijn): the same rows, without the employee's login name —
 * neither the conversation's medewerker nor the messages' afzender. */
static const omk_resource BERICHT_INWONER = {
    .name = "berichten", .model = "Bericht", .table = "kanalen_berichten",
    .fields = BERICHT_INWONER_FIELDS, .nfields = OMK_COUNT(BERICHT_INWONER_FIELDS),
    .filters = BERICHT_FILTERS, .nfilters = OMK_COUNT(BERICHT_FILTERS), .api_base = KAN_BASE,
    .order_ascending = true, .subjects = &BERICHT_SUBJECTS,
};
const omk_resource omk__kan_gesprek_inwoner = {
    .name = "gesprekken", .model = "Gesprek", .table = "kanalen_gesprekken",
    .fields = GESPREK_INWONER_FIELDS, .nfields = OMK_COUNT(GESPREK_INWONER_FIELDS),
    .filters = GESPREK_FILTERS, .nfilters = OMK_COUNT(GESPREK_FILTERS) - 1,
    .order_column = "laatste_bericht_op", .api_base = KAN_BASE, .subjects = &GESPREK_SUBJECTS,
};

static const omk_field BESTAND_FIELDS[] = {
    {.json = "naam", .column = "naam", .type = OMK_F_STRING},
    {.json = "contentType", .column = "content_type", .type = OMK_F_STRING},
    {.json = "grootte", .column = "grootte", .type = OMK_F_INT},
    {.json = "inhoud", .column = "inhoud", .type = OMK_F_STRING, .flags = OMK_HIDDEN},
    {.json = "aangemaaktOp", .column = "aangemaakt_op", .type = OMK_F_DATETIME},
};

const omk_resource omk__kan_bestand = {
    .name = "bestanden", .model = "Bestand", .table = "kanalen_bestanden",
    .fields = BESTAND_FIELDS, .nfields = OMK_COUNT(BESTAND_FIELDS), .api_base = KAN_BASE,
};

const char *omk__kan_cut(omk_arena *a, const char *s, size_t max)
{
    size_t n = 0, cps = 0;
    if (!s)
        return "";
    while (s[n] && cps < max) {
        unsigned char c = (unsigned char)s[n];
        n += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cps++;
    }
    return omk_arena_strndup(a, s, n);
}

omk_rc omk__kan_gesprek_of_message(omk_db *db, omk_api_ctx *ctx, const char *id,
                                   const char **gesprek)
{
    *gesprek = NULL;
    if (!id || !*id)
        return OMK_OK;
    omk_filter_arg f = {&BERICHT_FILTERS[0], id};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_bericht, &q, ctx->a, &rows, NULL);
    if (!rc && rows.n)
        *gesprek = rows.rows[0].v[B_GESPREK].s;
    return rc;
}

/* A stored message with this extern id or message id, if any (redelivery). */
static omk_rc find_duplicate(omk_db *db, omk_api_ctx *ctx, const omk_kan_inbound *in,
                             omk_row **dup)
{
    *dup = NULL;
    const char *key = in->extern_id && *in->extern_id ? in->extern_id : in->message_id;
    if (!key || !*key)
        return OMK_OK;
    omk_filter_arg f = {&BERICHT_FILTERS[in->extern_id && *in->extern_id ? 1 : 0], key};
    omk_query q = {.filters = &f, .nfilters = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_bericht, &q, ctx->a, &rows, NULL);
    if (!rc && rows.n)
        *dup = &rows.rows[0];
    return rc;
}

static omk_rc find_by_sleutel(omk_db *db, omk_api_ctx *ctx, const char *kanaal,
                              const char *sleutel, omk_row **out)
{
    *out = NULL;
    omk_filter_arg f[] = {{&GESPREK_FILTERS[4], sleutel}, {&GESPREK_FILTERS[0], kanaal},
                          {&GESPREK_FILTERS[1], "open"}};
    omk_query q = {.filters = f, .nfilters = 3, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_gesprek, &q, ctx->a, &rows, NULL);
    if (!rc && rows.n)
        *out = &rows.rows[0];
    return rc;
}

omk_rc omk__kan_file_put(omk_db *db, omk_api_ctx *ctx, const omk_kan_bestand *b,
                        const char **uuid)
{
    size_t m = sodium_base64_encoded_len(b->size, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = omk_arena_alloc(ctx->a, m);
    omk_row *row = omk_row_new(&omk__kan_bestand, ctx->a);
    if (!b64 || !row)
        return OMK_NOMEM;
    sodium_bin2base64(b64, m, b->data, b->size, sodium_base64_VARIANT_ORIGINAL);
    omk_uuid4(row->uuid);
    row->v[0] = omk_text0(omk__kan_cut(ctx->a, b->naam, 200));
    row->v[1] = omk_text0(b->content_type && *b->content_type ? b->content_type
                                                          : "application/octet-stream");
    row->v[2] = omk_int((int64_t)b->size);
    row->v[3] = (omk_value){.t = OMK_V_TEXT, .s = b64, .n = strlen(b64)};
    row->v[4] = omk_int(omk_now_ms() * 1000);
    omk_rc rc = omk_db_insert(db, &omk__kan_bestand, row);
    if (!rc)
        *uuid = omk_arena_strdup(ctx->a, row->uuid);
    return rc;
}

static omk_rc store_bestanden(omk_db *db, omk_api_ctx *ctx, const omk_kan_inbound *in,
                              const char **uuids, json_t *list)
{
    for (size_t i = 0; i < in->nbestanden; i++) {
        const omk_kan_bestand *b = &in->bestanden[i];
        omk_rc rc = omk__kan_file_put(db, ctx, b, &uuids[i]);
        if (rc)
            return rc;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I}", "uuid", uuids[i], "naam",
                                              omk__kan_cut(ctx->a, b->naam, 200), "contentType",
                                              b->content_type ? b->content_type : "",
                                              "grootte", (json_int_t)b->size));
    }
    return OMK_OK;
}

static omk_rc new_gesprek(omk_db *db, omk_api_ctx *ctx, const omk_kan_inbound *in,
                          const char *partij, int64_t now, omk_row **out)
{
    omk_row *g = omk_row_new(&omk__kan_gesprek, ctx->a);
    if (!g)
        return OMK_NOMEM;
    omk_uuid4(g->uuid);
    g->v[G_KANAAL] = omk_text0(in->kanaal);
    g->v[G_ONDERWERP] = omk_text0(omk__kan_cut(ctx->a, in->onderwerp, 200));
    g->v[G_PARTIJ] = partij ? omk_text0(partij) : (omk_value){.t = OMK_V_NULL};
    g->v[G_ADRES] = omk_text0(in->adres);
    g->v[G_NAAM] = omk_text0(omk__kan_cut(ctx->a, in->naam, 200));
    g->v[G_STATUS] = omk_text0("open");
    g->v[G_AANGEMAAKT] = omk_int(now);
    g->v[G_LAATSTE] = omk_int(now);
    g->v[G_KC] = (omk_value){.t = OMK_V_NULL};
    g->v[G_MEDEWERKER] = omk_text0("");
    g->v[G_SLEUTEL] = omk_text0(in->sleutel);
    g->v[G_GEHEIM] = omk_text0("");
    *out = g;
    return omk_db_insert(db, &omk__kan_gesprek, g);
}

omk_rc omk__kan_inbound(omk_db *db, omk_api_ctx *ctx, const omk_kan_inbound *in,
                        omk_kan_inbound_result *out)
{
    memset(out, 0, sizeof *out);
    omk_row *dup = NULL;
    omk_rc rc = find_duplicate(db, ctx, in, &dup);
    if (rc || dup) {
        if (dup) {
            out->duplicate = true;
            out->bericht = dup->uuid;
            out->gesprek = dup->v[B_GESPREK].s;
            out->klantcontact = dup->v[B_KC].t == OMK_V_TEXT ? dup->v[B_KC].s : NULL;
        }
        return rc;
    }
    int64_t now = omk_now_ms() * 1000, at = in->tijdstip_us ? in->tijdstip_us : now;
    const char *partij = NULL;
    if (!in->unverified &&
        (rc = omk__kan_match_partij(db, ctx, in->adres_soort ? in->adres_soort : "", in->adres,
                                    &partij)))
        return rc;
    omk_row *g = NULL;
    if (in->gesprek)
        rc = omk_db_get(db, &omk__kan_gesprek, in->gesprek, ctx->a, &g);
    else if (in->sleutel && *in->sleutel)
        rc = find_by_sleutel(db, ctx, in->kanaal, in->sleutel, &g);
    if (!rc && !g)
        rc = new_gesprek(db, ctx, in, partij, now, &g);
    if (rc)
        return rc;
    if (!partij && g->v[G_PARTIJ].t == OMK_V_TEXT)
        partij = g->v[G_PARTIJ].s;
    const char **ids = omk_arena_alloc(ctx->a, (in->nbestanden + 1) * sizeof *ids);
    json_t *list = json_array();
    if (!ids || !list || omk_arena_defer(ctx->a, (omk_cleanup_fn)json_decref, list))
        return OMK_NOMEM;
    if ((rc = store_bestanden(db, ctx, in, ids, list)))
        return rc;
    const char *kc = NULL;
    if (in->register_contact) {
        char when[32];
        omk_time_format(at, when);
        json_t *meta = json_pack("{s:s, s:s}", "gesprek", g->uuid, "messageId",
                                 omk__kan_cut(ctx->a, in->message_id ? in->message_id
                                              : in->extern_id ? in->extern_id : "", 200));
        omk_kan_contact c = {.kanaal = in->kanaal,
                             .onderwerp = omk__kan_cut(ctx->a, in->onderwerp && *in->onderwerp
                                                                   ? in->onderwerp
                                                                   : g->v[G_ONDERWERP].s, 200),
                             .inhoud = omk__kan_cut(ctx->a, in->tekst, 1000),
                             .plaatsgevonden_op = when, .partij = partij,
                             .naam = omk__kan_cut(ctx->a, in->naam, 200),
                             .adres_soort = in->adres_soort, .adres = in->adres, .gelukt = true,
                             .metadata = meta, .bijlagen = ids, .nbijlagen = in->nbestanden};
        rc = omk__kan_register(db, ctx, &c, &kc);
        json_decref(meta);
        if (rc)
            return rc;
    }
    omk_row *b = omk_row_new(&omk__kan_bericht, ctx->a);
    char *lijst = json_dumps(list, JSON_COMPACT);
    if (!b || !lijst) {
        free(lijst);
        return OMK_NOMEM;
    }
    omk_uuid4(b->uuid);
    b->v[B_GESPREK] = omk_text0(g->uuid);
    b->v[B_RICHTING] = omk_text0("in");
    b->v[B_TEKST] = omk_text0(omk__kan_cut(ctx->a, in->tekst, MAX_TEKST));
    b->v[B_AFZENDER] = omk_text0(omk__kan_cut(ctx->a, in->naam && *in->naam ? in->naam : in->adres, 254));
    b->v[B_TIJDSTIP] = omk_int(at);
    b->v[B_KC] = kc ? omk_text0(kc) : (omk_value){.t = OMK_V_NULL};
    b->v[B_MSGID] = omk_text0(omk__kan_cut(ctx->a, in->message_id, 998));
    b->v[B_EXTERN] = omk_text0(omk__kan_cut(ctx->a, in->extern_id, 200));
    b->v[B_STATUS] = omk_text0("ontvangen");
    b->v[B_BIJLAGEN] = omk_text0(omk_arena_strdup(ctx->a, lijst));
    free(lijst);
    if ((rc = omk_db_insert(db, &omk__kan_bericht, b)))
        return rc;
    g->v[G_LAATSTE] = omk_int(now);
    if (partij)
        g->v[G_PARTIJ] = omk_text0(partij);
    if (kc)
        g->v[G_KC] = omk_text0(kc);
    if ((rc = omk_db_update(db, &omk__kan_gesprek, g)) ||
        (rc = omk__wv_gesprek(db, ctx, g, OMK_WV_IN, b->v[B_TEKST].s, at)))
        return rc;
    out->gesprek = g->uuid;
    out->bericht = b->uuid;
    out->klantcontact = kc;
    out->partij = partij;
    return omk__ldv_persoon(in->logboek, OMK_LDV_PARTIJ, partij);
}

/* ---- handlers ---- */

typedef struct reply_job {
    omk_api_ctx *ctx;
    const char *uuid, *tekst, *afzender;
    omk_row *gesprek;
    omk_row *bericht;
    const char *last_in_kc; /* klantcontact of the newest inbound message */
    int64_t last_in_at;     /* when the resident last wrote (0: never) */
    const char *sjabloon;   /* WhatsApp: the approved template asked for, or NULL */
    json_t *parameters;     /* its parameters */
    omk_kan_uitgaand o;
    json_t *out;
    omk_ldv *ldv; /* the Logboek: the conversation's partij, written with the message */
    omk_ldv_actie *actie;
} reply_job;

/* The conversation and what a reply needs: the newest inbound message (In-Reply-To) and
 * the chain of message ids so far (References). */
static omk_rc reply_load(omk_db *db, void *arg)
{
    reply_job *j = arg;
    omk_rc rc = omk_db_get(db, &omk__kan_gesprek, j->uuid, j->ctx->a, &j->gesprek);
    if (rc)
        return rc;
    omk_rowset rows = {0};
    if ((rc = omk_db_children(db, &omk__kan_bericht, "gesprek", j->uuid, j->ctx->a, &rows)))
        return rc;
    omk_buf refs;
    omk_buf_init(&refs, 16 * 1024);
    for (size_t i = 0; i < rows.n; i++) {
        const omk_row *b = &rows.rows[i];
        if (*b->v[B_MSGID].s)
            omk_buf_printf(&refs, "%s<%s>", refs.n ? " " : "", b->v[B_MSGID].s);
        if (strcmp(b->v[B_RICHTING].s, "in") == 0) {
            if (*b->v[B_MSGID].s)
                j->o.in_reply_to = b->v[B_MSGID].s;
            if (b->v[B_KC].t == OMK_V_TEXT)
                j->last_in_kc = b->v[B_KC].s;
            if (b->v[B_TIJDSTIP].i > j->last_in_at)
                j->last_in_at = b->v[B_TIJDSTIP].i;
        }
    }
    j->o.references = omk_arena_strdup(j->ctx->a, refs.rc ? "" : refs.p ? refs.p : "");
    omk_buf_release(&refs);
    if (!j->sjabloon)
        return OMK_OK;
    if (strcmp(j->gesprek->v[G_KANAAL].s, "whatsapp") != 0) {
        omk_api_err_add(j->ctx, "sjabloon", "invalid",
                        "Een sjabloon kan alleen in een WhatsApp-gesprek worden verstuurd.");
        return OMK_INVALID;
    }
    j->o.sjabloon = j->sjabloon;
    j->o.parameters = j->parameters;
    return omk__wa_sjabloon_vul(db, j->ctx, j->sjabloon, j->parameters, &j->tekst,
                                &j->o.sjabloon_taal);
}

/* WhatsApp's customer service window (standards-2 §10): free text only within 24 hours of the
 * resident's last message; outside it only an approved template. Says why in Dutch. */
static omk_rc window_check(omk_req *req, reply_job *j)
{
    if (strcmp(j->gesprek->v[G_KANAAL].s, "whatsapp") != 0 || j->sjabloon)
        return OMK_OK;
    int64_t now = omk_now_ms() * 1000;
    if (j->last_in_at && now - j->last_in_at <= OMK_WA_VENSTER_US)
        return OMK_OK;
    char when[17] = "";
    if (j->last_in_at)
        omk_cal_local_time(j->last_in_at, when);
    omk_req_fail(req, "whatsapp_venster_gesloten",
                 omk_arena_printf(j->ctx->a,
                                  "Het 24-uursvenster van WhatsApp is gesloten%s%s. Buiten "
                                  "dat venster mag alleen een goedgekeurd sjabloonbericht worden "
                                  "verstuurd; kies een sjabloon.",
                                  *when ? ": het laatste bericht van de inwoner is van " : "",
                                  when));
    return OMK_CONFLICT;
}

static omk_rc reply_apply(omk_db *db, reply_job *j)
{
    omk_api_ctx *ctx = j->ctx;
    omk_row *b = omk_row_new(&omk__kan_bericht, ctx->a);
    if (!b)
        return OMK_NOMEM;
    omk_uuid4(b->uuid);
    b->v[B_GESPREK] = omk_text0(j->gesprek->uuid);
    b->v[B_RICHTING] = omk_text0("uit");
    b->v[B_TEKST] = omk_text0(j->tekst);
    const char *mw = j->gesprek->v[G_MEDEWERKER].s;
    b->v[B_AFZENDER] = omk_text0(j->afzender ? j->afzender : mw && *mw ? mw : ctx->principal);
    b->v[B_TIJDSTIP] = omk_int(omk_now_ms() * 1000);
    b->v[B_KC] = j->last_in_kc ? omk_text0(j->last_in_kc) : (omk_value){.t = OMK_V_NULL};
    b->v[B_MSGID] = omk_text0(j->o.message_id);
    b->v[B_EXTERN] = omk_text0("");
    b->v[B_STATUS] = omk_text0(*j->o.err ? omk_arena_printf(ctx->a, "mislukt: %s", j->o.err)
                                    : "verzonden");
    b->v[B_BIJLAGEN] = omk_text0("[]");
    omk_rc rc = omk_db_insert(db, &omk__kan_bericht, b);
    if (rc)
        return rc;
    j->bericht = b;
    if (!*j->o.err && (rc = omk__wv_gesprek(db, ctx, j->gesprek, OMK_WV_UIT, j->tekst, 0)))
        return rc;
    if (*j->o.err || !j->last_in_kc)
        return OMK_OK;
    /* The answer is the klantcontact's reactie in the register (when it has none yet). */
    omk_row *kc = NULL;
    if ((rc = omk_db_get(db, &omk__ki_klantcontact, j->last_in_kc, ctx->a, &kc)))
        return rc == OMK_NOTFOUND ? OMK_OK : rc;
    const char *reactie = omk_row_text(&omk__ki_klantcontact, kc, "reactie");
    if (reactie && *reactie)
        return OMK_OK;
    return omk__kan_patch(db, ctx, &omk__ki_klantcontact, j->last_in_kc,
                          json_pack("{s:s}", "reactie", omk__kan_cut(ctx->a, j->tekst, 4000)),
                          "klantcontact");
}

static omk_rc reply_store(omk_db *db, void *arg)
{
    reply_job *j = arg;
    omk_rc rc = reply_apply(db, j);
    if (!rc)
        rc = omk__ldv_rows(db, j->actie, &omk__kan_gesprek, j->gesprek, 1);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc reply_read(omk_db *db, void *arg)
{
    reply_job *j = arg;
    omk_row *row = NULL;
    omk_rc rc = omk_db_get(db, &omk__kan_bericht, j->bericht->uuid, j->ctx->a, &row);
    return rc ? rc : omk_res_to_json(db, j->ctx, &omk__kan_bericht, row, &j->out);
}

/* POST /gesprekken/{uuid}/berichten {"tekst"} | {"sjabloon"}: the werkplek answers the
 * resident. */
static omk_rc reply_handler(omk_req *req)
{
    const char *uuid = NULL;
    omk_rc rc = omk__path_uuid(req, &uuid);
    return rc ? rc : omk__gesprek_reply(req, uuid);
}

omk_rc omk__gesprek_reply(omk_req *req, const char *uuid)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    reply_job j = {.ctx = &ctx, .uuid = uuid};
    json_t *body = omk_req_json(req);
    omk_rc rc = OMK_OK;
    json_t *t = json_object_get(body, "tekst");
    json_t *sj = json_object_get(body, "sjabloon");
    if (sj && !json_is_null(sj)) {
        j.sjabloon = omk__kan_text(&ctx, sj, "naam", "sjabloon.naam", 200, true);
        j.parameters = json_object_get(sj, "parameters");
        if (!json_is_object(sj))
            omk_api_err_add(&ctx, "sjabloon", "invalid", "Ongeldige data. Verwacht een dictionary.");
        if (j.parameters && !json_is_array(j.parameters))
            omk_api_err_add(&ctx, "sjabloon.parameters", "invalid", "Verwacht een lijst van teksten.");
        if (t)
            omk_api_err_add(&ctx, "tekst", "invalid",
                            "Stuur een tekst of een sjabloon, niet allebei.");
    } else if (!json_is_string(t) || !json_string_length(t))
        omk_api_err_add(&ctx, "tekst", t ? "invalid" : "required",
                        t ? "Geen geldige string." : "Dit veld is vereist.");
    else if (omk_utf8_len(json_string_value(t), json_string_length(t)) > MAX_TEKST)
        omk_api_err_add(&ctx, "tekst", "max_length",
                        "Zorg ervoor dat dit veld niet meer dan 20000 karakters bevat.");
    json_t *af = json_object_get(body, "afzender");
    if (af && (!json_is_string(af) || json_string_length(af) > 200 ||
               !omk_utf8_valid(json_string_value(af), json_string_length(af))))
        omk_api_err_add(&ctx, "afzender", "invalid", "Geen geldige string.");
    else if (af && json_string_length(af))
        j.afzender = json_string_value(af);
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    j.tekst = json_string_value(t);
    if ((rc = omk_store_read(omk__store(req), reply_load, &j)))
        return omk__finish(req, &ctx, rc);
    if (strcmp(j.gesprek->v[G_STATUS].s, "open") != 0) {
        omk_req_fail(req, "gesloten", "Dit gesprek is gesloten.");
        return OMK_CONFLICT;
    }
    if ((rc = window_check(req, &j)))
        return rc;
    j.o.a = ctx.a;
    j.o.gesprek = j.gesprek;
    j.o.tekst = j.tekst;
    rc = omk__ldv_begin_res(req, &omk__kan_gesprek, false, "beantwoorden", &j.ldv, &j.actie);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const omk_kan_bezorger *bezorger = omk__kan_bezorger(j.gesprek->v[G_KANAAL].s);
    omk_rc sent = bezorger->verstuur ? bezorger->verstuur(&j.o) : OMK_OK;
    if (sent && !*j.o.err)
        snprintf(j.o.err, sizeof j.o.err, "%s", omk_rc_name(sent));
    rc = omk_store_write(omk__store(req), reply_store, &j);
    if (!rc)
        rc = omk_store_read(omk__store(req), reply_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    if (sent) {
        json_decref(j.out);
        omk_req_fail(req, "verzenden_mislukt",
                     omk_arena_printf(ctx.a, "Het bericht is bewaard maar niet verzonden: %s",
                                      j.o.err));
        return OMK_UNAVAILABLE;
    }
    if (bezorger->na_commit) {
        char *s = json_dumps(j.out, JSON_COMPACT);
        if (s && bezorger->na_commit(ctx.a, j.gesprek, s))
            omk_log_error("kanalen", "%s delivery failed", bezorger->kanaal);
        free(s);
    }
    return omk_req_reply_json(req, 201, j.out);
}

/* GET /bestanden/{uuid}: the file as received. Its Logboek record names the partijen of the
 * klantcontact the file came with (its klantinteracties bijlage names the file's uuid). */
typedef struct file_job {
    omk_api_ctx *ctx;
    const char *uuid;
    omk_row *row;
    omk_ldv_actie *actie;
} file_job;

static omk_rc file_persons(omk_db *db, file_job *j)
{
    const char **m = NULL, **kcs = NULL, **partijen = NULL;
    size_t nkc = 0, np = 0;
    const char *ids[] = {j->uuid};
    omk_rc rc = omk_db_column_in(db, "bijlagen", "bi_object_id", "was_bijlage_van_klantcontact",
                                 ids, 1, j->ctx->a, &m, &kcs, &nkc);
    if (!rc && nkc)
        rc = omk_db_column_in(db, "betrokkenen", "had_klantcontact", "was_partij", kcs, nkc,
                              j->ctx->a, &m, &partijen, &np);
    for (size_t i = 0; !rc && i < np; i++)
        rc = omk__ldv_persoon(j->actie, OMK_LDV_PARTIJ, partijen[i]);
    return rc;
}

static omk_rc file_read(omk_db *db, void *arg)
{
    file_job *j = arg;
    omk_rc rc = omk_db_get(db, &omk__kan_bestand, j->uuid, j->ctx->a, &j->row);
    return rc || !j->actie ? rc : file_persons(db, j);
}

static omk_rc bestand_handler(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    file_job j = {.ctx = &ctx};
    omk_ldv *ldv = NULL;
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (!rc)
        rc = omk__ldv_begin(req, &ldv);
    if (!rc && ldv && !(j.actie = omk__ldv_actie(ldv, "Bestand raadplegen", NULL, NULL)))
        rc = OMK_NOMEM;
    if (!rc)
        rc = omk_store_read(omk__store(req), file_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const omk_value *b64 = &j.row->v[3];
    size_t cap = b64->n, len = 0;
    unsigned char *data = omk_arena_alloc(ctx.a, cap + 1);
    if (!data)
        return OMK_NOMEM;
    if (sodium_base642bin(data, cap, b64->s, b64->n, NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL))
        return OMK_INTERNAL;
    const char *naam = j.row->v[0].s;
    char safe[201];
    size_t k = 0;
    for (const char *p = naam; *p && k < sizeof safe - 1; p++)
        safe[k++] = (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) ? '_' : *p;
    safe[k] = 0;
    omk_req_add_header(req, "Content-Disposition",
                       omk_arena_printf(ctx.a, "attachment; filename=\"%s\"", safe));
    return omk__ldv_reply(req, ldv, 200, j.row->v[1].s, (const char *)data, len);
}

size_t omk__gesprek_routes(omk_route *out, size_t cap)
{
    const omk_api_info *api = &omk__kan_api;
    const omk_resource *g = &omk__kan_gesprek;
    const omk_route routes[] = {
        {"GET", KAN_BASE "/gesprekken", omk__res_list, g, api, 0, 0, NULL},
        {"GET", KAN_BASE "/gesprekken/{uuid}", omk__res_read, g, api, 0, 0, NULL},
        {"POST", KAN_BASE "/gesprekken/{uuid}/berichten", reply_handler, g, api, OMK_ROUTE_BODY,
         0, NULL},
        {"GET", KAN_BASE "/bestanden/{uuid}", bestand_handler, &omk__kan_bestand, api, 0, 0, NULL},
    };
    size_t n = OMK_COUNT(routes) < cap ? OMK_COUNT(routes) : cap;
    memcpy(out, routes, n * sizeof *out);
    return n;
}
