"""Tools shared by the tests and the benchmark (scripts/bench.py), not part of the build.

Installed with the project (pyproject's `package-dir`): the one place both pytest and a script run
by path can import without editing `sys.path`.
"""
