"""Multilayer perceptrons over a flat parameter vector, and their training loss.

Layout of the flat vector ``theta`` (the Hessian's coordinates): for each layer
l = 1..L in order, the weight matrix W_l (shape ``(n_l, n_{l-1})``, row-major)
then the bias b_l (``n_l``); ``P = sum_l (n_{l-1} + 1) n_l``.
Network: h_0 = x, h_l = sigma(W_l h_{l-1} + b_l) for l < L, logits z = W_L h_{L-1} + b_L.
Loss: the mean softmax cross-entropy  L(theta) = -(1/n) sum_i log softmax(z_i)_{y_i}
(no weight decay).  Initialisation: W_l entries N(0, 1/n_{l-1}) (LeCun normal),
b_l = 0, drawn from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from complexity._validate import check_int
from complexity.nn._backend import jax_modules

__all__ = ["MLP", "ACTIVATIONS", "init_params"]

ACTIVATIONS = ("tanh", "relu")


@dataclasses.dataclass(frozen=True)
class MLP:
    """Layer widths ``sizes = (n_0, n_1, ..., n_L)`` (inputs first, classes last)."""

    sizes: tuple
    activation: str = "tanh"

    def __post_init__(self):
        sizes = tuple(int(check_int(f"layer width {i}", s, minimum=1)) for i, s in enumerate(self.sizes))
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output width, got {self.sizes!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")
        object.__setattr__(self, "sizes", sizes)

    @classmethod
    def from_hidden(cls, n_inputs: int, hidden, n_classes: int, activation: str = "tanh") -> "MLP":
        return cls((n_inputs, *tuple(hidden), n_classes), activation)

    @property
    def hidden(self) -> tuple:
        return self.sizes[1:-1]

    @property
    def layer_shapes(self) -> list:
        return [(o, i) for i, o in zip(self.sizes[:-1], self.sizes[1:])]

    @property
    def n_params(self) -> int:
        return sum((i + 1) * o for o, i in self.layer_shapes)

    def offsets(self) -> list:
        """``[(w_start, b_start, end), ...]`` per layer in the flat vector."""
        out, k = [], 0
        for o, i in self.layer_shapes:
            out.append((k, k + o * i, k + o * i + o))
            k += o * i + o
        return out

    def to_dict(self) -> dict:
        return {"model": "mlp", "sizes": list(self.sizes), "activation": self.activation}

    # --- JAX functions (built once per architecture) -------------------------------
    def logits_fn(self):
        return _logits_fn(self)

    def loss_fn(self):
        """``f(theta, X, y)``: the mean cross-entropy (a JAX function)."""
        return _loss_fn(self)


def init_params(spec, seed: int) -> np.ndarray:
    """LeCun-normal weights, zero biases, as a flat float64 vector (an MLP, or any spec with ``init_params``)."""
    if not isinstance(spec, MLP):
        return spec.init_params(seed)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    parts = []
    for o, i in spec.layer_shapes:
        parts.append(rng.standard_normal((o, i)).ravel() / np.sqrt(i))
        parts.append(np.zeros(o))
    return np.concatenate(parts)


@functools.lru_cache(maxsize=None)
def _logits_fn(spec: MLP):
    jax, jnp = jax_modules()
    act = jnp.tanh if spec.activation == "tanh" else (lambda a: jnp.maximum(a, 0.0))
    shapes, offs = spec.layer_shapes, spec.offsets()

    def logits(theta, X):
        h = X
        for layer, ((o, i), (w0, b0, e)) in enumerate(zip(shapes, offs)):
            W = theta[w0:b0].reshape(o, i)
            h = h @ W.T + theta[b0:e]
            if layer < len(shapes) - 1:
                h = act(h)
        return h

    return logits


@functools.lru_cache(maxsize=None)
def _loss_fn(spec: MLP):
    jax, jnp = jax_modules()
    logits = _logits_fn(spec)

    def loss(theta, X, y):
        z = logits(theta, X)
        logp = jax.nn.log_softmax(z, axis=-1)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=-1))

    return loss
