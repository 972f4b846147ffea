"""The code that assembles the published site: HTML fixes, per-language search, diagrams, reader text.

Nothing here judges content; the checks live in `checks/`. `make bench` builds with this package's
hook alone to measure what the checks cost.
"""
