"""The job worker: runs queued solver jobs in background threads; state in the `job` table.

Any number of workers (threads of the API process, or separate processes) may share a
database: a job is claimed with a conditional UPDATE (``status = queued``), so exactly
one worker runs it. A running job's worker writes a heartbeat every poll; a job whose
heartbeat is older than `job_stale_after_seconds` belongs to a dead worker and is
marked failed — at start-up and on every sweep — so nothing stays "running" forever.
Queued jobs survive a restart and run when a worker is back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.config import ApiSettings
from data.ops_models import Job, JobKind, JobStatus, utcnow

log = logging.getLogger("famplan.api.jobs")


class JobFailed(Exception):
    """A runner's way to fail a job with a message meant for the user (no personal data)."""


class JobContext:
    """What a runner gets: the job's parameters, a database, and a progress reporter."""

    def __init__(self, engine: Engine, job_id: int, params: dict[str, Any], office_ids: list[int]):
        self.engine = engine
        self.job_id = job_id
        self.params = params
        self.office_ids = office_ids
        self.started = time.monotonic()
        self._last_report = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def report(
        self,
        incumbent: float | None,
        bound: float | None,
        solutions_found: int | None = None,
        force: bool = False,
    ) -> None:
        """Record progress (throttled to two writes a second unless `force`)."""
        now = time.monotonic()
        if not force and now - self._last_report < 0.5:
            return
        self._last_report = now
        values: dict[str, Any] = {
            "incumbent": incumbent,
            "bound": bound,
            "elapsed_seconds": round(self.elapsed(), 3),
        }
        if solutions_found is not None:
            values["solutions_found"] = solutions_found
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(col(Job.id) == self.job_id, col(Job.status) == JobStatus.RUNNING)
                .values(**values)
            )
            session.commit()


#: A runner turns a job into a JSON-able result (or raises `JobFailed`).
Runner = Callable[[JobContext], dict[str, Any]]


def default_runners() -> dict[JobKind, Runner]:
    from api.jobs.runners import run_optimization, run_roster

    return {JobKind.OPTIMIZATION: run_optimization, JobKind.ROSTER: run_roster}


def fail_orphaned_jobs(engine: Engine, stale_after_seconds: float) -> list[int]:
    """Mark running jobs whose worker stopped heart-beating as failed; return their ids."""
    cutoff = utcnow() - dt.timedelta(seconds=stale_after_seconds)
    with Session(engine) as session:
        stale = session.exec(
            select(Job.id).where(
                col(Job.status) == JobStatus.RUNNING,
                (col(Job.heartbeat_at).is_(None)) | (col(Job.heartbeat_at) < cutoff),
            )
        ).all()
        failed: list[int] = []
        for job_id in stale:
            result = session.exec(
                update(Job)
                .where(
                    col(Job.id) == job_id,
                    col(Job.status) == JobStatus.RUNNING,
                    (col(Job.heartbeat_at).is_(None)) | (col(Job.heartbeat_at) < cutoff),
                )
                .values(
                    status=JobStatus.FAILED,
                    error="the worker running this job stopped (no heartbeat); resubmit it",
                    finished_at=utcnow(),
                    version=col(Job.version) + 1,
                )
            )
            if result.rowcount == 1 and job_id is not None:
                failed.append(job_id)
        session.commit()
    for job_id in failed:
        log.warning("job %d marked failed: its worker stopped", job_id)
    return failed


class Worker:
    """Polls the job table and runs jobs on a small thread pool."""

    def __init__(
        self,
        engine: Engine,
        settings: ApiSettings,
        runners: Mapping[JobKind, Runner] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.runners = dict(runners) if runners is not None else default_runners()
        self.worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, settings.worker_threads), thread_name_prefix="famplan-job"
        )
        self._running: dict[int, Future[None]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        fail_orphaned_jobs(self.engine, self.settings.job_stale_after_seconds)
        self._thread = threading.Thread(target=self._loop, name="famplan-worker", daemon=True)
        self._thread.start()
        log.info("job worker %s started", self.worker_id)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling; jobs still running after `timeout` are marked failed."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        deadline = time.monotonic() + timeout
        for future in list(self._running.values()):
            future_timeout = max(0.0, deadline - time.monotonic())
            # The job records its own outcome; here we only wait for it.
            with contextlib.suppress(Exception):
                future.result(timeout=future_timeout)
        self._fail_own_running_jobs("the API stopped while the job ran; resubmit it")
        self._pool.shutdown(wait=False, cancel_futures=True)
        log.info("job worker %s stopped", self.worker_id)

    def wake(self) -> None:
        """Look for queued jobs now (called after a job is submitted)."""
        self._wake.set()

    # ------------------------------------------------------------------ loop

    def _loop(self) -> None:
        last_sweep = 0.0
        while not self._stop.is_set():
            try:
                self._heartbeat()
                if time.monotonic() - last_sweep > self.settings.job_stale_after_seconds / 2:
                    fail_orphaned_jobs(self.engine, self.settings.job_stale_after_seconds)
                    last_sweep = time.monotonic()
                while self._has_capacity() and self._claim_next():
                    pass
            except Exception as error:  # keep polling: the DB may come back
                log.error("job worker loop: %s", type(error).__name__)
            self._wake.wait(self.settings.worker_poll_seconds)
            self._wake.clear()

    def _has_capacity(self) -> bool:
        with self._lock:
            return len(self._running) < max(1, self.settings.worker_threads)

    def _heartbeat(self) -> None:
        with self._lock:
            ids = list(self._running)
        if not ids:
            return
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(col(Job.id).in_(ids), col(Job.status) == JobStatus.RUNNING)
                .values(heartbeat_at=utcnow())
            )
            session.commit()

    def _claim_next(self) -> bool:
        with Session(self.engine) as session:
            queued = session.exec(
                select(Job.id)
                .where(col(Job.status) == JobStatus.QUEUED, col(Job.kind).in_(list(self.runners)))
                .order_by(col(Job.id))
                .limit(5)
            ).all()
            for job_id in queued:
                now = utcnow()
                claimed = session.exec(
                    update(Job)
                    .where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
                    .values(
                        status=JobStatus.RUNNING,
                        worker_id=self.worker_id,
                        started_at=now,
                        heartbeat_at=now,
                        version=col(Job.version) + 1,
                    )
                )
                session.commit()
                if claimed.rowcount == 1 and job_id is not None:
                    job = session.get(Job, job_id)
                    assert job is not None
                    context = JobContext(
                        self.engine, job_id, dict(job.params), list(job.office_ids)
                    )
                    with self._lock:
                        self._running[job_id] = self._pool.submit(self._run, job.kind, context)
                    log.info("job %d (%s) started", job_id, job.kind.value)
                    return True
        return False

    def _run(self, kind: JobKind, context: JobContext) -> None:
        try:
            result = self.runners[kind](context)
        except JobFailed as error:
            self._finish(context, JobStatus.FAILED, None, str(error)[:500])
        except Exception as error:  # a failed job, not a crashed worker
            frames = traceback.extract_tb(error.__traceback__)
            where = "; ".join(f"{f.filename}:{f.lineno}" for f in frames[-3:])
            log.error("job %d failed: %s at %s", context.job_id, type(error).__name__, where)
            self._finish(
                context, JobStatus.FAILED, None, f"internal error ({type(error).__name__})"
            )
        else:
            self._finish(context, JobStatus.SUCCEEDED, result, None)
        finally:
            with self._lock:
                self._running.pop(context.job_id, None)
            self._wake.set()

    def _finish(
        self,
        context: JobContext,
        status: JobStatus,
        result: dict[str, Any] | None,
        error: str | None,
    ) -> None:
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(
                    col(Job.id) == context.job_id,
                    col(Job.status) == JobStatus.RUNNING,
                    col(Job.worker_id) == self.worker_id,
                )
                .values(
                    status=status,
                    result=result,
                    error=error,
                    finished_at=utcnow(),
                    elapsed_seconds=round(context.elapsed(), 3),
                    version=col(Job.version) + 1,
                )
            )
            session.commit()
        log.info("job %d %s in %.1fs", context.job_id, status.value, context.elapsed())

    def _fail_own_running_jobs(self, message: str) -> None:
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(col(Job.worker_id) == self.worker_id, col(Job.status) == JobStatus.RUNNING)
                .values(status=JobStatus.FAILED, error=message, finished_at=utcnow())
            )
            session.commit()
