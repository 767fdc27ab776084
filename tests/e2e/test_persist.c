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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	ck_assert_int_eq(http_post_form(&s,
	    "/v24.0/" DEMO_WABA "/phone_numbers?access_token=" TOK_ADMIN,
	    "cc=1&phone_number=5550109999&verified_name=Kept+Across",
	    &r), 0);
	ck_assert_int_eq(r.status, 200);
	snprintf(path, sizeof(path), "/v24.0/%s?access_token=" TOK_ADMIN
	    "&fields=verified_name,display_phone_number", jstr(r.json, "id"));
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
		snprintf(form, sizeof(form), "cc=1&phone_number=%s"
		    "&verified_name=Crash+%zu", numbers[i], i);
		ck_assert_int_eq(http_post_form(&s, "/v24.0/" DEMO_WABA
		    "/phone_numbers?access_token=" TOK_ADMIN, form, &r), 0);
		ck_assert_int_eq(r.status, 200);
		snprintf(paths[i], sizeof(paths[i]), "/v24.0/%s?access_token="
		    TOK_ADMIN "&fields=verified_name", jstr(r.json, "id"));
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
	ck_assert_int_eq(http_req(&s, "DELETE", "/v24.0/" DEMO_WABA
	    "/assigned_users?user=" DEMO_MANAGER_USER "&access_token="
	    TOK_ADMIN, NULL, NULL, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);

	/* the demo fixtures would bring the assignment back */
	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(http_get(&s, "/v24.0/" DEMO_WABA "/assigned_users"
	    "?business=" DEMO_BUSINESS "&access_token=" TOK_ADMIN, &r), 0);
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
	ck_assert_int_eq(http_get(&s, "/v24.0/" DEMO_WABA "?access_token="
	    TOK_ADMIN, &r), 0);
	ck_assert_int_eq(r.status, 401);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* A broken second fixture file leaves nothing of the first behind. */
START_TEST(test_broken_fixture_loads_nothing)
{
	char good[300], bad[300];
	const char *args[] = { "--db", dbpath, "--fixtures", good,
		"--fixtures", bad, NULL };
	const char *plain[] = { "--db", dbpath, NULL };
	struct server s;
	struct http_resp r;
	FILE *f;

	snprintf(good, sizeof(good), "%s.good.json", dbpath);
	snprintf(bad, sizeof(bad), "%s.bad.json", dbpath);
	f = fopen(good, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000001\","
	    "\"name\":\"Kept?\"}]}", f);
	fclose(f);
	f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"businesses\":[{\"id\":\"2100000000000002\","
	    "\"name\":\"B\",\"colour\":\"red\"}]}", f);
	fclose(f);
	ck_assert_int_ne(server_start(&s, args), 0);
	/* nothing was loaded, so the file is still fresh: the demo loads */
	ck_assert_int_eq(server_start(&s, plain), 0);
	ck_assert_int_eq(http_get(&s, "/v24.0/" DEMO_WABA "?access_token="
	    TOK_ADMIN, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	unlink(good);
	unlink(bad);
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
	    "\"name\":\"Many\"}],\"wabas\":[", f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "%s{\"id\":\"%ld\",\"business\":\"2100000000000001\","
		    "\"name\":\"WABA %06ld\"}", i ? "," : "",
		    4100000000000000L + i, i);
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
	ck_assert(json_object_is_type(jget(r.json, "error"),
	    json_type_object));
	ck_assert(jstr(r.json, "error.message")[0] != '\0');
	ck_assert_ptr_null(jget(r.json, "error.code"));
	http_resp_free(&r);
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
	tcase_add_test(tc, test_damaged_file_refused);
	tcase_add_test(tc, test_failed_export_is_an_error);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
