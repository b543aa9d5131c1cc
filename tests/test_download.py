"""`generate.py update-agreements --download`: ICE's page and workbooks served from 127.0.0.1, never the internet.

A local http.server in a thread plays ICE's 287(g) page in both of ICE's link styles (``…/participating
Agencies<date>.xlsx`` until 2026; ``/file-download/download/public/<n>`` with the name only in
Content-Disposition since April 2026); the workbooks are built here with openpyxl. Each failure is
tested by its exact line and exit status, and the data folder is checked to be unchanged after it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
import socket
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from helpers import run
from policybrief.ice import download as download_module
from policybrief.ice.download import Link, SitePolicy, workbook_links
from policybrief.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
KERR = ["TEXAS", "Kerr County Sheriff's Office", "County", "Kerr County", "Task Force Model", dt.date(2025, 5, 22),
        "link pending", ""]
HARRIS = ["GEORGIA", "Harris County Sheriff's Office", "County", "Harris County", "Warrant Service Officer",
          dt.date(2023, 3, 14), "link pending", ""]
PENDING_HEADER = ["STATE", "AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]
LAKE = ["OHIO", "Lake County Sheriff's Office", "County", "Lake County", "Jail Enforcement Model"]
BUTLER = ["OHIO", "Butler County Sheriff's Office", "County", "Butler County", "Task Force Model"]
SHIPPED_NAME = "participatingAgencies05182026am.xlsx"  # the shipped list: ICE's of 18 May 2026, no pending list
NEW_NAME = "participatingAgencies10092026.xlsx"  # ICE's list of 9 October 2026
LAST_MODIFIED = "Fri, 09 Oct 2026 20:31:00 GMT"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------ the site


class Site:
    """A web server on 127.0.0.1: `routes` maps a path to a responder; `seen` lists the paths asked for."""

    def __init__(self) -> None:
        self.routes: dict = {}
        self.seen: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.seen.append(self.path)
                respond = site.routes.get(self.path)
                try:
                    if respond is None:
                        self.send_error(404, "Not Found")
                    else:
                        respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path


def serve(body: bytes, *, status: int = 200, headers: dict[str, str] | None = None, delay: float = 0,
          length: bool = True):
    def respond(handler):
        if delay:
            time.sleep(delay)
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for start in range(0, len(body), 16_384):
            handler.wfile.write(body[start:start + 16_384])
    return respond


def redirect(location: str):
    return serve(b"", status=302, headers={"Location": location})


def page(*links: tuple[str, str]) -> bytes:
    """HTML shaped like ICE's 287(g) page: navigation, prose, then the download links."""
    anchors = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Delegation of Immigration
Authority Section 287(g) Immigration and Nationality Act | ICE</title></head><body>
<nav><a href="/">Home</a> <a href="/identify-and-arrest">Identify and Arrest</a> <a href="#main">Skip</a></nav>
<main id="main"><h1>Delegation of Immigration Authority Section 287(g)</h1>
<p>The 287(g) program enables ICE to delegate to state and local law enforcement agencies &amp; officers.</p>
<ul>
{anchors}
<li><a href="/doclib/about/offices/ero/287g/287gFactSheet.pdf">287(g) fact sheet</a></li>
</ul></main></body></html>""").encode("utf-8")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Loopback only (this overrides conftest's no_network for this module): the tests' own server on
    127.0.0.1 is reached, nothing else is, and no name is looked up in the DNS."""
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo
    loopback = ("127.0.0.1", "::1", "localhost")

    def guarded_connect(self, address):
        if isinstance(address, tuple) and address[0] not in loopback:
            raise AssertionError(f"a test tried to connect to {address[0]}")
        return connect(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in loopback:
            raise AssertionError(f"a test tried to look up {host}")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture
def site(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = Site()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the project's data folder (ICE's list of 18 May 2026; no pending list ships with it)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


@pytest.fixture
def data_with_pending(data, tmp_path) -> Path:
    """The copy of the data folder with a pending list of its own (Butler County, OH), imported from ICE's
    pending workbook of the shipped list's day as `update-agreements FILE` imports it."""
    path = tmp_path / "pendingAgencies05182026am.xlsx"
    path.write_bytes(workbook([BUTLER], header=PENDING_HEADER))
    code, out, err = run("update-agreements", str(path), "--data", str(data))
    assert code == 0, err
    assert "imported 1 pending applications as of 2026-05-18 from pendingAgencies05182026am.xlsx into " in out
    pending = yaml.safe_load((data / "agreements" / "provenance.yaml").read_text(encoding="utf-8"))["pending"]
    assert (pending["as_of"], pending["source_file"]) == (dt.date(2026, 5, 18), path.name)
    return data


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((folder / "agreements").iterdir())}


# ------------------------------------------------------------------------------------ workbooks


def workbook(rows: list[list], header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def shipped_rows() -> list[list]:
    """The rows of the shipped list, as ICE's workbook holds them."""
    with open(ROOT / "data" / "agreements" / "participating.csv", encoding="utf-8", newline="") as handle:
        return [[row["state"].upper(), row["agency"], row["agency_type"], row["county"] or "#N/A", row["model"],
                 dt.date.fromisoformat(row["signed"]) if row["signed"] else row["signed_raw"], "link pending", ""]
                for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def changed_list() -> tuple[bytes, str]:
    """ICE's shipped list with one agreement removed (the first row) and Kerr County's added."""
    rows = shipped_rows()
    removed = rows.pop(0)
    return workbook(rows + [KERR]), f"{removed[1]} (AL, {removed[4]})"


def new_style(site: Site, body: bytes, *, name: str = NEW_NAME, text: str = "Participating Agencies (Excel)",
              number: int = 4321) -> str:
    """ICE's page since April 2026: a /file-download/ link, the file name only in Content-Disposition."""
    path = f"/file-download/download/public/{number}"
    site.routes["/identify-and-arrest/287g"] = serve(page((path, text)))
    headers = {"Content-Type": XLSX, "Last-Modified": LAST_MODIFIED}
    if name:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    site.routes[path] = serve(body, headers=headers)
    return site.url(path)


def download(site: Site, data: Path, *extra: str) -> tuple[int, str, str]:
    return run("update-agreements", "--download", "--from", site.url("/identify-and-arrest/287g"),
               "--data", str(data), *extra)


# ------------------------------------------------------------------------------------ success


@pytest.mark.parametrize("text", ["Participating Agencies (Excel)", "Download the list"])
def test_new_style_link_is_downloaded_and_imported(site, data_with_pending, changed_list, text):
    data = data_with_pending
    pending_csv = (data / "agreements" / "pending.csv").read_bytes()
    body, removed = changed_list
    file_url = new_style(site, body, text=text)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    code, out, err = download(site, data)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"downloaded {NEW_NAME} ({len(body):,} bytes, Last-Modified 2026-10-09T20:31:00Z) from {file_url}"
    assert lines[1] == (f"changes against {SHIPPED_NAME} (ICE's list of 2026-05-18): "
                        "1 agreement(s) added, 1 removed (1843 -> 1843 rows)")
    assert lines[2] == "  by state: Alabama +0 -1; Texas +1 -0"
    assert lines[3].startswith("  by model: ")
    assert lines[4:6] == ["  added: Kerr County Sheriff's Office (TX, Task Force Model)", f"  removed: {removed}"]
    assert lines[6].startswith("ICE's participating list of 2026-10-09: 1,843 agreements in ")
    assert lines[7].startswith(f"imported 1843 agreements as of 2026-10-09 from {NEW_NAME} into ")
    assert f"{NEW_NAME}: row " in err  # ICE's cells the importer reports, once each

    provenance = yaml.safe_load((data / "agreements" / "provenance.yaml").read_text(encoding="utf-8"))
    assert provenance["source_url"] == site.url("/identify-and-arrest/287g")
    assert provenance["file_url"] == file_url
    assert provenance["source_file"] == NEW_NAME
    assert provenance["as_of"] == dt.date(2026, 10, 9)
    assert provenance["last_modified"] == "2026-10-09T20:31:00Z"
    assert provenance["sha256"] == hashlib.sha256(body).hexdigest()
    downloaded_at = dt.datetime.fromisoformat(provenance["downloaded_at"].replace("Z", "+00:00"))
    assert before <= downloaded_at <= dt.datetime.now(dt.timezone.utc)
    assert provenance["downloaded"] == downloaded_at.date()
    assert provenance["changes"]["added"] == 1 and provenance["changes"]["removed"] == 1
    assert list(provenance)[:9] == ["title", "publisher", "source_url", "file_url", "source_file", "as_of",
                                    "last_modified", "downloaded", "downloaded_at"]
    # ICE's page linked no pending list: the folder's own is kept as it was
    assert (provenance["pending"]["as_of"], provenance["pending"]["source_file"]) == (
        dt.date(2026, 5, 18), "pendingAgencies05182026am.xlsx")
    assert (data / "agreements" / "pending.csv").read_bytes() == pending_csv
    assert site.seen == ["/identify-and-arrest/287g", "/file-download/download/public/4321"]  # not the PDF


def test_old_style_links_with_pending_list_and_a_redirect(site, data_with_pending):
    data = data_with_pending  # its pending list (Butler County, OH) is the one the new one is compared with
    folder = "/doclib/about/offices/ero/287g/"
    participating, pending = "participatingAgencies10092026pm.xlsx", "pendingAgencies10092026pm.xlsx"
    site.routes["/287g"] = redirect("/identify-and-arrest/287g")  # a same-site redirect is followed
    site.routes["/identify-and-arrest/287g"] = serve(page((folder + pending, "Pending Agencies"),
                                                          (folder + participating, "Participating Agencies")))
    site.routes[folder + participating] = serve(workbook([KERR, HARRIS]), headers={"Content-Type": XLSX})
    site.routes[folder + pending] = serve(workbook([LAKE], header=PENDING_HEADER),
                                          headers={"Content-Type": "application/octet-stream"})
    code, out, err = run("update-agreements", "--download", "--from", site.url("/287g"), "--data", str(data))
    assert code == 0, err
    assert f"downloaded {participating} (" in out and ", no Last-Modified) from " in out
    assert f"imported 2 agreements as of 2026-10-09 from {participating} into " in out
    assert f"imported 1 pending applications as of 2026-10-09 from {pending} into " in out
    assert "  added: Lake County Sheriff's Office (OH, Jail Enforcement Model)" in out.splitlines()
    assert "  removed: Butler County Sheriff's Office (OH, Task Force Model)" in out.splitlines()
    provenance = yaml.safe_load((data / "agreements" / "provenance.yaml").read_text(encoding="utf-8"))
    assert provenance["file_url"] == site.url(folder + participating)
    assert provenance["last_modified"] is None
    assert provenance["pending"]["file_url"] == site.url(folder + pending)
    assert provenance["pending"]["source_file"] == pending
    assert provenance["pending"]["as_of"] == dt.date(2026, 10, 9)
    assert (data / "agreements" / "pending.csv").read_text(encoding="utf-8").count("\n") == 2
    assert site.seen.index(folder + participating) < site.seen.index(folder + pending)


def test_a_pending_list_that_fails_is_left_out_with_a_warning(site, data_with_pending):
    data = data_with_pending
    pending_csv = (data / "agreements" / "pending.csv").read_bytes()
    pending = site.url("/file-download/download/public/99")
    site.routes["/identify-and-arrest/287g"] = serve(page(("/file-download/download/public/99", "Pending Agencies"),
                                                          ("/file-download/download/public/4321", "Participating")))
    site.routes["/file-download/download/public/4321"] = serve(workbook([KERR]), headers={
        "Content-Type": XLSX, "Content-Disposition": f"attachment; filename={NEW_NAME}"})
    code, out, err = download(site, data)
    assert code == 0, err
    assert (f"warning: pending list not imported: {pending}: the server answered HTTP 404 Not Found"
            in err.splitlines())
    assert f"imported 1 agreements as of 2026-10-09 from {NEW_NAME} into " in out
    provenance = yaml.safe_load((data / "agreements" / "provenance.yaml").read_text(encoding="utf-8"))
    assert provenance["as_of"] == dt.date(2026, 10, 9)
    # the folder's pending list is kept as it was
    assert (provenance["pending"]["as_of"], provenance["pending"]["source_file"]) == (
        dt.date(2026, 5, 18), "pendingAgencies05182026am.xlsx")
    assert (data / "agreements" / "pending.csv").read_bytes() == pending_csv


def test_the_same_workbook_again_changes_nothing(site, data):
    new_style(site, workbook([KERR, HARRIS]))
    assert download(site, data)[0] == 0
    kept = snapshot(data)
    code, out, err = download(site, data)
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith(f"{NEW_NAME} is the participating list ")
    assert out.splitlines()[1].endswith(" already holds (same SHA-256): nothing changed")
    assert snapshot(data) == kept


def test_an_older_list_is_refused_unless_forced(site, data):
    new_style(site, workbook([KERR, HARRIS]), name="participatingAgencies06172025pm.xlsx")
    kept = snapshot(data)
    code, out, err = download(site, data)
    assert (code, out) == (1, "")
    assert err == ("generate.py: data/agreements holds ICE's participating list of 2026-05-18 "
                   f"({SHIPPED_NAME}), newer than this one (2025-06-17, "
                   "participatingAgencies06172025pm.xlsx); pass --force to replace it with the older list; "
                   "nothing was changed\n")
    assert snapshot(data) == kept
    code, out, err = download(site, data, "--force")
    assert code == 0, err
    assert "imported 2 agreements as of 2025-06-17 from participatingAgencies06172025pm.xlsx" in out


def test_a_download_leaves_a_data_folder_that_validates(site, data, changed_list):
    new_style(site, changed_list[0])
    assert download(site, data)[0] == 0
    content = load_content(data)
    assert content is not None


def test_check_passes_after_a_download(site, data, changed_list):
    # A second issue of the shipped list's day (ICE's 'pm' after the shipped 'am'): the data's prose names
    # ICE's list of 18 May 2026, so --check passes. (After a list of a later date it names the sentences that
    # still cite the old list's date, as it should: see the README's "Keeping ICE's list current".)
    # The briefs cite the page's address as the list's source, and the Spanish community edition fills its
    # two pages: the page is served at an address no longer than ICE's, as a real download records.
    new_style(site, changed_list[0], name="participatingAgencies05182026pm.xlsx")
    site.routes["/287g"] = site.routes["/identify-and-arrest/287g"]
    assert len(site.url("/287g")) <= len("https://www.ice.gov/identify-and-arrest/287g")
    code, out, err = run("update-agreements", "--download", "--from", site.url("/287g"), "--data", str(data))
    assert code == 0, err
    assert "1 agreement(s) added, 1 removed (1843 -> 1843 rows)" in out
    age = (dt.date.today() - dt.date(2026, 5, 18)).days + 1
    # The Spanish community edition, whose two pages the page's address could overfill; the shipped data's
    # strict check of every edition is test_content's.
    code, out, err = run("--check", "--audience", "community-es", "--data", str(data), "--stale-days", str(age))
    assert code == 0, out + err
    assert "Data set agreements: ICE's agency-level list, dated 2026-05-18" in out
    assert "community-es: 2 pages (budget 2-2)" in out


# ------------------------------------------------------------------------------------ failures


def failed(site: Site, data: Path, *extra: str) -> str:
    """The one line a failed download prints; the data folder must be as it was."""
    kept = snapshot(data)
    code, out, err = download(site, data, *extra)
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(data) == kept
    return err.rstrip("\n")


def test_connection_refused(data, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page_url = f"http://127.0.0.1:{port}/287g"
    code, out, err = run("update-agreements", "--download", "--from", page_url, "--data", str(data))
    assert (code, out) == (1, "")
    assert err == (f"generate.py: {page_url}: cannot connect to 127.0.0.1 (connection refused); check the network "
                   "connection and the address; nothing was changed\n")


def test_dns_failure(data, monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == "www.ice.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    code, out, err = run("update-agreements", "--download", "--from", "https://www.ice.invalid/287g",
                         "--data", str(data))
    assert (code, out) == (1, "")
    assert err == ("generate.py: https://www.ice.invalid/287g: cannot find the server www.ice.invalid (DNS lookup "
                   "failed: Name or service not known); check the network connection; nothing was changed\n")


def test_page_not_found(site, data):
    assert failed(site, data) == (f"generate.py: {site.url('/identify-and-arrest/287g')}: the server answered "
                                  "HTTP 404 Not Found; nothing was changed")


def test_workbook_server_error(site, data):
    file_url = new_style(site, b"")
    site.routes["/file-download/download/public/4321"] = serve(b"oops", status=503)
    assert failed(site, data) == (f"generate.py: {file_url}: the server answered HTTP 503 Service Unavailable; "
                                  "nothing was changed")


def test_no_workbook_link_on_the_page(site, data):
    site.routes["/identify-and-arrest/287g"] = serve(page(("/identify-and-arrest/287g-faq", "FAQ")))
    assert failed(site, data) == (
        f"generate.py: {site.url('/identify-and-arrest/287g')}: found no link to ICE's participating-agencies "
        "workbook (an .xlsx file or a /file-download/download/public/ link) among the page's 5 link(s); download "
        "the workbook by hand and run update-agreements FILE; nothing was changed")


def test_a_link_that_serves_no_workbook(site, data):
    path = "/file-download/download/public/1111"
    site.routes["/identify-and-arrest/287g"] = serve(page((path, "287(g) Program Overview")))
    site.routes[path] = serve(b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf",
                                                         "Content-Disposition": 'attachment; filename="287g.pdf"'})
    assert failed(site, data) == (
        f"generate.py: {site.url('/identify-and-arrest/287g')}: none of its 1 workbook link(s) served ICE's "
        f"participating-agencies list: {site.url(path)} (it is application/pdf, not an Excel workbook); download "
        "the workbook by hand and run update-agreements FILE; nothing was changed")


def test_a_file_name_without_a_date(site, data):
    file_url = new_style(site, workbook([KERR]), name="")
    assert failed(site, data) == (
        f"generate.py: {file_url}: cannot tell the list's date from its file name '4321': its name is not one of "
        "ICE's (participatingAgencies... or pendingAgencies...) and carries no date; download it by hand and run "
        "update-agreements FILE --as-of YYYY-MM-DD; nothing was changed")


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_an_oversized_file_is_refused(site, data, monkeypatch, declared):
    monkeypatch.setattr(download_module, "WORKBOOK_BYTES", 100_000)
    file_url = new_style(site, b"")
    site.routes["/file-download/download/public/4321"] = serve(
        b"PK\x03\x04" + b"\0" * 300_000, length=declared,
        headers={"Content-Type": XLSX, "Content-Disposition": f'attachment; filename="{NEW_NAME}"'})
    expected = ("refused: 300,004 bytes (Content-Length), more than the 100,000 allowed" if declared
                else "refused: more than the 100,000 bytes allowed")
    assert failed(site, data) == f"generate.py: {file_url}: {expected}; nothing was changed"


def test_a_zip_bomb_goes_through_the_importers_limits(site, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        with bomb.open("xl/worksheets/sheet1.xml", "w") as entry:  # 70 MB of zeros, about 70 KB deflated
            for _ in range(70):
                entry.write(b"\0" * 1_000_000)
    file_url = new_style(site, buffer.getvalue())
    assert failed(site, data) == (
        f"generate.py: {file_url}: {NEW_NAME}: expected a workbook of at most 64,000,000 bytes uncompressed, got "
        "70,000,000 (by the zip's own sizes); refused unread; nothing was changed")


def test_a_timeout(site, data, monkeypatch):
    monkeypatch.setattr(download_module, "TIMEOUT", 0.5)
    site.routes["/identify-and-arrest/287g"] = serve(page(), delay=3)
    assert failed(site, data) == (f"generate.py: {site.url('/identify-and-arrest/287g')}: no answer from 127.0.0.1 "
                                  "within 0.5 seconds (timed out); try again later; nothing was changed")


def test_a_redirect_off_the_site_is_refused(site, data):
    elsewhere = site.url("/x.xlsx").replace("127.0.0.1", "localhost")
    site.routes["/identify-and-arrest/287g"] = redirect(elsewhere)
    assert failed(site, data) == (f"generate.py: {site.url('/identify-and-arrest/287g')}: redirected to "
                                  f"{elsewhere}, which is not https on 127.0.0.1; refused; nothing was changed")


def test_too_many_redirects(site, data):
    site.routes["/identify-and-arrest/287g"] = redirect("/identify-and-arrest/287g")
    assert failed(site, data) == (f"generate.py: {site.url('/identify-and-arrest/287g')}: more than 5 redirects; "
                                  "refused; nothing was changed")


# ------------------------------------------------------------------------------------ usage


@pytest.mark.parametrize("argv, message", [
    (["--from", "https://www.ice.gov/identify-and-arrest/287g"], "--from: only with --download"),
    (["--download", "participatingAgencies10092026.xlsx"],
     "--download: not with a workbook file (ICE's page and file tell them)"),
    (["--download", "--as-of", "2026-10-09"], "--download: not with --as-of (ICE's page and file tell them)"),
    (["--download", "--from", "ftp://www.ice.gov/287g"],
     "--from: expected an http:// or https:// address such as https://www.ice.gov/identify-and-arrest/287g, got "
     "'ftp://www.ice.gov/287g'"),
    ([], "expected ICE's workbook (a file such as participatingAgencies10092026.xlsx), or --download to fetch it "
         "from ICE's page"),
])
def test_usage_errors(data, argv, message):
    assert run("update-agreements", *argv, "--data", str(data)) == (2, "", f"generate.py: error: {message}\n")


# ------------------------------------------------------------------------------------ the parts


def test_site_policy():
    ice = SitePolicy.of("https://www.ice.gov/identify-and-arrest/287g")
    assert ice.refusal("https://www.ice.gov/file-download/download/public/4321") is None
    assert ice.refusal("https://ice.gov/doclib/x.xlsx") is None
    assert ice.refusal("https://files.ice.gov/x.xlsx") is None
    assert ice.refusal("http://www.ice.gov/x.xlsx") == "is not https on ice.gov"
    assert ice.refusal("https://www.ice.gov.example.com/x.xlsx") == "leaves ice.gov"
    assert ice.refusal("https://notice.gov/x.xlsx") == "leaves ice.gov"
    assert ice.refusal("https://user:secret@www.ice.gov/x.xlsx") == "carries a user name or password"
    assert ice.refusal("https://www.ice.gov:8443/x.xlsx") == "uses port 8443"
    local = SitePolicy.of("http://127.0.0.1:8000/287g")
    assert local.refusal("http://127.0.0.1:8000/file-download/download/public/1") is None
    assert local.refusal("http://127.0.0.1:8001/x.xlsx") == "is not https on 127.0.0.1"
    assert local.refusal("https://127.0.0.1/x.xlsx") is None
    assert local.refusal("https://127.0.0.2/x.xlsx") == "leaves 127.0.0.1"


def test_workbook_links_in_both_styles():
    html = page(("/file-download/download/public/4321", "Participating Agencies <b>(Excel)</b>"),
                ("/file-download/download/public/4321", "again"),
                ("https://www.ice.gov/doclib/about/offices/ero/287g/pendingAgencies10092026pm.xlsx", "download"),
                ("javascript:void(0)", "participating.xlsx"),
                ("/FILE-DOWNLOAD/download/public/9#top", "Pending agencies")).decode()
    links, count = workbook_links(html, "https://www.ice.gov/identify-and-arrest/287g")
    assert count == 9
    assert links == [
        Link("https://www.ice.gov/file-download/download/public/4321", "Participating Agencies (Excel)",
             "participating"),
        Link("https://www.ice.gov/doclib/about/offices/ero/287g/pendingAgencies10092026pm.xlsx", "download",
             "pending"),
        Link("https://www.ice.gov/FILE-DOWNLOAD/download/public/9", "Pending agencies", "pending"),
    ]


@pytest.mark.parametrize("header, name", [
    ('attachment; filename="participatingAgencies10092026.xlsx"', "participatingAgencies10092026.xlsx"),
    ("attachment; filename=participatingAgencies10092026.xlsx", "participatingAgencies10092026.xlsx"),
    ("attachment; filename*=UTF-8''287gParticipatingAgencies%20091526pm.xlsx",
     "287gParticipatingAgencies 091526pm.xlsx"),
    ('attachment; filename="../../etc/participatingAgencies10092026.xlsx"', "participatingAgencies10092026.xlsx"),
    ('attachment; filename="..\\\\..\\\\participatingAgencies10092026.xlsx"', "participatingAgencies10092026.xlsx"),
    ('attachment; filename="participatingAgencies10092026:pm?.xlsx"', "participatingAgencies10092026_pm_.xlsx"),
    ("", "4321"),
])
def test_file_name_from_content_disposition(header, name):
    class Response:
        headers = {"content-disposition": header}

    assert download_module._file_name(Response, "https://www.ice.gov/file-download/download/public/4321") == name
