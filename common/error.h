// Fatal input errors: thrown by the parsers, caught once in cli/, printed as
// "hprof-text: error: FILE[:LINE]: what is wrong" with exit status 1.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace hprof {

class InputError : public std::runtime_error {
 public:
  // line == 0 means "the file as a whole" (no line number is printed).
  InputError(std::string file, std::size_t line, const std::string& what);

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string reason_;
};

}  // namespace hprof
