"""stderr as a test sees it, without the one-time note that numba kernels are being compiled
(printed only when the kernel cache is cold, so by whichever test happens to run first)."""


def without_compile_notes(err: str) -> str:
    return "".join(line for line in err.splitlines(keepends=True)
                   if not line.startswith("complexity: note: compiling"))
