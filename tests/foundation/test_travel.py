"""Travel time (data.travel)."""

import pytest

from data.travel import GeodesicTravel, Point

COPENHAGEN = Point(55.6761, 12.5683)
AARHUS = Point(56.1567, 10.2108)


def test_minutes_follow_geodesic_road_factor_and_speed() -> None:
    travel = GeodesicTravel(road_factor=1.0, speed_kmh=60.0, overhead_minutes=0.0)
    # Copenhagen–Aarhus is about 157 km as the crow flies: at 60 km/h, about 157 minutes.
    assert travel.minutes(COPENHAGEN, AARHUS) == pytest.approx(157, abs=3)


def test_road_factor_and_overhead_add_up() -> None:
    plain = GeodesicTravel(road_factor=1.0, speed_kmh=60.0, overhead_minutes=0.0)
    road = GeodesicTravel(road_factor=1.3, speed_kmh=60.0, overhead_minutes=5.0)
    expected = plain.minutes(COPENHAGEN, AARHUS) * 1.3 + 5.0
    assert road.minutes(COPENHAGEN, AARHUS) == pytest.approx(expected)


def test_same_point_is_zero_minutes() -> None:
    assert GeodesicTravel().minutes(AARHUS, AARHUS) == 0.0


@pytest.mark.parametrize(("lat", "lon", "field"), [(91.0, 10.0, "lat"), (55.0, 181.0, "lon")])
def test_point_rejects_out_of_range_coordinates(lat: float, lon: float, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Point(lat, lon)
