// Messages in the user's language. User-facing English text is marked in the code with tr("…")
// (or trf("… {} …", args) when it carries values) and translated through GNU gettext catalogues:
// po/zh_CN/*.po, one per module, compiled by msgfmt at build time into
// <locale dir>/zh_CN/LC_MESSAGES/planmap.mo and read with Boost.Locale's gettext reader, which
// needs no system locale (analysts' machines rarely have zh_CN.UTF-8 generated).
// The language is chosen once per command (--lang, else the locale); machine-readable outputs
// (JSON keys, CSV headers, GeoPackage fields) never go through tr().
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace planmap::i18n {

enum class Language { en, zh };

// "zh", "zh_CN", "zh_CN.UTF-8", "zh-Hans", "zh_TW" → zh; "en", "en_US.UTF-8", "C", "POSIX",
// "C.UTF-8" → en; anything else → nullopt.
std::optional<Language> parse_language(std::string_view name);
// The language the environment asks for, as gettext reads it: the first entry of LANGUAGE, else
// LC_ALL, LC_MESSAGES, LANG; Chinese when that is a Chinese locale, English otherwise.
Language language_from_environment();
// "zh" or "en".
const char* language_code(Language language);

// The language of messages and reports for this process (English until set).
void set_language(Language language);
Language language();

// Sets the language for a scope (one command run) and restores the previous one after it.
class LanguageScope {
public:
    explicit LanguageScope(Language language) : previous_(i18n::language()) { set_language(language); }
    ~LanguageScope() { set_language(previous_); }
    LanguageScope(const LanguageScope&) = delete;
    LanguageScope& operator=(const LanguageScope&) = delete;

private:
    Language previous_;
};

// Where the compiled catalogues are: $PLANMAP_LOCALE_DIR, else <prefix>/share/locale next to an
// installed binary, else the build tree's.
std::string locale_dir();

// The translation of `msgid` into the current language; `msgid` itself in English or when the
// catalogue has no translation. The pointer stays valid for the whole process.
const char* tr(const char* msgid);
// The same in a given language, whatever the current one.
const char* tr(Language language, const char* msgid);

// tr(msgid) with its {} / {0} placeholders filled (fmt syntax; translations may reorder {0} {1}).
template <class... Args>
std::string trf(const char* msgid, Args&&... args) {
    return fmt::format(fmt::runtime(tr(msgid)), std::forward<Args>(args)...);
}

// Marks a string for extraction without translating it where it stands (a table of messages
// translated later with tr(name)).
constexpr const char* N_(const char* msgid) { return msgid; }

}  // namespace planmap::i18n

namespace planmap {
using i18n::N_;
using i18n::tr;
using i18n::trf;
}  // namespace planmap
