#include "support/scratch_store.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

#include "store/sql.h"

namespace fieldflow::test {

namespace {

std::string server() {
    const char* url = std::getenv("FIELDFLOW_TEST_POSTGRES");
    if (!url || !*url)
        throw std::runtime_error(
            "FIELDFLOW_TEST_STORE=postgresql needs FIELDFLOW_TEST_POSTGRES, the URL of a "
            "server to create databases on: run the suites through scripts/with-postgres.sh");
    return url;
}

// The server's URL with another database name in its path.
std::string with_database(const std::string& url, const std::string& database) {
    auto authority = url.find("://") + 3;
    auto path = url.find('/', authority);
    auto query = url.find('?', authority);
    std::string base = url.substr(0, std::min(path, query));
    std::string params = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + database + params;
}

}  // namespace

bool testing_postgresql() {
    const char* backend = std::getenv("FIELDFLOW_TEST_STORE");
    return backend && std::string(backend) == "postgresql";
}

namespace {
// The database a URL names, the last part of its path.
std::string database_of(const std::string& url) {
    auto query = url.find('?');
    auto slash = url.rfind('/', query);
    return url.substr(slash + 1, query == std::string::npos ? query : query - slash - 1);
}
}  // namespace

ScratchStore::ScratchStore(const std::filesystem::path& folder, const std::string& name,
                           const std::string& original) {
    if (!testing_postgresql()) {
        location_ = (folder / name).string();
        if (!original.empty()) {
            auto copy = store::sql::Database::open(original, store::sql::Access::read_only);
            copy->exec("VACUUM INTO '" + location_ + "'");
        }
        return;
    }
    std::random_device rd;
    database_ = "fieldflow_test_" + std::to_string(rd()) + std::to_string(rd());
    auto admin = store::sql::Database::open(server());
    admin->exec("CREATE DATABASE " + database_ +
                (original.empty() ? "" : " TEMPLATE " + database_of(original)));
    location_ = with_database(server(), database_);
}

ScratchStore::~ScratchStore() {
    if (database_.empty()) return;
    try {
        auto admin = store::sql::Database::open(server());
        admin->exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    } catch (...) {
        // A database left behind goes with the scratch server.
    }
}

long long store_scalar(const std::string& location, const std::string& sql) {
    auto store = store::sql::Database::open(location, store::sql::Access::read_only);
    return store->query_int64(sql);
}

void store_exec(const std::string& location, const std::string& sql) {
    store::sql::Database::open(location)->exec(sql);
}

void set_reachable(const std::string& location, bool reachable) {
    if (!store::sql::is_postgresql(location)) {
        std::string away = location + ".away";
        if (reachable)
            std::filesystem::rename(away, location);
        else
            std::filesystem::rename(location, away);
        return;
    }
    store::sql::Database::open(server())->exec("ALTER DATABASE " + database_of(location) +
                                               " ALLOW_CONNECTIONS " +
                                               (reachable ? "true" : "false"));
}

}  // namespace fieldflow::test
