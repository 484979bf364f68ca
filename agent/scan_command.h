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
#include "core/master_data.h"
#include "core/scan_content.h"

namespace fieldflow::agent {

// One line from a scan engine, saved as a scan in the open visit: what
// `scan --line` does with each line, and `serve` with each code its
// scanner feed or the page hands it.
struct LineScan {
    std::uint64_t seq = 0;
    std::string symbology;
    core::ScanContent content;
};

// The catalogue as master data's products, for core::product_for: what a
// scanned pack is.
core::MasterData catalog_master(const std::vector<Outbox::CatalogEntry>& catalog);

// Lines longer than any barcode are not one.
inline constexpr std::size_t max_scan_line = 4096;

// Saves `line` (its CR, if any, removed) as a scan; nullopt when it is
// empty. Throws Refused when it is longer than max_scan_line, or (from
// the outbox) when no visit is open.
std::optional<LineScan> scan_line(Outbox& outbox, std::string line, int reference_year);
// scan_line in two steps, for a caller that lists the scan with its
// capture (Outbox::list_next): the line read, its seq still 0; then saved.
std::optional<LineScan> read_scan_line(std::string line, int reference_year);
void save_scan_line(Outbox& outbox, LineScan& scanned);

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
