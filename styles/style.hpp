// Styles as data: a style file (TOML, see docs/styles.md) holds rules; each rule has an attribute
// filter and symbolizers (fill, line, development-axis arrow, marker, label). A palette section
// expands into one fill rule per class. Errors in a style file are file_error with file:line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layers/feature.hpp"
#include "styles/color.hpp"

namespace planmap::styles {

// One condition on one attribute: equality, membership in a list, or a numeric range
// [min, max) (either end open when absent). The field "$layer" is the layer's name.
struct Condition {
    enum class Op { eq, in, range, exists };
    std::string field;
    Op op = Op::eq;
    std::vector<std::string> values;  // eq: one value; in: the list
    std::optional<double> min, max;
};

// All conditions must hold; `otherwise` rules match features no earlier rule matched.
struct Filter {
    std::vector<Condition> conditions;
    bool otherwise = false;
};

enum class Hatch { none, horizontal, vertical, diagonal, backdiagonal, cross, diagonal_cross, dots };

struct FillSymbolizer {
    Color color;
    double opacity = 1.0;
    Hatch hatch = Hatch::none;
    Color hatch_color{0, 0, 0, 1};
    double hatch_spacing_mm = 2.0;
    double hatch_width_mm = 0.15;
};

enum class Cap { butt, round, square };
enum class Join { miter, round, bevel };

struct LineSymbolizer {
    Color color{0, 0, 0, 1};
    double width_mm = 0.3;
    double opacity = 1.0;
    std::vector<double> dash_mm;  // on/off lengths; empty = solid
    Cap cap = Cap::butt;
    Join join = Join::round;
    double offset_mm = 0;  // parallel offset, positive = left of the line direction
};

// A tapered development-axis arrow drawn along a line: wide at the start, narrowing to a head.
struct ArrowSymbolizer {
    Color color{0.85, 0.1, 0.1, 1};
    double opacity = 0.85;
    double start_width_mm = 6;
    double end_width_mm = 2.5;
    double head_length_mm = 8;
    double head_width_mm = 9;
    Color outline{0, 0, 0, 0};
    double outline_width_mm = 0;
};

enum class MarkerShape { circle, square, triangle, star, diamond };

struct MarkerSymbolizer {
    MarkerShape shape = MarkerShape::circle;
    Color fill{0.85, 0.1, 0.1, 1};
    Color stroke{1, 1, 1, 1};
    double stroke_width_mm = 0.3;
    double size_mm = 3;  // diameter
    // Graded circles: size from a numeric field, size_mm at value `size_value`, area-proportional.
    std::string size_field;
    double size_value = 0;
    // Concentric rings (cores/poles): number of extra outline rings.
    int rings = 0;
};

enum class Placement { point, line, interior };

struct LabelSymbolizer {
    std::string field;            // attribute shown
    std::string family = "Noto Sans CJK SC";
    double size_pt = 9;
    bool bold = false;
    Color color{0, 0, 0, 1};
    Color halo_color{1, 1, 1, 1};
    double halo_mm = 0.4;  // 0 = no halo
    int priority = 0;      // higher is placed first
    Placement placement = Placement::point;
    bool vertical = false;       // line labels: upright stacked CJK on near-vertical lines
    double offset_mm = 0;        // point labels: distance from the point (placed beside it)
    double max_width_mm = 0;     // wrap longer labels (0: never wrap)
    // No room at the feature: put the label at a free place nearby with a leader line to the
    // feature (labels that still find no place are reported by name) instead of leaving it out.
    bool leader = false;
};

struct Rule {
    std::string title;  // legend entry; empty = not in the legend
    Filter filter;
    std::optional<FillSymbolizer> fill;
    std::optional<LineSymbolizer> line;
    std::vector<LineSymbolizer> extra_lines;  // drawn after `line` (cased roads, double lines)
    std::optional<ArrowSymbolizer> arrow;
    std::optional<MarkerSymbolizer> marker;
    std::optional<LabelSymbolizer> label;
    int line_no = 0;  // where the rule is in its file
};

struct Style {
    std::string name;
    std::string file;
    std::vector<Rule> rules;
    // Returns the index of the first matching rule, or -1. Rules with `otherwise` match only when
    // no ordinary rule does.
    int match(const layers::Layer& layer, std::size_t feature) const;
};

// Reads a style file; throws file_error(file, line, …) for any mistake.
Style load_style(const std::string& path);
// Parses style text (for tests); `file` names it in errors.
Style parse_style(const std::string& text, const std::string& file);

// Where the shipped style files are: $PLANMAP_STYLES, else styles/data in core::data_dir() (the
// installed data or the source tree).
std::string styles_dir();
// "plan_structure" → <styles_dir>/plan_structure.toml; a path with '/' or ".toml" is taken as is
// (relative to `base_dir` when relative).
std::string resolve_style(const std::string& name, const std::string& base_dir);

}  // namespace planmap::styles
