// Runs engine work off the Python thread: the work runs in a C++ thread without the GIL while
// the calling thread, a few times a second, takes the GIL to check for Ctrl-C (a signal, or
// _thread.interrupt_main() from a timer) and to pass the latest progress to a Python callback.
// An interrupt sets the engine's flag (the one the CLI's SIGINT handler sets), the engine
// stops with Interrupted within an operator evaluation, and the Python error is raised.
#pragma once

#include <pybind11/pybind11.h>

#include <csignal>
#include <functional>
#include <string>

namespace poreflux::python {

// What the work reports: the scenario (or case) it is in, simulated time and duration [s].
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void update(const std::string& what, double t_s, double duration_s) = 0;
};

// Calls `work` in a worker thread; `progress` (None or a callable(what, t_s, duration_s)) is
// called from the calling thread. Rethrows the work's C++ exception, or the Python exception
// (KeyboardInterrupt, or the progress callback's) that stopped it.
void run_without_gil(
    const std::function<void(const volatile std::sig_atomic_t* interrupt, ProgressSink& progress)>& work,
    const pybind11::object& progress);

}  // namespace poreflux::python
