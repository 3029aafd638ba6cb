/* Dutch working days and the Europe/Amsterdam local date (see omk/calendar.h). The civil
 * date conversions are Howard Hinnant's days_from_civil / civil_from_days algorithms. */
#include <stddef.h>

#include "omk/calendar.h"

int64_t omk_cal_days(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void omk_cal_civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_days(int y, int m)
{
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : DAYS[m - 1];
}

bool omk_cal_parse(const char *s, int64_t *days)
{
    int v[8];
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (!s[i] || (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')))
            return false;
    }
    if (s[10])
        return false;
    for (int i = 0, k = 0; i < 10; i++)
        if (i != 4 && i != 7)
            v[k++] = s[i] - '0';
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5],
        d = v[6] * 10 + v[7];
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return false;
    *days = omk_cal_days(y, m, d);
    return true;
}

void omk_cal_format(int64_t days, char out[11])
{
    int y, m, d;
    omk_cal_civil(days, &y, &m, &d);
    y = y < 0 ? 0 : y % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int64_t omk_cal_easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25,
        g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4,
        l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return omk_cal_days(y, month, day);
}

/* 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t days)
{
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

const char *omk_cal_holiday(int64_t days)
{
    int y, m, d;
    omk_cal_civil(days, &y, &m, &d);
    if (m == 1 && d == 1)
        return "Nieuwjaarsdag";
    if (m == 5 && d == 5)
        return "Bevrijdingsdag";
    if (m == 12 && d == 25)
        return "Eerste Kerstdag";
    if (m == 12 && d == 26)
        return "Tweede Kerstdag";
    int64_t koning = omk_cal_days(y, 4, 27);
    if (weekday(koning) == 6)
        koning--;
    if (days == koning)
        return "Koningsdag";
    int64_t pasen = omk_cal_easter(y);
    if (days == pasen + 1)
        return "Tweede Paasdag";
    if (days == pasen + 39)
        return "Hemelvaartsdag";
    if (days == pasen + 50)
        return "Tweede Pinksterdag";
    return NULL;
}

bool omk_cal_is_workday(int64_t days)
{
    return weekday(days) < 5 && !omk_cal_holiday(days);
}

int64_t omk_cal_add_workdays(int64_t from, int n)
{
    int64_t day = from;
    for (int i = 0; i < n; i++)
        do
            day++;
        while (!omk_cal_is_workday(day));
    return day;
}

/* Summer time in the EU runs from the last Sunday of March 01:00 UTC to the last Sunday of
 * October 01:00 UTC. */
static int64_t last_sunday_utc_us(int y, int m)
{
    int64_t last = omk_cal_days(y, m, 31);
    last -= (weekday(last) + 1) % 7;
    return (last * 86400 + 3600) * 1000000;
}

/* Seconds since the epoch of the local time in Europe/Amsterdam at epoch microseconds us. */
static int64_t local_seconds(int64_t us)
{
    int64_t s = us / 1000000 - (us % 1000000 < 0);
    int64_t day = s / 86400 - (s % 86400 < 0);
    int y, m, d;
    omk_cal_civil(day, &y, &m, &d);
    bool summer = us >= last_sunday_utc_us(y, 3) && us < last_sunday_utc_us(y, 10);
    return s + (summer ? 7200 : 3600);
}

int64_t omk_cal_local_day(int64_t us)
{
    int64_t local = local_seconds(us);
    return local / 86400 - (local % 86400 < 0);
}

void omk_cal_local_time(int64_t us, char out[17])
{
    int64_t local = local_seconds(us);
    int64_t day = local / 86400 - (local % 86400 < 0), sec = local - day * 86400;
    int h = (int)(sec / 3600), m = (int)(sec % 3600 / 60);
    omk_cal_format(day, out);
    out[10] = ' ';
    out[11] = (char)('0' + h / 10);
    out[12] = (char)('0' + h % 10);
    out[13] = ':';
    out[14] = (char)('0' + m / 10);
    out[15] = (char)('0' + m % 10);
    out[16] = '\0';
}
