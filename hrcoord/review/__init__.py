"""History and review: git, what changed, word diffs."""
