"""A user's own model and a user's habits (issue 14): each defect found by trying igfnet as a new user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx
import pytest
from click.testing import CliRunner

from igfnet.cli import main
from igfnet.logic import evaluate
from igfnet.model import load_model

ROOT = Path(__file__).parent.parent
BBM140 = Path("/work/shared/models/bbm/bbm140-breast-cancer-drug-resistance.bnet")
WIDE_INPUTS = 18
"""Free inputs in the models below: 2^18 contexts, more than igfnet lists."""


def run(*arguments: object):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def run_process(*arguments: object) -> subprocess.CompletedProcess[str]:
    """The command in its own interpreter: what it prints at exit is seen too."""
    command = [sys.executable, "-m", "igfnet", *map(str, arguments)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def wide(tmp_path: Path) -> Path:
    """18 free inputs around a small core: a toggle switch that I0 can flip, and a gate of I1 and the toggle."""
    inputs = "".join(f"I{index}, I{index}\n" for index in range(WIDE_INPUTS))
    path = tmp_path / "wide.bnet"
    path.write_text("targets, factors\n" + inputs + "A, !B | I0\nB, !A & !I0\nC, A & I1\nD, C | D\n")
    return path


def reachable_attractors(functions: dict, start: dict[str, int]) -> list[tuple[str, int]]:
    """Brute force from one state: the asynchronous graph of the states it reaches, its terminal SCCs."""
    nodes = list(functions)
    graph = networkx.DiGraph()
    first = tuple(start[node] for node in nodes)
    pending, seen = [first], {first}
    while pending:
        values = pending.pop()
        graph.add_node(values)
        state = dict(zip(nodes, values))
        for index, node in enumerate(nodes):
            target = int(evaluate(functions[node], state))
            if target != values[index]:
                following = values[:index] + (target,) + values[index + 1 :]
                graph.add_edge(values, following)
                if following not in seen:
                    seen.add(following)
                    pending.append(following)
    found = []
    for component in networkx.attracting_components(graph):
        pattern = "".join(
            "*" if len({state[i] for state in component}) == 2 else str(next(iter(component))[i])
            for i in range(len(nodes))
        )
        found.append((pattern, len(component)))
    return sorted(found)


def listed(model, **options) -> list[tuple[str, int]]:
    result = model.attractors(**options)
    return sorted(("".join(a.pattern[node] for node in model.nodes), a.states) for a in result)


# -- Defects -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1])
def test_a_full_initial_state_lists_what_it_reaches_however_many_inputs_are_free(wide, value):
    model = load_model(wide)
    start = {node: value for node in model.nodes}
    assert listed(model, initial=start) == reachable_attractors(model.functions, start)
    knocked = {**start, "A": 0}
    assert listed(model, knockout=["A"], initial=start) == reachable_attractors(
        {**model.functions, "A": False}, knocked
    )


def test_inputs_set_in_the_initial_state_are_the_untreated_cells_context(wide):
    # Every input given, the core not: the untreated cell sits in that context's attractors.
    model = load_model(wide)
    inputs = {f"I{index}": 1 for index in range(WIDE_INPUTS)}
    found = listed(model, initial=inputs)
    with_context = listed(model, set=inputs)  # the attractors of the context, which the cell sits in already
    assert found == with_context and found


def test_a_full_initial_state_of_a_published_model_with_free_inputs():
    if not BBM140.exists():
        pytest.skip("the Biodivine models are not on this machine")
    model = load_model(BBM140)
    start = {node: index % 2 for index, node in enumerate(model.nodes)}
    result = run("attractors", "--model", BBM140, "--initial", ",".join(f"{n}={v}" for n, v in start.items()))
    assert result.exit_code == 0, result.output
    from igfnet.dynamics.attractors import attractors_of_functions

    expected = attractors_of_functions(model.functions, initial=start, engine="symbolic")
    assert f"{len(expected)} attractor" in result.output


def test_an_error_after_a_symbolic_search_is_one_line_and_nothing_else(wide):
    # The untreated cell, inputs not given: all 2^18 contexts, refused; BDDs were alive when it was raised.
    done = run_process("attractors", "--model", wide, "--initial", "A=1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: 18 free inputs"), done.stderr
