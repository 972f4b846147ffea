"""Run linkchecker's command line, keeping the privileges of the user who started it.

linkchecker, started as root, switches to `nobody` before it loads its plugins. In a checkout that
`nobody` cannot read (a 0700 temporary directory, /root) the plugins, AnchorCheck among them, then
fail to load without a word, and broken anchors pass. CI runs as root in such a directory.
Usage: `python -m checks.run_linkchecker <linkchecker arguments>`.
"""

from __future__ import annotations

import sys

from linkcheck.command import linkchecker as cli


def main() -> int:
    cli.drop_privileges = lambda: None
    sys.argv[0] = "linkchecker"
    return cli.linkchecker()


if __name__ == "__main__":
    sys.exit(main())
