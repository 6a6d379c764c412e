"""The registry of sweepable models: a name, a per-point function, its parameters, its outputs.

A model is registered once with :func:`register_sweep_model`; the sweep engine, the
``complexity sweep`` command (one ``--flag`` per parameter) and the result file's
header all read it from here.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import numbers
from typing import Any, Callable

import numpy as np

from complexity._validate import check_int, check_real

__all__ = [
    "Parameter",
    "SweepModel",
    "REQUIRED",
    "integer",
    "real",
    "choice",
    "optional_real",
    "register_sweep_model",
    "sweep_model",
    "sweep_models",
]


class _Required:
    def __repr__(self):
        return "REQUIRED"


#: marks a parameter without a default
REQUIRED = _Required()


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One model parameter: ``check(value) -> canonical value`` (raises ``ValueError``), a default, a help text."""

    check: Callable[[Any], Any]
    default: Any = REQUIRED
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def integer(name: str, *, minimum=None, maximum=None, default=REQUIRED, help: str = "") -> Parameter:
    """An integer parameter in ``[minimum, maximum]``."""
    return Parameter(lambda v: check_int(name, _numeric(name, v), minimum=minimum, maximum=maximum), default, help)


def real(name: str, *, lower=None, upper=None, lower_open=False, upper_open=False, default=REQUIRED,
         help: str = "") -> Parameter:
    """A finite real parameter in the given range."""
    return Parameter(
        lambda v: check_real(name, _numeric(name, v), lower=lower, upper=upper,
                             lower_open=lower_open, upper_open=upper_open),
        default, help)


def optional_real(name: str, *, lower=None, upper=None, help: str = "") -> Parameter:
    """A finite real parameter that may be absent (``None``, or the word ``none`` in a grid)."""
    def check(v):
        if v is None or (isinstance(v, str) and v.lower() in ("none", "")):
            return None
        return check_real(name, _numeric(name, v), lower=lower, upper=upper)
    return Parameter(check, None, help)


def choice(name: str, options, *, default=REQUIRED, help: str = "") -> Parameter:
    """A parameter taking one of the words ``options``."""
    options = tuple(options)

    def check(v):
        if v not in options:
            raise ValueError(f"{name} must be one of {', '.join(options)}; got {v!r}")
        return v
    return Parameter(check, default, help)


def _numeric(name, v):
    if isinstance(v, str) or isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError(f"{name} must be a number, got {v!r}")
    return v


def _from_default(name: str, default) -> Parameter:
    if isinstance(default, bool):
        return Parameter(lambda v: _bool(name, v), default)
    if isinstance(default, numbers.Integral):
        return integer(name, default=int(default))
    if isinstance(default, numbers.Real):
        return real(name, default=float(default))
    if isinstance(default, str):
        return Parameter(lambda v: _string(name, v), default)
    raise ValueError(f"parameter {name!r}: cannot infer a check from the default {default!r}")


def _bool(name, v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    raise ValueError(f"{name} must be true or false, got {v!r}")


def _string(name, v):
    if not isinstance(v, str):
        raise ValueError(f"{name} must be a word, got {v!r}")
    return v


@dataclasses.dataclass(frozen=True)
class SweepModel:
    """A registered model.  ``outputs(**params)`` is the list of result names at a point."""

    name: str
    fn: Callable[..., dict]
    parameters: dict[str, Parameter]
    output_spec: Any
    version: str = "1"
    convention: str | None = None
    description: str = ""
    output_help: dict[str, str] = dataclasses.field(default_factory=dict)
    #: ``validate(**params)`` raises ``ValueError`` for a combination of parameters that
    #: conflict (checked for every point before any is computed)
    validate: Callable[..., None] | None = None

    def outputs(self, params: dict) -> list[str]:
        spec = self.output_spec
        names = list(spec(**params)) if callable(spec) else list(spec)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"model {self.name!r}: outputs must be non-empty names, got {names!r}")
        return names

    def canonical(self, name: str, value):
        """The checked, canonical value of parameter ``name`` (``ValueError`` naming it otherwise)."""
        par = self.parameters[name]
        if isinstance(value, np.generic):
            value = value.item()
        try:
            v = par.check(value)
        except ValueError as exc:
            msg = str(exc)
            raise ValueError(msg if name in msg else f"{name}: {msg}") from None
        if isinstance(v, np.generic):
            v = v.item()
        if not (v is None or isinstance(v, (bool, int, float, str))):
            raise ValueError(f"{name}: the check of model {self.name!r} returned {type(v).__name__}, "
                             "not a number, word or None")
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"{name} must be finite, got {v!r}")
        return v


_REGISTRY: dict[str, SweepModel] = {}

#: columns the engine adds to every row; no parameter or output may take these names
RESERVED_COLUMNS = ("model", "version", "model_version", "key", "error", "seconds")

#: modules that register the built-in models; one that does not exist (yet) is skipped
MODEL_MODULES = ("complexity.sweep.pspin_model", "complexity.sweep.gan_model", "complexity.sweep.kacrice_model")
_loaded = False


def _load_builtin():
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in MODEL_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def register_sweep_model(name: str, fn: Callable[..., dict], parameters: dict, outputs, *,
                         version: str = "1", convention: str | None = None, description: str = "",
                         replace: bool = False, validate: Callable[..., None] | None = None) -> SweepModel:
    """Register ``fn(**params) -> dict`` as the sweepable model ``name``.

    ``parameters`` maps each parameter name (a Python identifier; ``sigma_z`` becomes the
    flag ``--sigma-z``) to a :class:`Parameter` (see :func:`integer`, :func:`real`,
    :func:`choice`), a check ``value -> canonical value`` (a required parameter), or a
    plain default value (an optional parameter of that type).

    ``outputs`` is the list of result names ``fn`` returns (or a dict name -> description,
    or a function ``outputs(**params) -> list`` when the names depend on the point).
    ``fn`` must be importable by name (defined at a module's top level) so that worker
    processes can run it.  ``version`` enters every point's cache key: bump it when the
    model's numbers change without a package release.  ``convention`` is a fixed label
    written in the ``convention`` column when the model has no ``convention`` parameter.
    ``validate(**params)``, if given, refuses (``ValueError``) conflicting parameter
    combinations; the engine calls it on every point before computing any.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"model name must be an identifier, got {name!r}")
    if not callable(fn):
        raise ValueError(f"model {name!r}: fn must be callable")
    if name in _REGISTRY and not replace:
        raise ValueError(f"model {name!r} is already registered (pass replace=True to replace it)")
    pars: dict[str, Parameter] = {}
    reserved = set(RESERVED_COLUMNS)
    for pname, spec in dict(parameters).items():
        if not isinstance(pname, str) or not pname.isidentifier() or pname in reserved:
            raise ValueError(f"model {name!r}: bad parameter name {pname!r}")
        if isinstance(spec, Parameter):
            pars[pname] = spec
        elif isinstance(spec, tuple) and len(spec) == 2 and callable(spec[0]):
            pars[pname] = Parameter(spec[0], spec[1])
        elif callable(spec):
            pars[pname] = Parameter(spec)
        else:
            pars[pname] = _from_default(pname, spec)
    if not pars:
        raise ValueError(f"model {name!r}: no parameters")
    if convention is not None and "convention" in pars:
        raise ValueError(f"model {name!r}: a fixed convention and a 'convention' parameter exclude each other")
    help_ = {}
    if isinstance(outputs, dict):
        help_ = {str(k): str(v) for k, v in outputs.items()}
        outputs = list(outputs)
    elif not callable(outputs):
        outputs = list(outputs)
        if not outputs:
            raise ValueError(f"model {name!r}: no outputs")
    if not callable(outputs):
        clash = set(outputs) & (set(pars) | reserved | {"convention"})
        if clash:
            raise ValueError(f"model {name!r}: output names {sorted(clash)} clash with parameter or column names")
    if validate is not None and not callable(validate):
        raise ValueError(f"model {name!r}: validate must be callable")
    model = SweepModel(name, fn, pars, outputs, str(version), convention, description, help_, validate)
    _REGISTRY[name] = model
    return model


def sweep_models() -> dict[str, SweepModel]:
    """The registered models, by name."""
    _load_builtin()
    return dict(_REGISTRY)


def sweep_model(name: str) -> SweepModel:
    """The registered model ``name`` (``ValueError`` listing the known ones otherwise)."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"model: unknown sweep model {name!r} (registered: {', '.join(sorted(_REGISTRY))})") from None
