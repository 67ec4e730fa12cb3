"""The ``sellkit_simulator`` fixture of the pytest plugin (entry point ``pytest11``), as a user's
test suite sees it: a pytest run in a subprocess, with only what installing sellkit provides."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SUITE = '''
import urllib.error
import urllib.request

import pytest

SEEN = []


def test_a_real_simulator(sellkit_simulator):
    SEEN.append(sellkit_simulator.eqp_url)
    with sellkit_simulator.eqp_client() as client:
        assert client.users.get()["mage_id"] == sellkit_simulator.eqp_mage_id
        client.packages.create([{"name": "From the plugin", "type": "extension"}])
    assert sellkit_simulator.eqp_package_count() == 1
    assert sellkit_simulator.request_count("POST /rest/v1/app/session/token") == 1


def test_each_test_gets_a_fresh_one_and_the_last_one_stopped(sellkit_simulator):
    assert sellkit_simulator.eqp_package_count() == 0
    assert not any(sellkit_simulator.request_counts().values())
    assert sellkit_simulator.eqp_url != SEEN[0]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.URLError):
        opener.open(SEEN[0] + "/rest/v1/users/x", timeout=5)
'''


def test_the_fixture_is_a_fresh_started_simulator_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user_suite=SUITE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=2)


def test_the_fixture_is_listed_with_its_doc(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*sellkit_simulator*", "*A started sellkit simulator*"])
