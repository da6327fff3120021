#include "report/object_kind.h"

#include "common/paths.h"

namespace hprof {
namespace {

// "libz.so.1.2.13" is the library "libz": the name, then ".so" or a
// version ("libc-2.31.so", glibc's old names).  "libzip.so" is not libz.
bool is_library(std::string_view file, std::string_view library) {
  if (!file.starts_with(library)) return false;
  const std::string_view rest = file.substr(library.size());
  return rest.starts_with(".so") || (rest.size() > 1 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9');
}

}  // namespace

ObjectKind object_kind(std::string_view object) {
  if (object.starts_with("[anon:")) return ObjectKind::kJit;
  if (object.empty() || object.front() == '[') return ObjectKind::kOther;  // no mapping, [vdso], [vsyscall]
  const std::string_view file = basename_of(object);
  if (is_library(file, "libjvm")) return ObjectKind::kLibjvm;
  if (is_library(file, "libz")) return ObjectKind::kLibz;
  for (std::string_view runtime :
       {"libc", "ld-linux-x86-64", "ld-linux", "libstdc++", "libm", "libpthread", "libdl", "libgcc_s", "librt"}) {
    if (is_library(file, runtime)) return ObjectKind::kLibc;
  }
  if (is_shared_object(file)) return ObjectKind::kOther;
  return ObjectKind::kProgram;
}

std::string_view object_kind_label(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kJit:
      return "Java/JIT";
    case ObjectKind::kLibjvm:
      return "libjvm";
    case ObjectKind::kLibz:
      return "libz";
    case ObjectKind::kLibc:
      return "libc/libstdc++";
    case ObjectKind::kProgram:
      return "program";
    case ObjectKind::kOther:
      return "other";
  }
  return "other";
}

}  // namespace hprof
