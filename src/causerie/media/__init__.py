"""Pictures: the safety pipeline (decode, re-encode, hash, match) and where files are kept."""
