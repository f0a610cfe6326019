"""MkDocs hook: where a page has the line `<!-- verified-on -->`, say when and where its code last ran its tests.

The note is built at build time from the records that `make test` and `make test-gpu` write
(docs/verified/cpu.json and gpu.json, by tests/support/verified_record.py after a complete run);
nothing in it is typed by hand, and a kind with no record is said to have none. The records are
ordinary static files of the site, linked from the note.
"""

import html
import json
import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError

MARKER = "<!-- verified-on -->"
RECORD_DIR = "verified"  # inside docs/
KINDS = {"cpu": "CPU", "gpu": "GPU"}
FIELDS = ("date", "device", "torch", "python", "tests")


class VerifiedRecordError(PluginError):  # mkdocs prints its message, without a traceback
    pass


def load_records(docs_dir: Path) -> dict[str, dict | None]:
    """{kind: the record, or None where that kind has never been recorded}."""
    records = {}
    for kind in KINDS:
        path = Path(docs_dir) / RECORD_DIR / f"{kind}.json"
        if not path.exists():
            records[kind] = None
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            missing = [field for field in FIELDS if field not in record]
            if missing or record.get("kind") != kind:
                raise ValueError(f"kind {record.get('kind')!r}, missing {missing}")
        except ValueError as error:
            raise VerifiedRecordError(
                f"{path} is not a record the tests wrote ({error}). Restore it with git, "
                f"or write a new one with `make {'test' if kind == 'cpu' else 'test-gpu'}`."
            ) from None
        records[kind] = record
    return records


def render(records: dict[str, dict | None], page_dir: str = "") -> str:
    """The note as Markdown: an admonition with one line per kind of machine."""
    failed = any(record and record["tests"]["failed"] for record in records.values())
    lines = [
        f'!!! {"failure" if failed else "success"} "Verified on"',
        "",
        f"    The code on this page last {'ran its tests, with failures,' if failed else 'passed its tests'} on:",
        "",
    ]
    for kind, label in KINDS.items():
        record = records[kind]
        if record is None:
            lines.append(f"    - **{label}:** no {label} run has been recorded yet.")
            continue
        tests = record["tests"]
        cuda = f", CUDA {record['cuda']}" if record.get("cuda") else ""
        link = posixpath.relpath(f"{RECORD_DIR}/{kind}.json", page_dir or ".")
        lines.append(
            f"    - **{label}:** {record['date']}, {html.escape(record['device'])}{cuda}, torch {record['torch']}, "
            f"Python {record['python']}: {tests['passed']} passed, {tests['skipped']} skipped, "
            f"{tests['failed']} failed ([record]({link}))"
        )
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, **kwargs):
    lines = markdown.split("\n")
    if MARKER not in (line.strip() for line in lines):
        return markdown
    note = render(load_records(Path(config["docs_dir"])), posixpath.dirname(page.file.src_uri))
    return "\n".join(note if line.strip() == MARKER else line for line in lines)
