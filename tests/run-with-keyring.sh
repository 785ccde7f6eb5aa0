#!/bin/sh
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring, so
# tests use a real Secret Service without a desktop and never touch a real user's keyring.
# Usage: run-with-keyring.sh COMMAND [ARGS...]
set -eu

for tool in dbus-run-session dbus-send gdbus gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || {
        echo "run-with-keyring: $tool is missing (scripts/install-deps.sh installs it)" >&2
        exit 1
    }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mu-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -m 700 "$tmp/home" "$tmp/runtime"

# Everything the keyring and libsecret read lives in the temporary folder; no desktop
# variables, so QtKeychain picks the Secret Service (libsecret) rather than looking for KWallet.
export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XDG_CURRENT_DESKTOP DESKTOP_SESSION \
    KDE_FULL_SESSION KDE_SESSION_VERSION GNOME_KEYRING_CONTROL 2>/dev/null || true
# Tells the test it may write to the keyring: it is this throwaway one.
export MU_PRIVATE_KEYRING=1

# --unlock with a password on stdin starts the daemon in the background, creates the login
# keyring with that password and unlocks it, so no prompt is needed, which headless would fail.
# The password must not be empty: with an empty one the login keyring is not created and the
# first write asks a prompter for it. It guards only this throwaway keyring.
# The daemon may return before it owns its bus name; `gdbus wait` waits for the name (without
# activating it: a request to an unowned name would start a second, locked daemon).
# The daemon is stopped by its process ID, asked of the bus: it does not reliably notice the
# session bus going away when the session is short, and would linger.
status=0
# shellcheck disable=SC2016 # the inner shell expands these, not this one
dbus-run-session -- sh -c '
    printf "mu-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
    gdbus wait --session --timeout 30 org.freedesktop.secrets || exit 1
    pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
        string:org.freedesktop.secrets | awk "{ print \$2 }")
    if [ -z "$pid" ]; then
        echo "run-with-keyring: gnome-keyring-daemon did not come up on the session bus" >&2
        exit 1
    fi
    status=0
    "$@" || status=$?
    kill "$pid" 2>/dev/null || true
    exit "$status"' run-with-keyring "$@" || status=$?
exit "$status"
