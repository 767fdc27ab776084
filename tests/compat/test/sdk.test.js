'use strict';
// sdk.test.js - the official Node SDK (facebook-nodejs-business-sdk 24.x)
// against the emulator: the calls a WhatsApp Business Management integration
// makes, the SDK's cursor following paging.next verbatim, its batch client,
// getAppID, and every error surfacing as the SDK's own FacebookRequestError.
// A recording proxy (lib/wire.js) pins down what the SDK puts on the wire;
// README.md lists those facts and the test that covers each.

const {describe, it, before, after, beforeEach} = require('node:test');
const assert = require('node:assert/strict');

const emu = require('../lib/emu');
const wire = require('../lib/wire');
const S = require('../lib/sdk');

const {IDS, TOKENS, OWNED_WABAS} = emu;
const {
	FacebookAdsApi, FacebookAdsApiBatch, APIRequest,
	Business, WhatsAppBusinessAccount, AssignedUser,
} = S.sdk;

// The SDK does not export FacebookRequestError; its instances are Errors
// whose constructor carries that name.
function isRequestError(e) {
	return e instanceof Error && e.name === 'FacebookRequestError' &&
		Object.getPrototypeOf(e).constructor.name === 'FacebookRequestError';
}

const base = emu.baseUrl('sdk');

// expectSdkError(promise, want) - promise rejects with a FacebookRequestError
// whose HTTP status and Graph error match want {status, code, subcode, type}.
async function expectSdkError(promise, want) {
	let err = null;
	try {
		await promise;
	} catch (e) {
		err = e;
	}
	assert.ok(err, 'the call should have failed');
	assert.ok(isRequestError(err),
		`expected FacebookRequestError, got ${err && err.name}: ` +
		`${err && err.message}`);
	const body = err.response;
	assert.ok(body && typeof body === 'object', 'error body parsed');
	if (want.status !== undefined)
		assert.equal(err.status, want.status, `HTTP status (${err.message})`);
	assert.equal(body.code, want.code, `code (${err.message})`);
	if (want.subcode !== undefined)
		assert.equal(body.error_subcode, want.subcode,
			`error_subcode (${err.message})`);
	if (want.type !== undefined)
		assert.equal(body.type, want.type, `type (${err.message})`);
	assert.equal(err.message, body.message);
	assert.equal(typeof body.fbtrace_id, 'string');
	return err;
}

// data(obj) - the fields an SDK object holds, as read from the server.
function data(obj) {
	return Object.assign({}, obj._data);
}

// drain(cursor) - every object of every page, following cursor.next().
async function drain(cursor) {
	const all = [...cursor];
	let pages = 1;
	while (cursor.hasNext()) {
		await cursor.next();
		all.push(...cursor);
		pages++;
		assert.ok(pages < 100, 'paging does not end');
	}
	return {all, pages};
}

before(() => {
	S.aim(base);
	S.api(TOKENS.admin);
});

describe('SDK set-up', () => {
	it('builds every URL from the emulator base, never graph.facebook.com',
		() => {
			assert.equal(FacebookAdsApi.GRAPH, base);
			assert.equal(FacebookAdsApi.VERSION, 'v24.0');
		});

	it('never enables its crash reporter', () => {
		assert.equal(S.crashEnableAttempts(), 0);
		// CrashReporter.enable() would hook 'uncaughtException'; the test
		// runner hooks it too, so look for the SDK's handler by its text.
		for (const f of process.listeners('uncaughtException'))
			assert.doesNotMatch(String(f), /SDK crash|crash reporter/i);
	});
});

describe('Business#getOwnedWhatsAppBusinessAccounts', () => {
	before(() => emu.reset(base));

	it('lists the owned WABAs with the default fields', async () => {
		const c = await new Business(IDS.business)
			.getOwnedWhatsAppBusinessAccounts([], {});
		const {all} = await drain(c);
		const ids = all.map((w) => w.id).sort();
		assert.deepEqual(ids, Object.keys(OWNED_WABAS).sort());
		for (const w of all) {
			assert.ok(w instanceof WhatsAppBusinessAccount);
			const d = data(w);
			for (const k of Object.keys(d))
				assert.ok(['id', 'name', 'currency', 'timezone_id',
					'message_template_namespace'].includes(k),
				`unexpected default field ${k}`);
			assert.equal(typeof d.name, 'string');
		}
	});

	it('returns the fields asked for', async () => {
		const c = await new Business(IDS.business)
			.getOwnedWhatsAppBusinessAccounts(['id', 'name', 'creation_time',
				'ownership_type'], {});
		const {all} = await drain(c);
		for (const w of all) {
			const d = data(w);
			assert.deepEqual(Object.keys(d).sort(),
				['creation_time', 'id', 'name', 'ownership_type']);
			assert.equal(d.creation_time, OWNED_WABAS[d.id]);
			assert.equal(d.ownership_type, 'SELF');
		}
	});

	it('pages one WABA at a time through every page with cursor.next()',
		async () => {
			const c = await new Business(IDS.business)
				.getOwnedWhatsAppBusinessAccounts(['id', 'name'], {limit: 1});
			assert.equal(c.length, 1);
			assert.ok(c.hasNext(), 'a first page of one has a next page');
			assert.ok(!c.hasPrevious(), 'the first page has no previous');
			assert.ok(c.paging.cursors.before && c.paging.cursors.after);
			const next = new URL(c.paging.next);
			assert.equal(next.origin, base, 'paging.next built from Host');
			assert.equal(next.searchParams.get('access_token'), TOKENS.admin);
			assert.equal(next.searchParams.get('limit'), '1');
			assert.equal(next.searchParams.get('fields'), 'id,name');

			const {all, pages} = await drain(c);
			assert.equal(pages, 3);
			const ids = all.map((w) => w.id);
			assert.equal(new Set(ids).size, ids.length, 'no WABA twice');
			assert.deepEqual([...ids].sort(),
				Object.keys(OWNED_WABAS).sort());
			assert.ok(!c.hasNext(), 'the last page has no next');
			assert.ok(c.hasPrevious(), 'the last page has a previous');

			// and back again with cursor.previous()
			await c.previous();
			assert.equal(c.length, 1);
			assert.equal(c[0].id, ids[1]);
		});

	it('filters on creation_time (IN_RANGE, GREATER_THAN) as a JSON array',
		async () => {
			const b = new Business(IDS.business);
			let c = await b.getOwnedWhatsAppBusinessAccounts(
				['id', 'creation_time'], {
					filtering: [{field: 'creation_time', operator: 'IN_RANGE',
						value: ['1599999999', '1615000000']}],
				});
			let {all} = await drain(c);
			assert.deepEqual(all.map((w) => w.id).sort(),
				[IDS.waba, IDS.wabaNoPhones]);

			c = await b.getOwnedWhatsAppBusinessAccounts(['id'], {
				filtering: [{field: 'creation_time', operator: 'GREATER_THAN',
					value: '1620000000'}],
			});
			({all} = await drain(c));
			assert.deepEqual(all.map((w) => w.id), [IDS.wabaLabs]);
		});

	it('keeps the filter and sort on every page', async () => {
		const c = await new Business(IDS.business)
			.getOwnedWhatsAppBusinessAccounts(['id', 'creation_time'], {
				limit: 1,
				sort: 'creation_time_ascending',
				filtering: [{field: 'creation_time', operator: 'LESS_THAN',
					value: '1630000000'}],
			});
		const {all, pages} = await drain(c);
		assert.equal(pages, 2);
		assert.deepEqual(all.map((w) => w.id), [IDS.waba, IDS.wabaNoPhones]);
	});

	it('sorts by creation_time descending', async () => {
		const c = await new Business(IDS.business)
			.getOwnedWhatsAppBusinessAccounts(['id'], {
				sort: ['creation_time_descending'],
			});
		const {all} = await drain(c);
		assert.deepEqual(all.map((w) => w.id),
			[IDS.wabaLabs, IDS.wabaNoPhones, IDS.waba]);
	});

	it('rejects an unsupported filter field with code 100', async () => {
		await expectSdkError(new Business(IDS.business)
			.getOwnedWhatsAppBusinessAccounts(['id'], {
				filtering: [{field: 'colour', operator: 'EQUAL',
					value: 'blue'}],
			}), {status: 400, code: 100, type: 'OAuthException'});
	});
});

describe('Business#getClientWhatsAppBusinessAccounts', () => {
	it('lists the shared WABA with its permitted tasks', async () => {
		const c = await new Business(IDS.business)
			.getClientWhatsAppBusinessAccounts(['id', 'name', 'ownership_type',
				'permitted_tasks'], {});
		const {all} = await drain(c);
		assert.deepEqual(all.map((w) => w.id), [IDS.wabaClient]);
		const d = data(all[0]);
		assert.equal(d.ownership_type, 'CLIENT_OWNED');
		assert.deepEqual([...d.permitted_tasks].sort(), ['DEVELOP', 'MANAGE']);
	});
});

describe('WhatsAppBusinessAccount#get', () => {
	it('reads the default fields', async () => {
		const w = await new WhatsAppBusinessAccount(IDS.waba).get([]);
		const d = data(w);
		assert.equal(d.id, IDS.waba);
		assert.equal(d.name, "Jasper's Market");
		assert.equal(d.currency, 'USD');
		assert.equal(d.timezone_id, '1');
		assert.equal(typeof d.message_template_namespace, 'string');
		assert.deepEqual(Object.keys(d).sort(), ['currency', 'id',
			'message_template_namespace', 'name', 'timezone_id']);
	});

	it('reads named fields, including nested edges', async () => {
		const w = await new WhatsAppBusinessAccount(IDS.waba).get([
			'name', 'ownership_type', 'business_verification_status',
			'primary_funding_id', 'purchase_order_number',
			'is_enabled_for_insights', 'phone_numbers.limit(1){id}']);
		const d = data(w);
		assert.equal(d.ownership_type, 'SELF');
		assert.equal(d.business_verification_status, 'verified');
		assert.equal(d.primary_funding_id, '6000000000000001');
		assert.equal(d.purchase_order_number, 'PO-1001');
		assert.equal(d.is_enabled_for_insights, true);
		assert.equal(d.phone_numbers.data.length, 1);
		assert.ok(d.phone_numbers.paging.next, 'nested edge pages');
		/* the SDK object keeps its own key order (id first from the
		 * constructor); id-last on the wire is an end-to-end C test */
		assert.equal(d.id, IDS.waba);
	});
});

describe('WhatsAppBusinessAccount#getPhoneNumbers', () => {
	before(() => emu.reset(base));

	it('lists the phone numbers with the default item fields', async () => {
		const c = await new WhatsAppBusinessAccount(IDS.waba)
			.getPhoneNumbers([], {});
		const {all} = await drain(c);
		assert.deepEqual(all.map((p) => p._data.id).sort(),
			[IDS.phone, IDS.phone2]);
		for (const p of all)
			assert.deepEqual(Object.keys(p._data).sort(), [
				'code_verification_status', 'display_phone_number', 'id',
				'quality_rating', 'verified_name']);
		const first = all.find((p) => p._data.id === IDS.phone)._data;
		assert.equal(first.display_phone_number, '+1 555-010-0200');
		assert.equal(first.code_verification_status, 'VERIFIED');
		assert.equal(first.quality_rating, 'GREEN');
	});

	it('filters on status', async () => {
		const c = await new WhatsAppBusinessAccount(IDS.waba).getPhoneNumbers(
			['id', 'status'], {
				filtering: [{field: 'status', operator: 'EQUAL',
					value: 'CONNECTED'}],
			});
		const {all} = await drain(c);
		assert.deepEqual(all.map((p) => p._data),
			[{id: IDS.phone, status: 'CONNECTED'}]);
	});

	it('answers summary=total_count', async () => {
		const c = await new WhatsAppBusinessAccount(IDS.waba).getPhoneNumbers(
			['id'], {summary: 'total_count', limit: 1});
		assert.equal(c.length, 1);
		assert.equal(c.summary.total_count, 2);
	});
});

describe('WhatsAppBusinessAccount#createPhoneNumber', () => {
	beforeEach(() => emu.reset(base));

	it('creates a number and the number reads back', async () => {
		// createEdge() with no target class copies the answer into the
		// object it was called on: the WABA object's id becomes the new
		// phone number's id.  That is the SDK's doing, not the server's.
		const w = new WhatsAppBusinessAccount(IDS.waba);
		const r = await w.createPhoneNumber([], {
			cc: '1', phone_number: '5550100299', verified_name: 'Compat Shop'});
		const id = r.id;
		assert.match(id, /^[0-9]{15,16}$/);
		assert.deepEqual(Object.keys(r._data), ['id']);

		const api = FacebookAdsApi.getDefaultApi();
		const node = await api.call('GET', [id], {fields:
			'id,display_phone_number,verified_name,status,' +
			'code_verification_status,quality_rating,name_status,platform_type'});
		assert.deepEqual(node, {
			id,
			display_phone_number: '+1 555-010-0299',
			verified_name: 'Compat Shop',
			status: 'PENDING',
			code_verification_status: 'NOT_VERIFIED',
			quality_rating: 'UNKNOWN',
			name_status: 'PENDING_REVIEW',
			platform_type: 'NOT_APPLICABLE',
		});

		const c = await new WhatsAppBusinessAccount(IDS.waba)
			.getPhoneNumbers(['id'], {});
		const {all} = await drain(c);
		assert.ok(all.some((p) => p._data.id === id),
			'the new number is on the WABA');
	});

	it('reads the new node back in the same call when fields are given',
		async () => {
			const r = await new WhatsAppBusinessAccount(IDS.waba)
				.createPhoneNumber(['id', 'display_phone_number', 'status'], {
					cc: '44', phone_number: '7700900999',
					verified_name: 'Compat Shop'});
			const d = data(r);
			assert.match(d.id, /^[0-9]{15,16}$/);
			assert.equal(d.status, 'PENDING');
			assert.match(d.display_phone_number, /^\+44 /);
		});

	it('migrates a number from another WABA of the business', async () => {
		const r = await new WhatsAppBusinessAccount(IDS.waba)
			.createPhoneNumber([], {cc: '1', phone_number: '5550100400',
				migrate_phone_number: true});
		assert.equal(r.id, IDS.labsPhone, 'a migrated number keeps its id');
		const c = await new WhatsAppBusinessAccount(IDS.wabaLabs)
			.getPhoneNumbers(['id'], {});
		const {all} = await drain(c);
		assert.ok(!all.some((p) => p._data.id === IDS.labsPhone));
	});

	it('refuses a number already on another WABA without migration (200000)',
		async () => {
			await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
				.createPhoneNumber([], {cc: '1', phone_number: '5550100400',
					verified_name: 'Labs'}),
			{status: 400, code: 200000, type: 'OAuthException'});
		});

	it('refuses a WABA at its phone_number_limit (200000)', async () => {
		await expectSdkError(new WhatsAppBusinessAccount(IDS.wabaLabs)
			.createPhoneNumber([], {cc: '1', phone_number: '5550100499',
				verified_name: 'Labs'}),
		{status: 400, code: 200000});
	});

	it('says which parameter is missing (100)', async () => {
		const e = await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
			.createPhoneNumber([], {cc: '1', verified_name: 'No Number'}),
		{status: 400, code: 100, type: 'OAuthException'});
		assert.match(e.message, /phone_number/);
	});
});

describe('WhatsAppBusinessAccount assigned users', () => {
	beforeEach(() => emu.reset(base));

	async function assigned() {
		const c = await new WhatsAppBusinessAccount(IDS.waba)
			.getAssignedUsers(['id', 'name', 'tasks'],
				{business: IDS.business});
		const {all} = await drain(c);
		const out = {};
		for (const u of all) {
			assert.ok(u instanceof AssignedUser);
			out[u.id] = [...u.tasks].sort();
		}
		return out;
	}

	it('#getAssignedUsers lists {id,name,tasks} (with business)',
		async () => {
			const c = await new WhatsAppBusinessAccount(IDS.waba)
				.getAssignedUsers([], {business: IDS.business});
			const {all} = await drain(c);
			for (const u of all)
				assert.deepEqual(Object.keys(u._data).sort(),
					['id', 'name', 'tasks']);
			assert.deepEqual(await assigned(), {
				[IDS.employee]: ['DEVELOP', 'VIEW_PHONE_ASSETS'],
				[IDS.manager]: ['MANAGE'],
			});
		});

	it('#getAssignedUsers without business is a 100', async () => {
		const e = await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
			.getAssignedUsers(['id'], {}),
		{status: 400, code: 100, type: 'OAuthException'});
		assert.match(e.message, /business/);
	});

	it('#createAssignedUser assigns, and re-assigning replaces the tasks',
		async () => {
			const w = new WhatsAppBusinessAccount(IDS.waba);
			let r = await w.createAssignedUser([], {
				user: IDS.noaccess, tasks: ['MANAGE', 'VIEW_COST']});
			assert.equal(r.success, true);
			assert.deepEqual((await assigned())[IDS.noaccess],
				['MANAGE', 'VIEW_COST']);

			r = await new WhatsAppBusinessAccount(IDS.waba)
				.createAssignedUser([], {
					user: IDS.noaccess, tasks: [
						WhatsAppBusinessAccount.Tasks.develop]});
			assert.equal(r.success, true);
			assert.deepEqual((await assigned())[IDS.noaccess], ['DEVELOP']);
		});

	it('#createAssignedUser gives the new user access', async () => {
		const mine = S.apiFor(TOKENS.noaccess);
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba, {},
			undefined, mine).get(['name']), {status: 403, code: 200});
		await new WhatsAppBusinessAccount(IDS.waba).createAssignedUser([], {
			user: IDS.noaccess, tasks: ['VIEW_PHONE_ASSETS']});
		const w = await new WhatsAppBusinessAccount(IDS.waba, {}, undefined,
			mine).get(['name']);
		assert.equal(w.name, "Jasper's Market");
	});

	it('#createAssignedUser rejects a bad task (100)', async () => {
		const e = await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
			.createAssignedUser([], {user: IDS.noaccess, tasks: ['OWN']}),
		{status: 400, code: 100});
		assert.match(e.message, /tasks/);
	});

	it('#createAssignedUser without tasks is a 100', async () => {
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
			.createAssignedUser([], {user: IDS.noaccess}),
		{status: 400, code: 100});
	});

	it('#createAssignedUser for a user of another business is a 100',
		async () => {
			const e = await expectSdkError(new WhatsAppBusinessAccount(IDS.waba)
				.createAssignedUser([], {user: IDS.partnerAdmin,
					tasks: ['MANAGE']}),
			{status: 400, code: 100});
			assert.match(e.message, /user/);
		});

	it('#deleteAssignedUsers removes the assignment', async () => {
		const r = await new WhatsAppBusinessAccount(IDS.waba)
			.deleteAssignedUsers({user: IDS.employee});
		assert.deepEqual(r, {success: true});
		assert.deepEqual(Object.keys(await assigned()), [IDS.manager]);
	});

	it('#deleteAssignedUsers of a user not assigned also succeeds',
		async () => {
			const r = await new WhatsAppBusinessAccount(IDS.waba)
				.deleteAssignedUsers({user: IDS.noaccess});
			assert.deepEqual(r, {success: true});
		});

	it('a MANAGE user may assign; a DEVELOP user may not (200)', async () => {
		const mgr = S.apiFor(TOKENS.manager);
		const r = await new WhatsAppBusinessAccount(IDS.waba, {}, undefined,
			mgr).createAssignedUser([], {user: IDS.noaccess,
			tasks: ['DEVELOP']});
		assert.equal(r.success, true);
		const dev = S.apiFor(TOKENS.employee);
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba, {},
			undefined, dev).createAssignedUser([], {user: IDS.noaccess,
			tasks: ['MANAGE']}),
		{status: 403, code: 200, type: 'OAuthException'});
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba, {},
			undefined, dev).getAssignedUsers(['id'], {business: IDS.business}),
		{status: 403, code: 200});
	});
});

describe('errors surface as FacebookRequestError', () => {
	before(() => emu.reset(base));

	it('unknown id: 100/33 GraphMethodException', async () => {
		const e = await expectSdkError(
			new WhatsAppBusinessAccount(IDS.unknown).get(['name']),
			{status: 400, code: 100, subcode: 33,
				type: 'GraphMethodException'});
		assert.ok(e.message.startsWith('Unsupported get request. Object ' +
			`with ID '${IDS.unknown}' does not exist`), e.message);
	});

	it('unknown id on a POST says post', async () => {
		const e = await expectSdkError(
			new WhatsAppBusinessAccount(IDS.unknown).createAssignedUser([],
				{user: IDS.noaccess, tasks: ['MANAGE']}),
			{status: 400, code: 100, subcode: 33});
		assert.match(e.message, /^Unsupported post request\./);
	});

	it('bad token: 190 OAuthException', async () => {
		const bad = S.apiFor(TOKENS.bogus);
		const e = await expectSdkError(new WhatsAppBusinessAccount(IDS.waba,
			{}, undefined, bad).get(['name']),
		{status: 401, code: 190, type: 'OAuthException'});
		assert.equal(e.message,
			'Invalid OAuth access token - Cannot parse access token');
		assert.match(e.headers['www-authenticate'] || '',
			/^OAuth "Facebook Platform" "invalid_token" /);
	});

	it('expired token: 190/463', async () => {
		const old = S.apiFor(TOKENS.expired);
		const e = await expectSdkError(new Business(IDS.business, {},
			undefined, old).getOwnedWhatsAppBusinessAccounts(['id'], {}),
		{status: 401, code: 190, subcode: 463, type: 'OAuthException'});
		assert.match(e.message, /^Error validating access token: Session has expired on /);
	});

	it('token without whatsapp_business_management: 200', async () => {
		const scoped = S.apiFor(TOKENS.noScope);
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba, {},
			undefined, scoped).getPhoneNumbers(['id'], {}),
		{status: 403, code: 200, type: 'OAuthException'});
	});

	it('user without an assignment: 200', async () => {
		const none = S.apiFor(TOKENS.noaccess);
		await expectSdkError(new WhatsAppBusinessAccount(IDS.waba, {},
			undefined, none).getPhoneNumbers(['id'], {}),
		{status: 403, code: 200});
	});

	it('unknown field: 100 naming field and node type', async () => {
		const e = await expectSdkError(
			new WhatsAppBusinessAccount(IDS.waba).get(['colour']),
			{status: 400, code: 100, type: 'OAuthException'});
		assert.equal(e.message, '(#100) Tried accessing nonexisting field ' +
			'(colour) on node type (WhatsAppBusinessAccount)');
	});

	it('fields syntax error: 2500', async () => {
		await expectSdkError(
			new WhatsAppBusinessAccount(IDS.waba).get(['name', 'name']),
			{status: 400, code: 2500, type: 'OAuthException'});
	});

	it('the error keeps the response headers', async () => {
		const e = await expectSdkError(
			new WhatsAppBusinessAccount(IDS.unknown).get(['name']),
			{code: 100});
		assert.equal(e.headers['x-fb-request-id'], e.response.fbtrace_id);
		assert.equal(e.headers['cache-control'], 'no-store');
	});
});

// Needs an emulator of its own with a tiny limit; tests/compat/run starts it.
const throttled = process.env.WABA_URL_THROTTLE ? false :
	'needs WABA_URL_THROTTLE: an emulator started with --rate-limit 5 ' +
	'--rate-limit-active 5';

describe('throttling (emulator started with --rate-limit 5)', {
	skip: throttled,
}, () => {
	const tbase = throttled ? null : emu.baseUrl('throttle');

	before(async () => {
		await emu.reset(tbase);
		S.aim(tbase);
	});
	after(() => {
		S.aim(base);
		S.api(TOKENS.admin);
	});

	it('the sixth GET /{waba} in an hour is 80008 / 2446079, transient',
		async () => {
			const api = S.apiFor(TOKENS.admin);
			const w = () => new WhatsAppBusinessAccount(IDS.wabaNoPhones, {},
				undefined, api);
			for (let i = 0; i < 5; i++)
				await w().get(['name']);
			const e = await expectSdkError(w().get(['name']), {
				status: 429, code: 80008, subcode: 2446079,
				type: 'OAuthException'});
			assert.equal(e.response.is_transient, true);
			assert.match(e.message, /^\(#80008\) There have been too many calls to this WhatsApp Business account\./);
			const usage = JSON.parse(e.headers['x-business-use-case-usage']);
			const entry = usage[IDS.wabaNoPhones][0];
			assert.equal(entry.type, 'whatsapp_business_management');
			assert.ok(entry.call_count >= 100);
			assert.ok(entry.estimated_time_to_regain_access > 0);
		});

	it('assigned_users shares the same budget', async () => {
		const api = S.apiFor(TOKENS.admin);
		await expectSdkError(new WhatsAppBusinessAccount(IDS.wabaNoPhones, {},
			undefined, api).getAssignedUsers(['id'], {business: IDS.business}),
		{status: 429, code: 80008, subcode: 2446079});
	});

	it('phone_numbers is not rate limited', async () => {
		const api = S.apiFor(TOKENS.admin);
		const c = await new WhatsAppBusinessAccount(IDS.wabaNoPhones, {},
			undefined, api).getPhoneNumbers(['id'], {});
		assert.equal(c.length, 0);
	});

	it('an hour later the WABA answers again', async () => {
		await emu.advanceClock(tbase, 3601);
		const api = S.apiFor(TOKENS.admin);
		const w = await new WhatsAppBusinessAccount(IDS.wabaNoPhones, {},
			undefined, api).get(['name']);
		assert.equal(w.name, "Jasper's Market Support");
	});
});

describe('FacebookAdsApiBatch', () => {
	beforeEach(() => emu.reset(base));

	it('runs GETs, a POST and a failing call in one batch', async () => {
		const api = S.apiFor(TOKENS.admin);
		const ok = [];
		const failed = [];
		const batch = new FacebookAdsApiBatch(api);
		const onOk = (r) => ok.push(r);
		const onFail = (r) => failed.push(r);
		batch.add('GET', [IDS.waba], {fields: 'id,name'}, null, onOk, onFail);
		batch.add('GET', `${IDS.waba}/phone_numbers?fields=id`, null, null,
			onOk, onFail);
		batch.add('POST', [IDS.waba, 'assigned_users'],
			{user: IDS.noaccess, tasks: ['VIEW_COST']}, null, onOk, onFail);
		batch.add('GET', [IDS.unknown], {fields: 'name'}, null, onOk, onFail);
		const retry = await batch.execute();
		assert.equal(retry, null, 'every call answered, nothing to retry');
		assert.equal(ok.length, 3);
		assert.equal(failed.length, 1);

		assert.deepEqual(ok[0].body, {id: IDS.waba, name: "Jasper's Market"});
		assert.equal(ok[0].status, 200);
		assert.deepEqual(ok[1].body.data.map((p) => p.id).sort(),
			[IDS.phone, IDS.phone2]);
		assert.deepEqual(ok[2].body, {success: true});

		const f = failed[0];
		assert.equal(f.status, 400);
		assert.equal(f.body.error.code, 100);
		assert.equal(f.body.error.error_subcode, 33);
		// For a batch item the SDK's FacebookRequestError.response is the
		// whole {"error":{...}} body, not the inner object as for a call.
		const err = f.error;
		assert.ok(isRequestError(err));
		assert.equal(err.status, 400);
		assert.equal(err.response.error.code, 100);
		assert.equal(err.response.error.error_subcode, 33);

		// the POST inside the batch took effect
		const c = await new WhatsAppBusinessAccount(IDS.waba)
			.getAssignedUsers(['id', 'tasks'], {business: IDS.business});
		const u = [...c].find((x) => x.id === IDS.noaccess);
		assert.ok(u, 'user assigned by the batch');
		assert.deepEqual(u.tasks, ['VIEW_COST']);
	});

	it('carries APIRequest objects (addRequest)', async () => {
		const api = S.apiFor(TOKENS.admin);
		const got = [];
		const batch = new FacebookAdsApiBatch(api);
		const req = new APIRequest(IDS.waba, 'GET', 'phone_numbers')
			.addFields(['id', 'display_phone_number'])
			.addParam('limit', 1);
		batch.addRequest(req, (r) => got.push(r), (r) => got.push(r));
		await batch.execute();
		assert.equal(got.length, 1);
		assert.equal(got[0].status, 200);
		assert.equal(got[0].body.data.length, 1);
		assert.deepEqual(Object.keys(got[0].body.data[0]).sort(),
			['display_phone_number', 'id']);
		assert.ok(got[0].body.paging.next);
	});
});

describe('FacebookAdsApi#getAppID', () => {
	it('asks debug_token for the app of the token', async () => {
		const r = await S.apiFor(TOKENS.admin).getAppID();
		// getAppID() resolves to the raw HTTP response, not its body
		assert.equal(r.status, 200);
		assert.equal(r.data.data.app_id, IDS.app);
	});

	it('works with an app token too', async () => {
		const r = await S.apiFor(TOKENS.app).getAppID();
		assert.equal(r.data.data.app_id, IDS.app);
	});
});

describe('what the SDK puts on the wire', () => {
	let proxy;

	before(async () => {
		proxy = await wire.start(base);
		S.aim(proxy.base);
	});
	after(async () => {
		S.aim(base);
		await proxy.close();
	});
	beforeEach(async () => {
		await emu.reset(base);
		proxy.clear();
	});

	const api = () => S.apiFor(TOKENS.admin);

	it('GET: token and fields in the query, a {} JSON body, its UA',
		async () => {
			await new WhatsAppBusinessAccount(IDS.waba, {}, undefined, api())
				.get(['name', 'currency']);
			assert.equal(proxy.calls.length, 1);
			const c = proxy.calls[0];
			assert.equal(c.method, 'GET');
			const u = new URL(c.url, proxy.base);
			assert.equal(u.pathname, `/v24.0/${IDS.waba}`);
			assert.equal(u.searchParams.get('access_token'), TOKENS.admin);
			assert.equal(u.searchParams.get('fields'), 'name,currency');
			assert.equal(c.body, '{}');
			assert.match(c.headers['content-type'], /^application\/json/);
			assert.equal(c.headers['user-agent'], 'fbbizsdk-nodejs-v24.0.0');
			assert.equal(c.headers.authorization, undefined);
		});

	it('edge GET: params JSON-encoded into the query', async () => {
		await new Business(IDS.business, {}, undefined, api())
			.getOwnedWhatsAppBusinessAccounts(['id'], {limit: 1, filtering: [
				{field: 'creation_time', operator: 'GREATER_THAN',
					value: '1'}]});
		const u = new URL(proxy.calls[0].url, proxy.base);
		assert.equal(u.pathname,
			`/v24.0/${IDS.business}/owned_whatsapp_business_accounts`);
		assert.equal(u.searchParams.get('filtering'),
			'[{"field":"creation_time","operator":"GREATER_THAN","value":"1"}]');
		assert.equal(u.searchParams.get('limit'), '1');
		assert.equal(proxy.calls[0].body, '{}');
	});

	it('cursor.next(): paging.next fetched verbatim, nothing added',
		async () => {
			const c = await new Business(IDS.business, {}, undefined, api())
				.getOwnedWhatsAppBusinessAccounts(['id'], {limit: 1});
			const next = c.paging.next;
			await c.next();
			assert.equal(proxy.calls.length, 2);
			assert.equal(proxy.base + proxy.calls[1].url, next);
		});

	it('POST: JSON body with the params and the object id; token in query',
		async () => {
			await new WhatsAppBusinessAccount(IDS.waba, {}, undefined, api())
				.createAssignedUser([], {user: IDS.noaccess,
					tasks: ['MANAGE']});
			const c = proxy.calls[0];
			assert.equal(c.method, 'POST');
			const u = new URL(c.url, proxy.base);
			assert.equal(u.pathname, `/v24.0/${IDS.waba}/assigned_users`);
			assert.deepEqual([...u.searchParams.keys()], ['access_token']);
			assert.match(c.headers['content-type'], /^application\/json/);
			assert.deepEqual(JSON.parse(c.body), {user: IDS.noaccess,
				tasks: ['MANAGE'], id: IDS.waba});
		});

	it('POST phone_numbers: booleans stay JSON booleans', async () => {
		await new WhatsAppBusinessAccount(IDS.waba, {}, undefined, api())
			.createPhoneNumber([], {cc: '1', phone_number: '5550100400',
				migrate_phone_number: true});
		assert.deepEqual(JSON.parse(proxy.calls[0].body), {cc: '1',
			phone_number: '5550100400', migrate_phone_number: true,
			id: IDS.waba});
	});

	it('DELETE: params and the object id in the query, a {} body',
		async () => {
			await new WhatsAppBusinessAccount(IDS.waba, {}, undefined, api())
				.deleteAssignedUsers({user: IDS.noaccess});
			const c = proxy.calls[0];
			assert.equal(c.method, 'DELETE');
			const u = new URL(c.url, proxy.base);
			assert.equal(u.searchParams.get('user'), IDS.noaccess);
			assert.equal(u.searchParams.get('id'), IDS.waba);
			assert.equal(u.searchParams.get('access_token'), TOKENS.admin);
			assert.equal(c.body, '{}');
		});

	it('batch: POST /v24.0?access_token=… with {"batch":[…]} as JSON',
		async () => {
			const b = new FacebookAdsApiBatch(api());
			b.add('GET', [IDS.waba], {fields: 'name'});
			b.add('POST', [IDS.waba, 'assigned_users'],
				{user: IDS.noaccess, tasks: ['MANAGE']});
			await b.execute();
			const c = proxy.calls[0];
			assert.equal(c.method, 'POST');
			const u = new URL(c.url, proxy.base);
			assert.equal(u.pathname, '/v24.0');
			assert.equal(u.searchParams.get('access_token'), TOKENS.admin);
			assert.deepEqual(JSON.parse(c.body), {batch: [
				{method: 'GET', relative_url: `${IDS.waba}?fields=name`},
				{method: 'POST', relative_url: `${IDS.waba}/assigned_users`,
					body: `user=${IDS.noaccess}&tasks=["MANAGE"]`},
			]});
		});

	it('getAppID: GET debug_token with input_token and fields=app_id',
		async () => {
			await api().getAppID();
			const u = new URL(proxy.calls[0].url, proxy.base);
			assert.equal(u.pathname, '/v24.0/debug_token');
			assert.equal(u.searchParams.get('access_token'), TOKENS.admin);
			assert.equal(u.searchParams.get('input_token'), TOKENS.admin);
			assert.equal(u.searchParams.get('fields'), 'app_id');
		});
});
