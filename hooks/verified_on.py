"""MkDocs hook: on every page that includes snippets, one line under the title says where the site's code last
passed its tests, and the full note, one line per record, closes the page in a block of its own (before its "Next"). No marker: a
new page gets both.

The note comes from the records the test runs write (tested_docs.records): the CPU record of this
machine's last `make test` (.verified/cpu.json, untracked; in CI, the run before the published build) and
the committed records (docs/verified/: gpu.json, torch-<release>.json). A record of other snippets than the
current ones is marked stale. The records are published beside the pages as verified/<name>.json and linked.
"""

import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from tested_docs.learning_path import title_line
from tested_docs.paths import ROOT
from tested_docs.records import PARTS, RecordError, load_records, record_path, render, snippets_hash, summary_line
from tested_docs.sections import includes

def on_files(files, config, **kwargs):
    """The local CPU records (the whole suite's, or each half's) are published beside the committed GPU record."""
    for part in (None, *PARTS):
        cpu = record_path("cpu", ROOT, part)
        if cpu.exists() and not files.get_file_from_path(f"verified/{cpu.name}"):
            files.append(File.generated(config, f"verified/{cpu.name}", abs_src_path=str(cpu)))
    return files


def on_page_markdown(markdown, page, config, **kwargs):
    if page.file.src_uri.endswith(".ipynb") or not includes(markdown):
        return markdown
    try:
        records = load_records(ROOT)
    except RecordError as error:
        raise PluginError(str(error)) from None
    here = posixpath.dirname(page.file.src_uri) or "."
    links = {name: posixpath.relpath(f"verified/{name}.json", here) for name in records}
    current = snippets_hash(ROOT)
    lines = markdown.split("\n")
    title = title_line(lines)
    # marked (attr_list) so the main-flow measure leaves it out: its length depends on which records exist
    lines[title + 1:title + 1] = ["", summary_line(records, current, "#verified-on"), "{: .verified-on }"]
    markdown = "\n".join(lines)
    note = "## Verified on\n\n" + render(records, current, links) + "\n"
    at = markdown.find("\n## Next\n")
    return markdown.rstrip("\n") + "\n\n" + note if at < 0 else markdown[:at + 1] + note + "\n" + markdown[at + 1:]
