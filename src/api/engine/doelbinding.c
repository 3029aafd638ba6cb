/* Purpose binding (doelbinding): the register of processing activities and, per role and
 * activity, what the klantbeeld returns. The defaults below are a sane starting point for a
 * municipality; `serve --doelbinding FILE` replaces the rules with its own. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/util.h"
#include "engine/doelbinding.h"


static const omk_verwerkingsactiviteit ACTIVITEITEN[] = {
    {"klantvraag-beantwoorden", "Beantwoorden van uw vraag aan de gemeente"},
    {"contactverzoek-afhandelen", "Afhandelen van uw verzoek om contact"},
    {"wettelijke-taak-uitvoeren", "Uitvoeren van een wettelijke taak van de gemeente"},
    {"mijn-gegevens-inzien", "U bekeek uw eigen gegevens"},
    {"klantgegevens-beheren", "Bijhouden en samenvoegen van uw klantgegevens"},
};

#define ALL_REGISTER (OMK_ZIE_CONTACTEN | OMK_ZIE_TAKEN | OMK_ZIE_CONTACTGEGEVENS)

static const omk_doelbinding DEFAULT_RULES[] = {
    {"klantvraag-beantwoorden", "kcm",
     OMK_ZIE_PERSOON | OMK_ZIE_ADRES | ALL_REGISTER | OMK_ZIE_INHOUD | OMK_ZIE_ZAKEN |
         OMK_ZIE_BEDRIJF},
    {"contactverzoek-afhandelen", "kcm", OMK_ZIE_PERSOON | ALL_REGISTER | OMK_ZIE_INHOUD},
    {"contactverzoek-afhandelen", "backoffice",
     OMK_ZIE_PERSOON | OMK_ZIE_ADRES | ALL_REGISTER | OMK_ZIE_INHOUD | OMK_ZIE_ZAKEN |
         OMK_ZIE_BEDRIJF},
    {"wettelijke-taak-uitvoeren", "backoffice",
     OMK_ZIE_PERSOON | OMK_ZIE_ADRES | OMK_ZIE_GEHEIM_ADRES | ALL_REGISTER | OMK_ZIE_INHOUD |
         OMK_ZIE_ZAKEN | OMK_ZIE_BEDRIJF},
    {"klantgegevens-beheren", "beheerder", ALL_REGISTER},
    {"mijn-gegevens-inzien", "inwoner",
     OMK_ZIE_PERSOON | OMK_ZIE_ADRES | OMK_ZIE_GEHEIM_ADRES | ALL_REGISTER | OMK_ZIE_INHOUD |
         OMK_ZIE_ZAKEN},
    {"mijn-gegevens-inzien", "ondernemer", ALL_REGISTER | OMK_ZIE_INHOUD | OMK_ZIE_BEDRIJF},
};

static const omk_doelbinding *g_rules = DEFAULT_RULES;
static size_t g_nrules = sizeof DEFAULT_RULES / sizeof DEFAULT_RULES[0];

static const struct {
    const char *rol, *omschrijving;
} ROLLEN[] = {
    {"kcm", "Klantcontactcentrum"}, {"backoffice", "Vakafdeling (backoffice)"},
    {"redacteur", "Redactie kennisbank"}, {"manager", "Management"},
    {"beheerder", "Functioneel beheer"}, {"inwoner", "Uzelf"},
    {"gemachtigde", "Iemand die met een machtiging namens u handelt"},
    {"ondernemer", "Uw bedrijf (ingelogd met eHerkenning)"},
    {"systeem", "Automatische verwerking (e-mail, WhatsApp)"},
    {"kanalen", "Koppeling met een kanaal (website, sociale media)"},
    {"cti", "Telefooncentrale"},
    {"chatbezoeker", "Iemand in de chat op de website"},
};

static const struct {
    const char *naam;
    unsigned bit;
} ZICHT[] = {
    {"persoon", OMK_ZIE_PERSOON},     {"adres", OMK_ZIE_ADRES},
    {"geheimAdres", OMK_ZIE_GEHEIM_ADRES}, {"contacten", OMK_ZIE_CONTACTEN},
    {"inhoud", OMK_ZIE_INHOUD},       {"taken", OMK_ZIE_TAKEN},
    {"zaken", OMK_ZIE_ZAKEN},         {"bedrijf", OMK_ZIE_BEDRIJF},
    {"contactgegevens", OMK_ZIE_CONTACTGEGEVENS},
};


const omk_verwerkingsactiviteit *omk__activiteit(const char *id)
{
    for (size_t i = 0; id && i < OMK_COUNT(ACTIVITEITEN); i++)
        if (strcmp(ACTIVITEITEN[i].id, id) == 0)
            return &ACTIVITEITEN[i];
    return NULL;
}

/* Residents act only as inwoner; staff never do, even with "*". */
static bool acts_as(const omk_req *req, const char *rol)
{
    bool resident = omk_req_subject(req) != NULL;
    if (strcmp(rol, "inwoner") == 0)
        return resident;
    return !resident && omk_req_has_scope(req, rol);
}

unsigned omk__doelbinding(const omk_req *req, const char *activiteit)
{
    unsigned zie = 0;
    for (size_t i = 0; activiteit && i < g_nrules; i++)
        if (strcmp(g_rules[i].activiteit, activiteit) == 0 && acts_as(req, g_rules[i].rol))
            zie |= g_rules[i].zie;
    return zie;
}

const char *omk__doelbinding_rol(const omk_req *req, const char *activiteit)
{
    for (size_t i = 0; activiteit && i < g_nrules; i++)
        if (strcmp(g_rules[i].activiteit, activiteit) == 0 && acts_as(req, g_rules[i].rol))
            return g_rules[i].rol;
    return "onbekend";
}

const char *omk__rol_omschrijving(const char *rol)
{
    for (size_t i = 0; rol && i < OMK_COUNT(ROLLEN); i++)
        if (strcmp(ROLLEN[i].rol, rol) == 0)
            return ROLLEN[i].omschrijving;
    return "Gemeente";
}

static bool zicht_bits(json_t *list, unsigned *out)
{
    size_t i;
    json_t *v;
    *out = 0;
    if (!json_is_array(list))
        return false;
    json_array_foreach(list, i, v) {
        size_t k = 0;
        while (k < OMK_COUNT(ZICHT) && !(json_is_string(v) && strcmp(json_string_value(v), ZICHT[k].naam) == 0))
            k++;
        if (k == OMK_COUNT(ZICHT))
            return false;
        *out |= ZICHT[k].bit;
    }
    return true;
}

omk_rc omk__doelbinding_load(const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!json_is_array(root)) {
        fprintf(stderr, "omnikanaal: %s: geen JSON-lijst van regels (%s)\n", path, err.text);
        json_decref(root);
        return OMK_INVALID;
    }
    size_t n = json_array_size(root);
    omk_doelbinding *rules = calloc(n ? n : 1, sizeof *rules);
    if (!rules) {
        json_decref(root);
        return OMK_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(root, i);
        const char *act = json_string_value(json_object_get(r, "activiteit"));
        const char *rol = json_string_value(json_object_get(r, "rol"));
        if (!omk__activiteit(act) || !rol || !zicht_bits(json_object_get(r, "zie"), &rules[i].zie)) {
            fprintf(stderr, "omnikanaal: %s: regel %zu: activiteit, rol of zie ongeldig\n", path,
                    i + 1);
            free(rules);
            json_decref(root);
            return OMK_INVALID;
        }
        rules[i].activiteit = strdup(act);
        rules[i].rol = strdup(rol);
    }
    json_decref(root);
    g_rules = rules; /* lives for the process */
    g_nrules = n;
    return OMK_OK;
}
