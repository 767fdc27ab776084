/*
 * row.h - reading a store row's values: the row may be NULL and a key
 * absent or null, each read answers a neutral value then.  Rows are the
 * store's (read-only); the strings returned live as long as the row.
 */
#ifndef WABA_ROW_H
#define WABA_ROW_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* The string value, NULL when absent or null. */
const char *row_str(struct json_object *row, const char *key);
/* An id (a string of digits) as a number, 0 when absent. */
int64_t row_id(struct json_object *row, const char *key);
int64_t row_int(struct json_object *row, const char *key);
bool row_bool(struct json_object *row, const char *key);
/*
 * A new row with row's keys, sharing its values: set keys on it, never
 * change a value in place.  json_object_deep_copy() refuses a row that
 * carries a kept answer (render.c), and costs more.
 */
struct json_object *row_copy(struct json_object *row);
/*
 * Sets key of obj (a row, or an answer being built) to the string v, null
 * when v is NULL, or to the integer v.
 */
void row_set_str(struct json_object *obj, const char *key, const char *v);
void row_set_int(struct json_object *obj, const char *key, int64_t v);

#endif
