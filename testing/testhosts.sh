#!/bin/bash
# testhosts.sh -- throw-away SSH hosts on this machine for integration tests.
#
# Every host hN is a real OpenSSH sshd with its own address ($NET.(10+N)), hostname, process
# table and private /opt /srv /var/log /root /tmp /run, built from network, mount, UTS and PID
# namespaces. The hosts hang off a bridge whose address $NET.1 is called "testrunner" inside
# them; the namespaces have no default route, so nothing leaves the machine.
#
#   testhosts.sh up N              create the bridge and hosts h1..hN (clears leftovers first)
#   testhosts.sh down N            kill every process of the hosts, delete namespaces and links
#   testhosts.sh restart-sshd hN   restart only hN's sshd; other processes of hN keep running
#   testhosts.sh link-down hN      take hN off the bridge (connections to it time out)
#   testhosts.sh link-up hN        put hN back on the bridge
#   testhosts.sh regen-hostkey hN  give hN a new host key (known_hosts is left as it was)
#   testhosts.sh drop-sessions hN  end every SSH connection to hN (as a host's replacement or reboot would);
#                                  its listener and other processes keep running
#   testhosts.sh shape hN RATE     limit what the runner sends to hN to RATE (tc rate, e.g. 40mbit), as a slow link
#                                  would; "shape hN off" lifts the limit
#   testhosts.sh sshd-option hN KEYWORD VALUE
#                                  set one sshd_config keyword of hN (a lower session limit for one test, say)
#                                  and restart its sshd;
#                                  connections open already keep the settings they started with
#
# sshd runs with OpenSSH's stock limits (sessions per connection, unauthenticated connections), as real hosts do.
#
# Environment: TH_BASE (state directory, default /tmp/testhosts), TH_PREFIX (at most 8
# characters, names the bridge, veths and namespaces; default th), TH_NET (the /24 prefix,
# default 198.18.0). Needs root and the Debian packages openssh-server, iproute2 (ip, tc), util-linux.
#
# Files in $TH_BASE: id_ed25519(.pub) (client key for root), known_hosts (addresses and names),
# ssh_config (for ssh -F), and per host hN/: ssh_host_ed25519_key(.pub), sshd_config, sshd.log,
# sshd.pid (pid of the sshd listener as seen from this namespace), fs/ (the private directories).
set -euo pipefail

PREFIX=${TH_PREFIX:-th}
BASE=${TH_BASE:-/tmp/testhosts}
NET=${TH_NET:-198.18.0}
BRIDGE=$PREFIX-br
SELF=$(readlink -f "$0")
PRIVATE_DIRS="opt srv var/log root tmp"

die() { echo "testhosts.sh: $*" >&2; exit 1; }

[ ${#PREFIX} -le 8 ] || die "TH_PREFIX must have at most 8 characters: $PREFIX"

number_of() {                      # h3 -> 3
  case $1 in
    h[1-9]|h[1-9][0-9]) echo "${1#h}" ;;
    *) die "not a host name: $1 (expected h1, h2, ...)" ;;
  esac
}
address_of() { echo "$NET.$((10 + $1))"; }
netns_of() { echo "$PREFIX-h$1"; }
veth_of() { echo "$PREFIX-v$1"; }

# Whether something accepts TCP connections on $1:22.
listening() { (exec 3<>"/dev/tcp/$1/22") 2>/dev/null; }

await_listening() {                # $1 host number
  local addr deadline
  addr=$(address_of "$1")
  deadline=$((SECONDS + 10))
  until listening "$addr"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "h$1 did not start listening on $addr:22; its logs:" >&2
      cat "$BASE/h$1/init.log" "$BASE/h$1/sshd.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.02
  done
}

# Pid, in this namespace, of the process of host $1 whose pid inside the host is $2.
outer_pid() {
  local p ids
  for p in $(ip netns pids "$(netns_of "$1")" 2>/dev/null); do
    read -r -a ids <<<"$(sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)" \
      || continue
    if [ "${#ids[@]}" -ge 2 ] && [ "${ids[-1]}" = "$2" ]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# Waits until host $1 reports an sshd other than inner pid $2, then records its outer pid.
record_sshd_pid() {
  local inner='' outer='' deadline=$((SECONDS + 10))
  while :; do
    inner=$(cat "$BASE/h$1/sshd.inner" 2>/dev/null || true)
    if [ -n "$inner" ] && [ "$inner" != "$2" ] && outer=$(outer_pid "$1" "$inner"); then
      echo "$outer" >"$BASE/h$1/sshd.pid"
      return 0
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "h$1 reported no sshd pid"
    sleep 0.02
  done
}

# Runs as PID 1 of a host's new namespaces: private mounts, then a loop that keeps sshd running
# and reaps the orphans the host's daemons leave behind. sshd is a child, not PID 1, so that it
# can be restarted without taking the rest of the host down.
init_host() {
  local name=$1 state=$BASE/$1 d sshd
  hostname "$name"
  mount -t tmpfs -o mode=755 tmpfs /run
  mkdir -m 755 /run/sshd /run/host
  mount --bind "$state" /run/host
  mount --bind "$BASE/etc-hosts" /etc/hosts
  for d in $PRIVATE_DIRS; do mount --bind "$state/fs/$d" "/$d"; done
  cd /
  trap 'exit 0' TERM
  while :; do
    /usr/sbin/sshd -D -f /run/host/sshd_config -E /run/host/sshd.log </dev/null &
    sshd=$!
    echo "$sshd" >/run/host/sshd.inner.tmp
    mv -f /run/host/sshd.inner.tmp /run/host/sshd.inner
    # wait returns early when an orphan is reaped, so loop until sshd itself is gone.
    while kill -0 "$sshd" 2>/dev/null; do wait "$sshd" || true; done
    sleep 0.1
  done
}

write_client_files() {             # $1 number of hosts
  local i
  mkdir -p "$BASE"
  chmod 755 "$BASE"
  [ -f "$BASE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C testhosts -f "$BASE/id_ed25519"
  {
    echo "127.0.0.1 localhost"
    echo "$NET.1 testrunner"
    for i in $(seq 1 "$1"); do echo "$(address_of "$i") h$i"; done
  } >"$BASE/etc-hosts"
  {
    echo "Host h* $NET.*"
    echo "  User root"
    echo "  IdentityFile $BASE/id_ed25519"
    echo "  IdentitiesOnly yes"
    echo "  UserKnownHostsFile $BASE/known_hosts"
    echo "  StrictHostKeyChecking yes"
    echo "  BatchMode yes"
    echo "  LogLevel ERROR"
    for i in $(seq 1 "$1"); do
      echo "Host h$i"
      echo "  HostName $(address_of "$i")"
    done
  } >"$BASE/ssh_config"
  : >"$BASE/known_hosts"
}

write_host_files() {               # $1 host number
  local name=h$1 addr state key
  addr=$(address_of "$1")
  state=$BASE/$name
  rm -rf "$state"
  mkdir -p "$state/fs/opt" "$state/fs/srv" "$state/fs/var/log" "$state/fs/root" "$state/fs/tmp"
  chmod 1777 "$state/fs/tmp"
  chmod 700 "$state/fs/root"
  cp /etc/skel/.bashrc /etc/skel/.profile "$state/fs/root/" 2>/dev/null || true
  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$state/ssh_host_ed25519_key"
  install -m 600 "$BASE/id_ed25519.pub" "$state/authorized_keys"
  key=$(cut -d' ' -f1-2 "$state/ssh_host_ed25519_key.pub")
  printf '%s %s\n%s %s\n' "$addr" "$key" "$name" "$key" >>"$BASE/known_hosts"
  cat >"$state/sshd_config" <<EOF
ListenAddress $addr:22
HostKey /run/host/ssh_host_ed25519_key
PidFile none
AuthorizedKeysFile /run/host/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# the state directory may sit below a world-writable directory
StrictModes no
UseDNS no
AllowTcpForwarding yes
Subsystem sftp internal-sftp
SetEnv TEST_HOST=$name
EOF
}

start_host() {                     # $1 host number
  local ns veth
  ns=$(netns_of "$1")
  veth=$(veth_of "$1")
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$ns" addr add "$(address_of "$1")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  # Output goes to a file so that a caller reading this script's output is not held open.
  ip netns exec "$ns" unshare --mount --uts --pid --fork --mount-proc --kill-child=SIGKILL \
    "$SELF" _init "h$1" </dev/null >"$BASE/h$1/init.log" 2>&1 &
}

up() {
  local n=$1 i
  down "$n"
  write_client_files "$n"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for i in $(seq 1 "$n"); do
    write_host_files "$i"
    start_host "$i"
  done
  for i in $(seq 1 "$n"); do
    await_listening "$i"
    record_sshd_pid "$i" ""
  done
}

down() {
  local n=$1 i ns pids others
  # Also hosts of an earlier run with more hosts under the same prefix.
  others=$(ip netns list 2>/dev/null | sed -n "s/^$PREFIX-h\([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p")
  for i in $(printf '%s\n' $(seq 1 "$n") $others | sort -un); do
    ns=$(netns_of "$i")
    # Every process of the host, the namespace launcher included, lives in its netns; killing
    # the host's PID 1 would take the rest with it, but a kill of all of them is immediate.
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then kill -KILL $pids 2>/dev/null || true; fi
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$(veth_of "$i")" 2>/dev/null || true
    rm -f "$BASE/h$i/sshd.pid" "$BASE/h$i/sshd.inner"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

restart_sshd() {                   # $1 host number
  local pid inner deadline
  pid=$(cat "$BASE/h$1/sshd.pid" 2>/dev/null) || die "h$1 is not running (no sshd.pid)"
  inner=$(cat "$BASE/h$1/sshd.inner")
  # Only the listener: sessions and daemons are other processes and stay alive.
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while [ -e "/proc/$pid" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "the sshd of h$1 (pid $pid) did not exit"
    sleep 0.01
  done
  record_sshd_pid "$1" "$inner"
  await_listening "$1"
}

regen_hostkey() {                  # $1 host number
  local state=$BASE/h$1
  rm -f "$state/ssh_host_ed25519_key" "$state/ssh_host_ed25519_key.pub"
  ssh-keygen -q -t ed25519 -N '' -C "h$1" -f "$state/ssh_host_ed25519_key"
  restart_sshd "$1"
}

sshd_option() {                    # $1 host number, $2 keyword, $3 value
  local config=$BASE/h$1/sshd_config
  case $2 in *[!A-Za-z0-9]*|'') die "not an sshd_config keyword: $2" ;; esac
  case $3 in *$'\n'*|'') die "not a single-line value for $2: $3" ;; esac
  [ -f "$config" ] || die "h$1 has no sshd_config (is it up?)"
  # sshd takes the first value of a keyword: drop the old line, then append the new one.
  grep -v -i "^[[:space:]]*$2[[:space:]]" "$config" >"$config.tmp" || true
  printf '%s %s\n' "$2" "$3" >>"$config.tmp"
  mv -f "$config.tmp" "$config"
  restart_sshd "$1"
}

shape() {                          # $1 host number, $2 rate or "off"
  local veth
  veth=$(veth_of "$1")
  if [ "$2" = off ]; then
    tc qdisc del dev "$veth" root 2>/dev/null || true
  else
    case $2 in [0-9]*[0-9a-z]) ;; *) die "not a tc rate: $2 (e.g. 40mbit)" ;; esac
    # The runner's end of the veth: its egress is what reaches the host.
    tc qdisc replace dev "$veth" root tbf rate "$2" burst 64kb latency 400ms
  fi
}

drop_sessions() {                  # $1 host number
  local listener p cmd
  listener=$(cat "$BASE/h$1/sshd.pid" 2>/dev/null) || die "h$1 is not running (no sshd.pid)"
  for p in $(ip netns pids "$(netns_of "$1")" 2>/dev/null); do
    [ "$p" = "$listener" ] && continue
    cmd=$(tr '\000' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
    case $cmd in "sshd: "*) kill -KILL "$p" 2>/dev/null || true ;; esac
  done
}

case ${1:-} in
  up) up "${2:?number of hosts}" ;;
  down) down "${2:?number of hosts}" ;;
  restart-sshd) restart_sshd "$(number_of "${2:?host}")" ;;
  link-down) ip link set "$(veth_of "$(number_of "${2:?host}")")" down ;;
  link-up) ip link set "$(veth_of "$(number_of "${2:?host}")")" up ;;
  regen-hostkey) regen_hostkey "$(number_of "${2:?host}")" ;;
  drop-sessions) drop_sessions "$(number_of "${2:?host}")" ;;
  shape) shape "$(number_of "${2:?host}")" "${3:?rate or off}" ;;
  sshd-option) sshd_option "$(number_of "${2:?host}")" "${3:?keyword}" "${4:?value}" ;;
  _init) init_host "$2" ;;
  *)
    echo "usage: $0 up N | down N | restart-sshd hN | link-down hN | link-up hN | regen-hostkey hN" \
      "| drop-sessions hN | shape hN RATE|off | sshd-option hN KEYWORD VALUE" >&2
    exit 2 ;;
esac
