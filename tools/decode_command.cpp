// `fieldflow decode IMAGE...`: every barcode in each image as one JSON object
// per line — what the reader saw and what the content means. An image with
// no barcode prints nothing; only an unreadable file makes the exit code 1.

#include <capnp/compat/json.h>
#include <capnp/message.h>

#include <chrono>
#include <iostream>

#include "core/scan_content.h"
#include "scan/image.h"
#include "scan/reader.h"
#include "tools/commands.h"

namespace fieldflow::tools {

namespace {

int current_year() {
    using namespace std::chrono;
    return static_cast<int>(year_month_day{floor<days>(system_clock::now())}.year());
}

// Fields of one output line, in order; values are strings unless noted.
struct Line {
    std::vector<std::pair<std::string, std::string>> text;
    void add(std::string name, std::string value) {
        text.emplace_back(std::move(name), std::move(value));
    }
};

std::string encode(const Line& line) {
    capnp::MallocMessageBuilder message;
    auto fields =
        message.initRoot<capnp::JsonValue>().initObject(static_cast<unsigned>(line.text.size()));
    for (unsigned i = 0; i < line.text.size(); ++i) {
        fields[i].setName(line.text[i].first);
        fields[i].initValue().setString(line.text[i].second);
    }
    return capnp::JsonCodec().encodeRaw(message.getRoot<capnp::JsonValue>().asReader()).cStr();
}

}  // namespace

int decode_command(const DecodeOptions& o) {
    int status = 0;
    int year = current_year();
    for (const auto& file : o.images) {
        auto load = scan::load_image(file);
        if (!load.image) {
            std::cerr << "fieldflow decode: " << load.error << '\n';
            status = 1;
            continue;
        }
        for (const auto& d : scan::read_barcodes(*load.image)) {
            auto content = core::classify(d.content(), d.symbology, year);
            Line line;
            line.add("file", file);
            line.add("format", std::string(core::name(d.symbology)));
            line.add("text", d.text);
            if (!d.aim.empty()) line.add("symbology_id", d.aim);
            line.add("content", std::string(core::name(content.kind)));
            if (content.gtin) line.add("gtin", *content.gtin);
            if (content.lot) line.add("lot", *content.lot);
            if (content.expiry) line.add("expiry", content.expiry->iso());
            if (content.serial) line.add("serial", *content.serial);
            if (content.sscc) line.add("sscc", *content.sscc);
            if (content.count) line.add("count", std::to_string(*content.count));
            if (content.drug_code) {
                line.add("drug_code", content.drug_code->text());
                line.add("drug_code_prefix", content.drug_code->prefix);
                line.add("drug_code_serial", content.drug_code->serial);
                line.add("drug_code_verification", content.drug_code->verification);
            }
            if (!content.problem.empty()) line.add("problem", content.problem);
            std::cout << encode(line) << '\n';
        }
    }
    return status;
}

}  // namespace fieldflow::tools
