"""govsearch: cross-lingual search over AI-governance declarations."""
