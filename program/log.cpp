#include "program/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <map>

namespace fieldflow::program {

Log::Log(spdlog::level::level_enum level)
    : sink_(std::make_shared<spdlog::sinks::stderr_sink_mt>()), level_(level) {
    sink_->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %n: %v");
}

std::shared_ptr<spdlog::logger> Log::component(const std::string& name) const {
    auto logger = std::make_shared<spdlog::logger>(name, sink_);
    logger->set_level(level_);
    // A warning or worse reaches the journal at once, whatever follows.
    logger->flush_on(spdlog::level::warn);
    return logger;
}

namespace {

const std::map<std::string, spdlog::level::level_enum>& log_levels() {
    static const std::map<std::string, spdlog::level::level_enum> levels = {
        {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
        {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
        {"off", spdlog::level::off}};
    return levels;
}

}  // namespace

void add_log_level(CLI::App& app, spdlog::level::level_enum& level) {
    app.add_option("--log-level", level, "How much to log")
        ->transform(CLI::CheckedTransformer(log_levels(), CLI::ignore_case))
        ->default_str("info");
}

std::string log_level_name(spdlog::level::level_enum level) {
    for (const auto& [name, value] : log_levels())
        if (value == level) return name;
    return std::to_string(static_cast<int>(level));
}

}  // namespace fieldflow::program
