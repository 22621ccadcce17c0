// The built command line tool, run as a user would, from a fresh temporary folder per test:
// shared by the CLI tests (test_cli.cpp) and the study tests (test_studies.cpp).
#pragma once

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace poreflux::testing {

namespace fs = std::filesystem;

inline const char* const kCli = POREFLUX_CLI;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Outcome {
  int code = -1;       // exit status; -1 if killed by a signal
  std::string output;  // stdout and stderr together
};

// A fresh temporary directory per test, removed afterwards.
class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() / ("poreflux_cli_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure()) fs::remove_all(dir, ec);
  }

  // Runs `poreflux ARGS` in the temporary directory through the shell.
  Outcome run(const std::string& args) const {
    const fs::path log = dir / "cli_output.txt";
    const std::string command =
        "cd " + quote(dir.string()) + " && " + quote(kCli) + " " + args + " > " + quote(log.string()) + " 2>&1";
    const int status = std::system(command.c_str());
    Outcome o;
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.output = read_file(log);
    fs::remove(log);
    return o;
  }

  // Files whose name contains ".tmp-" (the writers' temporaries) left in the directory.
  std::vector<std::string> temporaries() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().find(".tmp-") != std::string::npos)
        found.push_back(e.path().filename().string());
    return found;
  }

  fs::path dir;
};

}  // namespace poreflux::testing
