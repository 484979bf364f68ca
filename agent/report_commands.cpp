#include "agent/report_commands.h"

#include <cmath>
#include <filesystem>

#include "core/digest.h"

namespace fieldflow::agent {

namespace {

// The words a saved report is announced with: its kind, spaced.
std::string described(const core::Payload& report) {
    std::string words(core::kind_name(report));
    for (auto& c : words)
        if (c == '_') c = ' ';
    return words;
}

void set_terminal(core::Payload& report, const std::string& terminal) {
    std::visit(
        [&](auto& r) {
            if constexpr (requires { r.terminal; }) r.terminal = terminal;
        },
        report);
}

}  // namespace

std::int64_t fen(double yuan) {
    return std::llround(yuan * 100);
}

void attach_photo(core::Display& display, const std::string& path) {
    auto digest = core::sha256_hex_of_file(path);
    if (!digest) throw Refused("cannot read photo " + path);
    display.photo_file = std::filesystem::path(path).filename().string();
    display.photo_sha256 = *digest;
}

std::uint64_t save_visit_report(Outbox& outbox, core::Payload report, std::ostream& out) {
    auto seq = outbox.report_in_visit([&](const std::string& terminal) {
        set_terminal(report, terminal);
        return report;
    });
    out << described(report) << " saved (record " << seq << ")\n";
    return seq;
}

std::uint64_t save_report(Outbox& outbox, const core::Payload& report, std::ostream& out) {
    auto seq = outbox.report(report);
    out << described(report) << " saved (record " << seq << ")\n";
    return seq;
}

}  // namespace fieldflow::agent
