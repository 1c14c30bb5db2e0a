"""The planmap Processing provider: its algorithms and its one setting, the planmap executable."""

import os

from qgis.PyQt.QtGui import QIcon
from qgis.core import QgsProcessingProvider

from . import runner
from .algorithms import ALGORITHMS

HERE = os.path.dirname(__file__)


class PlanmapProvider(QgsProcessingProvider):

    def load(self):
        try:  # the Processing plugin's settings page (absent when Processing itself is not loaded)
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(
                self.name(), runner.EXECUTABLE_SETTING,
                'planmap executable (empty: planmap on PATH) / planmap 程序路径（留空则在 PATH 中查找）', '',
                valuetype=Setting.FILE))
            ProcessingConfig.readSettings()
        except ImportError:
            pass
        self.refreshAlgorithms()
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig
            ProcessingConfig.removeSetting(runner.EXECUTABLE_SETTING)
        except (ImportError, KeyError):
            pass

    def loadAlgorithms(self):
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())

    def id(self):
        return 'planmap'

    def name(self):
        return 'planmap'

    def longName(self):
        return 'planmap — 规划分析与制图 / planning analysis and map sheets'

    def icon(self):
        return QIcon(os.path.join(HERE, 'icon.svg'))

    def svgIconPath(self):
        return os.path.join(HERE, 'icon.svg')
