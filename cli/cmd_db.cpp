// planmap db clean --db PG:… [--dry-run]: the scratch schemas (planmap_run_*) that killed runs of
// `coverage --engine postgis` left in a database, listed and dropped.
#include <algorithm>
#include <ostream>

#include "analysis/postgis_engine.hpp"
#include "cli/cli.hpp"
#include "core/error.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

void add_db(CLI::App& app, Context& ctx) {
    auto* db = app.add_subcommand("db", tr("maintenance of a PostGIS database used by --engine postgis"));
    db->require_subcommand(1);
    auto* clean = db->add_subcommand("clean", tr("list and drop the scratch schemas (planmap_run_*) left by interrupted runs"));
    struct Opts {
        std::string db;
        bool dry_run = false;
    };
    auto opts = std::make_shared<Opts>();
    clean->add_option("--db", opts->db, tr("the database: a PG:… connection string or a postgresql:// URI"))->required();
    clean->add_flag("--dry-run,-n", opts->dry_run, tr("only list the leftover schemas; drop nothing"));
    clean->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            if (!layers::is_postgis(opts->db))
                throw usage_error(trf("--db '{}' is not a PG:… connection string", layers::redact_connection(opts->db)));
            auto found = analysis::scratch_schemas(opts->db);
            std::vector<std::string> dropped;
            if (!opts->dry_run) dropped = analysis::drop_scratch_schemas(opts->db);
            if (ctx.quiet) return;
            std::size_t leftovers = 0;
            for (const auto& s : found) {
                if (s.in_use) {
                    ctx.out << trf("{}: in use by a running planmap, kept", s.name) << "\n";
                    continue;
                }
                ++leftovers;
                bool gone = std::find(dropped.begin(), dropped.end(), s.name) != dropped.end();
                ctx.out << s.name << ": " << (opts->dry_run ? tr("leftover (--dry-run: kept)") : gone ? tr("dropped") : tr("leftover")) << "\n";
            }
            ctx.out << trf("{} leftover scratch schema(s)", leftovers) << (opts->dry_run ? "" : trf(", {} dropped", dropped.size())) << "\n";
        };
    });
}

}  // namespace planmap::cli
