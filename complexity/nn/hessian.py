"""Hessians of the training loss of an MLP over its flat parameter vector.

* :func:`hessian_exact`: the full P x P Hessian H = d^2 L / d theta^2, column by
  column as Hessian-vector products (forward-over-reverse: the JVP of the
  gradient, ``jax.jvp(jax.grad(L))``), vectorised over blocks of unit vectors;
  symmetrised as (H + H^T) / 2 (the two triangles agree to rounding).  Limited to
  ``EXACT_MAX_PARAMS`` parameters (memory P^2 * 8 bytes, eigendecomposition O(P^3)).
* :func:`hvp_operator`: v -> H v as a numpy callable, for Lanczos and stochastic
  Lanczos quadrature on networks of 1e4-1e5 parameters (:mod:`complexity.nn.lanczos`).
* :func:`gauss_newton_exact`: the generalised Gauss-Newton (outer-product) part
  G = (1/n) sum_i J_i^T (diag p_i - p_i p_i^T) J_i, J_i = d z_i / d theta (C x P),
  p_i = softmax(z_i); H = G + R with R = (1/n) sum_i sum_c (p_ic - [y_i = c]) d^2 z_ic.

A "batch Hessian" is the Hessian of the loss averaged over a batch of the training
set (``complexity.nn.data.random_batch``); the full-data Hessian uses every
training image.
"""

from __future__ import annotations

import functools

import numpy as np

from complexity.nn._backend import jax_modules
from complexity.nn.mlp import MLP

__all__ = ["EXACT_MAX_PARAMS", "hessian_exact", "hvp_operator", "gauss_newton_exact", "check_exact_size"]

#: the largest network for the exact route (a 6000 x 6000 float64 Hessian is 288 MB)
EXACT_MAX_PARAMS = 6000

_BLOCK_BYTES = 2.0e8  # memory budget of one vectorised block of HVPs


def check_exact_size(n_params: int) -> None:
    if n_params > EXACT_MAX_PARAMS:
        raise ValueError(
            f"the network has {n_params} parameters; the exact Hessian is limited to "
            f"{EXACT_MAX_PARAMS} (a P x P matrix and an O(P^3) eigendecomposition): use --method lanczos"
        )


@functools.lru_cache(maxsize=None)
def _hvp_fns(spec: MLP):
    jax, jnp = jax_modules()
    grad = jax.grad(spec.loss_fn())

    def hvp(theta, X, y, v):
        return jax.jvp(lambda t: grad(t, X, y), (theta,), (v,))[1]

    block = jax.jit(jax.vmap(hvp, in_axes=(None, None, None, 0)))
    return jax.jit(hvp), block


def hessian_exact(spec: MLP, theta, X, y) -> np.ndarray:
    """The exact Hessian of the mean cross-entropy on ``(X, y)`` at ``theta`` (P x P, float64)."""
    jax, jnp = jax_modules()
    P = spec.n_params
    check_exact_size(P)
    _, block = _hvp_fns(spec)
    per_tangent = 8.0 * len(y) * sum(spec.sizes) * 4 + 16.0 * P
    k = int(max(1, min(P, _BLOCK_BYTES // per_tangent)))
    th, Xj, yj = jnp.asarray(theta, dtype=jnp.float64), jnp.asarray(X), jnp.asarray(y)
    H = np.empty((P, P))
    eye = np.eye(k)
    for start in range(0, P, k):
        stop = min(P, start + k)
        V = np.zeros((k, P))
        V[: stop - start, start:stop] = eye[: stop - start, : stop - start]
        H[start:stop] = np.asarray(block(th, Xj, yj, jnp.asarray(V)))[: stop - start]
    return 0.5 * (H + H.T)


def hvp_operator(spec: MLP, theta, X, y):
    """``matvec(v) = H v`` (numpy in, numpy out) for the loss on ``(X, y)`` at ``theta``."""
    jax, jnp = jax_modules()
    hvp, _ = _hvp_fns(spec)
    th, Xj, yj = jnp.asarray(theta, dtype=jnp.float64), jnp.asarray(X), jnp.asarray(y)

    def matvec(v):
        return np.asarray(hvp(th, Xj, yj, jnp.asarray(v, dtype=jnp.float64)))

    return matvec


def gauss_newton_exact(spec: MLP, theta, X, y, chunk: int = 64) -> np.ndarray:
    """The Gauss-Newton matrix G = (1/n) sum_i J_i^T (diag p_i - p_i p_i^T) J_i (P x P)."""
    jax, jnp = jax_modules()
    check_exact_size(spec.n_params)
    logits = spec.logits_fn()
    jac = jax.jit(jax.jacfwd(logits))
    th = jnp.asarray(theta, dtype=jnp.float64)
    G = np.zeros((spec.n_params,) * 2)
    n = len(y)
    for s in range(0, n, chunk):
        Xb = jnp.asarray(X[s : s + chunk])
        J = np.asarray(jac(th, Xb))  # (b, C, P)
        z = np.asarray(logits(th, Xb))
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        # J^T A J with A = diag p - p p^T:  sum_c p_c J_c J_c^T - (J^T p)(J^T p)^T
        Jp = np.einsum("bcp,bc->bp", J, p)
        G += np.einsum("bcp,bc,bcq->pq", J, p, J, optimize=True) - Jp.T @ Jp
    return G / n
