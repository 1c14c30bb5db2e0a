// Small text helpers shared by every module's messages and reports.
#pragma once

#include <string>

namespace planmap::core {

// `v` with exactly `decimals` digits after the point ("%.*f"): fixed(1234.5678, 2) = "1234.57".
std::string fixed(double v, int decimals);
// `v` with at most `decimals` digits after the point, trailing zeros dropped, as planners write
// figures: trimmed(76.450, 2) = "76.45", trimmed(90.0, 2) = "90".
std::string trimmed(double v, int decimals);

}  // namespace planmap::core
