#pragma once
// The distribution books in the store: shipments, flows, stock reports and
// opening balances as imported, each row with the file and line it came
// from; closed periods and their log; operators' adjustments to flows,
// which keep the original row. Lives in the same store as the
// gateway's records (docs/data-formats.md lists the tables).

#include "store/sql.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/distribution_book.h"
#include "core/distribution_csv.h"
#include "core/periods.h"
#include "store/audit_log.h"

namespace fieldflow::store {

struct ImportSummary {
    std::uint64_t stored = 0;       // new rows
    std::uint64_t unchanged = 0;    // rows already stored with the same content
    std::uint64_t conflicting = 0;  // flows whose id was taken by other content: kept aside
    std::uint64_t late = 0;         // dated in a closed period: booked in the next open one
};

// A previous import of the very same file.
struct PriorImport {
    std::string file;
    std::int64_t imported_at_ms = 0;
};

struct PeriodEvent {
    std::string period;
    std::string action;  // "close" or "reopen"
    std::string reason;
    std::string by;
    std::int64_t at_ms = 0;
};

struct FlowAdjustment {
    std::string flow_id;
    std::string field;
    std::string old_value, new_value;
    std::string reason;
    std::string by;
    std::int64_t at_ms = 0;
};

// When flow data naming a distributor as seller last arrived, by import
// or by a field upload.
struct FlowArrival {
    std::string distributor;
    std::int64_t imported_at_ms = 0;
};
// Reads every flow once: call it when the books changed, not on every request.
std::vector<FlowArrival> flow_arrivals(sql::Database& db);

class DistributionStore : public core::RecordIds {
  public:
    explicit DistributionStore(const std::string& location);
    ~DistributionStore() override;
    DistributionStore(const DistributionStore&) = delete;
    DistributionStore& operator=(const DistributionStore&) = delete;

    // A clean import (no bad rows) of content with this digest. A file that
    // had bad rows is read again: its errors are worth repeating.
    std::optional<PriorImport> imported_before(core::ImportKind kind, const std::string& digest);

    // The rows of one file, written in one transaction. A row of a shipment,
    // stock report or opening that repeats a stored key with other content
    // is refused with an error naming it; the rest of the file still lands.
    class Import {
      public:
        ~Import();
        core::RowHandlers handlers();
        // What the rows handed so far did; nothing is stored before commit().
        const ImportSummary& summary() const;
        // Commits; `errors` are this import's bad rows, kept in its summary.
        // An import destroyed without a commit rolls back.
        ImportSummary commit(std::uint64_t bad_rows);
        std::vector<core::LoadError>& errors() { return errors_; }

      private:
        friend class DistributionStore;
        struct State;
        Import(DistributionStore& store, core::ImportKind kind, const std::string& file,
               const std::string& digest, const std::string& by);
        std::unique_ptr<State> state_;
        std::vector<core::LoadError> errors_;
    };
    // `by` is the operator, for the audit log.
    std::unique_ptr<Import> begin_import(core::ImportKind kind, const std::string& file,
                                         const std::string& digest, const std::string& by);

    // Everything, with operators' adjustments applied, for the ledger and the scan.
    core::DistributionBook load();

    std::string id(core::RowKind kind, core::RowId row) const override;

    // False when the period already was closed (or, for reopen, open).
    // `reason` (may be empty) goes to the period log.
    bool close_period(core::Period period, const std::string& by, const std::string& reason = {});
    bool reopen_period(core::Period period, const std::string& reason, const std::string& by);
    std::vector<PeriodEvent> period_log();

    // Changes one field (qty, buyer, lot or date) of a stored flow; the row
    // keeps what was imported, the adjustment says who changed what and why.
    // Throws std::invalid_argument naming what is wrong.
    FlowAdjustment adjust_flow(const std::string& flow_id, const std::string& field,
                               const std::string& value, const std::string& reason,
                               const std::string& by);
    std::vector<FlowAdjustment> flow_adjustments();

    std::optional<AuditHead> audit_head() { return audit_.head(); }

  private:
    std::unique_ptr<sql::Database> db_;
    AuditLog audit_{*db_};
};

}  // namespace fieldflow::store
