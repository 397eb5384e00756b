"""引擎 — the engine: what the rules are written in and what runs them.

Parameters (`params`), money (`money`), dates (`dates`), contacts (`contacts`), input reading
(`inputs`), the measure contract and its trace (`measure`), the registry (`registry`),
evaluate/describe (`evaluate`), 政策匹配 (`match`), next steps and amount curves as plain data
(`growth`, `curves`) and permalinks (`links`).

Imports: the standard library and itself only. It never imports a rule by name (the registry
lists `calculators.rules`), nor the presentation or the adapters.
"""
