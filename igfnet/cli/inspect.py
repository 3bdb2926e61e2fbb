"""``igfnet list`` and ``igfnet show``: what the model defines, with its evidence."""

from __future__ import annotations

import textwrap

import click

from igfnet.cli.options import load, model_option


@click.command("list")
@model_option
@click.argument("what", type=click.Choice(["nodes", "drugs", "contexts"]))
@click.option("--brief", is_flag=True, help="Drugs and contexts: one line each (name, what it fixes), no evidence.")
def list_command(model_path: str | None, what: str, brief: bool) -> None:
    """List the model's nodes, drugs or contexts, with what each does and its evidence."""
    model = load(model_path)
    if what == "nodes":
        width = max(len(node) for node in model.nodes)
        for node, rule in model.rules.items():
            kind = rule.annotation("kind", "-")
            if rule.is_input:
                text = "input" + ("" if rule.default is None else f", default {rule.default}")
            else:
                text = rule.text
            click.echo(f"{node:<{width}}  {kind:<20} {text}")
        return
    table = model.drugs if what == "drugs" else model.contexts
    if not table:
        click.echo(f"model {model.name!r} defines no {what}")
        return
    if brief:
        width = max(len(name) for name in table)
        for name, item in table.items():
            click.echo(f"{name:<{width}}  {item.describe()}")
        return
    for name, item in table.items():
        label = item.annotation("class") or item.annotation("name")
        click.echo(f"{name}: {label}")
        click.echo(f"    {item.describe()}")
        for evidence in item.annotations.get("evidence", ()):
            click.echo(textwrap.fill(evidence, 78, initial_indent="    evidence: ", subsequent_indent="      "))


@click.command("show")
@model_option
@click.argument("node")
def show_command(model_path: str | None, node: str) -> None:
    """A node's rule, regulators (with signs), targets and evidence."""
    model = load(model_path)
    model.check_nodes([node])
    rule = model.rules[node]
    graph = model.graph
    click.echo(f"{node}" + (f" — {rule.annotation('name')}" if rule.annotation("name") else ""))
    click.echo(f"  kind:       {rule.annotation('kind', '-')}")
    if rule.is_input:
        click.echo("  rule:       input" + ("" if rule.default is None else f" (default {rule.default})"))
    else:
        click.echo(f"  rule:       {node} = {rule.text}")
    regulators = [f"{source} ({graph.edges[source, node]['sign']})" for source in graph.predecessors(node)]
    targets = [f"{target} ({graph.edges[node, target]['sign']})" for target in graph.successors(node)]
    click.echo(
        textwrap.fill(", ".join(regulators) or "-", 78, initial_indent="  regulators: ", subsequent_indent=" " * 14)
    )
    click.echo(
        textwrap.fill(", ".join(targets) or "-", 78, initial_indent="  targets:    ", subsequent_indent=" " * 14)
    )
    click.echo(f"  defined at: {rule.source}")
    for evidence in rule.evidence:
        click.echo(textwrap.fill(evidence, 78, initial_indent="  evidence:   ", subsequent_indent=" " * 14))
    for key, values in rule.annotations.items():
        if key not in ("name", "kind", "evidence"):
            for value in values:
                click.echo(textwrap.fill(value, 78, initial_indent=f"  {key + ':':<12}", subsequent_indent=" " * 14))
