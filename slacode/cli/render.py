"""``slacode render --out DIR``: write the site's docs tree without MkDocs.

For site generators that run no MkDocs plugins (Zensical): the hand-written pages
of ``docs_dir`` are copied first, then the generated tree, and DIR is replaced as a
whole so that no page of an earlier run (or another audience) stays behind.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import click

from slacode.cli.options import Project, project_options
from slacode.problems import SlacodeError


def _mkdocs(cfg: Path) -> tuple[Path | None, str, str, str]:
    """From the project's ``mkdocs.yml`` (``cfg``): ``docs_dir`` (hand-written pages),
    ``site_name``, ``site_url`` and the theme's language, so that the tree matches what
    the plugin adds."""
    if not cfg.is_file():
        return None, "Service levels", "", "en"
    from slacode.cli.build import load_mkdocs_config

    mk = load_mkdocs_config(cfg)
    docs = Path(mk.docs_dir)
    # the plugin block's language wins over the theme's, as in the plugin itself
    plugin = mk.plugins.get("slacode")
    lang = str((plugin.config.get("language") if plugin else None)
               or mk.theme.get("language") or "en")
    lang = "zh" if lang.startswith("zh") else "en"
    return (docs if docs.is_dir() else None), str(mk.site_name), str(mk.site_url or ""), lang


@click.command()
@project_options()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the docs tree to (replaced as a whole; only an empty folder or "
    "one slacode wrote).",
)
@click.option("--audience", default=None, help="public (default), internal or customer:NAME.")
@click.option(
    "--language",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Language of the generated words (default: from mkdocs.yml).",
)
@click.option("--generated-only", is_flag=True, help="Do not copy the hand-written pages.")
def command(project: Project, out: Path, audience: str | None, language: str | None,
            generated_only: bool) -> None:
    """Render the site's pages, data files, badges and feed into OUT."""
    from slacode.pipeline import run
    from slacode.render.output import refuse, replacing, write_tree
    from slacode.render.static import assets

    refuse(out.absolute())  # before any work: the folder could never be written
    settings = project.settings(audience=audience)
    hand, title, url, theme_language = _mkdocs(project.mkdocs_yml)
    settings = replace(
        settings, site_url=settings.site_url or url, language=language or theme_language
    )
    result = run(settings, site_title=title)
    for p in result.problems:
        click.echo(str(p), err=True)
    if not result.ok:
        raise SlacodeError(f"{len(result.errors())} error(s); nothing written")
    hand = None if generated_only else hand
    with replacing(out) as tmp:
        if hand is not None:
            shutil.copytree(hand, tmp, dirs_exist_ok=True)
            clash = sorted(p for p in result.files if (tmp / p).exists())
            if clash:
                raise SlacodeError(f"{hand / clash[0]} is written by hand but slacode generates it")
        write_tree(result.files, tmp)
        # the packaged stylesheet and script, as the plugin adds them (one by hand wins)
        write_tree({p: t for p, t in assets().items() if not (tmp / p).exists()}, tmp)
    click.echo(f"wrote {len(result.files)} generated files to {out}")
