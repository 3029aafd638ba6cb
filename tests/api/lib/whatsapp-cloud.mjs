// A double of the WhatsApp Business Cloud API's messages endpoint
// (POST /<version>/<phone-number-id>/messages) for tests, held to the request shape Meta
// documents (standards-2 §10 and Meta's "Messages" reference): a Bearer token, JSON with
// messaging_product "whatsapp", `to`, and a `type` whose object matches it (text.body of 1 to
// 4096 characters; template.name, template.language.code, body parameters of type text). A
// request that breaks the shape gets Meta's error object (code 100) and is recorded in
// `rejected`; an accepted one in `messages`. Like the real service it enforces the customer
// service window: free text to a number whose last inbound message (`inbound(number, at)`) is
// more than 24 hours old is refused with error 131047 ("Re-engagement message"), so a test can
// tell that our server refused before sending, not the double after.
import http from 'node:http';
import Ajv from 'ajv';

const PARAM = {
  type: 'object', required: ['type', 'text'], additionalProperties: false,
  properties: { type: { const: 'text' }, text: { type: 'string', minLength: 1, maxLength: 1024 } },
};
const SCHEMA = {
  type: 'object',
  required: ['messaging_product', 'to', 'type'],
  properties: {
    messaging_product: { const: 'whatsapp' },
    recipient_type: { const: 'individual' },
    to: { type: 'string', pattern: '^\\+?[0-9]{6,20}$' },
    type: { enum: ['text', 'template'] },
    text: {
      type: 'object', required: ['body'], additionalProperties: false,
      properties: { body: { type: 'string', minLength: 1, maxLength: 4096 }, preview_url: { type: 'boolean' } },
    },
    template: {
      type: 'object', required: ['name', 'language'], additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9_]{1,512}$' },
        language: { type: 'object', required: ['code'], additionalProperties: false,
          properties: { code: { type: 'string', minLength: 2, maxLength: 10 } } },
        components: { type: 'array', items: { type: 'object', required: ['type'], additionalProperties: false,
          properties: { type: { enum: ['header', 'body', 'button'] }, parameters: { type: 'array', items: PARAM } } } },
      },
    },
  },
  allOf: [
    { if: { properties: { type: { const: 'text' } } }, then: { required: ['text'], not: { required: ['template'] } } },
    { if: { properties: { type: { const: 'template' } } }, then: { required: ['template'], not: { required: ['text'] } } },
  ],
  additionalProperties: false,
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

export async function whatsappCloud({ token = 'meta-token', phoneNumberId = '106540352242922', version = 'v21.0' } = {}) {
  const wa = { messages: [], rejected: [], lastInbound: new Map(), url: null };
  wa.inbound = (number, atMs) => wa.lastInbound.set(number.replace(/^\+/, ''), atMs);
  const fail = (res, status, code, message, rec) => {
    wa.rejected.push({ ...rec, code, message });
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ error: { message, type: 'OAuthException', code, fbtrace_id: 'Aff0' } }));
  };
  wa.server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const rec = { url: req.url, auth: req.headers.authorization, raw };
      if (req.method !== 'POST' || req.url !== `/${version}/${phoneNumberId}/messages`) {
        return fail(res, 404, 100, `Unsupported request: ${req.method} ${req.url}`, rec);
      }
      if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 190, 'Invalid OAuth access token.', rec);
      if (!/^application\/json/.test(req.headers['content-type'] || '')) return fail(res, 400, 100, 'Content-Type must be application/json', rec);
      let body;
      try { body = JSON.parse(raw); } catch { return fail(res, 400, 100, 'Invalid JSON', rec); }
      rec.body = body;
      if (!validate(body)) return fail(res, 400, 100, `(#100) Invalid parameter: ${validate.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`, rec);
      const number = body.to.replace(/^\+/, '');
      const last = wa.lastInbound.get(number);
      if (body.type !== 'template' && (!last || Date.now() - last > 24 * 3600 * 1000)) {
        return fail(res, 400, 131047, 'Re-engagement message: more than 24 hours have passed since the recipient last replied.', rec);
      }
      const id = `wamid.${Buffer.from(String(wa.messages.length + 1)).toString('base64')}`;
      wa.messages.push({ ...rec, id });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: number }], messages: [{ id }] }));
    });
  });
  await new Promise((r) => wa.server.listen(0, '127.0.0.1', r));
  wa.url = `http://127.0.0.1:${wa.server.address().port}/${version}/${phoneNumberId}/messages`;
  return wa;
}
