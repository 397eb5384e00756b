"""规则 — the rules: one module per measure of Attachment 1, named after it, each ending in its
registry entry `MEASURE = Measure(...)` (the contract: `calculators.engine.measure`).

Imports: the engine only. Never the presentation (`calculators.views`) or the adapters.
"""
