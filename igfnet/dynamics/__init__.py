"""Fully asynchronous dynamics: percolation, reduction, reachability and attractors.

The symbolic machinery (binary decision diagrams, through CUDD) stays in
:mod:`igfnet.dynamics._symbolic`; the rest of igfnet talks to
:mod:`igfnet.dynamics.attractors` (every attractor of a network) and
:mod:`igfnet.dynamics.reachability` (the attractors a treated cell reaches
from its untreated ones), which take update functions and settings and
give :class:`~igfnet.types.Attractor` values back.
"""
