// Running the config loader on untrusted text, for the fuzz harness (test_fuzz_config.cpp) and
// its regression tests (test_fuzz_regressions.cpp): the input runs in a forked child with a
// memory limit and a wall-clock limit, so that a crash, a hang or a runaway allocation in the
// loader is reported as an outcome instead of taking the test process (or the machine) down.
//
// The contract under test (include/poreflux/config.hpp): parse_study returns a Study or throws
// poreflux::ConfigError. Any other exception, a signal, or running past the time limit is a bug.
#pragma once

#include <cxxabi.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <toml++/toml.h>

#include "poreflux/config.hpp"

namespace poreflux::fuzz {

enum class OutcomeKind : std::uint32_t {
  study = 0,            // parse_study returned a Study
  config_error = 1,     // it threw ConfigError: the contract
  other_exception = 2,  // it threw anything else: a bug
  crash = 3,            // the child died of a signal (segfault, abort, stack overflow)
  hang = 4,             // the child ran past the time limit and was killed
  roundtrip = 5,        // the Study's resolved_toml did not load back (property of the resolve step)
};

inline const char* kind_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::study:
      return "study";
    case OutcomeKind::config_error:
      return "ConfigError";
    case OutcomeKind::other_exception:
      return "exception";
    case OutcomeKind::crash:
      return "crash";
    case OutcomeKind::hang:
      return "hang";
    case OutcomeKind::roundtrip:
      return "roundtrip";
  }
  return "?";
}

// For gtest's messages: the kind's name, not its bytes.
inline void PrintTo(OutcomeKind kind, std::ostream* os) { *os << kind_name(kind); }

struct Outcome {
  OutcomeKind kind = OutcomeKind::study;
  std::string type;      // the exception's type (demangled), or the signal's name
  std::string message;   // what(), or for a hang the time limit
  std::string key_path;  // ConfigError::key_path()
  int line = 0;          // ConfigError::line()
};

inline std::string demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> text(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
  return status == 0 && text ? std::string(text.get()) : std::string(name);
}

// The type of the exception being handled, inside a catch (...) block.
inline std::string current_exception_type() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  return type ? demangle(type->name()) : std::string("unknown");
}

// One call of the loader, in this process. With `check_roundtrip`, an accepted Study's
// resolved_toml is loaded back under the same source name: the loader's own output must load.
inline Outcome classify_parse(const std::string& text, const std::string& source_name, bool check_roundtrip) {
  Outcome outcome;
  std::string resolved;
  try {
    const Study study = parse_study(text, source_name);
    resolved = study.resolved_toml;
  } catch (const ConfigError& error) {
    outcome.kind = OutcomeKind::config_error;
    outcome.type = "poreflux::ConfigError";
    outcome.message = error.what();
    outcome.key_path = error.key_path();
    outcome.line = error.line();
    return outcome;
  } catch (const std::exception& error) {
    outcome.kind = OutcomeKind::other_exception;
    outcome.type = current_exception_type();
    outcome.message = error.what();
    return outcome;
  } catch (...) {
    outcome.kind = OutcomeKind::other_exception;
    outcome.type = current_exception_type();
    outcome.message = "(not a std::exception)";
    return outcome;
  }
  if (!check_roundtrip) return outcome;
  try {
    (void)parse_study(resolved, source_name);
  } catch (const ConfigError& error) {
    outcome.kind = OutcomeKind::roundtrip;
    outcome.type = "poreflux::ConfigError (reloading resolved_toml)";
    outcome.message = error.what();
    outcome.key_path = error.key_path();
    outcome.line = error.line();
  } catch (const std::exception& error) {
    outcome.kind = OutcomeKind::other_exception;
    outcome.type = current_exception_type() + " (reloading resolved_toml)";
    outcome.message = error.what();
  } catch (...) {
    outcome.kind = OutcomeKind::other_exception;
    outcome.type = current_exception_type() + " (reloading resolved_toml)";
    outcome.message = "(not a std::exception)";
  }
  return outcome;
}

// --- Records between the child and the parent: length-prefixed, so messages may hold anything.

inline void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
inline void put_text(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

inline void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the parent is gone; nothing to report to
    }
    done += static_cast<std::size_t>(n);
  }
}

inline std::string encode(std::uint64_t index, const Outcome& o) {
  std::string out;
  put_u64(out, index);
  put_u64(out, static_cast<std::uint64_t>(o.kind));
  put_u64(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(o.line)));
  put_text(out, o.type);
  put_text(out, o.message);
  put_text(out, o.key_path);
  return out;
}

// Takes whole records off the front of `buffer`.
inline bool decode(std::string& buffer, std::uint64_t& index, Outcome& o) {
  std::size_t at = 0;
  auto get_u64 = [&](std::uint64_t& v) {
    if (buffer.size() < at + sizeof v) return false;
    std::memcpy(&v, buffer.data() + at, sizeof v);
    at += sizeof v;
    return true;
  };
  auto get_text = [&](std::string& s) {
    std::uint64_t n = 0;
    if (!get_u64(n) || buffer.size() < at + n) return false;
    s.assign(buffer, at, n);
    at += n;
    return true;
  };
  std::uint64_t kind = 0, line = 0;
  Outcome out;
  if (!get_u64(index) || !get_u64(kind) || !get_u64(line) || !get_text(out.type) || !get_text(out.message) ||
      !get_text(out.key_path))
    return false;
  out.kind = static_cast<OutcomeKind>(kind);
  out.line = static_cast<int>(static_cast<std::int64_t>(line));
  o = std::move(out);
  buffer.erase(0, at);
  return true;
}

inline std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return std::string("signal ") + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
}

// In a forked child: limits that keep a runaway input from harming the machine (an allocation
// past the limit throws std::bad_alloc, which the harness reports), and no core files.
inline void limit_child(std::size_t memory_bytes) {
  rlimit as{memory_bytes, memory_bytes};
  setrlimit(RLIMIT_AS, &as);
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
  signal(SIGPIPE, SIG_IGN);
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One input, isolated: forked child, memory limit, wall-clock limit. For the regression tests.
inline Outcome run_isolated(const std::string& text, const std::string& source_name, double timeout_s = 10.0,
                            std::size_t memory_bytes = std::size_t{2} << 30, bool check_roundtrip = false) {
  int fds[2];
  if (::pipe(fds) != 0) return {OutcomeKind::crash, "pipe() failed", std::strerror(errno), "", 0};
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    limit_child(memory_bytes);
    const Outcome o = classify_parse(text, source_name, check_roundtrip);
    write_all(fds[1], encode(0, o));
    ::close(fds[1]);
    std::_Exit(0);
  }
  ::close(fds[1]);
  Outcome result;
  bool have = false, timed_out = false;
  std::string buffer;
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    const double left = timeout_s - seconds_since(t0);
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min(left * 1000.0, 200.0)) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) {
      char chunk[65536];
      const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n > 0) {
        buffer.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) break;  // the child closed the pipe: done or dead
    }
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  std::uint64_t index = 0;
  have = decode(buffer, index, result);
  if (timed_out) {
    char limit[64];
    std::snprintf(limit, sizeof limit, "no result within %g s", timeout_s);
    return {OutcomeKind::hang, "timeout", limit, "", 0};
  }
  if (WIFSIGNALED(status)) return {OutcomeKind::crash, signal_text(WTERMSIG(status)), "", "", 0};
  if (!have)
    return {OutcomeKind::crash, "exit " + std::to_string(WEXITSTATUS(status)), "no result from the child", "", 0};
  return result;
}

// --- The sandbox rule: inputs may name files, and must name none outside the sandbox.

// The loader joins a relative path to the config's directory (lexically normalised) and takes an
// absolute one as it is; "~" is not expanded and '\\' is no separator here.
inline bool string_leaves_sandbox(const std::string& s) {
  return s.find("..") != std::string::npos || (!s.empty() && s[0] == '/');
}

inline bool node_leaves_sandbox(const toml::node& node) {
  if (const auto* s = node.as_string()) return string_leaves_sandbox(s->get());
  if (const auto* t = node.as_table()) {
    for (auto&& [key, value] : *t)
      if (node_leaves_sandbox(value)) return true;
  }
  if (const auto* a = node.as_array()) {
    for (const toml::node& value : *a)
      if (node_leaves_sandbox(value)) return true;
  }
  return false;
}

// Whether the loader could be made to read a file outside the sandbox. Text that is not valid
// TOML cannot: the loader stops at the syntax error, before any section is read.
inline bool may_leave_sandbox(const std::string& text) {
  try {
    const toml::table document = toml::parse(std::string_view(text), std::string_view("fuzz_input.toml"));
    return node_leaves_sandbox(document);
  } catch (const toml::parse_error&) {
    return false;
  }
}

// A fresh, empty-but-for-fixtures directory in which relative paths in a config resolve: the
// fuzzer's inputs may name files ([compound] library, [calibration] from), and must find none
// but the fixtures copied here.
inline std::filesystem::path make_sandbox(const std::filesystem::path& under, const std::string& name,
                                          const std::filesystem::path& fixtures) {
  namespace fs = std::filesystem;
  const fs::path dir = under / name;
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  fs::create_directories(dir);
  if (fs::is_directory(fixtures)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(fixtures))
      if (entry.is_regular_file()) fs::copy_file(entry.path(), dir / entry.path().filename());
  }
  return dir;
}

// Where this test binary lives (build/tests): failing inputs and sandboxes go under it.
inline std::filesystem::path binary_dir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::current_path() : exe.parent_path();
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace poreflux::fuzz
