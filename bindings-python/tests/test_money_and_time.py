"""Money and time as Python has them: ``decimal.Decimal`` wherever a price or an amount goes in
(exact, never through a float; more than two decimals refused naming the field), aware
``datetime`` and ``date`` wherever a timestamp goes in (naive ones refused), and the timestamps of
responses read into UTC-aware datetimes by core's parser. Real calls to the simulator."""

from __future__ import annotations

import asyncio
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

LIST_ROUTE = "GET /rest/v1/products/packages"
AMSTERDAM_SUMMER = timezone(timedelta(hours=2))


def draft(name: str, price: Any) -> Dict[str, Any]:
    return {"name": name, "type": "extension", "platform": "M2", "prices": [{"edition": "CE", "currency_code": "USD", "price": price}]}


# --- Decimal


def test_decimal_prices_arrive_exactly(client: Client) -> None:
    prices = [Decimal("1234567.89"), Decimal("0.07"), Decimal("45"), Decimal("19.990"), Decimal("1.5E+1")]
    result = client.packages.create([draft(f"Priced {i}", p) for i, p in enumerate(prices)]).raise_for_failures()
    stored = [client.packages.get(item["data"]["submission_id"])["prices"][0]["price"] for item in result.items]
    # What the simulator stored, read back as exact two-decimal strings.
    assert stored == ["1234567.89", "0.07", "45.00", "19.99", "15.00"]
    assert [Decimal(s) for s in stored] == [p.quantize(Decimal("0.01")) for p in prices]


@pytest.mark.parametrize(
    "price, reason",
    [
        (Decimal("15.505"), "more than two decimals"),
        # Exactly the double nearest 0.1: a float on the way would have made it 0.1 and let it through.
        (Decimal("0.1000000000000000055511151231257827"), "more than two decimals"),
        (Decimal("NaN"), "NaN and infinity are not amounts"),
        (Decimal("-Infinity"), "NaN and infinity are not amounts"),
        (Decimal("-1.00"), "must not be negative"),
    ],
)
def test_decimals_that_are_not_prices_are_refused_naming_the_field(sim: Simulator, client: Client, price: Decimal, reason: str) -> None:
    with pytest.raises(sellkit.InvalidInputError) as refused:
        client.packages.create([draft("Refused", Decimal("1.00")), draft("Refused", price)])
    assert refused.value.field == "items[1].prices[0].price"
    assert reason in str(refused.value)
    assert sim.eqp_package_count() == 0, "nothing was sent"


def test_decimal_cents_for_marktplaats(sim: Simulator) -> None:
    client = sim.marktplaats_client("marktplaats")
    ad = {
        "categoryId": 35, "title": "Decimal lamp", "description": "Lamp priced with a Decimal.",
        "priceModel": {"modelType": "fixed", "askingPrice": Decimal("3250")}, "location": {"postcode": "1097DN"},
    }
    created = client.ads.create(ad)
    stored = sim.mp_ad("marktplaats", created["itemId"])
    assert stored is not None and stored["priceModel"]["askingPrice"] == 3250
    with pytest.raises(sellkit.InvalidInputError) as refused:
        client.ads.create({**ad, "priceModel": {"modelType": "fixed", "askingPrice": Decimal("32.50")}})
    assert refused.value.field == "priceModel.askingPrice"


# --- datetime and date


def created_package(client: Client) -> Dict[str, Any]:
    result = client.packages.create([draft("Dated", "10.00")]).raise_for_failures()
    return client.packages.get(result.items[0]["data"]["submission_id"])


def filters_sent(sim: Simulator, key: str) -> List[str]:
    return [v for r in sim.requests(LIST_ROUTE) for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(r).query) if k == key]


def test_datetime_filters_are_sent_as_eqp_timestamps(sim: Simulator, client: Client) -> None:
    package = created_package(client)
    created = sellkit.eqp.parse_timestamp(package["created_at"])
    assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
    # The same instant in UTC and two hours east of it; a date matches the whole day.
    for value in (created, created.astimezone(AMSTERDAM_SUMMER), created.date()):
        found = list(client.packages.list(created_at=value))
        assert [p["submission_id"] for p in found] == [package["submission_id"]], value
    assert filters_sent(sim, "created_at") == [package["created_at"], package["created_at"], package["created_at"][:10]]
    assert list(client.packages.list(created_at=created + timedelta(seconds=1))) == []
    assert list(client.packages.list(modified_at=date(1999, 1, 1))) == []


def test_naive_datetimes_are_refused(sim: Simulator, client: Client) -> None:
    with pytest.raises(sellkit.InvalidInputError) as refused:
        list(client.packages.list(created_at=datetime(2024, 5, 1, 12, 0)))
    assert refused.value.field == "created_at" and "time zone" in str(refused.value)
    with pytest.raises(sellkit.InvalidInputError) as refused:
        client.packages.update_one("any", {"requested_launch_date": datetime.now()})
    assert refused.value.field == "fields.requested_launch_date"
    assert sim.request_count(LIST_ROUTE) == 0


def test_a_datetime_field_is_written_the_eqp_way(client: Client) -> None:
    package = created_package(client)
    launch = datetime(2031, 3, 4, 7, 8, 9, 250000, tzinfo=AMSTERDAM_SUMMER)
    client.packages.update_one(package["submission_id"], {"requested_launch_date": launch})
    stored = client.packages.get(package["submission_id"])["requested_launch_date"]
    assert stored == "2031-03-04 05:08:09"
    assert sellkit.eqp.parse_timestamp(stored) == launch.replace(microsecond=0)


def test_datetimes_inside_a_marktplaats_body(sim: Simulator) -> None:
    client = sim.marktplaats_client("marktplaats")
    item = client.ads.create({
        "categoryId": 35, "title": "Upcall lamp", "description": "An ad to confirm an upcall for.",
        "priceModel": {"modelType": "fixed", "askingPrice": 1000}, "location": {"postcode": "1097DN"},
    })["itemId"]
    start = datetime(2025, 6, 1, 14, 0, tzinfo=AMSTERDAM_SUMMER)
    confirmation = {"callerPhoneNumber": "0612345678", "calleePhoneNumber": "0687654321", "startTime": start, "endTime": start + timedelta(minutes=3)}
    client.upcalls.confirm(item, confirmation)
    with pytest.raises(sellkit.InvalidInputError) as refused:
        client.upcalls.confirm(item, {**confirmation, "endTime": datetime(2025, 6, 1, 14, 3)})
    assert refused.value.field == "confirmation.endTime"


def test_async_clients_take_them_too(sim: Simulator) -> None:
    async def run() -> List[Any]:
        async with sim.eqp_async_client() as client:
            await client.packages.create([draft("Async", Decimal("9.95"))])
            return [p async for p in client.packages.list(created_at=datetime.now(timezone.utc).date())]

    found = asyncio.run(run())
    assert [p["prices"][0]["price"] for p in found] == ["9.95"]


# --- parse_timestamp and parse_time


def test_parse_timestamp_reads_eqp_and_iso_forms() -> None:
    utc = timezone.utc
    assert sellkit.eqp.parse_timestamp("2020-07-21 8:09:10") == datetime(2020, 7, 21, 8, 9, 10, tzinfo=utc)
    assert sellkit.eqp.parse_timestamp("2020-07-21T10:09:10.25+02:00") == datetime(2020, 7, 21, 8, 9, 10, 250000, tzinfo=utc)
    assert sellkit.eqp.parse_timestamp("2020-07-21") == datetime(2020, 7, 21, tzinfo=utc)
    parsed = sellkit.eqp.parse_timestamp("2020-07-21 08:09:10")
    assert parsed.tzinfo is utc
    with pytest.raises(sellkit.InvalidInputError) as refused:
        sellkit.eqp.parse_timestamp("21/07/2020")
    assert refused.value.field == "text"


def test_parse_time_reads_marktplaats_dates(sim: Simulator) -> None:
    assert sellkit.marktplaats.parse_time("2014-12-23T16:59:39Z") == datetime(2014, 12, 23, 16, 59, 39, tzinfo=timezone.utc)
    assert sellkit.marktplaats.parse_time("2015-01-01T11:00:00.000Z").microsecond == 0
    client = sim.marktplaats_client("marktplaats")
    ad = client.ads.create({
        "categoryId": 35, "title": "Dated lamp", "description": "An ad whose dates are read.",
        "priceModel": {"modelType": "fixed", "askingPrice": 1000}, "location": {"postcode": "1097DN"},
    })
    start = sellkit.marktplaats.parse_time(ad["startDate"])
    assert start.tzinfo is timezone.utc
    assert abs(datetime.now(timezone.utc) - start) < timedelta(minutes=5)
    with pytest.raises(sellkit.InvalidInputError):
        sellkit.marktplaats.parse_time("")
