// Option names as people type them: '_' and '-' alike (pprof writes
// --inuse_space, most tools --show-bytes), and a suggestion for a misspelt
// one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

// The name among `known` (long names without "--") that `typed` spells,
// reading '_' and '-' alike; nullopt when none does.
std::optional<std::string> spelled_option(std::string_view typed, const std::vector<std::string>& known);

// The name among `known` that `typed` most likely misspells: within two
// edits (one for short names), or the only name it begins; nullopt when
// none is close.
std::optional<std::string> closest_option(std::string_view typed, const std::vector<std::string>& known);

}  // namespace hprof
