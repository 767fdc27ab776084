/*
 * accesslog.h - an asynchronous line writer: request threads append whole
 * lines to a bounded buffer without a system call, and one writer thread
 * empties it into a file descriptor, many lines per write(2).  It knows
 * nothing of the line formats, which http.c builds; it only says what of
 * a request path may be written (accesslog_path()).
 *
 * Ownership: accesslog_new() returns a log that accesslog_free() flushes
 * and frees; the descriptor stays the caller's and is never closed.
 */
#ifndef WABA_ACCESSLOG_H
#define WABA_ACCESSLOG_H

#include <stddef.h>

struct accesslog;

/*
 * Starts the writer thread for fd.  Appenders fill one buffer of bufsize
 * bytes while the writer writes out the other, so at most twice bufsize
 * is held.  Returns NULL when the thread cannot be started.
 */
struct accesslog *accesslog_new(int fd, size_t bufsize);
/*
 * Appends line[0..len) and a newline as one line: lines reach fd whole
 * and in the order their accesslog_add() calls took the lock.  Never
 * makes a system call unless the buffer is full; then it waits for the
 * writer to make room.  Safe from any thread until accesslog_free().
 */
void accesslog_add(struct accesslog *al, const char *line, size_t len);
/*
 * What a request path may show in the log, written to out without a NUL;
 * returns its length.  out needs room for ACCESSLOG_PATH_ROOM(n) bytes.
 * A token in the path keeps its first four characters (as the request
 * journal shows it): the sub-path of /_emulator/tokens/, a segment that
 * starts with EAA, or one with a '|' (raw or %7C) as app tokens have.
 * Control characters, '"' and '\\' become \xHH, so that no path can end
 * a line, forge one or break out of a quoted field.
 */
#define ACCESSLOG_PATH_ROOM(n) (4 * (n) + 8)
size_t accesslog_path(char *out, const char *path, size_t n);
/*
 * Writes out every line added so far, stops the writer thread and frees
 * al.  No accesslog_add() may run or follow.  NULL is ignored.
 */
void accesslog_free(struct accesslog *al);

#endif
