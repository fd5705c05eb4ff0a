"""The 3-agent chain run by our template and by the stacks users would otherwise pick, side by side.

Every system runs the same work (researcher -> writer -> reviewer on the offline model with the same
prompts as `orchestrators/chain.py`), so the differences between them are orchestration overhead.
"""
