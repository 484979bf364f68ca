#include "agent/scan_command.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include "agent/usage_error.h"
#include <map>
#include <set>

#include "core/master_data.h"
#include "core/scan_content.h"
#include "scan/reader.h"

namespace fieldflow::agent {

namespace {

int current_year() {
    using namespace std::chrono;
    return static_cast<int>(year_month_day{floor<days>(system_clock::now())}.year());
}

std::string printable(const std::string& text) {
    std::string out;
    for (unsigned char c : text)
        out += c == 0x1d  ? std::string("<GS>")
               : c < 0x20 ? std::string("?")
                          : std::string(1, static_cast<char>(c));
    return out;
}

// Running count of one scan session: a serialised pack counts once however
// often it is scanned; an unserialised pack counts each time.
class Tally {
  public:
    explicit Tally(const std::vector<Outbox::CatalogEntry>& catalog)
        : master_(catalog_master(catalog)) {}

    // What happened to this pack, for the rep.
    std::string add(const core::ScanContent& content) {
        if (content.kind == core::ContentKind::raw) return "not counted: " + content.problem;
        const core::Product* product = core::product_for(master_, content);
        if (!product) return "not counted: not in the handheld's catalogue";
        auto pack = content.pack_identity();
        if (!pack.empty() && !packs_.insert(pack).second) return "already counted";
        auto& qty = counts_[{product->id, content.lot.value_or("")}];
        ++qty;
        return "counted: " + product->id + " " + product->name +
               (content.lot ? " lot " + *content.lot : "") + " (" + std::to_string(qty) + ")";
    }

    std::vector<Outbox::ScannedCount> counts() const {
        std::vector<Outbox::ScannedCount> out;
        for (const auto& [key, qty] : counts_) out.push_back({key.first, key.second, qty});
        return out;
    }

  private:
    core::MasterData master_;
    std::set<std::string> packs_;
    std::map<std::pair<std::string, std::string>, std::int64_t> counts_;
};

std::string describe(const core::ScanContent& c) {
    if (c.drug_code)
        return "drug code " + c.drug_code->prefix + "/" + c.drug_code->serial + "/" +
               c.drug_code->verification;
    if (c.kind == core::ContentKind::raw) return "not understood (" + c.problem + ")";
    std::string text = "GTIN " + c.gtin.value_or("-");
    if (c.lot) text += " lot " + *c.lot;
    if (c.expiry) text += " expiry " + c.expiry->iso();
    if (c.serial) text += " serial " + *c.serial;
    if (c.sscc) text = "SSCC " + *c.sscc;
    return text;
}

}  // namespace

core::MasterData catalog_master(const std::vector<Outbox::CatalogEntry>& catalog) {
    core::MasterData master;
    for (const auto& e : catalog)
        master.products.emplace(
            e.product, core::Product{e.product, e.name, "", "", e.gtin, e.drug_code_prefix});
    return master;
}

std::optional<LineScan> read_scan_line(std::string line, int reference_year) {
    // Scan engines end lines with CR, LF or both.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return std::nullopt;
    if (line.size() > max_scan_line)
        throw Refused("a line of " + std::to_string(line.size()) +
                      " characters is not a barcode; nothing was saved");
    auto symbology = std::string(core::name(core::aim_prefix(line).symbology));
    auto content = core::classify(line, core::symbology_named(symbology), reference_year);
    return LineScan{0, symbology, std::move(content)};
}

void save_scan_line(Outbox& outbox, LineScan& scanned) {
    scanned.seq = outbox.scan({scanned.symbology, scanned.content.text, false, ""});
}

std::optional<LineScan> scan_line(Outbox& outbox, std::string line, int reference_year) {
    auto scanned = read_scan_line(std::move(line), reference_year);
    if (scanned) save_scan_line(outbox, *scanned);
    return scanned;
}

int scan_command(Outbox& outbox, const ScanRequest& request, std::ostream& out) {
    if (!outbox.open_visit()) throw Refused("no open visit: check in first");
    Tally tally(outbox.catalog());
    int year = current_year();
    int status = 0;

    auto said = [&](std::uint64_t seq, const std::string& symbology, const std::string& content,
                    const core::ScanContent& parsed) {
        out << "scan " << seq << " " << symbology << " " << printable(content) << ": "
            << describe(parsed);
        if (request.count) out << "; " << tally.add(parsed);
        out << '\n';
    };
    auto record = [&](const std::string& symbology, const std::string& content, bool camera,
                      const std::string& file) {
        auto seq = outbox.scan({symbology, content, camera, file});
        said(seq, symbology, content,
             core::classify(content, core::symbology_named(symbology), year));
    };

    if (request.lines) {
        std::string line;
        while (std::getline(*request.lines, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.size() > max_scan_line) {
                out << "skipped a line of " << line.size() << " characters: not a barcode\n";
                continue;
            }
            auto scanned = scan_line(outbox, line, year);
            if (!scanned) continue;
            said(scanned->seq, scanned->symbology, scanned->content.text, scanned->content);
        }
    }
    for (const auto& file : request.images) {
        auto load = scan::load_image(file);
        if (!load.image) {
            out << "cannot read " << load.error << '\n';
            status = 1;
            continue;
        }
        auto found = scan::read_barcodes(*load.image);
        if (found.empty()) out << file << ": no barcode found\n";
        for (const auto& d : found)
            record(std::string(core::name(d.symbology)), d.content(), true,
                   std::filesystem::path(file).filename().string());
    }
    if (request.count) {
        auto counts = tally.counts();
        auto seqs = outbox.scanned_counts(counts);
        for (std::size_t i = 0; i < counts.size(); ++i)
            out << "stock count " << seqs[i] << ": " << counts[i].product
                << (counts[i].lot.empty() ? "" : " lot " + counts[i].lot) << " qty "
                << counts[i].qty << '\n';
        if (counts.empty()) out << "nothing counted\n";
    }
    return status;
}

int scan_from(Outbox& outbox, const ScanSources& sources, bool count, std::istream& standard_input,
              std::ostream& out) {
    ScanRequest request;
    request.count = count;
    request.images = sources.images;
    std::ifstream device;
    if (sources.line || sources.from) {
        if (!request.images.empty())
            throw UsageError("scan takes --image FILE... or --line, not both");
        if (sources.from) {
            device.open(*sources.from, std::ios::binary);
            if (!device) throw Refused("cannot open scanner device " + *sources.from);
            request.lines = &device;
        } else {
            request.lines = &standard_input;
        }
    } else if (request.images.empty()) {
        throw UsageError("scan needs --image FILE... or --line [--from DEVICE]");
    }
    return scan_command(outbox, request, out);
}

}  // namespace fieldflow::agent
