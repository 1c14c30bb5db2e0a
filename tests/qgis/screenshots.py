"""Screenshots for the README, taken headless: the planmap coverage dialog as the Processing
toolbox opens it, and a coverage result loaded into QGIS with the styles its GeoPackage carries.
   /usr/bin/python3 tests/qgis/screenshots.py PLANMAP OUT_DIR   (writes qgis_dialog.png, qgis_result.png)"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qgis_support  # noqa: E402


def styled_sheet(layers, extent, path):
    """The layers as QGIS draws them with their loaded styles, with QGIS's own legend (a print
    layout exported as PNG)."""
    from qgis.PyQt.QtCore import QRectF
    from qgis.PyQt.QtGui import QFont
    from qgis.core import (QgsLayerTree, QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemMap,
                           QgsLayoutPoint, QgsLayoutSize, QgsPrintLayout, QgsProject, QgsRectangle, QgsUnitTypes)
    project = QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(190, 140, QgsUnitTypes.LayoutMillimeters))
    title = QgsLayoutItemLabel(layout)
    title.setText('公园绿地服务半径覆盖率 — planmap coverage in QGIS')
    title.setFont(QFont('Noto Sans CJK SC', 14))
    title.attemptMove(QgsLayoutPoint(6, 4, QgsUnitTypes.LayoutMillimeters))
    title.attemptResize(QgsLayoutSize(180, 10, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(title)
    frame = QgsLayoutItemMap(layout)
    frame.attemptSetSceneRect(QRectF(6, 16, 118, 118))
    frame.setLayers(layers)
    frame.setCrs(layers[0].crs())
    rect = QgsRectangle(extent)
    rect.scale(1.03)
    frame.zoomToExtent(rect)
    frame.setFrameEnabled(True)
    layout.addLayoutItem(frame)
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle('图例 Legend')
    legend.setLinkedMap(frame)
    legend.setAutoUpdateModel(False)
    root = QgsLayerTree()
    for layer in layers:
        root.addLayer(layer)
    legend.model().setRootGroup(root)
    legend.attemptMove(QgsLayoutPoint(128, 16, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 110
    ok = QgsLayoutExporter(layout).exportToImage(path, settings) == QgsLayoutExporter.Success
    styled_sheet.keep = (layout, root)  # the layout must outlive the legend model using the tree
    return ok


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
    from qgis.PyQt.QtGui import QFont, QFontDatabase
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
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
    path = os.path.join(out_dir, 'qgis_result.png')
    t.check(styled_sheet([loaded['service_areas'], loaded['covered'], loaded['uncovered'], layers[0]],
                         loaded['parcels'].extent(), path), 'styled result ' + path)
    return t.close('screenshots', env)


if __name__ == '__main__':
    qgis_support.entry(main, 'screenshots.py PLANMAP OUT_DIR')
