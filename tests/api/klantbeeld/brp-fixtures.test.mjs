// The BRP test persons the klantbeeld tests serve must be exactly what the official Haal
// Centraal BRP Personen 2.7.0 spec allows (DESIGN.md §7: Prism cannot serve that spec, so the
// fixtures are checked here instead, discriminators included).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brpValidator } from '../lib/brp-spec.mjs';
import { BRP_PERSONEN } from '../lib/sources.mjs';

describe('BRP fixtures against the official spec', () => {
  const validate = brpValidator('RaadpleegMetBurgerservicenummerResponse');

  for (const p of BRP_PERSONEN) {
    it(`${p.burgerservicenummer} (${p.naam.volledigeNaam}) is a valid Persoon answer`, () => {
      const ok = validate({ type: 'RaadpleegMetBurgerservicenummer', personen: [p] });
      assert.ok(ok, JSON.stringify(validate.errors, null, 1));
    });
  }

  it('the check can fail: a Datum without its date, an unknown type, a bad postcode', () => {
    const base = structuredClone(BRP_PERSONEN[0]);
    const broken = [
      (p) => { delete p.geboorte.datum.datum; },
      (p) => { p.geboorte.datum.type = 'Ongeveer'; },
      (p) => { p.verblijfplaats.verblijfadres.postcode = '0123 A'; },
      (p) => { p.burgerservicenummer = '12345'; },
      (p) => { p.verblijfplaats.type = 'Woonboot'; },
    ];
    for (const breakIt of broken) {
      const p = structuredClone(base);
      breakIt(p);
      assert.equal(validate({ type: 'RaadpleegMetBurgerservicenummer', personen: [p] }), false,
        `accepted: ${breakIt.toString()}`);
    }
  });
});
