// JSON text as planmap writes it: text that is not valid UTF-8 (a zone name read from a GBK
// shapefile, a damaged attribute) is written with U+FFFD in place of the bad bytes, never an
// exception after the other outputs are already written.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace planmap::core {

// j.dump(indent) with invalid UTF-8 replaced; indent < 0: one line.
inline std::string json_text(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace planmap::core
