'use strict';
// wire.js - a recording pass-through proxy, so a suite can assert exactly
// what a client put on the wire (method, request target, headers, body)
// rather than what the emulator made of it.  The Host header is forwarded
// unchanged, so paging URLs the emulator builds point back at the proxy and
// a client that follows them stays recorded.

const http = require('node:http');

// start(target) - a proxy in front of target (http://host:port).  Resolves
// to {base, calls, clear(), close()}; calls holds one entry per request,
// oldest first: {method, url, headers, body}.
function start(target) {
	const t = new URL(target);
	const calls = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			calls.push({
				method: req.method,
				url: req.url,
				headers: Object.assign({}, req.headers),
				body: body.toString('utf8'),
			});
			const up = http.request({
				host: t.hostname,
				port: t.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
			}, (ur) => {
				res.writeHead(ur.statusCode, ur.headers);
				ur.pipe(res);
			});
			up.on('error', (e) => {
				res.writeHead(502, {'Content-Type': 'text/plain'});
				res.end(String(e));
			});
			up.end(body);
		});
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			resolve({
				base: `http://127.0.0.1:${port}`,
				calls,
				clear: () => { calls.length = 0; },
				close: () => new Promise((r) => {
					server.closeAllConnections?.();
					server.close(() => r());
				}),
			});
		});
	});
}

module.exports = {start};
