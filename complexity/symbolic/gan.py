r"""Kac-Rice ingredients of the coupled (GAN) spherical spin glass, derived with sympy.

The model (the project's ``derived`` convention; docs/gan_model.md)
------------------------------------------------------------------
* discriminator weights ``w_D`` on ``S^{N_D-1}(sqrt N_D)``, generator weights ``w_G`` on
  ``S^{N_G-1}(sqrt N_G)``; ``N = N_D + N_G``, ``kappa = N_D / N``; ``P = p + q``;
* ``l_D(w_D)``: a p-spin glass on D's sphere, ``E[l_D(w) l_D(w')] = N_D (w.w'/N_D)^p``;
* ``l_G(w)``: a P-spin glass on the joined vector ``w = (w_D, w_G)``, ``|w|^2 = N``,
  ``E[l_G(w) l_G(w')] = N (w.w'/N)^P``;
* losses ``L_D = l_D - sigma_z l_G`` and ``L_G = sigma_z l_G``; energies ``u_D = L_D/N``,
  ``u_G = L_G/N``;
* a critical point of the game: ``grad_D L_D = 0`` on D's sphere and ``grad_G L_G = 0`` on
  G's sphere.

The derivation (each step a function below)
-------------------------------------------
1. :func:`covariances`: Euclidean derivatives at the point ``w_D = sqrt(N_D) e3``,
   ``w_G = sqrt(N_G) f3`` (tangent directions e1, e2 and f1, f2), from the two kernels.
2. The Riemannian Hessian of a function on the sphere of radius ``sqrt(N_X)`` is the
   tangent Euclidean Hessian minus ``(w_X . grad_X f / N_X) I`` (the single-sphere chart
   check in :mod:`complexity.symbolic.checks` applies block by block); mixed D-G second
   derivatives need no correction on a product of spheres.
3. The Jacobian of the game ``[[Hess_D L_D, d_G d_D L_D], [d_D d_G L_G, Hess_G L_G]]``
   has off-diagonal blocks ``-sigma_z C`` and ``+sigma_z C^T`` (``C = d_D d_G l_G``);
   negating the D block-row leaves ``|det|`` unchanged and makes it symmetric:
   ``H = sigma_z sqrt(2P(P-1)) M + sqrt(2p(p-1)) (M1 + 0) + diag(s_D I, s_G I)``,
   ``M`` a GOE_{N-2} (abc scale, normalised by N), ``M1`` a GOE_{N_D-1} normalised by N_D,
   ``s_D = (p l_D - sigma_z R_D) / N_D``, ``s_G = -sigma_z R_G / N_G``,
   ``R_X = w_X . grad_X l_G`` (``R_D + R_G = P l_G``: one extra Gaussian, ``R_G``).
4. :func:`scalar_law`: the joint law of ``(a, v, r) = (l_D, l_G, R_G)/N``.
5. :func:`prefactor_rate`: the rate of the sphere volumes and the gradient density.
6. :func:`exponent_pieces`: with ``x = -s_G`` and ``x1 = s_G - s_D``,
   ``H = [sigma_z b M + b1 (M1 + 0) - x1 (I_D + 0)] - x I`` is the block ensemble of
   :mod:`complexity.rmt.block` shifted by x, so ``N^-1 log|det H| -> Phi(x; x1)``;
   for fixed (x, x1) the remaining variable ``v`` enters a concave quadratic with the
   energy constraints ``sigma_z v <= u_G``, ``a - sigma_z v <= u_D`` linear in v: its
   supremum is closed-form.  So ``Theta(u_D, u_G) = rate + sup_{x, x1} [Phi(x; x1) +
   G(x, x1; u_D, u_G)]``, an unconstrained two-dimensional supremum.
"""

from __future__ import annotations

import functools

import sympy as sp

from complexity.symbolic.kac_rice import N

__all__ = [
    "symbols",
    "covariances",
    "scalar_law",
    "prefactor_rate",
    "exponent_pieces",
    "reference_constants",
]

kappa = sp.Symbol("kappa", positive=True)
p, q = sp.symbols("p q", positive=True)
sigma = sp.Symbol("sigma_z", positive=True)
P = p + q
x, x1, v, a, r = sp.symbols("x x1 v a r", real=True)
u_d, u_g, u_sum = sp.symbols("u_D u_G u_sum", real=True)


def _once(fn):
    """A derivation computed once per process (sympy is slow: the checks, the code generator
    and the tests all ask for the same pieces); each call returns a new dict whose matrices are
    copies, so a caller that edits its result leaves the cached one intact."""
    cached = functools.lru_cache(maxsize=None)(fn)

    @functools.wraps(fn)
    def fresh() -> dict:
        return {k: (val.copy() if isinstance(val, sp.MatrixBase) else val) for k, val in cached().items()}

    return fresh


def symbols():
    return {"N": N, "kappa": kappa, "p": p, "q": q, "sigma_z": sigma, "x": x, "x1": x1, "v": v, "u_D": u_d, "u_G": u_g, "u_sum": u_sum}


@_once
def covariances() -> dict:
    """Covariances of the Euclidean derivatives of l_D and l_G at the reference point.

    Keys: pairs of names among ``lD, lG, RD, RG`` (fields and radial derivatives),
    ``gD1 = d l_D / d e1``, ``gGD1 = d l_G / d e1``, ``gGG1 = d l_G / d f1``,
    second derivatives ``hDD11, hDD12, hGG11, hGG12, hDG11`` of l_G and ``kD11, kD12`` of l_D.
    """
    nd, ng = kappa * N, (1 - kappa) * N
    xd = sp.symbols("xd1:4", real=True)
    xg = sp.symbols("xg1:4", real=True)
    yd = sp.symbols("yd1:4", real=True)
    yg = sp.symbols("yg1:4", real=True)
    dot_d = sum(s * t for s, t in zip(xd, yd))
    dot_g = sum(s * t for s, t in zip(xg, yg))
    k_g = N * ((dot_d + dot_g) / N) ** P
    k_d = nd * (dot_d / nd) ** p
    at = {xd[0]: 0, xd[1]: 0, xd[2]: sp.sqrt(nd), xg[0]: 0, xg[1]: 0, xg[2]: sp.sqrt(ng)}
    at.update({yd[0]: 0, yd[1]: 0, yd[2]: sp.sqrt(nd), yg[0]: 0, yg[1]: 0, yg[2]: sp.sqrt(ng)})
    # each observable: (field, list of (side, index)) derivatives; radial ones via w.grad
    lin = {
        "lD": ("D", ()),
        "lG": ("G", ()),
        "RD": ("G", ("radD",)),
        "RG": ("G", ("radG",)),
        "gD1": ("D", (("d", 0),)),
        "gGD1": ("G", (("d", 0),)),
        "gGG1": ("G", (("g", 0),)),
        "kD11": ("D", (("d", 0), ("d", 0))),
        "kD12": ("D", (("d", 0), ("d", 1))),
        "hDD11": ("G", (("d", 0), ("d", 0))),
        "hDD12": ("G", (("d", 0), ("d", 1))),
        "hGG11": ("G", (("g", 0), ("g", 0))),
        "hGG12": ("G", (("g", 0), ("g", 1))),
        "hDG11": ("G", (("d", 0), ("g", 0))),
    }

    def apply(expr, ops, dvars, gvars):
        for op in ops:
            if op == "radD":
                expr = sum(w * sp.diff(expr, w) for w in dvars)
            elif op == "radG":
                expr = sum(w * sp.diff(expr, w) for w in gvars)
            else:
                side, i = op
                expr = sp.diff(expr, (dvars if side == "d" else gvars)[i])
        return expr

    out = {}
    names = list(lin)
    for i, s in enumerate(names):
        for t in names[i:]:
            fs, ops_s = lin[s]
            ft, ops_t = lin[t]
            if fs != ft:
                val = sp.Integer(0)  # independent fields
            else:
                kern = k_d if fs == "D" else k_g
                e = apply(kern, ops_s, xd, xg)
                e = apply(e, ops_t, yd, yg)
                val = sp.powsimp(sp.simplify(e.subs(at)), force=True)
            out[(s, t)] = out[(t, s)] = val
    return out


@_once
def scalar_law() -> dict:
    """Law of (a, v, r) = (l_D, l_G, R_G)/N: N times its covariance, and the rate."""
    c = covariances()
    names = ("lD", "lG", "RG")
    cov = sp.Matrix(3, 3, lambda i, j: sp.simplify(c[(names[i], names[j])] / N))  # N Cov of the /N variables
    z = sp.Matrix([a, v, r])
    rate = sp.simplify(-(z.T * cov.inv() * z)[0, 0] / 2)
    return {"N_cov": cov, "rate": rate}


def prefactor_rate():
    """lim N^-1 log of Vol(S_D) Vol(S_G) times the density of the two gradients at 0.

    Vol(S^{n-1}(sqrt n)) = 2 pi^{n/2} n^{(n-1)/2} / Gamma(n/2) has rate (1 + log 2 pi)/2 per
    dimension; the D gradient of L_D has iid N(0, p + sigma^2 P) components and the G
    gradient of L_G iid N(0, sigma^2 P) ones (independent: derived in :func:`covariances`).
    """
    return sp.Rational(1, 2) - kappa / 2 * sp.log(p + sigma**2 * P) - (1 - kappa) / 2 * sp.log(sigma**2 * P)


@_once
def exponent_pieces() -> dict:
    """The closed-form ingredients of Theta in the derived convention.

    Returns expressions for: ``b`` and ``b1`` of the block ensemble, the shifts,
    ``a(x, x1, v)`` and ``r(x)``, the Gaussian rate as a concave quadratic in v,
    its unconstrained maximiser ``v_star`` and the upper bound ``v_max`` from the
    energy constraints.
    """
    law = scalar_law()
    r_of_x = (1 - kappa) * x / sigma  # x = -s_G = sigma r / (1 - kappa)
    # s_D = -x - x1 = (p a - sigma (P v - r)) / kappa
    a_of = sp.solve(sp.Eq((p * a - sigma * (P * v - r_of_x)) / kappa, -x - x1), a)[0]
    g = sp.expand(law["rate"].subs({r: r_of_x}).subs({a: a_of}))
    poly = sp.Poly(g, v)
    c2, c1, c0 = (poly.coeff_monomial(v**2), poly.coeff_monomial(v), poly.coeff_monomial(1))
    v_star = sp.simplify(-c1 / (2 * c2))
    energy_d = sp.simplify(a_of - sigma * v)  # = u_D at the point
    d_coef = sp.simplify(sp.diff(energy_d, v))
    v_max_d = sp.simplify((u_d - energy_d.subs(v, 0)) / d_coef)
    v_max_g = u_g / sigma
    # u_D + u_G = a <= u_sum  <=>  v <= (p u_sum + x + kappa x1) / (sigma P)
    v_max_sum = sp.simplify(sp.solve(sp.Eq(a_of, u_sum), v)[0])
    v_opt = sp.Min(v_star, v_max_d, v_max_g, v_max_sum)
    b = sigma * sp.sqrt(2 * P * (P - 1))
    b1 = sp.sqrt(2 * p * (p - 1))
    return {
        "b": b,
        # own Hessians of the players: the D block of H is sqrt(kappa b^2 + b1^2) GOE_{N_D}
        # (b M restricted to N_D indices is sqrt(kappa) b GOE_{N_D}), the G block sqrt(1 - kappa) b
        # GOE_{N_G}; semicircle radii sqrt(2) times those coefficients (abc scale)
        "edge_D": sp.sqrt(2 * (kappa * b**2 + b1**2)),
        "edge_G": sp.sqrt(2 * (1 - kappa)) * b,
        "gauss_sup": c2 * v_opt**2 + c1 * v_opt + c0,
        "v_opt": v_opt,
        "b1": b1,
        "r_of_x": r_of_x,
        "a_of": a_of,
        "gauss_in_v": g,
        "c2": sp.simplify(c2),
        "c1": sp.simplify(c1),
        "c0": sp.simplify(c0),
        "v_star": v_star,
        "energy_d_slope_in_v": d_coef,
        "v_max_d": v_max_d,
        "v_max_g": v_max_g,
        "v_max_sum": v_max_sum,
    }


def reference_constants() -> dict:
    """The published code's constants (MATH.md section 3), for the ``reference`` convention."""
    two_p = 2**P
    return {
        "b": sigma * sp.sqrt(P * (P - 1) * two_p),
        "b1": sp.sqrt(kappa * p * (p - 1)),
        "s2": sigma**2 * P**2 * 2 ** (3 * P) / 2,
        "s12": p**2 / sp.Integer(2),
        "C": sp.Rational(13, 2) * sp.log(2)
        + 5 * sp.log(sp.pi)
        - kappa / 2 * sp.log(p + sigma**2 * P * two_p)
        - (1 - kappa) / 2 * sp.log(sigma**2 * P * two_p)
        - kappa / 2 * sp.log(kappa)
        - (1 - kappa) / 2 * sp.log(1 - kappa),
        "edge_D": sp.sqrt(2 * kappa * (sigma**2 * P * (P - 1) * two_p + kappa * p * (p - 1))),
        "edge_G": sp.sqrt(2 * (1 - kappa)) * sigma * sp.sqrt(P * (P - 1) * two_p),
        "x_max_per_uG": P * two_p,  # region: x < P 2^P u_G
        "x1_min": -p * x / (P * two_p) - p * u_d,  # region: x1 > -p x / (P 2^P) - p u_D
    }
