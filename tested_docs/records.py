"""Verification records: where and when the tests last passed, for which code, and the site's note of them.
(tested_docs.record_plugin writes them at the end of a test run; this module needs no pytest.)

A record holds the date, device, versions, counts, the commit and a sha256 of snippets/, so the site can
tell a record of the current code from a stale one. Its name says what ran:

- `cpu`: the whole suite (`make test`); `cpu-browser` / `cpu-not-browser`: `pytest -m browser` and
  `pytest -m "not browser"`, the two halves CI may run as separate jobs. Local and untracked: .verified/.
- `gpu`: `pytest tests/cuda` on a GPU (`make test-gpu`). Committed: docs/verified/ (only a GPU machine makes it).
- `torch-<version>`: the listing and script checks (`pytest tests/test_listings.py`) on another torch release
  (`make test-torch`, in its own venv). Committed: docs/verified/ (a 3 GB install is no part of `make test`).
"""

import hashlib
import json
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

KINDS = {"cpu": "CPU", "gpu": "GPU", "torch": "CPU"}
GPU_SCOPE = "tests/cuda"  # the Makefile's test-gpu target runs exactly this folder
RELEASE_SCOPE = "tests/test_listings.py"  # the Makefile's test-torch target: every listing and script check
# A CPU run may be one of the suite's two halves (CI runs the browser tests as their own job): -m <part>.
PARTS = {"browser": "the browser tests", "not browser": "all but the browser tests"}
FIELDS = ("kind", "date", "device", "torch", "python", "tests", "commit", "snippets_sha256")


def snippets_hash(root: Path) -> str:
    """sha256 over every snippets/*.py (name and bytes): what the record's tests ran."""
    digest = hashlib.sha256()
    for path in sorted((Path(root) / "snippets").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def commit(root: Path) -> str | None:
    """The checked-out commit, with "+changes" when tracked files differ from it; None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def record_name(kind: str, part: str | None = None) -> str:
    """cpu, cpu-browser, cpu-not-browser, gpu, torch-2.6.0 (a torch record's part is its release)."""
    return kind + (f"-{part.replace(' ', '-')}" if part else "")


def split_name(name: str) -> tuple[str, str | None]:
    kind, _, part = name.partition("-")
    return kind, (part if kind == "torch" else part.replace("-", " ")) or None


def release(version: str) -> str:
    """2.6.0+cu124 -> 2.6.0: a release, whatever build of it."""
    return version.split("+")[0]


def record_path(kind: str, root: Path, part: str | None = None) -> Path:
    from .paths import committed_records_dir, local_records_dir

    folder = local_records_dir(root) if kind == "cpu" else committed_records_dir(root)
    return folder / f"{record_name(kind, part)}.json"


def record_names(root: Path) -> list[str]:
    from .paths import committed_records_dir

    releases = sorted(p.stem for p in committed_records_dir(root).glob("torch-*.json"))
    return [record_name("cpu"), *(record_name("cpu", part) for part in PARTS), record_name("gpu"), *releases]


def make_record(kind: str, counts: dict[str, int], root: Path, part: str | None = None) -> dict:
    import torch

    try:
        import torchvision

        torchvision_version = torchvision.__version__
    except ImportError:
        torchvision_version = None
    gpu = kind == "gpu"
    return {
        "kind": kind,
        "part": part,  # None: the whole of its kind's scope
        "date": datetime.now(timezone.utc).date().isoformat(),
        "device": torch.cuda.get_device_name() if gpu else cpu_name(),
        "cuda": torch.version.cuda if gpu else None,
        "torch": torch.__version__,
        "torchvision": torchvision_version,
        "python": platform.python_version(),
        "tests": counts,
        "commit": commit(root),
        "snippets_sha256": snippets_hash(root),
    }


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or f"{platform.machine()} CPU"


def write_if_changed(path: Path, record: dict) -> bool:
    text = json.dumps(record, indent=2) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


# ---------------------------------------------------------------- reading records, for the site's note
class RecordError(ValueError):
    pass


def load_records(root: Path) -> dict[str, dict | None]:
    """{record name: the record, or None where there is none}, for cpu, cpu-browser, cpu-not-browser, gpu."""
    records = {}
    for name in record_names(root):
        kind, part = split_name(name)
        path = record_path(kind, root, part)
        if not path.exists():
            records[name] = None
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            missing = [f for f in FIELDS if f not in record]
            if missing or record.get("kind") != kind or record.get("part") != part:
                raise ValueError(f"kind {record.get('kind')!r}, part {record.get('part')!r}, missing {missing}")
        except ValueError as error:
            raise RecordError(
                f"{path} is not a record the tests wrote ({error}). Delete it or restore it with git, "
                f"or write a new one with `make {dict(cpu='test', gpu='test-gpu', torch='test-torch').get(kind)}`."
            ) from None
        records[name] = record
    return records


def label(record: dict) -> str:
    part = record.get("part")
    if record["kind"] == "torch":
        return f"CPU, torch {part}, the listings and scripts"
    return KINDS[record["kind"]] + (f", {PARTS[part]}" if part else "")


def render(records: dict[str, dict | None], current_hash: str, links: dict[str, str]) -> str:
    """The "Verified on" note as Markdown, one line per record, in a details block shown open (the page's last
    block; out of the main-flow measure, and the line under the title links to it); a record of other snippets
    than today's is marked stale. Where a kind has no
    record at all, the note says so."""
    import html

    present = {name: r for name, r in records.items() if r}
    failed = any(r["tests"]["failed"] for r in present.values())
    current = [r for r in present.values() if r["snippets_sha256"] == current_hash]
    kind = "failure" if failed else ("success" if current else "warning")
    lines = [f'???+ {kind} "Test records"', "", "    The code on this site was tested on:", ""]
    for name_kind, label_text in KINDS.items():
        # other torch releases get a line where one was checked (make test-torch), none where none was
        if name_kind != "torch" and not any(r["kind"] == name_kind for r in present.values()):
            lines.append(f"    - **{label_text}:** no {label_text} run has been recorded yet.")
            continue
        for name, record in present.items():
            if record["kind"] != name_kind:
                continue
            tests = record["tests"]
            cuda = f", CUDA {record['cuda']}" if record.get("cuda") else ""
            commit_note = f", commit `{record['commit'][:12]}`" if record.get("commit") else ""
            stale = "" if record["snippets_sha256"] == current_hash else " **Stale: verified on an earlier version of this code.**"
            lines.append(
                f"    - **{label(record)}:** {record['date']}, {html.escape(record['device'])}{cuda}, torch {record['torch']}, "
                f"Python {record['python']}{commit_note}: {tests['passed']} passed, {tests['skipped']} skipped, "
                f"{tests['failed']} failed ([record]({links[name]})).{stale}"
            )
    return "\n".join(lines)


def summary_line(records: dict[str, dict | None], current_hash: str, details: str) -> str:
    """One line for under a page's title, in a reader's words: where the code last passed its tests (the CPU
    runs as one, whole suite or its halves; each other torch release; the GPU), what failed, and a record of an
    earlier version of the code said as such; the full note at `details`."""
    def notes(found: list[dict]) -> str:
        said = [max(r["date"] for r in found)]
        if failed := sum(r["tests"]["failed"] for r in found):
            said.append(f"{failed} {'test' if failed == 1 else 'tests'} failed")
        if any(r["snippets_sha256"] != current_hash for r in found):
            said.append("an earlier version of the code")
        return ", ".join(said)

    present = [r for r in records.values() if r]
    cpu = [r for r in present if r["kind"] == "cpu"]
    releases = sorted({release(r["torch"]) for r in cpu})
    parts = [f"on a CPU with torch {' and '.join(releases)} ({notes(cpu)})" if cpu else "on a CPU: not yet"]
    for r in sorted((r for r in present if r["kind"] == "torch"), key=lambda r: r["torch"]):
        parts.append(f"with torch {r['part']} ({notes([r])})")
    gpu = [r for r in present if r["kind"] == "gpu"]
    parts.append(f"on a GPU with torch {' and '.join(sorted({release(r['torch']) for r in gpu}))} ({notes(gpu)})"
                 if gpu else "on a GPU: not yet")
    return f"**Tested** {' · '.join(parts)} · [details]({details})"