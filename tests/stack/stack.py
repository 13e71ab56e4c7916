"""The shipped stack on loopback, for `make stack-test`: PostgreSQL (a fresh database), Redis (its
own process and port), an S3 server (moto's server mode), gunicorn with `gunicorn.conf.py` and
nginx with `docs/deploy/nginx.conf`, templated only for ports, paths and a self-signed
certificate. The portal's environment is `docs/deploy/portal.env` (its object-storage block
switched on), with values for this machine.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "dangjian.example.gov.cn"
BUCKET = "portal-media"
POSTGRES = os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s")


def read_env_file(path):
    """KEY=VALUE lines of portal.env, commented-out ones included (the object-storage block)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def nginx_site(conf, *, ports, paths):
    """docs/deploy/nginx.conf with this machine's ports and paths; each replaced text must be
    there, so a change to the file that the test would silently skip fails instead."""
    replacements = [
        ("listen 80;", f"listen {ports['http']};"),
        ("listen [::]:80;", f"listen [::1]:{ports['http']};"),
        ("listen 443 ssl http2;", f"listen {ports['https']} ssl http2;"),
        ("listen [::]:443 ssl http2;", f"listen [::1]:{ports['https']} ssl http2;"),
        ("server 127.0.0.1:8000 ", f"server 127.0.0.1:{ports['gunicorn']} "),
        ("proxy_pass http://127.0.0.1:9000/;", f"proxy_pass http://127.0.0.1:{ports['s3']}/;"),
        ("/etc/ssl/portal/fullchain.pem", str(paths["certificate"])),
        ("/etc/ssl/portal/privkey.pem", str(paths["key"])),
        ("/var/log/nginx/portal.access.log", str(paths["access_log"])),
        ("/var/lib/portal/static/", f"{paths['static']}/"),
        ("/var/lib/portal/media/", f"{paths['media']}/"),
        ("/etc/nginx/portal_proxy.conf", str(paths["proxy_conf"])),
    ]
    for old, new in replacements:
        if old not in conf:
            raise AssertionError(f"docs/deploy/nginx.conf no longer contains {old!r}")
        conf = conf.replace(old, new)
    return conf


def proxy_snippet(conf):
    """The /etc/nginx/portal_proxy.conf snippet written as a comment at the end of nginx.conf."""
    _, _, tail = conf.partition("# /etc/nginx/portal_proxy.conf:")
    lines = [line[1:].strip() for line in tail.splitlines() if line.startswith("#   ")]
    if not lines:
        raise AssertionError("docs/deploy/nginx.conf has no portal_proxy.conf snippet")
    return "\n".join(lines) + "\n"


class SourceAddressAdapter(HTTPAdapter):
    """Connects from a given loopback address, so nginx sees a client of its own."""

    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client(requests.Session):
    """A browser on `address`, speaking HTTPS to nginx for the portal's host name."""

    def __init__(self, stack, address="127.0.0.1"):
        super().__init__()
        self.base = f"https://127.0.0.1:{stack.ports['https']}"
        self.verify = False
        self.headers.update({"Host": HOST, "Referer": f"https://{HOST}/"})
        adapter = SourceAddressAdapter(address)
        self.mount("https://", adapter)

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        kwargs.setdefault("timeout", 120)
        # A session's own `verify` loses to REQUESTS_CA_BUNDLE; the certificate is self-signed.
        kwargs["verify"] = False
        return super().request(method, url, *args, **kwargs)

    def csrf_post(self, url, data, **kwargs):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.post(url, data=data, **kwargs)

    def login(self, username, password):
        self.get("/admin/login/")
        response = self.csrf_post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]
        return self


class Stack:
    def __init__(self, tmp):
        self.tmp = Path(tmp)
        self.processes = {}
        self.ports = {name: free_port() for name in ["http", "https", "gunicorn", "redis", "s3"]}
        self.database = f"portal_stack_{os.getpid()}"
        self.media = self.tmp / "media"
        self.static = self.tmp / "static"
        self.env = self._environment()

    def _environment(self):
        values = read_env_file(ROOT / "docs/deploy/portal.env")
        self.env_file_keys = set(values)
        values.update(
            {
                "DJANGO_DEBUG": "False",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": HOST,
                "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
                "DATABASE_URL": f"{POSTGRES}/{self.database}",
                "CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/1",
                "PAGE_CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/2",
                "MEDIA_ROOT": str(self.media),
                "DJANGO_STATIC_ROOT": str(self.static),
                "GUNICORN_BIND": f"127.0.0.1:{self.ports['gunicorn']}",
                "MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "stack",
                "AWS_SECRET_ACCESS_KEY": "stack-secret",
                "PORTAL_MEDIA_ORIGINS": f"http://127.0.0.1:{self.ports['s3']}",
            }
        )
        unknown = set(values) - self.env_file_keys
        assert not unknown, f"set here but not in docs/deploy/portal.env: {sorted(unknown)}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AWS_", "GUNICORN_", "PORTAL_"))
            and key not in {"DATABASE_URL", "CACHE_URL", "PAGE_CACHE_URL", "MEDIA_ROOT"}
        }
        env.update(values)
        # Two workers (not 2 × cores + 1), so the test can watch each one's memory.
        env["GUNICORN_WORKERS"] = "2"
        env["DJANGO_SETTINGS_MODULE"] = "config.settings"
        return env

    # -- processes -------------------------------------------------------------------------

    def start(self, name, args, port=None, **kwargs):
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
        self.processes[name] = process
        if port is not None:
            wait_for_port(port, process, name)
        return process

    def stop(self, name):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        # gunicorn's quick shutdown is SIGINT (SIGTERM waits for graceful_timeout).
        process.send_signal(signal.SIGINT if name == "gunicorn" else signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def manage(self, *args, check=True, input=None):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            input=input,
            timeout=600,
        )
        print(f"manage.py {args[0]}: {time.monotonic() - started:.1f} s")
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result

    def shell(self, code):
        """Runs Python inside the portal (production settings); returns what it printed."""
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def psql(self, sql):
        subprocess.run(
            ["psql", f"{POSTGRES}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
            check=True,
            capture_output=True,
        )

    def start_redis(self):
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            port=self.ports["redis"],
        )

    def start_s3(self):
        self.start(
            "s3",
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
            port=self.ports["s3"],
        )
        self.bucket_client().create_bucket(Bucket=BUCKET)

    def bucket_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["AWS_S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
            region_name=self.env["AWS_S3_REGION_NAME"],
        )

    def start_gunicorn(self):
        self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"],
            port=self.ports["gunicorn"],
        )

    def worker_pids(self):
        master = self.processes["gunicorn"].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]

    def start_nginx(self):
        certificate, key = self.tmp / "fullchain.pem", self.tmp / "privkey.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                f"/CN={HOST}",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
        )
        conf = (ROOT / "docs/deploy/nginx.conf").read_text(encoding="utf-8")
        proxy_conf = self.tmp / "portal_proxy.conf"
        proxy_conf.write_text(proxy_snippet(conf))
        paths = {
            "certificate": certificate,
            "key": key,
            "access_log": self.tmp / "nginx-access.log",
            "static": self.static,
            "media": self.media,
            "proxy_conf": proxy_conf,
        }
        site = self.tmp / "portal.conf"
        site.write_text(nginx_site(conf, ports=self.ports, paths=paths))
        temp = {name: self.tmp / f"nginx-{name}" for name in ["body", "proxy", "fastcgi", "uwsgi"]}
        for folder in temp.values():
            folder.mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = self.tmp / "nginx.conf"
        main.write_text(
            f"""{user}worker_processes 1;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["uwsgi"]};
    include {site};
}}
"""
        )
        subprocess.run([NGINX, "-t", "-c", str(main), "-p", str(self.tmp)], check=True)
        self.start(
            "nginx",
            [NGINX, "-c", str(main), "-p", str(self.tmp), "-g", "daemon off;"],
            port=self.ports["https"],
        )

    def up(self):
        self.media.mkdir(parents=True, exist_ok=True)
        self.psql(f'CREATE DATABASE "{self.database}"')
        self.start_redis()
        self.start_s3()
        # collectstatic needs no database: it runs beside migrate.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.manage("migrate", "--no-input")
        if static.wait(300) != 0:
            raise AssertionError(f"collectstatic: {static.stderr.read().decode()}")
        self.start_gunicorn()
        self.start_nginx()

    def down(self):
        for name in list(self.processes):
            self.stop(name)
        with contextlib.suppress(subprocess.CalledProcessError):
            self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def logs(self):
        return {
            path.name: path.read_text(errors="replace")[-4000:] for path in self.tmp.glob("*.log")
        }
