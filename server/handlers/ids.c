/*
 * ids.c - the multiple-id read, GET /?ids=A,B&fields=...: an object keyed
 * by id, each value what GET /{id}?fields=... answers on the same token.
 * Each id is read as an inner call through the pipeline, so every rule
 * of a single read (token, proof, permission, fields) applies as is.
 * An id that cannot be loaded fails the whole call with Graph's 803
 * naming every such id; any other error of an inner read is the answer.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "params.h"
#include "pipeline.h"
#include "pjson.h"
#include "request.h"
#include "util.h"

/* Graph reads at most 50 ids in one call. */
#define IDS_MAX 50

/* Reads id as its own call; 0 with the node added to out, or -1 with sub's error in err. */
static int
ids_read(struct request *rq, const char *id, struct json_object *out,
    struct gerr *err)
{
	static const char *const carry[] = { "fields", "appsecret_proof",
		"appsecret_time" };
	struct request sub;
	struct sbuf t = SBUF_INIT;
	char sep = '?';
	size_t i;
	int rc = -1;

	request_init(&sub);
	sub.emu = rq->emu;
	sub.is_batch_item = true;
	sub.depth = rq->depth + 1;
	sub.host = rq->host ? xstrdup(rq->host) : NULL;
	sub.method = xstrdup("GET");
	sbuf_addf(&t, "/%s/", rq->version);
	url_encode(&t, id);
	for (i = 0; i < sizeof(carry) / sizeof(carry[0]); i++) {
		const char *v = params_get(&rq->params, carry[i]);

		if (v == NULL)
			continue;
		sbuf_addf(&t, "%c%s=", sep, carry[i]);
		url_encode(&t, v);
		sep = '&';
	}
	sub.target = sbuf_detach(&t);
	if (rq->token != NULL)
		sub.authorization = xasprintf("OAuth %s", rq->token);
	pipeline_run(&sub);
	if (sub.resp.status == 200 && sub.resp.body != NULL) {
		json_object_object_add(out, id, pjson_parse(sub.resp.body));
		rc = 0;
	} else {
		gerr_copy(err, &sub.err);
	}
	request_cleanup(&sub);
	return rc;
}

int
ids_get(struct request *rq)
{
	const char *ids = params_get(&rq->params, "ids");
	struct sbuf missing = SBUF_INIT;
	struct json_object *out;
	struct gerr err = { 0 };
	char *list, *id, *save = NULL;
	size_t n = 0;
	int rc = 0;

	if (ids == NULL)
		return gerr_no_object(&rq->err, rq->verb, "");
	out = json_object_new_object();
	list = xstrdup(ids);
	for (id = strtok_r(list, ",", &save); id != NULL && rc == 0;
	     id = strtok_r(NULL, ",", &save)) {
		while (*id == ' ')
			id++;
		id[strcspn(id, " ")] = '\0';
		if (*id == '\0' || json_object_object_get_ex(out, id, NULL))
			continue;
		if (++n > IDS_MAX) {
			rc = gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param ids "
			    "can name at most %d ids",
			    IDS_MAX);
			break;
		}
		if (ids_read(rq, id, out, &err) == 0)
			continue;
		if (gerr_code(&err) == 100 && gerr_subcode(&err) == 33) {
			sbuf_addf(&missing, "%s%s", missing.len ? "," : "", id);
		} else {
			gerr_copy(&rq->err, &err);
			rc = -1;
		}
		gerr_clear(&err);
	}
	if (rc == 0 && n == 0)
		rc = gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter ids is required");
	if (rc == 0 && missing.len > 0)
		rc = gerr_set(&rq->err, GE_ALIAS,
		    "(#803) Some of the aliases "
		    "you requested do not exist: %s",
		    missing.buf);
	if (rc == 0)
		rq->result = out;
	else
		json_object_put(out);
	free(list);
	sbuf_release(&missing);
	return rc;
}
