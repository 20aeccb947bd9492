"""stationnet sync: the wire contract and machinery both ends share."""

__version__ = "0.1.0"
