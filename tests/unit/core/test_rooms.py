"""The seeded rooms cover what the product promises."""

from __future__ import annotations

from causerie.core.rooms import DEFAULT_ROOMS, Audience, RoomKind, region_room_id
from causerie.geo import OVERSEAS_REGION, load_directory


def test_default_rooms_every_region_of_the_postcode_data_has_a_room() -> None:
    regional = {room.name for room in DEFAULT_ROOMS if room.kind is RoomKind.REGIONAL}
    assert set(load_directory().regions()) == regional
    assert OVERSEAS_REGION in regional


def test_default_rooms_ids_are_unique_ascii_slugs() -> None:
    ids = [room.id for room in DEFAULT_ROOMS]
    assert len(ids) == len(set(ids))
    assert all(
        room_id.isascii() and room_id == room_id.lower() and " " not in room_id for room_id in ids
    )


def test_default_rooms_teen_rooms_are_teen_audience_and_others_adult() -> None:
    for room in DEFAULT_ROOMS:
        if room.kind is RoomKind.TEEN:
            assert room.audience is Audience.TEEN, room.id
        else:
            assert room.audience in (Audience.ADULT, Audience.ADULT_VERIFIED), room.id
    assert [r.id for r in DEFAULT_ROOMS if r.audience is Audience.ADULT_VERIFIED] == ["charme"]
    assert sum(room.kind is RoomKind.TEEN for room in DEFAULT_ROOMS) >= 4
    assert sum(room.kind is RoomKind.THEMATIC for room in DEFAULT_ROOMS) >= 10


def test_region_room_id_folds_accents_and_spaces() -> None:
    assert region_room_id("Provence-Alpes-Côte d'Azur") == "region-provence-alpes-cote-d-azur"
    assert region_room_id("Île-de-France") == "region-ile-de-france"
