#pragma once
// What the gateway counts for its operators, kept in a prometheus-cpp
// registry and served as the Prometheus text format on /metrics. Every
// method is safe from any thread: the committer counts commits and
// verdicts, the network thread counts frames, connections and acks.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/reason.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

// A histogram as Prometheus keeps it: cumulative counts per upper bound.
struct Buckets {
    std::vector<double> upper;
    std::vector<double> cumulative;
};

struct DeviceView {
    std::string device, rep, agent_version;
    double last_seen_s = 0;
    double outbox = 0;
    bool connected = false;  // a session of this device is open now
};

// The counters the operators' pages show, read at one moment.
struct MetricsSnapshot {
    std::map<std::string, double> by_verdict;  // records committed
    std::map<std::string, double> by_reason;
    double duplicates = 0;
    double connections_open = 0;
    Buckets commit_seconds, ack_seconds;
    std::vector<DeviceView> devices;
};

class Metrics {
  public:
    Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // The verdicts of one commit's records, counted first and added to the
    // counters once per label: finding a counter by its labels costs more
    // than judging a record.
    class Verdicts {
      public:
        // `kind` is core::kind_name's, or "unreadable".
        void add(std::string_view kind, core::Outcome outcome,
                 const std::vector<core::Reason>& reasons, bool duplicate);

      private:
        friend class Metrics;
        std::map<std::pair<std::string_view, core::Outcome>, std::uint64_t> outcomes_;
        std::map<std::pair<std::string_view, core::ReasonCode>, std::uint64_t> reasons_;
        std::uint64_t duplicates_ = 0;
    };
    // Once the transaction holding them has committed.
    void judged(const Verdicts& verdicts);
    void committed(std::size_t records, double seconds);
    void commit_failed();

    void frame_in(std::size_t bytes);
    void connection_opened();
    void connection_closed();
    void connection_refused();
    // A connection ended with an error code of the protocol ("timeout", "unauthenticated", ...).
    void session_error(std::string_view code);
    void acked(double seconds);

    // An operator's login: "ok", "wrong" (name or password), "locked_out"
    // (refused by a limit before any hashing) or "busy" (too many waiting).
    void login(std::string_view result);
    // A login limit was reached: `by` is "name" or "address".
    void login_lockout(std::string_view by);

    // A device said hello: its agent version and how many records wait on it.
    void device_hello(const store::DeviceHello& hello);
    // A device's batch was acked: it sent `records` fewer than it had queued.
    void device_acked(const std::string& device, std::size_t records, std::int64_t at_ms);
    // A device's session was welcomed, and later ended: "online" on the
    // dashboard means one is open, not that the device was seen lately.
    void device_connected(const std::string& device);
    void device_disconnected(const std::string& device);

    // The whole registry in the Prometheus text exposition format, version 0.0.4.
    std::string exposition() const;
    MetricsSnapshot snapshot() const;

  private:
    struct Device {
        prometheus::Gauge* last_seen = nullptr;
        prometheus::Gauge* outbox = nullptr;
        prometheus::Gauge* info = nullptr;
        std::string agent_version;
        std::string rep;
        int sessions = 0;
    };

    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>& records_;
    prometheus::Family<prometheus::Counter>& reasons_;
    prometheus::Counter& duplicates_;
    prometheus::Counter& commits_;
    prometheus::Counter& commit_failures_;
    prometheus::Histogram& batch_records_;
    prometheus::Histogram& commit_seconds_;
    prometheus::Histogram& ack_seconds_;
    prometheus::Counter& bytes_in_;
    prometheus::Counter& frames_in_;
    prometheus::Gauge& connections_open_;
    prometheus::Counter& connections_;
    prometheus::Counter& connections_refused_;
    prometheus::Family<prometheus::Counter>& session_errors_;
    prometheus::Family<prometheus::Counter>& logins_;
    prometheus::Family<prometheus::Counter>& login_lockouts_;
    prometheus::Family<prometheus::Gauge>& device_last_seen_;
    prometheus::Family<prometheus::Gauge>& device_outbox_;
    prometheus::Family<prometheus::Gauge>& device_info_;

    mutable std::mutex devices_mutex_;
    std::map<std::string, Device, std::less<>> devices_;
};

}  // namespace fieldflow::gateway
