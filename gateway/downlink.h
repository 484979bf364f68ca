#pragma once
// What each device is sent of the master data and the visit plan
// (docs/protocol.md, "Downlink"). The device's hello names the version it
// holds; its slice at that version (core/master_slice.h) is compared with
// its slice at the version in force, and the difference goes to it as
// Downlink frames right before the welcome, with its plan
// (gateway/plan_downlink.h) in the last part when that is behind. A thread of its own, with a store
// connection of its own, loads the versions devices hold (the last few stay in memory): the
// committer never waits for it, and neither does any other connection.

#include <capnp/message.h>
#include <kj/array.h>

#include <spdlog/logger.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/master_data.h"
#include "gateway/master_in_force.h"
#include "gateway/plan_downlink.h"
#include "store/master_store.h"
#include "store/plan_store.h"
#include "store/sql.h"

namespace fieldflow::gateway {

// ServerMessage frames, in the order they are sent.
using DownlinkFrames = std::vector<kj::Array<capnp::word>>;

// Master-data rows a part holds at most, unless fewer must do to fit a frame.
constexpr std::size_t downlink_rows_per_part = 2000;

// The delta from `before` to `after` (two slices of one device), as frames
// of `rows_per_part` rows at most and of no more than `max_frame_bytes`
// each (fewer rows a part when a part would not fit). With `replace` every
// row of `after` goes, and the device drops what it held. Nothing changed:
// one frame with no master section. Every part of a master section names
// the role of the rep `after` holds (core::master_slice keeps the device's
// own). `plan`, when given, goes in the last part.
DownlinkFrames downlink_frames(const core::MasterData& before, const core::MasterData& after,
                               std::uint64_t from, std::uint64_t to, bool replace,
                               std::size_t max_frame_bytes,
                               std::size_t rows_per_part = downlink_rows_per_part,
                               const PlanSlice* plan = nullptr);
// The one frame that tells a device holding `version` that it stays there,
// with `plan` when given.
DownlinkFrames downlink_unchanged(std::uint64_t version, std::size_t max_frame_bytes,
                                  const PlanSlice* plan = nullptr);

class Downlink {
  public:
    // `frames` is empty and `error` says why when the store could not be read.
    using Ready = std::function<void(DownlinkFrames frames, std::string error)>;

    // Reads old versions from the store at `location`; sends frames of at
    // most `max_frame_bytes`.
    Downlink(const std::string& location, const MasterInForce& in_force,
             std::size_t max_frame_bytes, std::shared_ptr<spdlog::logger> log);
    ~Downlink();
    Downlink(const Downlink&) = delete;
    Downlink& operator=(const Downlink&) = delete;

    // What the device of `rep`, holding master version `held` and plan
    // version `plan_held` (0: none; absent: it did not ask), needs. `ready`
    // runs on the downlink's thread; callers post it where they need it.
    void prepare(std::string rep, std::optional<std::uint64_t> held,
                 std::optional<std::uint64_t> plan_held, Ready ready);
    // Answers what is queued, then joins the thread.
    void stop();

  private:
    struct Job {
        std::string rep;
        std::optional<std::uint64_t> held, plan_held;
        Ready ready;
    };
    void run();
    DownlinkFrames frames_for(const Job& job);
    DownlinkFrames master_frames(const Job& job, const PlanSlice* plan);
    // Version `number` whole, from memory or the store; null when the store
    // has no such version.
    std::shared_ptr<const core::MasterData> version(std::int64_t number);

    std::unique_ptr<store::sql::Database> db_;
    store::MasterStore master_;
    store::PlanStore plans_;
    const MasterInForce& in_force_;
    std::size_t max_frame_bytes_;
    std::shared_ptr<spdlog::logger> log_;
    // The versions devices held lately; a fleet mostly holds one or two.
    std::map<std::int64_t, std::shared_ptr<const core::MasterData>> held_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
