// A table sheet (A4 landscape PDF): title, subtitle, a table whose cells wrap and whose rows may
// carry a status colour, and a footer. Used for the indicator table a bureau asks for (城市体检 /
// plan assessment). The font shrinks (to 6 pt) until the table fits one page; a longer table
// goes on over further pages, each with the title and the header row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "styles/color.hpp"

namespace planmap::render {

struct TableSheet {
    std::string title, subtitle, footer;
    std::vector<std::string> header;
    std::vector<double> widths;  // relative column widths (one per header cell)
    std::vector<std::vector<std::string>> rows;
    std::vector<std::optional<styles::Color>> row_marks;  // per row: colour of its last cell's box (none: plain)
};

// Writes the sheet as a PDF (atomically); throws usage_error when columns and widths disagree.
// Returns the font size used, in pt.
double write_table_sheet(const TableSheet& sheet, const std::string& output);

}  // namespace planmap::render
