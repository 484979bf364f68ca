#pragma once
// `fieldflow-agent scan`: codes from camera frames or from a scan engine
// (one code per line, as keyboard-wedge and serial engines send them), each
// saved as a scan in the open visit; with --count, also counted per product
// and lot and saved as stock counts.

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "agent/outbox.h"

namespace fieldflow::agent {

struct ScanRequest {
    std::vector<std::string> images;  // camera frames; empty for line mode
    std::istream* lines = nullptr;    // scan engine input in line mode
    bool count = false;
};

// Returns the exit code: 0, or 1 when an image could not be read (the other
// images are still scanned).
int scan_command(Outbox& outbox, const ScanRequest& request, std::ostream& out);

// Where the codes come from, as the command line names them: camera frames,
// or a scan engine's lines on standard input or on a device.
struct ScanSources {
    std::vector<std::string> images;
    bool line = false;
    std::optional<std::string> from;  // a scan engine's device; implies line mode
};

// Opens the source and scans it. Throws UsageError when `sources`
// names none, or both kinds; Refused when the device cannot be opened.
int scan_from(Outbox& outbox, const ScanSources& sources, bool count, std::istream& standard_input,
              std::ostream& out);

}  // namespace fieldflow::agent
