/*
 * versions.c - the Graph versions table of versions.h.
 */
#include "versions.h"

#include <stddef.h>
#include <string.h>

/* A calendar day as yyyymmdd; 0 for an expiry not announced yet. */
#define DAY(y, m, d) ((y)*10000 + (m)*100 + (d))

struct version_row {
	const char *name;
	unsigned major, minor;
	long released; /* DAY() */
	long expires;  /* DAY(); the first day the version is not served */
};

/*
 * name, major, minor, released, expires: oldest first, as Meta's Graph
 * API changelog ("Versions") lists them.
 */
static const struct version_row rows[] = {
	{ "v1.0", 1, 0, DAY(2010, 4, 21), DAY(2015, 4, 30) },
	{ "v2.0", 2, 0, DAY(2014, 4, 30), DAY(2016, 8, 8) },
	{ "v2.1", 2, 1, DAY(2014, 8, 7), DAY(2016, 10, 31) },
	{ "v2.2", 2, 2, DAY(2014, 10, 30), DAY(2017, 3, 27) },
	{ "v2.3", 2, 3, DAY(2015, 3, 25), DAY(2017, 7, 10) },
	{ "v2.4", 2, 4, DAY(2015, 7, 8), DAY(2017, 10, 9) },
	{ "v2.5", 2, 5, DAY(2015, 10, 7), DAY(2018, 4, 12) },
	{ "v2.6", 2, 6, DAY(2016, 4, 12), DAY(2018, 7, 13) },
	{ "v2.7", 2, 7, DAY(2016, 7, 13), DAY(2018, 10, 5) },
	{ "v2.8", 2, 8, DAY(2016, 10, 5), DAY(2019, 4, 18) },
	{ "v2.9", 2, 9, DAY(2017, 4, 18), DAY(2019, 7, 22) },
	{ "v2.10", 2, 10, DAY(2017, 7, 18), DAY(2019, 11, 7) },
	{ "v2.11", 2, 11, DAY(2017, 11, 7), DAY(2020, 1, 28) },
	{ "v2.12", 2, 12, DAY(2018, 1, 30), DAY(2020, 5, 5) },
	{ "v3.0", 3, 0, DAY(2018, 5, 1), DAY(2020, 7, 28) },
	{ "v3.1", 3, 1, DAY(2018, 7, 26), DAY(2020, 10, 27) },
	{ "v3.2", 3, 2, DAY(2018, 10, 23), DAY(2021, 5, 4) },
	{ "v3.3", 3, 3, DAY(2019, 4, 30), DAY(2021, 8, 3) },
	{ "v4.0", 4, 0, DAY(2019, 7, 29), DAY(2021, 11, 2) },
	{ "v5.0", 5, 0, DAY(2019, 10, 29), DAY(2022, 2, 3) },
	{ "v6.0", 6, 0, DAY(2020, 2, 3), DAY(2022, 5, 5) },
	{ "v7.0", 7, 0, DAY(2020, 5, 5), DAY(2022, 8, 4) },
	{ "v8.0", 8, 0, DAY(2020, 8, 4), DAY(2022, 11, 1) },
	{ "v9.0", 9, 0, DAY(2020, 11, 10), DAY(2023, 2, 23) },
	{ "v10.0", 10, 0, DAY(2021, 2, 23), DAY(2023, 6, 8) },
	{ "v11.0", 11, 0, DAY(2021, 6, 8), DAY(2023, 9, 14) },
	{ "v12.0", 12, 0, DAY(2021, 9, 14), DAY(2024, 2, 8) },
	{ "v13.0", 13, 0, DAY(2022, 2, 8), DAY(2024, 5, 28) },
	{ "v14.0", 14, 0, DAY(2022, 5, 25), DAY(2024, 9, 17) },
	{ "v15.0", 15, 0, DAY(2022, 9, 15), DAY(2024, 11, 20) },
	{ "v16.0", 16, 0, DAY(2023, 2, 2), DAY(2025, 5, 14) },
	{ "v17.0", 17, 0, DAY(2023, 5, 23), DAY(2025, 9, 12) },
	{ "v18.0", 18, 0, DAY(2023, 9, 12), DAY(2026, 1, 26) },
	{ "v19.0", 19, 0, DAY(2024, 1, 23), DAY(2026, 5, 21) },
	{ "v20.0", 20, 0, DAY(2024, 5, 21), DAY(2026, 9, 24) },
	{ "v21.0", 21, 0, DAY(2024, 10, 2), DAY(2027, 1, 21) },
	{ "v22.0", 22, 0, DAY(2025, 1, 21), DAY(2027, 5, 20) },
	{ "v23.0", 23, 0, DAY(2025, 5, 29), DAY(2027, 10, 8) },
	{ "v24.0", 24, 0, DAY(2025, 10, 8), DAY(2028, 2, 18) },
	{ "v25.0", 25, 0, DAY(2026, 2, 18), DAY(2028, 7, 29) },
	{ "v26.0", 26, 0, DAY(2026, 7, 29), 0 },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Digits without a leading zero, below 10000; the end in *end. */
static bool
parse_num(const char *s, unsigned *out, const char **end)
{
	unsigned v = 0;
	size_t n = 0;

	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return false;
	for (; s[n] >= '0' && s[n] <= '9'; n++) {
		if (n == 4)
			return false;
		v = v * 10 + (unsigned)(s[n] - '0');
	}
	*out = v;
	*end = s + n;
	return n > 0;
}

bool
versions_parse(const char *v, unsigned *major, unsigned *minor)
{
	const char *p;

	if (v == NULL || v[0] != 'v' || !parse_num(v + 1, major, &p) ||
	    *p != '.' || !parse_num(p + 1, minor, &p))
		return false;
	return *p == '\0';
}

const char *
versions_newest(void)
{
	return rows[NROWS - 1].name;
}

static const struct version_row *
find(const char *v)
{
	size_t i;

	/* newest first: calls name recent versions */
	for (i = NROWS; i-- > 0;)
		if (strcmp(rows[i].name, v) == 0)
			return &rows[i];
	return NULL;
}

static bool
newer(unsigned amaj, unsigned amin, unsigned bmaj, unsigned bmin)
{
	return amaj > bmaj || (amaj == bmaj && amin > bmin);
}

bool
versions_known(const char *v, const char *latest)
{
	const struct version_row *top = &rows[NROWS - 1];
	unsigned maj, min, lmaj, lmin;

	if (find(v) != NULL)
		return true;
	if (latest == NULL || *latest == '\0' ||
	    !versions_parse(v, &maj, &min) ||
	    !versions_parse(latest, &lmaj, &lmin))
		return false;
	return newer(maj, min, top->major, top->minor) &&
	    !newer(maj, min, lmaj, lmin);
}

/* Days since 1970-01-01 of a proleptic Gregorian yyyymmdd. */
static int64_t
day_start(long day)
{
	int64_t y = day / 10000, m = day / 100 % 100, d = day % 100;
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400;
}

static bool
expired(const struct version_row *r, int64_t now)
{
	return r->expires != 0 && now >= day_start(r->expires);
}

const char *
versions_serving(const char *v, int64_t now)
{
	const struct version_row *r = find(v);
	size_t i;

	if (r == NULL || !expired(r, now))
		return v;
	for (i = 0; i < NROWS; i++)
		if (!expired(&rows[i], now))
			return rows[i].name;
	return rows[NROWS - 1].name;
}
