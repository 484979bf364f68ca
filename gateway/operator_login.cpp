#include "gateway/operator_login.h"

namespace fieldflow::gateway {

namespace asio = boost::asio;

OperatorLogin::OperatorLogin(asio::any_io_executor executor, store::GatewayStore& store,
                             Metrics& metrics, const LoginLimits& limits,
                             std::shared_ptr<spdlog::logger> log, PasswordCheck check,
                             std::function<Clock::time_point()> clock)
    : executor_(std::move(executor)),
      store_(store),
      metrics_(metrics),
      limits_(limits),
      log_(std::move(log)),
      check_(std::move(check)),
      clock_(std::move(clock)),
      limiter_(limits),
      pool_(std::max(1u, limits.hashing_threads)) {
    // Made now, off the console's thread, so that the first unknown name
    // costs no more than any other.
    asio::post(pool_, [this] { unknown_name_hash(); });
}

OperatorLogin::~OperatorLogin() {
    stop();
    pool_.join();
}

const std::string& OperatorLogin::unknown_name_hash() {
    std::call_once(unknown_once_, [this] { unknown_ = store::hash_password(""); });
    return unknown_;
}

void OperatorLogin::attempt(const std::string& name, std::string password,
                            const std::string& address, std::function<void(LoginVerdict)> done) {
    if (auto refusal = limiter_.refused(name, address, clock_())) {
        metrics_.login("locked_out");
        if (auto left_out = refusals_.admit(clock_()))
            log_->warn(
                "login refused operator={:?} address={} limit={} retry_after_s={} "
                "refusals_not_logged={}",
                name, address, LoginLimiter::name(refusal->by), refusal->retry_after.count(),
                *left_out);
        return done({LoginVerdict::Result::locked_out, std::nullopt, refusal->retry_after});
    }
    if (stopping_ || pending_ >= limits_.max_pending) {
        metrics_.login("busy");
        return done({LoginVerdict::Result::busy, std::nullopt, std::chrono::seconds(1)});
    }
    std::optional<store::OperatorAccounts::Stored> stored = store_.operators().stored_login(name);
    ++pending_;
    // The work guard keeps the console's loop running until the verdict is
    // back on it, so that a stop waits for the hash under way and no longer.
    asio::post(pool_, [this, work = asio::make_work_guard(executor_), tried = name, from = address,
                       password = std::move(password), stored = std::move(stored),
                       done = std::move(done)]() mutable {
        std::optional<bool> matches;
        try {
            if (!stopping_)
                matches = check_(password, stored ? stored->password : unknown_name_hash());
        } catch (const std::exception& e) {
            // Out of memory, say: this login is answered busy, the thread lives on.
            log_->error("password check failed operator={:?} error={:?}", tried, e.what());
        }
        asio::post(executor_, [this, tried = std::move(tried), from = std::move(from),
                               stored = std::move(stored), matches, done = std::move(done)] {
            --pending_;
            if (!matches) {
                metrics_.login("busy");
                return done({LoginVerdict::Result::busy, std::nullopt, std::chrono::seconds(1)});
            }
            std::optional<store::Operator> who;
            if (stored) who = stored->who;
            settle(tried, from, who, *matches, done);
        });
    });
}

void OperatorLogin::settle(const std::string& name, const std::string& address,
                           const std::optional<store::Operator>& who, bool matches,
                           const std::function<void(LoginVerdict)>& done) {
    if (who && matches) {
        limiter_.succeeded(name);
        metrics_.login("ok");
        return done({LoginVerdict::Result::ok, who, std::chrono::seconds(0)});
    }
    metrics_.login("wrong");
    log_->warn("login failed operator={:?} address={}", name, address);
    audit(name, "login failed", "from " + address);
    for (auto by : limiter_.failed(name, address, clock_())) {
        std::string limit = LoginLimiter::name(by);
        metrics_.login_lockout(limit);
        unsigned failures =
            by == LoginLimiter::By::name ? limits_.failures_per_name : limits_.failures_per_address;
        log_->warn("login locked out operator={:?} address={} limit={} failures={} window_s={}",
                   name, address, limit, failures, limits_.window.count());
        std::string detail = "by " + limit;
        detail += " from " + address;
        detail += " after " + std::to_string(failures) + " failures in ";
        detail += std::to_string(limits_.window.count()) + " s";
        audit(name, "login locked out", detail);
    }
    done({LoginVerdict::Result::wrong, std::nullopt, std::chrono::seconds(0)});
}

void OperatorLogin::audit(const std::string& name, const std::string& action,
                          const std::string& detail) {
    try {
        store::sql::Transaction transaction(store_.db(), store::sql::TransactionKind::write);
        store_.audit().append(store::Audited::operator_change, 0, name, action, detail);
        transaction.commit();
    } catch (const std::exception& e) {
        // The refusal stands either way; the log keeps what the audit could not.
        log_->error("audit entry not written action={:?} operator={:?} error={:?}", action, name,
                    e.what());
    }
}

}  // namespace fieldflow::gateway
