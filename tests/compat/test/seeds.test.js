'use strict';
// seeds.test.js - the curl samples of the documentation pages the project
// was founded on, run with the real curl binary against the emulator, with
// only the host and the placeholder ids and tokens substituted.  Each answer
// is checked for its status, its headers and the shape of the page's own
// sample response.
//
// The samples are copied below exactly as the pages print them.  When the
// pages themselves are at hand (shared/seeds beside the repository, or
// WABA_SEEDS), the first test proves the copies are still verbatim.
//
// Three things in the pages' text keep bash and curl from sending it as it
// stands, so the test reads it the way a person retyping it would, and
// says so:
//  1. The filtering sample has lost the backslash before its `-H` line;
//     bash would run `-H` as a command of its own and the request would go
//     out without a token.  The `-H` line is kept with its curl command.
//  2. Its URL holds `[`, `]`, `{` and `}`, which curl treats as globbing
//     ranges ("bad range specification"); curl gets --globoff.
//  3. The URLs are wrapped over several lines: the filtering sample ends
//     lines with ` \` inside its double quotes (bash keeps the space), the
//     phone_numbers sample breaks its quoted URL over five indented lines
//     (bash keeps the newlines and indentation), and curl refuses a URL
//     holding whitespace.  Whitespace at a line break is layout and is
//     dropped; whitespace inside a line is content and is sent, percent-
//     encoded - so the filtering value keeps every space it is written
//     with: [{'field':'creation_time', 'operator': 'IN_RANGE', ...}].
// A second pass sends the byte-exact bash reading (layout whitespace kept,
// percent-encoded) and only asks for a well-formed Graph answer: a doc URL
// taken literally must get a Graph error, never a crash or a non-JSON body.

const {describe, it, beforeEach} = require('node:test');
const assert = require('node:assert/strict');
const {execFile} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const emu = require('../lib/emu');

const {IDS, TOKENS, OWNED_WABAS} = emu;
const base = emu.baseUrl('seeds');

// The samples, verbatim.  page: the seed file; sample: the page's own
// sample response (its shape is what the answer must have).
const SAMPLES = [
	{
		name: 'POST phone_numbers with migrate_phone_number (page 000)',
		page: '000_20551191020a4a79.txt',
		text: `curl -i -X POST \\
 "https://graph.facebook.com/LATEST-VERSION/WHATSAPP-BUSINESS-ACCOUNT-ID/phone_numbers?
  cc=COUNTRY-CODE&
  phone_number=PHONE-NUMBER&
  migrate_phone_number=true&
  access_token=USER-ACCESS-TOKEN"`,
		sample: {id: 'POST-ID'},
	},
	{
		name: 'POST phone_numbers with migrate_phone_number (page 002)',
		page: '002_341b07550f037c14.txt',
		text: `curl -i -X POST \\
 "https://graph.facebook.com/LATEST-VERSION/WHATSAPP-BUSINESS-ACCOUNT-ID/phone_numbers?
  cc=COUNTRY-CODE&
  phone_number=PHONE-NUMBER&
  migrate_phone_number=true&
  access_token=USER-ACCESS-TOKEN"`,
		sample: {id: 'POST-ID'},
	},
	{
		name: 'GET owned_whatsapp_business_accounts with a Bearer token',
		page: '001_2d23c9cb09ffb262.txt',
		text: `curl -i -X GET \\
'https://graph.facebook.com/LATEST-VERSION/BUSINESS-ID/owned_whatsapp_business_accounts' \\
 -H 'Authorization: Bearer USER-ACCESS-TOKEN'`,
		sample: {
			data: [{
				id: 'WHATSAPP-BUSINESS-ACCOUNT-ID',
				name: 'Test WhatsApp Business Account',
				timezone_id: '1',
				message_template_namespace: 'MESSAGE-TEMPLATE-NAMESPACE',
			}],
			paging: {cursors: {before: 'BEFORE-CURSOR', after: 'AFTER-CURSOR'}},
		},
	},
	{
		name: 'GET owned_whatsapp_business_accounts with filtering',
		page: '001_2d23c9cb09ffb262.txt',
		text: `curl -i -X GET \\
"https://graph.facebook.com/LATEST-VERSION/BUSINESS-ID/owned_whatsapp_business_accounts \\
?fields=id,name,creation_time \\
&filtering=[{'field':'creation_time', 'operator': 'IN_RANGE', 'value': ['1569783261', '1604542049']}]"
 -H 'Authorization: Bearer USER-ACCESS-TOKEN'`,
		// the page shows no response for this one; the fields asked for
		sample: {
			data: [{id: 'WHATSAPP-BUSINESS-ACCOUNT-ID',
				name: 'Test WhatsApp Business Account',
				creation_time: 1600000000}],
			paging: {cursors: {before: 'BEFORE-CURSOR', after: 'AFTER-CURSOR'}},
		},
	},
	{
		name: 'GET the WABA with access_token in the query',
		page: '003_ec4b08d650ab47da.txt',
		text: `curl -i -X GET \\
 "https://graph.facebook.com/LATEST-VERSION/WHATSAPP-BUSINESS-ACCOUNT-ID?access_token=USER-ACCESS-TOKEN"`,
		sample: {
			id: 'WHATSAPP-BUSINESS-ACCOUNT-ID',
			name: 'Test WhatsApp Business Account',
			timezone_id: '1',
			message_template_namespace: 'MESSAGE-TEMPLATE-NAMESPACE',
		},
	},
];

// The only substitutions: the host, the version placeholder, ids, tokens.
// The number is the one on WABA 4000000000000005 (same business), migrated
// into 4000000000000001, whose verified owner allows 20 numbers.
function substitute(text) {
	return text
		.split('https://graph.facebook.com').join(base)
		.split('LATEST-VERSION').join(emu.VERSION)
		.split('WHATSAPP-BUSINESS-ACCOUNT-ID').join(IDS.waba)
		.split('BUSINESS-ID').join(IDS.business)
		.split('USER-ACCESS-TOKEN').join(TOKENS.admin)
		.split('COUNTRY-CODE').join('1')
		.split('PHONE-NUMBER').join('5550100400');
}

// shellWords(text, reader) - the commands of text, each a list of words,
// read with bash's quoting rules (single quotes literal; in double quotes
// backslash escapes " \ $ ` and backslash-newline vanishes; unquoted
// backslash-newline continues the line; an unquoted newline ends the
// command).  reader=true also drops whitespace at line breaks inside
// quotes (point 3 of the header).  A command that starts with an option
// belongs to the curl command before it (point 1).
function shellWords(text, reader) {
	const cmds = [];
	let words = [];
	let cur = null;
	const endWord = () => {
		if (cur !== null)
			words.push(cur);
		cur = null;
	};
	const endCmd = () => {
		endWord();
		if (words.length)
			cmds.push(words);
		words = [];
	};
	const skipBlanks = (i) => {
		while (text[i] === ' ' || text[i] === '\t')
			i++;
		return i;
	};
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === '\\' && text[i + 1] === '\n') {
			i += 2;
		} else if (c === '\n') {
			endCmd();
			i++;
		} else if (c === ' ' || c === '\t') {
			endWord();
			i++;
		} else if (c === "'") {
			const j = text.indexOf("'", i + 1);
			assert.ok(j > 0, 'unterminated single quote');
			cur = (cur ?? '') + text.slice(i + 1, j);
			i = j + 1;
		} else if (c === '"') {
			cur = cur ?? '';
			i++;
			while (text[i] !== '"') {
				assert.ok(i < text.length, 'unterminated double quote');
				if (text[i] === '\\' && text[i + 1] === '\n') {
					i += 2;
					if (reader) {
						cur = cur.replace(/[ \t]+$/, '');
						i = skipBlanks(i);
					}
				} else if (text[i] === '\\' && '"\\$`'.includes(text[i + 1])) {
					cur += text[i + 1];
					i += 2;
				} else if (text[i] === '\n' && reader) {
					cur = cur.replace(/[ \t]+$/, '');
					i = skipBlanks(i + 1);
				} else {
					cur += text[i++];
				}
			}
			i++;
		} else if (c === '\\') {
			cur = (cur ?? '') + text[i + 1];
			i += 2;
		} else {
			cur = (cur ?? '') + c;
			i++;
		}
	}
	endCmd();
	const merged = [];
	for (const w of cmds) {
		if (merged.length && w[0].startsWith('-') &&
		    merged[merged.length - 1][0] === 'curl')
			merged[merged.length - 1].push(...w);
		else
			merged.push(w);
	}
	return merged;
}

// curlArgs(text, reader) - the argv for curl: the page's own options and
// URL, plus --globoff (point 2), -sS (no progress meter) and a time limit.
// Whitespace left in the URL is percent-encoded, since curl refuses it.
function curlArgs(text, reader) {
	const cmds = shellWords(substitute(text), reader);
	assert.equal(cmds.length, 1, 'one command');
	const [prog, ...args] = cmds[0];
	assert.equal(prog, 'curl');
	const out = args.map((a) => a.startsWith(base) ?
		a.replace(/[ \t\n]/g, (s) => '%' + s.charCodeAt(0).toString(16)
			.toUpperCase().padStart(2, '0')) : a);
	return ['-sS', '--globoff', '--max-time', '20', ...out];
}

// curl(args) - run curl; resolves to {status, headers, json, raw}.  The
// samples all use -i, so the output is the status line, headers and body.
function curl(args) {
	return new Promise((resolve, reject) => {
		execFile('curl', args, {encoding: 'utf8'}, (err, stdout, stderr) => {
			if (err)
				return reject(new Error(`curl ${args.join(' ')}: ` +
					`${stderr || err.message}`));
			const cut = stdout.indexOf('\r\n\r\n');
			assert.ok(cut > 0, `curl -i output has headers: ${stdout}`);
			const head = stdout.slice(0, cut).split('\r\n');
			const body = stdout.slice(cut + 4);
			const m = /^HTTP\/[0-9.]+ ([0-9]{3})/.exec(head[0]);
			assert.ok(m, `status line: ${head[0]}`);
			const headers = {};
			for (const h of head.slice(1)) {
				const k = h.indexOf(':');
				headers[h.slice(0, k).trim().toLowerCase()] =
					h.slice(k + 1).trim();
			}
			let json;
			try {
				json = JSON.parse(body);
			} catch (e) {
				json = undefined;
			}
			resolve({status: Number(m[1]), headers, json, raw: body});
		});
	});
}

// assertShape(actual, sample, where) - actual has every key of sample, with
// a value of the same JSON type, recursively; every element of an array
// matches the sample's first element.  More keys are allowed.
function assertShape(actual, sample, where = '$') {
	if (Array.isArray(sample)) {
		assert.ok(Array.isArray(actual), `${where} is an array`);
		assert.ok(actual.length > 0, `${where} is not empty`);
		actual.forEach((a, i) => assertShape(a, sample[0], `${where}[${i}]`));
	} else if (sample !== null && typeof sample === 'object') {
		assert.ok(actual !== null && typeof actual === 'object' &&
			!Array.isArray(actual), `${where} is an object`);
		for (const k of Object.keys(sample))
			assertShape(actual[k], sample[k], `${where}.${k}`);
	} else {
		assert.equal(typeof actual, typeof sample, `type of ${where}`);
	}
}

function assertGraphHeaders(r) {
	assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
	assert.equal(r.headers['facebook-api-version'], emu.VERSION);
	assert.match(r.headers['x-fb-request-id'] || '', /^[A-Za-z0-9_-]+$/);
	assert.ok(r.headers['x-fb-trace-id']);
	assert.match(r.headers['x-fb-rev'] || '', /^[0-9]+$/);
}

// The pages, when they are at hand.
function seedsDir() {
	const dir = process.env.WABA_SEEDS ||
		path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'seeds');
	return fs.existsSync(dir) ? dir : null;
}

describe('the seed pages\' curl samples', () => {
	it('are copied verbatim from the pages', (t) => {
		const dir = seedsDir();
		if (!dir) {
			t.skip('the seed pages are not here (set WABA_SEEDS)');
			return;
		}
		for (const s of SAMPLES) {
			const page = fs.readFileSync(path.join(dir, s.page), 'utf8');
			assert.ok(page.replace(/\r\n/g, '\n').includes(s.text),
				`${s.name}: the copy differs from ${s.page}`);
		}
	});

	it('read as intended, they are one curl command each', () => {
		assert.deepEqual(curlArgs(SAMPLES[3].text, true), [
			'-sS', '--globoff', '--max-time', '20', '-i', '-X', 'GET',
			`${base}/v24.0/${IDS.business}/owned_whatsapp_business_accounts` +
			'?fields=id,name,creation_time&filtering=' +
			"[{'field':'creation_time',%20'operator':%20'IN_RANGE',%20" +
			"'value':%20['1569783261',%20'1604542049']}]",
			'-H', `Authorization: Bearer ${TOKENS.admin}`]);
		assert.deepEqual(curlArgs(SAMPLES[0].text, true).slice(4), [
			'-i', '-X', 'POST',
			`${base}/v24.0/${IDS.waba}/phone_numbers?cc=1&` +
			`phone_number=5550100400&migrate_phone_number=true&` +
			`access_token=${TOKENS.admin}`]);
	});
});

for (const [n, s] of SAMPLES.entries()) {
	describe(s.name, () => {
		beforeEach(() => emu.reset(base));

		it('answers like the page says', async () => {
			const r = await curl(curlArgs(s.text, true));
			assert.equal(r.status, 200, r.raw);
			assertGraphHeaders(r);
			assertShape(r.json, s.sample);
			check[n](r.json);
			if (followUp[n])
				await followUp[n]();
		});

		it('taken byte for byte, still gets a well-formed Graph answer',
			async () => {
				const r = await curl(curlArgs(s.text, false));
				assert.ok(r.status < 500, `no 5xx: ${r.status} ${r.raw}`);
				assert.ok(r.json !== undefined, `JSON body: ${r.raw}`);
				assertGraphHeaders(r);
				if (r.status !== 200) {
					const e = r.json.error;
					assert.ok(e, `error envelope: ${r.raw}`);
					assert.equal(typeof e.message, 'string');
					assert.equal(typeof e.type, 'string');
					assert.equal(typeof e.code, 'number');
					assert.equal(e.fbtrace_id, r.headers['x-fb-request-id']);
				}
			});
	});
}

// What each answer must hold beyond the page's shape, by SAMPLES index.
const migrated = (j) => {
	assert.deepEqual(j, {id: IDS.labsPhone}, 'a migrated number keeps its id');
};
const check = [
	migrated,
	migrated,
	(j) => {
		assert.deepEqual(j.data.map((w) => w.id).sort(),
			Object.keys(OWNED_WABAS).sort());
		// the page's sample omits currency; today's default fields have it
		for (const w of j.data)
			assert.deepEqual(Object.keys(w).sort(), ['currency', 'id',
				'message_template_namespace', 'name', 'timezone_id']);
	},
	(j) => {
		assert.deepEqual(j.data, [{id: IDS.waba, name: "Jasper's Market",
			creation_time: OWNED_WABAS[IDS.waba]}]);
		assert.equal(j.paging.next, undefined, 'one page');
	},
	(j) => {
		assert.equal(j.id, IDS.waba);
		assert.equal(j.name, "Jasper's Market");
		assert.equal(j.timezone_id, '1');
		assert.equal(j.currency, 'USD');
	},
];

// The migration moved the number: on the target WABA, gone from the source.
async function numberMoved() {
	const q = {access_token: TOKENS.admin, fields: 'id'};
	const to = await emu.request(base, 'GET', `/v24.0/${IDS.waba}/phone_numbers`,
		{query: q});
	assert.ok(to.json.data.some((p) => p.id === IDS.labsPhone));
	const from = await emu.request(base, 'GET',
		`/v24.0/${IDS.wabaLabs}/phone_numbers`, {query: q});
	assert.ok(!from.json.data.some((p) => p.id === IDS.labsPhone));
}
const followUp = [numberMoved, numberMoved];
