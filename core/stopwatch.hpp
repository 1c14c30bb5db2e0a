// Wall-clock timing of the steps of a run (the timings_s of the JSON summaries).
#pragma once

#include <chrono>

namespace planmap::core {

// Wall-clock seconds since construction (or the last lap).
class Stopwatch {
public:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    double lap() {
        auto now = std::chrono::steady_clock::now();
        double s = std::chrono::duration<double>(now - start_).count();
        start_ = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace planmap::core
