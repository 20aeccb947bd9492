"""The kiosk session: a plain-Python state machine that drives every screen.

No Kivy and no devices here, so every rule of a visit is unit-tested without a display.
"""

from .codes import identity_token_from_code, progress_payload, tracking_from_code
from .form import CHOICES, KEYPADS, FormState
from .identity import Identity, applicant_ref, lookup_key, mask_text
from .idle import IdleState, IdleTimer
from .machine import CatalogueEntry, KioskSession
from .panels import Outcome
from .ports import (
    ApplicationRequest,
    Diagnostics,
    KioskServices,
    NearbyView,
    ProgressItem,
    ProgressQuery,
    ProgressRefused,
    ProgressUnavailable,
    Runner,
    Slot,
    StationView,
    Submission,
    SubmissionFailed,
    run_now,
)
from .steps import HOME_STEPS, EndReason, Step

__all__ = [
    "CHOICES",
    "HOME_STEPS",
    "KEYPADS",
    "ApplicationRequest",
    "CatalogueEntry",
    "Diagnostics",
    "EndReason",
    "FormState",
    "Identity",
    "IdleState",
    "IdleTimer",
    "KioskServices",
    "KioskSession",
    "NearbyView",
    "Outcome",
    "ProgressItem",
    "ProgressQuery",
    "ProgressRefused",
    "ProgressUnavailable",
    "Runner",
    "Slot",
    "StationView",
    "Step",
    "Submission",
    "SubmissionFailed",
    "applicant_ref",
    "identity_token_from_code",
    "lookup_key",
    "mask_text",
    "progress_payload",
    "run_now",
    "tracking_from_code",
]
