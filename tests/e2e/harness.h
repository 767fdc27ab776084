/*
 * harness.h - end-to-end helpers: start the real waba-emulator binary
 * (path from $WABA_EMU_BIN) on port 0, talk HTTP to it with libcurl, and
 * read JSON answers.  Start the server inside a checked fixture: check
 * forks each test.
 *
 * Ownership: http_resp_free() frees what http_req() filled.
 */
#ifndef WABA_E2E_HARNESS_H
#define WABA_E2E_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct json_object;

struct server {
	pid_t pid;
	int port;
	char base[64]; /* "http://127.0.0.1:PORT" */
};

/*
 * Starts the emulator with --bind 127.0.0.1 --port 0 --seed 1 plus args
 * (NULL-terminated, may be NULL) and waits for its "listening" line.
 * Returns 0, or -1 (the test should fail).
 */
int server_start(struct server *s, const char *const *args);
/* SIGTERM, then waits: returns the exit status (0 = clean), -1 on a signal. */
int server_stop(struct server *s);
/* SIGKILL, as a crash would: no shutdown, no flush.  Then waits. */
void server_kill(struct server *s);

struct http_resp {
	long status;
	char *body;
	size_t body_len;
	struct json_object *json; /* parsed body, NULL when not JSON */
	char **hnames;            /* response headers, lower-cased names */
	char **hvalues;
	size_t nheaders;
};

/*
 * One request.  path is appended to the server's base URL.  body may be
 * NULL; ctype NULL sends form encoding when there is a body.  headers is a
 * NULL-terminated list of "Name: value" lines (may be NULL).
 */
int http_req(const struct server *s, const char *method, const char *path,
    const char *body, const char *ctype, const char *const *headers,
    struct http_resp *out);
/*
 * The same with the path made from fmt, failing the test when the request
 * cannot be made: the one-line call a suite's GET/POST macros wrap.
 */
void http_reqf(const struct server *s, struct http_resp *out,
    const char *method, const char *body, const char *ctype,
    const char *const *headers, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The "id" of each element of the array at path, comma-joined (valid
 * until the next call). */
const char *jids(struct json_object *o, const char *path);
/*
 * The same on a curl easy handle (CURL *) the caller keeps, so that
 * requests share one keep-alive connection.
 */
int http_req_on(void *handle, const struct server *s, const char *method,
    const char *path, const char *body, const char *ctype,
    const char *const *headers, struct http_resp *out);
/* Shorthands. */
int http_get(const struct server *s, const char *path, struct http_resp *out);
int http_post_form(const struct server *s, const char *path, const char *form,
    struct http_resp *out);
int http_post_json(const struct server *s, const char *path, const char *json,
    struct http_resp *out);
void http_resp_free(struct http_resp *r);
/*
 * A control-plane (or any) request with a JSON body (or none) that must
 * answer status want, failing the test otherwise.  Returns the parsed
 * body, NULL when not JSON; the caller puts it.
 */
struct json_object *ctl(const struct server *s, const char *method,
    const char *path, const char *body, long want);
/* Moves the emulator's clock forward, failing the test unless it did. */
void ctl_advance(const struct server *s, long seconds);

/*
 * Raw sockets, for bytes no HTTP client would send.  raw_dial() connects
 * to the server from src (a 127.0.0.0/8 address, NULL: any) and returns
 * the descriptor, or -1; raw_connect() fails the test instead.  The
 * caller closes.  raw_send_all() sends p[0..n) and stops quietly when
 * the server hangs up first: what it answered is the test's to read.
 */
int raw_dial(const struct server *s, const char *src);
int raw_connect(const struct server *s);
void raw_send_all(int fd, const void *p, size_t n);

/* An appsecret_proof: lowercase hex HMAC-SHA256 of msg keyed by secret. */
void hmac_hex(const char *secret, const char *msg, char out[65]);

/*
 * A check test case whose tests each run between setup and teardown
 * (typically starting and stopping the suite's server), 60 s each.
 */
TCase *harness_tcase(const char *name, void (*setup)(void),
    void (*teardown)(void));
const char *http_header(const struct http_resp *r, const char *name);

/*
 * Looks up a dotted path ("error.code", "data.0.id") in obj; NULL when
 * absent.  jstr/jint read the value there ("" and -1 when absent).
 */
struct json_object *jget(struct json_object *obj, const char *path);
const char *jstr(struct json_object *obj, const char *path);
long long jint(struct json_object *obj, const char *path);
size_t jlen(struct json_object *obj, const char *path);
/* Parses text (test expectations) and compares with json-c's equality. */
bool jeq(struct json_object *obj, const char *expected_json);

/* The demo fixture's ids and tokens. */
#define DEMO_APP "1000000000000001"
#define DEMO_APP_SECRET "demo-app-secret"
#define DEMO_SECURE_APP "1000000000000002"
#define DEMO_SECURE_SECRET "secure-app-secret"
#define DEMO_BUSINESS "2000000000000001"
#define DEMO_PARTNER_BUSINESS "2000000000000002"
#define DEMO_BLOCKED_BUSINESS "2000000000000003"
#define DEMO_ADMIN_USER "3000000000000001"
#define DEMO_EMPLOYEE_USER "3000000000000002"
#define DEMO_MANAGER_USER "3000000000000003"
#define DEMO_NOACCESS_USER "3000000000000004"
#define DEMO_PARTNER_USER "3000000000000005"
#define DEMO_WABA "4000000000000001"
#define DEMO_WABA_NOPHONES "4000000000000002"
#define DEMO_WABA_CLIENT "4000000000000003"
#define DEMO_WABA_BLOCKED "4000000000000004"
#define DEMO_WABA_LABS "4000000000000005"
#define DEMO_PHONE "5000000000000001"
#define TOK_ADMIN "EAAdemoAdmin"
#define TOK_EMPLOYEE "EAAdemoEmployee"
#define TOK_MANAGER "EAAdemoManager"
#define TOK_NOACCESS "EAAdemoNoaccess"
#define TOK_PARTNER "EAAdemoPartner"
#define TOK_BLOCKED "EAAdemoBlocked"
#define TOK_NOSCOPE "EAAdemoNoScope"
#define TOK_EXPIRED "EAAdemoExpired"
#define TOK_GRANULAR "EAAdemoGranular"
#define TOK_INVALIDATED "EAAdemoInvalidated"
#define TOK_LOGGED_OUT "EAAdemoLoggedOut"
#define TOK_SESSION_KEY "EAAdemoSessionKey"
#define TOK_SECURE "EAAdemoSecure"
#define TOK_APP DEMO_APP "|" DEMO_APP_SECRET

#endif
