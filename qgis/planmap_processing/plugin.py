"""The plugin: registers the planmap provider with Processing (also in qgis_process)."""

from qgis.core import QgsApplication

from .provider import PlanmapProvider


class PlanmapPlugin:

    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None

    def initProcessing(self):
        if self.provider is not None:  # QGIS may call both initProcessing and initGui
            return
        self.provider = PlanmapProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self.provider:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
