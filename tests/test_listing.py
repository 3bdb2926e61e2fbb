"""The streamed listing (``attractor_listing``, what ``igfnet attractors --format json|csv`` writes).

The symbolic search lists attractors from its plan without building them all
as BDDs or objects; the listing must be the one the other engines give, in
the same order and with the same numbers, byte for byte.
"""

from __future__ import annotations

import io
import json
import logging

from hypothesis import given, settings
from reference import brute_force_attractors
from strategies import random_models

from igfnet.cli.attractors import _write_csv, _write_json
from igfnet.dynamics.attractors import AttractorSolver, attractor_listing, attractors_of_model
from igfnet.model import BooleanNetwork
from igfnet.rules import parse_rules


def written(listing, writer) -> str:
    """The listing as the CLI streams it: header, then one attractor at a time."""
    buffer = io.StringIO()
    writer(listing.header, buffer, iter(listing))
    return buffer.getvalue()


def whole(result, writer) -> str:
    buffer = io.StringIO()
    writer(result, buffer)
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(model=random_models(max_nodes=10))
def test_streamed_symbolic_listing_equals_the_explicit_engines_listing(model):
    # Free inputs make many contexts: the symbolic plan lists subspaces off its fixed values and
    # complex attractors as BDDs, mixed; the explicit engine describes every attractor its own way.
    perturbation = model.perturbation()
    streamed = attractor_listing(model, perturbation, free_inputs=True, engine="symbolic")
    explicit = attractors_of_model(model, perturbation, free_inputs=True, engine="explicit")
    assert written(streamed, _write_json) == whole(explicit, _write_json)
    assert written(streamed, _write_csv) == whole(explicit, _write_csv)
    functions = {node: node if rule.is_input else rule.expression for node, rule in model.rules.items()}
    assert sorted((str(a), a.states) for a in streamed) == brute_force_attractors(functions)


@settings(max_examples=100, deadline=None)
@given(model=random_models(max_nodes=10))
def test_listing_read_off_the_plan_equals_the_bdds_described_one_by_one(model):
    # The same search, its attractors built as BDDs over all nodes and counted by walking them.
    functions = {node: node if rule.is_input else rule.expression for node, rule in model.rules.items()}
    solver = AttractorSolver(model.nodes)
    described = sorted(
        (str(solver.describe(states)), solver.describe(states).states) for states in solver.attractors(functions)
    )
    listing = attractor_listing(model, model.perturbation(), free_inputs=True, engine="symbolic")
    assert sorted((str(a), a.states) for a in listing) == described
    assert len(listing) == len(described)


def test_an_output_constant_on_a_subspace_only_semantically_is_fixed():
    # O reads (A and B) or (A and not B): A alone decides it, though B stays in the formula after A is
    # substituted. On the subspaces of the free inputs, O must be fixed wherever A is.
    text = "A = input\nB = input\nC = input\nX = C and not X2\nX2 = X or C\nO = (A and B) or (A and not B) or (X and not X)\n"
    model = BooleanNetwork(parse_rules(text), name="tautology")
    listing = list(attractor_listing(model, model.perturbation(), free_inputs=True, engine="symbolic"))
    assert len(listing) == 8
    assert all(attractor["O"] == attractor["A"] for attractor in listing)


def test_an_output_whose_regulators_all_oscillate_is_listed_without_a_warning(caplog):
    # O's only regulator oscillates over the whole attractor: nothing fixed to substitute into O's function
    # (dd logged a warning to the user's terminal when asked to substitute nothing).
    model = BooleanNetwork(parse_rules("X = not X\nO = X\n"), name="oscillating output")
    with caplog.at_level(logging.WARNING):
        listing = list(attractor_listing(model, model.perturbation(), engine="symbolic"))
    assert [(dict(attractor.pattern), attractor.states) for attractor in listing] == [({"X": "*", "O": "*"}, 4)]
    assert not caplog.records


def test_many_contexts_share_one_plan_and_list_every_combination():
    # Ten free inputs, each driving its own output: 1024 contexts, but the core left after percolation
    # is the same toggle switch in all of them, so the search keeps a handful of parts, not 1024.
    inputs = "\n".join(f"I{i} = input\nO{i} = I{i} and T" for i in range(10))
    model = BooleanNetwork(parse_rules(inputs + "\nT = not U\nU = not T\n"), name="contexts")
    solver = AttractorSolver(model.nodes)
    listing = attractor_listing(model, model.perturbation(), free_inputs=True, solver=solver)
    assert len(listing) == 2 * 1024  # each context, times the toggle's two fixed points
    assert len(solver._core_cache) < 60
    document = json.loads(written(listing, _write_json))
    assert [record["attractor"] for record in document["attractors"]] == list(range(1, 2049))
    patterns = ["".join(record["pattern"].values()) for record in document["attractors"]]
    assert patterns == sorted(patterns, key=lambda pattern: pattern.replace("*", "2"))
    assert all(record["states"] == 1 for record in document["attractors"])


def test_nodes_option_streams_the_same_attractors_restricted_to_those_nodes(tmp_path):
    from click.testing import CliRunner

    from igfnet.cli import main

    path = tmp_path / "inputs.rules"
    path.write_text("A = input\nB = input\nX = A and not Y\nY = B or X\nO = X or Y\n")
    everything = json.loads(
        CliRunner().invoke(main, ["attractors", "-m", str(path), "--free-inputs", "-O", "-", "--format", "json"]).output
    )
    picked = CliRunner().invoke(
        main, ["attractors", "-m", str(path), "--free-inputs", "--nodes", "O,A", "--format", "json"]
    )
    assert picked.exit_code == 0
    document = json.loads(picked.output)
    assert document["nodes"] == ["O", "A"]
    expected = [
        {
            "attractor": a["attractor"],
            "states": a["states"],
            "pattern": {"O": a["pattern"]["O"], "A": a["pattern"]["A"]},
        }
        for a in everything["attractors"]
    ]
    assert document["attractors"] == expected and len(expected) >= 4
