#!/usr/bin/env bash
# A single-node Slurm cluster on localhost, for running an emitted sweep array by hand or in a test.
#   scripts/slurm/local-cluster.sh start [DIR]   installs slurm-wlm and munge with apt-get when missing (as
#                                                scripts/setup-tools.sh does), writes a munge key and slurm.conf
#                                                into DIR [/tmp/qforge-slurm], starts munged, slurmctld and slurmd,
#                                                waits until the node is idle, prints "export SLURM_CONF=DIR/slurm.conf"
#   scripts/slurm/local-cluster.sh stop [DIR]    stops the three daemons it started (by their pid files)
# Everything (key, socket, state, logs, pid files) stays in DIR, so it neither needs nor touches /etc/munge or /etc/slurm.
set -euo pipefail
cmd="${1:-start}"
dir="$(mkdir -p "${2:-/tmp/qforge-slurm}" && cd "${2:-/tmp/qforge-slurm}" && pwd)"

stop() {
    for d in slurmd slurmctld munged; do
        if [[ -f "$dir/$d.pid" ]]; then
            pid="$(cat "$dir/$d.pid")"
            kill "$pid" 2>/dev/null || true
            # wait for it to exit: slurmctld saves its state on the way out, into DIR
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$dir/$d.pid"
        fi
    done
}

if [[ "$cmd" == "stop" ]]; then
    stop
    exit 0
fi
if [[ "$cmd" != "start" ]]; then
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
fi

missing=()
for tool in sbatch slurmctld slurmd munged; do
    command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
        echo "local-cluster: missing ${missing[*]}; install them with: sudo apt-get install slurm-wlm munge" >&2
        exit 1
    fi
    echo "local-cluster: installing slurm-wlm and munge ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq >&2 || true
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends slurm-wlm munge >&2
fi
export PATH="$PATH:/usr/sbin"
user="$(id -un)"
cpus="$(nproc)"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
stop  # a cluster left from an earlier start in this folder

if [[ ! -f "$dir/munge.key" ]]; then
    head -c 1024 /dev/urandom > "$dir/munge.key"
fi
chmod 600 "$dir/munge.key"
chmod 700 "$dir"
# munged refuses to run as root without --force; its socket and files stay in $dir
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
       --log-file="$dir/log/munged.log" --seed-file="$dir/munge.seed"

cat > "$dir/slurm.conf" <<CONF
ClusterName=qforge
SlurmctldHost=localhost
SlurmUser=$user
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
SlurmctldPort=$((6817 + RANDOM % 1000))
SlurmdPort=$((7817 + RANDOM % 1000))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=localhost NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -c -i
slurmd -N localhost -c
for _ in $(seq 1 60); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qx 'idle'; then
        echo "export SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 1
done
echo "local-cluster: the node did not become idle in 60 s; see $dir/log/" >&2
sinfo >&2 || true
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
exit 1
