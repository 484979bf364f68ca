#include <doctest/doctest.h>

#include "gateway/log_field.h"

using fieldflow::gateway::log_field;

TEST_CASE("log field: a plain device id goes as it is, anything else quoted and escaped" *
          doctest::test_suite("no gateway store")) {
    CHECK(log_field("dev-001") == "dev-001");
    CHECK(log_field("127.0.0.1:51234") == "127.0.0.1:51234");
    CHECK(log_field("") == "\"\"");
    CHECK(log_field("dev 1") == "\"dev 1\"");
    // A device cannot end the line and forge one of its own, nor add a field.
    CHECK(log_field("x\n2026-12-02 error forged") == "\"x\\n2026-12-02 error forged\"");
    CHECK(log_field("x conn=1") == "\"x conn=1\"");
    CHECK(log_field("a\"b") == "\"a\\\"b\"");
}
