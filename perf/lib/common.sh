# Shared by the perf suites (perf/dns-compare, perf/https-compare, perf/ssh-jump,
# perf/tap-throughput, perf/vpn-compare): one result file per suite in one schema, progress
# lines, CPU pinning, and the measurements every appliance and its counterpart get (size of what
# is shipped, start-up to the first answered request, resident memory idle and under load).
# Source it after `root` is set and `cd "$root"`. Environment:
#   PERF_OUT     directory for <suite>.json (default perf/results/<UTC time>)
#   PERF_QUICK=1 the suites' short settings (the CI smoke run)
#   SERVER_CPU, LOAD_CPU   cores for the server and the load generator (default 0 and 1)

perf_java() { # the report tool (perf/src/main/java/atoll/perf/report) with JDK 25
  local jdk src=$root/perf/src/main/java out=$root/perf/target/report-tool
  [[ -n "${PERF_JAVA_HOME:-}" ]] || PERF_JAVA_HOME=$("$root/atoll" java-home)
  jdk=$PERF_JAVA_HOME
  # Compiled once into perf/target/report-tool (again when a source is newer): no Maven build needed.
  if [[ ! -f "$out/.stamp" || -n "$(find "$src/atoll/perf/report" -name '*.java' -newer "$out/.stamp")" ]]; then
    rm -rf "$out"; mkdir -p "$out"
    "$jdk/bin/javac" -nowarn -d "$out" "$src"/atoll/perf/report/*.java >&2 && touch "$out/.stamp"
  fi
  "$jdk/bin/java" -cp "$out" atoll.perf.report.Main "$@"
}

# perf_init SUITE TITLE [SUBJECT]: the suite's record file and its metadata.
perf_init() {
  PERF_SUITE=$1
  PERF_OUT=${PERF_OUT:-$root/perf/results/$(date -u +%Y%m%dT%H%M%SZ)}
  mkdir -p "$PERF_OUT"
  PERF_RECORDS=$PERF_OUT/$PERF_SUITE.tsv
  : >"$PERF_RECORDS"
  meta suite "$1"
  meta title "$2"
  [[ -n "${3:-}" ]] && meta subject "$3"
  meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  meta commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
  meta machine "$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB, Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
  SERVER_CPU=${SERVER_CPU:-0}
  LOAD_CPU=${LOAD_CPU:-1}
  pin_server=() pin_load=()
  if (( $(nproc) > 1 )) && command -v taskset >/dev/null; then
    pin_server=(taskset -c "$SERVER_CPU") pin_load=(taskset -c "$LOAD_CPU")
  fi
}

meta() { printf 'meta\t%s\t%s\n' "$1" "${2//$'\t'/ }" >>"$PERF_RECORDS"; }

# record METRIC UNIT BETTER SERVER X XNAME VALUE...   (X and XNAME "-" for a scalar)
record() {
  local metric=$1 unit=$2 better=$3 server=$4 x=$5 xname=$6
  shift 6
  (($#)) || return 0
  printf 'm\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$metric" "$unit" "$better" "$server" "$x" "$xname" "$*" >>"$PERF_RECORDS"
}

progress() { printf '[perf %s %s] %s\n' "$PERF_SUITE" "$(date -u +%H:%M:%S)" "$*" >&2; }

# perf_finish: writes <suite>.json from the records and prints the suite's tables.
perf_finish() {
  perf_java suite "$PERF_RECORDS" "$PERF_OUT/$PERF_SUITE.json"
  rm -f "$PERF_RECORDS"
  perf_java markdown "$PERF_OUT/$PERF_SUITE.json"
  progress "wrote $PERF_OUT/$PERF_SUITE.json"
}

# perf_unavailable STATUS REASON: a result file saying why there are no numbers (status
# not-available or failed) with what was measured so far, then the script exits: 0 when
# not-available, 1 when failed.
perf_unavailable() {
  meta status "$1"
  meta reason "$2"
  progress "$1: $2"
  perf_finish
  [[ $1 == not-available ]] && exit 0
  exit 1
}

# A loopback port free for both UDP and TCP at the time of asking, below the kernel's ephemeral
# range: a probe's many connection attempts take ephemeral source ports, and one equal to the
# server's port would connect to itself (TCP simultaneous open) and hold the port the server is
# about to bind.
free_port() {
  python3 - <<'PY'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    port = random.randrange(10000, max(10001, low))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        u.bind(("127.0.0.1", port)); t.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        u.close(); t.close()
    print(port); break
PY
}

# Resident memory (KiB) of process $1 and every descendant (NSD, nginx and sshd fork workers);
# shared pages count once per process, so a multi-process server's figure is an overestimate.
tree_rss() {
  local pids=$1 p kids all=""
  while [[ -n "$pids" ]]; do
    all="$all $pids"; kids=""
    for p in $pids; do kids="$kids $(cat /proc/$p/task/*/children 2>/dev/null)"; done
    pids=$(echo $kids)
  done
  for p in $all; do awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'
}

# rss_watch PID FILE: samples tree_rss every 0.2 s into FILE until rss_peak; bounded by the process.
rss_watch() {
  local pid=$1 file=$2
  : >"$file"
  ( while kill -0 "$pid" 2>/dev/null && [[ -e "$file" ]]; do tree_rss "$pid" >>"$file" 2>/dev/null; sleep 0.2; done ) &
  rss_watch_pid=$!
}
rss_peak() { # FILE -> the largest sample, in MiB; stops the sampler
  local file=$1 peak
  kill "$rss_watch_pid" 2>/dev/null || true; wait "$rss_watch_pid" 2>/dev/null || true
  peak=$(sort -g "$file" | tail -n 1)
  rm -f "$file"
  kib_to_mib "${peak:-0}"
}

kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
bytes_to_mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

# CPU ticks (utime + stime, every thread) of process $1 and all its descendants.
cpu_ticks() {
  python3 - "$1" <<'PY'
import os, sys
def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out
total, todo = 0, [int(sys.argv[1])]
while todo:
    pid = todo.pop()
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    except OSError:
        continue
    todo += children(pid)
print(total)
PY
}

# record_closure_size SERVER FILE...: a conventional server's binary plus its shared-library
# closure (ldd), each real file once: bytes on disk and as one tar | gzip -6.
record_closure_size() {
  local server=$1 f list disk packed
  shift
  list=$(mktemp)
  { for f in "$@"; do readlink -f "$f"; done
    ldd "$@" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | xargs -r readlink -f
  } | LC_ALL=C sort -u >"$list"
  disk=$(xargs -a "$list" stat -c %s | awk '{ s += $1 } END { print s }')
  packed=$(tar -cf - -P -T "$list" 2>/dev/null | gzip -6 | wc -c)
  rm -f "$list"
  record "shipped, on disk" MiB lower "$server" - - "$(bytes_to_mib "$disk")"
  record "shipped, compressed" MiB lower "$server" - - "$(bytes_to_mib "$packed")"
}

# record_image_size SERVER APPLIANCE: the image directory (without the cache/ made on the host at
# first start) and its .tar.gz archive.
record_image_size() {
  local server=$1 app=$root/appliances/$2 archive
  record "shipped, on disk" MiB lower "$server" - - "$(bytes_to_mib "$(du -sb --exclude=cache "$app/target/image" | cut -f1)")"
  archive=$(ls "$app"/target/"$2"-*.tar.gz 2>/dev/null | grep -v -- -dbgsym | head -n 1 || true)
  [[ -n "$archive" ]] && record "shipped, compressed" MiB lower "$server" - - "$(bytes_to_mib "$(stat -c %s "$archive")")"
  return 0
}

# measure_startup SERVER MODE STARTS START_FN: STARTS times launches the server with
# `START_FN PORT DIR` (which backgrounds it, pinned, and sets server_pid), probes it (MODE dns,
# https or ssh, see probe.py), reads its RSS once it answered, stops it with SIGTERM. Records
# "start-up to first answer" (ms) and "RSS idle" (MiB).
measure_startup() {
  local server=$1 mode=$2 starts=$3 fn=$4 i port dir t0 t1 ms=() rss=()
  for ((i = 1; i <= starts; i++)); do
    port=$(free_port)
    dir=$(mktemp -d "$PERF_WORK/start.XXXXXX")
    t0=$(date +%s%N)
    "$fn" "$port" "$dir"
    if ! t1=$(python3 "$root/perf/lib/probe.py" "$mode" "$port" "$server_pid" 60); then
      progress "$server: no answer on 127.0.0.1:$port; its output:"
      cat "$dir"/*.log >&2 2>/dev/null || true
      stop_server
      return 1
    fi
    sleep 0.5   # settle: what a server holds once it answered, not mid-initialisation
    rss+=("$(kib_to_mib "$(tree_rss "$server_pid")")")
    ms+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')")
    stop_server
    progress "$server start $i/$starts: first answer after ${ms[-1]} ms, RSS ${rss[-1]} MiB"
  done
  record "start-up to first answer" ms lower "$server" - - "${ms[@]}"
  record "RSS idle" MiB lower "$server" - - "${rss[@]}"
}

# stop_server: SIGTERM to server_pid, at most 10 s, then SIGKILL.
stop_server() {
  [[ -n "${server_pid:-}" ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# perf_workdir: a temporary directory removed at exit, with any server still running stopped.
perf_workdir() {
  PERF_WORK=$(mktemp -d "${TMPDIR:-/tmp}/atoll-perf-$PERF_SUITE.XXXXXX")
  chmod 755 "$PERF_WORK"
  server_pid=
  trap 'stop_server; rm -rf "$PERF_WORK"' EXIT
}
