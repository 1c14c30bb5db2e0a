// Pieces of plan files written inline by the plan tests and the build command's tests.
#pragma once

#include <string>

namespace planmap::test {

inline const char* kPlanHeader = R"([plan]
id = "t"
name_zh = "测试"
name_en = "Test"
source = "test"
)";

// An element with authored geometry only (no base data needed).
inline std::string point_element(const std::string& id, const std::string& extra = "") {
    return "\n[[element]]\nid = \"" + id +
           "\"\nkind = \"node\"\nname_zh = \"点\"\nname_en = \"Point\"\nprecision = \"indicative\"\nsource_ref = \"x\"\n"
           "point = [121.4, 28.6]\n" + extra;
}

// A zone element whose geometry keys are given as TOML lines.
inline std::string zone_element(const std::string& id, const std::string& geometry) {
    return "\n[[element]]\nid = \"" + id +
           "\"\nkind = \"zone\"\nname_zh = \"区\"\nname_en = \"Zone\"\nprecision = \"schematic\"\nsource_ref = \"x\"\n" + geometry;
}

}  // namespace planmap::test
