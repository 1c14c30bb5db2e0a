// libFuzzer target: plan files (TOML) through the parser and the dependency ordering.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto plan = planmap::plan::parse_plan_text(text, "fuzz.toml");
        (void)planmap::plan::dependency_order(plan);
    } catch (const planmap::error&) {
    }
    return 0;
}
