#include "kg/core/status.h"

#include <catch2/catch.hpp>

namespace {

kg::Result<int> Half(int n) {
  if (n % 2 != 0) return kg::Status::InvalidArgument("odd");
  return n / 2;
}

kg::Status Chain(int n) {
  KG_RETURN_IF_ERROR(Half(n).status());
  return kg::Status::Ok();
}

}  // namespace

TEST_CASE("status carries code and message", "[core][status]") {
  auto s = kg::Status::IOError("cannot open x");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == kg::Status::Code::kIOError);
  CHECK(s.ToString() == "IOError: cannot open x");
  CHECK_FALSE(s.IsUserError());
  CHECK(kg::Status::ParseError("1:2").IsUserError());
  CHECK(kg::Status::Ok().ToString() == "OK");
}

TEST_CASE("result holds a value or an error", "[core][status]") {
  auto good = Half(4);
  REQUIRE(good.has_value());
  CHECK(*good == 2);
  auto bad = Half(3);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message() == "odd");
  CHECK(Chain(3).code() == kg::Status::Code::kInvalidArgument);
  CHECK(Chain(2).ok());
}
