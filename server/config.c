/*
 * config.c - the command line and the WABA_EMU_* environment (README.md,
 * "Flags").  One table lists every option; flags are read first, then
 * the environment fills in whatever no flag set, so flags win.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "versions.h"

enum opt_id {
	O_BIND,
	O_PORT,
	O_DB,
	O_FIXTURES,
	O_NO_FIXTURES,
	O_SEED,
	O_DEFAULT_VERSION,
	O_LATEST_VERSION,
	O_STATUS_PROFILE,
	O_RATE_LIMIT,
	O_RATE_LIMIT_ACTIVE,
	O_RATE_WINDOW,
	O_NO_RATE_LIMIT,
	O_READ_ONLY,
	O_ADMIN_TOKEN,
	O_ALLOW_HOST,
	O_WEBHOOK_URL,
	O_WEBHOOK_ALLOW,
	O_NO_CONTROL_PLANE,
	O_TEMPLATE_REVIEW,
	O_MESSAGE_DELAYS,
	O_MESSAGE_THROUGHPUT,
	O_MAX_BODY,
	O_REQUEST_TIMEOUT,
	O_WORKERS,
	O_LOG_FORMAT,
	O_HEALTHCHECK,
	O_VERSION,
	O_HELP,
	O__COUNT
};

/* Option kinds: a switch takes no value (but accepts --flag=BOOL). */
enum opt_kind {
	K_VALUE,
	K_SWITCH,
	K_ACTION
};

struct opt {
	enum opt_id id;
	const char *name; /* without the leading "--" */
	enum opt_kind kind;
	bool env;        /* read from WABA_EMU_<NAME> too */
	const char *arg; /* for --help */
	const char *def; /* default, for --help */
	const char *help;
};

/* A value (--name=ARG) or a switch, read from WABA_EMU_<NAME> too; an
 * action only from the command line.  ARG and the default are for --help. */
/* clang-format off */
#define VALUE(id, name, arg, def, help) \
	{ id, name, K_VALUE, true, arg, def, help }
#define SWITCH(id, name, help) \
	{ id, name, K_SWITCH, true, NULL, "off", help }
#define ACTION(id, name, help) \
	{ id, name, K_ACTION, false, NULL, NULL, help }
/* clang-format on */

static const struct opt opts[] = {
	VALUE(O_BIND, "bind", "ADDR", "127.0.0.1",
	    "address to listen on (IPv4 or IPv6)"),
	VALUE(O_PORT, "port", "N", "8080",
	    "port to listen on; 0 picks a free one"),
	VALUE(O_DB, "db", "PATH",
	    ":memory:", "SQLite file that keeps the state across restarts"),
	VALUE(O_FIXTURES, "fixtures", "FILE", "the demo fixtures",
	    "fixture document to load; repeatable (env: ':'-separated)"),
	SWITCH(O_NO_FIXTURES, "no-fixtures", "start with an empty store"),
	VALUE(O_SEED, "seed", "N", "0", "seed for generated ids and trace ids"),
	VALUE(O_DEFAULT_VERSION, "default-version", "vX.Y", "v24.0",
	    "Graph version for paths without one"),
	VALUE(O_LATEST_VERSION, "latest-version", "vX.Y", "the newest known",
	    "newest Graph version served: versions above "
	    "the newest the emulator knows, up to this one, are served"),
	VALUE(O_STATUS_PROFILE, "status-profile", "default|classic", "default",
	    "HTTP statuses of errors; classic answers 400 for every 4xx"),
	VALUE(O_RATE_LIMIT, "rate-limit", "N", "200",
	    "calls per window per app and WABA"),
	VALUE(O_RATE_LIMIT_ACTIVE, "rate-limit-active", "N", "5000",
	    "the same for a WABA with a connected phone number"),
	VALUE(O_RATE_WINDOW, "rate-window", "SECONDS", "3600",
	    "length of the rolling rate-limit window"),
	SWITCH(O_NO_RATE_LIMIT, "no-rate-limit", "switch rate limiting off"),
	SWITCH(O_READ_ONLY, "read-only",
	    "refuse every write with (#300) Edit failure"),
	VALUE(O_ADMIN_TOKEN, "admin-token", "T", "none",
	    "bearer token that protects /_emulator/"),
	VALUE(O_ALLOW_HOST, "allow-host", "NAME", "none",
	    "a Host name accepted besides loopback ones when bound to "
	    "loopback; repeatable or comma-separated; * accepts any"),
	VALUE(O_WEBHOOK_URL, "webhook-url", "URL", "none",
	    "deliver every webhook field of every WABA to every app at URL"),
	VALUE(O_WEBHOOK_ALLOW, "webhook-allow", "HOSTS", "none",
	    "callback hosts the emulator may call besides loopback ones; "
	    "repeatable or comma-separated"),
	SWITCH(O_NO_CONTROL_PLANE, "no-control-plane",
	    "do not serve /_emulator/"),
	VALUE(O_TEMPLATE_REVIEW, "template-review-seconds", "SECONDS", "10",
	    "how long a new or edited template stays PENDING "
	    "on the emulator clock; 0 decides at once"),
	VALUE(O_MESSAGE_DELAYS, "message-status-delays", "S,D,R", "1,2,5",
	    "seconds of the emulator clock after a send at "
	    "which a message is sent, delivered and read"),
	VALUE(O_MESSAGE_THROUGHPUT, "message-throughput", "N", "80",
	    "messages a phone number may send per second (130429 "
	    "beyond)"),
	VALUE(O_MAX_BODY, "max-body", "BYTES", "1048576",
	    "largest request body; k and m suffixes accepted"),
	VALUE(O_REQUEST_TIMEOUT, "request-timeout", "SECONDS", "30",
	    "time a request has to arrive whole, however slowly it trickles; "
	    "0: no limit"),
	VALUE(O_WORKERS, "workers", "N", "0",
	    "HTTP worker threads, up to 256; 0: one per CPU but one, at "
	    "least one"),
	VALUE(O_LOG_FORMAT, "log-format", "text|json", "text",
	    "format of the request log on standard error"),
	/* no environment variable: set in a container's environment it
	 * would turn the server itself into a probe */
	{ O_HEALTHCHECK, "healthcheck", K_SWITCH, false, NULL, "off",
	    "probe a running emulator at --bind/--port; exit 0 when healthy" },
	ACTION(O_VERSION, "version", "print the version and exit"),
	ACTION(O_HELP, "help", "print this help and exit"),
};

#undef VALUE
#undef SWITCH
#undef ACTION

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* What is being parsed, for error messages. */
struct origin {
	const struct opt *opt;
	const char *env; /* the variable's name, NULL for a flag */
};

static void
env_name(const struct opt *o, char *buf, size_t n)
{
	size_t i, k;

	k = (size_t)snprintf(buf, n, "WABA_EMU_");
	for (i = 0; o->name[i] != '\0' && k + 1 < n; i++, k++)
		buf[k] = o->name[i] == '-' ?
		    '_' :
		    (char)toupper((unsigned char)o->name[i]);
	buf[k < n ? k : n - 1] = '\0';
}

static int bad(char **, const struct origin *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets *cause to "--flag: why" (or "WABA_EMU_X (--flag): why"); -1. */
static int
bad(char **cause, const struct origin *from, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (from->env != NULL)
		sbuf_addf(&sb, "%s (--%s): ", from->env, from->opt->name);
	else
		sbuf_addf(&sb, "--%s: ", from->opt->name);
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	*cause = sbuf_detach(&sb);
	return -1;
}

/* A decimal number in [lo, hi]; no sign, no spaces, no trailing text. */
static bool
parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* parse_u64() for an option's value, or bad() naming what and the range. */
static int
in_range(char **cause, const struct origin *from, const char *value,
    const char *what, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (parse_u64(value, lo, hi, out))
		return 0;
	return bad(cause, from, "expected %s from %llu to %llu, got '%s'", what,
	    (unsigned long long)lo, (unsigned long long)hi, value);
}

/* An option of two words: *second tells b from a; bad() on anything else. */
static int
either(char **cause, const struct origin *from, const char *value,
    const char *a, const char *b, bool *second)
{
	if (strcmp(value, a) == 0 || strcmp(value, b) == 0) {
		*second = strcmp(value, b) == 0;
		return 0;
	}
	return bad(cause, from, "expected '%s' or '%s', got '%s'", a, b, value);
}

/* Bytes, or a number with a k/K (KiB) or m/M (MiB) suffix. */
static bool
parse_size(const char *s, uint64_t *out)
{
	char buf[32];
	size_t n = strlen(s);
	uint64_t v, mul = 1;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == 'k' || buf[n - 1] == 'K')
		mul = 1024;
	else if (buf[n - 1] == 'm' || buf[n - 1] == 'M')
		mul = 1024 * 1024;
	if (mul != 1)
		buf[n - 1] = '\0';
	if (!parse_u64(buf, 1, UINT64_MAX, &v) || v > ((uint64_t)1 << 30) / mul)
		return false;
	*out = v * mul;
	return true;
}

/* Flags: --flag=BOOL; environment: also yes/no. */
static bool
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes" };
	static const char *const no[] = { "0", "false", "no" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static void
add_fixture(struct config *cfg, const char *path)
{
	cfg->fixtures = xrealloc(cfg->fixtures,
	    (cfg->nfixtures + 1) * sizeof(*cfg->fixtures));
	cfg->fixtures[cfg->nfixtures++] = xstrdup(path);
}

/* Adds each host name of a comma-separated list; bad() on an empty or odd
 * one (the names before it stay). */
static int
add_names(char **cause, const struct origin *from, char ***names,
    size_t *nnames, const char *list)
{
	const char *p = list;
	size_t n;

	for (;;) {
		n = strcspn(p, ",");
		/* a name, not a URL or a list with spaces */
		if (n == 0 || strcspn(p, " \t/@,") < n)
			return bad(cause, from,
			    "expected host names "
			    "separated by commas, got '%s'",
			    list);
		*names = xrealloc(*names, (*nnames + 1) * sizeof(**names));
		(*names)[(*nnames)++] = xstrndup(p, n);
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* True when the emulator listens on a loopback address only. */
static bool
bind_is_loopback(const char *bind)
{
	unsigned char a[sizeof(struct in6_addr)];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };

	if (inet_pton(AF_INET, bind, a) == 1)
		return a[0] == 127;
	if (inet_pton(AF_INET6, bind, a) != 1)
		return false;
	if (memcmp(a, mapped, 12) == 0)
		return a[12] == 127;
	return memcmp(a, in6addr_loopback.s6_addr, 16) == 0;
}

static void
clear_fixtures(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nfixtures; i++)
		free(cfg->fixtures[i]);
	free(cfg->fixtures);
	cfg->fixtures = NULL;
	cfg->nfixtures = 0;
}

/* The type of a plain option's field in struct config. */
enum field_type {
	F_NONE, /* not plain: its case in apply() */
	F_BOOL, /* a switch */
	F_TEXT, /* a non-empty string, char * */
	F_INT,  /* a number in [lo, hi] of that type */
	F_UNSIGNED,
	F_LONG,
	F_U64
};

/*
 * The options read the same way, by id: each a switch, a non-empty text
 * or a number in a range, stored in its field as it is.
 */
static const struct {
	enum field_type type;
	size_t off;       /* offsetof(struct config, the field) */
	const char *what; /* in "expected WHAT ..." */
	uint64_t lo, hi;  /* numbers */
} plain[O__COUNT] = {
#define AT(f) offsetof(struct config, f)
	[O_PORT] = { F_INT, AT(port), "a number", 0, 65535 },
	[O_DB] = { F_TEXT, AT(db), "a path", 0, 0 },
	[O_NO_FIXTURES] = { F_BOOL, AT(no_fixtures), NULL, 0, 0 },
	[O_SEED] = { F_U64, AT(seed), "a number", 0, UINT64_MAX },
	[O_RATE_LIMIT] = { F_LONG, AT(rate_limit), "a number", 1, 1000000000 },
	[O_RATE_LIMIT_ACTIVE] = { F_LONG, AT(rate_limit_active), "a number", 1,
	    1000000000 },
	[O_RATE_WINDOW] = { F_LONG, AT(rate_window), "a number", 1,
	    1000000000 },
	[O_NO_RATE_LIMIT] = { F_BOOL, AT(no_rate_limit), NULL, 0, 0 },
	[O_READ_ONLY] = { F_BOOL, AT(read_only), NULL, 0, 0 },
	[O_ADMIN_TOKEN] = { F_TEXT, AT(admin_token), "a token", 0, 0 },
	[O_NO_CONTROL_PLANE] = { F_BOOL, AT(no_control_plane), NULL, 0, 0 },
	[O_TEMPLATE_REVIEW] = { F_LONG, AT(template_review), "a number", 0,
	    31536000 },
	[O_MESSAGE_THROUGHPUT] = { F_LONG, AT(message_throughput), "a number",
	    1, 1000000000 },
	[O_REQUEST_TIMEOUT] = { F_UNSIGNED, AT(request_timeout),
	    "a number of seconds", 0, 86400 },
	[O_WORKERS] = { F_UNSIGNED, AT(workers), "a number of threads", 0,
	    256 },
	[O_HEALTHCHECK] = { F_BOOL, AT(healthcheck), NULL, 0, 0 },
#undef AT
};

/* Applies a plain option's value (b: a switch's state). */
static int
apply_plain(struct config *cfg, const struct origin *from, const char *value,
    bool b, char **cause)
{
	enum opt_id id = from->opt->id;
	void *field = (char *)cfg + plain[id].off;
	uint64_t u = 0;

	if (plain[id].type == F_TEXT) {
		if (*value == '\0')
			return bad(cause, from, "expected %s, got '%s'",
			    plain[id].what, value);
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	}
	if (plain[id].type != F_BOOL &&
	    in_range(cause, from, value, plain[id].what, plain[id].lo,
	        plain[id].hi, &u) < 0)
		return -1;
	switch (plain[id].type) {
	case F_BOOL:
		*(bool *)field = b;
		break;
	case F_INT:
		*(int *)field = (int)u;
		break;
	case F_UNSIGNED:
		*(unsigned *)field = (unsigned)u;
		break;
	case F_LONG:
		*(long *)field = (long)u;
		break;
	case F_U64:
		*(uint64_t *)field = u;
		break;
	case F_NONE:
	case F_TEXT:
		break;
	}
	return 0;
}

/* Applies one value (or a switch's state, value NULL = on). */
static int
apply(struct config *cfg, const struct origin *from, const char *value,
    char **cause)
{
	const struct opt *o = from->opt;
	uint64_t u;
	bool b = true;

	if (o->kind == K_SWITCH && value != NULL && !parse_bool(value, &b))
		return bad(cause, from,
		    "expected a boolean (1/0, true/false, "
		    "yes/no), got '%s'",
		    value);
	if (plain[o->id].type != F_NONE)
		return apply_plain(cfg, from, value, b, cause);
	switch (o->id) {
	case O_BIND: {
		unsigned char addr[sizeof(struct in6_addr)];

		if (strcmp(value, "localhost") == 0)
			value = "127.0.0.1";
		if (inet_pton(AF_INET, value, addr) != 1 &&
		    inet_pton(AF_INET6, value, addr) != 1)
			return bad(cause, from,
			    "expected an IPv4 or IPv6 "
			    "address, got '%s'",
			    value);
		free(cfg->bind);
		cfg->bind = xstrdup(value);
		break;
	}
	case O_FIXTURES:
		if (from->env != NULL) {
			char *copy = xstrdup(value), *p, *save = NULL;

			for (p = strtok_r(copy, ":", &save); p != NULL;
			     p = strtok_r(NULL, ":", &save))
				add_fixture(cfg, p);
			free(copy);
		} else {
			add_fixture(cfg, value);
		}
		if (cfg->nfixtures == 0 || *value == '\0')
			return bad(cause, from, "expected a file, got '%s'",
			    value);
		break;
	case O_DEFAULT_VERSION:
		if (!is_graph_version(value))
			return bad(cause, from,
			    "expected a version like "
			    "v24.0, got '%s'",
			    value);
		snprintf(cfg->default_version, sizeof(cfg->default_version),
		    "%s", value);
		break;
	case O_LATEST_VERSION: {
		unsigned maj, min, nmaj, nmin;

		(void)versions_parse(versions_newest(), &nmaj, &nmin);
		if (!versions_parse(value, &maj, &min) ||
		    (maj < nmaj || (maj == nmaj && min < nmin)))
			return bad(cause, from,
			    "expected a version like "
			    "v27.0, from %s up, got '%s'",
			    versions_newest(), value);
		snprintf(cfg->latest_version, sizeof(cfg->latest_version), "%s",
		    value);
		break;
	}
	case O_STATUS_PROFILE:
		if (either(cause, from, value, "default", "classic", &b) < 0)
			return -1;
		cfg->profile = b ? PROFILE_CLASSIC : PROFILE_DEFAULT;
		break;
	case O_MESSAGE_DELAYS: {
		long d[3];
		char tail;

		/* each a time after the send, so none may come before the
		 * one it follows */
		if (sscanf(value, "%ld,%ld,%ld%c", &d[0], &d[1], &d[2],
		        &tail) != 3 ||
		    d[0] < 0 || d[1] < d[0] || d[2] < d[1] || d[2] > 31536000)
			return bad(cause, from,
			    "expected three rising numbers "
			    "of seconds like 1,2,5, got '%s'",
			    value);
		memcpy(cfg->message_delays, d, sizeof(d));
		break;
	}
	case O_ALLOW_HOST:
		if (add_names(cause, from, &cfg->allow_hosts,
		        &cfg->nallow_hosts, value) < 0)
			return -1;
		break;
	case O_WEBHOOK_URL:
		/* the host is checked at start, against --webhook-allow */
		if ((strncmp(value, "http://", 7) != 0 &&
		        strncmp(value, "https://", 8) != 0) ||
		    strcspn(value, " \t\r\n") != strlen(value))
			return bad(cause, from,
			    "expected an http:// or "
			    "https:// URL, got '%s'",
			    value);
		free(cfg->webhook_url);
		cfg->webhook_url = xstrdup(value);
		break;
	case O_WEBHOOK_ALLOW:
		if (add_names(cause, from, &cfg->webhook_allow,
		        &cfg->nwebhook_allow, value) < 0)
			return -1;
		break;
	case O_MAX_BODY:
		if (!parse_size(value, &u))
			return bad(cause, from,
			    "expected a size from 1 byte "
			    "to 1024m (plain bytes, or a k or m suffix), got "
			    "'%s'",
			    value);
		cfg->max_body = (size_t)u;
		break;
	case O_LOG_FORMAT:
		if (either(cause, from, value, "text", "json", &b) < 0)
			return -1;
		cfg->log_format = b ? LOG_JSON : LOG_TEXT;
		break;
	default: /* plain (above), or an action (config_parse()) */
		break;
	}
	return 0;
}

static void
print_help(FILE *out)
{
	char env[64];
	size_t i;

	fprintf(out,
	    "usage: waba-emulator [options]\n\n"
	    "A local emulator of the WhatsApp Business Management Graph API."
	    "\n\noptions:\n");
	for (i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];

		fprintf(out, "  --%s%s%s\n        %s\n", o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "",
		    o->help);
		if (o->def == NULL)
			continue;
		if (o->env) {
			env_name(o, env, sizeof(env));
			fprintf(out, "        default: %s; env: %s\n", o->def,
			    env);
		} else {
			fprintf(out, "        default: %s; no env\n", o->def);
		}
	}
	fprintf(out,
	    "\nFlags win over the environment. Switches also take "
	    "--flag=true|false;\nboolean variables take 1/0, true/false, "
	    "yes/no.\n");
}

static void
set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bind = xstrdup("127.0.0.1");
	cfg->port = 8080;
	cfg->db = xstrdup(":memory:");
	snprintf(cfg->default_version, sizeof(cfg->default_version), "v24.0");
	cfg->profile = PROFILE_DEFAULT;
	cfg->rate_limit = 200;
	cfg->rate_limit_active = 5000;
	cfg->rate_window = 3600;
	cfg->template_review = 10;
	cfg->message_delays[0] = 1;
	cfg->message_delays[1] = 2;
	cfg->message_delays[2] = 5;
	cfg->message_throughput = 80;
	cfg->max_body = 1048576;
	cfg->request_timeout = 30;
	cfg->log_format = LOG_TEXT;
}

static const struct opt *
find_opt(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strlen(opts[i].name) == n &&
		    strncmp(opts[i].name, name, n) == 0)
			return &opts[i];
	return NULL;
}

int
config_parse(struct config *cfg, int argc, char **argv, config_getenv_fn env,
    void *out, char **cause)
{
	bool seen[O__COUNT] = { false }, fixture_flag;
	FILE *fp = out != NULL ? out : stdout;
	size_t i;
	int a, rc = -1;

	*cause = NULL;
	set_defaults(cfg);
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a], *eq, *value = NULL;
		struct origin from = { NULL, NULL };

		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			*cause = xasprintf("unexpected argument '%s'", arg);
			goto out;
		}
		eq = strchr(arg + 2, '=');
		from.opt = find_opt(arg + 2,
		    eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2));
		if (from.opt == NULL) {
			*cause = xasprintf("%.*s: unknown flag (see --help)",
			    eq != NULL ? (int)(eq - arg) : (int)strlen(arg),
			    arg);
			goto out;
		}
		if (eq != NULL)
			value = eq + 1;
		switch (from.opt->kind) {
		case K_ACTION:
			if (value != NULL) {
				*cause = xasprintf("--%s: takes no value",
				    from.opt->name);
				goto out;
			}
			if (from.opt->id == O_HELP)
				print_help(fp);
			else
				fprintf(fp, "waba-emulator %s\n",
				    WABA_EMU_VERSION);
			rc = 1;
			goto out;
		case K_VALUE:
			if (value == NULL) {
				if (a + 1 >= argc) {
					*cause = xasprintf("--%s: missing "
					                   "value",
					    from.opt->name);
					goto out;
				}
				value = argv[++a];
			}
			/* a repeated --fixtures adds, others replace */
			break;
		case K_SWITCH:
			break;
		}
		if (apply(cfg, &from, value, cause) == -1)
			goto out;
		seen[from.opt->id] = true;
	}
	if (seen[O_FIXTURES] && seen[O_NO_FIXTURES] && cfg->no_fixtures) {
		*cause = xasprintf("--no-fixtures: cannot be combined with "
		                   "--fixtures");
		goto out;
	}

	/* the environment fills what no flag set; either fixture flag
	 * decides the fixtures on its own */
	fixture_flag = seen[O_FIXTURES] || seen[O_NO_FIXTURES];
	for (i = 0; env != NULL && i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		struct origin from = { o, NULL };
		char name[64];
		const char *v;

		if (!o->env || seen[o->id])
			continue;
		if ((o->id == O_FIXTURES || o->id == O_NO_FIXTURES) &&
		    fixture_flag)
			continue;
		env_name(o, name, sizeof(name));
		v = env(name);
		/* an empty variable (compose files often leave them so)
		 * means unset */
		if (v == NULL || *v == '\0')
			continue;
		from.env = name;
		if (apply(cfg, &from, v, cause) == -1)
			goto out;
		seen[o->id] = true;
	}
	if (cfg->nfixtures > 0 && cfg->no_fixtures) {
		*cause = xstrdup("WABA_EMU_NO_FIXTURES (--no-fixtures): cannot "
		                 "be combined with WABA_EMU_FIXTURES");
		goto out;
	}
	/* every version but the default is checked per call */
	if (!versions_known(cfg->default_version, cfg->latest_version)) {
		*cause = xasprintf(
		    "--default-version: '%s' is not a Graph "
		    "version (v1.0 to %s, or up to --latest-version)",
		    cfg->default_version, versions_newest());
		goto out;
	}
	/* bound elsewhere, the operator chose to be reached by any name */
	cfg->host_loopback_only = bind_is_loopback(cfg->bind);
	for (i = 0; i < cfg->nallow_hosts; i++)
		if (strcmp(cfg->allow_hosts[i], "*") == 0)
			cfg->host_loopback_only = false;
	return 0;
out:
	config_cleanup(cfg);
	return rc;
}

void
config_cleanup(struct config *cfg)
{
	size_t i;

	free(cfg->bind);
	free(cfg->db);
	clear_fixtures(cfg);
	free(cfg->admin_token);
	for (i = 0; i < cfg->nallow_hosts; i++)
		free(cfg->allow_hosts[i]);
	free(cfg->allow_hosts);
	free(cfg->webhook_url);
	for (i = 0; i < cfg->nwebhook_allow; i++)
		free(cfg->webhook_allow[i]);
	free(cfg->webhook_allow);
	memset(cfg, 0, sizeof(*cfg));
}
