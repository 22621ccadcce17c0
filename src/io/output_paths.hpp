// Where a command's results go, checked before any work is done (issue 8, docs/CONFIG.md
// "Output files"). Refused, with the path named: an output that is also an input, two
// outputs that are one file, anything there that is not a regular file (a folder, FIFO,
// device, socket or symbolic link), a folder that does not exist or cannot be written (a
// probe file is created and removed), and an existing file unless `force` (then it is
// replaced, and `notes` says so). Temporaries left by a run that died (OUT.tmp-PID with no
// such process) are removed and reported; one of a live run refuses the output.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace poreflux {

struct OutputRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PlannedOutput {
  std::string path;
  std::string what;  // "results (HDF5)", "summary JSON"
};

// `inputs`: every file the command reads (config, compound libraries, calibration, data).
void check_outputs(const std::vector<PlannedOutput>& outputs, const std::vector<std::string>& inputs, bool force,
                   std::ostream* notes);

// The temporary beside `path` that this process writes to, created with O_EXCL.
std::string temporary_path_for(const std::string& path);

// The temporary being written, for the signal handler: a second Ctrl-C removes it (unlink is
// async-signal-safe) before exiting. Set while writing, cleared after the rename.
void register_temporary(const std::string& path);
void release_temporary();
extern "C" void remove_registered_temporary_from_signal_handler();

}  // namespace poreflux
