'use strict';
// messages.test.js - sending messages through two real clients, each
// pointed at the emulator through its own options, unpatched:
// whatsapp-business (sendMessage; its axios base URL is public) and
// @great-detail/whatsapp (message.createMessage; a baseUrl option).  Each
// sends the demo's hello_world template and, once a customer has written
// in (POST /_emulator/inbound), a text; a text before that is refused
// with the Cloud API's 131047.  The statuses are read from the state after
// the clock has moved past their delays.

const {describe, it, beforeEach} = require('node:test');
const assert = require('node:assert/strict');

const emu = require('../lib/emu');
const {wbClient, gdClient} = require('../lib/clients');

const {IDS} = emu;
const base = emu.baseUrl('messages');
const TO = '16505551234';

const TEMPLATE = {name: 'hello_world', language: {code: 'en_US'}};

function assertAccepted(answer, input) {
	assert.equal(answer.messaging_product, 'whatsapp');
	assert.deepEqual(answer.contacts, [{input, wa_id: TO}]);
	assert.equal(answer.messages.length, 1);
	assert.match(answer.messages[0].id, /^wamid\.[A-Za-z0-9_-]+$/);
	assert.equal(answer.messages[0].message_status, 'accepted');
}

async function inbound() {
	const r = await emu.request(base, 'POST', '/_emulator/inbound',
		{json: {phone_number_id: IDS.phone, from: TO, text: 'Hi'}});
	assert.equal(r.status, 200, r.text);
	assert.match(r.json.message_id, /^wamid\./);
}

// The status the state holds for message id, after the clock moved on.
async function statusOf(id) {
	await emu.advanceClock(base, 10);
	const r = await emu.request(base, 'GET', '/_emulator/state');
	assert.equal(r.status, 200, r.text);
	const m = r.json.messages.find((x) => x.id === id);
	assert.ok(m, `no message ${id} in the state`);
	return m.status;
}

describe('whatsapp-business', () => {
	beforeEach(() => emu.reset(base));

	it('sends a template, and a text once the customer wrote in', async () => {
		const c = wbClient(base);
		const t = await c.sendMessage({to: TO, type: 'template',
			template: TEMPLATE});
		assertAccepted(t, TO);
		await assert.rejects(c.sendMessage({to: TO, type: 'text',
			text: {body: 'Hello'}}), (e) => e.code === 131047);
		await inbound();
		const m = await c.sendMessage({to: TO, type: 'text',
			text: {body: 'Hello'}});
		assertAccepted(m, TO);
		assert.notEqual(m.messages[0].id, t.messages[0].id);
		assert.equal(await statusOf(t.messages[0].id), 'read');
	});

	it('meets the template gates as Cloud API errors', async () => {
		const c = wbClient(base);
		await assert.rejects(c.sendMessage({to: TO, type: 'template',
			template: {name: 'no_such', language: {code: 'en_US'}}}),
		(e) => e.code === 132001);
		await assert.rejects(c.sendMessage({to: TO, type: 'template',
			template: {...TEMPLATE, components: [{type: 'body',
				parameters: [{type: 'text', text: 'x'}]}]}}),
		(e) => e.code === 132000);
	});
});

describe('@great-detail/whatsapp', () => {
	beforeEach(() => emu.reset(base));

	it('sends a template, and a text once the customer wrote in', async () => {
		const client = await gdClient(base);
		const t = await (await client.message.createMessage({
			phoneNumberID: IDS.phone, to: TO, type: 'template',
			template: TEMPLATE})).json();
		assertAccepted(t, TO);
		await assert.rejects(client.message.createMessage({
			phoneNumberID: IDS.phone, to: TO, type: 'text',
			text: {body: 'Hello'}}), (e) => e.response &&
			e.response.status === 400);
		await inbound();
		const m = await (await client.message.createMessage({
			phoneNumberID: IDS.phone, to: TO, type: 'text',
			text: {body: 'Hello'}})).json();
		assertAccepted(m, TO);
		assert.equal(await statusOf(m.messages[0].id), 'read');
	});
});
