"""The notebook pages' stylesheet: mkdocs-jupyter's inline CSS, cut down to what the pages use.

mkdocs-jupyter 0.26.3 inlines about 590 KB of CSS into every notebook page (JupyterLab's whole stylesheet:
Blueprint widgets, icon data URIs, rules for elements a notebook page never has) and has no option to leave
it out. The build takes those <style> blocks out of each page and serves one stylesheet instead, keeping:

- a rule only for its selectors whose every required class (see OPTIONAL) occurs in the notebook pages' markup
  (`.jupyter-wrapper :root`, `html` and `body` can never match inside a div: dropped);
- every selector scoped to `.jupyter-wrapper` (with no added specificity), so no rule of it touches the rest of the site (the
  template's `pre { line-height: 125% }` and `table { width: max-content }` otherwise do);
- a custom property only when a kept rule reads it (directly or through another property);
- @media blocks with a kept rule, @keyframes a kept rule names.
"""

import hashlib
import json
import os
import re
from pathlib import Path

import tinycss2

# :where() adds no specificity: a scoped rule wins or loses against the theme's rules exactly as it did unscoped.
SCOPE = ":where(.jupyter-wrapper)"
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
UNREACHABLE = re.compile(r"\.jupyter-wrapper\s+(?::root|html|body)(?![\w-])")
# Parts of a selector whose classes need not be on the page: `:not(.x)` matches where x is absent, `:is()`,
# `:where()` and `:has()` need only one alternative, and dots in attribute values or strings are no classes.
OPTIONAL = re.compile(r":(?:not|is|where|has)\([^()]*\)|\[[^\]]*\]|\"[^\"]*\"|'[^']*'")
# A selector that starts at the page's root (html, :root, body) or at the <body>'s scheme attribute: the scope
# goes after that first part, or the rule would look for a root inside the notebook and never match.
PAGE_ROOT = re.compile(r"((?:html|:root|body)(?:\[[^\]]*\])*|(?:\[data-md-color-scheme[^\]]*\])+)(?=\s|$)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")


def used_classes(html: str) -> set[str]:
    return {name for value in re.findall(r'\bclass="([^"]*)"', html) for name in value.split()}


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(...), :not(...))."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [part for part in parts if part]


def _scoped(selector: str) -> str:
    """Inside .jupyter-wrapper; a selector that starts at the page's root keeps that start first."""
    if re.search(r"\.jupyter-wrapper(?![\w-])", selector):
        return selector
    root = PAGE_ROOT.match(selector)
    if root:
        rest = selector[root.end():].strip()
        return f"{root[1]} {SCOPE}" + (f" {rest}" if rest else "")
    return f"{SCOPE} {selector}"


def _keep_selectors(prelude: str, classes: set[str]) -> list[str]:
    kept = []
    for selector in _selectors(prelude):
        required = CLASS.findall(OPTIONAL.sub("", selector))
        if UNREACHABLE.search(selector) or not set(required) <= classes:
            continue
        kept.append(_scoped(selector))
    return kept


def _rules(css) -> list:
    return [rule for rule in tinycss2.parse_rule_list(css, skip_comments=True, skip_whitespace=True)
            if rule.type in ("qualified-rule", "at-rule")]


def _declarations(rule) -> list[tuple[str, str]]:
    found = []
    for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            value = tinycss2.serialize(item.value).strip()
            found.append((item.name, value + (" !important" if item.important else "")))
    return found


def _plain(rules) -> list:
    """tinycss2's rules as plain data: ("rule", prelude, declarations), ("media", condition, [...]) and
    ("keyframes", header, body); @charset, @font-face, @import, @supports dropped (nothing here uses them)."""
    found = []
    for rule in rules:
        if rule.type == "qualified-rule":
            found.append(("rule", tinycss2.serialize(rule.prelude).strip(), _declarations(rule)))
        elif rule.lower_at_keyword == "media":
            found.append(("media", tinycss2.serialize(rule.prelude).strip(), _plain(_rules(rule.content))))
        elif rule.lower_at_keyword.endswith("keyframes"):
            found.append(("keyframes", f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}",
                          tinycss2.serialize(rule.content).strip()))
    return found


_parsed: dict[str, list] = {}


def parsed(css: str, cache: Path | None = None) -> list:
    """One stylesheet as plain data (see _plain): parsed once per process, and kept in `cache` (a folder) across
    builds, keyed by its text: mkdocs-jupyter's CSS only changes with its version, and parsing it takes about a second."""
    key = hashlib.sha256(b"\0".join([css.encode(), Path(__file__).read_bytes(), tinycss2.__version__.encode()])).hexdigest()[:20]
    if key in _parsed:
        return _parsed[key]
    file = Path(cache) / f"{key}.json" if cache else None
    found = None
    if file and file.is_file():
        try:
            found = json.loads(file.read_text(encoding="utf-8"))
        except ValueError:  # a damaged entry (a build stopped while writing it): parsed again
            found = None
    if found is None:
        found = json.loads(json.dumps(_plain(_rules(css))))  # tuples as lists, as a cached copy reads
        if file:
            file.parent.mkdir(parents=True, exist_ok=True)
            staged = file.with_suffix(f".{os.getpid()}.part")
            staged.write_text(json.dumps(found), encoding="utf-8")
            os.replace(staged, file)
    _parsed[key] = found
    return found


def _select(rules, classes) -> list:
    """The rules to keep, as ("rule", selectors, declarations), ("media", condition, [...]) and
    ("keyframes", header, body), before unused custom properties and animations are pruned."""
    kept = []
    for kind, head, body in rules:
        if kind == "rule":
            selectors = _keep_selectors(head, classes)
            if selectors:
                kept.append(("rule", selectors, [tuple(d) for d in body]))
        elif kind == "media":
            inner = _select(body, classes)
            if inner:
                kept.append(("media", head, inner))
        else:
            kept.append((kind, head, body))
    return kept


def _declared(kept):
    """Every (name, value) declared by a kept rule, inside @media too."""
    for kind, _, body in kept:
        if kind == "media":
            yield from _declared(body)
        elif kind == "rule":
            yield from body


def _needed_properties(kept) -> set[str]:
    definitions: dict[str, list[str]] = {}
    needed: set[str] = set()
    for name, value in _declared(kept):
        if name.startswith("--"):
            definitions.setdefault(name, []).append(value)
        else:
            needed |= set(VAR.findall(value))
    todo = list(needed)
    while todo:
        for value in definitions.get(todo.pop(), []):
            for name in set(VAR.findall(value)) - needed:
                needed.add(name)
                todo.append(name)
    return needed


def _serialize(kept, properties: set[str], animations: set[str]) -> list[str]:
    out = []
    for kind, head, body in kept:
        if kind == "media":
            inner = _serialize(body, properties, animations)
            if inner:
                out.append(f"@media {head}{{" + "".join(inner) + "}")
        elif kind == "keyframes":
            if head.split()[-1] in animations:
                out.append(f"{head}{{{body}}}")
        else:
            declarations = [f"{n}:{v}" for n, v in body if not n.startswith("--") or n in properties]
            if declarations:
                out.append(",".join(head) + "{" + ";".join(declarations) + "}")
    return out


def cut_down(stylesheets: list[str], html: str, cache: Path | None = None) -> str:
    """One stylesheet from mkdocs-jupyter's inline CSS texts, kept to the rules that `html` (every notebook
    page's markup, joined) can use, each scoped to .jupyter-wrapper."""
    classes = used_classes(html)
    kept = [item for css in stylesheets for item in _select(parsed(css, cache), classes)]
    properties = _needed_properties(kept)
    animations = {word for name, value in _declared(kept) if name.startswith("animation")
                  for word in re.findall(r"[\w-]+", value)}
    return "\n".join(_serialize(kept, properties, animations)) + "\n"


def rules_for_classes(stylesheets: list[str], names: set[str], cache: Path | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every (selector, declarations) whose selector names one of the classes `names` (inside @media too):
    each stylesheet parsed once (`parsed`), in linear time."""
    found = []

    def walk(rules):
        for kind, head, body in rules:
            if kind == "rule":
                for selector in _selectors(head):
                    if names & set(CLASS.findall(selector)):
                        found.append((selector, [tuple(d) for d in body]))
            elif kind == "media":
                walk(body)

    for css in stylesheets:
        walk(parsed(css, cache))
    return found
