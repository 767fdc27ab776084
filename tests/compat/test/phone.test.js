'use strict';
// phone.test.js - a phone number's life through two real clients, each
// pointed at the emulator through its own options, unpatched:
// whatsapp-business (an axios client whose base URL is a public default of
// client.restClient.fetch) runs request_code, verify_code, register,
// deregister and the business profile; @great-detail/whatsapp (ky, with a
// baseUrl constructor option) reads phone numbers, asks for a new display
// name and edits the business profile.  Codes are read from the control
// plane, as a person would read the SMS.

const {describe, it, beforeEach} = require('node:test');
const assert = require('node:assert/strict');

const emu = require('../lib/emu');
const {wbClient, gdClient} = require('../lib/clients');

const {IDS, TOKENS} = emu;
const base = emu.baseUrl('phone');

async function addNumber(number) {
	const r = await emu.request(base, 'POST',
		`/${emu.VERSION}/${IDS.wabaNoPhones}/phone_numbers`,
		{form: {cc: '1', phone_number: number, verified_name: 'Fern Books',
			access_token: TOKENS.admin}});
	assert.equal(r.status, 200, r.text);
	return r.json.id;
}

async function lastCode(id) {
	const r = await emu.request(base, 'GET',
		`/_emulator/phone_numbers/${id}/codes`);
	assert.equal(r.status, 200, r.text);
	return r.json.data[0].code;
}

describe('whatsapp-business', () => {
	beforeEach(() => emu.reset(base));

	it('takes a new number to CONNECTED and back', async () => {
		const c = wbClient(base);
		const id = await addNumber('5550108001');
		assert.deepEqual(await c.requestPhoneNumberVerificationCode({
			phoneNumberId: id, code_method: 'SMS', language: 'en_US'}),
		{success: true});
		// a wrong code surfaces as the client's error with Meta's subcode
		await assert.rejects(c.verifyPhoneNumberCode({phoneNumberId: id,
			code: '000000' === await lastCode(id) ? '111111' : '000000'}),
		(e) => e.code === 100 && e.error_subcode === 2388093);
		assert.deepEqual(await c.verifyPhoneNumberCode({phoneNumberId: id,
			code: await lastCode(id)}), {success: true});
		assert.deepEqual(await c.registerPhone({phoneNumberId: id,
			pin: '123456'}), {success: true});
		let p = await emu.graphGet(base, id,
			'status,code_verification_status,platform_type,throughput');
		assert.deepEqual(p, {status: 'CONNECTED',
			code_verification_status: 'VERIFIED', platform_type: 'CLOUD_API',
			throughput: {level: 'STANDARD'}, id});
		await assert.rejects(c.registerPhone({phoneNumberId: id,
			pin: '654321'}), (e) => e.code === 133005);
		assert.deepEqual(await c.deregisterPhone(id), {success: true});
		p = await emu.graphGet(base, id, 'status,platform_type');
		assert.deepEqual(p, {status: 'DISCONNECTED',
			platform_type: 'NOT_APPLICABLE', id});
	});

	it('edits and reads the business profile', async () => {
		const c = wbClient(base);
		assert.deepEqual(await c.updateBusinessProfile({
			about: 'Fresh fruit daily', email: 'hi@jasper.example',
			websites: ['https://jasper.example/'], vertical: 'GROCERY'}),
		{success: true});
		const got = await c.getBusinessProfile();
		assert.deepEqual(got, {data: [{about: 'Fresh fruit daily',
			email: 'hi@jasper.example', websites: ['https://jasper.example/'],
			vertical: 'GROCERY', messaging_product: 'whatsapp'}]});
		// an unknown vertical: a Graph 100, and nothing changed
		await assert.rejects(c.updateBusinessProfile({vertical: 'SPACESHIPS'}),
			(e) => e.code === 100);
		assert.deepEqual(await c.getBusinessProfile(['vertical']),
			{data: [{vertical: 'GROCERY', messaging_product: 'whatsapp'}]});
	});
});

describe('@great-detail/whatsapp', () => {
	beforeEach(() => emu.reset(base));

	it('reads phone numbers with the new fields', async () => {
		const c = await gdClient(base);
		const list = await c.phoneNumbers.listPhoneNumbers({
			businessAccountID: IDS.waba}).json();
		assert.ok(list.data.some((p) => p.id === IDS.phone));
		const p = await c.phoneNumbers.getPhoneNumber({phoneNumberID: IDS.phone,
			fields: ['whatsapp_business_manager_messaging_limit',
				'is_pin_enabled', 'health_status']}).json();
		assert.equal(p.whatsapp_business_manager_messaging_limit, 'TIER_250');
		assert.equal(p.is_pin_enabled, false);
		assert.equal(p.health_status.can_send_message, 'AVAILABLE');
	});

	it('asks for a new display name, decided on the clock', async () => {
		const c = await gdClient(base);
		assert.deepEqual(await c.phoneNumbers.updatePhoneNumber({
			phoneNumberID: IDS.phone, new_display_name: 'Jasper Fresh'}).json(),
		{success: true});
		const fields = 'verified_name,new_name_status';
		let p = await emu.graphGet(base, IDS.phone, fields);
		assert.equal(p.new_name_status, 'PENDING_REVIEW');
		await emu.advanceClock(base, 10);
		p = await emu.graphGet(base, IDS.phone, fields);
		assert.deepEqual(p, {verified_name: 'Jasper Fresh',
			new_name_status: 'APPROVED', id: IDS.phone});
	});

	it('edits the business profile, refusing an oversized about', async () => {
		const c = await gdClient(base);
		assert.deepEqual(await c.businessProfile.updateBusinessProfile({
			phoneNumberID: IDS.phone, about: 'Hello', description: 'd'.repeat(512),
		}).json(), {success: true});
		await assert.rejects(c.businessProfile.updateBusinessProfile({
			phoneNumberID: IDS.phone, about: 'a'.repeat(140)}).json(),
		(e) => e.response && e.response.status === 400);
		const got = await c.businessProfile.getBusinessProfile({
			phoneNumberID: IDS.phone, fields: ['about', 'description']}).json();
		assert.deepEqual(got, {data: [{about: 'Hello',
			description: 'd'.repeat(512), messaging_product: 'whatsapp'}]});
	});
});
