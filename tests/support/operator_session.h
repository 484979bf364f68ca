#pragma once
// An operator logged in to the console over HTTP, the way the browser is:
// the session cookie, and the CSRF token every state-changing request
// carries.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.h"

namespace fieldflow::test {

struct Login {
    std::string cookie;  // "ff_session=..."
    std::string csrf;
};

inline Login log_in(const std::string& http, const std::string& name, const std::string& password) {
    auto reply = http_request(http, "POST", "/api/login",
                              nlohmann::json{{"name", name}, {"password", password}}.dump(),
                              {{"Content-Type", "application/json"}});
    REQUIRE(reply.status == 200);
    return {reply.set_cookie.substr(0, reply.set_cookie.find(';')),
            nlohmann::json::parse(reply.body)["csrf"]};
}

inline HttpReply post_as(const std::string& http, const std::string& target,
                         const nlohmann::json& body, const Login& who) {
    return http_request(
        http, "POST", target, body.dump(),
        {{"Content-Type", "application/json"}, {"Cookie", who.cookie}, {"X-CSRF-Token", who.csrf}});
}

inline HttpReply get_as(const std::string& http, const std::string& target, const Login& who) {
    return http_request(http, "GET", target, {}, {{"Cookie", who.cookie}});
}

}  // namespace fieldflow::test
