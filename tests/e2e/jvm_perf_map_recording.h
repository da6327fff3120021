// The JVM Deflater-leak scenario recorded so that its Java frames can be
// named: with -XX:+PreserveFramePointer, so that libtcmalloc's stack walks
// go through compiled Java frames, and with the JIT's perf map written at
// exit.  Recorded once per build and cached like the recordings of harness.h.
#pragma once

#include <string>

namespace e2e {

struct JvmPerfMapRecording {
  std::string dump;      // the last dump, written at exit
  std::string perf_map;  // the JVM's /tmp/perf-<pid>.map, moved into the scratch directory
};

JvmPerfMapRecording jvm_perf_map_recording();

}  // namespace e2e
