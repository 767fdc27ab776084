/*
 * row.c - reading store rows (json-c objects with the fixture keys); see
 * row.h.
 */
#include "row.h"

#include <json-c/json.h>

#include "util.h"

const char *
row_str(struct json_object *row, const char *key)
{
	struct json_object *v;

	if (row == NULL || !json_object_object_get_ex(row, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

int64_t
row_id(struct json_object *row, const char *key)
{
	const char *s = row_str(row, key);

	return s ? parse_id(s) : 0;
}

int64_t
row_int(struct json_object *row, const char *key)
{
	struct json_object *v;

	if (row == NULL || !json_object_object_get_ex(row, key, &v))
		return 0;
	return json_object_get_int64(v);
}

bool
row_bool(struct json_object *row, const char *key)
{
	struct json_object *v;

	return row && json_object_object_get_ex(row, key, &v) &&
	    json_object_get_boolean(v);
}

struct json_object *
row_copy(struct json_object *row)
{
	struct json_object *copy = json_object_new_object();

	json_object_object_foreach(row, key, val)
		json_object_object_add(copy, key, json_object_get(val));
	return copy;
}

void
row_set_str(struct json_object *obj, const char *key, const char *v)
{
	json_object_object_add(obj, key, v ? json_object_new_string(v) : NULL);
}

void
row_set_int(struct json_object *obj, const char *key, int64_t v)
{
	json_object_object_add(obj, key, json_object_new_int64(v));
}
