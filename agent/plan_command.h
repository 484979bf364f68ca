#pragma once
// `fieldflow-agent plan` and `fieldflow-agent today` (docs/agent.md): the
// downloaded visit plan, and what today holds (agent/today.h), for the
// rep. Human output is Simplified Chinese under a zh_CN locale (LC_ALL,
// LC_MESSAGES, then LANG, as the operators' CLI picks it) and English
// otherwise; --json is the same in every locale, since scripts read it.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/outbox.h"
#include "agent/today.h"

namespace fieldflow::agent {

// The plan held for `day` (YYYY-MM-DD), or for every day held. Throws
// UsageError when `day` is no real date.
void print_plan(Outbox& outbox, const std::optional<std::string>& day, bool json,
                std::int64_t now_ms, std::ostream& out);

void print_today(const Today& today, bool json, std::ostream& out);

// What `today --json` prints and GET /api/today answers:
// {"day":..., "plan":[stop...], "nearby":[stop...]}.
nlohmann::json today_json(const Today& today);

// What status --json says of today's plan: {"planned":N,"done":M,"stops":[...]}.
std::string plan_today_json(const Today& today);

}  // namespace fieldflow::agent
