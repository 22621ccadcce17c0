#include "output_paths.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace poreflux {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw OutputRefused("output '" + path + "' " + why);
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

// The same file as an existing input: same device and inode, or (for an output that does not
// exist yet) the same path once symbolic links are resolved.
bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code e1, e2;
  const fs::path ca = fs::weakly_canonical(a, e1), cb = fs::weakly_canonical(b, e2);
  return !e1 && !e2 && ca == cb;
}

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

void probe_folder(const std::string& path) {
  const std::string folder = folder_of(path);
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0) refuse(path, "cannot be written: the folder '" + folder + "' does not exist");
  if (!S_ISDIR(st.st_mode)) refuse(path, "cannot be written: '" + folder + "' is not a folder");
  const std::string probe = folder + "/.poreflux-probe-" + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    refuse(path, "cannot be written: creating a file in '" + folder + "' failed (" + std::strerror(errno) + ")");
  ::close(fd);
  ::unlink(probe.c_str());
}

// OUT.tmp-PID files beside `path`: a dead run's are removed, a live one's refuses the output.
void clear_stale_temporaries(const std::string& path, std::ostream* notes) {
  const std::string folder = folder_of(path);
  const std::string prefix = fs::path(path).filename().string() + ".tmp-";
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    const std::string stale = folder + "/" + name;
    if (pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) {
      ::closedir(dir);
      refuse(path, "is being written by another run (process " + std::to_string(pid) + ", temporary '" + stale + "')");
    }
    if (::unlink(stale.c_str()) == 0 && notes)
      *notes << "removed '" << stale << "', a temporary left by a run that died (process " << pid << ")\n";
  }
  ::closedir(dir);
}

char g_temporary[4096] = {0};

}  // namespace

void check_outputs(const std::vector<PlannedOutput>& outputs, const std::vector<std::string>& inputs, bool force,
                   std::ostream* notes) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const PlannedOutput& out = outputs[i];
    if (out.path.empty()) continue;
    for (const std::string& in : inputs)
      if (!in.empty() && same_file(out.path, in))
        refuse(out.path, "is also an input ('" + in + "'); choose another name");
    for (std::size_t j = 0; j < i; ++j)
      if (!outputs[j].path.empty() && same_file(out.path, outputs[j].path))
        refuse(out.path,
               "would hold both the " + outputs[j].what + " and the " + out.what + "; give them different names");
    struct stat st {};
    if (::lstat(out.path.c_str(), &st) == 0) {
      if (!S_ISREG(st.st_mode))
        refuse(out.path, std::string("exists and is ") + kind_of(st.st_mode) +
                             ", not a regular file; poreflux replaces only regular files");
      if (!force) refuse(out.path, "exists; add --force to replace it (or choose another name)");
      if (notes) *notes << "replacing '" << out.path << "' (--force)\n";
    } else if (errno != ENOENT) {
      refuse(out.path, std::string("cannot be checked: ") + std::strerror(errno));
    }
    probe_folder(out.path);
    clear_stale_temporaries(out.path, notes);
  }
}

std::string temporary_path_for(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

void register_temporary(const std::string& path) {
  if (path.size() >= sizeof g_temporary) return;
  std::memcpy(g_temporary, path.c_str(), path.size() + 1);
}

void release_temporary() { g_temporary[0] = '\0'; }

extern "C" void remove_registered_temporary_from_signal_handler() {
  if (g_temporary[0] != '\0') ::unlink(g_temporary);
}

}  // namespace poreflux
