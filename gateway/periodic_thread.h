#pragma once
// A named thread of the gateway's that runs one pass, and again every
// `every`, until stopped; stop() wakes it from its wait at once. The
// master-data watch and the retention job run on one each.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace fieldflow::gateway {

class PeriodicThread {
  public:
    // The first pass at once, or only once `every` has gone by.
    enum class First { at_once, after_a_wait };
    // `name` as top and ps show the thread (at most 15 characters).
    PeriodicThread(std::string name, std::chrono::milliseconds every, First first,
                   std::function<void()> pass);
    ~PeriodicThread();
    PeriodicThread(const PeriodicThread&) = delete;
    PeriodicThread& operator=(const PeriodicThread&) = delete;

    // Waits for a pass under way to end.
    void stop();

  private:
    void run();

    std::string name_;
    std::chrono::milliseconds every_;
    First first_;
    std::function<void()> pass_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fieldflow::gateway
