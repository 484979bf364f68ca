#include "support/gateway_process.h"

#include <algorithm>
#include <stdexcept>

namespace fieldflow::test {

std::vector<std::string> GatewayProcess::argv(const std::string& master, const std::string& db,
                                              const std::string& listen,
                                              std::vector<std::string> extra) {
    std::vector<std::string> args{binary("fieldflow-gateway"), "--listen", listen, "--db", db};
    if (!master.empty()) args.insert(args.end(), {"--master", master});
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
    const std::string http = "operators' http on ", agents = "listening on ";
    for (;;) {
        auto line = process_.read_line();
        if (!line)
            throw std::runtime_error("the gateway did not start" +
                                     (log.empty() ? "" : "; see " + log));
        if (auto at = line->find(http); at != std::string::npos)
            http_address_ = line->substr(at + http.size());
        if (auto at = line->find(agents); at != std::string::npos) {
            address_ = line->substr(at + agents.size());
            break;
        }
    }
}

}  // namespace fieldflow::test
