#pragma once
// Calendar dates of articles and of date phrases inside them. An article's own date is
// normalised to YYYY-MM-DD (DocumentInfo::date); phrases such as "next week", "Thursday",
// "the previous day" or "Dec. 16" are resolved against that date by ResolveDatePhrase, which the
// extractor calls. Pure functions, thread-safe; proleptic Gregorian calendar, no time zones.

#include <optional>
#include <string>
#include <string_view>

namespace kg {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  // Days since 1970-01-01 (negative before).
  long DaysSinceEpoch() const;
  static CivilDate FromDaysSinceEpoch(long days);
  // 0 = Monday .. 6 = Sunday.
  int Weekday() const;
  std::string ToIso() const;  // "2016-12-16"
  bool operator==(const CivilDate&) const = default;
};

// True for a real calendar day (month 1..12, day within the month, year 1..9999).
bool IsValidDate(int year, int month, int day);

// Parses an ISO date "2016-12-16"; nullopt unless it is exactly that shape and a real day.
std::optional<CivilDate> ParseIsoDate(std::string_view iso);

// Normalises an article date written in a usual way to YYYY-MM-DD: ISO 8601 with or without a
// time ("2016-12-03T10:00:00Z"), "2016/12/03", "20161203", "December 3, 2016", "Dec. 3, 2016",
// "3 December 2016", RFC 822 ("Sat, 03 Dec 2016 10:00:00 GMT"), US "12/03/2016", and Unix
// seconds or milliseconds given as digits. Returns nullopt when it finds no complete date.
std::optional<std::string> NormalizeDate(std::string_view text);

// What a date phrase denotes: a day, a week (Monday..Sunday), a month or a year.
struct ResolvedDate {
  enum class Granularity { kDay, kWeek, kMonth, kYear };
  Granularity granularity = Granularity::kDay;
  CivilDate start;  // first day of the period
  CivilDate end;    // last day of the period (== start for kDay)
  // "2016-12-16", "2016-12-12/2016-12-18" (week), "2016-12" or "2016".
  std::string ToString() const;
};

// Resolves `phrase` (case-insensitive; a leading "on"/"in"/"the" is ignored) against `anchor`,
// the article's date. Understood: today, yesterday, tomorrow, the previous/next/following day,
// the day before/after, weekday names (bare = the most recent such day before the anchor, with
// "last", "next", "this"), this/last/next/the previous/the following week|month|year, month
// names ("December", "last December"), "Dec. 16" / "16 December" (the year that puts it nearest
// the anchor), full dates ("Dec. 16, 2016") and years ("2014"). nullopt when not understood.
std::optional<ResolvedDate> ResolveDatePhrase(std::string_view phrase, const CivilDate& anchor);

}  // namespace kg
