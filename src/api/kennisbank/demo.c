/* Demo content for the kennisbank: municipal articles written for this project, in B1 Dutch,
 * loaded through the same validation as the API (see omk_api_demo_load). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kennisbank/kennisbank.h"
#include "omk/log.h"
#include "omk/search.h"
#include "omk/util.h"

/* The demo municipality's synonym list: words residents use for the same thing, which the
 * articles do not all contain. A row ends at the first NULL. */
#define DEMO_TERMEN 6
static const char *const DEMO_SYNONIEMEN[][DEMO_TERMEN] = {
    {"kliko", "minicontainer", "rolcontainer", "vuilnisbak", NULL},
    {"bekeuring", "parkeerbon", "parkeerboete", NULL},
    {"stadskantoor", "gemeentehuis", "stadhuis", NULL},
    {"afvalpas", "milieupas", "containerpas", NULL},
    {"uitkering", "bijstand", "bijstandsuitkering", NULL},
};

/* Stores the demo synonym groups, each term as the API would store it. */
static omk_rc demo_synoniemen(omk_db *db)
{
    omk_rc rc = OMK_OK;
    for (size_t g = 0; !rc && g < OMK_COUNT(DEMO_SYNONIEMEN); g++) {
        omk_arena *a = omk_arena_new(1 << 16);
        const char *terms[DEMO_TERMEN];
        char uuid[37];
        omk_uuid4(uuid);
        omk_synonym_group grp = {.uuid = uuid, .terms = terms,
                                 .gewijzigd_op = omk_now_ms() * 1000, .gewijzigd_door = "demo"};
        rc = a ? OMK_OK : OMK_NOMEM;
        for (size_t t = 0; !rc && t < DEMO_TERMEN && DEMO_SYNONIEMEN[g][t]; t++) {
            char *term = NULL;
            rc = omk_search_synonym_term(a, DEMO_SYNONIEMEN[g][t], &term);
            terms[grp.n++] = term;
        }
        if (!rc)
            rc = omk_db_synonyms_put(db, &grp);
        omk_arena_free(a);
    }
    return rc;
}

/* The articles come in the import format from demo.json (embedded at build time by
 * cmake/embed.cmake): the common products and questions of a municipality. */
omk_rc omk__kb_demo_load(omk_db *db, unsigned seed)
{
    omk_rc rc = OMK_OK;
    char review[11];
    char ts[32];
    omk_time_format((omk_now_ms() - 86400000LL * 30) * 1000, ts);
    memcpy(review, ts, 10);
    review[10] = 0;
    json_error_t err;
    json_t *all = json_loadb(omk__kb_demo_json, omk__kb_demo_json_len, 0, &err);
    if (!json_is_array(all)) {
        omk_log_error("demo", "demo kennisbank: line %d: %s", err.line, err.text);
        json_decref(all);
        return OMK_INTERNAL;
    }
    size_t i;
    json_t *body;
    json_array_foreach(all, i, body)
    {
        if (rc)
            break;
        /* Some articles are due for review, so the review queue has work. */
        if ((i + seed) % 4 == 0)
            json_object_set_new(body, "reviewdatum", json_string(review));
        omk_arena *a = omk_arena_new(16 << 20);
        omk_api_ctx ctx = {.a = a, .base_url = "http://localhost:8080", .principal = "demo"};
        omk_row *row = NULL;
        rc = a ? omk_res_parse(&ctx, &omk__kb_artikel, body, OMK_CREATE, &row) : OMK_NOMEM;
        if (!rc)
            rc = omk_res_write(db, &ctx, &omk__kb_artikel, row, NULL, body, OMK_CREATE, NULL);
        if (rc == OMK_INVALID && ctx.errs)
            omk_log_error("demo", "article '%s' rejected: %s %s",
                          json_string_value(json_object_get(body, "titel")), ctx.errs->name,
                          ctx.errs->reason);
        omk_arena_free(a);
    }
    json_decref(all);
    if (!rc)
        rc = demo_synoniemen(db);
    return rc;
}
