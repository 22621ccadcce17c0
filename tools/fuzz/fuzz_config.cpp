// libFuzzer target over the config loader and the resolve step (issue 8, deliverable 7): the
// coverage-guided counterpart of tests/test_fuzz_config.cpp. Built only with clang and
// -DPOREFLUX_FUZZ=ON (see tools/fuzz/README.md).
//
// The contract: parse_study returns a Study or throws poreflux::ConfigError. Any other exception
// escapes this function and libFuzzer reports it as a crash ("deadly signal" after an uncaught
// exception), as it does segfaults, sanitizer reports, timeouts (-timeout) and memory
// (-rss_limit_mb / -malloc_limit_mb).
//
// Inputs are parsed under a source name in a fresh sandbox directory that holds only the fixtures
// of tests/fuzz_corpus/sandbox/, and an input holding a string that could name a file outside it
// is not run: the target reads no other file and writes none.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"

namespace {
std::string g_source_name;
std::filesystem::path g_sandbox;
void remove_sandbox() {
  std::error_code ignored;
  std::filesystem::remove_all(g_sandbox, ignored);
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::filesystem::path sandbox = poreflux::fuzz::make_sandbox(
      std::filesystem::temp_directory_path(), "poreflux_libfuzzer_" + std::to_string(::getpid()),
      std::filesystem::path(POREFLUX_SOURCE_DIR) / "tests" / "fuzz_corpus" / "sandbox");
  g_source_name = (sandbox / "fuzz_input.toml").string();
  g_sandbox = sandbox;
  std::atexit(remove_sandbox);
  std::fprintf(stderr, "poreflux fuzz_config: sandbox %s\n", sandbox.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (poreflux::fuzz::may_leave_sandbox(text)) return -1;  // not added to the corpus
  try {
    const poreflux::Study study = poreflux::parse_study(text, g_source_name);
    // The resolve step's own output loads back (docs/CONFIG.md).
    try {
      (void)poreflux::parse_study(study.resolved_toml, g_source_name);
    } catch (const poreflux::ConfigError& error) {
      std::fprintf(stderr, "resolved_toml does not load back: %s\n", error.what());
      std::abort();
    }
  } catch (const poreflux::ConfigError&) {
    // the contract
  }
  return 0;
}
