"""Test-session settings shared by every test file.

* Dense linear algebra runs on one BLAS thread per test process: the suite runs in two
  processes (pytest-xdist, ``-n auto`` in pyproject.toml) on a two-core machine, and
  oversubscribed BLAS threads make ``eigvalsh`` of a 1000 x 1000 matrix 10-20 times slower.
"""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
