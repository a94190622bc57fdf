"""The kernels' warm-up (`roster.warm_up`, run by `make setup`) compiles every kernel of
`roster.kernels`, in a process of its own as `make setup` runs it."""

from __future__ import annotations

import subprocess
import sys

KERNELS = ("reach", "best_path", "counted_edges", "counted_edge_path")

#: After the warm-up, how many argument types each kernel holds compiled code for
#: (loaded from numba's cache or compiled): none for a kernel it did not reach.
REPORT = f"""
from roster import kernels
from roster.warm_up import warm_up
warm_up()
print(" ".join(str(len(getattr(kernels, name).signatures)) for name in {KERNELS!r}))
"""


def test_the_warm_up_compiles_every_kernel() -> None:
    done = subprocess.run(
        [sys.executable, "-c", REPORT], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1"] * len(KERNELS)
