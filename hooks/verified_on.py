"""MkDocs hook: where a page has the line `<!-- verified-on -->`, say where the site's code last passed its tests.

The note comes from the records the test runs write (tested_docs.records): the CPU record of this
machine's last `make test` (.verified/cpu.json, untracked; in CI, the run before the published build) and
the committed GPU record (docs/verified/gpu.json). A record of other snippets than the current ones is
marked stale. The records are published beside the pages as verified/<kind>.json and linked.
"""

import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from tested_docs.paths import ROOT
from tested_docs.records import RecordError, load_records, record_path, render, snippets_hash

MARKER = "<!-- verified-on -->"


def on_files(files, config, **kwargs):
    cpu = record_path("cpu", ROOT)
    if cpu.exists() and not files.get_file_from_path("verified/cpu.json"):
        files.append(File.generated(config, "verified/cpu.json", abs_src_path=str(cpu)))
    return files


def on_page_markdown(markdown, page, config, **kwargs):
    lines = markdown.split("\n")
    if MARKER not in (line.strip() for line in lines):
        return markdown
    try:
        records = load_records(ROOT)
    except RecordError as error:
        raise PluginError(str(error)) from None
    here = posixpath.dirname(page.file.src_uri) or "."
    links = {kind: posixpath.relpath(f"verified/{kind}.json", here) for kind in records}
    note = render(records, snippets_hash(ROOT), links)
    return "\n".join(note if line.strip() == MARKER else line for line in lines)
