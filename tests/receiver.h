/*
 * receiver.h - a webhook receiver inside a test process: a thread that
 * accepts one HTTP/1.1 request per connection on 127.0.0.1, records it
 * and answers with the status the test chose (or, for GETs in echo mode,
 * 200 with the hub.challenge of the query).  Header-only, so both the
 * end-to-end suite and the unit suite of the handshake use one copy.
 *
 * Ownership: rx_start() fills caller storage, rx_stop() frees what the
 * requests hold.  Tests read requests only after rx_wait() said they came.
 */
#ifndef WABA_TEST_RECEIVER_H
#define WABA_TEST_RECEIVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define RX_MAX 64

struct rx_req {
	char method[8];
	char target[512];
	char signature[128];
	char ctype[64];
	char agent[64];
	char *body;
	size_t len;
};

struct receiver {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t mu;
	struct rx_req reqs[RX_MAX];
	size_t n;
	int status; /* the answer to a POST */
	bool echo;  /* GET: answer 200 with hub.challenge */
	bool stop;
};

/* Copies header name's value from head into out (empty when absent). */
static void
rx_header(const char *head, const char *name, char *out, size_t n)
{
	const char *p = head;
	size_t k = strlen(name);

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, k) == 0 && p[k] == ':') {
			const char *v = p + k + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			snprintf(out, n, "%.*s",
			    (int)(e ? e - v : (long)strlen(v)), v);
			return;
		}
	}
}

static void
rx_serve(struct receiver *r, int c)
{
	struct timeval tv = { 2, 0 };
	char buf[65536], head[8192], reply[512], chal[64] = "";
	size_t got = 0, hlen, clen;
	struct rx_req q;
	char *end, cl[32];
	int status;
	ssize_t k;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&q, 0, sizeof(q));
	for (;;) {
		k = recv(c, buf + got, sizeof(buf) - 1 - got, 0);
		if (k <= 0)
			return;
		got += (size_t)k;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	hlen = (size_t)(end - buf) + 4;
	snprintf(head, sizeof(head), "%.*s", (int)hlen, buf);
	rx_header(head, "Content-Length", cl, sizeof(cl));
	clen = (size_t)atol(cl);
	while (got < hlen + clen && got < sizeof(buf) - 1) {
		k = recv(c, buf + got, sizeof(buf) - 1 - got, 0);
		if (k <= 0)
			return;
		got += (size_t)k;
	}
	sscanf(head, "%7s %511s", q.method, q.target);
	rx_header(head, "X-Hub-Signature-256", q.signature,
	    sizeof(q.signature));
	rx_header(head, "Content-Type", q.ctype, sizeof(q.ctype));
	rx_header(head, "User-Agent", q.agent, sizeof(q.agent));
	q.body = malloc(clen + 1);
	memcpy(q.body, buf + hlen, clen);
	q.body[clen] = '\0';
	q.len = clen;
	pthread_mutex_lock(&r->mu);
	status = r->status;
	if (strcmp(q.method, "GET") == 0 && r->echo) {
		const char *p = strstr(q.target, "hub.challenge=");

		status = 200;
		if (p != NULL)
			snprintf(chal, sizeof(chal), "%.*s",
			    (int)strcspn(p + 14, "&"), p + 14);
	}
	if (r->n < RX_MAX)
		r->reqs[r->n++] = q;
	else
		free(q.body);
	pthread_mutex_unlock(&r->mu);
	snprintf(reply, sizeof(reply),
	    "HTTP/1.1 %d X\r\nContent-Length: %zu"
	    "\r\nConnection: close\r\n\r\n%s",
	    status, strlen(chal), chal);
	(void)!send(c, reply, strlen(reply), MSG_NOSIGNAL);
}

static void *
rx_run(void *arg)
{
	struct receiver *r = arg;

	for (;;) {
		struct pollfd p = { r->fd, POLLIN, 0 };
		bool stop;
		int c;

		pthread_mutex_lock(&r->mu);
		stop = r->stop;
		pthread_mutex_unlock(&r->mu);
		if (stop)
			break;
		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(r->fd, NULL, NULL);
		if (c < 0)
			continue;
		rx_serve(r, c);
		close(c);
	}
	return NULL;
}

/* Listens on 127.0.0.1:port (0: any free one); 0, or -1. */
static int
rx_start(struct receiver *r, int port, int status)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int one = 1;

	memset(r, 0, sizeof(*r));
	r->status = status;
	pthread_mutex_init(&r->mu, NULL);
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(r->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(r->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(r->fd, 16) < 0 ||
	    getsockname(r->fd, (struct sockaddr *)&a, &len) < 0) {
		close(r->fd);
		return -1;
	}
	r->port = ntohs(a.sin_port);
	return pthread_create(&r->thread, NULL, rx_run, r) == 0 ? 0 : -1;
}

static void
rx_stop(struct receiver *r)
{
	size_t i;

	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	close(r->fd);
	for (i = 0; i < r->n; i++)
		free(r->reqs[i].body);
	pthread_mutex_destroy(&r->mu);
}

static void
rx_set_status(struct receiver *r, int status)
{
	pthread_mutex_lock(&r->mu);
	r->status = status;
	pthread_mutex_unlock(&r->mu);
}

static size_t
rx_count(struct receiver *r)
{
	size_t n;

	pthread_mutex_lock(&r->mu);
	n = r->n;
	pthread_mutex_unlock(&r->mu);
	return n;
}

/*
 * rx_start() on any free port, then writes the URL the emulator should
 * post to ("http://127.0.0.1:PORT/hook") into url[size]; 0, or -1.
 */
static inline int
rx_start_hook(struct receiver *r, int status, char *url, size_t size)
{
	if (rx_start(r, 0, status) != 0)
		return -1;
	snprintf(url, size, "http://127.0.0.1:%d/hook", r->port);
	return 0;
}

/* Waits up to ms for at least n requests; true when they came. */
static bool
rx_wait(struct receiver *r, size_t n, int ms)
{
	for (; ms > 0; ms -= 10) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (rx_count(r) >= n)
			return true;
		nanosleep(&ts, NULL);
	}
	return rx_count(r) >= n;
}

#endif
