#include "agent/report_commands.h"

#include <cmath>
#include <filesystem>

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

void attach_photo(Outbox& outbox, core::Display& display, const std::string& path) {
    auto kept = outbox.keep_photo(path);
    display.photo_file = kept.file_name;
    display.photo_sha256 = kept.sha256;
}

void attach_photo(Outbox& outbox, core::CheckIn& check_in, const std::string& path) {
    auto kept = outbox.keep_photo(path);
    check_in.photo_file = kept.file_name;
    check_in.photo_sha256 = kept.sha256;
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
