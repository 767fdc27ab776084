/*
 * test_persist.c - a --db file keeps acknowledged writes across a restart,
 * fixtures load only into a fresh file, and shutdown is clean.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

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

int
main(void)
{
	Suite *su = suite_create("persist");
	TCase *tc = tcase_create("db file");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_write_survives_restart);
	tcase_add_test(tc, test_fixtures_not_reloaded_over_a_file);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
