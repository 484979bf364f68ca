#pragma once
// The rep's PIN, which unlocks the outbox's data key (agent/sealing.h).
//
// The PIN is stretched with Argon2id (libsodium's crypto_pwhash) into a key
// that wraps the data key; the outbox keeps only the salt, the cost and
// the wrapped key. Changing the PIN wraps the same data key anew, so
// nothing sealed has to be sealed again.
//
// Wrong PINs are counted in the outbox: the fifth in a row locks the PIN
// out for a while, and each further wrong one doubles the wait. Nothing is
// ever wiped: a rep who forgot the PIN waits, and records not yet delivered
// are never lost to a child pressing keys. The count slows guessing on the
// device; against a copy of its files the only defence is Argon2id's cost
// per guess, which is why docs/operations.md asks for PINs of 6 digits or
// more and for a lost handheld to be revoked at once.

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/refused.h"
#include "agent/sealing.h"

namespace fieldflow::agent {

inline constexpr int pin_tries = 5;
inline constexpr std::chrono::minutes first_lockout{5};
inline constexpr std::chrono::hours longest_lockout{24};
inline constexpr std::size_t shortest_pin = 6, longest_pin = 16;

// What one guess costs: Argon2id's passes and memory.
struct PinCost {
    unsigned long long passes = 0;
    std::size_t memory_bytes = 0;
};
// libsodium's interactive cost (2 passes over 64 MiB): about a tenth of a
// second on a desktop core, under a second on a handheld's (docs/benchmarks.md).
PinCost interactive_pin_cost();

// A wrong PIN; how many tries are left before a lockout, or until when it
// locks now.
struct WrongPin : Refused {
    WrongPin(int left, std::int64_t until_ms);
    int tries_left;
    std::int64_t locked_until_ms;
};

// Tried while locked out: no PIN is checked until `until_ms`.
struct LockedOut : Refused {
    explicit LockedOut(std::int64_t until);
    std::int64_t until_ms;
};

// Six to sixteen digits; Refused naming what is wrong otherwise.
void check_pin_rules(std::string_view pin);

struct PinState {
    bool set = false;
    int failures = 0;                  // wrong PINs in a row
    std::int64_t locked_until_ms = 0;  // 0: not locked out
    std::string key_id;                // names the data key where it is held unlocked
};

// A new data key wrapped by the first PIN, not yet written: Argon2id has
// run, so that the transaction that writes it and seals the outbox holds
// the write lock for no longer than the writing.
struct ChosenPin {
    DataKey key;
    std::vector<unsigned char> salt;
    PinCost cost;
    std::vector<std::byte> wrapped;
};
ChosenPin choose_pin(std::string_view pin, PinCost cost = interactive_pin_cost());

// Over the outbox's `pin` table. `choose` and `change` write in the
// caller's transaction; `unlock` writes each count at once, outside any, so
// that a wrong PIN is counted even when the caller rolls back.
class PinLock {
  public:
    explicit PinLock(SQLite::Database& db) : db_(db) {}

    PinState state();
    // The first PIN: a new data key, wrapped by it, for the caller to seal
    // what the outbox holds with.
    DataKey choose(std::string_view pin, PinCost cost = interactive_pin_cost());
    DataKey choose(ChosenPin chosen);
    // The data key the PIN unwraps, or WrongPin (counted) or LockedOut.
    DataKey unlock(std::string_view pin, std::int64_t now_ms);
    // The same data key wrapped by `next`, once `current` unlocks it.
    void change(std::string_view current, std::string_view next, std::int64_t now_ms);

  private:
    void wrap(const DataKey& key, std::string_view pin, PinCost cost);
    void put(const std::vector<unsigned char>& salt, PinCost cost,
             const std::vector<std::byte>& wrapped);

    SQLite::Database& db_;
};

}  // namespace fieldflow::agent
