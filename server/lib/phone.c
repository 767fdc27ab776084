/*
 * phone.c - see phone.h.  Only the North American plan has a fixed shape;
 * elsewhere the digits are grouped from the right, a 4 then 3s, the way
 * Graph's display_phone_number shows them.
 */
#include "phone.h"

#include <string.h>

#include "util.h"

char *
phone_display(const char *cc, const char *number)
{
	struct sbuf sb = SBUF_INIT;
	size_t n, first, i;

	cc = cc ? cc : "";
	number = number ? number : "";
	n = strlen(number);
	if (strcmp(cc, "1") == 0 && n == 10)
		return xasprintf("+1 %.3s-%.3s-%.4s", number, number + 3,
		    number + 6);
	sbuf_addf(&sb, "+%s", cc);
	if (n == 0)
		return sbuf_detach(&sb);
	sbuf_addch(&sb, ' ');
	if (n <= 4)
		first = n;
	else
		first = (n - 4) % 3 ? (n - 4) % 3 : 3;
	/* The leftmost group holds what the 4 and the 3s leave over. */
	sbuf_add(&sb, number, first);
	for (i = first; i < n;) {
		size_t g = n - i == 4 ? 4 : 3;

		sbuf_addch(&sb, ' ');
		sbuf_add(&sb, number + i, g);
		i += g;
	}
	return sbuf_detach(&sb);
}
