#pragma once
// What SIGHUP changes in a running gateway. The command line and config
// file are read again; the settings that only shape what happens next (a
// new connection's limits and timeouts, the welcome, the TLS files, the
// master-data folder, the log level) take effect at once, on connections
// already open too where they apply per frame. The others — where the
// gateway listens, its store, what the console was built with — need a
// restart: they keep their running values and the log names each.

#include <string>
#include <vector>

#include "gateway/options.h"

namespace fieldflow::gateway {

struct Reload {
    std::vector<std::string> applied;       // keys whose new values are in force
    std::vector<std::string> need_restart;  // keys that changed but keep their old values
};

// Copies into `live` what `fresh` changes and may change while running.
// A key is told apart by Options::settings, so a flag added later is
// reported as needing a restart until it is listed here as live.
Reload apply_reload(Options& live, const Options& fresh);

}  // namespace fieldflow::gateway
