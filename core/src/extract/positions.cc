// HOLDS_POSITION, the leaders of countries, and governments named after their leader.

#include <set>

#include "extract/article.h"
#include "kg/core/labels.h"

namespace kg::extract {
namespace {

// Titles whose holder speaks for the country ("Abe wants good relations" is Japan's stance).
const std::set<std::string, std::less<>> kLeaderTitles = {
    "President", "Prime Minister", "Chancellor", "Supreme Leader", "Dictator"};

// "<country> government of <title> <person>": the nouns naming a government someone leads.
const std::set<std::string, std::less<>> kLedGovernmentNouns = {
    "government", "administration", "regime", "cabinet"};

const SentenceMention* MentionEndingAt(const SentenceState& s, size_t end) {
  for (const auto& m : s.mentions) {
    if (m.end == end) return &m;
  }
  return nullptr;
}

const SentenceMention* MentionStartingAt(const SentenceState& s, size_t begin) {
  for (const auto& m : s.mentions) {
    if (m.begin == begin) return &m;
  }
  return nullptr;
}

// The country or organisation a title at [begin, end) is "of", from what precedes it:
// "Japanese Prime Minister", "U.S. President", "Toyota's president", "the U.S. administration
// of President X". Returns -1 when nothing says.
int OwnerBeforeTitle(ArticleState& article, const SentenceState& s, size_t begin) {
  if (begin == 0) return -1;
  size_t before = begin;
  if (s.words[before - 1].norm == "'s") --before;
  if (before > 0) {
    const SentenceMention* m = MentionEndingAt(s, before);
    if (m != nullptr && m->kind == MentionKind::kDemonym) {
      // The country need not be named elsewhere: "German Chancellor X" is enough.
      return article.entities.Intern(m->country, std::string(labels::kCountry));
    }
    if (m != nullptr && m->kind == MentionKind::kName && m->entity >= 0) {
      const auto& label = article.entities.at(m->entity).label;
      if (label == labels::kCountry || label == labels::kOrganization ||
          label == labels::kGroup) {
        return m->entity;
      }
    }
  }
  // "<country> government|administration of <title> <person>".
  if (begin >= 2 && s.words[begin - 1].lower == "of") {
    const SentenceMention* m = MentionEndingAt(s, begin - 1);
    if (m != nullptr && m->entity >= 0 &&
        kLedGovernmentNouns.count(s.words[begin - 2].lower) > 0 &&
        article.entities.at(m->entity).label == labels::kCountry) {
      return m->entity;
    }
  }
  return -1;
}

void AddPosition(ArticleState* article, const SentenceState& s, int person, const std::string& title,
                 int owner, const std::string& rule, double confidence) {
  auto& entities = article->entities;
  std::string of = owner >= 0 ? entities.at(owner).name : std::string();
  std::string name = of.empty() ? title : title + " of " + of;
  int position = entities.Intern(name, std::string(labels::kPosition));
  entities.at(position).properties["title"] = title;
  Properties props = EmptyProperties();
  props["title"] = title;
  if (!of.empty()) {
    entities.at(position).properties["of"] = of;
    props["of"] = of;
  }
  article->relations.Add("HOLDS_POSITION", person, position, props,
                         MakeEvidence(s, rule, confidence));
  if (owner >= 0 && entities.at(owner).label == labels::kOrganization) {
    article->relations.Add("WORKS_FOR", person, owner, EmptyProperties(),
                           MakeEvidence(s, rule, confidence));
  }
  if (owner >= 0 && entities.at(owner).label == labels::kCountry &&
      kLeaderTitles.count(title) > 0) {
    article->leader_of.emplace(person, owner);
  }
}

}  // namespace

void FindPositions(ArticleState* article) {
  auto& entities = article->entities;
  for (const auto& s : article->sentences) {
    if (s.boilerplate) continue;
    for (const auto& t : s.mentions) {
      if (t.kind != MentionKind::kTitle) continue;
      // "<owner> <title> <Person>"
      const SentenceMention* next = MentionStartingAt(s, t.end);
      if (next != nullptr && next->kind == MentionKind::kName && next->entity >= 0 &&
          entities.at(next->entity).label == labels::kPerson) {
        int owner = OwnerBeforeTitle(*article, s, t.begin);
        AddPosition(article, s, next->entity, t.canonical, owner, "pattern:title_before_name",
                    owner >= 0 ? 0.9 : 0.8);
        continue;
      }
      // "<Person>, (the|a) <title> (of|at) <owner>"
      size_t k = t.begin;
      if (k >= 1 && (s.words[k - 1].lower == "the" || s.words[k - 1].lower == "a" ||
                     s.words[k - 1].lower == "an")) {
        --k;
      }
      if (k >= 2 && s.words[k - 1].norm == ",") {
        const SentenceMention* person = MentionEndingAt(s, k - 1);
        if (person != nullptr && person->entity >= 0 &&
            entities.at(person->entity).label == labels::kPerson) {
          int owner = -1;
          if (t.end + 1 < s.words.size() &&
              (s.words[t.end].lower == "of" || s.words[t.end].lower == "at")) {
            size_t o = t.end + 1;
            if (o < s.words.size() && s.words[o].lower == "the") ++o;
            const SentenceMention* m = MentionStartingAt(s, o);
            if (m != nullptr && m->entity >= 0) owner = m->entity;
          }
          if (owner < 0) owner = OwnerBeforeTitle(*article, s, t.begin);
          AddPosition(article, s, person->entity, t.canonical, owner, "pattern:appositive_title",
                      0.85);
        }
      }
    }
  }
  // "the Obama administration" is the country Obama leads.
  for (auto& s : article->sentences) {
    for (auto& m : s.mentions) {
      if (m.kind != MentionKind::kLeaderGov) continue;
      auto person = entities.Find(m.canonical);
      int person_entity = person ? *person : -1;
      if (person_entity < 0) {
        // The surname of a person named in full elsewhere.
        for (size_t e = 0; e < entities.size(); ++e) {
          const auto& name = entities.at(static_cast<int>(e)).name;
          if (entities.at(static_cast<int>(e)).label == labels::kPerson &&
              name.size() > m.canonical.size() &&
              name.compare(name.size() - m.canonical.size(), m.canonical.size(), m.canonical) == 0 &&
              name[name.size() - m.canonical.size() - 1] == ' ') {
            person_entity = static_cast<int>(e);
          }
        }
      }
      auto it = article->leader_of.find(person_entity);
      if (it == article->leader_of.end()) continue;
      m.kind = MentionKind::kName;
      m.label = std::string(labels::kCountry);
      m.entity = it->second;
      m.canonical = entities.at(it->second).name;
      m.keep_alias = false;
      entities.AddMention(it->second, MentionOf(s, m.begin, m.end, article->doc->text), false);
    }
  }
}

}  // namespace kg::extract
