"""What a report's Python cells use to read the package.

- `Figures` (figures.py): each figure for the prose, printed the way the paper printed it, linked
  to its claim in the appendix and cited in the paper's own notes style;
- `Sections` (sections.py): the generated blocks (the claims appendix, the events, the checks,
  the cross-checks' findings, the verdicts);
- citations.py: how a figure, a work and the dataset are cited;
- chart_data.py: the rows claimpack.charts draws.

    from claimpack.report import Figures, Sections
    F = Figures.load()
    S = Sections(F)

Everything reads the package through the domain model (claimpack.model), and every string from
the data reaches the page through claimpack.escape.
"""

from .figures import Figures
from .sections import Sections

__all__ = ["Figures", "Sections"]
