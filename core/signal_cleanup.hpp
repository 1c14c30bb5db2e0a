// Cleanup that must happen when the user interrupts: while a SignalCleanup is alive, SIGINT,
// SIGTERM and SIGHUP run its cleanup on a watcher thread (the handler itself only writes the
// signal number to a pipe, which is async-signal-safe), then the signal's earlier action is
// restored and the signal raised again, so the process ends with the status the signal gives (or
// an earlier handler runs). A second signal during the cleanup takes the earlier action at once.
#pragma once

#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

namespace planmap::core {

class SignalCleanup {
public:
    // Signals ignored when the guard is made (nohup) stay ignored. Only one guard is active per
    // process: one made while another is alive does nothing.
    explicit SignalCleanup(std::function<void(int signal)> cleanup);
    // Restores the earlier actions; when a signal came, waits for its cleanup (after which the
    // process normally ends).
    ~SignalCleanup();
    SignalCleanup(const SignalCleanup&) = delete;
    SignalCleanup& operator=(const SignalCleanup&) = delete;

    bool active() const { return active_; }

private:
    void watch();
    void restore();

    std::function<void(int)> cleanup_;
    int pipe_[2] = {-1, -1};
    bool active_ = false;
    bool installed_[3] = {false, false, false};
    struct sigaction old_[3];
    std::mutex mutex_;
    bool restored_ = false;
    std::thread watcher_;
};

}  // namespace planmap::core
