"""Reading papers: any paper's text, its footnotes and bibliography, and how that text was derived.

- paper: the paper model (sections, paragraphs, footnotes) over its text in either style;
- reading, pdf, pdf_glyphs: a paper in any format (pandoc, PDFium) made into the text quotes are matched against;
- derivation: that text and the record of how it was derived from the original file;
- notes, references, html_notes: the paper's cited works and its notes' citations (its reference
  list, and the notes an HTML page keeps apart);
- metadata: the paper's title, authors and date as it states them.

Text knows nothing of packages: it imports only claimpack.system.
"""
