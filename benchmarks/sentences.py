"""Sentence segmenters compared: claimpack's own against the ones on PyPI, on what claimpack quotes.

Three measures, printed per segmenter:
- the gold set (tests/fixtures/sentences/gold.txt): boundaries a careful reader sees, written
  for the classes that break segmenters (abbreviations, initials, decimals, versions, markers);
  boundary precision and recall, and paragraphs split exactly;
- real paragraphs by other authors (../shared/corpus, read by claimpack's own reader): how many
  sentences end on a known abbreviation ("U.S.", "H.R.", "et al."), which is a wrong split, and
  how long the longest sentence is;
- the time for one paragraph of 20,000 numbers (the benchmark claimpack's linear scan must keep).

    .venv/bin/python benchmarks/sentences.py          # every segmenter installed
    .venv/bin/python benchmarks/sentences.py --corpus ../shared/corpus

The segmenters other than claimpack's are optional: pip install pysbd syntok nupunkt sentencex.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOLD = ROOT / "tests" / "fixtures" / "sentences" / "gold.txt"
ABBREVIATION_END = re.compile(r"(?:\b(?:U\.S|H\.R|e\.g|i\.e|et al|Fig|No|Dr|Mr|Ms|Prof|Jan|Feb|Sept?|Oct|Nov|Dec|vs|"
                              r"Sec|Art|Ch|Vol|St|U\.N|U\.K|P\.L|Approx|Gen|Messrs|edn|cf|pp?)\.|\b[A-Z]\.)\s*\Z")

Spans = Callable[[str], list[tuple[int, int]]]


def segmenters() -> dict[str, Spans]:
    found: dict[str, Spans] = {}
    from claimpack.init.candidates import sentences

    found["claimpack"] = sentences
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd"] = lambda text: [(s.start, s.end) for s in segmenter.segment(text)]
    except ImportError:
        pass
    try:
        from syntok import segmenter as syntok

        def syntok_spans(text: str) -> list[tuple[int, int]]:
            return [(sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
                    for paragraph in syntok.analyze(text) for sentence in paragraph]

        found["syntok"] = syntok_spans
    except ImportError:
        pass
    try:
        import nupunkt

        found["nupunkt"] = lambda text: list(nupunkt.sent_spans(text))
    except ImportError:
        pass
    try:
        import sentencex

        def sentencex_spans(text: str) -> list[tuple[int, int]]:
            spans, at = [], 0
            for sentence in sentencex.segment("en", text):
                start = text.find(sentence.strip(), at) if sentence.strip() else at
                spans.append((start, start + len(sentence.strip())))
                at = start + len(sentence.strip())
            return spans

        found["sentencex"] = sentencex_spans
    except ImportError:
        pass
    return found


def gold() -> list[tuple[str, set[int]]]:
    """(paragraph, the offsets where each sentence after the first starts)."""
    cases = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" || ")
        text, starts = "", set()
        for index, part in enumerate(parts):
            if index:
                text += " "
                starts.add(len(text))
            text += part
        cases.append((text, starts))
    return cases


def starts_of(text: str, spans: list[tuple[int, int]]) -> set[int]:
    found = set()
    for start, _ in spans[1:]:
        while start < len(text) and text[start].isspace():
            start += 1
        found.add(start)
    return found


def corpus_paragraphs(folder: Path) -> list[str]:
    from claimpack.init.writer import model
    from claimpack.text.reading import read

    paragraphs = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".pdf", ".md", ".html", ".docx") or path.name.startswith("README"):
            continue
        paper, _ = model(read(path))
        paragraphs += [block.text for block in paper.text_blocks() if block.kind == "paragraph"]
    return paragraphs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args(argv)
    cases = gold()
    paragraphs = corpus_paragraphs(args.corpus) if args.corpus.is_dir() else []
    big = " ".join(f"Item {i} cost ${i}.{i % 100:02d} in total, up {i % 97}% on the year." for i in range(20_000))
    small = big[:len(big) // 10]
    print(f"gold: {len(cases)} paragraphs, {sum(len(s) for _, s in cases)} boundaries; corpus: {len(paragraphs)} "
          "paragraphs")
    print(f"{'segmenter':20} {'precision':>9} {'recall':>7} {'exact':>7} {'abbrev. ends':>12} {'longest':>8} "
          f"{'time (20k or 2k numbers)':>11}")
    for name, spans in segmenters().items():
        right = proposed = expected = exact = 0
        for text, starts in cases:
            found = starts_of(text, spans(text))
            right += len(found & starts)
            proposed += len(found)
            expected += len(starts)
            exact += found == starts
        wrong_ends = longest = 0
        for text in paragraphs:
            found = spans(text)
            for index, (start, end) in enumerate(found):
                longest = max(longest, end - start)
                if index + 1 < len(found) and ABBREVIATION_END.search(text[start:end]):
                    wrong_ends += 1
        started = time.perf_counter()
        count = len(spans(small))
        seconds = time.perf_counter() - started
        if seconds < 2:  # a segmenter that takes seconds on 2,000 numbers is timed on those (pysbd: quadratic)
            started = time.perf_counter()
            count = len(spans(big))
            seconds = time.perf_counter() - started
        print(f"{name:20} {100 * right / max(proposed, 1):8.1f}% {100 * right / max(expected, 1):6.1f}% "
              f"{exact:3}/{len(cases):<3} {wrong_ends:12} {longest:8} {seconds:9.2f} s ({count} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
