#include "run_plan.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "io/h5_handles.hpp"
#include "io/output_paths.hpp"
#include "io/write_run_h5.hpp"
#include "model/grid_budget.hpp"
#include "poreflux/config.hpp"
#include "run_study.hpp"

namespace poreflux {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kPartsFormat = "poreflux-parts/1";

// What the folder was made for; a folder of another base config is not mixed into this one.
void claim_parts_dir(const StudyPlan& plan, const std::string& dir, bool force, std::ostream* log) {
  const std::string stamp = dir + "/plan.txt";
  std::ifstream in(stamp);
  std::string format, base_word, base;
  if (in >> format >> base_word >> base) {
    if (format != kPartsFormat || base != plan.base_hash) {
      if (!force)
        throw OutputRefused("the parts folder '" + dir + "' holds cases of a different config (base config hash " + base +
                            ", this one " + plan.base_hash + "): its results cannot be mixed with these. Give another "
                            "output (-o), or --force to discard them");
      if (log) *log << "sweep: discarding the parts in '" << dir << "' (a different base config; --force)\n";
      for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".h5") fs::remove(e.path());
    }
  }
  std::ofstream out(stamp + ".new");
  out << kPartsFormat << "\nbase " << plan.base_hash << "\nplan " << plan.plan_hash << "\nsource " << plan.source_file << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + stamp + "'");
  fs::rename(stamp + ".new", stamp);
}

// A part is finished when it exists (it is renamed into place only once complete) and was
// made from the same case config.
bool part_is_done(const std::string& path, const std::string& config_hash, const std::string& run_identity) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return false;
  try {
    h5::File file = h5::File::open_read(path);
    const h5::Group& root = file.root();
    return root.has_attr("part_config_hash") && root.read_attr_string("part_config_hash") == config_hash &&
           root.has_attr("part_run") && root.read_attr_string("part_run") == run_identity;
  } catch (const std::exception&) {
    return false;  // unreadable: run it again (the rename replaces it)
  }
}

struct Task {
  const PlanCase* c;
  bool baseline;  // the intact scenario of c's setting, else c's treated scenario
  std::string id, path, hash;
};

std::string seconds_text(double s) { return format_seconds(s); }

std::string task_name(const Task& task) {
  return task.baseline ? "the intact baseline " + task.id + " (of " + task.c->id + ")"
                       : task.c->id + " (" + task.c->label + ")";
}

}  // namespace

PartsFolderLock::PartsFolderLock(const std::string& dir) : dir_(dir) {
  fs::create_directories(dir);
  fd_ = ::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputRefused("cannot create the lock file in '" + dir + "': " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    if (error == EWOULDBLOCK)
      throw OutputRefused("another poreflux process is running cases into '" + dir +
                          "'; wait for it, or give this run another output (-o)");
    throw OutputRefused("cannot lock '" + dir + "/lock': " + std::strerror(error) +
                        " (a file system without flock?); give an output on a local or flock-capable file system");
  }
}

PartsFolderLock::~PartsFolderLock() { ::close(fd_); }  // closing releases the lock

std::vector<std::size_t> shard_cases(const StudyPlan& plan, int index, int count) {
  std::vector<std::size_t> selected;
  for (std::size_t i = static_cast<std::size_t>(index); i < plan.cases.size(); i += static_cast<std::size_t>(count))
    selected.push_back(i);
  return selected;
}

std::string part_path(const std::string& parts_dir, const std::string& id) { return parts_dir + "/" + id + ".h5"; }

void check_case_grids(const StudyPlan& plan, const std::vector<std::size_t>& selected, const PlanRunOptions& options) {
  std::vector<std::string> baselines;
  for (std::size_t i : selected) {
    const PlanCase& c = plan.cases[i];
    Study study = c.study;
    if (options.adjust_study) options.adjust_study(study);
    const bool new_baseline = std::find(baselines.begin(), baselines.end(), c.baseline_id) == baselines.end();
    if (new_baseline) baselines.push_back(c.baseline_id);
    try {
      (void)build_scenarios(study, new_baseline ? ScenarioSet::all : ScenarioSet::treated);
    } catch (const ConfigError& e) {
      throw ConfigError(e.file(), e.line(), e.key_path(), "in " + c.id + " (" + c.label + "): " + e.message(), e.subject());
    }
  }
}

PlanRunReport run_plan(const StudyPlan& plan, const std::vector<std::size_t>& selected, const PlanRunOptions& options,
                       const PartsFolderLock& lock) {
  if (lock.dir() != options.parts_dir) throw std::logic_error("run_plan: the lock held is not on the parts folder");
  claim_parts_dir(plan, options.parts_dir, options.force, options.log);
  // Temporaries of a run that was killed: ours now (we hold the lock), and incomplete.
  for (const fs::directory_entry& e : fs::directory_iterator(options.parts_dir))
    if (e.path().filename().string().find(".h5.tmp-") != std::string::npos) fs::remove(e.path());

  PlanRunReport report;
  std::vector<Task> tasks;
  std::vector<std::string> baselines_seen;
  for (std::size_t i : selected) {
    const PlanCase& c = plan.cases[i];
    if (std::find(baselines_seen.begin(), baselines_seen.end(), c.baseline_id) == baselines_seen.end()) {
      baselines_seen.push_back(c.baseline_id);
      Task t{&c, true, c.baseline_id, part_path(options.parts_dir, c.baseline_id), c.baseline_id};
      if (part_is_done(t.path, t.hash, options.run_identity)) ++report.baselines_reused;
      else tasks.push_back(t);
    }
  }
  for (std::size_t i : selected) {
    const PlanCase& c = plan.cases[i];
    Task t{&c, false, c.id, part_path(options.parts_dir, c.id), c.config_hash};
    if (part_is_done(t.path, t.hash, options.run_identity)) ++report.cases_reused;
    else tasks.push_back(t);
  }
  if (options.log) {
    *options.log << "sweep: " << selected.size() << " case(s) of " << plan.cases.size() << ", " << baselines_seen.size()
                 << " distinct intact baseline(s); ";
    if (report.cases_reused + report.baselines_reused > 0)
      *options.log << report.cases_reused << " case(s) and " << report.baselines_reused
                   << " baseline(s) already finished in " << options.parts_dir << ", ";
    *options.log << tasks.size() << " run(s) to do with " << options.jobs << " job(s)\n";
  }

  std::mutex mutex;        // guards the log, the counters and `failure`
  std::mutex write_mutex;  // one part written at a time
  std::atomic<std::size_t> next{0};
  std::size_t finished = 0;
  std::exception_ptr failure;
  const Clock::time_point start = Clock::now();

  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(1, tasks.size()))));
  auto worker = [&]() {
    if (options.worker_setup) options.worker_setup(jobs);
    std::unique_ptr<Backend> backend;
    for (;;) {
      {
        std::lock_guard<std::mutex> guard(mutex);
        if (failure) return;
      }
      const std::size_t k = next++;
      if (k >= tasks.size()) return;
      const Task& task = tasks[k];
      try {
        if (options.interrupt && *options.interrupt) throw Interrupted();
        if (!backend) backend = options.make_backend();
        Study study = task.c->study;
        if (options.adjust_study) options.adjust_study(study);
        const Clock::time_point t0 = Clock::now();
        StudyProgress progress;
        if (jobs == 1 && options.on_time) {
          const std::string who = task.baseline ? "baseline" : task.c->id;
          progress.on_time = [&options, who](const std::string& scenario, double t, double duration) {
            options.on_time(who + " " + scenario, t, duration);
          };
        }
        StudyRun run = run_study(study, *backend, progress, options.interrupt, nullptr,
                                 task.baseline ? ScenarioSet::intact : ScenarioSet::treated);
        if (jobs == 1 && options.on_case_end) options.on_case_end();
        std::vector<const DiscreteProblem*> problems;
        for (const Scenario& s : run.scenarios) problems.push_back(&s.problem);
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        // One writer at a time: the temporary-file registry (io/output_paths.hpp) holds one
        // path, and an HDF5 built without thread safety must not be entered twice.
        std::unique_lock<std::mutex> writing(write_mutex);
        write_run_h5(task.path, study, run.result, problems, options.version, [&](h5::Group& root) {
          root.attr_string("part_config_hash", task.hash);
          root.attr_string("part_run", options.run_identity);
          root.attr_string("part_kind", task.baseline ? "baseline" : "case");
          root.attr_string("case_id", task.baseline ? std::string() : task.c->id);
          root.attr_string("label", task.baseline ? "intact baseline" : task.c->label);
          root.attr_string("baseline", task.c->baseline_id);
          root.attr_double("wall_seconds", seconds);
        });
        writing.unlock();
        std::lock_guard<std::mutex> guard(mutex);
        ++finished;
        if (task.baseline) ++report.baselines_run;
        else ++report.cases_run;
        if (options.log) {
          const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
          const double eta = elapsed / static_cast<double>(finished) * static_cast<double>(tasks.size() - finished);
          *options.log << "sweep: " << finished << "/" << tasks.size() << " done: "
                       << (task.baseline ? "intact baseline " + task.id + " (for " + task.c->id + ")"
                                         : task.c->id + " (" + task.c->label + ")")
                       << " in " << seconds_text(seconds) << "; elapsed " << seconds_text(elapsed)
                       << (finished < tasks.size() ? ", ETA " + seconds_text(eta) : std::string()) << '\n';
        }
      } catch (const Interrupted&) {
        std::lock_guard<std::mutex> guard(mutex);
        if (!failure) failure = std::current_exception();
        return;
      } catch (const ConfigError& e) {
        // Say which case: the message alone would not tell among many.
        std::lock_guard<std::mutex> guard(mutex);
        if (!failure)
          failure = std::make_exception_ptr(ConfigError(e.file(), e.line(), e.key_path(),
                                                        "in " + task_name(task) + ": " + e.message(), e.subject()));
        return;
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> guard(mutex);
        if (!failure) failure = std::make_exception_ptr(std::runtime_error(task_name(task) + ": " + e.what()));
        return;
      }
    }
  };

  if (jobs == 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  return report;
}

}  // namespace poreflux
