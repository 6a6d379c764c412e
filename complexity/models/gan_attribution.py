"""How much each difference between the derived and the reference conventions moves Theta
and the thresholds: hybrids that take one ingredient from the other convention.

The ingredients (docs/gan_model.md, "Differences"):

* ``b``: the GOE_N coefficient of the Hessian ensemble;
* ``b1``: the GOE_{N_D} coefficient;
* ``constant``: the additive rate (prefactor rate, or the published C);
* ``law``: the Gaussian part and the map to the energies (derived: the law of
  (l_D, l_G, R_G)/N with the extra Gaussian R_G and its free variable v; reference: x and x1
  independent Gaussians with variances s^2, s1^2, energies deterministic in (x, x1)).

``python -m complexity.models.gan_attribution [p q sigma_z kappa]`` prints the table.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import warnings

from complexity._generated import kac_rice as G
from complexity.models.gan import GanModel

INGREDIENTS = ("b", "b1", "constant", "law")


@dataclasses.dataclass(frozen=True)
class HybridModel(GanModel):
    """A GanModel whose ingredients come from either convention (``convention`` sets the law)."""

    b_from: str = "derived"
    b1_from: str = "derived"
    constant_from: str = "derived"

    @property
    def b(self) -> float:
        f = G.gan_b if self.b_from == "derived" else G.gan_ref_b
        return float(f(self.p, self.q, self.sigma_z))

    @property
    def b1(self) -> float:
        return float(G.gan_b1(self.p) if self.b1_from == "derived" else G.gan_ref_b1(self.p, self.kappa))

    @property
    def constant(self) -> float:
        args = (self.p, self.q, self.sigma_z, self.kappa)
        if self.constant_from == "derived":
            return float(G.gan_prefactor_rate(*args))
        return float(G.gan_ref_constant(*args))


def hybrid(p, q, sigma_z, kappa, base: str, switch: str | None) -> HybridModel:
    """The ``base`` convention ("derived" or "reference") with ingredient ``switch`` taken from
    the other one (None: the base itself)."""
    if base not in ("derived", "reference"):
        raise ValueError(f"base must be 'derived' or 'reference', got {base!r}")
    if switch is not None and switch not in INGREDIENTS:
        raise ValueError(f"switch must be one of {INGREDIENTS} or None, got {switch!r}")
    other = "reference" if base == "derived" else "derived"
    pick = {k: (other if k == switch else base) for k in INGREDIENTS}
    return HybridModel(p, q, sigma_z, kappa, convention=pick["law"], b_from=pick["b"], b1_from=pick["b1"],
                       constant_from=pick["constant"])


def _row(m):
    out = {"sup_theta": math.nan, "u_D": math.nan, "u_G": math.nan, "u_sum": math.nan}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out["sup_theta"] = m.theta(math.inf, math.inf).theta
        try:
            thr = m.thresholds()
            out.update(u_D=thr["u_D"], u_G=thr["u_G"], u_sum=thr["u_sum"])
        except ValueError:
            pass  # Theta <= 0 everywhere: no thresholds
    return out


def attribution_table(p=3, q=3, sigma_z=1.0, kappa=0.9) -> list[dict]:
    """Rows: each base convention alone, then with each ingredient switched to the other one."""
    rows = []
    for base in ("derived", "reference"):
        for switch in (None, *INGREDIENTS):
            m = hybrid(p, q, sigma_z, kappa, base, switch)
            rows.append({"base": base, "switched": switch or "-", **_row(m)})
    return rows


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p, q, s, k = (int(argv[0]), int(argv[1]), float(argv[2]), float(argv[3])) if argv else (3, 3, 1.0, 0.9)
    print(f"p = {p}, q = {q}, sigma_z = {s}, kappa = {k}")
    print(f"{'base':10s} {'switched':9s} {'sup Theta':>12s} {'theta_D':>12s} {'theta_G':>12s} {'min u_D+u_G':>12s}")
    for r in attribution_table(p, q, s, k):
        print(f"{r['base']:10s} {r['switched']:9s} {r['sup_theta']:12.6g} {r['u_D']:12.6g} {r['u_G']:12.6g} "
              f"{r['u_sum']:12.6g}")


if __name__ == "__main__":
    main()
