#pragma once
// The text stage of ingest: cleaned article text in, sentences and tokens out (kg::AnnotatedText,
// offsets into `text`). Runs on every byte of every dump, so it is a single pass with no regular
// expressions. Thread-safe.

#include <string_view>

#include "kg/core/text.h"

namespace kg {

// REQUIRES: `text` is valid UTF-8 (see RepairUtf8) and shorter than 4 GiB.
AnnotatedText AnnotateText(std::string_view text);

// AnnotateText's sentences (the same start/end) without their tokens, which are most of its
// cost: for a caller that reads only where sentences are (Extractor::needs_tokens() false).
AnnotatedText AnnotateSentences(std::string_view text);

}  // namespace kg
