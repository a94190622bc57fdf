"""Time the demo seed: generate the book and write it into a fresh database.

    .venv/bin/python scripts/seed.py --scale 10
    .venv/bin/python scripts/seed.py --scale 1 --url postgresql+psycopg://postgres@127.0.0.1:5432/mydb

Without --url a temporary SQLite file is used (and deleted). The URL's database must be
empty apart from what `famplan db upgrade` creates; the script migrates it first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from data.db import make_engine
from data.migrate import upgrade
from data.scenario import generate
from data.seed import load_demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--url", default=None, help="SQLAlchemy URL (default: temp SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'seed.db'}"
        t0 = time.perf_counter()
        upgrade(url)
        t1 = time.perf_counter()
        book = generate(seed=args.seed, scale=args.scale)
        t2 = time.perf_counter()
        engine = make_engine(url)
        try:
            counts = load_demo(engine, scenario=book)
        finally:
            engine.dispose()
        t3 = time.perf_counter()
    print(
        f"scale {args.scale}: {counts['cases']:,} cases, {counts['consultants']:,} consultants, "
        f"{counts['assignments']:,} assignments"
    )
    print(
        f"migrate {t1 - t0:.1f} s | generate {t2 - t1:.1f} s | write {t3 - t2:.1f} s | "
        f"seed total {t3 - t1:.1f} s"
    )


if __name__ == "__main__":
    main()
