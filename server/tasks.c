/*
 * tasks.c - the task names of tasks.h.
 */
#include "tasks.h"

#include <stddef.h>
#include <string.h>

const char *const task_names[] = {
#define X(t) #t,
	WABA_TASKS(X)
#undef X
	    NULL
};

int
task_index(const char *name)
{
	int i;

	for (i = 0; name != NULL && task_names[i] != NULL; i++)
		if (strcmp(task_names[i], name) == 0)
			return i;
	return -1;
}
