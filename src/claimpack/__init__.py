"""claimpack: turn a paper's figures into a verifiable data package and a report rebuilt from it."""

__version__ = "0.1.0"
