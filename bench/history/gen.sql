-- Fills a migrated Omnikanaal database with :partijen partijen and :contacts klantcontacten,
-- one betrokkene each (spread evenly over the partijen), in the server's column formats.
-- Parameters come from the temp table `p` created by bench/history/run.
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
CREATE TEMP TABLE ids(n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n + 1 < (SELECT contacts FROM p))
INSERT INTO ids SELECT n FROM c;
INSERT INTO partijen (uuid, soort_partij, indicatie_actief, indicatie_geheimhouding, cn_voornaam, cn_achternaam)
SELECT printf('%08x-0000-4000-8000-%012x', n, n), 'persoon', 1, 0, 'Inwoner', 'Nummer ' || n
FROM ids WHERE n < (SELECT partijen FROM p);
INSERT INTO klantcontacten (uuid, kanaal, onderwerp, inhoud, reactie, indicatie_contact_gelukt,
  hoofd_onderwerp_type, verdere_actie_ondernomen, taal, vertrouwelijk, plaatsgevonden_op, metadata)
SELECT printf('%08x-0000-4000-9000-%012x', n, n),
  CASE n % 5 WHEN 0 THEN 'telefoon' WHEN 1 THEN 'balie' WHEN 2 THEN 'e-mail' WHEN 3 THEN 'chat' ELSE 'website' END,
  'Onderwerp ' || (n % 50), 'Vraag van de inwoner', '', 1, '', 0, 'nld', 0,
  1735689600000000 + n * 31536000000000 / (SELECT contacts FROM p), '{}'
FROM ids;
INSERT INTO betrokkenen (uuid, was_partij, had_klantcontact, rol, organisatienaam, initiator)
SELECT printf('%08x-0000-4000-a000-%012x', n, n),
  printf('%08x-0000-4000-8000-%012x', n % (SELECT partijen FROM p), n % (SELECT partijen FROM p)),
  printf('%08x-0000-4000-9000-%012x', n, n), 'klant', '', 1
FROM ids;
INSERT INTO onderwerpobjecten (uuid, klantcontact, oi_object_id, oi_code_objecttype, oi_code_register, oi_code_soort_object_id)
SELECT printf('%08x-0000-4000-b000-%012x', n, n), printf('%08x-0000-4000-9000-%012x', n, n),
  printf('zaak-%d', n), 'zgw-Zaak', 'openzaak', 'uuid'
FROM ids WHERE n % 10 = 0;
COMMIT;
ANALYZE;
