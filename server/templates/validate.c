/*
 * validate.c - PLACEHOLDER until the component validator lands: it only
 * checks that components is an array of objects with exactly one BODY.
 * The full rules (validate.h) replace this file as a whole.
 */
#include "templates/validate.h"

#include <json-c/json.h>
#include <string.h>

#include "gerr.h"

int
template_validate(const char *category, const char *parameter_format,
    struct json_object *components, struct gerr *err)
{
	size_t i, n, bodies = 0;

	(void)category;
	(void)parameter_format;
	if (!json_object_is_type(components, json_type_array))
		return gerr_set(err, GE_PARAM,
		    "(#100) Param components must be an array");
	n = json_object_array_length(components);
	for (i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(components,
		    i), *type;

		if (!json_object_is_type(c, json_type_object))
			return gerr_set(err, GE_PARAM, "(#100) Param "
			    "components[%zu] must be an object", i);
		if (json_object_object_get_ex(c, "type", &type) &&
		    json_object_is_type(type, json_type_string) &&
		    strcmp(json_object_get_string(type), "BODY") == 0)
			bodies++;
	}
	if (bodies != 1)
		return gerr_set(err, GE_PARAM, "(#100) Param components must "
		    "have exactly one BODY component");
	return 0;
}
