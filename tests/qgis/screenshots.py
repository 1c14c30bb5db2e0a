"""Screenshots for the README, taken headless: the planmap coverage dialog as the Processing
toolbox opens it, and a coverage result loaded into QGIS with the styles its GeoPackage carries.
   /usr/bin/python3 tests/qgis/screenshots.py PLANMAP OUT_DIR   (writes qgis_dialog.png, qgis_result.png)"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qgis_support  # noqa: E402


def main(planmap, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    env = qgis_support.Env(planmap)
    import unittest.mock
    sys.modules.setdefault('mock', unittest.mock)  # qgis.testing imports the old 'mock' package
    sys.path.insert(0, '/usr/share/qgis/python/plugins')
    from qgis.testing import start_app  # a GUI application as QGIS's own dialog tests start it
    app = start_app()
    from processing.core.Processing import Processing
    Processing.initialize()
    plugin = qgis_support.load_plugin(env)  # noqa: F841 (the provider lives as long as the plugin)
    import processing
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase
    from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsProject, QgsRectangle,
                           QgsVectorLayer)
    from qgis.testing.mocked import get_iface
    import qgis.utils
    qgis.utils.iface = get_iface()
    for family in ('Noto Sans CJK SC', 'Noto Sans SC'):
        if family in QFontDatabase().families():
            app.setFont(QFont(family, 9))
            break

    t = qgis_support.Checks()
    city = env.city(1500, seed=4)
    project = QgsProject.instance()
    layers = [QgsVectorLayer('{}|layername={}'.format(city, n), n, 'ogr') for n in ('parks', 'residential', 'zones')]
    project.addMapLayers(layers)

    # The dialog, with the layers picked and the output folder chosen.
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    alg = QgsApplication.processingRegistry().createAlgorithmById('planmap:coverage')
    dialog = AlgorithmDialog(alg, False, None)
    dialog.mainWidget().setParameters({'FACILITIES': layers[0].id(), 'RESIDENTIAL': layers[1].id(),
                                       'ZONES': layers[2].id(), 'ZONE_FIELD': 'name', 'PROFILE': 1})
    dialog.resize(QSize(900, 720))
    dialog.show()
    app.processEvents()
    path = os.path.join(out_dir, 'qgis_dialog.png')
    t.check(dialog.grab().save(path), 'dialog screenshot ' + path)
    dialog.close()

    # A styled result: the outputs loaded as the dialog loads them, drawn as QGIS draws them.
    before = set(project.mapLayers())
    processing.runAndLoadResults('planmap:coverage', {'FACILITIES': layers[0].id(), 'RESIDENTIAL': layers[1].id(),
                                                      'PROFILE': 1, 'OUTPUT': env.path('coverage_run')})
    loaded = {project.mapLayer(i).name(): project.mapLayer(i) for i in set(project.mapLayers()) - before}
    order = [loaded[n] for n in ('service_areas', 'uncovered', 'covered', 'parcels') if n in loaded]
    t.check(len(order) == 4, 'coverage outputs loaded: {}'.format(sorted(loaded)))
    settings = QgsMapSettings()
    settings.setLayers([loaded['service_areas'], loaded['covered'], loaded['uncovered'], layers[0]])
    settings.setDestinationCrs(loaded['parcels'].crs())
    extent = QgsRectangle(loaded['parcels'].extent())
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(900, 900))
    settings.setBackgroundColor(QColor('white'))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    path = os.path.join(out_dir, 'qgis_result.png')
    t.check(job.renderedImage().save(path), 'styled result ' + path)
    return t.close('screenshots', env)


if __name__ == '__main__':
    qgis_support.entry(main, 'screenshots.py PLANMAP OUT_DIR')
