// simplify_name / simplify_demangled: input -> expected output tables.
//
// Mangled inputs are real symbols (g++ 12 -std=c++20, `nm`); the expected
// outputs were checked against the Go pprof (/opt/anchors/pprof, ianlancetaylor
// demangle with NoParams + NoTemplateParams). Deliberate differences from that
// binary: enclosing functions of local entities print `()` like the newer Go
// pprof (NoEnclosingParams), and thunks lose their parameters too.

#include "symbolize/simplify_name.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace hprof {
namespace {

struct Case {
  std::string_view input;
  std::string_view want;
};

void expect_names(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(simplify_name(c.input), c.want) << "simplify_name(\"" << c.input << "\")";
  }
}

void expect_demangled(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(simplify_demangled(c.input), c.want) << "simplify_demangled(\"" << c.input << "\")";
  }
}

TEST(SimplifyName, StripsElfSymbolVersion) {
  expect_names({
      {"malloc@@GLIBC_2.2.5", "malloc"},
      {"memcpy@GLIBC_2.14", "memcpy"},
      {"_Znwm@GLIBCXX_3.4", "operator new"},
      {"_ZdlPvm@CXXABI_1.3.9", "operator delete"},
      {"calloc@plt", "calloc"},
      // Not the `name@VERSION` form: kept.
      {"@GLIBC_2.2.5", "@GLIBC_2.2.5"},
      {"foo@", "foo@"},
      {"foo@bar baz", "foo@bar baz"},
  });
}

TEST(SimplifyName, KeepsPlainNames) {
  expect_names({
      {"deflateInit2_", "deflateInit2_"},
      {"main", "main"},
      {"os_malloc", "os_malloc"},
      {"java.util.zip.Deflater.init", "java.util.zip.Deflater.init"},
      {"buf.1", "buf.1"},  // a C static local, not a clone
      {"_GLOBAL__sub_I_main.cc", "_GLOBAL__sub_I_main.cc"},
      {"", ""},
  });
}

TEST(SimplifyName, StripsGccCloneSuffixesOfPlainNames) {
  expect_names({
      {"foo.isra.0", "foo"},
      {"foo.constprop.0", "foo"},
      {"foo.part.3", "foo"},
      {"foo.cold", "foo"},
      {"foo.cold.1", "foo"},
      {"foo.lto_priv.0", "foo"},
      {"foo.localalias", "foo"},
      {"foo.constprop.0.isra.0", "foo"},
      {"foo.part.0.cold", "foo"},
      {"deflate_slow.isra.0@@ZLIB_1.2", "deflate_slow"},
      // Only known words at the end are clone suffixes.
      {"foo.isra.0.bar", "foo.isra.0.bar"},
      {"java.util.zip.Deflater.init.cold", "java.util.zip.Deflater.init"},
      {".cold", ".cold"},
  });
}

TEST(SimplifyName, StripsCloneSuffixesOfMangledNames) {
  expect_names({
      {"_Z6useallv.cold", "useall"},
      {"_ZL4workRSt6vectorIiSaIiEEi.constprop.0", "work"},
      {"_ZZN1a1b3runEiENKUliE_clEi.cold", "a::b::run()::{lambda(int)#1}::operator()"},
      {"_ZNSt8_Rb_treeINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESt4pairIKS5_"
       "St8functionIFviEEESt10_Select1stISB_ESt4lessIS5_ESaISB_EE8_M_eraseEPSt13_Rb_tree_"
       "nodeISB_E.isra.0",
       "std::_Rb_tree::_M_erase"},
  });
}

TEST(SimplifyName, DropsParameterLists) {
  expect_names({
      {"_Z1fi", "f"},
      {"_ZN2ns5allocEmi", "ns::alloc"},
      {"_ZN3Foo1fEi", "Foo::f"},
      {"_ZNKR1S3getEv", "S::get"},  // S::get() const &
      {"_ZNO1S3getEv", "S::get"},   // S::get() &&
      {"_ZNV1S2vvEv", "S::vv"},     // S::vv() volatile
      {"_ZN3FooC1Ev", "Foo::Foo"},
      {"_ZN3FooD0Ev", "Foo::~Foo"},
      {"_ZN1a3BoxD1Ev", "a::Box::~Box"},
      // HotSpot.
      {"_ZN2os6mallocEm8MEMFLAGS", "os::malloc"},
      {"_ZN2os6mallocEm8MEMFLAGSRK15NativeCallStack", "os::malloc"},
      {"_Z12AllocateHeapm8MEMFLAGSN17AllocFailStrategy13AllocFailEnumE", "AllocateHeap"},
      // Data symbols have no parameters.
      {"_ZSt4cout", "std::cout"},
      {"_ZStL8__ioinit", "std::__ioinit"},
  });
}

TEST(SimplifyName, DropsTemplateArguments) {
  expect_names({
      {"_ZNSt6vectorIiSaIiEE17_M_realloc_insertIJRKiEEEvN9__gnu_cxx17__normal_iteratorIPiS1_"
       "EEDpOT_",
       "std::vector::_M_realloc_insert"},
      {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE12_M_constructIPKcEEvT_S8_St20"
       "forward_iterator_tag",
       "std::__cxx11::basic_string::_M_construct"},
      {"_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector::push_back"},
      {"_ZN9__gnu_cxx17__normal_iteratorIPiSt6vectorIiSaIiEEEC1ERKS1_",
       "__gnu_cxx::__normal_iterator::__normal_iterator"},
      {"_ZN1a1b3BoxINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEED1Ev",
       "a::b::Box::~Box"},
      {"_ZNSt17_Function_handlerIFiiEZN1a1b3runEiEUliE_E9_M_invokeERKSt9_Any_dataOi",
       "std::_Function_handler::_M_invoke"},
      // Expressions in template arguments: `int (*) [(((3)>(2)))?(1) : (2)]`.
      {"_ZN3ArrILi3EE3cmpILi2EEEiPAqugtLi3ET_Li1ELi2E_i", "Arr::cmp"},
  });
}

TEST(SimplifyName, KeepsOperatorNames) {
  expect_names({
      {"_Znwm", "operator new"},
      {"_Znam", "operator new[]"},
      {"_ZnwmPv", "operator new"},
      {"_ZdlPv", "operator delete"},
      {"_ZdaPv", "operator delete[]"},
      {"_ZN3FoonwEm", "Foo::operator new"},
      {"_ZN3FoonaEm", "Foo::operator new[]"},
      {"_ZN3FoodlEPv", "Foo::operator delete"},
      {"_ZN3FoodaEPv", "Foo::operator delete[]"},
      {"_ZNK3FooltERKS_", "Foo::operator<"},
      {"_ZN3FoolsEi", "Foo::operator<<"},
      {"_ZNK3FooleERKS_", "Foo::operator<="},
      {"_ZNK3FoossERKS_", "Foo::operator<=>"},
      {"_ZNK3FoogtERKS_", "Foo::operator>"},
      {"_ZN3FoorsEi", "Foo::operator>>"},
      {"_ZN3FooptEv", "Foo::operator->"},
      {"_ZN3FoopmEi", "Foo::operator->*"},
      {"_ZNK3FooclEi", "Foo::operator()"},
      {"_ZN3FooixEi", "Foo::operator[]"},
      {"_ZNK3FoocvbEv", "Foo::operator bool"},
      {"_ZNK3FoocvmEv", "Foo::operator unsigned long"},
      {"_ZNK1q1WIiEcvSt6vectorIiSaIiEEEv", "q::W::operator std::vector"},
      {"_ZNK1FcvPFvvEEv", "F::operator void (*)()"},   // F::operator void (*)()() const
      {"_ZN1FcvRA3_iEv", "F::operator int (&) [3]"},   // F::operator int (&) [3]()
      // int q::W<int>::operator()<double>(double) const
      {"_ZNK1q1WIiEclIdEEiT_", "q::W::operator()"},
      {"_ZNK1a1b3BoxINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEltERKS8_",
       "a::b::Box::operator<"},
      // Operator templates: `std::operator<< <std::char_traits<char> >(...)`.
      {"_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc", "std::operator<<"},
      {"_ZStltSt15strong_orderingNSt9__cmp_cat8__unspecE", "std::operator<"},
      {"_ZN9__gnu_cxxmiIPiSt6vectorIiSaIiEEEENS_17__normal_iteratorIT_T0_E15difference_typeERK"
       "S8_SB_",
       "__gnu_cxx::operator-"},
      {"_ZStssIcSt11char_traitsIcESaIcEEDTcl21__char_traits_cmp_catIT0_ELi0EEERKNSt7__cxx1112"
       "basic_stringIT_S3_T1_EESB_",
       "std::operator<=>"},
      {"_Zli3_kby", "operator\"\" _kb"},
  });
}

TEST(SimplifyName, DropsReturnTypes) {
  expect_names({
      {"_ZN1a1b4makeIilEEmT_", "a::b::make"},  // unsigned long a::b::make<int, long>(int)
      {"_Z3fooIiEPSt6vectorIT_SaIS1_EEv", "foo"},              // std::vector<...>* foo<int>()
      {"_ZSt3maxImERKT_S2_S2_", "std::max"},                   // unsigned long const& std::max<...>
      {"_ZNSt12_Destroy_auxILb0EE9__destroyIPiEEvT_S3_", "std::_Destroy_aux::__destroy"},
      {"_ZNKSt9_Any_data9_M_accessIZN1a1b3runEiEUliE_EERKT_v", "std::_Any_data::_M_access"},
      {"_ZSt10__invoke_rIiRZN1a1b3runEiEUliE_JiEENSt9enable_ifIX16is_invocable_r_vIT_T0_DpT1_EES5_"
       "E4typeEOS6_DpOS7_",
       "std::__invoke_r"},
      {"_ZSt12construct_atIcJRKcEEDTgsnwcvPvLi0E_T_pispcl7declvalIT0_EEEEPS3_DpOS4_",
       "std::construct_at"},  // decltype (::new ((void*)(0)) char(...)) std::construct_at<...>
      {"_Z3genIiEDaT_", "gen"},                                // auto gen<int>(int)
      {"_Z6getfptIdEPFiiET_", "getfpt"},                       // int (*getfpt<double>(double))(int)
  });
}

TEST(SimplifyName, KeepsAnonymousNamespaceAndAbiTags) {
  expect_names({
      {"_ZN12_GLOBAL__N_14Anon1fEi", "(anonymous namespace)::Anon::f"},
      {"_ZN12_GLOBAL__N_11HIiE2hhEi", "(anonymous namespace)::H::hh"},
      {"_ZN9._anon_802goEi", "._anon_80::go"},
      {"_Z9make_nameB5cxx11i", "make_name[abi:cxx11]"},
  });
}

TEST(SimplifyName, LambdasAndLocalEntities) {
  expect_names({
      {"_ZZN1a1b3runEiENKUliE_clEi", "a::b::run()::{lambda(int)#1}::operator()"},
      {"_ZZN1a1b3runEiENKUliE0_clEi", "a::b::run()::{lambda(int)#2}::operator()"},
      {"_ZZ1fiEN5Local1gEv", "f()::Local::g"},
      {"_ZZZ1fiEN5Local1gEvE1z", "f()::Local::g()::z"},
      {"_ZZZN1a1b3runEiENKUliE0_clEiEN5Local1hEv",
       "a::b::run()::{lambda(int)#2}::operator()() const::Local::h"},
      {"_ZZ3genIiEDaT_ENKUlS0_E_clIiEEDaS0_", "gen()::{lambda(auto:1)#1}::operator()"},
      // Template arguments inside a lambda's parameter list go too.
      {"_ZZZ3genIiEDaT_ENKUlS0_E_clIiEEDaS0_ENKUlRKSt6vectorIiSaIiEEE_clES7_",
       "gen()::{lambda(auto:1)#1}::operator()() const::{lambda(std::vector const&)#1}::operator()"},
      {"_ZZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE12_M_constructIPKcEEvT_S8_St20"
       "forward_iterator_tagEN6_GuardD1Ev",
       "std::__cxx11::basic_string::_M_construct()::_Guard::~_Guard"},
      {"_ZNSt8functionIFiiEEC1IZN1a1b3runEiEUliE_vEEOT_", "std::function::function"},
  });
}

TEST(SimplifyName, SpecialNames) {
  expect_names({
      {"_ZTV3Foo", "vtable for Foo"},
      {"_ZTI3FooIiE", "typeinfo for Foo"},
      {"_ZTS3Foo", "typeinfo name for Foo"},
      {"_ZTIZN1a1b3runEiEUliE_", "typeinfo for a::b::run()::{lambda(int)#1}"},
      {"_ZThn16_N3Der1gEi", "non-virtual thunk to Der::g"},
      {"_ZThn16_N3DerD1Ev", "non-virtual thunk to Der::~Der"},
      {"_ZTv0_n24_N3Der1fEi", "virtual thunk to Der::f"},
      {"_ZGVZZ1fiEN5Local1gEvE1z", "guard variable for f()::Local::g()::z"},
      {"_ZTCSt9strstream16_So", "construction vtable for std::ostream-in-std::strstream"},
  });
}

TEST(SimplifyName, KeepsNamesThatDoNotDemangle) {
  expect_names({
      {"_Z", "_Z"},
      {"_Zfoo", "_Zfoo"},
      // Bad length (AllocFailStrategy has 17 letters): c++filt rejects it too.
      {"_Z12AllocateHeapm8MEMFLAGSN16AllocFailStrategy13AllocFailEnumE",
       "_Z12AllocateHeapm8MEMFLAGSN16AllocFailStrategy13AllocFailEnumE"},
  });
}

TEST(SimplifyName, SimplifiesAlreadyDemangledCxx) {
  expect_names({
      {"std::vector<int, std::allocator<int> >::push_back(int const&)", "std::vector::push_back"},
      {"ns::alloc(unsigned long, int) [clone .isra.0]", "ns::alloc"},
  });
}

TEST(SimplifyNameDemangled, ExamplesFromText) {
  expect_demangled({
      {"ns::alloc(unsigned long, int)", "ns::alloc"},
      {"Foo::bar() const", "Foo::bar"},
      {"Foo::bar() &&", "Foo::bar"},
      {"std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_"
       "iterator<int*, std::vector<int> >, int const&)",
       "std::vector::_M_realloc_insert"},
      {"a::b::Box<std::string>::operator<(a::b::Box<std::string> const&) const",
       "a::b::Box::operator<"},
      {"Foo::operator()(int) const", "Foo::operator()"},
      {"operator new(unsigned long)", "operator new"},
      {"operator delete[](void*)", "operator delete[]"},
      {"std::operator< <char, std::char_traits<char> >(std::basic_ostream<char>&, char const*)",
       "std::operator<"},
      {"bool std::operator< <char>(char const&, char const&)", "std::operator<"},
      {"std::operator>><char>(std::istream&, char&)", "std::operator>>"},
      {"Foo::operator bool() const", "Foo::operator bool"},
      {"Foo::operator char const*() const", "Foo::operator char const*"},
      {"a::Box::~Box()", "a::Box::~Box"},
      {"void std::vector<int>::_M_realloc_insert<int>(int&&)", "std::vector::_M_realloc_insert"},
      {"std::vector<int>* foo<int>()", "foo"},
      {"(anonymous namespace)::Anon::f(int)", "(anonymous namespace)::Anon::f"},
      {"a::b::run(int)::{lambda(int)#1}::operator()(int) const",
       "a::b::run()::{lambda(int)#1}::operator()"},
      {"f(int)::Local::g()", "f()::Local::g"},
      {"foo()::{unnamed type#1}::bar(int)", "foo()::{unnamed type#1}::bar"},
      {"foo(int)::{default arg#1}::operator()() const", "foo()::{default arg#1}::operator()"},
      {"foo(int) [clone .isra.0]", "foo"},
      {"foo(int) [clone .cold]", "foo"},
      {"foo(int) [clone .constprop.0] [clone .isra.0]", "foo"},
      {"foo [clone .cold]", "foo"},
      {"std::map<int, int>::operator[](int const&)", "std::map::operator[]"},
      {"std::less<void>::operator()<int&, int&>(int&, int&) const", "std::less::operator()"},
      {"void (*std::signal<int>(int, void (*)(int)))(int)", "std::signal"},
      {"int (&foo<3>())[3]", "foo"},
      {"Foo::operator std::vector<int, std::allocator<int> >() const",
       "Foo::operator std::vector"},
      {"Foo::operator void (*)()() const", "Foo::operator void (*)()"},
  });
}

TEST(SimplifyNameDemangled, SpecialNames) {
  expect_demangled({
      {"vtable for Foo", "vtable for Foo"},
      {"typeinfo for Foo<int>", "typeinfo for Foo"},
      {"non-virtual thunk to Foo::f(int)", "non-virtual thunk to Foo::f"},
      {"covariant return thunk to Foo::clone() const", "covariant return thunk to Foo::clone"},
      {"guard variable for foo()::x", "guard variable for foo()::x"},
      {"reference temporary #0 for std::x<int>", "reference temporary #0 for std::x"},
      {"TLS wrapper function for tls_var", "TLS wrapper function for tls_var"},
      {"transaction clone for non-virtual thunk to Foo::f(int)",
       "transaction clone for non-virtual thunk to Foo::f"},
  });
}

TEST(SimplifyNameDemangled, ReturnsOddInputUnchanged) {
  expect_demangled({
      {"", ""},
      {" ", " "},
      {"foo<int", "foo<int"},
      {"foo(int", "foo(int"},
      {"foo{lambda(", "foo{lambda("},
      {"a::b(int)::c<", "a::b(int)::c<"},
      {"f(]", "f(]"},
      {"operator", "operator"},
      {"vtable for ", "vtable for "},
      // Stray closers are just characters.
      {"foo>", "foo>"},
      {"foo)", "foo)"},
  });
}

TEST(SimplifyNameDemangled, HandlesHugeNamesQuickly) {
  // Deep nesting (unbalanced, balanced) and long repeats: must not crash,
  // recurse deeply or take quadratic time.
  std::string open(20000, '<');
  EXPECT_EQ(simplify_demangled(open), open);
  EXPECT_EQ(simplify_demangled(std::string(20000, '(')), std::string(20000, '('));
  EXPECT_EQ(simplify_demangled(std::string(20000, '{')), std::string(20000, '{'));

  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += "a<";
  nested += std::string(5000, '>') + "::f(int)";
  EXPECT_EQ(simplify_demangled(nested), "a::f");

  std::string locals;
  for (int i = 0; i < 2000; ++i) locals += "f(int)::";
  std::string want;
  for (int i = 0; i < 2000; ++i) want += "f()::";
  EXPECT_EQ(simplify_demangled(locals + "g(int) const"), want + "g");

  std::string pointers;
  for (int i = 0; i < 3000; ++i) pointers += "int (*";
  (void)simplify_demangled(pointers + "f()");

  std::string operators;
  for (int i = 0; i < 3000; ++i) operators += "operator< ";
  (void)simplify_demangled(operators);

  std::string clones;
  for (int i = 0; i < 5000; ++i) clones += "x.isra.0";
  EXPECT_EQ(simplify_name(clones), clones.substr(0, clones.size() - 7));
}

}  // namespace
}  // namespace hprof
