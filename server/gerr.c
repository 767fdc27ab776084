/*
 * gerr.c - the error table and the one renderer of the Graph error
 * envelope.  See gerr.h and errors.def.
 */
#include "gerr.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"
#include "row.h"
#include "util.h"

/* Longest message repeated in WWW-Authenticate, in bytes. */
#define WWW_AUTH_MAX 512

static const struct gerr_row rows[GE__COUNT] = {
	[GE_NONE] = { "GE_NONE", 0, 0, "OAuthException", 200, 200, false,
	    "invalid_request", "", NULL, NULL },
/* clang-format off */
#define X(name, code, sub, type, st, stc, tr, auth, msg) \
	[name] = { #name, code, sub, type, st, stc, tr, auth, msg, NULL, NULL },
#define XU(name, code, sub, type, st, stc, tr, auth, msg, ut, um) \
	[name] = { #name, code, sub, type, st, stc, tr, auth, msg, ut, um },
/* clang-format on */
#include "errors.def"
#undef XU
#undef X
	[GE_CUSTOM] = { "GE_CUSTOM", 2, 0, "OAuthException", 500, 500, true,
	    "invalid_request",
	    "An unexpected error has occurred. Please retry your request later.",
	    NULL, NULL },
};

const struct gerr_row *
gerr_row(enum gerr_id id)
{
	if ((int)id < 0 || id >= GE__COUNT)
		return NULL;
	return &rows[id];
}

const struct gerr_row *
gerr_row_by_code(int code, int subcode, enum gerr_id *id)
{
	int i;

	for (i = GE_NONE + 1; i < GE_CUSTOM; i++) {
		if (rows[i].code != code)
			continue;
		if (subcode > 0 && rows[i].subcode != subcode)
			continue;
		if (subcode <= 0 && rows[i].subcode != 0 && code != 80008)
			continue;
		if (id)
			*id = (enum gerr_id)i;
		return &rows[i];
	}
	return NULL;
}

void
gerr_clear(struct gerr *err)
{
	free(err->message);
	free(err->type);
	free(err->user_title);
	free(err->user_msg);
	free(err->details);
	json_object_put(err->original);
	memset(err, 0, sizeof(*err));
}

/* Replaces the text at *slot with fmt's (NULL: none). */
static void
set_text(char **slot, const char *fmt, va_list ap)
{
	free(*slot);
	*slot = fmt != NULL ? xvasprintf(fmt, ap) : NULL;
}

int
gerr_set(struct gerr *err, enum gerr_id id, const char *fmt, ...)
{
	va_list ap;

	gerr_clear(err);
	err->id = id;
	va_start(ap, fmt);
	set_text(&err->message, fmt, ap);
	va_end(ap);
	return -1;
}

int
gerr_user(struct gerr *err, const char *title, const char *fmt, ...)
{
	va_list ap;

	free(err->user_title);
	err->user_title = title ? xstrdup(title) : NULL;
	va_start(ap, fmt);
	set_text(&err->user_msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
gerr_details(struct gerr *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_text(&err->details, fmt, ap);
	va_end(ap);
	return -1;
}

int
gerr_no_object(struct gerr *err, const char *method, const char *id)
{
	char m[16];
	size_t i;

	for (i = 0; i < sizeof(m) - 1 && method[i]; i++)
		m[i] = (char)(method[i] >= 'A' && method[i] <= 'Z' ?
		        method[i] + 32 :
		        method[i]);
	m[i] = '\0';
	return gerr_set(err, GE_NO_OBJECT,
	    "Unsupported %s request. Object with ID '%s' does not exist, "
	    "cannot be loaded due to missing permissions, or does not support "
	    "this operation. Please read the Graph API documentation at "
	    "https://developers.facebook.com/docs/graph-api",
	    m, id);
}

int
gerr_no_field(struct gerr *err, const char *field, const char *node_type)
{
	return gerr_set(err, GE_PARAM,
	    "(#100) Tried accessing nonexisting field (%s) on node type (%s)",
	    field, node_type);
}

int
gerr_custom(struct gerr *err, int code, int subcode, const char *type,
    const char *message, int status)
{
	enum gerr_id id;
	const struct gerr_row *row = gerr_row_by_code(code, subcode, &id);

	gerr_clear(err);
	err->id = GE_CUSTOM;
	err->code = code;
	err->subcode = subcode;
	err->status = status;
	if (type != NULL)
		err->type = xstrdup(type);
	else if (row != NULL)
		err->type = xstrdup(row->type);
	if (message != NULL)
		err->message = xstrdup(message);
	else if (row != NULL)
		err->message = xstrdup(row->message);
	if (status == 0 && row != NULL)
		err->status = row->status_default;
	return -1;
}

void
gerr_copy(struct gerr *dst, const struct gerr *src)
{
	gerr_clear(dst);
	*dst = *src;
	dst->message = src->message ? xstrdup(src->message) : NULL;
	dst->type = src->type ? xstrdup(src->type) : NULL;
	dst->user_title = src->user_title ? xstrdup(src->user_title) : NULL;
	dst->user_msg = src->user_msg ? xstrdup(src->user_msg) : NULL;
	dst->details = src->details ? xstrdup(src->details) : NULL;
	json_object_get(dst->original);
}

int
gerr_code(const struct gerr *err)
{
	if (err->id == GE_CUSTOM)
		return err->code;
	return rows[err->id].code;
}

int
gerr_subcode(const struct gerr *err)
{
	if (err->id == GE_CUSTOM)
		return err->subcode;
	return rows[err->id].subcode;
}

const char *
gerr_message(const struct gerr *err)
{
	return err->message ? err->message : rows[err->id].message;
}

static bool
gerr_transient(const struct gerr *err)
{
	if (err->id == GE_CUSTOM)
		return err->code == 1 || err->code == 2 || err->code == 80008;
	return rows[err->id].transient;
}

int
gerr_status(const struct gerr *err, enum status_profile profile)
{
	int st;

	if (err->id == GE_CUSTOM) {
		st = err->status ?
		    err->status :
		    (err->code == 1 || err->code == 2 ? 500 : 400);
		/* classic folds every 4xx into 400, as old Graph traffic did */
		if (profile == PROFILE_CLASSIC && st >= 400 && st < 500)
			return 400;
		return st;
	}
	return profile == PROFILE_CLASSIC ? rows[err->id].status_classic :
	                                    rows[err->id].status_default;
}

char *
gerr_www_authenticate(const struct gerr *err)
{
	const char *kind = rows[err->id].auth_kind;
	const char *msg = gerr_message(err);
	int n = (int)strlen(msg);
	char *v, *p;

	if (err->id == GE_CUSTOM)
		kind = err->code == 190 || err->code == 102 ? "invalid_token" :
		                                              "invalid_request";
	/*
	 * The header shares libmicrohttpd's small per-connection pool: a
	 * message that echoes a long id or fields= is cut (on a UTF-8
	 * boundary) rather than costing the whole answer.
	 */
	if (n > WWW_AUTH_MAX) {
		n = WWW_AUTH_MAX;
		while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
			n--;
	}
	v = xasprintf("OAuth \"Facebook Platform\" \"%s\" \"%.*s%s\"", kind, n,
	    msg, msg[n] != '\0' ? "..." : "");
	/*
	 * Messages echo client input (ids, fields=); a control character
	 * would make the HTTP layer drop the whole header, so each one
	 * becomes a space.
	 */
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return v;
}

struct json_object *
gerr_json(const struct gerr *err, const char *trace_id)
{
	json_object *body = json_object_new_object();
	json_object *e = json_object_new_object();
	const char *type = err->id == GE_CUSTOM && err->type ?
	    err->type :
	    rows[err->id].type;
	const char *ut, *um;

	json_object_object_add(e, "message",
	    json_object_new_string(gerr_message(err)));
	json_object_object_add(e, "type", json_object_new_string(type));
	json_object_object_add(e, "code", json_object_new_int(gerr_code(err)));
	if (gerr_subcode(err) != 0)
		json_object_object_add(e, "error_subcode",
		    json_object_new_int(gerr_subcode(err)));
	if (gerr_transient(err))
		json_object_object_add(e, "is_transient",
		    json_object_new_boolean(1));
	/* what the call set wins over the row's own text */
	ut = err->user_title != NULL ? err->user_title :
	                               rows[err->id].user_title;
	um = err->user_msg != NULL ? err->user_msg : rows[err->id].user_msg;
	if (ut != NULL)
		row_set_str(e, "error_user_title", ut);
	if (um != NULL)
		row_set_str(e, "error_user_msg", um);
	if (err->details != NULL) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, "messaging_product",
		    json_object_new_string("whatsapp"));
		json_object_object_add(d, "details",
		    json_object_new_string(err->details));
		json_object_object_add(e, "error_data", d);
	}
	json_object_object_add(e, "fbtrace_id",
	    json_object_new_string(trace_id ? trace_id : ""));
	if (err->original != NULL)
		json_object_object_add(e, "original_response",
		    json_object_get(err->original));
	json_object_object_add(body, "error", e);
	return body;
}

void
gerr_render(const struct gerr *err, const char *trace_id, int status,
    struct response *resp)
{
	struct json_object *body = gerr_json(err, trace_id);
	char *www = gerr_www_authenticate(err);

	response_json(resp, status, body);
	json_object_put(body);
	response_header(resp, "WWW-Authenticate", www);
	free(www);
}
