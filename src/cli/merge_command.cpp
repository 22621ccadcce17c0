// `poreflux merge -o OUT.h5 SHARD.h5...`: the shards of one study (`poreflux sweep --shard K/N`)
// into the file the unsharded sweep would have written, after checking that they come from the
// same config and that every case is there exactly once.
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "io/output_paths.hpp"
#include "io/study_h5.hpp"
#include "poreflux/config.hpp"
#include "poreflux/version.hpp"

namespace poreflux::cli {

int merge_command(const MergeOptions& options) {
  namespace fs = std::filesystem;
  if (options.shards.empty()) throw ConfigError("", 0, "", "merge needs the shard files to merge");
  std::vector<StudyFileInfo> infos;
  for (const std::string& f : options.shards) {
    try {
      infos.push_back(read_study_file_info(f));
    } catch (const std::exception& e) {
      throw ConfigError(f, 0, "", std::string("cannot merge it: ") + e.what());
    }
  }
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (infos[i].kind != "shard")
      throw ConfigError(options.shards[i], 0, "",
                        "it is a whole " + infos[i].kind +
                            " file, not a shard; merge takes the files that `poreflux "
                            "sweep --shard K/N` writes");
  for (std::size_t i = 1; i < infos.size(); ++i)
    if (infos[i].run_identity != infos[0].run_identity)
      throw ConfigError(options.shards[i], 0, "",
                        "it was run as \"" + infos[i].run_identity + "\", " + options.shards[0] + " as \"" +
                            infos[0].run_identity +
                            "\"; merge only shards run by the same program with the same options");
  for (std::size_t i = 1; i < infos.size(); ++i)
    if (infos[i].plan_hash != infos[0].plan_hash)
      throw ConfigError(options.shards[i], 0, "",
                        "it comes from a different study than " + options.shards[0] + " (plan hash " +
                            infos[i].plan_hash + " vs " + infos[0].plan_hash +
                            "); merge only the shards of one sweep config");
  const std::string config = options.config.empty() ? infos[0].source_file : options.config;
  const StudyPlan plan = load_study_plan(config);
  if (plan.plan_hash != infos[0].plan_hash)
    throw ConfigError(config, 0, "",
                      "the shards were made from another version of this config (plan hash " + infos[0].plan_hash +
                          ", the config now gives " + plan.plan_hash +
                          "); rerun the shards, or give the config they "
                          "were made from with --config");

  StudyFileSpec spec;
  spec.kind = plan.kind == StudyKind::sweep ? "sweep" : "population";
  spec.run_identity = infos[0].run_identity;
  std::map<std::string, std::string> holder;  // case id -> shard file
  for (std::size_t s = 0; s < infos.size(); ++s) {
    for (const std::string& id : infos[s].case_ids) {
      if (holder.count(id))
        throw ConfigError(options.shards[s], 0, "",
                          "case " + id + " is also in " + holder[id] +
                              ": a case must come from one shard only (two runs of one shard?)");
      holder[id] = options.shards[s];
      spec.sources[id] = {options.shards[s], "/cases/" + id};
    }
    for (const std::string& id : infos[s].baseline_ids)
      if (!spec.sources.count(id)) spec.sources[id] = {options.shards[s], "/baselines/" + id};
  }
  std::vector<std::string> missing;
  for (const PlanCase& c : plan.cases) {
    if (!holder.count(c.id)) missing.push_back(c.id);
    else spec.cases.push_back(c.index);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 10; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 10) list += ", ...";
    throw ConfigError(config, 0, "",
                      std::to_string(missing.size()) + " of " + std::to_string(plan.cases.size()) +
                          " cases are in none of the shards (" + list +
                          "); run the missing shards (or all N of --shard K/N) and merge again");
  }
  const std::string out = options.output;
  const std::string csv = options.csv.empty() ? fs::path(out).replace_extension(".csv").string() : options.csv;
  std::vector<std::string> inputs = options.shards;
  inputs.push_back(config);
  check_outputs({{out, "merged results (HDF5)"}, {csv, "results table (CSV)"}}, inputs, options.force, &std::cerr);
  const StudyOutputs outputs = write_study_h5(out, plan, spec, kVersion);
  write_table_csv(csv, outputs.table);
  if (!options.quiet) {
    std::cout << "merged " << infos.size() << " shard(s), " << plan.cases.size() << " cases\n\n";
    print_study_outputs(std::cout, outputs);
    std::cout << "\nresults: " << out << ", table: " << csv << '\n';
  }
  return 0;
}

}  // namespace poreflux::cli
