"""Station schedules on the controller: history, holiday calendar, directory, appointments,
reports; plugged in by :mod:`controller.features.schedules`."""
