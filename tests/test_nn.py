"""Real network Hessians (complexity.nn): exact Hessians against closed forms and finite
differences, Lanczos and SLQ against the exact spectrum, exact zero directions against
rank counting, and the ``complexity nn`` command contracts.

Needs the ``nn`` extra (JAX, scikit-learn), which the ``test`` extra carries.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from complexity.cli import main
from complexity.nn import _backend, cache, data, hessian, lanczos, rank
from complexity.nn.mlp import MLP, init_params

SPEC = MLP((64, 6, 5, 10))  # P = 65*6 + 7*5 + 6*10 = 485
B = 40


@pytest.fixture(scope="module")
def digits():
    return data.load(n_train=200)


@pytest.fixture(scope="module")
def batch(digits):
    return data.random_batch(digits.X_train, digits.y_train, B, seed=3)


@pytest.fixture(scope="module")
def theta():
    return init_params(SPEC, 1)


@pytest.fixture(scope="module")
def H(batch, theta):
    X, y = batch
    return hessian.hessian_exact(SPEC, theta, X, y)


@pytest.fixture(scope="module")
def eigs(H):
    return np.linalg.eigvalsh(H)


# --- the exact Hessian ------------------------------------------------------------------


def _softmax(z):
    p = np.exp(z - z.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def test_logistic_regression_hessian_closed_form(digits):
    """L = 1 (logistic regression): H = (1/n) sum_i J_i^T (diag p_i - p_i p_i^T) J_i, with
    J_i the (linear) Jacobian of z_i = W x_i + b in the flat layout [W row-major, b]; built
    here in numpy from the definition.  Tolerance 1e-12 relative."""
    spec = MLP((64, 10))
    th = init_params(spec, 5) * 3.0
    X, y = digits.X_train[:30], digits.y_train[:30]
    n, d = X.shape
    C = 10
    W, b = th[: C * d].reshape(C, d), th[C * d :]
    p = _softmax(X @ W.T + b)
    Href = np.zeros((spec.n_params,) * 2)
    for i in range(n):
        J = np.zeros((C, spec.n_params))
        for c in range(C):
            J[c, c * d : (c + 1) * d] = X[i]
            J[c, C * d + c] = 1.0
        A = np.diag(p[i]) - np.outer(p[i], p[i])
        Href += J.T @ A @ J / n
    Hc = hessian.hessian_exact(spec, th, X, y)
    assert np.max(np.abs(Hc - Href)) <= 1e-12 * np.max(np.abs(Href))
    # for a linear model the Hessian is its Gauss-Newton part
    G = hessian.gauss_newton_exact(spec, th, X, y)
    assert np.max(np.abs(G - Href)) <= 1e-12 * np.max(np.abs(Href))
    # its zero directions: C (d + 1 - r0) + r0 (first layer = softmax layer)
    r0 = np.linalg.matrix_rank(np.column_stack([X, np.ones(n)]))
    assert rank.zero_count(np.linalg.eigvalsh(Hc)) == C * (d + 1 - r0) + r0


def test_hessian_against_finite_differences(H, batch, theta):
    """Columns of H against central differences of the gradient (h = 1e-5, truncation
    O(h^2) ~ 1e-10), and entries against second differences of the loss alone
    (h = 1e-4, error ~ eps/h^2 ~ 1e-8): tolerances 1e-7 and 1e-6 relative to max |H|."""
    jax, jnp = _backend.jax_modules()
    X, y = (jnp.asarray(a) for a in batch)
    f = SPEC.loss_fn()
    g = jax.jit(jax.grad(f))
    scale = np.max(np.abs(H))
    rng = np.random.default_rng(0)
    cols = rng.choice(SPEC.n_params, size=12, replace=False)
    h = 1e-5
    for j in cols:
        e = np.zeros(SPEC.n_params)
        e[j] = h
        fd = (np.asarray(g(theta + e, X, y)) - np.asarray(g(theta - e, X, y))) / (2 * h)
        assert np.max(np.abs(fd - H[:, j])) <= 1e-7 * scale
    hh = 1e-4
    fl = jax.jit(f)
    for i, j in rng.choice(SPEC.n_params, size=(6, 2)):
        ei = np.zeros(SPEC.n_params)
        ej = np.zeros(SPEC.n_params)
        ei[i] = hh
        ej[j] = hh
        val = [float(fl(theta + si * ei + sj * ej, X, y)) for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
        fd = (val[0] - val[1] - val[2] + val[3]) / (4 * hh * hh)
        assert abs(fd - H[i, j]) <= 1e-6 * scale


def test_batch_hessian_is_the_average_of_its_halves(H, batch, theta):
    """The loss is a mean over samples, so H(batch) = (H(first half) + H(second half)) / 2."""
    X, y = batch
    h1 = hessian.hessian_exact(SPEC, theta, X[: B // 2], y[: B // 2])
    h2 = hessian.hessian_exact(SPEC, theta, X[B // 2 :], y[B // 2 :])
    assert np.max(np.abs((h1 + h2) / 2 - H)) <= 1e-12 * np.max(np.abs(H))


def test_random_batch_seeded_and_distinct(digits):
    X1, y1 = data.random_batch(digits.X_train, digits.y_train, 50, seed=7)
    X2, y2 = data.random_batch(digits.X_train, digits.y_train, 50, seed=7)
    X3, _ = data.random_batch(digits.X_train, digits.y_train, 50, seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2) and not np.array_equal(X1, X3)
    ids, _ = data.random_batch(np.arange(200.0)[:, None], np.arange(200), 50, seed=7)
    assert np.unique(ids).size == 50  # without replacement
    assert np.array_equal(data.random_batch(digits.X_train, digits.y_train, None)[0], digits.X_train)
    with pytest.raises(ValueError, match="batch size"):
        data.random_batch(digits.X_train, digits.y_train, 0)
    with pytest.raises(ValueError, match="batch size"):
        data.random_batch(digits.X_train, digits.y_train, 201)


# --- the atom at 0 against rank counting ---------------------------------------------------


def test_atom_at_zero_is_the_structural_count(eigs, batch):
    """Over-parameterised batch (P = 485, B = 40): the exact zeros of H are the first layer's
    n_1 (n_0 + 1 - r_0) directions (r_0 = rank [X, 1] by numpy) plus the softmax shift's
    n_{L-1} + 1; the count is exact and separated from the rest by a gap."""
    X, _ = batch
    r0 = np.linalg.matrix_rank(np.column_stack([X, np.ones(len(X))]))
    expected = 6 * (64 + 1 - r0) + 5 + 1
    a = np.sort(np.abs(eigs)) / np.max(np.abs(eigs))
    assert rank.zero_count(eigs) == expected
    assert a[expected - 1] < 1e-14 and a[expected] > 1e-9
    assert rank.structural_zero_count(SPEC, X) == expected


def test_cnn_hessian_and_its_zeros(digits):
    """The one-convolution network (2 filters 3x3, P = 750): Hessian columns against central
    differences of the gradient (1e-7 relative), and its exact zeros against rank counting:
    max(structural, P - min(B, F + 1)(C - 1) - 2 P_a) at B = 100 (73, the structural count:
    softmax shift, filters of full rank on the patches).  B = 3 (683, the last-layer bound) is
    checked through the command line (test_cli_cnn_train_and_hessian)."""
    from complexity.nn.cnn import CNN

    jax, jnp = _backend.jax_modules()
    spec = CNN(2, 3)
    th = spec.init_params(1)
    assert spec.n_params == 2 * 10 + 10 * 73 == th.size
    for B, expected in ((100, 73),):
        X, y = data.random_batch(digits.X_train, digits.y_train, B, seed=0)
        Hc = hessian.hessian_exact(spec, th, X, y)
        e = np.linalg.eigvalsh(Hc)
        assert rank.zero_count(e) == rank.zero_lower_bound(spec, X) == expected
    g = jax.jit(jax.grad(spec.loss_fn()))
    Xj, yj = jnp.asarray(X), jnp.asarray(y)
    for j in (0, 5, 19, 21, 400, 749):
        ej = np.zeros(spec.n_params)
        ej[j] = 1e-5
        fd = (np.asarray(g(th + ej, Xj, yj)) - np.asarray(g(th - ej, Xj, yj))) / 2e-5
        assert np.max(np.abs(fd - Hc[:, j])) <= 1e-7 * np.max(np.abs(Hc))


def test_gauss_newton_rank_bound(batch, theta):
    """rank G <= B (C - 1) and G's null space holds the structural directions:
    zeros(G) >= max(P - B (C - 1), structural), and G is positive semidefinite."""
    X, y = batch
    X = X[:10]
    G = hessian.gauss_newton_exact(SPEC, theta, X, y[:10])
    e = np.linalg.eigvalsh(G)
    assert e[0] >= -1e-12 * e[-1]
    P = SPEC.n_params
    assert rank.zero_count(e) >= max(P - 10 * 9, rank.structural_zero_count(SPEC, X))
    assert rank.gauss_newton_atom_bound(SPEC, X) == pytest.approx((P - 90) / P)


# --- Lanczos and SLQ ----------------------------------------------------------------------


def test_lanczos_extremes_match_exact(eigs, batch, theta):
    """Lanczos (full reorthogonalisation) on the HVP operator: the 3 largest and the smallest
    Ritz values after 120 steps agree with numpy's eigvalsh to 1e-6 relative, and every
    Ritz value lies within its residual bound of an exact eigenvalue."""
    X, y = batch
    mv = hessian.hvp_operator(SPEC, theta, X, y)
    r = lanczos.lanczos_extremes(mv, SPEC.n_params, 120, seed=0)
    th = r["ritz"]
    assert np.all(np.abs(th[-3:] - eigs[-3:]) <= 1e-6 * np.abs(eigs[-3:]))
    assert abs(th[0] - eigs[0]) <= 1e-6 * abs(eigs[0])
    dist = np.min(np.abs(th[:, None] - eigs[None, :]), axis=1)
    assert np.all(dist <= r["residual"] + 1e-10 * np.max(np.abs(eigs)))


def test_lanczos_warns_when_not_converged():
    """Five steps on a 200 x 200 matrix with a continuous spectrum do not converge: a warning."""
    lam = np.linspace(-1, 1, 200)
    with pytest.warns(UserWarning, match="has not converged"):
        lanczos.lanczos_extremes(lambda v: lam * v, 200, 5, seed=0)


def test_lanczos_full_run_is_exact():
    """n steps on an n x n matrix with a known spectrum return that spectrum (1e-10)."""
    rng = np.random.default_rng(2)
    n = 60
    lam = np.sort(rng.standard_normal(n))
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * lam) @ Q.T
    alpha, beta, _, _ = lanczos.lanczos(lambda v: A @ v, n, n, seed=1)
    theta, _ = lanczos.ritz(alpha, beta)
    assert np.max(np.abs(theta - lam)) <= 1e-10


def test_slq_moments_against_exact_traces(H):
    """SLQ (20 steps, 40 Rademacher probes) estimates m_j = tr(H^j)/P, j = 1..4, within
    4 standard errors; the standard error is the exact one for Rademacher probes,
    sqrt(2 (||A||_F^2 - sum_i A_ii^2) / (P^2 probes)) with A = H^j.  Per probe, the
    quadrature reproduces v^T H^j v exactly (j <= 2*20 - 1; 1e-9 relative)."""
    P = H.shape[0]
    probes = 40
    nodes, weights = lanczos.slq(lambda v: H @ v, P, 20, probes, seed=4)
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    mean, se = lanczos.slq_moments(nodes, weights, 4)
    Hj = np.eye(P)
    rng = np.random.default_rng(4)  # the same probes, regenerated
    z = np.stack([rng.choice([-1.0, 1.0], size=P) for _ in range(probes)]) / np.sqrt(P)
    for j in range(1, 5):
        Hj = Hj @ H
        exact = np.trace(Hj) / P
        se_exact = np.sqrt(2 * (np.sum(Hj**2) - np.sum(np.diag(Hj) ** 2)) / (P**2 * probes))
        assert abs(mean[j - 1] - exact) <= 4 * se_exact
        quad = (weights * nodes**j).sum(axis=1)
        direct = np.einsum("ri,ij,rj->r", z, Hj, z)
        assert np.max(np.abs(quad - direct)) <= 1e-9 * np.max(np.abs(direct))


def test_first_adam_step_closed_form(digits):
    """One full-batch Adam step from theta_0: m_1/(1-b1) = g and v_1/(1-b2) = g^2, so
    theta_1 = theta_0 - lr g / (|g| + eps) exactly (Kingma and Ba, Alg. 1); 1e-12."""
    from complexity.nn import train

    jax, jnp = _backend.jax_modules()
    spec = MLP((64, 3, 10))
    net = train.train_mlp((3,), epochs=1, seed=4, lr=0.01, batch_size=100, n_train=100)
    ds = data.load(n_train=100)
    th0 = init_params(spec, 4)
    g = np.asarray(jax.grad(spec.loss_fn())(jnp.asarray(th0), jnp.asarray(ds.X_train), jnp.asarray(ds.y_train)))
    expected = th0 - 0.01 * g / (np.abs(g) + 1e-8)
    assert np.max(np.abs(net.theta - expected)) <= 1e-12
    assert net.summary["n_train"] == 100 and net.summary["optimizer"]["lr"] == 0.01


# --- weights folder -------------------------------------------------------------------------


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "summary.json"
    target.write_text("old")

    def boom(fh):
        fh.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        cache.atomic_write(target, boom)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


# --- the command line -------------------------------------------------------------------------


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("net")
    code = main(["nn", "train", "--hidden", "4", "--epochs", "3", "--seed", "2", "--out", str(d / "w"), "--json"])
    assert code == 0
    return d / "w"


def test_cli_train_contract(trained, capsys):
    s = json.loads((trained / "summary.json").read_text())
    assert s["n_params"] == 65 * 4 + 5 * 10 and s["sizes"] == [64, 4, 10] and s["n_train"] == 1438
    assert 0.0 <= s["train_accuracy"] <= 1.0 and s["train_loss"] > 0
    net = cache.load(trained)
    assert net.theta.shape == (310,)
    # reproducible: the same seed gives the same weights, another seed others
    again = trained.parent / "again"
    code, out, _ = _run(
        capsys, "nn", "train", "--hidden", "4", "--epochs", "3", "--seed", "2", "--out", str(again), "--json"
    )
    assert code == 0 and json.loads(out)["n_params"] == 310
    assert np.array_equal(cache.load(again).theta, net.theta)


def test_cli_hessian_exact_and_lanczos_agree(trained, capsys, tmp_path):
    code, out, _ = _run(
        capsys, "nn", "hessian", str(trained), "--batch-size", "100", "--out", str(tmp_path / "e.npy"), "--json"
    )
    assert code == 0
    res = json.loads(out)
    e = np.load(tmp_path / "e.npy")
    assert e.shape == (310,) and np.all(np.diff(e) >= 0)
    assert res["zero_count"] == res["structural_zeros"] and res["batch_size"] == 100
    from complexity import spectra  # the spectral layer reads the file as an empirical measure

    assert spectra.empirical(e).moments(1)[0] == pytest.approx(e.mean())
    code, out, _ = _run(
        capsys,
        "nn",
        "hessian",
        str(trained),
        "--batch-size",
        "100",
        "--method",
        "lanczos",
        "--steps",
        "80",
        "--probes",
        "2",
        "--out",
        str(tmp_path / "l.npz"),
        "--json",
    )
    assert code == 0
    res = json.loads(out)
    z = np.load(tmp_path / "l.npz")
    assert z["nodes"].shape == (2, 80) and np.allclose(z["weights"].sum(axis=1), 1.0)
    ritz = np.load(tmp_path / "l.ritz.npy")
    assert res["steps_probe0"] == 80 and np.array_equal(z["steps"], [80, 80])
    assert np.array_equal(ritz, z["nodes"][0]) and res["ritz_out"].endswith("l.ritz.npy")
    assert abs(ritz[-1] - e[-1]) <= 1e-6 * abs(e[-1]) and abs(ritz[0] - e[0]) <= 1e-6 * abs(e[0])


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--batch-size", "0"], "batch size"),
        (["--batch-size", "5000"], "batch size"),
        (["--steps", "0", "--method", "lanczos"], "steps"),
    ],
)
def test_cli_hessian_bad_numbers_exit_2(trained, capsys, tmp_path, argv, needle):
    code, _, err = _run(capsys, "nn", "hessian", str(trained), *argv, "--out", str(tmp_path / "x.npy"))
    assert code == 2 and needle in err
    assert not any(tmp_path.iterdir())


def test_cli_bad_folders_exit_2(capsys, tmp_path):
    out = str(tmp_path / "x.npy")
    code, _, err = _run(capsys, "nn", "hessian", str(tmp_path / "missing"), "--out", out)
    assert code == 2 and "does not exist" in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "summary.json").write_text('{"model": "mlp", "sizes": [64, 4, 10]}')
    code, _, err = _run(capsys, "nn", "hessian", str(bad), "--out", out)
    assert code == 2 and "weights.npz is missing" in err
    (bad / "weights.npz").write_bytes(b"not a zip file")
    code, _, err = _run(capsys, "nn", "hessian", str(bad), "--out", out)
    assert code == 2 and "corrupt" in err
    np.savez(bad / "weights.npz", theta=np.zeros(7), sizes=np.array([64, 4, 10]))
    code, _, err = _run(capsys, "nn", "hessian", str(bad), "--out", out)
    assert code == 2 and "7 weights" in err
    # weights of the right length from another run: the checksum in summary.json catches them
    (bad / "summary.json").write_text('{"model": "mlp", "sizes": [64, 4, 10], "weights_sha256": "0"}')
    np.savez(bad / "weights.npz", theta=np.zeros(310), sizes=np.array([64, 4, 10]))
    code, _, err = _run(capsys, "nn", "hessian", str(bad), "--out", out)
    assert code == 2 and "checksum" in err
    assert not (tmp_path / "x.npy").exists()


def test_cli_too_large_for_exact_suggests_lanczos(capsys, tmp_path):
    big = MLP((64, 100, 60, 10))
    net = cache.TrainedNet(big, np.zeros(big.n_params), {**big.to_dict(), "data": "digits", "split_seed": 0})
    cache.save(net, tmp_path / "big")
    code, _, err = _run(capsys, "nn", "hessian", str(tmp_path / "big"), "--out", str(tmp_path / "x.npy"))
    assert code == 2 and "13170 parameters" in err and "--method lanczos" in err


def test_cli_cnn_train_and_hessian(capsys, tmp_path):
    code, out, _ = _run(
        capsys,
        "nn",
        "train",
        "--model",
        "cnn",
        "--channels",
        "2",
        "--epochs",
        "1",
        "--out",
        str(tmp_path / "c"),
        "--json",
    )
    assert code == 0 and json.loads(out)["n_params"] == 750
    assert cache.load(tmp_path / "c").summary["model"] == "cnn"
    code, out, _ = _run(
        capsys, "nn", "hessian", str(tmp_path / "c"), "--batch-size", "3", "--out", str(tmp_path / "c.npy"), "--json"
    )
    res = json.loads(out)
    assert code == 0 and res["zero_count"] == res["zero_lower_bound"] == 683
    # rank 750 - 683 = 67: 68 distinct levels (with 0), so the Krylov space is invariant after
    # about 68 steps (one more when rounding leaves a 1e-11 residual); the Ritz file holds only
    # the genuine Ritz values, which are then exact eigenvalues
    e = np.load(tmp_path / "c.npy")
    code, out, _ = _run(
        capsys,
        "nn",
        "hessian",
        str(tmp_path / "c"),
        "--batch-size",
        "3",
        "--method",
        "lanczos",
        "--steps",
        "100",
        "--out",
        str(tmp_path / "c.npz"),
        "--json",
    )
    res = json.loads(out)
    ritz = np.load(tmp_path / "c.ritz.npy")
    assert code == 0 and res["steps_probe0"] == ritz.size <= 70
    assert np.max(np.min(np.abs(ritz[:, None] - e[None, :]), axis=1)) <= 1e-9 * np.max(np.abs(e))
    code, _, err = _run(capsys, "nn", "train", "--model", "cnn", "--out", str(tmp_path / "d"))
    assert code == 2 and "channels" in err


def test_cli_bad_hidden_exits_2(capsys, tmp_path):
    code, _, err = _run(capsys, "nn", "train", "--hidden", "4,x", "--out", str(tmp_path / "w"))
    assert code == 2 and "hidden" in err
    with pytest.raises(SystemExit) as exc:  # argparse's own choices check
        main(["nn", "train", "--hidden", "4", "--data", "mnist", "--out", str(tmp_path / "w")])
    assert exc.value.code == 2


def test_cli_missing_extra_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_backend, "_CACHE", {})
    monkeypatch.setitem(sys.modules, "jax", None)
    code, _, err = _run(capsys, "nn", "train", "--hidden", "4", "--epochs", "1", "--out", str(tmp_path / "w"))
    assert code == 2 and 'pip install ".[nn]"' in err
    assert not (tmp_path / "w").exists()


# --- spectral diagnostics (complexity.nn.analysis) -----------------------------------------


def test_ratio_statistics_adapter_drops_the_atom():
    """GOE eigenvalues (N = 600, central 80 %) with 50 exact zeros: the zeros are dropped
    relative to max |l| and counted; the ratios pass the GOE KS test (p > 1e-3) and fail
    Poisson (p < 1e-10); sorted uniforms the reverse (statistics of complexity.diagnostics)."""
    from complexity.nn import analysis

    rng = np.random.default_rng(11)
    M = rng.standard_normal((600, 600))
    e = np.linalg.eigvalsh((M + M.T) / 2)
    s = analysis.ratio_statistics(np.concatenate([e, np.zeros(50)]), trim=0.1)
    assert s["dropped"] == 50
    assert s["ks_pvalue"]["goe"] > 1e-3 and s["ks_pvalue"]["poisson"] < 1e-10
    p = analysis.ratio_statistics(np.sort(rng.uniform(size=600)))
    assert p["dropped"] == 0 and p["ks_pvalue"]["poisson"] > 1e-3 and p["ks_pvalue"]["goe"] < 1e-10


def test_outlier_law_against_sampled_noise_plus_hessian():
    """A = diag(N - 1 uniform levels in [0, 0.2], spike theta = 1) plus noise s X, X Wigner
    (off-diagonal variance 1/N), N = 800, s = 0.3: the top eigenvalue agrees with
    theta + s^2 G_A(theta) = 1 + s^2 mean(1 / (1 - bulk)) within 0.03 (outlier fluctuations
    O(s N^-1/2) ~ 0.01)."""
    from complexity.nn import analysis

    rng = np.random.default_rng(5)
    N, s = 800, 0.3
    A = rng.standard_normal((N, N)) / np.sqrt(N)
    X = (A + A.T) / np.sqrt(2)
    bulk = np.sort(rng.uniform(0, 0.2, size=N - 1))
    top = np.linalg.eigvalsh(s * X + np.diag(np.concatenate([bulk, [1.0]])))[-1]
    law = analysis.outlier_law(bulk, 1.0, s * s)
    assert abs(law - (1 + s * s * np.mean(1 / (1 - bulk)))) < 1e-8
    assert abs(top - law) < 0.03
    with pytest.raises(ValueError, match="does not separate"):
        analysis.outlier_law(bulk, 0.25, 1.0)
    # Hutchinson estimate of s^2 = ||D||_F^2 / N within 4 standard errors
    D = s * X
    est, se = analysis.batch_noise_s2_probes(lambda v: D @ v, lambda v: 0 * v, N, 16, seed=1)
    assert abs(est - analysis.batch_noise_s2(D, np.zeros_like(D))) < 4 * se


# --- bulk fits (complexity.nn.fit) -----------------------------------------------------------

_A, _B = 2.0, 0.5  # the affine map x = a l + b applied to every sampled spectrum


def _sampled(mu, n, seed):
    return _A * mu.sample(n, 1, seed=seed)[0] + _B


_FIT_CASES = {
    "semicircle": (lambda s: s.semicircle(), {}, 600),
    "marchenko_pastur": (lambda s: s.marchenko_pastur(0.4), {"c": 0.4}, 600),
    "wigner_times_wishart": (lambda s: s.wigner_times_wishart(0.5), {"c": 0.5}, 600),
    "wishart_product": (lambda s: s.wishart_product(0.3, 0.7), {"c1": 0.3, "c2": 0.7}, 600),
    "deformed": (lambda s: s.deformed(s.discrete((0.0, 1.0), (0.7, 0.3)), 0.15), {"s": 0.15, "w2": 0.3}, 500),
}


@pytest.mark.parametrize("family", list(_FIT_CASES))
def test_bulk_fit_recovers_sampled_ensembles(family):
    """One seeded sampled matrix of each ensemble (N = 500-600), mapped by x = 2 l + 0.5, is
    fitted by its own family: every shape parameter and a, b within one of the fit's iid
    sandwich standard errors of the truth, and KS D below Kolmogorov's 5 % critical value
    1.36/sqrt(n).  (The iid errors overstate the fluctuations of one matrix's eigenvalues,
    which repel: smooth statistics of them fluctuate as 1/N, not 1/sqrt N; measured here:
    errors <= 0.14 standard errors and D ~ 0.005; one standard error leaves room for the
    O(1/N) finite-N bias.)  The Marchenko-Pastur case also carries 50
    exact zeros (dropped with drop_below and counted) and 3 outliers (trimmed, counted)."""
    from complexity import spectra
    from complexity.nn import fit

    build, truth, n = _FIT_CASES[family]
    x = _sampled(build(spectra), n, seed=4)
    kw = {}
    if family == "marchenko_pastur":
        x = np.concatenate([x, np.zeros(50), [10.0, 20.0, 30.0]])
        kw = dict(drop_below=1e-12, outliers=3)
    f = fit.fit_bulk(x, family, **kw)
    assert f.n == n and f.stderr is not None and not f.at_bounds
    for name, value in {**truth, "a": _A, "b": _B}.items():
        assert abs(f.params.get(name, f.a if name == "a" else f.b) - value) <= f.stderr[name], (name, f)
    assert f.ks_statistic < 1.36 / np.sqrt(n) and f.ks_pvalue > 0.05
    if family == "marchenko_pastur":
        assert (f.dropped, f.trimmed, f.data_atom) == (50, 3, 50 / (n + 53))
    if family == "wishart_product":  # one measure per choice of N among the dimensions {1, 1/c1, 1/c2}
        np.testing.assert_allclose(f.model_atoms, [0.0, 1 - f.params["c2"], 1 - f.params["c1"]], atol=1e-15)


@pytest.mark.parametrize("family", ["marchenko_pastur", "wishart_product", "deformed"])
def test_bulk_fit_survives_its_json_round_trip(family):
    """A fit written by as_dict (through JSON, as the figure cache stores it) and read back by
    BulkFit.from_dict rebuilds its measure from the family and the fitted shape: the same
    numbers, the same cdf and density, and the stored KS statistic recomputed from the
    rebuilt cdf (max over the sorted bulk of |F(x_i) - i/n|, |F(x_i) - (i-1)/n|)."""
    from complexity import spectra
    from complexity.nn import fit

    build, _, _ = _FIT_CASES[family]
    x = np.sort(_sampled(build(spectra), 300, seed=7))
    f = fit.fit_bulk(x, family, stderr=False)
    g = fit.BulkFit.from_dict(json.loads(json.dumps(f.as_dict())))
    assert g.as_dict() == f.as_dict()
    grid = np.linspace(x[0], x[-1], 101)
    np.testing.assert_allclose(g.cdf(grid), f.cdf(grid), rtol=0, atol=1e-14)
    np.testing.assert_allclose(g.density(grid), f.density(grid), rtol=1e-13, atol=1e-13)
    F, n = g.cdf(x), x.size
    i = np.arange(1, n + 1)
    assert abs(max(np.max(i / n - F), np.max(F - (i - 1) / n)) - f.ks_statistic) < 1e-12
    with pytest.raises(ValueError, match="family"):
        fit.BulkFit.from_dict({**f.as_dict(), "family": "poisson"})


def test_continuous_parts_depend_only_on_the_set_of_dimensions():
    """The identity behind the fits' ratios <= 1: up to a dilation, the continuous part of
    W1 W2 with dimensions (N, T1, T2) = (1, 1/0.3, 1/0.7) is that of the product with N and
    T1 exchanged, c' = (T1/N, T1/T2); Wigner x Wishart and Marchenko-Pastur likewise with
    c <-> 1/c.  Standardised quantiles (divided by the mean, or the rms for the symmetric
    law) agree to 1e-8 (tables to 1e-10), while a different ratio differs by > 0.01."""
    from complexity import spectra
    from complexity.spectra import _quadrature as Q

    q = np.linspace(0.01, 0.99, 99)
    mid = (np.arange(4000) + 0.5) / 4000

    def shape(mu, power):
        t = Q.tabulated_cdf(mu)
        return t.inverse(q) / np.mean(np.abs(t.inverse(mid)) ** power) ** (1 / power)

    t1, t2 = 1 / 0.3, 1 / 0.7
    pairs = [
        (spectra.wishart_product(0.3, 0.7), spectra.wishart_product(t1, t1 / t2), 1),
        (spectra.wigner_times_wishart(0.4), spectra.wigner_times_wishart(2.5), 2),
        (spectra.marchenko_pastur(0.4), spectra.marchenko_pastur(2.5), 1),
    ]
    for mu, nu, power in pairs:
        np.testing.assert_allclose(shape(mu, power), shape(nu, power), rtol=0, atol=1e-8)
    assert np.max(np.abs(shape(spectra.wishart_product(0.3, 0.8), 1) - shape(pairs[0][0], 1))) > 0.01


def test_bulk_fit_goodness_of_fit_against_typed_laws_and_the_bootstrap():
    """The semicircle fit's KS statistic and p-value recomputed by scipy.stats.kstest with the
    typed semicircle cdf 1/2 + y sqrt(4 - y^2)/(4 pi) + arcsin(y/2)/pi at y = (x - b)/a, and
    the Marchenko-Pastur fit's D with the typed density integrated by scipy quad (both to
    2e-8: the fits' tables are accurate to FIT_TOL = 1e-8); the parametric bootstrap (40
    replicates): its standard deviations of a and b agree with the sandwich standard errors
    within 40 % (an SD from 40 replicates has a relative error of ~11 %), its p-value is large
    for the right family and is the smallest possible, 1/41, for a Marchenko-Pastur sample
    fitted by a semicircle, whose nominal p-value (0.14) does not reject: the nominal p-value
    of a fitted law is optimistic."""
    from scipy import integrate, stats

    from complexity import spectra
    from complexity.nn import fit

    x = _sampled(spectra.semicircle(), 300, seed=2)
    f = fit.fit_bulk(x, "semicircle", bootstrap=40, seed=1)

    def sc_cdf(v):
        y = np.clip((np.asarray(v) - f.b) / f.a, -2, 2)
        return 0.5 + y * np.sqrt(4 - y * y) / (4 * np.pi) + np.arcsin(y / 2) / np.pi

    ks = stats.kstest(x, sc_cdf)
    assert abs(ks.statistic - f.ks_statistic) < 2 * fit.FIT_TOL and abs(ks.pvalue - f.ks_pvalue) < 1e-6
    for k in ("a", "b"):
        assert abs(f.bootstrap_sd[k] / f.stderr[k] - 1) < 0.4, (k, f.bootstrap_sd, f.stderr)
    assert f.ks_pvalue_bootstrap > 0.2

    w = _sampled(spectra.marchenko_pastur(0.2), 300, seed=3)
    g = fit.fit_bulk(w, "semicircle", bootstrap=40, seed=1)
    assert g.ks_pvalue_bootstrap == 1 / 41 and g.ks_pvalue > 5 * g.ks_pvalue_bootstrap  # nominal: optimistic

    m = fit.fit_bulk(w, "marchenko_pastur")
    c = m.params["c"]
    lo, hi = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    rho = lambda t: np.sqrt((hi - t) * (t - lo)) / (2 * np.pi * c * t)  # noqa: E731
    y = np.sort((w - m.b) / m.a)
    F = np.array([integrate.quad(rho, lo, min(max(v, lo), hi), epsabs=1e-13)[0] for v in y])
    i = np.arange(1, y.size + 1)
    D = max(np.max(i / y.size - F), np.max(F - (i - 1) / y.size))
    assert abs(D - m.ks_statistic) < 2 * fit.FIT_TOL


@pytest.mark.parametrize(
    "kw, needle",
    [
        (dict(family="gaussian"), "family"),
        (dict(eigenvalues=[1.0, float("nan")] * 20), "eigenvalues"),
        (dict(eigenvalues=np.arange(10.0)), "at least 20"),
        (dict(eigenvalues=np.ones(40)), "zero width"),
        (dict(outliers=90), "outliers"),
        (dict(drop_below=-1.0), "drop_below"),
        (dict(family="wishart_product", factors=5), "factors"),
        (dict(family="deformed", levels=(0.0, 0.0)), "levels"),
        (dict(family="deformed", levels=(0.0, 1.0), weights=(0.5, 0.6)), "weights"),
        (dict(bootstrap=-1), "bootstrap"),
        (dict(bootstrap=2, seed=-3), "seed"),
    ],
)
def test_bulk_fit_bad_input(kw, needle):
    from complexity.nn import fit

    args = {"eigenvalues": np.linspace(0.0, 1.0, 100) ** 2, "family": "semicircle", **kw}
    with pytest.raises(ValueError, match=needle):
        fit.fit_bulk(args.pop("eigenvalues"), args.pop("family"), **args)


def test_cli_spectrum_fit(capsys, tmp_path):
    """`complexity spectrum fit FILE --ensemble ...`: the JSON contract on a sampled
    Marchenko-Pastur spectrum (c within 3 standard errors of 0.4), and exit 2 with the
    parameter named for bad input."""
    from complexity import spectra

    path = tmp_path / "e.npy"
    np.save(path, np.concatenate([spectra.marchenko_pastur(0.4).sample(400, 1, seed=1)[0], np.zeros(7)]))
    code, out, _ = _run(capsys, "spectrum", "fit", str(path), "--ensemble", "marchenko-pastur", "--drop-below",
                        "1e-12", "--json")
    d = json.loads(out)
    assert code == 0 and d["family"] == "marchenko_pastur" and d["dropped"] == 7 and d["n"] == 400
    assert abs(d["params"]["c"] - 0.4) < 3 * d["stderr"]["c"] and len(d["notes"]) == 2
    for argv, needle in (
        (("--ensemble", "semicircle", "--levels", "0,1"), "--levels"),
        (("--ensemble", "semicircle", "--factors", "3"), "--factors"),
        (("--ensemble", "wishart-product", "--factors", "7"), "factors"),
        (("--ensemble", "marchenko-pastur", "--outliers", "500"), "outliers"),
        (("--ensemble", "deformed", "--levels", "0"), "--levels"),
    ):
        code, _, err = _run(capsys, "spectrum", "fit", str(path), *argv)
        assert code == 2 and needle in err, (argv, err)
    code, _, err = _run(capsys, "spectrum", "fit", str(tmp_path / "missing.npy"), "--ensemble", "semicircle")
    assert code == 2 and "no such file" in err


def test_figures_registered():
    """The four network figures are registered with the figure layer (drawing them trains
    networks and is left to the figure run)."""
    import complexity.figures.nn  # noqa: F401  (registers on import)
    from complexity.figures import _REGISTRY as names

    for n in ("nn_hessian_spectrum", "nn_spacing_ratios", "nn_batch_outliers", "nn_atom_mass"):
        assert n in names and names[n].group == "nn"
