#include "driver/output_formats.h"

#include <array>

namespace hprof {

// Each defined in its own file, driver/format_*.cc.
extern const OutputFormat kTextFormat, kCollapsedFormat, kFlamegraphFormat, kTrendFormat, kTrendChartFormat,
    kProtoFormat, kDotFormat;

namespace {

constexpr std::array kFormats = {
    &kTextFormat, &kCollapsedFormat, &kFlamegraphFormat, &kTrendFormat, &kTrendChartFormat, &kProtoFormat, &kDotFormat,
};

}  // namespace

std::span<const OutputFormat* const> output_formats() { return kFormats; }

const OutputFormat& default_output_format() { return kTextFormat; }

}  // namespace hprof
