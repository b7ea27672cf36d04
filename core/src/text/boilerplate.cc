#include "kg/core/boilerplate.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "kg/core/dates.h"

namespace kg {
namespace {

std::string_view Trim(std::string_view s) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; };
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // Non-breaking spaces around scraped lines.
  while (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
  while (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The number of words in `s`, counted up to `cap + 1`: every caller only asks whether a line has
// at most `cap` words, and most lines are paragraphs of a hundred words or more.
size_t WordCount(std::string_view s, size_t cap) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\t';
    if (!space && !in_word && ++words > cap) break;
    in_word = !space;
  }
  return words;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool StartsWithBullet(std::string_view line) {
  return StartsWith(line, "\xE2\x80\xA2") || StartsWith(line, "\xC2\xB7") ||
         StartsWith(line, "\xE2\x96\xAA");
}

size_t CountBullets(std::string_view line) {
  size_t count = 0;
  for (size_t pos = line.find("\xE2\x80\xA2"); pos != std::string_view::npos;
       pos = line.find("\xE2\x80\xA2", pos + 3)) {
    ++count;
  }
  return count;
}

// Lines that are boilerplate when they are the whole line (case-insensitive).
constexpr std::array<std::string_view, 22> kExactLines = {
    "print",          "print print",      "share",           "share this",
    "share this article", "email",        "tweet",           "advertisement",
    "skip to content", "skip to main content", "read more",  "related",
    "related articles", "related stories", "most popular",  "most read",
    "comments",       "show comments",    "listen",          "listen to this article",
    "close",          "menu"};

// Prefixes of short boilerplate lines (case-insensitive).
constexpr std::array<std::string_view, 17> kPrefixes = {
    "trending",        "we use cookies",  "this site uses cookies", "this website uses cookies",
    "accept cookies",  "cookie policy",   "subscribe",       "sign up for",
    "sign up to",      "get our newsletter", "copyright",    "\xC2\xA9",
    "all rights reserved", "follow us",   "click here",      "read more:",
    "advertisement"};

}  // namespace

bool IsBoilerplateLine(std::string_view raw_line) {
  std::string_view line = Trim(raw_line);
  if (line.empty()) return false;
  size_t words = WordCount(line, 12);
  if (words > 12) return false;
  std::string lower = Lower(line);
  if (std::find(kExactLines.begin(), kExactLines.end(), lower) != kExactLines.end()) return true;
  for (std::string_view prefix : kPrefixes) {
    if (StartsWith(lower, prefix)) return true;
  }
  if (lower.find("cookie") != std::string::npos &&
      (lower.find("accept") != std::string::npos || lower.find("consent") != std::string::npos)) {
    return true;
  }
  if (lower.find("newsletter") != std::string::npos && words <= 8) return true;
  // "• Ambassador • Ukraine • COVID-19": several tags on one line.
  if (CountBullets(line) >= 2) return true;
  return false;
}

std::string NormalizeLayout(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  int pending_blank = 0;
  bool any = false;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (Trim(line).empty()) {
      if (any) pending_blank = 1;
    } else {
      if (any) out.append(pending_blank ? "\n\n" : "\n");
      out.append(line);
      any = true;
      pending_blank = 0;
    }
    pos = eol + 1;
  }
  return out;
}

CleanedArticle CleanPlainArticle(std::string_view raw) {
  CleanedArticle result;
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    lines.push_back(raw.substr(pos, eol - pos));
    pos = eol + 1;
  }
  std::vector<bool> drop(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) drop[i] = IsBoilerplateLine(lines[i]);
  // The trailing block of short bulleted lines is a tag list ("• Ambassador").
  for (size_t i = lines.size(); i-- > 0;) {
    std::string_view line = Trim(lines[i]);
    if (line.empty() || drop[i]) continue;
    if (StartsWithBullet(line) && WordCount(line, 6) <= 6) {
      drop[i] = true;
      continue;
    }
    break;
  }
  std::string kept;
  kept.reserve(raw.size());
  size_t nonempty_seen = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (drop[i]) {
      result.stripped.emplace_back(Trim(lines[i]));
      continue;
    }
    std::string_view line = Trim(lines[i]);
    if (!line.empty()) {
      if (result.title.empty()) result.title.assign(line);
      ++nonempty_seen;
      if (result.date_line.empty() && nonempty_seen <= 4 && WordCount(line, 7) <= 7 &&
          NormalizeDate(line).has_value()) {
        result.date_line.assign(line);
      }
    }
    kept.append(lines[i]);
    kept.push_back('\n');
  }
  result.text = NormalizeLayout(kept);
  return result;
}

}  // namespace kg
