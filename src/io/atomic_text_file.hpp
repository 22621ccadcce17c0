// Writes a text file completely or not at all: a temporary beside the target, renamed onto it.
#pragma once

#include <string>

namespace poreflux {

void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace poreflux
