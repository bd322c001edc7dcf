"""The fact-checker's verbs: `claimpack show`, `find` and `verify`."""
