/*
 * limit.c - the ceiling the emulator is measured against.
 *
 * A libmicrohttpd server that answers every request with the same bytes: the
 * body the emulator returns for GET /v24.0/4000000000000001. It has no
 * routing, no store, no JSON and no headers beyond Content-Type, so what it
 * reaches is what libmicrohttpd itself reaches on this machine: one epoll
 * worker per core (the emulator leaves its client one), keep-alive on.  It
 * is a benchmark tool, not part of the emulator.
 *
 * With --headers-file it instead builds a new response for every request,
 * as the emulator must (its request id, trace id and usage change each
 * time): a copy of the body and every "Name: value" line of FILE as a
 * header.  That measures what the emulator's header set costs in
 * libmicrohttpd alone, with nothing else done.  --threads N sets the
 * number of workers (default one per core), so that this second form can
 * run with the emulator's own.
 *
 *	bench-limit [--port N] [--threads N] [--body-file FILE]
 *	    [--headers-file FILE]
 *
 * Prints "bench-limit listening on http://127.0.0.1:PORT" once it serves;
 * SIGINT or SIGTERM stops it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

/* The emulator's read of the demo WABA (--seed 1); --body-file replaces it. */
static const char default_body[] =
    "{\"id\":\"4000000000000001\",\"name\":\"Jasper's Market\","
    "\"currency\":\"USD\",\"timezone_id\":\"1\","
    "\"message_template_namespace\":\"72ddc62a_5e40\"}";

/* The one response, shared by every connection (MHD reference-counts it). */
static struct MHD_Response *response;

/* --headers-file: what every fresh response carries; NULL-terminated. */
#define MAX_HEADERS 32
static char *hdr_name[MAX_HEADERS + 1], *hdr_value[MAX_HEADERS + 1];
static const char *body_bytes;
static size_t body_len;

/* A response of its own, as a server whose headers differ per answer. */
static enum MHD_Result
queue_fresh(struct MHD_Connection *c)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *copy;
	size_t i;

	if ((copy = malloc(body_len)) == NULL)
		abort(); /* allocation failure aborts */
	memcpy(copy, body_bytes, body_len);
	r = MHD_create_response_from_buffer(body_len, copy,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		abort();
	for (i = 0; hdr_name[i] != NULL; i++)
		MHD_add_response_header(r, hdr_name[i], hdr_value[i]);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * Answers on the second call for a request: the first call only says that
 * the headers have arrived, and queueing then would skip reading the body,
 * which makes libmicrohttpd close the connection instead of keeping it.
 */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **req_cls)
{
	static int seen;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*req_cls == NULL) {
		*req_cls = &seen;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0; /* discard any body */
		return MHD_YES;
	}
	if (hdr_name[0] != NULL)
		return queue_fresh(c);
	return MHD_queue_response(c, MHD_HTTP_OK, response);
}

/*
 * Reads FILE whole, without a trailing newline, NUL-terminated (the NUL
 * not counted in *len); NULL if it cannot.
 */
static char *
read_body(const char *path, size_t *len)
{
	FILE *fp;
	char *buf = NULL, *grown;
	size_t cap = 0, n = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		size_t r;

		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			if ((grown = realloc(buf, cap)) == NULL)
				abort(); /* allocation failure aborts */
			buf = grown;
		}
		r = fread(buf + n, 1, cap - n, fp);
		if (r == 0)
			break;
		n += r;
	}
	fclose(fp);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Splits "Name: value" lines of text (which it keeps) into the table. */
static bool
parse_headers(char *text)
{
	size_t n = 0;
	char *line, *next, *colon;

	for (line = text; *line != '\0'; line = next) {
		next = line + strcspn(line, "\r\n");
		if (*next != '\0')
			*next++ = '\0';
		while (*next == '\r' || *next == '\n')
			next++;
		if (*line == '\0')
			continue;
		if ((colon = strchr(line, ':')) == NULL || n == MAX_HEADERS)
			return false;
		*colon++ = '\0';
		colon += strspn(colon, " ");
		hdr_name[n] = line;
		hdr_value[n] = colon;
		n++;
	}
	return n > 0;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench-limit [--port N] [--threads N] "
	    "[--body-file FILE] [--headers-file FILE]\n");
	exit(2);
}

/* The value of flag as a number from min to max; exits 2 on anything else. */
static long
number_arg(const char *flag, const char *value, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "bench-limit: %s: bad value '%s'\n", flag,
		    value);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	const char *body_file = NULL, *headers_file = NULL;
	char *body, *headers;
	size_t len;
	long port = 0, ncpu = 0;
	unsigned int flags;
	sigset_t set;
	int i, sig;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			port = number_arg("--port", argv[++i], 0, 65535);
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			ncpu = number_arg("--threads", argv[++i], 1, 256);
		} else if (strcmp(argv[i], "--body-file") == 0 &&
		    i + 1 < argc) {
			body_file = argv[++i];
		} else if (strcmp(argv[i], "--headers-file") == 0 &&
		    i + 1 < argc) {
			headers_file = argv[++i];
		} else
			usage();
	}

	if (body_file != NULL) {
		if ((body = read_body(body_file, &len)) == NULL) {
			fprintf(stderr, "bench-limit: %s: %s\n", body_file,
			    strerror(errno));
			return 1;
		}
	} else {
		len = sizeof(default_body) - 1;
		if ((body = malloc(len)) == NULL)
			abort();
		memcpy(body, default_body, len);
	}
	if (headers_file != NULL) {
		size_t hlen;

		if ((headers = read_body(headers_file, &hlen)) == NULL) {
			fprintf(stderr, "bench-limit: %s: %s\n", headers_file,
			    strerror(errno));
			return 1;
		}
		if (!parse_headers(headers)) {
			fprintf(stderr,
			    "bench-limit: %s: want 1 to %d lines "
			    "of \"Name: value\"\n",
			    headers_file, MAX_HEADERS);
			return 1;
		}
	}
	body_bytes = body;
	body_len = len;
	/* 0.9.75 has no buffer_copy: hand over an owned copy */
	response = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	if (response == NULL)
		abort();
	MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json; charset=UTF-8");

	/* block the stop signals before the workers start, then wait for one */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	/* unless told, a worker per CPU this process may run on */
	if (ncpu == 0) {
		cpu_set_t cpus;

		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
		    CPU_COUNT(&cpus) > 0)
			ncpu = CPU_COUNT(&cpus);
		if (ncpu < 1)
			ncpu = 1;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
	    MHD_USE_EPOLL :
	    MHD_USE_POLL;
	{
		struct sockaddr_in sa;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
		    on_request, NULL, MHD_OPTION_SOCK_ADDR,
		    (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		    (unsigned int)ncpu, MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)30, MHD_OPTION_END);
	}
	if (d == NULL) {
		fprintf(stderr, "bench-limit: cannot listen on 127.0.0.1:%ld\n",
		    port);
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("bench-limit listening on http://127.0.0.1:%u\n",
	    di != NULL && di->port != 0 ? (unsigned int)di->port :
	                                  (unsigned int)port);
	fflush(stdout);

	do {
		if (sigwait(&set, &sig) != 0)
			sig = SIGTERM;
	} while (sig != SIGINT && sig != SIGTERM);

	MHD_stop_daemon(d);
	MHD_destroy_response(response);
	return 0;
}
