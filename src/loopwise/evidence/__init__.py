"""Evidence from documents: reading transcripts and literature, splitting sentences, and
finding causal claims (cue rules and a trained detector) to suggest as links with exact quotes.

Pure functions of text and a map: storing documents and the review queue are
:mod:`loopwise.workbench`'s job, above the store.
"""
