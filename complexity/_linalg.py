"""Small dense linear algebra for numba kernels (real or complex; one compiled copy per type)."""

from numba import njit


@njit(cache=True)
def solve_in_place(a, b):
    """Solve a x = b by Gaussian elimination with partial pivoting; x overwrites b.

    Returns False (leaving a and b scrambled) when a pivot vanishes (singular matrix).
    """
    m = b.size
    for col in range(m):
        piv = col
        big = abs(a[col, col])
        for r in range(col + 1, m):
            if abs(a[r, col]) > big:
                big = abs(a[r, col])
                piv = r
        if big < 1e-300:
            return False
        if piv != col:
            for c in range(m):
                tmp = a[col, c]
                a[col, c] = a[piv, c]
                a[piv, c] = tmp
            tmp = b[col]
            b[col] = b[piv]
            b[piv] = tmp
        for r in range(col + 1, m):
            f = a[r, col] / a[col, col]
            if f != 0.0:
                for c in range(col, m):
                    a[r, c] -= f * a[col, c]
                b[r] -= f * b[col]
    for r in range(m - 1, -1, -1):
        acc = b[r]
        for c in range(r + 1, m):
            acc -= a[r, c] * b[c]
        b[r] = acc / a[r, r]
    return True
