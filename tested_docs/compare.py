"""The one comparison of a shown output with a printed one, used by every check and by `make outputs`.

Exact, except in a listing marked `<!--pytest.mark.float_tolerance(x)-->`: there every decimal number
printed may differ from the shown one by at most x (a matrix product's last digit depends on the CPU
and its BLAS), and everything else, the count of numbers included, must be identical but for
whitespace (torch widens a printed tensor's columns when one value turns from 0.0000 to -0.0001).
"""

import re

NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")
SPACE = re.compile(r"\s+")


def agree(shown: str, printed: str, tolerance: float = 0.0) -> bool:
    shown, printed = shown.rstrip("\n"), printed.rstrip("\n")
    if shown == printed:
        return True
    if not tolerance:
        return False
    a, b = NUMBER.findall(shown), NUMBER.findall(printed)
    return (
        [SPACE.sub("", part) for part in NUMBER.split(shown)] == [SPACE.sub("", part) for part in NUMBER.split(printed)]
        and len(a) == len(b)
        and all(abs(float(x) - float(y)) <= tolerance * (1 + 1e-9) for x, y in zip(a, b))
    )
