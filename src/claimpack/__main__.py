"""`python -m claimpack` is the `claimpack` command."""

from .cli import main

main()
