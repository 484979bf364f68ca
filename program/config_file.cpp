#include "program/config_file.h"

#include <toml++/toml.h>

#include <cctype>
#include <cstring>
#include <iostream>
#include <sstream>

namespace fieldflow::program {

namespace {

std::string place(const std::string& file, std::size_t line) {
    return file + " line " + std::to_string(line);
}

// A TOML value as the text a flag would have been given.
std::optional<std::string> as_flag_text(const toml::node& value) {
    if (auto text = value.as_string()) return text->get();
    if (auto number = value.as_integer()) return std::to_string(number->get());
    if (auto yes = value.as_boolean()) return yes->get() ? "true" : "false";
    if (auto real = value.as_floating_point()) {
        std::ostringstream out;
        out.precision(17);
        out << real->get();
        return out.str();
    }
    return std::nullopt;
}

// "fieldflow-gateway --help", "fieldflow-agent serve --help".
std::string help_command(const CLI::App& app) {
    std::string command = app.get_name();
    for (const auto* parent = app.get_parent(); parent != nullptr; parent = parent->get_parent())
        command.insert(0, parent->get_name() + " ");
    command += " --help";
    return command;
}

}  // namespace

std::vector<CLI::ConfigItem> TomlConfig::from_config(std::istream& input) const {
    lines_.clear();
    file_ = file();
    if (file_.empty()) file_ = "the config file";
    toml::table table;
    try {
        table = toml::parse(input);
    } catch (const toml::parse_error& e) {
        throw CLI::ConfigError(place(file_, e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
    std::vector<CLI::ConfigItem> found;
    for (const auto& [key, value] : table) {
        std::string name(key.str());
        auto at = place(file_, key.source().begin.line);
        auto refuse = [&at](const std::string& why) {
            std::string message = at;
            message += ": ";
            message += why;
            return CLI::ConfigError(message);
        };
        const auto* option = keys_.get_option_no_throw("--" + name);
        if (option == nullptr || name == "config" || name == "check-config" || name == "help")
            throw refuse("unknown key \"" + name +
                         "\" (the keys are the long flags' names without the dashes; "
                         "see " +
                         help_command(keys_) + ")");
        CLI::ConfigItem item;
        item.name = name;
        for (const auto* command = &keys_; command->get_parent() != nullptr;
             command = command->get_parent())
            item.parents.insert(item.parents.begin(), command->get_name());
        if (const auto* list = value.as_array()) {
            for (const auto& element : *list) {
                auto text = as_flag_text(element);
                if (!text)
                    throw refuse("key \"" + name +
                                 "\" holds a list of lists or tables; give texts or "
                                 "numbers");
                item.inputs.push_back(*text);
            }
        } else if (auto text = as_flag_text(value)) {
            item.inputs.push_back(*text);
        } else {
            throw refuse("key \"" + name +
                         "\" is a table or a date; give a text, a number or true/false "
                         "(every setting is a top-level key)");
        }
        // A flag on the command line wins, and CLI11 drops the file's value.
        if (option->empty()) lines_[name] = key.source().begin.line;
        found.push_back(std::move(item));
    }
    return found;
}

std::string TomlConfig::to_config(const CLI::App* app, bool default_also, bool write_description,
                                  std::string prefix) const {
    return CLI::ConfigTOML().to_config(app, default_also, write_description, std::move(prefix));
}

std::string TomlConfig::where(const std::string& message) const {
    for (const auto& [name, line] : lines_) {
        auto flag = "--" + name;
        // CLI11 names the flag first: "--max-connections: Value 0 not in ..."
        // or "Could not convert: --max-connections = x".
        auto found = message.find(flag);
        if (found == std::string::npos) continue;
        auto after = found + flag.size();
        if (after < message.size() &&
            (std::isalnum(static_cast<unsigned char>(message[after])) || message[after] == '-'))
            continue;
        return place(file_, line) + ", key " + name;
    }
    return {};
}

std::string TomlConfig::file() const {
    const auto* program = &keys_;
    while (program->get_parent() != nullptr) program = program->get_parent();
    const auto* config = program->get_config_ptr();
    return config != nullptr && config->count() > 0 ? config->as<std::string>() : std::string();
}

std::optional<std::vector<std::string>> as_config_check(int argc, const char* const* argv) {
    std::vector<std::string> args(argv, argv + argc);
    bool check = false;
    for (auto& arg : args) {
        if (arg == "--check-config" || arg.rfind("--check-config=", 0) == 0) {
            arg.replace(0, std::strlen("--check-config"), "--config");
            check = true;
        }
    }
    if (!check) return std::nullopt;
    return args;
}

int check_config(CLI::App& app, const TomlConfig& config, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    argv.reserve(args.size());
    for (const auto& arg : args) argv.push_back(arg.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        auto place = config.where(e.what());
        std::cerr << (place.empty() ? "" : place + ": ") << e.what() << '\n';
        return 1;
    }
    std::cout << config.file() << ": valid\n";
    return 0;
}

}  // namespace fieldflow::program
