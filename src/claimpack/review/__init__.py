"""`claimpack review`: the review workbench in the browser.

- workbench: the records under review and every action on them (accept, reject, edit, add, verdict,
  batch, undo), staged, validated warm (claimpack.validation.warm) and written at once;
- server: the Starlette application on 127.0.0.1, its guard (token, Host, origin) and its API;
- views, templates/, static/: what the pages show, escaped; the keys and forms of the page;
- reasons: why a number is not a figure, and the guess preselected; pdfpage: a PDF's page, boxed.
"""
