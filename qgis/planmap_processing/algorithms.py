"""The planmap commands as Processing algorithms, one small class each. To add a command: subclass
PlanmapAlgorithm, declare its parameters in initAlgorithm, map them to planmap's flags in
arguments(), and add the class to ALGORITHMS."""

import os
import uuid

from qgis.core import (QgsCoordinateReferenceSystem, QgsProcessing,
                       QgsProcessingException, QgsProcessingOutputFile, QgsProcessingOutputNumber,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterPoint)

from .algorithm import PlanmapAlgorithm, bilingual
from . import runner

POLYGONS = [QgsProcessing.TypeVectorPolygon]
POINTS_POLYGONS = [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]
LINES = [QgsProcessing.TypeVectorLine]
LINES_POLYGONS = [QgsProcessing.TypeVectorLine, QgsProcessing.TypeVectorPolygon]
METRES = ('米', 'm')

# The rule profiles shipped in planmap's profiles/ folder (a .toml file may be given instead).
COVERAGE_PROFILES = [
    ('', ('固定半径（见"半径"）', 'fixed radius (see Radius)')),
    ('gb-park-radius', ('公园绿地服务半径 GB 55014', 'park service radius, GB 55014')),
    ('gb-park-radius-historic', ('公园绿地服务半径（历史文化街区）', 'park service radius, historic districts')),
    ('green-300-park-500', ('300米见绿、500米见园', '300 m to green, 500 m to a park')),
    ('gb55014', ('GB 55014 公园与人均指标', 'GB 55014 parks and per-capita thresholds')),
    ('gb50180-life-circle', ('GB 50180 生活圈设施', 'GB 50180 life-circle facilities')),
]
MODES = [('straight-line', ('直线距离', 'straight line')), ('network', ('步行路网距离', 'walking network'))]


def gpkg_layers(path):
    """The layers of a GeoPackage planmap wrote, without its layer_styles table."""
    from osgeo import ogr
    ds = ogr.Open(path)
    if ds is None:
        return []
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    return [n for n in names if n != 'layer_styles']


def figures(alg, keys):
    """Declares number outputs: keys = [(json key, (Chinese, English)), …]."""
    for key, text in keys:
        alg.addOutput(QgsProcessingOutputNumber(key.upper(), bilingual(*text)))


def numbers_of(summary, keys):
    return {key.upper(): summary.get(key) for key, _ in keys if isinstance(summary.get(key), (int, float))}


class NetworkMode:
    """The walking-network parameters coverage and lifecircle share (--mode network …)."""

    def add_network_mode(self, width):
        self.add_enum('MODE', ('距离', 'Distance'), MODES, 0)
        self.add_layer('NETWORK_LAYER', ('路网（线图层，路网模式）', 'Network line layer (network mode)'), LINES, optional=True)
        self.add_file('NETWORK', ('路网文件（.pmnet、OSM、边表 CSV）', 'Network file (.pmnet, OSM, edge-list CSV)'),
                      optional=True, advanced=True)
        self.add_layer('BARRIERS', ('障碍（河流、铁路…）', 'Barriers (rivers, railways …)'), LINES_POLYGONS, optional=True,
                       advanced=True)
        if width:
            self.add_number('WIDTH', ('道路两侧服务宽度', 'Service area width either side of streets'), 25, 0, 10000, METRES,
                            advanced=True)
        self.add_number('MAX_SNAP', ('最大接入距离', 'Maximum snap distance'), 500, 0, 100000, METRES, advanced=True)
        self.add_number('ENTRY', ('面要素入口距离', 'Polygon entry distance'), 10, 0, 10000, METRES, advanced=True)
        self.add_number('SPEED', ('步行速度（米/分钟）', 'Walking speed (m/min)'), 80, 1, 1000, advanced=True)

    def network_mode_arguments(self, width):
        mode = self.enum_value('MODE')
        args = ['--mode', mode]
        if mode == 'network':
            network = self.source('NETWORK_LAYER', '--network') or self.file('NETWORK', '--network')
            if not network:
                raise QgsProcessingException('network mode needs a network line layer or file / 路网模式需要路网图层或文件')
            args += network + self.source('BARRIERS', '--barrier') + self.number('MAX_SNAP', '--max-snap') + \
                self.number('ENTRY', '--entry') + self.number('SPEED', '--speed')
            if width:
                args += self.number('WIDTH', '--width')
        return args


class AnalysisRun(PlanmapAlgorithm, NetworkMode):
    """coverage and lifecircle: inputs, an output folder replaced as a whole, JSON and HTML."""

    gpkg = ''
    csv = ''
    keys = []

    def add_outputs(self):
        self.add(QgsProcessingParameterFolderDestination('OUTPUT', bilingual('输出文件夹', 'Output folder')))
        self.add_flag('OVERWRITE', ('替换已有的非空输出文件夹', 'Replace an existing, non-empty output folder'))
        self.add_destination('JSON', ('JSON 摘要', 'JSON summary'), 'JSON (*.json)', optional=True)
        self.add_destination('HTML', ('HTML 报告', 'HTML report'), 'HTML (*.html)', optional=True)
        self.addOutput(QgsProcessingOutputFile('GPKG', bilingual('结果 GeoPackage', 'Result GeoPackage')))
        self.addOutput(QgsProcessingOutputFile('CSV', bilingual('结果表 CSV', 'Result table CSV')))
        figures(self, self.keys)

    def output_arguments(self):
        out = self.parameterAsFileOutput(self._parameters, 'OUTPUT', self._context)
        self._json = self.parameterAsFileOutput(self._parameters, 'JSON', self._context) or \
            runner.temp_path('planmap-{}-{}.json'.format(self.command, uuid.uuid4().hex))
        self._out = out
        return ['-o', out] + self.flag('OVERWRITE', '--overwrite') + ['--json', self._json] + \
            self.file_output('HTML', '--html')

    def profile_or_radius(self):
        """--profile NAME from the PROFILE enum, or --radius RADIUS when it is the fixed-radius entry."""
        name = self.enum_value('PROFILE')
        return ['--profile', name] if name else self.number('RADIUS', '--radius')

    def file_output(self, name, flag):
        value = self.parameterAsFileOutput(self._parameters, name, self._context)
        return [flag, value] if value else []

    def results(self, parameters, context, feedback, stdout):
        gpkg = os.path.join(self._out, self.gpkg)
        self.load_layers(gpkg, gpkg_layers(gpkg), 'OUTPUT')
        out = {'OUTPUT': self._out, 'GPKG': gpkg, 'CSV': os.path.join(self._out, self.csv)}
        if parameters.get('JSON'):
            out['JSON'] = self._json
        if parameters.get('HTML'):
            out['HTML'] = self.parameterAsFileOutput(parameters, 'HTML', context)
        out.update(numbers_of(self.read_json(self._json), self.keys))
        return out


class Coverage(AnalysisRun):
    command = 'coverage'
    title = ('服务半径覆盖率', 'Service-radius coverage')
    help = ('居住用地（及人口）位于设施服务范围内的比例（公园绿地服务半径覆盖率等），按固定半径或规则配置，直线距离或步行路网距离，'
            '逐地块、逐分区精确计算。输出 coverage.gpkg（服务范围、覆盖、盲区、地块，均带 QGIS 样式）和分区 CSV。',
            'The share of residential land (and population) inside the service areas of facilities '
            '(公园绿地服务半径覆盖率 and its relatives), by one radius or a rule profile, in straight lines or along '
            'a walking network, exact per parcel and zone. Writes coverage.gpkg (service areas, covered, uncovered, '
            'parcels, styled for QGIS) and the per-zone CSV.')
    gpkg, csv = 'coverage.gpkg', 'coverage_zones.csv'
    keys = [('coverage_ratio', ('覆盖率', 'Coverage ratio')),
            ('residential_area_m2', ('居住用地面积（平方米）', 'Residential area (m²)')),
            ('covered_area_m2', ('覆盖面积（平方米）', 'Covered area (m²)')),
            ('population', ('人口', 'Population')),
            ('covered_population', ('覆盖人口', 'Covered population')),
            ('population_coverage_ratio', ('人口覆盖率', 'Population coverage ratio')),
            ('facilities_counted', ('计入设施数', 'Facilities counted'))]

    def initAlgorithm(self, config=None):
        self.add_layer('FACILITIES', ('设施（公园、学校…）', 'Facilities (parks, schools …)'), POINTS_POLYGONS)
        self.add_layer('RESIDENTIAL', ('居住用地', 'Residential parcels'), POLYGONS)
        self.add_enum('PROFILE', ('规则配置', 'Rule profile'), COVERAGE_PROFILES, 1)
        self.add_number('RADIUS', ('服务半径（固定半径时）', 'Service radius (fixed radius)'), 500, 1, 100000, METRES)
        self.add_file('PROFILE_FILE', ('自定义规则配置文件 .toml（优先）', 'Own rule profile .toml (takes precedence)'),
                      optional=True, advanced=True, file_filter='TOML (*.toml)')
        self.add_field('POPULATION_FIELD', ('人口字段', 'Population field'), 'RESIDENTIAL', numeric=True)
        self.add_field('TYPE_FIELD', ('设施类型字段', 'Facility type field'), 'FACILITIES', advanced=True)
        self.add_layer('ZONES', ('分区（逐分区统计）', 'Zones (per-zone figures)'), POLYGONS, optional=True)
        self.add_field('ZONE_FIELD', ('分区名称字段', 'Zone name field'), 'ZONES')
        self.add_number('QUAD_SEGS', ('缓冲区每四分之一圆的线段数', 'Buffer segments per quarter circle'), 16, 1, 256,
                        integer=True, advanced=True)
        self.add_enum('ENGINE', ('计算引擎', 'Engine'),
                      [('embedded', ('内置', 'embedded')), ('postgis', ('PostGIS（居住用地所在数据库）', 'PostGIS (the residential layer\'s database)'))],
                      0, advanced=True)
        self.add_network_mode(width=True)
        self.add_outputs()

    def arguments(self, parameters, context, feedback):
        args = ['coverage'] + self.source('FACILITIES', '--facilities') + self.source('RESIDENTIAL', '--residential')
        args += self.file('PROFILE_FILE', '--profile') or self.profile_or_radius()
        args += self.field('POPULATION_FIELD', '--population-field') + self.field('TYPE_FIELD', '--type-field')
        zones = self.source('ZONES', '--zones')
        if zones:
            zone_field = self.field('ZONE_FIELD', '--zone-field')
            if not zone_field:
                raise QgsProcessingException('zones need a zone name field / 分区需要名称字段')
            args += zones + zone_field
        args += self.number('QUAD_SEGS', '--quad-segs', integer=True) + ['--engine', self.enum_value('ENGINE')]
        return args + self.network_mode_arguments(width=True) + self.output_arguments()


class Lifecircle(AnalysisRun):
    command = 'lifecircle'
    title = ('生活圈评估', 'Life-circle audit')
    help = ('GB 50180 5/10/15 分钟生活圈评估：逐地块求各类设施的最近距离（直线或步行路网），按不嵌套规则判定达到的层级。'
            '输出 lifecircle.gpkg（地块按达到层级分类着色）和达标表 CSV。',
            'GB 50180 5/10/15-minute life circles: per parcel, the nearest facility of every type (straight line or '
            'along a walking network) and the level met under the non-nesting rule. Writes lifecircle.gpkg (parcels '
            'categorized by level met) and the compliance CSV.')
    gpkg, csv = 'lifecircle.gpkg', 'lifecircle_compliance.csv'
    keys = [('residential_area_m2', ('居住用地面积（平方米）', 'Residential area (m²)')),
            ('population', ('人口', 'Population')),
            ('parcels', ('地块数', 'Parcels'))]

    def initAlgorithm(self, config=None):
        self.add_layer('FACILITIES', ('设施（带类型字段）', 'Facilities with a type field'), POINTS_POLYGONS)
        self.add_layer('RESIDENTIAL', ('居住用地', 'Residential parcels'), POLYGONS)
        self.add_enum('PROFILE', ('生活圈规则配置', 'Life-circle profile'),
                      [('gb50180-life-circle', ('GB 50180 生活圈', 'GB 50180 life circles'))], 0)
        self.add_file('PROFILE_FILE', ('自定义规则配置文件 .toml（优先）', 'Own profile .toml (takes precedence)'),
                      optional=True, advanced=True, file_filter='TOML (*.toml)')
        self.add_field('TYPE_FIELD', ('设施类型字段', 'Facility type field'), 'FACILITIES')
        self.add_field('POPULATION_FIELD', ('人口字段', 'Population field'), 'RESIDENTIAL', numeric=True)
        self.add_network_mode(width=False)
        self.add_outputs()

    def arguments(self, parameters, context, feedback):
        args = ['lifecircle'] + self.source('FACILITIES', '--facilities') + self.source('RESIDENTIAL', '--residential')
        args += self.file('PROFILE_FILE', '--profile') or ['--profile', self.enum_value('PROFILE')]
        args += self.field('TYPE_FIELD', '--type-field') + self.field('POPULATION_FIELD', '--population-field')
        return args + self.network_mode_arguments(width=False) + self.output_arguments()


class GeoPackageRun(PlanmapAlgorithm):
    """isochrone and build: one output GeoPackage (all its layers loaded) and an optional JSON
    file (`json_param`), whose figures `keys` become number outputs."""

    json_param = 'JSON'
    keys = []

    def add_gpkg_outputs(self, json_text):
        self.add_destination('OUTPUT', ('输出 GeoPackage', 'Output GeoPackage'), 'GeoPackage (*.gpkg)')
        self.add_destination(self.json_param, json_text, 'JSON (*.json)', optional=True)
        figures(self, self.keys)

    def gpkg_arguments(self, json_flag):
        self._out = self.parameterAsFileOutput(self._parameters, 'OUTPUT', self._context)
        self._json = self.parameterAsFileOutput(self._parameters, self.json_param, self._context)
        if not self._json and self.keys:
            self._json = runner.temp_path('planmap-{}-{}.json'.format(self.command, uuid.uuid4().hex))
        return ['-o', self._out] + ([json_flag, self._json] if self._json else [])

    def results(self, parameters, context, feedback, stdout):
        self.load_layers(self._out, gpkg_layers(self._out), 'OUTPUT')
        out = {'OUTPUT': self._out}
        if parameters.get(self.json_param):
            out[self.json_param] = self._json
        if self.keys:
            out.update(numbers_of(self.read_json(self._json), self.keys))
        return out


class Isochrone(GeoPackageRun):
    command = 'isochrone'
    title = ('步行等时圈', 'Walking isochrones')
    help = ('沿步行路网的等距离/等时圈：可达道路（在精确位置截断）及其两侧缓冲形成的服务范围，逐起点及合并。',
            'Walking-distance isochrones along a network: the reachable streets (cut at the exact point) and the '
            'service areas around them, per source and dissolved.')
    keys = [('sources', ('起点数', 'Sources')), ('attached', ('接入路网的起点', 'Sources attached')),
            ('reached_nodes', ('可达节点', 'Nodes reached')), ('reach_length_m', ('可达道路长度（米）', 'Reachable length (m)')),
            ('whole_edge_length_m', ('两端可达道路长度（米）', 'Length reached at both ends (m)')),
            ('area_m2', ('服务范围面积（平方米）', 'Service area (m²)')),
            ('whole_edge_area_m2', ('两端可达服务范围面积（平方米）', 'Whole-edge service area (m²)'))]
    group_key = ('路网', 'Network')

    def initAlgorithm(self, config=None):
        self.add_layer('NETWORK_LAYER', ('路网（线图层）', 'Network line layer'), LINES, optional=True)
        self.add_file('NETWORK', ('或路网文件（.pmnet、OSM、边表 CSV）', 'or a network file (.pmnet, OSM, edge-list CSV)'),
                      optional=True)
        self.add_layer('SOURCES', ('起点（点或面图层）', 'Sources (point or polygon layer)'), POINTS_POLYGONS, optional=True)
        self.add(QgsProcessingParameterPoint('POINT', bilingual('或一个起点', 'or one source point'), optional=True))
        self.add_field('ID_FIELD', ('起点编号字段', 'Source id field'), 'SOURCES', advanced=True)
        self.add_number('DISTANCE', ('步行距离', 'Walking distance'), 500, 1, 100000, METRES)
        self.add_number('MINUTES', ('或步行时间（分钟，优先）', 'or walking time (minutes, takes precedence)'), None, 0.1, 600,
                        optional=True)
        self.add_number('SPEED', ('步行速度（米/分钟）', 'Walking speed (m/min)'), 80, 1, 1000)
        self.add_number('WIDTH', ('道路两侧服务宽度', 'Service area width either side of streets'), 25, 0, 10000, METRES)
        self.add_number('MAX_SNAP', ('最大接入距离', 'Maximum snap distance'), 500, 0, 100000, METRES, advanced=True)
        self.add_number('ENTRY', ('面要素入口距离', 'Polygon entry distance'), 10, 0, 10000, METRES, advanced=True)
        self.add_enum('START_AT', ('点起点的出发位置', 'Point sources start at'),
                      [('edge', ('最近道路上的最近点', 'the nearest point of the nearest street')),
                       ('node', ('最近的路口或端点', 'the nearest junction or dead end'))], 0, advanced=True)
        self.add_flag('COUNT_SNAP', ('计入到道路的直线距离', 'Count the straight walk to the street'), advanced=True)
        self.add_layer('BARRIERS', ('障碍（河流、铁路…）', 'Barriers (rivers, railways …)'), LINES_POLYGONS, optional=True,
                       advanced=True)
        self.add_flag('DISSOLVED_ONLY', ('只输出合并结果（起点很多时）', 'Dissolved outputs only (many sources)'), advanced=True)
        self.add_gpkg_outputs(('JSON 摘要', 'JSON summary'))

    def arguments(self, parameters, context, feedback):
        network = self.source('NETWORK_LAYER', '--network') or self.file('NETWORK', '--network')
        if not network:
            raise QgsProcessingException('give a network line layer or a network file / 请给出路网图层或路网文件')
        sources = self.source('SOURCES', '--from')
        if parameters.get('POINT') is not None:
            point = self.parameterAsPoint(parameters, 'POINT', context, QgsCoordinateReferenceSystem('EPSG:4326'))
            sources += ['--from', '{:.8f},{:.8f}'.format(point.x(), point.y())]
        if not sources:
            raise QgsProcessingException('give a source layer or a point / 请给出起点图层或起点')
        limit = self.number('MINUTES', '--minutes') or self.number('DISTANCE', '--distance')
        return ['isochrone'] + network + sources + self.field('ID_FIELD', '--id-field') + limit + \
            self.number('SPEED', '--speed') + self.number('WIDTH', '--width') + self.number('MAX_SNAP', '--max-snap') + \
            self.number('ENTRY', '--entry') + ['--start-at', self.enum_value('START_AT')] + \
            self.flag('COUNT_SNAP', '--count-snap') + self.source('BARRIERS', '--barrier') + \
            self.flag('DISSOLVED_ONLY', '--dissolved-only') + self.gpkg_arguments('--json')


class Build(GeoPackageRun):
    command = 'build'
    title = ('构建规划结构图层', 'Build plan layers')
    help = ('把规划文件（TOML，如"一轴一链一城一区"）构建为图层（每种要素一层：分区、轴线、极核…），运行规划文本的核对；'
            '错误级核对失败时不写出任何结果。',
            'Builds a plan file (TOML, e.g. 一轴一链一城一区) into layers, one per element kind (zone, axis, pole …), '
            'and runs the plan\'s checks against its text; a failing error-level check writes nothing.')
    group_key = ('规划', 'Plans')
    json_param = 'REPORT'

    def initAlgorithm(self, config=None):
        self.add_file('PLAN', ('规划文件（.toml）', 'Plan file (.toml)'), file_filter='TOML (*.toml)')
        self.add_enum('CRS', ('输出坐标系', 'Output CRS'),
                      [('cgcs2000', ('CGCS2000 经纬度（EPSG:4490）', 'CGCS2000 lon/lat (EPSG:4490)')),
                       ('analysis', ('分析用高斯-克吕格投影', 'metric Gauss-Krüger analysis zone'))], 0)
        self.add_gpkg_outputs(('构建报告 JSON', 'Build report JSON'))

    def arguments(self, parameters, context, feedback):
        return ['build', self.parameterAsFile(parameters, 'PLAN', context), '--crs', self.enum_value('CRS')] + \
            self.gpkg_arguments('--report')


class Render(PlanmapAlgorithm):
    command = 'render'
    title = ('绘制规划图纸', 'Render a map sheet')
    help = ('绘制规划图纸（PDF 矢量、PNG 或 SVG）：图名、图例、比例尺、指北针、图签；来自地图文件（TOML），或规划文件/规划图层 '
            'GeoPackage 的规划结构图。',
            'Draws a planning map sheet (vector PDF, PNG or SVG) with title, legend, scale bar, north arrow and title '
            'block, from a map file (TOML), or the plan-structure sheet of a plan file or a GeoPackage of plan layers.')
    group_key = ('制图', 'Cartography')

    def initAlgorithm(self, config=None):
        self.add_file('MAP', ('地图文件（.toml）', 'Map file (.toml)'), optional=True, file_filter='TOML (*.toml)')
        self.add_file('PLAN', ('或规划文件（.toml）/规划图层 GeoPackage', 'or a plan file (.toml) / plan GeoPackage'),
                      optional=True, file_filter='Plan (*.toml *.gpkg)')
        self.add_string('TITLE', ('图名（规划结构图）', 'Title (plan sheets)'))
        self.add_enum('STYLE', ('样式（规划结构图）', 'Style (plan sheets)'),
                      [('plan_structure', ('规划结构', 'plan structure')), ('mnr2021_landuse', ('国土空间用地（MNR 2021）', 'land use, MNR 2021')),
                       ('gb50137', ('城市用地 GB 50137', 'urban land use, GB 50137')),
                       ('gb50137_mono', ('城市用地 GB 50137 黑白', 'GB 50137 monochrome')),
                       ('coverage', ('覆盖率', 'coverage')), ('boundary', ('边界', 'boundary'))], 0)
        self.add_enum('PAPER', ('图幅（规划结构图）', 'Paper (plan sheets)'),
                      [('', ('默认（A3 横向）', 'default (A3 landscape)'))] +
                      [(p, (p, p)) for p in ('A0', 'A1', 'A2', 'A3', 'A4')], 0)
        self.add_number('DPI', ('PNG 分辨率（dpi）', 'PNG resolution (dpi)'), 150, 10, 1200, integer=True)
        self.add_destination('OUTPUT', ('输出图纸', 'Output sheet'), 'PDF (*.pdf);;PNG (*.png);;SVG (*.svg)')

    def arguments(self, parameters, context, feedback):
        map_file = self.parameterAsFile(parameters, 'MAP', context)
        plan = self.parameterAsFile(parameters, 'PLAN', context)
        if bool(map_file) == bool(plan):
            raise QgsProcessingException('give either a map file or a plan / 请给出地图文件或规划文件之一')
        out = self.parameterAsFileOutput(parameters, 'OUTPUT', context)
        self._out = out
        args = ['render', map_file] if map_file else \
            ['render', '--plan', plan, '--style', self.enum_value('STYLE')] + self.text('TITLE', '--title') + \
            (['--paper', self.enum_value('PAPER')] if self.enum_value('PAPER') else [])
        return args + self.number('DPI', '--dpi', integer=True) + ['-o', out]

    def results(self, parameters, context, feedback, stdout):
        return {'OUTPUT': self._out}


class Assess(PlanmapAlgorithm):
    command = 'assess'
    title = ('规划指标评估', 'Assess plan indicators')
    help = ('规划文本的量化指标（[[indicator]]：基期、目标、条文）逐项评估：要素个数、面积、长度由规划图层计算，覆盖率指标'
            '（如公园绿地服务半径覆盖率）由覆盖率引擎在所给居住用地与设施图层上计算；输出指标表 JSON、CSV、HTML 和一页 PDF 指标表。',
            'Evaluates the plan text\'s quantitative targets ([[indicator]] rows with baseline, target and clause): counts, '
            'areas and lengths on the plan\'s layers, coverage targets (e.g. park service-radius coverage) by the coverage '
            'engine on the residential and facility layers given; writes the indicator table as JSON, CSV, HTML and a '
            'one-page PDF sheet.')
    group_key = ('规划', 'Plans')
    keys = [('met', ('达标', 'Met')), ('not_met', ('未达标', 'Not met')), ('no_target', ('无目标', 'No target')),
            ('not_computable', ('不可计算', 'Not computable'))]

    def initAlgorithm(self, config=None):
        self.add_file('PLAN', ('规划文件（.toml）', 'Plan file (.toml)'), file_filter='TOML (*.toml)')
        self.add_layer('RESIDENTIAL', ('居住用地（覆盖率指标的数据）', 'Residential land (data of coverage indicators)'),
                       POLYGONS, optional=True)
        self.add_string('RESIDENTIAL_NAME', ('居住用地的数据名', 'Data name of the residential land'), 'residential',
                        advanced=True)
        self.add_layer('FACILITIES', ('公园或设施（覆盖率指标的数据）', 'Parks or facilities (data of coverage indicators)'),
                       POINTS_POLYGONS, optional=True)
        self.add_string('FACILITIES_NAME', ('公园或设施的数据名', 'Data name of the parks or facilities'), 'parks',
                        advanced=True)
        self.add(QgsProcessingParameterFolderDestination('OUTPUT', bilingual('输出文件夹', 'Output folder')))
        self.add_flag('OVERWRITE', ('替换已有的非空输出文件夹', 'Replace an existing, non-empty output folder'))
        self.addOutput(QgsProcessingOutputFile('CSV', bilingual('指标表 CSV', 'Indicator table CSV')))
        self.addOutput(QgsProcessingOutputFile('HTML', bilingual('指标表 HTML', 'Indicator table HTML')))
        self.addOutput(QgsProcessingOutputFile('PDF', bilingual('指标表 PDF', 'Indicator sheet PDF')))
        figures(self, self.keys)

    def data(self, layer, name):
        src = self.source(layer, '--data')
        return ['--data', self.parameterAsString(self._parameters, name, self._context) + '=' + src[1]] if src else []

    def arguments(self, parameters, context, feedback):
        self._out = self.parameterAsFileOutput(parameters, 'OUTPUT', context)
        return ['assess', self.parameterAsFile(parameters, 'PLAN', context)] + \
            self.data('RESIDENTIAL', 'RESIDENTIAL_NAME') + self.data('FACILITIES', 'FACILITIES_NAME') + \
            ['-o', self._out] + self.flag('OVERWRITE', '--overwrite')

    def results(self, parameters, context, feedback, stdout):
        summary = self.read_json(os.path.join(self._out, 'indicators.json'))
        out = {'OUTPUT': self._out}
        out.update({key: os.path.join(self._out, 'indicators.' + key.lower()) for key in ('CSV', 'HTML', 'PDF')})
        out.update({key.upper(): summary['counts'][key] for key, _ in self.keys})
        return out


class Site(AnalysisRun):
    command = 'site'
    title = ('设施选址（最大覆盖）', 'Siting for coverage (maximal covering)')
    help = ('在候选地块（点或面图层，或范围内的网格）中选出新增公园或设施：使新增覆盖的人口或居住用地最多（新增 K 处、预算），'
            '或以最少数量达到覆盖率目标；服务半径与覆盖率计算同"服务半径覆盖率"，直线或步行路网距离。贪心算法（至少最优值的 1-1/e）'
            '或 CBC 整数规划精确求解（给出界与间隙）。',
            'Chooses new parks or facilities among candidate sites (a point or polygon layer, or a grid inside a boundary) '
            'to cover the most uncovered population or residential land (K sites, a budget), or the fewest reaching a '
            'coverage target; service areas and coverage as in Service-radius coverage, straight line or walking '
            'network. Greedy (at least 1 - 1/e of the optimum) or an integer programme solved exactly by CBC '
            '(with bound and gap).')
    gpkg, csv = 'site.gpkg', 'site_sites.csv'
    keys = [('sites', ('选出的地块数', 'Sites chosen')), ('coverage_before', ('选址前覆盖率', 'Coverage before')),
            ('coverage_after', ('选址后覆盖率', 'Coverage after'))]

    def initAlgorithm(self, config=None):
        self.add_layer('FACILITIES', ('现有设施（公园、学校…）', 'Existing facilities (parks, schools …)'), POINTS_POLYGONS)
        self.add_layer('RESIDENTIAL', ('居住用地', 'Residential parcels'), POLYGONS)
        self.add_layer('CANDIDATES', ('候选地块（点或面）', 'Candidate sites (points or polygons)'), POINTS_POLYGONS,
                       optional=True)
        self.add_layer('WITHIN', ('或在此范围内按网格生成候选点', 'or a grid of candidates inside these polygons'), POLYGONS,
                       optional=True)
        self.add_number('GRID', ('网格间距', 'Grid spacing'), 200, 10, 100000, METRES, advanced=True)
        self.add_number('SITE_AREA', ('网格候选地块面积（平方米）', 'Grid site area (m²)'), None, 1, 1e8, optional=True,
                        advanced=True)
        self.add_enum('PROFILE', ('规则配置', 'Rule profile'), COVERAGE_PROFILES, 1)
        self.add_number('RADIUS', ('服务半径（固定半径时）', 'Service radius (fixed radius)'), 500, 1, 100000, METRES)
        self.add_string('TYPE', ('生活圈设施类型（生活圈配置时）', 'Facility type (life-circle profile)'))
        self.add_field('POPULATION_FIELD', ('人口字段', 'Population field'), 'RESIDENTIAL', numeric=True)
        self.add_number('ADD', ('新增地块数 K', 'Number of new sites K'), 5, 1, 100000, integer=True, optional=True)
        self.add_number('TARGET', ('或覆盖率目标（0–1，优先）', 'or coverage target (0–1, takes precedence)'), None, 0, 1,
                        optional=True)
        self.add_enum('OBJECTIVE', ('覆盖对象', 'Objective'),
                      [('population', ('人口', 'population')), ('area', ('居住用地面积', 'residential area'))], 0)
        self.add_flag('EXACT', ('CBC 精确求解', 'Solve exactly with CBC'))
        self.add_number('TIME_LIMIT', ('精确求解时限（秒）', 'Exact solver time limit (s)'), 60, 1, 86400, advanced=True)
        self.add_network_mode(width=True)
        self.add_outputs()

    def arguments(self, parameters, context, feedback):
        args = ['site'] + self.source('FACILITIES', '--facilities') + self.source('RESIDENTIAL', '--residential')
        candidates = self.source('CANDIDATES', '--candidates')
        if not candidates:
            within = self.source('WITHIN', '--within')
            if not within:
                raise QgsProcessingException('give candidate sites or polygons for a grid / 请给出候选地块或网格范围')
            candidates = within + self.number('GRID', '--grid') + self.number('SITE_AREA', '--site-area')
        args += candidates + self.profile_or_radius()
        args += self.text('TYPE', '--type') + self.field('POPULATION_FIELD', '--population-field')
        goal = self.number('TARGET', '--target') or self.number('ADD', '--add', integer=True)
        args += goal + ['--objective', self.enum_value('OBJECTIVE')]
        args += self.flag('EXACT', '--exact') + self.number('TIME_LIMIT', '--time-limit')
        return args + self.network_mode_arguments(width=True) + self.output_arguments()

    def results(self, parameters, context, feedback, stdout):
        out = super().results(parameters, context, feedback, stdout)
        summary = self.read_json(self._json)
        key = 'population_coverage_ratio' if summary.get('objective') == 'population' else 'coverage_ratio'
        out.update({'SITES': len(summary.get('sites', [])), 'COVERAGE_BEFORE': summary['before'].get(key),
                    'COVERAGE_AFTER': summary['after'].get(key)})
        return {k: v for k, v in out.items() if v is not None}


ALGORITHMS = [Build, Assess, Coverage, Lifecircle, Isochrone, Render, Site]
