#include "support/power_cut_trials.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "agent/outbox.h"
#include "agent/sync.h"
#include "core/clock.h"
#include "core/master_data.h"
#include "gateway/ingest.h"
#include "gateway/metrics.h"
#include "schemas/record_codec.h"
#include "store/gateway_store.h"
#include "store/wal_checkpointer.h"
#include "support/in_process_gateway.h"
#include "support/master_fixture.h"
#include "support/power_cut_vfs.h"
#include "support/process.h"

namespace fieldflow::test {

namespace {

constexpr std::size_t failures_kept = 5;

void failed(PowerCutTally& tally, const std::string& what) {
    if (tally.failures.size() < failures_kept) tally.failures.push_back(what);
}

// Counts the cut by its call and says what survives of it.
PowerCut::Tear next_tear(PowerCutTally& tally, const PowerCut& power) {
    ++tally.cut_at[power.cut_call()];
    // Every other cut keeps part of what no sync covered.
    bool tear = tally.cuts % 2 == 1;
    tally.torn += tear;
    return tear ? PowerCut::Tear::sectors : PowerCut::Tear::none;
}

// Where in a trial the cut comes: anywhere up to `span` calls in, a span
// that narrows after a trial that ran out first and widens after one that
// was cut, so that about half the trials are cut wherever their calls
// go (a background checkpoint now and then makes a trial ten times longer).
class CutWindow {
  public:
    explicit CutWindow(double span) : span_(span) {}
    std::uint64_t next(std::mt19937& random) const {
        return 1 + random() % static_cast<std::uint64_t>(span_ + 1);
    }
    void ran_out() { span_ = std::max(1.0, span_ * 0.75); }
    void cut() { span_ *= 1.125; }

  private:
    double span_;
};

std::string integrity(const std::string& db) {
    SQLite::Database check(db, SQLite::OPEN_READONLY);
    return check.execAndGet("PRAGMA integrity_check").getString();
}

// (device, seq) -> how many rows hold it, booked or quarantined.
std::map<std::pair<std::string, std::uint64_t>, int> stored_copies(const std::string& db) {
    SQLite::Database store(db, SQLite::OPEN_READONLY);
    SQLite::Statement q(store,
                        "SELECT device, seq, count(*) FROM (SELECT device, seq FROM records "
                        "UNION ALL SELECT device, seq FROM quarantine WHERE seq IS NOT NULL) "
                        "GROUP BY device, seq");
    std::map<std::pair<std::string, std::uint64_t>, int> out;
    while (q.executeStep())
        out[{q.getColumn(0).getString(), static_cast<std::uint64_t>(q.getColumn(1).getInt64())}] =
            q.getColumn(2).getInt();
    return out;
}

// The handheld: captures and syncs, its outbox under the power cut, the
// gateway beside it on a store the cut does not reach.
class Handheld {
  public:
    Handheld(PowerCutTally& capture, PowerCutTally& sync, unsigned seed)
        : capture_(capture), sync_(sync), random_(seed), power_(dir_.path()) {
        agent::Outbox outbox(state_);
        outbox.init({device, "R1"});
    }

    void run(int capture_cuts, int sync_cuts, std::ostream* progress) {
        while (capture_.cuts < capture_cuts || sync_.cuts < sync_cuts) {
            bool capturing =
                capture_.cuts < capture_cuts && (sync_.cuts >= sync_cuts || random_() % 2 == 0);
            if (capturing ? capture_trial() : sync_trial()) {
                check(capturing ? capture_ : sync_);
                int cuts = capture_.cuts + sync_.cuts;
                if (progress && cuts % 100 == 0)
                    *progress << "handheld: " << cuts << " cuts" << std::endl;
            }
        }
        // Power stays on: everything left goes to the gateway, once.
        power_.disarm();
        agent::Outbox outbox(state_);
        std::ostringstream quiet;
        if (agent::sync(outbox, options(quiet, 50)) != 0)
            throw std::runtime_error("the last sync did not empty the outbox");
        auto stored = stored_copies(gateway_.db());
        auto numbered = outbox.next_seq() - 1;
        for (std::uint64_t seq = 1; seq <= numbered; ++seq)
            if (!stored.count({device, seq}) && !lost_.count(seq)) {
                ++sync_.lost;
                failed(sync_, "seq " + std::to_string(seq) + " was numbered and never stored");
            }
        for (const auto& [key, copies] : stored)
            if (copies > 1 && !doubled_.count(key.second)) {
                ++sync_.duplicated;
                failed(sync_, "seq " + std::to_string(key.second) + " stored " +
                                  std::to_string(copies) + " times after the last sync");
            }
    }

  private:
    static constexpr const char* device = "dev-cut";

    agent::SyncOptions options(std::ostream& out, std::size_t batch) const {
        agent::SyncOptions o;
        o.host = "127.0.0.1";
        o.port = std::to_string(gateway_.port());
        o.batch = batch;
        o.retry_for = std::chrono::seconds(0);
        o.out = &out;
        return o;
    }

    // One capture as the agent's commands make it, each in a program run of
    // its own: the outbox opened, one record (two when a check-in closes
    // the open visit), closed again.
    void capture_once() {
        agent::Outbox outbox(state_);
        auto open = outbox.open_visit();
        auto pick = random_() % 6;
        if (!open || pick == 0) {
            auto in = outbox.check_in(
                core::CheckIn{"T1", 31.2304, 121.5060, 5, core::FixJudgement::manual, 0});
            promise(capture_, in.seq);
            if (in.closed) promise(capture_, in.seq - 1);
        } else if (pick == 1) {
            promise(capture_, outbox.check_out());
        } else {
            promise(capture_, outbox.count("P1", static_cast<std::int64_t>(random_() % 9), ""));
        }
    }

    void promise(PowerCutTally& tally, std::uint64_t seq) {
        promised_.insert(seq);
        ++tally.promised;
    }

    // True when the power went off during it.
    bool capture_trial() {
        power_.arm(capture_window_.next(random_));
        try {
            for (int i = 0; i < 6; ++i) capture_once();
        } catch (const std::exception&) {
            if (!power_.cut()) throw;
            capture_window_.cut();
            return true;
        }
        // The cut may come as the last run closes its database, which no
        // one hears of: SQLite ignores a failed checkpoint or delete there.
        if (power_.cut()) {
            capture_window_.cut();
            return true;
        }
        power_.disarm();
        capture_window_.ran_out();
        ++capture_.finished;
        return false;
    }

    bool sync_trial() {
        for (int i = 0, n = 1 + static_cast<int>(random_() % 6); i < n; ++i) capture_once();
        {
            agent::Outbox outbox(state_);
            sync_.promised += outbox.depth();  // what this sync puts at stake
        }
        power_.arm(sync_window_.next(random_));
        std::ostringstream quiet;
        try {
            agent::Outbox outbox(state_);
            agent::sync(outbox, options(quiet, 1 + random_() % 3));
        } catch (const std::exception&) {
            if (!power_.cut()) throw;
            sync_window_.cut();
            return true;
        }
        if (power_.cut()) {
            sync_window_.cut();
            return true;
        }
        power_.disarm();
        sync_window_.ran_out();
        ++sync_.finished;
        return false;
    }

    // After a cut: the agent starts again on what the disk kept.
    void check(PowerCutTally& tally) {
        power_.restore(next_tear(tally, power_), random_);
        ++tally.cuts;
        std::string where = "cut " + std::to_string(tally.cuts) + " (" + tally.phase + "): ";
        std::set<std::uint64_t> queued;
        std::uint64_t next = 0;
        try {
            agent::Outbox outbox(state_);  // what the agent's next command opens
            auto verdict = integrity(state_ / "agent.db");
            if (verdict != "ok") {
                ++tally.damaged;
                failed(tally, where + "integrity_check says " + verdict);
            }
            for (const auto& q : outbox.oldest(1'000'000)) queued.insert(q.seq);
            next = outbox.next_seq();
        } catch (const std::exception& e) {
            ++tally.damaged;
            failed(tally, where + "the outbox does not open: " + e.what());
            throw;
        }
        auto stored = stored_copies(gateway_.db());
        for (auto seq : promised_) {
            if (lost_.count(seq)) continue;
            bool at_gateway = stored.count({device, seq}) != 0;
            if (!queued.count(seq) && !at_gateway) {
                ++tally.lost;
                lost_.insert(seq);
                failed(tally, where + "seq " + std::to_string(seq) + " was saved and is gone");
            }
            if (seq >= next && !reused_.count(seq)) {
                ++tally.duplicated;
                reused_.insert(seq);
                failed(tally, where + "seq " + std::to_string(seq) +
                                  " was saved and will be numbered again (next_seq " +
                                  std::to_string(next) + ")");
            }
        }
        for (const auto& [key, copies] : stored)
            if (copies > 1 && !doubled_.count(key.second)) {
                ++tally.duplicated;
                doubled_.insert(key.second);
                failed(tally, where + "seq " + std::to_string(key.second) + " stored " +
                                  std::to_string(copies) + " times");
            }
    }

    PowerCutTally& capture_;
    PowerCutTally& sync_;
    std::mt19937 random_;
    InProcessGateway gateway_;  // its store lives outside the watched folder
    TempDir dir_;
    std::filesystem::path state_ = dir_.path() / "state";
    PowerCut power_;
    std::set<std::uint64_t> promised_, lost_, reused_, doubled_;
    CutWindow capture_window_{100}, sync_window_{100};
};

// Devices sending batches to the gateway's committer, its store under the
// power cut. A device keeps every record until it is acked and sends the
// ones not acked again, as the agent does.
class GroupCommit {
  public:
    GroupCommit(PowerCutTally& tally, unsigned seed)
        : tally_(tally),
          random_(seed),
          master_folder_(write_master_fixture(master_dir_.path())),
          master_(core::load_master_data(master_folder_).data),
          power_(dir_.path()) {
        devices_.resize(4);
        for (std::size_t i = 0; i < devices_.size(); ++i)
            devices_[i].name = "gw-" + std::to_string(i + 1);
    }

    void run(int cuts, std::ostream* progress) {
        while (tally_.cuts < cuts) {
            if (trial()) {
                check();
                if (progress && tally_.cuts % 100 == 0)
                    *progress << "group commit: " << tally_.cuts << " cuts" << std::endl;
            }
        }
    }

  private:
    struct Device {
        std::string name;
        std::uint64_t next_seq = 1;
        std::map<std::uint64_t, std::vector<std::byte>> unacked;
        std::set<std::uint64_t> acked;
    };

    void open() {
        if (store_) return;
        store_ = std::make_unique<store::GatewayStore>(db_);
        store_->db().checkpoint_in_background();
    }

    std::vector<std::byte> record(Device& d) {
        core::Record r;
        r.device = d.name;
        r.seq = d.next_seq++;
        r.rep = "R1";
        r.captured_at_ms = core::unix_now_ms();
        if (r.seq == 1)
            r.payload = core::CheckIn{"T1", 31.2304, 121.5060, 5, core::FixJudgement::manual, 0};
        else
            r.payload =
                core::StockCount{"T1", "P1", "", static_cast<std::int64_t>(r.seq % 9), false};
        return wire::encode_record(r);
    }

    // Two waves of one batch per device: the first ones share a group, and
    // the second comes while the first is synced. In half the trials a
    // checkpoint copies the WAL into the database meanwhile, as the
    // gateway's checkpointer does once the WAL is long (its own connection
    // and thread); in a quarter the gateway then stops in good order, which
    // checkpoints and deletes the WAL. True when the power went off.
    bool trial() {
        open();
        std::optional<store::sql::WalCheckpointer> checkpointer;
        if (random_() % 2 == 0) checkpointer.emplace(db_, store::sql::Durability::full);
        bool restart = random_() % 4 == 0;
        power_.arm(window_.next(random_));
        gateway::Metrics metrics;
        auto quiet = std::make_shared<spdlog::logger>("power-cut");  // no sinks
        {
            gateway::Ingest ingest(*store_, master_, metrics, wire::ReadLimits{}, quiet, false);
            for (int wave = 0; wave < 2; ++wave) {
                std::mutex mutex;
                std::condition_variable done;
                std::size_t answered = 0;
                for (auto& d : devices_) {
                    for (int i = 0, n = 1 + static_cast<int>(random_() % 3); i < n; ++i) {
                        auto seq = d.next_seq;
                        d.unacked[seq] = record(d);
                    }
                    std::vector<gateway::RawRecord> batch;
                    std::vector<std::uint64_t> seqs;
                    for (const auto& [seq, bytes] : d.unacked) {
                        if (batch.size() == 8) break;
                        batch.push_back(bytes);
                        seqs.push_back(seq);
                    }
                    gateway::Hello hello;
                    hello.seen = {d.name, "R1", "0.1.0", d.unacked.size(), core::unix_now_ms()};
                    hello.peer = "power-cut";
                    ingest.submit(hello, std::move(batch),
                                  [&, seqs, device = &d](gateway::BatchResult result) {
                                      std::lock_guard lock(mutex);
                                      if (result.committed)
                                          for (auto seq : seqs) {
                                              device->acked.insert(seq);
                                              device->unacked.erase(seq);
                                              ++tally_.promised;
                                          }
                                      ++answered;
                                      done.notify_one();
                                  });
                }
                std::unique_lock lock(mutex);
                if (!done.wait_for(lock, std::chrono::seconds(60),
                                   [&] { return answered == devices_.size(); }))
                    throw std::runtime_error("the committer answered " + std::to_string(answered) +
                                             " of " + std::to_string(devices_.size()) +
                                             " batches in a minute");
                if (wave == 0 && checkpointer) checkpointer->due();
            }
            ingest.stop();
        }
        if (checkpointer) checkpointer->wait_idle();
        checkpointer.reset();
        // The next start makes a new WAL, whose directory entry must reach
        // the disk too.
        if (restart) store_.reset();
        if (power_.cut()) {
            window_.cut();
            return true;
        }
        power_.disarm();
        window_.ran_out();
        ++tally_.finished;
        return false;
    }

    // After a cut: the gateway starts again on what the disk kept.
    void check() {
        store_.reset();
        power_.restore(next_tear(tally_, power_), random_);
        ++tally_.cuts;
        std::string where = "cut " + std::to_string(tally_.cuts) + " (group commit): ";
        try {
            open();
            auto verdict = integrity(db_);
            if (verdict != "ok") {
                ++tally_.damaged;
                failed(tally_, where + "integrity_check says " + verdict);
            }
        } catch (const std::exception& e) {
            ++tally_.damaged;
            failed(tally_, where + "the store does not open: " + e.what());
            throw;
        }
        auto stored = stored_copies(db_);
        for (auto& d : devices_) {
            for (auto seq : d.acked) {
                if (lost_.count({d.name, seq})) continue;
                if (!stored.count({d.name, seq})) {
                    ++tally_.lost;
                    lost_.insert({d.name, seq});
                    failed(tally_, where + d.name + " seq " + std::to_string(seq) +
                                       " was acked and is not stored");
                }
            }
        }
        for (const auto& [key, copies] : stored)
            if (copies > 1 && !doubled_.count(key)) {
                ++tally_.duplicated;
                doubled_.insert(key);
                failed(tally_, where + key.first + " seq " + std::to_string(key.second) +
                                   " stored " + std::to_string(copies) + " times");
            }
    }

    PowerCutTally& tally_;
    std::mt19937 random_;
    TempDir master_dir_;
    std::string master_folder_;
    core::MasterData master_;
    TempDir dir_;
    std::string db_ = dir_ / "gateway.db";
    PowerCut power_;
    std::unique_ptr<store::GatewayStore> store_;
    std::vector<Device> devices_;
    std::set<std::pair<std::string, std::uint64_t>> lost_, doubled_;
    CutWindow window_{200};
};

}  // namespace

std::vector<PowerCutTally> run_power_cuts(const PowerCutPlan& plan) {
    std::vector<PowerCutTally> tallies(3);
    tallies[0].phase = "capture";
    tallies[1].phase = "sync";
    tallies[2].phase = "group commit";
    if (plan.capture_cuts > 0 || plan.sync_cuts > 0) {
        Handheld handheld(tallies[0], tallies[1], plan.seed);
        handheld.run(plan.capture_cuts, plan.sync_cuts, plan.progress);
    }
    if (plan.commit_cuts > 0) {
        GroupCommit gateway(tallies[2], plan.seed + 1);
        gateway.run(plan.commit_cuts, plan.progress);
    }
    return tallies;
}

}  // namespace fieldflow::test
