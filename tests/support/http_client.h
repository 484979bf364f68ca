#pragma once
// A blocking HTTP/1.1 client for tests of the operators' listener, one
// connection per request, with a deadline.

#include <string>
#include <utility>
#include <vector>

namespace fieldflow::test {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string set_cookie;
    std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// `address` is "HOST:PORT". Throws when nothing answers in time.
HttpReply http_request(const std::string& address, const std::string& method,
                       const std::string& target, const std::string& body = {},
                       const HttpHeaders& headers = {});
inline HttpReply http_get(const std::string& address, const std::string& target) {
    return http_request(address, "GET", target);
}

// Sends `bytes` as they are and returns what came back until the server
// closed the connection: for requests no well-behaved client would send.
std::string http_raw(const std::string& address, const std::string& bytes);

}  // namespace fieldflow::test
