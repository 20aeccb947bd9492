"""stationnet devices."""
