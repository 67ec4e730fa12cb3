"""The sellkit pytest plugin: a ``sellkit_simulator`` fixture for your own tests.

Installed with sellkit and loaded by pytest through the ``pytest11`` entry point; nothing to
configure::

    def test_my_release_bot(sellkit_simulator):
        with sellkit_simulator.eqp_client() as client:     # demo credentials, simulator URL
            my_bot.publish(client, "acme/checkout", "1.2.0")
        assert sellkit_simulator.eqp_package_count() == 1

The fixture is a started :class:`sellkit.testing.Simulator`, stopped when the test ends.

Its scope is ``function``: every test gets a simulator with nothing in it (no packages, ads,
faults, latency or request counters left by another test), so tests stay independent and can run
in any order or in parallel. Starting one serves from memory on a free loopback port and takes
about a millisecond, so sharing one buys nothing worth that isolation. A suite that wants one
simulator per module or session can declare its own fixture around ``Simulator()``.

sellkit is imported when the fixture is first used, not when pytest starts: a test run that does
not use it does not load the extension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from sellkit.testing import Simulator

__all__ = ["sellkit_simulator"]


@pytest.fixture
def sellkit_simulator() -> Iterator[Simulator]:
    """A started sellkit simulator (EQP and Marktplaats on loopback), stopped after the test;
    a fresh one for each test."""
    from sellkit.testing import Simulator

    with Simulator() as simulator:
        yield simulator
