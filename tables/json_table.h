#pragma once
// Tables from the JSON the console's pages and the command line already
// build, so that a download holds what the page shows, and a column a
// report gains appears in it without a change here.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "tables/table.h"

namespace fieldflow::tables {

// What a table is called: the sheet's name and the downloaded file's.
struct Title {
    std::string english, chinese;
    const std::string& in(Language language) const {
        return language == Language::chinese ? chinese : english;
    }
};

// The columns known for `table` ("ledger", "channel", "terminal_purchases",
// "anomalies", "review", "effectiveness.reps", ".grades", ".terminals",
// ".plan"),
// in the order shown, with their headings and kinds.
const std::vector<Column>& known_columns(std::string_view table);
Title title_of(std::string_view table);

// The columns of `rows` (JSON objects): the known ones that some row has,
// in their order, then any other key, headed by its name, a number column
// when its values are numbers.
std::vector<Column> columns_of(const nlohmann::json& rows, const std::vector<Column>& known);
// One row's cells in the order of `columns`: yes or no (是 or 否) for a
// true or false, and a value that is neither text, a number nor those (a
// list, an object) as its JSON.
Row cells_of(const nlohmann::json& row, const std::vector<Column>& columns,
             Language language = Language::english);

}  // namespace fieldflow::tables
