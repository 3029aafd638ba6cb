/* Versioned schema migrations for the SQLite backend. Each entry brings the schema from
 * version i to i+1 and runs in its own transaction; PRAGMA user_version holds the version.
 * Never edit a released migration: add a new one. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

#define ADRES_COLUMNS(p)                                                                      \
    p "nummeraanduiding_id TEXT, " p "straatnaam TEXT, " p "huisnummer INTEGER, " p           \
      "huisnummertoevoeging TEXT, " p "postcode TEXT, " p "stad TEXT, " p "adresregel1 TEXT, " p \
      "adresregel2 TEXT, " p "adresregel3 TEXT, " p "land TEXT, "
#define CONTACTNAAM_COLUMNS                                                                    \
    "cn_voorletters TEXT, cn_voornaam TEXT, cn_voorvoegsel_achternaam TEXT, cn_achternaam TEXT, "

/* Steering's rollups: the measure columns (in the order of omk_sturing_maat), and a trigger
 * that queues keys ("SELECT <what>" rows of (soort, sleutel); OR IGNORE skips a NULL key,
 * which the NOT NULL columns refuse). The queue is append-only in id order (a key may be
 * there twice; the catch-up takes it once): an index on the random keys would cost every
 * write a page of its own. */
#define STURING_MATEN                                                                          \
    " contacten INTEGER NOT NULL DEFAULT 0, opgelost INTEGER NOT NULL DEFAULT 0,"             \
    " herhaal INTEGER NOT NULL DEFAULT 0, doorverwezen INTEGER NOT NULL DEFAULT 0,"           \
    " voorkeur INTEGER NOT NULL DEFAULT 0, partij_bekend INTEGER NOT NULL DEFAULT 0,"         \
    " aangeboden INTEGER NOT NULL DEFAULT 0, beantwoord INTEGER NOT NULL DEFAULT 0,"          \
    " verlaten INTEGER NOT NULL DEFAULT 0, kort_verlaten INTEGER NOT NULL DEFAULT 0,"         \
    " binnen_norm INTEGER NOT NULL DEFAULT 0, wachttijd_ms INTEGER NOT NULL DEFAULT 0,"       \
    " cv INTEGER NOT NULL DEFAULT 0, cv_afgehandeld INTEGER NOT NULL DEFAULT 0,"              \
    " cv_tijdig INTEGER NOT NULL DEFAULT 0, cv_werkdagen INTEGER NOT NULL DEFAULT 0"
/* The measures added by steering's second migration, on table t. */
#define STURING_MATEN2(t)                                                                      \
    "ALTER TABLE " t " ADD COLUMN webtransacties INTEGER NOT NULL DEFAULT 0;"                   \
    "ALTER TABLE " t " ADD COLUMN balie_opgeroepen INTEGER NOT NULL DEFAULT 0;"                 \
    "ALTER TABLE " t " ADD COLUMN balie_wacht_ms INTEGER NOT NULL DEFAULT 0;"                   \
    "ALTER TABLE " t " ADD COLUMN balie_binnen_norm INTEGER NOT NULL DEFAULT 0;"
#define STURING_Q(naam, event, table, when, what)                                              \
    "CREATE TRIGGER sturing_" naam " AFTER " event " ON " table when " BEGIN"                 \
    " INSERT OR IGNORE INTO sturing_wachtrij (soort, sleutel) SELECT " what "; END;"
/* The klantcontacten of the partijen with the BSN of inwoner_voorkeuren row `r`. */
#define STURING_BSN(r)                                                                         \
    "'kc', b.had_klantcontact FROM partij_identificatoren pi JOIN betrokkenen b"              \
    " ON b.was_partij = pi.identificeerde_partij WHERE pi.object_id = " r ".bsn"              \
    " AND pi.code_soort_object_id = 'bsn'"

static const char *const MIGRATIONS[] = {
    /* 1: API tokens and the first part of the Klantinteracties register. */
    "CREATE TABLE api_tokens ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL,"
    " hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, aangemaakt_op INTEGER NOT NULL);"

    "CREATE TABLE partijen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " nummer TEXT, interne_notitie TEXT NOT NULL DEFAULT '',"
    " soort_partij TEXT NOT NULL, indicatie_geheimhouding INTEGER,"
    " voorkeurstaal TEXT NOT NULL DEFAULT '', indicatie_actief INTEGER NOT NULL,"
    " voorkeurs_digitaal_adres TEXT REFERENCES digitale_adressen(uuid) ON DELETE SET NULL,"
    ADRES_COLUMNS("bezoek_") ADRES_COLUMNS("corr_") CONTACTNAAM_COLUMNS
    " org_naam TEXT,"
    " werkte_voor_partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL);"
    "CREATE INDEX partijen_soort ON partijen(soort_partij);"
    "CREATE INDEX partijen_werkte_voor ON partijen(werkte_voor_partij);"

    "CREATE TABLE partij_identificatoren ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " identificeerde_partij TEXT REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " andere_partij_identificator TEXT NOT NULL DEFAULT '',"
    " code_objecttype TEXT, code_soort_object_id TEXT, object_id TEXT, code_register TEXT,"
    " sub_identificator_van TEXT REFERENCES partij_identificatoren(uuid) ON DELETE RESTRICT);"
    "CREATE INDEX pi_partij ON partij_identificatoren(identificeerde_partij);"
    "CREATE INDEX pi_object ON partij_identificatoren(object_id, code_soort_object_id);"
    "CREATE INDEX pi_sub ON partij_identificatoren(sub_identificator_van);"

    "CREATE TABLE klantcontacten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " nummer TEXT UNIQUE, referentienummer TEXT UNIQUE, kanaal TEXT NOT NULL,"
    " onderwerp TEXT NOT NULL, inhoud TEXT NOT NULL DEFAULT '',"
    " reactie TEXT NOT NULL DEFAULT '', indicatie_contact_gelukt INTEGER,"
    " hoofd_onderwerp_type TEXT NOT NULL DEFAULT '',"
    " verdere_actie_ondernomen INTEGER NOT NULL DEFAULT 0, taal TEXT NOT NULL,"
    " vertrouwelijk INTEGER NOT NULL, plaatsgevonden_op INTEGER NOT NULL, metadata TEXT);"
    "CREATE INDEX kc_plaatsgevonden ON klantcontacten(plaatsgevonden_op DESC, id DESC);"
    "CREATE INDEX kc_kanaal ON klantcontacten(kanaal, plaatsgevonden_op DESC, id DESC);"

    "CREATE TABLE betrokkenen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " was_partij TEXT REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " had_klantcontact TEXT NOT NULL REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    ADRES_COLUMNS("bezoek_") ADRES_COLUMNS("corr_") CONTACTNAAM_COLUMNS
    " rol TEXT NOT NULL, organisatienaam TEXT NOT NULL DEFAULT '', initiator INTEGER NOT NULL);"
    "CREATE INDEX betr_partij ON betrokkenen(was_partij);"
    "CREATE INDEX betr_kc ON betrokkenen(had_klantcontact);"

    "CREATE TABLE digitale_adressen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " verstrekt_door_betrokkene TEXT REFERENCES betrokkenen(uuid) ON DELETE SET NULL,"
    " verstrekt_door_partij TEXT REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " adres TEXT NOT NULL, soort_digitaal_adres TEXT NOT NULL,"
    " is_standaard_adres INTEGER NOT NULL DEFAULT 0, omschrijving TEXT NOT NULL DEFAULT '',"
    " referentie TEXT NOT NULL DEFAULT '', verificatie_datum TEXT);"
    "CREATE INDEX da_betrokkene ON digitale_adressen(verstrekt_door_betrokkene);"
    "CREATE INDEX da_partij ON digitale_adressen(verstrekt_door_partij);"
    "CREATE INDEX da_adres ON digitale_adressen(adres);",

    /* 2: the rest of the Klantinteracties register. */
    "CREATE TABLE actoren ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL,"
    " soort_actor TEXT NOT NULL, indicatie_actief INTEGER NOT NULL DEFAULT 1,"
    " ai_object_id TEXT, ai_code_objecttype TEXT, ai_code_register TEXT,"
    " ai_code_soort_object_id TEXT,"
    " id_functie TEXT, id_emailadres TEXT, id_telefoonnummer TEXT, id_omschrijving TEXT,"
    " id_faxnummer TEXT);"
    "CREATE INDEX actor_naam ON actoren(naam);"
    "CREATE INDEX actor_object ON actoren(ai_object_id);"

    "CREATE TABLE actorklantcontacten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " actor TEXT NOT NULL REFERENCES actoren(uuid) ON DELETE CASCADE,"
    " klantcontact TEXT NOT NULL REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    " UNIQUE (actor, klantcontact));"
    "CREATE INDEX akc_kc ON actorklantcontacten(klantcontact);"

    "CREATE TABLE onderwerpobjecten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    " was_klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    " oi_object_id TEXT, oi_code_objecttype TEXT, oi_code_register TEXT,"
    " oi_code_soort_object_id TEXT);"
    "CREATE INDEX ow_kc ON onderwerpobjecten(klantcontact);"
    "CREATE INDEX ow_was_kc ON onderwerpobjecten(was_klantcontact);"
    "CREATE INDEX ow_object ON onderwerpobjecten(oi_object_id);"

    "CREATE TABLE bijlagen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " was_bijlage_van_klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    " bi_object_id TEXT, bi_code_objecttype TEXT, bi_code_register TEXT,"
    " bi_code_soort_object_id TEXT);"
    "CREATE INDEX bijlage_kc ON bijlagen(was_bijlage_van_klantcontact);"

    "CREATE TABLE internetaken ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, nummer TEXT UNIQUE,"
    " referentienummer TEXT, gevraagde_handeling TEXT NOT NULL,"
    " aanleidinggevend_klantcontact TEXT NOT NULL REFERENCES klantcontacten(uuid)"
    "   ON DELETE CASCADE,"
    " toelichting TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
    " toegewezen_op INTEGER NOT NULL, afgehandeld_op INTEGER);"
    "CREATE INDEX it_kc ON internetaken(aanleidinggevend_klantcontact);"
    "CREATE INDEX it_status ON internetaken(status);"
    "CREATE TABLE internetaak_actoren ("
    " id INTEGER PRIMARY KEY,"
    " internetaak TEXT NOT NULL REFERENCES internetaken(uuid) ON DELETE CASCADE,"
    " actor TEXT NOT NULL REFERENCES actoren(uuid) ON DELETE CASCADE);"
    "CREATE INDEX ita_taak ON internetaak_actoren(internetaak);"
    "CREATE INDEX ita_actor ON internetaak_actoren(actor);"

    "CREATE TABLE rekeningnummers ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " iban TEXT NOT NULL, bic TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX rek_partij ON rekeningnummers(partij);"
    "ALTER TABLE partijen ADD COLUMN voorkeurs_rekeningnummer TEXT"
    " REFERENCES rekeningnummers(uuid) ON DELETE SET NULL;"

    "CREATE TABLE vertegenwoordigingen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " vertegenwoordigende_partij TEXT NOT NULL REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " vertegenwoordigde_partij TEXT NOT NULL REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " UNIQUE (vertegenwoordigende_partij, vertegenwoordigde_partij));"
    "CREATE INDEX vtw_vertegenwoordigde ON vertegenwoordigingen(vertegenwoordigde_partij);"

    "CREATE TABLE categorieen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE categorie_relaties ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE CASCADE,"
    " categorie TEXT REFERENCES categorieen(uuid) ON DELETE CASCADE,"
    " begin_datum TEXT, eind_datum TEXT);"
    "CREATE INDEX catrel_partij ON categorie_relaties(partij);"
    "CREATE INDEX catrel_categorie ON categorie_relaties(categorie);",

    /* 3: the notification outbox, written in the same transaction as the change it reports,
     *    delivered and retried by the notifier thread. */
    "CREATE TABLE notificaties ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, abonnee TEXT NOT NULL,"
    " kanaal TEXT NOT NULL, bericht TEXT NOT NULL, aangemaakt_op INTEGER NOT NULL,"
    " pogingen INTEGER NOT NULL DEFAULT 0, volgende_poging INTEGER NOT NULL,"
    " afgeleverd_op INTEGER, laatste_fout TEXT);"
    "CREATE INDEX notif_open ON notificaties(volgende_poging) WHERE afgeleverd_op IS NULL;",

    /* 4: the kennisbank: articles, their versions, the Dutch full-text index, searches (for
     *    content gaps) and which article answered which klantcontact. */
    "CREATE TABLE kb_artikelen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, titel TEXT NOT NULL,"
    " vragen TEXT NOT NULL DEFAULT '[]', kort_antwoord TEXT NOT NULL DEFAULT '',"
    " antwoord TEXT NOT NULL DEFAULT '', laag TEXT NOT NULL, status TEXT NOT NULL,"
    " doelgroep TEXT NOT NULL, product TEXT NOT NULL DEFAULT '',"
    " trefwoorden TEXT NOT NULL DEFAULT '[]', synoniemen TEXT NOT NULL DEFAULT '[]',"
    " afdeling TEXT NOT NULL DEFAULT '', geldig_van TEXT, geldig_tot TEXT, reviewdatum TEXT,"
    " versie INTEGER NOT NULL DEFAULT 1, gewijzigd_op INTEGER NOT NULL,"
    " gewijzigd_door TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX kb_status ON kb_artikelen(status);"
    "CREATE INDEX kb_review ON kb_artikelen(reviewdatum);"
    "CREATE TABLE kb_versies ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " artikel TEXT NOT NULL REFERENCES kb_artikelen(uuid) ON DELETE CASCADE,"
    " versie INTEGER NOT NULL, gewijzigd_op INTEGER NOT NULL, gewijzigd_door TEXT NOT NULL,"
    " inhoud TEXT NOT NULL);"
    "CREATE INDEX kbv_artikel ON kb_versies(artikel);"
    "CREATE VIRTUAL TABLE kb_fts USING fts5(uuid UNINDEXED, titel, vragen, antwoord, trefwoorden,"
    " tokenize = 'omk_dutch');"
    "CREATE TABLE kb_zoekvragen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, vraag TEXT NOT NULL,"
    " resultaten INTEGER NOT NULL, tijdstip INTEGER NOT NULL);"
    "CREATE INDEX kbz_resultaten ON kb_zoekvragen(resultaten);"
    "CREATE TABLE kb_gebruik ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " artikel TEXT NOT NULL REFERENCES kb_artikelen(uuid) ON DELETE CASCADE,"
    " klantcontact TEXT NOT NULL REFERENCES klantcontacten(uuid) ON DELETE CASCADE,"
    " tijdstip INTEGER NOT NULL, UNIQUE (artikel, klantcontact));"
    "CREATE INDEX kbg_kc ON kb_gebruik(klantcontact);",

    /* 5: the kennisbank index keyed by the article's id, so replacing one entry is a seek and
     *    not a scan of the whole index, with prefix indexes (2 and 3 characters) for
     *    search-as-you-type; the channels an article is shown on; what each version changed. */
    "DROP TABLE kb_fts;"
    "CREATE VIRTUAL TABLE kb_zoekindex USING fts5(titel, vragen, antwoord, trefwoorden,"
    " tokenize = 'omk_dutch', prefix = '2 3');"
    "INSERT INTO kb_zoekindex(rowid, titel, vragen, antwoord, trefwoorden)"
    " SELECT id, titel,"
    "  coalesce((SELECT group_concat(value, char(10)) FROM json_each(a.vragen)), ''),"
    "  kort_antwoord || char(10) || antwoord,"
    "  coalesce((SELECT group_concat(value, char(10)) FROM json_each(a.trefwoorden)), '')"
    "  || char(10) || coalesce((SELECT group_concat(value, char(10))"
    "  FROM json_each(a.synoniemen)), '') || char(10) || product"
    " FROM kb_artikelen a;"
    "ALTER TABLE kb_artikelen ADD COLUMN kanalen TEXT NOT NULL"
    " DEFAULT '[\"web\",\"chat\",\"telefoon\"]';"
    "ALTER TABLE kb_versies ADD COLUMN gewijzigde_velden TEXT NOT NULL DEFAULT '[]';",

    /* 6: what search filters and counts of an article, in a narrow table that triggers keep in
     *    step: an article row holds the whole answer, and reading thousands of them for one
     *    search cost more than the search itself. */
    "CREATE TABLE kb_zoekmeta ("
    " id INTEGER PRIMARY KEY, status TEXT, geldig_van TEXT, geldig_tot TEXT, product TEXT,"
    " laag TEXT, doelgroep TEXT, kanalen TEXT, uuid TEXT);"
    "INSERT INTO kb_zoekmeta SELECT id, status, geldig_van, geldig_tot, product, laag,"
    " doelgroep, kanalen, uuid FROM kb_artikelen;"
    "CREATE TRIGGER kb_zoekmeta_ai AFTER INSERT ON kb_artikelen BEGIN"
    " INSERT INTO kb_zoekmeta VALUES (new.id, new.status, new.geldig_van, new.geldig_tot,"
    "  new.product, new.laag, new.doelgroep, new.kanalen, new.uuid); END;"
    "CREATE TRIGGER kb_zoekmeta_au AFTER UPDATE ON kb_artikelen BEGIN"
    " INSERT OR REPLACE INTO kb_zoekmeta VALUES (new.id, new.status, new.geldig_van,"
    "  new.geldig_tot, new.product, new.laag, new.doelgroep, new.kanalen, new.uuid); END;"
    "CREATE TRIGGER kb_zoekmeta_ad AFTER DELETE ON kb_artikelen BEGIN"
    " DELETE FROM kb_zoekmeta WHERE id = old.id; END;",

    /* 7: channels — service norms per kanaal and product (seeded with the handreiking's
     *    examples: terugbellen binnen 1 werkdag, e-mail binnen 2 werkdagen) and
     *    contactverzoeken: what the register's klantcontact + interne taak lack (deadline,
     *    assignment by name and kind, handling, escalation). */
    "CREATE TABLE kanalen_servicenormen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kanaal TEXT NOT NULL DEFAULT '',"
    " product TEXT NOT NULL DEFAULT '', werkdagen INTEGER NOT NULL,"
    " omschrijving TEXT NOT NULL DEFAULT '', UNIQUE (kanaal, product));"
    "INSERT INTO kanalen_servicenormen (uuid, kanaal, product, werkdagen, omschrijving)"
    " SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||"
    " substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) ||"
    " '-' || lower(hex(randomblob(6))), k, '', w, o FROM (SELECT 'telefoon' AS k, 1 AS w,"
    " 'Terugbellen binnen 1 werkdag' AS o UNION ALL SELECT 'e-mail', 2,"
    " 'E-mail beantwoorden binnen 2 werkdagen' UNION ALL SELECT 'chat', 1,"
    " 'Chat opvolgen binnen 1 werkdag' UNION ALL SELECT 'whatsapp', 1,"
    " 'WhatsApp opvolgen binnen 1 werkdag' UNION ALL SELECT 'balie', 2,"
    " 'Baliebezoek opvolgen binnen 2 werkdagen' UNION ALL SELECT 'post', 5,"
    " 'Brief beantwoorden binnen 5 werkdagen');"
    "CREATE TABLE kanalen_contactverzoeken ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " internetaak TEXT REFERENCES internetaken(uuid) ON DELETE SET NULL,"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL,"
    " kanaal TEXT NOT NULL, product TEXT NOT NULL DEFAULT '', onderwerp TEXT NOT NULL,"
    " toelichting TEXT NOT NULL DEFAULT '', gevraagde_handeling TEXT NOT NULL,"
    " cg_naam TEXT NOT NULL DEFAULT '', cg_telefoonnummer TEXT NOT NULL DEFAULT '',"
    " cg_email TEXT NOT NULL DEFAULT '', ontvangen_op INTEGER NOT NULL,"
    " werkdagen INTEGER NOT NULL, norm_bron TEXT NOT NULL, deadline TEXT NOT NULL,"
    " ta_soort TEXT NOT NULL, ta_naam TEXT NOT NULL, ta_email TEXT NOT NULL DEFAULT '',"
    " ta_actor TEXT REFERENCES actoren(uuid) ON DELETE SET NULL, status TEXT NOT NULL,"
    " afgehandeld_op INTEGER, afh_resultaat TEXT, afh_contact_gelukt INTEGER, afh_door TEXT,"
    " afh_klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " geescaleerd_op INTEGER, escalatie_mail TEXT NOT NULL DEFAULT '',"
    " basis_url TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX kcv_deadline ON kanalen_contactverzoeken(status, deadline);"
    "CREATE INDEX kcv_toegewezen ON kanalen_contactverzoeken(ta_naam, ta_soort);"
    "CREATE INDEX kcv_partij ON kanalen_contactverzoeken(partij);",

    /* 8: conversations of the message channels (e-mail threads, WhatsApp, chat, generic
     *    webhooks), their messages in and out, files received (attachments, scans; base64
     *    in a TEXT column), telephone calls from the CTI, koppelcodes (only their hashes)
     *    and balie check-ins. */
    "CREATE TABLE kanalen_gesprekken ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kanaal TEXT NOT NULL,"
    " onderwerp TEXT NOT NULL DEFAULT '', partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL,"
    " adres TEXT NOT NULL DEFAULT '', naam TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
    " aangemaakt_op INTEGER NOT NULL, laatste_bericht_op INTEGER NOT NULL,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " medewerker TEXT NOT NULL DEFAULT '', sleutel TEXT NOT NULL DEFAULT '',"
    " geheim TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX kg_kanaal ON kanalen_gesprekken(kanaal, status);"
    "CREATE INDEX kg_sleutel ON kanalen_gesprekken(sleutel);"
    "CREATE TABLE kanalen_berichten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " gesprek TEXT NOT NULL REFERENCES kanalen_gesprekken(uuid) ON DELETE CASCADE,"
    " richting TEXT NOT NULL, tekst TEXT NOT NULL DEFAULT '', afzender TEXT NOT NULL DEFAULT '',"
    " tijdstip INTEGER NOT NULL,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " message_id TEXT NOT NULL DEFAULT '', extern_id TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT '', bijlagen TEXT NOT NULL DEFAULT '[]');"
    "CREATE INDEX kb_gesprek ON kanalen_berichten(gesprek);"
    "CREATE INDEX kb_message_id ON kanalen_berichten(message_id);"
    "CREATE INDEX kb_extern_id ON kanalen_berichten(extern_id);"
    "CREATE TABLE kanalen_bestanden ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL DEFAULT '',"
    " content_type TEXT NOT NULL, grootte INTEGER NOT NULL, inhoud TEXT NOT NULL,"
    " aangemaakt_op INTEGER NOT NULL);"
    "CREATE TABLE kanalen_oproepen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, gespreks_id TEXT NOT NULL UNIQUE,"
    " telefoonnummer TEXT NOT NULL DEFAULT '',"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL,"
    " medewerker TEXT NOT NULL DEFAULT '', wachtrij TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL, aangeboden_op INTEGER NOT NULL, aangenomen_op INTEGER,"
    " beeindigd_op INTEGER, duur INTEGER,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " gekoppeld_gesprek TEXT REFERENCES kanalen_gesprekken(uuid) ON DELETE SET NULL);"
    "CREATE INDEX ko_medewerker ON kanalen_oproepen(medewerker, status);"
    "CREATE TABLE kanalen_koppelcodes ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code_hash TEXT NOT NULL,"
    " gesprek TEXT NOT NULL REFERENCES kanalen_gesprekken(uuid) ON DELETE CASCADE,"
    " aangemaakt_op INTEGER NOT NULL, geldig_tot INTEGER NOT NULL, gebruikt_op INTEGER,"
    " gebruikt_door TEXT, oproep TEXT REFERENCES kanalen_oproepen(uuid) ON DELETE SET NULL);"
    "CREATE INDEX kk_code ON kanalen_koppelcodes(code_hash);"
    "CREATE TABLE kanalen_balie ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL,"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL,"
    " naam TEXT NOT NULL DEFAULT '', reden TEXT NOT NULL, product TEXT NOT NULL DEFAULT '',"
    " wachtrij TEXT NOT NULL DEFAULT '', volgnummer TEXT NOT NULL, dag TEXT NOT NULL,"
    " status TEXT NOT NULL, aangemeld_op INTEGER NOT NULL, opgeroepen_op INTEGER,"
    " balie TEXT NOT NULL DEFAULT '', geholpen_door TEXT NOT NULL DEFAULT '',"
    " afgerond_op INTEGER, resultaat TEXT NOT NULL DEFAULT '', UNIQUE (dag, volgnummer));"
    "CREATE INDEX kbl_dag ON kanalen_balie(dag, status);",

    /* 9: covering indexes for the betrokkenen of a partij and of a klantcontact: their
     *    references are listed by uuid in id order, now read from the index alone instead of
     *    one row lookup each (a partij with 100 betrokkenen at 1M klantcontacten). They extend
     *    the single-column indexes they replace, so every filter keeps its index. */
    "CREATE INDEX betr_partij_uuid ON betrokkenen(was_partij, id, uuid);"
    "DROP INDEX betr_partij;"
    "CREATE INDEX betr_kc_uuid ON betrokkenen(had_klantcontact, id, uuid);"
    "DROP INDEX betr_kc;",

    /* 10: the klantbeeld. Logboek Dataverwerkingen records (one per action per data subject,
     *    subject pseudonymised with an installation key); a normalised search key per digital
     *    address (phone numbers in any notation, e-mail in any case); merges of partijen
     *    with what is needed to undo them; probable duplicates as a view. */
    "CREATE TABLE instellingen (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " naam TEXT NOT NULL UNIQUE, waarde TEXT NOT NULL);"
    "INSERT INTO instellingen (uuid, naam, waarde) VALUES (lower(hex(randomblob(16))),"
    " 'pseudoniemsleutel', lower(hex(randomblob(32))));"
    "CREATE TABLE dataverwerkingen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT,"
    " naam TEXT NOT NULL, start_ms INTEGER NOT NULL, eind_ms INTEGER NOT NULL,"
    " status TEXT NOT NULL, verwerkingsactiviteit TEXT NOT NULL,"
    " betrokkene TEXT NOT NULL, betrokkene_type TEXT NOT NULL, rol TEXT NOT NULL,"
    " aanroeper TEXT, bron TEXT);"
    "CREATE INDEX dv_betrokkene ON dataverwerkingen(betrokkene, start_ms);"
    "CREATE INDEX dv_trace ON dataverwerkingen(trace_id);"
    "ALTER TABLE digitale_adressen ADD COLUMN zoeksleutel TEXT;"
    "CREATE INDEX da_zoeksleutel ON digitale_adressen(zoeksleutel);"
    "CREATE TABLE samenvoegingen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " behouden_partij TEXT NOT NULL, opgeheven_partij TEXT NOT NULL,"
    " opgeheven_gegevens TEXT NOT NULL, verplaatst TEXT NOT NULL,"
    " reden TEXT NOT NULL, uitgevoerd_door TEXT NOT NULL, tijdstip TEXT NOT NULL);"
    "CREATE VIEW partij_dubbelen AS"
    " SELECT a.id AS id, a.uuid || ':' || b.uuid AS uuid,"
    "  a.verstrekt_door_partij AS partij_a, b.verstrekt_door_partij AS partij_b,"
    "  a.soort_digitaal_adres AS soort, a.adres AS adres_a, b.adres AS adres_b"
    " FROM digitale_adressen a JOIN digitale_adressen b"
    "  ON b.zoeksleutel = a.zoeksleutel AND b.soort_digitaal_adres = a.soort_digitaal_adres"
    "  AND b.verstrekt_door_partij > a.verstrekt_door_partij"
    " WHERE a.zoeksleutel IS NOT NULL AND a.verstrekt_door_partij IS NOT NULL;",

    /* 11: the web UI's local accounts and sessions (only a hash of the cookie is stored), and
     *     the residents' own preferences set in the Mijn-omgeving (keyed by BSN). */
    "CREATE TABLE gebruikers ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, gebruikersnaam TEXT NOT NULL UNIQUE,"
    " rol TEXT NOT NULL, bsn TEXT NOT NULL DEFAULT '', wachtwoord_hash TEXT NOT NULL,"
    " aangemaakt_op INTEGER NOT NULL);"
    "CREATE TABLE sessies ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, hash TEXT NOT NULL UNIQUE,"
    " gebruikersnaam TEXT NOT NULL, rol TEXT NOT NULL, bsn TEXT NOT NULL DEFAULT '',"
    " csrf TEXT NOT NULL, laatst_gebruikt INTEGER NOT NULL, aangemaakt_op INTEGER NOT NULL);"
    "CREATE INDEX sessies_laatst ON sessies(laatst_gebruikt);"
    "CREATE TABLE inwoner_voorkeuren ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, bsn TEXT NOT NULL UNIQUE,"
    " voorkeurskanaal TEXT NOT NULL DEFAULT '', toestemming_digitaal INTEGER NOT NULL DEFAULT 0,"
    " toestemming_onderzoek INTEGER NOT NULL DEFAULT 0, gewijzigd_op INTEGER NOT NULL);",

    /* 12: a full-text index of the partijen's names (person: voornaam, voorvoegsel,
     *     achternaam; organisation: naam), kept by triggers, for the klantbeeld's search by
     *     name: words match by their start, without case or diacritics. Scanning partijen
     *     with a LIKE on the longest word, capped at 200 rows, missed a "Piet Jansen" behind
     *     200 other Jansens and read every partij. */
    "CREATE VIRTUAL TABLE partij_namen USING fts5(naam,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
    "INSERT INTO partij_namen(rowid, naam) SELECT id, trim(coalesce(cn_voornaam, '') || ' ' ||"
    " coalesce(cn_voorvoegsel_achternaam, '') || ' ' || coalesce(cn_achternaam, '') || ' ' ||"
    " coalesce(org_naam, '')) FROM partijen;"
    "CREATE TRIGGER partij_namen_ins AFTER INSERT ON partijen BEGIN"
    " INSERT INTO partij_namen(rowid, naam) VALUES (new.id, trim(coalesce(new.cn_voornaam, '')"
    " || ' ' || coalesce(new.cn_voorvoegsel_achternaam, '') || ' ' ||"
    " coalesce(new.cn_achternaam, '') || ' ' || coalesce(new.org_naam, ''))); END;"
    "CREATE TRIGGER partij_namen_upd AFTER UPDATE OF cn_voornaam, cn_voorvoegsel_achternaam,"
    " cn_achternaam, org_naam ON partijen BEGIN"
    " UPDATE partij_namen SET naam = trim(coalesce(new.cn_voornaam, '') || ' ' ||"
    " coalesce(new.cn_voorvoegsel_achternaam, '') || ' ' || coalesce(new.cn_achternaam, '')"
    " || ' ' || coalesce(new.org_naam, '')) WHERE rowid = new.id; END;"
    "CREATE TRIGGER partij_namen_del AFTER DELETE ON partijen BEGIN"
    " DELETE FROM partij_namen WHERE rowid = old.id; END;",

    /* 13: which relations of a row have rows at all (child_mask, one bit per relation in
     *     CHILD_RELATIONS, kept by the triggers generated from it): a page of klantcontacten
     *     asks only for the relations that have rows instead of one IN (…) query per
     *     relation, most of which find nothing (few contacts have bijlagen or taken). */
    "ALTER TABLE partijen ADD COLUMN child_mask INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE klantcontacten ADD COLUMN child_mask INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE betrokkenen ADD COLUMN child_mask INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE internetaken ADD COLUMN child_mask INTEGER NOT NULL DEFAULT 0;",

    /* 14: purpose binding on every API: the verwerkingsactiviteit an API token is bound to and
     *     the one a web session acts under ('' = the role's default). */
    "ALTER TABLE api_tokens ADD COLUMN verwerkingsactiviteit TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessies ADD COLUMN verwerkingsactiviteit TEXT NOT NULL DEFAULT '';",

    /* 15: the kennisbank's tokenizer now maps verb forms to their infinitive and indexes the
     *     parts of compounds (src/search/lexicon.c): every entry is tokenised again. */
    "INSERT INTO kb_zoekindex(kb_zoekindex) VALUES ('rebuild');",

    /* 16: the werkplek's contact sessions (src/api/werkplek/): one row per contact an employee
     *     handles, with the partijen opened in it (JSON), the active one, the draft (JSON)
     *     and, at wrap-up, for whom it was saved. They belong to the employee: when the last
     *     web session of that user ends (logout, or an idle session cleared), the trigger
     *     removes them, so no draft outlives its employee's session. */
    "CREATE TABLE werkplek_sessies ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, medewerker TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'actief', aanleiding TEXT NOT NULL DEFAULT 'nieuw',"
    " kanaal TEXT NOT NULL DEFAULT '', gesprek TEXT, telefoonnummer TEXT NOT NULL DEFAULT '',"
    " partijen TEXT NOT NULL DEFAULT '[]', actieve_partij TEXT, concept TEXT NOT NULL DEFAULT '{}',"
    " voor TEXT, anoniem INTEGER NOT NULL DEFAULT 0, versie INTEGER NOT NULL DEFAULT 1,"
    " gestart_op INTEGER NOT NULL, gewijzigd_op INTEGER NOT NULL, afgerond_op INTEGER);"
    "CREATE INDEX werkplek_sessies_medewerker ON werkplek_sessies(medewerker, status, id);"
    "CREATE TRIGGER werkplek_sessies_uitgelogd AFTER DELETE ON sessies"
    " WHEN NOT EXISTS (SELECT 1 FROM sessies WHERE gebruikersnaam = old.gebruikersnaam)"
    " BEGIN DELETE FROM werkplek_sessies WHERE medewerker = old.gebruikersnaam; END;",

    /* 17: contactverzoeken: when the resident can be reached (the hand-over's availability),
     *     who took the request in hand and since when, and every contact attempt that did not
     *     reach the resident (the request stays open). */
    "ALTER TABLE kanalen_contactverzoeken ADD COLUMN cg_bereikbaarheid TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE kanalen_contactverzoeken ADD COLUMN in_behandeling_door TEXT;"
    "ALTER TABLE kanalen_contactverzoeken ADD COLUMN in_behandeling_sinds INTEGER;"
    "ALTER TABLE kanalen_contactverzoeken ADD COLUMN laatste_poging_op INTEGER;"
    "CREATE TABLE kanalen_contactpogingen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " contactverzoek TEXT NOT NULL REFERENCES kanalen_contactverzoeken(uuid) ON DELETE CASCADE,"
    " tijdstip INTEGER NOT NULL, kanaal TEXT NOT NULL, toelichting TEXT NOT NULL DEFAULT '',"
    " door TEXT NOT NULL DEFAULT '',"
    " klantcontact TEXT REFERENCES klantcontacten(uuid) ON DELETE SET NULL);"
    "CREATE INDEX kcp_verzoek ON kanalen_contactpogingen(contactverzoek);"
    "CREATE INDEX kcv_afgehandeld ON kanalen_contactverzoeken(status, afgehandeld_op);",

    /* 18: the Logboek on every API. One row per action (a request, or a step of one) with the
     *     persons it concerns packed in one column (type + 16-byte pseudonym each): a list of
     *     20 klantcontacten is one row of 20 records instead of 20 rows with two index
     *     entries each, which cost the read path more than the read. A hash chain over the
     *     rows (hash; the head in dataverwerkingen_keten, so removing the last rows shows),
     *     filled by the writer in commit order. Lookups by person through
     *     dataverwerkingen_betrokkenen: one row per person per group commit, with the ids
     *     it names; by trace id a scan (an index on random ids cost every read more than it
     *     saves an investigator). The rows of schema 10 move over in the data step
     *     (sqlite_ldv.c). Betrokkenen get an index that answers "the partijen of these
     *     klantcontacten" alone. */
    "ALTER TABLE dataverwerkingen RENAME TO dataverwerkingen_14;"
    "DROP INDEX dv_betrokkene;"
    "DROP INDEX dv_trace;"
    "CREATE TABLE dataverwerkingen ("
    " id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, span_id TEXT NOT NULL,"
    " parent_span_id TEXT, naam TEXT NOT NULL, start_ms INTEGER NOT NULL,"
    " eind_ms INTEGER NOT NULL, status TEXT NOT NULL, verwerkingsactiviteit TEXT NOT NULL,"
    " rol TEXT NOT NULL, aanroeper TEXT, bron TEXT, aantal INTEGER NOT NULL,"
    " betrokkenen BLOB NOT NULL, hash BLOB);"
    "CREATE TABLE dataverwerkingen_betrokkenen ("
    " sleutel BLOB NOT NULL, eerste INTEGER NOT NULL, volgende BLOB NOT NULL,"
    " PRIMARY KEY (sleutel, eerste)) WITHOUT ROWID;"
    "CREATE TABLE dataverwerkingen_keten ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), laatste INTEGER NOT NULL, hash BLOB NOT NULL,"
    " verwerkingen INTEGER NOT NULL, records INTEGER NOT NULL);"
    "CREATE INDEX betr_kc_uuid_partij ON betrokkenen(had_klantcontact, id, uuid, was_partij);"
    "DROP INDEX betr_kc_uuid;",

    /* 19: a file of the channels (kanalen_bestanden) is found from its klantinteracties
     * bijlage (bijlageidentificator.objectId = the file's uuid), so reading it logs the
     * partijen of the klantcontact it came with (docs/internals/logboek.md). */
    "CREATE INDEX bijlage_object ON bijlagen(bi_object_id)"
    " WHERE bi_object_id IS NOT NULL;",

    /* 20: the kennisbank's municipality-wide synonym list: groups of equivalent search terms
     *     the redactie keeps (src/api/kennisbank/synoniemen.c). A term (folded, as the search
     *     compares it) is the key of its row, so it is in one group at most and the search
     *     finds the groups of a query's words with one seek per word. */
    "CREATE TABLE kb_synoniemen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, gewijzigd_op INTEGER NOT NULL,"
    " gewijzigd_door TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE kb_synoniem_termen ("
    " term TEXT NOT NULL PRIMARY KEY,"
    " groep INTEGER NOT NULL REFERENCES kb_synoniemen(id) ON DELETE CASCADE,"
    " positie INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX kb_synoniem_termen_groep ON kb_synoniem_termen(groep, positie);",

    /* 21: retention (src/api/avg/bewaren.c): legal holds on a partij or a zaak, and the
     * destruction lists — proposed, judged by a second officer, and after destruction only
     * the verklaring (counts per kind, grounds, dates, names of the officers). */
    "CREATE TABLE bewaarplichten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, soort TEXT NOT NULL,"
    " object_id TEXT NOT NULL, reden TEXT NOT NULL DEFAULT '', aangemaakt_op INTEGER NOT NULL);"
    "CREATE INDEX bewaarplicht_object ON bewaarplichten(soort, object_id);"
    "CREATE TABLE vernietigingslijsten ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, status TEXT NOT NULL,"
    " aangemaakt_op INTEGER NOT NULL, opgesteld_door TEXT NOT NULL, beoordeeld_door TEXT,"
    " uitgevoerd_op INTEGER, items TEXT NOT NULL, verklaring TEXT);",

    /* 22: requests under the AVG (src/api/avg/verzoeken.c) with their statutory term. */
    "CREATE TABLE avg_verzoeken ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, soort TEXT NOT NULL,"
    " bsn TEXT NOT NULL, ontvangen_op INTEGER NOT NULL, termijn INTEGER NOT NULL,"
    " verlengd INTEGER NOT NULL DEFAULT 0, verlenging_reden TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL, besluit TEXT, toelichting TEXT NOT NULL DEFAULT '',"
    " afgehandeld_op INTEGER);"
    "CREATE INDEX avg_verzoek_status ON avg_verzoeken(status, termijn);",

    /* Steering on data (issue 13, docs/internals/sturing.md): the KPI rollups. Triggers queue
     * the key of every changed source row in sturing_wachtrij inside the writing transaction;
     * the catch-up (sqlite_sturing.c) turns each into its fact (sturing_feiten: one row per
     * contact, call, chat and contactverzoek, with the bucket and measures it contributes)
     * and adds the difference to the rollup per local day, kanaal, afdeling and onderwerp
     * (sturing_dag), and the same per month (sturing_maand: long periods read whole
     * months). Rows already there are queued. Also the tariff table for cost per contact
     * (amounts set by the municipality), SMART goals and their PDCA log. */
    "CREATE TABLE sturing_wachtrij (id INTEGER PRIMARY KEY, soort TEXT NOT NULL,"
    " sleutel TEXT NOT NULL);"
    "CREATE TABLE sturing_feiten (soort TEXT NOT NULL, sleutel TEXT NOT NULL,"
    " dag TEXT NOT NULL, kanaal TEXT NOT NULL, afdeling TEXT NOT NULL, onderwerp TEXT NOT NULL,"
    " partij TEXT, tijd INTEGER NOT NULL," STURING_MATEN ","
    " PRIMARY KEY (soort, sleutel)) WITHOUT ROWID;"
    "CREATE INDEX sturing_feiten_herhaal ON sturing_feiten(partij, onderwerp, tijd)"
    " WHERE partij IS NOT NULL;"
    "CREATE INDEX sturing_feiten_dag ON sturing_feiten(soort, dag, tijd);"
    "CREATE TABLE sturing_dag (dag TEXT NOT NULL, kanaal TEXT NOT NULL,"
    " afdeling TEXT NOT NULL, onderwerp TEXT NOT NULL," STURING_MATEN ","
    " PRIMARY KEY (dag, kanaal, afdeling, onderwerp)) WITHOUT ROWID;"
    "CREATE TABLE sturing_maand (maand TEXT NOT NULL, kanaal TEXT NOT NULL,"
    " afdeling TEXT NOT NULL, onderwerp TEXT NOT NULL," STURING_MATEN ","
    " PRIMARY KEY (maand, kanaal, afdeling, onderwerp)) WITHOUT ROWID;"
    "CREATE INDEX kcv_klantcontact ON kanalen_contactverzoeken(klantcontact);"
    "CREATE TABLE sturing_tarieven (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " kanaal TEXT NOT NULL UNIQUE, bedrag_cent INTEGER, bron TEXT NOT NULL DEFAULT '',"
    " gewijzigd_op INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO sturing_tarieven (uuid, kanaal) SELECT lower(hex(randomblob(4))) || '-' ||"
    " lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-a' ||"
    " substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))), k FROM"
    " (SELECT 'balie' AS k UNION ALL SELECT 'telefoon' UNION ALL SELECT 'e-mail' UNION ALL"
    " SELECT 'post' UNION ALL SELECT 'chat' UNION ALL SELECT 'whatsapp' UNION ALL"
    " SELECT 'social media' UNION ALL SELECT 'website');"
    "CREATE TABLE sturing_doelen (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " titel TEXT NOT NULL, eigenaar TEXT NOT NULL, kpi TEXT NOT NULL,"
    " kanaal TEXT NOT NULL DEFAULT '', afdeling TEXT NOT NULL DEFAULT '',"
    " onderwerp TEXT NOT NULL DEFAULT '', niveau TEXT NOT NULL,"
    " hoofddoel TEXT REFERENCES sturing_doelen(uuid) ON DELETE RESTRICT,"
    " nulmeting INTEGER NOT NULL, streefwaarde INTEGER NOT NULL, startdatum TEXT NOT NULL,"
    " deadline TEXT NOT NULL, toelichting TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX sturing_doelen_hoofddoel ON sturing_doelen(hoofddoel);"
    "CREATE TABLE sturing_pdca (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " doel TEXT NOT NULL REFERENCES sturing_doelen(uuid) ON DELETE CASCADE,"
    " fase TEXT NOT NULL, tekst TEXT NOT NULL, door TEXT NOT NULL DEFAULT '',"
    " tijdstip INTEGER NOT NULL);"
    "CREATE INDEX sturing_pdca_doel ON sturing_pdca(doel);"
    STURING_Q("kc_ins", "INSERT", "klantcontacten", "", "'kc', new.uuid")
    STURING_Q("kc_upd", "UPDATE OF kanaal, onderwerp, plaatsgevonden_op,"
              " indicatie_contact_gelukt", "klantcontacten", "", "'kc', new.uuid")
    STURING_Q("kc_del", "DELETE", "klantcontacten", "", "'kc', old.uuid")
    STURING_Q("betr_ins", "INSERT", "betrokkenen", "", "'kc', new.had_klantcontact")
    STURING_Q("betr_upd", "UPDATE OF was_partij, had_klantcontact, initiator", "betrokkenen",
              "", "'kc', new.had_klantcontact UNION ALL SELECT 'kc', old.had_klantcontact")
    STURING_Q("betr_del", "DELETE", "betrokkenen", "", "'kc', old.had_klantcontact")
    STURING_Q("akc_ins", "INSERT", "actorklantcontacten", "", "'kc', new.klantcontact")
    STURING_Q("akc_del", "DELETE", "actorklantcontacten", "", "'kc', old.klantcontact")
    STURING_Q("actor_upd", "UPDATE OF naam, soort_actor", "actoren", "",
              "'kc', klantcontact FROM actorklantcontacten WHERE actor = new.uuid UNION ALL"
              " SELECT 'kc', t.aanleidinggevend_klantcontact FROM internetaak_actoren ta JOIN"
              " internetaken t ON t.uuid = ta.internetaak WHERE ta.actor = new.uuid")
    STURING_Q("it_ins", "INSERT", "internetaken", "", "'kc', new.aanleidinggevend_klantcontact")
    STURING_Q("it_upd", "UPDATE OF aanleidinggevend_klantcontact", "internetaken", "",
              "'kc', new.aanleidinggevend_klantcontact UNION ALL"
              " SELECT 'kc', old.aanleidinggevend_klantcontact")
    STURING_Q("it_del", "DELETE", "internetaken", "", "'kc', old.aanleidinggevend_klantcontact")
    STURING_Q("ita_ins", "INSERT", "internetaak_actoren", "",
              "'kc', aanleidinggevend_klantcontact FROM internetaken WHERE uuid = new.internetaak")
    STURING_Q("ita_del", "DELETE", "internetaak_actoren", "",
              "'kc', aanleidinggevend_klantcontact FROM internetaken WHERE uuid = old.internetaak")
    STURING_Q("cv_ins", "INSERT", "kanalen_contactverzoeken", "",
              "'cv', new.uuid UNION ALL SELECT 'kc', new.klantcontact")
    STURING_Q("cv_upd", "UPDATE", "kanalen_contactverzoeken", "",
              "'cv', new.uuid UNION ALL SELECT 'kc', new.klantcontact UNION ALL"
              " SELECT 'kc', old.klantcontact")
    STURING_Q("cv_del", "DELETE", "kanalen_contactverzoeken", "",
              "'cv', old.uuid UNION ALL SELECT 'kc', old.klantcontact")
    STURING_Q("op_ins", "INSERT", "kanalen_oproepen", "", "'op', new.uuid")
    STURING_Q("op_upd", "UPDATE", "kanalen_oproepen", "", "'op', new.uuid")
    STURING_Q("op_del", "DELETE", "kanalen_oproepen", "", "'op', old.uuid")
    STURING_Q("gs_ins", "INSERT", "kanalen_gesprekken", " WHEN new.kanaal = 'chat'",
              "'gs', new.uuid")
    STURING_Q("gs_upd", "UPDATE", "kanalen_gesprekken",
              " WHEN new.kanaal = 'chat' OR old.kanaal = 'chat'", "'gs', new.uuid")
    STURING_Q("gs_del", "DELETE", "kanalen_gesprekken", " WHEN old.kanaal = 'chat'",
              "'gs', old.uuid")
    STURING_Q("ber_ins", "INSERT", "kanalen_berichten", " WHEN new.richting = 'uit'",
              "'gs', uuid FROM kanalen_gesprekken WHERE uuid = new.gesprek AND kanaal = 'chat'")
    STURING_Q("ber_del", "DELETE", "kanalen_berichten", " WHEN old.richting = 'uit'",
              "'gs', uuid FROM kanalen_gesprekken WHERE uuid = old.gesprek AND kanaal = 'chat'")
    STURING_Q("partij_vk", "UPDATE OF voorkeurs_digitaal_adres", "partijen", "",
              "'kc', had_klantcontact FROM betrokkenen WHERE was_partij = new.uuid")
    STURING_Q("iv_ins", "INSERT", "inwoner_voorkeuren", "", STURING_BSN("new"))
    STURING_Q("iv_upd", "UPDATE OF voorkeurskanaal, bsn", "inwoner_voorkeuren", "",
              STURING_BSN("new") " UNION ALL SELECT " STURING_BSN("old"))
    STURING_Q("iv_del", "DELETE", "inwoner_voorkeuren", "", STURING_BSN("old"))
    STURING_Q("pi_ins", "INSERT", "partij_identificatoren",
              " WHEN new.code_soort_object_id = 'bsn'",
              "'kc', had_klantcontact FROM betrokkenen WHERE was_partij ="
              " new.identificeerde_partij")
    STURING_Q("pi_del", "DELETE", "partij_identificatoren",
              " WHEN old.code_soort_object_id = 'bsn'",
              "'kc', had_klantcontact FROM betrokkenen WHERE was_partij ="
              " old.identificeerde_partij")
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'kc', uuid FROM klantcontacten;"
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'cv', uuid FROM kanalen_contactverzoeken;"
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'op', uuid FROM kanalen_oproepen;"
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'gs', uuid FROM kanalen_gesprekken"
    " WHERE kanaal = 'chat';",

    /* production log-in (issue 22): where a session came from (lokaal, oidc, digid,
     *     eherkenning, ontwikkel), its level of assurance, a company's KvK-nummer and
     *     vestigingsnummer, acting on behalf of someone (machtiging, JSON), the ID token for
     *     logging out at the provider; a local account's TOTP secret (base32), whether it is
     *     confirmed, and the last time step used (a code is never accepted twice). */
    "ALTER TABLE sessies ADD COLUMN bron TEXT NOT NULL DEFAULT 'lokaal';"
    "ALTER TABLE sessies ADD COLUMN niveau TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessies ADD COLUMN kvk TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessies ADD COLUMN vestiging TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessies ADD COLUMN machtiging TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sessies ADD COLUMN id_token TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE gebruikers ADD COLUMN totp_geheim TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE gebruikers ADD COLUMN totp_actief INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE gebruikers ADD COLUMN totp_laatste_stap INTEGER NOT NULL DEFAULT 0;",
    /* Retention of the Logboek and the search log (issue 18, docs/internals/logboek.md
     * "Pruning"): the Logboek's pruning point — the last row removed after its term and that
     * row's hash, from which the chain verifies — and an index to find the kennisbank's old
     * searches. */
    "CREATE TABLE dataverwerkingen_snoeipunt ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), tot INTEGER NOT NULL, hash BLOB NOT NULL,"
    " verwerkingen INTEGER NOT NULL, records INTEGER NOT NULL, op INTEGER NOT NULL);"
    "CREATE INDEX kbz_tijdstip ON kb_zoekvragen(tijdstip);"
    /* A list the schedule proposed is judged by two officers: the first one's name. */
    "ALTER TABLE vernietigingslijsten ADD COLUMN voorbeoordeeld_door TEXT;"
    /* What was carried out for an AVG request (an erasure: per kind how many, what stayed). */
    "ALTER TABLE avg_verzoeken ADD COLUMN uitvoering TEXT;",
    /* Steering, part 2 (issue 13, docs/internals/sturing.md): web transactions reported by
     * the website's e-services (self-service share), balie waits from the check-ins, and the
     * channel mix per klantgroep (the partij's soort). Four measures more in the facts and
     * rollups, the fact's klantgroep, and a rollup of contacts per (dag, kanaal, klantgroep,
     * onderwerp) and the same per month; the desired mix per klantgroep (the index on the
     * kennisbank's searches by time that the trend monitor's rising searches use comes with the
     * retention migration before this one). The contacts are queued again (their klantgroep), the
     * check-ins for the first time. */
    "ALTER TABLE sturing_feiten ADD COLUMN klantgroep TEXT NOT NULL DEFAULT '';"
    STURING_MATEN2("sturing_feiten") STURING_MATEN2("sturing_dag")
    STURING_MATEN2("sturing_maand")
    "CREATE TABLE sturing_mix (dag TEXT NOT NULL, kanaal TEXT NOT NULL,"
    " klantgroep TEXT NOT NULL, onderwerp TEXT NOT NULL, contacten INTEGER NOT NULL,"
    " PRIMARY KEY (dag, kanaal, klantgroep, onderwerp)) WITHOUT ROWID;"
    "CREATE TABLE sturing_mix_maand (maand TEXT NOT NULL, kanaal TEXT NOT NULL,"
    " klantgroep TEXT NOT NULL, onderwerp TEXT NOT NULL, contacten INTEGER NOT NULL,"
    " PRIMARY KEY (maand, kanaal, klantgroep, onderwerp)) WITHOUT ROWID;"
    "CREATE TABLE sturing_mixdoelen (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " klantgroep TEXT NOT NULL, kanaal TEXT NOT NULL, gewenst_aandeel INTEGER NOT NULL,"
    " koers TEXT NOT NULL, toelichting TEXT NOT NULL DEFAULT '', UNIQUE (klantgroep, kanaal));"
    "CREATE TABLE sturing_webtransacties (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " dag TEXT NOT NULL, product TEXT NOT NULL, aantal INTEGER NOT NULL,"
    " bron TEXT NOT NULL DEFAULT '', UNIQUE (dag, product, bron));"
    STURING_Q("wt_ins", "INSERT", "sturing_webtransacties", "", "'wt', new.uuid")
    STURING_Q("wt_upd", "UPDATE", "sturing_webtransacties", "", "'wt', new.uuid")
    STURING_Q("wt_del", "DELETE", "sturing_webtransacties", "", "'wt', old.uuid")
    STURING_Q("bl_ins", "INSERT", "kanalen_balie", "", "'bl', new.uuid")
    STURING_Q("bl_upd", "UPDATE OF aangemeld_op, opgeroepen_op, wachtrij, reden",
              "kanalen_balie", "", "'bl', new.uuid")
    STURING_Q("bl_del", "DELETE", "kanalen_balie", "", "'bl', old.uuid")
    STURING_Q("partij_soort", "UPDATE OF soort_partij", "partijen", "",
              "'kc', had_klantcontact FROM betrokkenen WHERE was_partij = new.uuid")
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'kc', uuid FROM klantcontacten;"
    "INSERT INTO sturing_wachtrij (soort, sleutel) SELECT 'bl', uuid FROM kanalen_balie;",
    /* The werkplek's chats (issue 17): an employee's first name, the only name a resident
     * is shown (gebruikers.voornaam; '' shows "Een medewerker", never the login name); the
     * one a chat announced when it was taken (kanalen_gesprekken.medewerker_voornaam); and
     * per chat contact the employee's last-read mark (werkplek_sessies.chat_gelezen_tot, the
     * time of the newest message read), so unread marks survive a reload. */
    "ALTER TABLE gebruikers ADD COLUMN voornaam TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE kanalen_gesprekken ADD COLUMN medewerker_voornaam TEXT;"
    "ALTER TABLE werkplek_sessies ADD COLUMN chat_gelezen_tot INTEGER;",
    /* The werkvoorraad (issue 21, docs/internals/werkvoorraad.md): one row per inbound item
     * that needs an answer (a conversation, a contactverzoek, a letter), with its team from
     * the routing rules, its service-norm deadline and the one claim on it; internal notes
     * per item; the routing rules and the employees' teams, skills and availability; the
     * WhatsApp message templates (only an approved one may be sent outside the 24-hour
     * window). The open conversations and contactverzoeken already there become items
     * (a conversation's deadline: its service norm counted from its latest message by the
     * server when it next changes; here the date of that message, so it sorts first). */
    "CREATE TABLE kanalen_werkvoorraad ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, soort TEXT NOT NULL,"
    " bron TEXT NOT NULL, kanaal TEXT NOT NULL, onderwerp TEXT NOT NULL DEFAULT '',"
    " partij TEXT REFERENCES partijen(uuid) ON DELETE SET NULL,"
    " naam TEXT NOT NULL DEFAULT '', adres TEXT NOT NULL DEFAULT '',"
    " product TEXT NOT NULL DEFAULT '', taal TEXT NOT NULL DEFAULT 'nld',"
    " team TEXT NOT NULL DEFAULT '', vaardigheid TEXT NOT NULL DEFAULT '', regel TEXT,"
    " status TEXT NOT NULL, wacht_sinds INTEGER NOT NULL, deadline TEXT NOT NULL,"
    " werkdagen INTEGER NOT NULL DEFAULT 0, geclaimd_door TEXT, geclaimd_sinds INTEGER,"
    " geclaimd_activiteit INTEGER, geclaimd_automatisch INTEGER,"
    " laatste_tekst TEXT NOT NULL DEFAULT '', laatste_richting TEXT NOT NULL DEFAULT '',"
    " laatste_op INTEGER, laatste_inkomend_op INTEGER, resultaat TEXT,"
    " afgehandeld_op INTEGER, afgehandeld_door TEXT, aangemaakt_op INTEGER NOT NULL,"
    " gewijzigd_op INTEGER NOT NULL DEFAULT 0, sorteer TEXT NOT NULL, UNIQUE (soort, bron));"
    "CREATE INDEX kwv_gewijzigd ON kanalen_werkvoorraad(gewijzigd_op);"
    "CREATE INDEX kwv_open ON kanalen_werkvoorraad(status, sorteer);"
    "CREATE INDEX kwv_geclaimd ON kanalen_werkvoorraad(geclaimd_door, status);"
    "CREATE INDEX kwv_team ON kanalen_werkvoorraad(team, status, sorteer);"
    "CREATE TABLE kanalen_werkvoorraad_notities ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " item TEXT NOT NULL REFERENCES kanalen_werkvoorraad(uuid) ON DELETE CASCADE,"
    " tekst TEXT NOT NULL, door TEXT NOT NULL DEFAULT '', tijdstip INTEGER NOT NULL);"
    "CREATE INDEX kwvn_item ON kanalen_werkvoorraad_notities(item);"
    "CREATE TABLE kanalen_routeringsregels ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL,"
    " volgorde INTEGER NOT NULL DEFAULT 100, kanaal TEXT NOT NULL DEFAULT '',"
    " product TEXT NOT NULL DEFAULT '', onderwerp_bevat TEXT NOT NULL DEFAULT '',"
    " taal TEXT NOT NULL DEFAULT '', team TEXT NOT NULL, vaardigheid TEXT NOT NULL DEFAULT '',"
    " automatisch INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE kanalen_medewerkers ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL UNIQUE,"
    " teams TEXT NOT NULL DEFAULT '[]', vaardigheden TEXT NOT NULL DEFAULT '[]',"
    " talen TEXT NOT NULL DEFAULT '[]', beschikbaar INTEGER NOT NULL DEFAULT 1,"
    " max_items INTEGER NOT NULL DEFAULT 10);"
    "CREATE TABLE kanalen_whatsapp_sjablonen ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, naam TEXT NOT NULL UNIQUE,"
    " taal TEXT NOT NULL DEFAULT 'nl', categorie TEXT NOT NULL DEFAULT 'utility',"
    " tekst TEXT NOT NULL, goedgekeurd INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO kanalen_werkvoorraad (uuid, soort, bron, kanaal, onderwerp, partij, naam,"
    " adres, product, status, wacht_sinds, deadline, werkdagen, team, geclaimd_door,"
    " geclaimd_sinds, geclaimd_activiteit, geclaimd_automatisch, laatste_tekst,"
    " laatste_richting, laatste_op, laatste_inkomend_op, aangemaakt_op, sorteer)"
    " SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-a'||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), 'contactverzoek', uuid, kanaal, onderwerp, partij, cg_naam,"
    " CASE WHEN cg_telefoonnummer <> '' THEN cg_telefoonnummer ELSE cg_email END, product,"
    " CASE WHEN in_behandeling_door IS NULL THEN 'nieuw' ELSE 'in_behandeling' END,"
    " ontvangen_op, deadline, werkdagen, CASE WHEN ta_soort = 'medewerker' THEN '' ELSE ta_naam END,"
    " in_behandeling_door, in_behandeling_sinds, in_behandeling_sinds, 0, toelichting, 'in',"
    " ontvangen_op, ontvangen_op, ontvangen_op, deadline || '|' || printf('%020d', ontvangen_op)"
    " FROM kanalen_contactverzoeken WHERE status = 'open';"
    "INSERT INTO kanalen_werkvoorraad (uuid, soort, bron, kanaal, onderwerp, partij, naam,"
    " adres, status, wacht_sinds, deadline, geclaimd_door, geclaimd_sinds, geclaimd_activiteit,"
    " geclaimd_automatisch, laatste_op, laatste_inkomend_op, aangemaakt_op, sorteer)"
    " SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-a'||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), 'gesprek', uuid, kanaal, onderwerp, partij, naam, adres,"
    " CASE WHEN medewerker = '' THEN 'nieuw' ELSE 'in_behandeling' END, laatste_bericht_op,"
    " date(laatste_bericht_op / 1000000, 'unixepoch'), NULLIF(medewerker, ''),"
    " CASE WHEN medewerker = '' THEN NULL ELSE laatste_bericht_op END,"
    " CASE WHEN medewerker = '' THEN NULL ELSE laatste_bericht_op END, 0, laatste_bericht_op,"
    " laatste_bericht_op, aangemaakt_op,"
    " date(laatste_bericht_op / 1000000, 'unixepoch') || '|' || printf('%020d', laatste_bericht_op)"
    " FROM kanalen_gesprekken WHERE status = 'open';",
    /* The kennisbank's tokenizer keeps a compound's parts apart from whole words (part
     *     forms "#vergunning" in "parkeervergunning"), so a search asks for them only when the
     *     words find little, and ranks them lower: every entry is tokenised again. */
    "INSERT INTO kb_zoekindex(kb_zoekindex) VALUES ('rebuild');",
};

/* The relations tracked in their parent's child_mask: bit `bit` of a parent row is set exactly
 * when some row of `child` has the parent's uuid in `column`. Append-only, like the
 * migrations: `since` is the migration that creates the entry's triggers and fills its bit. */
typedef struct child_relation {
    const char *parent, *child, *column;
    int bit, since;
} child_relation;

static const child_relation CHILD_RELATIONS[] = {
    {"partijen", "betrokkenen", "was_partij", 0, 13},
    {"partijen", "digitale_adressen", "verstrekt_door_partij", 1, 13},
    {"partijen", "vertegenwoordigingen", "vertegenwoordigende_partij", 2, 13},
    {"partijen", "rekeningnummers", "partij", 3, 13},
    {"partijen", "partij_identificatoren", "identificeerde_partij", 4, 13},
    {"klantcontacten", "onderwerpobjecten", "klantcontact", 0, 13},
    {"klantcontacten", "actorklantcontacten", "klantcontact", 1, 13},
    {"klantcontacten", "bijlagen", "was_bijlage_van_klantcontact", 2, 13},
    {"klantcontacten", "betrokkenen", "had_klantcontact", 3, 13},
    {"klantcontacten", "internetaken", "aanleidinggevend_klantcontact", 4, 13},
    {"betrokkenen", "digitale_adressen", "verstrekt_door_betrokkene", 0, 13},
    {"internetaken", "internetaak_actoren", "internetaak", 0, 13},
};
#define NRELATIONS (sizeof CHILD_RELATIONS / sizeof CHILD_RELATIONS[0])

/* The triggers that keep relation e's bit, and the bit filled for the rows already there.
 * Setting only touches a parent whose bit is clear; clearing checks for a remaining child
 * through the child's index on `column`. */
static void child_relation_sql(omk_buf *b, const child_relation *e)
{
    const char *P = e->parent, *C = e->child, *K = e->column;
    long long m = 1LL << e->bit;
    char set_new[512], clear_old[512];
    snprintf(set_new, sizeof set_new,
             "UPDATE %s SET child_mask = child_mask | %lld WHERE uuid = new.%s"
             " AND child_mask & %lld = 0;",
             P, m, K, m);
    snprintf(clear_old, sizeof clear_old,
             "UPDATE %s SET child_mask = child_mask & ~%lld WHERE uuid = old.%s"
             " AND NOT EXISTS (SELECT 1 FROM %s WHERE %s = old.%s);",
             P, m, K, C, K, K);
    omk_buf_printf(b, "UPDATE %s SET child_mask = child_mask | %lld WHERE EXISTS"
                      " (SELECT 1 FROM %s c WHERE c.%s = %s.uuid);", P, m, C, K, P);
    omk_buf_printf(b, "CREATE TRIGGER %s_%s_mask_ins AFTER INSERT ON %s"
                      " WHEN new.%s IS NOT NULL BEGIN %s END;", C, K, C, K, set_new);
    omk_buf_printf(b, "CREATE TRIGGER %s_%s_mask_del AFTER DELETE ON %s"
                      " WHEN old.%s IS NOT NULL BEGIN %s END;", C, K, C, K, clear_old);
    omk_buf_printf(b, "CREATE TRIGGER %s_%s_mask_upd AFTER UPDATE OF %s ON %s"
                      " WHEN old.%s IS NOT new.%s BEGIN %s %s END;", C, K, K, C, K, K,
                   set_new, clear_old);
}

int omk__sqlite_schema_latest(void)
{
    return (int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]);
}

omk_rc omk__sqlite_migration(int to_version, omk_buf *out)
{
    if (to_version < 1 || to_version > omk__sqlite_schema_latest())
        return OMK_INVALID;
    omk_buf_puts(out, MIGRATIONS[to_version - 1]);
    for (size_t i = 0; i < NRELATIONS; i++)
        if (CHILD_RELATIONS[i].since == to_version)
            child_relation_sql(out, &CHILD_RELATIONS[i]);
    return out->rc;
}

int omk__sqlite_child_bit(const char *parent, const char *child, const char *column)
{
    for (size_t i = 0; i < NRELATIONS; i++) {
        const child_relation *e = &CHILD_RELATIONS[i];
        if (strcmp(e->parent, parent) == 0 && strcmp(e->child, child) == 0 &&
            strcmp(e->column, column) == 0)
            return e->bit;
    }
    return -1;
}

bool omk__sqlite_has_child_mask(const char *table)
{
    for (size_t i = 0; i < NRELATIONS; i++)
        if (strcmp(CHILD_RELATIONS[i].parent, table) == 0)
            return true;
    return false;
}

bool omk__sqlite_child_relation(size_t i, const char **parent, const char **child,
                                const char **column, int *bit)
{
    if (i >= NRELATIONS)
        return false;
    *parent = CHILD_RELATIONS[i].parent;
    *child = CHILD_RELATIONS[i].child;
    *column = CHILD_RELATIONS[i].column;
    *bit = CHILD_RELATIONS[i].bit;
    return true;
}
