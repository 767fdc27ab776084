/*
 * test_ui.c - the dashboard's server side through the real binary: the
 * page (its type, its policy, nothing fetched from elsewhere) and the
 * event stream GET /_emulator/events, read from a raw socket as a
 * browser's fetch() reads it: "event: request" after a Graph call,
 * "event: delivery" after a webhook delivery, "event: state" after a
 * reset; the admin token and the cross-site rule; the end of the stream
 * at shutdown.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

/* clang-format off */
#define EVENT_BODY "{\"field\":\"account_update\",\"waba\":\"" DEMO_WABA \
	"\",\"value\":{\"event\":\"PARTNER_ADDED\",\"waba_info\":" \
	"{\"waba_id\":\"" DEMO_WABA "\"}}}"
/* clang-format on */

/* An open event stream: the socket, what came so far, de-chunked. */
struct stream {
	int fd;
	char raw[65536]; /* as received, headers included */
	size_t nraw;
	size_t body_at;   /* where the first chunk starts; 0: head not in */
	char text[65536]; /* the stream's text, chunk framing removed */
	size_t ntext;
	size_t parsed; /* raw bytes de-chunked so far (from body_at) */
	size_t seen;   /* text already handed out by stream_event() */
	bool ended;    /* the last chunk (size 0) came */
	bool eof;
};

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Moves whole chunks from raw to text. */
static void
dechunk(struct stream *st)
{
	for (;;) {
		char *p = st->raw + st->body_at + st->parsed, *nl;
		size_t left = st->nraw - st->body_at - st->parsed;
		unsigned long n;

		nl = memmem(p, left, "\r\n", 2);
		if (nl == NULL)
			return;
		n = strtoul(p, NULL, 16);
		if (left < (size_t)(nl - p) + 2 + n + 2)
			return;
		if (n == 0) {
			st->ended = true;
			return;
		}
		ck_assert_uint_lt(st->ntext + n, sizeof(st->text));
		memcpy(st->text + st->ntext, nl + 2, n);
		st->ntext += n;
		st->text[st->ntext] = '\0';
		st->parsed += (size_t)(nl - p) + 2 + n + 2;
	}
}

/* Reads what is there within ms; false on EOF or nothing. */
static bool
stream_pump(struct stream *st, int ms)
{
	struct pollfd pfd = { st->fd, POLLIN, 0 };
	ssize_t n;
	char *end;

	if (st->eof || poll(&pfd, 1, ms) <= 0)
		return false;
	n = read(st->fd, st->raw + st->nraw, sizeof(st->raw) - 1 - st->nraw);
	if (n <= 0) {
		st->eof = true;
		return false;
	}
	st->nraw += (size_t)n;
	st->raw[st->nraw] = '\0';
	if (st->body_at == 0 && (end = strstr(st->raw, "\r\n\r\n")) != NULL)
		st->body_at = (size_t)(end + 4 - st->raw);
	if (st->body_at > 0)
		dechunk(st);
	return true;
}

/* Sends the request head for GET /_emulator/events with extra headers. */
static void
stream_open(struct stream *st, const struct server *s, const char *extra)
{
	struct sockaddr_in a;
	char req[512];
	int k;

	memset(st, 0, sizeof(*st));
	st->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(st->fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)s->port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(st->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	k = snprintf(req, sizeof(req),
	    "GET /_emulator/events HTTP/1.1\r\n"
	    "Host: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n%s\r\n",
	    s->port, extra != NULL ? extra : "");
	ck_assert_int_eq(write(st->fd, req, (size_t)k), k);
}

/* The status of the answer's head, waiting for it. */
static int
stream_status(struct stream *st)
{
	long t0 = mono_ms();

	while (st->body_at == 0 && mono_ms() - t0 < 5000)
		if (!stream_pump(st, 200) && st->eof)
			break;
	ck_assert_msg(st->body_at > 0, "no answer head: %s", st->raw);
	return atoi(st->raw + 9);
}

/* Opens a stream that must be accepted, and waits for its first comment. */
static void
stream_ready(struct stream *st, const struct server *s, const char *extra)
{
	long t0 = mono_ms();

	stream_open(st, s, extra);
	ck_assert_int_eq(stream_status(st), 200);
	ck_assert_ptr_nonnull(
	    strcasestr(st->raw, "\r\nContent-Type: text/event-stream"));
	while (st->ntext == 0 && mono_ms() - t0 < 5000)
		stream_pump(st, 200);
	ck_assert_msg(strncmp(st->text, ": ", 2) == 0, "%s", st->text);
	st->seen = st->ntext;
}

/*
 * The data of the next event named kind (others are skipped), parsed;
 * NULL when none comes within ms.  Each event is one block ended by a
 * blank line.
 */
static struct json_object *
stream_event(struct stream *st, const char *kind, int ms)
{
	long t0 = mono_ms();
	char want[64];

	snprintf(want, sizeof(want), "event: %s\n", kind);
	for (;;) {
		char *blk = st->text + st->seen, *end = strstr(blk, "\n\n");

		if (end != NULL) {
			char *ev = strstr(blk, "\nevent: "), *data;

			st->seen = (size_t)(end + 2 - st->text);
			if (ev == NULL || ev > end ||
			    strncmp(ev + 1, want, strlen(want)) != 0)
				continue;
			data = strstr(blk, "\ndata: ");
			ck_assert_msg(data != NULL && data < end, "%.*s",
			    (int)(end - blk), blk);
			*end = '\0'; /* the data line ends the block */
			return json_tokener_parse(data + 7);
		}
		if (mono_ms() - t0 > ms)
			return NULL;
		stream_pump(st, 100);
	}
}

static void
stream_close(struct stream *st)
{
	close(st->fd);
}

START_TEST(test_page_served_offline)
{
	struct server s;
	struct http_resp r;
	const char *csp;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	ck_assert_int_eq(http_get(&s, "/_emulator/ui", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(http_header(&r, "Content-Type"),
	    "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<!doctype html>"));
	/* everything inline, nothing from another host */
	ck_assert_ptr_null(strstr(r.body, "http://"));
	ck_assert_ptr_null(strstr(r.body, "https://"));
	ck_assert_ptr_null(strstr(r.body, "src=\"//"));
	ck_assert_ptr_null(strstr(r.body, "href=\"//"));
	ck_assert_uint_le(r.body_len, 150 * 1024);
	csp = http_header(&r, "Content-Security-Policy");
	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "default-src 'none'"));
	ck_assert_ptr_nonnull(strstr(csp, "script-src 'sha256-"));
	ck_assert_ptr_nonnull(strstr(csp, "connect-src 'self'"));
	/* the one script by hash: no inline handler of a value may run */
	{
		const char *d = strstr(csp, "script-src"),
		           *end = strchr(d, ';');
		char *unsafe = strstr(d, "'unsafe");

		ck_assert(unsafe == NULL || (end != NULL && unsafe > end));
	}
	ck_assert_str_eq(http_header(&r, "X-Content-Type-Options"), "nosniff");
	http_resp_free(&r);
	/* a page can only be read: nothing else is allowed on it */
	ck_assert_int_eq(http_req(&s, "POST", "/_emulator/ui", "{}",
	                     "application/json", NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 405);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_root_points_browsers_to_the_page)
{
	static const char *const browser[] = {
		"Accept: text/html,"
		"application/xhtml+xml,*/*;q=0.8",
		NULL
	};
	static const char *const client[] = { "Accept: application/json",
		NULL };
	const char *off[] = { "--no-control-plane", NULL };
	struct server s;
	struct http_resp r, api;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	ck_assert_int_eq(http_req(&s, "GET", "/", NULL, NULL, browser, &r), 0);
	ck_assert_int_eq(r.status, 302);
	ck_assert_str_eq(http_header(&r, "Location"), "/_emulator/ui");
	http_resp_free(&r);
	/* an API client gets the Graph answer it always got */
	ck_assert_int_eq(http_req(&s, "GET", "/", NULL, NULL, client, &api), 0);
	ck_assert_int_ne(api.status, 302);
	ck_assert_ptr_nonnull(jget(api.json, "error.fbtrace_id"));
	ck_assert_int_eq(http_get(&s, "/", &r), 0);
	ck_assert_int_eq(r.status, api.status);
	ck_assert_ptr_nonnull(jget(r.json, "error.code"));
	http_resp_free(&r);
	http_resp_free(&api);
	ck_assert_int_eq(server_stop(&s), 0);
	/* no control plane, no page to point to */
	ck_assert_int_eq(server_start(&s, off), 0);
	ck_assert_int_eq(http_req(&s, "GET", "/", NULL, NULL, browser, &r), 0);
	ck_assert_int_ne(r.status, 302);
	ck_assert_ptr_nonnull(jget(r.json, "error.code"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_stream_request_and_state)
{
	/* one worker: an open stream must not hold it */
	const char *args[] = { "--workers", "1", NULL };
	struct server s;
	struct stream st;
	struct http_resp r;
	struct json_object *e;
	char path[128];

	ck_assert_int_eq(server_start(&s, args), 0);
	stream_ready(&st, &s, NULL);
	snprintf(path, sizeof(path), "/v21.0/%s?access_token=%s", DEMO_WABA,
	    TOK_ADMIN);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	e = stream_event(&st, "request", 5000);
	ck_assert_msg(e != NULL, "no request event: %s", st.text);
	ck_assert_str_eq(jstr(e, "method"), "GET");
	ck_assert_str_eq(jstr(e, "path"), "/v21.0/" DEMO_WABA);
	ck_assert_int_eq(jint(e, "status"), 200);
	/* the token is masked as in the journal */
	ck_assert_str_ne(jstr(e, "params.access_token"), TOK_ADMIN);
	/* the same entry the journal lists */
	ck_assert_int_eq(http_get(&s, "/_emulator/requests", &r), 0);
	ck_assert(json_object_equal(e, jget(r.json, "data.0")));
	http_resp_free(&r);
	json_object_put(e);
	/* a failed call is an event too, with its error code */
	ck_assert_int_eq(
	    http_get(&s, "/v21.0/" DEMO_WABA "?access_token=nope", &r), 0);
	http_resp_free(&r);
	e = stream_event(&st, "request", 5000);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(jint(e, "error_code"), 190);
	json_object_put(e);
	/* a control-plane change is a state event; reading is not */
	ck_assert_int_eq(http_get(&s, "/_emulator/state", &r), 0);
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_req(&s, "POST", "/_emulator/reset", NULL, NULL, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	e = stream_event(&st, "state", 5000);
	ck_assert_msg(e != NULL, "no state event: %s", st.text);
	ck_assert_str_eq(jstr(e, "cause"), "POST /_emulator/reset");
	json_object_put(e);
	/* a refused change is not */
	ck_assert_int_eq(http_req(&s, "POST", "/_emulator/clock", "{}",
	                     "application/json", NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 400);
	http_resp_free(&r);
	ck_assert_ptr_null(stream_event(&st, "state", 500));
	stream_close(&st);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_stream_delivery)
{
	struct receiver rx;
	char hook[128];
	const char *args[] = { "--webhook-url", hook, NULL };
	struct server s;
	struct stream st;
	struct http_resp r;
	struct json_object *e;

	ck_assert_int_eq(rx_start_hook(&rx, 200, hook, sizeof(hook)), 0);
	ck_assert_int_eq(server_start(&s, args), 0);
	stream_ready(&st, &s, NULL);
	ck_assert_int_eq(
	    http_post_json(&s, "/_emulator/webhooks/events", EVENT_BODY, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	e = stream_event(&st, "delivery", 5000);
	ck_assert_msg(e != NULL, "no delivery event: %s", st.text);
	ck_assert_str_eq(jstr(e, "field"), "account_update");
	ck_assert_str_eq(jstr(e, "waba"), DEMO_WABA);
	ck_assert_str_eq(jstr(e, "state"), "delivered");
	ck_assert_int_eq(jint(e, "status"), 200);
	ck_assert_int_eq(jint(e, "attempt"), 1);
	json_object_put(e);
	ck_assert(rx_wait(&rx, 1, 5000));
	/* a refused attempt says so, and that it will be retried */
	rx_set_status(&rx, 500);
	ck_assert_int_eq(
	    http_post_json(&s, "/_emulator/webhooks/events", EVENT_BODY, &r),
	    0);
	http_resp_free(&r);
	do {
		e = stream_event(&st, "delivery", 5000);
		ck_assert_msg(e != NULL, "no failed delivery: %s", st.text);
		if (jint(e, "status") == 500)
			break;
		json_object_put(e);
	} while (1);
	ck_assert_str_eq(jstr(e, "state"), "pending");
	ck_assert_str_eq(jstr(e, "error"), "HTTP status 500");
	json_object_put(e);
	stream_close(&st);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_admin_token_and_origin)
{
	const char *args[] = { "--admin-token", "s3cret", NULL };
	const char *const auth[] = { "Authorization: Bearer s3cret", NULL };
	struct server s;
	struct stream st;
	struct http_resp r;
	char origin[128];

	ck_assert_int_eq(server_start(&s, args), 0);
	/* the page loads, so it can ask for the token */
	ck_assert_int_eq(http_get(&s, "/_emulator/ui", &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* the data does not */
	stream_open(&st, &s, NULL);
	ck_assert_int_eq(stream_status(&st), 401);
	stream_close(&st);
	stream_open(&st, &s, "Authorization: Bearer wrong\r\n");
	ck_assert_int_eq(stream_status(&st), 401);
	stream_close(&st);
	ck_assert_int_eq(http_get(&s, "/_emulator/state", &r), 0);
	ck_assert_int_eq(r.status, 401);
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/state", NULL, NULL, auth, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* what the page's own fetch() sends passes */
	snprintf(origin, sizeof(origin),
	    "Authorization: Bearer s3cret\r\n"
	    "Origin: http://127.0.0.1:%d\r\nSec-Fetch-Site: same-origin\r\n",
	    s.port);
	stream_ready(&st, &s, origin);
	stream_close(&st);
	/* another site's does not, token or not */
	stream_open(&st, &s,
	    "Authorization: Bearer s3cret\r\n"
	    "Origin: http://evil.example\r\nSec-Fetch-Site: cross-site\r\n");
	ck_assert_int_eq(stream_status(&st), 403);
	stream_close(&st);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_stream_ends_at_shutdown)
{
	struct server s;
	struct stream st[2];
	long t0;
	int i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < 2; i++)
		stream_ready(&st[i], &s, NULL);
	t0 = mono_ms();
	ck_assert_int_eq(server_stop(&s), 0);
	/* well inside the 10 s that in-flight requests get */
	ck_assert_int_lt(mono_ms() - t0, 5000);
	for (i = 0; i < 2; i++) {
		while (!st[i].ended && stream_pump(&st[i], 1000))
			;
		ck_assert_msg(st[i].ended, "no last chunk: %s", st[i].raw);
		stream_close(&st[i]);
	}
}
END_TEST

START_TEST(test_stream_after_client_left)
{
	struct server s;
	struct stream st;
	struct http_resp r;
	struct json_object *e;
	int i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* streams come and go; the server keeps answering */
	for (i = 0; i < 40; i++) {
		stream_ready(&st, &s, NULL);
		stream_close(&st);
		ck_assert_int_eq(
		    http_get(&s, "/v21.0/me?access_token=" TOK_ADMIN, &r), 0);
		ck_assert_int_eq(r.status, 200);
		http_resp_free(&r);
	}
	stream_ready(&st, &s, NULL);
	ck_assert_int_eq(http_get(&s, "/v21.0/me?access_token=" TOK_ADMIN, &r),
	    0);
	http_resp_free(&r);
	e = stream_event(&st, "request", 5000);
	ck_assert_ptr_nonnull(e);
	json_object_put(e);
	stream_close(&st);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("ui");
	TCase *tc = harness_tcase("ui", NULL, NULL);

	tcase_add_test(tc, test_page_served_offline);
	tcase_add_test(tc, test_root_points_browsers_to_the_page);
	tcase_add_test(tc, test_stream_request_and_state);
	tcase_add_test(tc, test_stream_delivery);
	tcase_add_test(tc, test_admin_token_and_origin);
	tcase_add_test(tc, test_stream_ends_at_shutdown);
	tcase_add_test(tc, test_stream_after_client_left);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
