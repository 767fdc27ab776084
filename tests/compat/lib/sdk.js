'use strict';
// sdk.js - the official Node SDK (facebook-nodejs-business-sdk) aimed at the
// emulator instead of graph.facebook.com, with its crash reporter kept off.
//
// The SDK builds every URL from the static getter FacebookAdsApi.GRAPH, and
// its HTTP layer reads the same getter, so redefining that one property is
// all it takes.  FacebookAdsApi.init(token) would enable CrashReporter, which
// hooks process 'uncaughtException' and posts crash reports to
// /{app-id}/instruments: we pass crash_log=false and replace
// CrashReporter.enable with a stub that throws, so nothing can ever switch it
// on behind our back.

const sdk = require('facebook-nodejs-business-sdk');

const {FacebookAdsApi, CrashReporter} = sdk;

let graph = null;
let crashEnableAttempts = 0;

CrashReporter.enable = function () {
	crashEnableAttempts++;
	throw new Error('CrashReporter must stay off in the compat suites');
};

// From the moment this module loads, the SDK has no way to reach Meta: until
// aim() names the emulator, building any URL throws.
Object.defineProperty(FacebookAdsApi, 'GRAPH', {
	get: () => {
		if (graph === null)
			throw new Error('lib/sdk.js: call aim(base) before using the SDK');
		return graph;
	},
	configurable: true,
});

// aim(base) - every later SDK call goes to base (e.g. http://127.0.0.1:1234).
function aim(base) {
	graph = base.replace(/\/+$/, '');
}

// api(token) - a FacebookAdsApi for token, made the default one, no crash
// log, no debug output.
function api(token) {
	if (graph === null)
		throw new Error('call aim(base) first');
	const a = FacebookAdsApi.init(token, 'en_US', false);
	a.setDebug(false);
	return a;
}

// apiFor(token) - a FacebookAdsApi for token that is not the default one;
// pass it as the fourth constructor argument of an SDK object.
function apiFor(token) {
	const a = new FacebookAdsApi(token, 'en_US', false);
	a.setDebug(false);
	return a;
}

module.exports = {
	sdk, aim, api, apiFor,
	crashEnableAttempts: () => crashEnableAttempts,
};
