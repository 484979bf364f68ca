// What the scan engine hands `fieldflow-agent init --enrolment`: any code
// the rep aimed at. A URI that reads must write back as a URI that reads
// the same, so that the gateway's QR and the agent's reader cannot drift.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/enrolment_uri.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto read = core::read_enrolment_uri(text);
    if (!read.enrolment) return 0;
    auto again = core::read_enrolment_uri(core::enrolment_uri(*read.enrolment));
    if (!again.enrolment) std::abort();
    const auto& a = *read.enrolment;
    const auto& b = *again.enrolment;
    if (a.gateway != b.gateway || a.device != b.device || a.rep != b.rep ||
        a.credential != b.credential)
        std::abort();
    return 0;
}
