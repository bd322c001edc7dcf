"""How long each action of `claimpack review` takes, round trip, with the revalidation it includes.

`claimpack init` makes a package from a paper by another author (the CRS report in
tests/corpus, 224 candidates; a test paper when it is absent); the real
`claimpack review PKG --no-browser --port 0` serves it; each action is sent as the page sends it
(POST with the token header, same origin) and timed from request to answer. An answer comes
only after the change was staged, validated warm (frictionless in its child, Great Expectations'
own expectations, provenance, the logs, consistency, coverage, cross-checks) and written with
its hashes. The full `claimpack validate` is timed on the same package for comparison.
Target: every action under 0.5 s. Prints figures; asserts nothing (the machine is shared).

    .venv/bin/python benchmarks/review_actions.py [--paper PATH] [--runs 8]

`about` is the package view's save (title, licence, authors). `new unit` is an edit whose unit
the package did not know: the claims schema and suites are regenerated in the same step, and
Great Expectations runs only the expectations whose row condition the rewritten row meets
(claimpack.validation.warm).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "crs-drug-courts-R44467.html"
FALLBACK = ROOT / "tests" / "papers" / "energy.md"


class Client:
    def __init__(self, address: str):
        found = re.search(r"http://127\.0\.0\.1:(\d+)/([^/]+)/", address)
        self.port, self.token = int(found.group(1)), found.group(2)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if method == "POST":
            headers.update({"Origin": f"http://127.0.0.1:{self.port}", "X-Claimpack-Token": self.token,
                            "Content-Type": "application/json"})
        started = time.perf_counter()
        connection.request(method, f"/{self.token}/{path}", body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
        seconds = time.perf_counter() - started
        connection.close()
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"html": text.decode("utf-8", "replace")}
        return response.status, answer, seconds


def candidates(package: Path) -> list[dict]:
    import csv

    found = []
    for name in ("claims", "events"):
        with (package / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            found += [{**row, "_table": name} for row in csv.DictReader(handle) if row["status"] == "candidate"]
    return found


def version(client: Client, key: str) -> str:
    _status, answer, _ = client.call("GET", f"record/{key}" if key != "package" else "package")
    found = re.search(r'data-version="([0-9a-f]+)"', answer.get("html", ""))
    return found.group(1) if found else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", type=Path, default=CORPUS if CORPUS.is_file() else FALLBACK)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="claimpack-review-bench-"))
    package = work / "package"
    subprocess.run([sys.executable, "-m", "claimpack", "init", str(args.paper), str(package)], check=True,
                   capture_output=True)
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "claimpack", "review", str(package), "--no-browser", "--port",
                               "0", "--by", "Benchmark"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        client = Client(server.stdout.readline())  # printed once the validation is warm
        while not client.call("GET", "api/status")[1].get("ready"):
            time.sleep(0.2)
        warm = time.perf_counter() - started
        timings: dict[str, list[tuple[float, float]]] = {}
        parts: dict[str, list[dict]] = {}

        def act(name: str, body: dict) -> dict:
            status, answer, seconds = client.call("POST", f"api/{name.replace('new unit', 'edit')}", body)
            if status != 200:
                raise SystemExit(f"{name} refused ({status}): {answer.get('message')} {answer.get('problems')}")
            timings.setdefault(name, []).append((seconds, answer["seconds"].get("total", 0.0)))
            parts.setdefault(name, []).append(answer["seconds"])
            return answer

        pool = candidates(package)
        counts = [row for row in pool if row["_table"] == "claims" and row["unit"] == "count"]
        for index in range(args.runs):
            row = pool.pop(0)
            act("accept", {"id": row["id"], "version": version(client, row["id"])})
            act("verdict", {"id": row["id"], "version": version(client, row["id"]), "verdict": "confirmed",
                            "note": "checked against the source", "evidence": "https://example.org/", "value": ""})
            row = pool.pop(0)
            act("reject", {"id": row["id"], "version": version(client, row["id"]), "reason": "not-a-figure"})
            act("undo", {})
            row = pool.pop(0)
            act("edit", {"id": row["id"], "version": version(client, row["id"]),
                         "fields": {"measure": "what the benchmark counts", "place": "US"}})
            row = counts[index] if index < len(counts) else pool.pop(0)
            pool = [r for r in pool if r["id"] != row["id"]]
            act("new unit", {"id": row["id"], "version": version(client, row["id"]),
                             "fields": {"unit": f"things-{index}", "measure": "things counted in the benchmark"}})
            act("about", {"version": version(client, "package"), "title": f"Figures checked, round {index}",
                          "licence": "CC-BY-4.0", "authors": [{"name": "Ana Ruiz", "organization": ""}]})
        load = os.getloadavg()[0]
        print(f"paper: {args.paper.name}; {len(candidates(package)) + 3 * args.runs} records; warm-up "
              f"{warm:.1f} s (start to the printed address); load average {load:.1f} on {os.cpu_count()} cores")
        print(f"{'action':<9} {'runs':>4} {'median':>8} {'max':>8} {'server':>8}  (seconds; server: validation "
              "and writing)")
        for name, found in timings.items():
            round_trips = [t for t, _ in found]
            print(f"{name:<9} {len(found):>4} {statistics.median(round_trips):>8.3f} {max(round_trips):>8.3f} "
                  f"{statistics.median(s for _, s in found):>8.3f}")
        print("median seconds of each part of the server's validation:")
        for name, found in parts.items():
            keys = [k for k in found[0] if k != "total"]
            print(f"  {name:<9} " + ", ".join(f"{k} {statistics.median(p.get(k, 0) for p in found):.3f}" for k in keys))
    finally:
        server.terminate()
        server.wait(timeout=30)
    started = time.perf_counter()
    ran = subprocess.run([sys.executable, "-m", "claimpack", "validate", str(package)], capture_output=True,
                         text=True)
    last = [line for line in ran.stderr.splitlines() if line.startswith(("valid", "INVALID"))]
    print(f"full claimpack validate afterwards: {time.perf_counter() - started:.1f} s, exit {ran.returncode}: "
          f"{last[0] if last else ran.stderr[-200:]}")


if __name__ == "__main__":
    main()
