#pragma once
// The handheld's outbox: its identity, its next sequence number, the open
// visit, and every captured record until the gateway has acked it.
//
// Each record's bytes are its envelope (schemas/record_codec.h), written
// once and sent byte for byte on every attempt, so a re-sent record is
// recognisably the same record at the gateway.
//
// Durability: WAL with synchronous=FULL, one transaction per capture. A rep
// pulls the battery, so a capture is reported saved only once its commit has
// reached the flash; FULL also syncs the WAL on every commit (NORMAL would
// lose the last commits on power loss in WAL mode).
//
// A full disk: a space reserve beside the database (agent/space_reserve.h)
// is spent to open the outbox and to delete acked records; a capture
// needs it in place, and is refused when it cannot be made again.

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "agent/key_ring.h"
#include "agent/kept_photo.h"
#include "agent/pin_lock.h"
#include "agent/refused.h"
#include "agent/sealing.h"
#include "agent/space_reserve.h"
#include "core/record.h"

namespace fieldflow::agent {

struct Identity {
    std::string device;
    std::string rep;
};

struct OpenVisit {
    std::string terminal;
    std::uint64_t check_in_seq = 0;
    std::int64_t since_ms = 0;
};

// One capture of the open visit as the rep's app lists it (agent/serve_api.h):
// kept beside the records because a record leaves the outbox once the
// gateway acked it, while its visit is still open and on the rep's screen.
struct VisitLine {
    std::uint64_t seq = 0;  // the capture's record
    std::string list;       // scans, counts or reports
    std::string shown;      // the line as the page shows it, JSON without its seq
    // A scan's pack (core::ScanContent::pack_identity), remembered for
    // `day` so that scanning it again that day is told; empty for none.
    std::string pack;
    std::string day;
};

struct Queued {
    std::uint64_t seq = 0;
    std::string kind;
    std::vector<std::byte> envelope;
};

// What the gateway said about one record.
struct ReasonText {
    std::string code;
    std::string detail;
};

struct Acked {
    std::uint64_t seq = 0;
    std::string kind;
    std::string verdict;  // accepted, flagged, rejected
    std::vector<ReasonText> reasons;
    // The store the record was made in, kept by the handheld (never sent
    // by the gateway); empty for a record of none.
    std::string terminal;
};

// A kept photo waiting to go to the gateway, after the records.
struct QueuedPhoto {
    std::string sha256;
    std::filesystem::path file;
    std::uint64_t bytes = 0;
};

struct PhotoCounts {
    std::uint64_t queued = 0;   // waiting for the gateway
    std::uint64_t refused = 0;  // refused for good, kept on the handheld
};

struct RefusedPhoto {
    std::string sha256;
    std::string reason;  // the gateway's code: too_large, not_an_image, ...
    std::string detail;
};

// Whether the outbox is sealed (agent/sealing.h) and can be read now.
enum class LockStatus { no_pin, locked, unlocked };
// As status --json and the page's state name it: no_pin, locked, unlocked.
const char* lock_status_name(LockStatus status);

struct LockState {
    LockStatus status = LockStatus::no_pin;
    int failures = 0;                  // wrong PINs in a row
    std::int64_t locked_until_ms = 0;  // no PIN is checked before this
};

// A sealed outbox whose key is not held: nothing can be captured, shown
// or sent until the rep's PIN unlocks it.
struct Locked : Refused {
    Locked();
};

struct LastAck {
    std::int64_t at_ms = 0;
    std::uint64_t accepted = 0, flagged = 0, rejected = 0;
};

class Outbox {
  public:
    explicit Outbox(const std::filesystem::path& state_dir);
    // Deletes the photos this Outbox copied that no record queued (the
    // capture they were kept for was refused), so that they do not stay on
    // the flash with nothing to delete them.
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    std::optional<Identity> identity();
    // Binds the device once; the same ids again are a no-op, other ids are refused.
    void init(const Identity& identity);
    // The credential the gateway enrolled this device with; a new one (after
    // a re-enrolment) replaces it. Empty when there is none.
    void set_credential(const std::string& token);
    std::string credential();
    // Where sync and serve go when not told (HOST:PORT[,HOST:PORT...]), as
    // the enrolment named it; a later enrolment replaces it. Empty when
    // there is none.
    void set_gateway(const std::string& address);
    std::string gateway();

    struct CheckedIn {
        std::uint64_t seq = 0;
        std::optional<OpenVisit> closed;  // the visit closed automatically, if one was open
    };
    CheckedIn check_in(const core::CheckIn& check_in);

    // Device clock minus GPS time, carried by every record captured after it.
    void set_clock_skew(std::int64_t skew_ms);
    std::uint64_t count(const std::string& product, std::int64_t qty, const std::string& lot);
    std::uint64_t check_out();

    struct ScanCapture {
        std::string symbology;
        std::string content;
        bool from_camera = false;
        std::string image_file;
    };
    // A visit report (sales, purchase, promotion, display, competitor) in the
    // open visit: `payload` makes it, given the visit's terminal.
    using VisitPayload = std::function<core::Payload(const std::string& terminal)>;
    std::uint64_t report_in_visit(const VisitPayload& payload);
    // A report that needs no visit (a distributor's stock).
    std::uint64_t report(const core::Payload& payload);

    // Reports that need no visit, saved together or not at all (the rows of
    // one uploaded file): one record per payload.
    std::vector<std::uint64_t> reports(const std::vector<core::Payload>& payloads);

    // One scanned code in the open visit.
    std::uint64_t scan(const ScanCapture& scan);
    // Counts made by scanning, saved together: one stock count per product and lot.
    struct ScannedCount {
        std::string product;
        std::string lot;
        std::int64_t qty = 0;
    };
    std::vector<std::uint64_t> scanned_counts(const std::vector<ScannedCount>& counts);

    // The handheld's product catalogue, for counting by scanning: the
    // products downloaded with the master data (agent/master_apply.h) and
    // those of a products.csv loaded by `catalog`, which win.
    struct CatalogEntry {
        std::string product;
        std::string name;
        std::string gtin;  // as in products.csv
        std::string drug_code_prefix;
    };
    void replace_catalog(const std::vector<CatalogEntry>& entries);
    std::vector<CatalogEntry> catalog();

    std::optional<OpenVisit> open_visit();
    std::uint64_t depth();
    std::uint64_t next_seq();
    // A handheld initialised anew under a device id the gateway knows (its
    // storage wiped, the agent reinstalled) continues after `highest`, the
    // gateway's highest seq for it. Only while it has numbered nothing:
    // true when its next seq is now highest + 1.
    bool continue_after(std::uint64_t highest);
    std::optional<LastAck> last_ack();

    // The oldest records after seq `after`, in sequence order.
    std::vector<Queued> oldest(std::size_t limit, std::uint64_t after = 0);
    // Deletes the acked records and remembers what the gateway said, in one
    // transaction. On a full disk the space reserve is spent for it; when
    // even that is not enough, throws Refused and the records stay queued
    // (the gateway answers them as duplicates when they come again).
    void acknowledge(const std::vector<Acked>& acked);
    // The flagged and rejected verdicts the gateway sent back, newest first.
    std::vector<Acked> verdicts(std::size_t limit);

    // The next capture corrects the earlier record `seq` (0: none). It is
    // made for that record's store, in a visit or not: a rep sees what the
    // gateway rejected hours later, away from the store, and the gateway
    // judges a correction by the visit of the record it corrects.
    void correct_next(std::uint64_t seq) { corrects_ = seq; }
    // The store record `seq` was made in, as the handheld still knows it
    // (from its verdict, or from the record while it is queued).
    std::optional<std::string> store_of(std::uint64_t seq) { return terminal_of(seq, key()); }

    // The next capture in the open visit is listed as `line` (its seq
    // set then), in the capture's own transaction: the list never names a
    // record the outbox did not commit, nor misses one it did. A capture
    // made with no visit open (a correction from 结果) is listed nowhere.
    void list_next(VisitLine line) { listed_ = std::move(line); }
    void list_nothing_next() { listed_.reset(); }
    // The open visit's lines in capture order; emptied at check-in and
    // check-out. Locked when sealed and locked.
    std::vector<VisitLine> visit_lines();
    // The packs listed as scanned on `day`.
    std::set<std::string> packs_scanned_on(const std::string& day);

    // Copies a photo into the state folder (agent/kept_photo.h); a record
    // captured next that carries its hash queues it for the gateway.
    KeptPhoto keep_photo(const std::filesystem::path& source);
    // Photos still to send, oldest first.
    std::vector<QueuedPhoto> queued_photos();
    PhotoCounts photo_counts();
    std::vector<RefusedPhoto> refused_photos();
    // The gateway committed the photo: its copy here is deleted.
    void photo_delivered(const std::string& sha256);
    // The gateway will never take it: kept, and not sent again.
    void photo_refused(const std::string& sha256, const std::string& reason,
                       const std::string& detail);

    // The rep's PIN (agent/pin_lock.h). The first seals everything the
    // outbox holds (records, open visit, check-ins, photos) and unlocks it
    // for `hold`; a later one needs the current PIN and only re-wraps the key.
    LockState lock_state();
    void set_pin(std::string_view pin, std::chrono::seconds hold,
                 std::optional<std::string_view> current = {});
    // Holds the key the PIN unwraps for `hold` (agent/key_ring.h), for this
    // process and, where the kernel keeps keys, for the agent's others.
    Held unlock(std::string_view pin, std::chrono::seconds hold);
    void lock();

    // A kept photo's bytes, opened when sealed; none when its copy is gone.
    std::optional<std::vector<char>> photo_bytes(const QueuedPhoto& photo);
    // Keeps a photo the rep's app sent whole, never writing it in the clear
    // when the outbox is sealed.
    KeptPhoto keep_photo_bytes(const std::string& name, std::span<const char> bytes);
    // Terminals checked in at between the two times (today's done marks).
    std::set<std::string> checked_in_between(std::int64_t from_ms, std::int64_t to_ms);

    // Capture is refused once this many records wait for the gateway.
    std::uint64_t outbox_limit();
    void set_outbox_limit(std::uint64_t limit);

    // The outbox's database, for the master data downloaded beside it.
    SQLite::Database& database() { return db_; }

  private:
    // The data key when the outbox is sealed, none when it has no PIN;
    // Locked when it is sealed and its key is not held.
    std::optional<DataKey> key();
    // A value as the outbox keeps it: sealed for `context` when there is a key.
    static std::vector<std::byte> kept(const std::optional<DataKey>& key,
                                       std::span<const std::byte> value, std::string_view context);
    static std::vector<std::byte> opened(const std::optional<DataKey>& key,
                                         std::span<const std::byte> value,
                                         std::string_view context);
    // Seals what the outbox held in the clear, in the caller's transaction.
    void seal_held(const DataKey& key);
    void seal_kept_photos(const DataKey& key);

    Identity require_identity();
    // Refuses a capture of `records` more records when the outbox is full.
    void require_room(std::uint64_t records);
    // Appends one record in the caller's transaction and returns its seq. A
    // payload the envelope cannot carry throws wire::Unencodable before
    // anything is written, so the caller's transaction rolls back whole.
    // Sealed with `key` when there is one (fetched once per capture).
    std::uint64_t append(const Identity& identity, core::Payload payload,
                         const std::optional<DataKey>& key);
    // The store a capture is made for: the corrected record's, else the
    // open visit's; Refused when there is neither.
    std::string capture_terminal(const std::optional<DataKey>& key);
    // The store record `seq` was made in, from its verdict or its queued
    // envelope; nothing when the handheld no longer knows.
    std::optional<std::string> terminal_of(std::uint64_t seq, const std::optional<DataKey>& key);
    // The open visit, read with the key the caller already holds.
    std::optional<OpenVisit> open_visit(const std::optional<DataKey>& key);
    void write_acks(const std::vector<Acked>& acked);
    // Writes the line list_next() named for the capture `seq`, in the
    // caller's transaction, when a visit is open.
    void list_captured(std::uint64_t seq, const std::optional<DataKey>& key);
    // Queues the kept photo `sha256` names, in the caller's transaction.
    void queue_photo(const std::string& sha256);

    SpaceReserve reserve_;
    bool reserve_spent_ = false;  // by this process, to open or to delete
    SQLite::Database db_;
    std::uint64_t corrects_ = 0;
    std::optional<VisitLine> listed_;
    std::filesystem::path state_dir_;
    std::vector<std::string> copied_photos_;  // by keep_photo, checked at the end
};

}  // namespace fieldflow::agent
