"""呈现 — the presentation: what people typed read into inputs (`form`), and every answer worded
and laid out as the page shows it (`result`, `chart`, `words`): view nodes, SVG, the print record.

Imports: the engine (and so, through the registry, the rules). Never the adapters.
"""
