// Fuzzes the model file loaders, then uses what they accept. The first byte picks the mode:
//   0  the rest is a NER model file (NerModel::Parse), then a NerTagger tags a sentence;
//   1  the rest is a NER model *payload*: wrapped here in a valid header (size, CRC, zlib) so
//      the fuzzer reaches the payload parser instead of stopping at the checksum;
//   2  the rest is a relation model file (RelationClassifier::Load), then Predict runs;
//   3  the rest is a relation model payload, wrapped in a valid header the same way.
// A loader must refuse bad bytes with a message: never crash, and never allocate more than the
// file could describe (libFuzzer's -malloc_limit_mb catches a huge allocation).

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "kg/core/gazetteer.h"
#include "kg/core/ner_model.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/relation_classifier.h"

namespace {

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string Compress(std::string_view payload) {
  uLongf size = compressBound(static_cast<uLong>(payload.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(payload.data()),
                static_cast<uLong>(payload.size()), 1) != Z_OK) {
    kg::fuzz::Fail("zlib compress failed");
  }
  out.resize(size);
  return out;
}

// The NER model header of docs/NER.md around `payload`.
std::string WrapNerPayload(std::string_view payload) {
  std::string packed = Compress(payload);
  std::string out = "KGNERMDL";
  PutU32(&out, kg::ner::kNerModelVersion);
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  PutU32(&out, static_cast<uint32_t>(packed.size()));
  PutU32(&out, static_cast<uint32_t>(
                   crc32(0, reinterpret_cast<const Bytef*>(payload.data()),
                         static_cast<uInt>(payload.size()))));
  return out + packed;
}

// The relation model header (relation_classifier.h) around `payload`; the first payload byte
// picks the hash size.
std::string WrapRelationPayload(std::string_view payload) {
  uint32_t hash_bits = 10 + (payload.empty() ? 0 : static_cast<uint8_t>(payload[0]) % 4);
  if (!payload.empty()) payload.remove_prefix(1);
  std::string packed = Compress(payload);
  std::string out = "KGREMDL1";
  PutU32(&out, hash_bits);
  PutU32(&out, 6);  // classes: "no relation" + 5 types
  float threshold = 0.5f;
  uint32_t bits;
  std::memcpy(&bits, &threshold, 4);
  PutU32(&out, bits);
  PutU32(&out, 4);
  out += "fuzz";
  PutU32(&out, static_cast<uint32_t>(packed.size()));
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  return out + packed;
}

const std::vector<std::string>& Sentence() {
  static const std::vector<std::string> words = {
      "Shinzo", "Abe", ",", "the", "Prime", "Minister", "of", "Japan", ",", "met",
      "Vladimir", "Putin", "in", "Nagato", "on", "Dec.", "15", "."};
  return words;
}

void UseNerModel(const std::string& bytes) {
  auto model = kg::ner::NerModel::Parse(bytes, "fuzz.model");
  if (!model) {
    if (model.error().message().empty()) kg::fuzz::Fail("a refusal without a message");
    return;
  }
  auto gazetteer = kg::Gazetteer::Default();
  if (!gazetteer) kg::fuzz::Fail("no gazetteer: " + gazetteer.error().message());
  kg::NerTagger tagger(std::move(*model), *gazetteer);
  for (const auto& span : tagger.TagSentence(Sentence())) {
    if (span.begin >= span.end || span.end > Sentence().size()) kg::fuzz::Fail("bad span");
  }
}

void UseRelationModel(const std::string& bytes) {
  auto path = kg::fuzz::WriteScratchFile("re.model", bytes);
  auto model = kg::RelationClassifier::Load(path);
  if (!model) {
    if (model.error().message().empty()) kg::fuzz::Fail("a refusal without a message");
    return;
  }
  std::vector<kg::Conll04Entity> entities = {
      {0, 2, "Peop"}, {7, 8, "Loc"}, {10, 12, "Peop"}, {13, 14, "Loc"}};
  for (const auto& relation : (*model)->Predict(Sentence(), entities)) {
    if (relation.head >= entities.size() || relation.tail >= entities.size()) {
      kg::fuzz::Fail("a relation naming a missing entity");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest = kg::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      UseNerModel(std::string(rest));
      break;
    case 1:
      UseNerModel(WrapNerPayload(rest));
      break;
    case 2:
      UseRelationModel(std::string(rest));
      break;
    case 3:
      UseRelationModel(WrapRelationPayload(rest));
      break;
  }
  return 0;
}
