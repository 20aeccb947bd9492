# Sourced by scripts/demo and scripts/test: installs whatever is missing, safe to run again.
# Debian packages (mosquitto, Xvfb, the CJK font, the GL/SDL runtime Kivy needs), then a
# virtual environment in .venv with stationnet and its dependencies.
set -euo pipefail
STATIONNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$STATIONNET_ROOT"

debian_packages=(mosquitto mosquitto-clients postgresql xvfb xauth fonts-wqy-microhei python3-venv
                 python3-dev gcc
                 libgl1 libegl1 libgles2 libgl1-mesa-dri libmtdev1 libsdl2-2.0-0)

missing=()
for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "stationnet: installing Debian packages: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "stationnet: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        SUDO="sudo"
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${STATIONNET_PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "stationnet: creating virtual environment in .venv"
    "$PYTHON" -m venv .venv
fi
# Reinstall only when pyproject.toml or setup.py changed since the last successful install.
stamp=".venv/.stationnet-installed"
want="$(cat pyproject.toml setup.py | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "stationnet: installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[kiosk,controller,test]"
    echo "$want" > "$stamp"
fi
export PATH="$STATIONNET_ROOT/.venv/bin:$PATH"
