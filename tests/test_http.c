/*
 * test_http.c - the HTTP front end against a stand-in pipeline: what
 * reaches the handler (raw target, headers, body, peer), what goes back
 * (status, headers, body), keep-alive, oversized bodies, dropped
 * connections and the access log.  Plain sockets, so every byte on the
 * wire is the test's.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "emu.h"
#include "http.h"
#include "request.h"
#include "util.h"
#include "suite.h"

/* /block reports on entered[1] and waits for a byte on release[0]. */
static int entered[2] = { -1, -1 }, release[2] = { -1, -1 };

/*
 * The stand-in pipeline.  /drop drops the connection, /status/N answers
 * N, /text answers text/plain, /prepare runs request_prepare and echoes
 * the merged parameters; anything else echoes what http.c filled in.
 */
static void
stand_in(struct emu *emu, struct request *rq)
{
	struct json_object *o = json_object_new_object();
	int status = 200;
	char ch = 0;

	if (strcmp(rq->target, "/block") == 0) {
		ck_assert_int_eq(write(entered[1], "e", 1), 1);
		ck_assert_int_eq(read(release[0], &ch, 1), 1);
	}
#define S(v) ((v) != NULL ? json_object_new_string(v) : NULL)
	json_object_object_add(o, "method", S(rq->method));
	json_object_object_add(o, "target", S(rq->target));
	json_object_object_add(o, "host", S(rq->host));
	json_object_object_add(o, "authorization", S(rq->authorization));
	json_object_object_add(o, "content_type", S(rq->content_type));
	json_object_object_add(o, "remote", S(rq->remote));
	json_object_object_add(o, "body",
	    rq->body != NULL ?
	        json_object_new_string_len(rq->body, (int)rq->body_len) :
	        NULL);
	json_object_object_add(o, "body_len",
	    json_object_new_int64((int64_t)rq->body_len));
	json_object_object_add(o, "too_large",
	    json_object_new_boolean(rq->body_too_large));
	json_object_object_add(o, "emu_set",
	    json_object_new_boolean(rq->emu == emu));
#undef S
	if (strncmp(rq->target, "/prepare", 8) == 0) {
		struct json_object *p = json_object_new_object();
		size_t i;

		if (request_prepare(rq) == 0)
			for (i = 0; i < rq->params.n; i++)
				json_object_object_add(p, rq->params.v[i].name,
				    json_object_new_string(
				        rq->params.v[i].value));
		json_object_object_add(o, "params", p);
		json_object_object_add(o, "verb",
		    json_object_new_string(rq->verb));
	}
	if (strcmp(rq->target, "/drop") == 0)
		rq->resp.drop = true;
	if (strncmp(rq->target, "/status/", 8) == 0)
		status = atoi(rq->target + 8);
	if (strcmp(rq->target, "/latency") == 0)
		rq->resp.latency_ms = 1;
	response_header(&rq->resp, "x-fb-trace-id", "TRACE");
	response_header(&rq->resp, "Access-Control-Allow-Origin", "*");
	snprintf(rq->trace_id, sizeof(rq->trace_id), "T%s", "RACE");
	if (strcmp(rq->target, "/text") == 0)
		response_text(&rq->resp, 200, "text/plain; version=0.0.4",
		    xstrdup("ok\n"));
	else
		response_json(&rq->resp, status, o);
	json_object_put(o);
}

static struct emu emu;
static struct http_server *srv;

static void
setup(void)
{
	char *cause = NULL;

	memset(&emu, 0, sizeof(emu));
	/* two workers: the pool is what serves on a machine with three CPUs */
	srv = http_start_with(&emu, stand_in, "127.0.0.1", 0, 2, 64, &cause);
	if (srv == NULL)
		ck_abort_msg("http_start_with: %s", cause);
}

static int
dial(const char *addr, int port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { 10, 0 };
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		len = sizeof(*in);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, addr, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof(*in6);
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	/* a safety net against a hung server, not a timing assertion */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		ck_assert_int_gt(w, 0);
		s += w;
		n -= (size_t)w;
	}
}

struct reply {
	int status;
	char *head; /* status line and headers */
	char *body;
	size_t body_len;
	bool closed; /* the server closed without answering */
};

static void
reply_free(struct reply *r)
{
	free(r->head);
	free(r->body);
}

/* A client connection and what it has read past the last response. */
struct conn {
	int fd;
	struct sbuf in;
};

static struct conn
conn_open(const char *addr, int port)
{
	struct conn c = { dial(addr, port), SBUF_INIT };

	return c;
}

static void
conn_close(struct conn *c)
{
	close(c->fd);
	sbuf_release(&c->in);
}

static void
conn_send(struct conn *c, const char *s)
{
	send_all(c->fd, s, strlen(s));
}

/* Reads one response (Content-Length framed) from c. */
static struct reply
read_reply(struct conn *c)
{
	struct reply r = { 0, NULL, NULL, 0, false };
	struct sbuf *sb = &c->in;
	char buf[4096], *end, *cl, *rest;
	size_t hlen, want;
	ssize_t n;

	for (;;) {
		if (sb->buf != NULL && (end = strstr(sb->buf, "\r\n\r\n")))
			break;
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n <= 0) {
			r.closed = true;
			return r;
		}
		sbuf_add(sb, buf, (size_t)n);
	}
	hlen = (size_t)(end - sb->buf) + 4;
	r.head = xstrndup(sb->buf, hlen);
	ck_assert_int_eq(sscanf(r.head, "HTTP/1.%*d %d", &r.status), 1);
	cl = strcasestr(r.head, "\r\nContent-Length:");
	ck_assert_ptr_nonnull(cl);
	want = strtoul(cl + 17, NULL, 10);
	while (sb->len - hlen < want) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		ck_assert_int_gt(n, 0);
		sbuf_add(sb, buf, (size_t)n);
	}
	r.body = xstrndup(sb->buf + hlen, want);
	r.body_len = want;
	/* keep what follows: pipelined responses */
	rest = xstrndup(sb->buf + hlen + want, sb->len - hlen - want);
	n = (ssize_t)(sb->len - hlen - want);
	sbuf_release(sb);
	if (n > 0)
		sbuf_add(sb, rest, (size_t)n);
	free(rest);
	return r;
}

/* The value of header name in r, or NULL (a static copy). */
static const char *
header(const struct reply *r, const char *name)
{
	static char val[256];
	char pat[128];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\r\n%s:", name);
	p = strcasestr(r->head, pat);
	if (p == NULL)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	snprintf(val, sizeof(val), "%.*s", (int)(e - p), p);
	return val;
}

static struct json_object *
body_json(const struct reply *r)
{
	struct json_object *o = json_tokener_parse(r->body);

	ck_assert_ptr_nonnull(o);
	return o;
}

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

static struct reply
roundtrip(const char *req)
{
	struct conn c = conn_open("127.0.0.1", http_port(srv));
	struct reply r;

	conn_send(&c, req);
	r = read_reply(&c);
	conn_close(&c);
	return r;
}

START_TEST(test_port_zero)
{
	ck_assert_int_gt(http_port(srv), 0);
	ck_assert_int_lt(http_port(srv), 65536);
}
END_TEST

START_TEST(test_wire_facts)
{
	struct reply r = roundtrip(
	    "GET /v24.0/1%2F2?a=b+c&d=%C3%A9 "
	    "HTTP/1.1\r\nHost: emu.test:8080\r\nAuthorization: Bearer abc\r\n"
	    "Content-Type: application/json\r\n\r\n");
	struct json_object *o = body_json(&r);

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(o, "method"), "GET");
	ck_assert_str_eq(jstr(o, "target"), "/v24.0/1%2F2?a=b+c&d=%C3%A9");
	ck_assert_str_eq(jstr(o, "host"), "emu.test:8080");
	ck_assert_str_eq(jstr(o, "authorization"), "Bearer abc");
	ck_assert_str_eq(jstr(o, "content_type"), "application/json");
	ck_assert_str_eq(jstr(o, "remote"), "127.0.0.1");
	ck_assert_ptr_null(jstr(o, "body"));
	ck_assert_str_eq(jstr(o, "emu_set"), "true");
	ck_assert_str_eq(header(&r, "Content-Type"),
	    "application/json; charset=UTF-8");
	ck_assert_str_eq(header(&r, "x-fb-trace-id"), "TRACE");
	ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
	json_object_put(o);
	reply_free(&r);
}
END_TEST

START_TEST(test_absent_headers)
{
	struct reply r = roundtrip("GET / HTTP/1.0\r\n\r\n");
	struct json_object *o = body_json(&r);

	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(jstr(o, "host"));
	ck_assert_ptr_null(jstr(o, "authorization"));
	ck_assert_ptr_null(jstr(o, "content_type"));
	json_object_put(o);
	reply_free(&r);
}
END_TEST

START_TEST(test_status_and_content_type)
{
	struct reply r;

	r = roundtrip("GET /status/404 HTTP/1.1\r\nHost: x\r\n\r\n");

	ck_assert_int_eq(r.status, 404);
	reply_free(&r);
	r = roundtrip("GET /text HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"),
	    "text/plain; version=0.0.4");
	ck_assert_str_eq(r.body, "ok\n");
	reply_free(&r);
}
END_TEST

START_TEST(test_body)
{
	struct reply r = roundtrip(
	    "POST /prepare?a=1 HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: 11\r\n\r\nb=2&method=");
	struct json_object *o = body_json(&r), *p;

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(o, "body"), "b=2&method=");
	ck_assert_str_eq(jstr(o, "verb"), "POST");
	ck_assert(json_object_object_get_ex(o, "params", &p));
	ck_assert_str_eq(jstr(p, "a"), "1");
	ck_assert_str_eq(jstr(p, "b"), "2");
	json_object_put(o);
	reply_free(&r);
}
END_TEST

START_TEST(test_chunked_body)
{
	struct reply r = roundtrip("POST /x HTTP/1.1\r\nHost: x\r\n"
	                           "Transfer-Encoding: chunked\r\n\r\n"
	                           "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
	struct json_object *o = body_json(&r);

	ck_assert_str_eq(jstr(o, "body"), "hello world");
	ck_assert_str_eq(jstr(o, "too_large"), "false");
	json_object_put(o);
	reply_free(&r);
}
END_TEST

START_TEST(test_body_at_limit)
{
	char req[256];
	struct reply r;
	struct json_object *o;

	snprintf(req, sizeof(req),
	    "POST /x HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 64\r\n\r\n%064d",
	    7);
	r = roundtrip(req);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "too_large"), "false");
	ck_assert_int_eq(
	    json_object_get_int(json_object_object_get(o, "body_len")), 64);
	json_object_put(o);
	reply_free(&r);
}
END_TEST

START_TEST(test_body_too_large)
{
	struct sbuf sb = SBUF_INIT;
	struct json_object *o;
	struct reply r;
	struct conn c;
	int i;

	/* 64 bytes allowed; send 200 000 in one go, then ask again on the
	 * same connection: the oversized request must not cost it */
	sbuf_addf(&sb,
	    "POST /x HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 200000\r\n\r\n");
	for (i = 0; i < 200000; i++)
		sbuf_addch(&sb, 'a');
	c = conn_open("127.0.0.1", http_port(srv));
	send_all(c.fd, sb.buf, sb.len);
	r = read_reply(&c);
	ck_assert(!r.closed);
	ck_assert_int_eq(r.status, 200);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "too_large"), "true");
	ck_assert_ptr_null(jstr(o, "body"));
	json_object_put(o);
	reply_free(&r);

	conn_send(&c, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
	r = read_reply(&c);
	ck_assert(!r.closed);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "target"), "/again");
	json_object_put(o);
	reply_free(&r);
	conn_close(&c);
	sbuf_release(&sb);
}
END_TEST

START_TEST(test_keep_alive)
{
	struct conn c = conn_open("127.0.0.1", http_port(srv));
	int i;

	for (i = 0; i < 5; i++) {
		char req[128], want[16];
		struct json_object *o;
		struct reply r;

		snprintf(req, sizeof(req),
		    "GET /k%d HTTP/1.1\r\nHost: x\r\n\r\n", i);
		snprintf(want, sizeof(want), "/k%d", i);
		conn_send(&c, req);
		r = read_reply(&c);
		ck_assert(!r.closed);
		o = body_json(&r);
		ck_assert_str_eq(jstr(o, "target"), want);
		json_object_put(o);
		reply_free(&r);
	}
	conn_close(&c);
}
END_TEST

START_TEST(test_pipelined)
{
	static const char reqs[] =
	    "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\n"
	    "POST /p2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
	    "GET /p3 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *want[] = { "/p1", "/p2", "/p3" };
	struct conn c = conn_open("127.0.0.1", http_port(srv));
	size_t i;

	conn_send(&c, reqs);
	for (i = 0; i < 3; i++) {
		struct reply r = read_reply(&c);
		struct json_object *o = body_json(&r);

		ck_assert_str_eq(jstr(o, "target"), want[i]);
		json_object_put(o);
		reply_free(&r);
	}
	conn_close(&c);
}
END_TEST

START_TEST(test_drop)
{
	struct reply r = roundtrip("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");

	ck_assert(r.closed);
	reply_free(&r);
	/* and the server carries on */
	r = roundtrip("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
}
END_TEST

START_TEST(test_latency_answers)
{
	struct reply r = roundtrip("GET /latency HTTP/1.1\r\nHost: x\r\n\r\n");

	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
}
END_TEST

START_TEST(test_expect_continue)
{
	struct conn c = conn_open("127.0.0.1", http_port(srv));
	struct json_object *o;
	struct reply r;
	char buf[64];
	ssize_t n;

	conn_send(&c,
	    "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
	    "Expect: 100-continue\r\n\r\n");
	n = recv(c.fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "100 Continue"));
	conn_send(&c, "hi");
	r = read_reply(&c);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "body"), "hi");
	json_object_put(o);
	reply_free(&r);
	conn_close(&c);
}
END_TEST

/* Points stderr at a temporary file; returns its descriptor. */
static int
capture_stderr(int *saved)
{
	FILE *tmp = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	fflush(stderr);
	*saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	return fd;
}

static char *
captured(int fd, int saved)
{
	char *buf = xcalloc(1, 4096);

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert_int_ge(pread(fd, buf, 4095, 0), 0);
	close(fd);
	return buf;
}

START_TEST(test_log_text)
{
	int saved, fd = capture_stderr(&saved);
	struct reply r;
	char *log;

	r = roundtrip("GET /quiet HTTP/1.1\r\nHost: x\r\n\r\n");
	reply_free(&r);
	http_set_log(srv, LOG_TEXT, true);
	r = roundtrip("GET /status/201?access_token=SECRET HTTP/1.1\r\n"
	              "Host: x\r\n\r\n");
	reply_free(&r);
	r = roundtrip("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
	reply_free(&r);
	/* http_stop() writes out every line still buffered */
	http_stop(srv);
	srv = NULL;
	log = captured(fd, saved);
	ck_assert_ptr_null(strstr(log, "/quiet"));
	ck_assert_ptr_null(strstr(log, "SECRET"));
	ck_assert_ptr_nonnull(strstr(log, "GET /status/201 201 "));
	ck_assert_ptr_nonnull(strstr(log, "GET /drop dropped "));
	ck_assert_ptr_nonnull(strstr(log, "ms\n"));
	free(log);
}
END_TEST

/* Waits until the file behind fd holds want; false at the deadline. */
static bool
log_shows(int fd, const char *want)
{
	struct timespec tick = { 0, 2 * 1000 * 1000 };
	char buf[4096];
	int i;

	/* a safety net of 10 s, not a timing assertion */
	for (i = 0; i < 5000; i++) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		ck_assert_int_ge(n, 0);
		buf[n] = '\0';
		if (strstr(buf, want) != NULL)
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

START_TEST(test_log_before_stop)
{
	int saved, fd = capture_stderr(&saved);
	struct reply r;
	char *log;

	/* the writer thread delivers on its own, without http_stop() */
	http_set_log(srv, LOG_TEXT, true);
	r = roundtrip("GET /soon?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
	reply_free(&r);
	ck_assert(log_shows(fd, "GET /soon 200 "));
	r = roundtrip("GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
	reply_free(&r);
	ck_assert(log_shows(fd, "GET /later 200 "));
	log = captured(fd, saved);
	ck_assert(strstr(log, "/soon") < strstr(log, "/later"));
	free(log);
}
END_TEST

/*
 * Paths that name tokens, and paths with bytes that could end or forge a
 * line: each request's line shows the token masked and the bytes escaped.
 */
static const char *const hostile_paths[] = {
	"POST /_emulator/tokens/EAAsecretTokenValue1 HTTP/1.1\r\nHost: x\r\n"
	"Content-Length: 0\r\n\r\n",
	"GET /v24.0/EAAsecretTokenValue2/accounts?x=1 HTTP/1.1\r\n"
	"Host: x\r\n\r\n",
	"GET /v24.0/1000000000000001|appSecretValue3 HTTP/1.1\r\n"
	"Host: x\r\n\r\n",
	"GET /v24.0/1000000000000001%7CappSecretValue4 HTTP/1.1\r\n"
	"Host: x\r\n\r\n",
	"GET /a\x1b[2J\"fake 200\\\x0b HTTP/1.1\r\nHost: x\r\n\r\n",
};

static char *
log_of_hostile_paths(int format)
{
	int saved, fd = capture_stderr(&saved);
	size_t i;

	http_set_log(srv, format, true);
	for (i = 0; i < sizeof(hostile_paths) / sizeof(hostile_paths[0]); i++) {
		struct reply r = roundtrip(hostile_paths[i]);

		reply_free(&r);
	}
	http_stop(srv);
	srv = NULL;
	return captured(fd, saved);
}

static void
assert_clean_log(const char *log)
{
	const char *p;

	ck_assert_ptr_null(strstr(log, "secretTokenValue"));
	ck_assert_ptr_null(strstr(log, "SecretValue"));
	ck_assert_ptr_nonnull(strstr(log, "/_emulator/tokens/EAAs***"));
	ck_assert_ptr_nonnull(strstr(log, "/v24.0/EAAs***/accounts"));
	ck_assert_ptr_nonnull(strstr(log, "/v24.0/1000***"));
	for (p = log; *p != '\0'; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
		    "a control byte 0x%02x in the log", (unsigned char)*p);
}

START_TEST(test_log_masks_and_escapes_text)
{
	char *log = log_of_hostile_paths(LOG_TEXT);
	size_t lines = 0;
	const char *p;

	assert_clean_log(log);
	for (p = log; *p != '\0'; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 5);
	/* no quote or backslash of the client's reaches a text line */
	ck_assert_ptr_null(strchr(log, '"'));
	ck_assert_ptr_nonnull(
	    strstr(log, "GET /a\\x1b[2J\\x22fake 200\\x5c\\x0b "));
	free(log);
}
END_TEST

START_TEST(test_log_masks_and_escapes_json)
{
	char *log = log_of_hostile_paths(LOG_JSON), *line, *save = NULL;
	size_t lines = 0, escaped = 0;

	assert_clean_log(log);
	/* lines come in the order requests finish, which workers decide */
	for (line = strtok_r(log, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);

		ck_assert_msg(o != NULL, "not JSON: %s", line);
		if (strcmp(jstr(o, "path"),
		        "/a\\x1b[2J\\x22fake 200\\x5c\\x0b") == 0)
			escaped++;
		json_object_put(o);
		lines++;
	}
	ck_assert_int_eq(lines, 5);
	ck_assert_int_eq(escaped, 1);
	free(log);
}
END_TEST

START_TEST(test_log_json)
{
	int saved, fd = capture_stderr(&saved);
	struct json_object *o, *v;
	struct reply r;
	char *log;

	http_set_log(srv, LOG_JSON, true);
	r = roundtrip("POST /status/400?x=1 HTTP/1.1\r\nHost: x\r\n"
	              "Content-Length: 0\r\n\r\n");
	reply_free(&r);
	http_stop(srv);
	srv = NULL;
	log = captured(fd, saved);
	ck_assert_ptr_nonnull(strchr(log, '\n'));
	*strchr(log, '\n') = '\0';
	o = json_tokener_parse(log);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(jstr(o, "method"), "POST");
	ck_assert_str_eq(jstr(o, "path"), "/status/400");
	ck_assert_int_eq(
	    json_object_get_int(json_object_object_get(o, "status")), 400);
	ck_assert_str_eq(jstr(o, "remote"), "127.0.0.1");
	ck_assert_str_eq(jstr(o, "trace_id"), "TRACE");
	ck_assert(json_object_object_get_ex(o, "duration_ms", &v));
	ck_assert(json_object_is_type(v, json_type_double));
	ck_assert(json_object_object_get_ex(o, "time", &v));
	json_object_put(o);
	free(log);
}
END_TEST

static void *
stop_thread(void *arg)
{
	http_stop(arg);
	return NULL;
}

START_TEST(test_stop_finishes_in_flight)
{
	struct conn c = conn_open("127.0.0.1", http_port(srv));
	struct json_object *o;
	struct reply r;
	pthread_t t;
	char ch;

	ck_assert_int_eq(pipe(entered), 0);
	ck_assert_int_eq(pipe(release), 0);
	conn_send(&c, "GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read(entered[0], &ch, 1), 1);
	/* the request is inside the pipeline: stop, then let it finish */
	ck_assert_int_eq(pthread_create(&t, NULL, stop_thread, srv), 0);
	srv = NULL;
	ck_assert_int_eq(write(release[1], "r", 1), 1);
	r = read_reply(&c);
	ck_assert(!r.closed);
	ck_assert_int_eq(r.status, 200);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "target"), "/block");
	json_object_put(o);
	reply_free(&r);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	conn_close(&c);
}
END_TEST

START_TEST(test_ipv6)
{
	struct http_server *s6;
	char *cause = NULL;
	struct json_object *o;
	struct reply r;
	struct conn c;
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 probe = { .sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT };

	/* hosts without IPv6 loopback skip the rest */
	if (fd < 0 || bind(fd, (struct sockaddr *)&probe, sizeof(probe)) != 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	s6 = http_start_with(&emu, stand_in, "::1", 0, 0, 1024, &cause);
	if (s6 == NULL)
		ck_abort_msg("http_start_with: %s", cause);
	c = conn_open("::1", http_port(s6));
	conn_send(&c, "GET /six HTTP/1.1\r\nHost: [::1]\r\n\r\n");
	r = read_reply(&c);
	o = body_json(&r);
	ck_assert_str_eq(jstr(o, "remote"), "::1");
	ck_assert_str_eq(jstr(o, "host"), "[::1]");
	json_object_put(o);
	reply_free(&r);
	conn_close(&c);
	http_stop(s6);
}
END_TEST

/* Connects to 127.0.0.1:port from the local address src. */
static struct conn
conn_open_from(const char *src, int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct conn c = { socket(AF_INET, SOCK_STREAM, 0), SBUF_INIT };
	struct timeval tv = { 10, 0 };

	ck_assert_int_ge(c.fd, 0);
	setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ck_assert_int_eq(inet_pton(AF_INET, src, &in.sin_addr), 1);
	ck_assert_int_eq(bind(c.fd, (struct sockaddr *)&in, sizeof(in)), 0);
	in.sin_port = htons((uint16_t)port);
	ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &in.sin_addr), 1);
	ck_assert_int_eq(connect(c.fd, (struct sockaddr *)&in, sizeof(in)), 0);
	return c;
}

static const char *
remote_of(struct conn *c)
{
	static char val[64];
	struct json_object *o;
	struct reply r;

	conn_send(c, "GET /peer HTTP/1.1\r\nHost: x\r\n\r\n");
	r = read_reply(c);
	o = body_json(&r);
	snprintf(val, sizeof(val), "%s", jstr(o, "remote"));
	json_object_put(o);
	reply_free(&r);
	return val;
}

START_TEST(test_peer_ipv4)
{
	struct conn c;

	/* octets of one, two and three digits and a zero */
	c = conn_open_from("127.0.200.9", http_port(srv));
	ck_assert_str_eq(remote_of(&c), "127.0.200.9");
	conn_close(&c);
	c = conn_open_from("127.255.10.0", http_port(srv));
	ck_assert_str_eq(remote_of(&c), "127.255.10.0");
	conn_close(&c);
}
END_TEST

START_TEST(test_peer_v4_mapped)
{
	struct http_server *s6;
	char *cause = NULL;
	struct conn c;

	/* a dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d */
	s6 = http_start_with(&emu, stand_in, "::ffff:127.0.0.1", 0, 0, 1024,
	    &cause);
	if (s6 == NULL) { /* hosts without IPv6 skip it */
		free(cause);
		return;
	}
	c = conn_open_from("127.3.2.1", http_port(s6));
	ck_assert_str_eq(remote_of(&c), "127.3.2.1");
	conn_close(&c);
	http_stop(s6);
}
END_TEST

START_TEST(test_bad_bind)
{
	char *cause = NULL;

	ck_assert_ptr_null(
	    http_start_with(&emu, stand_in, "localhost", 0, 0, 1, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "localhost"));
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(
	    http_start_with(&emu, stand_in, "127.0.0.1", 70000, 0, 1, &cause));
	ck_assert_ptr_nonnull(cause);
	free(cause);
}
END_TEST

START_TEST(test_port_in_use)
{
	char *cause = NULL;
	struct http_server *s2;

	s2 = http_start_with(&emu, stand_in, "127.0.0.1", http_port(srv), 0, 1,
	    &cause);
	ck_assert_ptr_null(s2);
	ck_assert_ptr_nonnull(strstr(cause, "cannot listen on 127.0.0.1:"));
	free(cause);
}
END_TEST

/* Tests that stop the server themselves leave srv NULL. */
static void
teardown(void)
{
	if (srv != NULL)
		http_stop(srv);
}

static Suite *
http_suite(void)
{
	const TTest *const tests[] = {
		test_port_zero,
		test_wire_facts,
		test_absent_headers,
		test_status_and_content_type,
		test_body,
		test_chunked_body,
		test_body_at_limit,
		test_body_too_large,
		test_keep_alive,
		test_pipelined,
		test_drop,
		test_latency_answers,
		test_expect_continue,
		test_log_text,
		test_log_before_stop,
		test_log_json,
		test_log_masks_and_escapes_text,
		test_log_masks_and_escapes_json,
		test_stop_finishes_in_flight,
		test_ipv6,
		test_peer_ipv4,
		test_peer_v4_mapped,
		test_bad_bind,
		test_port_in_use,
		NULL,
	};

	return suite_core("http", setup, teardown, tests);
}

int
main(void)
{
	return suite_run(http_suite());
}
