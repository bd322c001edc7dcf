"""`frictionless validate`, run as claimpack's child process: offline, within a memory and time budget.

Usage: python -m claimpack.validation.layers.frictionless_child MEMORY_BYTES CPU_SECONDS [frictionless arguments]
The arguments after the budget are frictionless's own, so the verdict is the official CLI's.
"""

from __future__ import annotations

import resource
import sys


def main() -> None:
    memory, seconds, *arguments = sys.argv[1:]
    for limit, value in ((resource.RLIMIT_AS, int(memory)), (resource.RLIMIT_CPU, int(seconds))):
        _soft, hard = resource.getrlimit(limit)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (cap, hard))
    from claimpack.system.offline import offline_for_good

    offline_for_good()
    import warnings

    warnings.filterwarnings("ignore")
    from frictionless.console import console

    sys.argv = ["frictionless", *arguments]
    console(prog_name="frictionless")


if __name__ == "__main__":
    main()
