#include "gateway/downlink.h"

#include <capnp/serialize.h>
#include <pthread.h>

#include <stdexcept>
#include <string_view>

#include "core/clock.h"
#include "core/effectiveness.h"
#include "core/master_slice.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

namespace fieldflow::gateway {

namespace {

// One row of a delta: an id that was removed, or a row added or changed.
struct Row {
    enum Kind { terminal, product, distributor } kind;
    const std::string* removed = nullptr;
    const core::Terminal* terminal_row = nullptr;
    const core::Product* product_row = nullptr;
    const core::Distributor* distributor_row = nullptr;
};

template <typename T>
void add_rows(std::vector<Row>& rows, Row::Kind kind, const core::MasterChanges::Ids& ids,
              const std::unordered_map<std::string, T>& after, bool replace, const T* Row::*field) {
    auto upsert = [&](const std::string& id) {
        Row row{kind};
        row.*field = &after.at(id);
        rows.push_back(row);
    };
    if (replace) {
        for (const auto& [id, value] : after) upsert(id);
        return;
    }
    for (const auto& id : ids.added) upsert(id);
    for (const auto& id : ids.changed) upsert(id);
    for (const auto& id : ids.removed) {
        Row row{kind};
        row.removed = &id;
        rows.push_back(row);
    }
}

void fill(wire::MasterTerminal::Builder out, const core::Terminal& t) {
    out.setId(t.id);
    out.setName(t.name);
    out.setAddress(t.address);
    out.setLat(t.lat);
    out.setLon(t.lon);
    out.setRadiusM(t.radius_m);
    out.setGrade(std::string(1, t.grade));
    out.setTerritory(t.territory);
    out.setKind(std::string(core::name(t.kind)));
}

void fill(wire::MasterProduct::Builder out, const core::Product& p) {
    out.setId(p.id);
    out.setName(p.name);
    // One GTIN a product in products.csv; a list, so that packs of other
    // sizes can be added without a new field.
    auto gtins = out.initGtins(p.gtin.empty() ? 0 : 1);
    if (!p.gtin.empty()) gtins.set(0, p.gtin);
    out.setDrugCodePrefix(p.drug_code_prefix);
    out.setSpec(p.spec);
    out.setUnit(p.unit);
}

void fill(wire::MasterDistributor::Builder out, const core::Distributor& d) {
    out.setId(d.id);
    out.setName(d.name);
    out.setTier(static_cast<std::uint8_t>(d.tier));
    auto territories = out.initTerritories(static_cast<unsigned>(d.territories.size()));
    for (unsigned i = 0; i < d.territories.size(); ++i) territories.set(i, d.territories[i]);
}

template <typename Builder, typename Pick>
void fill_list(Builder list, const std::vector<const Row*>& rows, Pick pick) {
    unsigned i = 0;
    for (const auto* row : rows) fill(list[i++], *pick(*row));
}

void set_texts(capnp::List<capnp::Text>::Builder list, const std::vector<const Row*>& rows) {
    unsigned i = 0;
    for (const auto* row : rows) list.set(i++, *row->removed);
}

kj::Array<capnp::word> part_frame(const std::vector<Row>& rows, std::size_t begin, std::size_t end,
                                  unsigned part, unsigned parts, std::uint64_t from,
                                  std::uint64_t to, bool replace, bool master,
                                  const std::string& rep_role, const PlanSlice* plan) {
    capnp::MallocMessageBuilder message;
    auto downlink = message.initRoot<wire::Downlink>();
    downlink.setPart(part);
    downlink.setParts(parts);
    if (master) {
        auto delta = downlink.initMaster();
        delta.setFromVersion(from);
        delta.setToVersion(to);
        delta.setReplace(replace);
        delta.setRepRole(rep_role);
        std::vector<const Row*> by[3][2];  // kind, then removed or not
        for (auto i = begin; i < end; ++i)
            by[rows[i].kind][rows[i].removed ? 1 : 0].push_back(&rows[i]);
        auto count = [](const std::vector<const Row*>& v) {
            return static_cast<unsigned>(v.size());
        };
        fill_list(delta.initTerminals(count(by[Row::terminal][0])), by[Row::terminal][0],
                  [](const Row& r) { return r.terminal_row; });
        set_texts(delta.initRemovedTerminals(count(by[Row::terminal][1])), by[Row::terminal][1]);
        fill_list(delta.initProducts(count(by[Row::product][0])), by[Row::product][0],
                  [](const Row& r) { return r.product_row; });
        set_texts(delta.initRemovedProducts(count(by[Row::product][1])), by[Row::product][1]);
        fill_list(delta.initDistributors(count(by[Row::distributor][0])), by[Row::distributor][0],
                  [](const Row& r) { return r.distributor_row; });
        set_texts(delta.initRemovedDistributors(count(by[Row::distributor][1])),
                  by[Row::distributor][1]);
    }
    if (plan && part == parts) fill(downlink.initPlan(), *plan);
    auto flat = capnp::messageToFlatArray(message);
    capnp::MallocMessageBuilder frame;
    frame.initRoot<wire::ServerMessage>().setDownlink(wire::deflate_bytes(flat.asBytes()));
    return wire::encode(frame);
}

}  // namespace

DownlinkFrames downlink_frames(const core::MasterData& before, const core::MasterData& after,
                               std::uint64_t from, std::uint64_t to, bool replace,
                               std::size_t max_frame_bytes, std::size_t rows_per_part,
                               const PlanSlice* plan) {
    auto changes = core::master_changes(before, after);
    std::vector<Row> rows;
    add_rows(rows, Row::terminal, changes.terminals, after.terminals, replace, &Row::terminal_row);
    add_rows(rows, Row::product, changes.products, after.products, replace, &Row::product_row);
    add_rows(rows, Row::distributor, changes.distributors, after.distributors, replace,
             &Row::distributor_row);
    // A new version that changed nothing of this slice still moves the
    // device to it, so that it is not compared again next time.
    bool master = replace || from != to;
    // The slice holds the device's own rep alone, when it is in the data.
    std::string rep_role = after.reps.empty()
                               ? std::string()
                               : std::string(core::name(after.reps.begin()->second.role));
    for (;;) {
        DownlinkFrames frames;
        auto parts = static_cast<unsigned>(
            rows.empty() ? 1 : (rows.size() + rows_per_part - 1) / rows_per_part);
        bool fits = true;
        for (unsigned part = 0; part < parts && fits; ++part) {
            auto begin = part * rows_per_part;
            auto end = std::min(rows.size(), begin + rows_per_part);
            frames.push_back(part_frame(rows, begin, end, part + 1, parts, from, to, replace,
                                        master, rep_role, plan));
            fits = frames.back().size() * sizeof(capnp::word) <= max_frame_bytes;
        }
        if (fits) return frames;
        if (rows_per_part == 1)
            throw std::runtime_error("one master-data row, or the plan, does not fit a frame of " +
                                     std::to_string(max_frame_bytes) + " bytes");
        rows_per_part /= 2;
    }
}

DownlinkFrames downlink_unchanged(std::uint64_t version, std::size_t max_frame_bytes,
                                  const PlanSlice* plan) {
    const core::MasterData none;
    return downlink_frames(none, none, version, version, false, max_frame_bytes,
                           downlink_rows_per_part, plan);
}

Downlink::Downlink(const std::string& location, const MasterInForce& in_force,
                   std::size_t max_frame_bytes, std::shared_ptr<spdlog::logger> log)
    : db_(store::sql::Database::open(location)),
      master_(*db_),
      plans_(*db_, store::PlanStore::Tables::existing),
      in_force_(in_force),
      max_frame_bytes_(max_frame_bytes),
      log_(std::move(log)),
      thread_([this] { run(); }) {}

Downlink::~Downlink() {
    stop();
}

void Downlink::prepare(std::string rep, std::optional<std::uint64_t> held,
                       std::optional<std::uint64_t> plan_held, Ready ready) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(rep), held, plan_held, std::move(ready)});
    }
    wake_.notify_one();
}

void Downlink::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void Downlink::run() {
    pthread_setname_np(pthread_self(), "ff-downlink");
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        Job job = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            job.ready(frames_for(job), {});
        } catch (const std::exception& e) {
            log_->warn("downlink not prepared rep={} held={} plan_held={} error={:?}", job.rep,
                       job.held.value_or(0), job.plan_held.value_or(0), e.what());
            job.ready({}, e.what());
        }
        lock.lock();
    }
}

DownlinkFrames Downlink::frames_for(const Job& job) {
    std::optional<PlanSlice> plan;
    if (job.plan_held) {
        store::sql::Transaction read(*db_, store::sql::TransactionKind::read);
        plan = plan_slice(plans_, job.rep, *job.plan_held, core::china_day(core::unix_now_ms()));
        read.commit();
    }
    return master_frames(job, plan ? &*plan : nullptr);
}

DownlinkFrames Downlink::master_frames(const Job& job, const PlanSlice* plan) {
    auto unchanged = [&](std::uint64_t version) {
        return downlink_unchanged(version, max_frame_bytes_, plan);
    };
    // A device that asked for its plan alone.
    if (!job.held) return unchanged(0);
    auto held = *job.held;
    auto now = in_force_.now();
    auto to = static_cast<std::uint64_t>(now->version);
    // Master data that is in no store (a test's fixture), or the version in
    // force held already: nothing to send.
    if (to == 0 || held == to) return unchanged(held);
    // Another gateway on the store may be ahead of this one: the device
    // waits for it. A version the store never had (a store started anew) is
    // replaced whole, below.
    if (held > to && static_cast<std::int64_t>(held) <= master_.latest()) return unchanged(held);
    auto after = core::master_slice(now->data, job.rep);
    auto whole = [&] {
        const core::MasterData none;
        return downlink_frames(none, after, held, to, true, max_frame_bytes_,
                               downlink_rows_per_part, plan);
    };
    if (held > to || held == 0) return whole();
    auto before = version(static_cast<std::int64_t>(held));
    if (!before) return whole();
    return downlink_frames(core::master_slice(*before, job.rep), after, held, to, false,
                           max_frame_bytes_, downlink_rows_per_part, plan);
}

std::shared_ptr<const core::MasterData> Downlink::version(std::int64_t number) {
    if (auto kept = held_.find(number); kept != held_.end()) return kept->second;
    std::shared_ptr<const core::MasterData> data;
    {
        store::sql::Transaction read(*db_, store::sql::TransactionKind::read);
        if (number > master_.latest()) return nullptr;
        data = std::make_shared<const core::MasterData>(master_.load(number));
        read.commit();
    }
    // The oldest version goes first: devices move up, not down.
    constexpr std::size_t versions_kept = 4;
    if (held_.size() >= versions_kept) held_.erase(held_.begin());
    held_.emplace(number, data);
    return data;
}

}  // namespace fieldflow::gateway
