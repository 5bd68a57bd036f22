#include "core/timestamps.h"

#include <cstdio>

namespace sessiongate {
namespace {

using std::chrono::duration_cast;

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leapYear(year) ? 29 : days[month - 1];
}

// daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm), so
// no time zone or libc normalisation is involved.
long long daysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear =
      (153 * static_cast<unsigned>(month + (month > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<long long>(dayOfEra) - 719468;
}

// civilFromDays is the inverse of daysFromCivil.
void civilFromDays(long long z, int& year, int& month, int& day) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned dayOfEra = static_cast<unsigned>(z - era * 146097);
  const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const unsigned mp = (5 * dayOfYear + 2) / 153;
  day = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(static_cast<long long>(yearOfEra) + era * 400 + (month <= 2));
}

}  // namespace

std::optional<WallTime> parseTimestamp(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 20 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
      !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59)
    return std::nullopt;
  std::size_t at = 19;
  long long nanos = 0;
  if (s[at] == '.') {
    ++at;
    long long scale = 100'000'000;
    const std::size_t first = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      nanos += (s[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == first) return std::nullopt;
  }
  long long offsetSeconds = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int offsetHours = 0, offsetMinutes = 0;
    if (!digits(s, at + 1, 2, offsetHours) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !digits(s, at + 4, 2, offsetMinutes) || offsetHours > 23 || offsetMinutes > 59)
      return std::nullopt;
    offsetSeconds = (s[at] == '+' ? 1 : -1) * (offsetHours * 3600LL + offsetMinutes * 60LL);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  const long long utc =
      daysFromCivil(year, month, day) * 86400 + hour * 3600LL + minute * 60LL + second - offsetSeconds;
  // WallTime counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11. Beyond, refuse rather than wrap.
  constexpr long long limit =
      std::chrono::duration_cast<std::chrono::seconds>(WallTime::duration::max()).count() - 1;
  if (utc > limit || utc < -limit) return std::nullopt;
  return WallTime(
      duration_cast<WallTime::duration>(std::chrono::seconds(utc) + std::chrono::nanoseconds(nanos)));
}

std::string formatTimestamp(WallTime t, TimestampPrecision precision) {
  const long long micros = duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  long long secs = micros / 1'000'000;
  long long fraction = micros % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    --secs;
  }
  long long days = secs / 86400;
  long long inDay = secs % 86400;
  if (inDay < 0) {
    inDay += 86400;
    --days;
  }
  int year = 0, month = 0, day = 0;
  civilFromDays(days, year, month, day);
  char text[64];
  const int hour = static_cast<int>(inDay / 3600), minute = static_cast<int>(inDay / 60 % 60),
            second = static_cast<int>(inDay % 60);
  if (precision == TimestampPrecision::Micros) {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", year, month, day, hour, minute,
                  second, fraction);
  } else {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute,
                  second);
  }
  return text;
}

}  // namespace sessiongate
