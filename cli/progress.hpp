// A progress bar on stderr for long steps, drawn only when stderr is a terminal and the user did
// not ask for --quiet; nothing at all otherwise (logs and pipes stay clean).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <iosfwd>
#include <string>

namespace planmap::cli {

class Progress {
public:
    // enabled: draw at all (see progress_enabled()).
    Progress(std::ostream& err, std::string label, bool enabled);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // done of total (total 0: unknown, a counter is shown instead of a bar).
    void update(std::size_t done, std::size_t total);
    // The line as drawn for done/total, without the carriage return (for tests).
    static std::string line(const std::string& label, std::size_t done, std::size_t total, double seconds);

private:
    std::ostream& err_;
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

// True when the stream is the process's stderr and that is a terminal, and not quiet.
bool progress_enabled(const std::ostream& err, bool quiet);

// A callback drawing a bar labelled `label` on err (for layers::ReadOptions::progress); empty when
// progress_enabled is false.
std::function<void(std::size_t, std::size_t)> progress_callback(std::ostream& err, bool quiet, const std::string& label);

}  // namespace planmap::cli
