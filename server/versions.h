/*
 * versions.h - the Graph API versions the emulator serves, listed once
 * with the release and expiry dates of Meta's Graph API changelog
 * ("Versions").  What it is not: the shape check of a version string,
 * which is is_graph_version() in util.h.
 *
 * A call names a version that exists (a row), or one above the newest row
 * up to --latest-version, or it names no version at all.  A call to a
 * version that has expired is served by the oldest one that has not.
 */
#ifndef WABA_VERSIONS_H
#define WABA_VERSIONS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Reads "v<major>.<minor>" written without leading zeros ("v24.0", not
 * "v024.0" or "v24.00"); false for anything else.
 */
bool versions_parse(const char *v, unsigned *major, unsigned *minor);

/* The newest version of the table, "v26.0". */
const char *versions_newest(void);

/*
 * True when v is served: a version of the table, or one above the
 * table's newest up to latest (a version string; NULL or "" for none).
 */
bool versions_known(const char *v, const char *latest);

/*
 * The version that serves a call to the known version v at now (seconds
 * since the epoch): v itself, or, once v has expired, the oldest version
 * of the table that has not.  Returns v or a static string.
 */
const char *versions_serving(const char *v, int64_t now);

#endif
