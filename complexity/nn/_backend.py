"""Lazy access to the optional autodiff back end (JAX on CPU, double precision).

The core workbench never imports JAX.  Every function of :mod:`complexity.nn` that
needs it calls :func:`jax_modules`, which imports JAX on first use, switches it to
64-bit floats (``jax_enable_x64``: the Hessians are compared with finite differences
and Lanczos at 1e-6 relative, which single precision cannot reach) and pins it to
the CPU.  Without the ``nn`` extra it raises :class:`NNExtraMissing`, whose message
says how to install it.
"""

from __future__ import annotations

import os

__all__ = ["NNExtraMissing", "jax_modules", "INSTALL_HINT"]

INSTALL_HINT = 'the network-Hessian tools need the optional "nn" extra: pip install ".[nn]" (JAX and scikit-learn)'


class NNExtraMissing(ImportError):
    """The optional ``nn`` extra (JAX, scikit-learn) is not installed."""


_CACHE: dict = {}


def jax_modules():
    """Return ``(jax, jax.numpy)`` configured for float64 on the CPU."""
    if "jax" not in _CACHE:
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        try:
            import jax
            import jax.numpy as jnp
        except ImportError as exc:  # pragma: no cover - exercised by monkeypatching in tests
            raise NNExtraMissing(f"{INSTALL_HINT} ({exc})") from None
        jax.config.update("jax_enable_x64", True)
        _CACHE["jax"] = (jax, jnp)
    return _CACHE["jax"]


def sklearn_digits():
    """``sklearn.datasets.load_digits`` (ships with scikit-learn; no download)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover
        raise NNExtraMissing(f"{INSTALL_HINT} ({exc})") from None
    return load_digits()
