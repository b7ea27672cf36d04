// Value semantics: three-valued equality, comparability, the ORDER BY total order, JSON.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kg/query/value.h"

namespace kg::query {
namespace {

TEST_CASE("equality with null is null, at any depth", "[query][value]") {
  CHECK_FALSE(Equals(Value(), Value()).has_value());
  CHECK_FALSE(Equals(Value(1), Value()).has_value());
  CHECK_FALSE(Equals(Value(List{Value(1), Value()}), Value(List{Value(1), Value()})).has_value());
  // A definite difference wins over an unknown element.
  CHECK(Equals(Value(List{Value(2), Value()}), Value(List{Value(1), Value()})) ==
        std::optional<bool>(false));
  CHECK(Equals(Value(List{Value(1)}), Value(List{Value(1), Value(2)})) ==
        std::optional<bool>(false));
}

TEST_CASE("integers and floats compare by value", "[query][value]") {
  CHECK(Equals(Value(1), Value(1.0)) == std::optional<bool>(true));
  CHECK(Compare(Value(1), Value(1.5)) == std::optional<int>(-1));
  double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(Equals(Value(nan), Value(nan)) == std::optional<bool>(false));
  CHECK_FALSE(Compare(Value(nan), Value(1)).has_value());
  // 2^53 + 1 is not equal to the float 2^53.
  CHECK(Equals(Value(int64_t{9007199254740993}), Value(9007199254740992.0)) ==
        std::optional<bool>(false));
}

TEST_CASE("values of different types are not comparable", "[query][value]") {
  CHECK_FALSE(Compare(Value(1), Value("1")).has_value());
  CHECK_FALSE(Compare(Value(true), Value(1)).has_value());
  CHECK(Compare(Value("a"), Value("b")) == std::optional<int>(-1));
  CHECK(Compare(Value(false), Value(true)) == std::optional<int>(-1));
}

TEST_CASE("ORDER BY puts types in the openCypher order with null last", "[query][value]") {
  std::vector<Value> sorted = {Value(Map{}), Value(List{}), Value("s"), Value(false), Value(1),
                               Value(std::numeric_limits<double>::quiet_NaN()), Value()};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    INFO(i);
    CHECK(OrderCompare(sorted[i], sorted[i + 1]) < 0);
    CHECK(OrderCompare(sorted[i + 1], sorted[i]) > 0);
  }
  CHECK(OrderCompare(Value(), Value()) == 0);
  CHECK(OrderCompare(Value(1), Value(1.0)) == 0);
}

TEST_CASE("JSON properties convert both ways keeping integers and floats apart",
          "[query][value]") {
  auto json = nlohmann::json::parse(R"({"a": 1, "b": 1.5, "c": [1, 2], "d": null, "e": "x"})");
  Value v = FromJson(json);
  REQUIRE(v.type() == Value::Type::kMap);
  CHECK(v.as_map().at("a").type() == Value::Type::kInt);
  CHECK(v.as_map().at("b").type() == Value::Type::kFloat);
  CHECK(ToJson(v) == json);
  CHECK(ToCypherString(v) == "{a: 1, b: 1.5, c: [1, 2], d: null, e: 'x'}");
  CHECK_FALSE(ToPropertyJson(Value(Map{})).has_value());
  CHECK_FALSE(ToPropertyJson(Value(List{Value(List{})})).has_value());
}

TEST_CASE("graph elements print in the TCK notation", "[query][value]") {
  auto n = std::make_shared<NodeData>();
  n->labels = {"B", "A"};
  n->props = {{"name", "x"}};
  CHECK(ToCypherString(Value(NodeRef(n))) == "(:A:B {name: 'x'})");
  auto r = std::make_shared<RelData>();
  r->type = "T";
  CHECK(ToCypherString(Value(RelRef(r))) == "[:T]");
  CHECK(ToCypherString(Value(2.0)) == "2.0");
  CHECK(ToCypherString(Value("it's")) == "'it\\'s'");
}

}  // namespace
}  // namespace kg::query
