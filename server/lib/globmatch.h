/*
 * globmatch.h - '*' wildcard matching, the only pattern syntax the control
 * plane's filters and fault rules accept.
 */
#ifndef WABA_GLOBMATCH_H
#define WABA_GLOBMATCH_H

/* '*' matches any run of characters; the whole of s must match. */
int glob_match(const char *pattern, const char *s);

#endif
