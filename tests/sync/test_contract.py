"""The exported contract: the committed files equal the models, and they judge messages as
the models do."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from contract_samples import EVENTS, MOMENT, QUERIES, presence, telemetry
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from controller.launcher import app
from sync.catalog import load_catalog
from sync.commands import Command, CommandResponse, sign_command
from sync.contract import MESSAGES, asyncapi_document, contract_files, message_schema
from sync.envelope import Envelope
from sync.events import EventType
from sync.messages import ControllerPresence, DocumentKind, VersionedDocument
from sync.request_bodies import RequestType
from sync.settings import config_file

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "contract"


def _validator(name: str) -> Draft202012Validator:
    schema = message_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(name: str, document: Any) -> list[str]:
    return [error.message for error in _validator(name).iter_errors(document)]


def test_the_committed_contract_files_are_what_the_models_export() -> None:
    fresh = contract_files()
    committed = {p.name: p.read_bytes() for p in COMMITTED.iterdir()}
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    assert not stale, (f"{stale} in docs/contract differ from the models: run "
                       "`stationnet contract export` and commit the files")
    assert sorted(committed) == sorted(fresh), "docs/contract holds files nobody exports"


def test_export_command_writes_the_files_and_check_tells_when_they_are_stale(
        tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["contract", "export", "--check", "--out", str(tmp_path)]
                         ).exit_code == 1
    result = runner.invoke(app, ["contract", "export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(contract_files())
    checked = runner.invoke(app, ["contract", "export", "--check", "--out", str(tmp_path)])
    assert checked.exit_code == 0 and "match the models" in checked.output


@pytest.mark.parametrize("body", EVENTS, ids=lambda b: b.event_type.value)
def test_every_event_the_kiosk_builds_fits_the_event_schema(body: Any) -> None:
    envelope = Envelope(kiosk="k-wensan-1", seq=1, type=body.event_type, body=body.wire())
    assert _errors("event", json.loads(envelope.encode())) == []


@pytest.mark.parametrize(("event_type", "body"), [
    ("application.submitted", {"service": "s"}),
    ("visit.ended", {"outcome": "vanished"}),
    ("device.alarm", {"device": "printer", "state": "on fire"}),
])
def test_a_body_the_controller_refuses_the_schema_refuses(event_type: str,
                                                          body: dict[str, Any]) -> None:
    envelope = json.loads(Envelope(kiosk="k1", seq=1, type=event_type, body=body).encode())
    assert _errors("event", envelope)


def test_unknown_event_types_fit_with_any_body_and_broken_envelopes_do_not() -> None:
    future = json.loads(Envelope(kiosk="k1", seq=1, type="kiosk.rebooted",
                                 body={"why": [1, 2]}).encode())
    assert _errors("event", future) == []
    assert _errors("event", {**future, "seq": 0})
    assert _errors("event", {**future, "type": "Not Dotted"})
    assert _errors("event", {**future, "extra": 1})


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.request_type.value)
def test_every_request_fits_the_request_schema(query: Any) -> None:
    request = {"type": query.request_type.value,
               "body": query.model_dump(mode="json", exclude_none=True)}
    assert _errors("request", request) == []


def test_state_messages_and_documents_fit_their_schemas() -> None:
    assert _errors("kiosk-presence", json.loads(presence("k1", "s1").encode())) == []
    assert _errors("kiosk-telemetry", json.loads(telemetry("k1", "s1").encode())) == []
    assert _errors("controller-presence",
                   json.loads(ControllerPresence(state="online").encode())) == []
    catalog = json.loads(load_catalog(config_file("catalog.toml")).to_json())
    document = VersionedDocument(kind=DocumentKind.CATALOG, scope="all", version=3, body=catalog)
    assert _errors("document", json.loads(document.encode())) == []
    broken = VersionedDocument(kind=DocumentKind.CATALOG, scope="all", version=4,
                               body={"services": "none"})
    assert _errors("document", json.loads(broken.encode()))
    assert _errors("reply", {"ok": True, "body": {"now": "2026-11-25T12:00:00Z"}}) == []
    assert _errors("reply", {"ok": False}) != []


def test_the_asyncapi_document_names_every_message_topic_and_type() -> None:
    document = asyncapi_document()
    assert document["asyncapi"] == "3.0.0"
    messages = {ref["$ref"].rsplit("/", 1)[1] for channel in document["channels"].values()
                for ref in channel["messages"].values()}
    assert messages == set(MESSAGES) == set(document["components"]["messages"])
    schemas = document["components"]["schemas"]
    text = json.dumps(document)
    assert all(t.value in text for t in (*EventType, *RequestType))
    for ref in {r for r in _refs(document) if r.startswith("#/components/schemas/")}:
        assert ref.rsplit("/", 1)[1] in schemas, f"dangling {ref}"
    assert document["channels"]["kioskEvents"]["x-max-payload-bytes"] == 64 * 1024


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_signed_commands_and_their_responses_fit_their_schemas() -> None:
    key = Ed25519PrivateKey.generate()
    command = Command(id=str(uuid.uuid4()), kiosk="k1", name="lock",
                      args={"message": "维护中"}, issued_at=MOMENT,
                      expires_at=MOMENT + timedelta(minutes=5), nonce="n" * 16)
    assert _errors("command", json.loads(sign_command(key, command))) == []
    no_message = replace(command, args={})  # lock needs a message
    assert _errors("command", json.loads(sign_command(key, no_message)))
    for response in (CommandResponse(command.id, "k1", "delivered"),
                     CommandResponse(command.id, "k1", "result", ok=False, error="refused",
                                     refused="replayed")):
        assert _errors("command-response", json.loads(response.encode())) == []
    assert _errors("command-response", {**json.loads(response.encode()), "phase": "done"})
