"""Render a lesson-2 SGD scene from the checkout: `python render.py --scene lr_too_high`.

The same command as `python -m sgd_anim` and `sgd-anim`; see `--help`.
"""

from sgd_anim.cli import main

if __name__ == "__main__":
    main()
