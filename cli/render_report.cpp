#include "cli/render_report.hpp"

#include <cmath>
#include <ostream>
#include <sstream>

#include "cli/cli.hpp"
#include "core/i18n.hpp"

namespace planmap::cli {

void print_render_report(std::ostream& out, std::ostream& err, const render::RenderReport& rep, bool verbose) {
    std::size_t shown = 0;
    for (const auto& w : rep.warnings) {
        if (!verbose && shown++ >= 5) {
            err << "planmap: " << tr("warning: ") << trf("… and {} more (--verbose lists all)", rep.warnings.size() - 5) << "\n";
            break;
        }
        err << "planmap: " << tr("warning: ") << w << "\n";
    }
    std::ostringstream what;
    what << rep.format << ", " << rep.page_w_mm << " x " << rep.page_h_mm << " mm";
    if (rep.width_px) what << ", " << rep.width_px << " x " << rep.height_px << " px";
    what << ", 1:" << std::llround(rep.scale);
    if (!rep.sheet_number.empty()) what << ", " << trf("GB/T 13989 sheet {} at 1:{}", rep.sheet_number, rep.sheet_series);
    out << trf("wrote {} ({})", rep.output, what.str()) << "\n";
    out << "  " << trf("{} feature(s) drawn", rep.features_drawn);
    if (rep.features_unstyled) out << tr(", ") << trf("{} matched no style rule (not drawn)", rep.features_unstyled);
    out << tr("; ") << trf("{} label(s) placed", rep.labels_placed);
    if (rep.labels_leader) out << trf(" ({} with a leader line)", rep.labels_leader);
    out << tr(", ") << trf("{} left out (no room)", rep.labels_skipped) << "\n";
    if (!rep.labels_unplaced.empty()) {
        out << "  " << tr("labels without a place:");
        for (const auto& l : rep.labels_unplaced) out << " " << l << ";";
        out << "\n";
    }
    if (verbose) out << "  " << trf("seconds: drawing {}, writing {}", number(rep.draw_s), number(rep.output_s)) << "\n";
    out << "  " << tr("legend:");
    for (const auto& l : rep.legend) out << " [" << l << "]";
    out << "\n";
}

}  // namespace planmap::cli
