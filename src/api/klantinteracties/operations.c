/* Klantinteracties operations beyond CRUD: POST /maak-klantcontact (a klantcontact with an
 * optional betrokkene and onderwerpobject in one transaction) and DELETE
 * /onderwerpobjecten/{uuid}?cascade=true (also removes the klantcontacten no other
 * onderwerpobject uses, with their betrokkene-only digitale adressen). */
#include <stdio.h>
#include <string.h>

#include "klantinteracties/klantinteracties.h"
#include "engine/logboek.h"
#include "omk/util.h"

/* Copies sub's errors into ctx under "<prefix>.". */
static void errors_under(omk_api_ctx *ctx, const omk_api_ctx *sub, const char *prefix)
{
    for (const omk_api_err *e = sub->errs; e; e = e->next) {
        char name[256];
        snprintf(name, sizeof name, "%s.%s", prefix, e->name);
        omk_api_err_add(ctx, name, e->code, e->reason);
    }
}

typedef struct part {
    const char *key;          /* "klantcontact", "betrokkene", "onderwerpobject" */
    const omk_resource *r;
    const char *link;         /* field that points to the new klantcontact, or NULL */
    json_t *body;
    omk_row *row;
    omk_api_ctx sub;
    json_t *out;
} part;

typedef struct maak_job {
    omk_api_ctx *ctx;
    part *parts;
    size_t n;
    omk_ldv *ldv; /* the Logboek, written with the change */
    omk_ldv_actie *actie;
} maak_job;

static omk_rc maak_write(omk_db *db, void *arg)
{
    maak_job *j = arg;
    for (size_t i = 0; i < j->n; i++) {
        part *p = &j->parts[i];
        omk_rc rc = omk_res_write(db, &p->sub, p->r, p->row, NULL, p->body, OMK_CREATE, NULL);
        if (rc == OMK_INVALID) {
            errors_under(j->ctx, &p->sub, p->key);
            return OMK_INVALID;
        }
        if (rc)
            return rc;
    }
    /* The persons: those of the new klantcontact's betrokkene. */
    omk_rc rc = omk__ldv_row_uuid(db, j->actie, &omk__ki_klantcontact, j->parts[0].row->uuid,
                                  j->ctx->a);
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

static omk_rc maak_read(omk_db *db, void *arg)
{
    maak_job *j = arg;
    for (size_t i = 0; i < j->n; i++) {
        omk_row *row = NULL;
        part *p = &j->parts[i];
        omk_rc rc = omk_db_get(db, p->r, p->row->uuid, j->ctx->a, &row);
        if (!rc)
            rc = omk_res_to_json(db, j->ctx, p->r, row, &p->out);
        if (rc)
            return rc;
    }
    return OMK_OK;
}

omk_rc omk__ki_maak_klantcontact(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    json_t *body = omk_req_json(req);
    const omk_qparam *q = NULL;
    if (omk_req_query(req, &q)) {
        omk_api_err_add(&ctx, "nonFieldErrors", "unknown-parameters",
                        omk_arena_printf(ctx.a, "Onbekende query parameters: %s", q[0].key));
        return omk__finish(req, &ctx, OMK_INVALID);
    }
    omk_rc rc = omk__werkplek_vereist(req);
    if (rc)
        return omk__finish(req, &ctx, rc);
    part parts[3] = {
        {.key = "klantcontact", .r = &omk__ki_klantcontact},
        {.key = "betrokkene", .r = &omk__ki_betrokkene, .link = "hadKlantcontact"},
        {.key = "onderwerpobject", .r = &omk__ki_onderwerpobject, .link = "klantcontact"},
    };
    char kc_uuid[37];
    omk_uuid4(kc_uuid);
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        part *p = &parts[i];
        json_t *v = json_object_get(body, p->key);
        if (i == 0 && !json_is_object(v)) {
            omk_api_err_add(&ctx, p->key, v ? "invalid" : "required",
                            v ? "Ongeldige data. Verwacht een dictionary." : "Dit veld is vereist.");
            continue;
        }
        if (!v || json_is_null(v))
            continue;
        if (!json_is_object(v)) {
            omk_api_err_add(&ctx, p->key, "invalid", "Ongeldige data. Verwacht een dictionary.");
            continue;
        }
        /* The sub-objects point to the new klantcontact, whatever the client sent there. */
        p->body = json_deep_copy(v);
        if (!p->body || omk_arena_defer(ctx.a, (omk_cleanup_fn)json_decref, p->body))
            return omk__finish(req, &ctx, OMK_NOMEM);
        if (p->link)
            json_object_set_new(p->body, p->link, json_pack("{s:s}", "uuid", kc_uuid));
        p->sub = (omk_api_ctx){.a = ctx.a, .base_url = ctx.base_url};
        if (omk_res_parse(&p->sub, p->r, p->body, OMK_CREATE, &p->row) == OMK_INVALID)
            errors_under(&ctx, &p->sub, p->key);
        else if (p->row)
            p->sub = (omk_api_ctx){.a = ctx.a, .base_url = ctx.base_url};
        if (i == 0 && p->row)
            memcpy(p->row->uuid, kc_uuid, sizeof kc_uuid);
        parts[n++] = *p;
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    maak_job j = {&ctx, parts, n, NULL, NULL};
    rc = omk__ldv_begin_res(req, &omk__ki_klantcontact, false, "registreren", &j.ldv, &j.actie);
    if (!rc)
        rc = omk_store_write(omk__store(req), maak_write, &j);
    if (!rc)
        rc = omk_store_read(omk__store(req), maak_read, &j);
    if (rc)
        return omk__finish(req, &ctx, rc);
    /* As the reference answers: every part named, null when it was not sent. */
    json_t *out = json_pack("{s:n, s:n}", "betrokkene", "onderwerpobject");
    for (size_t i = 0; out && i < n; i++)
        json_object_set_new(out, parts[i].key, parts[i].out);
    return out ? omk_req_reply_json(req, 201, out) : omk__finish(req, &ctx, OMK_NOMEM);
}

/* ---- DELETE /onderwerpobjecten/{uuid}[?cascade=true] ---- */

typedef struct cascade_job {
    omk_api_ctx *ctx;
    const char *uuid;
    bool cascade;
    json_t *behouden;
    omk_ldv *ldv;
    omk_ldv_actie *actie;
} cascade_job;

static omk_rc still_used(omk_db *db, const char *kc, bool *used)
{
    omk_value v = {.t = OMK_V_TEXT, .s = kc, .n = strlen(kc)};
    omk_cond a = {"klantcontact", v}, b = {"was_klantcontact", v};
    omk_rc rc = omk_db_exists(db, &omk__ki_onderwerpobject, &a, 1, NULL, used);
    if (!rc && !*used)
        rc = omk_db_exists(db, &omk__ki_onderwerpobject, &b, 1, NULL, used);
    return rc;
}

/* Removes a klantcontact and the digitale adressen only its betrokkenen gave. */
static omk_rc remove_klantcontact(omk_db *db, omk_api_ctx *ctx, const char *kc)
{
    omk_rowset betr = {0};
    omk_rc rc = omk_db_children(db, &omk__ki_betrokkene, "had_klantcontact", kc, ctx->a, &betr);
    for (size_t i = 0; !rc && i < betr.n; i++) {
        omk_rowset adressen = {0};
        rc = omk_db_children(db, &omk__ki_digitaal_adres, "verstrekt_door_betrokkene",
                             betr.rows[i].uuid, ctx->a, &adressen);
        for (size_t k = 0; !rc && k < adressen.n; k++)
            if (!omk_row_text(&omk__ki_digitaal_adres, &adressen.rows[k], "verstrektDoorPartij"))
                rc = omk_res_delete(db, ctx, &omk__ki_digitaal_adres, adressen.rows[k].uuid);
    }
    return rc ? rc : omk_res_delete(db, ctx, &omk__ki_klantcontact, kc);
}

static omk_rc cascade_delete(omk_db *db, void *arg)
{
    cascade_job *j = arg;
    const omk_resource *r = &omk__ki_onderwerpobject;
    omk_row *ow = NULL;
    omk_rc rc = omk_db_get(db, r, j->uuid, j->ctx->a, &ow);
    if (rc)
        return rc;
    const char *kcs[2] = {omk_row_text(r, ow, "klantcontact"), omk_row_text(r, ow, "wasKlantcontact")};
    /* The persons of its klantcontacten, read before they go (the cascade's too). */
    if ((rc = omk__ldv_rows(db, j->actie, r, ow, 1)))
        return rc;
    if ((rc = omk_res_delete(db, j->ctx, r, j->uuid)) || !j->cascade)
        return rc ? rc : omk__ldv_write(db, j->ldv);
    for (int i = 0; i < 2 && !rc; i++) {
        if (!kcs[i] || (i == 1 && kcs[0] && strcmp(kcs[0], kcs[1]) == 0))
            continue;
        bool used = false;
        if ((rc = still_used(db, kcs[i], &used)))
            break;
        if (used)
            json_array_append_new(j->behouden,
                                  json_string(omk_res_url(j->ctx, &omk__ki_klantcontact, kcs[i])));
        else
            rc = remove_klantcontact(db, j->ctx, kcs[i]);
    }
    return rc ? rc : omk__ldv_write(db, j->ldv);
}

omk_rc omk__ki_onderwerpobject_delete(omk_req *req)
{
    omk_api_ctx ctx;
    omk__ctx_init(&ctx, req);
    cascade_job j = {.ctx = &ctx};
    omk_rc rc = omk__path_uuid(req, &j.uuid);
    if (rc)
        return omk__finish(req, &ctx, rc);
    const omk_qparam *q = NULL;
    size_t nq = omk_req_query(req, &q);
    for (size_t i = 0; i < nq; i++) {
        if (strcmp(q[i].key, "cascade") != 0) {
            omk_api_err_add(&ctx, "nonFieldErrors", "unknown-parameters",
                            omk_arena_printf(ctx.a, "Onbekende query parameters: %s", q[i].key));
        } else if (strcmp(q[i].value, "true") == 0 || strcmp(q[i].value, "True") == 0) {
            j.cascade = true;
        } else if (strcmp(q[i].value, "false") && strcmp(q[i].value, "False")) {
            omk_api_err_add(&ctx, "cascade", "invalid", "Moet een geldige boolean zijn.");
        }
    }
    if (ctx.nerrs)
        return omk__finish(req, &ctx, OMK_INVALID);
    rc = omk__ldv_begin_res(req, &omk__ki_onderwerpobject, false, "verwijderen", &j.ldv,
                            &j.actie);
    if (rc)
        return omk__finish(req, &ctx, rc);
    j.behouden = json_array();
    rc = omk_store_write(omk__store(req), cascade_delete, &j);
    if (rc) {
        json_decref(j.behouden);
        return omk__finish(req, &ctx, rc);
    }
    if (!j.cascade) {
        json_decref(j.behouden);
        return omk_req_reply(req, 204, "application/json", "", 0);
    }
    return omk_req_reply_json(req, 200, json_pack("{s:o}", "behouden", j.behouden));
}
