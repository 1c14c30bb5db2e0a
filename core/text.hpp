// Small text helpers shared by every module's messages and reports.
#pragma once

#include <string>

namespace planmap::core {

// `v` with exactly `decimals` digits after the point ("%.*f"): fixed(1234.5678, 2) = "1234.57".
std::string fixed(double v, int decimals);

}  // namespace planmap::core
