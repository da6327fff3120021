#include "symbolize/dwarf/dwarf_source.h"

#include <elfutils/libdwfl.h>

#include "symbolize/dwarf/die_frames.h"
#include "symbolize/dwarf/unit_runs.h"

namespace hprof {

using dwarf_walk::kMaxFileName;
using dwarf_walk::plausible_string;

DwarfSource::DwarfSource(Dwfl_Module* module) : module_(module) {}

DwarfSource::DwarfSource(Dwarf* dwarf) : units_(std::make_unique<Units>(dwarf)) {}

DwarfSource::DwarfSource(Dwarf* dwarf, const ArangeUnits& aranges)
    : units_(std::make_unique<Units>(dwarf, aranges)) {}

DwarfSource::Units* DwarfSource::units() {
  if (!units_) {
    Dwarf* dwarf = dwarf_at_bias_zero();
    if (dwarf == nullptr) return nullptr;
    units_ = std::make_unique<Units>(dwarf);
  }
  return units_.get();
}

DwarfSource::~DwarfSource() = default;

bool DwarfSource::has_dwarf() {
  Dwarf_Addr bias = 0;
  return module_ == nullptr ? units_->dwarf != nullptr : dwfl_module_getdwarf(module_, &bias) != nullptr;
}

Dwarf* DwarfSource::dwarf_at_bias_zero() {
  if (module_ == nullptr) return units_->dwarf;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(module_, &bias);
  return bias == 0 ? dwarf : nullptr;
}

Dwarf_Die* DwarfSource::unit_at(uint64_t file_vaddr, Dwarf_Addr* bias) {
  if (module_ != nullptr) return dwfl_module_addrdie(module_, file_vaddr, bias);  // units_ only for the sweep
  *bias = 0;
  return units_->find(file_vaddr);
}

bool DwarfSource::line_at(uint64_t file_vaddr, const char** file, int* line) {
  if (module_ != nullptr) {
    Dwfl_Line* row = dwfl_module_getsrc(module_, file_vaddr);
    if (row == nullptr) return false;
    *file = plausible_string(dwfl_lineinfo(row, nullptr, line, nullptr, nullptr, nullptr), kMaxFileName);
    return true;
  }
  Dwarf_Addr bias = 0;
  Dwarf_Die* cudie = unit_at(file_vaddr, &bias);
  Dwarf_Line* row = cudie != nullptr ? dwarf_getsrc_die(cudie, file_vaddr) : nullptr;
  if (row == nullptr) return false;
  *file = plausible_string(dwarf_linesrc(row, nullptr, nullptr), kMaxFileName);
  if (dwarf_lineno(row, line) != 0) *line = 0;
  return true;
}

}  // namespace hprof
