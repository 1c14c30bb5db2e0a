// libFuzzer target: map files (TOML sheet layouts) through the map parser.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "render/map_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)planmap::render::parse_map(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    } catch (const planmap::error&) {
    }
    return 0;
}
