#include "gateway/enrolment_qr.h"

#include <qrencode.h>

#include <memory>

namespace fieldflow::gateway {

std::optional<QrModules> qr_modules(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return std::nullopt;
    QrModules out;
    out.width = code->width;
    out.dark.reserve(static_cast<std::size_t>(code->width) * code->width);
    for (int i = 0; i < code->width * code->width; ++i)
        out.dark.push_back((code->data[i] & 1) != 0);
    return out;
}

std::string qr_svg(const QrModules& modules) {
    constexpr int quiet = 4;
    int side = modules.width + 2 * quiet;
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                      std::to_string(side) + " " + std::to_string(side) +
                      "\" shape-rendering=\"crispEdges\"><rect width=\"" + std::to_string(side) +
                      "\" height=\"" + std::to_string(side) + "\" fill=\"#fff\"/><path d=\"";
    for (int y = 0; y < modules.width; ++y)
        for (int x = 0; x < modules.width; ++x)
            if (modules.dark[static_cast<std::size_t>(y) * modules.width + x])
                out +=
                    "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    out += "\" fill=\"#000\"/></svg>";
    return out;
}

}  // namespace fieldflow::gateway
