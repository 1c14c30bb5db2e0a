#include "cli/render_options.hpp"

#include "core/i18n.hpp"
#include "core/text.hpp"

namespace planmap::cli {

void SheetFlags::add_to(CLI::App& cmd, bool map_required) {
    auto* m = cmd.add_option("MAP", map, tr("map file (TOML, see docs/maps.md)"));
    if (map_required) m->required();
    cmd.add_option("--dpi", sheet.dpi, trf("PNG resolution in dots per inch (default {})", core::fixed(render::SheetOptions{}.dpi, 0)));
}

}  // namespace planmap::cli
