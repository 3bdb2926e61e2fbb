"""The attractor listing limit holds across independent parts of a network, and the user can raise it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from igfnet.cli import main
from igfnet.dynamics.attractors import attractors_of_model
from igfnet.errors import TooLargeError
from igfnet.formats.bnet import parse_bnet
from igfnet.model import BooleanNetwork


def toggles(count: int) -> BooleanNetwork:
    """``count`` independent toggle switches: 2^count attractors, each switch's two fixed points combined."""
    text = "targets, factors\n" + "".join(f"a{i}, !b{i}\nb{i}, !a{i}\n" for i in range(count))
    rules, _ = parse_bnet(text)
    return BooleanNetwork(rules)


@pytest.mark.parametrize("count", [6, 10])  # 12 core nodes go to the explicit search, 20 to the symbolic one
def test_the_limit_counts_the_product_of_independent_parts(count):
    model = toggles(count)
    with pytest.raises(TooLargeError, match=f"more than {2**count - 1}"):
        attractors_of_model(model, model.perturbation(), limit=2**count - 1)
    listed = attractors_of_model(model, model.perturbation(), limit=2**count)
    assert len(listed) == 2**count and all(attractor.states == 1 for attractor in listed)


def test_twenty_toggles_are_refused_in_one_line(tmp_path):
    path = tmp_path / "toggles.bnet"
    path.write_text("targets, factors\n" + "".join(f"a{i}, !b{i}\nb{i}, !a{i}\n" for i in range(20)))
    result = CliRunner().invoke(main, ["attractors", "--model", str(path), "--format", "csv"])
    assert result.exit_code == 2 and "more than 200000 attractors" in result.output and "--limit" in result.output
    assert len(result.output.strip().splitlines()) == 1
    raised = CliRunner().invoke(main, ["attractors", "--model", str(path), "--limit", "0"])
    assert raised.exit_code == 2 and "--limit" in raised.output
