"""Bad and extreme inputs of every command, with what a correct answer looks like.

Each case is ``Case(argv, expect, check, heavy)``:

* ``expect="refuse"``: the only correct outcome is a clean refusal (exit 2, one line
  ``complexity: error: ...``); exit 0 is a silently accepted bad input (a wrong value).
* ``expect="value"``: a finite result is expected; ``check(result)`` (the parsed ``--json``
  object) must hold, else the value is wrong.  A clean refusal is also accepted for the
  extremes marked ``expect="either"``.
* ``heavy=True``: the input once ran for minutes (or without bound); it must now be refused
  before any work starts.

Paths: ``{tmp}`` is a fresh writable folder, ``{ro}`` a read-only folder, ``{file}`` an
existing regular file, all made by the runner.

Classes (:func:`classify`): ``refusal`` (exit 2, one line), ``value`` (exit 0, the check
holds), ``internal`` (exit 1, one line), ``traceback``, ``hang`` (over the time bound) and
``wrong`` (exit 0 with a NaN/inf, a failed check, or a refusal-only input accepted).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from typing import Callable

import mpmath


@dataclasses.dataclass(frozen=True)
class Case:
    argv: tuple
    expect: str = "refuse"  # refuse | value | either
    check: Callable | None = None
    heavy: bool = False
    ci: bool = True  # False: only in the classification run (a costly variant of a CI case)

    @property
    def label(self) -> str:
        return " ".join(self.argv)


# ----------------------------------------------------------------------------- oracles
def _theta_pspin_mp(u, p, k=None):
    """Theta_p(u) / Theta_{k,p}(u) from MATH.md in mpmath at 40 digits (no generated code):
    log(p-1)/2 - (p-2)/(4(p-1)) u^2 - (k+1) I_1(u) below -E_inf, with I_1(u) = J(s u),
    J(t) = (t/2) sqrt(t^2 - 2) - log((t + sqrt(t^2 - 2))/sqrt 2), s = sqrt(p/(2(p-1)))."""
    with mpmath.workdps(40):
        u, p = mpmath.mpf(u), mpmath.mpf(p)
        einf = 2 * mpmath.sqrt((p - 1) / p)
        if u < -einf:
            t = -u * mpmath.sqrt(p / (2 * (p - 1)))
            r = mpmath.sqrt(t * t - 2)
            i1 = t / 2 * r - mpmath.log((t + r) / mpmath.sqrt(2))
            mult = 1 if k is None else k + 1
            return mpmath.log(p - 1) / 2 - (p - 2) / (4 * (p - 1)) * u * u - mult * i1
        if k is not None:
            return mpmath.log(p - 1) / 2 - (p - 2) / p
        if u <= 0:
            return mpmath.log(p - 1) / 2 - (p - 2) / (4 * (p - 1)) * u * u
        return mpmath.log(p - 1) / 2


def pspin_theta_is(u, p, k=None, rtol=1e-9):
    def check(res):
        ref = float(_theta_pspin_mp(u, p, k))
        return math.isfinite(ref) and abs(res["theta"] - ref) <= rtol * max(1.0, abs(ref))
    return check


@functools.lru_cache(maxsize=None)
def _gan_sup(p, q, sigma_z, kappa):
    from complexity.models.gan import GanModel

    return GanModel(p, q, sigma_z, kappa).theta(math.inf, math.inf).theta


def gan_theta_between(p, q, sigma_z, kappa, lower_u=None, tol=1e-6):
    """Theta at a cut is <= its supremum (no cut), and >= Theta at the smaller cut ``lower_u``
    (monotone in each cut)."""
    def check(res):
        from complexity.models.gan import GanModel

        sup = _gan_sup(p, q, sigma_z, kappa)
        ok = res["theta"] <= sup + tol
        if lower_u is not None:
            lo = GanModel(p, q, sigma_z, kappa).theta(*lower_u).theta
            ok = ok and res["theta"] >= lo - tol
        return ok
    return check


def gan_theta_is_sup(p, q, sigma_z, kappa, tol=1e-6):
    def check(res):
        return abs(res["theta"] - _gan_sup(p, q, sigma_z, kappa)) <= tol
    return check


def finite_numbers(res) -> bool:
    return all_finite(res)


def all_finite(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(all_finite(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(all_finite(v) for v in obj)
    return True


def key_is(name, value, rtol=1e-12):
    def check(res):
        v = res
        for part in name.split("."):
            v = v[part]
        return abs(v - value) <= rtol * max(1.0, abs(value))
    return check


# ----------------------------------------------------------------------------- the cases
def _c(cmd: str, expect="refuse", check=None, heavy=False, ci=True):
    return Case(tuple(cmd.split()), expect, check, heavy, ci)


GAN = "--p 3 --q 3 --sigma-z 1 --kappa 0.9"


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append

    # --- pspin theta -----------------------------------------------------------------------
    for u in ("0", "-1", "-1.6329931618554521", "-1.7", "-3", "-1e3", "-1e8", "-1e100", "-1e150", "1e300"):
        for p in (2, 3, 10):
            add(_c(f"pspin theta --p {p} --u {u} --json", "value", pspin_theta_is(float(u), p)))
    for u in ("-1e3", "-1e100", "-1e150"):
        add(_c(f"pspin theta --p 3 --u {u} --k 2 --json", "value", pspin_theta_is(float(u), 3, 2)))
    for u in ("-1e155", "-1e200", "-1e308", "-1.7976931348623157e308"):
        add(_c(f"pspin theta --p 3 --u {u} --json", "either", pspin_theta_is(float(u), 3)))
        add(_c(f"pspin theta --p 3 --u {u}", "either"))
    add(_c("pspin theta --p 1000000 --u -1e140 --json", "either", pspin_theta_is(-1e140, 1000000)))
    for u in ("nan", "inf", "-inf", "1e999", "-1e999", "abc", ""):
        add(_c(f"pspin theta --p 3 --u {u}"))
    for p in ("1", "0", "-3", "2.5", "x"):
        add(_c(f"pspin theta --p {p} --u -1"))
    add(_c("pspin theta --p 3 --u -1 --k -1"))
    add(_c("pspin theta --p 3 --u -3 --k 1000000000 --json", "either", pspin_theta_is(-3, 3, 10**9, rtol=1e-6)))
    add(_c("pspin theta --p 1000000000000000000000 --u -1", "either"))

    # --- pspin thresholds --------------------------------------------------------------------
    add(_c("pspin thresholds --p 3 --kmax 3 --json", "value", finite_numbers))
    add(_c("pspin thresholds --p 2 --kmax 2 --json", "value", finite_numbers))
    add(_c("pspin thresholds --p 3 --kmax 0 --digits 1 --json", "value", finite_numbers))
    add(_c("pspin thresholds --p 3 --kmax -1"))
    add(_c("pspin thresholds --p 1 --kmax 2"))
    add(_c("pspin thresholds --p 3 --kmax 2 --digits 0"))
    add(_c("pspin thresholds --p 3 --kmax 2 --digits 5001"))
    add(_c("pspin thresholds --p 3 --kmax 1000000", heavy=True))
    add(_c("pspin thresholds --p 3 --kmax 100000000000", heavy=True))
    add(_c("pspin thresholds --p 3 --kmax 200 --digits 5000", heavy=True))
    add(_c("pspin thresholds --p 1000000000000 --kmax 1", "either"))

    # --- pspin count -------------------------------------------------------------------------
    add(_c("pspin count --p 3 --n 1 --json", "value", key_is("expected", 2.0)))
    add(_c("pspin count --p 2 --n 5 --json", "value", key_is("expected", 10.0, 1e-9)))
    add(_c("pspin count --p 3 --n 0"))
    add(_c("pspin count --p 3 --n -5"))
    add(_c("pspin count --p 1 --n 5"))
    add(_c("pspin count --p 3 --n 5 --k 5"))
    add(_c("pspin count --p 3 --n 5 --k -1"))
    add(_c("pspin count --p 3 --n 5 --k 2 --samples 1"))
    add(_c("pspin count --p 3 --n 5 --k 2 --samples 0"))
    add(_c("pspin count --p 3 --n 5 --k 2 --samples -10"))
    add(_c("pspin count --p 3 --n 5 --k 2 --seed -1"))
    add(_c("pspin count --p 3 --n 5 --u nan"))
    add(_c("pspin count --p 3 --n 5 --u inf"))
    add(_c("pspin count --p 3 --n 5 --u -1e300 --json", "value", key_is("expected", 0.0)))
    add(_c("pspin count --p 3 --n 5 --u 1e300 --json", "value", finite_numbers))
    add(_c("pspin count --p 3 --n 3000 --k 3 --samples 10", "either", heavy=True))
    add(_c("pspin count --p 3 --n 3000", "either", heavy=True))
    add(_c("pspin count --p 3 --n 100000", heavy=True))
    add(_c("pspin count --p 3 --n 1000000000", heavy=True))
    add(_c("pspin count --p 3 --n 50 --k 3 --samples 1000000000", heavy=True))
    add(_c("pspin count --p 1000000 --n 10 --json", "either", finite_numbers))

    # --- pspin enumerate ---------------------------------------------------------------------
    add(_c("pspin enumerate --p 3 --n 1 --samples 2"))
    add(_c("pspin enumerate --p 3 --n 9 --samples 2"))
    add(_c("pspin enumerate --p 3 --n 3 --samples 1"))
    add(_c("pspin enumerate --p 3 --n 3 --samples 0"))
    add(_c("pspin enumerate --p 1 --n 3 --samples 4"))
    add(_c("pspin enumerate --p 3 --n 3 --samples 4 --cut nan"))
    add(_c("pspin enumerate --p 3 --n 3 --samples 4 --seed -2"))
    add(_c("pspin enumerate --p 3 --n 8 --samples 100000000", heavy=True))
    add(_c("pspin enumerate --p 100000 --n 3 --samples 4", "either", heavy=True))

    # --- rmt -----------------------------------------------------------------------------
    base = "--kappa 0.5 --b 1 --b1 2"
    for sub in ("density", "log-potential"):
        add(_c(f"rmt {sub} {base} --x1 0 --at 0 --json", "value", finite_numbers))
        add(_c(f"rmt {sub} {base} --x1 0 --at nan"))
        add(_c(f"rmt {sub} {base} --x1 0 --at inf"))
        add(_c(f"rmt {sub} {base} --x1 0 --at 1,,2"))
        add(_c(f"rmt {sub} {base} --x1 0 --at ,"))
        add(_c(f"rmt {sub} {base} --x1 0 --at abc"))
        add(_c(f"rmt {sub} {base} --x1 1e300 --at 0", "either", finite_numbers))
        add(_c(f"rmt {sub} {base} --x1 nan --at 0"))
        add(_c(f"rmt {sub} --kappa 0 --b 1 --b1 2 --x1 0 --at 0"))
        add(_c(f"rmt {sub} --kappa 1 --b 1 --b1 2 --x1 0 --at 0"))
        add(_c(f"rmt {sub} --kappa 0.5 --b 0 --b1 2 --x1 0 --at 0"))
        add(_c(f"rmt {sub} --kappa 0.5 --b -1 --b1 2 --x1 0 --at 0"))
        add(_c(f"rmt {sub} --kappa 0.5 --b 1 --b1 -1 --x1 0 --at 0"))
        add(_c(f"rmt {sub} --kappa 0.5 --b 1e300 --b1 2 --x1 0 --at 0", "either", finite_numbers))
        add(_c(f"rmt {sub} --kappa 0.5 --b 1e-300 --b1 2 --x1 0 --at 0", "either", finite_numbers))
    add(_c("rmt density --kappa 0.5 --b 1 --b1 2 --x1 0 --at 1e308 --json", "either", finite_numbers))
    add(_c("rmt support --kappa 0.5 --b 1 --b1 2 --x1 0 --json", "value", finite_numbers))
    add(_c("rmt support --kappa 0.9 --b 1 --b1 0.5 --x1 1e4 --json", "either", finite_numbers))
    add(_c("rmt support --kappa 0.9 --b 1 --b1 0.5 --x1 1e5", "either", heavy=True))
    add(_c("rmt support --kappa 0.9 --b 1 --b1 0.5 --x1 -1e5", "either", heavy=True))
    add(_c("rmt support --kappa 0.9 --b 1 --b1 0.5 --x1 1e300", "either", heavy=True))
    add(_c("rmt support --kappa 1e-300 --b 1 --b1 0.5 --x1 0", "either", finite_numbers))
    add(_c("rmt support --kappa 0.5 --b 1 --b1 1e300 --x1 0", "either", finite_numbers))

    # --- gan theta -----------------------------------------------------------------------
    sup_ok = gan_theta_is_sup(3, 3, 1.0, 0.9)
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --json", "value", gan_theta_between(3, 3, 1.0, 0.9)))
    add(_c(f"gan theta {GAN} --u-d 1e18 --u-g 0 --json", "value",
           gan_theta_between(3, 3, 1.0, 0.9, lower_u=(0.0, 0.0))))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 1e18 --json", "value",
           gan_theta_between(3, 3, 1.0, 0.9, lower_u=(0.0, 0.0)), ci=False))
    for big in ("1e6", "1e18", "1e100", "1e300", "1e308"):
        add(_c(f"gan theta {GAN} --u-d {big} --u-g {big} --json", "value", sup_ok, ci=big == "1e308"))
    add(_c(f"gan theta {GAN} --u-d 1e3 --u-g 1e3 --json", "value", sup_ok, ci=False))
    for far in ("-1e3", "-1e6", "-1e18", "-1e308"):
        add(_c(f"gan theta {GAN} --u-d {far} --u-g 0 --json", "either", gan_theta_between(3, 3, 1.0, 0.9),
               ci=far in ("-1e3", "-1e308")))
        add(_c(f"gan theta {GAN} --u-d 0 --u-g {far} --json", "either", gan_theta_between(3, 3, 1.0, 0.9),
               ci=False))
    for bad in ("nan", "inf", "-inf"):
        add(_c(f"gan theta {GAN} --u-d {bad} --u-g 0"))
        add(_c(f"gan theta {GAN} --u-d 0 --u-g {bad}"))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --k-d -1"))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --k-g -3"))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --k-d 100000000", "either", finite_numbers, ci=False))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --convention nope"))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --box nope"))
    add(_c(f"gan theta {GAN} --u-d 0 --u-g 0 --box theta"))
    for sz in ("0", "-1", "nan", "inf"):
        add(_c(f"gan theta --p 3 --q 3 --sigma-z {sz} --kappa 0.9 --u-d 0 --u-g 0"))
    for kp in ("0", "1", "-0.1", "1.5", "nan"):
        add(_c(f"gan theta --p 3 --q 3 --sigma-z 1 --kappa {kp} --u-d 0 --u-g 0"))
    for p in ("1", "0", "2.5"):
        add(_c(f"gan theta --p {p} --q 3 --sigma-z 1 --kappa 0.9 --u-d 0 --u-g 0"))
        add(_c(f"gan theta --p 3 --q {p} --sigma-z 1 --kappa 0.9 --u-d 0 --u-g 0"))
    for sz in ("1e-300", "1e-8", "1e8", "1e100", "1e300"):
        add(_c(f"gan theta --p 3 --q 3 --sigma-z {sz} --kappa 0.9 --u-d 0 --u-g 0 --json", "either",
               finite_numbers))
    for kp in ("1e-300", "1e-12", "0.999999999999"):
        add(_c(f"gan theta --p 3 --q 3 --sigma-z 1 --kappa {kp} --u-d 0 --u-g 0 --json", "either",
               finite_numbers))
    for p in ("3000", "1000000"):
        add(_c(f"gan theta --p {p} --q 3 --sigma-z 1 --kappa 0.9 --u-d 0 --u-g 0 --json", "either",
               finite_numbers))

    # --- gan exponent ----------------------------------------------------------------------
    add(_c(f"gan exponent {GAN} --x 0.5 --x1 0.2 --json", "value", finite_numbers))
    for x, x1 in (("1e160", "1"), ("1e300", "0"), ("-1e160", "1"), ("0", "1e160"), ("0", "-1e300"),
                  ("1e8", "1"), ("0", "1e8")):
        add(_c(f"gan exponent {GAN} --x {x} --x1 {x1} --json", "either", finite_numbers))
    for x, x1 in (("nan", "0"), ("0", "nan"), ("inf", "0"), ("0", "-inf")):
        add(_c(f"gan exponent {GAN} --x {x} --x1 {x1}"))
    add(_c("gan exponent --p 3 --q 3 --sigma-z 1e100 --kappa 0.9 --x 0 --x1 0 --json", "either", finite_numbers))

    # --- gan thresholds --------------------------------------------------------------------
    add(_c(f"gan thresholds {GAN} --json", "value", finite_numbers))
    add(_c(f"gan thresholds {GAN} --box theta"))
    add(_c(f"gan thresholds {GAN} --box exponent_in_domain"))
    add(_c(f"gan thresholds {GAN} --convention published --box nope"))
    add(_c(f"gan thresholds {GAN} --k-d -1"))
    for sz in ("1e100", "1e300", "1e-300", "1e-12"):
        add(_c(f"gan thresholds --p 3 --q 3 --sigma-z {sz} --kappa 0.9 --json", "either", finite_numbers))
    for p in ("3000", "100000"):
        add(_c(f"gan thresholds --p {p} --q 3 --sigma-z 1 --kappa 0.9 --json", "either", finite_numbers))
        add(_c(f"gan thresholds --p 3 --q {p} --sigma-z 1 --kappa 0.9 --json", "either", finite_numbers))
    for kp in ("1e-300", "0.999999999999"):
        add(_c(f"gan thresholds --p 3 --q 3 --sigma-z 1 --kappa {kp} --json", "either", finite_numbers))

    # --- gan count -------------------------------------------------------------------------
    cnt = "gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g 2 --samples 4 --kac-rice-samples 2000"
    add(_c(f"{cnt} --json", "value", finite_numbers, ci=False))
    add(_c(f"{cnt} --u-d 1e308", "either"))
    add(_c(f"{cnt} --u-d -1e308", "either"))
    add(_c(f"{cnt} --u-d nan"))
    add(_c(f"{cnt} --u-g inf"))
    add(_c(f"{cnt} --kappa 0.3"))
    add(_c(f"{cnt} --kappa nan"))
    add(_c(f"{cnt} --seed -1"))
    add(_c(f"{cnt} --method torus --n-d 3"))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 0 --n-g 2"))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g -2"))
    add(_c("gan count --p 3 --q 3 --sigma-z 0 --n-d 2 --n-g 2"))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g 2 --samples 0"))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g 2 --kac-rice-samples 0"))
    add(_c("gan count --p 3 --q 3 --sigma-z 1e-300 --n-d 2 --n-g 2 --samples 4 --kac-rice-samples 2000",
           "either", heavy=True))
    add(_c("gan count --p 3 --q 3 --sigma-z 1e300 --n-d 2 --n-g 2 --samples 4 --kac-rice-samples 2000",
           "either", heavy=True))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 200 --n-g 200 --samples 4", heavy=True))
    add(_c("gan count --p 30 --q 3 --sigma-z 1 --n-d 4 --n-g 4 --samples 4", heavy=True))
    add(_c("pspin enumerate --p 40 --n 8 --samples 4", heavy=True))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g 2 --samples 1000000000", heavy=True))
    add(_c("gan count --p 3 --q 3 --sigma-z 1 --n-d 2 --n-g 2 --kac-rice-samples 1000000000000", heavy=True))

    # --- figures ---------------------------------------------------------------------------
    add(_c("figures --list --json", "value", lambda r: "figures" in r))
    add(_c("figures --list pspin_thresholds"))
    add(_c("figures no_such_figure"))
    add(_c("figures pspin_thresholds --out {ro}/sub"))
    add(_c("figures pspin_thresholds --out {ro}"))
    add(_c("figures pspin_thresholds --out {file}"))
    add(_c("figures pspin_thresholds --out {file}/sub"))

    # --- sweep -----------------------------------------------------------------------------
    sw = "sweep pspin --p 3 --serial --quiet"
    add(_c(f"{sw} --out {{tmp}}/a.csv --json", "value", lambda r: r["failed"] == 0))
    add(_c(f"{sw} --out {{ro}}/a.csv"))
    add(_c(f"{sw} --out {{tmp}}/missing/a.csv"))
    add(_c(f"{sw} --out {{tmp}}"))
    add(_c(f"{sw} --out {{file}}"))
    add(_c(f"{sw} --out {{file}}/a.csv"))
    add(_c("sweep pspin --p 1 --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p linspace(0,1,1e9) --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p logspace(0,400,3) --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p [3,,4] --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --k-max 1001 --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --u nan --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --u eval(1) --serial --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --workers 0 --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --local-cluster 0 --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --scheduler nonsense --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --scheduler tcp://127.0.0.1:1 --connect-timeout -1 --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --scheduler tcp://127.0.0.1:1 --connect-timeout nan --quiet --out {tmp}/b.csv"))
    add(_c("sweep pspin --p 3 --u -1e200 --serial --quiet --out {tmp}/c.csv --json", "either",
           lambda r: r["failed"] == 1))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --u-d -1 --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --u-g -1 --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --box theta --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 0 --kappa 0.9 --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 1 --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --convention bogus --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --k-d -2 --serial --quiet --out {tmp}/g.csv"))
    add(_c("sweep gan --p 3 --q 3 --sigma-z 1 --kappa 0.9 --u-d 1e18 --u-g 0 --serial --quiet "
           "--out {tmp}/h.csv --json", "value", lambda r: r["failed"] == 0))
    add(_c("sweep nosuchmodel --p 3 --out {tmp}/b.csv"))

    # --- the top level -----------------------------------------------------------------------
    add(_c("nosuchcommand"))
    add(_c("pspin"))
    add(_c("pspin theta"))
    add(_c("pspin theta --p 3"))
    add(_c("pspin theta --p 3 --u 1 --bogus"))
    return out


_NONFINITE = re.compile(r"(?<![a-z_])[-+]?(nan|inf|infinity)(?![a-z_])")


def parse_json(stdout: str):
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def classify(case: Case, rc, stdout: str, stderr: str, timed_out: bool) -> str:
    """One of refusal, value, internal, traceback, hang, wrong."""
    if timed_out:
        return "hang"
    if "Traceback (most recent call last)" in stderr:
        return "traceback"
    err_lines = [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("usage:")
                 and not ln.startswith(" ") and not ln.startswith(("complexity: note:", "complexity: warning:"))]
    if rc == 2:
        ok = len(err_lines) == 1 and err_lines[0].startswith("complexity: error:")
        return "refusal" if ok else "traceback"
    if rc == 1:
        return "internal" if len(err_lines) == 1 else "traceback"
    if rc != 0:
        return "traceback"
    if case.expect == "refuse":
        return "wrong"
    res = parse_json(stdout)
    if res is not None and not all_finite(res):
        return "wrong"
    if res is None and _NONFINITE.search(stdout.lower()):
        return "wrong"
    if case.check is None:
        return "value"
    if res is None:
        return "value" if "--json" not in case.argv else "wrong"
    try:
        return "value" if case.check(res) else "wrong"
    except Exception:  # noqa: BLE001 - a check that cannot run on the output: the output is wrong
        return "wrong"
