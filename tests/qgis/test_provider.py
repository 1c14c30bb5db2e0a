"""The planmap Processing provider inside QGIS (PyQGIS, headless): the algorithms, layers open in
QGIS as inputs (files, selections, memory layers, PostGIS), figures equal to the command line's,
outputs loaded into the project with their styles, progress, cancel, errors and the executable
setting.   /usr/bin/python3 tests/qgis/test_provider.py PLANMAP"""

import glob
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qgis_support  # noqa: E402


def main(planmap):
    env = qgis_support.Env(planmap)
    app = qgis_support.start_qgis()
    plugin = qgis_support.load_plugin(env)  # noqa: F841 (the provider lives as long as the plugin)
    import processing
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsProcessingContext, QgsProcessingException,
                           QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback, QgsProject, QgsSettings,
                           QgsVectorLayer)
    from planmap_processing import runner

    t = qgis_support.Checks()
    ids = sorted(a.id() for a in QgsApplication.processingRegistry().providerById('planmap').algorithms())
    t.check(ids == ['planmap:assess', 'planmap:build', 'planmap:coverage', 'planmap:isochrone', 'planmap:lifecircle', 'planmap:render', 'planmap:site'],
            'provider lists assess, build, coverage, isochrone, lifecircle, render, site: {}'.format(ids))

    city = env.city(200)
    project = QgsProject.instance()
    layers = {n: QgsVectorLayer('{}|layername={}'.format(city, n), n, 'ogr') for n in ('parks', 'residential', 'zones', 'facilities', 'streets')}
    for layer in layers.values():
        project.addMapLayer(layer)

    # Figures equal to the command line's on the same data.
    code, _, err = env.planmap_run('coverage', '--facilities', city + ':parks', '--residential', city + ':residential',
                                   '--profile', 'gb-park-radius', '-o', env.path('cli_cov'), '--json', env.path('cli_cov.json'), '-q')
    t.check(code == 0, 'command-line coverage runs ({})'.format(err.strip()))
    cli = qgis_support.read_json(env.path('cli_cov.json'))
    r = processing.run('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': layers['residential'].id(),
                                            'PROFILE': 1, 'OUTPUT': env.path('alg_cov')})
    for key in ('coverage_ratio', 'covered_area_m2', 'population', 'covered_population', 'residential_area_m2'):
        t.check(abs(r[key.upper()] - cli[key]) <= 1e-9 * max(1, abs(cli[key])),
                'coverage {} = command line ({} vs {})'.format(key, r[key.upper()], cli[key]))
    t.check(os.path.isfile(r['GPKG']) and os.path.isfile(r['CSV']), 'coverage writes coverage.gpkg and the zone CSV')

    # Outputs loaded into the project, styled by their layer_styles rows (the lifecircle parcels
    # are categorized by level_met, with Chinese aliases).
    before = set(project.mapLayers())
    processing.runAndLoadResults('planmap:lifecircle', {'FACILITIES': layers['facilities'].id(),
                                                        'RESIDENTIAL': layers['residential'].id(),
                                                        'OUTPUT': env.path('alg_lc')})
    loaded = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    parcels = [l for l in loaded if l.name() == 'parcels']
    t.check(len(parcels) == 1, 'lifecircle loads its parcels layer into the project ({})'.format([l.name() for l in loaded]))
    if parcels:
        p = parcels[0]
        t.check(p.renderer().type() == 'categorizedSymbol' and p.renderer().classAttribute() == 'level_met',
                'loaded parcels are categorized by level_met ({})'.format(p.renderer().type()))
        aliases = {f.name(): f.alias() for f in p.fields()}
        t.check(aliases.get('population') == '人口', 'loaded parcels show the Chinese alias 人口 for population')
    before = set(project.mapLayers())
    processing.runAndLoadResults('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': layers['residential'].id(),
                                                      'PROFILE': 1, 'OUTPUT': env.path('alg_cov2')})
    names = sorted(project.mapLayer(i).name() for i in set(project.mapLayers()) - before)
    t.check(names == ['covered', 'facilities', 'parcels', 'service_areas', 'uncovered'], 'coverage loads its five layers: {}'.format(names))

    # A selection and a memory layer reach planmap as exported GeoPackages.
    layers['residential'].selectByExpression('"fid" <= 50')
    sel = QgsProcessingFeatureSourceDefinition(layers['residential'].id(), selectedFeaturesOnly=True)
    r = processing.run('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': sel, 'PROFILE': 0,
                                            'RADIUS': 300, 'OUTPUT': env.path('alg_sel')})
    t.check(r['RESIDENTIAL_AREA_M2'] < cli['residential_area_m2'] * 0.5,
            'selected features only: {} m² of {} m²'.format(round(r['RESIDENTIAL_AREA_M2']), round(cli['residential_area_m2'])))
    memory = layers['parks'].materialize(QgsFeatureRequest())
    project.addMapLayer(memory)
    r = processing.run('planmap:coverage', {'FACILITIES': memory.id(), 'RESIDENTIAL': layers['residential'].id(), 'PROFILE': 1,
                                            'OUTPUT': env.path('alg_mem')})
    t.check(abs(r['COVERAGE_RATIO'] - cli['coverage_ratio']) < 1e-9, 'a memory layer as facilities gives the same figures')

    # A shapefile without .prj whose CRS is set in QGIS reaches planmap with that CRS (exported).
    noprj = QgsVectorLayer(os.path.join(qgis_support.ROOT, 'tests', 'data', 'gbk', 'ldid', 'taizhou_gbk.shp'), 'noprj', 'ogr')
    noprj.setCrs(QgsCoordinateReferenceSystem('EPSG:4326'))
    project.addMapLayer(noprj)
    alg = QgsApplication.processingRegistry().createAlgorithmById('planmap:coverage')
    context = QgsProcessingContext()
    context.setProject(project)
    src = runner.layer_source(alg, {'RESIDENTIAL': noprj.id()}, 'RESIDENTIAL', context, QgsProcessingFeedback())
    code, out, _ = env.planmap_run('info', src.arg, '--json')
    t.check(src.arg.split(':')[0].endswith('.gpkg') and 'EPSG:4326' in out.replace(' ', ''),
            'a shapefile without .prj is passed with the CRS set in QGIS ({})'.format(src.arg))

    # A GeoPackage layer QGIS opened by its index (|layerid=N) is passed by its name.
    by_index = QgsVectorLayer('{}|layerid=2'.format(city), 'by_index', 'ogr')
    src = runner.layer_source(alg, {'FACILITIES': by_index}, 'FACILITIES', context, QgsProcessingFeedback())
    t.check(src.arg == '{}:facilities'.format(os.path.abspath(city)), 'a layer opened as |layerid=2 is passed as ' + src.arg)

    # Isochrone from a line layer and a point layer open in QGIS.
    code, _, err = env.planmap_run('isochrone', '--network', city + ':streets', '--from', city + ':facilities', '--distance', '300',
                                   '-o', env.path('cli_iso.gpkg'), '--json', env.path('cli_iso.json'), '-q')
    cli_iso = qgis_support.read_json(env.path('cli_iso.json'))
    r = processing.run('planmap:isochrone', {'NETWORK_LAYER': layers['streets'].id(), 'SOURCES': layers['facilities'].id(),
                                             'DISTANCE': 300, 'OUTPUT': env.path('alg_iso.gpkg')})
    for key in ('area_m2', 'reach_length_m', 'reached_nodes', 'attached'):
        t.check(abs(r[key.upper()] - cli_iso[key]) <= 1e-9 * max(1, abs(cli_iso[key])),
                'isochrone {} = command line ({} vs {})'.format(key, r[key.upper()], cli_iso[key]))

    # Errors: planmap's own one-line message.
    with open(env.path('broken.toml'), 'w') as f:
        f.write('name = "broken"\ntitle = "x"\n[[radius]]\nradius_m = "far"\n')
    try:
        processing.run('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': layers['residential'].id(),
                                            'PROFILE_FILE': env.path('broken.toml'), 'OUTPUT': env.path('alg_err')})
        t.check(False, 'a broken profile is an error')
    except QgsProcessingException as e:
        msg = str(e)
        t.check(msg.startswith('planmap: ') and '\n' not in msg and 'broken.toml:' in msg, 'error is planmap\'s one line: ' + msg)
    t.check(not os.path.exists(env.path('alg_err')), 'a failed run leaves no output folder')

    # Under a Chinese QGIS, planmap speaks Chinese: the same error in Chinese, still one line.
    settings = QgsSettings()
    saved = (settings.value('locale/overrideFlag'), settings.value('locale/userLocale'))
    settings.setValue('locale/overrideFlag', True)
    settings.setValue('locale/userLocale', 'zh_CN')
    try:
        t.check(runner.language() == 'zh', 'a Chinese QGIS runs planmap with --lang zh ({})'.format(QgsApplication.locale()))
        processing.run('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': layers['residential'].id(),
                                            'PROFILE_FILE': env.path('broken.toml'), 'OUTPUT': env.path('alg_err_zh')})
        t.check(False, 'a broken profile is an error under a Chinese QGIS too')
    except QgsProcessingException as e:
        msg = str(e)
        t.check(msg.startswith('planmap: ') and '\n' not in msg and 'broken.toml:' in msg and
                any('\u4e00' <= c <= '\u9fff' for c in msg), 'the error is planmap\'s one line, in Chinese: ' + msg)
    finally:
        settings.setValue('locale/overrideFlag', saved[0] if saved[0] is not None else False)
        settings.setValue('locale/userLocale', saved[1] if saved[1] is not None else '')
    t.check(runner.language() == 'en', 'back under an English QGIS, --lang en ({})'.format(QgsApplication.locale()))

    # Progress from planmap's progress bars, and cancel leaving nothing behind.
    big = env.city(60000, seed=3)
    big_res = QgsVectorLayer('{}|layername=residential'.format(big), 'big', 'ogr')
    big_parks = QgsVectorLayer('{}|layername=parks'.format(big), 'bigparks', 'ogr')
    project.addMapLayers([big_res, big_parks])

    class Recorder(QgsProcessingFeedback):
        def __init__(self, cancel_at=None):
            super().__init__()
            self.values, self.texts, self.cancel_at = [], [], cancel_at
            self.progressChanged.connect(self.on_progress)

        def on_progress(self, value):
            self.values.append(value)
            if self.cancel_at is not None and 0 < value < 100 and len(self.values) >= self.cancel_at:
                self.cancel()

        def setProgressText(self, text):
            self.texts.append(text)
            super().setProgressText(text)

    feedback = Recorder()
    processing.run('planmap:coverage', {'FACILITIES': big_parks.id(), 'RESIDENTIAL': big_res.id(), 'PROFILE': 1,
                                        'OUTPUT': env.path('alg_big')}, feedback=feedback)
    partial = [v for v in feedback.values if 0 < v < 100]
    t.check(len(partial) >= 2 and 'reading residential' in feedback.texts,
            'progress shown while planmap reads: {} values between 0 and 100, texts {}'.format(len(partial), sorted(set(feedback.texts))))
    feedback = Recorder(cancel_at=1)
    started = time.time()
    try:
        processing.run('planmap:coverage', {'FACILITIES': big_parks.id(), 'RESIDENTIAL': big_res.id(), 'PROFILE': 1,
                                            'OUTPUT': env.path('alg_cancel')}, feedback=feedback)
        t.check(False, 'cancel stops the run')
    except QgsProcessingException as e:
        t.check('cancel' in str(e), 'cancel stops the run in {:.1f} s: {}'.format(time.time() - started, e))
    leftovers = glob.glob(env.path('.planmap-tmp-*')) + glob.glob(env.path('.*.tmp-*'))
    t.check(not os.path.exists(env.path('alg_cancel')) and not leftovers,
            'cancel leaves no output folder and no temporaries ({})'.format(leftovers))

    # The executable: PATH, or the provider's setting.
    settings = QgsSettings()
    key = 'Processing/Configuration/' + runner.EXECUTABLE_SETTING
    settings.setValue(key, env.path('no-such-planmap'))
    try:
        processing.run('planmap:render', {'MAP': os.path.join(qgis_support.ROOT, 'tests', 'render', 'data', 'plan_a4.toml'),
                                          'OUTPUT': env.path('x.png'), 'DPI': 20})
        t.check(False, 'a wrong executable setting is an error')
    except QgsProcessingException as e:
        t.check('no-such-planmap' in str(e), 'a wrong executable setting names it: ' + str(e))
    settings.setValue(key, env.planmap)
    os.environ['PATH'] = '/usr/bin:/bin'
    r = processing.run('planmap:render', {'MAP': os.path.join(qgis_support.ROOT, 'tests', 'render', 'data', 'plan_a4.toml'),
                                          'OUTPUT': env.path('sheet.png'), 'DPI': 30})
    t.check(os.path.getsize(r['OUTPUT']) > 1000, 'the executable set in the provider\'s settings runs (not on PATH)')
    settings.remove(key)
    os.environ['PATH'] = env.env['PATH']

    # PostGIS layers: read in place with the password in PGPASSWORD, never on the command line or in the log.
    pg = QgsVectorLayer("dbname='plan' host=127.0.0.1 port=9 user='analyst' password='s3cr3t!' sslmode=disable "
                        "key='fid' srid=4549 type=Polygon table=\"public\".\"residential\" (geom)", 'pg', 'postgres')
    src = runner._postgis_source(pg)
    t.check(src is not None and 's3cr3t' not in src.arg and src.env.get('PGPASSWORD') == 's3cr3t!'
            and "tables=public.residential(geom)" in src.arg, 'a PostGIS layer is passed as ' + (src.arg if src else 'nothing'))
    t.check('s3cr3t' not in runner.redact("PG:host=x password='s3cr3t!' dbname=y") and
            's3cr3t' not in runner.redact('postgresql://u:s3cr3t@h/db'), 'passwords are redacted in what is logged')

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.text = []

        def pushInfo(self, s):
            self.text.append(s)

        def pushCommandInfo(self, s):
            self.text.append(s)

        def pushConsoleInfo(self, s):
            self.text.append(s)

        def pushWarning(self, s):
            self.text.append(s)

        def reportError(self, s, fatal=False):
            self.text.append(s)

    log = Log()
    context = QgsProcessingContext()
    context.setProject(project)
    alg = QgsApplication.processingRegistry().createAlgorithmById('planmap:coverage')
    args = None
    try:
        alg.prepare({'FACILITIES': layers['parks'], 'RESIDENTIAL': pg, 'PROFILE': 1, 'OUTPUT': env.path('alg_pg')}, context, log)
        alg._parameters, alg._context, alg._feedback, alg._env = (
            {'FACILITIES': layers['parks'], 'RESIDENTIAL': pg, 'PROFILE': 1, 'OUTPUT': env.path('alg_pg')}, context, log, {})
        args = alg.arguments(alg._parameters, context, log)
        runner.run(env.planmap, args, log, env=alg._env)
        t.check(False, 'an unreachable database is an error')
    except QgsProcessingException as e:
        log.text.append(str(e))
    t.check(args is not None and not any('s3cr3t' in a for a in args), 'the password is not on planmap\'s command line')
    t.check(log.text and not any('s3cr3t' in s for s in log.text),
            'the password is in no log line or error ({} lines; last: {})'.format(len(log.text), log.text[-1] if log.text else ''))

    # A live PostGIS layer (password authentication): read in place, the figures of the file.
    pgserver = qgis_support.PostGIS()
    if pgserver.why:
        print('skip PostGIS layer runs: ' + pgserver.why)
    else:
        try:
            pgserver.load(city, 'residential', 'residential')
            live = QgsVectorLayer(pgserver.qgis_uri('residential', 'Polygon'), 'pg_residential', 'postgres')
            t.check(live.isValid() and live.featureCount() == 200, 'QGIS opens the PostGIS residential layer')
            project.addMapLayer(live)
            for engine in (0, 1):
                log = Log()
                r = processing.run('planmap:coverage', {'FACILITIES': layers['parks'].id(), 'RESIDENTIAL': live.id(),
                                                        'PROFILE': 1, 'ENGINE': engine,
                                                        'OUTPUT': env.path('alg_live{}'.format(engine))}, feedback=log)
                command = [s for s in log.text if re.search(r"planmap'? (--lang \w+ )?coverage", s)]
                t.check(abs(r['COVERAGE_RATIO'] - cli['coverage_ratio']) < 1e-6 and command and 'PG:' in command[0],
                        'a PostGIS layer, engine {}: coverage {} = the file\'s {}'.format(
                            ('embedded', 'postgis')[engine], r['COVERAGE_RATIO'], cli['coverage_ratio']))
                t.check(not any(pgserver.PASSWORD in s for s in log.text), 'no password in the log of that run')
        finally:
            pgserver.stop()

    return t.close('test_provider', env, app)


if __name__ == '__main__':
    qgis_support.entry(main, 'test_provider.py PLANMAP')
