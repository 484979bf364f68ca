#pragma once
// Writing rows of the distribution books, for file imports and for rows
// uploaded from the field alike: every party, product and lot id stored
// once; a row already there with the same content left alone; a flow whose
// id is taken by other content kept aside; a row dated in a closed period
// booked in the next open one. The caller owns the transaction.

#include "store/sql.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/distribution_book.h"
#include "core/distribution_csv.h"
#include "core/periods.h"
#include "store/audit_log.h"
#include "store/row_batch.h"

namespace fieldflow::store {

enum class Written {
    stored,       // a new row, booked on its own date
    late,         // a new row dated in a closed period, booked in the next open one
    unchanged,    // the same row was there already
    conflicting,  // a flow id taken by other content: kept aside, not booked
    refused,      // a shipment, stock or opening key taken by other content
};

class BookWriter {
  public:
    // `audit` is the connection's log, which source_for() appends to.
    BookWriter(sql::Database& db, AuditLog& audit);

    // Closed periods change under a long-lived writer (an operator closes a
    // month while the gateway runs): read them again.
    void reload_closed_periods();
    core::Day booking_day(core::Day day) const { return closed_.booking_day(day); }

    // A row of book_sources for one import, or for one device's uploads
    // (found again by its digest).
    std::int64_t new_source(core::ImportKind kind, const std::string& file,
                            const std::string& digest, std::int64_t at_ms);
    std::int64_t source_for(core::ImportKind kind, const std::string& file,
                            const std::string& digest, std::int64_t at_ms);

    // The caller's transaction ended: committed, the names this writer
    // added stand; rolled back, they are gone from the store and must go
    // from its memory too.
    void committed() { added_.clear(); }
    void rolled_back();

    // `refusal` says why, for Written::refused (its message, code and
    // Chinese; the caller names the file and line).
    Written add(const core::ShipmentRow& row, std::int64_t source, core::LoadError& refusal);
    Written add(const core::FlowRow& row, std::int64_t source, core::LoadError& refusal);
    Written add(const core::StockRow& row, std::int64_t source, core::LoadError& refusal);
    // For a writer that needs no answer per line (the gateway booking the
    // stock lines devices upload): held, and sent as the writer's
    // transaction commits, as one multi-row insert in which a line booked
    // before keeps its first content, as add() leaves it; forgotten if it
    // rolls back. Nothing reads stock_reports in the gateway's transaction.
    void hold(const core::StockRow& row, std::int64_t source);
    Written add(const core::OpeningRow& row, std::int64_t source, core::LoadError& refusal);

  private:
    core::NameId name(const std::string& text);
    // `insert` ran; when it stored nothing, `same()` says whether the stored
    // row has the offered content.
    template <class Same>
    Written outcome(sql::Statement& insert, bool late, Same&& same);

    sql::Database& db_;
    AuditLog& audit_;
    core::ClosedPeriods closed_;
    std::unordered_map<std::string, core::NameId> names_;
    std::vector<std::string> added_;  // names written in the open transaction
    std::unique_ptr<RowBatch> held_stock_;
    std::unique_ptr<sql::HeldWrites> holding_;  // registered at the first hold()
    sql::Statement insert_name_, find_name_;
    sql::Statement insert_shipment_, find_shipment_;
    sql::Statement insert_flow_, find_flow_, insert_conflict_;
    sql::Statement insert_stock_, find_stock_;
    sql::Statement insert_opening_, find_opening_;
};

}  // namespace fieldflow::store
