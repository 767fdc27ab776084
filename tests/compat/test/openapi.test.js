'use strict';
// openapi.test.js - the emulator's answers checked against Meta's own
// OpenAPI file for the WhatsApp Business Platform (business-messaging-api,
// v23.0): for every operation the emulator serves, real requests, and each
// answer validated against that operation's response schema for the status
// it came with (success bodies, error envelopes, paging objects), plus the
// documented response headers.
//
// The file is not part of this repository.  It is looked for at
// $WABA_OPENAPI, else at shared/reference/ beside the repository; when it is
// absent every test here is skipped and says so.
//
// Where the file contradicts what the project decided (docs/decisions.md),
// what Graph is known to do, the SDKs or the documentation pages, the
// emulator follows those and the difference is listed in DEVIATIONS below,
// each with its reason; docs/conformance.md tabulates them per operation.
// A validation error not on that list fails the suite, and so does a listed
// deviation that no longer occurs (keep the list honest).

const {describe, it, before} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const emu = require('../lib/emu');

const {IDS, TOKENS} = emu;

const FILE = process.env.WABA_OPENAPI || path.resolve(__dirname, '..', '..',
	'..', '..', 'shared', 'reference',
	'meta-business-messaging-openapi-v23.0.yaml');
const present = fs.existsSync(FILE);
const SKIP = present ? false : 'Meta\'s OpenAPI file was not found ' +
	'(set WABA_OPENAPI to its path); the OpenAPI checks are skipped';

// Requests use the file's own version, so facebook-api-version must echo it.
const V = 'v23.0';

// ---- known deviations ------------------------------------------------------
//
// Each entry: id, where it applies (op: "METHOD /path" from the file, or
// '*'; path: a regex over the JSON instance path; keyword: the JSON Schema
// keyword that fails; header: a header name instead of a body path), and
// why the emulator differs.  The "see" column names the source that wins.
const DEVIATIONS = [
	// enums ------------------------------------------------------------
	{id: 'ownership-self', op: '*', path: /ownership_type$/, keyword: 'enum',
		value: 'SELF',
		why: 'The file says SELF_OWNED/CLIENT_OWNED/AGENCY_OWNED; the ' +
			'documentation\'s own filtering example uses SELF and ' +
			'CLIENT_OWNED, so the emulator answers SELF.',
		see: 'docs/conformance.md'},
	{id: 'verification-lowercase', op: '*',
		path: /business_verification_status$/, keyword: 'enum',
		why: 'The file uses VERIFIED/UNVERIFIED/PENDING/REJECTED; the WABA ' +
			'reference page and both SDKs use the lower-case ' +
			'business_verification_status enum (verified, not_verified, ...).',
		see: 'docs/conformance.md'},
	{id: 'quality-unknown', op: '*', path: /quality_rating$/,
		keyword: 'enum', value: 'UNKNOWN',
		why: 'The file says NA for a rating not yet determined; third-party ' +
			'typed clients and captures use UNKNOWN, which the emulator gives a new ' +
			'number.',
		see: 'docs/conformance.md'},
	{id: 'code-verification-not-verified', op: '*',
		path: /code_verification_status$/, keyword: 'enum',
		value: 'NOT_VERIFIED',
		why: 'The file says UNVERIFIED; captures and typed clients use ' +
			'NOT_VERIFIED (and EXPIRED), which the emulator gives a new number.',
		see: 'docs/conformance.md'},
	{id: 'phone-status-values', op: '*', path: /\/status$/, keyword: 'enum',
		value: ['CONNECTED', 'DISCONNECTED', 'FLAGGED', 'UNKNOWN',
			'RATE_LIMITED', 'UNVERIFIED'],
		why: 'The file lists PENDING/LINKED/UNLINKED/DELETED/MIGRATED/' +
			'BANNED/RESTRICTED; the phone-number status seen in responses ' +
			'and typed clients also has CONNECTED, DISCONNECTED, FLAGGED, ' +
			'RATE_LIMITED, UNKNOWN and UNVERIFIED.',
		see: 'docs/conformance.md'},
	// shapes -----------------------------------------------------------
	{id: 'phone-list-default-fields', op: 'GET /{Version}/{WABA-ID}/phone_numbers',
		path: /^\/data\/[0-9]+$/, keyword: 'required', missing: 'status',
		why: 'The file requires status on every item; the Graph default ' +
			'item fields are code_verification_status, display_phone_number, ' +
			'id, quality_rating, verified_name, and fields= selects others, ' +
			'so status is there only when asked for.',
		see: 'docs/conformance.md'},
	{id: 'waba-fields-selection', op: '*', path: /^(\/data\/[0-9]+)?$/,
		keyword: 'required', missing: 'name',
		why: 'fields= returns only the fields asked for (and id); the file ' +
			'requires name on every WhatsAppBusinessAccount.',
		see: 'docs/conformance.md'},
	{id: 'nested-edge-connection', op: '*', path: /\/phone_numbers$/,
		keyword: 'type',
		why: 'The file types a nested phone_numbers field as a bare array; ' +
			'Graph field expansion renders an edge asked for as a field as a ' +
			'connection, {"data":[…],"paging":{…}}, like the edge itself.',
		see: 'docs/conformance.md'},
	{id: 'assigned-accounts-status', op: 'GET /{Version}/{User-ID}/assigned_whatsapp_business_accounts',
		path: /^\/data\/[0-9]+$/, keyword: 'required', missing: 'status',
		why: 'The file models the items as AssignedWhatsAppBusinessAccount ' +
			'with a required status; the edge returns WhatsAppBusinessAccount ' +
			'nodes with the WABA default fields, which have no status.',
		see: 'docs/conformance.md'},
	// headers ----------------------------------------------------------
	{id: 'front-end-headers', header: ['alt-svc', 'strict-transport-security',
		'x-fb-debug', 'cross-origin-resource-policy', 'x-fb-rlafr',
		'x-fb-connection-quality', 'connection', 'content-encoding'],
	why: 'Set by Meta\'s HTTPS front end (TLS, HTTP/3, compression, edge ' +
		'debugging), not by the API; the emulator is plain local HTTP and ' +
		'sends the API\'s own headers only.',
	see: 'docs/conformance.md'},
];

// ---- the file ---------------------------------------------------------------

let doc = null;
let ajv = null;
const used = new Set();

function load() {
	const yaml = require('js-yaml');
	const Ajv = require('ajv');
	const addFormats = require('ajv-formats');
	doc = yaml.load(fs.readFileSync(FILE, 'utf8'));
	ajv = new Ajv({strict: false, allErrors: true, validateFormats: true});
	addFormats(ajv);
	// One schema document holding the components, so every '#/components/…'
	// reference inside them resolves; operation schemas are re-rooted onto it.
	ajv.addSchema({$id: 'openapi', components: doc.components});
}

function deref(o) {
	while (o && o.$ref) {
		assert.ok(o.$ref.startsWith('#/'), `local $ref: ${o.$ref}`);
		o = o.$ref.slice(2).split('/').reduce((x, k) =>
			x[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
	}
	return o;
}

// reroot(schema) - a copy whose '#/…' references point into 'openapi'.
function reroot(s) {
	if (Array.isArray(s))
		return s.map(reroot);
	if (s && typeof s === 'object') {
		const o = {};
		for (const [k, v] of Object.entries(s))
			o[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ?
				'openapi' + v : reroot(v);
		return o;
	}
	return s;
}

// operation(key) - the file's operation for "METHOD /path".
function operation(key) {
	const sp = key.indexOf(' ');
	const method = key.slice(0, sp).toLowerCase();
	const item = doc.paths[key.slice(sp + 1)];
	return item && item[method] ? item[method] : null;
}

const validators = new Map();

// responseFor(key, status) - the documented response for that status.
function responseFor(key, status) {
	const op = operation(key);
	assert.ok(op, `the file has no operation ${key}`);
	const r = op.responses[String(status)] || op.responses[`${
		String(status)[0]}XX`] || op.responses.default;
	return r ? deref(r) : null;
}

function validatorFor(key, status) {
	const id = `${key} ${status}`;
	if (!validators.has(id)) {
		const r = responseFor(key, status);
		const media = r && r.content && (r.content['application/json'] ||
			Object.values(r.content)[0]);
		validators.set(id, media && media.schema ?
			ajv.compile(reroot(media.schema)) : null);
	}
	return validators.get(id);
}

// ---- deviations -------------------------------------------------------------

function valueOf(body, pointer) {
	return pointer.split('/').slice(1).reduce((x, k) => x == null ? x :
		x[k.replace(/~1/g, '/').replace(/~0/g, '~')], body);
}

// allowed(key, err, body) - the DEVIATIONS entry that covers err, if any.
function allowed(key, err, body) {
	return DEVIATIONS.find((d) => {
		if (d.header || (d.op !== '*' && d.op !== key))
			return false;
		if (d.keyword !== err.keyword || !d.path.test(err.instancePath))
			return false;
		if (d.missing && err.params.missingProperty !== d.missing)
			return false;
		if (d.value !== undefined) {
			const v = valueOf(body, err.instancePath);
			const vs = Array.isArray(d.value) ? d.value : [d.value];
			if (!vs.includes(v))
				return false;
		}
		return true;
	});
}

function allowedHeader(name) {
	return DEVIATIONS.find((d) => d.header && d.header.includes(name));
}

// ---- headers ----------------------------------------------------------------

// The form of each header the emulator sends, read off the example the file
// gives for it in components/headers (the first test checks every form
// against that example, so they cannot drift apart).
const HEADER_FORMS = {
	'facebook-api-version': (v) => /^v[0-9]+\.[0-9]+$/.test(v),
	'x-fb-request-id': (v) => /^[A-Za-z0-9_-]{23}$/.test(v),
	'x-fb-trace-id': (v) => /^[A-Za-z0-9_+/-]{11}$/.test(v),
	'x-fb-rev': (v) => /^[0-9]+$/.test(v),
	'ETag': (v) => /^"[0-9a-f]{40}"$/.test(v),
	'Expires': (v, ex) => v === ex,
	'Pragma': (v, ex) => v === ex,
	'Access-Control-Allow-Origin': (v, ex) => v === ex,
	'Cache-Control': (v) => v === 'private, no-cache, no-store, must-revalidate' ||
		v === 'no-store',
	'x-app-usage': (v, ex) => sameKeys(JSON.parse(v), JSON.parse(ex)),
	'x-business-use-case-usage': (v, ex) => {
		const want = Object.values(JSON.parse(ex))[0][0];
		const got = JSON.parse(v);
		const ids = Object.keys(got);
		return ids.length > 0 && ids.every((id) => /^[0-9]+$/.test(id) &&
			Array.isArray(got[id]) && got[id].length > 0 &&
			got[id].every((e) => sameKeys(e, want) &&
				typeof e.type === 'string' &&
				Object.entries(e).every(([k, x]) => k === 'type' ||
					Number.isInteger(x))) &&
			got[id].some((e) => e.type === 'whatsapp_business_management'));
	},
};

function sameKeys(a, b) {
	return JSON.stringify(Object.keys(a).sort()) ===
		JSON.stringify(Object.keys(b).sort());
}

function headerDef(name) {
	const h = doc.components.headers;
	const k = Object.keys(h).find((x) => x.toLowerCase() === name.toLowerCase());
	return k ? deref(h[k]) : null;
}

// checkHeaders(key, r, problems) - the documented headers of the response
// (when the operation documents any) are present; every header the emulator
// sends that the file defines has the form of the file's example.
function checkHeaders(key, r, problems) {
	const resp = responseFor(key, r.status);
	for (const name of Object.keys((resp && resp.headers) || {})) {
		const lc = name.toLowerCase();
		if (r.headers[lc] !== undefined)
			continue;
		const d = allowedHeader(lc);
		if (d)
			used.add(d.id);
		else
			problems.push(`documented header ${name} is missing`);
	}
	for (const [name, form] of Object.entries(HEADER_FORMS)) {
		const v = r.headers[name.toLowerCase()];
		if (v === undefined)
			continue;
		const def = headerDef(name);
		assert.ok(def, `the file defines ${name}`);
		if (!form(v, def.schema.example))
			problems.push(`header ${name}: ${v} does not have the form of ` +
				`the file's example ${def.schema.example}`);
	}
}

// ---- the check --------------------------------------------------------------

// expect(key, r, status) - r answered status, the file documents that status
// for the operation, and body and headers conform but for listed deviations.
function expect(key, r, status) {
	assert.equal(r.status, status, `${key}: ${r.text}`);
	assert.ok(responseFor(key, r.status),
		`${key}: the file documents no ${r.status} response`);
	assert.equal(r.headers['facebook-api-version'], V);
	assert.ok(r.json !== undefined, `JSON body: ${r.text}`);
	const problems = [];
	const validate = validatorFor(key, r.status);
	assert.ok(validate, `${key} ${r.status}: the file gives a JSON schema`);
	if (!validate(r.json)) {
		for (const e of validate.errors) {
			const d = allowed(key, e, r.json);
			if (d)
				used.add(d.id);
			else
				problems.push(`${e.instancePath || '(body)'} ${e.message} ` +
					`${JSON.stringify(e.params)} [${e.schemaPath}] value: ` +
					`${JSON.stringify(valueOf(r.json, e.instancePath))}`);
		}
	}
	checkHeaders(key, r, problems);
	if (r.status >= 400)
		assert.equal(r.json.error.fbtrace_id, r.headers['x-fb-request-id']);
	assert.deepEqual(problems, [], `${key} ${r.status}`);
	return r.json;
}

const bearer = (t) => ({Authorization: `Bearer ${t}`});
const GET = (p, q = {}, t = TOKENS.admin) => emu.request(base(), 'GET',
	`/${V}${p}`, {query: q, headers: bearer(t)});

let baseUrl = null;
const base = () => baseUrl;

// ---- the suite --------------------------------------------------------------

describe('Meta\'s OpenAPI file', () => {
	if (SKIP) {
		it('is at hand', {skip: SKIP}, () => {});
		return;
	}

	before(async () => {
		baseUrl = emu.baseUrl('openapi');
		load();
		await emu.reset(base());
	});

	it('documents every operation the emulator serves', () => {
		for (const k of [
			'GET /{Version}/{Business-ID}',
			'GET /{Version}/{Business-ID}/owned_whatsapp_business_accounts',
			'GET /{Version}/{Business-ID}/client_whatsapp_business_accounts',
			'GET /{Version}/{WABA-ID}',
			'GET /{Version}/{WABA-ID}/phone_numbers',
			'POST /{Version}/{WABA-ID}/phone_numbers',
			'GET /{Version}/{Phone-Number-ID}',
			'GET /{Version}/{WhatsApp-Business-Account-ID}/assigned_users',
			'POST /{Version}/{WhatsApp-Business-Account-ID}/assigned_users',
			'DELETE /{Version}/{WhatsApp-Business-Account-ID}/assigned_users',
			'GET /{Version}/{User-ID}/assigned_whatsapp_business_accounts',
		])
			assert.ok(operation(k), `the file has ${k}`);
	});

	it('has no debug_token or batch operation (checked by the SDK suite)',
		() => {
			const paths = Object.keys(doc.paths);
			assert.ok(!paths.some((p) => /debug_token/.test(p)));
			assert.ok(!paths.some((p) => p === '/' || p === '/{Version}' ||
				p === '/{Version}/'));
		});

	it('header forms match the file\'s own examples', () => {
		for (const [name, form] of Object.entries(HEADER_FORMS)) {
			const def = headerDef(name);
			assert.ok(def, `the file defines header ${name}`);
			const ex = def.schema.example;
			assert.ok(form(ex, ex), `${name}: form rejects the example ${ex}`);
		}
	});

	describe('GET /{Business-ID}', () => {
		const key = 'GET /{Version}/{Business-ID}';
		it('200, default fields, documented headers', async () => {
			const j = expect(key, await GET(`/${IDS.business}`), 200);
			assert.equal(j.id, IDS.business);
		});
		it('200 with fields=id,name', async () => {
			expect(key, await GET(`/${IDS.business}`, {fields: 'id,name'}),
				200);
		});
	});

	describe('GET /{Business-ID}/owned_whatsapp_business_accounts', () => {
		const key = 'GET /{Version}/{Business-ID}/owned_whatsapp_business_accounts';
		const p = `/${IDS.business}/owned_whatsapp_business_accounts`;
		it('200, default fields', async () => {
			const j = expect(key, await GET(p), 200);
			assert.equal(j.data.length, 3);
		});
		it('200, every field the schema names that a WABA has', async () => {
			expect(key, await GET(p, {fields: 'id,name,account_review_status,' +
				'purchase_order_number,ownership_type,' +
				'business_verification_status,country,currency,timezone_id,' +
				'on_behalf_of_business_info,is_enabled_for_insights'}), 200);
		});
		it('200, first and last page of limit=2 (paging object)', async () => {
			const j = expect(key, await GET(p, {limit: 2}), 200);
			assert.ok(j.paging.next && j.paging.cursors.after);
			const r = await emu.request(base(), 'GET',
				j.paging.next.slice(base().length));
			const last = expect(key, r, 200);
			assert.equal(last.data.length, 1);
			assert.ok(last.paging.previous && !last.paging.next);
		});
		it('200, empty list is {"data":[]}', async () => {
			const j = expect(key, await GET(p, {filtering: JSON.stringify([{
				field: 'creation_time', operator: 'LESS_THAN',
				value: '1000'}])}), 200);
			assert.deepEqual(j, {data: []});
		});
		it('200, fields=id only (name not asked for)', async () => {
			expect(key, await GET(p, {fields: 'id'}), 200);
		});
		it('400, unsupported filter (100)', async () => {
			const j = expect(key, await GET(p, {filtering: JSON.stringify([{
				field: 'colour', operator: 'EQUAL', value: 'x'}])}), 400);
			assert.equal(j.error.code, 100);
		});
		it('400, unknown business (100/33)', async () => {
			const j = expect(key, await GET(
				'/2999999999999999/owned_whatsapp_business_accounts'), 400);
			assert.equal(j.error.code, 100);
			assert.equal(j.error.error_subcode, 33);
			assert.equal(j.error.type, 'GraphMethodException');
		});
		it('401, bad token (190)', async () => {
			const j = expect(key, await GET(p, {}, TOKENS.bogus), 401);
			assert.equal(j.error.code, 190);
		});
		it('401, expired token (190/463)', async () => {
			const j = expect(key, await GET(p, {}, TOKENS.expired), 401);
			assert.equal(j.error.error_subcode, 463);
		});
		it('403, token without the scope (200)', async () => {
			const j = expect(key, await GET(p, {}, TOKENS.noScope), 403);
			assert.equal(j.error.code, 200);
		});
	});

	describe('GET /{Business-ID}/client_whatsapp_business_accounts', () => {
		const key = 'GET /{Version}/{Business-ID}/client_whatsapp_business_accounts';
		const p = `/${IDS.business}/client_whatsapp_business_accounts`;
		it('200, default fields', async () => {
			const j = expect(key, await GET(p), 200);
			assert.deepEqual(j.data.map((w) => w.id), [IDS.wabaClient]);
		});
		it('200, with ownership and on-behalf-of fields', async () => {
			expect(key, await GET(p, {fields: 'id,name,ownership_type,' +
				'on_behalf_of_business_info,business_verification_status,' +
				'account_review_status,country,currency'}), 200);
		});
		it('200, empty list for a business with no clients', async () => {
			const j = expect(key, await GET(
				`/${IDS.partnerBusiness}/client_whatsapp_business_accounts`,
				{}, 'EAAdemoPartner'), 200);
			assert.deepEqual(j, {data: []});
		});
		it('401, bad token (190)', async () => {
			expect(key, await GET(p, {}, TOKENS.bogus), 401);
		});
	});

	describe('GET /{WABA-ID}', () => {
		const key = 'GET /{Version}/{WABA-ID}';
		it('200, default fields', async () => {
			const j = expect(key, await GET(`/${IDS.waba}`), 200);
			assert.equal(j.id, IDS.waba);
		});
		it('200, every field the schema names that a WABA has', async () => {
			expect(key, await GET(`/${IDS.waba}`, {fields: 'id,name,' +
				'account_review_status,purchase_order_number,ownership_type,' +
				'business_verification_status,country,currency,timezone_id,' +
				'on_behalf_of_business_info,is_enabled_for_insights'}), 200);
		});
		it('200, a client WABA with on_behalf_of_business_info', async () => {
			expect(key, await GET(`/${IDS.wabaClient}`, {fields:
				'id,name,ownership_type,on_behalf_of_business_info'}), 200);
		});
		it('200, nested phone_numbers edge', async () => {
			const j = expect(key, await GET(`/${IDS.waba}`, {fields:
				'id,name,phone_numbers{id,display_phone_number,verified_name,' +
				'quality_rating,code_verification_status}'}), 200);
			assert.equal(j.phone_numbers.data.length, 2);
		});
		it('400, unknown field (100)', async () => {
			expect(key, await GET(`/${IDS.waba}`, {fields: 'colour'}), 400);
		});
		it('400, fields syntax error (2500)', async () => {
			const j = expect(key, await GET(`/${IDS.waba}`,
				{fields: 'name,,id'}), 400);
			assert.equal(j.error.code, 2500);
		});
		it('400, unknown WABA (100/33)', async () => {
			const j = expect(key, await GET(`/${IDS.unknown}`), 400);
			assert.equal(j.error.error_subcode, 33);
		});
		it('400, no token at all (104)', async () => {
			const r = await emu.request(base(), 'GET', `/${V}/${IDS.waba}`);
			const j = expect(key, r, 400);
			assert.equal(j.error.code, 104);
		});
		it('401, bad token (190)', async () => {
			expect(key, await GET(`/${IDS.waba}`, {}, TOKENS.bogus), 401);
		});
		it('403, user without an assignment (200)', async () => {
			expect(key, await GET(`/${IDS.waba}`, {}, TOKENS.noaccess), 403);
		});
		it('429, over the rate limit (80008/2446079)', async () => {
			// 200 calls an hour for a WABA without a connected number
			let r;
			for (let i = 0; i < 260; i++) {
				r = await GET(`/${IDS.wabaNoPhones}`, {fields: 'id'});
				if (r.status !== 200)
					break;
			}
			const j = expect(key, r, 429);
			assert.equal(j.error.code, 80008);
			assert.equal(j.error.error_subcode, 2446079);
			assert.equal(j.error.is_transient, true);
			await emu.advanceClock(base(), 3601);
			expect(key, await GET(`/${IDS.wabaNoPhones}`), 200);
		});
	});

	describe('GET /{WABA-ID}/phone_numbers', () => {
		const key = 'GET /{Version}/{WABA-ID}/phone_numbers';
		const p = `/${IDS.waba}/phone_numbers`;
		before(() => emu.reset(base()));
		it('200, default item fields', async () => {
			expect(key, await GET(p), 200);
		});
		it('200, the fields the schema names that a number has', async () => {
			const j = expect(key, await GET(p, {fields: 'id,' +
				'display_phone_number,verified_name,status,quality_rating,' +
				'code_verification_status,account_mode,' +
				'is_official_business_account'}), 200);
			assert.equal(j.data.length, 2);
		});
		it('200, other WABAs\' numbers (status and rating values)',
			async () => {
				for (const w of [IDS.wabaLabs, IDS.wabaClient])
					expect(key, await GET(`/${w}/phone_numbers`, {fields:
						'id,display_phone_number,status,quality_rating,' +
						'code_verification_status,account_mode'}), 200);
			});
		it('200, paging with limit=1, and summary', async () => {
			const j = expect(key, await GET(p, {limit: 1,
				summary: 'total_count'}), 200);
			assert.ok(j.paging.next);
			assert.equal(j.summary.total_count, 2);
		});
		it('200, {"data":[]} for a WABA without numbers', async () => {
			const j = expect(key, await GET(`/${IDS.wabaNoPhones}/phone_numbers`),
				200);
			assert.deepEqual(j, {data: []});
		});
		it('400, unsupported filter value (100)', async () => {
			expect(key, await GET(p, {filtering: JSON.stringify([{
				field: 'account_mode', operator: 'EQUAL', value: 'MOON'}])}), 400);
		});
		it('400, unknown WABA (100/33)', async () => {
			const j = expect(key, await GET(`/${IDS.unknown}/phone_numbers`),
				400);
			assert.equal(j.error.code, 100);
			assert.equal(j.error.error_subcode, 33);
		});
		it('401, expired token (190/463)', async () => {
			expect(key, await GET(p, {}, TOKENS.expired), 401);
		});
		it('403, token without the scope (200)', async () => {
			expect(key, await GET(p, {}, TOKENS.noScope), 403);
		});
	});

	describe('POST /{WABA-ID}/phone_numbers', () => {
		const key = 'POST /{Version}/{WABA-ID}/phone_numbers';
		const post = (w, body, t = TOKENS.admin) => emu.request(base(), 'POST',
			`/${V}/${w}/phone_numbers`, {json: body, headers: bearer(t)});
		before(() => emu.reset(base()));
		it('200, {id} for a new number (JSON body, as the file has it)',
			async () => {
				const j = expect(key, await post(IDS.waba, {cc: '1',
					phone_number: '5550100777', verified_name: 'OpenAPI Shop'}),
				200);
				assert.match(j.id, /^[0-9]+$/);
			});
		it('200, migrating a number keeps its id', async () => {
			const j = expect(key, await post(IDS.waba, {cc: '1',
				phone_number: '5550100401', migrate_phone_number: true}), 200);
			assert.equal(j.id, '5000000000000006');
		});
		it('400, missing phone_number (100)', async () => {
			const j = expect(key, await post(IDS.waba, {cc: '1',
				verified_name: 'x'}), 400);
			assert.equal(j.error.code, 100);
		});
		it('400, number on another WABA (200000)', async () => {
			const j = expect(key, await post(IDS.waba, {cc: '44',
				phone_number: '7700900123', verified_name: 'x'}), 400);
			assert.equal(j.error.code, 200000);
		});
		it('401, bad token (190)', async () => {
			expect(key, await post(IDS.waba, {cc: '1', phone_number: '5550100778',
				verified_name: 'x'}, TOKENS.bogus), 401);
		});
		it('403, a DEVELOP user may not add numbers (200)', async () => {
			expect(key, await post(IDS.waba, {cc: '1', phone_number: '5550100779',
				verified_name: 'x'}, TOKENS.employee), 403);
		});
	});

	describe('GET /{Phone-Number-ID}', () => {
		const key = 'GET /{Version}/{Phone-Number-ID}';
		before(() => emu.reset(base()));
		it('200, default fields', async () => {
			expect(key, await GET(`/${IDS.phone}`), 200);
		});
		it('200, the fields the schema names', async () => {
			for (const ph of [IDS.phone, IDS.phone2, IDS.labsPhone])
				expect(key, await GET(`/${ph}`, {fields: 'id,' +
					'display_phone_number,verified_name,quality_rating,' +
					'code_verification_status,name_status'}), 200);
		});
		it('400, unknown number (100/33)', async () => {
			const j = expect(key, await GET('/5999999999999999'), 400);
			assert.equal(j.error.error_subcode, 33);
		});
		it('401, bad token (190)', async () => {
			expect(key, await GET(`/${IDS.phone}`, {}, TOKENS.bogus), 401);
		});
		it('403, user without an assignment (200)', async () => {
			expect(key, await GET(`/${IDS.phone}`, {}, TOKENS.noaccess), 403);
		});
	});

	describe('assigned_users', () => {
		const G = 'GET /{Version}/{WhatsApp-Business-Account-ID}/assigned_users';
		const P = 'POST /{Version}/{WhatsApp-Business-Account-ID}/assigned_users';
		const D = 'DELETE /{Version}/{WhatsApp-Business-Account-ID}/assigned_users';
		const p = `/${IDS.waba}/assigned_users`;
		// the file gives both writes a form-encoded body
		const write = (method, form, t = TOKENS.admin) => emu.request(base(),
			method, `/${V}${p}`, {form, headers: bearer(t)});
		before(() => emu.reset(base()));

		it('GET 200, items and summary', async () => {
			const j = expect(G, await GET(p, {business: IDS.business,
				summary: 'total_count'}), 200);
			assert.equal(j.summary.total_count, 2);
		});
		it('GET 200, with the schema\'s business and user_type', async () => {
			expect(G, await GET(p, {business: IDS.business,
				fields: 'id,name,business,user_type,tasks'}), 200);
		});
		it('GET 200, paging with limit=1', async () => {
			const j = expect(G, await GET(p, {business: IDS.business,
				limit: 1}), 200);
			assert.ok(j.paging.next);
		});
		it('GET 400, without business (100)', async () => {
			expect(G, await GET(p), 400);
		});
		it('GET 403, a DEVELOP user (200)', async () => {
			expect(G, await GET(p, {business: IDS.business},
				TOKENS.employee), 403);
		});
		it('POST 200, {success:true}', async () => {
			const j = expect(P, await write('POST', {user: IDS.noaccess,
				tasks: '["MANAGE","VIEW_COST"]'}), 200);
			assert.deepEqual(j, {success: true});
		});
		it('POST 400, a task the file lists but the API does not (100)',
			async () => {
				// FULL_CONTROL is in the file's enum only; the emulator's task list
				// is the documentation's and the SDKs'
				expect(P, await write('POST', {user: IDS.noaccess,
					tasks: '["FULL_CONTROL"]'}), 400);
			});
		it('POST 403, a DEVELOP user (200)', async () => {
			expect(P, await write('POST', {user: IDS.noaccess,
				tasks: '["MANAGE"]'}, TOKENS.employee), 403);
		});
		it('DELETE 200, {success:true} (form body)', async () => {
			const j = expect(D, await write('DELETE', {user: IDS.noaccess}),
				200);
			assert.deepEqual(j, {success: true});
			const after = await GET(p, {business: IDS.business});
			assert.ok(!after.json.data.some((u) => u.id === IDS.noaccess),
				'a user in a DELETE body is removed');
		});
		it('DELETE 400, without user (100)', async () => {
			expect(D, await write('DELETE', {}), 400);
		});
		it('DELETE 401, bad token (190)', async () => {
			expect(D, await write('DELETE', {user: IDS.noaccess},
				TOKENS.bogus), 401);
		});
	});

	describe('GET /{User-ID}/assigned_whatsapp_business_accounts', () => {
		const key = 'GET /{Version}/{User-ID}/assigned_whatsapp_business_accounts';
		before(() => emu.reset(base()));
		it('200, the WABAs the user is assigned to', async () => {
			const j = expect(key, await GET(
				`/${IDS.manager}/assigned_whatsapp_business_accounts`), 200);
			assert.deepEqual(j.data.map((w) => w.id).sort(),
				[IDS.waba, IDS.wabaNoPhones]);
		});
		it('200, {"data":[]} for a user with none', async () => {
			const j = expect(key, await GET(
				`/${IDS.noaccess}/assigned_whatsapp_business_accounts`), 200);
			assert.deepEqual(j, {data: []});
		});
		it('400, unknown user (100/33)', async () => {
			const j = expect(key, await GET(
				'/3999999999999999/assigned_whatsapp_business_accounts'), 400);
			assert.equal(j.error.code, 100);
			assert.equal(j.error.error_subcode, 33);
		});
	});

	it('every listed deviation still occurs', (t) => {
		t.diagnostic(`deviations seen: ${[...used].join(' ')}`);
		const stale = DEVIATIONS.map((d) => d.id).filter((id) => !used.has(id));
		assert.deepEqual(stale, [], 'deviations no longer seen: remove them ' +
			'from DEVIATIONS and docs/conformance.md');
	});
});

