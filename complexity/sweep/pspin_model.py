"""The pure spherical p-spin as a sweepable model (energies per spin, ABC units).

Per point: ``E_inf``, the thresholds ``E_0 .. E_{k_max}`` (``Theta_{k,p}(-E_k) = 0``)
and, when ``u`` is given, ``theta`` (= Theta_p(u), all indices) and
``theta_0 .. theta_{k_max}`` (= Theta_{k,p}(u)), all from :mod:`complexity.models.pspin`.
"""

from __future__ import annotations

from complexity.sweep._registry import integer, optional_real, register_sweep_model


def pspin_outputs(p, k_max, u=None):
    names = ["E_inf"] + [f"E_{k}" for k in range(k_max + 1)]
    if u is not None:
        names += ["theta"] + [f"theta_{k}" for k in range(k_max + 1)]
    return names


def pspin_point(p, k_max, u=None):
    """One point of a p-spin sweep: thresholds and, at energy ``u``, the complexities."""
    from complexity.models import pspin

    out = {"E_inf": pspin.e_inf(p)}
    for k in range(k_max + 1):
        out[f"E_{k}"] = pspin.threshold(p, k)
    if u is not None:
        out["theta"] = pspin.theta(u, p)
        for k in range(k_max + 1):
            out[f"theta_{k}"] = pspin.theta(u, p, k)
    return out


register_sweep_model(
    "pspin",
    pspin_point,
    {
        "p": integer("p", minimum=2, help="interaction order p >= 2"),
        "k_max": integer("k_max", minimum=0, maximum=1000, default=2,
                         help="largest index k of the thresholds E_k"),
        "u": optional_real("u", help="energy per spin at which Theta is evaluated; none: no Theta columns"),
    },
    pspin_outputs,
    version="1",
    convention="abc",
    description="pure spherical p-spin: E_inf, E_0..E_kmax and Theta at u (energies per spin, ABC units)",
)
