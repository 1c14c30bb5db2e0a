#include "layers/feature.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "layers/crs_hints.hpp"

namespace planmap::layers {

std::string to_string(FieldType t) {
    switch (t) {
        case FieldType::integer: return "Integer";
        case FieldType::real: return "Real";
        case FieldType::string: return "String";
    }
    return "String";
}

std::string value_to_string(const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) {
        std::ostringstream s;
        s.precision(15);
        s << std::get<double>(v);
        return s.str();
    }
    if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    return {};
}

std::optional<double> value_to_double(const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) return static_cast<double>(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) return std::get<double>(v);
    if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (end && end != s.c_str() && *end == '\0' && std::isfinite(d)) return d;
    }
    return std::nullopt;
}

Layer::Layer(std::string name, std::vector<Field> fields, std::optional<geo::Crs> crs, std::string geometry_type)
    : name_(std::move(name)), fields_(std::move(fields)), crs_(std::move(crs)), geometry_type_(std::move(geometry_type)) {}

int Layer::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields_.size(); ++i)
        if (fields_[i].name == name) return static_cast<int>(i);
    return -1;
}

int Layer::add_field(Field f) {
    int existing = field_index(f.name);
    if (existing >= 0) return existing;
    fields_.push_back(std::move(f));
    for (auto& feat : features_) feat.values.resize(fields_.size());
    return static_cast<int>(fields_.size() - 1);
}

void Layer::set_rows(std::size_t count, RowSource source) {
    row_count_ = count;
    row_source_ = std::move(source);
}

Feature& Layer::add(Feature f) {
    index_.reset();
    f.values.resize(fields_.size());
    if (f.fid < 0) f.fid = static_cast<std::int64_t>(features_.size());
    features_.push_back(std::move(f));
    return features_.back();
}

const Value& Layer::value(std::size_t i, const std::string& name) const {
    static const Value none;
    int idx = field_index(name);
    if (idx < 0 || i >= features_.size()) return none;
    return features_[i].values[static_cast<std::size_t>(idx)];
}

geo::Envelope Layer::extent() const {
    geo::Envelope e;
    for (const auto& f : features_)
        if (f.geometry) e.expand(geo::envelope(f.geometry.get()));
    return e;
}

const geo::SpatialIndex& Layer::index() const {
    if (!index_) {
        std::vector<geo::Envelope> envs;
        envs.reserve(features_.size());
        for (const auto& f : features_) envs.push_back(f.geometry ? geo::envelope(f.geometry.get()) : geo::Envelope{});
        index_.emplace(envs);
    }
    return *index_;
}

std::vector<std::string> Layer::reproject(const geo::Crs& to) {
    if (!crs_) throw missing_crs_error(*this);
    geo::Transformer transformer(*crs_, to);
    for (auto& f : features_) {
        if (!f.geometry) continue;
        try {
            f.geometry = transformer.transform(f.geometry.get());
        } catch (const crs_error& e) {
            throw crs_error(trf("layer '{}', feature {}: {} from {} to {}", name_, f.fid, e.what(), crs_->label(), to.label()));
        }
    }
    index_.reset();
    crs_ = to;
    return transformer.warnings();
}

Layer& Dataset::layer(const std::string& name) {
    for (auto& l : layers)
        if (l.name() == name) return l;
    throw io_error(trf("'{}' has no layer '{}'", source, name));
}

const Layer* Dataset::find(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name() == name) return &l;
    return nullptr;
}

}  // namespace planmap::layers
