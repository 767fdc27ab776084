/*
 * globmatch.c - see globmatch.h.  Used by the journal's path filter and
 * the fault rules' path and field patterns.
 */
#include "globmatch.h"

#include <stddef.h>

/*
 * Iterative: on a mismatch, only the last '*' is retried one character
 * further on, which is enough for '*'-only patterns and keeps the cost at
 * O(len(pattern) * len(s)) with no recursion.
 */
int
glob_match(const char *pattern, const char *s)
{
	const char *p = pattern, *star = NULL, *mark = NULL;

	if (pattern == NULL || s == NULL)
		return 0;
	while (*s != '\0') {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			star = p;
			mark = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star;
			s = ++mark;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}
