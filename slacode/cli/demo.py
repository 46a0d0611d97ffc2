"""``slacode demo``: build the sample site of this repository and show where it is."""

from __future__ import annotations

import functools
import http.server

import click

from slacode.cli.options import Project, project_options


@click.command()
@project_options()
@click.option("--audience", default=None, help="public (default), internal or customer:NAME.")
@click.option("--serve", is_flag=True, help="Serve the site on 127.0.0.1 until interrupted.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("-v", "--verbose", is_flag=True,
              help="Print every note of the pipeline, not only the count and the first few.")
def command(project: Project, audience: str | None, serve: bool, port: int,
            verbose: bool) -> None:
    """Build the demo site (slas/ and data/ of this folder) and print its address."""
    from slacode.cli.build import build_site, notes_summary
    from slacode.problems import Problem

    notes: list[Problem] = []
    try:
        out = build_site(project.mkdocs_yml, audience=audience, root=project.root,
                         now=project.now, notes=notes)
    finally:
        for line in notes_summary(notes, verbose):
            click.echo(line, err=True)
    click.echo(f"demo site: {(out / 'index.html').resolve()}")
    if not serve:
        # its links name folders (services/x/), which a browser opening files shows as
        # listings: only a web server resolves them to their index.html
        click.echo("to browse it, run `slacode demo --serve` (or `make serve`) and open "
                   "http://127.0.0.1:8000/")
        return
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        click.echo(f"serving on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)")
        httpd.serve_forever()
