"""The job worker: runs queued solver jobs in background threads; state in the `job` table.

Why no queue library: famplan runs on SQLite by default and on PostgreSQL in
production, and a job's state (progress, result, office scope, the roster row created
with it) lives in the `job` table, written in the same transactions as the rows it
belongs to. Of the maintained queues (looked at in December 2026): procrastinate keeps
its jobs in PostgreSQL only; arq and rq need Redis; dramatiq and Celery need a broker
(RabbitMQ or Redis). huey 3 has SQLite and PostgreSQL storages, priorities and retries,
but it keeps its own queue beside our table (two records of one job, in two
transactions), its retries wait a fixed `retry_delay`, a revoke only keeps a task
from starting (a running solver is not told), and a task a consumer has taken is gone
from the queue, so a consumer that dies mid-run loses it where our heartbeat sweep
reports it. What we need from a queue is a few queries, so the worker stays small:

* **Claims.** Any number of workers (threads of the API process, or separate
  processes) may share a database. On PostgreSQL the next job is selected with
  ``FOR UPDATE SKIP LOCKED``, so concurrent workers never wait for each other; on
  SQLite (one writer at a time) with a conditional UPDATE (``status = queued``). Either
  way exactly one worker runs a job. Jobs are claimed by `Job.priority` (highest
  first), then oldest first, skipping those whose back-off (`Job.run_after`) has not
  passed.
* **Heartbeats.** A running job's worker writes a heartbeat every poll; a job whose
  heartbeat is older than half of `job_stale_after_seconds` belongs to a dead worker
  and is marked failed — at start-up and on sweeps every quarter of it — so any running
  worker fails a dead worker's job within `job_stale_after_seconds` of its death
  (`ApiSettings` keeps the poll at most a quarter of it, so a live worker's heartbeat
  is never that old). Queued jobs survive a restart and run when a worker is back.
* **Retries.** A transient failure (the database connection lost or refused,
  `TransientJobError`) puts the job back in the queue after an exponential back-off,
  until `Job.max_attempts` runs; anything else fails it at once.
* **Cancellation.** `cancel_requested_at` set on a running job is read with the
  heartbeat and passed to the runner (`JobContext.should_stop`), whose solver stops
  and keeps its best answer; the job ends `cancelled` with that answer as its result.

**End states** (`END_STATES`): every job that stops running ends in one of three, each
with its reason: ``succeeded`` (its `result`), ``failed`` (`error` says why: the
runner's own message, ``internal error (<type>)``, a lost heartbeat, or the API
stopping mid-run) and ``cancelled`` (`cancel_requested_at` says when it was asked; a
solver job's `result` holds the best answer it had). `end_reason` gives it as text.
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
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import exc as sa_exc
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.config import ApiSettings
from api.jobs.context import JobContext, JobFailed, Runner, TransientJobError
from data.ops_models import Job, JobKind, JobStatus, utcnow

log = logging.getLogger("famplan.api.jobs")

#: Back-off after the first transient failure; doubled after each further one, capped.
RETRY_BASE_SECONDS = 5.0
RETRY_MAX_SECONDS = 300.0


#: The states a job ends in (see the module's docstring); no other state is final.
END_STATES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})
#: Why a failed job has no message of its own (never expected; a guard for old rows).
UNKNOWN_FAILURE = "failed for an unrecorded reason"


def end_reason(job: Job) -> str | None:
    """Why `job` ended as it did; None while it is queued or running."""
    if job.status is JobStatus.SUCCEEDED:
        return "succeeded"
    if job.status is JobStatus.FAILED:
        return job.error or UNKNOWN_FAILURE
    if job.status is JobStatus.CANCELLED:
        return "cancelled on request" + (
            "; the result holds the best answer found" if job.result else ""
        )
    return None


def heartbeat_lost_after(settings: ApiSettings) -> float:
    """Seconds without a heartbeat after which a running job's worker is taken as dead."""
    return settings.job_stale_after_seconds / 2


def sweep_interval(settings: ApiSettings) -> float:
    """Seconds between two looks for dead workers' jobs: with `heartbeat_lost_after`,
    a dead worker's job is failed within `job_stale_after_seconds` of its last beat."""
    return settings.job_stale_after_seconds / 4


def is_transient(error: BaseException) -> bool:
    """Failures worth another attempt later: the database went away or refused a
    connection (OperationalError, an invalidated connection, an exhausted pool), or a
    runner said so. Bad data and bugs are permanent: retrying gives the same error."""
    if isinstance(error, TransientJobError | sa_exc.OperationalError | sa_exc.TimeoutError):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def retry_delay(attempt: int, base: float = RETRY_BASE_SECONDS) -> float:
    """Seconds before attempt ``attempt + 1``: base, 2·base, 4·base … (capped)."""
    return float(min(RETRY_MAX_SECONDS, base * 2 ** max(0, attempt - 1)))


def default_runners() -> dict[JobKind, Runner]:
    from api.jobs.runners import default_runners as runners

    return runners()


def fail_orphaned_jobs(
    engine: Engine, stale_after_seconds: float, now: dt.datetime | None = None
) -> list[int]:
    """Mark running jobs whose last heartbeat is more than `stale_after_seconds` before
    `now` (default: the current time) as failed; return their ids. `now` lets a test
    say when the sweep looks instead of waiting for the clock."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=stale_after_seconds)
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
                    finished_at=now,
                    version=col(Job.version) + 1,
                )
            )
            if result.rowcount == 1 and job_id is not None:
                failed.append(job_id)
        session.commit()
    for job_id in failed:
        log.warning("job %d marked failed: its worker stopped", job_id)
    return failed


def claim(session: Session, job_id: int, worker_id: str) -> bool:
    """Take queued job `job_id` for `worker_id` (committed); False if another took it."""
    now = utcnow()
    claimed = session.exec(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            worker_id=worker_id,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=col(Job.attempts) + 1,
            version=col(Job.version) + 1,
        )
    )
    session.commit()
    return claimed.rowcount == 1


def beat(engine: Engine, job_ids: list[int]) -> set[int]:
    """Write the heartbeat of running jobs `job_ids`; return those asked to stop."""
    if not job_ids:
        return set()
    with Session(engine) as session:
        session.exec(
            update(Job)
            .where(col(Job.id).in_(job_ids), col(Job.status) == JobStatus.RUNNING)
            .values(heartbeat_at=utcnow())
        )
        session.commit()
        return {
            job_id
            for job_id in session.exec(
                select(Job.id).where(
                    col(Job.id).in_(job_ids), col(Job.cancel_requested_at).is_not(None)
                )
            ).all()
            if job_id is not None
        }


def execute(
    engine: Engine,
    runner: Runner,
    context: JobContext,
    worker_id: str,
    retry_base_seconds: float = RETRY_BASE_SECONDS,
) -> JobStatus:
    """Run a claimed job to its end and record the outcome; return the job's status."""
    try:
        result = runner(context)
    except JobFailed as error:
        reason = str(error)[:500] or UNKNOWN_FAILURE
        return _finish(engine, context, worker_id, JobStatus.FAILED, None, reason)
    except Exception as error:  # a failed job, not a crashed worker
        frames = traceback.extract_tb(error.__traceback__)
        where = "; ".join(f"{f.filename}:{f.lineno}" for f in frames[-3:])
        name = type(error).__name__
        if (
            is_transient(error)
            and not context.should_stop()
            and _requeue(engine, context, worker_id, name, retry_base_seconds)
        ):
            return JobStatus.QUEUED
        log.error("job %d failed: %s at %s", context.job_id, name, where)
        return _finish(
            engine, context, worker_id, JobStatus.FAILED, None, f"internal error ({name})"
        )
    if context.should_stop():
        return _finish(engine, context, worker_id, JobStatus.CANCELLED, result, None)
    return _finish(engine, context, worker_id, JobStatus.SUCCEEDED, result, None)


def _requeue(
    engine: Engine, context: JobContext, worker_id: str, error_name: str, base: float
) -> bool:
    """Put a job back in the queue after a transient failure, unless its attempts are
    used up; True if it was re-queued."""
    with Session(engine) as session:
        job = session.get(Job, context.job_id)
        if job is None or job.attempts >= job.max_attempts:
            return False
        delay = retry_delay(job.attempts, base)
        requeued = session.exec(
            update(Job)
            .where(
                col(Job.id) == context.job_id,
                col(Job.status) == JobStatus.RUNNING,
                col(Job.worker_id) == worker_id,
            )
            .values(
                status=JobStatus.QUEUED,
                worker_id=None,
                heartbeat_at=None,
                run_after=utcnow() + dt.timedelta(seconds=delay),
                error=(
                    f"attempt {job.attempts} of {job.max_attempts} failed ({error_name}); "
                    f"retrying in {delay:g} s"
                ),
                version=col(Job.version) + 1,
            )
        )
        session.commit()
    if requeued.rowcount == 1:
        log.warning("job %d: transient %s, retry in %.1fs", context.job_id, error_name, delay)
        return True
    return False


def _finish(
    engine: Engine,
    context: JobContext,
    worker_id: str,
    status: JobStatus,
    result: dict[str, object] | None,
    error: str | None,
) -> JobStatus:
    with Session(engine) as session:
        session.exec(
            update(Job)
            .where(
                col(Job.id) == context.job_id,
                col(Job.status) == JobStatus.RUNNING,
                col(Job.worker_id) == worker_id,
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
    return status


def context_of(engine: Engine, job: Job) -> JobContext:
    assert job.id is not None
    return JobContext(engine, job.id, dict(job.params), list(job.office_ids), job.attempts)


def run_here(
    engine: Engine, job_id: int, runner: Runner, worker_id: str, poll_seconds: float = 1.0
) -> Job:
    """Run job `job_id`, already claimed by `worker_id` (e.g. created running by the CLI),
    in this thread, with heartbeats and cancel requests as the worker has; return the
    finished job. No retry: the caller sees the failure at once."""
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.worker_id == worker_id
        context = context_of(engine, job)
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(poll_seconds):
            with contextlib.suppress(Exception):  # a missed beat is retried next poll
                if beat(engine, [job_id]):
                    context.cancel_requested.set()

    beating = threading.Thread(target=heartbeat, name=f"famplan-job-{job_id}", daemon=True)
    beating.start()
    try:
        execute(engine, runner, context, worker_id, retry_base_seconds=0)
    finally:
        done.set()
        beating.join()
    with Session(engine) as session:
        finished = session.get(Job, job_id)
        assert finished is not None
        return finished


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class Worker:
    """Polls the job table and runs jobs on a small thread pool."""

    def __init__(
        self,
        engine: Engine,
        settings: ApiSettings,
        runners: Mapping[JobKind, Runner] | None = None,
        retry_base_seconds: float = RETRY_BASE_SECONDS,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.runners = dict(runners) if runners is not None else default_runners()
        self.retry_base_seconds = retry_base_seconds
        self.worker_id = new_worker_id()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, settings.worker_threads), thread_name_prefix="famplan-job"
        )
        self._running: dict[int, tuple[Future[None], JobContext]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._skip_locked = engine.dialect.name == "postgresql"

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        fail_orphaned_jobs(self.engine, heartbeat_lost_after(self.settings))
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
        for future, _context in list(self._running.values()):
            future_timeout = max(0.0, deadline - time.monotonic())
            # The job records its own outcome; here we only wait for it.
            with contextlib.suppress(Exception):
                future.result(timeout=future_timeout)
        self._fail_own_running_jobs("the API stopped while the job ran; resubmit it")
        self._pool.shutdown(wait=False, cancel_futures=True)
        log.info("job worker %s stopped", self.worker_id)

    def wake(self) -> None:
        """Look for queued jobs and cancel requests now (after a submit or a cancel)."""
        self._wake.set()

    # ------------------------------------------------------------------ loop

    def _loop(self) -> None:
        last_sweep = time.monotonic()  # `start` has just swept
        every = sweep_interval(self.settings)
        while not self._stop.is_set():
            try:
                self._heartbeat()
                if time.monotonic() - last_sweep >= every:
                    fail_orphaned_jobs(self.engine, heartbeat_lost_after(self.settings))
                    last_sweep = time.monotonic()
                while self._has_capacity() and self._claim_next():
                    pass
            except Exception as error:  # keep polling: the DB may come back
                log.error("job worker loop: %s", type(error).__name__)
            self._wake.wait(min(self.settings.worker_poll_seconds, every))
            self._wake.clear()

    def _has_capacity(self) -> bool:
        with self._lock:
            return len(self._running) < max(1, self.settings.worker_threads)

    def _heartbeat(self) -> None:
        with self._lock:
            contexts = {job_id: context for job_id, (_f, context) in self._running.items()}
        for job_id in beat(self.engine, list(contexts)):
            if not contexts[job_id].cancel_requested.is_set():
                log.info("job %d: cancel requested", job_id)
                contexts[job_id].cancel_requested.set()

    def _candidates(self, session: Session) -> list[int]:
        """Queued jobs this worker can run, most urgent first; on PostgreSQL the first one,
        locked (rows other workers hold are skipped, not waited for)."""
        query = (
            select(Job.id)
            .where(
                col(Job.status) == JobStatus.QUEUED,
                col(Job.kind).in_(list(self.runners)),
                col(Job.run_after).is_(None) | (col(Job.run_after) <= utcnow()),
            )
            .order_by(col(Job.priority).desc(), col(Job.id))
        )
        if self._skip_locked:
            query = query.limit(1).with_for_update(skip_locked=True)
        else:
            query = query.limit(5)
        return [job_id for job_id in session.exec(query).all() if job_id is not None]

    def _claim_next(self) -> bool:
        with Session(self.engine) as session:
            for job_id in self._candidates(session):
                if not claim(session, job_id, self.worker_id):
                    continue
                job = session.get(Job, job_id)
                assert job is not None
                context = context_of(self.engine, job)
                with self._lock:
                    future = self._pool.submit(self._run, job.kind, context)
                    self._running[job_id] = (future, context)
                log.info("job %d (%s) started, attempt %d", job_id, job.kind.value, job.attempts)
                return True
        return False

    def _run(self, kind: JobKind, context: JobContext) -> None:
        try:
            execute(
                self.engine, self.runners[kind], context, self.worker_id, self.retry_base_seconds
            )
        except Exception as error:  # recording the outcome failed (the DB is away)
            log.error("job %d: outcome not recorded (%s)", context.job_id, type(error).__name__)
        finally:
            with self._lock:
                self._running.pop(context.job_id, None)
            self._wake.set()

    def _fail_own_running_jobs(self, message: str) -> None:
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(col(Job.worker_id) == self.worker_id, col(Job.status) == JobStatus.RUNNING)
                .values(
                    status=JobStatus.FAILED,
                    error=message,
                    finished_at=utcnow(),
                    version=col(Job.version) + 1,
                )
            )
            session.commit()
