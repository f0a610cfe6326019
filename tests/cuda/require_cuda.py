"""`make test-gpu`'s first step: stop at once, saying why, unless torch sees a CUDA GPU.

Without this the cuda tests would all skip and the run would pass: a GPU check that proves nothing.
"""

import sys

try:
    import torch
except ImportError as error:
    sys.exit(
        f"make test-gpu: {sys.executable} cannot import torch ({error}).\n"
        "Name an interpreter that has torch, torchvision, matplotlib, numpy and pytest: make test-gpu PYTHON=/path/to/python"
    )

# The snippets need these too (network_components.py loads FashionMNIST and draws it): say so now,
# not halfway through the cuda tests.
for needed in ("torchvision", "matplotlib", "numpy"):
    try:
        __import__(needed)
    except ImportError as error:
        sys.exit(f"make test-gpu: {sys.executable} cannot import {needed} ({error}); the snippets need it. Install it there, or name another interpreter with PYTHON=.")

if not torch.cuda.is_available():
    build = f"CUDA {torch.version.cuda} build" if torch.version.cuda else "a CPU-only build"
    sys.exit(
        f"make test-gpu: torch {torch.__version__} ({build}) sees no CUDA GPU on this machine, so every cuda test "
        "would only skip.\nRun it on a machine with an NVIDIA GPU and a CUDA build of torch (`nvidia-smi` should list the GPU)."
    )

print(f"make test-gpu: {torch.cuda.get_device_name()}, CUDA {torch.version.cuda}, torch {torch.__version__}")
