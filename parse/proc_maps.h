// One line of /proc/PID/maps text, as gperftools copies it after MAPPED_LIBRARIES:.
#pragma once

#include <optional>
#include <string_view>

#include "parse/heap_profile.h"

namespace hprof {

// Parses "start-end perms offset dev inode [path]".  Returns nullopt for a line
// that is not in that form.  The path keeps inner spaces; a trailing
// " (deleted)" is removed and flagged.
std::optional<Mapping> parse_maps_line(std::string_view line);

}  // namespace hprof
