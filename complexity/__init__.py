"""complexity: a workbench for the complexity of spin-glass landscapes.

Layers (data flows one way): ``symbolic`` (sympy derivations) -> ``_generated``
(code printed from the symbols) -> ``rmt`` (random matrices) -> ``models``
(p-spin, mixed, GAN) -> ``figures`` / ``cli``.
"""

__version__ = "0.1.0"
