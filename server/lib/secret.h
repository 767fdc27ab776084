/*
 * secret.h - comparing secrets (app secrets, the admin token) so that the
 * time an answer takes says nothing about how much of a guess was right.
 */
#ifndef WABA_SECRET_H
#define WABA_SECRET_H

#include <stdbool.h>

/*
 * True when a and b are the same string; false when either is NULL.  Both
 * are hashed first, so the compare takes the same time whatever their
 * lengths and wherever they first differ.
 */
bool secret_equal(const char *a, const char *b);

#endif
