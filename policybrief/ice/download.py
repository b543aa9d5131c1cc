"""ICE's 287(g) page -> its participating-agencies workbook (and pending list), downloaded and imported.

Input: the page's address (ICE's by default) and a data folder. Output: the folder's ``agreements/``
rewritten by the importer (``workbook.import_list``, then ``store.write_normalised`` / ``write_pending``),
and a ``Downloaded`` report: what was fetched, what changed, the lines ``update-agreements --download``
prints. Every failure (no network, an HTTP error, no workbook link on the page, an oversized or hostile
file, a timeout, an older list) raises ``DownloadError``, one line, before anything in the folder changes.

How the public scrapers find ICE's workbook, and what is taken from them:

* ``appelson/Tracking_287g``, ``script.py`` (commit 2122877, May 2025): ICE's page then linked the lists
  directly, as ``https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies<date>.xlsx`` and
  ``.../pendingAgencies<date>.xlsx``; the script keeps every ``<a href>`` starting so and saves each file
  under the URL's last segment (with no timeout, status check or size limit: all three are added here).
* ``deportationdata/ice-287g``, ``code/0-287g-scraper.R`` (commit 30ab6f9): since ICE moved to
  ``/file-download/download/public/<n>`` links, candidates are the links whose href ends in ``.xlsx`` or
  contains ``file-download/download/public`` (or whose text says "participating agencies"); root-relative
  hrefs are resolved against ``https://www.ice.gov``; each candidate is fetched and kept only when its
  Content-Type (spreadsheet, excel, octet-stream) or Content-Disposition (.xlsx) says it is a workbook;
  the file name is Content-Disposition's ``filename=``, else the URL's last segment. It sends the user agent
  "Mozilla/5.0" with a 60-second timeout, and no longer looks for a pending list at all. Here the same
  href shapes pick the candidates, the link text and ICE's file names say which list each is, and a
  pending list is imported when the page still links one.

The file name matters: it carries the list's date (``workbook.read_list_name``), and a
``/file-download/...`` address does not, so a download without a readable name is refused rather than
dated by guess. Every workbook goes through ``import_list`` and its limits (zip sizes checked before
anything is decompressed) from a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.utils
import hashlib
import ipaddress
import logging
import re
import socket
import ssl
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import DataError, UsageError, excerpt, printable
from .rows import CSV_COLUMNS, ICE_PAGE, MODELS, PENDING_CSV_COLUMNS, Agreement, AgreementsError
from .store import (Written, agreement_key, check_not_older, describe_changes, existing_provenance, previous_rows,
                    write_normalised, write_pending)
from .workbook import DEFAULT_LIMITS, PARTICIPATING, PENDING, ImportResult, import_list, read_list_name

LOG = logging.getLogger(__name__)

PAGE_BYTES = 5_000_000                  # ICE's 287(g) page is a few hundred KB of HTML
WORKBOOK_BYTES = DEFAULT_LIMITS.file_bytes  # the largest workbook the importer reads
TIMEOUT = 30.0        # seconds to connect, and between two reads of one response
DEADLINE = 300.0      # seconds for one whole response, however steadily a slow server drips it
MAX_REDIRECTS = 5
MAX_CANDIDATES = 6    # links fetched to find the lists: a page cannot make the tool download everything
MAX_LINKS = 20_000    # <a> elements read from the page
USER_AGENT = "Mozilla/5.0 (compatible; policybrief-287g; +update-agreements --download)"
NOTHING_CHANGED = "; nothing was changed"


class DownloadError(DataError):
    """Nothing was changed: one line saying why (no network, an HTTP error, no workbook on the page, ...)."""

    def __init__(self, message: str):
        super().__init__([message])
        self.message = message

    def __str__(self) -> str:
        return self.message


# ------------------------------------------------------------------------------------ where to go


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SitePolicy:
    """Where a download may go: https on the page's site (its host, the host without 'www.', and their
    sub-domains; for an IP address, that address), or, for a page given as http://, exactly its scheme,
    host and port (a test server on 127.0.0.1)."""

    scheme: str
    host: str
    port: int | None
    site: str

    @classmethod
    def of(cls, url: str) -> SitePolicy:
        """The policy of a page address; ``UsageError`` when it is not an http(s) address with a host."""
        wanted = f"expected an http:// or https:// address such as {ICE_PAGE}, got {excerpt(url)}"
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise UsageError(f"--from: {wanted}") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--from: {wanted}")
        if parts.username or parts.password:
            raise UsageError(f"--from: expected an address without a user name or password, got {excerpt(url)}")
        host = parts.hostname.lower()
        site = host if _is_ip(host) else host.removeprefix("www.")
        return cls(parts.scheme.lower(), host, port, site)

    def refusal(self, url: str) -> str | None:
        """None when `url` may be fetched, else why not ('is not https', 'leaves ice.gov', ...)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return "is not a valid address"
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if parts.username or parts.password:
            return "carries a user name or password"
        if scheme == "http" and self.scheme == "http" and host == self.host and port == self.port:
            return None
        if scheme != "https":
            return f"is not https on {self.site}"
        same_site = host == self.site if _is_ip(self.site) else host == self.site or host.endswith("." + self.site)
        if not same_site:
            return f"leaves {self.site}"
        if port not in (None, 443, self.port):
            return f"uses port {port}"
        return None


# ------------------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Link:
    """A link on the page that may be one of ICE's workbooks; `hint` is the list its address or text names."""

    url: str
    text: str
    hint: str | None


class _Anchors(HTMLParser):
    """Each <a href> of a page with its text (and title or aria-label), in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        self._close()
        values = dict(attrs)
        if values.get("href") and len(self.anchors) < MAX_LINKS:
            self._href = values["href"]
            self._text = [values.get("title") or "", values.get("aria-label") or ""]

    def handle_data(self, data: str) -> None:
        if self._href is not None and sum(map(len, self._text)) < 2_000:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def _close(self) -> None:
        if self._href is not None:
            self.anchors.append((self._href, " ".join(" ".join(self._text).split())))
        self._href, self._text = None, []


_WORKBOOK_PATH_RE = re.compile(r"(\.xlsx$|/file-download/download/public/)", re.IGNORECASE)


def _hint(url: str, text: str) -> str | None:
    """Which list a link names: ICE's file name in its address, else 'participating'/'pending' in its text."""
    kind = read_list_name(unquote(PurePosixPath(urlsplit(url).path).name)).kind
    if kind:
        return kind
    words = text.lower()
    if ("pending" in words) != ("participating" in words):
        return PENDING if "pending" in words else PARTICIPATING
    return None


def workbook_links(html: str, base_url: str) -> tuple[list[Link], int]:
    """The links of a page that may be ICE's workbooks, each once in page order, and the page's link count.

    A candidate's path ends in ``.xlsx`` (ICE's links until 2026) or contains
    ``/file-download/download/public/`` (since April 2026, with the name only in Content-Disposition).
    """
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    parser._close()
    links: dict[str, Link] = {}
    for href, text in parser.anchors:
        url = urljoin(base_url, href.strip()).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https") and _WORKBOOK_PATH_RE.search(parts.path):
            links.setdefault(url, Link(url, text, _hint(url, text)))
    return list(links.values()), len(parser.anchors)


# ------------------------------------------------------------------------------------- fetching


@dataclass
class Fetched:
    """One workbook as downloaded: where from, under which name, and its bytes on disk."""

    link: Link
    url: str                    # where the bytes came from, after redirects
    name: str                   # Content-Disposition's file name, else the address's last segment
    path: Path
    size: int
    sha256: str
    last_modified: str | None   # the server's Last-Modified, as UTC ISO 8601 when it reads as a date
    downloaded_at: dt.datetime
    result: ImportResult | None = None


def _chain(error: BaseException):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _network_problem(error: Exception, url: str, timeout: float) -> str:
    """One line for a failed connection or read: refused, DNS, timeout, certificate, or what httpx said."""
    import httpx

    host = urlsplit(url).hostname or url
    if isinstance(error, httpx.ConnectTimeout):
        return f"no connection to {host} within {timeout:g} seconds (timed out); try again later"
    if isinstance(error, httpx.TimeoutException):
        return f"no answer from {host} within {timeout:g} seconds (timed out); try again later"
    for cause in _chain(error):
        if isinstance(cause, socket.gaierror):
            return (f"cannot find the server {host} (DNS lookup failed: {cause.strerror or cause}); "
                    "check the network connection")
        if isinstance(cause, ConnectionRefusedError):
            return f"cannot connect to {host} (connection refused); check the network connection and the address"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"cannot verify the certificate of {host} ({cause.verify_message or cause})"
    text = printable(str(error) or type(error).__name__, 160)
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect to {host} ({text}); check the network connection"
    return f"the connection to {host} failed ({type(error).__name__}: {text})"


class _Fetcher:
    """GET requests under one ``SitePolicy``: redirects followed by hand and checked hop by hop,
    timeouts, a deadline per response and a byte cap, counted as the body streams."""

    def __init__(self, policy: SitePolicy, timeout: float):
        import httpx

        self.policy, self.timeout = policy, timeout
        # Accept-Encoding identity: the cap then counts the bytes as sent, with no decompression in between.
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                                   headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})

    def close(self) -> None:
        self.client.close()

    def open(self, url: str):
        """(final URL, streamed response with a 2xx status); the caller closes the response."""
        import httpx

        first = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.client.send(self.client.build_request("GET", url), stream=True)
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise DownloadError(f"{url}: {_network_problem(error, url, self.timeout)}{NOTHING_CHANGED}") from None
            if response.is_redirect:
                response.close()
                target = urljoin(url, response.headers.get("location", "").strip())
                reason = self.policy.refusal(target)
                if reason:
                    raise DownloadError(f"{url}: redirected to {printable(target, 200)}, which {reason}; "
                                        f"refused{NOTHING_CHANGED}")
                url = target
                continue
            if not 200 <= response.status_code < 300:
                status = f"{response.status_code} {response.reason_phrase}".strip()
                response.close()
                raise DownloadError(f"{url}: the server answered HTTP {printable(status, 80)}{NOTHING_CHANGED}")
            return url, response
        raise DownloadError(f"{first}: more than {MAX_REDIRECTS} redirects; refused{NOTHING_CHANGED}")

    def read(self, url: str, response, cap: int, sink: Callable[[bytes], None]) -> int:
        """Stream the body into `sink`; refuse it past `cap` bytes or the deadline. Returns its size."""
        import httpx

        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise DownloadError(f"{url}: refused: {int(declared):,} bytes (Content-Length), more than the "
                                f"{cap:,} allowed{NOTHING_CHANGED}")
        deadline = time.monotonic() + DEADLINE
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise DownloadError(f"{url}: refused: more than the {cap:,} bytes allowed{NOTHING_CHANGED}")
                if time.monotonic() > deadline:
                    raise DownloadError(f"{url}: the download took more than {DEADLINE:g} seconds; refused"
                                        f"{NOTHING_CHANGED}")
                sink(chunk)
        except httpx.HTTPError as error:
            raise DownloadError(f"{url}: {_network_problem(error, url, self.timeout)}{NOTHING_CHANGED}") from None
        finally:
            response.close()
        return size

    def page(self, url: str) -> tuple[str, str]:
        """(final URL, text) of an HTML page of at most ``PAGE_BYTES``."""
        final, response = self.open(url)
        body = bytearray()
        self.read(final, response, PAGE_BYTES, body.extend)
        try:
            return final, bytes(body).decode(response.charset_encoding or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know: ICE's page is UTF-8
            return final, bytes(body).decode("utf-8", errors="replace")


def _file_name(response, url: str) -> str:
    """The file name a response gives (Content-Disposition, RFC 6266 and 2231), else the address's last
    segment; only its last path component, without control characters, with '_' for the characters no
    file name may hold on Windows (ICE has saved a list with a trailing quote), at most 200 characters."""
    message = email.message.Message()
    message["content-disposition"] = response.headers.get("content-disposition", "")
    name = message.get_filename() or unquote(PurePosixPath(urlsplit(url).path).name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/")).rsplit("/", 1)[-1].strip()
    name = re.sub(r'[<>:"|?*]', "_", name)
    if name in ("", ".", ".."):
        return ""
    return name if len(name) <= 200 else name[:150] + name[-50:]


def _workbook_problem(name: str, content_type: str) -> str | None:
    """None when a response looks like an Excel workbook (by name, else by Content-Type), else what it is."""
    if content_type.startswith(("text/", "application/xhtml", "application/pdf", "image/")):
        return f"it is {content_type.split(';')[0]}, not an Excel workbook"
    if name.lower().endswith(".xlsx"):
        return None
    if any(word in content_type for word in ("spreadsheet", "excel")):
        return None
    if content_type.startswith(("application/octet-stream", "application/zip")) or not content_type:
        suffix = PurePosixPath(name).suffix
        if not suffix or not re.fullmatch(r"\.[A-Za-z0-9]{1,6}", suffix):
            return None
        return f"its file name {excerpt(name)} is not an .xlsx workbook's"
    return f"it is {content_type.split(';')[0]}, not an Excel workbook"


def _last_modified(value: str | None) -> str | None:
    if not value:
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return printable(value, 80)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return _iso(stamp)


def _iso(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _fetch_workbook(fetcher: _Fetcher, link: Link, folder: Path) -> Fetched | str:
    """The workbook behind `link`, saved in `folder`; or, when the link serves something else (an HTML
    page, a PDF), a line saying so (its body is not read)."""
    url, response = fetcher.open(link.url)
    name = _file_name(response, url)
    problem = _workbook_problem(name, response.headers.get("content-type", "").lower().strip())
    if problem:
        response.close()
        return f"{url} ({problem})"
    folder.mkdir(parents=True)
    path = folder / (name or "download.xlsx")
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        def sink(chunk: bytes) -> None:
            digest.update(chunk)
            handle.write(chunk)

        size = fetcher.read(url, response, WORKBOOK_BYTES, sink)
    LOG.info("downloaded %s (%d bytes) from %s", name, size, url)
    return Fetched(link=link, url=url, name=name, path=path, size=size, sha256=digest.hexdigest(),
                   last_modified=_last_modified(response.headers.get("last-modified")),
                   downloaded_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))


def _imported(fetched: Fetched, today: dt.date) -> ImportResult:
    """The workbook read by the importer (the list it is comes from ICE's name, the link, else its header)."""
    kind = read_list_name(fetched.name).kind or fetched.link.hint
    try:
        result = import_list(fetched.path, kind=kind, today=today)
    except AgreementsError as error:
        more = len(error.problems) - 1
        tail = f" (and {more} more problem(s))" if more > 0 else ""
        raise DownloadError(f"{fetched.url}: {printable(error.problems[0], 300)}{tail}{NOTHING_CHANGED}") from None
    if result.as_of is None:
        raise DownloadError(f"{fetched.url}: cannot tell the list's date from its file name "
                            f"{excerpt(fetched.name or '(none sent)')}: {result.as_of_problem}; download it by hand "
                            f"and run update-agreements FILE --as-of YYYY-MM-DD{NOTHING_CHANGED}")
    return result


def _find_lists(fetcher: _Fetcher, page_url: str, links: list[Link], link_count: int, folder: Path,
                today: dt.date, warnings: list[str]) -> dict[str, Fetched]:
    """The participating list (and the pending one, when the page links it), downloaded and imported.

    Links whose address or text names a list are tried first; a link that names none is tried only while
    the participating list is still missing, as ICE's ``/file-download/`` links say nothing by themselves.
    A pending list that fails is added to `warnings` and left out: it never holds back the participating one.
    """
    order = ([link for link in links if link.hint == PARTICIPATING] + [link for link in links if link.hint is None]
             + [link for link in links if link.hint == PENDING])
    found: dict[str, Fetched] = {}
    passed: list[str] = []
    tries = 0
    for link in order:
        if (link.hint or PARTICIPATING) in found:
            continue
        reason = fetcher.policy.refusal(link.url)
        if reason:
            passed.append(f"{printable(link.url, 200)} ({reason})")
            continue
        if tries == MAX_CANDIDATES:
            break
        tries += 1
        try:
            fetched = _fetch_workbook(fetcher, link, folder / str(tries))
            if not isinstance(fetched, str):
                fetched.result = _imported(fetched, today)
        except DownloadError as error:
            if link.hint != PENDING or PARTICIPATING not in found:
                raise
            warnings.append(_pending_warning(error))
            continue
        if isinstance(fetched, str):
            passed.append(fetched)
            continue
        found.setdefault(fetched.result.kind, fetched)
    if PARTICIPATING not in found:
        if not links:
            raise DownloadError(f"{page_url}: found no link to ICE's participating-agencies workbook (an .xlsx "
                                f"file or a /file-download/download/public/ link) among the page's {link_count} "
                                "link(s); download the workbook by hand and run update-agreements FILE"
                                f"{NOTHING_CHANGED}")
        why = "; ".join(passed[:3]) + (f"; and {len(passed) - 3} more" if len(passed) > 3 else "")
        raise DownloadError(f"{page_url}: none of its {len(links)} workbook link(s) served ICE's "
                            f"participating-agencies list" + (f": {why}" if why else "")
                            + f"; download the workbook by hand and run update-agreements FILE{NOTHING_CHANGED}")
    return found


def _pending_warning(error: DownloadError) -> str:
    return f"warning: pending list not imported: {error.message.removesuffix(NOTHING_CHANGED)}"


# ----------------------------------------------------------------------------------- the report


@dataclass
class Downloaded:
    """What ``download_agreements`` did: `lines` for standard output, `problems` (ICE's cells the
    importer could not use, one line each) for standard error."""

    page_url: str
    lists: dict[str, Fetched]
    written: dict[str, Written] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def agency_changes(before: list[Agreement], after: list[Agreement]) -> tuple[list[Agreement], list[Agreement]]:
    """The agreements of `after` that `before` lacks, and those of `before` that `after` lacks (matched by
    ``store.agreement_key``: state, agency case-blind, model), each sorted by state and agency."""
    def only_in(rows: list[Agreement], other: list[Agreement]) -> list[Agreement]:
        spare = Counter(map(agreement_key, rows)) - Counter(map(agreement_key, other))
        kept = []
        for row in rows:
            key = agreement_key(row)
            if spare[key] > 0:
                spare[key] -= 1
                kept.append(row)
        return sorted(kept, key=lambda row: (row.state, row.agency.lower(), row.model))

    return only_in(after, before), only_in(before, after)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _list_lines(kind: str, fetched: Fetched, written: Written | None, before: list[Agreement] | None,
                folder: Path, source_file: str) -> list[str]:
    result = fetched.result
    what = "pending applications" if kind == PENDING else "agreements"
    modified = f"Last-Modified {fetched.last_modified}" if fetched.last_modified else "no Last-Modified"
    lines = [f"downloaded {printable(fetched.name, 200)} ({fetched.size:,} bytes, {modified}) from {fetched.url}"]
    if written is None:
        lines.append(f"{source_file} is the {kind} list {_shown(folder)} already holds (same SHA-256): "
                     "nothing changed")
        return lines
    if written.changes:
        lines += describe_changes(written.changes)
    elif before is None:
        lines.append(f"no earlier {kind} list in {_shown(folder)} to compare with")
    if before is not None:
        added, removed = agency_changes(before, result.rows)
        lines += [f"  added: {printable(row.agency, 200)} ({row.state_code}, {row.model})" for row in added]
        lines += [f"  removed: {printable(row.agency, 200)} ({row.state_code}, {row.model})" for row in removed]
    models = Counter(row.model for row in result.rows)
    states = len({row.state_code for row in result.rows})
    lines.append(f"ICE's {kind} list of {result.as_of.isoformat()}: {len(result.rows):,} {what} in {states} "
                 "states and territories: " + "; ".join(f"{model} {models[model]:,}" for model in MODELS))
    rows = len({problem.row for problem in result.problems})
    lines.append(f"imported {len(result.rows)} {what} as of {result.as_of.isoformat()} from {source_file} into "
                 f"{_shown(folder)}; {len(result.problems)} problem(s) in {rows} row(s) reported above")
    return lines


# --------------------------------------------------------------------------------------- the run


def download_agreements(data_dir: Path, *, page_url: str | None = None, force: bool = False,
                        today: dt.date | None = None, timeout: float | None = None) -> Downloaded:
    """Fetch ICE's 287(g) page (or `page_url`), download the lists it links and import them into
    ``data_dir/agreements/``, with their page, file address, Last-Modified, SHA-256, list date and time of
    download in ``provenance.yaml``.

    A list byte-identical to the one the folder holds is left as it is. A pending list that cannot be
    imported is left out with a warning in ``Downloaded.problems``. Raises ``DownloadError`` (one
    line; nothing changed) for a failed connection, an HTTP error status, a page with no workbook link, a
    redirect off the site or off https, a file over the size cap or refused by the importer, a list
    without a date in its name, or a list older than the folder's unless `force`; ``UsageError`` for a
    `page_url` that is not an http(s) address.
    """
    page_url = page_url or ICE_PAGE
    policy = SitePolicy.of(page_url)
    data_dir = Path(data_dir)
    folder = data_dir / "agreements"
    today = today or dt.date.today()
    fetcher = _Fetcher(policy, timeout or TIMEOUT)
    try:
        with tempfile.TemporaryDirectory(prefix="policybrief-download-") as temporary:
            final, html = fetcher.page(page_url)
            links, link_count = workbook_links(html, final)
            LOG.info("%s: %d link(s), %d workbook candidate(s)", final, link_count, len(links))
            warnings: list[str] = []
            found = _find_lists(fetcher, page_url, links, link_count, Path(temporary), today, warnings)
            report = _write(found, data_dir, folder, page_url, force)
            report.problems[:0] = warnings
            return report
    finally:
        fetcher.close()


def _write(found: dict[str, Fetched], data_dir: Path, folder: Path, page_url: str, force: bool) -> Downloaded:
    """Check both lists against the folder's before writing either, then write the ones that changed."""
    existing = existing_provenance(folder / "provenance.yaml", force=force) or {}
    report = Downloaded(page_url=page_url, lists=found)
    plan = []
    for kind in (PARTICIPATING, PENDING):
        fetched = found.get(kind)
        if fetched is None:
            continue
        previous = existing.get("pending") if kind == PENDING else existing
        previous = previous if isinstance(previous, dict) and previous else None
        source_file = printable(read_list_name(fetched.name).ice_name, 200)
        if previous is not None and previous.get("sha256") == fetched.sha256:
            plan.append((kind, fetched, source_file, False))
            continue
        try:
            check_not_older(kind, fetched.result.as_of, source_file, previous, force, folder)
        except UsageError as error:
            if kind == PENDING:
                report.problems.append(_pending_warning(DownloadError(str(error))))
                continue
            raise DownloadError(f"{error}{NOTHING_CHANGED}") from None
        plan.append((kind, fetched, source_file, True))

    for kind, fetched, source_file, changed in plan:
        result, before, written = fetched.result, None, None
        if changed:
            csv_path = folder / ("pending.csv" if kind == PENDING else "participating.csv")
            previous = existing.get("pending") if kind == PENDING else existing
            if previous:
                before = previous_rows(csv_path, PENDING_CSV_COLUMNS if kind == PENDING else CSV_COLUMNS)
            download: dict[str, Any] = {"file_url": fetched.url, "last_modified": fetched.last_modified,
                                        "downloaded_at": _iso(fetched.downloaded_at)}
            write = write_pending if kind == PENDING else write_normalised
            written = write(result, data_dir, as_of=result.as_of, source_file=source_file, source_url=page_url,
                            downloaded=fetched.downloaded_at.date(), download=download, force=force)
            report.written[kind] = written
            report.problems += [str(problem) for problem in result.problems]
        report.lines += _list_lines(kind, fetched, written, before, folder, source_file)
    return report
