#include "gateway/options.h"

#include "net/transport.h"

#include <charconv>

namespace fieldflow::gateway {

const char* const usage =
    "usage: fieldflow-gateway --listen HOST:PORT --db FILE|URL --master DIR\n"
    "         [--durability full|normal] [--max-frame-bytes N] [--max-batch-records N]\n"
    "         [--batches-in-flight N]\n"
    "         [--handshake-timeout S] [--idle-timeout S] [--frame-timeout S] [--gateway-id NAME]\n"
    "         [--max-connections N] [--max-device-rate RECORDS_PER_S]\n"
    "         [--tls-cert FILE --tls-key FILE] [--auth enrolled|open] [--http HOST:PORT]\n"
    "         [--web DIR] [--flow-late-days N] [--silent-hours N]\n"
    "  --listen HOST:PORT   address to accept agents on; port 0 picks a free one\n"
    "  --db FILE|URL        the SQLite store (created if missing), or a PostgreSQL\n"
    "                       database that several gateways share (postgresql://...)\n"
    "  --master DIR         folder with products.csv, terminals.csv, distributors.csv, reps.csv\n"
    "  --durability         full (default): a commit survives power loss;\n"
    "                       normal: survives a crash of the process only\n"
    "  --tls-cert, --tls-key  PEM certificate chain and key: agents connect over TLS;\n"
    "                       required unless HOST is a loopback address\n"
    "  --auth               enrolled (default): devices present the credential of\n"
    "                       `fieldflow device enroll`; open: none needed (loopback only)\n"
    "  --http HOST:PORT     operators' HTTP: dashboard, review queue, /healthz, /readyz,\n"
    "                       /metrics (loopback only)\n"
    "  --web DIR            the dashboard's files (default: the source tree's web/)\n"
    "  --flow-late-days N   flag distributors without flow data for N days (default 3)\n"
    "  --silent-hours N     a device unseen for N hours is silent (default 24)\n";

namespace {

template <typename T>
bool parse_number(const std::string& text, T& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

bool split_address(const std::string& text, std::string& host, std::uint16_t& port) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return parse_number(text.substr(colon + 1), port);
}

}  // namespace

std::optional<Options> parse_options(const std::vector<std::string>& args, std::string& error) {
    Options options;
    bool have_listen = false;
    auto fail = [&](const std::string& what) {
        error = "fieldflow-gateway: " + what + "\n" + usage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") return fail("help requested");
        if (i + 1 >= args.size()) return fail(flag + " needs a value");
        const std::string& value = args[++i];
        if (flag == "--listen") {
            if (!split_address(value, options.listen_host, options.listen_port))
                return fail("--listen expects HOST:PORT, got \"" + value + "\"");
            have_listen = true;
        } else if (flag == "--db") {
            options.db = value;
        } else if (flag == "--master") {
            options.master = value;
        } else if (flag == "--gateway-id") {
            options.gateway_id = value;
        } else if (flag == "--durability") {
            if (value == "full")
                options.durability = store::Durability::full;
            else if (value == "normal")
                options.durability = store::Durability::normal;
            else
                return fail("--durability expects full or normal, got \"" + value + "\"");
        } else if (flag == "--max-frame-bytes") {
            if (!parse_number(value, options.limits.max_frame_bytes) ||
                options.limits.max_frame_bytes < 64)
                return fail("--max-frame-bytes expects a number of bytes >= 64, got \"" + value +
                            "\"");
        } else if (flag == "--max-batch-records") {
            if (!parse_number(value, options.max_batch_records) || options.max_batch_records == 0)
                return fail("--max-batch-records expects a positive number, got \"" + value + "\"");
        } else if (flag == "--batches-in-flight") {
            if (!parse_number(value, options.max_batches_in_flight) ||
                options.max_batches_in_flight == 0 || options.max_batches_in_flight > 64)
                return fail("--batches-in-flight expects a number from 1 to 64, got \"" + value +
                            "\"");
        } else if (flag == "--handshake-timeout") {
            if (!parse_number(value, options.handshake_timeout_s) ||
                options.handshake_timeout_s == 0)
                return fail("--handshake-timeout expects seconds, got \"" + value + "\"");
        } else if (flag == "--frame-timeout") {
            if (!parse_number(value, options.frame_timeout_s) || options.frame_timeout_s == 0)
                return fail("--frame-timeout expects seconds, got \"" + value + "\"");
        } else if (flag == "--max-connections") {
            if (!parse_number(value, options.max_connections) || options.max_connections == 0)
                return fail("--max-connections expects a positive number, got \"" + value + "\"");
        } else if (flag == "--max-device-rate") {
            if (!parse_number(value, options.max_device_rate) || options.max_device_rate < 0)
                return fail("--max-device-rate expects records per second, got \"" + value + "\"");
        } else if (flag == "--idle-timeout") {
            if (!parse_number(value, options.idle_timeout_s) || options.idle_timeout_s == 0)
                return fail("--idle-timeout expects seconds, got \"" + value + "\"");
        } else if (flag == "--http") {
            if (!split_address(value, options.http_host, options.http_port))
                return fail("--http expects HOST:PORT, got \"" + value + "\"");
        } else if (flag == "--web") {
            options.web_dir = value;
        } else if (flag == "--flow-late-days") {
            if (!parse_number(value, options.overview.flow_late_days) ||
                options.overview.flow_late_days == 0)
                return fail("--flow-late-days expects a number of days, got \"" + value + "\"");
        } else if (flag == "--silent-hours") {
            if (!parse_number(value, options.overview.silent_hours) ||
                options.overview.silent_hours == 0)
                return fail("--silent-hours expects a number of hours, got \"" + value + "\"");
        } else if (flag == "--tls-cert") {
            options.tls_cert = value;
        } else if (flag == "--tls-key") {
            options.tls_key = value;
        } else if (flag == "--auth") {
            if (value == "enrolled")
                options.auth = Options::Auth::enrolled;
            else if (value == "open")
                options.auth = Options::Auth::open;
            else
                return fail("--auth expects enrolled or open, got \"" + value + "\"");
        } else {
            return fail("unknown option " + flag);
        }
    }
    if (!have_listen) return fail("--listen is required");
    if (options.db.empty()) return fail("--db is required");
    if (options.master.empty()) return fail("--master is required");
    if (options.tls_cert.empty() != options.tls_key.empty())
        return fail("--tls-cert and --tls-key go together");
    if (options.tls_cert.empty() && !wire::loopback(options.listen_host))
        return fail("listening on " + options.listen_host +
                    " needs TLS: records would cross the network in clear "
                    "(--tls-cert FILE --tls-key FILE)");
    if (options.auth == Options::Auth::open && !wire::loopback(options.listen_host))
        return fail("--auth open is for loopback only: off this machine, devices must be enrolled");
    // Plain HTTP carries what operators see; off this machine it belongs
    // behind a TLS-terminating proxy, which listens on loopback's side.
    if (!options.http_host.empty() && !wire::loopback(options.http_host))
        return fail("--http " + options.http_host +
                    " is not a loopback address: serve the operators' pages through a TLS proxy");
    return options;
}

}  // namespace fieldflow::gateway
