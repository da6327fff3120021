#include "parse/maps_attributes.h"

#include "parse/line_reader.h"

namespace hprof {

bool MapsAttributes::define(std::string_view line) {
  const std::size_t equals = line.find('=');
  if (equals == std::string_view::npos) return false;
  attributes_.emplace_back("$" + std::string(parse_internal::trim(line.substr(0, equals))),
                           std::string(parse_internal::trim(line.substr(equals + 1))));
  return true;
}

std::string_view MapsAttributes::substitute(std::string_view line, std::string& storage) const {
  std::size_t dollar = attributes_.empty() ? std::string_view::npos : line.find('$');
  if (dollar == std::string_view::npos) return line;
  storage.clear();
  std::size_t copied = 0;  // line[0, copied) is in storage
  for (; dollar != std::string_view::npos; dollar = line.find('$', dollar)) {
    const std::string_view at = line.substr(dollar);
    const std::pair<std::string, std::string>* match = nullptr;
    for (const auto& attribute : attributes_) {
      if (at.starts_with(attribute.first)) {
        match = &attribute;
        break;
      }
    }
    if (match == nullptr) {
      ++dollar;
      continue;
    }
    storage.append(line.substr(copied, dollar - copied));
    storage.append(match->second);
    dollar += match->first.size();
    copied = dollar;
  }
  if (copied == 0) return line;
  storage.append(line.substr(copied));
  return storage;
}

}  // namespace hprof
