"""Figures as a notebook meets them: the library neither switches matplotlib's backend nor hides the Figure."""

from __future__ import annotations

import pytest

from igfnet.formats.cytoscape import annotated_graph
from igfnet.model import BooleanNetwork
from igfnet.rules import parse_rules


def test_a_figure_is_returned_and_the_backend_left_as_the_caller_chose(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from igfnet.plot import network_figure

    before = matplotlib.get_backend()
    matplotlib.use("svg")  # what a notebook's inline backend stands for: anything but Agg
    try:
        model = BooleanNetwork(parse_rules("A = input 1\nB = A\n"))
        graph = annotated_graph(model, model.attractors())
        figure = network_figure(graph, tmp_path / "net.png")
        assert isinstance(figure, Figure)
        assert matplotlib.get_backend() == "svg"
        assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
    finally:
        matplotlib.use(before)


def test_the_cli_draws_with_the_file_only_backend(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from igfnet.cli import main

    monkeypatch.setenv("MPLBACKEND", "svg")
    result = CliRunner().invoke(main, ["draw", "--output", str(tmp_path / "model.png")])
    assert result.exit_code == 0, result.output
    import os

    assert os.environ["MPLBACKEND"] == "Agg"
