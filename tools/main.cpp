// fieldflow: the operators' command line over the gateway's store and the
// master data. The commands are in the fieldflow::tools library
// (tools/command_line.h); this only wires them to the process.

#include "program/command_line.h"
#include "program/log.h"
#include "tools/command_line.h"

int main(int argc, char** argv) {
    fieldflow::tools::CommandLine command_line;
    if (auto exit = fieldflow::program::parse(command_line.app(), argc, argv)) return *exit;
    fieldflow::program::Log log(command_line.log_level());
    return command_line.run(log);
}
