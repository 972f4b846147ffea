"""Run the checks on another core while MkDocs builds the site; the build waits only when it needs them.

MkDocs renders on one core. The checks (and the imports they need) run in a forked process from
`on_pre_build`, and the build collects their notes when a page first needs them, by which time
they are usually done. Like Sphinx's parallel build, this forks only where fork is safe (Linux);
elsewhere, or with CHECKS_PARALLEL=0, the checks run in the build's process, before it goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from checks.build_notes import BuildNotes
from checks.findings import ConfigurationError

PARALLEL_ENV = "CHECKS_PARALLEL"


def _collect(docs_dir: Path, registry_path: Path, snapshot_path: Path, config_path: Path | None) -> BuildNotes:
    started = time.perf_counter()
    # Imported here rather than at the top: when the checks run beside the build, their imports
    # (markdown-it, the rules) cost the other core too.
    from checks.collect_notes import collect_notes

    notes = collect_notes(docs_dir, registry_path, snapshot_path, config_path)
    notes.seconds = time.perf_counter() - started
    return notes


def _send_notes(connection: Connection, *arguments: Path | None) -> None:
    try:
        outcome: tuple[str, object] = ("notes", _collect(*arguments))
    except ConfigurationError as error:
        outcome = ("configuration", str(error))
    except Exception:
        outcome = ("crash", traceback.format_exc())
    connection.send(outcome)
    connection.close()


def parallel() -> bool:
    return sys.platform == "linux" and os.environ.get(PARALLEL_ENV, "1") != "0"


class PendingNotes:
    """The checks' notes for one build: being computed in another process, or already here."""

    def __init__(
        self, docs_dir: Path, registry_path: Path, snapshot_path: Path, config_path: Path | None = None
    ) -> None:
        self.parallel = parallel()
        self.waited = 0.0
        self._notes: BuildNotes | None = None
        if not self.parallel:
            self._notes = _collect(docs_dir, registry_path, snapshot_path, config_path)
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        # Buffered output would be written twice: once by MkDocs, once by the forked copy at its exit.
        sys.stdout.flush()
        sys.stderr.flush()
        self._process = context.Process(
            target=_send_notes, args=(sender, docs_dir, registry_path, snapshot_path, config_path), daemon=True
        )
        self._process.start()
        sender.close()

    def result(self) -> BuildNotes:
        """The notes; raise ConfigurationError as the checks did, RuntimeError if they crashed."""
        if self._notes is not None:
            return self._notes
        started = time.perf_counter()
        try:
            kind, value = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the checks' process ended without a result (exit code {self._process.exitcode}); "
                "run `python -m checks` to see the checks on their own"
            ) from None
        finally:
            self._receiver.close()
        self._process.join()
        self.waited = time.perf_counter() - started
        if kind == "configuration":
            raise ConfigurationError(str(value))
        if kind == "crash":
            raise RuntimeError(f"the checks crashed (a bug in checks/, please report it):\n{value}")
        assert isinstance(value, BuildNotes)
        self._notes = value
        return value

    def cancel(self) -> None:
        """The build failed before it needed the notes: stop computing them."""
        if self._notes is None and self.parallel and self._process.is_alive():
            self._process.terminate()
            self._process.join()
