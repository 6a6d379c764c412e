"""Exact zero directions of an MLP's loss Hessian, and the atom at 0 they predict.

Notation: widths n_0 (inputs), ..., n_L (= C classes); a batch of B inputs x_i;
x~_i = (x_i, 1); r_0 = rank of the B x (n_0 + 1) matrix with rows x~_i.
Two families of directions leave the batch loss unchanged for EVERY value of the
parameters, so they are null vectors of the Hessian H (and of its Gauss-Newton
part G) at any point, trained or not:

1. first layer: (W_1, b_1) -> (W_1, b_1) + D with D x~_i = 0 for all i in the batch.
   The first layer's pre-activations do not move; since x~_i does not depend on the
   parameters, every second derivative along D vanishes.  Dimension n_1 (n_0 + 1 - r_0)
   (digits: 3 pixels are 0 in every training image, so r_0 = 62 < 65 on the full
   data; a batch of B < 62 images gives r_0 <= B).
2. softmax shift: (W_L, b_L) -> (W_L, b_L) + 1 (v, s) for v in R^{n_{L-1}}, s in R:
   every logit of a sample moves by the same amount, and the softmax is invariant.
   Dimension n_{L-1} + 1.
For L >= 2 the two live in different layers, so ``structural = n_1 (n_0 + 1 - r_0)
+ n_{L-1} + 1``.  For L = 1 (logistic regression) they share the directions 1 v^T
with v x~_i = 0, and ``structural = C (n_0 + 1 - r_0) + r_0``.

Gauss-Newton (a Wishart-like product J^T A J): G = (1/B) sum_i J_i^T A_i J_i with
A_i = diag p_i - p_i p_i^T of rank C - 1 (its null vector is 1), so
rank G <= B (C - 1): as for a Wishart matrix X X^T / T of size P with T = B (C - 1)
columns, the atom of G at 0 is at least (1 - B (C - 1) / P)_+, and at least
structural / P; ``gauss_newton_atom_bound`` returns the larger.  The residual part
R = H - G is not low rank in general, so for H only the structural count is
predicted (the tests count it exactly).
"""

from __future__ import annotations

import numpy as np

from complexity.nn.mlp import MLP

__all__ = [
    "input_rank",
    "structural_zero_count",
    "zero_lower_bound",
    "gauss_newton_atom_bound",
    "zero_count",
    "DEFAULT_ZERO_TOL",
]

#: |lambda| <= DEFAULT_ZERO_TOL * max |lambda| counts as an exact zero (float64 Hessians: the
#: structural zeros sit near 1e-18 relative, a trained network has genuine eigenvalues down to ~1e-11)
DEFAULT_ZERO_TOL = 1e-13


def input_rank(X) -> int:
    """r_0: the rank of the batch's augmented inputs [X, 1]."""
    X = np.asarray(X, dtype=np.float64)
    return int(np.linalg.matrix_rank(np.column_stack([X, np.ones(len(X))])))


def structural_zero_count(spec, X) -> int:
    """The number of exact null directions of the batch Hessian (module docstring).

    For the convolutional network (:class:`complexity.nn.cnn.CNN`) the first-layer rule
    applies to the filters and the augmented image patches: channels (kernel^2 + 1 - r_p),
    r_p = rank [patches, 1]; the softmax shift adds channels m^2 + 1.
    """
    if not isinstance(spec, MLP):
        rp = input_rank(spec.patches(X))
        return spec.channels * (spec.kernel**2 + 1 - rp) + spec.n_features + 1
    n = spec.sizes
    r0 = input_rank(X)
    if len(n) == 2:
        return n[1] * (n[0] + 1 - r0) + r0
    return n[1] * (n[0] + 1 - r0) + n[-2] + 1


def zero_lower_bound(spec, X) -> int:
    """max(structural, P - min(B, n_{L-1} + 1)(C - 1) - 2 P_a): a lower bound on the zeros of H.

    The last layer is linear in its P_L weights, so its block of H is its Gauss-Newton block
    sum_i h~_i h~_i^T (x) A_i, of rank <= min(B, n_{L-1} + 1)(C - 1); the other P_a = P - P_L
    rows and columns add rank <= 2 P_a.  It binds when the last layer dominates P and the
    batch is small (the convolutional network at B = 40: 350 of 750).
    """
    C = spec.sizes[-1]
    P_last = C * (spec.sizes[-2] + 1)
    P_a = spec.n_params - P_last
    B = len(X)
    return max(structural_zero_count(spec, X), spec.n_params - min(B, spec.sizes[-2] + 1) * (C - 1) - 2 * P_a)


def gauss_newton_atom_bound(spec: MLP, X) -> float:
    """max((1 - B (C - 1) / P)_+, structural / P): a lower bound on the Gauss-Newton atom at 0."""
    P = spec.n_params
    B = len(X)
    C = spec.sizes[-1]
    return max(max(0.0, 1.0 - B * (C - 1) / P), structural_zero_count(spec, X) / P)


def zero_count(eigenvalues, tol: float = DEFAULT_ZERO_TOL) -> int:
    """How many eigenvalues satisfy |lambda| <= tol * max |lambda|."""
    e = np.asarray(eigenvalues, dtype=np.float64)
    if e.size == 0:
        return 0
    return int(np.sum(np.abs(e) <= tol * np.max(np.abs(e))))
