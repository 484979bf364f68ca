#include "gateway/reload.h"

#include <functional>
#include <map>

namespace fieldflow::gateway {

namespace {

using Copy = std::function<void(Options&, const Options&)>;

// The settings a running gateway takes up, each with how. Sessions read
// these from the live Options on the io thread, as the reload runs.
const std::map<std::string, Copy>& live_settings() {
    static const std::map<std::string, Copy> live = {
        {"max-connections",
         [](Options& to, const Options& from) { to.max_connections = from.max_connections; }},
        {"max-device-rate",
         [](Options& to, const Options& from) { to.max_device_rate = from.max_device_rate; }},
        {"handshake-timeout",
         [](Options& to, const Options& from) {
             to.handshake_timeout_s = from.handshake_timeout_s;
         }},
        {"idle-timeout",
         [](Options& to, const Options& from) { to.idle_timeout_s = from.idle_timeout_s; }},
        {"frame-timeout",
         [](Options& to, const Options& from) { to.frame_timeout_s = from.frame_timeout_s; }},
        {"batches-in-flight",
         [](Options& to, const Options& from) {
             to.max_batches_in_flight = from.max_batches_in_flight;
         }},
        {"gateway-id", [](Options& to, const Options& from) { to.gateway_id = from.gateway_id; }},
        // The caller hands it to the log.
        {"log-level", [](Options& to, const Options& from) { to.log_level = from.log_level; }},
        {"master", [](Options& to, const Options& from) { to.master = from.master; }},
        // New files for a running TLS listener; the caller loads them.
        {"tls-cert", [](Options& to, const Options& from) { to.tls_cert = from.tls_cert; }},
        {"tls-key", [](Options& to, const Options& from) { to.tls_key = from.tls_key; }},
    };
    return live;
}

}  // namespace

Reload apply_reload(Options& live, const Options& fresh) {
    Reload out;
    // Turning TLS on or off changes what --listen may be: a restart.
    bool tls_switch = live.tls_cert.empty() != fresh.tls_cert.empty();
    for (const auto& [key, value] : fresh.settings) {
        auto was = live.settings.find(key);
        if (was != live.settings.end() && was->second == value) continue;
        auto copy = live_settings().find(key);
        bool tls_key = key == "tls-cert" || key == "tls-key";
        if (copy == live_settings().end() || (tls_key && tls_switch)) {
            out.need_restart.push_back(key);
            continue;
        }
        copy->second(live, fresh);
        live.settings[key] = value;
        out.applied.push_back(key);
    }
    return out;
}

}  // namespace fieldflow::gateway
