"""Errors and helpers that keep users safe, against the simulator: a validation error's message
names each field with the server's reason (a request's and a batch item's), and waiting for
malware scans with ``require_pass=True`` (or ``raise_for_scan_failures(report)``) stops the
release flow, naming the files that failed, before a package refers to them (the service refuses
such a package: item code 1213)."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import sellkit
from sellkit.eqp import Client, raise_for_scan_failures
from sellkit.testing import Simulator


def cd_player(title: str) -> Dict[str, Any]:
    return {
        "categoryId": 35, "title": title, "description": "An awesome cd-player",
        "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"},
    }


def test_a_server_validation_error_names_each_field_with_its_reason(sim: Simulator) -> None:
    mp = sim.marktplaats_client("2dehands")
    bad = cd_player("ab")
    bad["categoryId"] = 31  # a top-level category, not a leaf
    with pytest.raises(sellkit.ValidationError) as refused:
        mp.request("POST", "/v1/advertisements", json=bad)
    assert str(refused.value).startswith(
        "HTTP 400 Bad Request: Validation failed: categoryId: Must be the id of a leaf (L2) category; "
        "title: Minimum of 3 characters"
    ), str(refused.value)
    assert [d["field"] for d in refused.value.details] == ["categoryId", "title"]

    for key in ("description", "priceModel", "location"):
        del bad[key]
    with pytest.raises(sellkit.ValidationError) as many:
        mp.request("POST", "/v1/advertisements", json=bad)
    assert len(many.value.details) == 5
    assert "description: This field is required and 2 more" in str(many.value), str(many.value)


def test_a_failed_batch_item_names_the_field_in_its_message(client: Client) -> None:
    result = client.packages.create([{"item_id": "incomplete-1", "name": "Incomplete", "action": {"technical": "submit"}}])
    item = result.items[0]
    assert not item["ok"] and item["code"] == 1208
    assert "missing type" in item["message"], item["message"]
    with pytest.raises(sellkit.BatchError) as failed:
        result.raise_for_failures()
    assert "missing type" in str(failed.value)


def test_require_pass_names_the_files_that_failed_before_a_package_uses_them(sim: Simulator, client: Client) -> None:
    records = client.files.upload([("good.zip", b"PK"), ("malware.zip", b"PK")])
    good, bad = (r["file_upload_id"] for r in records)
    with pytest.raises(sellkit.ValidationError) as refused:
        client.files.wait_for_scan([good, bad], timeout=5, interval=0.05, require_pass=True)
    err = refused.value
    assert err.code == "malware-scan-failed"
    assert f"malware.zip (id {bad}, status fail)" in str(err) and "good.zip" not in str(err), str(err)
    assert [(d["field"], d["code"]) for d in err.details] == [(bad, "fail")]
    # Without require_pass the report says the same, and nothing is raised until it is asked.
    report = client.files.wait_for_scan([good, bad], timeout=5, interval=0.05)
    assert [r["filename"] for r in report["failed"]] == ["malware.zip"] and not report["all_passed"]
    with pytest.raises(sellkit.ValidationError) as later:
        raise_for_scan_failures(report)
    assert str(later.value) == str(err) and later.value.details == err.details
    passed = client.files.wait_for_scan([good], timeout=5, interval=0.05, require_pass=True)
    assert passed["all_passed"]
    raise_for_scan_failures(passed)
    with pytest.raises(sellkit.InvalidInputError) as not_a_report:
        raise_for_scan_failures({"passed": []})
    assert not_a_report.value.field == "report.failed"

    # What the check prevents: the service refuses a package whose artifact failed the scan.
    result = client.packages.create([{"item_id": "unsafe-1", "name": "Unsafe", "artifact": {"file_upload_id": bad}}])
    assert result.items[0]["code"] == 1213, result.items[0]

    sim.set_eqp_scan_delay(30)
    slow = client.files.upload([("slow.zip", b"PK")])[0]["file_upload_id"]
    with pytest.raises(sellkit.APITimeoutError) as pending:
        client.files.wait_for_scan([slow], timeout=0.2, interval=0.05, require_pass=True)
    assert pending.value.code == "malware-scan-pending" and slow in str(pending.value)


def test_verify_webhook_and_parse_webhook_without_a_signature(sim: Simulator) -> None:
    from sellkit import marktplaats

    body = '{"id":"1","eventType":"advertisementCreated","created":"2015-01-01T11:00:00.000Z","eventData":{}}'
    signature = marktplaats.sign_webhook(body, "s3cr3t")
    for missing in (None, ""):
        assert marktplaats.verify_webhook(body, missing, "s3cr3t") is False
        assert marktplaats.verify_webhook(body.encode(), missing, "s3cr3t") is False
        with pytest.raises(sellkit.AuthenticationError) as refused:
            marktplaats.parse_webhook(body, missing, "s3cr3t")
        assert refused.value.code == "invalid-signature"
    assert marktplaats.parse_webhook(body.encode(), signature, "s3cr3t")["id"] == "1"
