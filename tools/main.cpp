// fieldflow: the operators' command line over the gateway's store and the
// master data.

#include <iostream>

#include "tools/commands.h"

namespace {

const char* const usage =
    "usage: fieldflow COMMAND [options]\n"
    "commands:\n"
    "  records --db FILE [--verdict V] [--kind K] [--device D]\n"
    "                      every stored record as one JSON object per line\n"
    "  summary --db FILE   counts by verdict and kind, and the most frequent reasons\n"
    "  device enroll --device ID --rep ID --db DB [--master DIR]\n"
    "                      enrol a handheld; prints its credential once\n"
    "  device revoke DEVICE --db DB | device list --db DB\n"
    "  operator add NAME --role viewer|reviewer|admin --db DB   (password on stdin)\n"
    "  operator remove NAME --db DB | operator list --db DB\n"
    "                      who may log in to the gateway's web pages\n"
    "  loadgen --gateway HOST:PORT --master DIR [--agents N] [--records M] [--batch B] [--db DB]\n"
    "          [--rate R] [--mix KIND=N,...] [--prefix P] [--first-device N] [--ca FILE]\n"
    "                      simulated handhelds: committed records/s, ack latency, exactly once\n"
    "  audit verify|list --db DB\n"
    "                      check the hash-chained audit log against the stored rows\n"
    "  decode IMAGE...     every barcode in the images as JSON lines, with parsed fields\n"
    "  masterdata generate --out DIR [--seed N] [--terminals N] [--reps N]\n"
    "                      write a consistent sample of master data\n"
    "  effectiveness --period YYYY-MM --db DB --master DIR [--view grades|reps|terminals]\n"
    "                [--targets A=4,B=3,C=1]\n"
    "                      visits per rep and day, minutes in store, A/B/C coverage\n"
    "distribution books:\n"
    "  import shipments|flows|stock|opening FILE --db DB [--encoding utf-8|gbk]\n"
    "  ledger --period YYYY-MM --db DB --master DIR [--format csv|json]\n"
    "         [--view holders|terminals|channel]\n"
    "  anomalies [--period YYYY-MM] --db DB --master DIR [--format csv|json]\n"
    "            [--tolerance-units N] [--tolerance-percent P]\n"
    "  period close|reopen|list [YYYY-MM] --db DB [--reason TEXT] [--by NAME]\n"
    "  flows adjust FLOW_ID --qty N|--buyer ID|--lot LOT|--date D --reason TEXT --db DB\n"
    "  flows adjustments --db DB\n"
    "  demo-data --out DIR [--seed N] [--terminals N] [--months N] [--orders N] [--anomalies N]\n"
    "            write master data and books with known anomalies and their answer key\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace fieldflow::tools;
    if (argc < 2) {
        std::cerr << usage;
        return 2;
    }
    std::string command = argv[1];
    Args args(argv + 2, argv + argc);
    if (command == "records") return records_command(args);
    if (command == "summary") return summary_command(args);
    if (command == "masterdata") return masterdata_command(args);
    if (command == "decode") return decode_command(args);
    if (command == "import") return import_command(args);
    if (command == "ledger") return ledger_command(args);
    if (command == "anomalies") return anomalies_command(args);
    if (command == "period") return period_command(args);
    if (command == "flows") return flows_command(args);
    if (command == "demo-data") return demo_data_command(args);
    if (command == "effectiveness") return effectiveness_command(args);
    if (command == "device") return device_command(args);
    if (command == "operator") return operator_command(args);
    if (command == "audit") return audit_command(args);
    if (command == "loadgen") return loadgen_command(args);
    if (command == "--help" || command == "help") {
        std::cout << usage;
        return 0;
    }
    std::cerr << "fieldflow: unknown command \"" << command << "\"\n" << usage;
    return 2;
}
