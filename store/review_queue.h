#pragma once
// Flagged records waiting for a person: a reviewer approves or rejects
// each with a comment. A decision is kept beside the record (the record
// itself never changes) and enters the audit log in the same transaction.

#include "store/sql.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/reason.h"
#include "store/audit_log.h"

namespace fieldflow::store {

enum class Decision { approve, reject };
std::string_view name(Decision decision);
std::optional<Decision> decision_named(std::string_view name);

struct Review {
    Decision decision = Decision::approve;
    std::string comment;
    std::string by;
    std::int64_t at_ms = 0;
};

struct FlaggedRecord {
    std::int64_t id = 0;  // records.id
    std::string device;
    std::uint64_t seq = 0;
    std::string rep;
    std::string kind;
    std::int64_t captured_at_ms = 0;
    std::int64_t received_at_ms = 0;
    std::vector<core::Reason> reasons;
    std::vector<std::byte> raw;  // for the payload's context
    std::optional<Review> review;
    // A check-in whose fix its retention dropped (store/retention.h), and
    // the distance from its terminal kept in its place.
    bool fix_dropped = false;
    std::optional<std::int64_t> kept_distance_m;
};

struct ReviewFilter {
    enum class State { open, decided, all } state = State::open;
    std::string reason;  // a reason code, or empty for any
    std::string rep;
    std::string device;
    std::int64_t before_id = 0;  // for paging: only ids below this; 0 for the newest
};

class ReviewQueue {
  public:
    static void ensure_schema(sql::Database& db);

    ReviewQueue(sql::Database& db, AuditLog& audit) : db_(db), audit_(audit) {}

    // Newest first, at most `limit`.
    std::vector<FlaggedRecord> flagged(const ReviewFilter& filter, std::size_t limit = 200);
    std::optional<FlaggedRecord> find(std::int64_t id);

    enum class Decided { done, not_flagged, already_decided };
    Decided decide(std::int64_t record, Decision decision, const std::string& comment,
                   const std::string& by, std::int64_t at_ms);

  private:
    sql::Database& db_;
    AuditLog& audit_;
};

}  // namespace fieldflow::store
