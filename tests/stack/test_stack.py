"""The shipped stack, tested as shipped (issue 13): through nginx with docs/deploy/nginx.conf,
gunicorn with gunicorn.conf.py, PostgreSQL, Redis and S3 (moto's server), the demo loaded with
MEDIA_STORAGE=s3. The tests run in this order and share the stack; each says what it proves.
"""

import hashlib
import json
import os
import re
import secrets
import signal
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import urllib3

from tests.stack.stack import BUCKET, HOST, Client

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
urllib3.disable_warnings()

VIDEO_BYTES = 200 * 1024 * 1024
# A worker that read a range into memory would grow by the range; streaming leaves it where it was.
RSS_GROWTH_LIMIT = 24 * 1024 * 1024
CRAWL_LIMIT = 600
# The public pages the first test found, for the Redis outage to walk again.
CRAWLED = {}
STAFF_PASSWORD = secrets.token_urlsafe(18)


@pytest.fixture(scope="module")
def seeded(stack):
    # A demonstration server: DJANGO_DEBUG is off as in production, so the demo must be forced.
    stack.manage("load_demo", "--force")
    stack.env["STACK_STAFF_PASSWORD"] = STAFF_PASSWORD
    code = (Path(__file__).parent / "seed.py").read_text(encoding="utf-8")
    return json.loads(stack.shell(code).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def staff(stack, seeded):
    return Client(stack).login("staff", STAFF_PASSWORD)


class FormParser(HTMLParser):
    """The fields of every form of a page, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None
        self._select, self._textarea, self._options = None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"id": attrs.get("id"), "fields": []}
            self.forms.append(self.current)
        if self.current is None:
            return
        fields, name = self.current["fields"], attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            first = self._options[0][0] if self._options else ""
            self.current["fields"].append((self._select, chosen[0] if chosen else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.current["fields"].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_fields(html, *, form_id=None, having=None):
    """The fields of the form with that id, or of the first form with a field named `having`."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if (form_id and form["id"] == form_id) or (having and having in names):
            return form["fields"]
    raise AssertionError(f"no such form ({form_id or having}) in the page")


def worker_rss(stack):
    rss = {}
    for pid in stack.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        rss[pid] = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
    return rss


def sparse_mp4(path, size):
    """A 200 MB MP4 as a camera writes it (ftyp, moov, one large mdat), sparse on disk."""
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    mvhd = b"\x00\x00\x00\x6cmvhd" + b"\x00" * 100
    moov = (8 + len(mvhd)).to_bytes(4, "big") + b"moov" + mvhd
    mdat_size = size - len(ftyp) - len(moov)
    with open(path, "wb") as handle:
        handle.write(ftyp + moov + b"\x00\x00\x00\x01mdat" + mdat_size.to_bytes(8, "big"))
        # Something other than zeros where the test reads a range back.
        handle.seek(size // 2)
        handle.write(b"middle of the recording")
        handle.truncate(size)
    return path


# -- 1. nothing private is reachable by a link or by its name ---------------------------------


LINK = re.compile(r"""(?:href|src|poster)\s*=\s*["']([^"'#]+)""")


def crawl(client, start="/"):
    """Every page of the public site reachable from `start` and the sitemap; returns
    ({page: status}, {file URL found on a page})."""
    pages, files = {}, set()
    sitemap = client.get("/sitemap.xml").text
    queue = deque([start, *(urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap))])
    while queue and len(pages) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url, allow_redirects=False)
        pages[url] = response.status_code
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.text):
            link = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc and parts.netloc != HOST:
                if "/" + BUCKET + "/" in parts.path:
                    files.add(link)
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(("/media/", "/red-memory/media/", "/bases/milestone-")):
                files.add(path)
            elif not parts.path.startswith(("/admin/", "/static/", "/i18n/")) and path not in pages:
                queue.append(path)
    return pages, files


def stored_name(url):
    """The stored name a file URL of the site or of the bucket stands for."""
    path = unquote(urlsplit(url).path)
    for prefix in ["/red-memory/media/", "/media/", f"/{BUCKET}/media/"]:
        if path.startswith(prefix):
            return path[len(prefix) :]
    if path.startswith("/bases/milestone-documents/"):
        return path[len("/bases/milestone-documents/") :]
    return path


def test_no_private_file_is_reachable_by_link_or_by_name(stack, seeded):
    private = {name: kind for kind, names in seeded["private"].items() for name in names}
    for kind in ["deed", "release form", "recording not public", "milestone document"]:
        assert seeded["private"][kind], f"the stack holds no {kind}: nothing would be proved"
    public = Client(stack, "127.0.0.4")
    pages, files = crawl(public)
    CRAWLED.update(pages)
    assert len(pages) > 50, "the crawl found too little of the public site"
    assert not [url for url, status in pages.items() if status >= 500]
    linked = {url: stored_name(url) for url in files}
    assert not {url: name for url, name in linked.items() if name in private}
    for url in files:
        if url.startswith("/"):
            response = public.get(url)
            assert response.status_code in (200, 206, 404), url
    # By name: the file as MEDIA_ROOT would hold it (as with MEDIA_STORAGE=filesystem), the view
    # of red-history files, nginx's internal locations and the bucket behind them.
    for name in private:
        target = stack.media / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"private")
    if seeded["public_image"]:
        target = stack.media / seeded["public_image"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\xff\xd8\xff public")
        # The disk location does serve public images, so its 404s below mean something.
        assert public.get(f"/media/{seeded['public_image']}").status_code == 200
    reached = {}
    for name, kind in private.items():
        for url in [
            f"/media/{name}",
            f"/media//{name}",
            f"/media/./{name}",
            f"/media/bases/../{name}",
            f"/media/{name.replace('/', '%2F')}",
            seeded["protected_urls"][name],
            f"/red-memory/media/{name}",
            f"/protected-media/{name}",
            f"/protected-media/s3/{BUCKET}/media/{name}",
            f"/bases/milestone-documents/{name}",
        ]:
            status = public.get(url, allow_redirects=False).status_code
            if status not in (400, 404):
                reached[url] = (kind, status)
    assert not reached


# -- 2. a 200 MB recording: uploaded through nginx, played with ranges, memory flat ----------


def test_staff_upload_a_200_mb_oral_history_video(stack, seeded, staff, tmp_path):
    video = sparse_mp4(tmp_path / "录像.mp4", VIDEO_BYTES)
    url = f"/admin/redhistory/oralhistory/{seeded['upload_target']}/change/"
    page = staff.get(url)
    assert page.status_code == 200
    data = form_fields(page.text, form_id="oralhistory_form")
    data.append(("csrfmiddlewaretoken", staff.cookies["csrftoken"]))
    data.append(("_continue", "1"))
    with open(video, "rb") as handle:
        response = staff.post(
            url,
            data=data,
            files={"video": ("录像.mp4", handle, "video/mp4")},
            allow_redirects=False,
        )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.text
    )
    keys = stack.bucket_client().list_objects_v2(
        Bucket=BUCKET, Prefix="media/redhistory/oral/video/"
    )
    sizes = [item["Size"] for item in keys.get("Contents", [])]
    assert VIDEO_BYTES in sizes


def test_the_video_plays_with_ranges_through_nginx_while_workers_stay_flat(
    stack, seeded, staff, tmp_path
):
    page = staff.get(f"/admin/redhistory/oralhistory/{seeded['upload_target']}/change/")
    url = re.search(r'href="(/red-memory/media/redhistory/oral/video/[^"]+)"', page.text).group(1)
    before = worker_rss(stack)
    head = staff.get(url, headers={"Range": "bytes=0-1023"})
    assert head.status_code == 206
    assert head.headers["Content-Range"] == f"bytes 0-1023/{VIDEO_BYTES}"
    assert head.content[4:8] == b"ftyp"
    assert "no-store" in head.headers["Cache-Control"]
    middle = staff.get(url, headers={"Range": f"bytes={VIDEO_BYTES // 2}-{VIDEO_BYTES // 2 + 22}"})
    assert middle.status_code == 206 and middle.content == b"middle of the recording"
    # The whole recording as one open range, twice (a seek back to the start), read to the end.
    for _ in range(2):
        with staff.get(url, headers={"Range": "bytes=0-"}, stream=True) as whole:
            assert whole.status_code == 206
            received = sum(len(chunk) for chunk in whole.iter_content(1024 * 1024))
        assert received == VIDEO_BYTES
    after = worker_rss(stack)
    grown = {pid: after[pid] - before.get(pid, 0) for pid in after}
    assert max(grown.values()) < RSS_GROWTH_LIMIT, grown
    # The recording is not public: an anonymous visitor gets nothing, range or not.
    public = Client(stack, "127.0.0.4")
    assert public.get(url, headers={"Range": "bytes=0-1023"}).status_code == 404


# -- 3. milestone documents: staff only --------------------------------------------------------


def test_a_milestone_document_opens_for_staff_and_is_a_404_for_the_public(stack, seeded, staff):
    url = seeded["milestone_document"]
    assert url.startswith("/bases/milestone-documents/")
    response = staff.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response.headers["Cache-Control"]
    assert Client(stack, "127.0.0.4").get(url).status_code == 404


# -- 4. rate limits per client address, as nginx saw it --------------------------------------


def book(client, seeded, n):
    url = f"/visits/book/{seeded['base']}/"
    data = dict(form_fields(client.get(url).text, having="token"))
    data.update(
        group_name=f"参观团{n}",
        contact_name="王老师",
        phone="13800138000",
        visit_on=seeded["visit_on"],
        headcount="2",
    )
    return client.post(url, data=data, allow_redirects=False)


def test_two_client_addresses_get_two_booking_allowances(stack, seeded):
    first, second = Client(stack, "127.0.0.2"), Client(stack, "127.0.0.3")
    statuses = [book(first, seeded, n).status_code for n in range(5)]
    assert statuses[0] == 302, "a visitor could not book at all"
    assert 429 not in statuses
    assert book(first, seeded, 6).status_code == 429
    assert book(second, seeded, 7).status_code == 302


# -- 5. Redis stops: no 5xx -------------------------------------------------------------------


def test_with_redis_stopped_no_page_or_form_answers_5xx(stack, seeded, staff):
    stack.processes["redis"].send_signal(signal.SIGKILL)
    stack.processes["redis"].wait()
    stack.processes.pop("redis")
    visitor = Client(stack, "127.0.0.5")
    # Three pages of each kind the crawl found (a path with its numbers taken out): every view.
    kinds = {}
    for url in CRAWLED or crawl(visitor)[0]:
        kinds.setdefault(re.sub(r"[^/?]*\d[^/?]*", "N", url.split("?")[0]), []).append(url)
    sample = [url for urls in kinds.values() for url in urls[:3]]
    assert len(kinds) > 5
    failures = {url: visitor.get(url, allow_redirects=False).status_code for url in sample}
    assert book(visitor, seeded, 8).status_code < 500
    lookup = visitor.get("/visits/booking/")
    assert lookup.status_code == 200
    data = dict(form_fields(lookup.text, having="reference"))
    data.update(reference="ABCDEFGH", phone="13800138000")
    failures["lookup"] = visitor.post("/visits/booking/", data=data).status_code
    failures["admin"] = staff.get("/admin/").status_code
    failures["document"] = staff.get(seeded["milestone_document"]).status_code
    assert {key: status for key, status in failures.items() if status >= 500} == {}


# -- 6. backup, wipe, restore: every count and every file back ---------------------------------


COUNTS = "import json; from ops.backup import model_counts; print(json.dumps(model_counts()))"


def bucket_files(stack):
    client = stack.bucket_client()
    files = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            digest = hashlib.sha256()
            body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"]
            for chunk in iter(lambda body=body: body.read(1024 * 1024), b""):
                digest.update(chunk)
            files[item["Key"]] = (item["Size"], digest.hexdigest())
    return files


def test_backup_wipe_restore_brings_back_every_row_and_every_file(stack, seeded, tmp_path):
    stack.start_redis()
    counts = json.loads(stack.shell(COUNTS).strip().splitlines()[-1])
    files = bucket_files(stack)
    assert any(key.startswith("media/redhistory/oral/video/") for key in files)
    assert any(key.startswith("media/redhistory/deeds/") for key in files)
    archive = tmp_path / "portal.tar.gz"
    stack.manage("backup", "--output", str(archive))
    # Wipe: an empty database and an empty bucket.
    client = stack.bucket_client()
    for key in files:
        client.delete_object(Bucket=BUCKET, Key=key)
    assert bucket_files(stack) == {}
    stack.psql(f'DROP DATABASE "{stack.database}" WITH (FORCE)')
    stack.psql(f'CREATE DATABASE "{stack.database}"')
    stack.manage("restore", "--no-input", str(archive))
    assert json.loads(stack.shell(COUNTS).strip().splitlines()[-1]) == counts
    assert bucket_files(stack) == files
    # The running app servers carry on with the restored database.
    assert Client(stack, "127.0.0.4").get("/").status_code == 200


def test_nginx_answered_no_5xx_but_where_a_test_asked_for_one(stack):
    log = (stack.tmp / "nginx-access.log").read_text()
    errors = [line for line in log.splitlines() if re.search(r'" 5\d\d ', line)]
    assert not errors, errors[:20]


def test_the_stack_ran_with_portal_env_as_shipped(stack):
    """Only values changed: no variable the stack needs is missing from portal.env."""
    assert stack.env_file_keys <= set(stack.env)
    assert os.path.basename(stack.env["DATABASE_URL"]) == stack.database
