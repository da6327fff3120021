// Where a module's DWARF is read from, with libdwfl's rules for the unit and
// the line-table row of an address.
#pragma once

#include <elfutils/libdw.h>

#include <cstdint>
#include <memory>

struct Dwfl_Module;

namespace hprof {

class ArangeUnits;

// Where a module's DWARF is read: through libdwfl's module, or from a Dwarf
// handle opened apart whose addresses are the module's (bias 0), with
// libdwfl's rules for the unit and the line-table row of an address, so that
// both give the same answers.
class DwarfSource {
 public:
  explicit DwarfSource(Dwfl_Module* module);
  explicit DwarfSource(Dwarf* dwarf);
  // Units found through `aranges` (unit_runs.h: Units by header), which
  // must outlive this: for a Dwarf whose later units are still being
  // inflated.
  DwarfSource(Dwarf* dwarf, const ArangeUnits& aranges);
  ~DwarfSource();
  DwarfSource(const DwarfSource&) = delete;
  DwarfSource& operator=(const DwarfSource&) = delete;

  // The DIE of the compile unit holding `file_vaddr`, as dwfl_module_addrdie
  // finds it (an address in a gap between two units' aranges belongs to the
  // unit before it); null when none.  The DIE stays put while this lives.
  Dwarf_Die* unit_at(uint64_t file_vaddr, Dwarf_Addr* bias);
  // The source file and line of the line-table row at `file_vaddr`
  // (dwfl_module_getsrc's rule); false when no row holds it.
  bool line_at(uint64_t file_vaddr, const char** file, int* line);

  // Whether there is DWARF to read at all.
  bool has_dwarf();
  // The Dwarf read, when its addresses are the module's (bias 0); null
  // otherwise.
  Dwarf* dwarf_at_bias_zero();

 private:
  friend class InlineResolver;
  struct Units;
  // The units by address: this source's own, else made from the Dwarf's
  // aranges on first need; null without a Dwarf at bias zero.
  Units* units();
  Dwfl_Module* module_ = nullptr;
  std::unique_ptr<Units> units_;  // with a Dwarf opened apart, or made by units()
};

}  // namespace hprof
