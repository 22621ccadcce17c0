// The XDMF 3 sidecar of a run file: OUT.xmf beside OUT.h5 describes its 3-D fields (each
// scenario's grid/material_map and initial_concentration on the cell centres) and, for treated
// scenarios, the concentration slices as temporal collections (one grid per output time), so
// that ParaView (File > Open OUT.xmf, reader "Xdmf3ReaderS") shows them. The .xmf holds no
// numbers of its own: every DataItem points into OUT.h5 by its file name (so the two are moved
// together) and the HDF5 path, and is read from the finished file, so the two cannot disagree.
#pragma once

#include <string>

namespace poreflux {

// OUT.h5 -> OUT.xmf (the extension replaced; one is added when there is none).
std::string xdmf_path_for(const std::string& h5_path);

// The XDMF document describing the run file at `h5_path` ("" when no scenario has a grid).
std::string xdmf_document(const std::string& h5_path);

// Writes xdmf_document(h5_path) to `xmf_path` atomically; false (nothing written) when empty.
bool write_xdmf(const std::string& h5_path, const std::string& xmf_path);

}  // namespace poreflux
