"""The packages of the wheel: the code, and config/ shipped as the data package
``stationnet_config`` (config/ stays at the repository root; pyproject.toml alone cannot
install a folder under another name beside the packages it finds)."""

from setuptools import find_namespace_packages, setup

CONFIG = "stationnet_config"

setup(
    packages=[
        *find_namespace_packages(include=["sync*", "controller*", "kiosk*", "devices*"]),
        CONFIG,
        *(f"{CONFIG}.{folder}" for folder in find_namespace_packages("config")),
    ],
    package_dir={CONFIG: "config"},
)
