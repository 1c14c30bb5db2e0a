// GB/T 13989-2012 国家基本比例尺地形图分幅和编号: the sheet number of a point at a series scale.
// 1:1,000,000 sheets are 6° × 4° (row letter A–V from the equator, column 1–60 from 180°W);
// 1:500,000 … 1:5,000 add the scale code (B–H) and a 3-digit row (from the north edge of the
// 1:1M sheet) and 3-digit column (from its west edge), e.g. J50E001010. 1:2,000 uses I with
// 3 digits; 1:1,000 (J) and 1:500 (K) use 4-digit rows and columns.
#pragma once

#include <string>

namespace planmap::render {

struct SheetSeries {
    long denominator;   // 1,000,000 … 500
    char code;          // ' ' for 1:1M, else B…K
    double dlon_deg, dlat_deg;
};

// The series scale nearest to 1:denominator (in log terms), between 1:500 and 1:1,000,000.
const SheetSeries& nearest_series(double denominator);
// The sheet number of (lon, lat) in CGCS2000 degrees at a series scale. Throws usage_error when
// the scale is not a series scale or the point is outside ±88° latitude.
std::string sheet_number(double lon, double lat, long denominator);

}  // namespace planmap::render
