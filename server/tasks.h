/*
 * tasks.h - the tasks a user can hold on a WABA, listed once: the index
 * and bit of each, and their names for validation and messages.  The ten
 * of the WABA reference page, then the granular tasks Meta's "Manage
 * System Users" guide adds for partners (VIEW_INSIGHTS, MANAGE_USERS,
 * MANAGE_BILLING).  What each grants is perm_tasks() in auth.c.
 */
#ifndef WABA_TASKS_H
#define WABA_TASKS_H

#define WABA_TASKS(X) \
	X(MANAGE) \
	X(DEVELOP) \
	X(MANAGE_TEMPLATES) \
	X(MANAGE_PHONE) \
	X(VIEW_COST) \
	X(MANAGE_EXTENSIONS) \
	X(VIEW_PHONE_ASSETS) \
	X(MANAGE_PHONE_ASSETS) \
	X(VIEW_TEMPLATES) \
	X(MESSAGING) \
	X(VIEW_INSIGHTS) \
	X(MANAGE_USERS) \
	X(MANAGE_BILLING)

enum task_index {
#define X(t) TASK_##t,
	WABA_TASKS(X)
#undef X
	TASK__COUNT
};

#define TASK_BIT(t) (1u << TASK_##t)
#define TASK_ALL ((1u << TASK__COUNT) - 1)

/* The names in index order, NULL-terminated. */
extern const char *const task_names[];
/* The index of a task name, -1 when it is none. */
int task_index(const char *name);

#endif
