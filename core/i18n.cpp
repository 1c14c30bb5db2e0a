#include "core/i18n.hpp"

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <locale>
#include <memory>

namespace planmap::i18n {

namespace fs = std::filesystem;

namespace {

std::atomic<Language> current{Language::en};

// The Chinese catalogue, loaded on first use; a std::locale owns the facet (its destructor is
// protected). Missing file: no translations, every message stays English.
class Catalogue {
public:
    Catalogue() {
        boost::locale::gnu_gettext::messages_info info;
        info.language = "zh";
        info.country = "CN";
        info.encoding = "UTF-8";
        info.paths = {locale_dir()};
        info.domains = {boost::locale::gnu_gettext::messages_info::domain("planmap")};
        auto* facet = boost::locale::gnu_gettext::create_messages_facet<char>(info);
        if (facet) {
            locale_ = std::locale(std::locale::classic(), facet);
            facet_ = facet;
        }
    }
    const char* find(const char* msgid) const {
        if (!facet_ || !msgid || !*msgid) return nullptr;
        const char* s = facet_->get(0, nullptr, msgid);
        return s && *s ? s : nullptr;
    }

private:
    std::locale locale_;
    const boost::locale::message_format<char>* facet_ = nullptr;
};

const Catalogue& chinese() {
    static const Catalogue catalogue;
    return catalogue;
}

}  // namespace

std::optional<Language> parse_language(std::string_view name) {
    auto starts = [&](std::string_view p) {
        return name.size() >= p.size() && name.substr(0, p.size()) == p &&
               (name.size() == p.size() || name[p.size()] == '_' || name[p.size()] == '-' || name[p.size()] == '.' ||
                name[p.size()] == '@');
    };
    if (starts("zh")) return Language::zh;
    if (starts("en") || starts("C") || starts("POSIX")) return Language::en;
    return std::nullopt;
}

Language language_from_environment() {
    auto get = [](const char* var) -> std::string {
        const char* v = std::getenv(var);
        return v ? v : "";
    };
    std::string chosen;
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (chosen = get(var); !chosen.empty()) break;
    // gettext's rule: LANGUAGE, a list, takes precedence unless the locale is "C".
    if (std::string list = get("LANGUAGE"); !list.empty() && !chosen.empty() && chosen != "C" && chosen != "POSIX")
        chosen = list.substr(0, list.find(':'));
    return parse_language(chosen).value_or(Language::en);
}

const char* language_code(Language language) { return language == Language::zh ? "zh" : "en"; }

void set_language(Language language) { current.store(language, std::memory_order_relaxed); }
Language language() { return current.load(std::memory_order_relaxed); }

std::string locale_dir() {
    if (const char* env = std::getenv("PLANMAP_LOCALE_DIR"); env && *env) return env;
    std::error_code ec;
    if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
        auto share = exe.parent_path().parent_path() / "share" / "locale";
        if (fs::exists(share / "zh_CN" / "LC_MESSAGES" / "planmap.mo", ec)) return share.string();
    }
    return PLANMAP_BUILD_LOCALE_DIR;
}

const char* tr(Language language, const char* msgid) {
    if (language == Language::en) return msgid;
    const char* s = chinese().find(msgid);
    return s ? s : msgid;
}

const char* tr(const char* msgid) { return tr(language(), msgid); }

}  // namespace planmap::i18n
