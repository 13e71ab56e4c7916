"""Load test of the public pages through gunicorn on loopback, next to /healthz in the same run.

    .venv/bin/python bench/load.py --scale 10 --concurrency 32 --seconds 15

What it does (docs/performance.md, "Public pages under load"):
1. migrates a PostgreSQL database of its own (`--database-url`, default portal_bench on the local
   server) and loads the demo at `--scale` (idempotent: a second run reuses it);
2. collects static files and starts gunicorn with gunicorn.conf.py and production settings
   (DJANGO_DEBUG=False, a random secret key, DJANGO_SECURE_SSL_REDIRECT=False because loopback
   is plain HTTP, the Redis cache from `--cache-url`);
3. picks the pages: /healthz, every public front and list page (FRONT_PAGES), and up to
   `--per-kind` addresses of every kind of item found in /sitemap.xml and in the front pages'
   links (a base, its booking form, an artefact, an oral history, a veteran, a film ...);
4. drives each page in turn with `--concurrency` keep-alive clients for `--seconds` (after a
   warm-up), and prints requests per second, p50/p95/p99 latency and errors (any status but 200)
   as a Markdown table, with each page's throughput as a share of /healthz's.

Only loopback is ever contacted; every loop is bounded in time and count.
"""

import argparse
import asyncio
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


def production_env(args, static_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="False",
        DJANGO_TESTING="False",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_CONN_MAX_AGE="60",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        DJANGO_STATIC_ROOT=str(static_root),
        GUNICORN_BIND=f"{HOST}:{args.port}",
        GUNICORN_ACCESSLOG="/dev/null",
        AXES_ENABLED="True",
    )
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    return env


def prepare_database(args):
    url = urlsplit(args.database_url)
    if url.scheme.startswith("postgres"):
        name = url.path.lstrip("/")
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(
            ["psql", admin, "-tAc", f"CREATE DATABASE {name}"],
            capture_output=True,
        )
    env = {**os.environ, "DJANGO_DEBUG": "True", "DATABASE_URL": args.database_url}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run(
        [PYTHON, "manage.py", "load_demo", "--scale", str(args.scale)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo at scale {args.scale} ready in {time.monotonic() - started:.0f} s", flush=True)


async def fetch(reader, writer, path):
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: zh-CN\r\n"
        f"User-Agent: portal-bench\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
    elif re.search(rb"(?i)\r\ntransfer-encoding:\s*chunked", head):
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, True
    closing = re.search(rb"(?i)\r\nconnection:\s*close", head) is not None
    return status, closing


async def client(port, path, deadline, latencies, errors, max_requests):
    reader = writer = None
    while time.monotonic() < deadline and len(latencies) < max_requests:
        if writer is None:
            reader, writer = await asyncio.open_connection(HOST, port)
        started = time.perf_counter()
        try:
            status, closing = await fetch(reader, writer, path)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors.append("connection")
            writer.close()
            writer = None
            continue
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
        if closing:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def drive(port, path, concurrency, seconds, max_requests=200_000):
    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(client(port, path, deadline, latencies, errors, max_requests) for _ in range(concurrency))
    )
    elapsed = time.monotonic() - started
    return latencies, errors, elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


SKIPPED = ("/admin/", "/static/", "/media/", "/i18n/", "/reports/", "/red-memory/media/")
# Every public list and front page, each measured on its own (the address of one item of each
# kind is found below).
FRONT_PAGES = [
    "/",
    "/bases/",
    "/red-memory/",
    "/red-memory/oral-histories/",
    "/red-memory/artefacts/",
    "/red-memory/veterans/",
    "/red-memory/films/",
    "/red-memory/search/?q=%E5%A4%AA%E8%A1%8C",  # 太行
    "/visits/book/",
    "/visits/booking/",
    "/visits/statistics/public/",
]


async def discover(port, per_kind):
    """Public addresses to test: the front pages and `per_kind` items of every kind found in
    the sitemap and in the front pages' links (a base, its booking form, an oral history …)."""
    import urllib.request

    def get(path):
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
            return response.read().decode()

    found = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", get("/sitemap.xml"))
    for page in FRONT_PAGES:
        found += re.findall(r'href="(/[^"#?]*)"', get(page))
    kinds = {}
    for path in found:
        if path.startswith(SKIPPED) or path in FRONT_PAGES or path.count("/") <= 2:
            continue
        kind = re.sub(r"/[^/]+/$", "/<item>/", path)
        kinds.setdefault(kind, [])
        if path not in kinds[kind] and len(kinds[kind]) < per_kind:
            kinds[kind].append(path)
    pages = ["/healthz", *FRONT_PAGES]
    for paths in kinds.values():
        pages += [p for p in paths if p not in pages]
    return pages


def wait_for(port, seconds=60):
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--per-kind", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--skip-load", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()

    if not args.skip_load:
        prepare_database(args)
    static_root = Path(tempfile.mkdtemp(prefix="portal-static-"))
    env = production_env(args, static_root)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    if args.cache_url.startswith("redis://"):
        # A cold cache for the run: this bench's Redis database only.
        db = urlsplit(args.cache_url).path.lstrip("/") or "0"
        port = str(urlsplit(args.cache_url).port or 6379)
        subprocess.run(["redis-cli", "-p", port, "-n", db, "FLUSHDB"], capture_output=True)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(args.port)
        pages = asyncio.run(discover(args.port, args.per_kind))
        rows = []
        for path in pages:
            asyncio.run(drive(args.port, path, args.concurrency, args.warmup))
            latencies, errors, elapsed = asyncio.run(
                drive(args.port, path, args.concurrency, args.seconds)
            )
            rows.append(
                (
                    path,
                    len(latencies) / elapsed,
                    statistics.median(latencies) * 1000,
                    percentile(latencies, 0.95) * 1000,
                    percentile(latencies, 0.99) * 1000,
                    len(errors),
                    len(latencies),
                )
            )
            print(f"  {path}: {rows[-1][1]:.0f} rps, p99 {rows[-1][4]:.0f} ms", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    healthz = rows[0][1]
    print()
    print(
        f"scale {args.scale}, {args.concurrency} clients, {args.seconds:.0f} s per page, "
        f"{os.cpu_count()} cores, cache {args.cache_url}"
    )
    print("| page | rps | share of /healthz | p50 ms | p95 ms | p99 ms | errors | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for path, rps, p50, p95, p99, errors, count in rows:
        share = rps / healthz
        print(
            f"| `{path}` | {rps:.0f} | {share:.0%} | {p50:.1f} | {p95:.1f} | {p99:.1f} | "
            f"{errors} | {count} |"
        )
        if path != "/healthz" and (share < 0.5 or p99 >= 250) or errors:
            failed = True
    print()
    print("targets (every page >= 50% of /healthz, p99 < 250 ms, no errors):", end=" ")
    print("NOT MET" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
