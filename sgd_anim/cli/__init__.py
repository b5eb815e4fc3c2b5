"""The command line over the library: click options mapped onto the render options.

- main.py         the command: parse, hand the options to the library, report
- options.py      the options, in groups, with their help and ranges
- types.py        click parameter types over the library's value parsers
- forwarding.py   the options typed, back as argv for `--scene all`'s children
- all_scenes.py   `--scene all`: one child process per scene, `--jobs` at a time

Only this package imports click.
"""

from sgd_anim.cli.main import main

__all__ = ["main"]
