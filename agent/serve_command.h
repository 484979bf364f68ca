#pragma once
// `fieldflow-agent serve`: the long-running process on the handheld. One
// io_context holds the page's HTTP listener (agent/ui_server.h, routes in
// agent/serve_api.h), the GPS follower (agent/gps_follow.h) and the scan
// engine's feed (agent/scanner_feed.h); the sync runs on a thread of its
// own (agent/background_sync.h). Its options live here, apart from the
// other commands'. SIGTERM or SIGINT lets the capture under way commit
// (each is answered whole before the next event is taken), stops the
// sync after its attempt under way, and exits 0.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "agent/outbox.h"
#include "program/config_file.h"
#include "program/log.h"

namespace fieldflow::agent {

struct ServeOptions {
    std::string ui = "127.0.0.1:8090";
    std::optional<std::string> gateway;
    std::string ca;
    std::optional<std::string> gpsd, gps, gps_replay;
    std::optional<std::string> scanner;
    std::optional<std::string> web;
    std::int64_t sync_period_s = 60;
    // Where --check-config's FILE would land; never read, as main() renames
    // the flag to --config before parsing.
    std::string config_checked;
};

// Adds serve's flags to the `serve` command, and to the program that holds
// it --config FILE (/etc/fieldflow/agent.toml for the service), whose keys
// are serve's flags' names (program/config_file.h). Returns the reader of
// that file, which says where a mistake in it is.
std::shared_ptr<program::TomlConfig> add_serve_options(CLI::App& serve, ServeOptions& options);

// Runs until SIGTERM or SIGINT; returns the exit code.
int serve(Outbox& outbox, const std::filesystem::path& state_dir, const ServeOptions& options,
          const program::Log& log);

}  // namespace fieldflow::agent
