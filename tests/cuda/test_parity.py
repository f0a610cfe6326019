"""The cuda path, one test per section of every snippet: run on an NVIDIA GPU, each section prints what it
prints with the GPU hidden (CUDA_VISIBLE_DEVICES=""), but for the device's name and a difference of at most 1e-4
in each printed decimal number (tested_docs.compare.parity_problem, through the one comparator). A section its page shows
as the build's own run (a training log: 160 SGD steps add up the GPU's and the CPU's rounding differently)
must print the same lines and words, with numbers of its own. A new snippet or section
is covered by the glob, with no new file.

Both runs are the one runner's (tested_docs.runner): each snippet as `python snippets/<name>.py`, in a
reader's folder with the offline FashionMNIST, in its own process. Only torch, torchvision, matplotlib,
numpy and pytest are needed, so this runs on a GPU machine without the site's build tools.
"""

import pytest

from tested_docs.compare import parity_problem
from tested_docs.paths import snippet_files
from tested_docs.sections import run_dependent_sections, sections

RUN_DEPENDENT = run_dependent_sections()  # training logs: the same lines on both devices, each its own numbers
SECTIONS = [pytest.param(path.name, s.name, id=f"{path.name}:{s.name}") for path in snippet_files() for s in sections(path)]
@pytest.mark.parametrize("snippet, section", SECTIONS)
def test_section_prints_on_the_gpu_what_it_prints_on_the_cpu(device_runs, snippet, section):
    cpu, gpu = device_runs
    problem = parity_problem(cpu[snippet], gpu[snippet], section, (snippet, section) in RUN_DEPENDENT)
    assert not problem, problem
