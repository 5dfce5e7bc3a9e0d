"""Quality benchmark: the original flow vs the studio on small specs checked by running them.

See `python -m bench.quality --help` and bench/quality/specs.py.
"""
