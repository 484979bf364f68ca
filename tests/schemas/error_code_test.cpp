#include "schemas/error_code.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace fieldflow::wire;

TEST_CASE("error codes: every code comes back from its wire name") {
    std::set<std::string> seen;
    for (int i = 0; i <= static_cast<int>(ErrorCode::unknown); ++i) {
        auto code = static_cast<ErrorCode>(i);
        auto text = std::string(name(code));
        CAPTURE(text);
        CHECK_FALSE(text.empty());
        CHECK(seen.insert(text).second);
        CHECK(error_code_from_name(text) == code);
    }
}

TEST_CASE("error codes: the names the protocol documents are the ones sent") {
    CHECK(name(ErrorCode::malformed_frame) == "malformed_frame");
    CHECK(name(ErrorCode::frame_too_large) == "frame_too_large");
    CHECK(name(ErrorCode::handshake_required) == "handshake_required");
    CHECK(name(ErrorCode::protocol_version) == "protocol_version");
    CHECK(name(ErrorCode::too_many_records) == "too_many_records");
    CHECK(name(ErrorCode::timeout) == "timeout");
    CHECK(name(ErrorCode::store_unavailable) == "store_unavailable");
    CHECK(name(ErrorCode::unauthenticated) == "unauthenticated");
}

TEST_CASE("error codes: a name from a newer gateway reads as unknown, not as another code") {
    CHECK(error_code_from_name("gateway_on_fire") == ErrorCode::unknown);
    CHECK(error_code_from_name("") == ErrorCode::unknown);
    CHECK(error_code_from_name("Timeout") == ErrorCode::unknown);
    CHECK(error_code_from_name("timeout ") == ErrorCode::unknown);
}
