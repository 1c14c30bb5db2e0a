// The language choice and the catalogue reader: the compiled Chinese catalogue of the build tree
// is found and read without any system locale, English is the text itself, and the environment is
// read as gettext reads it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/i18n.hpp"

namespace planmap::i18n {
namespace {

// Sets an environment variable for one test and restores it.
class EnvVar {
public:
    EnvVar(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        value ? ::setenv(name, value, 1) : ::unsetenv(name);
    }
    ~EnvVar() { old_.empty() ? ::unsetenv(name_) : ::setenv(name_, old_.c_str(), 1); }

private:
    const char* name_;
    std::string old_;
};

TEST(I18n, ParsesLanguageNames) {
    EXPECT_EQ(parse_language("zh"), Language::zh);
    EXPECT_EQ(parse_language("zh_CN.UTF-8"), Language::zh);
    EXPECT_EQ(parse_language("zh-Hans"), Language::zh);
    EXPECT_EQ(parse_language("zh_TW"), Language::zh);
    EXPECT_EQ(parse_language("en_US.UTF-8"), Language::en);
    EXPECT_EQ(parse_language("C.UTF-8"), Language::en);
    EXPECT_EQ(parse_language("POSIX"), Language::en);
    EXPECT_EQ(parse_language("zhx"), std::nullopt);
    EXPECT_EQ(parse_language("fr_FR"), std::nullopt);
    EXPECT_EQ(parse_language(""), std::nullopt);
}

TEST(I18n, LanguageFromEnvironmentFollowsGettext) {
    EnvVar all("LC_ALL", nullptr), messages("LC_MESSAGES", nullptr), language("LANGUAGE", nullptr);
    {
        EnvVar lang("LANG", "zh_CN.UTF-8");
        EXPECT_EQ(language_from_environment(), Language::zh);
        EnvVar lc("LC_MESSAGES", "en_US.UTF-8");  // LC_MESSAGES before LANG
        EXPECT_EQ(language_from_environment(), Language::en);
        EnvVar list("LANGUAGE", "zh_CN:en");  // LANGUAGE first when the locale is not C
        EXPECT_EQ(language_from_environment(), Language::zh);
    }
    {
        EnvVar lang("LANG", "C");
        EnvVar list("LANGUAGE", "zh_CN");  // ignored under the C locale, as gettext does
        EXPECT_EQ(language_from_environment(), Language::en);
    }
    {
        EnvVar lang("LANG", nullptr);
        EXPECT_EQ(language_from_environment(), Language::en);
        EnvVar lc("LC_ALL", "zh_TW.UTF-8");
        EXPECT_EQ(language_from_environment(), Language::zh);
    }
}

TEST(I18n, TranslatesThroughTheCompiledCatalogue) {
    // A string of the catalogue (cli: the --lang option's own error).
    const char* msgid = "unknown language '{}': use zh or en";
    EXPECT_STREQ(tr(Language::en, msgid), msgid);
    const std::string zh = tr(Language::zh, msgid);
    EXPECT_NE(zh, msgid) << "no Chinese catalogue found in " << locale_dir();
    EXPECT_NE(zh.find("语言"), std::string::npos) << zh;
    // An unknown string stays as it is in either language.
    EXPECT_STREQ(tr(Language::zh, "no such message id 12345"), "no such message id 12345");
}

TEST(I18n, ScopeSetsAndRestoresTheLanguage) {
    const char* msgid = "unknown language '{}': use zh or en";
    ASSERT_EQ(language(), Language::en);
    {
        LanguageScope zh(Language::zh);
        EXPECT_EQ(language(), Language::zh);
        EXPECT_STRNE(tr(msgid), msgid);
        const std::string formatted = trf(msgid, "fr");
        EXPECT_NE(formatted.find("fr"), std::string::npos) << formatted;
        EXPECT_NE(formatted.find("zh"), std::string::npos) << formatted;
    }
    EXPECT_EQ(language(), Language::en);
    EXPECT_EQ(trf(msgid, "fr"), "unknown language 'fr': use zh or en");
}

}  // namespace
}  // namespace planmap::i18n
