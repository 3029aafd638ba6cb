// Validates JSON against a schema of the official Haal Centraal BRP Personen OpenAPI file
// (OAS 3.1, JSON Schema 2020-12), so the BRP fixtures the tests serve cannot drift from it.
// Prism cannot serve this spec (DESIGN.md §7), and plain JSON Schema ignores OpenAPI's
// `discriminator`: where a property refers to an abstract schema (AbstractDatum,
// AbstractVerblijfplaats, …), the reference is widened here to "the abstract schema AND, when
// `type` is X, the schema the discriminator maps X to" — so a `Datum` is checked as a
// VolledigeDatum and an unknown `type` fails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
export const BRP_SPEC = join(here, '..', '..', '..', '..', 'shared', 'spec',
  'haalcentraal-brp-personen-bevragen-2.7.0.openapi.json');

function discriminated(schemas) {
  const out = new Map();
  for (const [name, s] of Object.entries(schemas)) {
    if (s.discriminator?.mapping) out.set(`#/components/schemas/${name}`, s.discriminator);
  }
  return out;
}

// Rewrites every $ref to a discriminated schema, except those inside an allOf (which is how
// the concrete schemas extend the abstract one), into the checked form described above.
function widen(node, abstract, inAllOf = false) {
  if (Array.isArray(node)) return node.map((n) => widen(n, abstract, inAllOf));
  if (!node || typeof node !== 'object') return node;
  const copy = {};
  for (const [k, v] of Object.entries(node)) copy[k] = widen(v, abstract, k === 'allOf');
  if (!inAllOf && typeof node.$ref === 'string' && abstract.has(node.$ref)) {
    const d = abstract.get(node.$ref);
    const values = Object.keys(d.mapping);
    return {
      allOf: [
        { $ref: node.$ref },
        { properties: { [d.propertyName]: { enum: values } }, required: [d.propertyName] },
        ...values.map((v) => ({
          if: { properties: { [d.propertyName]: { const: v } } },
          then: { $ref: d.mapping[v] },
        })),
      ],
    };
  }
  return copy;
}

let cached;
export function brpValidator(schemaName) {
  if (!cached) {
    const spec = JSON.parse(readFileSync(BRP_SPEC, 'utf8'));
    const abstract = discriminated(spec.components.schemas);
    const root = { $id: 'brp', components: { schemas: {} } };
    for (const [name, s] of Object.entries(spec.components.schemas)) {
      const { discriminator, ...rest } = s; // the keyword itself means nothing to Ajv
      root.components.schemas[name] = widen(rest, abstract);
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    ajv.addSchema(root);
    cached = ajv;
  }
  const validate = cached.getSchema(`brp#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`no schema ${schemaName} in the BRP spec`);
  return validate;
}
