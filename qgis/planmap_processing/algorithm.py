"""The base of every planmap algorithm: an algorithm is one small class that declares its
parameters (with the helpers below), turns their values into planmap's arguments, and names the
outputs it returns and loads (see algorithms.py)."""

import json
import os

from qgis.PyQt.QtCore import QCoreApplication, QLocale
from qgis.core import (QgsProcessingAlgorithm, QgsProcessingContext,
                       QgsProcessingLayerPostProcessorInterface, QgsProcessingParameterBoolean,
                       QgsProcessingParameterDefinition, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber, QgsProcessingParameterString,
                       QgsProcessingUtils, QgsSettings, QgsVectorLayer)

from . import runner

HERE = os.path.dirname(__file__)


def bilingual(zh, en):
    """A label in both languages, the user's first."""
    if zh == en:
        return en
    return '{} / {}'.format(en, zh) if not QLocale().name().startswith('zh') else '{} / {}'.format(zh, en)


class StyledLayer(QgsProcessingLayerPostProcessorInterface):
    """Applies the default style a GeoPackage carries (its layer_styles table) to a loaded output,
    and sets the layer's name."""

    keep = []  # Processing holds post-processors by pointer only: keep them alive here

    def __init__(self, name):
        super().__init__()
        self.name = name
        StyledLayer.keep.append(self)
        del StyledLayer.keep[:-50]

    def postProcessLayer(self, layer, context, feedback):
        if isinstance(layer, QgsVectorLayer):
            layer.loadDefaultStyle()
            layer.setName(self.name)
            layer.triggerRepaint()


class PlanmapAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set `command` (planmap's subcommand), `title` and `help` (Chinese, English),
    and implement initAlgorithm(), arguments() and, when they return more than their destination
    parameters, results()."""

    command = ''
    title = ('', '')
    help = ('', '')
    group_key = ('分析', 'Analysis')

    # -- QgsProcessingAlgorithm
    def createInstance(self):
        return type(self)()

    def name(self):
        return self.command

    def displayName(self):
        return bilingual(*self.title)

    def group(self):
        return bilingual(*self.group_key)

    def groupId(self):
        return self.group_key[1].lower()

    def shortHelpString(self):
        zh, en = self.help
        return '<p>{}</p><p>{}</p><p><i>planmap {}</i></p>'.format(en, zh, self.command)

    def tags(self):
        return ['planmap', self.command, self.title[0], self.title[1]]

    def icon(self):
        from qgis.PyQt.QtGui import QIcon
        return QIcon(os.path.join(HERE, 'icon.svg'))

    def processAlgorithm(self, parameters, context, feedback):
        if feedback is None:
            from qgis.core import QgsProcessingFeedback
            feedback = QgsProcessingFeedback()
        self._env = {}
        self._context, self._feedback, self._parameters = context, feedback, parameters
        args = self.arguments(parameters, context, feedback)
        executable = runner.find_executable(QgsSettings().value('Processing/Configuration/' + runner.EXECUTABLE_SETTING, ''))
        stdout = runner.run(executable, [a for a in args if a is not None], feedback, env=self._env)
        feedback.setProgress(100)
        return self.results(parameters, context, feedback, stdout)

    # -- to implement
    def arguments(self, parameters, context, feedback):
        """planmap's arguments after the executable, e.g. ['coverage', '--facilities', …]."""
        raise NotImplementedError

    def results(self, parameters, context, feedback, stdout):
        """The algorithm's outputs (default: none beyond the destinations)."""
        return {}

    # -- parameter helpers (descriptions are (Chinese, English))
    def add(self, parameter, advanced=False, help_text=None):
        if advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        if help_text and hasattr(parameter, 'setHelp'):
            parameter.setHelp(bilingual(*help_text))
        self.addParameter(parameter)
        return parameter

    def add_layer(self, name, text, types, optional=False, advanced=False):
        return self.add(QgsProcessingParameterFeatureSource(name, bilingual(*text), types, optional=optional), advanced)

    def add_field(self, name, text, parent, numeric=False, optional=True, advanced=False):
        kind = QgsProcessingParameterField.Numeric if numeric else QgsProcessingParameterField.Any
        return self.add(QgsProcessingParameterField(name, bilingual(*text), parentLayerParameterName=parent, type=kind,
                                                    optional=optional), advanced)

    def add_number(self, name, text, default, minimum, maximum, unit=None, integer=False, optional=False, advanced=False):
        kind = QgsProcessingParameterNumber.Integer if integer else QgsProcessingParameterNumber.Double
        zh, en = text
        if unit:
            zh, en = '{}（{}）'.format(zh, unit[0]), '{} ({})'.format(en, unit[1])
        p = QgsProcessingParameterNumber(name, bilingual(zh, en), kind, default, optional, minimum, maximum)
        if not integer:
            p.setMetadata({'widget_wrapper': {'decimals': 1}})  # metres and minutes: 500.0, not 500.000000
        return self.add(p, advanced)

    def add_enum(self, name, text, options, default=0, advanced=False):
        """options: [(planmap value, (Chinese, English)), …]; the value is what planmap is given."""
        p = QgsProcessingParameterEnum(name, bilingual(*text), [bilingual(*label) for _, label in options],
                                       defaultValue=default)
        if not hasattr(self, '_enums'):
            self._enums = {}
        self._enums[name] = [v for v, _ in options]
        return self.add(p, advanced)

    def add_file(self, name, text, extension=None, optional=False, folder=False, advanced=False, file_filter=None):
        behaviour = QgsProcessingParameterFile.Folder if folder else QgsProcessingParameterFile.File
        p = QgsProcessingParameterFile(name, bilingual(*text), behavior=behaviour, extension=extension or '',
                                       optional=optional, fileFilter=file_filter or '')
        return self.add(p, advanced)

    def add_destination(self, name, text, file_filter, optional=False):
        return self.add(QgsProcessingParameterFileDestination(name, bilingual(*text), file_filter, optional=optional,
                                                              createByDefault=not optional))

    def add_flag(self, name, text, default=False, advanced=False):
        return self.add(QgsProcessingParameterBoolean(name, bilingual(*text), default), advanced)

    def add_string(self, name, text, default=None, optional=True, advanced=False):
        return self.add(QgsProcessingParameterString(name, bilingual(*text), default, optional=optional), advanced)

    # -- argument helpers
    def source(self, name, flag):
        """[flag, SRC] for a layer parameter ([] when empty)."""
        src = runner.layer_source(self, self._parameters, name, self._context, self._feedback)
        if src is None:
            return []
        self._env.update(src.env)
        return [flag, src.arg]

    def enum_value(self, name):
        index = self.parameterAsEnum(self._parameters, name, self._context)
        return self._enums[name][index]

    def number(self, name, flag, integer=False):
        if self._parameters.get(name) is None and self.parameterDefinition(name).defaultValue() is None:
            return []
        value = (self.parameterAsInt if integer else self.parameterAsDouble)(self._parameters, name, self._context)
        return [flag, repr(value) if not integer else str(value)]

    def text(self, name, flag):
        value = self.parameterAsString(self._parameters, name, self._context)
        return [flag, value] if value else []

    def file(self, name, flag):
        value = self.parameterAsFile(self._parameters, name, self._context)
        return [flag, value] if value else []

    def field(self, name, flag):
        values = self.parameterAsFields(self._parameters, name, self._context)
        return [flag, values[0]] if values else []

    def flag(self, name, flag):
        return [flag] if self.parameterAsBoolean(self._parameters, name, self._context) else []

    # -- result helpers
    def load_layers(self, gpkg, layer_names, output_name):
        """Loads these layers of the GeoPackage into the project when the algorithm ends, each with
        the default style from its layer_styles table."""
        context = self._context
        if not context.project():
            return
        for layer_name in layer_names:
            uri = '{}|layername={}'.format(gpkg, layer_name)
            details = QgsProcessingContext.LayerDetails(layer_name, context.project(), output_name)
            hint = getattr(getattr(QgsProcessingUtils, 'LayerHint', None), 'Vector', None)
            if hint is not None:  # QGIS 3.22 … (later versions guess it from the URI)
                details.layerTypeHint = hint
            details.setPostProcessor(StyledLayer(layer_name))
            context.addLayerToLoadOnCompletion(uri, details)

    @staticmethod
    def read_json(path):
        with open(path, encoding='utf-8') as f:
            return json.load(f)

    def tr(self, text):
        return QCoreApplication.translate('planmap', text)

