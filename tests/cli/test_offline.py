"""Validation never reaches the network.

A local HTTP server counts every request it gets. Every URL-valued property that frictionless
or a JSON Schema validator would dereference is planted in a package in turn (profile and
$schema on the package, a resource and a schema; $ref; jsonSchema; remote, multipart and
extrapaths paths): validate refuses each at once, and the server gets zero requests. The guard
itself is proven where no descriptor check stands in front of it: frictionless's child process,
handed a custom profile directly, and a fetch made inside claimpack's own process.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import ClassVar

import pytest

from claimpack.system.offline import NetworkRefused, offline
from conftest import copy_package, run_claimpack, snapshot


class Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        Counter.requests.append(self.path)
        body = b'{"type": "object"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Counter.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _claims(descriptor: dict) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == "claims")


PLANTS = {
    "package-profile": lambda d, u: d.update(profile=u + "profile.json"),
    "package-schema-uri": lambda d, u: d.update({"$schema": u + "schema.json"}),
    "package-local-profile": lambda d, u: d.update(profile="data/claims.csv"),
    "resource-profile": lambda d, u: _claims(d).update(profile=u + "rprofile.json"),
    "resource-schema-uri": lambda d, u: _claims(d).update({"$schema": u + "rschema.json"}),
    "table-schema-profile": lambda d, u: _claims(d)["schema"].update({"$schema": u + "tschema.json"}),
    "schema-as-url": lambda d, u: _claims(d).update(schema=u + "schema.json"),
    "dialect-as-url": lambda d, u: _claims(d).update(dialect=u + "dialect.json"),
    "dialect-profile": lambda d, u: _claims(d).update(dialect={"$schema": u + "dialect.json"}),
    "ref": lambda d, u: _claims(d)["schema"]["fields"][0].update({"$ref": u + "field.json"}),
    "json-schema-ref": lambda d, u: _claims(d)["schema"]["fields"][0].update(
        type="object", constraints={"jsonSchema": {"$ref": u + "js.json"}}),
    "json-schema-url": lambda d, u: _claims(d)["schema"]["fields"][0].update(
        type="object", constraints={"jsonSchema": u + "js.json"}),
    "remote-path": lambda d, u: _claims(d).update(path=u + "claims.csv"),
    "multipart-path": lambda d, u: _claims(d).update(path=["data/claims.csv", u + "more.csv"]),
    "extrapaths": lambda d, u: _claims(d).update(extrapaths=[u + "extra.csv"]),
    "protocol-relative-path": lambda d, u: _claims(d).update(path="//127.0.0.1/claims.csv"),
    "file-uri-path": lambda d, u: _claims(d).update(path="file:///etc/passwd"),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_every_dereferenceable_property_is_refused_without_a_request(tmp_path, server, plant):
    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    PLANTS[plant](descriptor, server)
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    before = snapshot(root)
    result = run_claimpack("validate", ".", cwd=root, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("claimpack: datapackage.json: ")
    assert "Traceback" not in result.stderr
    assert Counter.requests == []
    assert snapshot(root) == before


@pytest.mark.slow
def test_the_official_profiles_are_accepted_without_a_request(tmp_path, server):
    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    _claims(descriptor)["$schema"] = "https://datapackage.org/profiles/2.0/dataresource.json"
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    result = run_claimpack("validate", ".", "--skip", "expectations", cwd=root, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert Counter.requests == []


@pytest.mark.slow
def test_the_frictionless_child_cannot_fetch_even_when_asked_directly(tmp_path, server):
    """No descriptor check here: the child's own guard refuses the custom profile's fetch."""
    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["profile"] = server + "profile.json"
    _claims(descriptor)["extrapaths"] = [server + "extra.csv"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "claimpack.validation.layers.frictionless_child", str(4 << 30), "60",
                           "validate", "--json", "datapackage.json"], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert Counter.requests == []
    assert "offline" in done.stdout + done.stderr or '"valid": false' in done.stdout


def test_a_fetch_inside_validation_is_refused(server):
    with offline(), pytest.raises(OSError) as refused:
        urllib.request.urlopen(server + "inside", timeout=5)
    assert isinstance(refused.value, NetworkRefused) or isinstance(refused.value.__cause__, NetworkRefused) or \
        "offline" in str(refused.value)
    assert Counter.requests == []
    with urllib.request.urlopen(server + "after", timeout=5) as answer:
        assert answer.status == 200
    assert Counter.requests == ["/after"]


def test_unix_sockets_stay_allowed(tmp_path):
    import socket

    path = str(Path(tmp_path) / "s")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)
    with offline():
        client = socket.socket(socket.AF_UNIX)
        client.connect(path)
        client.close()
    listener.close()


@pytest.mark.parametrize("kind", ["html", "tex", "md"])
@pytest.mark.slow
def test_init_fetches_nothing_a_paper_points_at(tmp_path, server, kind):
    """A paper is untrusted: its remote images, frames, includes and bibliography are never fetched
    (pandoc reads it sandboxed), and the package is written without them."""
    paper = tmp_path / f"paper.{kind}"
    text = {
        "html": f'<html><head><link rel="stylesheet" href="{server}style.css"></head><body><h1>Water</h1>'
                f'<p>In 2019 the town spent $18.5 million. <img src="{server}x.png"> '
                f'<iframe src="{server}frame.html"></iframe></p></body></html>',
        "tex": f"\\documentclass{{article}}\\begin{{document}}\\section{{Water}}In 2019 the town spent "
               f"\\$18.5 million.\\includegraphics{{{server}x.png}}\\input{{{server}part.tex}}\\end{{document}}",
        "md": f"---\ntitle: Water\nbibliography: {server}refs.bib\n---\n\nIn 2019 the town spent $18.5 million. "
              f"![x]({server}x.png)\n",
    }[kind]
    paper.write_text(text, encoding="utf-8")
    result = run_claimpack("init", str(paper), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert Counter.requests == []
