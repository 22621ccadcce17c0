#include "run_plan.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
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
        throw OutputRefused("the parts folder '" + dir + "' holds cases of a different config (base config hash " +
                            base + ", this one " + plan.base_hash +
                            "): its results cannot be mixed with these. Give another "
                            "output (-o), or --force to discard them");
      if (log) *log << "sweep: discarding the parts in '" << dir << "' (a different base config; --force)\n";
      for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".h5") fs::remove(e.path());
    }
  }
  std::ofstream out(stamp + ".new");
  out << kPartsFormat << "\nbase " << plan.base_hash << "\nplan " << plan.plan_hash << "\nsource " << plan.source_file
      << '\n';
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


// Temporaries of a run that was killed: ours now (we hold the lock), and incomplete.
void remove_stale_temporaries(const std::string& parts_dir) {
  for (const fs::directory_entry& e : fs::directory_iterator(parts_dir))
    if (e.path().filename().string().find(".h5.tmp-") != std::string::npos) fs::remove(e.path());
}

// The runs still to do: each distinct intact baseline first, then the cases, leaving out every
// part already finished (counted in the report).
std::vector<Task> pending_tasks(const StudyPlan& plan, const std::vector<std::size_t>& selected,
                                const PlanRunOptions& options, PlanRunReport& report, std::size_t& baselines) {
  std::vector<Task> tasks;
  std::vector<std::string> baselines_seen;
  for (std::size_t i : selected) {
    const PlanCase& c = plan.cases[i];
    if (std::find(baselines_seen.begin(), baselines_seen.end(), c.baseline_id) != baselines_seen.end()) continue;
    baselines_seen.push_back(c.baseline_id);
    Task t{&c, true, c.baseline_id, part_path(options.parts_dir, c.baseline_id), c.baseline_id};
    if (part_is_done(t.path, t.hash, options.run_identity)) ++report.baselines_reused;
    else tasks.push_back(t);
  }
  for (std::size_t i : selected) {
    const PlanCase& c = plan.cases[i];
    Task t{&c, false, c.id, part_path(options.parts_dir, c.id), c.config_hash};
    if (part_is_done(t.path, t.hash, options.run_identity)) ++report.cases_reused;
    else tasks.push_back(t);
  }
  baselines = baselines_seen.size();
  return tasks;
}

void log_plan(const StudyPlan& plan, std::size_t selected, std::size_t baselines, std::size_t tasks,
              const PlanRunReport& report, const PlanRunOptions& options) {
  if (!options.log) return;
  *options.log << "sweep: " << selected << " case(s) of " << plan.cases.size() << ", " << baselines
               << " distinct intact baseline(s); ";
  if (report.cases_reused + report.baselines_reused > 0)
    *options.log << report.cases_reused << " case(s) and " << report.baselines_reused
                 << " baseline(s) already finished in " << options.parts_dir << ", ";
  *options.log << tasks << " run(s) to do with " << options.jobs << " job(s)\n";
}

// Runs the tasks on `jobs` worker threads (the calling thread when one): each worker takes the
// next task, runs it on its own backend and writes its part; the first failure stops them all.
class TaskRunner {
 public:
  TaskRunner(const std::vector<Task>& tasks, const PlanRunOptions& options, PlanRunReport& report, int jobs)
      : tasks_(tasks), options_(options), report_(report), jobs_(jobs), start_(Clock::now()) {}

  void run() {
    if (jobs_ == 1) {
      work();
    } else {
      std::vector<std::thread> threads;
      for (int j = 0; j < jobs_; ++j) threads.emplace_back([this] { work(); });
      for (std::thread& t : threads) t.join();
    }
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void work() {
    if (options_.worker_setup) options_.worker_setup(jobs_);
    std::unique_ptr<Backend> backend;
    for (;;) {
      if (failed()) return;
      const std::size_t k = next_++;
      if (k >= tasks_.size()) return;
      const Task& task = tasks_[k];
      try {
        if (options_.interrupt && *options_.interrupt) throw Interrupted();
        if (!backend) backend = options_.make_backend();
        const double seconds = run_and_write(task, *backend);
        finished(task, seconds);
      } catch (const Interrupted&) {
        fail(std::current_exception());
        return;
      } catch (const ConfigError& e) {
        // Say which case: the message alone would not tell among many.
        fail(std::make_exception_ptr(
            ConfigError(e.file(), e.line(), e.key_path(), "in " + task_name(task) + ": " + e.message(), e.subject())));
        return;
      } catch (const std::exception& e) {
        fail(std::make_exception_ptr(std::runtime_error(task_name(task) + ": " + e.what())));
        return;
      }
    }
  }

  // Runs one task's scenarios and writes its part; returns the seconds the run took.
  double run_and_write(const Task& task, Backend& backend) {
    Study study = task.c->study;
    if (options_.adjust_study) options_.adjust_study(study);
    const Clock::time_point t0 = Clock::now();
    StudyProgress progress;
    if (jobs_ == 1 && options_.on_time) {
      const std::string who = task.baseline ? "baseline" : task.c->id;
      const PlanRunOptions& options = options_;
      progress.on_time = [&options, who](const std::string& scenario, double t, double duration) {
        options.on_time(who + " " + scenario, t, duration);
      };
    }
    StudyRun run = run_study(study, backend, progress, options_.interrupt, nullptr,
                             task.baseline ? ScenarioSet::intact : ScenarioSet::treated);
    if (jobs_ == 1 && options_.on_case_end) options_.on_case_end();
    std::vector<const DiscreteProblem*> problems;
    for (const Scenario& s : run.scenarios) problems.push_back(&s.problem);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    // One writer at a time: the temporary-file registry (io/output_paths.hpp) holds one path,
    // and an HDF5 built without thread safety must not be entered twice.
    std::lock_guard<std::mutex> writing(write_mutex_);
    write_run_h5(task.path, study, run.result, problems, options_.version, [&](h5::Group& root) {
      root.attr_string("part_config_hash", task.hash);
      root.attr_string("part_run", options_.run_identity);
      root.attr_string("part_kind", task.baseline ? "baseline" : "case");
      root.attr_string("case_id", task.baseline ? std::string() : task.c->id);
      root.attr_string("label", task.baseline ? "intact baseline" : task.c->label);
      root.attr_string("baseline", task.c->baseline_id);
      root.attr_double("wall_seconds", seconds);
    });
    return seconds;
  }

  // Counts the task and logs its line with the elapsed time and the ETA.
  void finished(const Task& task, double seconds) {
    std::lock_guard<std::mutex> guard(mutex_);
    ++finished_;
    if (task.baseline) ++report_.baselines_run;
    else ++report_.cases_run;
    if (!options_.log) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double eta = elapsed / static_cast<double>(finished_) * static_cast<double>(tasks_.size() - finished_);
    *options_.log << "sweep: " << finished_ << "/" << tasks_.size() << " done: "
                  << (task.baseline ? "intact baseline " + task.id + " (for " + task.c->id + ")"
                                    : task.c->id + " (" + task.c->label + ")")
                  << " in " << seconds_text(seconds) << "; elapsed " << seconds_text(elapsed)
                  << (finished_ < tasks_.size() ? ", ETA " + seconds_text(eta) : std::string()) << '\n';
  }

  bool failed() {
    std::lock_guard<std::mutex> guard(mutex_);
    return static_cast<bool>(failure_);
  }
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!failure_) failure_ = e;
  }

  const std::vector<Task>& tasks_;
  const PlanRunOptions& options_;
  PlanRunReport& report_;
  const int jobs_;
  const Clock::time_point start_;
  std::mutex mutex_;        // guards the log, the counters and failure_
  std::mutex write_mutex_;  // one part written at a time
  std::atomic<std::size_t> next_{0};
  std::size_t finished_ = 0;
  std::exception_ptr failure_;
};

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
      throw ConfigError(e.file(), e.line(), e.key_path(), "in " + c.id + " (" + c.label + "): " + e.message(),
                        e.subject());
    }
  }
}

PlanRunReport run_plan(const StudyPlan& plan, const std::vector<std::size_t>& selected, const PlanRunOptions& options,
                       const PartsFolderLock& lock) {
  if (lock.dir() != options.parts_dir) throw std::logic_error("run_plan: the lock held is not on the parts folder");
  claim_parts_dir(plan, options.parts_dir, options.force, options.log);
  remove_stale_temporaries(options.parts_dir);
  PlanRunReport report;
  std::size_t baselines = 0;
  const std::vector<Task> tasks = pending_tasks(plan, selected, options, report, baselines);
  log_plan(plan, selected.size(), baselines, tasks.size(), report, options);
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(1, tasks.size()))));
  TaskRunner(tasks, options, report, jobs).run();
  return report;
}

}  // namespace poreflux
