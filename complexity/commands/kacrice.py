"""``complexity kacrice ...``: Kac-Rice complexity for any Hessian spectrum (not yet built)."""


def register(sub):
    return None
