#include "gateway/metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace fieldflow::gateway {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

// Latencies from half a millisecond (a commit without a disk sync) to
// several seconds (a store that has fallen far behind).
const prometheus::Histogram::BucketBoundaries latency_buckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
const prometheus::Histogram::BucketBoundaries batch_buckets{1,   2,   5,   10,   20,   50,
                                                            100, 200, 500, 1000, 2000, 5000};

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      records_(BuildCounter()
                   .Name("fieldflow_records_total")
                   .Help("Records committed, by kind and verdict; resent duplicates excluded")
                   .Register(*registry_)),
      reasons_(BuildCounter()
                   .Name("fieldflow_record_reasons_total")
                   .Help("Reasons given to committed records, by kind and reason code")
                   .Register(*registry_)),
      duplicates_(BuildCounter()
                      .Name("fieldflow_records_duplicate_total")
                      .Help("Records sent again after they were stored; acked, not stored twice")
                      .Register(*registry_)
                      .Add({})),
      commits_(BuildCounter()
                   .Name("fieldflow_commits_total")
                   .Help("Group commits that reached the store")
                   .Register(*registry_)
                   .Add({})),
      commit_failures_(BuildCounter()
                           .Name("fieldflow_commit_failures_total")
                           .Help("Group commits the store refused; their batches were not acked")
                           .Register(*registry_)
                           .Add({})),
      batch_records_(BuildHistogram()
                         .Name("fieldflow_commit_batch_records")
                         .Help("Records in one group commit")
                         .Register(*registry_)
                         .Add({}, batch_buckets)),
      commit_seconds_(BuildHistogram()
                          .Name("fieldflow_commit_seconds")
                          .Help("Time to judge and commit one group, disk sync included")
                          .Register(*registry_)
                          .Add({}, latency_buckets)),
      ack_seconds_(BuildHistogram()
                       .Name("fieldflow_ack_seconds")
                       .Help("From a batch's last byte read to its ack written")
                       .Register(*registry_)
                       .Add({}, latency_buckets)),
      bytes_in_(BuildCounter()
                    .Name("fieldflow_received_bytes_total")
                    .Help("Bytes of whole frames read from agents")
                    .Register(*registry_)
                    .Add({})),
      frames_in_(BuildCounter()
                     .Name("fieldflow_received_frames_total")
                     .Help("Whole frames read from agents")
                     .Register(*registry_)
                     .Add({})),
      connections_open_(BuildGauge()
                            .Name("fieldflow_connections_open")
                            .Help("Agent connections open now")
                            .Register(*registry_)
                            .Add({})),
      connections_(BuildCounter()
                       .Name("fieldflow_connections_total")
                       .Help("Agent connections accepted")
                       .Register(*registry_)
                       .Add({})),
      connections_refused_(BuildCounter()
                               .Name("fieldflow_connections_refused_total")
                               .Help("Agent connections closed at once: too many were open")
                               .Register(*registry_)
                               .Add({})),
      session_errors_(BuildCounter()
                          .Name("fieldflow_connection_errors_total")
                          .Help("Agent connections ended with an error, by protocol error code")
                          .Register(*registry_)),
      logins_(BuildCounter()
                  .Name("fieldflow_operator_logins_total")
                  .Help("Operators' logins, by result: ok, wrong, locked_out, busy")
                  .Register(*registry_)),
      login_lockouts_(BuildCounter()
                          .Name("fieldflow_operator_lockouts_total")
                          .Help("Login lockouts begun, by the limit reached: name or address")
                          .Register(*registry_)),
      device_last_seen_(BuildGauge()
                            .Name("fieldflow_device_last_seen_seconds")
                            .Help("Unix time of a device's last hello or acked batch")
                            .Register(*registry_)),
      device_outbox_(BuildGauge()
                         .Name("fieldflow_device_outbox_records")
                         .Help("Records waiting on a device: its last hello's count less what "
                               "was acked since")
                         .Register(*registry_)),
      device_info_(BuildGauge()
                       .Name("fieldflow_device_info")
                       .Help("1 for each device, labelled with its rep and agent version")
                       .Register(*registry_)) {}

void Metrics::login(std::string_view result) {
    logins_.Add({{"result", std::string(result)}}).Increment();
}

void Metrics::login_lockout(std::string_view by) {
    login_lockouts_.Add({{"by", std::string(by)}}).Increment();
}

void Metrics::Verdicts::add(std::string_view kind, core::Outcome outcome,
                            const std::vector<core::Reason>& reasons, bool duplicate) {
    if (duplicate) {
        ++duplicates_;
        return;
    }
    ++outcomes_[{kind, outcome}];
    for (const auto& reason : reasons) ++reasons_[{kind, reason.code}];
}

void Metrics::judged(const Verdicts& verdicts) {
    if (verdicts.duplicates_) duplicates_.Increment(double(verdicts.duplicates_));
    for (const auto& [key, count] : verdicts.outcomes_)
        records_
            .Add({{"kind", std::string(key.first)},
                  {"verdict", std::string(core::name(key.second))}})
            .Increment(double(count));
    for (const auto& [key, count] : verdicts.reasons_)
        reasons_
            .Add(
                {{"kind", std::string(key.first)}, {"reason", std::string(core::name(key.second))}})
            .Increment(double(count));
}

void Metrics::committed(std::size_t records, double seconds) {
    commits_.Increment();
    // A group of hellos alone commits too; it is no batch of records.
    if (records > 0) batch_records_.Observe(double(records));
    commit_seconds_.Observe(seconds);
}

void Metrics::commit_failed() {
    commit_failures_.Increment();
}

void Metrics::frame_in(std::size_t bytes) {
    frames_in_.Increment();
    bytes_in_.Increment(double(bytes));
}

void Metrics::connection_opened() {
    connections_.Increment();
    connections_open_.Increment();
}

void Metrics::connection_closed() {
    connections_open_.Decrement();
}

void Metrics::connection_refused() {
    connections_refused_.Increment();
}

void Metrics::session_error(std::string_view code) {
    session_errors_.Add({{"code", std::string(code)}}).Increment();
}

void Metrics::acked(double seconds) {
    ack_seconds_.Observe(seconds);
}

void Metrics::device_hello(const store::DeviceHello& hello) {
    std::lock_guard lock(devices_mutex_);
    auto& device = devices_[hello.device];
    if (!device.last_seen) {
        device.last_seen = &device_last_seen_.Add({{"device", hello.device}});
        device.outbox = &device_outbox_.Add({{"device", hello.device}});
    }
    // The info series is keyed by its labels: a new agent version is a new
    // series, and the old one must go or the device would show twice.
    if (!device.info || device.agent_version != hello.agent_version || device.rep != hello.rep) {
        if (device.info) device_info_.Remove(device.info);
        device.agent_version = hello.agent_version;
        device.rep = hello.rep;
        device.info = &device_info_.Add(
            {{"device", hello.device}, {"rep", hello.rep}, {"agent_version", hello.agent_version}});
        device.info->Set(1);
    }
    device.last_seen->Set(double(hello.seen_at_ms) / 1000);
    device.outbox->Set(double(hello.outbox_depth));
}

void Metrics::device_acked(const std::string& device, std::size_t records, std::int64_t at_ms) {
    std::lock_guard lock(devices_mutex_);
    auto found = devices_.find(device);
    if (found == devices_.end() || !found->second.last_seen) return;
    found->second.last_seen->Set(double(at_ms) / 1000);
    double left = found->second.outbox->Value() - double(records);
    found->second.outbox->Set(left < 0 ? 0 : left);
}

void Metrics::device_connected(const std::string& device) {
    std::lock_guard lock(devices_mutex_);
    ++devices_[device].sessions;
}

void Metrics::device_disconnected(const std::string& device) {
    std::lock_guard lock(devices_mutex_);
    auto found = devices_.find(device);
    if (found != devices_.end() && found->second.sessions > 0) --found->second.sessions;
}

MetricsSnapshot Metrics::snapshot() const {
    MetricsSnapshot out;
    auto label = [](const prometheus::ClientMetric& metric, const char* name) {
        for (const auto& l : metric.label)
            if (l.name == name) return l.value;
        return std::string();
    };
    auto buckets = [](const prometheus::ClientMetric& metric) {
        Buckets b;
        for (const auto& bucket : metric.histogram.bucket) {
            b.upper.push_back(bucket.upper_bound);
            b.cumulative.push_back(double(bucket.cumulative_count));
        }
        return b;
    };
    for (const auto& family : registry_->Collect()) {
        for (const auto& metric : family.metric) {
            if (family.name == "fieldflow_records_total")
                out.by_verdict[label(metric, "verdict")] += metric.counter.value;
            else if (family.name == "fieldflow_record_reasons_total")
                out.by_reason[label(metric, "reason")] += metric.counter.value;
            else if (family.name == "fieldflow_records_duplicate_total")
                out.duplicates = metric.counter.value;
            else if (family.name == "fieldflow_connections_open")
                out.connections_open = metric.gauge.value;
            else if (family.name == "fieldflow_commit_seconds")
                out.commit_seconds = buckets(metric);
            else if (family.name == "fieldflow_ack_seconds")
                out.ack_seconds = buckets(metric);
        }
    }
    std::lock_guard lock(devices_mutex_);
    for (const auto& [name, device] : devices_) {
        // Welcomed before its hello was committed: listed once the hello is.
        if (!device.last_seen) continue;
        out.devices.push_back({name, device.rep, device.agent_version, device.last_seen->Value(),
                               device.outbox->Value(), device.sessions > 0});
    }
    return out;
}

std::string Metrics::exposition() const {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry_->Collect());
    return out.str();
}

}  // namespace fieldflow::gateway
