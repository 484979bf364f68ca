#pragma once
// The operators' command line: every command of `fieldflow` as a CLI11
// subcommand whose options fill that command's struct (tools/commands.h).
// main() parses with program::parse, makes the log at the chosen level and
// runs the chosen command; a test does the same in its own process.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "program/log.h"
#include "tools/backup_command.h"
#include "tools/commands.h"

namespace fieldflow::tools {

class CommandLine {
  public:
    CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    CLI::App& app() { return app_; }

    // After parsing: the level --log-level chose.
    spdlog::level::level_enum log_level() const { return log_level_; }

    // After parsing: runs the command it chose, returning its exit code.
    int run(const program::Log& log) const;

  private:
    using Command = std::function<int(const program::Log&)>;
    // `command` is what runs when `sub` was the one chosen.
    void on_chosen(CLI::App* sub, Command command);

    void add_store_commands();
    void add_plan_commands();
    void add_book_commands();
    void add_generators();

    CLI::App app_;
    spdlog::level::level_enum log_level_ = spdlog::level::info;
    Command chosen_;
    std::string chosen_name_;  // as typed: "period close"

    RecordsOptions records_;
    SummaryOptions summary_;
    PhotoOptions photo_;
    DeviceOptions device_;
    MasterOptions master_;
    OperatorOptions operator_;
    AuditOptions audit_;
    BackupOptions backup_;
    RestoreOptions restore_;
    EffectivenessOptions effectiveness_;
    LoadgenOptions loadgen_;
    DecodeOptions decode_;
    MasterdataOptions masterdata_;
    DemoDataOptions demo_data_;
    ImportOptions import_;
    LedgerOptions ledger_;
    AnomaliesOptions anomalies_;
    PeriodOptions period_;
    FlowsOptions flows_;
    PlanOptions plan_;
};

}  // namespace fieldflow::tools
