#include <doctest/doctest.h>

#include "agent/verdicts.h"
#include "core/reason.h"

using namespace fieldflow;

TEST_CASE("verdicts: every reason code the gateway can send reads as words, not as its code") {
    for (auto code : core::all_reason_codes) {
        std::string name(core::name(code));
        agent::Acked acked{7, "check_in", "flagged", {{name, ""}}};
        CHECK(agent::in_plain_words(acked) != "record 7, check-in, flagged: " + name);
    }
}

TEST_CASE("verdicts: impossible travel tells the rep where the device was and when") {
    agent::Acked acked{12,
                       "check_in",
                       "flagged",
                       {{"impossible_travel", "165.3 km in 15 min (661 km/h) from T014 at 15:30"}}};
    CHECK(agent::in_plain_words(acked) ==
          "record 12, check-in, flagged: too far from your previous or next check-in for the "
          "time between — 165.3 km in 15 min (661 km/h) from T014 at 15:30");
}

TEST_CASE("verdicts: a short visit says it was too short") {
    agent::Acked acked{13,
                       "check_out",
                       "flagged",
                       {{"short_visit",
                         "checked out 2 min after checking in at T001 at 09:10 "
                         "(minimum 5 min)"}}};
    CHECK(agent::in_plain_words(acked) ==
          "record 13, check-out, flagged: the visit was too short — checked out 2 min after "
          "checking in at T001 at 09:10 (minimum 5 min)");
}
