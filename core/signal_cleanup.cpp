#include "core/signal_cleanup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace planmap::core {

namespace {

constexpr int signals[] = {SIGINT, SIGTERM, SIGHUP};
std::atomic<int> write_end{-1};  // the active guard's pipe; -1 when none
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free atomic");

extern "C" void on_signal(int sig) {
    int saved = errno;
    int fd = write_end.load();
    if (fd >= 0) {
        unsigned char b = static_cast<unsigned char>(sig);
        [[maybe_unused]] auto n = ::write(fd, &b, 1);
    }
    errno = saved;
}

}  // namespace

SignalCleanup::SignalCleanup(std::function<void(int)> cleanup) : cleanup_(std::move(cleanup)) {
    if (::pipe2(pipe_, O_CLOEXEC) != 0) return;
    int none = -1;
    if (!write_end.compare_exchange_strong(none, pipe_[1])) {
        ::close(pipe_[0]);
        ::close(pipe_[1]);
        pipe_[0] = pipe_[1] = -1;
        return;
    }
    active_ = true;
    watcher_ = std::thread([this] { watch(); });
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int s : signals) sigaddset(&sa.sa_mask, s);
    for (int i = 0; i < 3; ++i) {
        if (::sigaction(signals[i], nullptr, &old_[i]) != 0 || old_[i].sa_handler == SIG_IGN) continue;
        installed_[i] = ::sigaction(signals[i], &sa, nullptr) == 0;
    }
}

void SignalCleanup::restore() {
    std::lock_guard lock(mutex_);
    if (restored_) return;
    restored_ = true;
    for (int i = 0; i < 3; ++i)
        if (installed_[i]) ::sigaction(signals[i], &old_[i], nullptr);
}

void SignalCleanup::watch() {
    for (;;) {
        unsigned char b = 0;
        ssize_t n = ::read(pipe_[0], &b, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || b == 0) return;  // the guard ends
        restore();  // a second signal takes the earlier action at once
        try {
            if (cleanup_) cleanup_(b);
        } catch (...) {
            // Nothing more can be done: the signal still ends the process.
        }
        ::raise(b);
        return;  // an earlier handler let the process live on
    }
}

SignalCleanup::~SignalCleanup() {
    if (!active_) return;
    restore();
    // A signal that came before this point is already in the pipe, ahead of the stop byte: the
    // watcher cleans up for it first.
    unsigned char stop = 0;
    while (::write(pipe_[1], &stop, 1) < 0 && errno == EINTR) {
    }
    watcher_.join();
    write_end.store(-1);
    ::close(pipe_[0]);
    ::close(pipe_[1]);
}

}  // namespace planmap::core
