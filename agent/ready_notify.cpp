#include "agent/ready_notify.h"

#ifdef FIELDFLOW_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace fieldflow::agent::service {

namespace {

void notify([[maybe_unused]] const std::string& state) {
#ifdef FIELDFLOW_SYSTEMD
    sd_notify(0, state.c_str());
#endif
}

}  // namespace

void ready(const std::string& status) {
    notify("READY=1\nSTATUS=" + status);
}

void stopping() {
    notify("STOPPING=1");
}

}  // namespace fieldflow::agent::service
