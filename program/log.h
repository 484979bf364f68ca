#pragma once
// One log for the three programs: spdlog to standard error (which systemd
// hands to the journal), each line with its time, level and component, then
// the message with its key=value fields:
//   2026-12-02T23:10:04.512+0800 warning session: batch refused device=dev-001 conn=17
// main() makes one Log and hands each component its logger; nothing is
// registered globally.

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "program/command_line.h"

namespace fieldflow::program {

class Log {
  public:
    explicit Log(spdlog::level::level_enum level = spdlog::level::info);

    // A logger for one component ("session", "committer", "http", "sync"),
    // sharing this log's sink and level.
    std::shared_ptr<spdlog::logger> component(const std::string& name) const;

    spdlog::level::level_enum level() const { return level_; }

  private:
    spdlog::sink_ptr sink_;
    spdlog::level::level_enum level_;
};

// Adds --log-level (trace, debug, info, warn, error, critical, off) to `app`.
void add_log_level(CLI::App& app, spdlog::level::level_enum& level);

// The name --log-level takes for `level` ("warn", not spdlog's "warning").
std::string log_level_name(spdlog::level::level_enum level);

}  // namespace fieldflow::program
