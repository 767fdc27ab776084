'use strict';
// clients.js - the two community clients the phone and messages suites
// drive, each aimed at the emulator through its own options, unpatched, and
// authenticated as the demo admin.

const {WABAClient} = require('whatsapp-business');

const {IDS, TOKENS, VERSION} = require('./emu');

// wbClient(base) - whatsapp-business pins graph.facebook.com/v17.0 in its
// constructor; its axios instance is public, and the emulator serves v17.0.
function wbClient(base) {
	const c = new WABAClient({apiToken: TOKENS.admin, phoneId: IDS.phone,
		accountId: IDS.waba});
	c.restClient.fetch.defaults.baseURL = base + '/v17.0';
	return c;
}

// gdClient(base) - @great-detail/whatsapp, an ES module, takes a baseUrl.
async function gdClient(base) {
	const {Client} = await import('@great-detail/whatsapp');
	return new Client({baseUrl: base, graphVersion: VERSION,
		request: {headers: {Authorization: 'Bearer ' + TOKENS.admin}}});
}

module.exports = {wbClient, gdClient};
