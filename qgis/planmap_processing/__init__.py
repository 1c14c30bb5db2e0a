"""planmap for QGIS: the planmap commands as Processing algorithms."""


def classFactory(iface):
    from .plugin import PlanmapPlugin
    return PlanmapPlugin(iface)
