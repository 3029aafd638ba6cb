/* The residents' channel preferences (table inwoner_voorkeuren, keyed by BSN): declared here,
 * with the channels, because two capabilities use them: Mijn, where a resident reads and sets
 * them (mijn.c), and the klantbeeld, which shows the chosen channel to the employee. Any
 * thread, on a connection lent by the store. */
#include <string.h>

#include "kanalen/kanalen.h"
#include "omk/util.h"

static const char *const KANALEN[] = {"", "e-mail", "telefoon", "post", "balie", "whatsapp",
                                      "website", NULL};

static const omk_field FIELDS[] = {
    [OMK_KAN_VK_BSN] = {.json = "bsn", .column = "bsn", .type = OMK_F_STRING, .max_len = 9},
    [OMK_KAN_VK_KANAAL] = {.json = "voorkeurskanaal", .column = "voorkeurskanaal",
                           .type = OMK_F_ENUM, .choices = KANALEN},
    [OMK_KAN_VK_DIGITAAL] = {.json = "toestemmingDigitaal", .column = "toestemming_digitaal",
                             .type = OMK_F_BOOL},
    [OMK_KAN_VK_ONDERZOEK] = {.json = "toestemmingOnderzoek",
                              .column = "toestemming_onderzoek", .type = OMK_F_BOOL},
    [OMK_KAN_VK_GEWIJZIGD] = {.json = "gewijzigdOp", .column = "gewijzigd_op",
                              .type = OMK_F_DATETIME},
};

const omk_resource omk__kan_voorkeuren = {
    .name = "voorkeuren", .model = "Voorkeuren", .table = "inwoner_voorkeuren",
    .fields = FIELDS, .nfields = OMK_COUNT(FIELDS), .api_base = "/mijn/api/v1",
};

omk_rc omk__kan_voorkeurskanaal(omk_db *db, omk_arena *a, const char *bsn, const char **kanaal,
                                int64_t *gewijzigd_us)
{
    omk_cond c = {"bsn", omk_text(bsn)};
    omk_query q = {.conds = &c, .nconds = 1, .limit = 1};
    omk_rowset rows = {0};
    omk_rc rc = omk_db_list(db, &omk__kan_voorkeuren, &q, a, &rows, NULL);
    const omk_row *row = !rc && rows.n ? &rows.rows[0] : NULL;
    bool gekozen = row && row->v[OMK_KAN_VK_KANAAL].s && *row->v[OMK_KAN_VK_KANAAL].s;
    *kanaal = gekozen ? row->v[OMK_KAN_VK_KANAAL].s : NULL;
    *gewijzigd_us = gekozen ? row->v[OMK_KAN_VK_GEWIJZIGD].i : 0;
    return rc;
}

omk_rc omk__kan_demo_voorkeur(omk_db *db, omk_arena *a, const char *bsn, const char *kanaal)
{
    omk_row *row = omk_row_new(&omk__kan_voorkeuren, a);
    if (!row)
        return OMK_NOMEM;
    omk_uuid4(row->uuid);
    row->v[OMK_KAN_VK_BSN] = (omk_value){.t = OMK_V_TEXT, .s = bsn, .n = strlen(bsn)};
    row->v[OMK_KAN_VK_KANAAL] = (omk_value){.t = OMK_V_TEXT, .s = kanaal, .n = strlen(kanaal)};
    row->v[OMK_KAN_VK_DIGITAAL] = (omk_value){.t = OMK_V_INT, .i = strcmp(kanaal, "e-mail") == 0};
    row->v[OMK_KAN_VK_ONDERZOEK] = (omk_value){.t = OMK_V_INT, .i = 0};
    row->v[OMK_KAN_VK_GEWIJZIGD] = (omk_value){.t = OMK_V_INT, .i = omk_now_ms() * 1000};
    for (size_t i = 0; i < omk__kan_voorkeuren.nfields; i++)
        row->set[i] = true;
    return omk_db_insert(db, &omk__kan_voorkeuren, row);
}
