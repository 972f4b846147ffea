"""The site's build hooks without the checks: the baseline build of `make bench`."""

from checks.mkdocs_hook import on_page_content, on_post_build, on_post_page

__all__ = ["on_page_content", "on_post_build", "on_post_page"]
