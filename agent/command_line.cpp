#include "agent/command_line.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fieldflow::agent {

const char* const usage =
    "usage: fieldflow-agent --state DIR COMMAND [options]\n"
    "commands:\n"
    "  init --device ID --rep ID [--credential TOKEN]\n"
    "                                       bind this handheld to a device id and a rep (once);\n"
    "                                       TOKEN is what `fieldflow device enroll` printed\n"
    "  checkin --terminal ID (--lat DEG --lon DEG --accuracy M | --gps DEVICE | --gps-replay FILE\n"
    "                          | --gpsd HOST:PORT)\n"
    "          [--max-fix-age S] [--max-accuracy M] [--gps-wait S]\n"
    "                                       open a visit (closes an open one automatically)\n"
    "  count --product ID --qty N [--lot L] count stock in the open visit\n"
    "  checkout                             close the open visit\n"
    "  sync --gateway HOST:PORT [--ca FILE] [--batch N] [--retry-for SECONDS]\n"
    "                                       upload the outbox; exits 0 when it is empty,\n"
    "                                       75 when the gateway stayed unreachable;\n"
    "                                       over TLS, verified against the CA in FILE\n"
    "                                       (required unless the gateway is on loopback)\n"
    "  status [--json]                      outbox depth, open visit, last ack\n"
    "  scan --image FILE... [--count]       read every barcode in camera frames (PNG, JPEG, PGM, "
    "WebP)\n"
    "  scan --line [--from DEVICE] [--count]\n"
    "                                       one code per line from a scan engine (stdin or "
    "DEVICE),\n"
    "                                       AIM prefix (]C1, ]d2, ...) and GS separators "
    "understood\n"
    "  catalog --products FILE              load products.csv, for counting by scanning\n"
    "  sales --product ID --qty N [--since DATE]        terminal sales since the last visit\n"
    "  purchase --product ID --qty N --supplier ID [--lot L]   stock the terminal received\n"
    "  promotion --product ID --kind K --price YUAN --from DATE --to DATE\n"
    "  display --product ID --facings N --position POS [--special] [--photo FILE]\n"
    "  competitor --brand B --product TEXT [--price YUAN] [--note TEXT]\n"
    "  distributor-stock --distributor ID --product ID --qty N --date DATE [--lot L]\n"
    "  upload flows|stock FILE [--encoding utf-8|gbk]\n"
    "                                       a distributor's flow data or stock report (CSV),\n"
    "                                       one record per row, queued together\n"
    "  (any capture above takes --corrects SEQ: it corrects that earlier record, which is kept)\n"
    "  verdicts [--last N]                  what the gateway flagged or rejected, in plain words\n"
    "  config --outbox-limit N              refuse capture once N records wait for the gateway\n";

CommandLine::CommandLine(const std::vector<std::string>& args,
                         const std::map<std::string, std::vector<OptionSpec>>& commands) {
    std::size_t i = 0;
    if (i < args.size() && args[i] == "--state") {
        if (i + 1 >= args.size()) throw UsageError("--state needs a directory");
        state_ = args[i + 1];
        i += 2;
    }
    if (state_.empty()) throw UsageError("--state DIR must come first");
    if (i >= args.size()) throw UsageError("no command given");
    command_ = args[i++];
    auto spec = commands.find(command_);
    if (spec == commands.end()) throw UsageError("unknown command \"" + command_ + "\"");

    bool takes_words = std::any_of(spec->second.begin(), spec->second.end(),
                                   [](const OptionSpec& o) { return *o.name == '\0'; });
    for (; takes_words && i < args.size() && args[i].rfind("--", 0) != 0; ++i)
        words_.push_back(args[i]);
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument \"" + arg + "\"");
        std::string name = arg.substr(2);
        const OptionSpec* option = nullptr;
        for (const auto& o : spec->second)
            if (name == o.name) option = &o;
        if (!option) throw UsageError(command_ + " has no option " + arg);
        if (option->takes_list) {
            flags_.insert(name);
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
                rest_.push_back(args[++i]);
            continue;
        }
        if (!option->takes_value) {
            flags_.insert(name);
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
        values_[name] = args[++i];
    }
    for (const auto& o : spec->second)
        if (o.required && !values_.count(o.name))
            throw UsageError(command_ + " needs --" + std::string(o.name));
}

std::optional<std::string> CommandLine::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string CommandLine::required(const std::string& name) const {
    auto v = value(name);
    if (!v || v->empty()) throw UsageError("--" + name + " needs a non-empty value");
    return *v;
}

double CommandLine::number(const std::string& name) const {
    std::string text = required(name);
    double out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out))
        throw UsageError("--" + name + " expects a number, got \"" + text + "\"");
    return out;
}

long long CommandLine::integer(const std::string& name) const {
    std::string text = required(name);
    long long out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size())
        throw UsageError("--" + name + " expects a whole number, got \"" + text + "\"");
    return out;
}

std::optional<long long> CommandLine::integer_or(const std::string& name) const {
    if (!value(name)) return std::nullopt;
    return integer(name);
}

}  // namespace fieldflow::agent
