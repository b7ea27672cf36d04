#include "kg/core/dates.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace kg {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// A word of a date text: lowercase letters, or digits.
struct Word {
  std::string text;
  bool numeric = false;
};

std::vector<Word> SplitWords(std::string_view text) {
  std::vector<Word> words;
  size_t pos = 0;
  while (pos < text.size()) {
    auto c = static_cast<unsigned char>(text[pos]);
    if (std::isalpha(c)) {
      Word w;
      while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) {
        w.text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[pos]))));
        ++pos;
      }
      words.push_back(std::move(w));
    } else if (std::isdigit(c)) {
      Word w;
      w.numeric = true;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        w.text.push_back(text[pos++]);
      }
      // Ordinal suffixes: "16th", "1st".
      if (pos + 1 < text.size()) {
        std::string_view rest = text.substr(pos, 2);
        if (rest == "st" || rest == "nd" || rest == "rd" || rest == "th") pos += 2;
      }
      words.push_back(std::move(w));
    } else {
      ++pos;
    }
  }
  return words;
}

// 1..12 for a month name or its usual abbreviation ("dec", "sept"); 0 otherwise.
int MonthNumber(std::string_view word) {
  if (word.size() < 3) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    std::string_view name = kMonths[i];
    if (word == name || (word.size() <= name.size() && name.substr(0, word.size()) == word &&
                         (word.size() == 3 || word == "sept"))) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

int WeekdayNumber(std::string_view word) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    std::string_view name = kWeekdays[i];
    if (word == name || (word.size() == 3 && name.substr(0, 3) == word)) {
      return static_cast<int>(i);
    }
  }
  if (word == "tues" || word == "thur" || word == "thurs") return word[1] == 'u' ? 1 : 3;
  return -1;
}

long ToLong(std::string_view digits) {
  long value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::optional<std::string> Iso(int year, int month, int day) {
  if (!IsValidDate(year, month, day)) return std::nullopt;
  return CivilDate{year, month, day}.ToIso();
}

CivilDate AddDays(const CivilDate& d, long days) {
  return CivilDate::FromDaysSinceEpoch(d.DaysSinceEpoch() + days);
}

CivilDate AddMonths(const CivilDate& d, int months) {
  int index = d.year * 12 + (d.month - 1) + months;
  return CivilDate{index / 12, index % 12 + 1, 1};
}

ResolvedDate Day(const CivilDate& d) {
  return ResolvedDate{ResolvedDate::Granularity::kDay, d, d};
}

ResolvedDate WeekOf(const CivilDate& d) {
  CivilDate monday = AddDays(d, -d.Weekday());
  return ResolvedDate{ResolvedDate::Granularity::kWeek, monday, AddDays(monday, 6)};
}

ResolvedDate MonthOf(int year, int month) {
  CivilDate first{year, month, 1};
  return ResolvedDate{ResolvedDate::Granularity::kMonth, first,
                      CivilDate{year, month, DaysInMonth(year, month)}};
}

ResolvedDate YearOf(int year) {
  return ResolvedDate{ResolvedDate::Granularity::kYear, CivilDate{year, 1, 1},
                      CivilDate{year, 12, 31}};
}

}  // namespace

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil / civil_from_days.
long CivilDate::DaysSinceEpoch() const {
  int y = year - (month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilDate::FromDaysSinceEpoch(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

int CivilDate::Weekday() const {
  long days = DaysSinceEpoch();  // 1970-01-01 was a Thursday (3)
  long wd = (days + 3) % 7;
  return static_cast<int>(wd < 0 ? wd + 7 : wd);
}

std::string CivilDate::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<CivilDate> ParseIsoDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return std::nullopt;
  }
  CivilDate d{static_cast<int>(ToLong(iso.substr(0, 4))), static_cast<int>(ToLong(iso.substr(5, 2))),
              static_cast<int>(ToLong(iso.substr(8, 2)))};
  if (!IsValidDate(d.year, d.month, d.day)) return std::nullopt;
  return d;
}

std::optional<std::string> NormalizeDate(std::string_view text) {
  // Trim.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (text.empty()) return std::nullopt;
  // All digits: YYYYMMDD, or Unix seconds / milliseconds.
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) {
    if (text.size() == 8) {
      return Iso(static_cast<int>(ToLong(text.substr(0, 4))),
                 static_cast<int>(ToLong(text.substr(4, 2))),
                 static_cast<int>(ToLong(text.substr(6, 2))));
    }
    if (text.size() >= 9 && text.size() <= 13) {
      long seconds = ToLong(text);
      if (text.size() >= 12) seconds /= 1000;
      return CivilDate::FromDaysSinceEpoch(seconds / 86400).ToIso();
    }
    return std::nullopt;
  }
  // YYYY-MM-DD or YYYY/MM/DD or YYYY.MM.DD, possibly followed by a time.
  if (text.size() >= 10 && std::isdigit(static_cast<unsigned char>(text[0])) &&
      (text[4] == '-' || text[4] == '/' || text[4] == '.') && text[7] == text[4]) {
    std::vector<Word> w = SplitWords(text.substr(0, 10));
    if (w.size() == 3 && w[0].text.size() == 4) {
      return Iso(static_cast<int>(ToLong(w[0].text)), static_cast<int>(ToLong(w[1].text)),
                 static_cast<int>(ToLong(w[2].text)));
    }
  }
  std::vector<Word> words = SplitWords(text);
  int year = 0, month = 0, day = 0;
  std::vector<long> numbers;
  for (const Word& w : words) {
    if (w.numeric) {
      long v = ToLong(w.text);
      if (w.text.size() == 4 && year == 0) {
        year = static_cast<int>(v);
      } else {
        numbers.push_back(v);
      }
    } else if (month == 0) {
      month = MonthNumber(w.text);
    }
  }
  if (month != 0) {
    // "December 3, 2016", "3 December 2016", "Sat, 03 Dec 2016 10:00:00": the first small number
    // is the day (times come after the year).
    for (long v : numbers) {
      if (v >= 1 && v <= 31) {
        day = static_cast<int>(v);
        break;
      }
    }
    if (year != 0 && day != 0) return Iso(year, month, day);
    return std::nullopt;
  }
  // US style numeric "12/03/2016" (month first), the usual form in English-language dumps.
  if (year != 0 && numbers.size() >= 2 && words.size() >= 3 && words[0].numeric &&
      words[1].numeric && words[2].numeric && words[2].text.size() == 4) {
    return Iso(year, static_cast<int>(numbers[0]), static_cast<int>(numbers[1]));
  }
  return std::nullopt;
}

std::string ResolvedDate::ToString() const {
  char buf[32];
  switch (granularity) {
    case Granularity::kDay:
      return start.ToIso();
    case Granularity::kWeek:
      return start.ToIso() + "/" + end.ToIso();
    case Granularity::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", start.year, start.month);
      return buf;
    case Granularity::kYear:
      std::snprintf(buf, sizeof buf, "%04d", start.year);
      return buf;
  }
  return start.ToIso();
}

std::optional<ResolvedDate> ResolveDatePhrase(std::string_view phrase, const CivilDate& anchor) {
  if (!IsValidDate(anchor.year, anchor.month, anchor.day)) return std::nullopt;
  std::vector<Word> words = SplitWords(phrase);
  size_t i = 0;
  while (i < words.size() && !words[i].numeric &&
         (words[i].text == "on" || words[i].text == "in" || words[i].text == "the" ||
          words[i].text == "of")) {
    ++i;
  }
  words.erase(words.begin(), words.begin() + static_cast<long>(i));
  if (words.empty()) return std::nullopt;
  auto is = [&](size_t k, std::string_view s) { return k < words.size() && words[k].text == s; };
  const size_t n = words.size();

  if (n == 1 && is(0, "today")) return Day(anchor);
  if (n == 1 && is(0, "yesterday")) return Day(AddDays(anchor, -1));
  if (n == 1 && is(0, "tomorrow")) return Day(AddDays(anchor, 1));
  if (n == 2 && is(1, "day")) {
    if (is(0, "previous") || is(0, "preceding")) return Day(AddDays(anchor, -1));
    if (is(0, "next") || is(0, "following")) return Day(AddDays(anchor, 1));
    if (is(0, "same")) return Day(anchor);
  }
  if (n == 3 && is(0, "day") && is(1, "before") && is(2, "yesterday")) {
    return Day(AddDays(anchor, -2));
  }
  if (n == 3 && is(0, "day") && is(1, "after") && is(2, "tomorrow")) {
    return Day(AddDays(anchor, 2));
  }
  if (n == 2 && is(0, "day") && is(1, "before")) return Day(AddDays(anchor, -1));
  if (n == 2 && is(0, "day") && is(1, "after")) return Day(AddDays(anchor, 1));

  // Optional modifier then a unit, weekday or month name.
  int direction = 0;  // -1 last/previous, 0 bare, +1 next/following, 2 this
  size_t k = 0;
  if (is(0, "last") || is(0, "previous") || is(0, "past") || is(0, "preceding")) {
    direction = -1;
    k = 1;
  } else if (is(0, "next") || is(0, "following") || is(0, "coming")) {
    direction = 1;
    k = 1;
  } else if (is(0, "this") || is(0, "current")) {
    direction = 2;
    k = 1;
  }
  if (k < n && n == k + 1 && !words[k].numeric) {
    const std::string& unit = words[k].text;
    int step = direction == 2 ? 0 : direction;
    if (unit == "week" && direction != 0) return WeekOf(AddDays(anchor, 7L * step));
    if (unit == "month" && direction != 0) {
      CivilDate m = AddMonths(anchor, step);
      return MonthOf(m.year, m.month);
    }
    if (unit == "year" && direction != 0) return YearOf(anchor.year + step);
    int weekday = WeekdayNumber(unit);
    if (weekday >= 0) {
      int today = anchor.Weekday();
      if (direction == 1) {  // next Thursday: the first one after this week's
        int delta = (weekday - today + 7) % 7;
        return Day(AddDays(anchor, delta == 0 ? 7 : delta));
      }
      if (direction == 2) {  // this Thursday: in the anchor's week
        return Day(AddDays(anchor, weekday - today));
      }
      // Bare or "last": news mostly reports the past, so the most recent one before the anchor.
      int delta = (today - weekday + 7) % 7;
      return Day(AddDays(anchor, -(delta == 0 ? 7 : delta)));
    }
    int month = MonthNumber(unit);
    if (month != 0 && unit.size() > 3) {
      int year = anchor.year;
      if (direction == -1 && month >= anchor.month) --year;
      if (direction == 1 && month <= anchor.month) ++year;
      return MonthOf(year, month);
    }
  }
  // "Dec. 16", "16 December", "December 16, 2016", "2014".
  int month = 0, day = 0, year = 0;
  for (const Word& w : words) {
    if (w.numeric) {
      long v = ToLong(w.text);
      if (w.text.size() == 4) {
        year = static_cast<int>(v);
      } else if (v >= 1 && v <= 31 && day == 0) {
        day = static_cast<int>(v);
      } else {
        return std::nullopt;
      }
    } else if (int m = MonthNumber(w.text); m != 0 && month == 0) {
      month = m;
    } else {
      return std::nullopt;
    }
  }
  if (month != 0 && day != 0) {
    if (year != 0) {
      if (!IsValidDate(year, month, day)) return std::nullopt;
      return Day(CivilDate{year, month, day});
    }
    // The year that puts the day nearest the anchor: "Dec. 16" in a January article is last
    // December.
    std::optional<ResolvedDate> best;
    long best_distance = 0;
    for (int y = anchor.year - 1; y <= anchor.year + 1; ++y) {
      if (!IsValidDate(y, month, day)) continue;
      CivilDate candidate{y, month, day};
      long distance = std::labs(candidate.DaysSinceEpoch() - anchor.DaysSinceEpoch());
      if (!best || distance < best_distance) {
        best = Day(candidate);
        best_distance = distance;
      }
    }
    return best;
  }
  if (month != 0 && year != 0 && day == 0) return MonthOf(year, month);
  if (month == 0 && day == 0 && year != 0) return YearOf(year);
  return std::nullopt;
}

}  // namespace kg
