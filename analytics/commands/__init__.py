"""Sub-commands of `python -m analytics`, one module per area."""
