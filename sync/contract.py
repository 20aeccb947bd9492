"""The wire contract as JSON Schema and AsyncAPI, generated from the models both ends use.

A third party can write a kiosk or a consumer in any language from these files:
one JSON Schema (2020-12) per message a topic carries, and an AsyncAPI 3.0 document that
names every topic, who publishes it, its payload limit and its messages. They are made
from the same pydantic models and constants the kiosk and the controller validate with,
so they cannot drift from the code; ``stationnet contract export`` writes them and a test
checks that the committed copies equal a fresh export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from .catalog import ServiceCatalog
from .command_args import COMMAND_ARGS
from .commands import COMMAND_NAMES, MAX_COMMAND_BYTES, PROTOCOL_VERSION, Phase, RefusalReason
from .envelope import (
    ID_PATTERN,
    MAX_KIOSK_CHARS,
    MAX_TS_CHARS,
    MAX_TYPE_CHARS,
    SCHEMA_VERSION,
    TYPE_PATTERN,
)
from .events import EVENT_BODIES
from .limits import MAX_JSON_DEPTH, MAX_JSON_ITEMS, MAX_JSON_STRING, MAX_WIRE_INT, PAYLOAD_LIMITS
from .messages import (
    ControllerPresence,
    DocumentKind,
    KioskPresence,
    KioskTelemetry,
    VersionedDocument,
)
from .request_bodies import QUERIES
from .schedule import CalendarSnapshot, StationSchedule
from .settings import StationConfig
from .topics import CONTROLLER_PRESENCE, ROOT, KioskChannel

__all__ = ["MESSAGES", "message_schema", "asyncapi_document", "contract_files",
           "export_contract", "stale_contract_files"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_SHAPE = (f"Every JSON value on the wire: at most {MAX_JSON_DEPTH} levels deep, "
          f"{MAX_JSON_ITEMS} values, strings of {MAX_JSON_STRING} characters, integers "
          "within a signed 64-bit range, finite numbers.")


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    answers = [query.answer for query in QUERIES.values()]
    arguments = sorted(set(COMMAND_ARGS.values()), key=lambda m: m.__name__)
    messages: list[type[BaseModel]] = [
        *EVENT_BODIES.values(), *QUERIES.values(), *answers, KioskPresence, KioskTelemetry,
        ControllerPresence, VersionedDocument, *arguments]
    # Document bodies are described as the controller writes them (a schedule's hours
    # travel as "17:30-21:00" text, which the model reads into spans).
    bodies: list[type[BaseModel]] = [ServiceCatalog, StationSchedule, CalendarSnapshot,
                                     StationConfig]
    reading: JsonSchemaMode = "validation"
    writing: JsonSchemaMode = "serialization"
    return [(m, reading) for m in messages] + [(m, writing) for m in bodies]


def _definitions(ref_root: str) -> dict[str, Any]:
    """Return the JSON Schema of every model, keyed by model name, refs under ``ref_root``."""
    _, top = models_json_schema(_models(), ref_template=ref_root + "{model}")
    definitions: dict[str, Any] = top["$defs"]
    return definitions


def _ref(ref_root: str, model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": ref_root + model.__name__}


def _dispatch(field: str, on: str, choices: Mapping[str, dict[str, Any]]) -> list[Any]:
    """Return ``if on == key then field is schema`` clauses, one per choice."""
    return [{"if": {"properties": {on: {"const": key}}, "required": [on]},
             "then": {"properties": {field: schema}}} for key, schema in choices.items()]


def _event_envelope(ref_root: str) -> dict[str, Any]:
    return {
        "title": "Event envelope",
        "description": ("One kiosk event (up/events, QoS 1, from the kiosk's outbox). A known "
                        "type's body must fit its model or the controller quarantines it as "
                        "invalid_body; a type the controller does not know is stored as it "
                        "is. " + _SHAPE),
        "type": "object",
        "required": ["v", "id", "kiosk", "seq", "ts", "type", "body"],
        "additionalProperties": False,
        "properties": {
            "v": {"const": SCHEMA_VERSION},
            "id": {"type": "string", "pattern": ID_PATTERN.pattern,
                   "description": "UUIDv7 event id; the controller stores each id once"},
            "kiosk": {"type": "string", "maxLength": MAX_KIOSK_CHARS,
                      "description": "the kiosk id, equal to the one in the topic"},
            "seq": {"type": "integer", "minimum": 1, "maximum": MAX_WIRE_INT,
                    "description": "per-kiosk sequence number, from 1, never reused"},
            "ts": {"type": "string", "format": "date-time", "maxLength": MAX_TS_CHARS,
                   "pattern": "Z$", "description": "UTC timestamp ending in 'Z'"},
            "type": {"type": "string", "maxLength": MAX_TYPE_CHARS,
                     "pattern": TYPE_PATTERN.pattern},
            "body": {"type": "object"},
        },
        "allOf": _dispatch("body", "type", {t.value: _ref(ref_root, m)
                                            for t, m in EVENT_BODIES.items()}),
    }


def _request(ref_root: str) -> dict[str, Any]:
    return {
        "title": "Kiosk request",
        "description": ("A kiosk's question to the controller (up/request): an MQTT 5 request "
                        "with a response topic (its down/reply) and correlation data."),
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": [t.value for t in QUERIES]},
                       "body": {"type": "object", "default": {}}},
        "allOf": _dispatch("body", "type", {t.value: _ref(ref_root, q)
                                            for t, q in QUERIES.items()}),
    }


def _reply(_ref_root: str) -> dict[str, Any]:
    return {
        "title": "Controller reply",
        "description": ("The controller's answer on down/reply, with the request's correlation "
                        "data: ok with the body of the request type's answer model, or "
                        "refused with a reason to show."),
        "oneOf": [
            {"type": "object", "required": ["ok", "body"],
             "properties": {"ok": {"const": True}, "body": {"type": "object"}}},
            {"type": "object", "required": ["ok", "error"],
             "properties": {"ok": {"const": False}, "error": {"type": "string"}}},
        ],
    }


def _document(ref_root: str) -> dict[str, Any]:
    stations: dict[str, Any] = {
        "type": "object", "required": ["stations"],
        "properties": {"stations": {"type": "array", "items": _ref(ref_root, StationConfig)}}}
    calendar: dict[str, Any] = {
        "type": "object", "required": ["snapshot"],
        "properties": {"snapshot": _ref(ref_root, CalendarSnapshot),
                       "missing_years": {"type": "array", "items": {"type": "integer"}}}}
    bodies: dict[str, dict[str, Any]] = {
        DocumentKind.CATALOG.value: _ref(ref_root, ServiceCatalog),
        DocumentKind.SCHEDULE.value: _ref(ref_root, StationSchedule),
        DocumentKind.CALENDAR.value: calendar, DocumentKind.STATIONS.value: stations}
    return {"title": "Versioned document", "allOf": [_ref(ref_root, VersionedDocument),
                                                     *_dispatch("body", "kind", bodies)],
            "description": ("A retained document on doc/<kind>/<scope>; kiosks apply only a "
                            "newer version and keep the last good copy.")}


def _utc(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date-time", "pattern": "Z$",
            "description": description}


def _command(ref_root: str) -> dict[str, Any]:
    command = {
        "type": "object",
        "required": ["id", "kiosk", "name", "args", "issued_at", "expires_at", "nonce"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "kiosk": {"type": "string", "description": "the addressee; others refuse it"},
            "name": {"enum": list(COMMAND_NAMES)},
            "args": {"type": "object"},
            "issued_at": _utc("when the controller signed it"),
            "expires_at": _utc("after this the kiosk refuses it as expired"),
            "nonce": {"type": "string", "minLength": 8, "maxLength": 64,
                      "description": "a kiosk refuses a nonce it has seen (a replay)"}},
        "allOf": _dispatch("args", "name", {name: _ref(ref_root, model)
                                            for name, model in COMMAND_ARGS.items()}),
    }
    return {
        "title": "Signed technician command",
        "description": (f"A command on down/command (at most {MAX_COMMAND_BYTES} bytes). "
                        "'sig' is the base64 Ed25519 signature, by the controller's key, of "
                        "the canonical bytes of 'command': UTF-8 JSON with sorted keys and "
                        "no spaces. A kiosk checks the signature before anything else."),
        "type": "object",
        "required": ["v", "command", "sig"],
        "properties": {"v": {"const": PROTOCOL_VERSION}, "command": command,
                       "sig": {"type": "string", "contentEncoding": "base64"}},
    }


def _command_response(_ref_root: str) -> dict[str, Any]:
    return {
        "title": "Command response",
        "description": ("The kiosk's word on a command (up/response, with the command's "
                        "correlation data): 'delivered' when it arrived, then 'result'."),
        "type": "object",
        "required": ["command_id", "kiosk", "phase", "ok", "result"],
        "properties": {
            "command_id": {"type": "string"}, "kiosk": {"type": "string"},
            "phase": {"enum": list(get_args(Phase))}, "ok": {"type": "boolean"},
            "result": {"type": "object"},
            "error": {"type": ["string", "null"]},
            "refused": {"enum": [*(r.value for r in RefusalReason), None],
                        "description": "why the kiosk refused it without running it"}},
    }


# Each message a topic carries: file stem → its schema, given where definitions live.
MESSAGES: dict[str, Callable[[str], dict[str, Any]]] = {
    "event": _event_envelope,
    "kiosk-presence": lambda root: _ref(root, KioskPresence),
    "kiosk-telemetry": lambda root: _ref(root, KioskTelemetry),
    "request": _request,
    "reply": _reply,
    "document": _document,
    "controller-presence": lambda root: _ref(root, ControllerPresence),
    "command": _command,
    "command-response": _command_response,
}


def _used(schema: Any, definitions: Mapping[str, Any], ref_root: str) -> dict[str, Any]:
    """Return the definitions ``schema`` refers to, directly or through other definitions."""
    found: dict[str, Any] = {}
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(ref_root):
                name = ref[len(ref_root):]
                if name not in found:
                    found[name] = definitions[name]
                    stack.append(definitions[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return dict(sorted(found.items()))


def message_schema(name: str) -> dict[str, Any]:
    """Return the self-contained JSON Schema of message ``name`` (a key of MESSAGES)."""
    root = "#/$defs/"
    schema: dict[str, Any] = {"$schema": _DRAFT, **MESSAGES[name](root)}
    schema["$defs"] = _used(schema, _definitions(root), root)
    return schema


def _channel(address: str, publisher: str, messages: Iterable[str],
             limit: int | None, description: str) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "address": address,
        "description": f"{description} Published by the {publisher}.",
        "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in messages}}
    if "{kioskId}" in address:
        channel["parameters"] = {"kioskId": {"description": "the kiosk id (its MQTT user)"}}
    if "{kind}" in address:
        channel["parameters"] = {
            "kind": {"enum": [k.value for k in DocumentKind]},
            "scope": {"description": "a station id, or 'all' for every station"}}
    if limit is not None:
        channel["x-max-payload-bytes"] = limit
    return channel


def _channels() -> dict[str, Any]:
    kiosk = f"{ROOT}/kiosk/{{kioskId}}/"
    limits = PAYLOAD_LIMITS
    return {
        "kioskEvents": _channel(kiosk + KioskChannel.EVENTS, "kiosk", ["event"],
                                limits[KioskChannel.EVENTS],
                                "Outbox events, QoS 1, persistent session, in seq order."),
        "kioskPresence": _channel(kiosk + KioskChannel.PRESENCE, "kiosk", ["kiosk-presence"],
                                  limits[KioskChannel.PRESENCE],
                                  "Retained birth message and Last Will."),
        "kioskTelemetry": _channel(kiosk + KioskChannel.TELEMETRY, "kiosk",
                                   ["kiosk-telemetry"], limits[KioskChannel.TELEMETRY],
                                   "Periodic health, QoS 0."),
        "kioskRequest": _channel(kiosk + KioskChannel.REQUEST, "kiosk", ["request"],
                                 limits[KioskChannel.REQUEST],
                                 "MQTT 5 requests with response topic, correlation data, "
                                 "message expiry."),
        "kioskReply": _channel(kiosk + KioskChannel.REPLY, "controller", ["reply"],
                               limits[KioskChannel.REPLY], "Answers to the kiosk's requests."),
        "kioskCommand": _channel(kiosk + KioskChannel.COMMAND, "controller", ["command"],
                                 limits[KioskChannel.COMMAND],
                                 "Signed technician commands (MQTT 5 requests)."),
        "kioskResponse": _channel(kiosk + KioskChannel.RESPONSE, "kiosk", ["command-response"],
                                  limits[KioskChannel.RESPONSE],
                                  "The kiosk's responses to commands."),
        "documents": _channel(f"{ROOT}/doc/{{kind}}/{{scope}}", "controller", ["document"],
                              None, "Retained, versioned documents."),
        "controllerPresence": _channel(CONTROLLER_PRESENCE, "controller",
                                       ["controller-presence"], None,
                                       "The controller's retained presence."),
    }


def _operations(channels: Mapping[str, Any]) -> dict[str, Any]:
    operations = {}
    for name, channel in channels.items():
        by_kiosk = "Published by the kiosk" in channel["description"]
        operations[f"{'send' if by_kiosk else 'receive'}{name[0].upper()}{name[1:]}"] = {
            "action": "send" if by_kiosk else "receive",
            "channel": {"$ref": f"#/channels/{name}"},
            "summary": "what a kiosk sends" if by_kiosk else "what a kiosk receives"}
    return operations


def asyncapi_document() -> dict[str, Any]:
    """Return the AsyncAPI 3.0 document of every topic and message."""
    root = "#/components/schemas/"
    schemas = dict(_definitions(root))
    messages = {}
    for name, build in MESSAGES.items():
        schemas[f"{name}-message"] = build(root)
        messages[name] = {"name": name, "contentType": "application/json",
                          "payload": {"$ref": f"{root}{name}-message"}}
    channels = _channels()
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "stationnet wire contract", "version": str(SCHEMA_VERSION),
                 "description": ("Topics and messages between stationnet kiosks and their "
                                 "controller over MQTT 5. " + _SHAPE)},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": _operations(channels),
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def _dump(document: Any) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def contract_files() -> dict[str, bytes]:
    """Return every contract file's name and bytes (deterministic: sorted keys)."""
    files = {f"{name}.schema.json": _dump(message_schema(name)) for name in MESSAGES}
    files["asyncapi.json"] = _dump(asyncapi_document())
    return files


def export_contract(folder: Path) -> list[Path]:
    """Write every contract file into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in contract_files().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def stale_contract_files(folder: Path) -> list[str]:
    """Return the names of contract files in ``folder`` that are missing or differ."""
    return [name for name, data in contract_files().items()
            if not (folder / name).is_file() or (folder / name).read_bytes() != data]
