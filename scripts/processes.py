"""How the benchmarks start igfnet: as a user's installed command starts, on the interpreter running them."""

from __future__ import annotations

import sys

CONSOLE_SCRIPT = "import sys\nfrom igfnet.cli import main\nsys.exit(main())"
"""What the console script pip writes for igfnet (setup.cfg's entry point) runs."""


def igfnet_command(*arguments: str) -> list[str]:
    """The command line of one igfnet process, e.g. ``igfnet_command("attractors", "--knockout", "IGF1R")``."""
    return [sys.executable, "-c", CONSOLE_SCRIPT, *arguments]


def byte_compile_igfnet() -> None:
    """Compile igfnet's modules once, as ``pip install`` does.

    Run from a checkout on a machine that sets PYTHONDONTWRITEBYTECODE (this
    one does), every igfnet process would otherwise compile its modules again,
    a cost no installed igfnet pays; the peer tools come compiled from their wheels.
    """
    import compileall
    from pathlib import Path

    import igfnet

    compileall.compile_dir(Path(igfnet.__file__).parent, quiet=1)
