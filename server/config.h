/*
 * config.h - the command line and WABA_EMU_* environment (README.md, "Flags").
 *
 * Ownership: config_parse() fills caller storage; config_cleanup() frees
 * what it allocated.
 */
#ifndef WABA_CONFIG_H
#define WABA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gerr.h"

enum log_format {
	LOG_TEXT,
	LOG_JSON
};

struct config {
	char *bind;      /* "127.0.0.1" */
	int port;        /* 8080; 0 picks a free port */
	char *db;        /* ":memory:" */
	char **fixtures; /* --fixtures FILE, repeatable */
	size_t nfixtures;
	bool no_fixtures;
	uint64_t seed;            /* 0 */
	char default_version[16]; /* "v24.0"; one versions_known() accepts */
	char latest_version[16];  /* "": the newest of versions.c */
	enum status_profile profile;
	long rate_limit;        /* 200 an hour */
	long rate_limit_active; /* 5000 an hour */
	long rate_window;       /* 3600 s */
	bool no_rate_limit;
	long template_review;    /* 10 s a template stays PENDING */
	long message_delays[3];  /* 1, 2, 5 s after a send: sent, delivered,
				    read */
	long message_throughput; /* 80 messages a second per number */
	bool read_only;
	char *admin_token;  /* NULL: control plane open */
	char **allow_hosts; /* --allow-host NAME, repeatable */
	size_t nallow_hosts;
	bool host_loopback_only; /* bound to loopback: check Host (derived) */
	char *webhook_url;       /* --webhook-url: every app, field and WABA */
	char **webhook_allow;    /* --webhook-allow HOSTS: callable besides
				    loopback */
	size_t nwebhook_allow;
	bool no_control_plane;
	size_t max_body;          /* 1 MiB */
	unsigned request_timeout; /* 30 s for a request to arrive; 0: none */
	unsigned workers;         /* 0: one per CPU but one */
	enum log_format log_format;
	bool healthcheck; /* --healthcheck: probe a running emulator, exit */
};

/* How config_parse() reads the environment (tests pass their own). */
typedef const char *(*config_getenv_fn)(const char *name);

/*
 * Returns 0 to run, 1 when --help or --version was printed to out (exit 0),
 * -1 with *cause (caller frees) naming the bad flag or value (exit 2).
 */
int config_parse(struct config *cfg, int argc, char **argv,
    config_getenv_fn env, void *out /* FILE * */, char **cause);
void config_cleanup(struct config *cfg);

#endif
