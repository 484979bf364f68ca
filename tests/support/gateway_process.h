#pragma once
// A real fieldflow-gateway for a test, on an ephemeral loopback port unless
// told otherwise, with its log in a file.

#include <string>
#include <vector>

#include "support/process.h"

namespace fieldflow::test {

class GatewayProcess {
  public:
    // An empty `master` starts it without --master: on the store's latest version.
    GatewayProcess(const std::string& master, const std::string& db,
                   const std::string& listen = "127.0.0.1:0", const std::string& log = "",
                   std::vector<std::string> extra = {});
    const std::string& address() const { return address_; }
    // The agents' port alone, for the address under another name (localhost:PORT).
    std::string port() const { return address_.substr(address_.rfind(':') + 1); }
    // The operators' HTTP address, when started with --http.
    const std::string& http_address() const { return http_address_; }
    Process& process() { return process_; }

  private:
    static std::vector<std::string> argv(const std::string& master, const std::string& db,
                                         const std::string& listen, std::vector<std::string> extra);
    Process process_;
    std::string address_;
    std::string http_address_;
};

}  // namespace fieldflow::test
