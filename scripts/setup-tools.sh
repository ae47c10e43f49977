#!/usr/bin/env bash
# Installs the HDL tools qforge drives (Verilator, Yosys, Icarus Verilog, nextpnr-ice40, ccache)
# with apt-get when any is missing, or stops with a message naming what to install.
set -euo pipefail

declare -A PKG=([verilator]=verilator [yosys]=yosys [iverilog]=iverilog [nextpnr-ice40]=nextpnr-ice40 [ccache]=ccache
                [icepack]=fpga-icestorm [g++]=g++ [make]=make
                [chromium]=chromium)  # chromium: the HTML report rendering tests
missing=()
for tool in verilator yosys iverilog nextpnr-ice40 ccache icepack g++ make chromium; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("${PKG[$tool]}")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "qforge setup: installing ${missing[*]} ..." >&2
if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "qforge setup: missing tools. Install them with:" >&2
    echo "    sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "qforge setup: no apt-get on this machine. Install these packages with your package manager: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2 || echo "qforge setup: apt-get update failed; trying the install with the current package lists" >&2
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

for tool in verilator yosys iverilog nextpnr-ice40; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "qforge setup: '$tool' is still missing after apt-get; install package ${PKG[$tool]} by hand." >&2
        exit 1
    fi
done
echo "qforge setup: $(verilator --version), $(yosys -V | cut -d' ' -f1-2), iverilog $(iverilog -V 2>&1 | head -1 | cut -d' ' -f4)" >&2
