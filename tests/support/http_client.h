#pragma once
// A blocking HTTP/1.1 client for tests of the operators' listener, one
// connection per request, with a deadline.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldflow::test {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string set_cookie;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // The first header of that name (case-insensitive), or empty.
    std::string header(std::string_view name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// `address` is "HOST:PORT". Throws when nothing answers in time.
HttpReply http_request(const std::string& address, const std::string& method,
                       const std::string& target, const std::string& body = {},
                       const HttpHeaders& headers = {});
inline HttpReply http_get(const std::string& address, const std::string& target) {
    return http_request(address, "GET", target);
}

// A stream of server-sent events, read one event at a time.
class HttpEventStream {
  public:
    HttpEventStream(const std::string& address, const std::string& target,
                    const HttpHeaders& headers);
    ~HttpEventStream();
    int status() const { return status_; }
    // The next event's data, or nullopt when the server closed the stream
    // or nothing came within the timeout.
    std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // True once the server has closed the stream.
    bool closed(std::chrono::milliseconds timeout);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int status_ = 0;
};

// Sends `bytes` as they are and returns what came back until the server
// closed the connection: for requests no well-behaved client would send.
std::string http_raw(const std::string& address, const std::string& bytes);

}  // namespace fieldflow::test
