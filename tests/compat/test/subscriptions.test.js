'use strict';
// subscriptions.test.js - webhook subscriptions through the official Node
// SDK (facebook-nodejs-business-sdk, aimed by lib/sdk.js): the app reads its
// own node (Application.get), subscribes with Application.createSubscription
// (the emulator proves the callback against a receiver in this process
// first), lists and removes it; a WABA admin subscribes the app with
// WhatsAppBusinessAccount.createSubscribedApp, with and without an override,
// lists and removes it, and the PARTNER_APP_INSTALLED event reaches the
// receiver signed with the app's secret.

const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');

const emu = require('../lib/emu');
const S = require('../lib/sdk');

const {IDS, TOKENS} = emu;
const {Application, WhatsAppBusinessAccount} = S.sdk;

const base = emu.baseUrl('subs');
const VERIFY = 'vt-sdk';
const LINK = `https://www.facebook.com/games/?app_id=${IDS.app}`;

// A callback on 127.0.0.1:0: a GET with our verify token gets its
// hub.challenge back (Meta's handshake), any other GET a 403; a POST is
// recorded with its raw body and answered 200.
function startReceiver() {
	const rx = {gets: [], posts: [], waiters: []};
	rx.server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const u = new URL(req.url, 'http://127.0.0.1');
			if (req.method === 'GET') {
				rx.gets.push(u);
				const ok = u.searchParams.get('hub.mode') === 'subscribe' &&
					u.searchParams.get('hub.verify_token') === VERIFY;
				res.writeHead(ok ? 200 : 403, {'Content-Type': 'text/plain'});
				res.end(ok ? u.searchParams.get('hub.challenge') : 'no');
				return;
			}
			rx.posts.push({path: u.pathname, headers: req.headers,
				raw: Buffer.concat(chunks)});
			res.writeHead(200);
			res.end();
			rx.waiters = rx.waiters.filter((w) => !w());
		});
	});
	return new Promise((resolve) => {
		rx.server.listen(0, '127.0.0.1', () => {
			rx.url = `http://127.0.0.1:${rx.server.address().port}/hook`;
			resolve(rx);
		});
	});
}

// Resolves once rx has n POSTs; fails after ms.
function waitPosts(rx, n, ms = 5000) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(
			`${rx.posts.length} webhook POSTs after ${ms} ms, want ${n}`)), ms);
		const check = () => {
			if (rx.posts.length < n)
				return false;
			clearTimeout(timer);
			resolve(rx.posts);
			return true;
		};
		if (!check())
			rx.waiters.push(check);
	});
}

describe('official Node SDK: /{app-id}/subscriptions and /{waba-id}/subscribed_apps', () => {
	let rx;

	before(async () => {
		await emu.reset(base);
		S.aim(base);
		rx = await startReceiver();
	});

	after(() => new Promise((resolve) => rx.server.close(resolve)));

	it('Application.get reads the app node with its app token', async () => {
		S.api(TOKENS.app);
		const app = await new Application(IDS.app).get(['name', 'link']);
		assert.deepEqual(app._data, {id: IDS.app, name: 'Demo App', link: LINK});
	});

	it('createSubscription proves the callback, then getSubscriptions lists it', async () => {
		S.api(TOKENS.app);
		const app = new Application(IDS.app);
		const made = await app.createSubscription([], {
			object: 'whatsapp_business_account',
			callback_url: rx.url,
			verify_token: VERIFY,
			fields: ['account_update', 'message_template_status_update'],
			include_values: true,
		});
		assert.equal(made._data.success, true);
		assert.equal(rx.gets.length, 1);
		assert.equal(rx.gets[0].searchParams.get('hub.mode'), 'subscribe');
		assert.match(rx.gets[0].searchParams.get('hub.challenge'), /^[0-9]+$/);

		const subs = await app.getSubscriptions([]);
		assert.equal(subs.length, 1);
		assert.deepEqual(subs[0]._data, {
			object: 'whatsapp_business_account',
			callback_url: rx.url,
			active: true,
			fields: [
				{name: 'account_update', version: emu.VERSION},
				{name: 'message_template_status_update', version: emu.VERSION},
			],
		});
	});

	it('a callback that fails the handshake is 2200 and changes nothing', async () => {
		S.api(TOKENS.app);
		const app = new Application(IDS.app);
		await assert.rejects(app.createSubscription([], {
			object: 'whatsapp_business_account',
			callback_url: rx.url + '/other',
			verify_token: 'not-ours',
			fields: ['messages'],
		}), (e) => {
			assert.equal(e.name, 'FacebookRequestError');
			assert.equal(e.status, 400);
			assert.equal(e.response.code, 2200);
			assert.match(e.response.message,
				/^\(#2200\) Callback verification failed/);
			return true;
		});
		const subs = await app.getSubscriptions([]);
		assert.equal(subs.length, 1);
		assert.equal(subs[0]._data.callback_url, rx.url);
	});

	it('createSubscribedApp installs the app, and the signed event arrives', async () => {
		S.api(TOKENS.admin);
		const waba = new WhatsAppBusinessAccount(IDS.waba);
		const made = await waba.createSubscribedApp([], {});
		assert.equal(made._data.success, true);

		const apps = await waba.getSubscribedApps([]);
		assert.equal(apps.length, 1);
		assert.deepEqual(apps[0]._data, {whatsapp_business_api_data:
			{id: IDS.app, link: LINK, name: 'Demo App'}});

		const [post] = await waitPosts(rx, 1);
		const want = 'sha256=' + crypto.createHmac('sha256', IDS.appSecret)
			.update(post.raw).digest('hex');
		assert.equal(post.headers['x-hub-signature-256'], want);
		const env = JSON.parse(post.raw.toString('utf8'));
		assert.equal(env.entry[0].id, IDS.waba);
		assert.equal(env.entry[0].changes[0].field, 'account_update');
		assert.deepEqual(env.entry[0].changes[0].value, {
			event: 'PARTNER_APP_INSTALLED',
			waba_info: {waba_id: IDS.waba, owner_business_id: IDS.business,
				partner_app_id: IDS.app},
		});
	});

	it('an override is proven too, listed, and removed with the app', async () => {
		S.api(TOKENS.admin);
		const waba = new WhatsAppBusinessAccount(IDS.waba);
		const gets = rx.gets.length;
		await waba.createSubscribedApp([], {
			override_callback_uri: rx.url + '/override', verify_token: VERIFY,
		});
		assert.equal(rx.gets.length, gets + 1);
		assert.equal(rx.gets[gets].pathname, '/hook/override');
		let apps = await waba.getSubscribedApps([]);
		assert.equal(apps.length, 1);
		assert.equal(apps[0]._data.override_callback_uri, rx.url + '/override');

		const gone = await waba.deleteSubscribedApps({});
		assert.equal(gone.success, true);
		apps = await waba.getSubscribedApps([]);
		assert.equal(apps.length, 0);
	});

	it('deleteSubscriptions removes the app subscription', async () => {
		S.api(TOKENS.app);
		const app = new Application(IDS.app);
		const gone = await app.deleteSubscriptions({
			object: 'whatsapp_business_account'});
		assert.equal(gone.success, true);
		assert.equal((await app.getSubscriptions([])).length, 0);
	});
});
