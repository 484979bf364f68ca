#pragma once
// What a handheld scans to enrol: the gateway's address for agents, the
// device's id and its credential as one URI (docs/operations.md,
// "Enrolling from the console"),
//   fieldflow:enrol?gateway=HOST:PORT&device=ID&credential=TOKEN
// each value percent-encoded, drawn as a QR code (libqrencode) in SVG.

#include <optional>
#include <string>
#include <vector>

namespace fieldflow::gateway {

std::string enrolment_uri(const std::string& gateway, const std::string& device,
                          const std::string& credential);

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
