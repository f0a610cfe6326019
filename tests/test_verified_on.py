"""The tutorial page's "Verified on" note is built from the records the test runs write, and says so when one is missing."""

import html
import importlib.util
import json
import re

import pytest
from verified_record import make_record

from pages import DOCS, ROOT

spec = importlib.util.spec_from_file_location("verified_on", ROOT / "hooks" / "verified_on.py")
verified_on = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verified_on)

CPU_RECORD = DOCS / "verified" / "cpu.json"
TAGS = re.compile(r"<[^>]+>")


def gpu_record(failed=0):
    return {
        "kind": "gpu", "date": "2030-01-02", "device": "NVIDIA Example 9000", "cuda": "13.0", "torch": "9.9.9+cu130",
        "torchvision": "0.99.0", "python": "3.12.1", "tests": {"passed": 5 - failed, "skipped": 0, "failed": failed},
    }


def test_a_record_the_tests_write_renders():
    """The hook reads exactly the fields the plugin writes."""
    cpu = make_record("cpu", {"passed": 3, "skipped": 2, "failed": 0})
    note = verified_on.render({"cpu": cpu, "gpu": None})
    assert note.startswith('!!! success "Verified on"')
    assert f"{cpu['date']}, {html.escape(cpu['device'])}, torch {cpu['torch']}, Python {cpu['python']}" in note
    assert "3 passed, 2 skipped, 0 failed ([record](verified/cpu.json))" in note
    assert "**GPU:** no GPU run has been recorded yet." in note


def test_a_gpu_record_shows_its_device_and_cuda():
    note = verified_on.render({"cpu": None, "gpu": gpu_record()}, page_dir="guide")
    assert "**CPU:** no CPU run has been recorded yet." in note
    assert "2030-01-02, NVIDIA Example 9000, CUDA 13.0, torch 9.9.9+cu130" in note
    assert "([record](../verified/gpu.json))" in note


def test_a_failed_run_is_not_shown_as_a_pass():
    note = verified_on.render({"cpu": None, "gpu": gpu_record(failed=1)})
    assert note.startswith('!!! failure "Verified on"') and "with failures" in note and "1 failed" in note


def test_a_damaged_record_stops_the_build(tmp_path):
    (tmp_path / "verified").mkdir()
    (tmp_path / "verified" / "gpu.json").write_text(json.dumps({"kind": "gpu", "date": "2030-01-02"}))
    with pytest.raises(verified_on.VerifiedRecordError, match="make test-gpu"):
        verified_on.load_records(tmp_path)


def test_built_page_shows_the_records(built_site):
    assert CPU_RECORD.exists(), f"{CPU_RECORD.relative_to(ROOT)} is missing: restore it with git, or run `make test`"
    cpu = json.loads(CPU_RECORD.read_text(encoding="utf-8"))
    site, _ = built_site
    markup = (site / "eager-mode" / "index.html").read_text(encoding="utf-8")
    assert verified_on.MARKER not in markup
    note = re.search(r'<div class="admonition (?:success|failure)">\s*<p class="admonition-title">Verified on</p>(.*?)</div>', markup, re.DOTALL)
    assert note, "the built page has no Verified on note"
    text = html.unescape(TAGS.sub("", note[1]))
    assert f"CPU: {cpu['date']}" in text and f"torch {cpu['torch']}" in text
    gpu_path = DOCS / "verified" / "gpu.json"
    if gpu_path.exists():
        gpu = json.loads(gpu_path.read_text(encoding="utf-8"))
        assert f"GPU: {gpu['date']}, {gpu['device']}, CUDA {gpu['cuda']}, torch {gpu['torch']}" in text
    else:
        assert "GPU: no GPU run has been recorded yet." in text
    assert (site / "verified" / "cpu.json").read_text(encoding="utf-8") == CPU_RECORD.read_text(encoding="utf-8")
    assert 'href="../verified/cpu.json"' in note[1]
