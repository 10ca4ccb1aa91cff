"""Text, before it is anything else. Takes strings; gives their script (unicode_scripts), sentences (sentences),
language (langid), dates (dates) and the English and Chinese words that BM25, linking and query translation
compare (analysis)."""
