"""Every GeoPackage planmap writes opens styled in QGIS: PyQGIS loads each layer as a user does
(QgsVectorLayer, default style from the layer_styles table) and the renderer type, class field,
categories or classes, labels and field aliases (Chinese) are the ones planmap's QML declares.
   /usr/bin/python3 tests/qgis/test_styles_in_qgis.py PLANMAP"""

import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
import qgis_support  # noqa: E402


def outputs(env):
    """(what, GeoPackage) for every kind of GeoPackage planmap writes."""
    city = env.city(200)
    plan = os.path.join(qgis_support.ROOT, 'tests', 'data', 'qgis', 'small_plan.toml')
    runs = [
        ('build', ['build', plan, '-o', env.path('plan.gpkg')], env.path('plan.gpkg')),
        ('coverage', ['coverage', '--facilities', city + ':parks', '--residential', city + ':residential', '--profile',
                      'gb-park-radius', '--zones', city + ':zones', '--zone-field', 'name', '-o', env.path('cov')],
         env.path('cov', 'coverage.gpkg')),
        ('coverage network', ['coverage', '--facilities', city + ':parks', '--residential', city + ':residential',
                              '--radius', '300', '--mode', 'network', '--network', city + ':streets', '-o', env.path('covnet')],
         env.path('covnet', 'coverage.gpkg')),
        ('lifecircle', ['lifecircle', '--facilities', city + ':facilities', '--residential', city + ':residential',
                        '-o', env.path('lc')], env.path('lc', 'lifecircle.gpkg')),
        ('isochrone', ['isochrone', '--network', city + ':streets', '--from', city + ':facilities', '--distance', '400',
                       '-o', env.path('iso.gpkg')], env.path('iso.gpkg')),
        ('convert', ['convert', city + ':residential', env.path('converted.gpkg'), '--t-crs', 'EPSG:4490'],
         env.path('converted.gpkg')),
    ]
    yield 'synth', city
    for what, args, gpkg in runs:
        code, _, err = env.planmap_run(*(args + ['-q']))
        if code != 0:
            raise RuntimeError('planmap {} failed: {}'.format(what, err))
        yield what, gpkg


def declared_styles(gpkg):
    """{table: QML root} of the default styles in the GeoPackage's layer_styles table."""
    db = sqlite3.connect(gpkg)
    try:
        rows = db.execute('SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1').fetchall()
        tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
    finally:
        db.close()
    return {t: ET.fromstring(q) for t, q in rows}, tables


def main(planmap):
    env = qgis_support.Env(planmap)
    app = qgis_support.start_qgis()
    from qgis.core import QgsVectorLayer
    t = qgis_support.Checks()
    chinese_aliases = 0
    for what, gpkg in outputs(env):
        styles, tables = declared_styles(gpkg)
        t.check(tables and set(tables) <= set(styles), '{}: every layer has a default style ({})'.format(what, ', '.join(tables)))
        for table in tables:
            qml = styles.get(table)
            if qml is None:
                continue
            layer = QgsVectorLayer('{}|layername={}'.format(gpkg, table), table, 'ogr')
            name = '{} {}'.format(what, table)
            if not t.check(layer.isValid(), name + ': QGIS opens the layer'):
                continue
            renderer, declared = layer.renderer(), qml.find('renderer-v2')
            t.check(renderer.type() == declared.get('type'), '{}: renderer {} as declared'.format(name, renderer.type()))
            if declared.get('type') == 'categorizedSymbol':
                values = [(c.get('value'), c.get('label')) for c in declared.iter('category')]
                shown = [(str(c.value()), c.label()) for c in renderer.categories()]
                t.check(renderer.classAttribute() == declared.get('attr') and shown == values,
                        '{}: {} categories by {} as declared ({})'.format(name, len(shown), renderer.classAttribute(),
                                                                         ', '.join(l for _, l in shown)))
            if declared.get('type') == 'graduatedSymbol':
                ranges = [(float(r.get('lower')), float(r.get('upper')), r.get('label')) for r in declared.iter('range')]
                shown = [(r.lowerValue(), r.upperValue(), r.label()) for r in renderer.ranges()]
                t.check(renderer.classAttribute() == declared.get('attr') and shown == ranges,
                        '{}: {} classes by {} as declared'.format(name, len(shown), renderer.classAttribute()))
            labels_declared = qml.get('labelsEnabled') == '1' or qml.find('labeling') is not None
            t.check(layer.labelsEnabled() == labels_declared,
                    '{}: labels {} as declared'.format(name, 'on' if layer.labelsEnabled() else 'off'))
            if labels_declared and layer.labeling() is not None:
                text = qml.find('.//text-style')
                settings = layer.labeling().settings()
                text_format = settings.format()  # held: buffer() refers into it
                buffer = text_format.buffer()
                declared_buffer = text.find('text-buffer')
                halo = declared_buffer is not None and declared_buffer.get('bufferDraw') == '1'
                t.check(settings.fieldName == text.get('fieldName') and
                        abs(text_format.size() - float(text.get('fontSize'))) < 1e-9 and buffer.enabled() == halo and
                        (not halo or abs(buffer.size() - float(declared_buffer.get('bufferSize'))) < 1e-9),
                        '{}: labels from {}, {} pt, halo {} mm'.format(name, settings.fieldName, text_format.size(),
                                                                     buffer.size() if buffer.enabled() else 'off'))
            aliases = {a.get('field'): a.get('name') for a in qml.iter('alias') if a.get('name')}
            shown = {f.name(): f.alias() for f in layer.fields()}
            missing = {k: v for k, v in aliases.items() if k in shown and shown[k] != v}
            t.check(not missing, '{}: {} field aliases shown ({})'.format(
                name, len(aliases), ', '.join('{}={}'.format(k, v) for k, v in list(aliases.items())[:4])))
            chinese_aliases += sum(1 for k, v in aliases.items() if k in shown and any('\u4e00' <= ch <= '\u9fff' for ch in v))
    t.check(chinese_aliases >= 10, '{} Chinese field aliases shown in QGIS'.format(chinese_aliases))
    return t.close('test_styles_in_qgis', env, app)


if __name__ == '__main__':
    qgis_support.entry(main, 'test_styles_in_qgis.py PLANMAP')
