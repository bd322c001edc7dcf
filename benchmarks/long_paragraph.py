"""How long `claimpack init` takes on a paper whose one paragraph holds 20,000 numbers.

Issue 22: init grew with the square of the numbers in one paragraph (1,000 numbers took 3 s,
8,000 took 72 s, 20,000 did not finish in 120 s). The target: 20,000 numbers in one paragraph
within a minute. Two papers are made here, each one Markdown paragraph:

- `sentences`: 20,000 short sentences ("In district K the count was 12,345 people.");
- `one-sentence`: one sentence of 20,000 figures ("The counts were 1,000 people, 1,001 people, ...");
- `repeated`: the same words again and again ("§1 §1 §1 ...", 20,000 times): every number has the
  same context, which once cost a search of the whole paragraph per number (quadratic, 2 GB at 2,000);
- `names`: a figure, a citation of the paper's one reference, then "Aa, " 20,000 times: a run of
  capitalised words and commas, which a citation's list of authors was once tried along from every
  name in it (quadratic: 48 s at 20,000).

Each runs as `claimpack init PAPER DIR` in its own process, as a user runs it, then
`claimpack validate DIR` (the package init writes must validate). Printed: the wall time and the
peak memory of each, and the time at half the numbers (linear time takes about half as long).
Nothing here asserts on time: it prints the figures.

    .venv/bin/python benchmarks/long_paragraph.py [--numbers 20000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINUTE = 60.0


def paper(numbers: int, style: str) -> str:
    if style == "sentences":
        body = " ".join(f"In district {chr(65 + i % 26)} the count was {1000 + i:,} people." for i in range(numbers))
    elif style == "repeated":
        body = "In 2019 the town spent $18.5 million on 3 bridges. " + "§1 " * numbers
    elif style == "names":
        body = "In 2019 the town spent $18.5 million on 3 bridges (Smith 2018). " + "Aa, " * numbers + "end.\n\n" \
               "# References\n\nSmith, John. 2018. Water. Lima: Press."
    else:
        body = "The counts were " + ", ".join(f"{1000 + i:,} people" for i in range(numbers)) + "."
    return f"---\ntitle: A paper of many numbers\nauthor: Ann Smith\ndate: 2020\n---\n\n# Results\n\n{body}\n"


def timed(args: list[str]) -> tuple[float, float, int, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (the command and its children: a shared machine slows the wall, not the CPU),
    peak resident memory (KB, of the largest child so far) and the result of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "claimpack", *args], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, after.ru_maxrss, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=20_000)
    args = parser.parse_args()
    failed = 0
    print(f"load average when started: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory(prefix="claimpack-long-paragraph-") as scratch:
        for style in ("sentences", "one-sentence", "repeated", "names"):
            seconds = {}
            for count in (args.numbers // 2, args.numbers):
                source = Path(scratch) / f"{style}-{count}.md"
                source.write_text(paper(count, style), encoding="utf-8")
                target = Path(scratch) / f"{style}-{count}"
                seconds[count], cpu, memory, result = timed(["init", str(source), str(target)])
                if result.returncode != 0:
                    print(f"{style}, {count:,} numbers: init failed: {result.stderr.strip()[-500:]}")
                    failed = 1
                    continue
                summary = result.stdout.strip().splitlines()[-1]
                print(f"{style}, {count:,} numbers in one paragraph ({source.stat().st_size:,} bytes): init "
                      f"{seconds[count]:.1f} s ({cpu:.1f} s of CPU), peak memory {memory / 1024:.0f} MB "
                      f"({summary.split(': ', 1)[-1]})")
                if count == args.numbers:
                    checked, _, _, validated = timed(["validate", str(target), "--quiet"])
                    verdict = validated.stderr.strip().splitlines()[0] if validated.stderr.strip() else "?"
                    print(f"  validate {checked:.1f} s, exit {validated.returncode}: {verdict}")
                    failed |= validated.returncode != 0
            if len(seconds) == 2:
                half, whole = seconds[args.numbers // 2], seconds[args.numbers]
                print(f"  {args.numbers:,} numbers took {whole / half:.2f} times as long as {args.numbers // 2:,} "
                      f"(2 is linear, 4 quadratic); within a minute: {'yes' if whole <= MINUTE else 'NO'}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
