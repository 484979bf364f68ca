#pragma once
#include <spdlog/common.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/travel_rules.h"
#include "schemas/frame.h"
#include "gateway/login_limiter.h"
#include "gateway/overview.h"
#include "gateway/personal_data.h"
#include "gateway/retention_job.h"
#include "gateway/web_dir.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

struct Options {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 7700;
    std::string db;
    std::string master;
    std::string gateway_id = "fieldflow-gateway";
    store::Durability durability = store::Durability::full;
    wire::ReadLimits limits;
    std::uint32_t max_batch_records = 2000;
    // Batches one connection may have with the committer at once. While one
    // is syncing the next is committed, so a lone device, or one far away,
    // is not held to a round trip and a sync per batch; with the frame
    // limit it bounds what a connection holds.
    std::uint32_t max_batches_in_flight = 4;
    unsigned handshake_timeout_s = 10;
    unsigned idle_timeout_s = 120;
    // Once a frame has begun, all of it must arrive within this: a client
    // that sends a byte a second is closed in seconds.
    unsigned frame_timeout_s = 10;
    // Connections beyond this are closed at once; with max_frame_bytes it
    // bounds the memory that frames in flight can take.
    unsigned max_connections = 4096;
    // Records a second one connection may send; 0 for no limit. Above it the
    // gateway reads that connection's next frame later, it refuses nothing.
    double max_device_rate = 0;
    // Photos from the field (gateway/photo_upload.h): a larger one is
    // refused; 0 takes none, and agents keep theirs. Each arrives in chunks
    // of at most photo_chunk_bytes, which fit one frame.
    std::uint64_t max_photo_bytes = 10u << 20;
    std::uint32_t photo_chunk_bytes = 256u << 10;
    // enrolled: a device needs its credential (fieldflow device enroll);
    // open: any device id is taken at its word (loopback only, for trials).
    enum class Auth { enrolled, open } auth = Auth::enrolled;
    // TLS: both or neither; required to listen on anything but loopback.
    std::string tls_cert;  // PEM certificate chain
    std::string tls_key;   // PEM private key
    // PEM: the CA --tls-cert chains to, put in the enrolment QR code for
    // handhelds to trust (gateway/agent_ca.h); empty for none.
    std::string agent_ca;
    // The operators' HTTP listener (probes, metrics); off when the host is empty.
    std::string http_host;
    std::uint16_t http_port = 0;
    // Names the operators' pages are reached by besides the address (a
    // TLS proxy's): a request for any other Host gets 421.
    std::vector<std::string> http_names;
    LoginLimits login;
    // Which roles open a rep's exact fix and the photos (gateway/personal_data.h).
    PersonalDataRoles personal_data;
    // How long the fixes and the photos are kept (gateway/retention_job.h).
    RetentionDays retention;
    // The dashboard's files: index.html, app.js, app.css and node_modules/.
    std::string web_dir = default_web_dir();
    OverviewOptions overview;
    // The thresholds of impossible_travel and short_visit.
    core::TravelLimits travel;
    spdlog::level::level_enum log_level = spdlog::level::info;
    // The config file read (--config), empty for none.
    std::string config_file;
    // Every setting as text, by its key (the long flag's name): what a
    // reload compares to tell which settings changed (gateway/reload.h).
    std::map<std::string, std::string> settings;
};

// Reads the gateway's command line (CLI11, program::parse): the options to
// run with, or the exit code to end with at once — 0 after --help, 2 after
// a mistake — once what was wrong and the usage are written out.
std::variant<Options, int> parse_options(int argc, const char* const* argv);

}  // namespace fieldflow::gateway
