"""Register claimpack's custom expectations for use of this GX project outside claimpack.

GX puts this directory on sys.path; `import claimpack_expectations` before loading a suite.
"""

from claimpack.validation.gx_project import register_custom_expectations

register_custom_expectations()
