/*
 * test_route.c - the route table: lookups, the difference between "no such
 * edge" and "no such method", path nodes, and the policy each row carries
 * (the rate-limited and writing routes the README lists).
 */
#include <check.h>
#include <stdlib.h>

#include "objects.h"
#include "route.h"
#include "suite.h"

START_TEST(test_find)
{
	enum route_miss miss;
	const struct route *r;

	r = route_find("GET", NODE_WABA, NULL, &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(miss, ROUTE_FOUND);
	ck_assert_int_eq(r->perm, PERM_WABA_READ);
	r = route_find("POST", NODE_WABA, "phone_numbers", &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->perm, PERM_WABA_PHONE);
	r = route_find("GET", NODE_BUSINESS, "owned_whatsapp_business_accounts",
	    &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->perm, PERM_BUSINESS_ADMIN);
	r = route_find("POST", NODE_ROOT, NULL, &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert(!(r->flags & RF_TOKEN));
}
END_TEST

START_TEST(test_misses)
{
	enum route_miss miss;

	/* an edge the node type lacks */
	ck_assert_ptr_null(route_find("GET", NODE_WABA, "no_such_edge", &miss));
	ck_assert_int_eq(miss, ROUTE_NO_EDGE);
	/* an edge that exists, not for this method */
	ck_assert_ptr_null(
	    route_find("DELETE", NODE_WABA, "phone_numbers", &miss));
	ck_assert_int_eq(miss, ROUTE_NO_METHOD);
	/* the node itself, not for this method */
	ck_assert_ptr_null(route_find("DELETE", NODE_PHONE, NULL, &miss));
	ck_assert_int_eq(miss, ROUTE_NO_METHOD);
	ck_assert_ptr_null(route_find("PUT", NODE_BUSINESS, NULL, &miss));
	ck_assert_int_eq(miss, ROUTE_NO_METHOD);
}
END_TEST

START_TEST(test_path_nodes)
{
	char *dt[] = { "debug_token" }, *ph[] = { "phone_numbers" },
	     *me[] = { "me" }, *empty[] = { "" }, *debug[] = { "debug" },
	     *oa[] = { "oauth", "access_token" }, *oa1[] = { "oauth" },
	     *ob[] = { "oauth", "access" };

	ck_assert_uint_eq(route_path_node(dt, 1), 1);
	ck_assert_uint_eq(route_path_node(ph, 1), 0);
	ck_assert_uint_eq(route_path_node(me, 1), 0);
	ck_assert_uint_eq(route_path_node(empty, 1), 0);
	ck_assert_uint_eq(route_path_node(debug, 1), 0);
	ck_assert_uint_eq(route_path_node(oa, 2), 2);
	ck_assert_uint_eq(route_path_node(oa1, 1), 0);
	ck_assert_uint_eq(route_path_node(ob, 2), 0);
}
END_TEST

/* README, rate limits: only these count toward the use-case limit. */
/* route_path_node() stops at the first row that is not the root's */
START_TEST(test_root_rows_first)
{
	const struct route *all;
	size_t i, n;
	bool past = false;

	all = route_all(&n);
	for (i = 0; i < n; i++) {
		if (all[i].node != NODE_ROOT)
			past = true;
		else
			ck_assert_msg(!past,
			    "root row %zu after another node's", i);
	}
}
END_TEST

START_TEST(test_policy_flags)
{
	static const struct {
		const char *method;
		enum node_type node;
		const char *edge;
		unsigned flags;
	} want[] = {
		{ "GET", NODE_WABA, NULL, RF_TOKEN | RF_BUC },
		{ "GET", NODE_WABA, "assigned_users", RF_TOKEN | RF_BUC },
		{ "POST", NODE_WABA, "assigned_users",
		    RF_TOKEN | RF_BUC | RF_WRITE | RF_RAW },
		{ "DELETE", NODE_WABA, "assigned_users",
		    RF_TOKEN | RF_BUC | RF_WRITE },
		{ "POST", NODE_WABA, "phone_numbers",
		    RF_TOKEN | RF_WRITE | RF_RAW },
		{ "GET", NODE_WABA, "phone_numbers", RF_TOKEN },
		{ "GET", NODE_PHONE, NULL, RF_TOKEN },
		/* debug_token answers a missing token itself */
		{ "GET", NODE_ROOT, "debug_token",
		    RF_APP_OK | RF_TOKEN_OPTIONAL },
	};
	enum route_miss miss;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct route *r = route_find(want[i].method, want[i].node,
		    want[i].edge, &miss);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(r->flags == want[i].flags, "%s %s flags",
		    want[i].method, want[i].edge ? want[i].edge : "node");
		ck_assert(r->handler != NULL);
	}
}
END_TEST

/*
 * Every route states how a call without a token is met, once: the
 * pipeline decides from the flag alone, never from the path.
 */
START_TEST(test_token_rule_per_route)
{
	const unsigned rules = RF_TOKEN | RF_TOKEN_PER_ITEM | RF_TOKEN_OPTIONAL;
	enum route_miss miss;
	const struct route *all, *r;
	size_t i, n;

	all = route_all(&n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		unsigned f = all[i].flags & rules;

		ck_assert_msg(f != 0 && (f & (f - 1)) == 0,
		    "%s %s/%s states %s token rule", all[i].method,
		    node_type_name(all[i].node), all[i].edge ? all[i].edge : "",
		    f == 0 ? "no" : "more than one");
	}
	r = route_find("POST", NODE_ROOT, NULL, &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->flags & RF_TOKEN_PER_ITEM);
	r = route_find("GET", NODE_ROOT, "debug_token", &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->flags & RF_TOKEN_OPTIONAL);
	r = route_find("GET", NODE_ROOT, NULL, &miss);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->flags & RF_TOKEN);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_misses);
	tcase_add_test(tc, test_path_nodes);
	tcase_add_test(tc, test_root_rows_first);
	tcase_add_test(tc, test_policy_flags);
	tcase_add_test(tc, test_token_rule_per_route);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
