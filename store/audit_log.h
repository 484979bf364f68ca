#pragma once
// The audit trail: every committed record and every operator action, in one
// append-only log where each entry carries the SHA-256 of the row it
// stands for and of the entry before it. Changing, deleting or reordering
// a stored row, or an entry, behind the gateway's back breaks the chain at
// the first place it happened, and `fieldflow audit verify` names it.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace fieldflow::store {

// The tables whose rows the log vouches for.
enum class Audited {
    record,
    quarantined,
    import,
    period_change,
    flow_adjustment,
    device_change,
    review,
    operator_change
};

struct AuditProblem {
    std::int64_t entry = 0;  // the first entry that does not hold
    std::string what;
};

struct AuditReport {
    std::uint64_t entries = 0;
    std::optional<AuditProblem> problem;
};

class AuditLog {
  public:
    explicit AuditLog(SQLite::Database& db);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    static void ensure_schema(SQLite::Database& db);

    // Inside the caller's transaction, after the row was written. For
    // `device_change` and `operator_change`, which have no row of their
    // own, `row` is 0 and `detail` says what changed.
    void append(Audited table, std::int64_t row, const std::string& actor,
                const std::string& action, const std::string& detail = {});

    AuditReport verify();

    struct Statements;

  private:
    Statements& statements();

    SQLite::Database& db_;
    std::unique_ptr<Statements> statements_;  // prepared on first use: the table may be new
};

}  // namespace fieldflow::store
