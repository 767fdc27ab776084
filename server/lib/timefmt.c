/*
 * timefmt.c - see timefmt.h.  The daylight-saving rule is computed here
 * rather than read from the system's zone files, so the text does not
 * depend on the machine's tzdata or TZ.
 */
#include "timefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Day of the month of the first Sunday of month mon (0-11) of year. */
static int
first_sunday(int year, int mon)
{
	struct tm probe;
	time_t p;

	memset(&probe, 0, sizeof(probe));
	probe.tm_year = year;
	probe.tm_mon = mon;
	probe.tm_mday = 1;
	p = timegm(&probe);
	gmtime_r(&p, &probe);
	return 1 + (7 - probe.tm_wday) % 7;
}

/*
 * Pacific time with US daylight saving (2nd Sunday of March to 1st of
 * November).
 */
void
timefmt_pacific(int64_t t, char *buf, unsigned long len)
{
	static const char *const days[] = { "Sunday", "Monday", "Tuesday",
		"Wednesday", "Thursday", "Friday", "Saturday" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t pst = (time_t)(t - 8 * 3600);
	struct tm tm;
	bool dst = false;
	int second_sun_mar, first_sun_nov;

	if (gmtime_r(&pst, &tm) == NULL) {
		snprintf(buf, len, "an unrepresentable date");
		return;
	}
	second_sun_mar = first_sunday(tm.tm_year, 2) + 7;
	first_sun_nov = first_sunday(tm.tm_year, 10);
	if (tm.tm_mon > 2 && tm.tm_mon < 10)
		dst = true;
	else if (tm.tm_mon == 2)
		dst = tm.tm_mday > second_sun_mar ||
		    (tm.tm_mday == second_sun_mar && tm.tm_hour >= 2);
	else if (tm.tm_mon == 10)
		dst = tm.tm_mday < first_sun_nov ||
		    (tm.tm_mday == first_sun_nov && tm.tm_hour < 1);
	if (dst) {
		pst += 3600;
		gmtime_r(&pst, &tm);
	}
	snprintf(buf, len, "%s, %02d-%s-%02d %02d:%02d:%02d %s",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year % 100,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, dst ? "PDT" : "PST");
}
