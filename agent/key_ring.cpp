#include "agent/key_ring.h"

#include <keyutils.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <vector>

namespace fieldflow::agent {

namespace {

std::string description(const std::string& key_id) {
    return "fieldflow-agent:" + key_id;
}

key_serial_t find(const std::string& key_id) {
    auto serial = keyctl_search(KEY_SPEC_USER_KEYRING, "user", description(key_id).c_str(), 0);
    return serial < 0 ? 0 : static_cast<key_serial_t>(serial);
}

struct ProcessKey {
    std::vector<unsigned char> bytes;
    std::chrono::steady_clock::time_point until;
};

// The keys held by this process alone, when the kernel keeps none.
std::mutex process_keys_mutex;
std::map<std::string, ProcessKey> process_keys;

}  // namespace

Held hold_key(const std::string& key_id, const DataKey& key, std::chrono::seconds hold) {
    auto serial = add_key("user", description(key_id).c_str(), key.bytes().data(),
                          key.bytes().size(), KEY_SPEC_USER_KEYRING);
    if (serial < 0) {
        std::lock_guard lock(process_keys_mutex);
        process_keys[key_id] = {{key.bytes().begin(), key.bytes().end()},
                                std::chrono::steady_clock::now() + hold};
        return Held::by_this_process;
    }
    // Readable by the user's other processes (the service and the CLI are
    // not in one session), and by no other user.
    keyctl_setperm(serial, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
                               KEY_USR_SEARCH | KEY_USR_SETATTR);
    keyctl_set_timeout(serial, static_cast<unsigned>(hold.count()));
    return Held::by_the_kernel;
}

std::optional<DataKey> held_key(const std::string& key_id) {
    {
        std::lock_guard lock(process_keys_mutex);
        auto held = process_keys.find(key_id);
        if (held != process_keys.end()) {
            if (std::chrono::steady_clock::now() < held->second.until)
                return DataKey::from(held->second.bytes);
            std::fill(held->second.bytes.begin(), held->second.bytes.end(), 0);
            process_keys.erase(held);
        }
    }
    auto serial = find(key_id);
    if (serial == 0) return std::nullopt;
    std::vector<unsigned char> bytes(data_key_bytes);
    auto read = keyctl_read(serial, reinterpret_cast<char*>(bytes.data()), bytes.size());
    if (read != static_cast<long>(data_key_bytes)) return std::nullopt;
    auto key = DataKey::from(bytes);
    std::fill(bytes.begin(), bytes.end(), 0);
    return key;
}

void forget_key(const std::string& key_id) {
    {
        std::lock_guard lock(process_keys_mutex);
        auto held = process_keys.find(key_id);
        if (held != process_keys.end()) {
            std::fill(held->second.bytes.begin(), held->second.bytes.end(), 0);
            process_keys.erase(held);
        }
    }
    if (auto serial = find(key_id)) keyctl_invalidate(serial);
}

}  // namespace fieldflow::agent
