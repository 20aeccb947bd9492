"""Remote management for technicians: signed commands, alarms, rollouts and the audit log.

Plugged into the controller and stationctl by :mod:`controller.features.remote`.
"""
