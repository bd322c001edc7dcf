"""Generate a synthetic claims package of any size, with a matching synthetic paper, that is VALID.

    python benchmarks/synthetic.py 100000 benchmarks/out/synthetic-100000

The package uses the real package's descriptor (every resource schema, constraint and foreign
key) and its Great Expectations project, so every layer of `claimpack validate` runs on it as on
the real one:

- the paper (data/source/paper.md) has front matter, an INTRODUCTION, one section per 20
  paragraphs, footnotes after every paragraph (as the page-by-page conversion prints them) and
  a bibliography;
- every claim's quote stands in its recorded section and paragraph, its figure is inside the
  quote and its value, bounds, qualifier and unit agree with the figure (counts, "more than",
  "about", dollars in millions, percents);
- every number of the body is a claim's figure or period, an event's date, or (once, in the
  front matter) an exclusion with its reason;
- every paragraph ends with a footnote marker; each footnote cites one work of the bibliography
  at a page, recorded in footnotes.csv and citations.csv, and the claims cite that work and page;
- checks.csv holds comparisons between claims that hold (relations); the verifications log and
  the defects table are empty;
- the sha256 and size of every file are recorded in datapackage.json.

The output is deterministic for a given size. It is written under benchmarks/out/ (git-ignored)
or anywhere else; never commit it.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import io
import json
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = "5"  # bump when the output changes, so cached packages are regenerated
PAPER_YEAR = 2020
OWN = "synthetic-2020"
PARAGRAPHS_PER_SECTION = 20
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]  # 70
TOPICS = ["history", "policy", "economy", "drugs", "gangs", "poverty", "migration", "programs", "assistance",
          "outcomes", "capacity"]
PLACES = ["CO", "US", "MX", "BR", "PE", "GT", "HN", "SV", "419", "013", "005"]
NOUNS = ["shipments", "patrols", "grants", "trainees", "seizures", "contracts", "visits", "arrests",
         "exercises", "loans"]


class Random:
    """A small deterministic generator (an LCG), so output never depends on Python's random module."""

    def __init__(self, seed: int):
        self.state = seed & 0xFFFFFFFFFFFF

    def next(self) -> int:
        self.state = (self.state * 25214903917 + 11) & 0xFFFFFFFFFFFF
        return self.state >> 16

    def below(self, n: int) -> int:
        return self.next() % n


def word(index: int, syllables: int = 4) -> str:
    """A unique pronounceable word for an index (a bijection on 0..70**syllables-1, scrambled)."""
    space = len(SYLLABLES) ** syllables
    value = (index * 2654435761 + 12345) % space
    parts = []
    for _ in range(syllables):
        value, digit = divmod(value, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts)


def grouped(value: int) -> str:
    return f"{value:,}"


def superscript(number: int) -> str:
    return str(number).translate(SUPERSCRIPT)


def _claim(index: int, rng: Random) -> tuple[str, dict]:
    """One claim's sentence (its quote) and row fields, without its place in the paper."""
    name = word(index)
    noun = NOUNS[index % len(NOUNS)]
    year = 1950 + rng.below(70)
    with_year = rng.below(10) < 7
    kind = rng.below(10)
    row = {"value_min": "", "value_max": "", "qualifier": "exact", "language": "", "note": ""}
    if kind < 4:  # a count: "43,117"
        value = 1 + rng.below(900_000)
        figure = grouped(value)
        phrase, unit = figure, "count"
    elif kind < 6:  # money: "\$2.3 million"
        tenths = 11 + rng.below(988)
        value = tenths * 100_000
        figure = f"\\${tenths // 10}.{tenths % 10} million"
        phrase, unit = figure, "USD"
    elif kind < 8:  # a percent: "45%"
        value = rng.below(101)
        figure = f"{value}%"
        phrase, unit = figure, "percent"
    elif kind < 9:  # a lower bound in the figure: "more than 12,000"
        value = 1000 * (1 + rng.below(500))
        figure = f"more than {grouped(value)}"
        phrase, unit = figure, "count"
        row["qualifier"], row["value_min"] = "more-than", str(value)
    else:  # a qualifier before the figure: "about 12,500"
        value = 500 * (1 + rng.below(400))
        figure = grouped(value)
        phrase, unit = f"about {figure}", "count"
        row["qualifier"] = "about"
    measure = f"{noun.capitalize()} recorded for the {name} programme"
    quote = f"The {noun} of the {name} programme reached {phrase}"
    if with_year:
        quote += f" in {year}"
    row.update({
        "id": f"{noun}-{name}" + (f"-{year}" if with_year else ""),
        "topic": TOPICS[index % len(TOPICS)],
        "measure": measure,
        "figure": figure,
        "value": str(value),
        "unit": unit,
        "place": PLACES[rng.below(len(PLACES))],
        "period_start": str(year) if with_year else "",
        "period_end": str(year) if with_year else "",
        "quote": quote,
        "kind": "reported",
        "derived_from": "",
        "status": "reviewed",
    })
    if index % 97 == 0:
        row["note"] = "Synthetic record; the figure is made up."
    return quote + ".", row


def generate(n: int, out: Path, template: Path = REPO) -> dict:
    """Write a valid synthetic package with n claims into `out` (replaced). Returns counts."""
    started = time.perf_counter()
    rng = Random(n * 7919 + 17)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "source").mkdir(parents=True)
    descriptor = json.loads((template / "datapackage.json").read_text(encoding="utf-8"))
    claim_fields = _fields(descriptor, "claims")

    n_sources = max(10, min(2000, n // 500))
    sources = []
    families = (word(10_000_000 + k, 3).capitalize() for k in range(10**6))
    for s in range(n_sources):
        family = next(f for f in families if "ibid" not in f.lower())  # "Ibid." would mark the citation
        year = 1960 + s % 60
        title = f"Studies of the {word(20_000_000 + s, 2).capitalize()} Region"
        entry = f"{family}, Alex. *{title}*. Toronto: Synthetic Press, {year}."
        sources.append({"id": f"{family.lower()}-{year}", "type": "book", "author": f"{family}, Alex",
                        "title": title, "publisher": "Synthetic Press", "publisher_place": "Toronto",
                        "issued": str(year), "in_bibliography": "true", "bibliography_entry": entry,
                        "family": family})
    sources_rows = [{k: v for k, v in s.items() if k != "family"} for s in sources]
    sources_rows.append({"id": OWN, "type": "report", "author": "Claimpack, Benchmark",
                         "title": "A Synthetic Paper of Figures", "publisher": "claimpack",
                         "issued": str(PAPER_YEAR), "in_bibliography": "false",
                         "note": "The synthetic paper itself."})

    paper = io.StringIO()
    paper.write("Synthetic Paper of Figures\n\nA benchmark corpus for claimpack\n\n"
                "Series 7 of the synthetic corpus.\n\nINTRODUCTION\n\n"
                "This paper states made-up figures so that claimpack can be measured at scale. "
                "Every figure below is recorded in the package.\n\n")
    claims_buf, footnotes_buf, citations_buf, events_buf = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
    claims_out = csv.DictWriter(claims_buf, claim_fields, lineterminator="\n")
    claims_out.writeheader()
    footnotes_out = csv.DictWriter(footnotes_buf, _fields(descriptor, "footnotes"), lineterminator="\n")
    footnotes_out.writeheader()
    citations_out = csv.DictWriter(citations_buf, _fields(descriptor, "citations"), lineterminator="\n")
    citations_out.writeheader()
    events_out = csv.DictWriter(events_buf, _fields(descriptor, "events"), lineterminator="\n")
    events_out.writeheader()
    checks = []
    n_events = 0
    claim_index = paragraph_count = 0
    section = "INTRODUCTION"
    paragraph = 1  # the INTRODUCTION's first paragraph has no figure
    footnote = 0
    while claim_index < n:
        if paragraph_count % PARAGRAPHS_PER_SECTION == 0:
            name = word(30_000_000 + paragraph_count // PARAGRAPHS_PER_SECTION, 3).capitalize()
            section = f"Findings on the {name} Programmes"
            paper.write(section + "\n\n")
            paragraph = 0
        paragraph_count += 1
        paragraph += 1
        footnote += 1
        source = sources[(footnote - 1) % len(sources)]
        page = str(1 + (footnote * 37) % 400)
        sentences, rows = [], []
        count = 4 + rng.below(9)
        if n - claim_index - count < 4:  # never leave a short last paragraph (it would read as a heading)
            count = n - claim_index
        for _ in range(count):
            sentence, row = _claim(claim_index, rng)
            claim_index += 1
            row.update({"section": section, "paragraph": str(paragraph), "footnote": str(footnote),
                        "source_id": source["id"], "locator": page})
            sentences.append(sentence)
            rows.append(row)
        if paragraph_count % 50 == 0:  # an event, dated by its year
            year = 1900 + rng.below(120)
            name = word(40_000_000 + n_events)
            quote = f"In {year} the assembly of {name} was founded"
            sentences.insert(len(sentences) // 2, quote + ".")
            events_out.writerow({"id": f"assembly-{name}-founded-{year}", "date": str(year), "date_precision": "year",
                                 "event": f"The assembly of {name} is founded",
                                 "place": PLACES[n_events % len(PLACES)], "quote": quote, "section": section,
                                 "paragraph": str(paragraph), "footnote": str(footnote), "source_id": source["id"],
                                 "locator": page, "status": "reviewed"})
            n_events += 1
        if len(rows) >= 2 and paragraph_count % 10 == 0:  # a comparison between two claims that holds
            a, b = rows[0], rows[1]
            op = "<" if float(a["value"]) < float(b["value"]) else ">="
            checks.append({"id": f"check-{a['id']}", "kind": "relation", "relation": "comparison",
                           "expression": f"{a['id']} {op} {b['id']}", "tolerance": "0",
                           "description": f"{a['measure']} compared with {b['measure'].lower()}."})
        paper.write(" ".join(sentences) + superscript(footnote) + "\n\n")
        text = f"{source['family']}, *{source['title']}*, {page}."
        paper.write(superscript(footnote) + text + "\n\n")
        footnotes_out.writerow({"number": footnote, "text": text, "section": section})
        citations_out.writerow({"footnote": footnote, "position": 1, "source_id": source["id"], "locator": page,
                                "cited_as": text[:-1], "ibid": "false"})
        claims_out.writerows(rows)
    if n_events == 0:  # small packages still state one event (the events suite wants a row)
        raise SystemExit("synthetic: a package needs at least 50 paragraphs (about 400 claims)")
    paper.write("BIBLIOGRAPHY\n\n")
    paper.write("".join(f"- {s['bibliography_entry']}\n" for s in sources))

    files = {
        "data/source/paper.md": paper.getvalue(),
        "data/claims.csv": claims_buf.getvalue(),
        "data/events.csv": events_buf.getvalue(),
        "data/footnotes.csv": footnotes_buf.getvalue(),
        "data/citations.csv": citations_buf.getvalue(),
        "data/sources.csv": _csv(_fields(descriptor, "sources"), sources_rows),
        "data/checks.csv": _csv(_fields(descriptor, "checks"), checks),
        "data/verifications.csv": _csv(_fields(descriptor, "verifications"), []),
        "data/defects.csv": _csv(_fields(descriptor, "defects"), []),
        "validation/coverage-exclusions.csv": _csv(["number", "context", "reason"],
                                                   [{"number": "7", "context": "Series 7",
                                                     "reason": "series identifier"}]),
    }
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    shutil.copytree(template / "validation" / "gx", out / "validation" / "gx",
                    ignore=shutil.ignore_patterns("uncommitted", "__pycache__"))

    package = copy.deepcopy(descriptor)
    package.update({"name": f"synthetic-{n}", "id": f"https://example.org/claimpack/synthetic-{n}",
                    "title": f"Synthetic package of {n:,} claims", "version": "1.0.0",
                    "description": "Made-up figures for claimpack's benchmark; generated, never committed.",
                    "sources": [{"title": "A Synthetic Paper of Figures (claimpack benchmark)",
                                 "path": "data/source/paper.md", "version": str(PAPER_YEAR)}]})
    package["claimpack"] = {**descriptor.get("claimpack", {}), "body_start": "INTRODUCTION",
                            "bibliography": "BIBLIOGRAPHY", "own_source": OWN}
    for resource in package["resources"]:
        path = out / resource["path"]
        data = path.read_bytes()
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        resource["bytes"] = len(data)
        if resource["name"] == "paper":
            resource["description"] = "The synthetic paper the claims are drawn from."
            resource["licenses"] = descriptor["licenses"]
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    counts = {"claims": n, "events": n_events, "footnotes": footnote, "sources": len(sources_rows),
              "checks": len(checks), "paragraphs": paragraph_count,
              "bytes": sum(len(t.encode("utf-8")) for t in files.values()),
              "seconds": round(time.perf_counter() - started, 1), "fingerprint": fingerprint(template)}
    (out / ".synthetic.json").write_text(json.dumps(counts) + "\n", encoding="utf-8")
    return counts


def fingerprint(template: Path = REPO) -> str:
    """What a generated package depends on: this generator, the real descriptor and the GX project."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update((template / "datapackage.json").read_bytes())
    gx = template / "validation" / "gx"
    for path in sorted(gx.rglob("*")):
        if path.is_file() and "uncommitted" not in path.parts and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(gx)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure(n: int, out: Path) -> dict:
    """Generate the package unless an identical one (same size and inputs) is already there."""
    marker = out / ".synthetic.json"
    try:
        counts = json.loads(marker.read_text(encoding="utf-8"))
        if counts.get("claims") == n and counts.get("fingerprint") == fingerprint():
            return counts
    except (OSError, ValueError):
        pass
    return generate(n, out)


def _fields(descriptor: dict, name: str) -> list[str]:
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    return [f["name"] for f in resource["schema"]["fields"]]


def _csv(fields: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int, help="number of claims (at least 400)")
    parser.add_argument("out", type=Path, help="directory to write (replaced)")
    args = parser.parse_args(argv)
    counts = generate(args.claims, args.out)
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
