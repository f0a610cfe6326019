"""tested_docs/notebook_css.py: mkdocs-jupyter's CSS cut down to what the notebook pages use, scoped to them.
(The browser test proves the built pages stay within their weight budget and lay out as before.)"""

from tested_docs.notebook_css import cut_down

MARKUP = '<div class="jupyter-wrapper"><div class="jp-Cell"><pre class="highlight-ipynb">x</pre></div></div>'


def rules(css: str) -> list[str]:
    return [line for line in css.splitlines() if line]


def test_keeps_only_rules_whose_classes_the_pages_use():
    css = ".jupyter-wrapper .jp-Cell{margin:0}.jupyter-wrapper .bp3-button{color:red}.jupyter-wrapper .jp-Cell .jp-mod-selected{x:y}"
    assert rules(cut_down([css], MARKUP)) == [".jupyter-wrapper .jp-Cell{margin:0}"]


def test_classes_under_not_is_or_in_attribute_values_are_not_required():
    css = (".jupyter-wrapper .jp-Cell:not(.jp-mod-noOutputs){padding:1px}"
           '.jupyter-wrapper .jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{background:pink}'
           ".jupyter-wrapper :is(.jp-Cell,.bp3-x){margin:0}")
    assert rules(cut_down([css], MARKUP)) == [
        ".jupyter-wrapper .jp-Cell:not(.jp-mod-noOutputs){padding:1px}",
        '.jupyter-wrapper .jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{background:pink}',
        ".jupyter-wrapper :is(.jp-Cell,.bp3-x){margin:0}",
    ]


def test_unscoped_rules_are_scoped_without_added_specificity():
    css = "pre{line-height:125%}table{width:max-content}[data-md-color-scheme=slate] .jp-Cell{color:#555}"
    assert rules(cut_down([css], MARKUP)) == [
        ":where(.jupyter-wrapper) pre{line-height:125%}",
        ":where(.jupyter-wrapper) table{width:max-content}",
        "[data-md-color-scheme=slate] :where(.jupyter-wrapper) .jp-Cell{color:#555}",
    ]


def test_a_selector_from_the_page_root_keeps_its_root_first():
    css = ":root{--a:1}body .jp-Cell{margin:var(--a)}[data-md-color-scheme=slate]{--a:2}body[data-md-color-scheme=slate] pre{color:#fff}"
    assert rules(cut_down([css], MARKUP)) == [
        ":root :where(.jupyter-wrapper){--a:1}",
        "body :where(.jupyter-wrapper) .jp-Cell{margin:var(--a)}",
        "[data-md-color-scheme=slate] :where(.jupyter-wrapper){--a:2}",
        "body[data-md-color-scheme=slate] :where(.jupyter-wrapper) pre{color:#fff}",
    ]


def test_rules_that_can_never_match_inside_a_div_go():
    css = ".jupyter-wrapper :root{--a:1}.jupyter-wrapper body{margin:0}.jupyter-wrapper html{color:red}"
    assert cut_down([css], MARKUP).strip() == ""


def test_custom_properties_stay_only_when_a_kept_rule_reads_them():
    css = (".jupyter-wrapper{--used:var(--via);--via:1px;--unused:2px}"
           ".jupyter-wrapper .jp-Cell{margin:var(--used)}.jupyter-wrapper .bp3-x{margin:var(--unused)}")
    assert rules(cut_down([css], MARKUP)) == [".jupyter-wrapper{--used:var(--via);--via:1px}", ".jupyter-wrapper .jp-Cell{margin:var(--used)}"]


def test_media_and_keyframes_stay_only_with_a_kept_rule():
    css = ("@media (max-width:10px){.jupyter-wrapper .jp-Cell{margin:0}.jupyter-wrapper .bp3-x{margin:0}}"
           "@media print{.jupyter-wrapper .bp3-x{margin:0}}"
           "@keyframes spin{to{transform:rotate(1turn)}}@keyframes fade{to{opacity:0}}"
           ".jupyter-wrapper .jp-Cell{animation:spin 1s}")
    assert rules(cut_down([css], MARKUP)) == [
        "@media (max-width:10px){.jupyter-wrapper .jp-Cell{margin:0}}",
        "@keyframes spin{to{transform:rotate(1turn)}}",
        ".jupyter-wrapper .jp-Cell{animation:spin 1s}",
    ]


def test_rules_for_classes_finds_a_token_class_in_every_selector_and_media_block():
    from tested_docs.notebook_css import rules_for_classes

    css = (".highlight .n{color:var(--x)}.highlight .nb,.jp-w{color:red}"
           "@media (max-width:1px){.a .w,.b{font-weight:bold}}")
    assert rules_for_classes([css], {"n", "w"}) == [(".highlight .n", [("color", "var(--x)")]),
                                                   (".a .w", [("font-weight", "bold")])]


def test_the_build_stops_when_mkdocs_jupyter_styles_an_unwrapped_token():
    import pytest
    from mkdocs.exceptions import PluginError

    check_plain_tokens = hook("notebook_pages").check_plain_tokens

    check_plain_tokens([".highlight .n{color:var(--jp-mirror-editor-variable-color)}"])
    with pytest.raises(PluginError, match=r"styles '\.highlight \.w'"):
        check_plain_tokens([".highlight .w{color:var(--jp-mirror-editor-variable-color);font-style:italic}"])


def hook(name: str):
    """A build hook (hooks/ is no package: mkdocs loads each file by its path)."""
    import importlib.util

    from tested_docs.paths import ROOT

    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
