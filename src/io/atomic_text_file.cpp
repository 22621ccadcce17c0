#include "atomic_text_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "output_paths.hpp"

namespace poreflux {

void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = temporary_path_for(path);
  // O_EXCL: the temporary is this process's own, never a file that was there before.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot write '" + path + "': creating '" + tmp + "' failed: " + std::strerror(errno));
  register_temporary(tmp);
  auto fail = [&](const std::string& what) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    release_temporary();
    throw std::runtime_error(what + " '" + path + "' failed: " + why);
  };
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("writing");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("syncing");
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    release_temporary();
    throw std::runtime_error("cannot move the finished file onto '" + path + "': " + why);
  }
  release_temporary();
}

}  // namespace poreflux
