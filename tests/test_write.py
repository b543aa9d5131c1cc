"""Writing: the restricted URL fetcher, and atomic replacement of the output."""

from __future__ import annotations

import pytest

from policybrief.errors import DataError
from policybrief.files import write_atomically
from policybrief.write import FetchRefused, make_url_fetcher


@pytest.mark.parametrize("url", ["http://example.org/x.css", "https://example.org/font.ttf",
                                 "file:///etc/passwd", "ftp://example.org/x"])
def test_fetcher_refuses_network_and_outside_files(url):
    with pytest.raises(FetchRefused):
        make_url_fetcher().fetch(url)


def test_fetcher_refuses_path_traversal_out_of_templates():
    from policybrief.write import PROJECT_ROOT
    url = (PROJECT_ROOT / "templates").as_uri() + "/../../../../etc/passwd"
    with pytest.raises(FetchRefused):
        make_url_fetcher().fetch(url)


def test_fetcher_serves_project_fonts_and_data_urls():
    from policybrief.write import PROJECT_ROOT
    font = make_url_fetcher().fetch((PROJECT_ROOT / "fonts" / "BriefSerif-Regular.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert make_url_fetcher().fetch("data:text/plain,hello").read() == b"hello"


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out" / "brief.pdf"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["brief.pdf"]


def test_failed_write_leaves_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"good old brief")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr("policybrief.write.os.replace", broken_replace)
    with pytest.raises(DataError, match="cannot write the output: disk full"):
        write_atomically(target, b"half a brief")
    assert target.read_bytes() == b"good old brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]
