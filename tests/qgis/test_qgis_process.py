"""planmap's algorithms through `qgis_process`, with the plugin installed from its ZIP into a
fresh QGIS profile: the list, and coverage, isochrone, lifecircle, build and render runs giving
the command line's figures and files.   /usr/bin/python3 tests/qgis/test_qgis_process.py PLANMAP"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qgis_support  # noqa: E402


def qgis_process(env, *args):
    r = subprocess.run([qgis_support.qgis_process_binary()] + list(args), env=env.env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return r.returncode, r.stdout, r.stderr


def run(env, t, algorithm, **params):
    code, out, err = qgis_process(env, '--json', 'run', algorithm, '--', *['{}={}'.format(k, v) for k, v in params.items()])
    t.check(code == 0, 'qgis_process run {} exits 0{}'.format(algorithm, '' if code == 0 else ': ' + (err or out)[-600:]))
    try:
        return json.loads(out[out.index('{'):])['results']
    except ValueError:
        return {}


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def main(planmap):
    env = qgis_support.Env(planmap)
    t = qgis_support.Checks()
    code, out, err = qgis_process(env, 'plugins', 'enable', 'planmap_processing')
    t.check(code == 0, 'qgis_process plugins enable planmap_processing' + ('' if code == 0 else ': ' + err[-400:]))
    code, out, _ = qgis_process(env, 'list')
    listed = sorted(line.split()[0] for line in out.splitlines() if line.strip().startswith('planmap:'))
    t.check(listed == ['planmap:assess', 'planmap:build', 'planmap:coverage', 'planmap:isochrone', 'planmap:lifecircle', 'planmap:render', 'planmap:site'],
            'qgis_process list shows the planmap algorithms: {}'.format(listed))

    city = env.city(200)
    # coverage, by profile and zones
    code, _, err = env.planmap_run('coverage', '--facilities', city + ':parks', '--residential', city + ':residential',
                                   '--profile', 'gb-park-radius', '--zones', city + ':zones', '--zone-field', 'name',
                                   '-o', env.path('cli_cov'), '--json', env.path('cli_cov.json'), '-q')
    t.check(code == 0, 'planmap coverage ' + err.strip())
    cli = qgis_support.read_json(env.path('cli_cov.json'))
    r = run(env, t, 'planmap:coverage', FACILITIES=city + '|layername=parks', RESIDENTIAL=city + '|layername=residential',
            PROFILE=1, ZONES=city + '|layername=zones', ZONE_FIELD='name', OUTPUT=env.path('qp_cov'), JSON=env.path('qp_cov.json'))
    for key in ('coverage_ratio', 'covered_area_m2', 'residential_area_m2', 'population', 'covered_population',
                'population_coverage_ratio', 'facilities_counted'):
        t.check(key.upper() in r and close(r[key.upper()], cli[key]),
                'coverage {}: qgis_process {} = command line {}'.format(key, r.get(key.upper()), cli[key]))
    with open(env.path('cli_cov', 'coverage_zones.csv'), encoding='utf-8') as a, \
            open(env.path('qp_cov', 'coverage_zones.csv'), encoding='utf-8') as b:
        t.check(a.read() == b.read(), 'coverage_zones.csv is the same file as the command line\'s')
    t.check(qgis_support.read_json(env.path('qp_cov.json'))['zones'] == cli['zones'], 'JSON zones equal the command line\'s')

    # coverage in network mode, by a fixed radius
    code, _, err = env.planmap_run('coverage', '--facilities', city + ':parks', '--residential', city + ':residential',
                                   '--radius', '400', '--mode', 'network', '--network', city + ':streets', '--width', '80',
                                   '-o', env.path('cli_net'), '--json', env.path('cli_net.json'), '-q')
    cli = qgis_support.read_json(env.path('cli_net.json'))
    r = run(env, t, 'planmap:coverage', FACILITIES=city + '|layername=parks', RESIDENTIAL=city + '|layername=residential',
            PROFILE=0, RADIUS=400, MODE=1, NETWORK_LAYER=city + '|layername=streets', WIDTH=80, OUTPUT=env.path('qp_net'))
    t.check(close(r.get('COVERAGE_RATIO', -1), cli['coverage_ratio']),
            'network-mode coverage ratio: qgis_process {} = command line {}'.format(r.get('COVERAGE_RATIO'), cli['coverage_ratio']))

    # isochrone from the facility points, 5 minutes
    code, _, err = env.planmap_run('isochrone', '--network', city + ':streets', '--from', city + ':facilities',
                                   '--minutes', '5', '-o', env.path('cli_iso.gpkg'), '--json', env.path('cli_iso.json'), '-q')
    cli = qgis_support.read_json(env.path('cli_iso.json'))
    r = run(env, t, 'planmap:isochrone', NETWORK_LAYER=city + '|layername=streets', SOURCES=city + '|layername=facilities',
            MINUTES=5, OUTPUT=env.path('qp_iso.gpkg'))
    for key in ('sources', 'attached', 'reached_nodes', 'reach_length_m', 'whole_edge_length_m', 'area_m2', 'whole_edge_area_m2'):
        t.check(key.upper() in r and close(r[key.upper()], cli[key]),
                'isochrone {}: qgis_process {} = command line {}'.format(key, r.get(key.upper()), cli[key]))

    # lifecircle
    code, _, err = env.planmap_run('lifecircle', '--facilities', city + ':facilities', '--residential', city + ':residential',
                                   '-o', env.path('cli_lc'), '-q')
    r = run(env, t, 'planmap:lifecircle', FACILITIES=city + '|layername=facilities', RESIDENTIAL=city + '|layername=residential',
            OUTPUT=env.path('qp_lc'))
    with open(env.path('cli_lc', 'lifecircle_compliance.csv'), encoding='utf-8') as a, \
            open(env.path('qp_lc', 'lifecircle_compliance.csv'), encoding='utf-8') as b:
        t.check(a.read() == b.read(), 'lifecircle_compliance.csv is the same file as the command line\'s')

    # build and render
    plan = os.path.join(qgis_support.ROOT, 'tests', 'data', 'qgis', 'small_plan.toml')
    r = run(env, t, 'planmap:build', PLAN=plan, OUTPUT=env.path('qp_plan.gpkg'))
    t.check(os.path.isfile(env.path('qp_plan.gpkg')), 'build writes the plan GeoPackage')
    map_file = os.path.join(qgis_support.ROOT, 'tests', 'render', 'data', 'plan_a4.toml')
    code, out, err = env.planmap_run('render', map_file, '-o', env.path('cli_sheet.svg'))
    r = run(env, t, 'planmap:render', MAP=map_file, OUTPUT=env.path('qp_sheet.svg'))
    with open(env.path('cli_sheet.svg'), 'rb') as a, open(env.path('qp_sheet.svg'), 'rb') as b:
        t.check(a.read() == b.read(), 'render writes the same SVG sheet as the command line')
    r = run(env, t, 'planmap:render', PLAN=env.path('qp_plan.gpkg'), TITLE='测试规划结构图', PAPER=5, DPI=40,
            OUTPUT=env.path('qp_plan.png'))
    t.check(os.path.getsize(env.path('qp_plan.png')) > 1000, 'render --plan draws a PNG sheet of the built plan')

    # assess: a plan's park-coverage indicator on the city's layers, the same table as the command line
    assess_plan = env.path('assess_plan.toml')
    with open(plan, encoding='utf-8') as src, open(assess_plan, 'w', encoding='utf-8') as dst:
        dst.write(src.read() + '\n[[indicator]]\nid = "park_coverage"\nname_zh = "公园绿地服务半径覆盖率"\nunit = "%"\n'
                  'target = { value = 90, year = 2025 }\nsource_ref = "test"\nevaluate = "coverage"\n'
                  'profile = "gb-park-radius"\nresidential = "residential"\nfacilities = "parks"\n')
    code, _, err = env.planmap_run('assess', assess_plan, '--data', 'residential=' + city + ':residential', '--data',
                                   'parks=' + city + ':parks', '-o', env.path('cli_assess'), '-q')
    t.check(code == 0, 'command-line assess runs ({})'.format(err.strip()))
    r = run(env, t, 'planmap:assess', PLAN=assess_plan, RESIDENTIAL=city + '|layername=residential',
            FACILITIES=city + '|layername=parks', OUTPUT=env.path('qp_assess'))
    with open(env.path('cli_assess', 'indicators.csv'), encoding='utf-8') as a, \
            open(env.path('qp_assess', 'indicators.csv'), encoding='utf-8') as b:
        cli_csv, qp_csv = a.read(), b.read()
    t.check(cli_csv == qp_csv and 'park_coverage' in qp_csv, 'assess writes the same indicator table as the command line')
    t.check(r.get('MET', -1) + r.get('NOT_MET', -1) >= 1 and os.path.isfile(r.get('PDF', '')),
            'assess reports its status counts and the PDF sheet: {}'.format(r))

    # site: three new 6000 m² parks on a 400 m grid inside the zones, the same sites as the command line
    code, _, err = env.planmap_run('site', '--facilities', city + ':parks', '--residential', city + ':residential',
                                   '--within', city + ':zones', '--grid', '400', '--site-area', '6000', '--profile',
                                   'gb-park-radius', '--add', '3', '-o', env.path('cli_site'), '-q')
    t.check(code == 0, 'command-line site runs ({})'.format(err.strip()))
    r = run(env, t, 'planmap:site', FACILITIES=city + '|layername=parks', RESIDENTIAL=city + '|layername=residential',
            WITHIN=city + '|layername=zones', GRID=400, SITE_AREA=6000, PROFILE=1, ADD=3, OUTPUT=env.path('qp_site'))
    with open(env.path('cli_site', 'site_sites.csv'), encoding='utf-8') as a, \
            open(env.path('qp_site', 'site_sites.csv'), encoding='utf-8') as b:
        t.check(a.read() == b.read(), 'site chooses the same sites as the command line')
    # (fewer than three when fewer already cover everything: a site without gain is not chosen)
    t.check(1 <= r.get('SITES', 0) <= 3 and r.get('COVERAGE_AFTER', 0) > r.get('COVERAGE_BEFORE', 1),
            'site reports its sites and the coverage before and after: {}'.format(r))

    # a bad input: planmap's one-line error, exit code 1 of qgis_process
    code, out, err = qgis_process(env, 'run', 'planmap:coverage', '--', 'FACILITIES=' + city + '|layername=parks',
                                  'RESIDENTIAL=' + city + '|layername=facilities', 'PROFILE=1', 'OUTPUT=' + env.path('qp_bad'))
    t.check(code != 0 and 'planmap: error:' in out + err and not os.path.exists(env.path('qp_bad')),
            'points as residential land fail with planmap\'s message and no output')

    return t.close('test_qgis_process', env)


if __name__ == '__main__':
    qgis_support.entry(main, 'test_qgis_process.py PLANMAP', 'qgis_process')
