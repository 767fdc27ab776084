/*
 * test_accesslog.c - the asynchronous line writer: lines arrive without a
 * close, whole and in order from concurrent appenders, through a buffer
 * far smaller than what passes through it, and all of them by the time
 * accesslog_free() returns.  No test depends on timing: reads poll with a
 * generous deadline that only guards against a hang.
 */
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accesslog.h"
#include "util.h"
#include "suite.h"

/* A safety net against a hung writer, not a timing assertion. */
#define DEADLINE_MS 20000

/* A temporary file, already unlinked. */
static int
temp_fd(void)
{
	FILE *tmp = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* The whole of the file behind fd, NUL-terminated. */
static char *
slurp(int fd, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		sbuf_add(&sb, buf, (size_t)n);
		off += n;
	}
	ck_assert_int_eq(n, 0);
	*len = sb.len;
	return sbuf_detach(&sb);
}

/* Reads from fd until want newlines have come in. */
static char *
read_lines(int fd, size_t want, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	size_t lines = 0;
	char buf[65536];
	int waited = 0;

	while (lines < want) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t n, i;

		if (poll(&pfd, 1, 100) == 0) {
			waited += 100;
			ck_assert_msg(waited < DEADLINE_MS,
			    "%zu of %zu lines "
			    "came",
			    lines, want);
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				lines++;
		sbuf_add(&sb, buf, (size_t)n);
	}
	*len = sb.len;
	return sbuf_detach(&sb);
}

/*
 * Line seq of appender t: "t<t> <seq> " and a run of one letter whose
 * length varies with seq, so lines cross buffer boundaries every way.
 */
static size_t
make_line(char *buf, size_t size, int t, int seq)
{
	int n = snprintf(buf, size, "t%d %d ", t, seq);
	int i, fill = (seq * 7 + t) % 61;

	for (i = 0; i < fill && (size_t)n + 1 < size; i++)
		buf[n++] = (char)('a' + t % 26);
	buf[n] = '\0';
	return (size_t)n;
}

/*
 * Checks that text holds exactly nthreads * per lines, each as
 * make_line() built it, each appender's in its own order.
 */
static void
check_lines(const char *text, size_t len, int nthreads, int per)
{
	int *next = xcalloc((size_t)nthreads, sizeof(*next));
	const char *p = text, *end = text + len;
	long total = 0;
	int t;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char want[128], *e;
		int seq;

		ck_assert_msg(nl != NULL, "a line without its newline");
		/* strtol, not sscanf, which measures all of text each time */
		ck_assert_int_eq(*p, 't');
		t = (int)strtol(p + 1, &e, 10);
		ck_assert_int_eq(*e, ' ');
		seq = (int)strtol(e + 1, &e, 10);
		ck_assert_int_eq(*e, ' ');
		ck_assert(t >= 0 && t < nthreads);
		ck_assert_int_eq(seq, next[t]);
		next[t]++;
		make_line(want, sizeof(want), t, seq);
		ck_assert_int_eq((int)(nl - p), (int)strlen(want));
		ck_assert(memcmp(p, want, strlen(want)) == 0);
		total++;
		p = nl + 1;
	}
	for (t = 0; t < nthreads; t++)
		ck_assert_int_eq(next[t], per);
	ck_assert_int_eq(total, (long)nthreads * per);
	free(next);
}

struct appender {
	struct accesslog *al;
	pthread_t thread;
	int t;
	int count;
};

static void *
appender_main(void *arg)
{
	struct appender *a = arg;
	char line[128];
	int seq;

	for (seq = 0; seq < a->count; seq++)
		accesslog_add(a->al, line,
		    make_line(line, sizeof(line), a->t, seq));
	return NULL;
}

static void
start_appenders(struct appender *a, int n, struct accesslog *al, int per)
{
	int t;

	for (t = 0; t < n; t++) {
		a[t].al = al;
		a[t].t = t;
		a[t].count = per;
		ck_assert_int_eq(
		    pthread_create(&a[t].thread, NULL, appender_main, &a[t]),
		    0);
	}
}

static void
join_appenders(struct appender *a, int n)
{
	int t;

	for (t = 0; t < n; t++)
		ck_assert_int_eq(pthread_join(a[t].thread, NULL), 0);
}

START_TEST(test_line_arrives_before_close)
{
	struct accesslog *al;
	int fds[2];
	size_t len;
	char *got;

	ck_assert_int_eq(pipe(fds), 0);
	al = accesslog_new(fds[1], 4096);
	ck_assert_ptr_nonnull(al);
	accesslog_add(al, "GET /x 200 0.1ms", 16);
	got = read_lines(fds[0], 1, &len);
	ck_assert_str_eq(got, "GET /x 200 0.1ms\n");
	free(got);
	/* and again once the writer has gone back to sleep */
	accesslog_add(al, "second", 6);
	got = read_lines(fds[0], 1, &len);
	ck_assert_str_eq(got, "second\n");
	free(got);
	accesslog_free(al);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_close_flushes)
{
	int fd = temp_fd();
	struct accesslog *al = accesslog_new(fd, 1 << 20);
	struct appender a;
	size_t len;
	char *got;

	ck_assert_ptr_nonnull(al);
	a.al = al;
	a.t = 0;
	a.count = 5000;
	appender_main(&a);
	accesslog_free(al);
	got = slurp(fd, &len);
	check_lines(got, len, 1, 5000);
	free(got);
	close(fd);
}
END_TEST

START_TEST(test_concurrent_whole_and_ordered)
{
	enum {
		NTHREADS = 8,
		PER = 20000
	};
	struct appender a[NTHREADS];
	int fd = temp_fd();
	struct accesslog *al = accesslog_new(fd, 64 * 1024);
	size_t len;
	char *got;

	ck_assert_ptr_nonnull(al);
	start_appenders(a, NTHREADS, al, PER);
	join_appenders(a, NTHREADS);
	accesslog_free(al);
	got = slurp(fd, &len);
	check_lines(got, len, NTHREADS, PER);
	free(got);
	close(fd);
}
END_TEST

START_TEST(test_full_buffer_loses_nothing)
{
	enum {
		NTHREADS = 4,
		PER = 5000
	};
	struct appender a[NTHREADS];
	struct accesslog *al;
	int fds[2];
	size_t len;
	char *got;

	/*
	 * 256 bytes of buffer in front of a pipe nobody reads yet: the
	 * pipe fills, then the buffer, and the appenders must wait.
	 */
	ck_assert_int_eq(pipe(fds), 0);
	al = accesslog_new(fds[1], 256);
	ck_assert_ptr_nonnull(al);
	start_appenders(a, NTHREADS, al, PER);
	got = read_lines(fds[0], (size_t)NTHREADS * PER, &len);
	join_appenders(a, NTHREADS);
	accesslog_free(al);
	check_lines(got, len, NTHREADS, PER);
	free(got);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_oversized_line)
{
	enum {
		NTHREADS = 3,
		PER = 3000
	};
	struct appender a[NTHREADS];
	char big[1000];
	struct accesslog *al;
	int fd = temp_fd(), i;
	size_t len;
	char *got, *p;

	/* longer than the whole buffer: it still goes out whole */
	al = accesslog_new(fd, 64);
	ck_assert_ptr_nonnull(al);
	memset(big, 'B', sizeof(big));
	start_appenders(a, NTHREADS, al, PER);
	for (i = 0; i < 10; i++)
		accesslog_add(al, big, sizeof(big));
	join_appenders(a, NTHREADS);
	accesslog_free(al);
	got = slurp(fd, &len);
	/* take the big lines out, then check the rest */
	for (i = 0; i < 10; i++) {
		p = strchr(got, 'B');
		ck_assert_ptr_nonnull(p);
		ck_assert(p == got || p[-1] == '\n');
		ck_assert_int_eq((int)strspn(p, "B"), (int)sizeof(big));
		ck_assert_int_eq(p[sizeof(big)], '\n');
		memmove(p, p + sizeof(big) + 1,
		    len - (size_t)(p - got) - sizeof(big));
		len -= sizeof(big) + 1;
	}
	ck_assert_ptr_null(strchr(got, 'B'));
	check_lines(got, len, NTHREADS, PER);
	free(got);
	close(fd);
}
END_TEST

START_TEST(test_broken_descriptor)
{
	struct accesslog *al;
	int fds[2], i;

	/* nobody will read: writes fail, and appenders must not hang */
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(fds), 0);
	close(fds[0]);
	al = accesslog_new(fds[1], 128);
	ck_assert_ptr_nonnull(al);
	for (i = 0; i < 10000; i++)
		accesslog_add(al, "lost", 4);
	accesslog_free(al);
	close(fds[1]);
}
END_TEST

START_TEST(test_free_null)
{
	accesslog_free(NULL);
}
END_TEST

/* accesslog_path() of s, as a string (static buffer). */
static const char *
clean(const char *s)
{
	static char out[1024];
	size_t n = strlen(s);

	ck_assert_uint_le(ACCESSLOG_PATH_ROOM(n), sizeof(out));
	out[accesslog_path(out, s, n)] = '\0';
	return out;
}

START_TEST(test_path_masks_tokens)
{
	/* a plain Graph path passes unchanged */
	ck_assert_str_eq(clean("/v24.0/4000000000000001/phone_numbers"),
	    "/v24.0/4000000000000001/phone_numbers");
	/* the control plane's token sub-path, all of it */
	ck_assert_str_eq(clean("/_emulator/tokens/EAAdemoAdmin"),
	    "/_emulator/tokens/EAAd***");
	ck_assert_str_eq(clean("/_emulator/tokens/short"),
	    "/_emulator/tokens/***");
	ck_assert_str_eq(clean("/_emulator/tokens/abcdefghijk/x/y"),
	    "/_emulator/tokens/abcd***");
	ck_assert_str_eq(clean("/_emulator/tokens/"), "/_emulator/tokens/");
	/* a user token or an app token anywhere in a path */
	ck_assert_str_eq(clean("/v24.0/EAAsecretsecret/accounts"),
	    "/v24.0/EAAs***/accounts");
	ck_assert_str_eq(clean("/1000000000000001|secretsecret"), "/1000***");
	ck_assert_str_eq(clean("/1000000000000001%7csecretsecret/x"),
	    "/1000***/x");
	ck_assert_str_eq(clean("/a|b"), "/***");
	/* an E, '|' or '%' that is no token passes unchanged too */
	ck_assert_str_eq(clean("/Edge/EA/%41"), "/Edge/EA/%41");
	ck_assert_str_eq(clean("//x/"), "//x/");
}
END_TEST

START_TEST(test_path_escapes)
{
	ck_assert_str_eq(clean("/a\x1b[2Jb"), "/a\\x1b[2Jb");
	ck_assert_str_eq(clean("/q\"uote\\back"), "/q\\x22uote\\x5cback");
	ck_assert_str_eq(clean("/\x7f\x01\t"), "/\\x7f\\x01\\x09");
	/* UTF-8 is not a control character */
	ck_assert_str_eq(clean("/caf\xc3\xa9"), "/caf\xc3\xa9");
	/* escaped inside a masked token's kept prefix too */
	ck_assert_str_eq(clean("/EAA\x01secretsecret"), "/EAA\\x01***");
	/* the worst case fits the room promised */
	{
		char in[64], out[ACCESSLOG_PATH_ROOM(64)];

		memset(in, '\x01', sizeof(in));
		ck_assert_uint_eq(accesslog_path(out, in, sizeof(in)),
		    4 * sizeof(in));
	}
}
END_TEST

static Suite *
accesslog_suite(void)
{
	Suite *s = suite_create("accesslog");
	const TTest *const tests[] = {
		test_line_arrives_before_close,
		test_close_flushes,
		test_concurrent_whole_and_ordered,
		test_full_buffer_loses_nothing,
		test_oversized_line,
		test_broken_descriptor,
		test_free_null,
		test_path_masks_tokens,
		test_path_escapes,
		NULL,
	};

	tcase_set_timeout(suite_case(s, "core", NULL, NULL, tests), 60);
	return s;
}

int
main(void)
{
	return suite_run(accesslog_suite());
}
