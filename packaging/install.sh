#!/bin/sh
# Installs Renova from this folder (the renova-VERSION-x86_64-linux tarball) for one user, with
# no root: the binary into ~/.local/bin, the menu entry and icons into $XDG_DATA_HOME (by default
# ~/.local/share). It records what it put where in a manifest, and --uninstall removes exactly
# that. Renova's own data (settings, state, keychain entries) is never touched.
#
#   ./install.sh --user        install (or update) for the current user
#   ./install.sh --uninstall   remove what --user installed
#   ./install.sh --help
set -eu

me=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<EOF
Usage: $me --user | --uninstall | --help

  --user        install Renova for the current user, no root needed:
                  the binary      into \$HOME/.local/bin
                  the menu entry  into \${XDG_DATA_HOME:-\$HOME/.local/share}/applications
                  the icons       into \${XDG_DATA_HOME:-\$HOME/.local/share}/icons/hicolor
                Running it again updates the installation.
  --uninstall   remove exactly what --user installed (listed in its manifest,
                \${XDG_DATA_HOME:-\$HOME/.local/share}/renova/install-manifest). Renova's settings
                (~/.config/renova), state (~/.local/state/renova) and keychain entries stay.
  --help        show this help

For all users, install the .deb or .rpm package instead.
EOF
}

say() { printf '%s\n' "$*"; }
fail() {
	printf '%s: %s\n' "$me" "$*" >&2
	exit 1
}

# One option, exactly.
if [ "$#" -ne 1 ]; then
	printf '%s: expected one option: --user, --uninstall or --help\n\n' "$me" >&2
	usage >&2
	exit 2
fi
case $1 in
--user | --uninstall) mode=$1 ;;
--help | -h)
	usage
	exit 0
	;;
*)
	printf '%s: unknown option: %s\n\n' "$me" "$1" >&2
	usage >&2
	exit 2
	;;
esac

if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ]; then fail "HOME is not set to an existing folder"; fi
case $HOME in /*) ;; *) fail "HOME is not an absolute path: $HOME" ;; esac
[ "$HOME" = / ] || HOME=${HOME%/}
# Under sudo, HOME may still be the user's while the files would belong to root: refuse any
# home that is not the current user's own.
if [ -z "$(find "$HOME" -prune -user "$(id -u)")" ]; then
	fail "$HOME is not yours (user id $(id -u)): run $me as the user who will use Renova, without sudo"
fi

bindir=$HOME/.local/bin
# The XDG Base Directory specification ignores a relative XDG_DATA_HOME.
case ${XDG_DATA_HOME:-} in
/*) datadir=$XDG_DATA_HOME ;;
*) datadir=$HOME/.local/share ;;
esac
appdir=$datadir/applications
icondir=$datadir/icons/hicolor
manifest_dir=$datadir/renova
manifest=$manifest_dir/install-manifest

# The manifest has one "KIND PATH" line per thing: file (installed), dir (made by the install,
# removed once empty), cache (made by a cache tool the install ran, removed with it). It is
# collected in $entries and written at the end.
entries=""
record() {
	entries="$entries$1 $2
"
}

# Makes folder $1 and each missing parent, recording the ones it made.
make_dir() {
	[ -d "$1" ] && return 0
	make_dir "$(dirname "$1")"
	mkdir "$1"
	record dir "$1"
}

# Copies $1 to $2 with mode $3 through a temporary name, so a running renova is not overwritten.
put() {
	make_dir "$(dirname "$2")"
	cp "$1" "$2.new-$$"
	chmod "$3" "$2.new-$$"
	mv -f "$2.new-$$" "$2"
	record file "$2"
}

# Whether $1 is one of the places install.sh writes to (a guard against a damaged manifest).
ours() {
	case $1 in
	"$bindir"/* | "$appdir"/* | "$icondir"/* | "$manifest_dir"/*) return 0 ;;
	"$bindir" | "$appdir" | "$icondir" | "$manifest_dir") return 0 ;;
	"$HOME/.local" | "$datadir" | "$datadir/icons") return 0 ;;
	esac
	return 1
}

# $1 as one quoted argument of a Desktop Entry Exec= key, the rule Renova itself uses for its
# autostart entry: inside double quotes, ", ` and $ get a backslash, which the value's string
# escapes double; a backslash becomes four. A path with a % (a field code) is refused.
exec_arg() {
	case $1 in *%*) fail "cannot write $1 into a menu entry (it has a %): choose another HOME or XDG_DATA_HOME" ;; esac
	printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')"
}

# $1 as a Desktop Entry string value (TryExec=): each backslash doubled.
string_value() { printf '%s' "$1" | sed -e 's/\\/\\\\/g'; }

# $1 made safe as the replacement of a sed s|||.
sed_replacement() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

refresh_caches() {
	if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$appdir" ]; then
		update-desktop-database "$appdir" >/dev/null 2>&1 || true
	fi
	if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$icondir" ]; then
		gtk-update-icon-cache -f -t -q "$icondir" >/dev/null 2>&1 || true
	fi
}

# The manifest's paths of kind $1, from $installed.
installed_of() { printf '%s' "$installed" | sed -n "s/^$1 //p"; }

# Removes what the manifest lists: the files; then the caches the install made, once the others
# are rebuilt without Renova; then the folders it made, deepest first, each only if empty.
# Fails if there is no manifest.
remove_installed() {
	[ -f "$manifest" ] || return 1
	installed=$(cat "$manifest")
	installed_of file | while IFS= read -r path; do
		if ! ours "$path"; then
			say "skipped (not a place install.sh writes to): $path"
		elif [ -f "$path" ] || [ -L "$path" ]; then
			rm -f "$path"
		fi
	done
	rm -f "$manifest"
	refresh_caches
	installed_of cache | while IFS= read -r path; do
		if ours "$path"; then rm -f "$path"; fi
	done
	installed_of dir | sort -r | while IFS= read -r path; do
		if ours "$path"; then rmdir "$path" 2>/dev/null || true; fi
	done
}

autostart=${XDG_CONFIG_HOME:-$HOME/.config}/autostart/renova-agent.desktop

if [ "$mode" = --uninstall ]; then
	if ! remove_installed; then
		say "Nothing to remove: $manifest does not exist (Renova was not installed with $me --user)."
		exit 0
	fi
	say "Removed Renova from $bindir, $appdir and $icondir."
	say "Left alone: Renova's settings (~/.config/renova), its state (~/.local/state/renova) and"
	say "its keychain entries. Delete those yourself to remove your accounts too."
	if [ -f "$autostart" ]; then
		say "Start at login is still on: if $autostart starts the renova just removed, delete it."
	fi
	exit 0
fi

# --user
for f in bin/renova share/applications/renova.desktop; do
	[ -f "$here/$f" ] || fail "$here/$f is missing: run $me from the unpacked renova tarball"
done
case $bindir$datadir in
*'
'*) fail "HOME or XDG_DATA_HOME has a line break; refusing to install there" ;;
esac

# An update: what the previous install put there goes first, so nothing stale stays.
if remove_installed; then updating=1; else updating=0; fi

make_dir "$manifest_dir"
put "$here/bin/renova" "$bindir/renova" 755

# The menu entry starts the installed binary by its full path, so it works without
# ~/.local/bin on PATH.
make_dir "$appdir"
entry=$appdir/renova.desktop
sed -e "s|^Exec=.*|Exec=$(sed_replacement "$(exec_arg "$bindir/renova")")|" \
	-e "s|^TryExec=.*|TryExec=$(sed_replacement "$(string_value "$bindir/renova")")|" \
	"$here/share/applications/renova.desktop" >"$entry.new-$$"
chmod 644 "$entry.new-$$"
mv -f "$entry.new-$$" "$entry"
record file "$entry"

for icon in "$here"/share/icons/hicolor/*/apps/renova.*; do
	[ -f "$icon" ] || continue
	size=$(basename "$(dirname "$(dirname "$icon")")")
	put "$icon" "$icondir/$size/apps/$(basename "$icon")" 644
done

# The caches that refresh_caches makes for the first time are the install's own.
app_cache=$appdir/mimeinfo.cache
icon_cache=$icondir/icon-theme.cache
if [ -e "$app_cache" ]; then had_app_cache=1; else had_app_cache=0; fi
if [ -e "$icon_cache" ]; then had_icon_cache=1; else had_icon_cache=0; fi
refresh_caches
if [ "$had_app_cache" -eq 0 ] && [ -e "$app_cache" ]; then record cache "$app_cache"; fi
if [ "$had_icon_cache" -eq 0 ] && [ -e "$icon_cache" ]; then record cache "$icon_cache"; fi
printf '%s' "$entries" >"$manifest.new-$$"
mv -f "$manifest.new-$$" "$manifest"

if [ "$updating" -eq 1 ]; then say "Updated Renova:"; else say "Installed Renova:"; fi
say "  program     $bindir/renova"
say "  menu entry  $appdir/renova.desktop"
say "  icons       $icondir/*/apps/renova.*"
say "  manifest    $manifest (what $me --uninstall removes)"
case ":${PATH:-}:" in
*":$bindir:"*) ;;
*)
	say ""
	say "$bindir is not on your PATH: the menu entry works anyway, but to type 'renova' in a"
	say "terminal add this line to ~/.profile (or your shell's startup file) and log in again:"
	# The single quotes are meant: the line is for the user's profile, expanded there.
	# shellcheck disable=SC2016
	say '  export PATH="$HOME/.local/bin:$PATH"'
	;;
esac
