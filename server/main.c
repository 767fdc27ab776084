/*
 * main.c - the waba-emulator program: reads the configuration, starts the
 * emulator and its HTTP server, and shuts both down cleanly on SIGINT or
 * SIGTERM.  With --healthcheck it only probes a running emulator (for a
 * container's HEALTHCHECK, which has no curl).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "emu.h"
#include "http.h"
#include "util.h"

/* Seconds the health probe waits for each of connect, send and receive. */
#define PROBE_TIMEOUT 5

/*
 * GET /_emulator/health over a plain socket.  A wildcard bind address
 * is probed on loopback.  Returns 0 when the answer is HTTP 200.
 */
static int
healthcheck(const struct config *cfg)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { PROBE_TIMEOUT, 0 };
	const char *addr = cfg->bind;
	char buf[64], *req;
	socklen_t len;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 1;

	memset(&ss, 0, sizeof(ss));
	if (strcmp(addr, "0.0.0.0") == 0)
		addr = "127.0.0.1";
	else if (strcmp(addr, "::") == 0)
		addr = "::1";
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)cfg->port);
		len = sizeof(*in);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->port);
		len = sizeof(*in6);
	} else {
		return 1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return 1;
	/* on Linux SO_SNDTIMEO also bounds connect() */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&ss, len) == -1)
		goto out;
	if (cfg->admin_token != NULL)
		req = xasprintf(
		    "GET /_emulator/health HTTP/1.0\r\n"
		    "Host: %s%s%s:%d\r\nAuthorization: Bearer %s\r\n\r\n",
		    ss.ss_family == AF_INET6 ? "[" : "", addr,
		    ss.ss_family == AF_INET6 ? "]" : "", cfg->port,
		    cfg->admin_token);
	else
		req = xasprintf("GET /_emulator/health HTTP/1.0\r\n"
		                "Host: %s%s%s:%d\r\n\r\n",
		    ss.ss_family == AF_INET6 ? "[" : "", addr,
		    ss.ss_family == AF_INET6 ? "]" : "", cfg->port);
	n = send(fd, req, strlen(req), MSG_NOSIGNAL);
	if (n < 0 || (size_t)n != strlen(req)) {
		free(req);
		goto out;
	}
	free(req);
	/* only the status line matters: "HTTP/1.x 200 ..." */
	while (got < sizeof(buf) - 1 &&
	    (n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	if (strncmp(buf, "HTTP/1.", 7) == 0 && got >= 12 &&
	    strncmp(buf + 8, " 200", 4) == 0)
		rc = 0;
out:
	close(fd);
	return rc;
}

/* getenv() with the signature config_parse() wants. */
static const char *
env_get(const char *name)
{
	return getenv(name);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct emu emu;
	struct http_server *srv;
	sigset_t sigs;
	char *cause = NULL;
	int rc, sig;

	rc = config_parse(&cfg, argc, argv, env_get, stdout, &cause);
	if (rc == -1) {
		fprintf(stderr, "waba-emulator: %s\n", cause);
		free(cause);
		return 2;
	}
	if (rc == 1)
		return 0;
	if (cfg.healthcheck) {
		rc = healthcheck(&cfg);
		config_cleanup(&cfg);
		return rc;
	}

	/*
	 * Every thread started from here inherits the blocked set, so the
	 * signals wait for sigwait() below instead of interrupting a worker.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* a store or fixture it cannot use is a bad start-up input too */
	if (emu_init(&emu, &cfg, &clock_system, &cause) == -1) {
		fprintf(stderr, "waba-emulator: %s\n", cause);
		free(cause);
		config_cleanup(&cfg);
		return 2;
	}
	if (emu.fixtures_skipped && cfg.nfixtures > 0)
		fprintf(stderr,
		    "waba-emulator: --db %s already holds state, so "
		    "--fixtures were not loaded (use a new file, or PUT "
		    "/_emulator/state)\n",
		    cfg.db);
	/* loading a large fixture leaves freed JSON trees in malloc's arenas */
	malloc_trim(0);
	srv = http_start(&emu, cfg.bind, cfg.port, cfg.workers, cfg.max_body,
	    &cause);
	if (srv == NULL) {
		fprintf(stderr, "waba-emulator: %s\n", cause);
		if (strstr(cause, strerror(EADDRINUSE)) != NULL)
			fprintf(stderr,
			    "waba-emulator: another program has "
			    "that port; choose one with --port N or "
			    "WABA_EMU_PORT=N (0 picks a free one)\n");
		free(cause);
		emu_cleanup(&emu);
		config_cleanup(&cfg);
		return 1;
	}
	/* one line per request on standard error, in the chosen format */
	http_set_log(srv, (int)cfg.log_format, true);
	if (strchr(cfg.bind, ':') != NULL)
		printf("waba-emulator listening on http://[%s]:%d\n", cfg.bind,
		    http_port(srv));
	else
		printf("waba-emulator listening on http://%s:%d\n", cfg.bind,
		    http_port(srv));
	fflush(stdout);

	do {
		if (sigwait(&sigs, &sig) != 0)
			sig = 0;
	} while (sig != SIGINT && sig != SIGTERM);

	http_stop(srv);
	emu_cleanup(&emu);
	config_cleanup(&cfg);
	return 0;
}
