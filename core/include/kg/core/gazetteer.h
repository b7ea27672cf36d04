#pragma once
// Gazetteer: known names of countries, capitals, demonyms, international groupings, places and
// positions (titles), with the canonical name each one stands for.
//
// Sources: Debian's iso-codes (ISO 3166-1: names, official names, common names, alpha-2/alpha-3
// codes) plus the small hand-written tables under data/gazetteers/ (see data/gazetteers/README.md
// for their formats). Load once, then share: every const method is safe to call from many
// threads at the same time.
//
// Matching folds ASCII case, ignores '.' inside a phrase ("U.S." = "US") only where the tables
// list both forms, and treats a phrase as its tokens joined by one space; "G-7" and "G - 7" are
// the same key (spaces around '-' and '/' are dropped). ISO codes (kind kCode) and short
// all-capital aliases ("WHO", "US", "AU") match only as written, so "who" or "It" never match.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kg/core/status.h"

namespace kg {

// How a surface form relates to its canonical entry. Persisted nowhere.
enum class GazetteerKind : uint8_t {
  kName,     // the canonical name itself, or an ISO name / official name
  kAlias,    // another name of the same thing ("America", "Britain", "G7")
  kCode,     // an ISO 3166-1 alpha-2 / alpha-3 code ("JP", "JPN"); upper case only
  kDemonym,  // adjective / inhabitant ("Japanese" -> Japan)
  kCapital,  // a capital city ("Tokyo"): canonical is the city, country its country
};

std::string_view GazetteerKindName(GazetteerKind kind);

struct GazetteerEntry {
  std::string canonical;  // "Japan", "Tokyo", "G-7", "Prime Minister"
  std::string label;      // a kg::labels name: Country, Place, Group, Position
  GazetteerKind kind = GazetteerKind::kName;
  std::string country;    // for kDemonym and kCapital: the canonical country; else empty
};

// A match of a gazetteer phrase over tokens [begin, end).
struct GazetteerMatch {
  size_t begin = 0;
  size_t end = 0;
  const GazetteerEntry* entry = nullptr;  // borrowed from the Gazetteer; lives as long as it
};

struct GazetteerOptions {
  // The ISO 3166-1 JSON of Debian's iso-codes package.
  std::filesystem::path iso3166_path = "/usr/share/iso-codes/json/iso_3166-1.json";
  // The folder with countries.tsv, demonyms.tsv, capitals.tsv, groups.tsv, places.tsv,
  // positions.tsv. Empty = kg::DataPath("data/gazetteers").
  std::filesystem::path data_dir;
};

class Gazetteer {
 public:
  // Reads every source. Fails with NotFound naming a missing file, or ParseError naming
  // file:line for a malformed row (e.g. a demonym of a country that no table defines).
  static Result<std::unique_ptr<Gazetteer>> Load(const GazetteerOptions& options = {});

  // The process-wide gazetteer from the default sources, loaded on first use (thread-safe).
  // Returns the load error on every call if loading failed.
  static Result<const Gazetteer*> Default();

  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  // The best entry for a whole phrase (e.g. "Japanese", "Secretary of State", "G7"), or nullopt
  // when the phrase is unknown. When a phrase has several entries ("Georgia", "Washington") the
  // order is name, alias, code, capital, demonym; LookupAll returns them all.
  std::optional<GazetteerEntry> Lookup(std::string_view text) const;
  std::vector<const GazetteerEntry*> LookupAll(std::string_view text) const;

  // The longest phrase starting at tokens[begin], or nullopt.
  std::optional<GazetteerMatch> LongestMatchAt(const std::vector<std::string>& tokens,
                                               size_t begin) const;
  // Non-overlapping longest matches scanning left to right.
  std::vector<GazetteerMatch> FindAll(const std::vector<std::string>& tokens) const;

  // "Japanese" -> "Japan"; nullopt when `text` is no known demonym.
  std::optional<std::string> CountryOfDemonym(std::string_view text) const;
  // "Tokyo" -> "Japan"; nullopt when `text` is no known capital.
  std::optional<std::string> CountryOfCapital(std::string_view text) const;
  // True for a known position or title ("Prime Minister", "chief executive", "Emperor").
  bool IsPosition(std::string_view text) const;
  // Canonical country for a country name, alias, code, demonym or capital; else nullopt.
  std::optional<std::string> CountryOf(std::string_view text) const;
  // Members of a grouping ("G-7" or any alias), as canonical country names; empty when unknown
  // or when the tables list no stable membership.
  std::vector<std::string> MembersOf(std::string_view group) const;

  size_t size() const { return entries_.size(); }

  // The matching key of a phrase: ASCII lower case, whitespace runs as one space, no spaces
  // around '-' or '/'. Exposed for tests and for callers that cache keys.
  static std::string NormalizeKey(std::string_view text);

 private:
  Gazetteer() = default;
  Status LoadIso(const std::filesystem::path& path,
                 const std::unordered_map<std::string, std::string>& preferred);
  Status LoadTables(const std::filesystem::path& dir);
  void Add(std::string_view surface, GazetteerEntry entry);

  // Entries are owned here and never moved after loading (pointers in index_ stay valid).
  std::vector<std::unique_ptr<GazetteerEntry>> entries_;
  std::unordered_map<std::string, std::vector<const GazetteerEntry*>> index_;
  // Surfaces matched only as written: codes and short all-capital aliases ("US", "GBR", "WHO").
  std::unordered_map<std::string, std::vector<const GazetteerEntry*>> exact_;
  // Every proper token prefix of a multi-token key, to stop longest-match scans early.
  std::unordered_set<std::string> prefixes_;
  // One bit per hash of every string a longest-match scan can find at its first token (index
  // keys and key prefixes, lower-cased; exact keys as written). Most tokens start no entry and
  // are turned away here without a string lookup. Built once after loading.
  void BuildFirstTokenFilter();
  bool MayStartMatch(std::string_view token) const;
  std::vector<uint64_t> first_token_bits_;
  std::unordered_map<std::string, std::vector<std::string>> members_;  // group canonical -> members
  std::unordered_set<std::string> countries_;                         // canonical country names
  size_t max_tokens_ = 1;
  std::filesystem::path iso_path_;
};

}  // namespace kg
