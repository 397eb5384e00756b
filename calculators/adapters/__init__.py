"""适配 — the adapters: the JSON bridge the browser and Node call (`bridge`), and the command
line (`cli`). They translate only; they may import everything below them.
"""
