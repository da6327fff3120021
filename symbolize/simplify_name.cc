#include "symbolize/simplify_name.h"

#include <cxxabi.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

// The aim is the output of the Go pprof's default demangling
// (ianlancetaylor/demangle with NoParams, NoEnclosingParams and
// NoTemplateParams), computed from the text that abi::__cxa_demangle prints.
//
// simplify_demangled is a single left-to-right scan over the demangled text.
// Balanced groups are found with an explicit stack (no recursion, no regex),
// and every character is looked at a bounded number of times, so hostile or
// very long names (tens of KB) cost linear time and never overflow the stack.

namespace hprof {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with_at(std::string_view s, std::size_t i, std::string_view prefix) {
  return i <= s.size() && s.substr(i).starts_with(prefix);
}

// Operator spellings after the keyword `operator`, longest first so that
// `operator->*` is not read as `operator->` followed by `*`.
constexpr std::array<std::string_view, 39> kOperatorSymbols = {
    "->*", "<=>", "<<=", ">>=", "()", "[]", "->", "<<", ">>", "<=", ">=", "==", "!=",
    "&&",  "||",  "++",  "--",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<",
    ">",   "+",   "-",   "*",   "/",  "%",  "&",  "|",  "^",  "~",  "!",  "=",  ","};

// Whether `operator` starts at s[i] as a whole word.
bool is_operator_keyword(std::string_view s, std::size_t i) {
  constexpr std::string_view kw = "operator";
  if (!starts_with_at(s, i, kw)) return false;
  if (i > 0 && is_ident_char(s[i - 1])) return false;
  std::size_t j = i + kw.size();
  return j >= s.size() || !is_ident_char(s[j]);
}

// Whether the word `w` starts at s[i] and is not followed by an identifier char.
bool word_at(std::string_view s, std::size_t i, std::string_view w) {
  if (!starts_with_at(s, i, w)) return false;
  std::size_t j = i + w.size();
  return j >= s.size() || !is_ident_char(s[j]);
}

// Length of a symbolic or word operator name starting right after the
// keyword `operator` at s[i] (so s[i] is the first char after "operator").
// Returns 0 when this is not such an operator (conversion operators are
// handled by the caller).
std::size_t operator_symbol_length(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == ' ') {
    for (std::string_view w : {std::string_view("new"), std::string_view("delete")}) {
      if (word_at(s, i + 1, w)) {
        std::size_t len = 1 + w.size();
        if (starts_with_at(s, i + len, "[]")) len += 2;
        return len;
      }
    }
    if (word_at(s, i + 1, "co_await")) return 1 + 8;
    return 0;
  }
  if (starts_with_at(s, i, "\"\"")) {  // user-defined literal: operator"" _km
    std::size_t j = i + 2;
    if (j < s.size() && s[j] == ' ') ++j;
    while (j < s.size() && is_ident_char(s[j])) ++j;
    return j - i;
  }
  for (std::string_view op : kOperatorSymbols) {
    if (starts_with_at(s, i, op)) return op.size();
  }
  return 0;
}

// Given s[i] in "<([{", returns the index just past the matching closer, or
// npos when the group is unbalanced. Inside the group:
//  - `operator<`, `operator>>`, `operator()`... are skipped as units;
//  - `<` right after `)` is a less-than in an expression, not a bracket;
//  - `>` closes only an open `<` (GCC prints `a > b` inside template
//    arguments with extra parentheses), and `->` never closes.
std::size_t find_group_end(std::string_view s, std::size_t i) {
  std::vector<char> stack;
  char prev = '\0';
  bool after_operator = false;  // a `<` right after an operator name is a bracket
  std::size_t j = i;
  while (j < s.size()) {
    char c = s[j];
    if (c == 'o' && is_operator_keyword(s, j)) {
      std::size_t len = operator_symbol_length(s, j + 8);
      j += 8 + len;
      prev = s[j - 1];
      after_operator = true;
      continue;
    }
    bool bracket_lt = after_operator || prev != ')';
    after_operator = false;
    switch (c) {
      case '(':
      case '[':
      case '{':
        stack.push_back(c);
        break;
      case '<':
        if (bracket_lt || stack.empty()) stack.push_back(c);
        break;
      case ')':
      case ']':
      case '}': {
        char open = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (stack.empty() || stack.back() != open) return npos;
        stack.pop_back();
        break;
      }
      case '>':
        if (!stack.empty() && stack.back() == '<' && prev != '-') stack.pop_back();
        break;
      default:
        break;
    }
    prev = c;
    ++j;
    if (stack.empty()) return j;
  }
  return npos;
}

// Appends s[begin, end) to out, dropping template argument lists but keeping
// operator names. Returns false if a template list is unbalanced.
bool append_without_templates(std::string_view s, std::size_t begin, std::size_t end,
                              std::string& out) {
  std::size_t j = begin;
  char prev = '\0';
  bool after_operator = false;
  while (j < end) {
    char c = s[j];
    if (c == 'o' && is_operator_keyword(s, j)) {
      std::size_t len = 8 + operator_symbol_length(s, j + 8);
      out.append(s.substr(j, len));
      j += len;
      prev = s[j - 1];
      after_operator = true;
      // `operator< <char>`: the template list comes after a space.
      if (j + 1 < end && s[j] == ' ' && s[j + 1] == '<') ++j;
      continue;
    }
    if (c == '<' && (after_operator || prev != ')')) {
      std::size_t e = find_group_end(s, j);
      if (e == npos || e > end) return false;
      j = e;
      prev = '>';
      after_operator = false;
      continue;
    }
    after_operator = false;
    out.push_back(c);
    prev = c;
    ++j;
  }
  return true;
}

// Qualifiers that may follow a parameter list: ` const`, ` &&`, ...
// Returns the index after them (starting at i, just past the `)`).
std::size_t skip_function_qualifiers(std::string_view s, std::size_t i) {
  static constexpr std::array<std::string_view, 8> kQualifiers = {
      "const", "volatile", "restrict", "__restrict", "noexcept", "transaction_safe", "&&", "&"};
  for (;;) {
    if (i >= s.size() || s[i] != ' ') return i;
    bool matched = false;
    for (std::string_view q : kQualifiers) {
      bool is_word = is_ident_char(q[0]);
      if (is_word ? word_at(s, i + 1, q) : starts_with_at(s, i + 1, q)) {
        i += 1 + q.size();
        matched = true;
        break;
      }
    }
    if (!matched) return i;
  }
}

// Words that GCC puts before the name of a special symbol.
constexpr std::array<std::string_view, 20> kSpecialPrefixes = {
    "vtable for ",
    "VTT for ",
    "construction vtable for ",
    "typeinfo for ",
    "typeinfo name for ",
    "typeinfo fn for ",
    "non-virtual thunk to ",
    "virtual thunk to ",
    "covariant return thunk to ",
    "java Class for ",
    "guard variable for ",
    "TLS init function for ",
    "TLS wrapper function for ",
    "hidden alias for ",
    "transaction clone for ",
    "non-transaction clone for ",
    "global constructors keyed to ",
    "global destructors keyed to ",
    "template parameter object for ",
    "java resource ",
};

// Length of a special-name prefix at the start of s, or 0.
std::size_t special_prefix_length(std::string_view s) {
  for (std::string_view p : kSpecialPrefixes) {
    if (s.starts_with(p)) return p.size();
  }
  // reference temporary #0 for x
  constexpr std::string_view ref = "reference temporary #";
  if (s.starts_with(ref)) {
    std::size_t j = ref.size();
    while (j < s.size() && is_digit(s[j])) ++j;
    if (starts_with_at(s, j, " for ")) return j + 5;
  }
  return 0;
}

// The scan of one (non-special) demangled name. Returns false when the text
// is unbalanced; `out` then holds garbage.
constexpr int kMaxDeclaratorDepth = 8;

bool simplify_plain(std::string_view s, std::string& out, int depth = 0) {
  constexpr std::string_view kAnon = "(anonymous namespace)";
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '(' && starts_with_at(s, i, kAnon)) {
      out.append(kAnon);
      i += kAnon.size();
      continue;
    }
    if (c == 'o' && is_operator_keyword(s, i)) {
      std::size_t j = i + 8;
      std::size_t len = operator_symbol_length(s, j);
      if (len > 0) {
        out.append(s.substr(i, 8 + len));
        j += len;
      } else if (j < s.size() && s[j] == ' ') {
        // Conversion operator: `operator unsigned long`, `operator Foo<int>`.
        // Its type runs to the parameter list; a `(` after a space belongs
        // to the type (`operator void (*)()`).
        // After such a declarator group, one more group is the pointee
        // function's parameters: `operator void (*)()() const`.
        std::size_t k = j + 1;
        bool declarator = false;
        while (k < s.size()) {
          if (s[k] == '(' && s[k - 1] != ' ' && !declarator) break;
          if (s[k] == '<' || s[k] == '(' || s[k] == '[' || s[k] == '{') {
            std::size_t e = find_group_end(s, k);
            if (e == npos) return false;
            declarator = s[k] == '(' && s[k - 1] == ' ';
            k = e;
          } else {
            declarator = false;
            ++k;
          }
        }
        out.append("operator ");
        if (!append_without_templates(s, j + 1, k, out)) return false;
        j = k;
      } else {
        out.append("operator");
      }
      // Template arguments of an operator template: `operator< <char>`.
      std::size_t t = j;
      if (t + 1 < s.size() && s[t] == ' ' && s[t + 1] == '<') ++t;
      if (t < s.size() && s[t] == '<') {
        std::size_t e = find_group_end(s, t);
        if (e == npos) return false;
        j = e;
      }
      i = j;
      continue;
    }
    switch (c) {
      case '<': {  // template arguments
        std::size_t e = find_group_end(s, i);
        if (e == npos) return false;
        i = e;
        continue;
      }
      case '{': {  // {lambda(int)#1}, {unnamed type#1}, {default arg#1}
        std::size_t e = find_group_end(s, i);
        if (e == npos) return false;
        if (!append_without_templates(s, i, e, out)) return false;
        i = e;
        continue;
      }
      case '[': {  // ABI tag attached to a name: foo[abi:cxx11]
        std::size_t e = find_group_end(s, i);
        if (e == npos) return false;
        out.append(s.substr(i, e - i));
        i = e;
        continue;
      }
      case '(': {
        std::size_t e = find_group_end(s, i);
        if (e == npos) return false;
        bool after_space = i > 0 && s[i - 1] == ' ';
        bool after_keyword = out.ends_with("decltype") || out.ends_with("sizeof") ||
                             out.ends_with("alignof") || out.ends_with("typeof") ||
                             out.ends_with("noexcept");
        if (after_space || after_keyword || i == 0) {
          // A function returning a function pointer is printed inside out:
          // `int (*getfp<double>(double))(int)`. Its name is the group.
          bool pointer = e - i > 2 && (s[i + 1] == '*' || s[i + 1] == '&');
          bool declarator = e < s.size() && (s[e] == '(' || s[e] == '[');
          if (after_space && pointer && declarator && depth < kMaxDeclaratorDepth) {
            std::size_t b = i + 1;
            while (b < e - 1 && (s[b] == '*' || s[b] == '&')) ++b;
            out.clear();
            return simplify_plain(s.substr(b, e - 1 - b), out, depth + 1);
          }
          // Part of a return type, e.g. `decltype (...)`: keep the text; the
          // space before the function's name will discard it.
          out.append(s.substr(i, e - i));
          i = e;
          continue;
        }
        // A parameter list. If a `::` follows (after ` const` and the like),
        // it belongs to an enclosing function of a local entity: print it
        // as `()`. Otherwise it is the function's own: drop it and the rest.
        std::size_t q = skip_function_qualifiers(s, e);
        if (starts_with_at(s, q, "::")) {
          out.append("()");
          out.append(s.substr(e, q - e));
          i = q;
          continue;
        }
        return true;
      }
      case ' ':
        // ` [clone .cold]` without a parameter list: stop.
        if (starts_with_at(s, i + 1, "[")) return true;
        // A space at the top level ends a return type.
        out.clear();
        ++i;
        continue;
      default:
        out.push_back(c);
        ++i;
        continue;
    }
  }
  return true;
}

// Whether `name` ends with GCC clone suffixes (`.isra.0`, `.cold`...);
// returns the length of the name without them.
std::size_t strip_clone_suffixes_length(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kWords = {
      "isra", "constprop", "part", "cold", "lto_priv", "localalias", "clone"};
  std::size_t end = name.size();
  for (;;) {
    // Trailing `.N` groups, then a known word.
    std::size_t e = end;
    for (;;) {
      std::size_t dot = name.rfind('.', e == 0 ? 0 : e - 1);
      if (dot == npos || dot + 1 >= e) break;
      std::string_view seg = name.substr(dot + 1, e - dot - 1);
      bool digits = true;
      for (char ch : seg) digits = digits && is_digit(ch);
      if (!digits) break;
      e = dot;
    }
    std::size_t dot = e == 0 ? npos : name.rfind('.', e - 1);
    if (dot == npos || dot == 0) return end;
    std::string_view word = name.substr(dot + 1, e - dot - 1);
    bool known = false;
    for (std::string_view w : kWords) known = known || word == w;
    if (!known) return end;
    end = dot;
  }
}

// `malloc@@GLIBC_2.2.5` -> `malloc`; anything else is returned unchanged.
std::string_view strip_symbol_version(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == npos || at == 0) return s;
  std::string_view version = s.substr(at + 1);
  if (version.starts_with('@')) version.remove_prefix(1);
  if (version.empty()) return s;
  for (char ch : version) {
    if (!is_ident_char(ch) && ch != '.') return s;
  }
  return s.substr(0, at);
}

// The Go pprof's test for text that is already demangled C++.
bool looks_like_demangled_cplusplus(std::string_view s) {
  if (s.find(".<") != npos) return false;   // Java: class.<init>
  if (s.find("]).") != npos) return false;  // Go: foo.(*Bar[...]).Method
  return s.find("::") != npos;
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

}  // namespace

std::string simplify_demangled(std::string_view demangled) {
  std::size_t prefix = 0;
  for (std::size_t p = special_prefix_length(demangled); p > 0;
       p = special_prefix_length(demangled.substr(prefix))) {
    prefix += p;
  }
  std::string out(demangled.substr(0, prefix));
  std::string name;
  name.reserve(demangled.size() - prefix);
  if (!simplify_plain(demangled.substr(prefix), name) || name.empty()) {
    return std::string(demangled);
  }
  out += name;
  return out;
}

std::string simplify_name(std::string_view symbol) {
  std::string_view s = strip_symbol_version(symbol);
  if (s.starts_with("_Z")) {
    std::string mangled(s);
    int status = 0;
    std::unique_ptr<char, FreeDeleter> demangled(
        abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status));
    if (status != 0 || !demangled) return mangled;
    return simplify_demangled(demangled.get());
  }
  if (looks_like_demangled_cplusplus(s)) return simplify_demangled(s);
  return std::string(s.substr(0, strip_clone_suffixes_length(s)));
}

}  // namespace hprof
