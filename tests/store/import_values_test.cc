// The bulk import's direct encoders write exactly what the general encoders (values.h) write.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../../store/src/import_values.h"
#include "../../store/src/values.h"

namespace kg::store::internal {
namespace {

std::string GeneralImportEvidence(const std::string& doc_id, double weight, int64_t polarity) {
  Evidence ev;
  ev.rule = "import";
  ev.confidence = weight;
  ev.properties = {{"doc_id", doc_id}, {"weight", weight}, {"polarity", polarity}};
  return EncodeEvidence(ev);
}

std::string GeneralImportNode(const std::string& name, const std::string& label) {
  Properties props = EmptyProperties();
  props["name"] = name;
  props["aliases"] = nlohmann::json::array();
  return EncodeNode(NodeRecord{{label}, std::move(props), {{label, 1}}});
}

const std::vector<std::string> kTexts = {
    "", "d", std::string(23, 'x'), std::string(24, 'y'), std::string(255, 'z'),
    std::string(256, 'a'), std::string(65535, 'b'), std::string(65536, 'c'), "caf\xC3\xA9 \"q\",1"};

TEST_CASE("Import evidence is encoded as EncodeEvidence encodes it", "[store][import_values]") {
  const double kInf = std::numeric_limits<double>::infinity();
  const double kFloatMax = std::numeric_limits<float>::max();
  const std::vector<double> weights = {
      0.0, -0.0, 1.0, 0.5, 0.1, -2.75, 1e300, -1e-300, 3.0e38, kFloatMax, kFloatMax * 1.0000001,
      -kFloatMax, 1e-45, 1.401298464324817e-45, std::nan(""), kInf, -kInf, 123456789.0, 16777217.0};
  const std::vector<int64_t> polarities = {
      0, 1, -1, 23, 24, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL, -24, -25, -256, -257,
      -65536, -65537, -4294967296LL, -4294967297LL, std::numeric_limits<int64_t>::max(),
      std::numeric_limits<int64_t>::min()};
  for (double w : weights) {
    for (int64_t p : polarities) {
      std::string fast;
      AppendImportEvidence(&fast, "doc-17", w, p);
      INFO("weight " << w << " polarity " << p);
      REQUIRE(fast == GeneralImportEvidence("doc-17", w, p));
    }
  }
  for (const auto& doc : kTexts) {
    std::string fast = "prefix";  // appends, leaving what was there
    AppendImportEvidence(&fast, doc, 0.25, -1);
    INFO("doc_id of " << doc.size() << " bytes");
    REQUIRE(fast == "prefix" + GeneralImportEvidence(doc, 0.25, -1));
  }
}

TEST_CASE("Import nodes are encoded as EncodeNode encodes them", "[store][import_values]") {
  const std::vector<std::string> labels = {"Person", "Other", "", std::string(30, 'L')};
  for (const auto& name : kTexts) {
    for (const auto& label : labels) {
      INFO("name of " << name.size() << " bytes, label '" << label << "'");
      REQUIRE(EncodeImportNode(name, label) == GeneralImportNode(name, label));
    }
  }
  auto decoded = DecodeNode(EncodeImportNode("Ada Lovelace", "Person"));
  REQUIRE(decoded);
  CHECK(decoded->labels == std::vector<std::string>{"Person"});
  CHECK(decoded->properties["name"] == "Ada Lovelace");
  CHECK(decoded->label_votes.at("Person") == 1);
}

}  // namespace
}  // namespace kg::store::internal
