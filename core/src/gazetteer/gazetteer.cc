#include "kg/core/gazetteer.h"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kg/core/data_path.h"
#include "kg/core/labels.h"

namespace kg {
namespace {

// Lower is preferred when one key has several entries.
int KindRank(GazetteerKind kind) {
  switch (kind) {
    case GazetteerKind::kName: return 0;
    case GazetteerKind::kAlias: return 1;
    case GazetteerKind::kCode: return 2;
    case GazetteerKind::kCapital: return 3;
    case GazetteerKind::kDemonym: return 4;
  }
  return 5;
}

std::vector<std::string> SplitOn(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    out.emplace_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string Trim(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && (text[b] == ' ' || text[b] == '\r')) ++b;
  while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\r')) --e;
  return std::string(text.substr(b, e - b));
}

std::vector<std::string> SplitList(std::string_view field) {
  std::vector<std::string> out;
  for (auto& item : SplitOn(field, '|')) {
    auto trimmed = Trim(item);
    if (!trimmed.empty()) out.push_back(std::move(trimmed));
  }
  return out;
}

// One data row of a table: its fields and its line number for error messages.
struct Row {
  size_t line = 0;
  std::vector<std::string> fields;
};

Result<std::vector<Row>> ReadTable(const std::filesystem::path& path, size_t min_fields,
                                   size_t max_fields) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("gazetteer file " + path.string() + " is missing");
  std::vector<Row> rows;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Row row{line_no, SplitOn(line, '\t')};
    for (auto& f : row.fields) f = Trim(f);
    if (row.fields.size() < min_fields || row.fields.size() > max_fields || row.fields[0].empty()) {
      return Status::ParseError(path.string() + ":" + std::to_string(line_no) + ": expected " +
                                std::to_string(min_fields) + ".." + std::to_string(max_fields) +
                                " tab-separated fields, got " + std::to_string(row.fields.size()));
    }
    rows.push_back(std::move(row));
  }
  if (in.bad()) return Status::IOError("cannot read " + path.string());
  return rows;
}

std::string RowError(const std::filesystem::path& path, const Row& row, const std::string& what) {
  return path.string() + ":" + std::to_string(row.line) + ": " + what;
}

// Short all-capital forms ("WHO", "US", "AU", "U.S.") are often ordinary words in lower case.
bool MatchesOnlyAsWritten(std::string_view surface) {
  size_t letters = 0;
  for (char c : surface) {
    if (c == '.') continue;
    if (c < 'A' || c > 'Z') return false;
    ++letters;
  }
  return letters > 0 && letters <= 4;
}

bool SameEntry(const GazetteerEntry& a, const GazetteerEntry& b) {
  return a.canonical == b.canonical && a.label == b.label && a.kind == b.kind;
}

void AddSorted(std::vector<const GazetteerEntry*>& list, const GazetteerEntry* e) {
  list.push_back(e);
  std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
    return KindRank(a->kind) < KindRank(b->kind);
  });
}

}  // namespace

std::string_view GazetteerKindName(GazetteerKind kind) {
  switch (kind) {
    case GazetteerKind::kName: return "name";
    case GazetteerKind::kAlias: return "alias";
    case GazetteerKind::kCode: return "code";
    case GazetteerKind::kDemonym: return "demonym";
    case GazetteerKind::kCapital: return "capital";
  }
  return "unknown";
}

namespace {

// Appends `text` (after a space when `separate`) to the normalised key `key`, giving what
// NormalizeKey(key + " " + text) gives: normalising a normalised key again leaves it as it is
// (no capitals, single spaces, none at its ends or beside '-' and '/'), so the key is continued
// instead of rebuilt. Written through a pointer: push_back per byte was most of its cost.
void AppendToKey(std::string* key, std::string_view text, bool separate) {
  size_t n = key->size();
  key->resize(n + text.size() + (separate ? 1 : 0));
  char* out = key->data();
  auto add = [&](char c) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (n > 0 && out[n - 1] != ' ' && out[n - 1] != '-' && out[n - 1] != '/') out[n++] = ' ';
      return;
    }
    if ((c == '-' || c == '/') && n > 0 && out[n - 1] == ' ') --n;
    out[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  if (separate) add(' ');
  for (char c : text) add(c);
  if (n > 0 && out[n - 1] == ' ') --n;
  key->resize(n);
}

}  // namespace

std::string Gazetteer::NormalizeKey(std::string_view text) {
  std::string out;
  AppendToKey(&out, text, /*separate=*/false);
  return out;
}


void Gazetteer::Add(std::string_view surface, GazetteerEntry entry) {
  auto key = NormalizeKey(surface);
  if (key.empty()) return;
  bool exact = entry.kind == GazetteerKind::kCode || MatchesOnlyAsWritten(surface);
  auto& list = exact ? exact_[std::string(surface)] : index_[key];
  for (const auto* existing : list) {
    if (SameEntry(*existing, entry)) return;  // e.g. the ISO name equals the canonical name
  }
  entries_.push_back(std::make_unique<GazetteerEntry>(std::move(entry)));
  AddSorted(list, entries_.back().get());
  if (exact) return;
  // Record the token prefixes so LongestMatchAt can stop as soon as no key continues.
  size_t tokens = 1;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == ' ') {
      prefixes_.insert(key.substr(0, i));
      ++tokens;
    }
  }
  max_tokens_ = std::max(max_tokens_, tokens);
}

Status Gazetteer::LoadIso(const std::filesystem::path& path,
                          const std::unordered_map<std::string, std::string>& preferred) {
  std::ifstream in(path);
  if (!in) {
    return Status::NotFound("ISO 3166-1 file " + path.string() +
                            " is missing (install Debian's iso-codes package)");
  }
  nlohmann::json doc;
  try {
    in >> doc;
    for (const auto& c : doc.at("3166-1")) {
      auto alpha2 = c.at("alpha_2").get<std::string>();
      auto name = c.at("name").get<std::string>();
      std::string canonical = c.value("common_name", name);
      if (auto it = preferred.find(alpha2); it != preferred.end()) canonical = it->second;
      countries_.insert(canonical);
      std::string label(labels::kCountry);
      Add(canonical, {canonical, label, GazetteerKind::kName, ""});
      // ISO's "Korea, Republic of" style names are not how text names a country.
      if (name.find(',') == std::string::npos) {
        Add(name, {canonical, label, GazetteerKind::kName, ""});
      }
      if (c.contains("official_name")) {
        Add(c.at("official_name").get<std::string>(), {canonical, label, GazetteerKind::kName, ""});
      }
      if (c.contains("common_name")) {
        Add(c.at("common_name").get<std::string>(), {canonical, label, GazetteerKind::kName, ""});
      }
      Add(alpha2, {canonical, label, GazetteerKind::kCode, ""});
      Add(c.at("alpha_3").get<std::string>(), {canonical, label, GazetteerKind::kCode, ""});
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(path.string() + ": " + e.what());
  }
  return Status::Ok();
}

Status Gazetteer::LoadTables(const std::filesystem::path& dir) {
  auto countries = ReadTable(dir / "countries.tsv", 2, 3);
  KG_RETURN_IF_ERROR(countries.status());
  std::unordered_map<std::string, std::string> preferred;
  for (const auto& row : *countries) preferred[row.fields[0]] = row.fields[1];

  KG_RETURN_IF_ERROR(LoadIso(iso_path_, preferred));
  const std::string country_label(labels::kCountry);
  for (const auto& row : *countries) {
    const auto& canonical = row.fields[1];
    if (!countries_.count(canonical)) {  // a country ISO 3166-1 lacks (Kosovo)
      countries_.insert(canonical);
      Add(canonical, {canonical, country_label, GazetteerKind::kName, ""});
      Add(row.fields[0], {canonical, country_label, GazetteerKind::kCode, ""});
    }
    if (row.fields.size() > 2) {
      for (const auto& alias : SplitList(row.fields[2])) {
        Add(alias, {canonical, country_label, GazetteerKind::kAlias, ""});
      }
    }
  }

  auto check_country = [&](const std::filesystem::path& path, const Row& row,
                           const std::string& country) -> Status {
    if (countries_.count(country)) return Status::Ok();
    return Status::ParseError(RowError(path, row, "unknown country '" + country + "'"));
  };

  auto demonyms_path = dir / "demonyms.tsv";
  auto demonyms = ReadTable(demonyms_path, 2, 2);
  KG_RETURN_IF_ERROR(demonyms.status());
  for (const auto& row : *demonyms) {
    KG_RETURN_IF_ERROR(check_country(demonyms_path, row, row.fields[1]));
    Add(row.fields[0], {row.fields[1], country_label, GazetteerKind::kDemonym, row.fields[1]});
  }

  auto capitals_path = dir / "capitals.tsv";
  auto capitals = ReadTable(capitals_path, 2, 3);
  KG_RETURN_IF_ERROR(capitals.status());
  const std::string place_label(labels::kPlace);
  for (const auto& row : *capitals) {
    KG_RETURN_IF_ERROR(check_country(capitals_path, row, row.fields[1]));
    GazetteerEntry entry{row.fields[0], place_label, GazetteerKind::kCapital, row.fields[1]};
    Add(row.fields[0], entry);
    if (row.fields.size() > 2) {
      for (const auto& alias : SplitList(row.fields[2])) Add(alias, entry);
    }
  }

  auto groups_path = dir / "groups.tsv";
  auto groups = ReadTable(groups_path, 1, 3);
  KG_RETURN_IF_ERROR(groups.status());
  const std::string group_label(labels::kGroup);
  for (const auto& row : *groups) {
    const auto& canonical = row.fields[0];
    Add(canonical, {canonical, group_label, GazetteerKind::kName, ""});
    if (row.fields.size() > 1) {
      for (const auto& alias : SplitList(row.fields[1])) {
        Add(alias, {canonical, group_label, GazetteerKind::kAlias, ""});
      }
    }
    if (row.fields.size() > 2) {
      auto& members = members_[canonical];
      for (const auto& member : SplitList(row.fields[2])) {
        KG_RETURN_IF_ERROR(check_country(groups_path, row, member));
        members.push_back(member);
      }
    }
  }

  struct Simple {
    const char* file;
    std::string_view label;
  };
  for (const Simple& table : {Simple{"places.tsv", labels::kPlace},
                              Simple{"positions.tsv", labels::kPosition}}) {
    auto rows = ReadTable(dir / table.file, 1, 2);
    KG_RETURN_IF_ERROR(rows.status());
    const std::string label(table.label);
    for (const auto& row : *rows) {
      Add(row.fields[0], {row.fields[0], label, GazetteerKind::kName, ""});
      if (row.fields.size() > 1) {
        for (const auto& alias : SplitList(row.fields[1])) {
          Add(alias, {row.fields[0], label, GazetteerKind::kAlias, ""});
        }
      }
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const GazetteerOptions& options) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  g->iso_path_ = options.iso3166_path;
  auto dir = options.data_dir.empty() ? DataPath("data/gazetteers") : options.data_dir;
  KG_RETURN_IF_ERROR(g->LoadTables(dir));
  g->BuildFirstTokenFilter();
  return g;
}

namespace {

constexpr unsigned kFilterBits = 18;  // 32 KB: stays in cache

uint64_t FilterHash(std::string_view text, bool lower) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : text) {
    if (lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return (h * 0x9E3779B97F4A7C15ull) >> (64 - kFilterBits);
}

}  // namespace

void Gazetteer::BuildFirstTokenFilter() {
  first_token_bits_.assign((size_t{1} << kFilterBits) / 64, 0);
  auto set = [&](uint64_t bit) { first_token_bits_[bit / 64] |= uint64_t{1} << (bit % 64); };
  for (const auto& [key, entries] : index_) set(FilterHash(key, false));
  for (const auto& prefix : prefixes_) set(FilterHash(prefix, false));
  for (const auto& [surface, entries] : exact_) set(FilterHash(surface, false));
}

bool Gazetteer::MayStartMatch(std::string_view token) const {
  if (first_token_bits_.empty()) return true;
  // NormalizeKey of a token without white space is its ASCII lower case; a token with white
  // space takes the slow path.
  // FilterHash(token, true) and FilterHash(token, false) in one pass; they are equal when the
  // token has no upper-case ASCII letter (most words), which is then tested once.
  uint64_t h_lower = 0xcbf29ce484222325ull;
  uint64_t h_raw = h_lower;
  bool upper = false;
  for (char c : token) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
    h_raw = (h_raw ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    if (c >= 'A' && c <= 'Z') {
      upper = true;
      c = static_cast<char>(c - 'A' + 'a');
    }
    h_lower = (h_lower ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  }
  auto test = [&](uint64_t h) {
    const uint64_t bit = (h * 0x9E3779B97F4A7C15ull) >> (64 - kFilterBits);
    return (first_token_bits_[bit / 64] >> (bit % 64)) & 1;
  };
  return test(h_lower) || (upper && test(h_raw));
}

Result<const Gazetteer*> Gazetteer::Default() {
  static std::once_flag once;
  static Result<std::unique_ptr<Gazetteer>>* loaded = nullptr;
  std::call_once(once, [] { loaded = new Result<std::unique_ptr<Gazetteer>>(Load()); });
  if (!loaded->has_value()) return loaded->error();
  return static_cast<const Gazetteer*>(loaded->value().get());
}

std::vector<const GazetteerEntry*> Gazetteer::LookupAll(std::string_view text) const {
  std::vector<const GazetteerEntry*> out;
  if (auto it = exact_.find(Trim(text)); it != exact_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  if (auto it = index_.find(NormalizeKey(text)); it != index_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return KindRank(a->kind) < KindRank(b->kind);
  });
  return out;
}

std::optional<GazetteerEntry> Gazetteer::Lookup(std::string_view text) const {
  auto all = LookupAll(text);
  if (all.empty()) return std::nullopt;
  return *all.front();
}

std::optional<GazetteerMatch> Gazetteer::LongestMatchAt(const std::vector<std::string>& tokens,
                                                        size_t begin) const {
  if (begin >= tokens.size() || !MayStartMatch(tokens[begin])) return std::nullopt;
  std::optional<GazetteerMatch> best;
  if (auto it = exact_.find(tokens[begin]); it != exact_.end()) {
    best = GazetteerMatch{begin, begin + 1, it->second.front()};
  }
  std::string key;
  for (size_t end = begin + 1; end <= tokens.size() && end - begin <= max_tokens_; ++end) {
    AppendToKey(&key, tokens[end - 1], /*separate=*/end > begin + 1);
    if (auto it = index_.find(key); it != index_.end()) {
      if (!best || best->end < end || KindRank(it->second.front()->kind) <
                                          KindRank(best->entry->kind)) {
        best = GazetteerMatch{begin, end, it->second.front()};
      }
    }
    if (!prefixes_.count(key)) break;
  }
  return best;
}

std::vector<GazetteerMatch> Gazetteer::FindAll(const std::vector<std::string>& tokens) const {
  std::vector<GazetteerMatch> out;
  for (size_t i = 0; i < tokens.size();) {
    if (auto m = LongestMatchAt(tokens, i)) {
      out.push_back(*m);
      i = m->end;
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<std::string> Gazetteer::CountryOfDemonym(std::string_view text) const {
  for (const auto* e : LookupAll(text)) {
    if (e->kind == GazetteerKind::kDemonym) return e->country;
  }
  return std::nullopt;
}

std::optional<std::string> Gazetteer::CountryOfCapital(std::string_view text) const {
  for (const auto* e : LookupAll(text)) {
    if (e->kind == GazetteerKind::kCapital) return e->country;
  }
  return std::nullopt;
}

bool Gazetteer::IsPosition(std::string_view text) const {
  for (const auto* e : LookupAll(text)) {
    if (e->label == labels::kPosition) return true;
  }
  return false;
}

std::optional<std::string> Gazetteer::CountryOf(std::string_view text) const {
  for (const auto* e : LookupAll(text)) {
    if (e->label == labels::kCountry) return e->canonical;
    if (e->kind == GazetteerKind::kCapital) return e->country;
  }
  return std::nullopt;
}

std::vector<std::string> Gazetteer::MembersOf(std::string_view group) const {
  for (const auto* e : LookupAll(group)) {
    if (e->label != labels::kGroup) continue;
    if (auto it = members_.find(e->canonical); it != members_.end()) return it->second;
  }
  return {};
}

}  // namespace kg
