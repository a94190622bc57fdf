"""Reference rows (regions, municipalities, offices) written from `data.geography`.

Idempotent: inserts what is missing and updates what differs, so re-running
``famplan db upgrade`` after a reference-data fix corrects an existing database.
Offices are matched by name (their ids are referenced by consultants).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data import geography
from data.models import Municipality, Office, Region


def sync_reference_data(engine: Engine) -> None:
    with Session(engine) as session:
        regions = {r.code: r for r in session.exec(select(Region))}
        for ref in geography.regions():
            row = regions.get(ref.code) or Region(code=ref.code, name=ref.name)
            row.name = ref.name
            session.add(row)
        session.flush()

        municipalities = {m.code: m for m in session.exec(select(Municipality))}
        for mref in geography.municipalities():
            mrow = municipalities.get(mref.code) or Municipality(
                code=mref.code,
                name=mref.name,
                region_code=mref.region_code,
                lat=mref.lat,
                lon=mref.lon,
            )
            mrow.name, mrow.region_code = mref.name, mref.region_code
            mrow.lat, mrow.lon = mref.lat, mref.lon
            session.add(mrow)
        session.flush()

        offices = {o.name: o for o in session.exec(select(Office))}
        for oref in geography.offices():
            orow = offices.get(oref.name) or Office(
                name=oref.name,
                municipality_code=oref.municipality_code,
                lat=oref.lat,
                lon=oref.lon,
            )
            orow.municipality_code = oref.municipality_code
            orow.lat, orow.lon = oref.lat, oref.lon
            orow.serves_regions = list(oref.serves_regions)
            session.add(orow)
        session.commit()
