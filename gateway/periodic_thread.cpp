#include "gateway/periodic_thread.h"

#include <pthread.h>

namespace fieldflow::gateway {

PeriodicThread::PeriodicThread(std::string name, std::chrono::milliseconds every, First first,
                               std::function<void()> pass)
    : name_(std::move(name)), every_(every), first_(first), pass_(std::move(pass)), thread_([this] {
          run();
      }) {}

PeriodicThread::~PeriodicThread() {
    stop();
}

void PeriodicThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void PeriodicThread::run() {
    pthread_setname_np(pthread_self(), name_.c_str());
    std::unique_lock lock(mutex_);
    if (first_ == First::after_a_wait && wake_.wait_for(lock, every_, [this] { return stopping_; }))
        return;
    do {
        lock.unlock();
        pass_();
        lock.lock();
    } while (!wake_.wait_for(lock, every_, [this] { return stopping_; }));
}

}  // namespace fieldflow::gateway
