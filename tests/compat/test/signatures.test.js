'use strict';
// signatures.test.js - a real client's webhook verifier against what the
// emulator sends.  An emulator of its own is started with --webhook-url
// aimed at a node:http receiver in this process; an event fired through
// the control plane reaches it once per app of the demo fixtures, each
// signed with that app's secret.  @great-detail/whatsapp's own
// webhook.eventNotification() reads the raw body and X-Hub-Signature-256
// and must accept every delivery with its app's secret, and reject every
// delivery a `wrong_signature` fault rule signed with another key.
// (whatsapp-business 1.x has no signature check: its express handler
// parses the body and trusts it, so it has nothing to test here.)

const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const {spawn} = require('node:child_process');

const emu = require('../lib/emu');

const {IDS} = emu;
// The apps of fixtures/demo.json: --webhook-url subscribes both.
const SECRETS = Object.freeze({
	[IDS.app]: IDS.appSecret,
	'1000000000000002': 'secure-app-secret',
});

// A receiver on 127.0.0.1:0 that answers every POST 200 and keeps the
// request as the client's webhook helper takes it: method, headers and
// the body as a string, untouched.
function startReceiver() {
	const rx = {posts: [], waiters: []};
	rx.server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			rx.posts.push({method: req.method, headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8')});
			res.writeHead(200);
			res.end();
			rx.waiters = rx.waiters.filter((w) => !w());
		});
	});
	return new Promise((resolve) => {
		rx.server.listen(0, '127.0.0.1', () => {
			rx.url = `http://127.0.0.1:${rx.server.address().port}/`;
			resolve(rx);
		});
	});
}

// Resolves once rx holds n POSTs; fails after ms.
function waitPosts(rx, n, ms = 10000) {
	return new Promise((resolve, reject) => {
		const done = () => {
			if (rx.posts.length < n)
				return false;
			clearTimeout(timer);
			resolve(rx.posts.slice(0, n));
			return true;
		};
		const timer = setTimeout(() => reject(new Error(
			`${rx.posts.length} of ${n} deliveries in ${ms} ms`)), ms);
		if (!done())
			rx.waiters.push(done);
	});
}

// The binary tests/compat/run was given, on a free port, delivering to url.
function startEmulator(url) {
	const bin = process.env.WABA_EMULATOR_BIN;
	if (!bin)
		throw new Error('set WABA_EMULATOR_BIN (tests/compat/run does it)');
	const child = spawn(bin, ['--port', '0', '--seed', '1',
		'--webhook-url', url], {stdio: ['ignore', 'pipe', 'pipe']});
	child.stderr.resume();
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (c) => {
			out += c;
			const m = /waba-emulator listening on (http:\S+)/.exec(out);
			if (m) {
				child.stdout.resume();
				resolve({child, base: m[1].replace(/\/+$/, '')});
			}
		});
		child.on('exit', (code) => reject(new Error(
			`emulator exited (${code}) before serving`)));
	});
}

// Which of the apps' secrets the client's verifier accepts n with.
async function acceptedBy(webhook, n) {
	const ok = [];
	for (const [app, secret] of Object.entries(SECRETS)) {
		const note = await webhook.eventNotification(n);
		if (await note.checkSignature(secret))
			ok.push(app);
	}
	return ok;
}

describe('@great-detail/whatsapp verifies the emulator\'s signatures',
	() => {
	let rx, emulator, webhook;
	// Non-ASCII (escaped on the wire), a character above U+FFFF and a '/'
	// the body keeps as is: the client signs the string it was given.
	const value = {event: 'DISABLED_UPDATE', note: 'Caf\u00e9 \u2713 ' +
		'\u{1F600} a/b', ban_info: {waba_ban_state: 'DISABLE',
		waba_ban_date: 'April 17, 2025'}};

	before(async () => {
		rx = await startReceiver();
		emulator = await startEmulator(rx.url);
		const {Client} = await import('@great-detail/whatsapp');
		webhook = new Client().webhook;
	});

	after(async () => {
		if (emulator) {
			const code = await new Promise((resolve) => {
				emulator.child.once('exit', (c) => resolve(c));
				emulator.child.kill('SIGTERM');
			});
			assert.equal(code, 0, 'emulator exit status on SIGTERM');
		}
		if (rx)
			await new Promise((resolve) => rx.server.close(resolve));
	});

	async function fire() {
		const r = await emu.request(emulator.base, 'POST',
			'/_emulator/webhooks/events',
			{json: {field: 'account_update', waba: IDS.waba, value}});
		assert.ok(r.status >= 200 && r.status < 300, r.text);
		assert.equal(typeof r.json.event_id, 'string');
	}

	it('accepts each delivery with the secret of the app it went to',
		async () => {
		const from = rx.posts.length;
		await fire();
		const posts = (await waitPosts(rx, from + 2)).slice(from);
		const apps = [];
		for (const p of posts) {
			assert.equal(p.method, 'POST');
			assert.match(p.headers['x-hub-signature-256'],
				/^sha256=[0-9a-f]{64}$/);
			const note = await webhook.eventNotification(p);
			const body = note.eventNotification;
			assert.equal(body.object, 'whatsapp_business_account');
			assert.equal(body.entry.length, 1);
			assert.equal(body.entry[0].id, IDS.waba);
			assert.deepEqual(body.entry[0].changes,
				[{field: 'account_update', value}]);
			const ok = await acceptedBy(webhook, p);
			assert.equal(ok.length, 1,
				`accepted with ${ok.length} secrets: ${p.body}`);
			// the client's throwing form agrees
			await note.verifySignature(SECRETS[ok[0]]);
			apps.push(ok[0]);
		}
		assert.deepEqual(apps.sort(), Object.keys(SECRETS).sort());
	});

	it('rejects a delivery signed with another key (wrong_signature)',
		async () => {
		const rule = await emu.request(emulator.base, 'POST',
			'/_emulator/faults', {json: {match: {webhook: 'account_update'},
				wrong_signature: true, times: 2}});
		assert.ok(rule.status >= 200 && rule.status < 300, rule.text);
		const from = rx.posts.length;
		await fire();
		const posts = (await waitPosts(rx, from + 2)).slice(from);
		for (const p of posts) {
			assert.match(p.headers['x-hub-signature-256'],
				/^sha256=[0-9a-f]{64}$/);
			assert.deepEqual(await acceptedBy(webhook, p), []);
			const note = await webhook.eventNotification(p);
			await assert.rejects(note.verifySignature(SECRETS[IDS.app]),
				webhook.errors.InvalidHubSignatureWebhookError);
		}
		// the rule is spent: the next event verifies again
		const next = rx.posts.length;
		await fire();
		for (const p of (await waitPosts(rx, next + 2)).slice(next))
			assert.equal((await acceptedBy(webhook, p)).length, 1);
	});
});
