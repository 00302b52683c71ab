"""Document PDFs without Django: render (typst + Noto CJK), company keys, PAdES seal and verify.

* ``render``: :func:`~.render.render_document`, :func:`~.render.render_table_report`,
  :func:`~.render.content_digest` — Chinese A4 documents and reports as PDF bytes.
* ``keys``: :func:`~.keys.generate_company_pki`, PEM save/load (encrypted key),
  :func:`~.keys.load_pkcs12` — the company's signing identity.
* ``seal``: :func:`~.seal.seal_pdf` (PAdES-B-B / B-T, incremental), :func:`~.seal.verify_pdf`.
* ``poppler``: :func:`~.poppler.pdfsig_report` (independent check), :func:`~.poppler.extract_text`.

Runtime needs the Debian packages fonts-noto-cjk and poppler-utils.
"""
