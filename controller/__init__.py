"""stationnet controller: ingest, fleet registry, documents, API and operator CLI."""
