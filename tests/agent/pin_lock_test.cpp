// The rep's PIN and the data key it wraps: the right PIN unwraps the key,
// wrong ones are counted and lock out for a while, nothing is ever wiped.

#include "agent/pin_lock.h"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <sodium.h>

#include <string>

#include "agent/outbox.h"
#include "agent/scratch_state.h"

using namespace fieldflow;

namespace {

// The cheapest Argon2id libsodium allows: the rules under test are the
// count and the wrapping, not the cost.
const agent::PinCost cheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

constexpr std::int64_t minute_ms = 60'000;

// An outbox's database, with its pin table, for the lock to work on.
struct PinTable {
    test::ScratchState dir;
    agent::Outbox outbox{dir.handheld()};
    agent::PinLock lock{outbox.database()};
};

bool same_key(const agent::DataKey& a, const agent::DataKey& b) {
    auto sealed = agent::seal(a, agent::as_bytes("a check-in"), "record 1");
    return agent::open_sealed(b, sealed, "record 1").has_value();
}

}  // namespace

TEST_CASE("pin: the right PIN unwraps the key it was chosen with; a wrong one unwraps nothing") {
    PinTable t;
    CHECK_FALSE(t.lock.state().set);
    auto key = t.lock.choose("246810", cheap);
    auto state = t.lock.state();
    CHECK(state.set);
    CHECK(state.key_id.size() == 32);
    CHECK(same_key(key, t.lock.unlock("246810", 0)));
    CHECK_THROWS_AS(t.lock.unlock("246811", 0), agent::WrongPin);
    // A second first PIN would orphan what the first one sealed.
    CHECK_THROWS_WITH_AS(t.lock.choose("135790", cheap), doctest::Contains("has a PIN already"),
                         agent::Refused);
}

TEST_CASE("pin: the fifth wrong PIN in a row locks PINs out, each further one twice as long") {
    PinTable t;
    auto key = t.lock.choose("246810", cheap);
    std::int64_t now = 1'000 * minute_ms;
    for (int left = 4; left >= 1; --left) {
        try {
            t.lock.unlock("000000", now);
            FAIL("a wrong PIN unlocked");
        } catch (const agent::WrongPin& wrong) {
            CHECK(wrong.tries_left == left);
            CHECK(wrong.locked_until_ms == 0);
        }
    }
    try {
        t.lock.unlock("000000", now);
        FAIL("a wrong PIN unlocked");
    } catch (const agent::WrongPin& wrong) {
        CHECK(wrong.tries_left == 0);
        CHECK(wrong.locked_until_ms == now + 5 * minute_ms);
        CHECK(std::string(wrong.what()).find("nothing is wiped") != std::string::npos);
    }
    CHECK(t.lock.state().failures == 5);
    // Locked out: even the right PIN is not tried, and not counted.
    CHECK_THROWS_AS(t.lock.unlock("246810", now + 4 * minute_ms), agent::LockedOut);
    CHECK(t.lock.state().failures == 5);

    // After the wait, one more wrong PIN locks for twice as long.
    now += 5 * minute_ms;
    try {
        t.lock.unlock("000000", now);
        FAIL("a wrong PIN unlocked");
    } catch (const agent::WrongPin& wrong) {
        CHECK(wrong.locked_until_ms == now + 10 * minute_ms);
    }
    // The right PIN after that wait unlocks the same key, and the count
    // starts again.
    now += 10 * minute_ms;
    CHECK(same_key(key, t.lock.unlock("246810", now)));
    CHECK(t.lock.state().failures == 0);
    CHECK(t.lock.state().locked_until_ms == 0);
}

TEST_CASE("pin: the lockout never grows past a day") {
    PinTable t;
    t.lock.choose("246810", cheap);
    std::int64_t now = 0;
    std::int64_t wait = 0;
    for (int i = 0; i < 30; ++i) {
        try {
            t.lock.unlock("000000", now);
        } catch (const agent::WrongPin& wrong) {
            if (wrong.locked_until_ms) {
                wait = wrong.locked_until_ms - now;
                now = wrong.locked_until_ms;
            }
        }
    }
    CHECK(wait == 24 * 60 * minute_ms);
}

TEST_CASE("pin: a changed PIN unwraps the same key, and the old PIN no longer does") {
    PinTable t;
    auto key = t.lock.choose("246810", cheap);
    CHECK_THROWS_AS(t.lock.change("111111", "13579246", 0), agent::WrongPin);
    t.lock.change("246810", "13579246", 0);
    CHECK(same_key(key, t.lock.unlock("13579246", 0)));
    CHECK_THROWS_AS(t.lock.unlock("246810", 0), agent::WrongPin);
}

TEST_CASE("pin: a PIN is six to sixteen digits") {
    CHECK_NOTHROW(agent::check_pin_rules("123456"));
    CHECK_NOTHROW(agent::check_pin_rules("1234567890123456"));
    for (const char* bad : {"12345", "12345678901234567", "12345a", "", "12 3456"})
        CHECK_THROWS_WITH_AS(agent::check_pin_rules(bad), "a PIN is 6 to 16 digits",
                             agent::Refused);
}

TEST_CASE("sealing: a sealed value opens only with its key, in its place, and unaltered") {
    auto key = agent::DataKey::random();
    auto other = agent::DataKey::random();
    auto sealed = agent::seal(key, agent::as_bytes("T1 at 31.2304,121.5060"), "record 7");
    CHECK(sealed.size() == 22 + agent::sealed_overhead);
    auto opened = agent::open_sealed(key, sealed, "record 7");
    REQUIRE(opened);
    CHECK(agent::as_text(*opened) == "T1 at 31.2304,121.5060");
    CHECK_FALSE(agent::open_sealed(other, sealed, "record 7"));
    // Moved to another record's row, it does not open there.
    CHECK_FALSE(agent::open_sealed(key, sealed, "record 8"));
    sealed[30] ^= std::byte{1};
    CHECK_FALSE(agent::open_sealed(key, sealed, "record 7"));
    // The same value sealed twice shares no bytes an observer could match.
    CHECK(agent::seal(key, agent::as_bytes("T1"), "visit") !=
          agent::seal(key, agent::as_bytes("T1"), "visit"));
}
