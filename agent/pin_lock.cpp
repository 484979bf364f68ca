#include "agent/pin_lock.h"

#include <SQLiteCpp/Statement.h>
#include <sodium.h>

#include <algorithm>
#include <vector>

#include "core/digest.h"
#include "core/travel_rules.h"

namespace fieldflow::agent {

namespace {

// Binds the wrapped key to its use, so that no other sealed value of the
// outbox opens as a data key.
constexpr std::string_view wrapped_context = "data key";

struct PinKey {
    std::vector<unsigned char> salt;
    PinCost cost;
};

// The key Argon2id stretches the PIN into, held as a DataKey so that it is
// wiped as soon as it has been used.
DataKey stretch(std::string_view pin, const PinKey& with) {
    std::vector<unsigned char> out(data_key_bytes);
    if (crypto_pwhash(out.data(), out.size(), pin.data(), pin.size(), with.salt.data(),
                      with.cost.passes, with.cost.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw Refused("the handheld has too little free memory to check a PIN (Argon2id needs " +
                      std::to_string(with.cost.memory_bytes >> 20) + " MiB)");
    auto key = DataKey::from(out);
    sodium_memzero(out.data(), out.size());
    return key;
}

// `key` wrapped by what Argon2id stretches `pin` into, under a new salt.
struct Wrapping {
    std::vector<unsigned char> salt;
    std::vector<std::byte> wrapped;
};
Wrapping wrapped_by(const DataKey& key, std::string_view pin, PinCost cost) {
    PinKey with{std::vector<unsigned char>(crypto_pwhash_SALTBYTES), cost};
    randombytes_buf(with.salt.data(), with.salt.size());
    auto wrapped = seal(stretch(pin, with),
                        {reinterpret_cast<const std::byte*>(key.bytes().data()), data_key_bytes},
                        wrapped_context);
    return {std::move(with.salt), std::move(wrapped)};
}

std::vector<unsigned char> blob_of(const SQLite::Column& column) {
    const auto* begin = static_cast<const unsigned char*>(column.getBlob());
    return {begin, begin + column.getBytes()};
}

std::int64_t lockout_ms(int failures) {
    // The fifth wrong PIN locks for first_lockout, each further one twice as long.
    auto doublings = std::min(failures - pin_tries, 16);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(first_lockout) *
                (std::int64_t{1} << doublings);
    return std::min<std::int64_t>(
        wait.count(),
        std::chrono::duration_cast<std::chrono::milliseconds>(longest_lockout).count());
}

}  // namespace

PinCost interactive_pin_cost() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

WrongPin::WrongPin(int left, std::int64_t until_ms)
    : Refused(until_ms ? "wrong PIN: locked until " + core::clock_time(until_ms) +
                             " (China time); nothing is wiped"
                       : "wrong PIN: " + std::to_string(left) + (left == 1 ? " try" : " tries") +
                             " left before a lockout"),
      tries_left(left),
      locked_until_ms(until_ms) {}

LockedOut::LockedOut(std::int64_t until)
    : Refused("too many wrong PINs: try again after " + core::clock_time(until) +
              " (China time); nothing is wiped"),
      until_ms(until) {}

void check_pin_rules(std::string_view pin) {
    if (pin.size() < shortest_pin || pin.size() > longest_pin ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Refused("a PIN is " + std::to_string(shortest_pin) + " to " +
                      std::to_string(longest_pin) + " digits");
}

PinState PinLock::state() {
    SQLite::Statement q(db_, "SELECT failures, locked_until_ms, key_id FROM pin WHERE id = 1");
    if (!q.executeStep()) return {};
    return {true, q.getColumn(0).getInt(), q.getColumn(1).getInt64(), q.getColumn(2).getString()};
}

ChosenPin choose_pin(std::string_view pin, PinCost cost) {
    check_pin_rules(pin);
    auto key = DataKey::random();
    auto [salt, wrapped] = wrapped_by(key, pin, cost);
    return {std::move(key), std::move(salt), cost, std::move(wrapped)};
}

void PinLock::put(const std::vector<unsigned char>& salt, PinCost cost,
                  const std::vector<std::byte>& wrapped) {
    SQLite::Statement put(db_,
                          "UPDATE pin SET salt = ?1, passes = ?2, memory_bytes = ?3, "
                          "wrapped_key = ?4, failures = 0, locked_until_ms = 0 WHERE id = 1");
    put.bind(1, salt.data(), static_cast<int>(salt.size()));
    put.bind(2, static_cast<std::int64_t>(cost.passes));
    put.bind(3, static_cast<std::int64_t>(cost.memory_bytes));
    put.bind(4, wrapped.data(), static_cast<int>(wrapped.size()));
    put.exec();
}

void PinLock::wrap(const DataKey& key, std::string_view pin, PinCost cost) {
    auto [salt, wrapped] = wrapped_by(key, pin, cost);
    put(salt, cost, wrapped);
}

DataKey PinLock::choose(std::string_view pin, PinCost cost) {
    return choose(choose_pin(pin, cost));
}

DataKey PinLock::choose(ChosenPin chosen) {
    if (state().set)
        throw Refused("this handheld has a PIN already: change it with the current one");
    std::vector<unsigned char> id(16);
    randombytes_buf(id.data(), id.size());
    SQLite::Statement add(db_,
                          "INSERT INTO pin (id, salt, passes, memory_bytes, wrapped_key, key_id) "
                          "VALUES (1, x'', 0, 0, x'', ?1)");
    add.bind(1, core::hex(id));
    add.exec();
    put(chosen.salt, chosen.cost, chosen.wrapped);
    return std::move(chosen.key);
}

DataKey PinLock::unlock(std::string_view pin, std::int64_t now_ms) {
    SQLite::Statement q(db_,
                        "SELECT salt, passes, memory_bytes, wrapped_key, locked_until_ms "
                        "FROM pin WHERE id = 1");
    if (!q.executeStep()) throw Refused("this handheld has no PIN: set one first");
    auto locked_until = q.getColumn(4).getInt64();
    if (now_ms < locked_until) throw LockedOut(locked_until);
    PinKey with{blob_of(q.getColumn(0)),
                {static_cast<unsigned long long>(q.getColumn(1).getInt64()),
                 static_cast<std::size_t>(q.getColumn(2).getInt64())}};
    auto wrapped = blob_of(q.getColumn(3));
    q.reset();
    auto opened = open_sealed(stretch(pin, with),
                              {reinterpret_cast<const std::byte*>(wrapped.data()), wrapped.size()},
                              wrapped_context);
    if (opened) {
        db_.exec("UPDATE pin SET failures = 0, locked_until_ms = 0 WHERE id = 1");
        auto key =
            DataKey::from({reinterpret_cast<const unsigned char*>(opened->data()), opened->size()});
        sodium_memzero(opened->data(), opened->size());
        return key;
    }
    SQLite::Statement count(
        db_, "UPDATE pin SET failures = failures + 1 WHERE id = 1 RETURNING failures");
    count.executeStep();
    auto failures = count.getColumn(0).getInt();
    count.reset();
    std::int64_t until = failures >= pin_tries ? now_ms + lockout_ms(failures) : 0;
    SQLite::Statement lock(db_, "UPDATE pin SET locked_until_ms = ?1 WHERE id = 1");
    lock.bind(1, until);
    lock.exec();
    throw WrongPin(std::max(pin_tries - failures, 0), until);
}

void PinLock::change(std::string_view current, std::string_view next, std::int64_t now_ms) {
    check_pin_rules(next);
    auto key = unlock(current, now_ms);
    SQLite::Statement q(db_, "SELECT passes, memory_bytes FROM pin WHERE id = 1");
    q.executeStep();
    PinCost cost{static_cast<unsigned long long>(q.getColumn(0).getInt64()),
                 static_cast<std::size_t>(q.getColumn(1).getInt64())};
    q.reset();
    wrap(key, next, cost);
}

}  // namespace fieldflow::agent
