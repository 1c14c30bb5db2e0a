// The error hierarchy shared by every planmap module.
// Exceptions are for failures that stop a command (unreadable file, unknown CRS, a broken plan
// file); expected data problems (an invalid polygon, an unattached facility) are reported as
// values by the code that meets them.
#pragma once

#include <stdexcept>
#include <string>

namespace planmap {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reading or writing a data source failed.
class io_error : public error {
public:
    using error::error;
};

// A CRS could not be understood or a transformation could not be built.
class crs_error : public error {
public:
    using error::error;
};

// A geometry operation failed (GEOS reported an error).
class geometry_error : public error {
public:
    using error::error;
};

// A user-authored file (plan, style, map, profile) is wrong; carries file and line.
class file_error : public error {
public:
    file_error(std::string file, int line, const std::string& message)
        : error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message),
          file_(std::move(file)), line_(line) {}
    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_; }

private:
    std::string file_;
    int line_;
};

// Wrong use of a command or API (bad option values); the CLI maps it to exit code 2.
class usage_error : public error {
public:
    using error::error;
};

}  // namespace planmap
