/*
 * curl.c - see curl.h.  The table is filled from a list of symbol names
 * and offsets, so a function added to struct webhook_curl is one line
 * here.
 */
#include "webhooks/curl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the soname Debian's libcurl4 and the image's own build install */
#define LIBCURL "libcurl.so.4"

/* dlsym() gives object pointers; the table holds function pointers */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers are not the size of object pointers");

#define SYM(f) \
	{ \
		"curl_" #f, offsetof(struct webhook_curl, f) \
	}
static const struct {
	const char *name;
	size_t off;
} syms[] = {
	SYM(global_init),
	SYM(global_cleanup),
	SYM(easy_init),
	SYM(easy_setopt),
	SYM(easy_perform),
	SYM(easy_getinfo),
	SYM(easy_reset),
	SYM(easy_cleanup),
	SYM(easy_strerror),
	SYM(slist_append),
	SYM(slist_free_all),
};
#undef SYM

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct webhook_curl api;
static const char *failure; /* set once, under once */
static char failure_buf[512];
static atomic_bool ready;

static void
load(void)
{
	const char *lib = getenv("WABA_EMU_LIBCURL");
	void *h;
	size_t i;

	if (lib == NULL || *lib == '\0')
		lib = LIBCURL;
	/* RTLD_NOW: a library missing a function fails here, not mid-call */
	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		snprintf(failure_buf, sizeof(failure_buf),
		    "libcurl could not be loaded: %s", dlerror());
		goto fail;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *p = dlsym(h, syms[i].name);

		if (p == NULL) {
			snprintf(failure_buf, sizeof(failure_buf),
			    "libcurl could not be loaded: %s has no %s", lib,
			    syms[i].name);
			goto fail;
		}
		memcpy((char *)&api + syms[i].off, &p, sizeof(p));
	}
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(failure_buf, sizeof(failure_buf),
		    "libcurl could not be loaded: curl_global_init failed");
		goto fail;
	}
	atomic_store(&ready, true);
	return;
fail:
	failure = failure_buf;
	fprintf(stderr,
	    "waba-emulator: %s; webhook deliveries and callback checks "
	    "fail until it can be\n",
	    failure);
}

const struct webhook_curl *
webhook_curl(const char **why)
{
	pthread_once(&once, load);
	if (why != NULL)
		*why = failure;
	return failure == NULL ? &api : NULL;
}

void
webhook_curl_cleanup(void)
{
	if (atomic_exchange(&ready, false))
		api.global_cleanup();
}
