"""Schema algebra with no policy in it: node plumbing, regex languages, disjointness proofs."""
