/*
 * gerr.h - the one error type.  A handler fails with
 *	return gerr_set(&rq->err, GE_PARAM, "(#100) The parameter %s is required", "user");
 * which records the row of errors.def and an optional message, and returns -1.
 * gerr_render() makes the answer from it, for a plain call, a batch item
 * and the HTTP layer's refusals alike; nothing else builds error answers.
 *
 * Ownership: a struct gerr owns its strings; gerr_clear() frees them.
 */
#ifndef WABA_GERR_H
#define WABA_GERR_H

#include <stdbool.h>

struct json_object;
struct response;

enum gerr_id {
	GE_NONE = 0,
#define X(name, code, sub, type, st, stc, tr, auth, msg) name,
#include "errors.def"
#undef X
	GE_CUSTOM, /* a code chosen at run time (fault injection) */
	GE__COUNT
};

enum status_profile {
	PROFILE_DEFAULT,
	PROFILE_CLASSIC
};

struct gerr_row {
	const char *name;
	int code;
	int subcode;
	const char *type;
	int status_default;
	int status_classic;
	bool transient;
	const char *auth_kind;
	const char *message;
	const char *user_title; /* error_user_title, NULL: none */
	const char *user_msg;   /* error_user_msg, NULL: none */
};

struct gerr {
	enum gerr_id id; /* GE_NONE: no error */
	char *message;   /* NULL: the row's message */
	/* GE_CUSTOM only (0 / NULL = take the GE_UNEXPECTED row's value): */
	int code, subcode, status;
	char *type;
	/* A write whose read-back (fields=) failed: what the write answered,
	 * rendered as error.original_response.  Owned; NULL: none. */
	struct json_object *original;
	/* What Meta shows a person (error_user_title / error_user_msg), set
	 * by gerr_user() after gerr_set(); owned; NULL: not sent. */
	char *user_title, *user_msg;
	/* The Cloud API's error_data.details, set by gerr_details(); owned;
	 * NULL: no error_data. */
	char *details;
};

const struct gerr_row *gerr_row(enum gerr_id id);
/* Finds the first row with this code (and subcode when > 0); NULL if none. */
const struct gerr_row *gerr_row_by_code(int code, int subcode,
    enum gerr_id *id);

/* Sets err (replacing any earlier error); fmt NULL keeps the row's message. */
int gerr_set(struct gerr *err, enum gerr_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds error_user_title / error_user_msg to the error err already holds;
 * returns -1 so a caller can `return gerr_user(...)`. */
int gerr_user(struct gerr *err, const char *title, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds error_data {"messaging_product":"whatsapp","details"} as the Cloud
 * API sends with its messaging errors; returns -1. */
int gerr_details(struct gerr *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* 100/33 naming the method (lower-cased) and the id. */
int gerr_no_object(struct gerr *err, const char *method, const char *id);
/* 100 "(#100) Tried accessing nonexisting field (f) on node type (T)". */
int gerr_no_field(struct gerr *err, const char *field, const char *node_type);
/* An error with any code, for faults; message NULL = a generic one. */
int gerr_custom(struct gerr *err, int code, int subcode, const char *type,
    const char *message, int status);
void gerr_clear(struct gerr *err);
void gerr_copy(struct gerr *dst, const struct gerr *src);

int gerr_code(const struct gerr *err);
int gerr_subcode(const struct gerr *err);
const char *gerr_message(const struct gerr *err);
int gerr_status(const struct gerr *err, enum status_profile profile);
/* Value of the WWW-Authenticate header; caller frees. */
char *gerr_www_authenticate(const struct gerr *err);
/* {"error":{...,"fbtrace_id":trace}}; caller owns the new object. */
struct json_object *gerr_json(const struct gerr *err, const char *trace_id);
/*
 * Writes err's answer into resp: the envelope (gerr_json()) with HTTP
 * status (gerr_status() for the profile, 200 under suppress_http_code, or
 * the HTTP layer's own) and WWW-Authenticate.  The caller adds the rest of
 * the headers.
 */
void gerr_render(const struct gerr *err, const char *trace_id, int status,
    struct response *resp);

#endif
