/*
 * journal.h - the bounded in-memory journal of Graph calls, for test
 * assertions through GET /_emulator/requests.
 *
 * Ownership: journal_new() / journal_free(); entries copy what they keep.
 * Thread-safe: the journal has its own lock, so a request is journalled
 * without holding emu->lock.
 */
#ifndef WABA_JOURNAL_H
#define WABA_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

struct journal;
struct request;
struct params;
struct json_object;

struct journal *journal_new(size_t capacity);
void journal_free(struct journal *j);
/*
 * Records a finished request: method, path, parameters, the token's
 * user, status, error code, duration, time (emulator clock, seconds).
 * Tokens, secrets and proofs are masked wherever they sit: a parameter
 * named as one (*_token, *secret, appsecret_proof), and inside any value
 * or the path ("access_token=...", a JSON "..._token" member, "OAuth ...",
 * "Bearer ...", "APPID|SECRET", "EAA...").  Returns the entry's sequence
 * number (0 when the journal keeps nothing).
 */
uint64_t journal_add(struct journal *j, const struct request *rq, int64_t now);
/*
 * The entry numbered seq (journal_add()'s return) as GET
 * /_emulator/requests shows it; NULL once it left the ring.
 */
struct json_object *journal_entry(struct journal *j, uint64_t seq);
/*
 * Entries oldest first matching the filter params method=, path= (a
 * pattern with '*'), status=, since= (unix seconds).  Returns
 * {"data":[...]}, or with count_only {"count":N}.  NULL with *cause on a
 * bad filter.
 */
struct json_object *journal_query(struct journal *j,
    const struct params *filter, int count_only, char **cause);
void journal_clear(struct journal *j);
size_t journal_size(struct journal *j);

#endif
