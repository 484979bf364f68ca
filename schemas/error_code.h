#pragma once
// The codes of ServerMessage.error, named once for both sides: the gateway's
// session sends them and the agent's sync reacts to them. The wire carries
// the name (Error.code is Text), so an agent older than a code still shows
// it; docs/protocol.md says what each means and how an agent reacts.

#include <string_view>

namespace fieldflow::wire {

enum class ErrorCode {
    malformed_frame,
    frame_too_large,
    handshake_required,
    protocol_version,
    too_many_records,
    timeout,
    store_unavailable,
    unauthenticated,
    // A name this build does not know, from a newer gateway: never sent.
    // The agent treats it as a dropped connection and retries with backoff.
    // Stays last: the name table is sized by it.
    unknown,
};

// The stable snake_case name sent on the wire.
std::string_view name(ErrorCode code);

// The code a name read from the wire stands for; ErrorCode::unknown for a
// name this build does not know.
ErrorCode error_code_from_name(std::string_view name);

}  // namespace fieldflow::wire
