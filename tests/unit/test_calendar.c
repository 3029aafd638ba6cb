/* Unit tests for src/core/calendar.c: Dutch public holidays, working days, local date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "omk/calendar.h"

static int64_t day(const char *s)
{
    int64_t d = 0;
    assert_true(omk_cal_parse(s, &d));
    return d;
}

static void calendar_round_trips_dates(void **state)
{
    (void)state;
    char out[11];
    omk_cal_format(day("2026-12-31"), out);
    assert_string_equal(out, "2026-12-31");
    omk_cal_format(day("2024-02-29"), out);
    assert_string_equal(out, "2024-02-29");
    int64_t d;
    assert_false(omk_cal_parse("2025-02-29", &d));
    assert_false(omk_cal_parse("2025-13-01", &d));
    assert_false(omk_cal_parse("2025-1-01", &d));
    assert_int_equal(day("1970-01-01"), 0);
}

static void calendar_knows_easter(void **state)
{
    (void)state;
    assert_int_equal(omk_cal_easter(2024), day("2024-03-31"));
    assert_int_equal(omk_cal_easter(2025), day("2025-04-20"));
    assert_int_equal(omk_cal_easter(2026), day("2026-04-05"));
    assert_int_equal(omk_cal_easter(2027), day("2027-03-28"));
}

static void calendar_names_dutch_holidays(void **state)
{
    (void)state;
    assert_string_equal(omk_cal_holiday(day("2026-04-06")), "Tweede Paasdag");
    assert_string_equal(omk_cal_holiday(day("2026-05-14")), "Hemelvaartsdag");
    assert_string_equal(omk_cal_holiday(day("2026-05-25")), "Tweede Pinksterdag");
    assert_string_equal(omk_cal_holiday(day("2026-04-27")), "Koningsdag");
    /* 27 April 2025 was a Sunday: Koningsdag moved to Saturday the 26th. */
    assert_string_equal(omk_cal_holiday(day("2025-04-26")), "Koningsdag");
    assert_null(omk_cal_holiday(day("2025-04-27")));
    assert_string_equal(omk_cal_holiday(day("2026-12-26")), "Tweede Kerstdag");
    assert_null(omk_cal_holiday(day("2026-04-03"))); /* Goede Vrijdag is not one */
    assert_null(omk_cal_holiday(day("2026-06-01")));
}

static void calendar_adds_workdays_over_weekends_and_holidays(void **state)
{
    (void)state;
    /* Thursday 24 December 2026: Christmas Friday and Saturday, then Sunday. */
    assert_int_equal(omk_cal_add_workdays(day("2026-12-24"), 1), day("2026-12-28"));
    assert_int_equal(omk_cal_add_workdays(day("2026-12-24"), 2), day("2026-12-29"));
    /* Friday to Monday, and Thursday before Easter to the Tuesday after Tweede Paasdag. */
    assert_int_equal(omk_cal_add_workdays(day("2026-11-27"), 1), day("2026-11-30"));
    assert_int_equal(omk_cal_add_workdays(day("2026-04-02"), 2), day("2026-04-07"));
    /* A request on a Saturday: the first working day is Monday. */
    assert_int_equal(omk_cal_add_workdays(day("2026-11-28"), 1), day("2026-11-30"));
    assert_int_equal(omk_cal_add_workdays(day("2026-11-30"), 0), day("2026-11-30"));
    assert_true(omk_cal_is_workday(day("2026-11-30")));
    assert_false(omk_cal_is_workday(day("2026-11-29")));
}

static void calendar_local_day_follows_amsterdam_time(void **state)
{
    (void)state;
    /* 23:30 UTC in winter is 00:30 the next day in Amsterdam; 22:30 UTC in summer too. */
    int64_t winter = (day("2026-01-10") * 86400 + 23 * 3600 + 1800) * 1000000LL;
    assert_int_equal(omk_cal_local_day(winter), day("2026-01-11"));
    int64_t summer = (day("2026-07-10") * 86400 + 22 * 3600 + 1800) * 1000000LL;
    assert_int_equal(omk_cal_local_day(summer), day("2026-07-11"));
    int64_t summer_early = (day("2026-07-10") * 86400 + 21 * 3600 + 1800) * 1000000LL;
    assert_int_equal(omk_cal_local_day(summer_early), day("2026-07-10"));
    char t[17];
    omk_cal_local_time(winter, t);
    assert_string_equal(t, "2026-01-11 00:30");
    omk_cal_local_time(summer_early, t);
    assert_string_equal(t, "2026-07-10 23:30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_round_trips_dates),
        cmocka_unit_test(calendar_knows_easter),
        cmocka_unit_test(calendar_names_dutch_holidays),
        cmocka_unit_test(calendar_adds_workdays_over_weekends_and_holidays),
        cmocka_unit_test(calendar_local_day_follows_amsterdam_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
