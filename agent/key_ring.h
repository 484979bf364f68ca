#pragma once
// Where an unlocked data key waits for the next command: the kernel's
// keyring of the user the agent runs as. Each CLI command is a process of
// its own, and `serve` and the CLI share one outbox, so the key one of them
// unlocked has to outlive it, but never on the flash: the kernel keeps it in
// memory, forgets it at its timeout, and a power-off forgets it for good.
// Where the kernel keeps no keys for the agent (a container's seccomp
// profile forbids it), the key stays in this process only: `serve` still
// unlocks for its own threads, and a CLI command is told why it cannot.

#include <chrono>
#include <optional>
#include <string>

#include "agent/sealing.h"

namespace fieldflow::agent {

enum class Held { by_the_kernel, by_this_process };

// Keeps `key` under `key_id` for `hold` (replacing any key held under it).
Held hold_key(const std::string& key_id, const DataKey& key, std::chrono::seconds hold);
std::optional<DataKey> held_key(const std::string& key_id);
void forget_key(const std::string& key_id);

}  // namespace fieldflow::agent
