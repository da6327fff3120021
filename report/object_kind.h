// Which kind of code an object holds, for the flame graph's colours: a JVM
// leak reads at a glance as Java -> libjvm or JNI -> libz.
#pragma once

#include <array>
#include <string_view>

namespace hprof {

enum class ObjectKind { kJit, kLibjvm, kLibz, kLibc, kProgram, kOther };

inline constexpr std::array<ObjectKind, 6> kObjectKinds = {ObjectKind::kJit,  ObjectKind::kLibjvm,
                                                           ObjectKind::kLibz, ObjectKind::kLibc,
                                                           ObjectKind::kProgram, ObjectKind::kOther};

// `object` is a LocationOrigin::object: a mapping's path, a pseudo path such
// as "[vdso]", "[anon:jit]" for JIT code (Java frames named by --perf-map
// included), or "" outside every mapping.  A file that is not a shared
// object is the program (the main executable; the JVM's is the `java`
// launcher).
ObjectKind object_kind(std::string_view object);

// The legend's words: "Java/JIT", "libjvm", "libz", "libc/libstdc++", "program", "other".
std::string_view object_kind_label(ObjectKind kind);

}  // namespace hprof
