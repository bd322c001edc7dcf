"""What a report's Python cells use to read the package.

- `Figures` (figures.py): each figure for the prose, printed the way the paper printed it, linked
  to its claim in the appendix and cited in the paper's own notes style;
- `Sections` (sections.py): the generated blocks (the claims appendix, the events, the checks,
  the cross-checks' findings, the verdicts);
- citations.py: how a figure, a work and the dataset are cited;
- charts.py: Altair charts built from claims and events, and chart_data.py: the rows they draw;
- prose.py: how records read for a person (the report, `show` and `find`).

    from claimpack.report import Figures, Sections
    F = Figures.load()
    S = Sections(F)

Everything reads the package through the domain model (claimpack.model.domain), and every string
from the data reaches the page through claimpack.system.escape.
"""

from .figures import Figures
from .sections import Sections

__all__ = ["Figures", "Sections"]
