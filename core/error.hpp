// The error hierarchy shared by every planmap module.
// Exceptions are for failures that stop a command (unreadable file, unknown CRS, a broken plan
// file); expected data problems (an invalid polygon, an unattached facility) are reported as
// values by the code that meets them.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace planmap {

// How a front end names a parameter of the library (a CLI: its flag, "width_m" -> "--width").
// Empty: the parameter's own name.
using ParameterNames = std::function<std::string(const std::string& parameter)>;
inline std::string parameter_name(const ParameterNames& names, const std::string& parameter) {
    return names ? names(parameter) : parameter;
}

// A parameter of the library inside an error's text: usage_error(param{"dpi"}, " must be 10 to 1200").
struct param {
    std::string name;
};

// what() names the library's parameters by their own names ("dpi must be 10 to 1200");
// message(names) names them as a front end calls them ("--dpi must be 10 to 1200").
class error : public std::runtime_error {
public:
    using Part = std::pair<bool, std::string>;  // (is a parameter, text)
    using std::runtime_error::runtime_error;

    template <class First, class... Rest>
        requires(std::is_same_v<First, param> || (std::is_same_v<Rest, param> || ...))
    explicit error(const First& first, const Rest&... rest) : error(std::vector<Part>{part(first), part(rest)...}) {}
    explicit error(std::vector<Part> parts) : std::runtime_error(joined(parts, {})), parts_(std::move(parts)) {}

    std::string message(const ParameterNames& names) const { return parts_.empty() ? what() : joined(parts_, names); }

private:
    static Part part(const param& p) { return {true, p.name}; }
    static Part part(const std::string& s) { return {false, s}; }
    static Part part(const char* s) { return {false, s}; }
    static std::string joined(const std::vector<Part>& parts, const ParameterNames& names) {
        std::string s;
        for (const auto& [is_param, text] : parts) s += is_param ? parameter_name(names, text) : text;
        return s;
    }
    std::vector<Part> parts_;
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
