/*
 * pipeline.h - the one path every Graph call takes (pipeline.c): parse,
 * resolve, decide token and permission once from the route's flags, run
 * the handler, render the answer.  Handlers and the modules below them
 * never render an answer or decide policy themselves.
 */
#ifndef WABA_PIPELINE_H
#define WABA_PIPELINE_H

#include <stddef.h>

struct emu;
struct request;

/*
 * Handles one request end to end and fills rq->resp (status, headers,
 * body).  Takes emu->lock for the part that needs it; http.c calls it once
 * the body is complete.
 */
void emu_handle(struct emu *emu, struct request *rq);

/*
 * The same without taking the lock, for an inner call (a batch item, one
 * id of ?ids=): the caller holds emu->lock and has set rq->emu.
 */
void pipeline_run(struct request *rq);

/*
 * Answers rq with rq->err without running it: a batch item refused before
 * it could run.  Draws its trace id and renders the error as every other
 * answer's is (gerr_render()); the headers beyond WWW-Authenticate stay
 * the caller's.  Under emu->lock.
 */
void pipeline_refuse(struct request *rq);

/*
 * Draws the request's trace id (x-fb-request-id = fbtrace_id, 23 chars)
 * and, when trace is not NULL, an 11-char x-fb-trace-id: deterministic
 * from the seed and the emulator's request sequence.  Under emu->lock.
 */
void pipeline_trace(struct request *rq, char *trace, size_t len);

#endif
