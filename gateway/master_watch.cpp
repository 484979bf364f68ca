#include "gateway/master_watch.h"

#include <filesystem>

#include "core/clock.h"
#include "store/master_store.h"

namespace fieldflow::gateway {

namespace {

bool usable(const core::MasterData& data) {
    return !data.terminals.empty() && !data.reps.empty();
}

}  // namespace

std::optional<MasterSnapshot> master_at_start(store::sql::Database& db, const std::string& folder,
                                              const std::string& by, spdlog::logger& log) {
    store::MasterStore master(db);
    if (folder.empty()) {
        auto latest = master.latest();
        if (latest == 0) {
            log.critical(
                "no master data: the store has no version yet; start with --master DIR, or "
                "import one with: fieldflow master import DIR --db DB");
            return std::nullopt;
        }
        auto data = master.load(latest);
        if (!usable(data)) {
            log.critical("master data version {} not usable: no terminals or no reps", latest);
            return std::nullopt;
        }
        log.info("master data version {} from the store", latest);
        return std::make_shared<const MasterVersionData>(
            MasterVersionData{latest, std::move(data)});
    }

    auto load = core::load_master_data(folder);
    bool whole_file_unusable = false;
    for (const auto& e : load.errors) {
        // Line 0 is a file that cannot be opened, line 1 a header without a
        // required column: judging against half the master data would
        // reject or flag good records wholesale.
        bool whole_file = e.line <= 1;
        log.log(whole_file ? spdlog::level::err : spdlog::level::warn,
                "master data {} at={}:{} why={:?}", whole_file ? "file unusable" : "row skipped",
                e.file, e.line, e.message);
        whole_file_unusable |= whole_file;
    }
    if (whole_file_unusable || !usable(load.data)) {
        log.critical("master data not usable master={}", folder);
        return std::nullopt;
    }
    auto source = std::filesystem::absolute(folder).lexically_normal().string();
    auto imported = master.import(load.data, source, by, core::unix_now_ms());
    if (imported.created)
        log.info("master data version {} imported from {}", imported.version, source);
    else
        log.info("master data in {} is version {} already", source, imported.version);
    return std::make_shared<const MasterVersionData>(
        MasterVersionData{imported.version, std::move(load.data)});
}

MasterWatch::MasterWatch(const std::string& location, MasterInForce& in_force,
                         std::shared_ptr<spdlog::logger> log, std::chrono::milliseconds every)
    : db_(store::sql::Database::open(location)),
      master_(*db_),
      in_force_(in_force),
      log_(std::move(log)),
      thread_("ff-master", every, PeriodicThread::First::after_a_wait, [this] { look(); }) {}

void MasterWatch::look() {
    try {
        // SQLite counts other connections' commits for nothing; on
        // PostgreSQL the count is itself a query, as cheap as the version's.
        auto commits = db_->others_commits();
        if (commits == others_commits_) return;
        auto held = in_force_.now();
        store::sql::Transaction read(*db_, store::sql::TransactionKind::read);
        auto latest = master_.latest();
        if (latest > held->version) {
            auto started = std::chrono::steady_clock::now();
            auto next = std::make_shared<MasterVersionData>();
            next->version = latest;
            next->data = master_.load(latest);
            read.commit();
            // An empty version would reject every record: keep judging
            // against the one in force, and say why.
            if (!usable(next->data)) {
                log_->error("master data version {} not taken up: it has no terminals or no reps",
                            latest);
            } else {
                in_force_.take_up(next);
                log_->info(
                    "master data version {} taken up (was {}) terminals={} products={} "
                    "distributors={} reps={} load_ms={}",
                    latest, held->version, next->data.terminals.size(), next->data.products.size(),
                    next->data.distributors.size(), next->data.reps.size(),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count());
            }
        }
        others_commits_ = commits;
        failing_ = false;
    } catch (const std::exception& e) {
        // Looked at again next time; the version in force stays.
        if (!failing_) log_->warn("master data versions cannot be read error={:?}", e.what());
        failing_ = true;
    }
}

}  // namespace fieldflow::gateway
