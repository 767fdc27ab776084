/*
 * test_messages.c - POST /{phone-id}/messages through the real binary:
 * the answer's shape and deterministic wamids, every gate on demand
 * (133010, 100 recipient, 132001, 132015, 132016, 132000, 131047, 130429),
 * bad input that stores nothing, the statuses sent -> delivered -> read
 * as signed webhooks on the emulator clock, a failure from the control
 * plane, a customer's message opening the 24-hour window, and messages in
 * state export, import and reset.  The whole loop (register a number, get
 * a template approved, send it, watch its statuses) is one test.
 */
#include <check.h>
#include <json-c/json.h>
#include <nettle/base16.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

#define V "/v24.0/"
#define SEND V DEMO_PHONE "/messages?access_token=" TOK_ADMIN
#define TO "16505551234"

static struct receiver rx;
static char hook_url[128];

static void
call_ok(const struct server *s, const char *method, const char *path,
    const char *json)
{
	json_object_put(ctl(s, method, path, json, 200));
}

/* The messages the state holds. */
static size_t
stored(const struct server *s)
{
	struct json_object *st = ctl(s, "GET", "/_emulator/state", NULL, 200);
	size_t n = jlen(st, "messages");

	json_object_put(st);
	return n;
}

/* A send that must fail with HTTP status, code and no message stored. */
static void
refused(const struct server *s, const char *path, const char *json, long status,
    int code)
{
	size_t before = stored(s);
	struct json_object *o = ctl(s, "POST", path, json, status);

	ck_assert_msg(jint(o, "error.code") == code, "%s: %s", json,
	    json_object_to_json_string(o));
	ck_assert_str_eq(jstr(o, "error.type"), "OAuthException");
	ck_assert_str_ne(jstr(o, "error.fbtrace_id"), "");
	/* the Cloud API's errors carry error_data; 100s from the input
	 * checks do too */
	ck_assert_str_eq(jstr(o, "error.error_data.messaging_product"),
	    "whatsapp");
	ck_assert_str_ne(jstr(o, "error.error_data.details"), "");
	ck_assert_uint_eq(stored(s), before);
	json_object_put(o);
}

/* {"messaging_product":"whatsapp","to":TO,"type":"template",...} */
static char *
tmpl_msg(const char *name, const char *lang, const char *components)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
	    "{\"messaging_product\":\"whatsapp\","
	    "\"to\":\"" TO "\",\"type\":\"template\",\"template\":{\"name\":"
	    "\"%s\",\"language\":{\"code\":\"%s\"}%s%s}}",
	    name, lang, components ? ",\"components\":" : "",
	    components ? components : "");
	return buf;
}

/* clang-format off */
#define TEXT_MSG(body) "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO \
	"\",\"type\":\"text\",\"text\":{\"body\":\"" body "\"}}"
/* clang-format on */

/* Creates a template on waba (JSON fields after name); its id in id. */
static void
create_template(const struct server *s, const char *waba, const char *json,
    char id[32])
{
	char path[128];
	struct json_object *o;

	snprintf(path, sizeof(path),
	    V "%s/message_templates?access_token=" TOK_ADMIN, waba);
	o = ctl(s, "POST", path, json, 200);
	snprintf(id, 32, "%s", jstr(o, "id"));
	json_object_put(o);
}

/* clang-format off */
#define ORDER_TEMPLATE "{\"name\":\"order_update\",\"language\":\"en_US\"," \
	"\"category\":\"UTILITY\",\"components\":[{\"type\":\"HEADER\"," \
	"\"format\":\"TEXT\",\"text\":\"Order {{1}}\",\"example\":" \
	"{\"header_text\":[\"42\"]}},{\"type\":\"BODY\",\"text\":\"Hi {{1}}, " \
	"order {{2}} shipped.\",\"example\":{\"body_text\":[[\"Ann\",\"42\"]]}}," \
	"{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":" \
	"\"Track\",\"url\":\"https://example.com/t/{{1}}\",\"example\":" \
	"[\"https://example.com/t/42\"]}]}]}"

#define ORDER_PARAMS "[{\"type\":\"header\",\"parameters\":[{\"type\":" \
	"\"text\",\"text\":\"7\"}]},{\"type\":\"body\",\"parameters\":[" \
	"{\"type\":\"text\",\"text\":\"Bo\"},{\"type\":\"text\",\"text\":" \
	"\"7\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\"," \
	"\"parameters\":[{\"type\":\"text\",\"text\":\"7\"}]}]"
/* clang-format on */

/* ---- the answer ---------------------------------------------------- */

START_TEST(test_answer_shape_and_ids)
{
	struct server s;
	struct json_object *a, *b, *want;
	char first[128];

	ck_assert_int_eq(server_start(&s, NULL), 0);
	a = ctl(&s, "POST", SEND,
	    "{\"messaging_product\":\"whatsapp\","
	    "\"to\":\"+1 (650) 555-1234\",\"type\":\"template\",\"template\":"
	    "{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}",
	    200);
	ck_assert_int_eq(strncmp(jstr(a, "messages.0.id"), "wamid.", 6), 0);
	want = json_object_new_object();
	json_object_object_add(want, "messaging_product",
	    json_object_new_string("whatsapp"));
	json_object_object_add(want, "contacts",
	    json_tokener_parse(
	        "[{\"input\":\"+1 (650) 555-1234\",\"wa_id\":\"" TO "\"}]"));
	json_object_object_add(want, "messages",
	    json_tokener_parse("[{\"message_status\":\"accepted\"}]"));
	json_object_object_add(json_object_array_get_idx(
	                           json_object_object_get(want, "messages"), 0),
	    "id", json_object_new_string(jstr(a, "messages.0.id")));
	ck_assert_msg(json_object_equal(a, want), "%s",
	    json_object_to_json_string(a));
	snprintf(first, sizeof(first), "%s", jstr(a, "messages.0.id"));
	b = ctl(&s, "POST", SEND, tmpl_msg("hello_world", "en_US", NULL), 200);
	ck_assert_str_ne(jstr(b, "messages.0.id"), first);
	/* sends are Graph calls: the journal counts them */
	json_object_put(a);
	a = ctl(&s, "GET",
	    "/_emulator/requests/count?method=POST&path="
	    "/v24.0/" DEMO_PHONE "/messages",
	    NULL, 200);
	ck_assert_int_eq(jint(a, "count"), 2);
	json_object_put(a);
	json_object_put(b);
	json_object_put(want);
	ck_assert_int_eq(server_stop(&s), 0);

	/* the same seed and requests: the same ids, whatever the time */
	ck_assert_int_eq(server_start(&s, NULL), 0);
	ctl_advance(&s, 12345);
	a = ctl(&s, "POST", SEND, tmpl_msg("hello_world", "en_US", NULL), 200);
	ck_assert_str_eq(jstr(a, "messages.0.id"), first);
	json_object_put(a);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- the gates ----------------------------------------------------- */

START_TEST(test_gates)
{
	const char *args[] = { "--message-throughput", "3", NULL };
	struct server s;
	struct json_object *o;
	char id[32], named[32], path[128];
	int i, accepted = 0, limited = 0;

	ck_assert_int_eq(server_start(&s, args), 0);
	/* 133010: the demo's second number is PENDING */
	refused(&s, V "5000000000000002/messages?access_token=" TOK_ADMIN,
	    tmpl_msg("hello_world", "en_US", NULL), 400, 133010);
	/* 100: a recipient that is not a phone number */
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":"
	    "\"not-a-number\",\"type\":\"template\",\"template\":{\"name\":"
	    "\"hello_world\",\"language\":{\"code\":\"en_US\"}}}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":"
	    "\"1234567890123456\",\"text\":{\"body\":\"x\"}}",
	    400, 100);
	/* 132001: no such template, or not in that language */
	refused(&s, SEND, tmpl_msg("no_such_template", "en_US", NULL), 400,
	    132001);
	refused(&s, SEND, tmpl_msg("hello_world", "de", NULL), 400, 132001);
	/* 132001: still PENDING (the review takes 10 s of the clock) */
	create_template(&s, DEMO_WABA, ORDER_TEMPLATE, id);
	refused(&s, SEND, tmpl_msg("order_update", "en_US", ORDER_PARAMS), 400,
	    132001);
	ctl_advance(&s, 11);
	call_ok(&s, "POST", SEND,
	    tmpl_msg("order_update", "en_US", ORDER_PARAMS));
	/* 132015 paused, 132016 disabled */
	snprintf(path, sizeof(path), "/_emulator/templates/%s", id);
	call_ok(&s, "POST", path, "{\"status\":\"PAUSED\"}");
	refused(&s, SEND, tmpl_msg("order_update", "en_US", ORDER_PARAMS), 400,
	    132015);
	call_ok(&s, "POST", path, "{\"status\":\"DISABLED\"}");
	refused(&s, SEND, tmpl_msg("order_update", "en_US", ORDER_PARAMS), 400,
	    132016);
	call_ok(&s, "POST", path, "{\"status\":\"APPROVED\"}");
	/* 132000: parameters that do not fit the variables */
	refused(&s, SEND, tmpl_msg("order_update", "en_US", NULL), 400, 132000);
	refused(&s, SEND,
	    tmpl_msg("order_update", "en_US",
	        "[{\"type\":"
	        "\"header\",\"parameters\":[{\"type\":\"text\",\"text\":\"7\"}]},"
	        "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":"
	        "\"Bo\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":"
	        "\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"7\"}]}]"),
	    400, 132000);
	refused(&s, SEND,
	    tmpl_msg("order_update", "en_US",
	        "[{\"type\":"
	        "\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{"
	        "\"link\":\"https://example.com/a.png\"}}]},{\"type\":\"body\","
	        "\"parameters\":[{\"type\":\"text\",\"text\":\"Bo\"},{\"type\":"
	        "\"text\",\"text\":\"7\"}]},{\"type\":\"button\",\"sub_type\":"
	        "\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\","
	        "\"text\":\"7\"}]}]"),
	    400, 132000);
	refused(&s, SEND,
	    tmpl_msg("hello_world", "en_US",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"x\"}]}]"),
	    400, 132000);
	/* named parameters: each must name a variable */
	create_template(&s, DEMO_WABA,
	    "{\"name\":\"greeting_named\","
	    "\"language\":\"en\",\"category\":\"UTILITY\",\"parameter_format\":"
	    "\"NAMED\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hello "
	    "{{first_name}}, welcome.\",\"example\":{\"body_text_named_params\":"
	    "[{\"param_name\":\"first_name\",\"example\":\"Ann\"}]}}]}",
	    named);
	ctl_advance(&s, 11);
	call_ok(&s, "POST", SEND,
	    tmpl_msg("greeting_named", "en",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":"
	        "\"first_name\",\"text\":\"Ann\"}]}]"));
	refused(&s, SEND,
	    tmpl_msg("greeting_named", "en",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":"
	        "\"last_name\",\"text\":\"Ann\"}]}]"),
	    400, 132000);
	refused(&s, SEND,
	    tmpl_msg("greeting_named", "en",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]"),
	    400, 132000);
	/* 131047: free-form text outside the window */
	refused(&s, SEND, TEXT_MSG("hello"), 400, 131047);
	/* 130429: over the number's throughput (3 a second here), HTTP 429 */
	ctl_advance(&s, 1);
	for (i = 0; i < 40 && limited == 0; i++) {
		struct http_resp r;

		ck_assert_int_eq(http_req(&s, "POST", SEND,
		                     tmpl_msg("hello_world", "en_US", NULL),
		                     "application/json", NULL, &r),
		    0);
		if (r.status == 200) {
			accepted++;
		} else {
			ck_assert_int_eq(r.status, 429);
			ck_assert_int_eq(jint(r.json, "error.code"), 130429);
			ck_assert_str_eq(
			    jstr(r.json, "error.error_data.details"),
			    "Cloud API message "
			    "throughput has been reached.");
			limited++;
		}
		http_resp_free(&r);
	}
	ck_assert_int_eq(limited, 1);
	ck_assert_int_ge(accepted, 3);
	/* a permission the WABA's tasks do not give: DEVELOP,
	 * VIEW_PHONE_ASSETS */
	o = ctl(&s, "POST", V DEMO_PHONE "/messages?access_token=" TOK_EMPLOYEE,
	    tmpl_msg("hello_world", "en_US", NULL), 403);
	ck_assert_int_eq(jint(o, "error.code"), 200);
	json_object_put(o);
	/* MANAGE may send (in the next second: the last one is used up) */
	ctl_advance(&s, 1);
	call_ok(&s, "POST", V DEMO_PHONE "/messages?access_token=" TOK_MANAGER,
	    tmpl_msg("greeting_named", "en",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":"
	        "\"first_name\",\"text\":\"Ann\"}]}]"));
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_gates_classic)
{
	const char *args[] = { "--status-profile", "classic",
		"--message-throughput", "1", NULL };
	struct server s;
	int i, limited = 0;

	ck_assert_int_eq(server_start(&s, args), 0);
	refused(&s, SEND, tmpl_msg("no_such_template", "en_US", NULL), 400,
	    132001);
	for (i = 0; i < 20 && limited == 0; i++) {
		struct http_resp r;

		ck_assert_int_eq(http_req(&s, "POST", SEND,
		                     tmpl_msg("hello_world", "en_US", NULL),
		                     "application/json", NULL, &r),
		    0);
		if (r.status != 200) {
			ck_assert_int_eq(r.status, 400);
			ck_assert_int_eq(jint(r.json, "error.code"), 130429);
			limited++;
		}
		http_resp_free(&r);
	}
	ck_assert_int_eq(limited, 1);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_bad_input)
{
	struct server s;
	char *big, *json;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* an open window, so only the input can refuse the texts below */
	call_ok(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"" TO
	    "\",\"text\":\"hi\"}");
	refused(&s, SEND, "{\"to\":\"" TO "\",\"text\":{\"body\":\"x\"}}", 400,
	    100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"sms\",\"to\":\"" TO
	    "\",\"text\":{\"body\":\"x\"}}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\","
	    "\"text\":{\"body\":\"x\"}}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"sticker\",\"sticker\":{\"id\":\"1\"}}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"text\",\"text\":{\"body\":5}}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"text\",\"text\":\"plain\"}",
	    400, 100);
	refused(&s, SEND,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\"}}",
	    400, 100);
	refused(&s, SEND,
	    tmpl_msg("hello_world", "en_US",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":7}]}]"),
	    400, 100);
	refused(&s, SEND,
	    tmpl_msg("hello_world", "en_US",
	        "[{\"type\":"
	        "\"body\",\"parameters\":[{\"type\":\"image\",\"image\":\"x\"}]}]"),
	    400, 100);
	refused(&s, SEND,
	    tmpl_msg("hello_world", "en_US",
	        "{\"type\":"
	        "\"body\"}"),
	    400, 100);
	refused(&s, SEND,
	    tmpl_msg("hello_world", "en_US",
	        "[{\"type\":"
	        "\"footer\"}]"),
	    400, 100);
	/* 4096 characters are fine (é is one), 4097 are not */
	big = malloc(2 * 4097 + 1);
	for (i = 0; i < 4096; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[2 * 4096] = '\0';
	json = malloc(strlen(big) + 256);
	sprintf(json,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"text\",\"text\":{\"body\":\"%s\"}}",
	    big);
	call_ok(&s, "POST", SEND, json);
	memcpy(big + 2 * 4096, "x", 2);
	sprintf(json,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO
	    "\",\"type\":\"text\",\"text\":{\"body\":\"%s\"}}",
	    big);
	refused(&s, SEND, json, 400, 100);
	free(json);
	free(big);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- webhooks ------------------------------------------------------ */

static void
rx_up(void)
{
	ck_assert_int_eq(rx_start_hook(&rx, 500, hook_url, sizeof(hook_url)),
	    0);
	rx_set_status(&rx, 200);
}

static bool
signed_by(const struct rx_req *q, const char *secret)
{
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];
	char want[7 + 2 * SHA256_DIGEST_SIZE + 1] = "sha256=";

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, q->len, (const uint8_t *)q->body);
	hmac_sha256_digest(&ctx, sizeof(mac), mac);
	base16_encode_update(want + 7, sizeof(mac), mac);
	want[sizeof(want) - 1] = '\0';
	return strcmp(q->signature, want) == 0;
}

/*
 * The `messages` values the demo app received, signed with its secret,
 * in arrival order: a new array.  Waits until there are at least n.
 */
static struct json_object *
messages_values(size_t n)
{
	struct json_object *out = NULL;
	int tries;
	size_t i;

	ck_assert(rx_wait(&rx, 1, 5000));
	for (tries = 0; tries < 500; tries++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		json_object_put(out);
		out = json_object_new_array();
		pthread_mutex_lock(&rx.mu);
		for (i = 0; i < rx.n; i++) {
			struct json_object *b = json_tokener_parse(
			    rx.reqs[i].body);

			if (b != NULL &&
			    strcmp(jstr(b, "entry.0.changes.0.field"),
			        "messages") == 0 &&
			    signed_by(&rx.reqs[i], DEMO_APP_SECRET))
				json_object_array_add(out,
				    json_object_get(
				        jget(b, "entry.0.changes.0.value")));
			json_object_put(b);
		}
		pthread_mutex_unlock(&rx.mu);
		if (json_object_array_length(out) >= n)
			return out;
		nanosleep(&ts, NULL);
	}
	ck_abort_msg("only %zu messages webhooks came, want %zu",
	    json_object_array_length(out), n);
	return NULL;
}

/* The status of value k if it is about message id, else "". */
static const char *
status_of(struct json_object *values, size_t k, const char *id)
{
	struct json_object *v = json_object_array_get_idx(values, k);

	if (strcmp(jstr(v, "statuses.0.id"), id) != 0)
		return "";
	return jstr(v, "statuses.0.status");
}

START_TEST(test_full_loop)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct server s;
	struct json_object *o, *c, *vals, *clk;
	char id[32], tid[32], path[192], form[64], wamid[128];
	const char *want[] = { "sent", "delivered", "read" };
	size_t i;

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	/* a new number: added, verified by the code "sent", registered */
	o = ctl(&s, "POST",
	    V DEMO_WABA_NOPHONES "/phone_numbers?"
	                         "access_token=" TOK_ADMIN,
	    "{\"cc\":\"1\",\"phone_number\":"
	    "\"5550109001\",\"verified_name\":\"Fern Books\"}",
	    200);
	snprintf(id, sizeof(id), "%s", jstr(o, "id"));
	json_object_put(o);
	snprintf(path, sizeof(path), V "%s/messages?access_token=" TOK_ADMIN,
	    id);
	refused(&s, path, tmpl_msg("hello_world", "en_US", NULL), 400, 133010);
	snprintf(path, sizeof(path),
	    V "%s/request_code?access_token=" TOK_ADMIN, id);
	call_ok(&s, "POST", path,
	    "{\"code_method\":\"SMS\",\"language\":"
	    "\"en_US\"}");
	snprintf(path, sizeof(path), "/_emulator/phone_numbers/%s/codes", id);
	c = ctl(&s, "GET", path, NULL, 200);
	snprintf(form, sizeof(form), "{\"code\":\"%s\"}",
	    jstr(c, "data.0.code"));
	json_object_put(c);
	snprintf(path, sizeof(path), V "%s/verify_code?access_token=" TOK_ADMIN,
	    id);
	call_ok(&s, "POST", path, form);
	snprintf(path, sizeof(path), V "%s/register?access_token=" TOK_ADMIN,
	    id);
	call_ok(&s, "POST", path,
	    "{\"messaging_product\":\"whatsapp\","
	    "\"pin\":\"246810\"}");

	/* a template, approved after its review on the clock */
	create_template(&s, DEMO_WABA_NOPHONES, ORDER_TEMPLATE, tid);
	ctl_advance(&s, 11);
	snprintf(path, sizeof(path),
	    V "%s?fields=status&access_token=" TOK_ADMIN, tid);
	o = ctl(&s, "GET", path, NULL, 200);
	ck_assert_str_eq(jstr(o, "status"), "APPROVED");
	json_object_put(o);

	/* sent: accepted now, then sent, delivered, read on the clock */
	snprintf(path, sizeof(path), V "%s/messages?access_token=" TOK_ADMIN,
	    id);
	o = ctl(&s, "POST", path,
	    tmpl_msg("order_update", "en_US", ORDER_PARAMS), 200);
	snprintf(wamid, sizeof(wamid), "%s", jstr(o, "messages.0.id"));
	json_object_put(o);
	clk = ctl(&s, "GET", "/_emulator/clock", NULL, 200);
	ctl_advance(&s, 10);
	vals = messages_values(3);
	ck_assert_uint_eq(json_object_array_length(vals), 3);
	for (i = 0; i < 3; i++) {
		struct json_object *v = json_object_array_get_idx(vals, i);
		char md[256];

		ck_assert_str_eq(status_of(vals, i, wamid), want[i]);
		ck_assert_str_eq(jstr(v, "messaging_product"), "whatsapp");
		snprintf(md, sizeof(md),
		    "{\"display_phone_number\":"
		    "\"15550109001\",\"phone_number_id\":\"%s\"}",
		    id);
		ck_assert(jeq(jget(v, "metadata"), md));
		ck_assert_str_eq(jstr(v, "statuses.0.recipient_id"), TO);
		/* the default delays: 1, 2 and 5 seconds after the send */
		ck_assert_int_eq(atoll(jstr(v, "statuses.0.timestamp")),
		    jint(clk, "now") +
		        (i == 0        ? 1 :
		                i == 1 ? 2 :
		                         5));
	}
	json_object_put(vals);
	json_object_put(clk);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* The statuses go out on their own: no request after the send. */
START_TEST(test_statuses_without_requests)
{
	const char *args[] = { "--webhook-url", hook_url,
		"--message-status-delays", "0,0,1", NULL };
	const char *want[] = { "sent", "delivered", "read" };
	struct server s;
	struct json_object *o, *vals;
	char wamid[128];
	size_t i;

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	o = ctl(&s, "POST", SEND, tmpl_msg("hello_world", "en_US", NULL), 200);
	snprintf(wamid, sizeof(wamid), "%s", jstr(o, "messages.0.id"));
	json_object_put(o);
	/* read comes a second of the clock (a real one here) later */
	vals = messages_values(3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(status_of(vals, i, wamid), want[i]);
	json_object_put(vals);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_inbound_opens_window)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct server s;
	struct json_object *o, *vals, *v, *want;
	char in_id[128];
	char expect[512];

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	refused(&s, SEND, TEXT_MSG("hello"), 400, 131047);
	o = ctl(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"" TO
	    "\",\"text\":\"Hi there\","
	    "\"name\":\"Kerry\"}",
	    200);
	snprintf(in_id, sizeof(in_id), "%s", jstr(o, "message_id"));
	ck_assert_int_eq(strncmp(in_id, "wamid.", 6), 0);
	json_object_put(o);
	vals = messages_values(1);
	v = json_object_array_get_idx(vals, 0);
	o = ctl(&s, "GET", "/_emulator/clock", NULL, 200);
	snprintf(expect, sizeof(expect),
	    "{\"messaging_product\":\"whatsapp\","
	    "\"metadata\":{\"display_phone_number\":\"15550100200\","
	    "\"phone_number_id\":\"" DEMO_PHONE
	    "\"},\"contacts\":[{\"profile\":"
	    "{\"name\":\"Kerry\"},\"wa_id\":\"" TO
	    "\"}],\"messages\":[{\"from\":"
	    "\"" TO "\",\"id\":\"%s\",\"timestamp\":\"%s\",\"text\":{\"body\":"
	    "\"Hi there\"},\"type\":\"text\"}]}",
	    in_id, jstr(v, "messages.0.timestamp"));
	want = json_tokener_parse(expect);
	ck_assert_msg(json_object_equal(v, want), "%s",
	    json_object_to_json_string(v));
	ck_assert_int_le(atoll(jstr(v, "messages.0.timestamp")),
	    jint(o, "now"));
	json_object_put(want);
	json_object_put(o);
	json_object_put(vals);
	/* the window is open: free-form text goes out */
	call_ok(&s, "POST", SEND, TEXT_MSG("hello"));
	/* a day later it is closed again */
	ctl_advance(&s, 24 * 3600 + 1);
	refused(&s, SEND, TEXT_MSG("hello"), 400, 131047);
	/* the control plane checks what it is given */
	json_object_put(ctl(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"999\",\"from\":\"" TO "\",\"text\":\"x\"}",
	    404));
	json_object_put(ctl(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"+1 650\","
	    "\"text\":\"x\"}",
	    400));
	json_object_put(ctl(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"" TO "\"}",
	    400));
	json_object_put(ctl(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"" TO "\","
	    "\"text\":\"x\",\"colour\":1}",
	    400));
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_control_plane_fails_a_message)
{
	const char *args[] = { "--webhook-url", hook_url,
		"--message-status-delays", "1,30,60", NULL };
	struct server s;
	struct json_object *o, *vals, *v;
	char wamid[128], path[192];

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	o = ctl(&s, "POST", SEND, tmpl_msg("hello_world", "en_US", NULL), 200);
	snprintf(wamid, sizeof(wamid), "%s", jstr(o, "messages.0.id"));
	json_object_put(o);
	ctl_advance(&s, 1);
	snprintf(path, sizeof(path), "/_emulator/messages/%s", wamid);
	o = ctl(&s, "POST", path, "{\"error\":{\"code\":131026}}", 200);
	ck_assert_str_eq(jstr(o, "id"), wamid);
	ck_assert_str_eq(jstr(o, "status"), "failed");
	json_object_put(o);
	json_object_put(
	    ctl(&s, "POST", path, "{\"error\":{\"code\":131026}}", 409));
	json_object_put(ctl(&s, "POST", "/_emulator/messages/wamid.nope",
	    "{\"error\":{\"code\":131026}}", 404));
	json_object_put(
	    ctl(&s, "POST", path, "{\"error\":{\"code\":\"x\"}}", 400));
	/* nothing after failed, however far the clock goes */
	ctl_advance(&s, 3600);
	vals = messages_values(2);
	ck_assert_str_eq(status_of(vals, 0, wamid), "sent");
	ck_assert_str_eq(status_of(vals, 1, wamid), "failed");
	v = json_object_array_get_idx(vals, 1);
	ck_assert(jeq(jget(v, "statuses.0.errors"),
	    "[{\"code\":131026,"
	    "\"title\":\"Message Undeliverable\",\"message\":\"Message "
	    "Undeliverable\",\"error_data\":{\"details\":\"Message "
	    "Undeliverable\"},\"href\":\"https://developers.facebook.com/docs/"
	    "whatsapp/cloud-api/support/error-codes/\"}]"));
	json_object_put(vals);
	o = ctl(&s, "GET", "/_emulator/state", NULL, 200);
	/* the demo's own message comes first */
	ck_assert_str_eq(jstr(o, "messages.1.id"), wamid);
	ck_assert_str_eq(jstr(o, "messages.1.status"), "failed");
	ck_assert_int_eq(jint(o, "messages.1.error_code"), 131026);
	ck_assert_ptr_null(jget(o, "messages.1.due_at"));
	json_object_put(o);
	vals = messages_values(2);
	ck_assert_uint_eq(json_object_array_length(vals), 2);
	json_object_put(vals);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* ---- state --------------------------------------------------------- */

START_TEST(test_state_round_trip)
{
	struct server s;
	struct json_object *st, *again;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	call_ok(&s, "POST", SEND, tmpl_msg("hello_world", "en_US", NULL));
	call_ok(&s, "POST", "/_emulator/inbound",
	    "{\"phone_number_id\":\"" DEMO_PHONE "\",\"from\":\"" TO
	    "\",\"text\":\"hi\"}");
	st = ctl(&s, "GET", "/_emulator/state", NULL, 200);
	/* the demo fixtures' message, then these two */
	ck_assert_uint_eq(jlen(st, "messages"), 3);
	ck_assert_str_eq(jstr(st, "messages.1.direction"), "outbound");
	ck_assert_str_eq(jstr(st, "messages.1.template_name"), "hello_world");
	ck_assert_str_eq(jstr(st, "messages.1.status"), "accepted");
	ck_assert_str_eq(jstr(st, "messages.2.direction"), "inbound");
	ck_assert_str_eq(jstr(st, "messages.2.text"), "hi");
	call_ok(&s, "POST", "/_emulator/reset", NULL);
	ck_assert_uint_eq(stored(&s), 1);
	/* the window went with the reset */
	refused(&s, SEND, TEXT_MSG("hello"), 400, 131047);
	call_ok(&s, "PUT", "/_emulator/state", json_object_to_json_string(st));
	again = ctl(&s, "GET", "/_emulator/state", NULL, 200);
	ck_assert(
	    json_object_equal(jget(again, "messages"), jget(st, "messages")));
	/* the imported inbound message holds the window open */
	call_ok(&s, "POST", SEND, TEXT_MSG("hello"));
	json_object_put(again);
	json_object_put(st);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("e2e_messages");
	TCase *tc = harness_tcase("messages", NULL, NULL);

	tcase_add_test(tc, test_answer_shape_and_ids);
	tcase_add_test(tc, test_gates);
	tcase_add_test(tc, test_gates_classic);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_full_loop);
	tcase_add_test(tc, test_statuses_without_requests);
	tcase_add_test(tc, test_inbound_opens_window);
	tcase_add_test(tc, test_control_plane_fails_a_message);
	tcase_add_test(tc, test_state_round_trip);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
