/* The one table that maps omk_rc to an HTTP status and an application/problem+json body
 * (NL API Design Rules; the shape Open Klant gives: type, code, title, status, detail,
 * instance, invalidParams). Titles are Dutch, as the reference implementation's are. */
#include <string.h>

#include "http_int.h"
#include "omk/util.h"

typedef struct problem_kind {
    int status;
    const char *type_class; /* last segment of the problem type URI */
    const char *code;
    const char *title;
} problem_kind;

static const problem_kind KINDS[] = {
    [OMK_OK] = {200, "", "", ""},
    [OMK_INVALID] = {400, "ValidationError", "invalid", "Ongeldige invoer."},
    [OMK_PARSE_ERROR] = {400, "ParseError", "parse_error", "Ongeldig samengestelde request."},
    [OMK_UNAUTHORIZED] = {401, "NotAuthenticated", "not_authenticated",
                          "Authenticatie gegevens zijn niet opgegeven."},
    [OMK_FORBIDDEN] = {403, "PermissionDenied", "permission_denied",
                       "Je hebt geen toegang om deze actie uit te voeren."},
    [OMK_NOTFOUND] = {404, "NotFound", "not_found", "Niet gevonden."},
    [OMK_BAD_METHOD] = {405, "MethodNotAllowed", "method_not_allowed",
                        "Methode niet toegestaan."},
    [OMK_NOT_ACCEPTABLE] = {406, "NotAcceptable", "not_acceptable",
                            "Kan niet voldoen aan de opgegeven \"Accept\" header."},
    [OMK_CONFLICT] = {409, "Conflict", "conflict", "Conflict met de huidige toestand."},
    [OMK_TOOBIG] = {413, "RequestTooLarge", "request_too_large", "Het verzoek is te groot."},
    [OMK_BAD_MEDIA_TYPE] = {415, "UnsupportedMediaType", "unsupported_media_type",
                            "Ongeldig media type in aanvraag."},
    [OMK_BUSY] = {503, "ServiceUnavailable", "busy",
                  "De dienst is tijdelijk overbelast, probeer het zo opnieuw."},
    [OMK_UNAVAILABLE] = {503, "ServiceUnavailable", "unavailable",
                         "De dienst is tijdelijk niet beschikbaar."},
    [OMK_IO] = {500, "APIException", "error", "Er is een server fout opgetreden."},
    [OMK_NOMEM] = {503, "ServiceUnavailable", "unavailable",
                   "De dienst is tijdelijk niet beschikbaar."},
    [OMK_INTERNAL] = {500, "APIException", "error", "Er is een server fout opgetreden."},
    [OMK_RATE_LIMITED] = {429, "Throttled", "throttled",
                          "Te veel pogingen, probeer het later opnieuw."},
    [OMK_URI_TOO_LONG] = {414, "URITooLong", "uri_too_long", "De URI van het verzoek is te lang."},
    [OMK_HEADERS_TOO_LARGE] = {431, "RequestHeaderFieldsTooLarge", "request_headers_too_large",
                               "De headers van het verzoek zijn te groot."},
    [OMK_AUTH_FAILED] = {401, "AuthenticationFailed", "authentication_failed",
                         "Incorrecte authenticatiegegevens."},
    [OMK_FULL] = {507, "InsufficientStorage", "opslag_vol",
                  "De opslag is vol: er is niets opgeslagen."},
    [OMK_UNSUPPORTED] = {501, "NotImplemented", "niet_ondersteund",
                         "Deze functie is met deze database nog niet beschikbaar."},
};

int omk__problem_status(omk_rc rc)
{
    if ((unsigned)rc >= sizeof KINDS / sizeof KINDS[0] || !KINDS[rc].status)
        rc = OMK_INTERNAL;
    return KINDS[rc].status;
}

json_t *omk__problem_body(omk_req *req, omk_rc rc)
{
    if ((unsigned)rc >= sizeof KINDS / sizeof KINDS[0] || !KINDS[rc].status || rc == OMK_OK)
        rc = OMK_INTERNAL;
    const problem_kind *k = &KINDS[rc];
    char instance[46] = "urn:uuid:";
    omk_uuid4(instance + 9);
    const char *detail = req->fail_detail ? req->fail_detail : k->title;
    if (rc == OMK_INVALID && !req->fail_detail)
        detail = "Een of meer velden of parameters zijn ongeldig.";
    json_t *body = json_object();
    json_object_set_new(body, "type",
                        json_sprintf("%s/ref/fouten/%s/", req->base_url, k->type_class));
    json_object_set_new(body, "code", json_string(req->fail_code ? req->fail_code : k->code));
    json_object_set_new(body, "title", json_string(k->title));
    json_object_set_new(body, "status", json_integer(k->status));
    json_object_set_new(body, "detail", json_string(detail));
    json_object_set_new(body, "instance", json_string(instance));
    if (rc == OMK_PARSE_ERROR && !req->invalid)
        omk_req_invalid(req, "nonFieldErrors", "parse_error", detail);
    if (k->status == 400) {
        json_t *list = json_array();
        for (omk__invalid *e = req->invalid; e; e = e->next) {
            json_t *item = json_object();
            json_object_set_new(item, "name", json_string(e->name));
            json_object_set_new(item, "code", json_string(e->code));
            json_object_set_new(item, "reason", json_string(e->reason));
            json_array_append_new(list, item);
        }
        json_object_set_new(body, "invalidParams", list);
    }
    return body;
}
