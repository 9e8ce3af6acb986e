# Shared by the Berth init scripts and the systemd comparison image: one implementation of the guest contract.
# Machine-readable lines go to the console, the one channel only the host can read and nothing in the guest
# besides init writes to.
# The scripts prefer busybox's applets: static, one starts in ~7 ms under TCG, where a dynamically linked
# coreutils or util-linux tool takes 35-50 ms, and a boot runs dozens. The daemons get the distribution's tools
# first (DAEMON_PATH, see service): dockerd, for one, runs xz and expects the real one.
DAEMON_PATH=/usr/sbin:/usr/bin:/usr/lib/berth/bin
PATH=/usr/lib/berth/bin:$DAEMON_PATH
export PATH
# Busybox's modprobe, which is also the kernel's helper (see boot): a static binary, it starts 3-4x faster than
# kmod's under TCG.
modprobe() { busybox modprobe "$@"; }
CONSOLE=/dev/console
DATA=/mnt/data

say() { echo "$*" >"$CONSOLE"; }
stage() { say "berth-stage: $1"; }
error() { say "berth-error: $*"; }

# Reads use the shell's read, not $(cat ...): each fork and exec costs milliseconds of TCG time at boot.
cmdline_arg() {
  read -r cmdline </proc/cmdline
  for arg in $cmdline; do
    case "$arg" in "$1="*) echo "${arg#"$1="}"; return 0 ;; esac
  done
  return 1
}

# Public keys travel base64url-encoded so they survive the kernel's space-separated cmdline.
b64url_decode() {
  s=$(echo "$1" | tr '_-' '/+')
  case $(( ${#s} % 4 )) in 2) s="$s==" ;; 3) s="$s=" ;; esac
  echo "$s" | busybox base64 -d
}

# Percent-decoding for share paths: only %XX escapes, nothing a shell would expand.
url_decode() {
  printf '%b' "$(echo "$1" | sed 's/%\([0-9A-Fa-f][0-9A-Fa-f]\)/\\x\1/g')"
}

disk_by_serial() {
  for s in /sys/block/vd*/serial; do
    [ -r "$s" ] || continue
    serial=""
    read -r serial <"$s"
    if [ "$serial" = "$1" ]; then d="${s%/serial}"; echo "/dev/${d##*/}"; return 0; fi
  done
  return 1
}

install_authorized_key() {
  enc=$(cmdline_arg berth.key) || { error "no berth.key on the kernel command line"; return 1; }
  key=$(b64url_decode "$enc")
  case "$key" in
    ssh-ed25519\ *|ssh-rsa\ *|ecdsa-sha2-*) ;;
    *) error "berth.key is not an SSH public key"; return 1 ;;
  esac
  # Not in /root/.ssh: a host home of /root (Berth run as root) is shared at /root and would cover it.
  # sshd_config.d/berth.conf points AuthorizedKeysFile here; StrictModes accepts it (root-owned, 0755 dirs up
  # to /, the file 0600).
  mkdir -p /etc/berth/authorized_keys
  chmod 755 /etc/berth/authorized_keys
  echo "$key" >/etc/berth/authorized_keys/root
  chmod 600 /etc/berth/authorized_keys/root
}

# The ext4 superblock (at byte 1024) read with one busybox od: s_magic, s_state and the low half of
# s_feature_incompat, 16-bit words 0, 1 and 20 from byte 1080. Prints "STATE RECOVER" for an ext4 file system
# and fails for anything else. blkid and dumpe2fs would say the same at ~10x the cost under TCG, and this runs
# on the boot's critical path.
ext4_superblock() {
  set -- $(od -A n -t u2 -j 1080 -N 42 "$1" 2>/dev/null)
  [ "$1" = 61267 ] || return 1
  echo "$2 $(( (${21} & 4) != 0 ))"
}

# Reported before mount replays the journal: whether the last shutdown left the file system clean.
report_data_disk_state() {
  set -- $1
  state=clean
  [ $(( $1 & 1 )) = 1 ] || state="not clean"
  [ $(( $1 & 2 )) = 0 ] || state="$state with errors"
  [ "$2" = 1 ] && state="$state, journal needs recovery"
  case "$state" in
    clean) say "berth-datadisk: clean" ;;
    *) say "berth-datadisk: unclean (state: $state)" ;;
  esac
}

mount_data_disk() {
  dev=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do dev=$(disk_by_serial berth-data) && break; usleep 50000; done
  [ -n "$dev" ] || { error "no virtio disk with serial berth-data"; return 1; }
  if sb=$(ext4_superblock "$dev"); then
    report_data_disk_state "$sb"
  else
    other=$(/usr/sbin/blkid -o value -s TYPE "$dev" 2>/dev/null)
    [ -z "$other" ] || { error "the data disk holds a $other file system, not Berth's; leaving it untouched"; return 1; }
    # No orphan_file: ext4 reads its blocks one by one at every mount (2048 on 64 GiB: 0.7 s under TCG).
    /usr/sbin/mkfs.ext4 -q -F -L berth-data -O ^orphan_file -E lazy_itable_init=1,lazy_journal_init=1,discard "$dev" ||
      { error "cannot format $dev"; return 1; }
    say "berth-datadisk: formatted"
  fi
  mkdir -p "$DATA"
  mount -t ext4 -o noatime,discard "$dev" "$DATA" || { error "cannot mount $dev"; return 1; }
  mkdir -p "$DATA/docker" "$DATA/containerd" "$DATA/ssh" "$DATA/state" /var/lib/docker /var/lib/containerd
  mount -o bind "$DATA/docker" /var/lib/docker
  mount -o bind "$DATA/containerd" /var/lib/containerd
  boots=0
  [ -r "$DATA/state/boot-count" ] && read -r boots <"$DATA/state/boot-count"
  boots=$(( ${boots:-0} + 1 ))
  echo "$boots" >"$DATA/state/boot-count"
  say "berth-datadisk: mounted boot=$boots"
  disk_reserve
}

# A disk filled to its last block (a container writing as root also takes ext4's root reserve) would keep dockerd
# from starting — its storage driver writes a test directory first — and then nothing could be removed. So the
# disk holds a reserve file: given back at boot when the disk is nearly full, so the engine always starts, and
# taken again at a later boot once there is room. The host reads the disk's state with df over SSH.
RESERVE_MB=256
disk_reserve() {
  reserve="$DATA/state/reserve"
  free_kb=$(busybox df -k "$DATA" | busybox awk 'NR==2 {print $4}')
  if [ -e "$reserve" ] && [ "${free_kb:-0}" -lt $((RESERVE_MB * 1024)) ]; then
    rm -f "$reserve"
    say "berth-datadisk: full, released the ${RESERVE_MB} MiB reserve so the engine can start"
  elif [ ! -e "$reserve" ] && [ "${free_kb:-0}" -gt $((RESERVE_MB * 4096)) ]; then
    busybox fallocate -l "${RESERVE_MB}M" "$reserve" 2>/dev/null || rm -f "$reserve"
  fi
}

# The directory the runc wrapper in dockerd's PATH (/usr/lib/berth/dockerd-path/runc) keeps runc's answers in:
# on the data disk, named by the image's runc and kernel versions (written at build time); answers from another
# image are dropped. Builtins only in the usual case: the boot script competes with two Go start-ups for CPU.
runc_answers() {
  read -r key </usr/lib/berth/runc-answers-key || return 0
  [ -d "$DATA/state/runc/$key" ] && return 0
  rm -rf "$DATA/state/runc"
  mkdir -p "$DATA/state/runc/$key"
}

# Host keys live on the data disk: made once on first boot, so they survive image upgrades and are unique per
# install instead of baked into a shared image.
ensure_host_key() {
  key="$DATA/ssh/ssh_host_ed25519_key"
  if [ ! -s "$key" ]; then
    rm -f "$key" "$key.pub"
    ssh-keygen -q -t ed25519 -N '' -C berth -f "$key" || { error "ssh-keygen failed"; return 1; }
  fi
  chmod 600 "$key"
  read -r ktype blob _ <"$key.pub"
  say "berth-hostkey: $ktype $blob"
}

# berth.shares=TAG:PATH[:virtiofs],...: each share mounted at its host path, over virtiofs when the host serves
# it that way (a virtiofsd per share), else over 9p.
mount_shares() {
  list=$(cmdline_arg berth.shares) || return 0
  case "$list" in *:virtiofs*) modprobe virtiofs || error "virtiofs module failed to load: those shares will be missing" ;; esac
  nine=0
  for entry in $(echo "$list" | tr ',' ' '); do
    tag="${entry%%:*}"
    rest="${entry#*:}"
    transport=9p
    case "$rest" in *:virtiofs) transport=virtiofs; rest="${rest%:virtiofs}" ;; esac
    path=$(url_decode "$rest")
    case "$path" in /*) ;; *) error "share $tag: path must be absolute"; continue ;; esac
    mkdir -p "$path"
    if [ "$transport" = virtiofs ]; then
      # The cache policy is the host's (virtiofsd --cache): FUSE re-checks attributes after its timeout and drops
      # a file's cached pages when it sees it changed (electron/shares/README.md, "Speed and consistency").
      mount -t virtiofs "$tag" "$path" || error "share $tag: cannot mount virtiofs at $path"
      # FUSE's read-ahead window is 128 KiB and every request is a round trip through virtio: 1 MiB windows read a
      # large file ~1.16x faster under TCG (bench:shares). Caching is unchanged (electron/shares/README.md, "Speed and consistency").
      if dev=$(mountpoint -d "$path" 2>/dev/null); then echo 1024 >"/sys/class/bdi/$dev/read_ahead_kb" 2>/dev/null || true; fi
      continue
    fi
    if [ "$nine" = 0 ]; then
      modprobe -a 9p 9pnet_virtio || error "9p modules failed to load: shares will be missing"
      nine=1
    fi
    # cache=none on purpose: the page-cache modes (readahead, mmap, loose) are up to 10x faster here but hand a
    # guest process that keeps a file open the host's old bytes, and zeros for what the host appended, until it
    # closes it (electron/shares/README.md, "Speed and consistency"). msize=512000 is the most virtio's 9p transport takes.
    mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none,access=client "$tag" "$path" ||
      error "share $tag: cannot mount at $path"
  done
}

# dockerd's config. The systemd comparison image keeps Docker's stock setup (socket from systemd, dockerd's own
# iptables rules); Berth's init names the sockets and brings its own firewall rules (/etc/berth/firewall.rules).
write_daemon_json() {
  mirrors=""
  if m=$(cmdline_arg berth.mirror); then
    case "$m" in
      *[!A-Za-z0-9:/._-]*) error "berth.mirror has unexpected characters; ignored" ;;
      *) mirrors="\"$m\"" ;;
    esac
  fi
  own=""
  [ "$1" = berth ] && own='"hosts": ["unix:///var/run/docker.sock"], "containerd": "/run/containerd/containerd.sock", "iptables": false,'
  mkdir -p /etc/docker
  # The user's engine settings (Settings > Docker Engine): one JSON object on one line from the host
  # (engineConfigJson in vm-images/guest-contract.ts), which already merged the registries and log level below.
  if user=$(read_engine_config); then
    cat >/etc/docker/daemon.json <<JSON
{
  $own
  "storage-driver": "overlay2",
  $user
}
JSON
    return
  fi
  cat >/etc/docker/daemon.json <<JSON
{
  $own
  "insecure-registries": ["10.0.2.2:5000"],
  "registry-mirrors": [$mirrors],
  "storage-driver": "overlay2",
  "log-level": "warn"
}
JSON
}

# The body of the host's engine settings object (without its braces), read from QEMU's fw_cfg; fails when the
# host sent none. The module is loaded only when the command line says a file is there (boot loads it early, in
# the background, see boot).
read_engine_config() {
  cmdline_arg berth.engine_config >/dev/null || return 1
  [ -d /sys/firmware/qemu_fw_cfg ] || modprobe qemu_fw_cfg 2>/dev/null
  body=$(cat /sys/firmware/qemu_fw_cfg/by_name/opt/berth/daemon.json/raw 2>/dev/null) || {
    error "the engine settings from the host are missing; the engine starts with Berth's defaults"
    return 1
  }
  case "$body" in
    '{'*'}') ;;
    *) error "the engine settings from the host are not one JSON object; the engine starts with Berth's defaults"; return 1 ;;
  esac
  body=${body#'{'}
  body=${body%'}'}
  [ -n "$body" ] || return 1
  echo "$body"
}

# The kernel modules dockerd needs for bridge networking, NAT and overlay2, loaded in one modprobe call, then
# the firewall rules. No br_netfilter: with it, traffic inside one bridge would hit the FORWARD isolation rules.
# nf_conntrack_netlink and xfrm_user are what dockerd's netlink set-up asks for on every start; in this batch
# they cost no extra helper runs.
load_engine_modules() {
  modprobe -a overlay bridge veth nf_conntrack nf_nat ip_tables iptable_filter iptable_nat \
    xt_MASQUERADE xt_nat xt_tcpudp nf_conntrack_netlink xfrm_user 2>/dev/null ||
    error "some engine kernel modules failed to load"
  echo 1 >/proc/sys/net/ipv4/ip_forward
  iptables-restore </etc/berth/firewall.rules || error "cannot load /etc/berth/firewall.rules"
}

# Starts /usr/lib/berth/service NAME in the background; it outlives the boot script and supervises the daemon.
start_service() {
  /usr/lib/berth/service "$1" </dev/null >>/var/log/berth/service.log 2>&1 &
}

# The FIFO an engine daemon reads its config from (see service), and the config that goes in.
engine_fifo() {
  f="/run/berth/$1.config"
  [ -p "$f" ] || { rm -f "$f"; mkfifo -m 600 "$f"; }
  echo "$f"
}
engine_config() {
  case "$1" in
    containerd) echo /etc/berth/containerd.toml ;;
    dockerd) echo /etc/docker/daemon.json ;;
  esac
}

# Writes the config into the daemon's FIFO. The write waits for the daemon to open it, so it runs in the
# background; a FIFO delivers it once, to the one daemon reading.
release_engine_config() {
  cat "$(engine_config "$1")" >"$(engine_fifo "$1")" 2>/dev/null &
}

stop_pidfile() {
  pid=$(cat "$1" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -gt $(( $2 * 10 )) ] && { kill -KILL "$pid" 2>/dev/null; break; }
    usleep 100000
  done
}

unmount_data_disk() {
  sync
  # Deepest mounts first: container rootfs overlays and netns bind mounts sit below the bind mounts.
  for m in $(awk '{print $2}' /proc/mounts | grep -E "^(/var/lib/docker|/var/lib/containerd|/run/docker|$DATA)" | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
  done
  if grep -q " $DATA " /proc/mounts; then
    mount -o remount,ro "$DATA" 2>/dev/null
    error "data disk still busy at power-off; remounted read-only"
    return 1
  fi
  return 0
}
