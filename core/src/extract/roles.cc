// Names the text itself types against the tagger. A one-word "person" written as the employer
// in "<Name> <role> <Person>" ("Chelsea boss Jose Mourinho", "Arsenal striker Thierry Henry")
// is an organisation: the CoNLL-2003 tagger calls Chelsea a person in every sentence of the BBC
// dump, and the relation classifier then finds Chelsea WORKS_FOR Arsenal and LIVES_IN Stamford
// Bridge. A name right after a word for a work ("the film Ray", "ITV drama Holby City", "her
// book Small Island") is a work, not a person, place or organisation.

#include <array>
#include <string_view>

#include "extract/article.h"
#include "kg/core/labels.h"

namespace kg::extract {
namespace {

// Roles that belong to an organisation or team; "<Name> spokesman X" for a person is
// "<Name>'s spokesman" (possessive: not retyped). Not "star": "Rock star Ozzy Osbourne".
constexpr std::array<std::string_view, 21> kRoleNouns = {
    "boss",      "manager",     "coach",     "chairman", "chairwoman", "striker",
    "midfielder", "defender",   "goalkeeper", "keeper",  "winger",     "captain",
    "skipper",   "owner",       "spokesman", "spokeswoman", "team-mate", "player",
    "director",  "executive",   "chief"};

bool IsRoleNoun(std::string_view word) {
  for (auto role : kRoleNouns) {
    if (word == role) return true;
  }
  return false;
}

// Not "play" ("will play Chelsea"), "group" ("the group Yukos"), "magazine" or "newspaper"
// (publishers employ people).
constexpr std::array<std::string_view, 17> kWorkNouns = {
    "film",    "films", "movie", "album", "single", "song",   "band",   "novel", "book",
    "musical", "sitcom", "drama", "comedy", "documentary", "opera", "series", "biopic"};

bool IsWorkNoun(std::string_view word) {
  for (auto work : kWorkNouns) {
    if (word == work) return true;
  }
  return false;
}

const SentenceMention* NameMentionStartingAt(const SentenceState& s, size_t begin) {
  for (const auto& m : s.mentions) {
    if (m.begin == begin && m.kind == MentionKind::kName && m.entity >= 0) return &m;
    if (m.begin > begin) break;
  }
  return nullptr;
}

}  // namespace

void RetypeFromContext(ArticleState* article) {
  for (const auto& s : article->sentences) {
    for (const auto& m : s.mentions) {
      if (m.kind != MentionKind::kName || m.entity < 0) continue;
      auto& entity = article->entities.at(m.entity);
      if (m.begin > 0 && IsWorkNoun(s.words[m.begin - 1].lower) &&
          (entity.label == labels::kPerson || entity.label == labels::kPlace ||
           entity.label == labels::kOrganization)) {
        entity.label = std::string(labels::kOther);
        continue;
      }
      if (m.possessive) continue;
      // A full name ("Tony Blair aide ...") is a person whatever follows it.
      if (entity.label != labels::kPerson || entity.name.find(' ') != std::string::npos) continue;
      size_t role = m.end;
      if (role >= s.words.size() || !IsRoleNoun(s.words[role].lower)) continue;
      size_t after = role + 1;
      // "chief executive", "managing director": one more role word
      if (after < s.words.size() && IsRoleNoun(s.words[after].lower)) ++after;
      const SentenceMention* holder = NameMentionStartingAt(s, after);
      if (holder == nullptr || holder->entity == m.entity) continue;
      if (article->entities.at(holder->entity).label != labels::kPerson) continue;
      entity.label = std::string(labels::kOrganization);
    }
  }
}

}  // namespace kg::extract
