# Sourced by scripts/bench and scripts/screenshots: a throw-away Renova profile with its own
# private D-Bus session, an unlocked gnome-keyring (password "test"), isolated XDG folders and
# the fake RD server (scripts/fake_rd.py). Sets WORK, BASE, DBUS_SESSION_BUS_ADDRESS and XDG_*;
# `profile_cleanup` stops everything. Touches nothing of yours.

WORK=$(mktemp -d /tmp/renova-profile.XXXXXX)
PROFILE_PIDS=()
profile_cleanup() {
  for p in "${PROFILE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}

first_line() { # file -> its first line, once written
  for _ in $(seq 400); do [ -s "$1" ] && { head -1 "$1"; return; }; sleep 0.02; done
  echo "profile: $1 stayed empty" >&2
  return 1
}

mkdir -p "$WORK"/{config,state,data,runtime,cache,home}
chmod 700 "$WORK/runtime"
cat > "$WORK/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=$WORK</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
EOF
dbus-daemon --config-file="$WORK/bus.conf" --nofork --print-address=1 > "$WORK/bus.address" 2>/dev/null &
PROFILE_PIDS+=("$!")
DBUS_SESSION_BUS_ADDRESS=$(first_line "$WORK/bus.address")
export DBUS_SESSION_BUS_ADDRESS
export XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data
export XDG_RUNTIME_DIR=$WORK/runtime XDG_CACHE_HOME=$WORK/cache HOME=$WORK/home
printf test | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
PROFILE_PIDS+=("$!")
for _ in $(seq 200); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.05
done

python3 "$(dirname "${BASH_SOURCE[0]}")/fake_rd.py" > "$WORK/rd.port" &
PROFILE_PIDS+=("$!")
BASE=http://127.0.0.1:$(first_line "$WORK/rd.port")
