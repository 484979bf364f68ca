#pragma once
// The audit trail: every committed record and every operator action, in one
// append-only log where each entry carries the SHA-256 of each row it
// stands for and of the entry before it. Changing, deleting or reordering
// a stored row, or an entry, behind the gateway's back breaks the chain at
// the first place it happened, and `fieldflow audit verify` names it.

#include "core/digest.h"
#include "store/row_batch.h"
#include "store/sql.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
    operator_change,
    plan_import,
    // Personal data an operator opened (a rep's exact fix, a photo): the
    // entry is the whole of it, its row the record the data belongs to.
    personal_data
};

// Tables whose rows change after they were written. Each change's entry
// names the row by its key and carries the row's digest as the change left
// it (or that the row is gone); verify() holds every row as it is now to
// the latest entry for it.
enum class Kept { operators, device_credentials, closed_periods };

// The last entry of the chain: an operator keeps it outside the store and
// later asks verify() whether the chain still holds that entry there.
struct AuditHead {
    std::int64_t entry = 0;
    core::Sha256Digest hash{};
};
// "ENTRY:HASH", as `fieldflow audit head` prints it; nullopt for other text.
std::string format_head(const AuditHead& head);
std::optional<AuditHead> parse_head(std::string_view text);

// Where the rows of the distribution books ended before an import began:
// the import's own rows come after (one writer at a time).
struct BookRowMarks {
    std::vector<std::int64_t> last_ids;
};

struct AuditProblem {
    std::int64_t entry = 0;  // the first entry that does not hold
    std::string what;
};

struct AuditReport {
    std::uint64_t entries = 0;
    std::optional<AuditProblem> problem;
};

// What the log vouches for in a row, built from the values just written
// in the order of the table's audited columns (then each reason's code and
// detail), exactly as verify() reads them back: a writer that has the
// values saves reading its row again.
class AuditedRow {
  public:
    AuditedRow(Audited table, std::int64_t row, const std::string& detail = {});
    ~AuditedRow();
    AuditedRow(const AuditedRow&) = delete;
    AuditedRow& operator=(const AuditedRow&) = delete;
    AuditedRow& text(std::string_view value);
    AuditedRow& integer(std::int64_t value);
    AuditedRow& blob(std::span<const std::byte> value);
    AuditedRow& null();
    // A record's envelope whose fix at `fix_at` is sealed by `seal`
    // (store/fix_seal.h), in place of blob(raw).
    AuditedRow& sealed_raw(std::span<const std::byte> raw, std::int64_t fix_at,
                           std::span<const std::byte> seal);
    // Values as a RowBatch holds them, each as the functions above take it.
    AuditedRow& values(RowBatch::Row values);

    Audited table() const { return table_; }
    std::int64_t row() const { return row_; }
    const std::string& detail() const { return detail_; }
    core::Sha256Digest digest();

  private:
    struct Hash;
    Audited table_;
    std::int64_t row_;
    std::string detail_;
    std::unique_ptr<Hash> hash_;
};

// Keep one per connection and append through it only: it remembers the
// chain's last entry for the rest of a writer's transaction.
class AuditLog {
  public:
    explicit AuditLog(sql::Database& db);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    static void ensure_schema(sql::Database& db);

    // Inside the caller's transaction, after the row was written. For
    // `device_change` and `operator_change`, which have no row of their
    // own, `row` is 0 and `detail` says what changed.
    void append(Audited table, std::int64_t row, const std::string& actor,
                const std::string& action, const std::string& detail = {});
    // The same for a row whose audited values the caller hands over. While
    // entries are held, rows of one table with consecutive ids, the same
    // actor and action and no detail (a device's batch of records) become
    // one entry: its content is each row's digest in turn, 32 bytes a row.
    void append(AuditedRow& row, const std::string& actor, const std::string& action);

    // A change to a row of a Kept table, inside the caller's transaction,
    // after the change: `key` names the row (an operator's name, a device,
    // a period), `detail` says what changed.
    void append_state(Kept table, const std::string& key, const std::string& actor,
                      const std::string& action, const std::string& detail);
    // Every row of a Kept table into the log as it is now, for a store
    // from before these entries existed.
    void adopt_kept_rows(const std::string& actor);

    // Inside an import's transaction, before its first row.
    BookRowMarks book_row_marks();
    // The import's rows, after the last one: one entry for book source
    // `source` whose content is a digest of its rows of each book table
    // (shipments, flows, flow_conflicts, stock_reports, openings) in turn,
    // each table's rows in a defined order, with the names they refer to
    // spelt out; verify() recomputes them in one pass over each table.
    void append_import_rows(std::int64_t source, const BookRowMarks& marks,
                            const std::string& actor);

    // Fixes of `table`'s rows (records or quarantined ones) dropped at the
    // end of their retention, inside the caller's transaction after the
    // rows changed: one entry for them all, with the distance from the
    // terminal kept in each one's place (nullopt: the terminal was not known).
    struct Redacted {
        std::int64_t row = 0;
        std::optional<std::int64_t> distance_m;
    };
    void append_redaction(Audited table, const std::vector<Redacted>& rows,
                          const std::string& actor, const std::string& detail);

    // The chain's last entry; nullopt while the log is empty.
    std::optional<AuditHead> head();

    // With `recorded`, also that the chain still has that entry, unchanged,
    // at that place: deleting the newest entries together with the rows
    // they stand for leaves a chain that holds, but not that head.
    AuditReport verify(const std::optional<AuditHead>& recorded = std::nullopt);

    // From now on, entries appended inside a writer's transaction are held
    // and sent together by send_held(), which the owner of the connection
    // calls before the transaction commits; forget_held() when it rolled back.
    void hold_entries();
    void send_held();
    void forget_held();

    struct Statements;

  private:
    Statements& statements();
    void chain_entry(Audited table, std::int64_t row, const std::string& actor,
                     const std::string& action, const std::string& detail,
                     std::span<const unsigned char> content);
    // `target` names the table; `subject` the row of a Kept one.
    void chain_entry(const std::string& target, std::int64_t row, const std::string& actor,
                     const std::string& action, const std::string& detail,
                     std::span<const unsigned char> content,
                     const std::optional<std::string>& subject);
    void end_run();
    // Entries go to held_, to be sent before the writer's transaction commits.
    bool holding() const;

    sql::Database& db_;
    std::unique_ptr<Statements> statements_;  // prepared on first use: the table may be new
    std::unique_ptr<RowBatch> held_;          // entries not sent yet, when holding
    // The rows the next held entry will stand for, not chained yet.
    struct Run {
        Audited table;
        std::int64_t first = 0;
        std::string actor, action;
        std::vector<unsigned char> digests;  // one core::Sha256Digest a row
        std::int64_t next_row() const {
            return first + static_cast<std::int64_t>(digests.size() /
                                                     std::tuple_size_v<core::Sha256Digest>);
        }
    };
    std::optional<Run> run_;
    // The entry appended last in the writer's transaction open now.
    struct Last {
        std::int64_t id = 0;
        core::Sha256Digest hash{};
    };
    sql::WriterScoped<Last> last_;
};

}  // namespace fieldflow::store
