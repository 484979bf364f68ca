#pragma once
// What a handheld scans to enrol: the enrolment URI (core/enrolment_uri.h:
// the gateway's address for agents, the device, its rep and its
// credential) drawn as a QR code (libqrencode) in SVG.

#include <optional>
#include <string>
#include <vector>

namespace fieldflow::gateway {

// A QR code's modules, row by row, true for dark; `width` on each side,
// without the quiet zone.
struct QrModules {
    int width = 0;
    std::vector<bool> dark;
};

// Error correction M (15 %): a phone screen or a printout with a smudge
// still reads. nullopt when the text does not fit a QR code.
std::optional<QrModules> qr_modules(const std::string& text);

// The modules as one SVG path of unit squares inside a four-module quiet
// zone, scaled by the viewer: crisp at any size, a few kilobytes.
std::string qr_svg(const QrModules& modules);

}  // namespace fieldflow::gateway
