#include "controller/reconcile/timestamps.h"

#include <cstdio>
#include <ctime>

namespace sessiongate::controller {

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string formatSeconds(WallTime t, std::tm& tm) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace

WallClock systemWallClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::optional<WallTime> parseTimestamp(std::string_view s) {
  std::tm tm{};
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
      !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::chrono::microseconds fraction{0};
  if (s[at] == '.') {
    ++at;
    long long micros = 0;
    int count = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      if (count < 6) micros = micros * 10 + (s[at] - '0'), ++count;
      ++at;
    }
    if (count == 0) return std::nullopt;
    while (count++ < 6) micros *= 10;
    fraction = std::chrono::microseconds(micros);
  }
  int offsetSeconds = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
  } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
    int oh, om;
    if (!digits(s, at + 1, 2, oh) || !digits(s, at + 4, 2, om)) return std::nullopt;
    offsetSeconds = (oh * 3600 + om * 60) * (s[at] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t secs = timegm(&tm) - offsetSeconds;
  return std::chrono::system_clock::from_time_t(secs) + fraction;
}

std::string formatTimestamp(WallTime t) {
  std::tm tm{};
  return formatSeconds(t, tm) + "Z";
}

std::string formatMicroTime(WallTime t) {
  std::tm tm{};
  std::string seconds = formatSeconds(t, tm);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count() % 1000000;
  if (micros < 0) micros += 1000000;
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%06lldZ", static_cast<long long>(micros));
  return seconds + buf;
}

}  // namespace sessiongate::controller
