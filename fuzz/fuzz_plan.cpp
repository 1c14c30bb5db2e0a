// libFuzzer target: plan files (TOML) through the parser and the dependency ordering.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geo/error.hpp"
#include "layers/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto plan = planmap::layers::parse_plan_text(text, "fuzz.toml");
        (void)planmap::layers::dependency_order(plan);
    } catch (const planmap::error&) {
    }
    return 0;
}
