// The fonts planmap draws with: the installed Noto CJK families (黑体 = Noto Sans CJK SC for titles
// and legends, 宋体 = Noto Serif CJK SC for notes), found through fontconfig.
#pragma once

#include <string>
#include <vector>

namespace planmap::render {

struct FontCheck {
    std::string family;
    std::string file;  // empty when fontconfig has no font of that family with Chinese coverage
};

// Asks fontconfig which file serves each of planmap's families for Chinese text.
std::vector<FontCheck> check_fonts();

}  // namespace planmap::render
