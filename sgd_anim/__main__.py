"""`python -m sgd_anim`: the command line, as `sgd-anim` and `render.py` run it."""

from sgd_anim.cli import main

if __name__ == "__main__":
    main(prog_name="python -m sgd_anim")
