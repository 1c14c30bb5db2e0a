"""What the QGIS tests share: a throwaway QGIS profile holding the plugin as a user installs it
(from the ZIP scripts/package_qgis_plugin.sh makes), planmap on PATH, headless Qt, and small data
made by `planmap synth`. Run with Debian's /usr/bin/python3 (python3-qgis)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SKIP = 77  # ctest SKIP_RETURN_CODE


def qgis_process_binary():
    # Debian's qgis_process wrapper passes QGIS_OPTS from /etc/default/qgis (--noversioncheck, an
    # option only the desktop application knows), so the executable is called directly.
    for name in ('qgis_process.bin', 'qgis_process'):
        path = shutil.which(name) or (os.path.join('/usr/bin', name) if os.path.exists(os.path.join('/usr/bin', name)) else None)
        if path:
            return path
    return None


def read_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


class Env:
    """A temporary folder with a QGIS profile (plugin installed from the ZIP), planmap's folder on
    PATH and the environment for headless QGIS."""

    def __init__(self, planmap):
        self.planmap = os.path.abspath(planmap)
        self.tmp = tempfile.mkdtemp(prefix='planmap-qgis-')
        self.config = os.path.join(self.tmp, 'qgis-config')
        plugins = os.path.join(self.config, 'profiles', 'default', 'python', 'plugins')
        os.makedirs(plugins)
        self.zip = os.path.join(self.tmp, 'planmap_processing.zip')
        subprocess.run(['bash', os.path.join(ROOT, 'scripts', 'package_qgis_plugin.sh'), self.zip], check=True,
                       stdout=subprocess.DEVNULL)
        with zipfile.ZipFile(self.zip) as z:
            z.extractall(plugins)
        self.plugins = plugins
        runtime = os.path.join(self.tmp, 'xdg-runtime')
        os.makedirs(runtime, mode=0o700)
        self.env = dict(os.environ)
        self.env.update({'QT_QPA_PLATFORM': 'offscreen', 'QGIS_CUSTOM_CONFIG_PATH': self.config,
                         'XDG_RUNTIME_DIR': runtime, 'PATH': os.path.dirname(self.planmap) + os.pathsep + os.environ.get('PATH', ''),
                         'LC_ALL': 'C.UTF-8', 'PYTHONWARNINGS': 'ignore'})
        os.environ.update(self.env)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def planmap_run(self, *args):
        """planmap's exit code and standard output (fails the test on an unexpected error)."""
        r = subprocess.run([self.planmap] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return r.returncode, r.stdout, r.stderr

    def city(self, parcels=200, seed=9):
        city = self.path('city{}.gpkg'.format(parcels))
        if not os.path.exists(city):
            code, _, err = self.planmap_run('synth', '--parcels', str(parcels), '--seed', str(seed), '-o', city, '-q')
            assert code == 0, err
        return city

    def cleanup(self):
        if not os.environ.get('PLANMAP_KEEP_TMP'):
            shutil.rmtree(self.tmp, ignore_errors=True)


class PostGIS:
    """A throwaway PostgreSQL + PostGIS server on 127.0.0.1 with password authentication (as
    tests/support_pg.cpp starts one; run by the postgres account when the tests run as root).
    `why` says why there is none."""

    PASSWORD = "s3cr3t!pw"

    def __init__(self):
        import glob
        import pwd
        import socket
        self.why, self.started = None, False
        bins = sorted(glob.glob('/usr/lib/postgresql/*/bin/initdb'))
        if not bins:
            self.why = 'PostgreSQL server binaries not installed'
            return
        self.bin = os.path.dirname(bins[-1])
        version = os.path.basename(os.path.dirname(self.bin))
        if not os.path.exists('/usr/share/postgresql/{}/extension/postgis.control'.format(version)):
            self.why = 'PostGIS not installed'
            return
        self.dir = tempfile.mkdtemp(prefix='planmap-qgis-pg-')  # its own folder: the test's is private to its user
        self.user = 'postgres' if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            pw = pwd.getpwnam('postgres')
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            self.port = s.getsockname()[1]
        pwfile = os.path.join(self.dir, 'pw')
        with open(pwfile, 'w') as f:
            f.write(self.PASSWORD)
        if os.geteuid() == 0:
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        data = os.path.join(self.dir, 'data')
        opts = '-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off'.format(self.port, self.dir)
        for cmd in ([self.bin + '/initdb', '-A', 'scram-sha-256', '--pwfile', pwfile, '-U', self.user, '-E', 'UTF8',
                     '--no-locale', '-D', data],
                    [self.bin + '/pg_ctl', '-D', data, '-w', '-t', '60', '-l', os.path.join(self.dir, 'log'), '-o', opts, 'start']):
            r = subprocess.run(self.as_owner(cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                self.why = '{} failed: {}'.format(os.path.basename(cmd[0]), r.stdout[-300:])
                return
        self.started = True
        self.psql('CREATE EXTENSION postgis;')

    def as_owner(self, cmd):
        return ['runuser', '-u', 'postgres', '--'] + cmd if os.geteuid() == 0 else cmd

    def psql(self, sql):
        env = dict(os.environ, PGPASSWORD=self.PASSWORD)
        subprocess.run([self.bin + '/psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', str(self.port),
                        '-U', self.user, '-d', 'postgres', '-c', sql], env=env, check=True, stdout=subprocess.DEVNULL)

    def load(self, src, layer, table):
        """ogr2ogr a layer into public.<table> (geometry column geom)."""
        env = dict(os.environ, PGPASSWORD=self.PASSWORD)
        subprocess.run(['ogr2ogr', '-f', 'PostgreSQL', 'PG:host=127.0.0.1 port={} dbname=postgres user={}'.format(self.port, self.user),
                        src, layer, '-nln', table, '-lco', 'GEOMETRY_NAME=geom'], env=env, check=True)

    def qgis_uri(self, table, geometry_type):
        return ("dbname='postgres' host=127.0.0.1 port={} user='{}' password='{}' sslmode=disable key='ogc_fid' "
                "type={} checkPrimaryKeyUnicity='0' table=\"public\".\"{}\" (geom)").format(
                    self.port, self.user, self.PASSWORD, geometry_type, table)

    def stop(self):
        if self.started:
            subprocess.run(self.as_owner([self.bin + '/pg_ctl', '-D', os.path.join(self.dir, 'data'), '-m', 'immediate', 'stop']),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.started = False
        if getattr(self, 'dir', None):
            shutil.rmtree(self.dir, ignore_errors=True)


def start_qgis():
    """A headless QgsApplication with Processing and the installed plugin's provider."""
    sys.path.insert(0, '/usr/share/qgis/python/plugins')
    from qgis.core import QgsApplication
    app = QgsApplication([], True)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    return app


def load_plugin(env):
    """Loads and starts the installed plugin as QGIS's plugin manager does after Install from ZIP."""
    sys.path.insert(0, env.plugins)
    from qgis.core import QgsApplication
    import qgis.utils
    qgis.utils.plugin_paths = [env.plugins]
    assert qgis.utils.loadPlugin('planmap_processing'), 'the plugin loads'
    assert qgis.utils.startPlugin('planmap_processing'), 'the plugin starts'
    assert QgsApplication.processingRegistry().providerById('planmap') is not None
    return qgis.utils.plugins['planmap_processing']


class Checks:
    """Counts and prints checks; exit code 1 when any failed."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print('ok   ' + what)
        else:
            self.failed += 1
            print('FAIL ' + what)
        sys.stdout.flush()
        return ok

    def close(self, name, env, app=None):
        """Prints the counts, removes the test's folder and, with a QGIS application, ends the
        process at once (Python's teardown after QGIS's can crash in standalone PyQGIS); the
        exit code."""
        print('{}: {} check(s) passed, {} failed'.format(name, self.passed, self.failed))
        env.cleanup()
        code = 1 if self.failed else 0
        if app is not None:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code


def entry(main, usage, requirement='pyqgis'):
    """Runs main(*arguments) as a test program: usage error, exit 77 (skipped) when QGIS is missing."""
    if len(sys.argv) != usage.count(' ') + 1:
        sys.exit('usage: ' + usage)
    if requirement == 'qgis_process':
        missing = not qgis_process_binary()
    else:
        try:
            import qgis.core  # noqa: F401 (present or not)
            missing = False
        except ImportError:
            missing = True
    if missing:
        print('{} is not installed: skipped'.format(requirement))
        sys.exit(SKIP)
    sys.exit(main(*sys.argv[1:]))
