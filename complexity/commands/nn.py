"""``complexity nn {train, hessian}``: real network Hessians (the optional ``nn`` extra).

``nn train`` trains a small MLP (or a one-convolution CNN) on scikit-learn's digits and caches its weights in a
folder; ``nn hessian`` reads that folder and writes the spectrum of the training-loss
Hessian (exact eigenvalues as ``.npy``, or Lanczos nodes and weights as ``.npz``
with the Ritz values beside it as ``.ritz.npy``).  JAX is imported only when a
command runs; without the extra the command exits 2 naming ``pip install ".[nn]"``.
"""

from __future__ import annotations

import pathlib
import time

from complexity.cli import emit


def register(sub):
    p = sub.add_parser(
        "nn", help='real network Hessians: train small MLPs, their Hessian spectra (extra: pip install ".[nn]")'
    )
    ps = p.add_subparsers(dest="nn_command", metavar="SUBCOMMAND")
    ps.required = True

    t = ps.add_parser(
        "train", help="train an MLP or a small CNN with Adam and cache its weights (weights.npz + summary.json)"
    )
    t.add_argument(
        "--model", choices=["mlp", "cnn"], default="mlp", help="architecture (mlp, or cnn: one convolution layer)"
    )
    t.add_argument("--hidden", default=None, help="mlp: hidden widths, comma-separated, e.g. 32,32")
    t.add_argument("--channels", type=int, default=None, help="cnn: number of filters")
    t.add_argument("--kernel", type=int, default=3, help="cnn: filter size in pixels (default 3)")
    t.add_argument("--data", choices=["digits"], default="digits", help="data set (digits: sklearn, offline)")
    t.add_argument("--epochs", type=int, default=100, help="passes over the training set (default 100)")
    t.add_argument("--seed", type=int, default=0, help="seed of the initial weights and minibatch order")
    t.add_argument("--lr", type=float, default=3e-3, help="Adam learning rate (default 3e-3)")
    t.add_argument("--batch-size", type=int, default=64, help="minibatch size (default 64)")
    t.add_argument("--activation", choices=["tanh", "relu"], default="tanh")
    t.add_argument("--out", required=True, help="weights folder to write")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_train)

    h = ps.add_parser("hessian", help="spectrum of the training-loss Hessian of a cached network")
    h.add_argument("dir", help="weights folder written by `complexity nn train`")
    h.add_argument(
        "--batch-size", type=int, default=None, help="Hessian of a seeded random batch of B images (default: all)"
    )
    h.add_argument("--batch-seed", type=int, default=0, help="seed of the random batch (default 0)")
    h.add_argument("--method", choices=["exact", "lanczos"], default="exact")
    h.add_argument("--steps", type=int, default=100, help="Lanczos steps per probe (default 100)")
    h.add_argument("--probes", type=int, default=1, help="SLQ probe vectors (default 1)")
    h.add_argument("--seed", type=int, default=0, help="seed of the Lanczos probes")
    h.add_argument("--out", required=True, help="eigenvalues .npy (exact) or nodes/weights .npz (lanczos)")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=_hessian)


def _parse_hidden(text: str) -> tuple:
    try:
        widths = tuple(int(s) for s in text.split(","))
    except ValueError:
        raise ValueError(f"hidden must be comma-separated positive integers such as 32,32, got {text!r}") from None
    if not widths or any(w < 1 for w in widths):
        raise ValueError(f"hidden must be comma-separated positive integers such as 32,32, got {text!r}")
    return widths


def _extra(fn):
    """Run ``fn()``, turning a missing ``nn`` extra into a ValueError (exit 2)."""
    from complexity.nn import NNExtraMissing

    try:
        return fn()
    except NNExtraMissing as exc:
        raise ValueError(str(exc)) from None


def _train(args):
    from complexity._validate import check_int

    if args.model == "mlp":
        if args.hidden is None:
            raise ValueError("hidden is required for --model mlp (comma-separated widths such as 32,32)")
        hidden = _parse_hidden(args.hidden)
    else:
        if args.channels is None:
            raise ValueError("channels is required for --model cnn (a positive integer)")
        check_int("channels", args.channels, minimum=1)
        check_int("kernel", args.kernel, minimum=1, maximum=8)
    check_int("epochs", args.epochs, minimum=0)
    check_int("seed", args.seed, minimum=0)
    out = pathlib.Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, but {str(out)!r} is a file")

    def run():
        from complexity.nn import cache, train

        kw = dict(
            data=args.data,
            epochs=args.epochs,
            seed=args.seed,
            lr=args.lr,
            batch_size=args.batch_size,
            activation=args.activation,
        )
        if args.model == "mlp":
            net = train.train_mlp(hidden, **kw)
        else:
            net = train.train_cnn(args.channels, args.kernel, **kw)
        cache.save(net, out)
        return net

    net = _extra(run)
    s = net.summary
    emit(
        {
            "out": str(out),
            "n_params": s["n_params"],
            "sizes": s["sizes"],
            "train_loss": s["train_loss"],
            "train_accuracy": s["train_accuracy"],
            "test_loss": s["test_loss"],
            "test_accuracy": s["test_accuracy"],
            "train_seconds": s["train_seconds"],
        },
        args.json,
    )
    return 0


def _hessian(args):
    from complexity._validate import check_int

    steps = check_int("steps", args.steps, minimum=1)
    probes = check_int("probes", args.probes, minimum=1)
    check_int("seed", args.seed, minimum=0)
    check_int("batch seed", args.batch_seed, minimum=0)
    if args.batch_size is not None:
        check_int("batch size", args.batch_size, minimum=1)
    out = pathlib.Path(args.out)
    if out.is_dir():
        raise ValueError(f"out must be a file path, but {str(out)!r} is a folder")

    from complexity.nn import cache  # numpy only: a bad folder is reported even without the extra

    net = cache.load(args.dir)
    if args.method == "exact":
        from complexity.nn.hessian import check_exact_size

        check_exact_size(net.spec.n_params)
    return _extra(lambda: _hessian_run(args, net, out, steps, probes))


def _hessian_run(args, net, out, steps, probes):
    import numpy as np

    from complexity.nn import cache, data, hessian, lanczos, rank

    s = net.summary
    ds = data.load(s.get("data", "digits"), split_seed=int(s.get("split_seed", 0)), n_train=s.get("n_train"))
    n = len(ds.y_train)
    if args.batch_size is not None and args.batch_size > n:
        raise ValueError(f"batch size must be an integer in [1, {n}] (the training set), got {args.batch_size}")
    X, y = data.random_batch(ds.X_train, ds.y_train, args.batch_size, seed=args.batch_seed)
    P = net.spec.n_params
    t0 = time.perf_counter()
    result = {"dir": str(args.dir), "method": args.method, "n_params": P, "batch_size": len(y), "n_train": n}
    if args.method == "exact":
        H = hessian.hessian_exact(net.spec, net.theta, X, y)
        eigs = np.linalg.eigvalsh(H)
        cache.atomic_write(out, lambda fh: np.save(fh, eigs))
        result.update(
            out=str(out),
            lambda_min=float(eigs[0]),
            lambda_max=float(eigs[-1]),
            zero_count=rank.zero_count(eigs),
            zero_tol=rank.DEFAULT_ZERO_TOL,
            structural_zeros=rank.structural_zero_count(net.spec, X),
            zero_lower_bound=rank.zero_lower_bound(net.spec, X),
        )
    else:
        mv = hessian.hvp_operator(net.spec, net.theta, X, y)
        nodes, weights, resid, ks = lanczos.slq(mv, P, steps, probes, seed=args.seed, return_residuals=True)
        k0 = int(ks[0])  # genuine steps of probe 0 (fewer when its Krylov space is invariant)
        ritz_vals, resid0 = nodes[0, :k0], resid[0, :k0]
        lanczos.warn_unconverged(ritz_vals, resid0, where=f"nn hessian --method lanczos ({k0} steps, probe 0)")
        ritz_path = out.parent / (
            out.name[: -len(".npz")] + ".ritz.npy" if out.name.endswith(".npz") else out.name + ".ritz.npy"
        )
        cache.atomic_write(
            out, lambda fh: np.savez(fh, nodes=nodes, weights=weights, ritz=ritz_vals, residual=resid0, steps=ks)
        )
        cache.atomic_write(ritz_path, lambda fh: np.save(fh, ritz_vals))
        result.update(
            out=str(out),
            ritz_out=str(ritz_path),
            steps=int(nodes.shape[1]),
            steps_probe0=k0,
            probes=probes,
            lambda_min=float(ritz_vals[0]),
            lambda_max=float(ritz_vals[-1]),
            residual_min=float(resid0[0]),
            residual_max=float(resid0[-1]),
        )
    result["seconds"] = round(time.perf_counter() - t0, 3)
    emit(result, args.json)
    return 0
