"""stationnet kiosk."""
