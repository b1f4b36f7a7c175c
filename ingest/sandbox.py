"""Parse a report in a child process with limits on its memory and time, so a hostile file cannot hang
or exhaust the process that ingests it.

A PDF can be made to cost far more than its size: a content stream of a few hundred KB inflates into
hundreds of MB of drawing operators that pdfium holds as objects (GBs), and pages that all share
such a stream are each parsed again. pdfium runs in C, so a Python thread can neither time it out
nor let Ctrl-C in while it works. The child (`python -m ingest.sandbox`) imports only the parser
(about 25 MB) and caps its address space with RLIMIT_AS; the parent waits in Python, kills the
child past the time limit or on Ctrl-C, and reads back the report as JSON (not pickle: the child
parsed untrusted bytes, its reply is data only). The child reads the file itself, once, so the
report's ``sha256`` is that of the bytes it parsed.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from ingest.errors import ReportFormatError
from ingest.files import parse_path
from ingest.markdown import ParsedReport
from ingest.records import Paragraph
from ingest.tokens import count_tokens, counted_by_caller

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def parse_isolated(
    path: str | Path, *, timeout_s: float = 60.0, memory_mb: int = 1024, **limits: int | None
) -> ParsedReport:
    """`parse_path(path, **limits)` in a child process of at most ``memory_mb`` MB of address space, killed
    after ``timeout_s`` seconds or when the caller is interrupted (KeyboardInterrupt is re-raised);
    ReportFormatError when the file is refused, including for the time or memory it needs."""
    return ParseJob(path, timeout_s=timeout_s, memory_mb=memory_mb, **limits).result()


class ParseJob:
    """One report parsing in its child process: started at once, its result read later, so that a run
    over many files parses the next one while it embeds this one (``ingest_many``). Read the result or
    cancel the job: either way the child is gone afterwards."""

    def __init__(self, path: str | Path, *, timeout_s: float = 60.0, memory_mb: int = 1024, **limits: int | None):
        self.path, self.timeout_s, self.memory_mb = Path(path), timeout_s, memory_mb
        request = json.dumps({"path": str(self.path), "limits": limits, "memory_mb": memory_mb, "timeout_s": timeout_s})
        pythonpath = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        # A session of its own: Ctrl-C reaches only the parent, which kills the child (pdfium would not notice it).
        self._child = subprocess.Popen(
            [sys.executable, "-m", "ingest.sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": pythonpath}, start_new_session=True,
        )
        try:
            self._child.stdin.write(request.encode())  # a few hundred bytes: never blocks
            self._child.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once: result() says how
        self._child.stdin = None  # closed: the child reads to its end before it starts
        self._read = False

    def result(self) -> ParsedReport:
        """The parsed report, waiting at most ``timeout_s`` from now (the child's own CPU limit bounds the
        time it ran before); ReportFormatError when the file is refused."""
        child, path = self._child, self.path
        try:
            out, err = child.communicate(timeout=self.timeout_s)
            self._read = True
        except subprocess.TimeoutExpired:
            self.cancel()
            raise ReportFormatError(f"{path.name} took longer than {self.timeout_s:g} s to parse; refused") from None
        except BaseException:  # KeyboardInterrupt above all: never leave the child running
            self.cancel()
            raise
        reply = json.loads(out) if child.returncode == 0 and out else {}
        if "report" in reply:
            return _report_from(reply["report"])
        if "refused" in reply:
            raise ReportFormatError(reply["refused"])
        # Past RLIMIT_AS Python raises MemoryError, and pdfium aborts: it stops the process when an allocation fails.
        if "memory" in reply or child.returncode in (-signal.SIGABRT, -signal.SIGKILL) or b"MemoryError" in err:
            raise ReportFormatError(f"{path.name} needed more than {self.memory_mb:,} MB to parse; refused")
        if child.returncode < 0:
            detail = f"the parser died of {signal.Signals(-child.returncode).name}"
        else:
            last_line = err.decode("utf-8", "replace").strip().splitlines()[-1:]
            detail = reply.get("failed") or (last_line or [f"exit code {child.returncode}"])[0]
        raise ReportFormatError(f"{path.name} could not be parsed ({detail[:300]}); refused")

    def cancel(self) -> None:
        """Stop the child if it still runs (nothing to do once its result was read)."""
        if self._read:
            return
        if self._child.poll() is None:
            self._child.kill()
        self._child.communicate()  # reap it and close its pipes
        self._read = True


def _report_from(fields: dict) -> ParsedReport:
    return ParsedReport(
        **{
            **fields,
            "paragraphs": [Paragraph(**{**p, "tokens": count_tokens(p["text"])}) for p in fields["paragraphs"]],
            "judgements": [tuple(j) for j in fields["judgements"]],
        }
    )


def _child() -> None:
    request = json.loads(sys.stdin.buffer.read())
    cap = request["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # A backstop should the parent die without killing this process: CPU seconds past the wall-clock limit.
    cpu = int(request["timeout_s"]) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with counted_by_caller():  # the parent counts them: it has the BPE table loaded already
            reply = {"report": asdict(parse_path(request["path"], **request["limits"]))}
    except ReportFormatError as exc:
        reply = {"refused": str(exc)}
    except MemoryError:
        reply = {"memory": True}
    except Exception as exc:  # a parser bug or a file pdfium chokes on: the file is refused, the run goes on
        reply = {"failed": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(reply))


if __name__ == "__main__":
    _child()
