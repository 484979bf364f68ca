#include "gateway/ingest.h"

#include <algorithm>
#include <chrono>
#include <pthread.h>
#include <map>
#include <set>
#include <unordered_set>

#include "core/clock.h"
#include "core/visit_rules.h"
#include "gateway/log_field.h"
#include "store/device_token.h"

namespace fieldflow::gateway {

namespace {

RecordResult from_stored(std::uint64_t seq, const store::StoredVerdict& stored,
                         std::string_view kind) {
    return {seq, stored.outcome, stored.reasons, true, kind};
}

// The devices of a group whose batches are not acked, for the log line that
// says so: an operator looks for a device's name.
template <typename Jobs>
std::string devices_of(const Jobs& jobs) {
    constexpr std::size_t shown = 10;
    std::set<std::string> devices;
    for (const auto& job : jobs) devices.insert(job.sender.seen.device);
    std::string out;
    std::size_t n = 0;
    for (const auto& device : devices) {
        if (n++ == shown) return out + ",...";
        out += (out.empty() ? "" : ",") + log_field(device);
    }
    return out;
}

}  // namespace

Ingest::Ingest(store::GatewayStore& store, const core::MasterData& master, Metrics& metrics,
               wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment,
               core::TravelLimits travel)
    : Ingest(store, std::make_unique<MasterInForce>(master), metrics, limits, std::move(log),
             enrolment, travel) {}

Ingest::Ingest(store::GatewayStore& store, std::unique_ptr<MasterInForce> own, Metrics& metrics,
               wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment,
               core::TravelLimits travel)
    : Ingest(store, *own, metrics, limits, std::move(log), enrolment, travel) {
    own_master_ = std::move(own);
}

Ingest::Ingest(store::GatewayStore& store, const MasterInForce& master, Metrics& metrics,
               wire::ReadLimits limits, std::shared_ptr<spdlog::logger> log, bool enrolment,
               core::TravelLimits travel)
    : store_(store),
      master_(master),
      metrics_(metrics),
      limits_(limits),
      log_(std::move(log)),
      enrolment_(enrolment),
      travel_(travel),
      books_(store.db(), store.audit(), master, log_),
      photo_uses_(store.db(), store::PhotoStore::Tables::existing),
      photo_upload_(store.db().location(), log_),
      plans_(store.db(), store::PlanStore::Tables::existing),
      syncs_(store.db()),
      thread_([this] { run(); }) {}

Ingest::~Ingest() {
    stop();
}

void Ingest::submit(const Hello& sender, std::vector<RawRecord> records, Done done) {
    // Read and examined here, on the caller's thread: the committer's is the
    // one that bounds how fast a gateway ingests.
    auto master = master_.now();
    std::vector<Examined> examined(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& e = examined[i];
        e.decoded = wire::decode_record(records[i], limits_);
        if (!e.decoded.record) continue;
        e.own = core::examine(*e.decoded.record, master->data);
        if (e.own.content) e.pack = e.own.content->pack_identity();
    }
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(Job{sender,
                             std::move(records),
                             std::move(examined),
                             std::move(master),
                             std::move(done),
                             {}});
    }
    wake_.notify_one();
}

void Ingest::hello(Hello hello, Welcomed done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(Job{std::move(hello), {}, {}, {}, {}, std::move(done)});
    }
    wake_.notify_one();
}

std::string Ingest::refusal(const Hello& sender) {
    if (!enrolment_) return {};
    const std::string& device = sender.seen.device;
    auto credential = store_.credential(device);
    if (!credential) return "device " + device + " is not enrolled";
    if (credential->revoked_at_ms) return "device " + device + " was revoked";
    if (sender.credential.empty()) return "device " + device + " sent no credential";
    if (!store::token_matches(sender.credential, credential->token_sha256))
        return "wrong credential for device " + device;
    if (sender.seen.rep != credential->rep)
        return "device " + device + " is bound to rep " + credential->rep + ", not " +
               sender.seen.rep;
    return {};
}

void Ingest::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    syncs_.stop();
    photo_upload_.stop();
}

void Ingest::run() {
    pthread_setname_np(pthread_self(), "ff-commit");  // as top -H and perf show it
    for (;;) {
        beat_ = std::chrono::steady_clock::now().time_since_epoch().count();
        std::vector<Job> group;
        {
            std::unique_lock lock(mutex_);
            // Woken each second while idle, only to beat.
            if (!wake_.wait_for(lock, std::chrono::seconds(1),
                                [this] { return stopping_ || !queue_.empty(); }))
                continue;
            if (queue_.empty()) return;  // stopping, and nothing left to commit
            while (!queue_.empty()) {
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        commit_group(group);
    }
}

void Ingest::commit_group(std::vector<Job>& group) {
    std::vector<BatchResult> results(group.size());
    std::vector<HelloResult> hellos(group.size());
    auto started = std::chrono::steady_clock::now();
    std::size_t records = 0;
    bool committed = false;
    try {
        books_.refresh();
        store::sql::Transaction transaction(store_.db(), store::sql::TransactionKind::write);
        auto reads = look_ahead(group);
        auto received = core::unix_now_ms();
        for (std::size_t i = 0; i < group.size(); ++i) {
            auto& job = group[i];
            // Checked again for every batch: a revocation takes effect on
            // connections already open. Refused batches store nothing, so
            // their records stay on the device.
            std::string refused = refusal(job.sender);
            if (!refused.empty()) {
                log_->warn("device refused device={} conn={} peer={} why={:?}",
                           log_field(job.sender.seen.device), job.sender.conn, job.sender.peer,
                           refused);
                store_.log_auth(job.sender.seen.device, job.sender.peer,
                                job.welcomed ? "hello refused" : "batch refused", refused,
                                received);
                hellos[i].refusal = results[i].error = refused;
                results[i].unauthenticated = true;
                continue;
            }
            if (job.welcomed) {
                store_.saw_device(job.sender.seen);
                metrics_.device_hello(job.sender.seen);
                hellos[i].accepted = true;
                // Only a device that passed the credential check learns it;
                // it changes nothing stored, so it can overwrite nothing.
                if (job.sender.fresh_outbox)
                    hellos[i].highest_seq = store_.highest_seq(job.sender.seen.device);
                continue;
            }
            judge_batch(job, reads, received, results[i].results);
            results[i].committed = true;
            records += job.records.size();
        }
        transaction.commit();
        committed = true;
        books_.committed();
        committing_ = true;
        metrics_.committed(
            records,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        Metrics::Verdicts verdicts;
        for (const auto& result : results)
            for (const auto& r : result.results)
                verdicts.add(r.kind, r.outcome, r.reasons, r.duplicate);
        metrics_.judged(verdicts);
    } catch (const std::exception& e) {
        // Nothing of the group is stored, so nothing is acked: the devices
        // keep their records and send them again.
        log_->error("commit failed jobs={} devices={} error={:?}: nothing of them is acked",
                    group.size(), devices_of(group), e.what());
        books_.abandoned();
        committing_ = false;
        metrics_.commit_failed();
        for (auto& result : results) result = BatchResult{false, false, e.what(), {}};
        for (auto& hello : hellos)
            hello = HelloResult{false, std::string("the store is unavailable: ") + e.what(), true};
    }
    auto answer = [this, jobs = std::move(group), results = std::move(results),
                   hellos = std::move(hellos)](bool synced, const std::string& error) mutable {
        if (!synced) {
            // Stored, but perhaps not on the disk: not acked, so the devices
            // send the records again and get the stored verdicts then.
            log_->error("sync failed jobs={} devices={} error={:?}: nothing of them is acked",
                        jobs.size(), devices_of(jobs), error);
            committing_ = false;
            metrics_.commit_failed();
            for (auto& result : results) result = BatchResult{false, false, error, {}};
            for (auto& hello : hellos)
                hello = HelloResult{false, std::string("the store is unavailable: ").append(error),
                                    true};
        }
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            if (jobs[i].welcomed) jobs[i].welcomed(std::move(hellos[i]));
            if (jobs[i].done) jobs[i].done(std::move(results[i]));
        }
    };
    if (committed)
        syncs_.after_sync(std::move(answer));
    else
        answer(true, {});  // nothing stored: the failure goes out as it is
}

Ingest::GroupReads Ingest::look_ahead(const std::vector<Job>& group) {
    store::GatewayStore::Questions questions;
    std::vector<std::string> packs;
    for (const auto& job : group) {
        const std::string& device = job.sender.seen.device;
        if (enrolment_) questions.credentials.push_back(device);
        if (job.welcomed) continue;  // a hello asks nothing more
        questions.open_visits.push_back(device);
        if (auto span = seq_span(job))
            questions.seqs.push_back({device, static_cast<std::int64_t>(span->first),
                                      static_cast<std::int64_t>(span->second)});
        if (auto span = visit_span(job))
            questions.check_ins.push_back({device, span->first, span->second});
        for (const auto& e : job.examined)
            if (!e.pack.empty()) packs.push_back(e.pack);
    }
    store_.look_up_together(questions);
    return {store_.packs_seen_at(packs), plans_for(group)};
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> Ingest::seq_span(const Job& job) {
    const std::string& device = job.sender.seen.device;
    std::uint64_t first = UINT64_MAX, last = 0;
    for (const auto& e : job.examined)
        if (const auto& r = e.decoded.record; r && r->device == device) {
            first = std::min(first, r->seq);
            last = std::max(last, r->seq);
        }
    if (first > last) return std::nullopt;
    return std::pair{first, last};
}

std::optional<std::pair<std::int64_t, std::int64_t>> Ingest::visit_span(const Job& job) const {
    bool short_visits = travel_.min_visit_minutes > 0;
    if (travel_.max_kmh <= 0 && !short_visits) return std::nullopt;
    const std::string& device = job.sender.seen.device;
    std::int64_t from = INT64_MAX, to = INT64_MIN;
    for (const auto& e : job.examined) {
        const auto& r = e.decoded.record;
        if (!r || r->device != device) continue;
        bool visit = std::holds_alternative<core::CheckIn>(r->payload) ||
                     (short_visits && std::holds_alternative<core::CheckOut>(r->payload));
        if (!visit) continue;
        from = std::min(from, r->captured_at_ms);
        to = std::max(to, r->captured_at_ms);
    }
    if (from > to) return std::nullopt;  // no visit records: no lookup
    return std::pair{from, to};
}

void Ingest::judge_batch(Job& job, const GroupReads& group, std::int64_t now,
                         std::vector<RecordResult>& results) {
    const std::string& device = job.sender.seen.device;
    const std::string bound_rep = enrolment_ ? job.sender.seen.rep : std::string();
    const auto& records = job.records;
    auto& examined = job.examined;
    std::vector<std::uint64_t> stored;
    if (auto span = seq_span(job)) stored = store_.stored_seqs(device, span->first, span->second);
    // Likewise the photos the batch's records sent.
    std::vector<std::string> photos;
    for (const auto& e : examined)
        if (const auto& r = e.decoded.record)
            if (auto photo = core::photo_sha256(r->payload); !photo.empty())
                photos.emplace_back(photo);
    auto photo_uses = photo_uses_.uses_of(photos);
    auto travel = travel_log(job);
    // A seq twice in one batch: the second copy finds the first.
    std::unordered_set<std::uint64_t> judged;
    results.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = examined[i].decoded.record;
        std::uint64_t seq = record ? record->seq : 0;
        bool maybe_stored =
            std::binary_search(stored.begin(), stored.end(), seq) || !judged.insert(seq).second;
        results.push_back(judge(device, bound_rep, records[i], examined[i], maybe_stored,
                                group.packs, photo_uses, job.master->data, travel, group.plans,
                                now));
    }
}

core::TravelLog Ingest::travel_log(const Job& job) {
    core::TravelLog log;
    auto span = visit_span(job);
    if (!span) return log;
    for (const auto& stored :
         store_.check_ins_around(job.sender.seen.device, span->first, span->second)) {
        auto decoded = wire::decode_record(stored.raw, limits_);
        if (!decoded.record) continue;  // booked once, so readable; a newer codec's quirk at worst
        if (auto point = core::visit_point(*decoded.record)) log.add(std::move(*point));
    }
    return log;
}

core::DayPlans Ingest::plans_for(const std::vector<Job>& group) {
    std::set<std::string> reps;
    core::Day first = INT32_MAX, last = INT32_MIN;
    for (const auto& job : group)
        for (const auto& e : job.examined) {
            const auto& r = e.decoded.record;
            if (!r || !std::holds_alternative<core::CheckIn>(r->payload)) continue;
            core::Day day = core::china_day(r->captured_at_ms);
            reps.insert(r->rep);
            first = std::min(first, day);
            last = std::max(last, day);
        }
    // One read for the group: days between those asked for cost a few rows.
    return core::day_plans(plans_.plans_of(reps, first, last));
}

RecordResult Ingest::judge(const std::string& sender, const std::string& bound_rep,
                           const RawRecord& raw, Examined& examined, bool maybe_stored,
                           const store::GatewayStore::PackSightings& packs,
                           store::PhotoStore::Uses& photo_uses, const core::MasterData& master,
                           core::TravelLog& travel, const core::DayPlans& plans, std::int64_t now) {
    // Records that cannot be booked under their own identity are kept once
    // per sender and content.
    auto quarantine_once = [&](const core::Record* record, core::Verdict verdict) {
        std::uint64_t seq = record ? record->seq : 0;
        std::string_view kind = record ? core::kind_name(record->payload) : "unreadable";
        if (auto stored = store_.find_unreadable(sender, raw))
            return from_stored(seq, *stored, kind);
        store_.quarantine(sender, record, verdict, raw, now, examined.decoded.fix_at);
        return RecordResult{seq, core::Outcome::rejected, std::move(verdict.reasons), false, kind};
    };

    if (!examined.decoded.record) {
        core::Verdict verdict;
        verdict.add(*examined.decoded.problem);
        return quarantine_once(nullptr, std::move(verdict));
    }
    const core::Record& record = *examined.decoded.record;
    if (record.device != sender) {
        core::Verdict verdict;
        verdict.add(core::ReasonCode::wrong_device,
                    "record of device " + record.device + " sent by device " + sender);
        return quarantine_once(&record, std::move(verdict));
    }
    if (!bound_rep.empty() && record.rep != bound_rep) {
        core::Verdict verdict;
        verdict.add(core::ReasonCode::wrong_device, "record of rep " + record.rep + " sent by " +
                                                        sender + ", which is bound to rep " +
                                                        bound_rep);
        return quarantine_once(&record, std::move(verdict));
    }
    if (auto stored = maybe_stored ? store_.find(record.device, record.seq, raw) : std::nullopt) {
        if (stored->same_bytes)
            return from_stored(record.seq, *stored, core::kind_name(record.payload));
        core::Verdict verdict;
        verdict.add(core::ReasonCode::sequence_reused,
                    "seq " + std::to_string(record.seq) + " was stored before with other content");
        return quarantine_once(&record, std::move(verdict));
    }

    auto open = store_.open_visit(record.device);
    core::StoredFacts facts;
    facts.channel = &books_.facts();
    if (record.corrects != 0 && record.corrects < record.seq) {
        auto corrected = store_.find(record.device, record.corrects, {});
        facts.corrected_record_stored = corrected.has_value();
        if (corrected)
            if (auto earlier = wire::decode_record(corrected->raw, limits_); earlier.record)
                facts.corrected_visit =
                    core::visit_of_corrected(*earlier.record, corrected->reasons);
    }
    const std::string& pack = examined.pack;
    const auto* scan = std::get_if<core::Scan>(&record.payload);
    if (!pack.empty()) facts.pack_seen_at = store_.pack_seen_at(pack, &packs);
    const std::string photo(core::photo_sha256(record.payload));
    if (!photo.empty())
        facts.photo_sent_with =
            store::PhotoStore::earlier_use(photo_uses[photo], record.device, record.seq);
    auto verdict = core::validate(record, master, std::move(examined.own), open, facts);
    auto point = core::visit_point(record);
    if (verdict.outcome() != core::Outcome::rejected) {
        if (point)
            verdict.add(core::travel_from_neighbours(travel, *point, travel_));
        else if (const auto* out = std::get_if<core::CheckOut>(&record.payload))
            verdict.add(core::visit_long_enough(travel, record, *out, travel_));
        verdict.add(core::on_plan(record, plans, master));
    }
    if (verdict.outcome() == core::Outcome::rejected) {
        store_.quarantine(sender, &record, verdict, raw, now, examined.decoded.fix_at);
    } else {
        if (!photo.empty()) {
            const auto* display = std::get_if<core::Display>(&record.payload);
            auto terminal = display ? display->terminal : core::visit_terminal(record.payload);
            store::PhotoStore::Use use{record.device, record.seq, terminal.value_or(""),
                                       record.captured_at_ms};
            photo_uses_.note_use(photo, use);
            // Later records of the batch find it here; later batches, in the store.
            photo_uses[photo].push_back(std::move(use));
        }
        store_.book(record, verdict, raw, now, examined.decoded.fix_at);
        books_.book(record);
        // Later records of the batch find it here; later batches, in the store.
        if (point) travel.add(std::move(*point));
        if (!pack.empty() && !facts.pack_seen_at)
            store_.saw_pack(pack, scan->terminal, record.device, record.seq);
    }
    auto next = core::next_open_visit(record, verdict, open);
    if (next != open) store_.set_open_visit(record.device, next);
    return {record.seq, verdict.outcome(), std::move(verdict.reasons), false,
            core::kind_name(record.payload)};
}

}  // namespace fieldflow::gateway
