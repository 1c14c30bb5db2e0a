// Connection strings and SQL text without a database: secrets hidden in every form libpq reads,
// URIs turned into GDAL's keyword form, literals that read back the same on any server.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "layers/postgis.hpp"

using namespace planmap;
using layers::pg_keyword_form;
using layers::redact_connection;
using layers::sql_literal;

namespace {

void expect_hidden(const std::string& text, const std::string& secret) {
    auto r = redact_connection(text);
    EXPECT_EQ(r.find(secret), std::string::npos) << text << " -> " << r;
    EXPECT_NE(r.find("***"), std::string::npos) << text << " -> " << r;
}

}  // namespace

TEST(RedactConnection, KeywordFormAnyCaseAndSpacing) {
    EXPECT_EQ(redact_connection("PG:dbname=x password=secret host=h"), "PG:dbname=x password=*** host=h");
    expect_hidden("PG:dbname=x PASSWORD=secret", "secret");
    expect_hidden("PG:dbname=x Password = secret host=h", "secret");
    expect_hidden("PG:dbname=x sslpassword=secret", "secret");
    expect_hidden("PG:password=secret", "secret");
    expect_hidden("dbname=x password=secret", "secret");  // without PG:
    // A value after white space belongs to the keyword (libpq skips it).
    expect_hidden("PG:password= secret", "secret");
}

TEST(RedactConnection, QuotedAndEscapedValues) {
    EXPECT_EQ(redact_connection("PG:password='a b\\'c' dbname=x"), "PG:password=*** dbname=x");
    expect_hidden("PG:dbname=x password='se cret'", "cret");
    expect_hidden("PG:dbname=x password='unterminated se cret", "cret");
    EXPECT_EQ(redact_connection("PG:password=a\\ b dbname=x"), "PG:password=*** dbname=x");
    expect_hidden("PG:password=\"secret\" dbname=x", "secret");
}

TEST(RedactConnection, UriForms) {
    EXPECT_EQ(redact_connection("PG:postgresql://user:secret@host:5432/db"), "PG:postgresql://user:***@host:5432/db");
    expect_hidden("postgresql://user:secret@host/db", "secret");
    expect_hidden("postgres://user:secret@host/db", "secret");
    expect_hidden("POSTGRESQL://user:secret@host/db", "secret");
    expect_hidden("postgresql://user@host/db?sslmode=require&password=secret", "secret");
    expect_hidden("postgresql://host/db?pass%77ord=secret&x=1", "secret");
    expect_hidden("postgresql://u:se%40cret@host/db", "se%40cret");
    // No password: nothing changes.
    EXPECT_EQ(redact_connection("postgresql://user@host:5432/db?x=a@b"), "postgresql://user@host:5432/db?x=a@b");
    EXPECT_EQ(redact_connection("postgresql://host:5432/db"), "postgresql://host:5432/db");
}

TEST(RedactConnection, InsideMessagesAndLeavesTheRestAlone) {
    expect_hidden("cannot open 'PG:dbname=x password=secret': FATAL: password authentication failed", "secret");
    expect_hidden("cannot open 'postgresql://u:secret@h/db': no", "secret");
    auto r = redact_connection("FATAL: password authentication failed for user \"u\"");
    EXPECT_EQ(r, "FATAL: password authentication failed for user \"u\"");
    EXPECT_EQ(redact_connection("PG:service=planning dbname=x"), "PG:service=planning dbname=x");
    EXPECT_EQ(redact_connection("parks.gpkg:parks"), "parks.gpkg:parks");
    EXPECT_EQ(redact_connection(""), "");
    // Long text: linear, no recursion.
    std::string big(1 << 20, 'a');
    EXPECT_EQ(redact_connection(big + " password='" + big).size(), big.size() + 13);
}

TEST(PgKeywordForm, UrisBecomeQuotedKeywords) {
    EXPECT_EQ(pg_keyword_form("PG:dbname=x user=y"), "PG:dbname=x user=y");
    EXPECT_EQ(pg_keyword_form("PG:postgresql://us%20er:p%27w\\d@db.example:6543/planning?sslmode=require"),
              "PG:user='us er' password='p\\'w\\\\d' dbname=planning host=db.example port=6543 sslmode=require");
    EXPECT_EQ(pg_keyword_form("postgresql:///planning?host=%2Ftmp%2Fpg"), "PG:dbname=planning host=/tmp/pg");
    EXPECT_EQ(pg_keyword_form("postgres://h1:1,[::1]:2/d"), "PG:dbname=d host=h1,::1 port=1,2");
    EXPECT_EQ(pg_keyword_form("postgresql://u@h"), "PG:user=u host=h");
    EXPECT_THROW(pg_keyword_form("postgresql://u:secret@h/d%zz"), usage_error);
    try {
        pg_keyword_form("postgresql://u:secret@h/d%zz");
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(layers::is_postgis("postgresql://h/d"));
    EXPECT_TRUE(layers::is_postgis("PG:postgresql://h/d"));
    EXPECT_FALSE(layers::is_postgis("parks.gpkg"));
}

TEST(SqlLiteral, EscapesLikeLibpq) {
    EXPECT_EQ(sql_literal("park"), "'park'");
    EXPECT_EQ(sql_literal("it's"), "'it''s'");
    EXPECT_EQ(sql_literal("x\\'); DROP TABLE t; --"), "E'x\\\\''); DROP TABLE t; --'");
    EXPECT_EQ(sql_literal("a\\b"), "E'a\\\\b'");
    EXPECT_THROW(sql_literal(std::string("a\0b", 3)), usage_error);
    EXPECT_EQ(layers::sql_ident("a\"b"), "\"a\"\"b\"");
}
