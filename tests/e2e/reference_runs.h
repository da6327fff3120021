// The reference tools' runs, each made once per build.  The Go and Perl
// pprofs and jeprof print the same for the same arguments, environment and
// input files; on a JVM dump one run takes half a minute, and the ".warm"
// copy of a differential test, or another test that asks the same, would
// take it again.
#pragma once

#include <string>
#include <vector>

#include "harness.h"

namespace e2e {

// run_command(argv, env) the first time; later, the same result read back
// from scratch_dir()/reference/KEY.  KEY is a hash of argv, env and, for
// every argument that names a regular file (whole, or after its first '='),
// that file's inode, size and modification time, argv[0] included: a dump
// recorded again, or a tool installed again, is a new question.  Concurrent
// runs of one question (a test and its .warm copy, started together) wait
// for the first instead of running it twice.  Only exit_status, out and err
// are kept.
CommandResult run_reference(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

}  // namespace e2e
