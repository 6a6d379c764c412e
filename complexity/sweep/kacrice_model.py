"""The general Kac-Rice model (pure p-spin, Hessian spectrum of any ensemble) as a sweepable
model (complexity.models.kacrice; energies per spin, ABC units).

Parameters: ``p``, ``ensemble`` (the ``--ensemble`` names of complexity.commands._ensemble),
the ensemble's parameters (``c``, ``c2`` for a second Wishart ratio, ``variance``, ``s``,
``levels``, ``weights`` as quoted ``;``-separated numbers, e.g. ``'"-1;1"'``; ``eigenvalues``: a
file, for the empirical measure), ``zero_mass`` (an atom at 0 of that mass), ``k_max`` and ``u``.
Per point: ``E_inf``, ``E_0``, ``band = E_0 - E_inf``, ``extra_roots`` (how many other roots
``S_mu(-E) = 0`` has in (0, E_0)), ``E_1 .. E_k_max`` (ensembles with a smallest-eigenvalue
rate) and, when ``u`` is given, ``theta`` (= Theta_mu(u)).  A point without minima at
exponential scale (``Theta_0 <= 0``) is recorded with its error.
"""

from __future__ import annotations

import types
import warnings

from complexity.commands._ensemble import ENSEMBLES, measure_from_args
from complexity.sweep._registry import Parameter, choice, integer, optional_real, register_sweep_model


def _word(name):
    def check(v):
        if not isinstance(v, str):
            raise ValueError(f"{name} must be a (quoted) word, got {v!r}")
        return v
    return check


def kacrice_outputs(p, ensemble, c=None, c2=None, variance=None, s=None, levels="", weights="", eigenvalues="",
                    zero_mass=None, k_max=0, u=None):
    names = ["E_inf", "E_0", "band", "extra_roots"] + [f"E_{k}" for k in range(1, k_max + 1)]
    return names + (["theta"] if u is not None else [])


def _measure(ensemble, c, c2, variance, s, levels, weights, eigenvalues, zero_mass):
    cs = None if c is None else (repr(float(c)) if c2 is None else f"{float(c)!r},{float(c2)!r}")
    args = types.SimpleNamespace(ensemble=ensemble, c=cs, variance=variance, s=s,
                                 levels=levels.replace(";", ",") if levels else None,
                                 weights=weights.replace(";", ",") if weights else None, eigenvalues=eigenvalues or None, zero_mass=zero_mass,
                                 scale="wigner")
    return measure_from_args(args)


def kacrice_point(p, ensemble, c=None, c2=None, variance=None, s=None, levels="", weights="", eigenvalues="",
                  zero_mass=None, k_max=0, u=None):
    """One point: thresholds (and Theta_mu at u) for the pure p-spin with the ensemble's spectrum."""
    from complexity.models.kacrice import KacRice

    m = KacRice(_measure(ensemble, c, c2, variance, s, levels, weights, eigenvalues, zero_mass), p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        th = m.thresholds(warn=False)
    out = {"E_inf": th.e_inf, "E_0": th.e_0, "band": th.band, "extra_roots": float(len(th.extra_roots))}
    for k in range(1, k_max + 1):
        out[f"E_{k}"] = m.threshold(k)
    if u is not None:
        out["theta"] = m.theta(u)
    return out


register_sweep_model(
    "kacrice",
    kacrice_point,
    {
        "p": integer("p", minimum=2, help="interaction order p >= 2"),
        "ensemble": choice("ensemble", ENSEMBLES, help="Hessian spectrum: " + ", ".join(ENSEMBLES)),
        "c": optional_real("c", lower=0.0, help="ratio / mean degree c > 0 (marchenko-pastur, wigner-wishart, "
                                                "percolated; first ratio of wishart-product)"),
        "c2": optional_real("c2", lower=0.0, help="second ratio of wishart-product (none: a single factor)"),
        "variance": optional_real("variance", lower=0.0, help="semicircle variance (shape-free: standardised away)"),
        "s": optional_real("s", lower=0.0, help="deformed: noise scale s > 0"),
        "levels": Parameter(_word("levels"), "", "deformed: levels A1;A2;... (quoted, ';'-separated)"),
        "weights": Parameter(_word("weights"), "", "deformed: weights W1;W2;... (quoted, ';'-separated)"),
        "eigenvalues": Parameter(_word("eigenvalues"), "", "empirical: a .npy or text file (quoted path)"),
        "zero_mass": optional_real("zero_mass", lower=0.0, upper=1.0, help="atom at 0 of mass D in [0, 1)"),
        "k_max": integer("k_max", minimum=0, maximum=50, default=0, help="thresholds E_1..E_kmax (needs a rate)"),
        "u": optional_real("u", help="energy per spin at which Theta_mu is evaluated; none: no theta column"),
    },
    kacrice_outputs,
    version="1",
    convention="abc",
    description="pure p-spin with the Hessian spectrum of an ensemble (standardised to mean 0, variance 1/2): "
                "E_inf, E_0, band, E_1..E_kmax, Theta at u",
)
