#pragma once
// The gateway's store: every record a device sent, judged and kept.
// Booked records (accepted or flagged) live in `records`; rejected ones in
// `quarantine`, raw bytes and all, so that nothing a device sent is lost.
// Tables are documented in docs/data-formats.md.

#include "store/sql.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/reason.h"
#include "core/visit_rules.h"
#include "store/audit_log.h"
#include "store/operator_accounts.h"
#include "store/review_queue.h"

namespace fieldflow::store {

using sql::Durability;

// The verdict a record was given when it was first stored.
struct StoredVerdict {
    core::Outcome outcome = core::Outcome::accepted;
    std::vector<core::Reason> reasons;
    bool same_bytes = true;      // the stored raw bytes equal the ones offered now
    std::vector<std::byte> raw;  // as stored (a fix blanked by retention stays blank)
};

// One record as stored, for listings.
struct StoredRecord {
    std::string device;  // from the record; the sender's when unreadable
    // The device the connection that sent it authenticated as: the record's
    // own device for a booked record, maybe another one for a quarantined
    // one (wrong_device).
    std::string sender;
    std::optional<std::uint64_t> seq;  // absent when the record could not be read
    std::string rep;
    std::string kind;
    std::int64_t captured_at_ms = 0;
    std::int64_t received_at_ms = 0;
    core::Outcome outcome = core::Outcome::accepted;
    std::vector<core::Reason> reasons;
    std::vector<std::byte> raw;
};

// A booked check-in as stored, for the travel rules to read back.
struct StoredCheckIn {
    std::uint64_t seq = 0;
    std::int64_t captured_at_ms = 0;
    std::vector<std::byte> raw;
};

struct DeviceHello {
    std::string device;
    std::string rep;
    std::string agent_version;
    std::uint64_t outbox_depth = 0;
    std::int64_t seen_at_ms = 0;
};

// A device's enrolment: the rep it is bound to and the SHA-256 of its
// credential (the credential itself is shown once, never stored).
struct Credential {
    std::string device;
    std::string rep;
    std::vector<unsigned char> token_sha256;
    std::int64_t enrolled_at_ms = 0;
    std::optional<std::int64_t> revoked_at_ms;
};

class GatewayStore {
  public:
    // Opens or creates the store at `location` (a file, or a postgresql://
    // URL), migrating its schema.
    explicit GatewayStore(const std::string& location, Durability durability = Durability::full);
    ~GatewayStore();
    GatewayStore(const GatewayStore&) = delete;
    GatewayStore& operator=(const GatewayStore&) = delete;

    sql::Database& db() { return *db_; }
    AuditLog& audit() { return audit_; }
    OperatorAccounts operators() { return {*db_, audit_}; }
    ReviewQueue reviews() { return {*db_, audit_}; }

    // Lookups and writes below are meant to run inside one transaction that
    // the caller opens (sql::Transaction, a writer's) so that
    // a whole group of records commits, or none does.

    // The record (device, seq) as its own device sent it before, booked or
    // quarantined. Rows another device sent under this identity do not count.
    std::optional<StoredVerdict> find(const std::string& device, std::uint64_t seq,
                                      std::span<const std::byte> raw);
    // The seqs in [first, last] that `device` stored before under its own
    // identity, booked or quarantined, in ascending order: one lookup for a
    // whole batch, so that find() runs only for records seen before.
    std::vector<std::uint64_t> stored_seqs(const std::string& device, std::uint64_t first,
                                           std::uint64_t last);
    // The device's booked check-ins captured in [from_ms, to_ms], with the
    // latest one before and the earliest one after: every neighbour by
    // capture time that a batch's check-ins and check-outs can have. One
    // statement on an index of check-ins alone (records_check_ins_in_order), so a
    // batch pays one lookup however many visits it holds.
    std::vector<StoredCheckIn> check_ins_around(const std::string& device, std::int64_t from_ms,
                                                std::int64_t to_ms);
    // What a group of batches will ask of the store, asked at once before the
    // group is judged: on PostgreSQL every question is a round trip, and a
    // group of 200 handhelds' batches asked several of them per batch. The
    // answers stand in this writer's transaction, where credential(),
    // open_visit(), stored_seqs() and check_ins_around() give them, until
    // something held for their device could change them. Outside a writer's
    // transaction nothing is read.
    struct Questions {
        std::vector<std::string> credentials;  // of these devices
        std::vector<std::string> open_visits;  // of these devices
        struct Span {
            std::string device;
            std::int64_t from = 0, to = 0;
        };
        std::vector<Span> seqs;       // stored_seqs(device, from, to)
        std::vector<Span> check_ins;  // check_ins_around(device, from, to)
    };
    void look_up_together(const Questions& questions);

    // For a record that could not be read: was this exact byte string already
    // quarantined for this sender?
    std::optional<StoredVerdict> find_unreadable(const std::string& sender,
                                                 std::span<const std::byte> raw);

    // `fix_at`: where a check-in's fix lies in `raw` (wire::Decoded), sealed
    // apart from the rest of the record (store/fix_seal.h).
    void book(const core::Record& record, const core::Verdict& verdict,
              std::span<const std::byte> raw, std::int64_t received_at_ms,
              std::optional<std::size_t> fix_at = std::nullopt);
    // `record` is null when the bytes could not be read at all; `fix_at`
    // as for book(): a rejected check-in's fix is sealed apart too.
    void quarantine(const std::string& sender, const core::Record* record,
                    const core::Verdict& verdict, std::span<const std::byte> raw,
                    std::int64_t received_at_ms, std::optional<std::size_t> fix_at = std::nullopt);

    std::optional<core::OpenVisit> open_visit(const std::string& device);
    void set_open_visit(const std::string& device, const std::optional<core::OpenVisit>& visit);

    // The hello's device as last seen, and its outbox depth among the
    // device's backlog samples, which are kept for backlog_kept_ms.
    void saw_device(const DeviceHello& hello);
    static constexpr std::int64_t backlog_kept_ms = 30 * 86'400'000LL;
    // The highest seq stored for `device` (booked, or quarantined as sent by
    // it); 0 when none. Answers the hello of a device starting anew.
    std::uint64_t highest_seq(const std::string& device);
    // Every device's latest hello.
    std::vector<DeviceHello> devices();

    // Enrols (or re-enrols, replacing its credential) a device for a rep.
    void enroll(const std::string& device, const std::string& rep,
                std::span<const unsigned char> token_sha256, std::int64_t at_ms,
                const std::string& by);
    // False when the device is not enrolled or already revoked. `reason`,
    // when given, follows the device's id in the audit entry's detail.
    bool revoke(const std::string& device, std::int64_t at_ms, const std::string& by,
                const std::string& reason = {});
    std::optional<Credential> credential(const std::string& device);
    std::vector<Credential> credentials();
    // Every refused handshake and batch, for the audit trail.
    void log_auth(const std::string& device, const std::string& peer, const std::string& event,
                  const std::string& detail, std::int64_t at_ms);

    // Serialised packs (GS1 serial or traceability code): where each was first scanned.
    // Where each of `identities` was first scanned as the store holds it
    // (nullopt: never), found together: a batch's packs in one query.
    using PackSightings = std::unordered_map<std::string, std::optional<std::string>>;
    PackSightings packs_seen_at(const std::vector<std::string>& identities);
    // Where `identity` was first scanned: in a record of this transaction,
    // else as `stored` has it when it has the identity, else as the store does.
    std::optional<std::string> pack_seen_at(const std::string& identity,
                                            const PackSightings* stored = nullptr);
    void saw_pack(const std::string& identity, const std::string& terminal,
                  const std::string& device, std::uint64_t seq);

    // Listing for operators: booked then quarantined records, in arrival order.
    void for_each_record(const std::function<void(const StoredRecord&)>& visit);

    struct Counts {
        std::uint64_t accepted = 0, flagged = 0, rejected = 0;
    };
    Counts counts();

    // How many records of each kind got each verdict, and how often each
    // reason was given, most frequent first.
    struct Tally {
        std::string key;  // "kind verdict" or the reason code
        std::uint64_t count = 0;
    };
    std::vector<Tally> kinds_by_verdict();
    std::vector<Tally> reasons_by_frequency();

  private:
    struct Statements;  // prepared once, reused for every record

    void remember_visit(const std::string& device, const std::optional<core::OpenVisit>& visit);
    struct Answers;  // of look_up_together (store/group_lookups.cpp)
    // A record this transaction books, added to the answers that cover it,
    // so that the device's next batch in the group finds it there: its seq,
    // and when it is a check-in, the check-in as stored.
    void answers_gain(const std::string& device, std::uint64_t seq,
                      std::optional<std::int64_t> check_in_at = std::nullopt,
                      std::span<const std::byte> raw = {});
    // The answers, when look_up_together has them.
    std::optional<std::vector<std::uint64_t>> answered_seqs(const std::string& device,
                                                            std::uint64_t first,
                                                            std::uint64_t last);
    std::optional<std::vector<StoredCheckIn>> answered_check_ins(const std::string& device,
                                                                 std::int64_t from_ms,
                                                                 std::int64_t to_ms);
    std::optional<std::optional<Credential>> answered_credential(const std::string& device);
    struct Held;
    std::int64_t next_id(bool quarantined);
    void send_held();
    void forget_held();

    std::unique_ptr<sql::Database> db_;
    std::unique_ptr<Statements> statements_;
    std::unique_ptr<Held> held_;                // rows written and not sent yet
    std::unique_ptr<sql::HeldWrites> holding_;  // sends them before each commit
    // Open visits as the writer's transaction open now has read and written them.
    sql::WriterScoped<std::map<std::string, std::optional<core::OpenVisit>>> visits_;
    std::unique_ptr<Answers> answers_;
    AuditLog audit_{*db_};
};

// Why the store at `location` cannot be read now, or empty when it can. It
// opens a connection of its own, so a probe never waits on the committer.
std::string unreachable(const std::string& location);

}  // namespace fieldflow::store
