"""MkDocs hook: markup that screen-reader and keyboard users need, which the theme and mkdocs-jupyter leave out.

- mkdocs-material's search box is role="dialog" without a name: screen readers announce an unnamed
  dialog (axe-core: aria-dialog-name, serious).
- mkdocs-jupyter's code cells scroll sideways but cannot take focus, so a keyboard cannot scroll them
  (axe-core: scrollable-region-focusable, serious); mkdocs-material makes its own code blocks focusable.
The browser test's axe scan fails if a fix stops applying, e.g. after an upgrade changes the markup.
"""

FIXES = [
    (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    ),
    ('<div class="highlight-ipynb ', '<div tabindex="0" class="highlight-ipynb '),
]


def fix(html: str) -> str:
    for markup, accessible in FIXES:
        html = html.replace(markup, accessible)
    return html


def on_post_page(output, page, config):
    return fix(output)


def on_post_template(output_content, template_name, config):  # 404.html is a template, not a page
    return fix(output_content) if template_name.endswith(".html") else output_content
