// A minimal JSON emitter: objects, numbers (non-finite as null), strings with escapes.
// Enough for the summary; no dependency for one small document.
#pragma once

#include <optional>
#include <sstream>
#include <string>

namespace poreflux {

class JsonWriter {
 public:
  JsonWriter& begin_object(const std::string& key = {});
  JsonWriter& end_object();
  // Elements are written with an empty key: field("", 1.0), begin_object().
  JsonWriter& begin_array(const std::string& key = {});
  JsonWriter& end_array();
  JsonWriter& field(const std::string& key, double value);
  JsonWriter& field(const std::string& key, const std::optional<double>& value);
  JsonWriter& field(const std::string& key, long long value);
  JsonWriter& field(const std::string& key, const std::string& value);
  JsonWriter& flag(const std::string& key, bool value);  // a JSON true / false
  std::string str() const { return out_.str(); }

 private:
  void key(const std::string& k);
  void comma();
  static std::string quote(const std::string& s);
  std::ostringstream out_;
  int depth_ = 0;
  bool first_ = true;
};

}  // namespace poreflux
