"""MkDocs hook: give mkdocs-material's search dialog an accessible name.

The theme marks the search box up as role="dialog" without a name, which screen readers announce as
an unnamed dialog (axe-core: aria-dialog-name, serious). The browser test's axe scan fails if this
stops applying, e.g. after a theme upgrade changes the markup.
"""

DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def on_post_page(output, page, config):
    return output.replace(DIALOG, NAMED, 1)


def on_post_template(output_content, template_name, config):  # 404.html is a template, not a page
    return output_content.replace(DIALOG, NAMED, 1) if template_name.endswith(".html") else output_content
