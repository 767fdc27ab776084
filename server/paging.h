/*
 * paging.h - cursors, limits and the paging object of list edges
 * (README, Endpoints): opaque URL-safe cursors over a (k1, k2) keyset, and
 * absolute next/previous URLs that keep access_token and every original
 * parameter.
 *
 * Ownership: returned strings and json objects are the caller's.
 */
#ifndef WABA_PAGING_H
#define WABA_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "gerr.h"
#include "store.h"

struct json_object;
struct request;

#define PAGING_DEFAULT_LIMIT 25
#define PAGING_MAX_LIMIT 100

char *cursor_encode(int64_t k1, int64_t k2);
/* 0, or -1 when s is not a cursor of ours. */
int cursor_decode(const char *s, int64_t *k1, int64_t *k2);

/*
 * Reads limit=, after= and before= from params into q (limit defaults to
 * 25, clamps to 100).  -1 with a 100 error on a bad limit or cursor.
 * limit=0 is the count alone, allowed only with summary= (below).
 */
int paging_read(const struct request *rq, struct list_query *q,
    struct gerr *err);

/*
 * Wraps a page from store_list() (its rows taken over) into
 * {"data":[...],"paging":{...}}.  An empty page is {"data":[]}.  render,
 * when set, maps each row to the object that goes into data (a new
 * reference); NULL keeps the row.
 */
struct json_object *paging_wrap(const struct request *rq,
    const struct list_query *q, struct list_page *page,
    struct json_object *(*render)(void *ctx, struct json_object *row),
    void *ctx);

/*
 * An absolute URL for this request with the given cursor parameter
 * ("after"/"before") set and the opposite one removed:
 * http://HOST/vX.Y/path?...&access_token=...&limit=..&after=...
 */
/* summary=total_count (or true, 1): the list adds "summary":{"total_count"}. */
bool paging_summary(const struct request *rq);

char *paging_url(const struct request *rq, const char *name,
    const char *cursor);

#endif
