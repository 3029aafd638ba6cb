/* Dutch working days: public holidays as the Algemene termijnenwet counts them, weekends, and
 * the local date in Europe/Amsterdam, for service norms ("terugbellen binnen 1 werkdag").
 * Pure functions; any thread. Dates are "YYYY-MM-DD" strings or day numbers (days since
 * 1970-01-01, proleptic Gregorian). */
#ifndef OMK_CALENDAR_H
#define OMK_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Day number of a calendar date, and back. */
int64_t omk_cal_days(int y, int m, int d);
void omk_cal_civil(int64_t days, int *y, int *m, int *d);

/* Parses "YYYY-MM-DD" into a day number; false when it is not a valid date. */
bool omk_cal_parse(const char *s, int64_t *days);
/* Writes the day as "YYYY-MM-DD" into out[11]. */
void omk_cal_format(int64_t days, char out[11]);

/* The date of Easter Sunday in year y (Gregorian computus), as a day number. */
int64_t omk_cal_easter(int y);

/* The Dutch name of the public holiday on this day ("Tweede Kerstdag"), or NULL when it is
 * none. Counted as the Algemene termijnenwet (art. 3) does: Nieuwjaarsdag, Tweede Paasdag,
 * Hemelvaartsdag, Tweede Pinksterdag, Koningsdag (27 april, 26 april when the 27th is a
 * Sunday), 5 mei, Eerste en Tweede Kerstdag. Goede Vrijdag is not one. */
const char *omk_cal_holiday(int64_t days);

/* True when the day is Monday to Friday and no public holiday. */
bool omk_cal_is_workday(int64_t days);

/* The n-th working day after `from` (n >= 1); `from` itself when n <= 0. */
int64_t omk_cal_add_workdays(int64_t from, int n);

/* The day number of the local date in Europe/Amsterdam (CET/CEST, EU summer time rules) at
 * epoch microseconds `us`. */
int64_t omk_cal_local_day(int64_t us);

/* The local date and time in Europe/Amsterdam at epoch microseconds `us`: "YYYY-MM-DD HH:MM". */
void omk_cal_local_time(int64_t us, char out[17]);

#endif
