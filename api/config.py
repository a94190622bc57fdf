"""API settings: the shared `data.settings.Settings` plus what only the service needs."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, model_validator

from data.settings import Settings
from roster.clock import WORK_PER_SECOND


class ApiSettings(Settings):
    #: Start the background job worker inside the API process.
    run_worker: bool = True
    #: Solver jobs that may run at the same time in this process.
    worker_threads: int = 1
    #: How often the worker looks for queued jobs and writes its heartbeat (seconds).
    worker_poll_seconds: float = 1.0
    #: A running job whose worker died (no more heartbeats) is failed within this many
    #: seconds by any running worker (`api.jobs.worker`: a heartbeat older than half of
    #: it is lost; sweeps every quarter). At least four polls long.
    job_stale_after_seconds: float = Field(default=60.0, gt=0)
    #: How long a cached matching snapshot may serve requests (writes through this API
    #: invalidate it at once; this bounds staleness from other processes).
    snapshot_ttl_seconds: float = 30.0
    #: Matching snapshots kept in memory, one per planning date (least recently used
    #: dropped first). Each holds the whole book of business.
    snapshot_cache_size: int = Field(default=4, ge=1, le=64)
    #: Keep each ranking with its snapshot (a repeated match of a case is then free).
    cache_rankings: bool = True
    #: How long a verified API key is trusted without a database lookup. 0 (the
    #: default): every request reads the key, so a revocation by any process (``famplan
    #: keys revoke``, another API worker) refuses the very next request. A positive
    #: value saves that query, and a revocation by another process then applies only
    #: after this delay.
    auth_cache_seconds: float = Field(default=0.0, ge=0)
    #: Lifetime of the admin key `famplan serve` prints; renewed while the server runs
    #: (every fifth of it), so a key left by a killed server expires by itself.
    session_key_ttl_seconds: float = Field(default=600.0, ge=2)
    #: Largest request body accepted (bytes); larger ones are answered 413.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: Other limits for routes under a path prefix (e.g. a future bulk import route:
    #: ``{"/v1/import": 50000000}``).
    body_limits_by_path: dict[str, int] = Field(default_factory=dict)
    #: Database connections kept open per API process, and how many more may be opened
    #: under load. Sized for the request thread pool (40 threads) plus the job worker, so
    #: requests neither queue for a connection nor open and close one each time.
    db_pool_size: int = 20
    db_max_overflow: int = 30
    #: Time limit of a batch re-optimisation unless the request gives one.
    optimization_time_limit: float = 30.0
    #: Time limit of a roster solve unless the request gives one.
    roster_time_limit: float = 30.0
    #: CP-SAT deterministic time counted as one second of a reproducible roster search
    #: (`roster.clock.WorkClock`). The default suits the 2-core machine it was
    #: calibrated on. Where reproducible rosters run into the wall guard (twice their
    #: limit plus 15 s, after which they may differ between runs;
    #: `scripts/bench_roster.py --reproducible` shows it), a lower rate keeps them
    #: reproducible and shorter, with less search in them. Each roster keeps the rate it
    #: was planned with, so its repairs stay reproducible when the setting changes.
    roster_work_per_second: float = Field(default=WORK_PER_SECOND, gt=0)

    @model_validator(mode="after")
    def _heartbeats_fit_the_timeout(self) -> ApiSettings:
        # A live worker beats every poll; it must never look dead (half the timeout).
        if self.worker_poll_seconds * 4 > self.job_stale_after_seconds:
            raise ValueError(
                "job_stale_after_seconds must be at least four times worker_poll_seconds"
            )
        return self


@lru_cache
def get_api_settings() -> ApiSettings:
    return ApiSettings()
