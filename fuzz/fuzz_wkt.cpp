// libFuzzer target: WKT geometry input through planmap's geometry checks and repair.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "geo/geos.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto g = planmap::geo::from_wkt(text);
        if (!planmap::geo::is_valid(g.get())) g = planmap::geo::make_valid(g.get());
        auto e = planmap::geo::envelope(g.get());
        (void)e;
        auto wkb = planmap::geo::to_wkb(g.get());
        auto back = planmap::geo::from_wkb(wkb.data(), wkb.size());
        (void)planmap::geo::area(back.get());
    } catch (const planmap::error&) {
    }
    return 0;
}
