/*
 * request.h - one Graph call as the pipeline sees it: the wire facts that
 * http.c (or a batch item) fills in, the parameters merged from the query
 * string and the body, and everything the pipeline derives on the way.
 *
 * Ownership: the request owns every pointer hanging off it;
 * request_cleanup() frees them all, in one place.
 */
#ifndef WABA_REQUEST_H
#define WABA_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gerr.h"
#include "params.h"
#include "ratelimit.h"
#include "response.h"

struct json_object;
struct emu;
struct fieldlist;

/* Where the token came from. */
enum token_source {
	TOKEN_NONE,
	TOKEN_PARAM,
	TOKEN_HEADER
};

struct request {
	/* The wire, filled by http.c or the batch handler before request_prepare(). */
	char *method;        /* as sent, e.g. "GET" */
	char *target;        /* raw request target: "/v24.0/123?fields=a" */
	char *host;          /* Host header, NULL when absent */
	char *authorization; /* Authorization header, NULL when absent */
	char *content_type;  /* Content-Type header, NULL when absent */
	/* control-plane requests and CORS preflights only, else NULL: */
	char *origin;     /* Origin */
	char *fetch_site; /* Sec-Fetch-Site */
	char *accept;     /* Accept, read for the root path only */
	/* OPTIONS only (a CORS preflight), else NULL: */
	char *acr_method;  /* Access-Control-Request-Method */
	char *acr_headers; /* Access-Control-Request-Headers */
	char *body;        /* raw body (NUL-terminated), NULL when none */
	size_t body_len;
	bool body_too_large; /* http.c saw more than --max-body bytes */
	size_t body_limit;   /* then the limit it applied, for the message */
	char *remote;        /* peer address for the journal, may be NULL */

	/* Parsed by request_prepare(). */
	char *path;           /* decoded path, no query string */
	struct params params; /* query then body, merged; the body wins */
	char verb[8];         /* GET/POST/DELETE after method= override */
	bool suppress_http_code;
	bool prepared; /* request_prepare() ran, returning prepare_rc */
	int prepare_rc;

	/* Derived by the pipeline. */
	struct emu *emu;
	char trace_id[32];
	char fb_trace_id[16]; /* x-fb-trace-id */
	char version[16];     /* "v24.0": from the path or the default */
	bool version_in_path;
	bool version_served; /* serve_version() mapped version */
	char *token;         /* the access token string, NULL when none */
	enum token_source token_source;
	int64_t token_user; /* user behind the token, 0 for app tokens */
	int64_t token_app;  /* app behind the token */
	struct json_object
	    *token_row; /* the token's store row, NULL for app tokens */
	char *node_id;  /* first path segment after the version */
	int64_t node;   /* numeric node id, 0 when not an object */
	int node_type;  /* enum node_type */
	char *edge;     /* second segment, NULL for a node read */
	char *item;     /* third segment, an id on the edge, or NULL */
	const struct route *route;
	struct fieldlist *fields; /* parsed ?fields=, NULL when absent */
	/* What an RF_RAW write read-after-write reads; raw_id 0: nothing. */
	int raw_type; /* enum node_type */
	int64_t raw_id;
	bool is_batch_item;
	int depth; /* batch nesting guard */
	int64_t started_us;
	int64_t clock_s; /* the emulator clock when it was answered */
	/* Usage counted under the lock; its header is written after it. */
	struct rl_usage usage;
	int64_t
	    usage_waba; /* X-Business-Use-Case-Usage's WABA; 0: X-App-Usage */
	bool failed;    /* answered with an error body */
	/*
	 * A webhook handshake a handler needs before it writes: the handler
	 * asks (HS_WANTED), emu_handle() runs it without emu->lock and runs
	 * the call again, and the handler reads the outcome.
	 */
	enum {
		HS_NONE,
		HS_WANTED,
		HS_OK,
		HS_FAILED
	} hs_state;
	char *hs_url;   /* the callback to verify */
	char *hs_token; /* its verify_token, "" when none */
	char *hs_cause; /* HS_FAILED: the whole 2200 message */

	struct json_object *result; /* success body, owned */
	/*
	 * A success body already made, with its ETag: render_read()'s answer
	 * kept on a row, which the pipeline sends in place of result.  Owned;
	 * NULL when result is the body.
	 */
	char *answer;
	size_t answer_len;
	char answer_etag[ETAG_SIZE];
	struct gerr err;
	struct response resp;
};

void request_init(struct request *rq);
void request_cleanup(struct request *rq);

/*
 * Splits target into path and query, parses the body by Content-Type
 * (form, JSON object, multipart; a GET with "{}" is fine), merges params,
 * applies method= and suppress_http_code=.  Returns -1 with rq->err set
 * (100) on an oversized, malformed or non-UTF-8 body.
 */
int request_prepare(struct request *rq);

/* Parameter value helpers: -1 with err set (100, naming the parameter). */
int param_bool(const char *name, const char *value, bool *out,
    struct gerr *err);
/*
 * An array parameter given as JSON, the docs' single-quoted form, or a
 * comma-separated list.  Returns a new json array, NULL with err set.
 */
struct json_object *param_array(const char *name, const char *value,
    struct gerr *err);
/*
 * An array parameter (as param_array() reads one) of names from values
 * (NULL-terminated), a name given twice kept once.  A new json array, or
 * NULL with err set (100, naming the first item that is none).
 */
struct json_object *param_names(const char *name, const char *value,
    const char *const *values, struct gerr *err);
/* The parameter, or NULL with rq->err = "(#100) The parameter NAME is required". */
const char *param_required(struct request *rq, const char *name);
/*
 * The parameter (empty or not), or NULL when it is absent: with rq->err
 * as param_required() sets it when required, without when it is optional.
 */
const char *param_maybe(struct request *rq, const char *name, bool required);
/*
 * A parameter that names an object: value must be written as
 * parse_id_exact() reads ids.  0 with *out set, or -1 with err set (100,
 * naming the parameter).
 */
int param_id(const char *name, const char *value, int64_t *out,
    struct gerr *err);
/*
 * A text parameter, which a JSON body may not give as a number, boolean,
 * array or object.  0 with *out set (NULL when absent), or -1 with
 * rq->err set.
 */
int param_string(struct request *rq, const char *name, const char **out);

#endif
