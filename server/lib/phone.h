/*
 * phone.h - how a phone number is written for display.
 */
#ifndef WABA_PHONE_H
#define WABA_PHONE_H

/* "+1 555-010-0200" for cc 1, "+<cc> <groups>" otherwise; caller frees. */
char *phone_display(const char *cc, const char *number);

#endif
