"""frictionless, kept warm in a child process of `claimpack review`: one package validation per request.

`claimpack validate` starts the official `frictionless validate` in a new child each time, which
costs seconds of start-up (Python and frictionless imported again). The workbench validates a
staged change after every action, so it keeps one child that imported frictionless once: each
line on its standard input names a descriptor; it answers with one line, frictionless's JSON
report of `Package(descriptor).validate()` (what `frictionless validate --json` prints).

Offline and within a memory budget, as claimpack.layers.frictionless_child.
"""

from __future__ import annotations

import json
import os
import resource
import sys

MEMORY = 4 << 30


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY if hard == resource.RLIM_INFINITY else min(MEMORY, hard), hard))
    from claimpack.system.offline import offline_for_good

    offline_for_good()
    import warnings

    warnings.filterwarnings("ignore")
    import frictionless

    from claimpack.validation.layers.frictionless_layer import ERROR_LIMIT

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        try:
            os.chdir(request["dir"])
            report = frictionless.Package("datapackage.json").validate(limit_errors=ERROR_LIMIT)
            answer = report.to_dict()
        except Exception as exc:  # one line back, whatever frictionless raised
            answer = {"valid": False, "failed": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
