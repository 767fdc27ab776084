/*
 * test_config.c - the command line and WABA_EMU_* environment: defaults,
 * every flag in both spellings, the environment and its precedence, and
 * one-line errors that name the flag.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "suite.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *const *fake_env;

static const char *
getenv_fake(const char *name)
{
	size_t i;

	for (i = 0; fake_env != NULL && fake_env[i] != NULL; i += 2)
		if (strcmp(fake_env[i], name) == 0)
			return fake_env[i + 1];
	return NULL;
}

static struct config cfg;
static char *cause;

static void
setup(void)
{
	fake_env = NULL;
	cause = NULL;
	memset(&cfg, 0, sizeof(cfg));
}

static void
teardown(void)
{
	config_cleanup(&cfg);
	free(cause);
}

/* Runs config_parse on a NULL-terminated argument list. */
static int
parse(const char *const *args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"waba-emulator";
	while (*args != NULL)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	config_cleanup(&cfg);
	free(cause);
	cause = NULL;
	return config_parse(&cfg, argc, argv, getenv_fake, stdout, &cause);
}

/* clang-format off */
#define PARSE(...) parse((const char *const[]){ __VA_ARGS__, NULL })
/* clang-format on */

/* Expects -1 and a cause that starts with prefix. */
static void
assert_bad(int rc, const char *prefix)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(cause);
	if (strncmp(cause, prefix, strlen(prefix)) != 0)
		ck_abort_msg("cause '%s' does not start with '%s'", cause,
		    prefix);
	ck_assert_ptr_null(strchr(cause, '\n'));
}

START_TEST(test_defaults)
{
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_str_eq(cfg.bind, "127.0.0.1");
	ck_assert_int_eq(cfg.port, 8080);
	ck_assert_str_eq(cfg.db, ":memory:");
	ck_assert_uint_eq(cfg.nfixtures, 0);
	ck_assert(!cfg.no_fixtures);
	ck_assert_uint_eq(cfg.seed, 0);
	ck_assert_str_eq(cfg.default_version, "v24.0");
	ck_assert_int_eq(cfg.profile, PROFILE_DEFAULT);
	ck_assert_int_eq(cfg.rate_limit, 200);
	ck_assert_int_eq(cfg.rate_limit_active, 5000);
	ck_assert_int_eq(cfg.rate_window, 3600);
	ck_assert(!cfg.no_rate_limit);
	ck_assert(!cfg.read_only);
	ck_assert_ptr_null(cfg.admin_token);
	ck_assert(!cfg.no_control_plane);
	ck_assert_uint_eq(cfg.max_body, 1048576);
	ck_assert_uint_eq(cfg.workers, 0);
	ck_assert_int_eq(cfg.log_format, LOG_TEXT);
	ck_assert(!cfg.healthcheck);
	ck_assert_int_eq(cfg.message_delays[0], 1);
	ck_assert_int_eq(cfg.message_delays[1], 2);
	ck_assert_int_eq(cfg.message_delays[2], 5);
	ck_assert_int_eq(cfg.message_throughput, 80);
	ck_assert_ptr_null(cause);
}
END_TEST

START_TEST(test_message_flags)
{
	ck_assert_int_eq(PARSE("--message-status-delays", "0,0,30",
	                     "--message-throughput", "250"),
	    0);
	ck_assert_int_eq(cfg.message_delays[0], 0);
	ck_assert_int_eq(cfg.message_delays[1], 0);
	ck_assert_int_eq(cfg.message_delays[2], 30);
	ck_assert_int_eq(cfg.message_throughput, 250);
	assert_bad(PARSE("--message-status-delays", "1,2"),
	    "--message-status-delays: expected three rising numbers");
	assert_bad(PARSE("--message-status-delays", "3,2,5"),
	    "--message-status-delays: ");
	assert_bad(PARSE("--message-status-delays", "-1,2,5"),
	    "--message-status-delays: ");
	assert_bad(PARSE("--message-status-delays", "1,2,5,"),
	    "--message-status-delays: ");
	assert_bad(PARSE("--message-throughput", "0"),
	    "--message-throughput: ");
}
END_TEST

START_TEST(test_every_flag)
{
	ck_assert_int_eq(
	    PARSE("--bind", "0.0.0.0", "--port", "0", "--db", "state.db",
	        "--fixtures", "a.json", "--fixtures", "b.json", "--seed",
	        "18446744073709551615", "--default-version", "v23.0",
	        "--status-profile", "classic", "--rate-limit", "10",
	        "--rate-limit-active", "20", "--rate-window", "60",
	        "--no-rate-limit", "--read-only", "--admin-token", "secret",
	        "--no-control-plane", "--max-body", "2048", "--workers", "3",
	        "--log-format", "json", "--healthcheck"),
	    0);
	ck_assert_str_eq(cfg.bind, "0.0.0.0");
	ck_assert_int_eq(cfg.port, 0);
	ck_assert_str_eq(cfg.db, "state.db");
	ck_assert_uint_eq(cfg.nfixtures, 2);
	ck_assert_str_eq(cfg.fixtures[0], "a.json");
	ck_assert_str_eq(cfg.fixtures[1], "b.json");
	ck_assert(cfg.seed == UINT64_MAX);
	ck_assert_str_eq(cfg.default_version, "v23.0");
	ck_assert_int_eq(cfg.profile, PROFILE_CLASSIC);
	ck_assert_int_eq(cfg.rate_limit, 10);
	ck_assert_int_eq(cfg.rate_limit_active, 20);
	ck_assert_int_eq(cfg.rate_window, 60);
	ck_assert(cfg.no_rate_limit);
	ck_assert(cfg.read_only);
	ck_assert_str_eq(cfg.admin_token, "secret");
	ck_assert(cfg.no_control_plane);
	ck_assert_uint_eq(cfg.max_body, 2048);
	ck_assert_uint_eq(cfg.workers, 3);
	ck_assert_int_eq(cfg.log_format, LOG_JSON);
	ck_assert(cfg.healthcheck);
}
END_TEST

START_TEST(test_equals_form)
{
	ck_assert_int_eq(
	    PARSE("--bind=::1", "--port=9000", "--db=x.db", "--fixtures=f.json",
	        "--seed=7", "--default-version=v1.0",
	        "--status-profile=default", "--rate-limit=1",
	        "--rate-limit-active=2", "--rate-window=3", "--admin-token=a=b",
	        "--max-body=64k", "--log-format=text", "--read-only=true",
	        "--no-rate-limit=0"),
	    0);
	ck_assert_str_eq(cfg.bind, "::1");
	ck_assert_int_eq(cfg.port, 9000);
	ck_assert_str_eq(cfg.db, "x.db");
	ck_assert_uint_eq(cfg.nfixtures, 1);
	ck_assert_str_eq(cfg.fixtures[0], "f.json");
	ck_assert_uint_eq(cfg.seed, 7);
	ck_assert_str_eq(cfg.default_version, "v1.0");
	ck_assert_int_eq(cfg.rate_limit, 1);
	ck_assert_int_eq(cfg.rate_limit_active, 2);
	ck_assert_int_eq(cfg.rate_window, 3);
	ck_assert_str_eq(cfg.admin_token, "a=b");
	ck_assert_uint_eq(cfg.max_body, 64 * 1024);
	ck_assert(cfg.read_only);
	ck_assert(!cfg.no_rate_limit);
}
END_TEST

START_TEST(test_max_body_suffixes)
{
	ck_assert_int_eq(PARSE("--max-body", "1"), 0);
	ck_assert_uint_eq(cfg.max_body, 1);
	ck_assert_int_eq(PARSE("--max-body", "2K"), 0);
	ck_assert_uint_eq(cfg.max_body, 2048);
	ck_assert_int_eq(PARSE("--max-body", "3m"), 0);
	ck_assert_uint_eq(cfg.max_body, 3 * 1048576);
	ck_assert_int_eq(PARSE("--max-body", "1024M"), 0);
	ck_assert_uint_eq(cfg.max_body, 1073741824);
	assert_bad(PARSE("--max-body", "1025m"), "--max-body: ");
	assert_bad(PARSE("--max-body", "0"), "--max-body: ");
	assert_bad(PARSE("--max-body", "k"), "--max-body: ");
	assert_bad(PARSE("--max-body", "1g"), "--max-body: ");
	assert_bad(PARSE("--max-body", "-1"), "--max-body: ");
	assert_bad(PARSE("--max-body", ""), "--max-body: ");
}
END_TEST

START_TEST(test_workers)
{
	ck_assert_int_eq(PARSE("--workers", "0"), 0);
	ck_assert_uint_eq(cfg.workers, 0);
	ck_assert_int_eq(PARSE("--workers=256"), 0);
	ck_assert_uint_eq(cfg.workers, 256);
	assert_bad(PARSE("--workers", "257"), "--workers: ");
	assert_bad(PARSE("--workers", "-1"), "--workers: ");
	assert_bad(PARSE("--workers", "two"), "--workers: ");
	assert_bad(PARSE("--workers", ""), "--workers: ");
}
END_TEST

START_TEST(test_localhost_bind)
{
	ck_assert_int_eq(PARSE("--bind", "localhost"), 0);
	ck_assert_str_eq(cfg.bind, "127.0.0.1");
	ck_assert_int_eq(PARSE("--bind", "::"), 0);
	ck_assert_str_eq(cfg.bind, "::");
}
END_TEST

START_TEST(test_allow_host)
{
	static const char *const env[] = {
		"WABA_EMU_ALLOW_HOST",
		"waba,ci.local",
		NULL,
	};

	/* loopback binds check Host; others accept any name */
	ck_assert_int_eq(PARSE("--port", "1"), 0);
	ck_assert(cfg.host_loopback_only);
	ck_assert_uint_eq(cfg.nallow_hosts, 0);
	ck_assert_int_eq(PARSE("--bind", "127.0.0.2"), 0);
	ck_assert(cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--bind", "::1"), 0);
	ck_assert(cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--bind", "::ffff:127.0.0.1"), 0);
	ck_assert(cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--bind", "0.0.0.0"), 0);
	ck_assert(!cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--bind", "::"), 0);
	ck_assert(!cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--bind", "192.168.1.5"), 0);
	ck_assert(!cfg.host_loopback_only);
	/* repeatable and comma-separated */
	ck_assert_int_eq(
	    PARSE("--allow-host", "a.test,b.test", "--allow-host=c"), 0);
	ck_assert_uint_eq(cfg.nallow_hosts, 3);
	ck_assert_str_eq(cfg.allow_hosts[0], "a.test");
	ck_assert_str_eq(cfg.allow_hosts[1], "b.test");
	ck_assert_str_eq(cfg.allow_hosts[2], "c");
	ck_assert(cfg.host_loopback_only);
	ck_assert_int_eq(PARSE("--allow-host", "*"), 0);
	ck_assert(!cfg.host_loopback_only);
	fake_env = env;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_uint_eq(cfg.nallow_hosts, 2);
	ck_assert_str_eq(cfg.allow_hosts[1], "ci.local");
	fake_env = NULL;
	assert_bad(PARSE("--allow-host", ""), "--allow-host:");
	assert_bad(PARSE("--allow-host", "a,,b"), "--allow-host:");
	assert_bad(PARSE("--allow-host", "http://a"), "--allow-host:");
	assert_bad(PARSE("--allow-host", "a b"), "--allow-host:");
}
END_TEST

START_TEST(test_webhook_flags)
{
	static const char *const env[] = {
		"WABA_EMU_WEBHOOK_URL",
		"https://localhost:9443/w",
		"WABA_EMU_WEBHOOK_ALLOW",
		"hooks.test",
		NULL,
	};

	ck_assert_int_eq(PARSE("--port", "1"), 0);
	ck_assert_ptr_null(cfg.webhook_url);
	ck_assert_uint_eq(cfg.nwebhook_allow, 0);
	ck_assert_int_eq(PARSE("--webhook-url", "http://127.0.0.1:8000/hook",
	                     "--webhook-allow", "a.test,b.test",
	                     "--webhook-allow=c"),
	    0);
	ck_assert_str_eq(cfg.webhook_url, "http://127.0.0.1:8000/hook");
	ck_assert_uint_eq(cfg.nwebhook_allow, 3);
	ck_assert_str_eq(cfg.webhook_allow[0], "a.test");
	ck_assert_str_eq(cfg.webhook_allow[2], "c");
	/* the Host allow-list is another list */
	ck_assert_uint_eq(cfg.nallow_hosts, 0);
	fake_env = env;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_str_eq(cfg.webhook_url, "https://localhost:9443/w");
	ck_assert_uint_eq(cfg.nwebhook_allow, 1);
	ck_assert_str_eq(cfg.webhook_allow[0], "hooks.test");
	fake_env = NULL;
	assert_bad(PARSE("--webhook-url", "localhost:8000"), "--webhook-url:");
	assert_bad(PARSE("--webhook-url", "ftp://127.0.0.1/"),
	    "--webhook-url:");
	assert_bad(PARSE("--webhook-url", "http://a b/"), "--webhook-url:");
	assert_bad(PARSE("--webhook-allow", ""), "--webhook-allow:");
	assert_bad(PARSE("--webhook-allow", "http://a"), "--webhook-allow:");
}
END_TEST

START_TEST(test_env)
{
	static const char *const env[] = {
		"WABA_EMU_BIND",
		"0.0.0.0",
		"WABA_EMU_PORT",
		"9000",
		"WABA_EMU_DB",
		"e.db",
		"WABA_EMU_FIXTURES",
		"a.json:b.json::c.json",
		"WABA_EMU_SEED",
		"42",
		"WABA_EMU_DEFAULT_VERSION",
		"v22.0",
		"WABA_EMU_STATUS_PROFILE",
		"classic",
		"WABA_EMU_RATE_LIMIT",
		"5",
		"WABA_EMU_RATE_LIMIT_ACTIVE",
		"6",
		"WABA_EMU_RATE_WINDOW",
		"7",
		"WABA_EMU_NO_RATE_LIMIT",
		"1",
		"WABA_EMU_READ_ONLY",
		"yes",
		"WABA_EMU_ADMIN_TOKEN",
		"tok",
		"WABA_EMU_NO_CONTROL_PLANE",
		"TRUE",
		"WABA_EMU_MAX_BODY",
		"1m",
		"WABA_EMU_WORKERS",
		"4",
		"WABA_EMU_LOG_FORMAT",
		"json",
		"WABA_EMU_HEALTHCHECK",
		"1",
		NULL,
	};

	fake_env = env;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_str_eq(cfg.bind, "0.0.0.0");
	ck_assert_int_eq(cfg.port, 9000);
	ck_assert_str_eq(cfg.db, "e.db");
	ck_assert_uint_eq(cfg.nfixtures, 3);
	ck_assert_str_eq(cfg.fixtures[0], "a.json");
	ck_assert_str_eq(cfg.fixtures[2], "c.json");
	ck_assert_uint_eq(cfg.seed, 42);
	ck_assert_str_eq(cfg.default_version, "v22.0");
	ck_assert_int_eq(cfg.profile, PROFILE_CLASSIC);
	ck_assert_int_eq(cfg.rate_limit, 5);
	ck_assert_int_eq(cfg.rate_limit_active, 6);
	ck_assert_int_eq(cfg.rate_window, 7);
	ck_assert(cfg.no_rate_limit);
	ck_assert(cfg.read_only);
	ck_assert_str_eq(cfg.admin_token, "tok");
	ck_assert(cfg.no_control_plane);
	ck_assert_uint_eq(cfg.max_body, 1048576);
	ck_assert_uint_eq(cfg.workers, 4);
	ck_assert_int_eq(cfg.log_format, LOG_JSON);
	/* a probe switched on from the environment would never serve */
	ck_assert(!cfg.healthcheck);
}
END_TEST

START_TEST(test_env_booleans)
{
	static const char *const no[] = { "WABA_EMU_READ_ONLY", "no",
		"WABA_EMU_NO_RATE_LIMIT", "0", "WABA_EMU_NO_FIXTURES", "false",
		NULL };
	static const char *const bad[] = { "WABA_EMU_READ_ONLY", "on", NULL };
	static const char *const empty[] = { "WABA_EMU_PORT", "",
		"WABA_EMU_READ_ONLY", "", NULL };

	fake_env = no;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert(!cfg.read_only);
	ck_assert(!cfg.no_rate_limit);
	ck_assert(!cfg.no_fixtures);

	fake_env = bad;
	assert_bad(parse((const char *const[]){ NULL }),
	    "WABA_EMU_READ_ONLY (--read-only): ");

	fake_env = empty;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_int_eq(cfg.port, 8080);
	ck_assert(!cfg.read_only);
}
END_TEST

START_TEST(test_flags_beat_env)
{
	static const char *const env[] = {
		"WABA_EMU_PORT",
		"9000",
		"WABA_EMU_BIND",
		"0.0.0.0",
		"WABA_EMU_FIXTURES",
		"env.json",
		"WABA_EMU_READ_ONLY",
		"1",
		NULL,
	};

	fake_env = env;
	ck_assert_int_eq(PARSE("--port", "1234", "--fixtures", "flag.json",
	                     "--read-only=false"),
	    0);
	ck_assert_int_eq(cfg.port, 1234);
	ck_assert_str_eq(cfg.bind, "0.0.0.0");
	ck_assert_uint_eq(cfg.nfixtures, 1);
	ck_assert_str_eq(cfg.fixtures[0], "flag.json");
	ck_assert(!cfg.read_only);

	/* --no-fixtures on the command line overrides env fixtures */
	ck_assert_int_eq(PARSE("--no-fixtures"), 0);
	ck_assert(cfg.no_fixtures);
	ck_assert_uint_eq(cfg.nfixtures, 0);
}
END_TEST

START_TEST(test_bad_env_value)
{
	static const char *const env[] = { "WABA_EMU_PORT", "abc", NULL };

	fake_env = env;
	assert_bad(parse((const char *const[]){ NULL }),
	    "WABA_EMU_PORT (--port): expected a number from 0 to 65535, "
	    "got 'abc'");
	/* a flag overrides a bad variable, which is then never read */
	ck_assert_int_eq(PARSE("--port", "1"), 0);
	ck_assert_int_eq(cfg.port, 1);
}
END_TEST

START_TEST(test_fixture_conflicts)
{
	static const char *const env[] = { "WABA_EMU_FIXTURES", "a.json",
		"WABA_EMU_NO_FIXTURES", "1", NULL };

	assert_bad(PARSE("--fixtures", "a.json", "--no-fixtures"),
	    "--no-fixtures: ");
	assert_bad(PARSE("--no-fixtures", "--fixtures", "a.json"),
	    "--no-fixtures: ");
	ck_assert_int_eq(PARSE("--fixtures", "a.json", "--no-fixtures=false"),
	    0);
	fake_env = env;
	assert_bad(parse((const char *const[]){ NULL }),
	    "WABA_EMU_NO_FIXTURES (--no-fixtures): ");
}
END_TEST

START_TEST(test_bad_values)
{
	assert_bad(PARSE("--port", "abc"),
	    "--port: expected a number from 0 to 65535, got 'abc'");
	ck_assert_str_eq(cause,
	    "--port: expected a number from 0 to 65535, got 'abc'");
	assert_bad(PARSE("--port", "65536"), "--port: ");
	assert_bad(PARSE("--port", "-1"), "--port: ");
	assert_bad(PARSE("--port", "+80"), "--port: ");
	assert_bad(PARSE("--port", "80 "), "--port: ");
	assert_bad(PARSE("--port=", "x"), "--port: ");
	assert_bad(PARSE("--bind", "example.com"), "--bind: ");
	assert_bad(PARSE("--bind", "1.2.3"), "--bind: ");
	assert_bad(PARSE("--db", ""), "--db: ");
	assert_bad(PARSE("--fixtures", ""), "--fixtures: ");
	assert_bad(PARSE("--seed", "18446744073709551616"), "--seed: ");
	assert_bad(PARSE("--seed", "-3"), "--seed: ");
	assert_bad(PARSE("--default-version", "24.0"), "--default-version: ");
	assert_bad(PARSE("--default-version", "v24"), "--default-version: ");
	assert_bad(PARSE("--default-version", "v24.0.1"),
	    "--default-version: ");
	assert_bad(PARSE("--default-version", "v.1"), "--default-version: ");
	assert_bad(PARSE("--default-version", "v1234567890.12345"),
	    "--default-version: ");
	assert_bad(PARSE("--status-profile", "modern"), "--status-profile: ");
	assert_bad(PARSE("--rate-limit", "0"), "--rate-limit: ");
	assert_bad(PARSE("--rate-limit-active", "x"), "--rate-limit-active: ");
	assert_bad(PARSE("--rate-window", "1e3"), "--rate-window: ");
	assert_bad(PARSE("--admin-token", ""), "--admin-token: ");
	assert_bad(PARSE("--log-format", "xml"), "--log-format: ");
	assert_bad(PARSE("--read-only=maybe"), "--read-only: ");
}
END_TEST

START_TEST(test_latest_version)
{
	static const char *const env[] = { "WABA_EMU_LATEST_VERSION", "v28.0",
		"WABA_EMU_DEFAULT_VERSION", "v27.1", NULL };

	ck_assert_str_eq(cfg.latest_version, "");
	ck_assert_int_eq(PARSE("--latest-version", "v27.2"), 0);
	ck_assert_str_eq(cfg.latest_version, "v27.2");
	ck_assert_int_eq(
	    PARSE("--latest-version=v30.0", "--default-version", "v29.5"), 0);
	ck_assert_str_eq(cfg.default_version, "v29.5");
	/* the default must be a version that is served */
	assert_bad(PARSE("--default-version", "v99.12"),
	    "--default-version: 'v99.12' is not a Graph version");
	assert_bad(PARSE("--default-version", "v3.5"), "--default-version: ");
	assert_bad(
	    PARSE("--latest-version", "v28.0", "--default-version", "v28.1"),
	    "--default-version: ");
	assert_bad(PARSE("--latest-version", "v2.0"), "--latest-version: ");
	assert_bad(PARSE("--latest-version", "v027.0"), "--latest-version: ");
	assert_bad(PARSE("--latest-version", "27.0"), "--latest-version: ");
	fake_env = env;
	ck_assert_int_eq(parse((const char *const[]){ NULL }), 0);
	ck_assert_str_eq(cfg.latest_version, "v28.0");
	ck_assert_str_eq(cfg.default_version, "v27.1");
	/* the flag wins, and then the default from the environment is
	 * no longer served */
	assert_bad(PARSE("--latest-version", "v27.0"), "--default-version: ");
}
END_TEST

START_TEST(test_bad_usage)
{
	assert_bad(PARSE("--nope"), "--nope: unknown flag");
	assert_bad(PARSE("--nope=1"), "--nope: unknown flag");
	assert_bad(PARSE("--port"), "--port: missing value");
	assert_bad(PARSE("--bind"), "--bind: missing value");
	assert_bad(PARSE("serve"), "unexpected argument 'serve'");
	assert_bad(PARSE("-p", "1"), "unexpected argument '-p'");
	assert_bad(PARSE("--"), "unexpected argument '--'");
	assert_bad(PARSE("--help=1"), "--help: ");
	/* failure leaves nothing to free */
	ck_assert_ptr_null(cfg.bind);
}
END_TEST

/* Runs config_parse writing to a memory stream; returns what it wrote. */
static char *
parse_captured(const char *flag, int *rc)
{
	char *argv[] = { (char *)"waba-emulator", (char *)flag, NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	*rc = config_parse(&cfg, 2, argv, getenv_fake, fp, &cause);
	fclose(fp);
	return buf;
}

START_TEST(test_help)
{
	static const char *const want[] = {
		"--bind ADDR",
		"WABA_EMU_BIND",
		"127.0.0.1",
		"--port N",
		"WABA_EMU_PORT",
		"8080",
		"--db PATH",
		"WABA_EMU_DB",
		":memory:",
		"--fixtures FILE",
		"WABA_EMU_FIXTURES",
		"--no-fixtures",
		"WABA_EMU_NO_FIXTURES",
		"--seed N",
		"WABA_EMU_SEED",
		"--default-version vX.Y",
		"WABA_EMU_DEFAULT_VERSION",
		"v24.0",
		"--latest-version vX.Y",
		"WABA_EMU_LATEST_VERSION",
		"--status-profile default|classic",
		"WABA_EMU_STATUS_PROFILE",
		"--rate-limit N",
		"WABA_EMU_RATE_LIMIT",
		"200",
		"--rate-limit-active N",
		"WABA_EMU_RATE_LIMIT_ACTIVE",
		"5000",
		"--rate-window SECONDS",
		"WABA_EMU_RATE_WINDOW",
		"3600",
		"--no-rate-limit",
		"WABA_EMU_NO_RATE_LIMIT",
		"--read-only",
		"WABA_EMU_READ_ONLY",
		"--admin-token T",
		"WABA_EMU_ADMIN_TOKEN",
		"--no-control-plane",
		"WABA_EMU_NO_CONTROL_PLANE",
		"--max-body BYTES",
		"WABA_EMU_MAX_BODY",
		"1048576",
		"--workers N",
		"WABA_EMU_WORKERS",
		"--log-format text|json",
		"WABA_EMU_LOG_FORMAT",
		"--healthcheck",
		"--version",
		"--help",
	};
	char *out;
	size_t i;
	int rc;

	out = parse_captured("--help", &rc);
	ck_assert_int_eq(rc, 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(out, want[i]) == NULL)
			ck_abort_msg("--help lacks '%s'", want[i]);
	free(out);
}
END_TEST

START_TEST(test_version)
{
	char *out;
	int rc;

	out = parse_captured("--version", &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(out, "waba-emulator 0.1.0\n");
	free(out);
}
END_TEST

START_TEST(test_help_wins_over_bad_env)
{
	static const char *const env[] = { "WABA_EMU_PORT", "abc", NULL };
	char *out;
	int rc;

	fake_env = env;
	out = parse_captured("--version", &rc);
	ck_assert_int_eq(rc, 1);
	free(out);
}
END_TEST

static Suite *
config_suite(void)
{
	const TTest *const tests[] = {
		test_defaults,
		test_every_flag,
		test_message_flags,
		test_equals_form,
		test_max_body_suffixes,
		test_workers,
		test_localhost_bind,
		test_allow_host,
		test_env,
		test_env_booleans,
		test_flags_beat_env,
		test_bad_env_value,
		test_fixture_conflicts,
		test_bad_values,
		test_latest_version,
		test_bad_usage,
		test_webhook_flags,
		test_help,
		test_version,
		test_help_wins_over_bad_env,
		NULL,
	};

	return suite_core("config", setup, teardown, tests);
}

int
main(void)
{
	return suite_run(config_suite());
}
