/*
 * test_persist.c - a --db file keeps acknowledged writes across a restart
 * and a crash, fixtures load only into a fresh file, and shutdown is clean.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
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
	suite_add_tcase(su, tc);
	return suite_run(su);
}
