"""Build step: the wheel carries the published schema as ``slacode/schemas/``.

The schema's one source is the top-level ``schemas/`` folder (editors and
``check-jsonschema`` point at it, and ``python -m slacode.load.schema`` rewrites it);
an installed slacode needs the same files inside its package. Copying them at build
time, rather than keeping a second copy in git, means the two can never drift: the
sdist carries ``schemas/`` (see ``MANIFEST.in``) and every wheel, including one built
from the sdist, gets its copy here. An editable install reads ``schemas/`` directly
(:func:`slacode.load.schema.schema_dir`). Everything else is in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "schemas"


class BuildWithSchema(build_py):
    """``build_py`` plus the JSON files of ``schemas/`` as ``slacode/schemas/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads schemas/ where it is
            return
        files = sorted(SOURCE.rglob("*.json"))
        if not files:
            raise SystemExit(f"cannot build slacode: no schema files in {SOURCE}")
        for src in files:
            target = Path(self.build_lib) / "slacode" / "schemas" / src.relative_to(SOURCE)
            self.mkpath(str(target.parent))
            self.copy_file(str(src), str(target))


setup(cmdclass={"build_py": BuildWithSchema})
