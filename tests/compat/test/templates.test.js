'use strict';
// templates.test.js - message templates through two real clients, each
// pointed at the emulator without patching it: the official Node SDK
// (facebook-nodejs-business-sdk, WhatsAppBusinessAccount's template
// methods, aimed by lib/sdk.js) and @great-detail/whatsapp (its Client
// takes a baseUrl option).  Each creates a template, watches it become
// approved by moving the emulator clock, lists, edits, reads and deletes
// it, and meets the documented errors as its own error type.

const {describe, it, before} = require('node:test');
const assert = require('node:assert/strict');

const emu = require('../lib/emu');
const S = require('../lib/sdk');

const {IDS, TOKENS} = emu;
const {WhatsAppBusinessAccount} = S.sdk;

const base = emu.baseUrl('templates');
const BODY = [{type: 'BODY', text: 'Your order {{1}} is ready',
	example: {body_text: [['42']]}}];

describe('official Node SDK: WhatsAppBusinessAccount template methods', () => {
	before(async () => {
		await emu.reset(base);
		S.aim(base);
		S.api(TOKENS.admin);
	});

	it('creates, watches the review on the clock, lists and deletes', async () => {
		const waba = new WhatsAppBusinessAccount(IDS.waba);
		const made = await waba.createMessageTemplate([], {
			name: 'sdk_order_ready', language: 'en_US',
			category: 'UTILITY', components: BODY,
		});
		assert.match(made.id, /^[0-9]{15,16}$/);
		assert.equal(made._data.status, 'PENDING');
		assert.equal(made._data.category, 'UTILITY');
		await emu.advanceClock(base, 10);
		assert.equal((await emu.graphGet(base, made.id, 'status')).status,
			'APPROVED');

		const page = await waba.getMessageTemplates(
			['name', 'status', 'language'], {status: 'APPROVED', limit: 1});
		assert.equal(page.length, 1);
		assert.equal(page[0]._data.name, 'hello_world');
		assert.ok(page.hasNext());
		const next = await page.next();
		assert.deepEqual(next.map((t) => t._data.name), ['sdk_order_ready']);

		await waba.deleteMessageTemplates({name: 'sdk_order_ready'});
		assert.equal((await emu.graphGet(base, made.id, 'status')).status,
			'PENDING_DELETION');
		const left = await waba.getMessageTemplates(['name'], {});
		assert.deepEqual(left.map((t) => t._data.name), ['hello_world']);
	});

	it('gets the duplicate error as a FacebookRequestError', async () => {
		const waba = new WhatsAppBusinessAccount(IDS.waba);
		let err = null;
		try {
			await waba.createMessageTemplate([], {
				name: 'hello_world', language: 'en_US',
				category: 'UTILITY', components: BODY,
			});
		} catch (e) {
			err = e;
		}
		assert.ok(err && err.name === 'FacebookRequestError', String(err));
		assert.equal(err.response.code, 100);
		assert.equal(err.response.error_subcode, 2388024);
		assert.equal(err.response.error_user_title,
			'Content in this language already exists');
	});
});

describe('@great-detail/whatsapp: template client', () => {
	let client;

	before(async () => {
		await emu.reset(base);
		const {Client} = await import('@great-detail/whatsapp');
		client = new Client({
			baseUrl: base,
			graphVersion: emu.VERSION,
			request: {headers: {Authorization: `Bearer ${TOKENS.admin}`}},
		});
	});

	it('creates, lists with filters, edits, reads and deletes', async () => {
		const made = await (await client.template.create(IDS.waba, {
			name: 'gd_welcome', language: 'pt_BR', category: 'MARKETING',
			components: [{type: 'BODY', text: 'Bem-vindo'}],
		})).json();
		assert.equal(made.status, 'PENDING');
		assert.equal(made.category, 'MARKETING');
		await emu.advanceClock(base, 10);

		const listed = await (await client.template.list(IDS.waba, {
			status: ['APPROVED', 'PENDING'], language: 'pt_BR',
			fields: ['name', 'status'],
		})).json();
		assert.deepEqual(listed.data,
			[{name: 'gd_welcome', status: 'APPROVED', id: made.id}]);
		const found = await (await client.template.list(IDS.waba, {
			name_or_content: 'bem-vindo', fields: ['name'],
		})).json();
		assert.deepEqual(found.data.map((t) => t.name), ['gd_welcome']);

		const edited = await (await client.template.update(made.id, {
			components: [{type: 'BODY', text: 'Olá'}],
		})).json();
		assert.deepEqual(edited, {success: true});
		const read = await (await client.template.get(made.id,
			{fields: ['status', 'components']})).json();
		assert.equal(read.status, 'PENDING');
		assert.equal(read.components[0].text, 'Olá');

		const gone = await (await client.template.delete(IDS.waba,
			{name: 'gd_welcome', hsm_id: made.id})).json();
		assert.deepEqual(gone, {success: true});
		assert.equal((await emu.graphGet(base, made.id, 'status')).status,
			'PENDING_DELETION');
	});

	it('surfaces Graph errors through its HTTP client', async () => {
		let err = null;
		try {
			await client.template.create(IDS.waba, {
				name: 'Bad Name', language: 'en_US', category: 'UTILITY',
				components: BODY,
			});
		} catch (e) {
			err = e;
		}
		assert.ok(err, 'the call should have failed');
		assert.equal(err.response.status, 400);
		// ky has read the body already and keeps it as err.data
		const body = err.data;
		assert.equal(body.error.code, 100);
		assert.equal(typeof body.error.fbtrace_id, 'string');
		// nothing was created
		const r = await emu.request(base, 'GET',
			`/${emu.VERSION}/${IDS.waba}/message_templates`,
			{query: {summary: 'total_count', limit: '0',
				access_token: TOKENS.admin}});
		assert.equal(r.json.summary.total_count, 1);
	});
});
