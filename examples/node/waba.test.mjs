// An integration test against waba-emulator with nothing but Node itself
// (node:test, node:assert, fetch; Node 18 or later): copy it into your own
// suite and point WABA_URL at a running emulator, e.g.
//   WABA_URL=http://127.0.0.1:8080 node --test waba.test.mjs
// It uses the demo fixtures: business 2000000000000001, its admin user
// 3000000000000001, app 1000000000000001, WABA 4000000000000001.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

const BASE = (process.env.WABA_URL || "").replace(/\/+$/, "");
const GRAPH = `${BASE}/v24.0`;
const BUSINESS = "2000000000000001";
const ADMIN_USER = "3000000000000001";
const APP = "1000000000000001";
const WABA = "4000000000000001";
const OTHER_USER = "3000000000000004"; // a user of the business without tasks

// The control plane takes and answers JSON.
async function control(method, path, body) {
	const res = await fetch(`${BASE}/_emulator/${path}`, {
		method,
		headers: { "content-type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

// A Graph call with the token in the Authorization header; POST
// parameters go as a form, as the SDKs send them.
async function graph(token, method, pathOrUrl, params = {}) {
	const url = new URL(pathOrUrl.startsWith("http") ? pathOrUrl
		: `${GRAPH}/${pathOrUrl}`);
	const init = { method, headers: { authorization: `Bearer ${token}` } };
	if (method === "GET" || method === "DELETE") {
		for (const [k, v] of Object.entries(params))
			url.searchParams.set(k, v);
	} else {
		init.body = new URLSearchParams(params);
	}
	const res = await fetch(url, init);
	return { status: res.status, body: await res.json() };
}

let token;

before(async () => {
	assert.ok(BASE, "set WABA_URL to the emulator's address");
	await control("POST", "reset");
	const minted = await control("POST", "tokens",
		{ user: ADMIN_USER, app: APP });
	assert.equal(minted.status, 200, JSON.stringify(minted.body));
	assert.equal(typeof minted.body.access_token, "string");
	token = minted.body.access_token;
});

// Leave the emulator as the next suite expects it: the boot fixtures.
after(async () => {
	if (BASE)
		await control("POST", "reset");
});

test("the minted token is the admin's", async () => {
	const me = await graph(token, "GET", "me");
	assert.equal(me.status, 200, JSON.stringify(me.body));
	assert.equal(me.body.id, ADMIN_USER);
});

test("paging through a business's WABAs follows paging.next", async () => {
	const seen = [];
	let next = `${GRAPH}/${BUSINESS}/owned_whatsapp_business_accounts?limit=1`;
	let pages = 0;
	while (next) {
		const page = await graph(token, "GET", next);
		assert.equal(page.status, 200, JSON.stringify(page.body));
		assert.ok(page.body.data.length <= 1);
		seen.push(...page.body.data.map((w) => w.id));
		next = page.body.paging?.next;
		assert.ok(++pages < 100, "paging.next never ends");
	}
	const whole = await graph(token, "GET",
		`${BUSINESS}/owned_whatsapp_business_accounts`, { limit: "100" });
	assert.equal(whole.status, 200, JSON.stringify(whole.body));
	assert.deepEqual(seen, whole.body.data.map((w) => w.id));
	assert.equal(new Set(seen).size, seen.length, "a WABA came twice");
	assert.ok(seen.includes(WABA));
	assert.ok(pages > 1, "one WABA a page should take several pages");
});

test("a phone number added to a WABA is listed on it", async () => {
	const added = await graph(token, "POST", `${WABA}/phone_numbers`, {
		cc: "1", phone_number: "5550107777", verified_name: "Jaspers Market",
	});
	assert.equal(added.status, 200, JSON.stringify(added.body));
	assert.match(added.body.id, /^\d+$/);

	const node = await graph(token, "GET", added.body.id,
		{ fields: "id,display_phone_number,verified_name" });
	assert.equal(node.status, 200, JSON.stringify(node.body));
	assert.equal(node.body.verified_name, "Jaspers Market");
	assert.equal(node.body.display_phone_number.replace(/\D/g, ""),
		"15550107777");

	const list = await graph(token, "GET", `${WABA}/phone_numbers`,
		{ limit: "100" });
	assert.ok(list.body.data.some((p) => p.id === added.body.id));

	// the same number again is refused, Graph style
	const again = await graph(token, "POST", `${WABA}/phone_numbers`, {
		cc: "1", phone_number: "5550107777", verified_name: "Jaspers Market",
	});
	assert.equal(again.status, 400);
	assert.equal(typeof again.body.error.code, "number");
	assert.equal(typeof again.body.error.fbtrace_id, "string");
});

test("a user assigned to a WABA is listed with the tasks given", async () => {
	const assigned = await graph(token, "POST", `${WABA}/assigned_users`,
		{ user: OTHER_USER, tasks: JSON.stringify(["MANAGE"]) });
	assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
	assert.equal(assigned.body.success, true);

	const list = await graph(token, "GET", `${WABA}/assigned_users`,
		{ business: BUSINESS, limit: "100" });
	assert.equal(list.status, 200, JSON.stringify(list.body));
	const row = list.body.data.find((u) => u.id === OTHER_USER);
	assert.ok(row, "the assigned user is not listed");
	assert.deepEqual(row.tasks, ["MANAGE"]);
});

test("reset brings back the boot fixtures", async () => {
	const added = await graph(token, "POST", `${WABA}/phone_numbers`, {
		cc: "1", phone_number: "5550108888", verified_name: "Jaspers Market",
	});
	assert.equal(added.status, 200, JSON.stringify(added.body));

	const reset = await control("POST", "reset");
	assert.equal(reset.status, 200, JSON.stringify(reset.body));

	// the minted token went with the rest of the state
	const gone = await graph(token, "GET", WABA);
	assert.equal(gone.body.error?.code, 190, JSON.stringify(gone.body));

	const minted = await control("POST", "tokens",
		{ user: ADMIN_USER, app: APP });
	token = minted.body.access_token;
	const number = await graph(token, "GET", added.body.id);
	assert.equal(number.body.error?.code, 100, JSON.stringify(number.body));
	assert.equal(number.body.error?.error_subcode, 33);

	const list = await graph(token, "GET", `${WABA}/assigned_users`,
		{ business: BUSINESS, limit: "100" });
	assert.ok(!list.body.data.some((u) => u.id === OTHER_USER));
});
