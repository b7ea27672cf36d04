#pragma once
// Web-page boilerplate in scraped plain-text articles: lines that are page furniture, not news,
// and must never be extracted from. Recognised (short lines only, so a real sentence that
// mentions "subscribe" is kept): "Print PRINT", share/print/email buttons, "Advertisement",
// "Trending ...", cookie and consent notices, subscription and newsletter prompts, "Read more",
// copyright lines, and bullet lists of site tags ("• Ambassador", "• Ukraine • COVID-19").
// Pure functions, thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kg {

struct CleanedArticle {
  std::string title;  // the first non-empty line that is not boilerplate
  std::string text;   // the title and body, boilerplate lines removed, blank-line runs collapsed
  std::vector<std::string> stripped;  // the boilerplate lines removed, in order
  std::string date_line;  // a short line near the top that reads as a date, if any (kept in text)
};

// True when `line` (one line, no newline) is boilerplate by itself.
bool IsBoilerplateLine(std::string_view line);

// Cleans one plain-text article. REQUIRES: valid UTF-8 with '\n' line ends.
CleanedArticle CleanPlainArticle(std::string_view raw);

// Collapses runs of more than one blank line and trims white space at both ends; keeps
// paragraph structure ("\n\n" between paragraphs). Used for JSON Lines texts too.
std::string NormalizeLayout(std::string_view text);

}  // namespace kg
