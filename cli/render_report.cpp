#include "cli/render_report.hpp"

#include <cmath>
#include <ostream>

namespace planmap::cli {

void print_render_report(std::ostream& out, std::ostream& err, const render::RenderReport& rep, bool verbose) {
    std::size_t shown = 0;
    for (const auto& w : rep.warnings) {
        if (!verbose && shown++ >= 5) {
            err << "planmap: warning: … and " << rep.warnings.size() - 5 << " more (--verbose lists all)\n";
            break;
        }
        err << "planmap: warning: " << w << "\n";
    }
    out << "wrote " << rep.output << " (" << rep.format << ", " << rep.page_w_mm << " x " << rep.page_h_mm << " mm";
    if (rep.width_px) out << ", " << rep.width_px << " x " << rep.height_px << " px";
    out << ", 1:" << std::llround(rep.scale);
    if (!rep.sheet_number.empty()) out << ", GB/T 13989 sheet " << rep.sheet_number << " at 1:" << rep.sheet_series;
    out << ")\n";
    out << "  " << rep.features_drawn << " feature(s) drawn";
    if (rep.features_unstyled) out << ", " << rep.features_unstyled << " matched no style rule (not drawn)";
    out << "; " << rep.labels_placed << " label(s) placed";
    if (rep.labels_leader) out << " (" << rep.labels_leader << " with a leader line)";
    out << ", " << rep.labels_skipped << " left out (no room)\n";
    if (!rep.labels_unplaced.empty()) {
        out << "  labels without a place:";
        for (const auto& l : rep.labels_unplaced) out << " " << l << ";";
        out << "\n";
    }
    if (verbose) out << "  seconds: drawing " << rep.draw_s << ", writing " << rep.output_s << "\n";
    out << "  legend:";
    for (const auto& l : rep.legend) out << " [" << l << "]";
    out << "\n";
}

}  // namespace planmap::cli
