"""The command: `python -m sgd_anim --scene lr_too_high` (also `sgd-anim`, `render.py`).

Click parses the flags with the library's parsers, the values the user typed become
`RenderOptions`, and the library checks and renders them; its OptionError is this
command's one-line error and exit code 2, a failed render exit code 1.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import click
from click.core import ParameterSource

from sgd_anim.api import render_request
from sgd_anim.cleanup import end_with_parent, sigterm_as_interrupt, sweep_leftovers
from sgd_anim.cli.forwarding import as_argv
from sgd_anim.cli.options import every_option
from sgd_anim.echo import clipped_words
from sgd_anim.errors import OptionError, RenderError
from sgd_anim.options import OPTIONS, RenderOptions
from sgd_anim.request import RenderRequest


class Command(click.Command):
    """click's command, whose own parse errors echo no value in full."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:  # No such option '--xxxx...', extra argument
            message = clipped_words(error.message)
            if message == error.message or isinstance(error, click.BadParameter):
                raise  # a parameter's own message is shortened where it is made
            raise click.UsageError(message, error.ctx) from None


def package_version() -> str:
    """The installed distribution's version (the checkout's when run from it)."""
    try:
        return version("sgd-anim")
    except PackageNotFoundError:
        from sgdcore import __version__

        return __version__


@click.command(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@every_option
@click.version_option(package_version(), "--version", prog_name="sgd-anim")
def main(**params: object) -> None:
    """Train with torch, then render the run as a video with Manim."""
    ctx = click.get_current_context()
    end_with_parent()  # a child of --scene all: never outlive it
    try:
        # The options are read once, typed and checked against every limit
        options = options_of(ctx)
        request = RenderRequest.from_options(
            options, spell=lambda name: spelled(ctx, name)
        )
        for note in request.advice:
            click.echo(note, err=True)
        # SIGTERM cleans up as Ctrl-C does; what killed runs left goes first
        with sigterm_as_interrupt():
            sweep_leftovers(*request.folders)
            if request.slides:
                from sgd_anim.cli.all_scenes import render_deck

                render_deck(request)
            elif request.scene == "all":
                from sgd_anim.cli.all_scenes import render_all

                render_all(request, as_argv(options))
            else:
                click.echo(render_request(request).summary())
    except OptionError as error:
        message = clipped_words(error.message)
        if error.option is None:
            raise click.UsageError(message, ctx) from None
        raise click.BadParameter(message, ctx, parameter(ctx, error.option)) from None
    except RenderError as error:
        raise click.ClickException(str(error)) from error.__cause__


def typed_names(ctx: click.Context) -> list[str]:
    """The options the user set, in OPTIONS order (not left at their defaults);
    the scene, which is always set, is not among them."""
    untyped = (None, ParameterSource.DEFAULT)
    return [
        name
        for name in OPTIONS
        if name in ctx.params
        and name != "scene"
        and ctx.get_parameter_source(name) not in untyped
    ]


def options_of(ctx: click.Context) -> RenderOptions:
    """The parsed flags as the library's options (-ql and kin fill in --quality)."""
    params, typed = dict(ctx.params), typed_names(ctx)
    manim = ctx.meta.get("manim_quality")
    if manim is not None:
        if "quality" in typed and params["quality"] != manim:
            message = f"-q{manim[0]} and --quality {params['quality']} disagree."
            raise OptionError(message, "quality")
        params["quality"] = manim
        typed.append("quality")
    return RenderOptions(**params, given=frozenset(typed))


def parameter(ctx: click.Context, name: str) -> click.Parameter:
    """The command's parameter called `name`."""
    return next(param for param in ctx.command.params if param.name == name)


def spelled(ctx: click.Context, name: str) -> str:
    """Option `name` as the user types it: its long flag (`--batch-size`)."""
    return max(parameter(ctx, name).opts, key=len)
