"""stationnet controller."""
