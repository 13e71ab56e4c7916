"""Fault drill: Redis stopped, PostgreSQL restarted under load, a form sent while it is down.

    make drill        (or: .venv/bin/python bench/drill.py)

Runs everything on loopback with servers of its own, so nothing shared is disturbed: a throwaway
PostgreSQL cluster (initdb in a temporary folder, port 55433), a Redis on port 6391 and gunicorn
on port 8766 with production settings. Each scenario prints PASS or FAIL; the exit code is the
number of failures. docs/faults.md describes what each proves.
"""

import contextlib
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_PORT, REDIS_PORT, WEB_PORT = 55433, 6391, 8766
BASE = f"http://127.0.0.1:{WEB_PORT}"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/portal"
failures = []


def pg_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found: apt-get install postgresql")
    return str(found[-1])


def as_postgres(*command):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)


class Cluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="portal-drill-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        as_postgres(pg_bin("initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")

    def ctl(self, action, *extra):
        as_postgres(
            pg_bin("pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-o",
            f"-p {PG_PORT} -k {self.dir} -c listen_addresses=127.0.0.1",
            "-w",
            *extra,
            action,
        )

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_redis():
    return subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )


def env():
    values = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    values.update(
        DJANGO_DEBUG="False",
        DJANGO_TESTING="False",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_SESSION_COOKIE_SECURE="False",
        DJANGO_CSRF_COOKIE_SECURE="False",
        DJANGO_CONN_MAX_AGE="60",
        DATABASE_URL=DATABASE_URL,
        CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        DJANGO_STATIC_ROOT=tempfile.mkdtemp(prefix="portal-drill-static-"),
        GUNICORN_BIND=f"127.0.0.1:{WEB_PORT}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="/dev/null",
    )
    return values


def get(path, opener=None, data=None, timeout=10):
    request = urllib.request.Request(BASE + path, data=data, headers={"Accept-Language": "zh-CN"})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return "connection", ""


def check(name, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  ' + detail if detail else ''}", flush=True)
    if not ok:
        failures.append(name)


def psql(sql):
    result = subprocess.run(
        ["psql", DATABASE_URL, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def main():
    cluster = Cluster()
    redis = gunicorn = None
    try:
        cluster.ctl("start")
        subprocess.run(
            ["psql", DATABASE_URL.rsplit("/", 1)[0] + "/postgres", "-c", "CREATE DATABASE portal"],
            check=True,
            capture_output=True,
        )
        redis = start_redis()
        values = env()
        setup = {**values, "DJANGO_DEBUG": "True"}
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=setup, check=True)
        subprocess.run(
            [PYTHON, "manage.py", "load_demo"],
            cwd=ROOT,
            env=setup,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=values,
            check=True,
        )
        gunicorn = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=values,
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(60):
            if get("/healthz")[0] == 200:
                break
            time.sleep(0.5)
        pages = ["/", "/bases/", "/healthz"]
        check("baseline: public pages answer 200", all(get(p)[0] == 200 for p in pages))

        # 1. Redis stopped: the site serves from the database.
        redis.terminate()
        redis.wait()
        started = time.monotonic()
        statuses = [get(p)[0] for _ in range(10) for p in pages]
        took = time.monotonic() - started
        check(
            "Redis stopped: every page still 200",
            set(statuses) == {200},
            f"{len(statuses)} requests in {took:.1f} s",
        )
        redis = start_redis()
        time.sleep(1)
        check("Redis back: pages 200", all(get(p)[0] == 200 for p in pages))

        # 2. PostgreSQL restarted under load: 503s while it is down, then 200s, same workers.
        results, stop = [], threading.Event()

        def load():
            n = 0
            while not stop.is_set() and n < 5000:
                n += 1
                path = "/healthz" if n % 2 else f"/bases/?drill={n}"
                results.append((time.monotonic(), get(path, timeout=5)[0]))
                time.sleep(0.02)

        workers_before = psutil_children(gunicorn.pid)
        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        restart_at = time.monotonic()
        cluster.ctl("restart", "-m", "fast")
        back_at = time.monotonic()
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join()
        during = [s for t, s in results if restart_at <= t <= back_at]
        after = [s for t, s in results if t > back_at + 2]
        others = [s for _, s in results if s not in (200, 503)]
        check(
            "PostgreSQL restart: no 500s or dropped connections, only 200 or 503",
            others == [],
            f"{len(results)} requests, {during.count(503)} answered 503 during the restart, "
            f"unexpected: {sorted(set(map(str, others)))}",
        )
        check(
            "PostgreSQL back: every request 200 again without restarting gunicorn",
            after and set(after) == {200} and psutil_children(gunicorn.pid) == workers_before,
            f"{len(after)} requests after",
        )

        # 3. A form sent while the database is down: a Chinese 503 page, nothing half-written.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        status, page = get("/admin/login/", opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        attempts_before = psql("SELECT count(*) FROM axes_accessattempt")
        cluster.ctl("stop", "-m", "fast")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "staff",
                "password": "wrong-password-1",
                "next": "/admin/",
            }
        ).encode()
        status, page = get("/admin/login/", opener, data=form)
        check(
            "form sent with the database down: 503 with a Chinese 'try again' page",
            status == 503 and "请稍后重试" in page,
            f"status {status}",
        )
        cluster.ctl("start")
        time.sleep(1)
        check(
            "nothing half-written: the failed sign-in left no row",
            psql("SELECT count(*) FROM axes_accessattempt") == attempts_before,
        )
        check("after the outage the same form works", get("/admin/login/", opener)[0] == 200)
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if redis is not None and redis.poll() is None:
            redis.terminate()
            redis.wait()
        cluster.remove()
    print(f"{len(failures)} failed" if failures else "all scenarios passed")
    return len(failures)


def psutil_children(pid):
    """The gunicorn master's worker pids (from /proc, no dependency)."""
    children = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{pid}$", text, re.M):
            children.add(int(status.parent.name))
    return children


if __name__ == "__main__":
    sys.exit(main())
