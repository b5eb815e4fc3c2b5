"""The training core: data, problems, the one gradient-descent loop and its Trace.

Importing this package loads no torch module; `sgdcore.trace` is numpy-only so the
scenes can read traces without torch.
"""

__version__ = "0.1.0"
