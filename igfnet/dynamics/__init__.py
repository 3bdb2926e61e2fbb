"""Fully asynchronous dynamics: percolation, reduction, reachability and attractors.

The symbolic machinery (binary decision diagrams, through CUDD) stays in
:mod:`igfnet.dynamics._symbolic`; the rest of igfnet talks to
:mod:`igfnet.dynamics.attractors`.
"""
