#include "tools/row_pipeline.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>

namespace fieldflow::tools {

namespace {

using AnyRow = std::variant<core::ShipmentRow, core::FlowRow, core::StockRow, core::OpeningRow>;
using Batch = std::vector<AnyRow>;

constexpr std::size_t batch_rows = 4096;
constexpr std::size_t queued_batches = 8;  // bounds the memory between the two threads

struct Stopped {};  // thrown inside the reader when the writer gave up

class Queue {
  public:
    // False when the consumer has stopped.
    bool push(Batch batch) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return batches_.size() < queued_batches || stopped_; });
        if (stopped_) return false;
        batches_.push_back(std::move(batch));
        ready_.notify_one();
        return true;
    }
    // False at the end of input.
    bool pop(Batch& batch) {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !batches_.empty() || finished_; });
        if (batches_.empty()) return false;
        batch = std::move(batches_.front());
        batches_.pop_front();
        space_.notify_one();
        return true;
    }
    void finish() {
        std::lock_guard lock(mutex_);
        finished_ = true;
        ready_.notify_one();
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        space_.notify_one();
    }

  private:
    std::mutex mutex_;
    std::condition_variable ready_, space_;
    std::deque<Batch> batches_;
    bool finished_ = false, stopped_ = false;
};

}  // namespace

void pipe_rows(core::ImportKind kind, std::istream& in, const std::string& file,
               const core::RowHandlers& sink, std::vector<core::LoadError>& errors) {
    Queue queue;
    std::exception_ptr reader_failure;
    std::thread reader([&] {
        Batch batch;
        auto collect = [&](auto row) {
            batch.emplace_back(std::move(row));
            if (batch.size() == batch_rows) {
                if (!queue.push(std::move(batch))) throw Stopped{};
                batch = Batch();
                batch.reserve(batch_rows);
            }
        };
        core::RowHandlers handlers{[&](const core::ShipmentRow& r) { collect(r); },
                                   [&](const core::FlowRow& r) { collect(r); },
                                   [&](const core::StockRow& r) { collect(r); },
                                   [&](const core::OpeningRow& r) { collect(r); }};
        try {
            core::read_distribution_csv(kind, in, file, handlers, errors);
            if (!batch.empty()) queue.push(std::move(batch));
        } catch (const Stopped&) {
        } catch (...) {
            reader_failure = std::current_exception();
        }
        queue.finish();
    });

    try {
        Batch batch;
        while (queue.pop(batch))
            for (const auto& row : batch)
                std::visit(
                    [&](const auto& r) {
                        using T = std::decay_t<decltype(r)>;
                        if constexpr (std::is_same_v<T, core::ShipmentRow>) sink.shipment(r);
                        if constexpr (std::is_same_v<T, core::FlowRow>) sink.flow(r);
                        if constexpr (std::is_same_v<T, core::StockRow>) sink.stock(r);
                        if constexpr (std::is_same_v<T, core::OpeningRow>) sink.opening(r);
                    },
                    row);
    } catch (...) {
        queue.stop();
        reader.join();
        throw;
    }
    reader.join();
    if (reader_failure) std::rethrow_exception(reader_failure);
}

}  // namespace fieldflow::tools
