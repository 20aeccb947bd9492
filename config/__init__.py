"""The shipped configuration, installed as the data package ``stationnet_config``.

Data, not code: this file only lets ``importlib.resources`` find the folder in a wheel
and in a checkout alike (see setup.py).
"""
