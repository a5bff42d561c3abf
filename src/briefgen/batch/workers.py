"""Worker processes for a batch, each holding the batch (and its pipeline session).

WeasyPrint is not thread-safe, so letters are made in processes. Each worker
is handed the `LetterBatch` once, when it starts — inherited by fork, with
WeasyPrint's parsed CSS, fonts and compiled templates already warm, or
unpickled where processes are spawned — and then receives one job at a time
over its own pipe. Holding the batch in the worker object, rather than in a
module global set before forking, is what lets the same code run under both
start methods.

Ctrl-C and SIGTERM belong to the parent: workers ignore them, the parent stops
handing out jobs, waits for the letters being written (they finish whole,
stamped) and then tells every worker to stop. A worker that dies (killed, out
of memory) raises BrokenProcessPool in the parent, as concurrent.futures does.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType

from ..errors import BriefgenError
from .letters import Job, LetterBatch
from .state import ManifestEntry


class WorkerFailed(RuntimeError):
    """Something other than a problem with the input went wrong in a worker."""


# After Ctrl-C, how long a letter being written may still take (one takes well under a
# second), and a worker to exit once told to: past these the batch stops anyway.
LATE_LETTER_SECONDS = 60
WORKER_EXIT_SECONDS = 10


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _serve(batch: LetterBatch, conn: Connection) -> None:
    """A worker's life: make each letter it is sent, until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        try:
            conn.send(batch.make(job))
        except BriefgenError as exc:  # e.g. the output folder cannot be written
            conn.send(exc)
        except Exception:  # noqa: BLE001 - reported to the parent, which raises it
            conn.send(WorkerFailed(traceback.format_exc()))


class WorkerPool:
    """`with WorkerPool(batch, n) as pool: for entry in pool.run(jobs): …`"""

    def __init__(self, batch: LetterBatch, workers: int) -> None:
        fork = "fork" in multiprocessing.get_all_start_methods()
        self.context = (multiprocessing.get_context("fork") if fork
                        else multiprocessing.get_context("spawn"))
        self.batch = batch
        self.workers = workers
        self.processes: dict[Connection, BaseProcess] = {}
        self.busy: dict[Connection, Job] = {}
        self.late: list[ManifestEntry] = []  # letters finished while the run was stopping

    def __enter__(self) -> WorkerPool:
        for _ in range(self.workers):
            parent, child = self.context.Pipe()
            process = self.context.Process(target=_serve, args=(self.batch, child),
                                           daemon=True)
            process.start()
            child.close()
            self.processes[parent] = process
        return self

    def run(self, jobs: list[Job]) -> Iterator[ManifestEntry]:
        """Each job's manifest entry, in the order they finish."""
        pending = deque(jobs)
        for conn in self.processes:
            if pending:
                self._send(conn, pending.popleft())
        while self.busy:
            conn = self._next_ready()
            result = self._receive(conn)
            if pending:
                self._send(conn, pending.popleft())
            yield result

    def _send(self, conn: Connection, job: Job) -> None:
        conn.send(job)
        self.busy[conn] = job

    def _next_ready(self) -> Connection:
        """A worker with a result; BrokenProcessPool if one died instead."""
        sentinels = {self.processes[c].sentinel: c for c in self.busy}
        ready = wait([*self.busy, *sentinels])
        for conn in ready:
            if isinstance(conn, Connection):
                return conn  # a result, or the end of a dead worker's pipe (see _receive)
        conn = next(sentinels[r] for r in ready if isinstance(r, int))
        self.processes[conn].join(timeout=5)
        raise BrokenProcessPool(f"worker {self.processes[conn].pid} exited with code "
                                f"{self.processes[conn].exitcode} while making "
                                f"{self.busy.pop(conn).stem}")

    def _receive(self, conn: Connection) -> ManifestEntry:
        try:
            result = conn.recv()
        except EOFError:
            process = self.processes[conn]
            process.join(timeout=5)
            raise BrokenProcessPool(f"worker {process.pid} exited with code {process.exitcode} "
                                    f"while making {self.busy.pop(conn).stem}") from None
        del self.busy[conn]
        if isinstance(result, (WorkerFailed, BriefgenError)):
            raise result
        return result

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Letters being written finish (whole and stamped); then every worker stops."""
        for conn in list(self.busy):
            try:
                if self.processes[conn].is_alive() and conn.poll(LATE_LETTER_SECONDS):
                    self.late.append(self._receive(conn))
                else:  # a worker that cannot finish its letter is stopped below
                    self.busy.pop(conn, None)
            except (BrokenProcessPool, WorkerFailed, BriefgenError, OSError):
                self.busy.pop(conn, None)
        for conn in self.processes:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()
        for process in self.processes.values():
            process.join(timeout=WORKER_EXIT_SECONDS)
            if process.is_alive():  # workers ignore SIGTERM (and SIGINT): only kill stops
                process.kill()  # one; its letter's temporary file goes with the next run
                process.join()
