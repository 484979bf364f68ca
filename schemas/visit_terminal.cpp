#include "schemas/visit_terminal.h"

#include <capnp/serialize.h>
#include <kj/exception.h>

#include "schemas/frame.h"
#include "schemas/record.capnp.h"

namespace fieldflow::wire {

std::optional<std::string> visit_terminal(std::span<const std::byte> raw) {
    try {
        auto words = aligned_copy(raw);
        capnp::FlatArrayMessageReader reader(words, ReadLimits{}.reader_options());
        auto payload = reader.getRoot<Envelope>().getPayload();
        if (payload.isCheckIn()) return std::string(payload.getCheckIn().getTerminal());
        if (payload.isCheckOut()) return std::string(payload.getCheckOut().getTerminal());
    } catch (const kj::Exception&) {
    }
    return std::nullopt;
}

}  // namespace fieldflow::wire
