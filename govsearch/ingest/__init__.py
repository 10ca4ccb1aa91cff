"""Received files → documents and passages. Takes a corpus folder (files as received, plus catalog.yaml);
gives a Corpus: documents with their versions, clean § numbered passages with offsets into the received files,
version groups linking a statement's translations and copies, every repair cleaning made, and every file
skipped with its reason.

    readers (decoding, html_text, pdf_text) → segment (blocks; boilerplate, attribution) → catalog / corpus
    (which document and version each block belongs to) → cleaning (junk, unscramble) → passages → linking
"""
