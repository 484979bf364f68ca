// fieldflow-bench-mqtt: what a user might pick instead of the gateway — a
// Mosquitto broker with persistence, receiving the same payloads at QoS 1
// from CLIENTS publishers (libmosquitto), one message per record. Prints
// the messages acknowledged (PUBACK) per second over all publishers.
//   fieldflow-bench-mqtt HOST PORT CLIENTS MESSAGES_PER_CLIENT PAYLOAD_BYTES

#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Publisher {
    std::mutex mutex;
    std::condition_variable done;
    long acked = 0;
};

// A persistent session subscribed at QoS 1 and then gone: the broker must
// queue (and persist) every message for it, as it would for a back office
// that is offline, instead of dropping messages nobody listens to.
bool subscribe_keeper(const std::string& host, int port) {
    std::atomic<bool> subscribed = false;
    mosquitto* m = mosquitto_new("ff-bench-keeper", false, &subscribed);
    mosquitto_subscribe_callback_set(m, [](mosquitto*, void* user, int, int, const int*) {
        static_cast<std::atomic<bool>*>(user)->store(true);
    });
    if (mosquitto_connect(m, host.c_str(), port, 60) != MOSQ_ERR_SUCCESS) return false;
    mosquitto_subscribe(m, nullptr, "fieldflow/#", 1);
    for (int i = 0; i < 100 && !subscribed; ++i) mosquitto_loop(m, 100, 1);
    mosquitto_disconnect(m);
    mosquitto_loop(m, 100, 1);
    mosquitto_destroy(m);
    return subscribed;
}

void on_publish(mosquitto*, void* user, int) {
    auto* p = static_cast<Publisher*>(user);
    std::lock_guard lock(p->mutex);
    ++p->acked;
    p->done.notify_all();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr,
                     "usage: fieldflow-bench-mqtt HOST PORT CLIENTS MESSAGES_PER_CLIENT "
                     "PAYLOAD_BYTES\n");
        return 2;
    }
    std::string host = argv[1];
    int port = std::atoi(argv[2]), clients = std::atoi(argv[3]);
    long messages = std::atol(argv[4]);
    std::vector<char> payload(static_cast<std::size_t>(std::atol(argv[5])), 'x');
    mosquitto_lib_init();
    if (!subscribe_keeper(host, port)) {
        std::fprintf(stderr, "fieldflow-bench-mqtt: no broker at %s:%d\n", host.c_str(), port);
        return 1;
    }
    std::atomic<int> failures = 0;
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            Publisher p;
            std::string id = "ff-bench-" + std::to_string(c);
            mosquitto* m = mosquitto_new(id.c_str(), true, &p);
            mosquitto_publish_callback_set(m, on_publish);
            if (mosquitto_connect(m, host.c_str(), port, 60) != MOSQ_ERR_SUCCESS ||
                mosquitto_loop_start(m) != MOSQ_ERR_SUCCESS) {
                ++failures;
                return;
            }
            std::string topic = "fieldflow/" + id;
            for (long i = 0; i < messages; ++i)
                if (mosquitto_publish(m, nullptr, topic.c_str(), int(payload.size()),
                                      payload.data(), 1, false) != MOSQ_ERR_SUCCESS)
                    ++failures;
            std::unique_lock lock(p.mutex);
            p.done.wait_for(lock, std::chrono::minutes(5), [&] { return p.acked >= messages; });
            if (p.acked < messages) ++failures;
            lock.unlock();
            mosquitto_disconnect(m);
            mosquitto_loop_stop(m, false);
            mosquitto_destroy(m);
        });
    for (auto& t : threads) t.join();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    mosquitto_lib_cleanup();
    long total = messages * clients;
    std::printf("%d clients, %ld messages in %.2f s: %.0f messages/s acknowledged%s\n", clients,
                total, seconds, total / seconds, failures ? " (with failures)" : "");
    return failures ? 1 : 0;
}
