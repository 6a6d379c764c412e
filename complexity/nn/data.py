"""Data sets that ship with a package (offline): scikit-learn's handwritten digits.

``digits``: 1,797 images of 8x8 pixels with 16 grey levels, 10 classes
(``sklearn.datasets.load_digits``, the UCI optical-recognition test set).
Convention: each pixel is divided by 16, so inputs lie in [0, 1] and a pixel that
is 0 in every image stays exactly 0 (no centring: the exact zero directions of the
Hessian that such pixels create are counted in :mod:`complexity.nn.rank`).
The train/test split is a seeded permutation (``split_seed``, default 0, so the
training loss of a cached network is a reproducible function of its folder).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from complexity._validate import check_int, check_real
from complexity.nn._backend import sklearn_digits

__all__ = ["Dataset", "load", "random_batch", "DATASETS"]

DATASETS = ("digits",)


@dataclasses.dataclass(frozen=True)
class Dataset:
    name: str
    X_train: np.ndarray  # (n_train, d) float64
    y_train: np.ndarray  # (n_train,) int labels 0..C-1
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    split_seed: int

    @property
    def n_inputs(self) -> int:
        return self.X_train.shape[1]


def load(
    name: str = "digits", *, split_seed: int = 0, test_fraction: float = 0.2, n_train: int | None = None
) -> Dataset:
    """The named data set, pixels in [0, 1], split by a seeded permutation.

    ``n_train`` keeps only the first ``n_train`` training images (after the
    permutation); ``None`` keeps all (1,438 for digits at ``test_fraction=0.2``).
    """
    if name not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {name!r}")
    split_seed = check_int("split_seed", split_seed, minimum=0)
    test_fraction = check_real("test_fraction", test_fraction, lower=0.0, upper=1.0, upper_open=True)
    d = sklearn_digits()
    X = np.asarray(d.data, dtype=np.float64) / 16.0
    y = np.asarray(d.target, dtype=np.int64)
    perm = np.random.default_rng(split_seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = perm[:n_test], perm[n_test:]
    if n_train is not None:
        n_train = check_int("n_train", n_train, minimum=1, maximum=len(train))
        train = train[:n_train]
    return Dataset(name, X[train], y[train], X[test], y[test], 10, split_seed)


def random_batch(X, y, batch_size: int | None, seed: int = 0):
    """A seeded random batch of ``batch_size`` distinct samples (``None``: all data, in order)."""
    n = len(y)
    if batch_size is None:
        return X, y
    b = check_int("batch size", batch_size, minimum=1, maximum=n)
    idx = np.sort(np.random.default_rng(check_int("seed", seed, minimum=0)).choice(n, size=b, replace=False))
    return X[idx], y[idx]
