// libFuzzer target: GeoJSON files through planmap's reader (validity checks, repair, notes).
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    planmap::fuzz::read_all(planmap::fuzz::put("in.geojson", data, size));
    return 0;
}
