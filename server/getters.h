/*
 * getters.h - the getter of each computed field objects.h names, indexed
 * by enum obj_getter; GET_ROW's slot is NULL: render.c copies the row's
 * value for it.
 */
#ifndef WABA_GETTERS_H
#define WABA_GETTERS_H

#include "objects.h"
#include "render.h"

extern const field_get getters[GET__COUNT];

#endif
