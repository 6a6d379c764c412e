r"""Kac-Rice ingredients of an isotropic Gaussian field on the sphere, derived with sympy.

The field: ``H`` on the sphere ``S^{N-1}(sqrt N)`` with covariance
``E[H(s) H(s')] = N xi(s . s' / N)``, ``xi(R) = sum_p beta_p^2 R^p`` (pure: ``R^p``).

The derivation, step by step (each step is a method of :class:`SphericalField`):

1. :meth:`euclidean_covariance` -- by isotropy, three Euclidean coordinates suffice:
   two tangent directions ``e1, e2`` and the radial one ``e3`` at the point
   ``s0 = sqrt(N) e3``.  Differentiating ``N xi(x . y / N)`` in ``x`` and ``y`` at
   ``x = y = s0`` gives the covariance of ``H``, the tangent gradient ``g_i``, the
   radial derivative ``d_3 H`` and the tangent Euclidean Hessian ``h_ij``.
2. :meth:`chart_hessian` -- in the chart ``s(th) = (th1, th2, sqrt(N - th1^2 - th2^2))``
   the second derivatives of ``H(s(th))`` at ``th = 0`` (which equal the Riemannian
   Hessian at a critical point) are ``h_ij - (d_3 H / sqrt N) delta_ij``: the
   Riemannian Hessian is ``h - Y I`` with ``Y = s . grad H / N``.
3. :meth:`hessian_law` -- ``h`` has off-diagonal variance ``xi''/N`` and diagonal
   variance ``2 xi''/N``: ``h = sqrt(2 xi'') M`` with ``M`` a GOE_{N-1} matrix in the
   ``"abc"`` scale normalised by ``N`` (off-diagonal variance ``1/(2N)``), independent of
   ``(H, g, Y)``.
4. :meth:`conditional_law` -- ``U = H/N`` and ``Y`` are jointly Gaussian; given
   ``U = u``: ``Y ~ N(u xi'/xi, alpha^2/N)`` with ``alpha^2 = xi'' + xi' - xi'^2/xi``
   (zero for a pure model, where ``Y = p U``).
5. :meth:`kac_rice_prefactor` -- ``E Crt_N(B) = K_N int_B int phi_{U,Y}(u,y)
   E|det(M - y/sqrt(2 xi''))| dy du`` with ``K_N = Vol(S^{N-1}(sqrt N)) (2 pi xi')^{-(N-1)/2}
   (2 xi'')^{(N-1)/2}``, and its exponential rate ``1/2 + log(2 xi''/xi')/2``.
6. :meth:`exponent` -- Laplace's method: ``S(u, y) = rate - u^2/(2 xi) -
   (y - u xi'/xi)^2/(2 alpha^2) + Phi(y / sqrt(2 xi''))`` with Phi the semicircle
   log-potential; complexity ``Theta(u) = sup_{u' <= u} sup_y S``.

For the pure p-spin, :func:`pure_pspin_checks` shows that this reduces exactly to
Auffinger-Ben Arous-Cerny's finite-N formula and to their Theta_{k,p} and Theta_p.
"""

from __future__ import annotations

import dataclasses

import sympy as sp

__all__ = [
    "N",
    "R",
    "SphericalField",
    "semicircle_log_potential",
    "semicircle_edge_rate",
    "mehta_normaliser",
    "XI",
    "generic_xi",
]

N = sp.Symbol("N", positive=True)
R = sp.Symbol("R", real=True)
SQRT2 = sp.sqrt(2)


#: xi and its first four derivatives at overlap 1, for a generic covariance function
XI = sp.symbols("xi0 xi1 xi2", positive=True) + sp.symbols("xi3 xi4", real=True)


def generic_xi():
    """A generic smooth covariance function, as its Taylor polynomial at R = 1.

    The Kac-Rice ingredients at a point involve derivatives of N xi(x.y/N) of total
    order <= 4 evaluated at overlap 1, hence only xi^(j)(1), j <= 4: this polynomial
    is exactly as general as an arbitrary xi, and its derivatives at 1 are the plain
    symbols xi0, xi1, xi2 (no unevaluated derivatives to carry around).
    """
    return sum(c * (R - 1) ** j / sp.factorial(j) for j, c in enumerate(XI))


def semicircle_edge_rate(t):
    """J(t) for the semicircle on [-sqrt 2, sqrt 2] (t outside the bulk)."""
    a = sp.Abs(t)
    return a / 2 * sp.sqrt(t**2 - 2) - sp.log((a + sp.sqrt(t**2 - 2)) / SQRT2)


def semicircle_log_potential(t, piece: str = "piecewise"):
    """Phi(t) = int log|t - l| rho_sc(l) dl, semicircle on [-sqrt 2, sqrt 2].

    ``piece``: "bulk" (|t| <= sqrt 2), "outside" (|t| > sqrt 2) or "piecewise".
    """
    bulk = t**2 / 2 - sp.Rational(1, 2) - sp.log(2) / 2
    if piece == "bulk":
        return bulk
    outside = bulk - semicircle_edge_rate(t)
    if piece == "outside":
        return outside
    return sp.Piecewise((bulk, sp.Abs(t) <= SQRT2), (outside, True))


def mehta_normaliser(n, scale=N):
    """Z_n = int_{R^n} prod_{i<j} |l_i - l_j| exp(-scale sum l_i^2 / 2) dl (unordered).

    Mehta's integral (a Selberg integral): with scale 1 it is
    (2 pi)^{n/2} prod_{j=1}^n Gamma(1 + j/2) / Gamma(3/2); rescaling l -> l/sqrt(scale)
    multiplies by scale^{-n/2 - n(n-1)/4}.
    """
    j = sp.Symbol("j", integer=True, positive=True)
    mehta = (2 * sp.pi) ** (n / 2) * sp.Product(sp.gamma(1 + j / 2) / sp.gamma(sp.Rational(3, 2)), (j, 1, n))
    return scale ** (-n / 2 - n * (n - 1) / 4) * mehta


@dataclasses.dataclass
class SphericalField:
    """An isotropic Gaussian field on S^{N-1}(sqrt N) with covariance N xi(R)."""

    xi: sp.Expr  # a sympy expression in the overlap R

    # ---- step 1 -------------------------------------------------------------
    def euclidean_covariance(self) -> dict:
        """Covariances of H, tangent gradient, radial derivative and tangent Hessian.

        Returns a dict keyed by pairs of names among "H", "g1", "g2", "d3",
        "h11", "h12", "h22" (Euclidean derivatives at s0 = sqrt(N) e3).
        """
        x = sp.symbols("x1:4", real=True)
        y = sp.symbols("y1:4", real=True)
        kernel = N * self.xi.subs(R, sum(a * b for a, b in zip(x, y)) / N)
        at = {x[0]: 0, x[1]: 0, x[2]: sp.sqrt(N), y[0]: 0, y[1]: 0, y[2]: sp.sqrt(N)}
        derivs = {"H": (), "g1": (0,), "g2": (1,), "d3": (2,), "h11": (0, 0), "h12": (0, 1), "h22": (1, 1)}
        out = {}
        names = list(derivs)
        for a_i, a in enumerate(names):
            for b in names[a_i:]:
                e = kernel
                for v in derivs[a]:
                    e = sp.diff(e, x[v])
                for v in derivs[b]:
                    e = sp.diff(e, y[v])
                out[(a, b)] = out[(b, a)] = sp.simplify(e.subs(at))
        return out

    # ---- step 2 -------------------------------------------------------------
    @staticmethod
    def chart_hessian():
        """Second derivatives of H(s(th)) at th = 0 in the chart of the sphere.

        Returns a 2x2 sympy Matrix in terms of the Euclidean derivatives
        ``f_i = dH/ds_i`` and ``f_ij`` (sympy Derivative objects of a generic H).
        The result is h_ij - (f_3 / sqrt N) delta_ij.
        """
        th1, th2 = sp.symbols("theta1 theta2", real=True)
        s1, s2, s3 = sp.symbols("s1 s2 s3", real=True)
        H = sp.Function("H")
        chart = (th1, th2, sp.sqrt(N - th1**2 - th2**2))
        f = H(*chart)
        hess = sp.Matrix(2, 2, lambda i, j: sp.diff(f, (th1, th2)[i], (th1, th2)[j]))
        hess = hess.subs({th1: 0, th2: 0}).doit()
        return sp.simplify(hess)

    # ---- steps 3 and 4 ------------------------------------------------------
    def derivatives(self) -> dict:
        """xi(1), xi'(1), xi''(1)."""
        return {
            "xi0": sp.simplify(self.xi.subs(R, 1)),
            "xi1": sp.simplify(sp.diff(self.xi, R).subs(R, 1)),
            "xi2": sp.simplify(sp.diff(self.xi, R, 2).subs(R, 1)),
        }

    def hessian_law(self) -> dict:
        """The tangent Euclidean Hessian as sqrt(2 xi'') GOE_{N-1} (abc scale, normalised by N)."""
        c = self.euclidean_covariance()
        d = self.derivatives()
        return {
            "offdiagonal_variance": c[("h12", "h12")],
            "diagonal_variance": c[("h11", "h11")],
            "diagonal_covariance": c[("h11", "h22")],
            "scale": sp.sqrt(2 * d["xi2"]),
            "independent_of_H_g_Y": all(
                sp.simplify(c[(h, o)]) == 0 for h in ("h11", "h12", "h22") for o in ("H", "g1", "g2", "d3")
            ),
        }

    def conditional_law(self) -> dict:
        """Law of (U, Y), U = H/N, Y = s.grad H / N = d3 H / sqrt N; Y given U = u."""
        c = self.euclidean_covariance()
        u = sp.Symbol("u", real=True)
        var_u = sp.simplify(c[("H", "H")] / N**2)
        cov_uy = sp.simplify(c[("H", "d3")] / N / sp.sqrt(N))
        var_y = sp.simplify(c[("d3", "d3")] / N)
        mean = sp.simplify(cov_uy / var_u * u)
        var = sp.simplify(var_y - cov_uy**2 / var_u)
        return {
            "var_U": var_u,
            "cov_UY": cov_uy,
            "var_Y": var_y,
            "mean_Y_given_u": mean,
            "var_Y_given_u": var,
            "alpha2": sp.simplify(N * var),
            "gradient_variance": c[("g1", "g1")],
            "gradient_independent": all(sp.simplify(c[("g1", o)]) == 0 for o in ("H", "d3", "g2")),
        }

    # ---- step 5 -------------------------------------------------------------
    def kac_rice_prefactor(self):
        """K_N = Vol(S^{N-1}(sqrt N)) (2 pi xi')^{-(N-1)/2} (2 xi'')^{(N-1)/2}."""
        d = self.derivatives()
        vol = 2 * sp.pi ** (N / 2) * N ** ((N - 1) / 2) / sp.gamma(N / 2)
        density_of_gradient_at_zero = (2 * sp.pi * d["xi1"]) ** (-(N - 1) / 2)
        det_scale = (2 * d["xi2"]) ** ((N - 1) / 2)
        return vol * density_of_gradient_at_zero * det_scale

    def prefactor_rate(self):
        """lim (1/N) log K_N, by Stirling's formula for log Gamma(N/2)."""
        d = self.derivatives()
        log_k = (
            sp.log(2)
            + N / 2 * sp.log(sp.pi)
            + (N - 1) / 2 * sp.log(N)
            - sp.loggamma(N / 2)
            - (N - 1) / 2 * sp.log(2 * sp.pi * d["xi1"])
            + (N - 1) / 2 * sp.log(2 * d["xi2"])
        )
        stirling = (N / 2 - sp.Rational(1, 2)) * sp.log(N / 2) - N / 2 + sp.log(2 * sp.pi) / 2
        e = sp.expand_log(sp.expand(log_k.subs(sp.loggamma(N / 2), stirling) / N), force=True)
        return sp.simplify(sp.limit(e, N, sp.oo))

    # ---- step 6 -------------------------------------------------------------
    def exponent(self, u, y, piece: str = "piecewise"):
        """S(u, y): the exponential rate of the Kac-Rice integrand (mixed models, alpha > 0)."""
        d = self.derivatives()
        law = self.conditional_law()
        alpha2 = law["alpha2"]
        t = y / sp.sqrt(2 * d["xi2"])
        gauss = -(u**2) / (2 * d["xi0"]) - (y - u * d["xi1"] / d["xi0"]) ** 2 / (2 * alpha2)
        return self.prefactor_rate() + gauss + semicircle_log_potential(t, piece)

    def gaussian_rate(self, u, y):
        """-(1/2) (u, y) Sigma^{-1} (u, y)^T with N Sigma the covariance of (U, Y)."""
        law = self.conditional_law()
        sigma = sp.Matrix([[law["var_U"], law["cov_UY"]], [law["cov_UY"], law["var_Y"]]]) * N
        v = sp.Matrix([u, y])
        return sp.simplify(-(v.T * sigma.inv() * v)[0, 0] / 2)

    def pure_exponent(self, u, piece: str = "piecewise"):
        """The pure-model rate: Y = (xi'/xi) U exactly, so S(u) = rate - u^2/(2 xi) + Phi(t(u))."""
        d = self.derivatives()
        t = d["xi1"] / d["xi0"] * u / sp.sqrt(2 * d["xi2"])
        return self.prefactor_rate() - u**2 / (2 * d["xi0"]) + semicircle_log_potential(t, piece)

    def eigenvalue_scale(self):
        """t = s u for the pure model: s = (xi'/xi) / sqrt(2 xi'')."""
        d = self.derivatives()
        return sp.simplify(d["xi1"] / d["xi0"] / sp.sqrt(2 * d["xi2"]))

    def mixed_e_inf(self):
        """Energy -u at which the unconstrained maximiser y*(u) reaches t = -sqrt 2."""
        d = self.derivatives()
        alpha2 = self.conditional_law()["alpha2"]
        u = sp.Symbol("u", real=True)
        y_edge = -SQRT2 * sp.sqrt(2 * d["xi2"])
        # dS/dy = -(y - u xi'/xi)/alpha^2 + Phi'(t)/sqrt(2 xi''), Phi'(-sqrt 2) = -sqrt 2
        stationarity = -(y_edge - u * d["xi1"] / d["xi0"]) / alpha2 + (-SQRT2) / sp.sqrt(2 * d["xi2"])
        sol = sp.solve(sp.Eq(stationarity, 0), u)
        return sp.simplify(-sol[0])
