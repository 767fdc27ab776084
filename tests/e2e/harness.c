/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <nettle/base16.h>
#include <netinet/in.h>
#include <nettle/hmac.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 20000

static char *
hx_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

int
server_start(struct server *s, const char *const *args)
{
	const char *bin = getenv("WABA_EMU_BIN");
	const char *argv[64];
	char line[512];
	size_t n = 0, len = 0;
	int fds[2];
	struct timespec t0, t1;

	memset(s, 0, sizeof(*s));
	if (bin == NULL || pipe(fds) < 0)
		return -1;
	argv[n++] = bin;
	argv[n++] = "--bind";
	argv[n++] = "127.0.0.1";
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--seed";
	argv[n++] = "1";
	while (args != NULL && *args != NULL && n < 62)
		argv[n++] = *args++;
	argv[n] = NULL;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		ssize_t r;
		char *nl, *colon;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > START_TIMEOUT_MS || poll(&pfd, 1, 200) < 0)
			break;
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		r = read(fds[0], line + len, sizeof(line) - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
		nl = strchr(line, '\n');
		if (nl == NULL)
			continue;
		*nl = '\0';
		colon = strrchr(line, ':');
		if (strncmp(line, "waba-emulator listening on http://", 34) ||
		    colon == NULL)
			break;
		s->port = atoi(colon + 1);
		snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d",
		    s->port);
		close(fds[0]);
		return s->port > 0 ? 0 : -1;
	}
	close(fds[0]);
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	return -1;
}

void
server_kill(struct server *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
}

int
server_stop(struct server *s)
{
	int status;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	while (waitpid(s->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	s->pid = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

struct buf {
	char *p;
	size_t n;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct buf *b = ud;
	size_t n = size * nmemb;
	char *p = realloc(b->p, b->n + n + 1);

	if (p == NULL)
		abort();
	b->p = p;
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_resp *r = ud;
	size_t n = size * nmemb, i, k;
	char *colon = memchr(data, ':', n);
	char *name, *value;

	if (colon == NULL)
		return n;
	if (strncmp(data, "HTTP/", 5) == 0)
		return n;
	k = (size_t)(colon - data);
	name = malloc(k + 1);
	if (name == NULL)
		abort();
	for (i = 0; i < k; i++)
		name[i] = (char)tolower((unsigned char)data[i]);
	name[k] = '\0';
	i = k + 1;
	while (i < n && data[i] == ' ')
		i++;
	while (n > i && (data[n - 1] == '\r' || data[n - 1] == '\n'))
		n--;
	value = malloc(n - i + 1);
	if (value == NULL)
		abort();
	memcpy(value, data + i, n - i);
	value[n - i] = '\0';
	r->hnames = realloc(r->hnames, (r->nheaders + 1) * sizeof(char *));
	r->hvalues = realloc(r->hvalues, (r->nheaders + 1) * sizeof(char *));
	if (r->hnames == NULL || r->hvalues == NULL)
		abort();
	r->hnames[r->nheaders] = name;
	r->hvalues[r->nheaders] = value;
	r->nheaders++;
	return size * nmemb;
}

int
http_req_on(void *handle, const struct server *s, const char *method,
    const char *path, const char *body, const char *ctype,
    const char *const *headers, struct http_resp *out)
{
	CURL *c = handle;
	struct curl_slist *hl = NULL;
	struct buf b = { NULL, 0 };
	char url[8192], ct[256];
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		snprintf(ct, sizeof(ct), "Content-Type: %s",
		    ctype ? ctype : "application/x-www-form-urlencoded");
		hl = curl_slist_append(hl, ct);
	} else {
		/* a reused handle forgets an earlier request's body */
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	/* a HEAD answer has no body to wait for, whatever it announces */
	curl_easy_setopt(c, CURLOPT_NOBODY,
	    strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	hl = curl_slist_append(hl, "Expect:");
	while (headers != NULL && *headers != NULL)
		hl = curl_slist_append(hl, *headers++);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	out->body = b.p ? b.p : hx_strdup("");
	out->body_len = b.n;
	out->json = json_tokener_parse(out->body);
	return rc == CURLE_OK ? 0 : -1;
}

int
http_req(const struct server *s, const char *method, const char *path,
    const char *body, const char *ctype, const char *const *headers,
    struct http_resp *out)
{
	CURL *c = curl_easy_init();
	int rc;

	if (c == NULL) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	rc = http_req_on(c, s, method, path, body, ctype, headers, out);
	curl_easy_cleanup(c);
	return rc;
}

int
http_get(const struct server *s, const char *path, struct http_resp *out)
{
	return http_req(s, "GET", path, NULL, NULL, NULL, out);
}

int
http_post_form(const struct server *s, const char *path, const char *form,
    struct http_resp *out)
{
	return http_req(s, "POST", path, form, NULL, NULL, out);
}

int
http_post_json(const struct server *s, const char *path, const char *json,
    struct http_resp *out)
{
	return http_req(s, "POST", path, json, "application/json", NULL, out);
}

struct json_object *
ctl(const struct server *s, const char *method, const char *path,
    const char *body, long want)
{
	struct http_resp r;
	struct json_object *o;

	ck_assert_int_eq(http_req(s, method, path, body,
	                     body ? "application/json" : NULL, NULL, &r),
	    0);
	ck_assert_msg(r.status == want, "%s %s %s: %ld %s", method, path,
	    body ? body : "", r.status, r.body);
	o = json_object_get(r.json);
	http_resp_free(&r);
	return o;
}

void
ctl_advance(const struct server *s, long seconds)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"advance_seconds\":%ld}", seconds);
	json_object_put(ctl(s, "POST", "/_emulator/clock", body, 200));
}

void
http_resp_free(struct http_resp *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->hnames[i]);
		free(r->hvalues[i]);
	}
	free(r->hnames);
	free(r->hvalues);
	free(r->body);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
http_header(const struct http_resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hnames[i], name) == 0)
			return r->hvalues[i];
	return NULL;
}

struct json_object *
jget(struct json_object *obj, const char *path)
{
	char key[256];
	const char *p = path;

	while (obj != NULL && *p) {
		size_t n = strcspn(p, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		p += n;
		if (*p == '.')
			p++;
		if (json_object_is_type(obj, json_type_array)) {
			char *end;
			long idx = strtol(key, &end, 10);

			if (*end != '\0' || idx < 0 ||
			    (size_t)idx >= json_object_array_length(obj))
				return NULL;
			obj = json_object_array_get_idx(obj, (size_t)idx);
		} else if (!json_object_object_get_ex(obj, key, &obj)) {
			return NULL;
		}
	}
	return obj;
}

const char *
jstr(struct json_object *obj, const char *path)
{
	struct json_object *v = jget(obj, path);

	return v ? json_object_get_string(v) : "";
}

long long
jint(struct json_object *obj, const char *path)
{
	struct json_object *v = jget(obj, path);

	return v ? (long long)json_object_get_int64(v) : -1;
}

size_t
jlen(struct json_object *obj, const char *path)
{
	struct json_object *v = jget(obj, path);

	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_array))
		return json_object_array_length(v);
	if (json_object_is_type(v, json_type_object))
		return (size_t)json_object_object_length(v);
	return 0;
}

bool
jeq(struct json_object *obj, const char *expected_json)
{
	struct json_object *e = json_tokener_parse(expected_json);
	bool eq = e != NULL && json_object_equal(obj, e);

	json_object_put(e);
	return eq;
}

TCase *
harness_tcase(const char *name, void (*setup)(void), void (*teardown)(void))
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

/* Lowercase hex HMAC-SHA256 of msg keyed by secret. */
void
hmac_hex(const char *secret, const char *msg, char out[65])
{
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, strlen(msg), (const uint8_t *)msg);
	hmac_sha256_digest(&ctx, sizeof(mac), mac);
	base16_encode_update(out, sizeof(mac), mac);
	out[2 * sizeof(mac)] = '\0';
}

void
http_reqf(const struct server *s, struct http_resp *out, const char *method,
    const char *body, const char *ctype, const char *const *headers,
    const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(path));
	ck_assert_int_eq(http_req(s, method, path, body, ctype, headers, out),
	    0);
}

const char *
jids(struct json_object *o, const char *path)
{
	static char buf[8192];
	struct json_object *a = jget(o, path);
	size_t i, n = 0;

	buf[0] = '\0';
	ck_assert_msg(a != NULL && json_object_is_type(a, json_type_array),
	    "%s is not an array", path);
	for (i = 0; i < json_object_array_length(a); i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? "," : "", jstr(json_object_array_get_idx(a, i), "id"));
		ck_assert_uint_lt(n, sizeof(buf));
	}
	return buf;
}

int
raw_dial(const struct server *s, const char *src)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (src != NULL) {
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		inet_pton(AF_INET, src, &sa.sin_addr);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			close(fd);
			return -1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
raw_connect(const struct server *s)
{
	int fd = raw_dial(s, NULL);

	ck_assert_int_ge(fd, 0);
	return fd;
}

void
raw_send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		/* the server may hang up early: its answer says why */
		if (k <= 0)
			return;
		c += (size_t)k;
		n -= (size_t)k;
	}
}
