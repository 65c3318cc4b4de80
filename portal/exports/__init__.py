"""The export kit every feature's downloads are made with.

* :mod:`portal.exports.times` — Norwegian time: ISO 8601 with offset for machines (CSV,
  XLSX, XML), ``dd.mm.yyyy HH:MM`` for people (PDF), a period of dates as Oslo bounds;
* :mod:`portal.exports.files` — the ``ØVELSE`` mark, content types, dated file names and
  the download response;
* :mod:`portal.exports.sheets` — CSV (UTF-8 with a byte-order mark, semicolons) and XLSX
  (openpyxl), every cell guarded against formulas (:mod:`portal.spreadsheets`);
* :mod:`portal.exports.pdf` — A4 documents with fpdf2 and the bundled DejaVu fonts: the
  page header and footer, the exercise band, wrapped paragraphs, label/value pairs,
  headings and simple tables.
"""
