// Bytes as they arrive on an agent's connection, read as the gateway's
// session reads them: the segment table first and the announced size
// checked against the frame limit, then the message under traversal and
// nesting limits, a deflated batch inflated within the frame limit; every
// record of a batch decoded and judged.

#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/visit_rules.h"
#include "fuzz/fuzz_master.h"
#include "schemas/record_codec.h"
#include "schemas/frame.h"
#include "schemas/protocol.capnp.h"

using namespace fieldflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wire::ReadLimits limits;
    limits.max_frame_bytes = 1 << 20;
    std::vector<capnp::word> words(size / sizeof(capnp::word));
    if (!words.empty()) std::memcpy(words.data(), data, words.size() * sizeof(capnp::word));
    std::size_t have = std::min(words.size(), wire::frame_prefix_words);
    if (have < wire::frame_prefix_words) return 0;
    std::size_t announced;
    while ((announced = wire::announced_frame_words(kj::arrayPtr(words.data(), have))) > have) {
        if (announced * sizeof(capnp::word) > limits.max_frame_bytes || announced > words.size())
            return 0;  // refused, or the connection would wait for more
        have = announced;
    }
    try {
        capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), announced),
                                             limits.reader_options());
        auto message = reader.getRoot<wire::ClientMessage>();
        if (message.isHello()) {
            auto hello = message.getHello();
            (void)hello.getDeviceId().size();
            (void)hello.getRepId().size();
            (void)hello.getCredential().size();
            return 0;
        }
        std::optional<capnp::FlatArrayMessageReader> inflated_reader;
        wire::Inflated inflated;
        capnp::List<capnp::Data>::Reader records;
        if (message.isBatch()) {
            records = message.getBatch().getRecords();
        } else if (message.isDeflatedBatch()) {
            inflated = wire::inflate_bytes(message.getDeflatedBatch(), limits.max_frame_bytes);
            if (!inflated.error.empty()) return 0;
            inflated_reader.emplace(inflated.words, limits.reader_options());
            records = inflated_reader->getRoot<wire::Batch>().getRecords();
        } else {
            return 0;
        }
        std::optional<core::OpenVisit> open;
        for (auto bytes : records) {
            auto raw = std::span(reinterpret_cast<const std::byte*>(bytes.begin()), bytes.size());
            auto decoded = wire::decode_record(raw, limits);
            if (!decoded.record) continue;
            auto verdict = core::validate(*decoded.record, fuzz::master_data(), open);
            open = core::next_open_visit(*decoded.record, verdict, open);
        }
    } catch (const kj::Exception&) {
        // A malformed frame: the session answers malformed_frame.
    }
    return 0;
}
