// jit_function_name: perf map names -> report names.  The inputs are lines
// of a real JDK 17 map (-XX:+DumpPerfMapAtExit): compiled Java methods lose
// their return type and parameter list; everything else stays verbatim.
#include "symbolize/names/jit_name.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace hprof {
namespace {

struct Case {
  std::string_view input;
  std::string_view want;
};

void expect_names(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(jit_function_name(c.input), c.want) << "\"" << c.input << "\"";
}

TEST(JitName, JavaMethodsLoseReturnTypeAndParameters) {
  expect_names({
      {"long java.util.zip.Deflater.init(int, int, boolean)", "java.util.zip.Deflater.init"},
      {"void java.lang.Object.<init>()", "java.lang.Object.<init>"},
      {"void java.util.zip.Deflater.<init>(int, boolean)", "java.util.zip.Deflater.<init>"},
      {"int DeflaterLeak.leakDeflater(byte[], byte[])", "DeflaterLeak.leakDeflater"},
      {"java.lang.Class[] java.lang.invoke.MethodType.ptypes()", "java.lang.invoke.MethodType.ptypes"},
      {"java.lang.ref.Cleaner$Cleanable java.lang.ref.Cleaner.register(java.lang.Object, java.lang.Runnable)",
       "java.lang.ref.Cleaner.register"},
      {"long java.util.zip.Deflater$DeflaterZStreamRef.address()", "java.util.zip.Deflater$DeflaterZStreamRef.address"},
  });
}

TEST(JitName, HiddenClassesKeepTheirAddressSuffix) {
  // The suffix is part of the class's name: two lambda forms are two classes.
  expect_names({{"java.lang.Object java.lang.invoke.LambdaForm$MH/0x0000000800c0c400.invoke(java.lang.Object)",
                 "java.lang.invoke.LambdaForm$MH/0x0000000800c0c400.invoke"}});
}

TEST(JitName, StubsAndBlobsStayVerbatim) {
  expect_names({
      {"Interpreter", "Interpreter"},
      {"StubRoutines (1)", "StubRoutines (1)"},
      {"I2C/C2I adapters", "I2C/C2I adapters"},
      {"new_instance Runtime1 stub", "new_instance Runtime1 stub"},
      {"StackOverflowError throw_exception", "StackOverflowError throw_exception"},
      {"NullPointerException at call throw_exception", "NullPointerException at call throw_exception"},
      {"C1 temporary CodeBuffer", "C1 temporary CodeBuffer"},
      {"vtable chunks", "vtable chunks"},
  });
}

TEST(JitName, OtherShapesStayVerbatim) {
  expect_names({
      {"LazyCompile:~value node:internal/console/constructor:314", "LazyCompile:~value node:internal/console/constructor:314"},
      {"Ljava/util/zip/Deflater;.<init>", "Ljava/util/zip/Deflater;.<init>"},
      {"run(int)", "run(int)"},                    // no return type
      {"void run(int)", "void run(int)"},          // no class
      {"void a.B.(int)", "void a.B.(int)"},        // no method
      {"void a.B.c(f(x))", "void a.B.c(f(x))"},    // nested parentheses: not a Java signature
      {"void a.B.c(int) const", "void a.B.c(int) const"},
      {"static void a.B.c(int)", "static void a.B.c(int)"},
  });
}

}  // namespace
}  // namespace hprof
