#pragma once
// Group commit. One thread owns the store; sessions hand it batches and get
// each batch's results back only after the transaction holding them has
// committed. Everything queued while a commit runs goes into the next one,
// so under load many connections share one disk sync.

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
#include "gateway/books.h"
#include "core/reason.h"
#include "schemas/frame.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

struct RecordResult {
    std::uint64_t seq = 0;  // 0 when the record could not be read
    core::Outcome outcome = core::Outcome::rejected;
    std::vector<core::Reason> reasons;
    bool duplicate = false;
};

struct BatchResult {
    bool committed = false;
    std::string error;  // why the store refused the group, when not committed
    std::vector<RecordResult> results;
};

using RawRecord = std::vector<std::byte>;

class Ingest {
  public:
    using Done = std::function<void(BatchResult)>;

    Ingest(store::GatewayStore& store, const core::MasterData& master, wire::ReadLimits limits);
    ~Ingest();
    Ingest(const Ingest&) = delete;
    Ingest& operator=(const Ingest&) = delete;

    // `done` runs on the committer thread; callers post it where they need it.
    void submit(std::string sender, std::vector<RawRecord> records, Done done);
    void saw_device(store::DeviceHello hello);

    // Commits everything already queued, then joins the committer.
    void stop();

  private:
    struct Job {
        std::string sender;
        std::vector<RawRecord> records;
        Done done;
        std::optional<store::DeviceHello> hello;
    };

    void run();
    void commit_group(std::vector<Job>& group);
    RecordResult judge(const std::string& sender, const RawRecord& raw, std::int64_t now_ms);

    store::GatewayStore& store_;
    const core::MasterData& master_;
    wire::ReadLimits limits_;
    Books books_;  // used by the committer thread only

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
