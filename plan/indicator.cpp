#include "plan/indicator.hpp"

#include <algorithm>
#include <cmath>

#include "core/i18n.hpp"
#include "core/text.hpp"
#include "layers/feature.hpp"
#include "plan/plan.hpp"

namespace planmap::plan {

const std::vector<std::string>& indicator_methods() {
    static const std::vector<std::string> m = {"reported", "count", "area", "length", "coverage"};
    return m;
}

const std::map<std::string, double>& area_units() {
    static const std::map<std::string, double> u = {{"m²", 1.0}, {"公顷", 1e4}, {"ha", 1e4}, {"km²", 1e6}};
    return u;
}

const std::map<std::string, double>& length_units() {
    static const std::map<std::string, double> u = {{"m", 1.0}, {"km", 1e3}};
    return u;
}

std::string indicator_status(const PlanIndicator& indicator, double value) {
    if (!indicator.target) return N_("no target");
    const double t = indicator.target->value;
    bool met = false;
    if (indicator.compare == ">=") met = value >= t;
    else if (indicator.compare == "<=") met = value <= t;
    else {
        const double rel = indicator.evaluate == "count" ? 1e-9 : 0.005;
        met = std::abs(value - t) <= rel * std::max(std::abs(t), 1.0);
    }
    return met ? N_("met") : N_("not met");
}

IndicatorResult not_computable(const PlanIndicator& indicator, std::string why) {
    IndicatorResult r;
    r.indicator = &indicator;
    r.status = N_("not computable");
    r.why = std::move(why);
    return r;
}

namespace {

nlohmann::json figure_json(const std::optional<PlanFigure>& f) {
    if (!f) return nullptr;
    nlohmann::json j = {{"value", f->value}};
    j["year"] = f->year ? nlohmann::json(*f->year) : nlohmann::json(nullptr);
    return j;
}

std::string shown(double v) { return core::trimmed(v, 2); }

}  // namespace

nlohmann::json indicator_json(const IndicatorResult& r) {
    const auto& ind = *r.indicator;
    nlohmann::json j = {{"id", ind.id},           {"name_zh", ind.name_zh}, {"name_en", ind.name_en},
                        {"unit", ind.unit},       {"evaluate", ind.evaluate}, {"baseline", figure_json(ind.baseline)},
                        {"target", figure_json(ind.target)}};
    if (ind.target) j["target"]["compare"] = ind.compare;
    j["value"] = r.value ? nlohmann::json(*r.value) : nlohmann::json(nullptr);
    j["status"] = r.status;
    j["why"] = r.why;
    j["source_ref"] = ind.source_ref;
    j["note"] = ind.note;
    return j;
}

std::string indicator_line(const IndicatorResult& r) {
    const auto& ind = *r.indicator;
    std::string unit = ind.unit.empty() ? "" : " " + ind.unit;
    // The status is a machine value (JSON "status"); the line shows it in the user's language.
    std::string s = trf("[{}] {} {}: {}", tr(r.status.c_str()), ind.id, ind.name_zh, r.value ? shown(*r.value) + unit : "-");
    std::vector<std::string> parts;
    if (ind.target) {
        std::string target = shown(ind.target->value) + unit;
        parts.push_back(ind.target->year ? trf("target {} {} by {}", ind.compare, target, *ind.target->year)
                                         : trf("target {} {}", ind.compare, target));
    }
    if (ind.baseline) {
        std::string baseline = shown(ind.baseline->value) + unit;
        parts.push_back(ind.baseline->year ? trf("baseline {} in {}", baseline, *ind.baseline->year) : trf("baseline {}", baseline));
    }
    if (!r.value) parts.push_back(r.why);
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? tr("; ") : tr(" (")) + parts[i];
    return parts.empty() ? s : s + tr(")");
}

std::vector<const PlanElement*> select_elements(const Plan& plan, const PlanSelector& s) {
    std::vector<const PlanElement*> out;
    for (const auto& e : plan.elements) {
        if (!s.ids.empty() && std::find(s.ids.begin(), s.ids.end(), e.id) == s.ids.end()) continue;
        if (!s.kind.empty() && e.kind != s.kind) continue;
        if (!s.parent.empty() && e.parent != s.parent) continue;
        bool ok = true;
        for (const auto& kv : s.where) {
            auto it = std::find_if(e.attributes.begin(), e.attributes.end(), [&](const auto& a) { return a.first == kv.first; });
            ok = ok && it != e.attributes.end() && layers::value_to_string(it->second) == kv.second;
        }
        if (ok) out.push_back(&e);
    }
    return out;
}

IndicatorResult evaluate_indicator(const Plan& plan, const PlanIndicator& indicator,
                                   const std::map<std::string, geo::GeomPtr>& metric_geoms) {
    const auto& ind = indicator;
    if (ind.evaluate == "reported") return not_computable(ind, tr("reported in the text; not computable from the plan's data"));
    if (ind.evaluate == "coverage")
        return not_computable(ind, trf("a coverage figure: give its data to `planmap assess` ({}, {})", ind.residential,
                                       ind.facilities));
    IndicatorResult r;
    r.indicator = &ind;
    if (ind.evaluate == "count") {
        auto els = select_elements(plan, ind.select);
        r.value = static_cast<double>(els.size());
        std::string names;
        for (std::size_t i = 0; i < els.size(); ++i) names += (i ? "、" : "") + els[i]->name_zh;
        r.why = names.empty() ? trf("{} element(s)", els.size()) : trf("{} element(s): {}", els.size(), names);
    } else {
        auto it = metric_geoms.find(ind.element);
        if (it == metric_geoms.end() || !it->second)
            return not_computable(ind, trf("element '{}' has no geometry", ind.element));
        const bool area = ind.evaluate == "area";
        const double si = area ? geo::area(it->second.get()) : geo::length(it->second.get());
        r.value = si / (area ? area_units() : length_units()).at(ind.unit);
        r.why = area ? trf("area of '{}' in the analysis CRS", ind.element) : trf("length of '{}' in the analysis CRS", ind.element);
    }
    r.status = indicator_status(ind, *r.value);
    return r;
}

}  // namespace planmap::plan
