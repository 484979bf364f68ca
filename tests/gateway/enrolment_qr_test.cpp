// The enrolment QR code as the console serves it: the SVG itself is drawn
// back into pixels and read with the project's own scanner, which must
// find exactly the enrolment URI.

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "core/enrolment_uri.h"
#include "gateway/enrolment_qr.h"
#include "scan/reader.h"

using namespace fieldflow;

namespace {

// The SVG's path ("Mx yh1v1h-1z" per module) painted at `scale` pixels a module.
scan::GrayImage rasterise(const std::string& svg, int scale) {
    std::smatch box;
    REQUIRE(std::regex_search(svg, box, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
    int side = std::stoi(box[1]);
    scan::GrayImage image{side * scale, side * scale,
                          std::vector<std::uint8_t>(std::size_t(side * scale) * side * scale, 255)};
    std::regex module("M(\\d+) (\\d+)h1v1h-1z");
    int painted = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), module);
         it != std::sregex_iterator(); ++it, ++painted) {
        int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]);
        for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < scale; ++dx)
                image.pixels[std::size_t(y * scale + dy) * image.width + x * scale + dx] = 0;
    }
    REQUIRE(painted > 0);
    return image;
}

}  // namespace

TEST_CASE("enrolment QR: the SVG drawn back into pixels reads as the enrolment URI" *
          doctest::test_suite("no gateway store")) {
    std::string credential = "ffd1." + std::string(64, 'a');
    std::string uri = core::enrolment_uri({"gw.example.cn:7700", "dev 7/上海", "R1", credential});
    CHECK(uri ==
          "fieldflow:enrol?gateway=gw.example.cn:7700&device=dev%207%2F%E4%B8%8A%E6%B5%B7"
          "&rep=R1&credential=" +
              credential);
    auto modules = gateway::qr_modules(uri);
    REQUIRE(modules);
    std::string svg = gateway::qr_svg(*modules);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    scan::ScanOptions options;
    options.budget = std::chrono::milliseconds(5000);
    auto read = scan::read_barcodes(rasterise(svg, 4), options);
    REQUIRE(read.size() == 1);
    CHECK(read[0].symbology == core::Symbology::qr);
    CHECK(read[0].text == uri);
}

TEST_CASE("enrolment QR: text too long for any QR code is refused, not truncated" *
          doctest::test_suite("no gateway store")) {
    CHECK_FALSE(gateway::qr_modules(std::string(8000, 'x')));
}
