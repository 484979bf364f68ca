#pragma once
// Group commit. One thread owns the store; sessions hand it batches and get
// each batch's results back only after the transaction holding them has
// committed and reached the disk. Everything queued while a commit runs goes
// into the next one, so under load many connections share one transaction;
// and the disk syncs a group while the next one is being built
// (gateway/sync_stage.h), so they share the syncs too.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/master_data.h"
#include "core/plan_rules.h"
#include "core/reason.h"
#include "core/travel_rules.h"
#include "core/visit_rules.h"
#include "gateway/books.h"
#include "gateway/master_in_force.h"
#include "gateway/metrics.h"
#include "gateway/photo_upload.h"
#include "gateway/sync_stage.h"
#include "schemas/frame.h"
#include "schemas/record_codec.h"
#include "store/gateway_store.h"
#include "store/photo_store.h"
#include "store/plan_store.h"

#include <spdlog/logger.h>

#include <memory>

namespace fieldflow::gateway {

struct RecordResult {
    std::uint64_t seq = 0;  // 0 when the record could not be read
    core::Outcome outcome = core::Outcome::rejected;
    std::vector<core::Reason> reasons;
    bool duplicate = false;
    std::string_view kind = "unreadable";  // core::kind_name of the record
};

struct BatchResult {
    bool committed = false;
    bool unauthenticated = false;  // the device's credential no longer holds
    std::string error;             // why nothing was committed
    std::vector<RecordResult> results;
};

// Who a connection says it is, from its hello.
struct Hello {
    store::DeviceHello seen;
    std::string credential;
    std::string peer;
    std::uint64_t conn = 0;     // the connection's number in the log
    bool fresh_outbox = false;  // the device starts anew: the welcome says its highest seq
};

struct HelloResult {
    bool accepted = false;
    std::string refusal;  // why not, for the device and the log
    // Not refused: the store could not be reached, and the device may try again.
    bool store_failed = false;
    std::uint64_t highest_seq = 0;  // for a device that starts anew
};

using RawRecord = std::vector<std::byte>;

class Ingest {
  public:
    using Done = std::function<void(BatchResult)>;
    using Welcomed = std::function<void(HelloResult)>;

    // With `enrolment`, a device must present its credential, its records
    // must carry its bound rep, and a revoked device is refused at its next
    // batch; without, device ids are taken at their word. Each batch is
    // judged against the master data in force when it arrives.
    // `travel`: the thresholds of impossible_travel and short_visit.
    Ingest(store::GatewayStore& store, const MasterInForce& master, Metrics& metrics,
           wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment = true,
           core::TravelLimits travel = {});
    // Against master data that never changes.
    Ingest(store::GatewayStore& store, const core::MasterData& master, Metrics& metrics,
           wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment = true,
           core::TravelLimits travel = {});
    ~Ingest();
    Ingest(const Ingest&) = delete;
    Ingest& operator=(const Ingest&) = delete;

    // Callbacks run on the committer's thread or the sync stage's; callers post
    // them where they need them.
    void hello(Hello hello, Welcomed done);
    void submit(const Hello& sender, std::vector<RawRecord> records, Done done);

    // Commits everything already queued, then joins the committer.
    void stop();

    // False while the store refuses commits: from a failed commit until the
    // next one succeeds.
    bool committing() const { return committing_; }

    // Where sessions hand the photos that follow the records.
    PhotoUpload& photos() { return photo_upload_; }

    // When the committer last went round its loop, which it does at least
    // once a second while idle: a beat older than a long commit means the
    // committer is stuck or gone (the service's watchdog asks). Any thread.
    std::chrono::steady_clock::time_point last_beat() const {
        return std::chrono::steady_clock::time_point(
            std::chrono::steady_clock::duration(beat_.load()));
    }

  private:
    // A record as the submitting thread leaves it for the committer.
    struct Examined {
        wire::Decoded decoded;
        core::OwnFindings own;  // what the record says by itself
        std::string pack;       // the serialised pack a scan names, empty for none
    };
    struct Job {
        Hello sender;
        std::vector<RawRecord> records;
        std::vector<Examined> examined;  // one per record
        MasterSnapshot master;           // in force when the batch arrived
        Done done;
        Welcomed welcomed;  // set for a hello, which has no records
    };

    void run();
    void commit_group(std::vector<Job>& group);
    // Why `sender` may not go on, if it may not; empty when it may.
    std::string refusal(const Hello& sender);
    // What a whole group's batches need of the store, read before any is
    // judged: a few statements for the group, not several per batch.
    struct GroupReads {
        store::GatewayStore::PackSightings packs;  // of every batch's packs
        core::DayPlans plans;                      // of every batch's check-ins
    };
    GroupReads look_ahead(const std::vector<Job>& group);
    // One batch's records, in order: looked up together, judged.
    void judge_batch(Job& job, const GroupReads& group, std::int64_t now_ms,
                     std::vector<RecordResult>& results);
    // The seqs of the batch's own records, first and last, when it has any.
    static std::optional<std::pair<std::uint64_t, std::uint64_t>> seq_span(const Job& job);
    // The capture times of the batch's records the travel rules look
    // around, first and last, when the rules are on and it has any.
    std::optional<std::pair<std::int64_t, std::int64_t>> visit_span(const Job& job) const;
    // The device's check-ins around the batch's visit records, by capture
    // time, read from the store in one lookup: the store, not a cache of
    // this gateway's, since records arrive out of order, after a restart,
    // or at another gateway sharing the database.
    core::TravelLog travel_log(const Job& job);
    // The plans of the reps' days the group's check-ins fall on.
    core::DayPlans plans_for(const std::vector<Job>& group);
    // `maybe_stored`: the record's (device, seq) may be in the store
    // already; `packs`: what the store said of the batch's packs;
    // `photo_uses`: of its photos, with the uses of its records booked so far. The
    // record's own findings are moved out of `examined` into its verdict.
    RecordResult judge(const std::string& sender, const std::string& bound_rep,
                       const RawRecord& raw, Examined& examined, bool maybe_stored,
                       const store::GatewayStore::PackSightings& packs,
                       store::PhotoStore::Uses& photo_uses, const core::MasterData& master,
                       core::TravelLog& travel, const core::DayPlans& plans, std::int64_t now_ms);
    Ingest(store::GatewayStore& store, std::unique_ptr<MasterInForce> own, Metrics& metrics,
           wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment,
           core::TravelLimits travel);

    store::GatewayStore& store_;
    std::unique_ptr<MasterInForce> own_master_;  // when given data that never changes
    const MasterInForce& master_;
    Metrics& metrics_;
    wire::ReadLimits limits_;
    std::shared_ptr<spdlog::logger> log_;
    bool enrolment_;
    core::TravelLimits travel_;
    Books books_;                   // used by the committer thread only
    store::PhotoStore photo_uses_;  // which record sent which photo: photo_reused
    PhotoUpload photo_upload_;
    // Read once per batch that holds a check-in: one indexed range read of
    // the device's rep's days (core/plan_rules.h judges against it).
    store::PlanStore plans_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::atomic<bool> committing_ = true;
    std::atomic<std::chrono::steady_clock::rep> beat_ =
        std::chrono::steady_clock::now().time_since_epoch().count();
    SyncStage syncs_;  // answers a committed group once the disk has it
    std::thread thread_;
};

}  // namespace fieldflow::gateway
