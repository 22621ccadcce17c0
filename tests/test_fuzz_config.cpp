// A deterministic, property-based mutational fuzzer over the config loader and the resolve step
// (poreflux::parse_study), run by the normal suite for a bounded time (issue 8, deliverable 7).
//
// It starts from the committed seed corpus tests/fuzz_corpus/*.toml (the shipped configs and
// hand-written seeds covering every section) and mutates it: lines deleted, duplicated or moved,
// values swapped between keys or replaced by edge cases (0, -1, ±1e308, nan, inf, "", very long
// strings, wrong types, wrong units, huge lists, nested tables, unicode, control characters),
// keys renamed, sections inserted, documents spliced, bytes flipped, text truncated.
//
// The properties, for every input:
//   1. parse_study returns a Study or throws poreflux::ConfigError: nothing else, no crash, and
//      within POREFLUX_FUZZ_INPUT_TIMEOUT seconds;
//   2. an accepted Study's resolved_toml loads back (docs/CONFIG.md: "it loads back to the same
//      study"); POREFLUX_FUZZ_ROUNDTRIP=0 turns this off.
// A failure saves the input under build/tests/fuzz_failures/ (the path is printed) so that it
// can become a regression (tests/fuzz_regressions/, test_fuzz_regressions.cpp).
//
// Inputs run in forked children (tests/fuzz_support.hpp) with a memory limit; a parent watches
// each input's progress in shared memory and kills a child whose input runs too long. Input i
// is a pure function of (seed, i), so any input can be regenerated from the two numbers.
//
// Sandbox: inputs are parsed under the source name <sandbox>/fuzz_input.toml, where <sandbox>
// is a fresh directory holding only the fixtures of tests/fuzz_corpus/sandbox/, so relative
// paths in `[compound] library` and `[calibration] from` resolve there. An input holding any
// string that could name a file outside it (absolute, or with "..") is skipped and counted.
// The loader only reads files; nothing here writes outside build/tests.
//
// Environment:
//   POREFLUX_FUZZ_SECONDS        time budget of the mutation run (default 30)
//   POREFLUX_FUZZ_SEED           seed (default 8007; printed)
//   POREFLUX_FUZZ_INPUTS         stop after this many inputs (default: no limit, time only)
//   POREFLUX_FUZZ_INPUT_TIMEOUT  seconds one input may take before it counts as a hang (default 5)
//   POREFLUX_FUZZ_ROUNDTRIP      1 (default) checks that resolved_toml loads back
//   POREFLUX_FUZZ_DUMP           an input index: write that input to build/tests/fuzz_failures/
//                                and run it alone (reproduction), instead of the run
#include <gtest/gtest.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "fuzz_support.hpp"
#include "poreflux/config_keys.hpp"

namespace {

namespace fs = std::filesystem;
using poreflux::fuzz::may_leave_sandbox;
using poreflux::fuzz::Outcome;
using poreflux::fuzz::OutcomeKind;

// --- Settings --------------------------------------------------------------------------------

double env_number(const char* name, double fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  return end != text && std::isfinite(value) ? value : fallback;
}

constexpr std::uint64_t kDefaultSeed = 8007;

// Classes of failure that are known loader bugs, each with its regression test in
// test_fuzz_regressions.cpp (skipped until the loader is fixed). The fuzz run reports them but
// does not fail on them; any other failure fails the test. Remove an entry when its bug is fixed.
struct KnownBug {
  const char* regression;  // tests/fuzz_regressions/<regression>.toml, and its test
  OutcomeKind kind;
  const char* type_contains;     // in the exception type ("" = any)
  const char* message_contains;  // in what() ("" = any)
  const char* input_contains;    // in the class's first input ("" = any)
};

const std::vector<KnownBug>& known_bugs() {
  // Every class found so far is fixed (tests/test_fuzz_regressions.cpp holds one input each);
  // a new class goes here, with its regression test, until it is fixed.
  static const std::vector<KnownBug> bugs = {};
  return bugs;
}

// --- Deterministic randomness ----------------------------------------------------------------

// splitmix64: the same numbers on every platform and standard library.
struct Rng {
  std::uint64_t state;
  explicit Rng(std::uint64_t seed) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

// --- The corpus and what the mutator draws from ----------------------------------------------

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// "key = value  # comment" -> key, value (comment dropped). Returns false for other lines.
bool split_key_value(const std::string& line, std::string& key, std::string& value) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const std::size_t key_start = i;
  while (i < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-' || line[i] == '.'))
    ++i;
  if (i == key_start) return false;
  key = line.substr(key_start, i - key_start);
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '=') return false;
  ++i;
  while (i < line.size() && line[i] == ' ') ++i;
  // The value ends at a '#' outside quotes.
  bool in_string = false;
  std::size_t end = i;
  for (; end < line.size(); ++end) {
    const char c = line[end];
    if (c == '"' && (end == 0 || line[end - 1] != '\\')) in_string = !in_string;
    if (c == '#' && !in_string) break;
  }
  value = line.substr(i, end - i);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  return !value.empty();
}

struct Corpus {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> docs;  // lines
  std::vector<std::string> keys, values, headers, lines;
};

fs::path source_dir() { return fs::path(POREFLUX_SOURCE_DIR); }
// The keys and headers of the registry's fuzz dictionary lines: `"key = "` and `"[header]\x0a"`.
void add_registry_tokens(std::set<std::string>& keys, std::set<std::string>& headers) {
  std::istringstream lines(poreflux::config_keys_fuzz_lines());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() < 3 || line.front() != '"' || line.back() != '"') continue;
    const std::string token = line.substr(1, line.size() - 2);
    const std::string key_suffix = " = ";
    const std::string header_suffix = "\\x0a";
    if (token.size() > key_suffix.size() &&
        token.compare(token.size() - key_suffix.size(), key_suffix.size(), key_suffix) == 0)
      keys.insert(token.substr(0, token.size() - key_suffix.size()));
    else if (token.front() == '[' && token.size() > header_suffix.size() &&
             token.compare(token.size() - header_suffix.size(), header_suffix.size(), header_suffix) == 0)
      headers.insert(token.substr(0, token.size() - header_suffix.size()));
  }
}

fs::path corpus_dir() { return source_dir() / "tests" / "fuzz_corpus"; }

Corpus load_corpus() {
  Corpus corpus;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(corpus_dir()))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // a fixed order: input i is the same on every machine
  std::set<std::string> keys, values, headers;
  for (const fs::path& file : files) {
    corpus.names.push_back(file.filename().string());
    corpus.docs.push_back(split_lines(poreflux::fuzz::read_text(file)));
    for (const std::string& line : corpus.docs.back()) {
      std::string key, value;
      if (split_key_value(line, key, value)) {
        keys.insert(key);
        values.insert(value);
        corpus.lines.push_back(line);
      } else if (!line.empty() && line[0] == '[') {
        headers.insert(line.substr(0, line.find(']') + (line.rfind("]]") != std::string::npos ? 2 : 1)));
      }
    }
  }
  // Every declared key and section header, from the key registry (the lines it generates
  // tools/fuzz/config.dict from), so that every reader is reached although the shipped configs
  // use only some keys; a key added to the registry is fuzzed without an edit here.
  add_registry_tokens(keys, headers);
  // Tokens the registry does not declare as plain keys or headers: the vehicle composition's
  // components, dotted keys (a sweep axis's, or TOML's dotted-key syntax), a made-up key, and
  // header forms that are wrong (a table where an array of tables belongs and the reverse, the
  // inline tables as headers, an unknown section, a nested path) to reach the error paths.
  for (const char* key : {"water", "ethanol", "glycerol", "compound.name", "vehicle.ph", "protocol.duration", "schema"})
    keys.insert(key);
  for (const char* header :
       {"[compound.log_kow]", "[compound.molecular_weight]", "[vehicle.composition]", "[vehicle.evaporation_rates]",
        "[layer]", "[[vehicle]]", "[[protocol]]", "[unknown_section]", "[a.b.c]"})
    headers.insert(header);
  corpus.keys.assign(keys.begin(), keys.end());
  corpus.values.assign(values.begin(), values.end());
  corpus.headers.assign(headers.begin(), headers.end());
  return corpus;
}

// --- Edge cases ----------------------------------------------------------------------------------

const std::vector<std::string>& edge_numbers() {
  static const std::vector<std::string> v = {
      "0", "-0", "-0.0", "1", "-1", "0.5", "1e308", "-1e308", "1.7976931348623157e308", "1e-308", "-1e-308", "5e-324",
      "4.9e-324", "2.2250738585072014e-308", "nan", "+nan", "-nan", "inf", "+inf", "-inf", "9223372036854775807",
      "-9223372036854775808", "9007199254740993", "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
      "1e9", "1e15", "1e19", "1e20", "100000", "100001", "99999.5", "1000", "1001", "1.0000001", "0.9999999", "14",
      "14.000001", "20", "-5", "-10", "0x7fffffff", "0o777", "0b1", "1_000_000", "3.14e+2", "1E-6", "1e-9", "1e-300",
      "123456789012345678",
      // Small but ordinary: many steps, events or cells rather than an overflow.
      "0.01", "0.001", "1e-4", "1e-5", "1e-6", "1e-7"};
  return v;
}

const std::vector<std::string>& units() {
  static const std::vector<std::string> v = {
      "nm",      "um",     "µm",       "μm",     "mm",     "cm",        "m",    "ms",    "s",      "min",  "h",
      "d",       "sec",    "hr",       "day",    "cm2/s",  "cm^2/s",    "m2/s", "mm2/s", "um2/s",  "1/s",  "1/min",
      "1/h",     "1/d",    "1/hr",     "ug/cm3", "ug/mL",  "mg/mL",     "g/L",  "g/cm3", "% w/v",  "%",    "uL/cm2",
      "µL/cm2",  "mL/cm2", "ug/cm2",   "mg/cm2", "ng/cm2", "g/mol",     "Da",   "kDa",   "kg/mol", "/cm2", "1/cm2",
      "per cm2", "/mm2",   "degC",     "°C",     "C",      "K",         "m/s",  "cm/s",  "km/h",   "Pa",   "kPa",
      "mmHg",    "bar",    "uL/cm2/h", "um/min", "kg",     "lb",        "",     " ",     "h h",    "cm²",  "cm³",
      "µ",       "^",      "^^^",      "1/",     "/",      "ul/cm2/min"};
  return v;
}

std::string long_string(Rng& rng) {
  const std::size_t n = std::size_t{1} << (8 + rng.below(10));  // 256 .. 128 Ki characters
  switch (rng.below(4)) {
    case 0:
      return "\"" + std::string(n, 'x') + "\"";
    case 1:
      return "\"1" + std::string(n, '0') + " h\"";  // a number too long to be a double
    case 2:
      return "\"0." + std::string(n, '0') + "1 um\"";  // a subnormal written out
    default: {
      std::string s = "\"";
      for (std::size_t i = 0; i < n / 4; ++i) s += "µ";
      return s + "\"";
    }
  }
}

std::string huge_list(Rng& rng) {
  const std::size_t n = std::size_t{1} << (4 + rng.below(14));  // 16 .. 128 Ki entries
  std::string s = "[";
  const int form = static_cast<int>(rng.below(5));
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    switch (form) {
      case 0:
        s += "\"" + std::to_string(i + 1) + " s\"";
        break;  // increasing times
      case 1:
        s += std::to_string(i);
        break;
      case 2:
        s += "\"x" + std::to_string(i) + ".toml\"";
        break;
      case 3:
        s += "{ value = " + std::to_string(i % 20) + ", type = \"acid\" }";
        break;
      default:
        s += "\"1 h\"";
        break;
    }
  }
  return s + "]";
}

std::string nested(Rng& rng) {
  const std::size_t depth = 1 + rng.below(rng.chance(20) ? 3000 : 40);
  std::string open, close;
  const bool arrays = rng.chance(50);
  for (std::size_t i = 0; i < depth; ++i) {
    open += arrays ? "[" : "{ value = ";
    close += arrays ? "]" : " }";
  }
  return open + (arrays ? "1" : "\"1 h\"") + close;
}

std::string edge_value(Rng& rng, const Corpus& corpus) {
  static const std::vector<std::string> fixed = {"\"\"",
                                                 "\" \"",
                                                 "\"0\"",
                                                 "\"-1 h\"",
                                                 "\"0 h\"",
                                                 "\"0 s\"",
                                                 "\"-0 um\"",
                                                 "\"1e308 h\"",
                                                 "\"-1e308 h\"",
                                                 "\"1e308 m\"",
                                                 "\"1e308 d\"",
                                                 "\"1e308 mL/cm2\"",
                                                 "\"1e-308 h\"",
                                                 "\"5e-324 um\"",
                                                 "\"nan h\"",
                                                 "\"inf um\"",
                                                 "\"-inf um\"",
                                                 "\"NaN cm\"",
                                                 "\"1e400 cm\"",
                                                 "\"1 kg\"",
                                                 "\"1\"",
                                                 "\"h\"",
                                                 "\"0x10 h\"",
                                                 "\" 1 h \"",
                                                 "\"+1 h\"",
                                                 "\"1 h h\"",
                                                 "\"1.5.5 h\"",
                                                 "\"1e h\"",
                                                 "\"1 µm\"",
                                                 "\"1 μm\"",
                                                 "\"1 cm²\"",
                                                 "\"100 °C\"",
                                                 "\"-300 degC\"",
                                                 "\"1 % w/v\"",
                                                 "\"never\"",
                                                 "\"auto\"",
                                                 "\"true\"",
                                                 "\"finite\"",
                                                 "\"infinite\"",
                                                 "\"dermaroller\"",
                                                 "\"patch\"",
                                                 "\"cone\"",
                                                 "\"hexagonal\"",
                                                 "\"in_vivo\"",
                                                 "\"in_vitro\"",
                                                 "\"stratum_corneum\"",
                                                 "\"dermis\"",
                                                 "\"viable_epidermis\"",
                                                 "\"kasting\"",
                                                 "\"aqueous serum\"",
                                                 "\"o/w cream\"",
                                                 "\"caffeine\"",
                                                 "\"forearm\"",
                                                 "\"library.toml\"",
                                                 "\"calibrated.toml\"",
                                                 "\"fuzz_input.toml\"",
                                                 "\"nonexistent.toml\"",
                                                 "\"sub/dir/x.toml\"",
                                                 "\"é\"",
                                                 "\"\\u0000\"",
                                                 "\"\\t\"",
                                                 "\"\\u202e\"",
                                                 "\"💧\"",
                                                 "\"\\u00b5m\"",
                                                 "\"\\r\\n\"",
                                                 "\"\\\\\"",
                                                 "'literal \\ string'",
                                                 "\"\"\"multi\nline\"\"\"",
                                                 "true",
                                                 "false",
                                                 "[]",
                                                 "[1, 2]",
                                                 "[\"1 h\"]",
                                                 "[\"2 h\", \"1 h\"]",
                                                 "[[1], [2]]",
                                                 "[{}]",
                                                 "{}",
                                                 "{ value = 1 }",
                                                 "{ value = \"1 h\", source = \"\" }",
                                                 "{ value = \"1 h\", source = \"x\", extra = 1 }",
                                                 "{ water = 1.0 }",
                                                 "{ water = 0.5, water2 = 0.5 }",
                                                 "{ glycerol = 1 }",
                                                 "{ water = 1e-9 }",
                                                 "1979-05-27T07:32:00Z",
                                                 "07:32:00",
                                                 "1979-05-27",
                                                 "[{ value = 4.1, type = \"acid\" }]",
                                                 "[{ value = 4.1 }]",
                                                 "[{ target = \"dermis.clearance\", value = 0 }]",
                                                 "[{ at = \"1 h\" }, { at = \"1 h\" }]"};
  switch (rng.below(10)) {
    case 0:
    case 1:
    case 2:
      return rng.pick(edge_numbers());
    case 3:
      return "\"" + rng.pick(edge_numbers()) + " " + rng.pick(units()) + "\"";
    case 4:
      return long_string(rng);
    case 5:
      return rng.chance(30) ? huge_list(rng) : nested(rng);
    case 6:
      return rng.pick(corpus.values);
    default:
      return rng.pick(fixed);
  }
}

// --- Mutations -----------------------------------------------------------------------------------

// The largest input: bigger ones are cut (the mutator's own memory stays small, too).
constexpr std::size_t kMaxInput = std::size_t{4} << 20;

struct Mutator {
  const Corpus& corpus;
  Rng& rng;

  std::vector<std::string> other_doc() { return rng.pick(corpus.docs); }

  // Index of a random "key = value" line, or lines.size() when there is none.
  std::size_t kv_line(const std::vector<std::string>& lines) {
    std::vector<std::size_t> candidates;
    std::string k, v;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (split_key_value(lines[i], k, v)) candidates.push_back(i);
    return candidates.empty() ? lines.size() : rng.pick(candidates);
  }

  void set_value(std::string& line, const std::string& value) {
    std::string k, v;
    if (split_key_value(line, k, v)) line = k + " = " + value;
  }

  // The number or the unit inside a quoted quantity such as "24 h".
  void mutate_quantity(std::string& line, bool number) {
    std::string k, v;
    if (!split_key_value(line, k, v) || v.size() < 3 || v.front() != '"') return;
    const std::string inner = v.substr(1, v.size() - 2);
    const std::size_t space = inner.find(' ');
    if (space == std::string::npos) return;
    const std::string num = inner.substr(0, space), unit = inner.substr(space + 1);
    line = k + " = \"" + (number ? rng.pick(edge_numbers()) : num) + " " + (number ? unit : rng.pick(units())) + "\"";
  }

  // The lines of the [section] or [[array]] block around line i: [first, last).
  std::pair<std::size_t, std::size_t> block_of(const std::vector<std::string>& lines, std::size_t i) {
    std::size_t first = i;
    while (first > 0 && (lines[first].empty() || lines[first][0] != '[')) --first;
    std::size_t last = i + 1;
    while (last < lines.size() && (lines[last].empty() || lines[last][0] != '[')) ++last;
    return {first, last};
  }

  void line_op(std::vector<std::string>& lines) {
    if (lines.empty()) lines.push_back("");
    const std::size_t at = rng.below(lines.size());
    switch (rng.below(17)) {
      case 0:
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      case 1:
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)), lines[at]);
        break;
      case 2:
        std::swap(lines[at], lines[rng.below(lines.size())]);
        break;
      case 3: {  // swap the values of two keys
        const std::size_t a = kv_line(lines), b = kv_line(lines);
        if (a == lines.size() || b == lines.size()) break;
        std::string ka, va, kb, vb;
        split_key_value(lines[a], ka, va);
        split_key_value(lines[b], kb, vb);
        lines[a] = ka + " = " + vb;
        lines[b] = kb + " = " + va;
        break;
      }
      case 4:
      case 5:
      case 6: {  // an edge case for a value
        const std::size_t i = kv_line(lines);
        if (i < lines.size()) set_value(lines[i], edge_value(rng, corpus));
        break;
      }
      case 7: {
        const std::size_t i = kv_line(lines);
        if (i < lines.size()) mutate_quantity(lines[i], true);
        break;
      }
      case 8: {
        const std::size_t i = kv_line(lines);
        if (i < lines.size()) mutate_quantity(lines[i], false);
        break;
      }
      case 9: {  // a value from elsewhere in the corpus
        const std::size_t i = kv_line(lines);
        if (i < lines.size()) set_value(lines[i], rng.pick(corpus.values));
        break;
      }
      case 10:  // a line from another document
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)), rng.pick(corpus.lines));
        break;
      case 11: {  // a section header, maybe with a key
        std::vector<std::string> block = {rng.pick(corpus.headers)};
        if (rng.chance(70)) block.push_back(rng.pick(corpus.keys) + " = " + edge_value(rng, corpus));
        if (rng.chance(50)) block.push_back(rng.pick(corpus.lines));
        const std::size_t where = rng.chance(50) ? lines.size() : rng.below(lines.size() + 1);
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(where), block.begin(), block.end());
        break;
      }
      case 12: {  // a key, known or not, with an edge value
        const std::string key = rng.chance(85) ? rng.pick(corpus.keys) : rng.pick(corpus.keys) + "x";
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng.below(lines.size() + 1)),
                     key + " = " + (rng.chance(50) ? edge_value(rng, corpus) : rng.pick(corpus.values)));
        break;
      }
      case 13: {  // rename a key
        const std::size_t i = kv_line(lines);
        std::string k, v;
        if (i < lines.size() && split_key_value(lines[i], k, v)) lines[i] = rng.pick(corpus.keys) + " = " + v;
        break;
      }
      case 14: {  // repeat a block ([[layer]] many times, a section twice)
        const auto [first, last] = block_of(lines, at);
        const std::vector<std::string> block(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                             lines.begin() + static_cast<std::ptrdiff_t>(last));
        std::size_t block_size = 1;
        for (const std::string& line : block) block_size += line.size() + 1;
        const std::size_t copies =
            std::min<std::size_t>(1 + rng.below(rng.chance(10) ? 2000 : 4), kMaxInput / block_size);
        for (std::size_t c = 0; c < copies; ++c) lines.insert(lines.end(), block.begin(), block.end());
        break;
      }
      case 15: {  // delete a block
        const auto [first, last] = block_of(lines, at);
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(first),
                    lines.begin() + static_cast<std::ptrdiff_t>(last));
        break;
      }
      default: {  // splice: the head of this document, the tail of another
        const std::vector<std::string> other = other_doc();
        lines.resize(at);
        const std::size_t from = rng.below(other.size() + 1);
        lines.insert(lines.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
    }
  }

  void byte_op(std::string& text) {
    if (text.empty()) text = "x";
    const std::size_t at = rng.below(text.size());
    static const std::vector<std::string> inserts = {"\"",
                                                     "'",
                                                     "[",
                                                     "]",
                                                     "{",
                                                     "}",
                                                     "=",
                                                     "\n",
                                                     "#",
                                                     "\\",
                                                     ",",
                                                     ".",
                                                     " ",
                                                     "\t",
                                                     "\r",
                                                     std::string(1, '\0'),
                                                     "\x01",
                                                     "\x7f",
                                                     "\xff",
                                                     "\xc2",
                                                     "\xef\xbb\xbf",
                                                     "µ",
                                                     "²",
                                                     "\u202e",
                                                     "e",
                                                     "-",
                                                     "+",
                                                     "0",
                                                     "9",
                                                     "_",
                                                     "\"\"\"",
                                                     "'''"};
    switch (rng.below(6)) {
      case 0:
        text[at] = static_cast<char>(text[at] ^ static_cast<char>(1u << rng.below(8)));
        break;
      case 1:
        text[at] = static_cast<char>(rng.below(256));
        break;
      case 2:
        text.insert(at, rng.pick(inserts));
        break;
      case 3:
        text.erase(at, 1 + rng.below(16));
        break;
      case 4:
        text.resize(at);
        break;  // truncate
      default:
        text.insert(at, std::string(1 + rng.below(64), static_cast<char>(rng.below(32))));
        break;
    }
  }

  static std::size_t size_of(const std::vector<std::string>& lines) {
    std::size_t n = 0;
    for (const std::string& line : lines) n += line.size() + 1;
    return n;
  }

  std::string make(std::size_t doc) {
    std::vector<std::string> lines = corpus.docs[doc];
    // Mostly one mutation, so that many inputs still load and reach the resolve step.
    const std::size_t ops = rng.chance(60) ? 1 : 1 + rng.below(rng.chance(30) ? 12 : 3);
    for (std::size_t i = 0; i < ops && size_of(lines) <= kMaxInput; ++i) line_op(lines);
    std::string text = join_lines(lines);
    if (rng.chance(10)) {
      const std::size_t bytes = 1 + rng.below(3);
      for (std::size_t i = 0; i < bytes; ++i) byte_op(text);
    }
    if (text.size() > kMaxInput) text.resize(kMaxInput);
    return text;
  }
};

std::uint64_t mix(std::uint64_t seed, std::uint64_t index) {
  Rng r(seed ^ (index * 0xD1B54A32D192ED03ull));
  r.next();
  return r.next();
}

// Input `index` of the run with `seed`: a pure function of the two (and the corpus).
std::string make_input(const Corpus& corpus, std::uint64_t seed, std::uint64_t index) {
  Rng rng(mix(seed, index));
  Mutator m{corpus, rng};
  return m.make(rng.below(corpus.docs.size()));
}

// --- Failure classes -----------------------------------------------------------------------------

// Digits folded and the sandbox path dropped, so that inputs failing the same way group together.
std::string class_key(const Outcome& o, const std::string& sandbox) {
  std::string message = o.message;
  for (std::size_t at; !sandbox.empty() && (at = message.find(sandbox)) != std::string::npos;)
    message.replace(at, sandbox.size(), "<sandbox>");
  std::string folded;
  for (char c : message) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (folded.empty() || folded.back() != '#') folded += '#';
    } else {
      folded += c;
    }
  }
  if (folded.size() > 160) folded.resize(160);
  return std::string(poreflux::fuzz::kind_name(o.kind)) + " | " + o.type + " | " + folded;
}

const KnownBug* known_bug_of(const Outcome& o, const std::string& input) {
  for (const KnownBug& bug : known_bugs()) {
    if (bug.kind != o.kind) continue;
    if (*bug.type_contains && o.type.find(bug.type_contains) == std::string::npos) continue;
    if (*bug.message_contains && o.message.find(bug.message_contains) == std::string::npos) continue;
    if (*bug.input_contains && input.find(bug.input_contains) == std::string::npos) continue;
    return &bug;
  }
  return nullptr;
}

struct FailureClass {
  Outcome example;
  std::uint64_t first_index = 0;
  std::uint64_t count = 0;
  std::string saved;  // path of the saved input
};

// Shared between the parent and its children (MAP_SHARED): progress and counts.
struct Shared {
  std::atomic<std::uint64_t> current;    // the input being parsed
  std::atomic<std::uint64_t> done;       // inputs finished (index of the next one)
  std::atomic<std::int64_t> started_ns;  // steady clock when `current` started
  std::atomic<std::uint64_t> studies, config_errors, skipped, reported;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct RunSettings {
  std::uint64_t seed = kDefaultSeed;
  double seconds = 30.0;
  std::uint64_t max_inputs = 0;  // 0: no limit
  double input_timeout = 5.0;
  bool roundtrip = true;
};

RunSettings settings_from_environment() {
  RunSettings s;
  s.seconds = env_number("POREFLUX_FUZZ_SECONDS", s.seconds);
  s.seed = static_cast<std::uint64_t>(env_number("POREFLUX_FUZZ_SEED", static_cast<double>(s.seed)));
  s.max_inputs = static_cast<std::uint64_t>(std::max(0.0, env_number("POREFLUX_FUZZ_INPUTS", 0.0)));
  s.input_timeout = env_number("POREFLUX_FUZZ_INPUT_TIMEOUT", s.input_timeout);
  s.roundtrip = env_number("POREFLUX_FUZZ_ROUNDTRIP", 1.0) != 0.0;
  return s;
}

constexpr std::size_t kChildMemory = std::size_t{3} << 30;  // bad_alloc past 3 GiB, not the OOM killer

// The child: parse inputs from `start` until the deadline or the input limit; report failures.
[[noreturn]] void child_loop(const Corpus& corpus, const RunSettings& settings, const std::string& source_name,
                             std::uint64_t start, std::int64_t deadline_ns, Shared* shared, int report_fd) {
  poreflux::fuzz::limit_child(kChildMemory);
  try {
    for (std::uint64_t i = start;; ++i) {
      if (now_ns() >= deadline_ns || (settings.max_inputs && i >= settings.max_inputs)) break;
      shared->started_ns.store(now_ns());
      shared->current.store(i);
      const std::string text = make_input(corpus, settings.seed, i);
      if (may_leave_sandbox(text)) {
        shared->skipped.fetch_add(1);
        shared->done.store(i + 1);
        continue;
      }
      const Outcome o = poreflux::fuzz::classify_parse(text, source_name, settings.roundtrip);
      if (o.kind == OutcomeKind::study) shared->studies.fetch_add(1);
      if (o.kind == OutcomeKind::config_error) shared->config_errors.fetch_add(1);
      if (o.kind != OutcomeKind::study && o.kind != OutcomeKind::config_error) {
        shared->reported.fetch_add(1);
        poreflux::fuzz::write_all(report_fd, poreflux::fuzz::encode(i, o));
      }
      shared->done.store(i + 1);
    }
  } catch (...) {  // in the harness itself (making an input): never return into gtest from a child
    std::fprintf(stderr, "fuzz: harness error in the child at input %" PRIu64 ": %s\n", shared->current.load(),
                 poreflux::fuzz::current_exception_type().c_str());
    std::_Exit(3);
  }
  ::close(report_fd);
  std::_Exit(0);
}

struct RunResult {
  std::uint64_t tried = 0, studies = 0, config_errors = 0, skipped = 0;
  std::uint64_t crashes = 0, hangs = 0, exceptions = 0, roundtrips = 0;
  std::map<std::string, FailureClass> classes;
  double seconds = 0.0;
};

fs::path failures_dir() { return poreflux::fuzz::binary_dir() / "fuzz_failures"; }

std::string save_input(const std::string& text, const std::string& stem) {
  fs::create_directories(failures_dir());
  const fs::path path = failures_dir() / (stem + ".toml");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

RunResult run_fuzz(const Corpus& corpus, const RunSettings& settings, const fs::path& sandbox) {
  const std::string source_name = (sandbox / "fuzz_input.toml").string();
  void* memory = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::runtime_error("mmap failed");
  Shared* shared = new (memory) Shared{};
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t deadline_ns = now_ns() + static_cast<std::int64_t>(settings.seconds * 1e9);
  const std::int64_t input_timeout_ns = static_cast<std::int64_t>(settings.input_timeout * 1e9);

  RunResult result;
  auto record = [&](std::uint64_t index, const Outcome& o) {
    switch (o.kind) {
      case OutcomeKind::crash:
        ++result.crashes;
        break;
      case OutcomeKind::hang:
        ++result.hangs;
        break;
      case OutcomeKind::roundtrip:
        ++result.roundtrips;
        break;
      default:
        ++result.exceptions;
        break;
    }
    FailureClass& c = result.classes[class_key(o, sandbox.string())];
    if (c.count++ == 0) {
      c.example = o;
      c.first_index = index;
      char stem[96];
      std::snprintf(stem, sizeof stem, "%s_%03zu_seed%" PRIu64 "_input%" PRIu64, poreflux::fuzz::kind_name(o.kind),
                    result.classes.size(), settings.seed, index);
      c.saved = save_input(make_input(corpus, settings.seed, index), stem);
    }
  };

  std::uint64_t next = 0;
  while (now_ns() < deadline_ns && !(settings.max_inputs && next >= settings.max_inputs)) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    shared->done.store(next);
    shared->current.store(next);
    shared->started_ns.store(now_ns());
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(fds[0]);
      child_loop(corpus, settings, source_name, next, deadline_ns, shared, fds[1]);
    }
    ::close(fds[1]);
    std::string buffer;
    bool killed_for_hang = false;
    for (bool open = true; open;) {
      pollfd p{fds[0], POLLIN, 0};
      const int r = ::poll(&p, 1, 50);
      if (r > 0) {
        char chunk[65536];
        const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
        if (n > 0) buffer.append(chunk, static_cast<std::size_t>(n));
        if (n == 0) open = false;
      }
      std::uint64_t index = 0;
      Outcome o;
      while (poreflux::fuzz::decode(buffer, index, o)) record(index, o);
      const bool in_progress = shared->done.load() <= shared->current.load();
      if (open && in_progress && now_ns() - shared->started_ns.load() > input_timeout_ns) {
        ::kill(pid, SIGKILL);
        killed_for_hang = true;
        open = false;
      }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fds[0]);
    const std::uint64_t current = shared->current.load();
    const bool unfinished = shared->done.load() <= current;
    if (killed_for_hang) {
      char limit[64];
      std::snprintf(limit, sizeof limit, "no result within %g s", settings.input_timeout);
      record(current, {OutcomeKind::hang, "timeout", limit, "", 0});
      next = current + 1;
    } else if (WIFSIGNALED(status) && unfinished) {
      record(current, {OutcomeKind::crash, poreflux::fuzz::signal_text(WTERMSIG(status)), "", "", 0});
      next = current + 1;
    } else if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
      record(shared->done.load(), {OutcomeKind::crash, "harness: child died between inputs",
                                   "wait status " + std::to_string(status) + " (see stderr)", "", 0});
      next = shared->done.load() + 1;
    } else {
      next = shared->done.load();  // the child reached the deadline or the input limit
    }
  }
  result.tried = next;
  result.studies = shared->studies.load();
  result.config_errors = shared->config_errors.load();
  result.skipped = shared->skipped.load();
  result.seconds = poreflux::fuzz::seconds_since(t0);
  shared->~Shared();
  ::munmap(memory, sizeof(Shared));
  return result;
}

// --- The tests -----------------------------------------------------------------------------------

class FuzzConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = load_corpus();
    ASSERT_GE(corpus_.docs.size(), 10u) << "the seed corpus " << corpus_dir() << " is missing";
    sandbox_ = poreflux::fuzz::make_sandbox(poreflux::fuzz::binary_dir(), "fuzz_sandbox_" + std::to_string(::getpid()),
                                            corpus_dir() / "sandbox");
  }
  void TearDown() override {
    std::error_code ignored;
    if (!sandbox_.empty()) fs::remove_all(sandbox_, ignored);
  }
  Corpus corpus_;
  fs::path sandbox_;
};

// Every seed is a valid study, so that mutations start from inputs that reach the resolve step,
// and its resolved_toml loads back.
TEST_F(FuzzConfig, SeedCorpusLoads) {
  const std::string source_name = (sandbox_ / "fuzz_input.toml").string();
  for (std::size_t i = 0; i < corpus_.docs.size(); ++i) {
    const Outcome o = poreflux::fuzz::run_isolated(join_lines(corpus_.docs[i]), source_name, 20.0, kChildMemory,
                                                   /*check_roundtrip=*/true);
    EXPECT_EQ(o.kind, OutcomeKind::study)
        << corpus_.names[i] << ": " << poreflux::fuzz::kind_name(o.kind) << " " << o.type << ": " << o.message;
  }
}

// The mutator is a pure function of (seed, index): a failure is reproducible from two numbers.
TEST_F(FuzzConfig, InputsAreReproducible) {
  for (std::uint64_t i = 0; i < 50; ++i)
    EXPECT_EQ(make_input(corpus_, kDefaultSeed, i), make_input(corpus_, kDefaultSeed, i));
  EXPECT_NE(make_input(corpus_, kDefaultSeed, 1), make_input(corpus_, kDefaultSeed + 1, 1));
}

// The sandbox rule catches the strings that could name a file elsewhere.
TEST_F(FuzzConfig, SandboxRuleRefusesOutsidePaths) {
  EXPECT_TRUE(may_leave_sandbox("[compound]\nlibrary = [\"/etc/passwd\"]\n"));
  EXPECT_TRUE(may_leave_sandbox("[calibration]\nfrom = \"../../x.toml\"\n"));
  EXPECT_TRUE(may_leave_sandbox("[calibration]\n\"fr\\u006Fm\" = \"\\u002Fdev/zero\"\n"));
  EXPECT_TRUE(may_leave_sandbox("a = { b = [\"/x\"] }\n"));
  EXPECT_FALSE(may_leave_sandbox("[compound]\nlibrary = [\"library.toml\"]\n"));
  EXPECT_FALSE(may_leave_sandbox("x = \"2 uL/cm2\"\n"));
  EXPECT_FALSE(may_leave_sandbox("from = \"/etc/passwd\n"));  // not TOML: the loader reads nothing
}

TEST_F(FuzzConfig, MutatedConfigsLoadOrFailWithConfigError) {
  const RunSettings settings = settings_from_environment();
  if (const char* dump = std::getenv("POREFLUX_FUZZ_DUMP"); dump && *dump) {
    const std::uint64_t index = std::strtoull(dump, nullptr, 10);
    const std::string text = make_input(corpus_, settings.seed, index);
    const std::string path =
        save_input(text, "dump_seed" + std::to_string(settings.seed) + "_input" + std::to_string(index));
    const Outcome o = poreflux::fuzz::run_isolated(text, (sandbox_ / "fuzz_input.toml").string(),
                                                   settings.input_timeout, kChildMemory, settings.roundtrip);
    std::printf("fuzz: input %" PRIu64 " of seed %" PRIu64 " written to %s\n  outcome: %s %s: %s\n", index,
                settings.seed, path.c_str(), poreflux::fuzz::kind_name(o.kind), o.type.c_str(),
                o.message.substr(0, 2000).c_str());
    return;
  }

  const RunResult r = run_fuzz(corpus_, settings, sandbox_);
  std::printf("fuzz: seed %" PRIu64 ", %zu seed files, %.1f s budget: %" PRIu64
              " inputs tried in %.1f s\n"
              "fuzz:   %" PRIu64 " loaded (Study), %" PRIu64 " ConfigError, %" PRIu64
              " skipped (a string could name a "
              "file outside the sandbox)\n"
              "fuzz:   failures: %" PRIu64 " crashed, %" PRIu64 " hung (> %g s), %" PRIu64
              " threw another exception, %" PRIu64 " resolved_toml did not load back; %zu classes\n",
              settings.seed, corpus_.docs.size(), settings.seconds, r.tried, r.seconds, r.studies, r.config_errors,
              r.skipped, r.crashes, r.hangs, settings.input_timeout, r.exceptions, r.roundtrips, r.classes.size());
  for (const auto& [key, c] : r.classes) {
    const KnownBug* known = known_bug_of(c.example, make_input(corpus_, settings.seed, c.first_index));
    std::printf("fuzz: %s %" PRIu64 " x %s: %s\n        message: %.300s\n        first: input %" PRIu64
                ", saved to %s\n",
                known ? "KNOWN BUG" : "FAILURE", c.count, poreflux::fuzz::kind_name(c.example.kind),
                c.example.type.c_str(), c.example.message.c_str(), c.first_index, c.saved.c_str());
    if (known) {
      std::printf("        known bug (issue 8), not a failure here: regression tests/fuzz_regressions/%s\n",
                  known->regression);
      continue;
    }
    ADD_FAILURE() << "parse_study broke its contract (" << poreflux::fuzz::kind_name(c.example.kind) << ", " << c.count
                  << " inputs): " << c.example.type << ": " << c.example.message.substr(0, 500)
                  << "\n  the first input is saved at " << c.saved
                  << "; rerun it with POREFLUX_FUZZ_SEED=" << settings.seed << " POREFLUX_FUZZ_DUMP=" << c.first_index
                  << "; add a minimal version to tests/fuzz_regressions/ with a test in test_fuzz_regressions.cpp";
  }
  std::fflush(stdout);
  EXPECT_GT(r.tried, 0u);
  EXPECT_GT(r.studies, 0u) << "no mutated input loaded: the mutator no longer reaches the resolve step";
}

}  // namespace
