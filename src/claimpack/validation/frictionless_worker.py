"""frictionless, kept warm in a child process of `claimpack review`: one package validation per request.

`claimpack validate` starts the official `frictionless validate` in a new child each time, which
costs seconds of start-up (Python and frictionless imported again). The workbench validates a
staged change after every action, so it keeps one child that imported frictionless once: each
line on its standard input names a package directory, and the resources to validate (all of
them, with the descriptor, when it names none); it answers with one line, frictionless's JSON
report (what `frictionless validate --json` prints: `Package(descriptor).validate()`, or the
descriptor's metadata checked as it checks it first and then each named resource's `validate()`
with the package's foreign keys).

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
            package = frictionless.Package("datapackage.json")
            names = request.get("resources")
            if names is None:
                answer = package.validate(limit_errors=ERROR_LIMIT).to_dict()
            else:  # the descriptor's metadata and the resources a change wrote (the rest are as they were)
                answer = {"valid": True, "errors": [], "tasks": []}
                try:
                    package.to_descriptor(validate=True)  # as Package.validate does first
                except frictionless.FrictionlessException as exception:
                    names = []
                    answer = frictionless.Report.from_validation(errors=exception.to_errors()).to_dict()
                for name in names:
                    found = package.get_resource(name).validate(limit_errors=ERROR_LIMIT).to_dict()
                    answer["valid"] = answer["valid"] and found.get("valid", False)
                    answer["errors"] += found.get("errors", [])
                    answer["tasks"] += found.get("tasks", [])
        except Exception as exc:  # one line back, whatever frictionless raised
            answer = {"valid": False, "failed": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
