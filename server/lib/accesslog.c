/*
 * accesslog.c - the asynchronous line writer.  Appenders copy a line into
 * the fill buffer under a mutex held only for the copy; the writer thread
 * swaps that buffer for its empty one and writes it out with the mutex
 * released.  Nothing polls: with no lines to write, the writer sleeps on a
 * condition variable that the next appender signals.
 */
#include "accesslog.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/*
 * Once a line arrives, the writer lets more gather this long before it
 * writes, unless the buffer is half full, an appender waits for room or
 * the log is closing: under load one write(2) then carries many lines,
 * and a line still shows within milliseconds.
 */
#define ACCESSLOG_LINGER_US 5000

struct accesslog {
	int fd;
	size_t cap; /* the bound on buffered bytes, per buffer */
	pthread_t thread;
	pthread_mutex_t mu;  /* guards everything below */
	pthread_cond_t more; /* CLOCK_MONOTONIC; the writer waits on it */
	pthread_cond_t room; /* appenders wait on it while buf is full */
	char *buf;           /* appenders copy lines here */
	size_t len;
	size_t bufsize; /* allocated; above cap for an oversized line */
	char *out;      /* the writer's, written out with mu released */
	size_t outsize;
	/* an appender that brings len to wake_at signals more; SIZE_MAX
	 * while the writer is not waiting or has been signalled already */
	size_t wake_at;
	unsigned int waiting; /* appenders waiting on room */
	unsigned int big;     /* of them, lines longer than cap */
	bool closing;
};

/*
 * Writes p[0..n) whole across partial writes and signals.  On an error
 * the rest of the batch is lost, as it was with stdio, so a broken
 * descriptor never blocks the appenders.
 */
static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* a non-blocking descriptor: wait until it drains */
			struct pollfd pfd = { fd, POLLOUT, 0 };

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return;
			continue;
		}
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Lets lines gather for up to ACCESSLOG_LINGER_US; called with mu held. */
static void
linger(struct accesslog *al)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += ACCESSLOG_LINGER_US * 1000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (!al->closing && al->waiting == 0 && al->len < al->cap / 2) {
		al->wake_at = al->cap / 2;
		if (pthread_cond_timedwait(&al->more, &al->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	al->wake_at = SIZE_MAX;
}

static void *
writer_main(void *arg)
{
	struct accesslog *al = arg;

	pthread_mutex_lock(&al->mu);
	for (;;) {
		char *batch;
		size_t n, size;

		while (al->len == 0 && !al->closing) {
			al->wake_at = 1;
			pthread_cond_wait(&al->more, &al->mu);
		}
		al->wake_at = SIZE_MAX;
		if (al->len == 0) /* closing, and everything is written */
			break;
		linger(al);
		batch = al->buf;
		n = al->len;
		size = al->bufsize;
		al->buf = al->out;
		al->bufsize = al->outsize;
		al->len = 0;
		al->out = batch;
		al->outsize = size;
		if (al->waiting > 0)
			pthread_cond_broadcast(&al->room);
		pthread_mutex_unlock(&al->mu);

		write_all(al->fd, batch, n);
		if (size > al->cap) { /* grown for an oversized line */
			free(batch);
			al->out = xmalloc(al->cap);
			al->outsize = al->cap;
		}
		pthread_mutex_lock(&al->mu);
	}
	pthread_mutex_unlock(&al->mu);
	return NULL;
}

static void
accesslog_destroy(struct accesslog *al)
{
	pthread_cond_destroy(&al->room);
	pthread_cond_destroy(&al->more);
	pthread_mutex_destroy(&al->mu);
	free(al->buf);
	free(al->out);
	free(al);
}

struct accesslog *
accesslog_new(int fd, size_t bufsize)
{
	struct accesslog *al;
	pthread_condattr_t ca;

	assert(bufsize > 0);
	al = xcalloc(1, sizeof(*al));
	al->fd = fd;
	al->cap = bufsize;
	al->buf = xmalloc(bufsize);
	al->bufsize = bufsize;
	al->out = xmalloc(bufsize);
	al->outsize = bufsize;
	al->wake_at = SIZE_MAX;
	pthread_mutex_init(&al->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&al->more, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&al->room, NULL);
	if (pthread_create(&al->thread, NULL, writer_main, al) != 0) {
		accesslog_destroy(al);
		return NULL;
	}
	return al;
}

/*
 * Whether a line of n bytes must wait for the writer.  A line longer
 * than cap waits for an empty buffer and goes in alone (the buffer grows
 * for it); meanwhile the others wait too, so it cannot starve.
 */
static bool
must_wait(const struct accesslog *al, size_t n)
{
	if (n > al->cap)
		return al->len > 0;
	return al->big > 0 || al->len + n > al->cap;
}

void
accesslog_add(struct accesslog *al, const char *line, size_t len)
{
	size_t n = len + 1;

	pthread_mutex_lock(&al->mu);
	if (n > al->cap)
		al->big++;
	/*
	 * Full: wait for the writer rather than drop the line or grow the
	 * buffer.  The request thread then waits on the descriptor as the
	 * synchronous write it replaces did, but only once cap bytes are
	 * behind.
	 */
	while (must_wait(al, n)) {
		al->waiting++;
		pthread_cond_signal(&al->more);
		pthread_cond_wait(&al->room, &al->mu);
		al->waiting--;
	}
	if (n > al->cap) {
		al->big--;
		if (n > al->bufsize) {
			al->buf = xrealloc(al->buf, n);
			al->bufsize = n;
		}
	}
	memcpy(al->buf + al->len, line, len);
	al->buf[al->len + len] = '\n';
	al->len += n;
	if (al->len >= al->wake_at) {
		al->wake_at = SIZE_MAX;
		pthread_cond_signal(&al->more);
	}
	pthread_mutex_unlock(&al->mu);
}

void
accesslog_free(struct accesslog *al)
{
	if (al == NULL)
		return;
	pthread_mutex_lock(&al->mu);
	al->closing = true;
	pthread_cond_signal(&al->more);
	pthread_mutex_unlock(&al->mu);
	pthread_join(al->thread, NULL);
	accesslog_destroy(al);
}

/* Whether the segment p[0..n) holds a token. */
static bool
is_token_segment(const char *p, size_t n)
{
	size_t i;

	if (n >= 3 && memcmp(p, "EAA", 3) == 0)
		return true;
	for (i = 0; i < n; i++)
		if (p[i] == '|' ||
		    (p[i] == '%' && i + 2 < n && p[i + 1] == '7' &&
		        (p[i + 2] == 'C' || p[i + 2] == 'c')))
			return true;
	return false;
}

/* Appends p[0..n) escaped; returns the new end. */
static char *
put_escaped(char *w, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\') {
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hex[ch >> 4];
			*w++ = hex[ch & 15];
		} else {
			*w++ = (char)ch;
		}
	}
	return w;
}

/* Appends a token of n bytes as the journal shows it: "EAAd***". */
static char *
put_masked(char *w, const char *p, size_t n)
{
	if (n > 8)
		w = put_escaped(w, p, 4);
	memcpy(w, "***", 3);
	return w + 3;
}

/*
 * Whether p[0..n) is copied as it is: no byte to escape and none that
 * could be part of a token.  Any 'E', '|' or '%' sends the path the long
 * way, which decides.
 */
static bool
is_plain(const char *p, size_t n)
{
	/* past the control bytes, those put_escaped() escapes and those
	 * a token shows */
	static const bool stop[256] = { [0x7f] = true,
		['"'] = true,
		['\\'] = true,
		['E'] = true,
		['|'] = true,
		['%'] = true };

	return bytes_clear(p, n, 0x20, stop);
}

size_t
accesslog_path(char *out, const char *path, size_t n)
{
	static const char tokens[] = "/_emulator/tokens/";
	const size_t tlen = sizeof(tokens) - 1;
	char *w = out;
	size_t i = 0;

	/* everything past it names a token */
	if (n > tlen && memcmp(path, tokens, tlen) == 0) {
		w = put_escaped(w, path, tlen);
		w = put_masked(w, path + tlen, n - tlen);
		return (size_t)(w - out);
	}
	/* the usual path: one look at each byte, then one copy */
	if (is_plain(path, n)) {
		memcpy(out, path, n);
		return n;
	}
	while (i < n) {
		size_t seg = i;

		while (seg < n && path[seg] != '/')
			seg++;
		if (is_token_segment(path + i, seg - i))
			w = put_masked(w, path + i, seg - i);
		else
			w = put_escaped(w, path + i, seg - i);
		if (seg < n)
			*w++ = '/';
		i = seg + 1;
	}
	return (size_t)(w - out);
}
