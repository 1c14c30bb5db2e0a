#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace planmap::cli {

bool progress_enabled(const std::ostream& err, bool quiet) {
    return !quiet && &err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::ostream& err, std::string label, bool enabled)
    : err_(err), label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() {
    if (drawn_) err_ << "\r\033[K" << std::flush;  // clear the bar; results follow on their own lines
}

std::string Progress::line(const std::string& label, std::size_t done, std::size_t total, double seconds) {
    char buf[160];
    if (total > 0) {
        const int width = 30;
        double f = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
        int filled = static_cast<int>(f * width);
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.append(static_cast<std::size_t>(width - filled), '.');
        std::snprintf(buf, sizeof buf, "%s [%s] %3.0f%% %zu/%zu %.1fs", label.c_str(), bar.c_str(), f * 100, done, total,
                      seconds);
    } else {
        std::snprintf(buf, sizeof buf, "%s %zu %.1fs", label.c_str(), done, seconds);
    }
    return buf;
}

void Progress::update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
    last_ = now;
    drawn_ = true;
    double s = std::chrono::duration<double>(now - start_).count();
    err_ << "\r" << line(label_, done, total, s) << "\033[K" << std::flush;
    if (total > 0 && done >= total) {  // complete: clear the bar so results print on a clean line
        err_ << "\r\033[K" << std::flush;
        drawn_ = false;
    }
}

std::function<void(std::size_t, std::size_t)> progress_callback(std::ostream& err, bool quiet, const std::string& label) {
    if (!progress_enabled(err, quiet)) return {};
    auto bar = std::make_shared<Progress>(err, label, true);
    return [bar](std::size_t done, std::size_t total) { bar->update(done, total); };
}

}  // namespace planmap::cli
