"""One document per recipient: the roster, the per-letter facts, the batch run."""
