"""Running the planmap executable for an algorithm: finding it, passing layers as sources it reads,
showing its progress, stopping it on cancel and turning its one-line errors into Processing errors.

Nothing here knows an algorithm: algorithms give an argument list (see algorithm.py)."""

import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import time

try:  # POSIX: planmap draws its progress bars only on a terminal
    import pty
    import tty
except ImportError:
    pty = tty = None

from qgis.core import (QgsDataSourceUri, QgsProcessingException, QgsProcessingUtils, QgsProviderRegistry)

EXECUTABLE_SETTING = 'PLANMAP_EXECUTABLE'

# One frame of planmap's progress bar (cli/progress.cpp): "LABEL [####......]  45% 450/1000 0.3s",
# or "LABEL 450 0.3s" when the total is unknown.
_BAR = re.compile(r'^(?P<label>.*?) \[[#.]*\]\s*(?P<pct>\d+)% (?P<done>\d+)/(?P<total>\d+) [\d.]+s$')
_ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
# Passwords in connection strings and URIs, as planmap itself redacts them.
_SECRETS = [re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.I),
            re.compile(r'(://[^/@:\s]*:)([^@/\s]*)(@)'),
            re.compile(r'([?&]password=)([^&\s]*)', re.I)]


def redact(text):
    """text with every password of a connection string replaced by ***."""
    text = _SECRETS[0].sub(r'\1***', text)
    text = _SECRETS[1].sub(r'\1***\3', text)
    return _SECRETS[2].sub(r'\1***', text)


def find_executable(setting_value=None):
    """The planmap executable: the provider's setting when given, else planmap on PATH."""
    if setting_value:
        if os.path.isfile(setting_value) and os.access(setting_value, os.X_OK):
            return setting_value
        raise QgsProcessingException(
            'planmap executable "{}" (Processing options › Providers › planmap) does not exist or cannot be run '
            '/ 设置中的 planmap 程序不存在或不可执行'.format(setting_value))
    found = shutil.which('planmap')
    if not found:
        raise QgsProcessingException(
            'planmap was not found on PATH; install it (the planmap .deb) or set its path in Processing options › '
            'Providers › planmap / 未找到 planmap 程序：请安装或在处理选项中设置其路径')
    return found


class Source:
    """A layer as planmap reads it: `arg` for the command line, `env` for the process (a PostGIS
    password travels in PGPASSWORD, never on the command line), `shown` for the log."""

    def __init__(self, arg, env=None):
        self.arg = arg
        self.env = env or {}


def _postgis_source(layer):
    """PG:… tables=schema.table(geom) for a PostGIS layer planmap can read directly, else None
    (an authentication configuration or a filter: the caller exports the features instead)."""
    uri = QgsDataSourceUri(layer.source())
    if uri.authConfigId() or uri.sql() or layer.subsetString():
        return None
    parts = []
    for key, value in (('host', uri.host()), ('port', uri.port()), ('dbname', uri.database()),
                       ('user', uri.username()), ('service', uri.service())):
        if value:
            parts.append("{}='{}'".format(key, value.replace('\\', '\\\\').replace("'", "\\'")))
    if uri.sslMode() not in (QgsDataSourceUri.SslPrefer,):
        mode = QgsDataSourceUri.encodeSslMode(uri.sslMode())
        if mode:
            parts.append('sslmode=' + mode)
    table = '{}.{}'.format(uri.schema() or 'public', uri.table())
    if uri.geometryColumn():
        table += '({})'.format(uri.geometryColumn())
    parts.append('tables=' + table)
    env = {'PGPASSWORD': uri.password()} if uri.password() else {}
    return Source('PG:' + ' '.join(parts), env)


def _layer_name_of_index(path, index):
    """The name of layer number `index` (QGIS's |layerid=N) of a multi-layer file, or None."""
    if index in (None, ''):
        return None
    try:
        from osgeo import ogr
        ds = ogr.Open(path)
        return ds.GetLayer(int(index)).GetName() if ds is not None and int(index) < ds.GetLayerCount() else None
    except (ImportError, ValueError, AttributeError):
        return None


def layer_source(alg, parameters, name, context, feedback):
    """The feature-source parameter `name` as a Source planmap reads: the layer's own file
    (path or path:layer) when planmap can read it as it is, its PostGIS table, or else (selected
    features only, a filter, a memory or web layer) its features exported to a temporary
    GeoPackage. None when the parameter is empty."""
    if parameters.get(name) is None:
        return None
    layer = alg.parameterAsVectorLayer(parameters, name, context)
    definition = parameters.get(name)
    selected = getattr(definition, 'selectedFeaturesOnly', False) or (
        hasattr(definition, 'source') and getattr(definition, 'featureLimit', -1) not in (-1, None))
    if layer is not None and not selected:
        if layer.providerType() == 'postgres':
            src = _postgis_source(layer)
            if src:
                return src
        elif layer.providerType() == 'ogr' and not layer.subsetString():
            parts = QgsProviderRegistry.instance().decodeUri('ogr', layer.source())
            path = parts.get('path', '')
            ext = os.path.splitext(path)[1].lower()
            # A shapefile without .prj whose CRS was set in QGIS: exported, so that planmap gets that CRS.
            crs_from_qgis = ext == '.shp' and not os.path.exists(os.path.splitext(path)[0] + '.prj')
            if path and os.path.isfile(path) and not crs_from_qgis and ext in (
                    '.gpkg', '.shp', '.geojson', '.json', '.fgb', '.sqlite', '.gml', '.kml', '.tab'):
                path = os.path.abspath(path)
                name = parts.get('layerName') or _layer_name_of_index(path, parts.get('layerId'))
                if name:
                    return Source('{}:{}'.format(path, name))
                if ext not in ('.gpkg', '.sqlite'):  # one layer per file
                    return Source(path)
    path, layer_name = alg.parameterAsCompatibleSourceLayerPathAndLayerName(
        parameters, name, context, ['gpkg'], 'gpkg', feedback)
    if not path:
        raise QgsProcessingException('cannot read the layer of "{}" / 无法读取图层'.format(name))
    return Source('{}:{}'.format(path, layer_name) if layer_name else path)


def language():
    """planmap's --lang for the language QGIS runs in: Chinese under a Chinese QGIS, else English."""
    try:
        from qgis.core import QgsApplication
        locale = QgsApplication.locale() or ''
    except Exception:  # outside QGIS (tests of the runner alone)
        locale = os.environ.get('LANG', '')
    return 'zh' if locale.lower().startswith('zh') else 'en'


# planmap's warning lead in both languages ("planmap: warning: …", "planmap: 警告：…").
_WARNING = re.compile(r'^planmap: (warning: |警告：)')


def run(executable, args, feedback, env=None, workdir=None):
    """Runs planmap with `args`; returns its standard output. Its progress bars (drawn on a
    terminal, so standard error is given a pseudo-terminal) become the dialog's progress, its
    warnings the log's; cancel sends SIGTERM (planmap removes its temporaries and never leaves a
    partial output) and raises. A failure raises planmap's own one-line message."""
    args = ['--lang', language()] + list(args)  # messages and reports in QGIS's language
    environment = dict(os.environ)
    environment.update(env or {})
    environment['LC_ALL'] = environment.get('LC_ALL') or 'C.UTF-8'
    feedback.pushCommandInfo(redact(' '.join(shlex.quote(a) for a in [executable] + list(args))))
    try:
        master, slave = pty.openpty()
        tty.setraw(slave)  # no \n → \r\n translation: lines end as planmap ends them
    except (OSError, AttributeError):  # no pseudo-terminal: no progress bars, the rest is the same
        master, slave = None, subprocess.PIPE
    proc = subprocess.Popen([executable] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, env=environment, cwd=workdir, start_new_session=True)
    if master is not None:
        os.close(slave)
        err_fd = master
    else:
        err_fd = proc.stderr.fileno()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout.fileno(), selectors.EVENT_READ, 'out')
    sel.register(err_fd, selectors.EVENT_READ, 'err')
    out, err = bytearray(), bytearray()
    err_lines, lines = [], []
    open_streams = 2
    cancelled = False

    def take_err_lines(final=False):
        # Frames end with \r, lines with \n; a frame updates the progress, a line is kept.
        nonlocal err
        while True:
            cut = min([i for i in (err.find(b'\r'), err.find(b'\n')) if i >= 0], default=-1)
            if cut < 0:
                if final and err:
                    cut = len(err)
                else:
                    return
            piece = _ANSI.sub('', err[:cut].decode('utf-8', 'replace')).strip()
            ended_line = cut < len(err) and err[cut:cut + 1] == b'\n'
            del err[:cut + 1]
            if not piece:
                continue
            bar = _BAR.match(piece)
            if bar:
                feedback.setProgressText(bar.group('label'))
                feedback.setProgress(float(bar.group('pct')))
            elif ended_line or final:
                err_lines.append(piece)
                if _WARNING.match(piece):
                    feedback.pushWarning(redact(piece[len('planmap: '):]))
                elif not piece.startswith('planmap: '):
                    feedback.pushInfo(redact(piece))

    while open_streams:
        if feedback.isCanceled() and not cancelled:
            cancelled = True
            _stop(proc)
        for key, _ in sel.select(timeout=0.1):
            try:
                chunk = os.read(key.fd, 65536)
            except OSError:  # the pseudo-terminal reports EIO once planmap has exited
                chunk = b''
            if not chunk:
                sel.unregister(key.fd)
                open_streams -= 1
                continue
            if key.data == 'out':
                out.extend(chunk)
                while b'\n' in out:
                    line, _, rest = bytes(out).partition(b'\n')
                    out[:] = rest
                    text = line.decode('utf-8', 'replace').rstrip()
                    feedback.pushConsoleInfo(redact(text))
                    lines.append(text)
            else:
                err.extend(chunk)
                take_err_lines()
    take_err_lines(final=True)
    if out:
        lines.append(out.decode('utf-8', 'replace'))
    code = proc.wait()
    proc.stdout.close()
    sel.close()
    if master is not None:
        os.close(master)
    else:
        proc.stderr.close()
    if cancelled or feedback.isCanceled():
        raise QgsProcessingException('cancelled: planmap was stopped and wrote nothing / 已取消：planmap 已停止，未写出任何结果')
    if code != 0:
        messages = [redact(l) for l in err_lines if l.startswith('planmap: ')] or [redact(l) for l in err_lines[-1:]]
        message = messages[-1] if messages else 'planmap exited with code {}'.format(code)
        raise QgsProcessingException(message)
    return '\n'.join(lines)


def _stop(proc):
    """SIGTERM (planmap cleans up its temporaries), SIGKILL after 10 s."""
    try:
        proc.send_signal(signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + 10
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()


def temp_path(name):
    """A path for `name` in Processing's temporary folder."""
    return os.path.join(QgsProcessingUtils.tempFolder(), name)
