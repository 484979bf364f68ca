#include "support/gateway_process.h"

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <stdexcept>

namespace fieldflow::test {

std::vector<std::string> GatewayProcess::argv(const std::string& master, const std::string& db,
                                              const std::string& listen,
                                              std::vector<std::string> extra) {
    std::vector<std::string> args{
        binary("fieldflow-gateway"), "--listen", listen, "--db", db, "--master", master};
    // Tests that are not about enrolment take devices at their word.
    if (std::find(extra.begin(), extra.end(), "--auth") == extra.end())
        args.insert(args.end(), {"--auth", "open"});
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

GatewayProcess::GatewayProcess(const std::string& master, const std::string& db,
                               const std::string& listen, const std::string& log,
                               std::vector<std::string> extra)
    : process_(argv(master, db, listen, std::move(extra)), log) {
    auto line = process_.wait_for_line("listening on ");
    if (!line)
        throw std::runtime_error("the gateway did not start" + (log.empty() ? "" : "; see " + log));
    address_ = line->substr(line->find("listening on ") + 13);
}

long long store_scalar(const std::string& db, const std::string& sql) {
    SQLite::Database store(db, SQLite::OPEN_READONLY);
    return store.execAndGet(sql).getInt64();
}

}  // namespace fieldflow::test
