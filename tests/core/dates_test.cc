#include <catch2/catch.hpp>

#include <string>

#include "kg/core/dates.h"

namespace {

std::string Resolve(const std::string& phrase, const std::string& anchor = "2016-12-03") {
  auto a = kg::ParseIsoDate(anchor);
  REQUIRE(a.has_value());
  auto r = kg::ResolveDatePhrase(phrase, *a);
  return r ? r->ToString() : "none";
}

}  // namespace

TEST_CASE("article dates in usual formats normalise to YYYY-MM-DD", "[core][dates]") {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"2016-12-03", "2016-12-03"}, Case{"2016-12-03T10:00:00Z", "2016-12-03"},
                        Case{"2016/12/03", "2016-12-03"}, Case{"20161203", "2016-12-03"},
                        Case{"December 3, 2016", "2016-12-03"}, Case{"Dec. 3, 2016", "2016-12-03"},
                        Case{"3 December 2016", "2016-12-03"},
                        Case{"Sat, 03 Dec 2016 10:00:00 GMT", "2016-12-03"},
                        Case{"12/03/2016", "2016-12-03"}, Case{"1480759200", "2016-12-03"},
                        Case{"1480759200000", "2016-12-03"}}) {
    INFO(c.in);
    auto got = kg::NormalizeDate(c.in);
    REQUIRE(got.has_value());
    CHECK(*got == c.out);
  }
}

TEST_CASE("incomplete or impossible dates are not normalised", "[core][dates]") {
  CHECK_FALSE(kg::NormalizeDate("").has_value());
  CHECK_FALSE(kg::NormalizeDate("yesterday").has_value());
  CHECK_FALSE(kg::NormalizeDate("December 2016").has_value());
  CHECK_FALSE(kg::NormalizeDate("2016-02-30").has_value());
  CHECK_FALSE(kg::ParseIsoDate("2016-13-01").has_value());
}

TEST_CASE("relative date phrases resolve against the article date", "[core][dates]") {
  // 2016-12-03 was a Saturday.
  CHECK(Resolve("yesterday") == "2016-12-02");
  CHECK(Resolve("the previous day") == "2016-12-02");
  CHECK(Resolve("the following day") == "2016-12-04");
  CHECK(Resolve("Thursday") == "2016-12-01");
  CHECK(Resolve("on Thursday") == "2016-12-01");
  CHECK(Resolve("next Thursday") == "2016-12-08");
  CHECK(Resolve("Saturday") == "2016-11-26");
  CHECK(Resolve("next week") == "2016-12-05/2016-12-11");
  CHECK(Resolve("last week") == "2016-11-21/2016-11-27");
  CHECK(Resolve("last month") == "2016-11");
  CHECK(Resolve("next month") == "2017-01");
  CHECK(Resolve("last year") == "2015");
  CHECK(Resolve("in 2014") == "2014");
  CHECK(Resolve("Dec. 16") == "2016-12-16");
  CHECK(Resolve("16 December") == "2016-12-16");
  CHECK(Resolve("Dec. 16, 2015") == "2015-12-16");
  CHECK(Resolve("November") == "2016-11");
  CHECK(Resolve("last December") == "2015-12");
  // A day-month near a year boundary takes the nearest year.
  CHECK(Resolve("Dec. 30", "2017-01-02") == "2016-12-30");
  CHECK(Resolve("Jan. 2", "2016-12-30") == "2017-01-02");
  CHECK(Resolve("the talks") == "none");
  CHECK(Resolve("Feb. 30") == "none");
}

TEST_CASE("civil dates round-trip through days since the epoch", "[core][dates]") {
  for (long days : {-1000000L, -1L, 0L, 59L, 10957L, 17138L, 2932896L}) {
    kg::CivilDate d = kg::CivilDate::FromDaysSinceEpoch(days);
    CHECK(d.DaysSinceEpoch() == days);
  }
  CHECK(kg::CivilDate{1970, 1, 1}.Weekday() == 3);
  CHECK(kg::CivilDate{2016, 12, 16}.Weekday() == 4);
}
