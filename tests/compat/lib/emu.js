'use strict';
// emu.js - what every compat suite needs from the emulator: where it is, the
// demo fixture ids, a reset, and a plain HTTP client that hands back status,
// headers and parsed JSON.  It deliberately knows nothing about the SDK, so a
// failure here is never the SDK's doing.

const assert = require('node:assert/strict');
const http = require('node:http');

// Ids and tokens of fixtures/demo.json, the document the emulator boots with.
const IDS = Object.freeze({
	app: '1000000000000001',
	appSecret: 'demo-app-secret',
	appToken: '1000000000000001|demo-app-secret',
	business: '2000000000000001',
	partnerBusiness: '2000000000000002',
	admin: '3000000000000001',
	employee: '3000000000000002', // DEVELOP + VIEW_PHONE_ASSETS on waba
	manager: '3000000000000003', // MANAGE on waba
	noaccess: '3000000000000004', // no assignment
	partnerAdmin: '3000000000000005', // ADMIN of the partner business
	waba: '4000000000000001', // 2 phones, one CONNECTED
	wabaNoPhones: '4000000000000002',
	wabaClient: '4000000000000003', // owned by 2000000000000002, shared
	wabaLabs: '4000000000000005', // 2 phones, phone_number_limit 2
	phone: '5000000000000001',
	phone2: '5000000000000002',
	labsPhone: '5000000000000005', // on wabaLabs: cc 1, 5550100400
	unknown: '4999999999999999',
});

const TOKENS = Object.freeze({
	admin: 'EAAdemoAdmin',
	employee: 'EAAdemoEmployee',
	manager: 'EAAdemoManager',
	noaccess: 'EAAdemoNoaccess',
	expired: 'EAAdemoExpired',
	noScope: 'EAAdemoNoScope',
	bogus: 'EAAthisTokenDoesNotExist',
	app: IDS.appToken,
});

// The WABAs business 2000000000000001 owns, and their creation times.
const OWNED_WABAS = Object.freeze({
	'4000000000000001': 1600000000,
	'4000000000000002': 1610000000,
	'4000000000000005': 1640000000,
});

const VERSION = 'v24.0';

// baseUrl(suite) - the emulator a suite talks to.  tests/compat/run starts
// one instance per suite (WABA_URL_SDK, WABA_URL_SEEDS, ...) so suites that
// reset or write never race; WABA_BASE_URL points every suite at one server
// you started yourself (then run node --test with --test-concurrency=1).
function baseUrl(suite) {
	const key = 'WABA_URL_' + suite.toUpperCase();
	const url = process.env[key] || process.env.WABA_BASE_URL;
	if (!url)
		throw new Error(`set ${key} or WABA_BASE_URL (tests/compat/run ` +
			'does it for you)');
	return url.replace(/\/+$/, '');
}

// request(base, method, path, opts) - one HTTP exchange.  opts: query
// (object, appended as given), headers, body (string, sent as is), json
// (object, sent as application/json), form (object, form-encoded).
// Resolves to {status, headers (lower-case keys), text, json}.
async function request(base, method, path, opts = {}) {
	let url = base + path;
	if (opts.query) {
		const qs = new URLSearchParams(opts.query).toString();
		if (qs)
			url += (url.includes('?') ? '&' : '?') + qs;
	}
	const headers = Object.assign({}, opts.headers || {});
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['Content-Type'] = 'application/json';
	} else if (opts.form !== undefined) {
		body = new URLSearchParams(opts.form).toString();
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
	}
	const res = await exchange(url, method, headers, body);
	let json;
	try {
		json = JSON.parse(res.text);
	} catch (e) {
		json = undefined;
	}
	return {status: res.status, headers: res.headers, text: res.text, json};
}

// exchange(...) - one request on a fresh connection (no keep-alive, so a
// finished suite has no idle socket holding its process open).
function exchange(url, method, headers, body) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const req = http.request({
			host: u.hostname,
			port: u.port,
			method,
			path: u.pathname + u.search,
			// Node frames a DELETE body only when told its length
			headers: Object.assign({Connection: 'close'}, headers,
				body === undefined ? {} :
					{'Content-Length': Buffer.byteLength(body)}),
			agent: false,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const h = {};
				for (const [k, v] of Object.entries(res.headers))
					h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
				resolve({status: res.statusCode, headers: h,
					text: Buffer.concat(chunks).toString('utf8')});
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

// reset(base) - back to the boot fixtures (README).
async function reset(base) {
	const r = await request(base, 'POST', '/_emulator/reset');
	assert.ok(r.status >= 200 && r.status < 300,
		`POST /_emulator/reset answered ${r.status}: ${r.text}`);
}

// graphGet(base, id, fields) - the object as a plain Graph read by the demo
// admin sees it: the answer must be a 200, its JSON is returned.
async function graphGet(base, id, fields) {
	const r = await request(base, 'GET', `/${VERSION}/${id}`,
		{query: {fields, access_token: TOKENS.admin}});
	assert.equal(r.status, 200, r.text);
	return r.json;
}

// advanceClock(base, seconds) - move the emulator clock forward.
async function advanceClock(base, seconds) {
	const r = await request(base, 'POST', '/_emulator/clock',
		{json: {advance_seconds: seconds}});
	assert.ok(r.status >= 200 && r.status < 300,
		`POST /_emulator/clock answered ${r.status}: ${r.text}`);
	return r.json;
}

// assertGraphError(r, code, subcode, type) - r is a Graph error envelope with
// that code (and subcode and type when given).
function assertGraphError(r, code, subcode, type) {
	assert.ok(r.json && r.json.error, `expected a Graph error, got ` +
		`${r.status} ${r.text}`);
	const e = r.json.error;
	assert.equal(e.code, code, `code of ${r.text}`);
	if (subcode !== undefined)
		assert.equal(e.error_subcode, subcode, `error_subcode of ${r.text}`);
	if (type !== undefined)
		assert.equal(e.type, type, `type of ${r.text}`);
	assert.equal(typeof e.message, 'string');
	assert.equal(typeof e.fbtrace_id, 'string');
	return e;
}

module.exports = {
	IDS, TOKENS, OWNED_WABAS, VERSION,
	baseUrl, request, reset, graphGet, advanceClock, assertGraphError,
};
