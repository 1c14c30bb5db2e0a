#include "analysis/import.hpp"

#include <map>

#include "core/i18n.hpp"
#include "core/error.hpp"
#include "layers/postgis.hpp"

namespace planmap::analysis {

bool repaired_action(const std::string& action) { return action.rfind("repaired", 0) == 0 || action == "closed"; }
bool removed_action(const std::string& action) { return action.rfind("geometry removed", 0) == 0 || action == "no geometry"; }

namespace {

// What a refused import names: the feature and why, as "feature 3 (Self-intersection[1 1])".
bool refused_action(const std::string& action) { return action == "kept invalid" || removed_action(action); }

}  // namespace

void ImportLog::take(const std::string& role, const std::string& source, const std::vector<layers::FeatureNote>& layer_notes) {
    if (!repair) {
        std::vector<const layers::FeatureNote*> bad;
        for (const auto& n : layer_notes)
            if (refused_action(n.action)) bad.push_back(&n);
        if (!bad.empty()) {
            std::string list;
            for (std::size_t k = 0; k < bad.size() && k < 10; ++k)
                list += (k ? ", " : "") + trf("feature {} ({})", bad[k]->fid, bad[k]->reason);
            if (bad.size() > 10) list += trf(", … {} more", bad.size() - 10);
            throw error(trf(bad.size() == 1 ? N_("{} layer '{}' of '{}' has {} invalid or unusable geometry, refused with ")
                                            : N_("{} layer '{}' of '{}' has {} invalid or unusable geometries, refused with "),
                            role, bad.front()->layer, layers::redact_connection(source), bad.size()),
                        param{"repair"}, ": " + list);
        }
    }
    for (const auto& n : layer_notes) notes.push_back({role, n});
}

std::size_t ImportLog::repaired() const {
    std::size_t n = 0;
    for (const auto& e : notes) n += repaired_action(e.note.action) ? 1 : 0;
    return n;
}

std::size_t ImportLog::removed() const {
    std::size_t n = 0;
    for (const auto& e : notes) n += removed_action(e.note.action) ? 1 : 0;
    return n;
}

void ImportLog::add_to(nlohmann::json& j) const {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t k = 0; k < notes.size() && k < 1000; ++k) {
        const auto& n = notes[k].note;
        list.push_back({{"role", notes[k].role}, {"layer", n.layer}, {"fid", n.fid}, {"reason", n.reason}, {"action", n.action}});
    }
    j["repairs"] = list;
    j["geometries_repaired"] = repaired();
    j["geometries_removed"] = removed();
}

std::string ImportLog::summary_line() const {
    auto by_role = [this](bool (*pick)(const std::string&)) {
        std::map<std::string, std::size_t> counts;
        std::size_t total = 0;
        for (const auto& e : notes)
            if (pick(e.note.action)) ++counts[e.role], ++total;
        std::string text;
        for (const auto& [role, count] : counts) text += (text.empty() ? "" : ", ") + role + " " + std::to_string(count);
        return std::pair{total, text};
    };
    auto [fixed, fixed_by] = by_role(repaired_action);
    auto [gone, gone_by] = by_role(removed_action);
    std::string line;
    if (fixed) line += trf(fixed == 1 ? N_("{} geometry repaired ({})") : N_("{} geometries repaired ({})"), fixed, fixed_by);
    if (gone)
        line += (line.empty() ? "" : ", ") + trf(gone == 1 ? N_("{} geometry left out ({})") : N_("{} geometries left out ({})"), gone, gone_by);
    return line.empty() ? line : trf("input: {} (listed under \"repairs\" in the JSON summary)", line);
}

layers::Layer import_layer(const std::string& source, const std::string& role, ImportLog& log, layers::ReadOptions options) {
    auto spec = layers::SourceSpec::parse(source);
    if (!options.layer) options.layer = spec.layer;
    options.repair = log.repair;
    layers::Layer layer = layers::read_layer(spec, options);
    log.take(role, source, layer.notes);
    return layer;
}

}  // namespace planmap::analysis
