"""``igfnet init``: an editable copy of the bundled model, to change and load with --model."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("directory", metavar="DIR")
def init_command(directory: str) -> None:
    """Write an editable copy of the whole bundled model into DIR (a new or empty directory).

    Rules (*.rules), drugs.txt, contexts.txt, claims.csv, the notes and the
    genotype mappings: edit any of them, then point every command at the
    copy with --model DIR.

    \b
    Example:
      igfnet init my_model && igfnet attractors --model my_model --knockout IGF1R
    """
    from igfnet.formats import bundled_rules_path

    copied = copy_bundled_model(directory, bundled_rules_path())
    click.echo(f"wrote {len(copied)} files to {directory}: edit them, then use --model {directory}")


def copy_bundled_model(directory: str, source: object) -> list[str]:
    """Copy the files of ``source`` (the bundled model) into ``directory``; refuse to mix with existing files."""
    import shutil
    from pathlib import Path

    from igfnet.errors import IgfnetError

    source_path, target = Path(str(source)), Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise IgfnetError(f"{directory} exists and is not an empty directory: choose a new one")
    if not target.parent.is_dir():
        raise IgfnetError(f"cannot write {directory}: directory {target.parent} does not exist")
    files = [
        path
        for path in sorted(source_path.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc")
    ]
    try:
        for path in files:
            destination = target / path.relative_to(source_path)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    except OSError as error:
        raise IgfnetError(f"cannot write {directory}: {error.strerror or error}") from None
    return [str(path.relative_to(source_path)) for path in files]
