"""A small convolutional network on 8x8 images over a flat parameter vector.

One convolution layer (``channels`` filters of ``kernel x kernel`` pixels, stride 1, no
padding, so m x m outputs with m = 8 - kernel + 1), the activation, then a dense layer to
the C logits.  Flat layout: conv weights W_c (``(channels, kernel, kernel)``, row-major),
conv biases b_c (``channels``), dense weights W_d (``(C, channels * m * m)``, row-major,
features ordered channel, row, column), dense biases b_d (C);
P = channels (kernel^2 + 1) + C (channels m^2 + 1).
Loss: the mean softmax cross-entropy (as for :class:`complexity.nn.mlp.MLP`).
Initialisation: W_c entries N(0, 1/kernel^2), W_d entries N(0, 1/(channels m^2)), zero
biases, from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from complexity._validate import check_int
from complexity.nn._backend import jax_modules

__all__ = ["CNN"]

IMAGE = 8


@dataclasses.dataclass(frozen=True)
class CNN:
    channels: int
    kernel: int = 3
    n_classes: int = 10
    activation: str = "tanh"

    def __post_init__(self):
        from complexity.nn.mlp import ACTIVATIONS

        object.__setattr__(self, "channels", check_int("channels", self.channels, minimum=1))
        object.__setattr__(self, "kernel", check_int("kernel", self.kernel, minimum=1, maximum=IMAGE))
        object.__setattr__(self, "n_classes", check_int("n_classes", self.n_classes, minimum=2))
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")

    @property
    def m(self) -> int:
        return IMAGE - self.kernel + 1

    @property
    def n_features(self) -> int:
        return self.channels * self.m * self.m

    @property
    def sizes(self) -> tuple:
        """Widths of the equivalent layered network (inputs, conv features, classes)."""
        return (IMAGE * IMAGE, self.n_features, self.n_classes)

    @property
    def n_params(self) -> int:
        return self.channels * (self.kernel**2 + 1) + self.n_classes * (self.n_features + 1)

    def to_dict(self) -> dict:
        return {
            "model": "cnn",
            "channels": self.channels,
            "kernel": self.kernel,
            "sizes": list(self.sizes),
            "activation": self.activation,
        }

    def init_params(self, seed: int) -> np.ndarray:
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        k2 = self.kernel**2
        return np.concatenate(
            [
                rng.standard_normal(self.channels * k2) / np.sqrt(k2),
                np.zeros(self.channels),
                rng.standard_normal(self.n_classes * self.n_features) / np.sqrt(self.n_features),
                np.zeros(self.n_classes),
            ]
        )

    def patches(self, X) -> np.ndarray:
        """All kernel x kernel patches of the images in ``X`` (rows), shape (n m^2, kernel^2)."""
        imgs = np.asarray(X, dtype=np.float64).reshape(-1, IMAGE, IMAGE)
        k, m = self.kernel, self.m
        out = [imgs[:, r : r + k, c : c + k].reshape(len(imgs), k * k) for r in range(m) for c in range(m)]
        return np.concatenate(out, axis=0)

    def logits_fn(self):
        return _logits_fn(self)

    def loss_fn(self):
        return _loss_fn(self)


@functools.lru_cache(maxsize=None)
def _logits_fn(spec: CNN):
    jax, jnp = jax_modules()
    act = jnp.tanh if spec.activation == "tanh" else (lambda a: jnp.maximum(a, 0.0))
    c, k, C, F = spec.channels, spec.kernel, spec.n_classes, spec.n_features
    o1 = c * k * k
    o2 = o1 + c
    o3 = o2 + C * F

    def logits(theta, X):
        x = X.reshape(-1, 1, IMAGE, IMAGE)
        W = theta[:o1].reshape(c, 1, k, k)
        a = jax.lax.conv_general_dilated(x, W, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW"))
        h = act(a + theta[o1:o2][None, :, None, None]).reshape(x.shape[0], F)
        return h @ theta[o2:o3].reshape(C, F).T + theta[o3:]

    return logits


@functools.lru_cache(maxsize=None)
def _loss_fn(spec: CNN):
    jax, jnp = jax_modules()
    logits = _logits_fn(spec)

    def loss(theta, X, y):
        logp = jax.nn.log_softmax(logits(theta, X), axis=-1)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=-1))

    return loss
