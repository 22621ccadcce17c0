// Writes a run's results to one HDF5 file (layout "poreflux-h5/1", read by tools/plot_results.py
// and checked by tests/h5_check.py). The file appears complete or not at all: it is written
// beside the target and renamed onto it only once closed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "poreflux/h5_layout.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

namespace h5 {
class Group;  // io/h5_handles.hpp; include it to fill groups from a hook
}

inline constexpr const char* kH5Schema = h5layout::kRunSchema;

// Fills the file's root group (with the datasets already written by write_run_h5, if called
// from there); runs before the file is closed and renamed, so whatever it adds is atomic too.
using H5Fill = std::function<void(h5::Group& root)>;

// problems[i] is the discretised problem of run.scenarios[i]. Inconsistent sizes throw
// std::invalid_argument before any file is created; HDF5 failures throw std::runtime_error.
// `extra` (may be empty) adds further groups, e.g. per-scenario channel slices.
void write_run_h5(const std::string& path, const Study& study, const RunResult& run,
                  const std::vector<const DiscreteProblem*>& problems, const std::string& poreflux_version,
                  const H5Fill& extra = {});

// Creates "<path>.tmp-<pid>", lets `fill` write into it, closes and syncs it and renames it onto
// `path` (replacing any file there in one step). On any exception the temporary is removed
// and the exception rethrown, so `path` is either untouched or the complete new file.
void write_h5_atomically(const std::string& path, const H5Fill& fill);

}  // namespace poreflux
