#include "common/error.h"

#include <utility>

namespace hprof {
namespace {
std::string located(const std::string& file, std::size_t line, const std::string& what) {
  std::string out = file;
  if (line != 0) out += ":" + std::to_string(line);
  return out + ": " + what;
}
}  // namespace

InputError::InputError(std::string file, std::size_t line, const std::string& what)
    : std::runtime_error(located(file, line, what)), file_(std::move(file)), line_(line), reason_(what) {}

}  // namespace hprof
