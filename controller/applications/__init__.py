"""Applications: records made from kiosks' ``application.submitted`` events, their status
workflow, progress answers for kiosks, the services report, and the one adapter to the
national traffic-management system (out of scope: a logging stand-in by default).
"""

from .adapter import LoggingNationalSystem, NationalSystem
from .models import ApplicationHistory, ApplicationRecord
from .service import ApplicationNotFound, Applications
from .workflow import Status, TransitionError, check_transition

__all__ = [
    "ApplicationHistory",
    "ApplicationNotFound",
    "ApplicationRecord",
    "Applications",
    "LoggingNationalSystem",
    "NationalSystem",
    "Status",
    "TransitionError",
    "check_transition",
]
