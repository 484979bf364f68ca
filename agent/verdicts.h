#pragma once
// What the gateway said about a record, in words a rep standing in the
// store can act on.

#include <string>

#include "agent/outbox.h"

namespace fieldflow::agent {

// E.g. "record 5, check-in, flagged: checked in away from the store — 600 m
// from T002 (radius 140 m, fix accuracy 12 m)".
std::string in_plain_words(const Acked& acked);

}  // namespace fieldflow::agent
