"""Training: Adam on minibatches of the training set (seeded, reproducible).

Adam (Kingma and Ba 2015, Algorithm 1), written out here so the extra needs no
optimiser library: with gradient g_t,
    m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = b2 v_{t-1} + (1 - b2) g_t^2,
    theta_t = theta_{t-1} - lr * (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps),
defaults b1 = 0.9, b2 = 0.999, eps = 1e-8.  Each epoch visits a fresh seeded
permutation of the training set in minibatches of ``batch_size`` (the last, incomplete
minibatch is dropped so that every step has the same shape).
"""

from __future__ import annotations

import dataclasses
import functools
import time

import numpy as np

from complexity._validate import check_int, check_real
from complexity.nn import data as _data
from complexity.nn._backend import jax_modules
from complexity.nn.mlp import MLP, init_params

__all__ = ["TrainedNet", "train_mlp", "train_cnn", "evaluate"]


@dataclasses.dataclass
class TrainedNet:
    spec: MLP
    theta: np.ndarray
    summary: dict


def _adam_epoch(spec: MLP, lr: float, b1=0.9, b2=0.999, eps=1e-8):
    return _adam_epoch_cached(spec, float(lr), b1, b2, eps)


@functools.lru_cache(maxsize=None)
def _adam_epoch_cached(spec, lr, b1, b2, eps):
    jax, jnp = jax_modules()
    grad = jax.grad(spec.loss_fn())

    def step(carry, batch):
        theta, m, v, t = carry
        Xb, yb = batch
        g = grad(theta, Xb, yb)
        t = t + 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mhat = m / (1 - b1**t)
        vhat = v / (1 - b2**t)
        theta = theta - lr * mhat / (jnp.sqrt(vhat) + eps)
        return (theta, m, v, t), None

    @jax.jit
    def epoch(theta, m, v, t, Xs, ys):
        (theta, m, v, t), _ = jax.lax.scan(step, (theta, m, v, t), (Xs, ys))
        return theta, m, v, t

    return epoch


def evaluate(spec: MLP, theta, X, y) -> dict:
    """Mean cross-entropy and accuracy of ``theta`` on ``(X, y)``."""
    jax, jnp = jax_modules()
    z = np.asarray(spec.logits_fn()(jnp.asarray(theta), jnp.asarray(X)))
    loss = float(spec.loss_fn()(jnp.asarray(theta), jnp.asarray(X), jnp.asarray(y)))
    return {"loss": loss, "accuracy": float(np.mean(np.argmax(z, axis=1) == y))}


def train_mlp(
    hidden, *, data: str = "digits", activation: str = "tanh", n_train: int | None = None, **kw
) -> TrainedNet:
    """Train an MLP with hidden widths ``hidden`` on ``data`` with Adam (options of :func:`fit`)."""
    hidden = tuple(check_int("hidden width", h, minimum=1) for h in hidden)
    ds = _data.load(data, n_train=n_train)
    spec = MLP.from_hidden(ds.n_inputs, hidden, ds.n_classes, activation)
    return fit(spec, ds, extra={"hidden": list(hidden)}, **kw)


def train_cnn(
    channels: int, kernel: int = 3, *, data: str = "digits", activation: str = "tanh", n_train: int | None = None, **kw
) -> TrainedNet:
    """Train the one-convolution network :class:`complexity.nn.cnn.CNN` with Adam."""
    from complexity.nn.cnn import CNN

    ds = _data.load(data, n_train=n_train)
    spec = CNN(channels, kernel, ds.n_classes, activation)
    return fit(spec, ds, **kw)


def fit(
    spec, ds, *, epochs: int = 100, seed: int = 0, lr: float = 3e-3, batch_size: int = 64, extra=None
) -> TrainedNet:
    """Adam on ``ds``'s training set from ``init_params(spec, seed)``; return weights and summary.

    ``seed`` fixes the initial weights and the minibatch order; the train/test split
    is the data set's ``split_seed``.
    """
    jax, jnp = jax_modules()
    epochs = check_int("epochs", epochs, minimum=0)
    seed = check_int("seed", seed, minimum=0)
    lr = check_real("lr", lr, lower=0.0, lower_open=True)
    n = len(ds.y_train)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=n)
    data = ds.name
    theta = jnp.asarray(init_params(spec, seed))
    m = jnp.zeros_like(theta)
    v = jnp.zeros_like(theta)
    t = jnp.asarray(0.0)
    rng = np.random.default_rng(seed + 1_000_003)
    epoch_fn = _adam_epoch(spec, lr)
    nb = n // batch_size
    X, y = ds.X_train, ds.y_train
    t0 = time.perf_counter()
    for _ in range(epochs):
        idx = rng.permutation(n)[: nb * batch_size].reshape(nb, batch_size)
        theta, m, v, t = epoch_fn(theta, m, v, t, jnp.asarray(X[idx]), jnp.asarray(y[idx]))
    theta = np.asarray(theta, dtype=np.float64)
    seconds = time.perf_counter() - t0
    tr = evaluate(spec, theta, X, y)
    te = evaluate(spec, theta, ds.X_test, ds.y_test)
    if not np.isfinite(tr["loss"]):
        raise ValueError(f"training diverged (loss {tr['loss']}); lower lr (got {lr})")
    summary = {
        **spec.to_dict(),
        **(extra or {}),
        "data": data,
        "n_train": n,
        "n_test": len(ds.y_test),
        "split_seed": ds.split_seed,
        "n_params": spec.n_params,
        "epochs": epochs,
        "seed": seed,
        "optimizer": {"name": "adam", "lr": lr, "b1": 0.9, "b2": 0.999, "eps": 1e-8, "batch_size": batch_size},
        "train_loss": tr["loss"],
        "train_accuracy": tr["accuracy"],
        "test_loss": te["loss"],
        "test_accuracy": te["accuracy"],
        "train_seconds": round(seconds, 3),
    }
    return TrainedNet(spec, theta, summary)
