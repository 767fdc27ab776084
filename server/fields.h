/*
 * fields.h - the fields= selection language:
 *	a,b,edge.limit(2).as(x){c,d},analytics.start(1).end(2).granularity(DAY)
 *
 * Ownership: fields_parse() returns a tree the caller frees with
 * fieldlist_free().
 */
#ifndef WABA_FIELDS_H
#define WABA_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "gerr.h"

struct fieldlist;

struct field {
	char *name;
	char *alias;           /* .as(x), NULL when absent */
	long limit;            /* .limit(n), -1 when absent */
	char *start;           /* .start(...), raw argument, NULL when absent */
	char *end;             /* .end(...) */
	char *granularity;     /* .granularity(...) */
	bool summary;          /* .summary(true), (1) or (total_count) */
	struct fieldlist *sub; /* {...}, NULL when absent */
};

struct fieldlist {
	struct field *v;
	size_t n;
};

/*
 * Parses s.  Returns 0, or -1 with a 2500 error in Graph's words:
 * Syntax error "Expected name." at character N: <s>
 * (duplicates: "Field x specified more than once. This is only possible
 * before version 2.1").
 */
int fields_parse(const char *s, struct fieldlist **out, struct gerr *err);
void fieldlist_free(struct fieldlist *fl);
/* The field named name, or NULL. */
const struct field *fieldlist_find(const struct fieldlist *fl,
    const char *name);

#endif
