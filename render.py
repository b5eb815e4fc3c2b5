"""Render a lesson-2 SGD scene from a real torch training run: `python render.py --help`.

A thin layer over the Python API (sgd_anim): the same options, checked by the same
request; its OptionError is this command's one-line error and exit code 2.
"""

from __future__ import annotations

import click

from cli_options import every_option
from render_cleanup import sigterm_as_interrupt, sweep_leftovers
from sgd_anim.api import OptionError, RenderError, render_request, request_from


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@every_option
def main(**_: object) -> None:
    """Train with torch, then render the run as a video with Manim."""
    ctx = click.get_current_context()
    try:
        # The options are read once, typed and checked against every limit
        request = request_from(ctx)
        # SIGTERM cleans up as Ctrl-C does; what killed runs left goes first
        with sigterm_as_interrupt():
            sweep_leftovers(*request.folders)
            if request.slides:
                from render_all import render_deck

                render_deck(request)
            elif request.scene == "all":
                from render_all import render_all

                render_all(request)
            else:
                click.echo(render_request(request).summary())
    except OptionError as error:
        raise click.UsageError(str(error), ctx) from None
    except RenderError as error:
        raise click.ClickException(str(error)) from error.__cause__


if __name__ == "__main__":
    main()
