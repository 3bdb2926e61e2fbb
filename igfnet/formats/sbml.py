"""SBML-qual (SBML Level 3 Version 1 with the ``qual`` package, version 1), read and written with python-libsbml.

The layout follows what bioLQM (and through it GINsim, MaBoSS and the
CoLoMoTo notebook) writes and reads:

- one compartment (``units="dimensionless"``), one ``qualitativeSpecies`` per node, ``maxLevel="1"``;
- an **input** is a species with ``constant="true"`` and no transition; its
  ``initialLevel`` is its value in the model's default context (a free
  input has none). bioLQM reads a constant species as an input that keeps
  its value; a non-constant species without a transition would be read by
  bioLQM as the constant 0, so inputs are never written that way;
- every other node has one transition: ``qual:input`` elements (``sign``
  from the regulatory graph, ``thresholdLevel="1"``), one output
  (``assignmentLevel``), a ``defaultTerm`` of level 0 and one
  ``functionTerm`` of level 1 whose MathML is the rule, with leaves
  ``X == 1`` (``X == 0`` for a negated one). A constant node (a knockout,
  say) has only a ``defaultTerm`` of its value.

igfnet's annotations of a rule (``kind``, ``module``, ``evidence``, ...)
travel in the species' ``notes``, as XHTML paragraphs ``key: value`` in a
``<div class="igfnet-annotations">``, readable in GINsim's notes panel;
the species' ``name`` attribute is the node's name (tools such as aeon
name variables after it), and a description (``name:`` in a rules file)
is a ``name: ...`` paragraph of the notes. A node name that is not a
valid SBML identifier (igfnet allows a leading digit) is written with an
``s_`` prefix, the prefix bioLQM strips on import, and the original name is
kept in an ``<igfnet:node name="...">`` annotation that this reader maps back.

libsbml is imported lazily: only reading or writing SBML needs it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, cast
from xml.etree import ElementTree

from igfnet.errors import IgfnetError, RuleSyntaxError, excerpt
from igfnet.logic import (
    MAX_DEPTH,
    Expr,
    conjunction,
    depth,
    disjunction,
    exclusive_or,
    negate,
    substitute,
    to_text,
    variables,
)
from igfnet.rules import RESERVED_WORDS, Rule, is_valid_name

if TYPE_CHECKING:
    from igfnet.model import BooleanNetwork

NAMESPACE = "urn:igfnet:sbml-qual:1"
_XHTML = "http://www.w3.org/1999/xhtml"
_SID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SIGNS = {"activation": "positive", "inhibition": "negative", "dual": "dual"}

MAX_XML_DEPTH = MAX_DEPTH + 100
"""How deep elements may nest in an SBML file: an expression's levels plus the document's own
(about 10). libsbml recurses once per level (and crashes the process some 6,000 levels down),
so a deeper file is refused before libsbml sees it."""

MAX_TERMS = 100_000
"""How many names and constants one rule may have, written out as a tree."""

# libsbml ships no type hints: to the type checker its module and objects are Any, named here for the reader.
_LibSBML: TypeAlias = Any
_SBase: TypeAlias = Any


def _libsbml() -> _LibSBML:
    try:
        import libsbml
    except ImportError:  # declared in install_requires; a broken environment still gets a clear message
        raise IgfnetError("SBML needs python-libsbml: pip install python-libsbml") from None
    return libsbml


# -- writing -------------------------------------------------------------------


def write_sbml(network: BooleanNetwork) -> str:
    """The network as SBML-qual text (see the module docstring for the layout).

    Examples
    --------
    >>> from igfnet.model import BooleanNetwork
    >>> from igfnet.rules import parse_rules
    >>> toggle = BooleanNetwork(parse_rules("S = input 1\\nA = S and not B\\nB = not A\\n"), name="toggle")
    >>> text = write_sbml(toggle)
    >>> [(rule.target, to_text(rule.expression), rule.default) for rule in parse_sbml(text)[0]]
    [('S', 'S', 1), ('A', 'S and not B', None), ('B', 'not A', None)]
    """
    libsbml = _libsbml()
    document = libsbml.SBMLDocument(libsbml.SBMLNamespaces(3, 1, "qual", 1))
    document.setPackageRequired("qual", True)
    model = document.createModel()
    model.setId(_unique_sid(network.name, set()))
    model.setName(network.name)
    ids = {node: _species_id(node) for node in network.nodes}
    taken = set(ids.values())
    if len(taken) < len(ids):
        clashes = sorted(node for node in ids if list(ids.values()).count(ids[node]) > 1)
        raise IgfnetError(f"nodes {', '.join(clashes)} map to the same SBML identifier")
    taken.add(model.getId())
    compartment = model.createCompartment()
    compartment.setId(_unique_sid("cell", taken))
    compartment.setConstant(True)
    # A logical model's compartment has no size; declaring it dimensionless leaves libsbml's
    # unit checks (two warnings otherwise) nothing to complain about.
    compartment.setUnits("dimensionless")
    qual = model.getPlugin("qual")
    signs = _signs(network)
    for node, rule in network.rules.items():
        species = qual.createQualitativeSpecies()
        species.setId(ids[node])
        species.setCompartment(compartment.getId())
        species.setMaxLevel(1)
        species.setConstant(rule.is_input)
        if rule.is_input and rule.default is not None:
            species.setInitialLevel(rule.default)
        # The short name: tools (aeon, GINsim) name variables after it. A description goes to the notes.
        species.setName(node)
        _write_notes(species, rule)
        if ids[node] != node:
            _check(
                species.appendAnnotation(
                    f'<annotation><igfnet:node xmlns:igfnet="{NAMESPACE}" name="{node}"/></annotation>'
                ),
                "annotation",
                node,
            )
    for node, rule in network.rules.items():
        if rule.is_input:
            continue
        transition = qual.createTransition()
        transition.setId(_unique_sid(f"tr_{ids[node]}", taken))
        expression = rule.expression
        # A name whose value never matters (B in "A or (A and B)") is no regulation: substituting
        # a constant for it leaves the function as it is, and every listed input gets a real sign
        # (biodivine-aeon refuses an input that has no effect).
        inert = {name: False for name in variables(expression) if (name, node) not in signs}
        if inert:
            expression = substitute(expression, inert)
        for regulator in sorted(variables(expression), key=network.nodes.index):
            element = transition.createInput()
            element.setId(_unique_sid(f"{transition.getId()}_in_{ids[regulator]}", taken))
            element.setQualitativeSpecies(ids[regulator])
            element.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
            element.setSign(_sign_constant(libsbml, signs[(regulator, node)]))
            element.setThresholdLevel(1)
        output = transition.createOutput()
        output.setId(_unique_sid(f"{transition.getId()}_out", taken))
        output.setQualitativeSpecies(ids[node])
        output.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        default = transition.createDefaultTerm()
        if isinstance(expression, bool):
            default.setResultLevel(int(expression))
            continue
        default.setResultLevel(0)
        term = transition.createFunctionTerm()
        term.setResultLevel(1)
        _check(term.setMath(_to_math(libsbml, expression, ids)), "math", node)
    return cast(str, libsbml.writeSBMLToString(document))


def _signs(network: BooleanNetwork) -> dict[tuple[str, str], str]:
    from igfnet.dynamics.signs import regulation_signs

    return regulation_signs(network.functions)


def _sign_constant(libsbml: _LibSBML, sign: str) -> int:
    return cast(
        int,
        {
            "positive": libsbml.INPUT_SIGN_POSITIVE,
            "negative": libsbml.INPUT_SIGN_NEGATIVE,
            "dual": libsbml.INPUT_SIGN_DUAL,
        }[_SIGNS[sign]],
    )


def _check(status: int, what: str, node: str) -> None:
    if status != 0:  # LIBSBML_OPERATION_SUCCESS
        raise IgfnetError(f"cannot write the SBML {what} of node {node!r} (libsbml status {status})")


def _species_id(node: str) -> str:
    return node if _SID.fullmatch(node) else f"s_{node}"


def _unique_sid(wanted: str, taken: set[str]) -> str:
    candidate = re.sub(r"[^A-Za-z0-9_]", "_", wanted) or "model"
    if not _SID.fullmatch(candidate):
        candidate = f"_{candidate}"
    base, counter = candidate, 1
    while candidate in taken:
        counter += 1
        candidate = f"{base}_{counter}"
    taken.add(candidate)
    return candidate


def _to_math(libsbml: _LibSBML, expression: Expr, ids: dict[str, str]) -> _SBase:
    """Our expression as a libsbml ASTNode: ``X == 1`` leaves, ``X == 0`` for a negated name."""
    if isinstance(expression, bool):
        return libsbml.ASTNode(libsbml.AST_CONSTANT_TRUE if expression else libsbml.AST_CONSTANT_FALSE)
    if isinstance(expression, str):
        return _level_test(libsbml, ids[expression], 1)
    operator = expression[0]
    if operator == "not":
        if isinstance(expression[1], str):
            return _level_test(libsbml, ids[expression[1]], 0)
        node = libsbml.ASTNode(libsbml.AST_LOGICAL_NOT)
        node.addChild(_to_math(libsbml, expression[1], ids))
        return node
    kinds = {"and": libsbml.AST_LOGICAL_AND, "or": libsbml.AST_LOGICAL_OR, "xor": libsbml.AST_LOGICAL_XOR}
    node = libsbml.ASTNode(kinds[operator])
    for argument in expression[1:]:
        node.addChild(_to_math(libsbml, argument, ids))
    return node


def _level_test(libsbml: _LibSBML, species: str, level: int) -> _SBase:
    node = libsbml.ASTNode(libsbml.AST_RELATIONAL_EQ)
    name = libsbml.ASTNode(libsbml.AST_NAME)
    name.setName(species)
    value = libsbml.ASTNode(libsbml.AST_INTEGER)
    value.setValue(level)
    node.addChild(name)
    node.addChild(value)
    return node


def _write_notes(species: _SBase, rule: Rule) -> None:
    lines = [(key, value) for key, values in rule.annotations.items() for value in values]
    if not lines:
        return
    body = ElementTree.Element("body", xmlns=_XHTML)
    division = ElementTree.SubElement(body, "div", {"class": "igfnet-annotations"})
    for key, value in lines:
        ElementTree.SubElement(division, "p").text = f"{key}: {value}"
    _check(species.setNotes(ElementTree.tostring(body, encoding="unicode")), "notes", rule.target)


# -- reading -------------------------------------------------------------------


def parse_sbml(text: str, source: str = "<sbml>") -> tuple[list[Rule], str | None]:
    """Parse SBML-qual text into rules; also return the model's name.

    Raises RuleSyntaxError (``file:line: message``) for XML or SBML errors,
    a document without the qual package, a multi-valued species, or MathML
    this reader does not understand.
    """
    _prescan(text, source)
    libsbml = _libsbml()
    document = libsbml.readSBMLFromString(text)
    model = document.getModel()
    qual = model.getPlugin("qual") if model is not None else None
    if model is not None and qual is None:
        raise RuleSyntaxError(
            "SBML without the qual package (no qualitative species): igfnet reads logical models in SBML-qual",
            source,
            model.getLine() or None,
        )
    errors = [
        document.getError(index)
        for index in range(document.getNumErrors())
        if document.getError(index).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
        # An XML declaration without encoding="UTF-8" is harmless; libsbml calls it an error.
        and document.getError(index).getErrorId() != libsbml.MissingXMLEncoding
    ]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        message = " ".join(first.getMessage().split())
        raise RuleSyntaxError(f"invalid SBML: {message}{more}", source, first.getLine() or None)
    if model is None:
        raise RuleSyntaxError("SBML document without a model", source)
    assert qual is not None  # a model without it was refused above
    if qual.getNumQualitativeSpecies() == 0:
        raise RuleSyntaxError("SBML-qual model without qualitative species", source, model.getLine() or None)
    reader = _Reader(libsbml, qual, source)
    return reader.rules(), model.getName() or model.getId() or None


class _Refused(Exception):
    """Raised from inside expat's callbacks to stop the pre-scan."""


def _prescan(text: str, source: str) -> None:
    """Refuse, before libsbml reads it, XML that would crash it or make it expand without bound.

    A streaming pass with expat (no tree is built): elements nested deeper than
    :data:`MAX_XML_DEPTH`, and any entity declaration in a DTD (the "billion
    laughs" document, which libsbml reports only as "Unrecognized error
    encountered internally"; SBML has no use for entities). Malformed XML is
    left to libsbml, whose message names the problem.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate(encoding="utf-8")  # the text is already decoded; ignore a declared encoding
    level = 0

    def start(name: str, attributes: object) -> None:
        nonlocal level
        level += 1
        if level > MAX_XML_DEPTH:
            raise _Refused(f"XML elements nested more than {MAX_XML_DEPTH} levels deep (at <{name}>)")

    def end(name: str) -> None:
        nonlocal level
        level -= 1

    def entity(name: str, *details: object) -> None:
        raise _Refused(
            f"the document declares the XML entity {name!r} in a DTD: igfnet does not expand entities "
            "(SBML needs none; nested entities can expand without bound, the 'billion laughs' attack)"
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    data = text.encode("utf-8", "surrogatepass")
    chunk = 1 << 20
    try:
        for offset in range(0, len(data), chunk):
            parser.Parse(data[offset : offset + chunk], False)
        parser.Parse(b"", True)
    except _Refused as refusal:
        raise RuleSyntaxError(str(refusal), source, parser.CurrentLineNumber or None) from None
    except expat.ExpatError:
        return


def _terms(expression: Expr) -> int:
    """The names and constants of an expression written out as a tree (shared parts counted each time)."""
    counts: dict[int, int] = {}
    pending: list[tuple[Expr, bool]] = [(expression, False)]
    while pending:
        item, children_done = pending.pop()
        if not isinstance(item, tuple):
            continue
        if id(item) in counts:
            continue
        if not children_done:
            pending.append((item, True))
            pending.extend((argument, False) for argument in item[1:])
            continue
        counts[id(item)] = sum(counts[id(a)] if isinstance(a, tuple) else 1 for a in item[1:])
    return counts[id(expression)] if isinstance(expression, tuple) else 1


class _Reader:
    def __init__(self, libsbml: _LibSBML, qual: _SBase, source: str):
        self.libsbml = libsbml
        self.qual = qual
        self.source = source
        self.names: dict[str, str] = {}  # species id -> node name
        self.species: dict[str, _SBase] = {}
        self.inputs: dict[str, _SBase] = {}  # the current transition's qual:input elements by id
        for index in range(qual.getNumQualitativeSpecies()):
            species = qual.getQualitativeSpecies(index)
            self.species[species.getId()] = species
            self.names[species.getId()] = self._node_name(species)
        used: dict[str, str] = {}
        for sid, name in self.names.items():
            if name in used:
                self.fail(f"species {used[name]!r} and {sid!r} are both node {name!r}", self.species[sid])
            used[name] = sid

    def fail(self, message: str, element: _SBase | None = None) -> NoReturn:
        line = element.getLine() if element is not None else 0
        raise RuleSyntaxError(message, self.source, line or None)

    def _node_name(self, species: _SBase) -> str:
        name: str = species.getId()
        annotation = species.getAnnotation()
        if annotation is not None:
            for index in range(annotation.getNumChildren()):
                child = annotation.getChild(index)
                if child.getURI() == NAMESPACE and child.getName() == "node":
                    name = child.getAttrValue("name") or name
        if not is_valid_name(name):
            self.fail(
                f"species id {name!r} is not a valid igfnet node name (letters, digits and '_'; "
                f"not a word of the rule language: {', '.join(sorted(RESERVED_WORDS))})",
                species,
            )
        return name

    def rules(self) -> list[Rule]:
        functions: dict[str, Expr] = {}
        transitions: dict[str, _SBase] = {}
        for index in range(self.qual.getNumTransitions()):
            transition = self.qual.getTransition(index)
            function = self.transition_function(transition)
            if depth(function) > MAX_DEPTH:
                self.fail(f"transition {transition.getId()!r} nests more than {MAX_DEPTH} levels deep", transition)
            if _terms(function) > MAX_TERMS:
                self.fail(f"transition {transition.getId()!r} has more than {MAX_TERMS:,} terms", transition)
            for output_index in range(transition.getNumOutputs()):
                output = transition.getOutput(output_index)
                sid = output.getQualitativeSpecies()
                if sid not in self.species:
                    self.fail(f"transition {transition.getId()!r} outputs unknown species {sid!r}", output)
                if output.getTransitionEffect() != self.libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL:
                    self.fail(f"transition {transition.getId()!r}: only assignmentLevel outputs are supported", output)
                if sid in transitions:
                    self.fail(
                        f"species {sid!r} is the output of two transitions "
                        f"({transitions[sid].getId()!r} and {transition.getId()!r})",
                        transition,
                    )
                if self.species[sid].getConstant():
                    self.fail(f"constant species {sid!r} is the output of transition {transition.getId()!r}", output)
                transitions[sid] = transition
                functions[sid] = function
        rules = []
        for sid, species in self.species.items():
            self.check_boolean(species)
            node = self.names[sid]
            where = f"{self.source}:{species.getLine()}"
            annotations = self.annotations(species)
            if sid in functions:
                expression = functions[sid]
                # The rule's text is for people: an xor stays one (expanding it is quadratic).
                text = to_text(expression, keep_xor=True)
                rules.append(Rule(node, expression, False, None, annotations, where, text))
            else:
                # No transition changes it: it keeps its value, i.e. an input (bioLQM: constant="true").
                default = species.getInitialLevel() if species.isSetInitialLevel() else None
                if default not in (None, 0, 1):
                    self.fail(
                        f"species {sid!r} has initialLevel {default}: multi-valued species are not supported", species
                    )
                text = "input" if default is None else f"input {default}"
                rules.append(Rule(node, node, True, default, annotations, where, text))
        return rules

    def check_boolean(self, species: _SBase) -> None:
        if species.isSetMaxLevel() and species.getMaxLevel() > 1:
            self.fail(
                f"species {species.getId()!r} has maxLevel {species.getMaxLevel()}: multi-valued models are not "
                "supported (igfnet reads Boolean models; booleanize it first, e.g. with bioLQM)",
                species,
            )

    def annotations(self, species: _SBase) -> Mapping[str, tuple[str, ...]]:
        from igfnet.types import FrozenMap

        annotations: dict[str, list[str]] = {}
        # A name other than the node's own is a description (other tools write one there); igfnet writes
        # the node's name there, and its description in the notes.
        if species.isSetName() and species.getName() not in (species.getId(), self.names.get(species.getId())):
            annotations["name"] = [species.getName()]
        if species.isSetNotes():
            for key, value in _read_notes(species.getNotesString()):
                annotations.setdefault(key, []).append(value)
        return FrozenMap({key: tuple(values) for key, values in annotations.items()})

    def transition_function(self, transition: _SBase) -> Expr:
        self.inputs = {}
        for index in range(transition.getNumInputs()):
            element = transition.getInput(index)
            sid = element.getQualitativeSpecies()
            if sid not in self.species:
                self.fail(f"transition {transition.getId()!r} reads unknown species {sid!r}", element)
            if element.isSetThresholdLevel() and element.getThresholdLevel() > 1:
                self.fail(
                    f"input {element.getId() or sid!r} of transition {transition.getId()!r} has thresholdLevel "
                    f"{element.getThresholdLevel()}: multi-valued models are not supported",
                    element,
                )
            if element.isSetId():
                self.inputs[element.getId()] = element
        default = None
        terms: dict[int, list[Expr]] = {0: [], 1: []}
        for index in range(transition.getNumFunctionTerms()):
            term = transition.getFunctionTerm(index)
            level = term.getResultLevel()
            if level not in (0, 1):
                self.fail(
                    f"transition {transition.getId()!r} has resultLevel {level}: multi-valued models are not supported",
                    term,
                )
            if not term.isSetMath():
                self.fail(f"transition {transition.getId()!r} has a functionTerm without math", term)
            terms[level].append(self.expression(term.getMath(), term))
        if transition.isSetDefaultTerm():
            default = transition.getDefaultTerm().getResultLevel()
            if default not in (0, 1):
                self.fail(
                    f"transition {transition.getId()!r} has default resultLevel {default}: "
                    "multi-valued models are not supported",
                    transition.getDefaultTerm(),
                )
        else:
            default = 0
        # Terms should exclude each other; the value is a level-1 term's if one holds, else a
        # level-0 term's, else the default: T1 or (default and not T0), exact even if they overlap.
        ones = disjunction(*terms[1])
        if default:
            return disjunction(ones, negate(disjunction(*terms[0])))
        return ones

    def expression(self, node: _SBase, term: _SBase) -> Expr:
        libsbml = self.libsbml
        kind = node.getType()
        children = [node.getChild(index) for index in range(node.getNumChildren())]
        if kind == libsbml.AST_CONSTANT_TRUE:
            return True
        if kind == libsbml.AST_CONSTANT_FALSE:
            return False
        if kind == libsbml.AST_NAME:
            species, threshold = self.reference(node.getName(), term)
            return self.compare("geq", species, threshold, term)
        if kind == libsbml.AST_LOGICAL_NOT:
            if len(children) != 1:
                self.fail("'not' with more than one argument in MathML", term)
            return negate(self.expression(children[0], term))
        relations = {
            libsbml.AST_RELATIONAL_EQ: "eq",
            libsbml.AST_RELATIONAL_NEQ: "neq",
            libsbml.AST_RELATIONAL_GEQ: "geq",
            libsbml.AST_RELATIONAL_GT: "gt",
            libsbml.AST_RELATIONAL_LEQ: "leq",
            libsbml.AST_RELATIONAL_LT: "lt",
        }
        if kind in relations:
            return self.relation(relations[kind], children, term)
        logical = (
            libsbml.AST_LOGICAL_AND,
            libsbml.AST_LOGICAL_OR,
            libsbml.AST_LOGICAL_XOR,
            libsbml.AST_LOGICAL_IMPLIES,
        )
        if kind not in logical:
            formula = libsbml.formulaToL3String(node)
            self.fail(
                f"unsupported MathML {excerpt(formula)!r} (igfnet reads and/or/not/xor/implies and comparisons)", term
            )
        arguments = [self.expression(child, term) for child in children]
        if kind == libsbml.AST_LOGICAL_XOR:
            return exclusive_or(*arguments)
        if kind == libsbml.AST_LOGICAL_IMPLIES:
            if len(arguments) != 2:
                self.fail("'implies' needs two arguments in MathML", term)
            return disjunction(negate(arguments[0]), arguments[1])
        return conjunction(*arguments) if kind == libsbml.AST_LOGICAL_AND else disjunction(*arguments)

    def reference(self, name: str, term: _SBase) -> tuple[str, int]:
        """A name in MathML: a species (threshold 1) or a transition input (its species and threshold)."""
        name = name.strip()
        if name in self.inputs:
            element = self.inputs[name]
            threshold = element.getThresholdLevel() if element.isSetThresholdLevel() else 1
            return element.getQualitativeSpecies(), threshold
        if name in self.species:
            return name, 1
        self.fail(f"MathML names {name!r}, which is neither a species nor an input of the transition", term)

    def relation(self, operator: str, children: list[_SBase], term: _SBase) -> Expr:
        libsbml = self.libsbml
        if len(children) != 2:
            self.fail(f"comparison '{operator}' needs two arguments in MathML", term)
        left, right = children
        if left.getType() != libsbml.AST_NAME and right.getType() == libsbml.AST_NAME:
            left, right = right, left
            operator = {"geq": "leq", "gt": "lt", "leq": "geq", "lt": "gt"}.get(operator, operator)
        if left.getType() != libsbml.AST_NAME:
            self.fail(f"unsupported comparison {excerpt(libsbml.formulaToL3String(left))!r} in MathML", term)
        species, _ = self.reference(left.getName(), term)
        if right.getType() == libsbml.AST_INTEGER:
            value = right.getValue()
        elif right.getType() == libsbml.AST_REAL and float(right.getValue()).is_integer():
            value = int(right.getValue())
        elif right.getType() == libsbml.AST_NAME and right.getName().strip() in self.inputs:
            _, value = self.reference(right.getName(), term)  # "X >= theta": the input's threshold
        else:
            self.fail(f"unsupported comparison with {excerpt(libsbml.formulaToL3String(right))!r} in MathML", term)
        return self.compare(operator, species, int(value), term)

    def compare(self, operator: str, species: str, value: int, term: _SBase) -> Expr:
        tests = {
            "eq": lambda level: level == value,
            "neq": lambda level: level != value,
            "geq": lambda level: level >= value,
            "gt": lambda level: level > value,
            "leq": lambda level: level <= value,
            "lt": lambda level: level < value,
        }
        satisfied = [level for level in (0, 1) if tests[operator](level)]
        name = self.names[species]
        if satisfied == [0, 1]:
            return True
        if satisfied == [1]:
            return name
        if satisfied == [0]:
            return ("not", name)
        return False


def _read_notes(notes: str) -> list[tuple[str, str]]:
    """igfnet's ``key: value`` paragraphs; any other notes become one ``note``."""
    try:
        root = ElementTree.fromstring(notes)
    except ElementTree.ParseError:  # HTML entities (&nbsp;) and the like: keep the text
        import html

        text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", notes)).split())
        return [("note", text)] if text else []
    pairs: list[tuple[str, str]] = []
    ours = [
        element
        for element in root.iter()
        if element.tag.endswith("div") and element.get("class") == "igfnet-annotations"
    ]
    if ours:
        for paragraph in ours[0]:
            text = "".join(paragraph.itertext())
            key, colon, value = text.partition(":")
            if colon:
                pairs.append((key.strip(), value.strip()))
        return pairs
    text = " ".join(" ".join(root.itertext()).split())
    return [("note", text)] if text else []
