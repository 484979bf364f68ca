#pragma once
// The operator CLI's commands. Each takes a plain struct of its options,
// filled by the command line (tools/command_line.h) or by a caller in the
// same process, writes its answer on stdout and the user's mistakes on
// stderr, and returns the process exit code. The defaults below are the
// documented ones (docs/operations.md).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/anomalies.h"
#include "core/calendar.h"
#include "core/distribution_csv.h"
#include "core/effectiveness.h"
#include "core/master_data.h"
#include "program/log.h"
#include "store/audit_log.h"
#include "tools/loadgen_fleet.h"

namespace fieldflow::tools {

struct RecordsOptions {
    std::string db;
    std::string verdict, kind, device;  // empty: every one
};
int records_command(const RecordsOptions& o);

struct PhotoOptions {
    std::string sha256, db;
    std::string out;  // empty: standard output
};
// `fieldflow photo get`: a photo's bytes as the gateway stored them.
int photo_command(const PhotoOptions& o);

struct SummaryOptions {
    std::string db;
};
int summary_command(const SummaryOptions& o);

struct MasterdataOptions {
    std::string out;
    unsigned seed = 1, terminals = 40, reps = 6;
};
int masterdata_command(const MasterdataOptions& o);

struct MasterOptions {
    std::string action;  // "import" or "list"
    std::string dir, db, by;
    std::string encoding = "utf-8";  // or "gbk"
};
int master_command(const MasterOptions& o);

struct DecodeOptions {
    std::vector<std::string> images;
};
int decode_command(const DecodeOptions& o);

struct ImportOptions {
    core::ImportKind kind = core::ImportKind::flows;
    std::string file, db;
    std::string encoding = "utf-8";  // or "gbk"
    std::string by;                  // empty: the login name
};
int import_command(const ImportOptions& o);

struct LedgerOptions {
    std::string db, master;
    core::Period period = 0;
    std::string format = "csv";    // or "json", "xlsx"
    std::string view = "holders";  // or "terminals", "channel"
    std::string out;               // the workbook's file, for xlsx only
};
int ledger_command(const LedgerOptions& o);

struct AnomaliesOptions {
    std::string db, master;
    std::optional<core::Period> period;  // nullopt: every period
    std::string format = "csv";          // or "json", "xlsx"
    std::string out;                     // the workbook's file, for xlsx only
    core::Tolerance tolerance;
};
int anomalies_command(const AnomaliesOptions& o);

struct PeriodOptions {
    std::string action;  // "close", "reopen" or "list"
    core::Period period = 0;
    std::string db, reason, by;
};
// A close writes the audit log's head to `log`, to be kept outside the store.
int period_command(const PeriodOptions& o, const program::Log& log = program::Log());

struct FlowsOptions {
    std::string action;  // "adjust" or "adjustments"
    std::string flow_id, db, reason, by;
    // What to change: exactly one of them for "adjust".
    std::optional<std::string> qty, buyer, lot, date;
};
int flows_command(const FlowsOptions& o);

struct DemoDataOptions {
    std::string out;
    unsigned seed = 1, terminals = 40, months = 3, orders = 2, anomalies = 3;
    core::Period start = 2026 * 12;  // 2026-01
};
int demo_data_command(const DemoDataOptions& o);

struct EffectivenessOptions {
    std::string db, master;
    core::Period period = 0;
    std::string view = "grades";  // or "reps", "terminals", "plan"
    std::string format = "csv";   // or "xlsx"
    std::string out;              // the workbook's file, for xlsx only
    core::VisitTargets targets;
};
int effectiveness_command(const EffectivenessOptions& o);
// "A=4,B=3,C=1", any of the three: nullopt when the text is not such a list.
std::optional<core::VisitTargets> parse_targets(const std::string& text);

struct PlanOptions {
    std::string action;  // "import", "generate" or "list"
    std::string file, db, by;
    std::string encoding = "utf-8";  // or "gbk"
    core::Period month = 0;          // generate
    core::VisitTargets targets;      // generate
    std::string out;                 // generate: the proposal's CSV file
    bool apply = false;              // generate: import the proposal at once
    std::string rep;                 // list: empty for every rep
    core::Day date = 0;              // list
    bool json = false;               // list
};
int plan_command(const PlanOptions& o);

struct DeviceOptions {
    std::string action;  // "enroll", "revoke" or "list"
    std::string device, rep, db, master, by, reason;
};
int device_command(const DeviceOptions& o);

struct OperatorOptions {
    std::string action;  // "add", "scope", "remove" or "list"
    std::string name, role, db, by;
    std::optional<std::string> territories;  // as given to --territories
    bool all_territories = false;            // scope --all
};
int operator_command(const OperatorOptions& o);

struct AuditOptions {
    std::string action;  // "verify", "list" or "head"
    std::string db;
    std::optional<store::AuditHead> head;  // verify: a head recorded earlier
};
int audit_command(const AuditOptions& o);

struct LoadgenOptions {
    std::string gateway, master, db, ca;
    VisitMix mix;
    std::string prefix = "lg";
    unsigned agents = 10, records = 1000, batch = 100, first_device = 1;
    unsigned rate = 0;  // records a second for the fleet; 0: as fast as acked
};
int loadgen_command(const LoadgenOptions& o, const program::Log& log);

// The --db store of a command that reads the gateway's store: false, after
// saying why on stderr, when it names no file.
bool existing_store(const char* command, const std::string& db);

// The --master folder of a command that judges against master data: nullopt,
// after saying why on stderr, when it is no folder. Rows the loader skipped
// are listed on stderr as warnings.
std::optional<core::MasterData> master_data(const char* command, const std::string& dir);

// Master data for demonstrations and tests: ten products, `terminals`
// terminals over six districts of Shanghai and Zhejiang, five distributors
// (D01–D03 tier 1, D04–D05 tier 2) and `reps` reps.
void write_sample_master_data(const std::filesystem::path& dir, unsigned seed, unsigned terminals,
                              unsigned reps);

// Who is acting: --by, else the login name.
std::string operator_name(const std::string& by);

}  // namespace fieldflow::tools
