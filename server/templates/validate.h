/*
 * validate.h - the component rules of a message template, as Meta documents
 * them (docs/template-components.md lists each rule and its error).  Pure:
 * no store, no clock; the templates handlers call it before any write.
 */
#ifndef WABA_TEMPLATES_VALIDATE_H
#define WABA_TEMPLATES_VALIDATE_H

struct gerr;
struct json_object;

/* Checks a template's components as Meta documents them. 0, or -1 with err
 * set (code 100 with the documented subcode, error_user_title/msg). category:
 * "MARKETING"|"UTILITY"|"AUTHENTICATION"; parameter_format: "POSITIONAL"|"NAMED". */
int template_validate(const char *category, const char *parameter_format,
    struct json_object *components, struct gerr *err);

#endif
