"""The coupled (GAN) spin glass as a sweepable model (complexity.models.gan).

Per point: the thresholds ``u_D`` (= theta_D), ``u_G`` (= theta_G), ``u_sum`` (the lowest
u_D + u_G) and ``max_abs_diff`` (the largest |u_D - u_G| among losses with critical points;
``diff=0`` skips it, two of the five level-line searches; ``sum=0`` skips ``u_sum``),
optionally for one index pair (``k_d``, ``k_g`` >= 0; -1: all indices), and ``theta`` at
(``u_d``, ``u_g``) when both are given.  A point where Theta <= 0 everywhere is recorded
with its error (no thresholds).
"""

from __future__ import annotations

from complexity.models.gan import CONVENTIONS, PUBLISHED_BOXES, THRESHOLD_NAMES
from complexity.sweep._registry import choice, integer, optional_real, real, register_sweep_model


def _thresholds(diff, sum_):
    skip = {"max_abs_diff"} if not diff else set()
    skip |= {"u_sum"} if not sum_ else set()
    return tuple(n for n in THRESHOLD_NAMES if n not in skip)


def gan_outputs(p, q, sigma_z, kappa, convention="derived", box="sweep", k_d=-1, k_g=-1, u_d=None, u_g=None,
                diff=1, sum=1):
    return list(_thresholds(diff, sum)) + (["theta", "theta_x", "theta_x1"]
                                              if u_d is not None and u_g is not None else [])


def gan_point(p, q, sigma_z, kappa, convention="derived", box="sweep", k_d=-1, k_g=-1, u_d=None, u_g=None,
              diff=1, sum=1):
    """One point of a GAN sweep."""
    from complexity.models.gan import GanModel

    m = GanModel(p, q, sigma_z, kappa, convention, box=box)
    kd = None if k_d < 0 and k_g < 0 else max(k_d, 0)
    kg = None if k_d < 0 and k_g < 0 else max(k_g, 0)
    out = dict(m.thresholds(k_d=kd, k_g=kg, which=_thresholds(diff, sum)))
    if u_d is not None and u_g is not None:
        r = m.theta(u_d, u_g, k_d=kd, k_g=kg)
        out.update(theta=r.theta, theta_x=r.x, theta_x1=r.x1)
    return out


def gan_validate(p, q, sigma_z, kappa, convention="derived", box="sweep", k_d=-1, k_g=-1, u_d=None, u_g=None,
                 diff=1, sum=1):
    """Conflicts refused before a sweep starts: one cut without the other, a box outside the
    published convention (it would be ignored)."""
    if (u_d is None) != (u_g is None):
        given, missing = ("u_d", "u_g") if u_g is None else ("u_g", "u_d")
        raise ValueError(f"{given}: Theta needs both cuts u_d and u_g; give --{missing.replace('_', '-')} too "
                         "(a large value such as 1e6 means no cut)")
    if box != "sweep" and convention != "published":
        raise ValueError(f"box: --box {box} is used only by --convention published (got convention {convention!r})")


register_sweep_model(
    "gan",
    gan_point,
    {
        "p": integer("p", minimum=2, help="discriminator order p >= 2"),
        "q": integer("q", minimum=2, help="generator order q >= 2"),
        "sigma_z": real("sigma_z", lower=0.0, lower_open=True, help="latent scale sigma_z > 0"),
        "kappa": real("kappa", lower=0.0, upper=1.0, lower_open=True, upper_open=True, help="N_D / N in (0, 1)"),
        "convention": choice("convention", CONVENTIONS, default="derived",
                             help="derived (default), reference or published"),
        "box": choice("box", tuple(PUBLISHED_BOXES), default="sweep",
                      help="published grid box (convention published only)"),
        "k_d": integer("k_d", minimum=-1, default=-1, help="index k_D of D's own Hessian; -1: all indices"),
        "k_g": integer("k_g", minimum=-1, default=-1, help="index k_G of G's own Hessian; -1: all indices"),
        "u_d": optional_real("u_d", help="u_D at which Theta is evaluated (with u_g)"),
        "u_g": optional_real("u_g", help="u_G at which Theta is evaluated (with u_d)"),
        "diff": integer("diff", minimum=0, maximum=1, default=1,
                        help="1 (default): also max_abs_diff, max |u_D - u_G| (two more level-line searches); "
                             "0: skip it"),
        "sum": integer("sum", minimum=0, maximum=1, default=1,
                       help="1 (default): also u_sum, the lowest u_D + u_G (one level-line search); 0: skip it"),
    },
    gan_outputs,
    version="2",
    description="coupled (GAN) spin glass: thresholds theta_D, theta_G, min u_D + u_G, max |u_D - u_G|, "
                "and Theta at (u_d, u_g)",
    validate=gan_validate,
)
