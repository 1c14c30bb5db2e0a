#include "analysis/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/i18n.hpp"
#include "core/json.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "core/text.hpp"
#include "analysis/coverage_run.hpp"
#include "analysis/report_text.hpp"
#include "render/web_map.hpp"
#include "analysis/run_map.hpp"
#include "styles/qgis.hpp"

namespace planmap::analysis {

using nlohmann::json;

namespace {

std::string esc(const std::string& s) { return styles::xml_escape(s); }

// Thousands separated, for areas and people.
std::string big(double v, int decimals = 0) { return thousands(v, decimals); }

std::string pct(const json& v) { return v.is_number() ? core::fixed(100 * v.get<double>(), 2) + " %" : "–"; }
std::string num(const json& v, int decimals = 1) { return v.is_number() ? big(v.get<double>(), decimals) : "–"; }
std::string str(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "–";
    return core::json_text(v);
}

// The report is in Chinese (--lang zh): 万人 and 公顷 beside the exact figures, clauses as 第 x 条.
bool zh() { return i18n::language() == i18n::Language::zh; }
// A clause citation ("GB 55014-2021 §2.1.4 [V]") as the report's language writes it.
std::string cite(const std::string& citation, bool with_confidence = true) {
    return zh() ? citation_zh(citation, with_confidence) : citation;
}
// Text of a shipped rule profile (labels, titles) in the report's language; other text as written.
std::string profile_text(const std::string& text) { return text.empty() ? text : tr(text.c_str()); }
// A facility type as the report names it: the type value, in Chinese the profile's 名称 when it has one.
std::string facility_name(const analysis::Profile* p, const std::string& type) {
    if (zh() && p)
        for (const auto& f : p->facilities)
            if (f.type == type && !f.name_zh.empty()) return f.name_zh;
    return type;
}
// Short Chinese text kept on one line (a Chinese line breaks between any two characters); English as it is.
std::string nowrap(const std::string& html) { return zh() ? "<span style=\"white-space:nowrap\">" + html + "</span>" : html; }
// The page's <html lang>.
const char* html_lang() { return zh() ? "zh-CN" : "en"; }

// Text of the shipped rule profiles (profiles/*.toml) and values of the summaries shown in the
// reports, marked here so that profile_text() and tr() find them in the catalogue.
[[maybe_unused]] constexpr const char* kShownText[] = {
    // profiles/*.toml: titles and labels
    N_("GB 55014-2021 thresholds on the park counting rule"),
    N_("人均公园绿地面积 > 8.0 m²/person"),
    N_("population-weighted coverage > 80% (planmap's population variant of 2.1.4)"),
    N_("park ≥ 5000 m²"),
    N_("park 2000–5000 m²"),
    N_("park 1000–5000 m² in a historic district"),
    N_("park ≥ 1 ha (见园)"),
    N_("green space 400 m² – 1 ha (见绿)"),
    N_("公园绿地服务半径覆盖率 (parks ≥ 5000 m² → 500 m, 2000–5000 m² → 300 m)"),
    N_("公园绿地服务半径覆盖率, 历史文化街区 (parks ≥ 5000 m² → 500 m, 1000–5000 m² → 300 m)"),
    N_("GB 50180-2018 生活圈 (5/10/15 min ↔ 300/500/1000 m)"),
    // the indicator statuses of `assess`
    N_("met"), N_("not met"), N_("no target"), N_("not computable"),
};

// The exact figure "（…）" of a Chinese summary box a little smaller and kept on one line.
std::string exact_small(const std::string& figure) {
    auto open = figure.find("（");
    return open == std::string::npos ? figure
                                     : figure.substr(0, open) + "<small style=\"font-size:15px;white-space:nowrap\">" + figure.substr(open) + "</small>";
}
// An area in a summary box: "456,123 m²", in Chinese "45.61 公顷（456,123 m²）".
std::string area_fig(const json& v) {
    return !v.is_number() ? "–" : zh() ? exact_small(area_zh(v.get<double>())) : num(v, 0) + " m²";
}
// A population in a summary box: "123,456", in Chinese "12.35 万人（123,456 人）".
std::string people_fig(const json& v) { return !v.is_number() ? "–" : zh() ? exact_small(people_zh(v.get<double>())) : num(v, 0); }
// Table cells: the exact figure, in Chinese with 公顷 / 万人 above it.
std::string area_cell(const json& v) {
    return !v.is_number() || !zh() || v.get<double>() < 1e4 ? num(v, 0) : hectares(v.get<double>()) + "<br><small>" + num(v, 0) + "</small>";
}
std::string people_cell(const json& v) {
    return !v.is_number() || !zh() || v.get<double>() < 1e4 ? num(v, 0) : wan_ren(v.get<double>()) + "<br><small>" + num(v, 0) + "</small>";
}

// The map, drawn by render with the shipped style of the run (styles/data/<kind>.toml): the
// run's layers bottom to top, with legend, scale bar and north arrow, as inline SVG.
std::string map_html(const std::string& gpkg, const std::string& kind, const std::string& facility_style) {
    render::LoadedMap map = render::load_file_map(gpkg, styles::map_order(kind), kind);
    if (!facility_style.empty()) {
        // The facilities by class on top, drawn with the style made from the run's profile.
        render::LoadedMap fac = render::load_file_map(gpkg, {"facilities"}, facility_style);
        for (auto& l : fac.layers) {
            if (!map.layers.empty() && !l.data.crs()->same_as(map.crs)) l.data.reproject(map.crs);
            map.layers.push_back(std::move(l));
        }
    }
    bool empty = true;
    for (const auto& l : map.layers) empty = empty && l.data.extent().empty;
    if (empty) return std::string("<p class=\"note\">") + tr("No geometry to draw.") + "</p>\n";
    render::WebMapOptions options;
    if (kind == "site_before") options.id = "map-before";  // two maps on the siting page: ids of their own
    options.title = kind == "coverage"      ? "服务覆盖 coverage map"
                    : kind == "site"        ? "选址后 after the new sites"
                    : kind == "site_before" ? "选址前 before (existing facilities)"
                                            : "生活圈 life-circle map";
    return render::render_web_map(map, options).svg + "\n";
}

// Horizontal bars, one per row, 0–100 %, with an optional threshold line.
std::string bar_chart(const std::string& id, const std::vector<std::pair<std::string, double>>& bars,
                      std::optional<double> threshold, const std::string& threshold_label) {
    // Labels measured roughly: CJK characters are as wide as the font size, others about half of it.
    double widest = 0;
    for (const auto& [label, v] : bars) {
        double w = 0;
        for (std::size_t i = 0; i < label.size();) {
            auto c = static_cast<unsigned char>(label[i]);
            std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            w += len >= 3 ? 12.5 : 7;
            i += len;
        }
        widest = std::max(widest, w);
    }
    const double label_w = std::clamp(widest + 16, 120.0, 360.0), bar_w = 560, row_h = 24, top = 18;
    double height = top + row_h * static_cast<double>(bars.size()) + 24;
    std::ostringstream o;
    o << "<svg class=\"chart\" id=\"" << id << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << core::fixed(label_w + bar_w + 80, 0)
      << "\" height=\"" << core::fixed(height, 0) << "\" role=\"img\">\n";
    for (int t = 0; t <= 100; t += 20) {
        double x = label_w + bar_w * t / 100.0;
        o << "<line x1=\"" << core::fixed(x, 1) << "\" y1=\"" << top - 4 << "\" x2=\"" << core::fixed(x, 1) << "\" y2=\"" << core::fixed(height - 20, 1)
          << "\" stroke=\"#ddd\"/><text x=\"" << core::fixed(x, 1) << "\" y=\"" << core::fixed(height - 6, 1)
          << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">" << t << "%</text>\n";
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        double y = top + row_h * static_cast<double>(i);
        double v = std::clamp(bars[i].second, 0.0, 1.0);
        bool ok = !threshold || bars[i].second > *threshold;
        o << "<text x=\"" << core::fixed(label_w - 8, 1) << "\" y=\"" << core::fixed(y + 15, 1) << "\" font-size=\"12\" text-anchor=\"end\">"
          << esc(bars[i].first) << "</text><rect class=\"bar\" x=\"" << label_w << "\" y=\"" << core::fixed(y + 3, 1) << "\" width=\""
          << core::fixed(bar_w * v, 1) << "\" height=\"" << row_h - 6 << "\" fill=\"" << (ok ? "#3f8f5a" : "#d0622d")
          << "\"/><text x=\"" << core::fixed(label_w + bar_w * v + 6, 1) << "\" y=\"" << core::fixed(y + 15, 1) << "\" font-size=\"11\">"
          << core::fixed(100 * bars[i].second, 1) << "%</text>\n";
    }
    if (threshold) {
        double x = label_w + bar_w * std::clamp(*threshold, 0.0, 1.0);
        o << "<line x1=\"" << core::fixed(x, 1) << "\" y1=\"" << top - 8 << "\" x2=\"" << core::fixed(x, 1) << "\" y2=\"" << core::fixed(height - 20, 1)
          << "\" stroke=\"#b00020\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"" << core::fixed(x + 4, 1)
          << "\" y=\"10\" font-size=\"10\" fill=\"#b00020\">" << esc(threshold_label) << "</text>\n";
    }
    o << "</svg>\n";
    return o.str();
}

const char* kStyle = R"(
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif;
 margin:0;color:#1d2327;background:#f3f4f1}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #3f8f5a;padding-bottom:4px}
.sub{color:#555;margin:0 0 16px}
.verdict{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.check{border-radius:6px;padding:8px 12px;border:1px solid;min-width:240px}
.check b{font-size:18px;margin-right:8px}
.pass{background:#e7f4ea;border-color:#3f8f5a;color:#1e5631}.fail{background:#fbe9e2;border-color:#d0622d;color:#8a2f0a}
.na{background:#f1f1f1;border-color:#aaa;color:#444}
.figures{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.fig{background:#f6f8f5;border-radius:6px;padding:10px}.fig span{display:block;color:#555;font-size:12px}.fig b{font-size:20px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid #e3e3e3;padding:5px 8px;text-align:left}th{background:#f0f2ee}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
#map{display:block;max-width:100%;height:auto}
.note{color:#666;font-size:12px}code{font-size:12px}
)";

void checks_html(std::ostringstream& o, const json& checks) {
    o << "<div class=\"verdict\">";
    if (checks.empty()) o << "<div class=\"check na\"><b>–</b>" << tr("The profile sets no threshold for this run.") << "</div>";
    for (const auto& c : checks) {
        std::string cls = c["pass"].is_null() ? "na" : c["pass"].get<bool>() ? "pass" : "fail";
        std::string word = c["pass"].is_null() ? tr("n/a") : c["pass"].get<bool>() ? tr("PASS") : tr("FAIL");
        o << "<div class=\"check " << cls << "\"><b>" << word << "</b>" << esc(profile_text(c["label"].get<std::string>())) << "<br><small>"
          << esc(cite(c["citation"].get<std::string>())) << tr(" · actual ")
          << (c["actual"].is_number() ? core::fixed(c["actual"].get<double>(), 4) : std::string(tr("not available"))) << "</small></div>";
    }
    o << "</div>\n";
}

void profile_html(std::ostringstream& o, const analysis::Profile* p, const json& s) {
    o << "<h2>" << tr("Rule profile") << "</h2>\n";
    if (!p) {
        o << "<p>" << trf("Fixed radius: every facility serves {} m (straight line).", num(s["radius_m"])) << "</p>\n";
        return;
    }
    o << "<p><b>" << esc(p->name) << "</b> — " << esc(profile_text(p->title)) << "<br><span class=\"note\">" << esc(p->file)
      << (p->dissolve ? tr(" · touching facility polygons are dissolved before sizing") : "") << "</span></p>\n";
    if (!p->radius_rules.empty()) {
        o << "<table class=\"rules\"><tr><th>" << tr("rule") << "</th><th>" << tr("type") << "</th><th class=\"n\">" << tr("area from (m²)")
          << "</th><th class=\"n\">" << tr("area below (m²)") << "</th><th class=\"n\">" << tr("radius (m)") << "</th><th>"
          << tr("clause") << "</th></tr>\n";
        for (const auto& r : p->radius_rules)
            o << "<tr><td>" << esc(profile_text(r.label)) << "</td><td>" << esc(r.type.value_or(tr("any"))) << "</td><td class=\"n\">"
              << big(r.min_area_m2) << "</td><td class=\"n\">" << (std::isinf(r.max_area_m2) ? "–" : big(r.max_area_m2))
              << "</td><td class=\"n\">" << big(r.radius_m) << "</td><td>" << esc(cite(r.cite.text())) << "</td></tr>\n";
        o << "</table>\n";
    }
    if (!p->levels.empty()) {
        o << "<table class=\"rules\"><tr><th>" << tr("level") << "</th><th>" << tr("title") << "</th><th class=\"n\">" << tr("minutes")
          << "</th><th class=\"n\">" << tr("radius (m)") << "</th><th>" << tr("clause") << "</th></tr>\n";
        for (const auto& l : p->levels)
            o << "<tr><td>" << esc(l.name) << "</td><td>" << esc(l.title) << "</td><td class=\"n\">" << core::fixed(l.minutes, 0)
              << "</td><td class=\"n\">" << big(l.radius_m) << "</td><td>" << esc(cite(l.cite.text())) << "</td></tr>\n";
        o << "</table>\n";
    }
    if (!p->facilities.empty()) {
        o << "<table class=\"rules\"><tr><th>" << tr("facility type") << "</th><th>名称</th><th>" << tr("level") << "</th><th class=\"n\">"
          << tr("radius (m)") << "</th><th>" << tr("clause") << "</th></tr>\n";
        for (const auto& f : p->facilities)
            o << "<tr><td>" << esc(f.type) << "</td><td>" << esc(f.name_zh) << "</td><td>" << esc(f.level) << "</td><td class=\"n\">"
              << big(f.radius_m) << "</td><td>" << esc(cite(f.cite.text())) << "</td></tr>\n";
        o << "</table>\n";
    }
    if (!p->thresholds.empty()) {
        // Each threshold with this run's figure, the outcome and the clause it comes from.
        const json checks = s.contains("thresholds") ? s["thresholds"] : threshold_checks(p, s);
        o << "<table class=\"rules\"><tr><th>" << tr("threshold") << "</th><th>" << tr("metric") << "</th><th class=\"n\">" << tr("required")
          << "</th><th class=\"n\">" << tr("actual") << "</th><th>" << tr("result") << "</th><th>" << tr("clause") << "</th></tr>\n";
        for (const auto& c : checks) {
            const std::string metric = c["metric"].get<std::string>();
            std::string word = c["pass"].is_null() ? tr("n/a") : c["pass"].get<bool>() ? tr("PASS") : tr("FAIL");
            std::string cls = c["pass"].is_null() ? "na" : c["pass"].get<bool>() ? "pass" : "fail";
            o << "<tr><td>" << esc(profile_text(c["label"].get<std::string>())) << "</td><td><code>" << esc(metric)
              << "</code></td><td class=\"n\">" << esc(c["op"].get<std::string>()) << ' '
              << esc(format_figure(metric, c["value"].get<double>())) << "</td><td class=\"n\">"
              << (c["actual"].is_number() ? esc(format_figure(metric, c["actual"].get<double>())) : std::string("–")) << "</td><td class=\""
              << cls << "\"><b>" << word << "</b></td><td>" << esc(cite(c["citation"].get<std::string>())) << "</td></tr>\n";
        }
        o << "</table>\n";
    }
}

void coverage_body(std::ostringstream& o, const ReportInput& in, const json& s) {
    o << "<div class=\"figures\">"
      << "<div class=\"fig\"><span>" << tr("coverage ratio (area)") << "</span><b>" << pct(s["coverage_ratio"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("population coverage") << "</span><b>" << pct(s["population_coverage_ratio"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("residential area") << "</span><b>" << area_fig(s["residential_area_m2"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("covered area") << "</span><b>" << area_fig(s["covered_area_m2"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("parcels") << "</span><b>" << num(s["residential"]["parcels"], 0) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("population") << "</span><b>" << people_fig(s["population"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("facilities counted / ignored") << "</span><b>" << str(s["facilities_counted"]) << " / "
      << str(s["facilities_ignored"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("engine") << "</span><b>" << esc(str(s.value("engine", json("embedded")))) << "</b></div></div>\n";
    o << "<h2>" << tr("Map") << "</h2>\n" << map_html(in.gpkg, in.kind, in.facility_style);
    std::optional<double> line;
    std::string line_label;
    for (const auto& c : s["thresholds"])
        if (c["metric"] == "coverage_ratio" && (c["op"] == ">" || c["op"] == ">=")) {
            line = c["value"].get<double>();
            line_label = cite(c["citation"].get<std::string>(), false) + " " + c["op"].get<std::string>() + " " + core::fixed(100 * *line, 0) + "%";
        }
    o << "<h2>" << tr("Zones") << "</h2>\n";
    if (s["zones"].empty()) {
        o << "<p class=\"note\">" << tr("No zones were given; the figures above are for the whole area.") << "</p>\n";
    } else {
        o << "<table id=\"zones\"><tr><th>" << tr("zone") << "</th><th class=\"n\">" << tr("parcels") << "</th><th class=\"n\">"
          << tr("residential m²") << "</th><th class=\"n\">" << tr("covered m²") << "</th><th class=\"n\">" << tr("coverage")
          << "</th><th class=\"n\">" << tr("population") << "</th><th class=\"n\">" << tr("covered population")
          << "</th><th class=\"n\">" << tr("population coverage") << "</th></tr>\n";
        std::vector<std::pair<std::string, double>> bars;
        for (const auto& z : s["zones"]) {
            o << "<tr><td>" << esc(z["zone"].get<std::string>()) << "</td><td class=\"n\">" << num(z["parcels"], 0)
              << "</td><td class=\"n\">" << area_cell(z["residential_area_m2"]) << "</td><td class=\"n\">"
              << area_cell(z["covered_area_m2"]) << "</td><td class=\"n\">" << pct(z["coverage_ratio"]) << "</td><td class=\"n\">"
              << people_cell(z["population"]) << "</td><td class=\"n\">" << people_cell(z["covered_population"])
              << "</td><td class=\"n\">" << pct(z["population_coverage_ratio"]) << "</td></tr>\n";
            bars.emplace_back(z["zone"].get<std::string>(), z["coverage_ratio"].is_number() ? z["coverage_ratio"].get<double>() : 0);
        }
        o << "</table>\n<p class=\"note\">" << tr("Coverage ratio by zone (share of residential area within a service area).") << "</p>\n"
          << bar_chart("zone-chart", bars, line, line_label);
    }
    o << "<h2>" << tr("Service areas") << "</h2>\n<table><tr><th>" << tr("rule") << "</th><th class=\"n\">" << tr("service areas")
      << "</th><th class=\"n\">" << tr("radius (m)") << "</th></tr>\n";
    for (const auto& r : s["service_areas"])
        o << "<tr><td>" << esc(profile_text(r["rule"].get<std::string>())) << "</td><td class=\"n\">" << str(r["service_areas"])
          << "</td><td class=\"n\">" << num(r["radius_m"], 0) << "</td></tr>\n";
    o << "</table>\n";
    if (!s["ignored"].empty()) {
        o << "<p>" << trf("Ignored facilities (first {} of {}):", std::min<std::size_t>(s["ignored"].size(), 20), str(s["facilities_ignored"]))
          << "</p><table><tr><th class=\"n\">fid</th><th>" << tr("reason") << "</th></tr>\n";
        std::size_t k = 0;
        for (const auto& ig : s["ignored"]) {
            if (k++ == 20) break;
            o << "<tr><td class=\"n\">" << str(ig["fid"]) << "</td><td>" << esc(reason_text(ig["reason"].get<std::string>())) << "</td></tr>\n";
        }
        o << "</table>\n";
    }
}

void lifecircle_body(std::ostringstream& o, const ReportInput& in, const json& s) {
    o << "<div class=\"figures\">"
      << "<div class=\"fig\"><span>" << tr("parcels") << "</span><b>" << num(s["parcels"], 0) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("residential area") << "</span><b>" << area_fig(s["residential_area_m2"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("population") << "</span><b>" << people_fig(s["population"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("facilities ignored") << "</span><b>" << str(s["facilities_ignored"]) << "</b></div></div>\n";
    o << "<h2>" << tr("Map") << "</h2>\n" << map_html(in.gpkg, in.kind, in.facility_style);
    o << "<h2>" << tr("Levels") << "</h2>\n<table id=\"levels\"><tr><th>" << tr("level") << "</th><th>" << tr("title") << "</th><th class=\"n\">"
      << tr("radius (m)") << "</th><th>" << tr("requires") << "</th><th class=\"n\">" << nowrap(tr("parcels")) << "</th><th class=\"n\">"
      << nowrap(tr("parcel share")) << "</th><th class=\"n\">" << nowrap(tr("area share")) << "</th><th class=\"n\">"
      << nowrap(tr("population share")) << "</th><th>" << tr("clause") << "</th></tr>\n";
    std::vector<std::pair<std::string, double>> bars;
    for (const auto& l : s["levels"]) {
        std::string req;
        for (const auto& r : l["requires"]) req += (req.empty() ? "" : zh() ? "、" : ", ") + facility_name(in.profile, r.get<std::string>());
        o << "<tr><td>" << esc(str(l["level"])) << "</td><td>" << nowrap(esc(str(l["title"]))) << "</td><td class=\"n\">"
          << num(l["radius_m"], 0) << "</td><td>" << esc(req) << "</td><td class=\"n\">" << num(l["parcels"], 0)
          << "</td><td class=\"n\">" << pct(l["parcel_share"]) << "</td><td class=\"n\">" << pct(l["area_share"])
          << "</td><td class=\"n\">" << pct(l["population_share"]) << "</td><td>" << esc(cite(str(l["citation"]))) << "</td></tr>\n";
        bars.emplace_back(str(l["title"]), l["area_share"].get<double>());
    }
    o << "</table>\n<p class=\"note\">" << tr("Share of residential area meeting each level (and every lower one).") << "</p>\n"
      << bar_chart("level-chart", bars, std::nullopt, "");
    o << "<h2>" << tr("Facility types") << "</h2>\n<table id=\"types\"><tr><th>" << tr("type") << "</th><th>名称</th><th>" << tr("level")
      << "</th><th class=\"n\">" << tr("radius (m)") << "</th><th class=\"n\">" << tr("facilities") << "</th><th class=\"n\">"
      << tr("parcel share") << "</th><th class=\"n\">" << tr("area share") << "</th><th>" << tr("clause") << "</th></tr>\n";
    bars.clear();
    for (const auto& t : s["types"]) {
        o << "<tr><td>" << esc(str(t["type"])) << "</td><td>" << esc(str(t["name_zh"])) << "</td><td>" << esc(str(t["level"]))
          << "</td><td class=\"n\">" << num(t["radius_m"], 0) << "</td><td class=\"n\">" << str(t["facilities"])
          << "</td><td class=\"n\">" << pct(t["parcel_share"]) << "</td><td class=\"n\">" << pct(t["area_share"]) << "</td><td>"
          << esc(cite(str(t["citation"]))) << "</td></tr>\n";
        bars.emplace_back(zh() ? str(t["name_zh"]) : str(t["name_zh"]) + " " + str(t["type"]), t["area_share"].get<double>());
    }
    o << "</table>\n" << bar_chart("type-chart", bars, std::nullopt, "");
}

// Coverage against the number of sites: a polyline over 0 … n sites, with the target line.
std::string curve_chart(const json& curve, std::optional<double> target) {
    const double w = 640, h = 260, left = 56, right = 16, top = 14, bottom = 34;
    std::size_t n = curve.empty() ? 1 : std::max<std::size_t>(1, curve.back()["sites"].get<std::size_t>());
    double lo = 1, hi = 0;
    for (const auto& p : curve) lo = std::min(lo, p["ratio"].get<double>()), hi = std::max(hi, p["ratio"].get<double>());
    if (target) lo = std::min(lo, *target), hi = std::max(hi, *target);
    lo = std::max(0.0, std::floor(lo * 20) / 20), hi = std::min(1.0, std::ceil(hi * 20) / 20);
    if (hi <= lo) hi = std::min(1.0, lo + 0.05), lo = hi - 0.05;
    auto x = [&](double k) { return left + (w - left - right) * k / static_cast<double>(n); };
    auto y = [&](double r) { return top + (h - top - bottom) * (1 - (r - lo) / (hi - lo)); };
    std::ostringstream o;
    o << "<svg class=\"chart\" id=\"curve\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" role=\"img\">\n";
    for (int t = 0; t <= 4; ++t) {
        double r = lo + (hi - lo) * t / 4;
        o << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\"" << core::fixed(y(r), 1) << "\" y2=\"" << core::fixed(y(r), 1)
          << "\" stroke=\"#ddd\"/><text x=\"" << left - 6 << "\" y=\"" << core::fixed(y(r) + 3, 1)
          << "\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">" << core::fixed(100 * r, 1) << "%</text>\n";
    }
    const std::size_t step = std::max<std::size_t>(1, n / 10);
    for (std::size_t k = 0; k <= n; k += step)
        o << "<text x=\"" << core::fixed(x(static_cast<double>(k)), 1) << "\" y=\"" << h - bottom + 14
          << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">" << k << "</text>\n";
    o << "<text x=\"" << core::fixed((left + w - right) / 2, 1) << "\" y=\"" << h - 4
      << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">" << tr("new sites 新增设施数") << "</text>\n";
    if (target)
        o << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\"" << core::fixed(y(*target), 1) << "\" y2=\""
          << core::fixed(y(*target), 1) << "\" stroke=\"#c0392b\" stroke-dasharray=\"5 3\"/><text x=\"" << w - right - 4 << "\" y=\""
          << core::fixed(y(*target) - 4, 1) << "\" font-size=\"10\" text-anchor=\"end\" fill=\"#c0392b\">"
          << trf("target {}%", core::fixed(100 * *target, 1)) << "</text>\n";
    o << "<polyline fill=\"none\" stroke=\"#2171b5\" stroke-width=\"2\" points=\"";
    for (const auto& p : curve)
        o << core::fixed(x(p["sites"].get<double>()), 1) << ',' << core::fixed(y(p["ratio"].get<double>()), 1) << ' ';
    o << "\"/>\n";
    for (const auto& p : curve)
        o << "<circle cx=\"" << core::fixed(x(p["sites"].get<double>()), 1) << "\" cy=\"" << core::fixed(y(p["ratio"].get<double>()), 1)
          << "\" r=\"2.5\" fill=\"#2171b5\"/>\n";
    o << "</svg>\n";
    return o.str();
}

void site_body(std::ostringstream& o, const ReportInput& in, const json& s) {
    const bool pop = s["objective"] == "population";
    const char* key = pop ? "population_coverage_ratio" : "coverage_ratio";
    const std::string solver = s["solver"].get<std::string>();
    o << "<div class=\"figures\">"
      << "<div class=\"fig\"><span>" << (pop ? tr("population coverage before") : tr("coverage ratio (area) before")) << "</span><b>"
      << pct(s["before"][key]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("after") << "</span><b>" << pct(s["after"][key]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("new sites") << "</span><b>" << s["sites"].size() << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("coverage ratio (area) after") << "</span><b>" << pct(s["after"]["coverage_ratio"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("candidates with a service area") << "</span><b>" << str(s["candidates"]["with_service_area"]) << " / "
      << str(s["candidates"]["candidates"]) << "</b></div>"
      << "<div class=\"fig\"><span>" << tr("solver") << "</span><b>" << esc(solver)
      << (s.contains("exact") ? " (" + esc(str(s["exact"]["status"])) + tr(", gap ") + pct(s["exact"]["gap"]) + ")" : std::string()) << "</b></div></div>\n";
    if (s.contains("target")) {
        const auto& t = s["target"];
        o << "<p>" << trf("Target {}: ", pct(t["ratio"]))
          << (t["already_met"].get<bool>() ? std::string(tr("already met before any new site."))
              : t["reached"].get<bool>()   ? trf("reached with {} new site(s).", s["sites"].size())
                                           : trf("<b>not reachable with these candidates</b>; all of them reach {}.",
                                                 pct(t["best_ratio_with_all_candidates"])))
          << "</p>\n";
    }
    o << "<h2>" << tr("Maps") << "</h2>\n<div class=\"maps\">" << map_html(in.gpkg, "site_before", "") << map_html(in.gpkg, "site", "") << "</div>\n";
    o << "<h2>" << tr("Coverage against the number of new sites") << "</h2>\n"
      << curve_chart(s["curve"], s.contains("target") ? std::optional<double>(s["target"]["ratio"].get<double>()) : std::nullopt)
      << "<p class=\"note\">" << trf("Greedy order; the guarantee: {}.", esc(profile_text(str(s["greedy"]["guarantee"])))) << "</p>\n";
    o << "<h2>" << tr("Sites") << "</h2>\n<table id=\"sites\"><tr><th class=\"n\">" << tr("rank") << "</th><th class=\"n\">" << tr("candidate")
      << "</th><th>" << tr("rule") << "</th><th class=\"n\">" << tr("radius (m)") << "</th><th class=\"n\">" << tr("site m²")
      << "</th><th class=\"n\">" << tr("marginal gain") << "</th><th class=\"n\">" << tr("cumulative") << "</th><th class=\"n\">"
      << tr("ratio after") << "</th></tr>\n";
    for (const auto& r : s["sites"])
        o << "<tr><td class=\"n\">" << str(r["rank"]) << "</td><td class=\"n\">" << str(r["candidate_fid"]) << "</td><td>"
          << esc(profile_text(str(r["rule"]))) << "</td><td class=\"n\">" << num(r["radius_m"], 0) << "</td><td class=\"n\">" << num(r["site_area_m2"], 0)
          << "</td><td class=\"n\">" << num(r["marginal_gain"], 1) << "</td><td class=\"n\">" << num(r["cumulative_gain"], 1)
          << "</td><td class=\"n\">" << pct(r["ratio_after"]) << "</td></tr>\n";
    o << "</table>\n";
}

}  // namespace

json threshold_checks(const analysis::Profile* profile, const json& j) {
    json checks = json::array();
    if (!profile) return checks;
    for (const auto& t : profile->thresholds) {
        json c = {{"label", t.label}, {"metric", t.metric}, {"op", t.op}, {"value", t.value}, {"citation", t.cite.text()}};
        if (j.contains(t.metric) && j[t.metric].is_number()) {
            double v = j[t.metric].get<double>();
            c["actual"] = v;
            c["pass"] = t.passes(v);
        } else {
            c["actual"] = nullptr;
            c["pass"] = nullptr;  // the metric is not available for this run
        }
        checks.push_back(c);
    }
    return checks;
}

std::string html_report(const ReportInput& in) {
    const json& s = in.summary;
    json checks = s.contains("thresholds") ? s["thresholds"] : threshold_checks(in.profile, s);
    std::string what = in.kind == "coverage" ? tr("Service-radius coverage") : in.kind == "site" ? tr("Siting new facilities") : tr("Life-circle audit");
    std::string title = what + " — " + (in.profile ? in.profile->name : trf("radius {} m", num(s["radius_m"], 0)));
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"" << html_lang() << "\"><head><meta charset=\"utf-8\"><title>" << esc(title)
      << "</title>\n<meta name=\"generator\" content=\"planmap " << PLANMAP_VERSION << "\">\n<style>" << kStyle
      << "</style></head>\n<body><main>\n<h1>" << esc(title) << "</h1>\n<p class=\"sub\">"
      << (in.kind == "coverage" ? tr("公园绿地服务半径覆盖率 and related service-radius figures")
          : in.kind == "site"   ? tr("设施选址: where new parks or facilities cover the most, counted as the coverage run counts")
                                : tr("GB 50180 居住区生活圈 audit, straight-line distances"))
      << tr(" · CRS ") << esc(str(s["crs"])) << "</p>\n";
    checks_html(o, checks);
    if (in.kind == "coverage") coverage_body(o, in, s);
    else if (in.kind == "site") site_body(o, in, s);
    else lifecircle_body(o, in, s);
    profile_html(o, in.profile, s);
    o << "<h2>" << tr("Inputs and parameters") << "</h2>\n<table id=\"parameters\">\n";
    for (const auto& [k, v] : in.parameters) o << "<tr><th>" << esc(k) << "</th><td><code>" << esc(v) << "</code></td></tr>\n";
    o << "</table>\n<h2>" << tr("Timings") << "</h2>\n<table>";
    for (const auto& [k, v] : s["timings_s"].items())
        o << "<tr><td>" << esc(k) << "</td><td class=\"n\">" << core::fixed(v.get<double>(), 3) << " s</td></tr>";
    o << "</table>\n";
    if (s.contains("warnings") && !s["warnings"].empty()) {
        o << "<h2>" << tr("Warnings") << "</h2><ul>";
        for (const auto& w : s["warnings"]) o << "<li>" << esc(w.get<std::string>()) << "</li>";
        o << "</ul>\n";
    }
    o << "<p class=\"note\">" << trf("Made by planmap {}. Figures are exact polygon overlays in the metric CRS; the map is drawn from {}.",
                                      PLANMAP_VERSION, "<code>" + esc(in.gpkg) + "</code>") << "</p>\n</main></body></html>\n";
    return o.str();
}

std::string indicator_report(const json& s) {
    const json& p = s["plan"];
    const std::string title = p["name_zh"].get<std::string>() + " 规划指标评估";  // the plan's own Chinese name: one title
    auto fig = [](const json& f) {
        if (f.is_null()) return std::string("–");
        std::string t = core::trimmed(f["value"].get<double>(), 4);
        if (f.contains("compare") && f["compare"] != ">=") t = f["compare"].get<std::string>() + " " + t;
        return f["year"].is_number() ? t + " (" + std::to_string(f["year"].get<int>()) + ")" : t;
    };
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"" << html_lang() << "\"><head><meta charset=\"utf-8\"><title>" << esc(title)
      << "</title>\n<meta name=\"generator\" content=\"planmap " << PLANMAP_VERSION << "\">\n<style>" << kStyle
      << "</style></head>\n<body><main>\n<h1>" << esc(title) << "</h1>\n<p class=\"sub\">" << esc(p["name_en"].get<std::string>())
      << tr(" · plan indicators · ") << esc(p["period"].get<std::string>()) << "</p>\n<div class=\"figures\">";
    const json& c = s["counts"];
    for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
             {"met", tr("达标 met")}, {"not_met", tr("未达标 not met")}, {"no_target", tr("无目标 no target")}, {"not_computable", tr("不可计算 not computable")}})
        o << "<div class=\"fig\"><span>" << label << "</span><b>" << c[key].get<int>() << "</b></div>";
    o << "</div>\n<h2>" << tr("指标 Indicators") << "</h2>\n<table id=\"indicators\"><tr><th>" << tr("指标 indicator") << "</th><th>"
      << tr("单位 unit") << "</th><th class=\"n\">" << tr("基期 baseline") << "</th><th class=\"n\">" << tr("目标 target")
      << "</th><th class=\"n\">" << tr("评估值 value") << "</th><th>" << tr("状态 status") << "</th><th>" << tr("依据 source")
      << "</th><th>" << tr("评估方法 evaluated") << "</th></tr>\n";
    for (const auto& i : s["indicators"]) {
        const std::string st = i["status"].get<std::string>();
        const char* cls = st == "met" ? "pass" : st == "not met" ? "fail" : "na";
        o << "<tr><td>" << esc(i["name_zh"].get<std::string>()) << "<br><small>" << esc(i["name_en"].get<std::string>())
          << " <code>" << esc(i["id"].get<std::string>()) << "</code></small></td><td>" << esc(i["unit"].get<std::string>())
          << "</td><td class=\"n\">" << esc(fig(i["baseline"])) << "</td><td class=\"n\">" << esc(fig(i["target"]))
          << "</td><td class=\"n\">" << (i["value"].is_number() ? core::trimmed(i["value"].get<double>(), 4) : std::string("–"))
          << "</td><td class=\"" << cls << "\">" << esc(tr(st.c_str())) << "</td><td>" << esc(i["source_ref"].get<std::string>())
          << "</td><td><small>" << esc(i["evaluate"].get<std::string>()) << ": " << esc(i["why"].get<std::string>())
          << (i["note"].get<std::string>().empty() ? "" : "<br>" + esc(i["note"].get<std::string>())) << "</small></td></tr>\n";
    }
    o << "</table>\n<p class=\"note\">"
      << trf("Made by planmap {} from {}. Baselines and targets are the plan text's (source: clause and line); values are computed "
             "from the plan's layers (counts, areas, lengths) or by the coverage engine on the data given.",
             PLANMAP_VERSION, "<code>" + esc(p["file"].get<std::string>()) + "</code>")
      << "</p>\n</main></body></html>\n";
    return o.str();
}

void write_html_report(const std::string& path, const ReportInput& input) { core::write_file_atomically(path, html_report(input)); }

}  // namespace planmap::analysis
