/*
 * test_persist.c - a --db file keeps acknowledged writes across a restart
 * and a crash, fixtures load only into a fresh file, shutdown is clean,
 * and a damaged file is refused at start and reported when read.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../suite.h"

static char dbpath[256];

static void
setup(void)
{
	snprintf(dbpath, sizeof(dbpath), "/tmp/waba-e2e-%d.db", (int)getpid());
	unlink(dbpath);
}

static void
teardown(void)
{
	char p[300];

	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

START_TEST(test_write_survives_restart)
{
	const char *args[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;
	char path[512];

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(
	    http_post_form(&s,
	        "/v24.0/" DEMO_WABA "/phone_numbers?access_token=" TOK_ADMIN,
	        "cc=1&phone_number=5550109999&verified_name=Kept+Across", &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	snprintf(path, sizeof(path),
	    "/v24.0/%s?access_token=" TOK_ADMIN
	    "&fields=verified_name,display_phone_number",
	    jstr(r.json, "id"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "verified_name"), "Kept Across");
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+1 555-010-9999");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * An answered write is committed before its answer leaves: killing the
 * process right after the answers, with no shutdown at all, loses none.
 */
START_TEST(test_write_survives_a_crash)
{
	const char *args[] = { "--db", dbpath, NULL };
	static const char *const numbers[] = { "5550108881", "5550108882" };
	char paths[2][512];
	struct server s;
	struct http_resp r;
	char form[256];
	size_t i;

	ck_assert_int_eq(server_start(&s, args), 0);
	for (i = 0; i < 2; i++) {
		snprintf(form, sizeof(form),
		    "cc=1&phone_number=%s"
		    "&verified_name=Crash+%zu",
		    numbers[i], i);
		ck_assert_int_eq(http_post_form(&s,
		                     "/v24.0/" DEMO_WABA
		                     "/phone_numbers?access_token=" TOK_ADMIN,
		                     form, &r),
		    0);
		ck_assert_int_eq(r.status, 200);
		snprintf(paths[i], sizeof(paths[i]),
		    "/v24.0/%s?access_token=" TOK_ADMIN "&fields=verified_name",
		    jstr(r.json, "id"));
		http_resp_free(&r);
	}
	server_kill(&s);

	ck_assert_int_eq(server_start(&s, args), 0);
	for (i = 0; i < 2; i++) {
		snprintf(form, sizeof(form), "Crash %zu", i);
		ck_assert_int_eq(http_get(&s, paths[i], &r), 0);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(jstr(r.json, "verified_name"), form);
		http_resp_free(&r);
	}
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_fixtures_not_reloaded_over_a_file)
{
	const char *args[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(http_req(&s, "DELETE",
	                     "/v24.0/" DEMO_WABA
	                     "/assigned_users?user=" DEMO_MANAGER_USER
	                     "&access_token=" TOK_ADMIN,
	                     NULL, NULL, NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);

	/* the demo fixtures would bring the assignment back */
	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA "/assigned_users"
	                     "?business=" DEMO_BUSINESS
	                     "&access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	ck_assert_str_eq(jstr(r.json, "data.0.id"), DEMO_EMPLOYEE_USER);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_started_empty_file_wins)
{
	const char *empty[] = { "--db", dbpath, "--no-fixtures", NULL };
	const char *plain[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;

	ck_assert_int_eq(server_start(&s, empty), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	/* the file was started once: the demo must not appear in it now */
	ck_assert_int_eq(server_start(&s, plain), 0);
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_WABA "?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 401);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* A broken second fixture file leaves nothing of the first behind. */
START_TEST(test_broken_fixture_loads_nothing)
{
	char good[300], bad[300];
	const char *args[] = { "--db", dbpath, "--fixtures", good, "--fixtures",
		bad, NULL };
	const char *plain[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;
	FILE *f;

	snprintf(good, sizeof(good), "%s.good.json", dbpath);
	snprintf(bad, sizeof(bad), "%s.bad.json", dbpath);
	f = fopen(good, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000001\","
	      "\"name\":\"Kept?\"}]}",
	    f);
	fclose(f);
	f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000002\","
	      "\"name\":\"B\",\"colour\":\"red\"}]}",
	    f);
	fclose(f);
	ck_assert_int_ne(server_start(&s, args), 0);
	/* nothing was loaded, so the file is still fresh: the demo loads */
	ck_assert_int_eq(server_start(&s, plain), 0);
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_WABA "?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	unlink(good);
	unlink(bad);
}
END_TEST

#define BIG_BIZ "2100000000000001"
#define BIG_OWNED \
	"/v24.0/" BIG_BIZ "/owned_whatsapp_business_accounts" \
	"?limit=1&summary=total_count&access_token=EAAbigAdmin"

/*
 * A fixture document: with head, an app, a business, its admin and a
 * token; then n WABAs of that business from id first on, the last one
 * with id last when that is not NULL.  Caller frees.
 */
static char *
big_doc(bool head, long long first, int n, const char *last)
{
	size_t size = 1024 + (size_t)n * 128, len = 0;
	char *doc = malloc(size);
	int i;

	ck_assert_ptr_nonnull(doc);
	len += (size_t)snprintf(doc + len, size - len, "{");
	if (head)
		len += (size_t)snprintf(doc + len, size - len,
		    "\"apps\":[{\"id\":\"1100000000000001\",\"name\":\"A\","
		    "\"secret\":\"s\"}],\"businesses\":[{\"id\":\"" BIG_BIZ
		    "\",\"name\":\"B\"}],\"users\":[{\"id\":"
		    "\"3100000000000001\",\"name\":\"U\",\"business\":\"" BIG_BIZ
		    "\",\"user_type\":\"SYSTEM_USER\",\"role\":"
		    "\"ADMIN\"}],\"tokens\":[{\"token\":\"EAAbigAdmin\","
		    "\"app\":\"1100000000000001\",\"user\":"
		    "\"3100000000000001\",\"scopes\":["
		    "\"whatsapp_business_management\"]}],");
	len += (size_t)snprintf(doc + len, size - len, "\"wabas\":[");
	for (i = 0; i < n; i++) {
		char id[24];

		if (i == n - 1 && last != NULL)
			snprintf(id, sizeof(id), "%s", last);
		else
			snprintf(id, sizeof(id), "%lld", first + i);
		len += (size_t)snprintf(doc + len, size - len,
		    "%s{\"id\":"
		    "\"%s\",\"business\":\"" BIG_BIZ "\",\"name\":"
		    "\"W%d\",\"creation_time\":%d}",
		    i ? "," : "", id, i, 1600000000 + i);
		ck_assert_uint_lt(len, size);
	}
	snprintf(doc + len, size - len, "]}");
	return doc;
}

static long long
big_count(const struct server *s)
{
	struct http_resp r;
	long long n;

	ck_assert_int_eq(http_get(s, BIG_OWNED, &r), 0);
	ck_assert_int_eq(r.status, 200);
	n = jint(r.json, "summary.total_count");
	http_resp_free(&r);
	return n;
}

/*
 * Thousands of rows from --fixtures into a file, all or nothing: each
 * with its defaults, kept across a restart; a document refused at its
 * last row adds none of its rows, and the next one loads.
 */
START_TEST(test_big_fixture_load)
{
	char file[300], path[128];
	const char *args[] = { "--db", dbpath, "--fixtures", file, NULL };
	const char *plain[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;
	char *doc;
	FILE *f;

	snprintf(file, sizeof(file), "%s.big.json", dbpath);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	doc = big_doc(true, 4100000000000000LL, 3000, NULL);
	fputs(doc, f);
	free(doc);
	fclose(f);
	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(big_count(&s), 3000);
	snprintf(path, sizeof(path),
	    "/v24.0/4100000000002999?fields=name,"
	    "currency,creation_time,message_template_namespace&access_token="
	    "EAAbigAdmin");
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "W2999");
	ck_assert_str_eq(jstr(r.json, "currency"), "USD");
	ck_assert_int_eq(jint(r.json, "creation_time"), 1600002999);
	ck_assert_uint_eq(strlen(jstr(r.json, "message_template_namespace")),
	    13);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);

	ck_assert_int_eq(server_start(&s, plain), 0);
	ck_assert_int_eq(big_count(&s), 3000);
	/* the last WABA takes the app's id: refused, with no row of it */
	doc = big_doc(false, 4200000000000000LL, 500, "1100000000000001");
	ck_assert_int_eq(http_post_json(&s, "/_emulator/fixtures", doc, &r), 0);
	free(doc);
	ck_assert_int_eq(r.status, 409);
	ck_assert_str_eq(jstr(r.json, "error.field"), "$.wabas[499].id");
	http_resp_free(&r);
	ck_assert_int_eq(big_count(&s), 3000);
	doc = big_doc(false, 4200000000000000LL, 500, NULL);
	ck_assert_int_eq(http_post_json(&s, "/_emulator/fixtures", doc, &r), 0);
	free(doc);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(big_count(&s), 3500);
	ck_assert_int_eq(server_stop(&s), 0);
	unlink(file);
}
END_TEST

/* Writes garbage over pages [from, to) of the file (4096-byte pages). */
static void
damage_pages(const char *path, long from, long to)
{
	char junk[4096];
	FILE *f = fopen(path, "r+b");
	long pg;

	ck_assert_ptr_nonnull(f);
	memset(junk, 0xa5, sizeof(junk));
	for (pg = from; pg < to; pg++) {
		ck_assert_int_eq(fseek(f, pg * 4096L, SEEK_SET), 0);
		ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), f),
		    sizeof(junk));
	}
	ck_assert_int_eq(fclose(f), 0);
}

static long
page_count(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (long)(st.st_size / 4096);
}

/*
 * Runs the binary with args until it exits (at most 10 s, then it is
 * killed and -1 returned); its standard error goes to err.
 */
static int
run_to_exit(const char *const *args, char *err, size_t errlen)
{
	const char *bin = getenv("WABA_EMU_BIN");
	const char *argv[16];
	int fds[2], st, i;
	size_t n = 0, got = 0;
	ssize_t k;
	pid_t pid;

	ck_assert_ptr_nonnull(bin);
	ck_assert_int_eq(pipe(fds), 0);
	argv[n++] = bin;
	while (args != NULL && *args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (i == 1000) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		close(fds[0]);
		return -1;
	}
	while (got + 1 < errlen &&
	    (k = read(fds[0], err + got, errlen - 1 - got)) > 0)
		got += (size_t)k;
	err[got] = '\0';
	close(fds[0]);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * A file damaged in the middle (its header intact, so SQLite opens it)
 * is refused at start: one line naming the file, exit status 2, never a
 * server that says it is healthy and then answers from broken pages.
 */
START_TEST(test_damaged_file_refused)
{
	const char *args[] = { "--db", dbpath, "--port", "0", NULL };
	struct server s;
	char err[1024];
	long pages;
	int rc;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	pages = page_count(dbpath);
	ck_assert(pages > 4);
	damage_pages(dbpath, pages / 2, pages / 2 + 1);
	rc = run_to_exit(args, err, sizeof(err));
	ck_assert_msg(rc == 2, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, dbpath) != NULL, "%s", err);
	ck_assert_msg(strstr(err, "damaged") != NULL, "%s", err);
	ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1,
	    "not one line: %s", err);
}
END_TEST

/*
 * Runs the binary with args, standard output and error into out, until it
 * exits or says it listens (then it is stopped).  With by_modes, root
 * first gives up the capability to write past file modes (its uid stays,
 * so it still reaches the binary), so that read-only modes bind as they
 * do for everyone else.  Returns the exit status, or 0 when it started
 * listening, -1 on a signal or a time-out.
 */
static int
run_capture(const char *const *args, bool by_modes, char *out, size_t n)
{
	const char *argv[16] = { getenv("WABA_EMU_BIN"), "--bind", "127.0.0.1",
		"--port", "0" };
	size_t k = 5, len = 0;
	int fds[2], status;
	pid_t pid;

	while (args != NULL && *args != NULL && k < 15)
		argv[k++] = *args++;
	argv[k] = NULL;
	out[0] = '\0';
	if (argv[0] == NULL || pipe(fds) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		if (by_modes && geteuid() == 0 &&
		    prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) < 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		ssize_t r;

		if (poll(&pfd, 1, 20000) <= 0 || len + 1 >= n)
			break;
		r = read(fds[0], out + len, n - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		out[len] = '\0';
		if (strstr(out, "listening on") != NULL) {
			close(fds[0]);
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
			return 0;
		}
	}
	close(fds[0]);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A --db in a directory that does not exist fails at start, naming both. */
START_TEST(test_db_directory_missing)
{
	char path[300], out[2048];
	const char *args[] = { "--db", path, NULL };

	snprintf(path, sizeof(path), "%s.nodir/state.db", dbpath);
	ck_assert_int_eq(run_capture(args, false, out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, path) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "No such file or directory") != NULL, "%s",
	    out);
}
END_TEST

/* A directory it cannot write: SQLite's -wal and -shm files go there. */
START_TEST(test_db_directory_not_writable)
{
	char dir[300], path[320], out[2048];
	const char *args[] = { "--db", path, NULL };

	snprintf(dir, sizeof(dir), "%s.rodir", dbpath);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(mkdir(dir, 0555), 0);
	chmod(dir, 0555);
	ck_assert_int_eq(run_capture(args, true, out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, path) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "not writable") != NULL, "%s", out);
	rmdir(dir);
}
END_TEST

/*
 * A file damaged while the emulator runs: exporting the state fails, and
 * says so with a control-plane error, never 200 with null.  Enough WABAs
 * that the pages damaged cannot all sit in SQLite's page cache.
 */
START_TEST(test_failed_export_is_an_error)
{
	char fixture[300];
	const char *load[] = { "--db", dbpath, "--fixtures", fixture, NULL };
	const char *args[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;
	long pages, i;
	FILE *f;

	snprintf(fixture, sizeof(fixture), "%s.many.json", dbpath);
	f = fopen(fixture, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000001\","
	      "\"name\":\"Many\"}],\"wabas\":[",
	    f);
	for (i = 0; i < 20000; i++)
		fprintf(f,
		    "%s{\"id\":\"%ld\",\"business\":\"2100000000000001\","
		    "\"name\":\"WABA %06ld\"}",
		    i ? "," : "", 4100000000000000L + i, i);
	fputs("]}", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(server_start(&s, load), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	unlink(fixture);

	ck_assert_int_eq(server_start(&s, args), 0);
	pages = page_count(dbpath);
	ck_assert(pages > 200);
	damage_pages(dbpath, pages / 4, 3 * pages / 4);
	ck_assert_int_eq(http_get(&s, "/_emulator/state", &r), 0);
	ck_assert_msg(r.status == 500, "%ld %.200s", r.status, r.body);
	ck_assert(json_object_is_type(jget(r.json, "error"), json_type_object));
	ck_assert(jstr(r.json, "error.message")[0] != '\0');
	ck_assert_ptr_null(jget(r.json, "error.code"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * A write-protected database file is refused at start; SQLite alone
 * would serve it read-only and fail every write.
 */
START_TEST(test_db_file_read_only_refused)
{
	char dir[300], path[320], out[2048], p[340];
	const char *args[] = { "--db", path, NULL };
	struct server s;

	snprintf(dir, sizeof(dir), "%s.dir", dbpath);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	chmod(dir, 0777);
	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	ck_assert_int_eq(chmod(path, 0444), 0);
	ck_assert_int_eq(run_capture(args, true, out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, path) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "not writable") != NULL, "%s", out);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
}
END_TEST

/* --fixtures over a file that holds state: one line says they were not loaded. */
START_TEST(test_fixtures_skipped_is_said)
{
	char fx[300], out[4096];
	const char *plain[] = { "--db", dbpath, NULL };
	const char *with[] = { "--db", dbpath, "--fixtures", fx, NULL };
	FILE *f;

	snprintf(fx, sizeof(fx), "%s.fx.json", dbpath);
	f = fopen(fx, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000001\","
	      "\"name\":\"Late\"}]}",
	    f);
	fclose(f);
	/* a fresh file takes them without a word */
	ck_assert_int_eq(run_capture(with, false, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "not loaded") == NULL, "%s", out);
	ck_assert_int_eq(run_capture(plain, false, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "not loaded") == NULL, "%s", out);
	ck_assert_int_eq(run_capture(with, false, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "--fixtures were not loaded") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, dbpath) != NULL, "%s", out);
	unlink(fx);
}
END_TEST

/* A port another program has: the error says how to choose another. */
START_TEST(test_port_in_use_says_how_to_move)
{
	char port[16], out[2048];
	const char *args[] = { "--port", port, NULL };
	struct server s;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	snprintf(port, sizeof(port), "%d", s.port);
	ck_assert_int_eq(run_capture(args, false, out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "Address already in use") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "--port") != NULL &&
	        strstr(out, "WABA_EMU_PORT") != NULL,
	    "%s", out);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("persist");
	TCase *tc = tcase_create("db file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_write_survives_restart);
	tcase_add_test(tc, test_write_survives_a_crash);
	tcase_add_test(tc, test_fixtures_not_reloaded_over_a_file);
	tcase_add_test(tc, test_started_empty_file_wins);
	tcase_add_test(tc, test_broken_fixture_loads_nothing);
	tcase_add_test(tc, test_big_fixture_load);
	tcase_add_test(tc, test_damaged_file_refused);
	tcase_add_test(tc, test_failed_export_is_an_error);
	tcase_add_test(tc, test_db_directory_missing);
	tcase_add_test(tc, test_db_directory_not_writable);
	tcase_add_test(tc, test_db_file_read_only_refused);
	tcase_add_test(tc, test_fixtures_skipped_is_said);
	tcase_add_test(tc, test_port_in_use_says_how_to_move);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
