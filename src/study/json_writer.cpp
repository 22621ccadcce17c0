#include "json_writer.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace poreflux {

std::string JsonWriter::quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\n': q += "\\n"; break;
      case '\t': q += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          q += buf;
        } else {
          q += c;
        }
    }
  }
  return q + "\"";
}

void JsonWriter::comma() {
  if (!first_) out_ << ',';
  out_ << '\n' << std::string(2 * depth_, ' ');
  first_ = false;
}

void JsonWriter::key(const std::string& k) {
  comma();
  if (!k.empty()) out_ << quote(k) << ": ";
}

JsonWriter& JsonWriter::begin_object(const std::string& k) {
  if (depth_ > 0) key(k);
  out_ << '{';
  ++depth_;
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array(const std::string& k) {
  key(k);
  out_ << '[';
  ++depth_;
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  --depth_;
  out_ << '\n' << std::string(2 * depth_, ' ') << ']';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  --depth_;
  out_ << '\n' << std::string(2 * depth_, ' ') << '}';
  first_ = false;
  if (depth_ == 0) out_ << '\n';
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    out_ << "null";
  } else {
    char buf[32];  // the fewest digits that read back as the same double
    for (int digits = 10; digits <= 17; ++digits) {
      std::snprintf(buf, sizeof buf, "%.*g", digits, value);
      if (std::strtod(buf, nullptr) == value) break;
    }
    out_ << buf;
  }
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& k, const std::optional<double>& value) {
  return field(k, value ? *value : NAN);
}

JsonWriter& JsonWriter::flag(const std::string& k, bool value) {
  key(k);
  out_ << (value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& k, long long value) {
  key(k);
  out_ << value;
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& k, const std::string& value) {
  key(k);
  out_ << quote(value);
  return *this;
}

}  // namespace poreflux
