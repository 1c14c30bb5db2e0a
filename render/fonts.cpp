#include "render/fonts.hpp"

#include <fontconfig/fontconfig.h>

#include <memory>

namespace planmap::render {

namespace {
struct PatternDeleter {
    void operator()(FcPattern* p) const noexcept { FcPatternDestroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, PatternDeleter>;
}  // namespace

std::vector<FontCheck> check_fonts() {
    std::vector<FontCheck> out;
    for (const char* family : {"Noto Sans CJK SC", "Noto Serif CJK SC"}) {
        FontCheck fc{family, {}};
        FcPatternPtr pat(FcNameParse(reinterpret_cast<const FcChar8*>(family)));
        FcPatternAddString(pat.get(), FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
        FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
        FcDefaultSubstitute(pat.get());
        FcResult res;
        FcPatternPtr match(FcFontMatch(nullptr, pat.get(), &res));
        FcChar8* fam = nullptr;
        FcChar8* file = nullptr;
        if (match && FcPatternGetString(match.get(), FC_FAMILY, 0, &fam) == FcResultMatch &&
            FcPatternGetString(match.get(), FC_FILE, 0, &file) == FcResultMatch &&
            std::string(reinterpret_cast<char*>(fam)).find("CJK") != std::string::npos)
            fc.file = reinterpret_cast<char*>(file);
        out.push_back(fc);
    }
    return out;
}

}  // namespace planmap::render
