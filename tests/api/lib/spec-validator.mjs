// Spec conformance of every response the API tests receive (issue 3, "must show" 2; issue 14).
//
// Every API has its document; APIS maps a base path to it. Klantinteracties is held to the
// official file (below); every other API to our own document in src/api/<api>/openapi*.json,
// the same file the server embeds and serves. For our documents: a response to an operation the
// document lacks fails, a 2xx/3xx status the operation does not declare fails, a JSON body is
// validated against the declared schema (read mode), another media type must be declared, and an
// error response (4xx/5xx) must be problem+json matching the operation's declared schema for
// that status, else the document's shared Problem schema. 404/405 to a path or method that no
// operation has are the router's answers and are only held to the problem shape.
//
// Each response under /klantinteracties/api/v1 is checked against the official OpenAPI file
// (shared/spec/klantinteracties-openapi.yaml) by a third-party validator, openapi-enforcer
// (pinned in tests/package.json): it finds the operation by method and path, and validates the
// 2xx body against that operation's response schema in read mode (dates and date-times checked as
// strings, see stringDates), honouring `discriminator.mapping` (Partij and Actor are oneOf unions whose variants
// overlap, so a plain JSON-Schema oneOf would reject every valid partij).
//
// The spec declares no 4xx/5xx responses, so error responses are not fed to the schema validator;
// they are checked separately for the problem+json shape of behaviour §2.
//
// One documented relaxation (BLANK_AS_ABSENT): a *non-required* string property whose schema has
// a `pattern`, a `minLength` or format uri/email also accepts "". The reference implementation
// (Django Char/URL/EmailFields with blank=True; validators do not run on blank values) returns ""
// for unset fields such as bezoekadres.nummeraanduidingId/postcode/land, klantcontact.
// hoofdOnderwerpType, actorIdentificatie.emailadres and digitaalAdres.referentie (behaviour §4:
// `referentie … or ""`; Open Klant's own test fixtures show `"nummeraanduidingId": ""`), while
// drf-spectacular emits the pattern regardless. Every patched schema location is listed in
// `validator.blankPatched` and pinned by spec-validator.test.mjs. OMK_SPEC_STRICT=1 turns the
// relaxation off (to survey where the server, like the reference, answers "" for such fields).
//
// A second one (NULL_WHEN_NOT_SENT): POST /maak-klantcontact answers the parts that were not sent,
// `betrokkene` and `onderwerpobject`, as null, as the reference does (its serializer hands back
// None for them; issue 14), while the spec types them as objects. Exactly these two locations
// become nullable; OMK_SPEC_STRICT=1 turns this off too.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export const SPEC_PATH = process.env.OMK_SPEC_FILE
  || resolve(HERE, '../../../../shared/spec/klantinteracties-openapi.yaml');
export const API_BASE_PATH = '/klantinteracties/api/v1';
export const API_VERSION = '0.9.0';
const SRC = resolve(HERE, '../../../src/api');
/** Base path → our own OpenAPI document (its info.version is what API-version must say). */
export const APIS = [
  { base: '/kanalen/api/v1', file: resolve(SRC, 'kanalen/openapi.json') },
  { base: '/klantbeeld/api/v1', file: resolve(SRC, 'klantbeeld/openapi.json') },
  { base: '/kennisbank/api/v1', file: resolve(SRC, 'kennisbank/openapi.json') },
  { base: '/mijn/api/v1', file: resolve(SRC, 'mijn/openapi.json') },
  { base: '/werkplek/api/v1', file: resolve(SRC, 'werkplek/openapi.json') },
  { base: '/auth/api/v1', file: resolve(SRC, 'engine/openapi-auth.json') },
  { base: '/avg/api/v1', file: resolve(SRC, 'avg/openapi.json') },
  { base: '/sturing/api/v1', file: resolve(SRC, 'sturing/openapi.json') },
];
// Paths under the API base that are not operations of the spec but are served on purpose.
const NON_SPEC_OK = new Set(['/openapi.json', '/openapi.yaml']);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

function loadDeps() {
  try {
    return { Enforcer: require('openapi-enforcer'), yaml: require('js-yaml') };
  } catch (e) {
    throw new Error(`the spec validator needs the npm packages of tests/package.json `
      + `(openapi-enforcer, js-yaml): run scripts/bootstrap (or: cd tests && npm ci). ${e.message}`);
  }
}

// String formats the spec uses that openapi-enforcer does not know: validate them too.
function defineFormats(Enforcer) {
  const def = (format, ok, what) => {
    try {
      Enforcer.v3_0.Schema.defineDataTypeFormat('string', format, {
        constructors: [],
        deserialize: ({ value }) => value,
        serialize: ({ value }) => value,
        validate: ({ exception, value }) => {
          if (typeof value !== 'string' || !ok(value)) {
            exception.message(`Expected ${what}. Received: ${JSON.stringify(value)}`);
          }
        },
      });
    } catch (e) {
      if (!/already defined/.test(e.message)) throw e;
    }
  };
  const isUri = (v) => { try { return Boolean(new URL(v).protocol); } catch { return false; } };
  const isEmail = (v) => EMAIL_RE.test(v);
  const isDate = (v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  };
  const isDateTime = (v) => {
    const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i.exec(v);
    return Boolean(m) && isDate(m[1]);
  };
  def('uuid', (v) => UUID_RE.test(v), 'a uuid');
  def('uri', isUri, 'an absolute URI');
  def('email', isEmail, 'an e-mail address');
  // BLANK_AS_ABSENT variants (see the file comment), used only by patchBlankAsAbsent.
  // date and date-time are checked as the JSON strings they are (see stringDates).
  def('json-date', isDate, 'a date (YYYY-MM-DD)');
  def('json-date-time', isDateTime, 'an RFC 3339 date-time');
  def('uri-or-blank', (v) => v === '' || isUri(v), 'an absolute URI or ""');
  def('email-or-blank', (v) => v === '' || isEmail(v), 'an e-mail address or ""');
}

/**
 * openapi-enforcer turns date/date-time strings into Date objects before validating, but its
 * deserialiser follows only the first branch of an allOf whose first branch is not a plain object
 * (ExpandPartij = allOf[Partij (a oneOf), {_expand}]), so dates inside such an `_expand` would be
 * left as strings and then rejected as "not a valid date object". Validating them as strings with
 * formats of our own (json-date, json-date-time: the same RFC 3339 rules) avoids that enforcer bug
 * without loosening anything. Returns how many schema locations were renamed.
 */
export function stringDates(def) {
  let n = 0;
  const seen = new Set();
  const walk = (node) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (node.type === 'string' && (node.format === 'date' || node.format === 'date-time')) {
      node.format = `json-${node.format}`;
      n += 1;
    }
    for (const v of Object.values(node)) walk(v);
  };
  walk(def.components);
  walk(def.paths);
  return n;
}

export const NULL_WHEN_NOT_SENT = [
  'MaakKlantcontact/properties/betrokkene',
  'MaakKlantcontact/properties/onderwerpobject',
];

/** Applies NULL_WHEN_NOT_SENT (see the file comment) in place; returns the patched locations. */
export function patchNullWhenNotSent(def) {
  for (const where of NULL_WHEN_NOT_SENT) {
    const [schema, , prop] = where.split('/');
    const props = def.components.schemas[schema].properties;
    props[prop] = { allOf: [props[prop]], nullable: true };
  }
  return [...NULL_WHEN_NOT_SENT];
}

/** Applies BLANK_AS_ABSENT (see the file comment) in place; returns the patched locations. */
export function patchBlankAsAbsent(def) {
  const patched = [];
  const seen = new Set();
  const walk = (node, where) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${where}/${i}`)); return; }
    if (node.properties && typeof node.properties === 'object') {
      const required = new Set(Array.isArray(node.required) ? node.required : []);
      for (const [name, p] of Object.entries(node.properties)) {
        // null is the "absent" of a nullable field, and read-only values are generated: neither is blank.
        if (!p || p.type !== 'string' || required.has(name) || p.nullable || p.readOnly) continue;
        if (p.format === 'uri' || p.format === 'email') {
          p.format = `${p.format}-or-blank`;
          patched.push(`${where}/properties/${name}`);
        }
        const min = p.minLength || 0;
        if (!p.pattern && min === 0) continue;
        let inner = p.pattern ? `(?:${p.pattern})` : '[\\s\\S]*$';
        if (min > 0) inner = `(?=[\\s\\S]{${min},}$)${inner}`;
        p.pattern = `^$|^${inner}`;
        delete p.minLength;
        if (patched[patched.length - 1] !== `${where}/properties/${name}`) patched.push(`${where}/properties/${name}`);
      }
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
  };
  // Patched* schemas are PATCH request bodies only; responses never use them.
  for (const [name, schema] of Object.entries((def.components && def.components.schemas) || {})) {
    if (!name.startsWith('Patched')) walk(schema, `#/components/schemas/${name}`);
  }
  return patched.sort();
}

let loading = null;

/** Loads (once per process) and returns the validator. */
export function specValidator() {
  if (!loading) loading = build();
  return loading;
}

async function build() {
  const { Enforcer, yaml } = loadDeps();
  defineFormats(Enforcer);
  const def = yaml.load(readFileSync(SPEC_PATH, 'utf8'));
  const stringDateFields = stringDates(def);
  const blankPatched = process.env.OMK_SPEC_STRICT === '1' ? [] : patchBlankAsAbsent(def);
  const nullPatched = process.env.OMK_SPEC_STRICT === '1' ? [] : patchNullWhenNotSent(def);
  const openapi = await Enforcer(def, {
    hideWarnings: true,
    // WSCH001 is only "non-standard format" (uuid/uri/email), which are defined above.
    componentOptions: { exceptionSkipCodes: ['WSCH001'] },
  });
  // Our documents are loaded on first use (ready), so a test file that talks only to
  // Klantinteracties does not pay for them.
  const ours = APIS.map((api) => ({ ...api, version: null, openapi: null, loading: null }));
  const load = (api) => {
    if (!api.loading) {
      api.loading = (async () => {
        const doc = JSON.parse(readFileSync(api.file, 'utf8'));
        stringDates(doc);
        const options = { hideWarnings: true, componentOptions: { exceptionSkipCodes: ['WSCH001'] } };
        try {
          api.openapi = await Enforcer(doc, options);
        } catch (e) {
          // A survey (OMK_SPEC_MODE=report) goes on with an empty document; a real run fails here.
          if (process.env.OMK_SPEC_MODE !== 'report') throw new Error(`${api.file}: ${e.message}`);
          api.openapi = await Enforcer({ openapi: '3.0.3', info: doc.info, paths: {} }, options);
        }
        api.version = doc.info.version;
      })();
    }
    return api.loading;
  };
  const ourOf = (url) => {
    const u = new URL(url, 'http://h');
    return ours.find((a) => u.pathname === a.base || u.pathname.startsWith(a.base + '/')) || null;
  };
  const loaded = (api) => {
    if (!api.openapi) throw new Error(`the document of ${api.base} is not loaded: await validator.ready(url) first`);
    return api;
  };
  return {
    blankPatched,
    nullPatched,
    stringDateFields,
    openapi,
    apis: ours,
    /** Loads the document of the API that `url` (absolute, or a base path) belongs to, if any. */
    async ready(url) {
      const api = ourOf(url);
      if (api) await load(api);
    },
    /** Loads every document. */
    async readyAll() { await Promise.all(ours.map(load)); },
    /**
     * Checks one exchange. `method` (string), `url` (absolute), `status` (number), `headers`
     * (fetch Headers or a plain object with lower-case keys), `text` (body text).
     * Returns a list of violation strings (empty when it conforms or is out of scope).
     */
    check(ex) {
      const api = ourOf(ex.url);
      return api ? checkOurs(loaded(api), ex) : checkExchange(openapi, ex);
    },
    /** operationId of method + absolute url under the API base, or null (for coverage reports). */
    operationOf(method, url) {
      const u = new URL(url);
      const api = ourOf(url);
      if (api) {
        if (!api.openapi) return null;
        const [m] = api.openapi.path(method.toUpperCase(), u.pathname.slice(api.base.length) || '/');
        return m ? `${api.base} ${m.operation.operationId}` : null;
      }
      if (!u.pathname.startsWith(API_BASE_PATH + '/')) return null;
      const [match] = openapi.path(method.toUpperCase(), u.pathname.slice(API_BASE_PATH.length));
      return match ? match.operation.operationId : null;
    },
    /** Validates `body` as the `status` response of method+path (path below the API base). */
    checkBody(method, path, status, body, headers) {
      return checkExchange(openapi, { method, url: `http://h${API_BASE_PATH}${path}`, status,
        headers: { 'content-type': 'application/json', 'api-version': API_VERSION, ...(headers || {}) },
        text: body === undefined ? '' : JSON.stringify(body) });
    },
    /** Like checkBody, for one of our APIS (`base`, e.g. '/mijn/api/v1'). */
    checkOurBody(base, method, path, status, body, headers) {
      const api = ours.find((a) => a.base === base);
      if (!api) throw new Error(`no document for ${base}`);
      loaded(api);
      const ct = status >= 400 ? 'application/problem+json' : 'application/json';
      return checkOurs(api, { method, url: `http://h${base}${path}`, status,
        headers: { 'content-type': ct, 'api-version': api.version, ...(headers || {}) },
        text: body === undefined ? '' : JSON.stringify(body) });
    },
  };
}

/** Validates a parsed JSON body against an enforcer schema; returns an error text or null. */
function schemaError(schema, body) {
  try {
    const [value, dErr] = schema.deserialize(body);
    const e = dErr || schema.validate(value, { readWriteMode: 'read' });
    return e ? String(e) : null;
  } catch (e) {
    return `the validator could not read the body (${e.message})`;
  }
}

/** A media type of `content` that matches the Content-Type `ct` (exact, then type/*, then any). */
function mediaOf(content, ct) {
  if (content[ct]) return content[ct];
  const star = `${ct.split('/')[0]}/*`;
  return content[star] || content['*/*'] || null;
}

function checkOurs(api, { method, url, status, headers, text }) {
  const u = new URL(url);
  method = method.toUpperCase();
  if (method === 'HEAD' || method === 'OPTIONS') return [];
  const sub = u.pathname.slice(api.base.length) || '/';
  const where = `${method} ${u.pathname}${u.search} → ${status}`;
  const out = [];
  const fin = () => out.map((m) => `${where}: ${m}`);
  const apiVersion = getHeader(headers, 'api-version');
  if (apiVersion !== api.version) out.push(`header API-version is ${JSON.stringify(apiVersion)}, not ${api.version} (the document's info.version)`);
  const [match] = api.openapi.path(method, sub);
  if (status >= 400) out.push(...problemViolations(status, headers, text));
  if (!match) {
    if (status === 404 || status === 405) return fin();
    out.push(`no operation ${method} ${sub} in ${api.file.replace(/.*\/src\//, 'src/')} (it answered ${status})`);
    return fin();
  }
  const { operation } = match;
  const opId = operation.operationId;
  const response = operation.responses[String(status)];
  const ct = (getHeader(headers, 'content-type') || '').split(';')[0].trim();
  let schema = null;
  if (!response) {
    if (status < 400) {
      out.push(`${opId} declares no ${status} response (declared: ${Object.keys(operation.responses).join(', ')})`);
      return fin();
    }
    schema = api.openapi.components && api.openapi.components.schemas && api.openapi.components.schemas.Problem;
    if (!schema) { out.push('the document has no components.schemas.Problem'); return fin(); }
  } else if (!response.content) {
    if (text && text.length) out.push(`${opId} ${status} declares no body but one was sent: ${text.slice(0, 200)}`);
    return fin();
  } else {
    const media = mediaOf(response.content, ct);
    if (!media) {
      out.push(`${opId} ${status}: Content-Type ${JSON.stringify(ct)} is not declared (${Object.keys(response.content).join(', ')})`);
      return fin();
    }
    if (!/json$/.test(ct)) return fin();
    schema = media.schema;
  }
  if (!schema) return fin();
  let body;
  try { body = JSON.parse(text); } catch {
    out.push(`${opId} ${status}: body is not JSON: ${JSON.stringify(String(text).slice(0, 200))}`);
    return fin();
  }
  const e = schemaError(schema, body);
  if (e) out.push(`${opId} ${status} body does not match the document:\n${indent(e)}`);
  return fin();
}

function getHeader(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  return headers[name.toLowerCase()] ?? null;
}

/** Problem-details shape (behaviour §2) of an error response. */
export function problemViolations(status, headers, text) {
  const v = [];
  const ct = getHeader(headers, 'content-type') || '';
  if (!/^application\/problem\+json/.test(ct)) v.push(`error response Content-Type is ${JSON.stringify(ct)}, not application/problem+json`);
  let p;
  try { p = JSON.parse(text); } catch { v.push(`error body is not JSON: ${JSON.stringify(String(text).slice(0, 200))}`); return v; }
  if (!p || typeof p !== 'object' || Array.isArray(p)) { v.push('problem body is not an object'); return v; }
  for (const k of ['type', 'code', 'title', 'detail', 'instance']) {
    if (typeof p[k] !== 'string') v.push(`problem.${k} is ${JSON.stringify(p[k])}, not a string`);
  }
  if (p.status !== status) v.push(`problem.status is ${JSON.stringify(p.status)}, not ${status}`);
  if (typeof p.instance === 'string' && !/^urn:uuid:[0-9a-f-]{36}$/.test(p.instance)) v.push(`problem.instance ${JSON.stringify(p.instance)} is not urn:uuid:…`);
  if (p.invalidParams !== undefined) {
    if (!Array.isArray(p.invalidParams)) v.push('problem.invalidParams is not an array');
    else p.invalidParams.forEach((ip, i) => {
      for (const k of ['name', 'code', 'reason']) {
        if (!ip || typeof ip[k] !== 'string') v.push(`problem.invalidParams[${i}].${k} is not a string`);
      }
    });
  }
  if (status === 400 && !Array.isArray(p.invalidParams)) v.push('a 400 problem has no invalidParams array');
  return v;
}

function checkExchange(openapi, { method, url, status, headers, text }) {
  const u = new URL(url);
  if (!(u.pathname === API_BASE_PATH || u.pathname.startsWith(API_BASE_PATH + '/'))) return [];
  method = method.toUpperCase();
  if (method === 'HEAD' || method === 'OPTIONS') return [];
  const sub = u.pathname.slice(API_BASE_PATH.length) || '/';
  const where = `${method} ${u.pathname}${u.search} → ${status}`;
  const out = [];
  const apiVersion = getHeader(headers, 'api-version');
  if (apiVersion !== API_VERSION) out.push(`header API-version is ${JSON.stringify(apiVersion)}, not ${API_VERSION}`);

  if (status >= 400) {
    out.push(...problemViolations(status, headers, text));
    return out.map((m) => `${where}: ${m}`);
  }
  if (NON_SPEC_OK.has(sub)) return [];

  const [match, err] = openapi.path(method, sub);
  if (!match) {
    out.push(`no operation ${method} ${sub} in the spec answers ${status} (${String(err).split('\n')[0]})`);
    return out.map((m) => `${where}: ${m}`);
  }
  const { operation } = match;
  const opId = operation.operationId;
  const response = operation.responses[status] || operation.responses[String(status)];
  if (!response) {
    out.push(`${opId} declares no ${status} response (declared: ${Object.keys(operation.responses).join(', ')})`);
    return out.map((m) => `${where}: ${m}`);
  }
  const content = response.content;
  if (!content) {
    if (text && text.length) out.push(`${opId} ${status} declares no body but one was sent: ${text.slice(0, 200)}`);
    return out.map((m) => `${where}: ${m}`);
  }
  const ct = (getHeader(headers, 'content-type') || '').split(';')[0].trim();
  const media = content[ct];
  if (!media) {
    out.push(`${opId} ${status}: Content-Type ${JSON.stringify(ct)} is not declared (${Object.keys(content).join(', ')})`);
    return out.map((m) => `${where}: ${m}`);
  }
  let body;
  try { body = JSON.parse(text); } catch {
    out.push(`${opId} ${status}: body is not JSON: ${JSON.stringify(String(text).slice(0, 200))}`);
    return out.map((m) => `${where}: ${m}`);
  }
  const schema = media.schema;
  let vErr;
  try {
    const [value, dErr] = schema.deserialize(body);
    vErr = dErr || schema.validate(value, { readWriteMode: 'read' });
  } catch (e) {
    // openapi-enforcer throws on some bodies it cannot read (e.g. null where the schema is an
    // allOf of an object): that is a finding about the body, reported like any other.
    vErr = `the validator could not read the body (${e.message})`;
  }
  if (vErr) out.push(`${opId} ${status} body does not match the spec:\n${indent(String(vErr))}`);
  return out.map((m) => `${where}: ${m}`);
}

function indent(s) {
  return s.split('\n').map((l) => `    ${l}`).join('\n');
}

/**
 * Reduces an enforcer error text to its leaf lines with their full paths, e.g.
 * "body > results > 0 > plaatsgevondenOp: Expected …". Used to summarise violations.
 */
export function leafMessages(text) {
  const lines = text.split('\n');
  const stack = [];
  const out = [];
  for (const line of lines) {
    const m = /^(\s*)(.*)$/.exec(line);
    const depth = m[1].length;
    const s = m[2];
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();
    if (s.startsWith('at: ')) stack.push({ depth, at: s.slice(4) });
    else if (s && !/^(Did not validate|Response invalid|One or more|Invalid value$)/.test(s)) {
      out.push(`${stack.map((x) => x.at).join(' > ')}: ${s}`);
    } else if (/^One or more required properties missing/.test(s)) {
      out.push(`${stack.map((x) => x.at).join(' > ')}: ${s}`);
    }
  }
  return out;
}
