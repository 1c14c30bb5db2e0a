// libFuzzer target: style files (TOML) through the style parser.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "styles/style.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)planmap::styles::parse_style(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    } catch (const planmap::error&) {
    }
    return 0;
}
