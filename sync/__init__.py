"""stationnet sync."""
