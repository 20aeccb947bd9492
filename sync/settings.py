"""The network's configuration: one TOML file under ``config/`` plus environment overrides.

``STATIONNET__BROKER__PORT=1884`` overrides ``[broker] port``: the variable name is the
key path joined by double underscores after the ``STATIONNET__`` prefix; values are read as
TOML literals when they parse (numbers, booleans, quoted strings) and as plain strings
otherwise.
"""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .mqtt import BrokerEndpoint
from .topics import validate_id

__all__ = [
    "ConfigError",
    "Settings",
    "StationConfig",
    "KioskConfig",
    "BrokerConfig",
    "ControllerConfig",
    "SecurityConfig",
    "AlarmsConfig",
    "CommandsConfig",
    "load_settings",
    "default_config_path",
    "shipped_config_dir",
    "config_file",
    "default_data_dir",
    "ENV_PREFIX",
]

ENV_PREFIX = "STATIONNET__"
# config/ of the repository, installed with the package under this name (setup.py).
SHIPPED_CONFIG_PACKAGE = "stationnet_config"


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file, key and fix."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BrokerConfig(_Section):
    """Where the MQTT broker is, and how the embedded Mosquitto is set up."""

    host: str = "127.0.0.1"
    port: int = Field(18830, ge=1, le=65535)
    keepalive_s: int = Field(10, ge=2, le=600)
    username: str | None = None
    password: str | None = None
    tls_ca_file: str | None = None
    embedded: bool = True
    max_queued_messages: int = Field(2_000_000, ge=0)
    max_inflight_messages: int = Field(1000, ge=0)
    max_packet_bytes: int = Field(1_048_576, ge=1024)
    autosave_interval_s: int = Field(30, ge=1)

    def endpoint(self) -> BrokerEndpoint:
        """Return the connection parameters for an MQTT link."""
        return BrokerEndpoint(self.host, self.port, self.keepalive_s, self.username,
                              self.password, self.tls_ca_file)


class ControllerConfig(_Section):
    """The controller's storage, API and ingest tuning."""

    database_url: str = ""  # empty: a SQLite file in the data folder
    http_host: str = "127.0.0.1"
    http_port: int = Field(8480, ge=0, le=65535)
    batch_size: int = Field(1000, ge=1, le=20000)
    batch_wait_ms: int = Field(20, ge=0, le=5000)
    receive_maximum: int = Field(4000, ge=1, le=65535)
    shared_group: str = ""  # MQTT 5 shared-subscription group when several controllers run
    client_id: str = "controller"
    presence_interval_s: float = Field(30.0, gt=0)
    # Ingest under floods: the hand-over from the network is bounded (then the broker
    # holds our QoS 1 messages); telemetry beyond one report per kiosk per interval is
    # dropped (it is replaceable).
    ingest_queue_messages: int = Field(20_000, ge=100)
    ingest_queue_bytes: int = Field(64 * 1024 * 1024, ge=1024 * 1024)
    telemetry_min_interval_s: float = Field(1.0, ge=0)
    # Quarantine: identical refusals (kiosk, reason) share a row per interval; rows are
    # kept this long and at most this many.
    quarantine_interval_s: float = Field(60.0, gt=0)
    quarantine_rows_per_interval: int = Field(200, ge=1)
    quarantine_keep_days: float = Field(30.0, gt=0)
    quarantine_keep_rows: int = Field(100_000, ge=100)
    # Personal data in stored events is erased this long after its application closes.
    personal_data_keep_days: float = Field(30.0, ge=0)
    retention_interval_s: float = Field(600.0, gt=0)


class SecurityConfig(_Section):
    """Command signing: the controller's private key file and the kiosks' public key."""

    # empty: <data_dir>/controller/command-signing.pem, generated on first controller start
    controller_private_key_file: str = ""
    # Ed25519 public key (raw base64 or PEM) kiosks verify commands with; empty refuses all
    controller_public_key: str = ""


class AlarmsConfig(_Section):
    """Alarm thresholds and the hold times that keep alarms from flapping."""

    offline_after_s: float = Field(300.0, ge=0)  # offline (presence) for longer than this
    silent_after_s: float = Field(180.0, gt=0)  # nothing heard for longer than this
    outbox_age_s: float = Field(600.0, gt=0)  # oldest undelivered event older than this
    clock_skew_s: float = Field(30.0, gt=0)  # kiosk clock off by more than this
    hold_raise_s: float = Field(30.0, ge=0)  # a condition must hold this long to raise
    hold_clear_s: float = Field(60.0, ge=0)  # and be gone this long to clear
    evaluate_interval_s: float = Field(1.0, gt=0)


class CommandsConfig(_Section):
    """Defaults of technician commands and rollouts."""

    expiry_s: int = Field(300, ge=1, le=7 * 24 * 3600)  # undelivered by then: EXPIRED
    result_timeout_s: float = Field(60.0, gt=0)  # delivered, no result by then: TIMED_OUT
    sweep_interval_s: float = Field(0.5, gt=0)


class StationConfig(_Section):
    """A community station: where it is, what it is called."""

    id: str
    name: str
    name_en: str = ""
    district: str
    address: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    timezone: str = "Asia/Shanghai"

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        return validate_id(value, "station id")


class KioskConfig(_Section):
    """One kiosk: its station and the serial ports of its devices."""

    id: str
    station: str
    idcard_port: str = ""
    printer_port: str = ""
    scanner_port: str = ""
    telemetry_interval_s: float = Field(15.0, gt=0)
    technician_pin: str = ""
    outbox_keep_days: float = Field(7.0, ge=0)  # delivered events are pruned after this

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        return validate_id(value, "kiosk id")


class Settings(_Section):
    """The whole configuration of a station network."""

    network_name: str = "stationnet"
    data_dir: str = ""  # empty: <repo>/var
    broker: BrokerConfig = BrokerConfig()
    controller: ControllerConfig = ControllerConfig()
    security: SecurityConfig = SecurityConfig()
    alarms: AlarmsConfig = AlarmsConfig()
    commands: CommandsConfig = CommandsConfig()
    stations: list[StationConfig] = Field(default_factory=list)
    kiosks: list[KioskConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        station_ids = [s.id for s in self.stations]
        for ids, what in ((station_ids, "station"), ([k.id for k in self.kiosks], "kiosk")):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{what} ids must be unique; repeated: {', '.join(dupes)}")
        for kiosk in self.kiosks:
            if kiosk.station not in station_ids:
                raise ValueError(f"kiosk {kiosk.id!r} names station {kiosk.station!r}, "
                                 "which is not among [[stations]]")
        return self

    def data_path(self) -> Path:
        """Return the folder for databases, broker persistence and logs."""
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    def station(self, station_id: str) -> StationConfig:
        """Return the station with ``station_id`` or raise ConfigError."""
        for station in self.stations:
            if station.id == station_id:
                return station
        raise ConfigError(f"no station {station_id!r} in the configuration")

    def kiosk(self, kiosk_id: str) -> KioskConfig:
        """Return the kiosk with ``kiosk_id`` or raise ConfigError."""
        for kiosk in self.kiosks:
            if kiosk.id == kiosk_id:
                return kiosk
        known = ", ".join(k.id for k in self.kiosks) or "none"
        raise ConfigError(f"no kiosk {kiosk_id!r} in the configuration (known: {known})")


def shipped_config_dir() -> Path:
    """Return the configuration folder shipped with the package (the repository's config/).

    Raises ConfigError when the package is not installed (a bare copy of the sources).
    """
    try:
        return Path(str(importlib.resources.files(SHIPPED_CONFIG_PACKAGE)))
    except ModuleNotFoundError:
        raise ConfigError(f"the configuration shipped with stationnet ({SHIPPED_CONFIG_PACKAGE}) "
                          "is not installed: install the package (`pip install -e .` in a "
                          "checkout), or set STATIONNET_CONFIG and STATIONNET_CONFIG_DIR"
                          ) from None


def default_config_path() -> Path:
    """Return $STATIONNET_CONFIG or the shipped ``config/stationnet.toml``."""
    explicit = os.environ.get("STATIONNET_CONFIG")
    return Path(explicit) if explicit else shipped_config_dir() / "stationnet.toml"


def config_file(name: str) -> Path:
    """Return ``name`` in the configuration folder, else the copy shipped in ``config/``.

    The folder is $STATIONNET_CONFIG_DIR, else that of the configuration file in use.
    """
    explicit = os.environ.get("STATIONNET_CONFIG_DIR")
    local = (Path(explicit) if explicit else default_config_path().parent) / name
    return local if local.exists() else shipped_config_dir() / name


def default_data_dir() -> Path:
    """Return $STATIONNET_DATA_DIR, else ``var`` in the current folder."""
    return Path(os.environ.get("STATIONNET_DATA_DIR", "var")).absolute()


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _apply_env(doc: dict[str, Any], environ: Mapping[str, str]) -> None:
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__") if part]
        target = doc
        for key in path[:-1]:
            target = target.setdefault(key, {})
            if not isinstance(target, dict):
                raise ConfigError(f"{name}: {'.'.join(path[:-1])} is not a table")
        if path:
            target[path[-1]] = _env_value(raw)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Return the settings in ``path`` (default: :func:`default_config_path`) plus overrides."""
    path = path or default_config_path()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist; pass --config or set "
                          "STATIONNET_CONFIG") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    _apply_env(doc, os.environ if environ is None else environ)
    try:
        return Settings.model_validate(doc)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None
